"""One house style and one way to save a figure.

``save_figure`` writes PNG, SVG and PDF named after the notebook
(``01-source-counts_fig1_attributions-by-type.png``) with the table the
figure plots saved beside it as CSV. Output is byte-identical across reruns:
SVG ids use a fixed hash salt and no file carries a creation date.

The SVG is cheap to draw and records the whole figure, so it keys a cache of
the PNG and PDF renderings (``.cache/figures/``): a rerun that draws the same
figure copies them instead of rasterising and embedding fonts again (the PDF's
TrueType subsetting is most of a figure's cost).
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from analysis import atomic, config

#: Colours for source types, shared by every notebook so a type reads the same everywhere.
SOURCE_TYPE_COLORS = {
    "media": "#1f77b4",
    "anonymous": "#d62728",
    "official": "#2ca02c",
    "organization": "#9467bd",
    "person": "#ff7f0e",
    "document": "#8c564b",
    "unattributed": "#7f7f7f",
}

STYLE = {
    "svg.hashsalt": "analysis-toolkit",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "figure.figsize": (7.5, 4.0),
    "legend.frameon": False,
}

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}

# What, besides the figure the SVG records, a PNG or PDF rendering depends on.
_RENDER_CONTEXT = f"{matplotlib.__version__}|{sorted(STYLE.items())!r}|{sorted(_METADATA.items())!r}|v1\n".encode()


def apply_style() -> None:
    """Apply the toolkit's matplotlib style (fonts, spines, deterministic SVG ids)."""
    plt.rcParams.update(STYLE)


def slug(text: str) -> str:
    """Lower-case, hyphenated file-name fragment of ``text``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "figure"


def save_figure(
    fig: plt.Figure,
    notebook: str,
    number: int,
    name: str,
    data: pd.DataFrame,
    figures_dir: str | Path,
) -> dict[str, Path]:
    """Save ``fig`` as PNG, SVG and PDF and ``data`` as CSV, atomically.

    Accepts the figure, the notebook's stem (``"01-source-counts"``), the
    figure's number within the notebook, a short name and the table it plots.
    PNG and PDF come from the rendering cache when the same SVG was rendered
    before. Returns the written paths keyed by extension.
    """
    apply_style()
    stem = f"{notebook}_fig{number}_{slug(name)}"
    figures_dir = Path(figures_dir)
    rendered = {"svg": _render(fig, "svg")}
    key = hashlib.sha256(_RENDER_CONTEXT + rendered["svg"]).hexdigest()
    for fmt in ("png", "pdf"):
        cached = config.CACHE_DIR / "figures" / key[:2] / f"{key}.{fmt}"
        if cached.exists():
            rendered[fmt] = cached.read_bytes()
        else:
            rendered[fmt] = _render(fig, fmt)
            atomic.write_bytes(cached, rendered[fmt])
    written = {fmt: atomic.write_bytes(figures_dir / f"{stem}.{fmt}", rendered[fmt]) for fmt in _METADATA}
    written["csv"] = atomic.write_csv(figures_dir / f"{stem}.csv", data)
    return written


def _render(fig: plt.Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    return buffer.getvalue()
