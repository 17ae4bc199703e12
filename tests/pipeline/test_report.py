"""The HTML report (``python -m analysis report``): one offline page of the executed notebooks.

The unit tests build small executed notebooks with nbformat (no kernel); the browser test opens the report of
the committed notebooks in a headless Chromium with the network blocked and checks that every figure shows. It is
skipped, with a message, when no Chromium or Playwright is installed, except under CI (``CI`` set), where it fails.
"""
from __future__ import annotations

import base64
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.pipeline import report as report_mod
from analysis.pipeline.report import ReportError, external_references, figure_count, write_report
from analysis.pipeline.runner import notebook_paths

SECRET_CODE = "secret_code_line = 41 + 1"


def _png(width: int, height: int, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A solid-colour PNG, built by hand so the fixture needs no plotting library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
       '<rect width="120" height="60" fill="#1f77b4"/></svg>')


def _executed(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    for n, cell in enumerate(c for c in cells if c.cell_type == "code"):
        cell.execution_count = n + 1
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {
        "display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}})


def _out_dir(tmp_path: Path) -> Path:
    """An output root as ``python -m analysis run --out`` leaves it: two executed notebooks and their figures."""
    out = tmp_path / "out"
    png = base64.b64encode(_png(40, 20)).decode()
    first = _executed([
        nbformat.v4.new_markdown_cell("# 00 · First: what it finds\n\n**What it finds.** Three reports."),
        nbformat.v4.new_code_cell("corpus_dir = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(SECRET_CODE, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="3 reports analysed\n"),
            nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy warning\n")]),
        nbformat.v4.new_markdown_cell("## How long is each report?"),
        nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": png, "text/plain": "<Figure size 400x200>"})]),
        nbformat.v4.new_code_cell("progress()", outputs=[nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/plain": "  0%|          | 0/200 [00:00<?, ?it/s]"})]),
        nbformat.v4.new_code_cell("x = 1"),
    ])
    second = _executed([
        nbformat.v4.new_markdown_cell("# 01 · Second\n\n## How long is each report?"),
        nbformat.v4.new_code_cell("corpus_dir = None", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("corpus_dir = '/data'", metadata={"tags": ["injected-parameters"]}),
        nbformat.v4.new_code_cell("table", outputs=[nbformat.v4.new_output(
            "execute_result", data={"text/html": "<table><tr><td>Valmont Courier</td></tr></table>",
                                    "text/plain": "table"}, execution_count=3)]),
        nbformat.v4.new_code_cell("svg", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/svg+xml": SVG, "text/plain": "<Figure>"})]),
    ])
    (out / "notebooks").mkdir(parents=True)
    nbformat.write(first, out / "notebooks" / "00-first.ipynb")
    nbformat.write(second, out / "notebooks" / "01-second.ipynb")
    (out / "figures").mkdir()
    (out / "figures" / "00-first_fig1_words.png").write_bytes(_png(40, 20))
    (out / "figures" / "00-first_fig1_words.csv").write_text("a,b\n1,2\n")
    (out / "figures" / "01-second_fig1_box.svg").write_text(SVG)
    return out


def test_report_shows_what_a_reader_sees_and_hides_the_code(tmp_path):
    out = _out_dir(tmp_path)
    report = write_report(out)
    page = report.path.read_text(encoding="utf-8")
    assert report.path == out / "report" / "report.html"
    assert report.notebooks == ["00-first", "01-second"]
    assert report.figures_per_notebook == {"00-first": 1, "01-second": 1} and report.figures_embedded == 2
    assert SECRET_CODE not in page and "corpus_dir" not in page  # code and parameter cells hidden
    assert "3 reports analysed" in page and "Valmont Courier" in page  # stdout and tables kept
    assert "noisy warning" not in page and "it/s" not in page  # stderr and widgets dropped
    body = page[page.index("<body"):]
    assert "In&nbsp;[" not in body and "Out[" not in body and "jp-CodeMirrorEditor" not in body  # no prompts, no code
    assert page.count('src="data:image/png;base64,') == 1 and page.count('src="data:image/svg+xml;base64,') == 1
    assert 'alt="Figure: How long is each report?"' in page  # the step's label describes the figure
    assert external_references(page) == []
    assert "<script" not in page
    # a heading per notebook, with unique ids though both notebooks have a "How long is each report?"
    assert '<section class="report-notebook-start" id="00-first">' in page
    assert 'href="#00-first--how-long-is-each-report"' in page and 'href="#01-second--how-long-is-each-report"' in page
    assert 'id="00-first--what-it-finds"' in page  # bold labels are entries too
    # exported figures copied beside the page, linked relatively
    assert sorted(p.name for p in report.exported) == ["00-first_fig1_words.csv", "00-first_fig1_words.png",
                                                       "01-second_fig1_box.svg"]
    assert (out / "report" / "figures" / "00-first_fig1_words.png").read_bytes() == \
        (out / "figures" / "00-first_fig1_words.png").read_bytes()
    assert 'href="figures/00-first_fig1_words.png"' in page and 'href="figures/01-second_fig1_box.svg"' in page


def test_report_is_byte_identical_on_rerun_and_drops_stale_figure_copies(tmp_path):
    out = _out_dir(tmp_path)
    first = write_report(out).path.read_bytes()
    (out / "report" / "figures" / "old_fig9_gone.png").write_bytes(b"stale")
    second = write_report(out).path.read_bytes()
    assert first == second
    assert not (out / "report" / "figures" / "old_fig9_gone.png").exists()
    assert not [p for p in (out / "report").rglob(".*.tmp")]  # atomic writes leave no temporary file


def test_report_needs_executed_notebooks(tmp_path):
    with pytest.raises(ReportError, match="run `python -m analysis run --out"):
        write_report(tmp_path / "never-run")
    out = _out_dir(tmp_path)
    nb = nbformat.read(out / "notebooks" / "01-second.ipynb", as_version=4)
    nb.cells[3].execution_count = None
    nbformat.write(nb, out / "notebooks" / "01-second.ipynb")
    with pytest.raises(ReportError, match="01-second.ipynb was not executed"):
        write_report(out)


def test_report_refuses_a_page_that_would_load_from_the_network(tmp_path):
    out = _out_dir(tmp_path)
    nb = nbformat.read(out / "notebooks" / "00-first.ipynb", as_version=4)
    nb.cells[2].outputs.append(nbformat.v4.new_output("display_data", data={
        "text/html": '<img src="https://tracker.example/pixel.gif">', "text/plain": ""}))
    nbformat.write(nb, out / "notebooks" / "00-first.ipynb")
    with pytest.raises(ReportError, match="tracker.example"):
        write_report(out)
    assert not (out / "report" / "report.html").exists()


def test_external_references_lists_what_a_browser_would_fetch():
    page = """
    <link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/require.js"></script>
    <img src="http://img.example/a.png"><img srcset="data:image/png;base64,AAA 1x, pic.png 2x">
    <div style="background: url('https://bg.example/b.png')"></div>
    <style>@import "https://fonts.example/f.css"; .x { background: url(data:image/png;base64,AAA) }</style>
    <script>import("https://cdn.example/mermaid.mjs")</script>
    <a href="https://example.org/article">a link is followed by a reader, not fetched</a>
    <img src="data:image/png;base64,AAA"><a href="#contents">contents</a>
    <!-- https://example.org/in-a-comment --> <p>see https://example.org in text</p>
    """
    found = external_references(page)
    assert len(found) == 7, found
    assert not any("example.org" in f for f in found)
    assert any("pic.png" in f for f in found)  # a file beside the page is outside it too


def test_command_line_writes_the_report(tmp_path):
    out = _out_dir(tmp_path)
    result = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "2 notebooks, 2 figures embedded" in result.stdout
    missing = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", str(tmp_path / "none")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "no executed notebook" in missing.stderr


# --- in a real browser -----------------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-sandbox"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _browser_or_skip() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        message = "Playwright is not installed (pip install -e '.[test]')"
    else:
        executable = _chromium()
        if executable:
            return executable
        message = "no Chromium found (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must render the report in a browser: {message}")
    pytest.skip(message)


def _repository_run(tmp_path: Path) -> Path:
    """The committed notebooks and figures laid out as an output root, as after ``analysis run --out``."""
    out = tmp_path / "repo-out"
    (out / "notebooks").mkdir(parents=True)
    for path in notebook_paths():
        shutil.copy(path, out / "notebooks" / path.name)
    shutil.copytree(config.REPO_ROOT / "figures", out / "figures")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["committed notebooks", "fixture with an SVG figure"])
def test_report_opens_offline_in_a_browser_and_shows_every_figure(tmp_path, layout):
    executable = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    out = _repository_run(tmp_path) if layout == "committed notebooks" else _out_dir(tmp_path)
    report = write_report(out)
    produced = sum(figure_count(nbformat.read(p, as_version=4)) for p in sorted((out / "notebooks").glob("*.ipynb")))
    assert report.figures_embedded == produced > 0
    if layout == "committed notebooks":  # every figure the notebooks show is one they exported
        assert produced == len(list((out / "figures").glob("*.png")))
    url = report.path.resolve().as_uri()

    requests: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True, offline=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900})
        try:
            context.on("request", lambda request: requests.append(request.url))
            # anything but the page itself is refused, so a stray reference fails instead of waiting on a network
            context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            page = context.new_page()
            response = page.goto(url, wait_until="load", timeout=60_000)
            assert response is None or response.ok
            assert page.title() == report_mod.REPORT_TITLE
            images = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(img => {
                img.scrollIntoView();
                const box = img.getBoundingClientRect();
                return {complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
                        shown: box.width > 0 && box.height > 0 && getComputedStyle(img).visibility === 'visible',
                        src: img.src.slice(0, 22)};
            })""")
            assert len(images) == produced, images
            assert all(i["complete"] and i["width"] > 0 and i["height"] > 0 and i["shown"] for i in images), images
            assert all(i["src"].startswith("data:image/") for i in images)
            # the table of contents leads to a heading per notebook
            targets = page.evaluate("""() => [...document.querySelectorAll('nav.report-toc a')]
                .map(a => !!document.getElementById(a.getAttribute('href').slice(1)))""")
            assert targets and all(targets)
            assert page.locator("section.report-notebook-start").count() == len(report.notebooks)
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            keep = os.environ.get("ANALYSIS_REPORT_SCREENSHOT")  # to look at it: set to a folder
            if keep:
                shutil.copy(shot, Path(keep) / f"report-{layout.split()[0]}.png")
        finally:
            context.close()
    left = [u for u in requests if u != url and not u.startswith("data:")]
    assert not left, f"requests left the page: {left}"
    assert url in requests
