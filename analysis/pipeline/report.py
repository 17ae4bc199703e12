"""One self-contained HTML report of the executed notebooks, to hand to a reader.

``write_report`` joins the four executed notebooks into one page as a reader
sees them (findings, tables, figures; no code, no prompts), with a table of
contents and a heading per notebook, renders it with nbconvert's JupyterLab
template stripped of every script it would fetch (require.js, MathJax,
Mermaid, widgets), and writes it to ``<output root>/report/report.html``.
Figures are embedded as ``data:`` URIs (the PNG or SVG each notebook output
holds), the CSS is inline, so the file opens offline and loads nothing from
the network; ``external_references`` checks that and the writer refuses a
page that would load anything. The exported figures (PNG, SVG, PDF and their
CSV) are copied into ``report/figures/`` and listed at the end of the page
with relative links, so the ``report/`` folder can be handed on whole.

Reruns are byte-identical: nothing in the page depends on the time or the
machine, and every list is sorted.
"""
from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from analysis import atomic, config

REPORT_FILE = "report.html"
REPORT_TITLE = "Media-analysis report"

#: Image types a notebook output may hold a figure as; nbconvert embeds each as a ``data:`` URI.
FIGURE_MIME_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
#: Outputs a reader has no use for: widget models (progress bars) render only with JavaScript.
_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Cells that only set the run's parameters.
_PARAMETER_TAGS = {"parameters", "injected-parameters"}

# nbconvert's JupyterLab template, without the blocks that load scripts from a CDN
# (require.js, MathJax, Mermaid, Jupyter widgets), with a header, a place for the
# table of contents and one for the list of exported figures. Images are always
# data: URIs (never a file name an output's metadata may carry), with the label of
# the step that drew them as alternative text.
_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_png scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ output.metadata.get('report_alt', 'Figure') | escape_html }}">
</div>
{%- endblock data_png -%}
{%- block data_jpg scoped -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | escape_html }}" alt="{{ output.metadata.get('report_alt', 'Figure') | escape_html }}">
</div>
{%- endblock data_jpg -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}">
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 | escape_html }}" alt="{{ output.metadata.get('report_alt', 'Figure') | escape_html }}">
</div>
{%- endblock data_svg -%}
{%- block rawcell scoped -%}{%- if cell.metadata.get('report_marker') -%}{{ cell.source }}{%- endif -%}{%- endblock rawcell -%}
{%- block extra_css -%}
<style type="text/css">
main.report { max-width: 1180px; margin: 0 auto; padding: 1em 2em 4em; }
.report-header h1 { font-size: 2em; margin-bottom: 0.2em; }
.report-header p { color: #555; }
nav.report-toc { border: 1px solid #ddd; background: #fafafa; padding: 0.6em 1.5em; margin: 1em 0 2em; }
nav.report-toc > ol > li { margin: 0.4em 0; font-weight: 600; }
nav.report-toc ol ol { font-weight: normal; }
section.report-notebook-start { border-top: 3px solid #888; margin-top: 3em; padding-top: 0.5em; }
section.report-notebook-start p { color: #777; font-size: 0.85em; margin: 0; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
section.report-figures { border-top: 3px solid #888; margin-top: 3em; }
section.report-figures table { border-collapse: collapse; }
section.report-figures td, section.report-figures th { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main class="report">
<header class="report-header">
<h1 id="report-title">""" + REPORT_TITLE + r"""</h1>
<p>{{ resources.report_subtitle }}</p>
</header>
<!--report-toc-->
{%- endblock body_header -%}
{%- block body_footer -%}
<!--report-figures-->
</main>
</body>
{%- endblock body_footer -%}
"""


class ReportError(RuntimeError):
    """The report cannot be written (no executed notebooks, or a page that would load something)."""


@dataclass
class Report:
    """What ``write_report`` wrote: the page, the notebooks in it, its figures and the copied exports."""

    path: Path
    notebooks: list[str]
    figures_embedded: int
    figures_per_notebook: dict[str, int]
    exported: list[Path] = field(default_factory=list)


def notebooks_dir(out: str | Path | None = None) -> Path:
    """Where ``python -m analysis run`` left the executed notebooks: ``OUT/notebooks`` with ``--out``, else ``notebooks/``."""
    return config.output_paths(out).root / "notebooks" if out is not None else config.NOTEBOOKS_DIR


def figure_count(nb: nbformat.NotebookNode) -> int:
    """Number of figures a notebook shows: outputs holding an image (PNG, SVG or JPEG)."""
    return sum(1 for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
               if any(mime in output.get("data", {}) for mime in FIGURE_MIME_TYPES))


def reader_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells of ``nb`` a reader sees: markdown, and code cells with outputs worth showing.

    Drops the parameter cells, stderr streams (warnings, progress bars) and
    widget outputs (they render only with JavaScript); a code cell left with
    no output is dropped too. A figure's ``report_alt`` metadata (its
    alternative text) is the label of the Markdown cell before it. Returns
    copies; ``nb`` is not modified.
    """
    kept = []
    label = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            kept.append(nbformat.from_dict(cell))
            label = _label(cell.source) or label
        elif cell.cell_type == "raw":
            continue
        elif not _PARAMETER_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            outputs = [o for o in cell.get("outputs", []) if _shown(o)]
            if outputs:
                copy = nbformat.from_dict(cell)
                copy.outputs = [nbformat.from_dict(o) for o in outputs]
                for output in copy.outputs:
                    if any(mime in output.get("data", {}) for mime in FIGURE_MIME_TYPES):
                        output.setdefault("metadata", {})["report_alt"] = f"Figure: {label}" if label else "Figure"
                copy.execution_count = None
                kept.append(copy)
    return kept


def _shown(output: dict) -> bool:
    """Whether a reader sees ``output``: stdout, results and displays; not stderr, not widgets."""
    kind = output.get("output_type")
    if kind == "stream":
        return output.get("name") == "stdout"
    if kind == "error":
        return True
    data = output.get("data", {})
    return bool(data) and _WIDGET_MIME not in data  # a widget's text/plain is only its repr


def _label(markdown: str) -> str:
    """The label of a Markdown cell: its first bold phrase or heading, else its first line, as plain text."""
    match = re.search(r"\*\*(.+?)\*\*", markdown) or re.search(r"^#{1,6}\s+(.+)$", markdown, flags=re.M)
    text = match.group(1) if match else next((line for line in markdown.splitlines() if line.strip()), "")
    text = re.sub(r"[`*_#]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text).strip()
    return text[:150]


def _title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The notebook's first Markdown heading (without ``#``), else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", cell.source, flags=re.M)
            if match:
                return match.group(1)
    return fallback


def merged_notebook(notebooks: list[tuple[str, nbformat.NotebookNode]]) -> nbformat.NotebookNode:
    """One notebook of the reader's cells of every ``(name, notebook)``, each opened by a section marker.

    The marker is a raw cell flagged ``report_marker`` (the template writes
    it as is): ``<section class="report-notebook-start" id="NAME">`` naming
    the source notebook. Cell ids are renumbered (``n0-c3``) so they stay
    unique across notebooks.
    """
    merged = nbformat.v4.new_notebook()
    merged.metadata = nbformat.from_dict(dict(notebooks[0][1].metadata)) if notebooks else merged.metadata
    merged.metadata.pop("widgets", None)
    for n, (name, nb) in enumerate(notebooks):
        marker = nbformat.v4.new_raw_cell(
            f'<section class="report-notebook-start" id="{html.escape(name)}">'
            f"<p>Notebook <code>{html.escape(name)}.ipynb</code></p></section>",
            metadata={"report_marker": True})
        cells = [marker, *reader_cells(nb)]
        for c, cell in enumerate(cells):
            cell["id"] = f"n{n}-c{c}"
        merged.cells.extend(cells)
    return merged


def render_html(nb: nbformat.NotebookNode, subtitle: str) -> str:
    """HTML of ``nb`` through the report template: inputs and prompts hidden, images embedded, no scripts."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file="report.html.j2",
        extra_loaders=[DictLoader({"report.html.j2": _TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        theme="light",
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": REPORT_TITLE},
                                                         "report_subtitle": html.escape(subtitle)})
    return body


_SLUG = re.compile(r"[^a-z0-9]+")
_MARKER_OR_HEADING = re.compile(
    r'<section class="report-notebook-start" id="(?P<notebook>[^"]+)">'
    r"|<h(?P<level>[12])(?P<attrs>(?:\s[^>]*)?)>(?P<inner>.*?)</h(?P=level)>"
    r"|<p><strong>(?P<label>.*?)</strong>", re.S)


def _text(inner_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", inner_html)).strip()


def add_contents(page: str, titles: dict[str, str]) -> str:
    """Give every level-1 and level-2 heading, and every paragraph opening with a bold label ("**Who is cited
    most?** …", the notebooks' way of labelling a step), after a notebook marker a unique id, and insert the
    table of contents.

    ``titles`` maps each notebook name to its title (the TOC entry when the
    notebook has no level-1 heading). Returns the page with ``<nav
    class="report-toc">`` in place of the ``<!--report-toc-->`` placeholder.
    """
    # one entry per notebook: [anchor, text, sub-entries, whether its level-1 heading was found]
    entries: list[list] = []
    used: set[str] = {"report-title", "contents", "exported-figures", *titles}
    current: str | None = None

    def replace(match: re.Match) -> str:
        nonlocal current
        if match.group("notebook"):
            current = html.unescape(match.group("notebook"))
            entries.append([current, titles.get(current, current), [], False])
            return match.group(0)
        if current is None:
            return match.group(0)
        level = match.group("level")
        inner = match.group("inner") if level else match.group("label")
        text = _text(inner).rstrip(".:")
        base = f"{current}--{_SLUG.sub('-', text.lower()).strip('-')[:60] or 'section'}"
        anchor, k = base, 2
        while anchor in used:
            anchor, k = f"{base}-{k}", k + 1
        used.add(anchor)
        entry = entries[-1]
        if level == "1" and not entry[3] and not entry[2]:  # the notebook's title: the entry itself
            entry[:2], entry[3] = [anchor, text or entry[1]], True
        else:
            entry[2].append((anchor, text))
        if not level:
            return f'<p id="{anchor}"><strong>{inner}</strong>'
        attrs = re.sub(r'\sid="[^"]*"', "", match.group("attrs") or "")
        return f'<h{level} id="{anchor}"{attrs}>{inner}</h{level}>'

    page = _MARKER_OR_HEADING.sub(replace, page)
    items = []
    for anchor, text, subs, _ in entries:
        sub = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in subs)
        items.append(f'<li><a href="#{anchor}">{html.escape(text)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>")
    nav = '<nav class="report-toc" id="contents"><h2>Contents</h2><ol>' + "".join(items) + "</ol></nav>"
    return page.replace("<!--report-toc-->", nav, 1)


def exported_figures(figures_dir: Path) -> dict[str, list[Path]]:
    """The exported figure files in ``figures_dir`` by figure (file stem), each list sorted by name."""
    groups: dict[str, list[Path]] = {}
    if figures_dir.is_dir():
        for path in sorted(figures_dir.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.suffix in {".png", ".svg", ".pdf", ".csv"}:
                groups.setdefault(path.stem, []).append(path)
    return groups


def figures_section(groups: dict[str, list[Path]]) -> str:
    """HTML listing the exported figures with relative links into ``figures/`` beside the report."""
    if not groups:
        return ('<section class="report-figures" id="exported-figures"><h2>Exported figures</h2>'
                "<p>No figure was exported.</p></section>")
    rows = []
    for stem, files in groups.items():
        links = " · ".join(f'<a href="figures/{html.escape(p.name)}">{p.suffix[1:].upper()}</a>' for p in files)
        rows.append(f"<tr><td><code>{html.escape(stem)}</code></td><td>{links}</td></tr>")
    return ('<section class="report-figures" id="exported-figures"><h2>Exported figures</h2>'
            "<p>Every figure as PNG, SVG and PDF, with the table it plots as CSV, in the <code>figures/</code> "
            "folder beside this page.</p><table><thead><tr><th>figure</th><th>files</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></section>")


_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>\s[^>]*)?>", re.S)
_ATTR = re.compile(r"""(?P<name>[a-zA-Z:-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")
_LOADED_ATTRS = {"src", "srcset", "poster", "data", "background"}
_CSS_URL = re.compile(r"""url\(\s*['"]?(?P<url>[^'")\s]+)|@import\s+['"](?P<imp>[^'"]+)""")


def external_references(page: str) -> list[str]:
    """Every reference in ``page`` a browser would fetch from outside the file, sorted.

    Looks at the attributes that load something (``src``, ``srcset``,
    ``poster``, ``data``, ``href`` of ``<link>``, ``<use>``, ``<image>``,
    ``<script>``), at CSS ``url()`` and ``@import`` (in ``<style>`` and
    ``style=``) and at URLs inside ``<script>``. Only ``data:`` URIs and
    in-page ``#`` fragments count as local; links a reader may follow
    (``<a href>``) are not fetched and not listed.
    """
    found = set()

    def remote(value: str) -> bool:
        value = html.unescape(value).strip()
        return bool(value) and not value.startswith(("data:", "#"))

    for tag in _TAG.finditer(page):
        name = tag.group("name").lower()
        for attr in _ATTR.finditer(tag.group("attrs") or ""):
            key = attr.group("name").lower()
            value = attr.group("dq") if attr.group("dq") is not None else attr.group("sq") if attr.group("sq") is not None else attr.group("bare")
            if key in _LOADED_ATTRS or (key in {"href", "xlink:href"} and name in {"link", "use", "image", "script"}):
                for part in value.split(",") if key == "srcset" else [value]:
                    if remote(part.split()[0] if part.split() else part):
                        found.add(f"<{name} {key}={value[:120]!r}>")
            if key == "style":
                for css in _CSS_URL.finditer(html.unescape(value)):
                    url = css.group("url") or css.group("imp")
                    if remote(url):
                        found.add(f"style url({url[:120]})")
    for block in re.finditer(r"<style[^>]*>(.*?)</style>", page, flags=re.S | re.I):
        for css in _CSS_URL.finditer(block.group(1)):
            url = css.group("url") or css.group("imp")
            if remote(url):
                found.add(f"css url({url[:120]})")
    for block in re.finditer(r"<script[^>]*>(.*?)</script>", page, flags=re.S | re.I):
        for url in re.findall(r"""(?:https?:)?//[^\s'"<>)]+""", block.group(1)):
            found.add(f"script {url[:120]}")
    return sorted(found)


def write_report(out: str | Path | None = None) -> Report:
    """Write ``<output root>/report/report.html`` from the executed notebooks and copy the exported figures beside it.

    Accepts the output root of an earlier ``python -m analysis run --out``
    (``None``: the committed notebooks in ``notebooks/`` and the figures of
    the default output root). Returns a ``Report``; raises ``ReportError``
    when there is no executed notebook or the page would load anything from
    outside the file.
    """
    paths = config.output_paths(out)
    source_dir = notebooks_dir(out)
    sources = sorted(source_dir.glob("[0-9][0-9]-*.ipynb")) if source_dir.is_dir() else []
    if not sources:
        hint = f" (run `python -m analysis run --out {out}` first)" if out is not None else ""
        raise ReportError(f"no executed notebook in {source_dir}{hint}")
    notebooks = []
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        unexecuted = [i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()
                      and c.get("execution_count") is None]
        if unexecuted:
            raise ReportError(f"{source} was not executed (cell {unexecuted[0]} has no result): "
                              "run `python -m analysis run` first")
        notebooks.append((source.stem, nb))

    groups = exported_figures(paths.figures)
    subtitle = (f"The {len(notebooks)} notebooks of one run, as a reader sees them: findings, tables and figures "
                "(the code is in the notebooks). Figures are embedded in this page; the exported files are listed "
                "at the end.")
    page = render_html(merged_notebook(notebooks), subtitle)
    page = add_contents(page, {name: _title(nb, name) for name, nb in notebooks})
    page = page.replace("<!--report-figures-->", figures_section(groups), 1)
    page = page.replace("\r\n", "\n")
    remote = external_references(page)
    if remote:
        raise ReportError("the report would load from outside the file: " + "; ".join(remote[:10]))

    target = paths.report / REPORT_FILE
    copied = _copy_figures(groups, paths.report / "figures")
    atomic.write_text(target, page)
    per_notebook = {name: figure_count(nb) for name, nb in notebooks}
    return Report(target, [name for name, _ in notebooks], sum(per_notebook.values()), per_notebook, copied)


def _copy_figures(groups: dict[str, list[Path]], target_dir: Path) -> list[Path]:
    """Copy every exported figure file into ``target_dir`` (atomically, only when changed); remove stale copies."""
    wanted = {p.name: p for files in groups.values() for p in files}
    target_dir.mkdir(parents=True, exist_ok=True)
    for stale in sorted(target_dir.iterdir()):
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    copied = []
    for name in sorted(wanted):
        data, target = wanted[name].read_bytes(), target_dir / name
        if not target.is_file() or target.read_bytes() != data:
            atomic.write_bytes(target, data)
        copied.append(target)
    return copied


def main_report(out: str | None) -> int:
    """Command-line entry of ``python -m analysis report``; returns an exit code."""
    try:
        report = write_report(out)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shown = ", ".join(f"{name} {n}" for name, n in report.figures_per_notebook.items())
    print(f"report: {report.path} ({len(report.notebooks)} notebooks, {report.figures_embedded} figures "
          f"embedded: {shown})")
    print(f"exported figures: {len(report.exported)} files copied to {report.path.parent / 'figures'}")
    return 0
