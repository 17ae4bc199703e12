"""The notebook runner, the figure helper and atomic writes."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import atomic, config
from analysis.figures import apply_style, save_figure
from analysis.pipeline.runner import (NotebookFailed, execute_notebook, inject_parameters, kernelspec_metadata,
                                     notebook_paths)

MIXED = Path(__file__).parents[1] / "corpus" / "fixtures" / "mixed"


def _notebook(*sources: str, parameters: str = "x = 1") -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def test_notebooks_are_numbered_and_open_with_a_statement_and_parameters():
    paths = notebook_paths()
    assert [p.name[:3] for p in paths] == [f"{i:02d}-" for i in range(len(paths))]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        assert "parameters" in nb.cells[1].metadata.get("tags", [])
        assert "corpus_dir = None" in nb.cells[1].source and "out_dir = None" in nb.cells[1].source
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
        assert all(c.get("execution_count") is not None for c in nb.cells if c.cell_type == "code"), f"{path.name} is not executed"


def test_command_line_declines_the_iri_checker_and_still_validates_notebooks():
    # jsonschema's optional IRI checker compiles a grammar on import (about 2 s of every run); no notebook needs it
    code = ("import sys, analysis.__main__, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); "
            "print(sys.modules['rfc3987_syntax'])")
    result = subprocess.run([sys.executable, "-c", code, str(notebook_paths()[0])], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "None"


def test_inject_parameters_follows_the_parameters_cell():
    nb = inject_parameters(_notebook("print(x)"), {"x": 2, "corpus_dir": "/data"})
    assert nb.cells[1].metadata["tags"] == ["injected-parameters"]
    assert "corpus_dir = '/data'" in nb.cells[1].source and "x = 2" in nb.cells[1].source
    nb = inject_parameters(nb, {"x": 3})  # re-injection replaces, never stacks
    assert sum("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1


def test_longest_notebooks_start_first(tmp_path, monkeypatch):
    from analysis.pipeline import runner

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    notebooks = [tmp_path / f"{i:02d}-nb.ipynb" for i in range(4)]
    seconds = {"00-nb.ipynb": 1.0, "01-nb.ipynb": 9.0, "02-nb.ipynb": 4.0, "03-nb.ipynb": 6.0}
    started = []

    def fake(source, target, parameters=None):
        started.append(source.name)
        return runner.NotebookRun(source, target, seconds[source.name])

    monkeypatch.setattr(runner, "execute_notebook", fake)
    first = runner.run_notebooks(notebooks=notebooks, progress=False, parallel=1)
    assert started == [p.name for p in notebooks]  # one worker: run order
    assert [r.seconds for r in first] == [1.0, 9.0, 4.0, 6.0]
    started.clear()
    second = runner.run_notebooks(notebooks=notebooks, progress=False, parallel=2)
    assert started[:2] == ["01-nb.ipynb", "03-nb.ipynb"]  # the two longest of the last run first
    assert [r.notebook for r in second] == notebooks  # results in run order all the same
    assert runner.last_seconds(str(config.corpus_dir(None))) == seconds
    assert runner.last_seconds("/elsewhere") == {}


def test_execute_notebook_injects_and_writes(tmp_path):
    source = tmp_path / "00-demo.ipynb"
    nbformat.write(_notebook("print(x * 10)"), source)
    run = execute_notebook(source, tmp_path / "out" / "00-demo.ipynb", {"x": 4})
    executed = nbformat.read(run.written, as_version=4)
    assert executed.cells[-1].outputs[0]["text"] == "40\n"
    assert "execution" not in executed.cells[-1].metadata  # no timings: reruns are identical
    # the source said "Python 3"; the executed copy says what JupyterLab would write on save
    assert executed.metadata.kernelspec == kernelspec_metadata() != _notebook().metadata.kernelspec


def test_committed_notebooks_carry_the_installed_kernelspec():
    # JupyterLab rewrites a notebook's kernelspec on save from the running kernel's spec: opening and saving a
    # committed notebook must not change it
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    expected = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    assert expected["display_name"] == "Python 3 (ipykernel)"
    for path in notebook_paths():
        metadata = nbformat.read(path, as_version=4).metadata
        assert metadata.kernelspec == expected, path.name
        assert metadata.language_info["name"] == "python", path.name


def test_failure_names_notebook_and_cell(tmp_path):
    source = tmp_path / "01-broken.ipynb"
    nbformat.write(_notebook("y = 2", "raise ValueError('bad corpus')"), source)
    target = tmp_path / "never.ipynb"
    with pytest.raises(NotebookFailed, match=r"01-broken.ipynb failed in cell 3 .*ValueError: bad corpus"):
        execute_notebook(source, target)
    assert not target.exists()


def test_save_figure_writes_every_format_identically(tmp_path):
    def draw():
        apply_style()
        fig, ax = plt.subplots()
        ax.bar(["a", "b"], [1, 2])
        return fig

    data = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    first = save_figure(draw(), "09-demo", 1, "Bars: a & b", data, tmp_path / "one")
    second = save_figure(draw(), "09-demo", 1, "Bars: a & b", data, tmp_path / "two")
    assert sorted(first) == ["csv", "pdf", "png", "svg"]
    assert first["png"].name == "09-demo_fig1_bars-a-b.png"
    for fmt in first:
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt
    assert b"<dc:date>" not in first["svg"].read_bytes() and b"CreationDate" not in first["pdf"].read_bytes()
    plt.close("all")


def test_save_figure_reuses_renderings_of_the_same_svg_only(tmp_path, monkeypatch):
    from analysis import figures

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    rendered = []
    real = figures._render
    monkeypatch.setattr(figures, "_render", lambda fig, fmt: rendered.append(fmt) or real(fig, fmt))

    def draw(heights):
        apply_style()
        fig, ax = plt.subplots()
        ax.bar(["a", "b"], heights)
        return fig

    data = pd.DataFrame({"x": ["a", "b"]})
    fresh = {k: p.read_bytes() for k, p in save_figure(draw([1, 2]), "09-demo", 1, "bars", data, tmp_path / "one").items()}
    assert sorted(rendered) == ["pdf", "png", "svg"]
    rendered.clear()
    again = save_figure(draw([1, 2]), "09-demo", 1, "bars", data, tmp_path / "two")
    assert rendered == ["svg"]  # same drawing: PNG and PDF copied from the cache
    assert {k: p.read_bytes() for k, p in again.items()} == fresh
    rendered.clear()
    changed = save_figure(draw([1, 3]), "09-demo", 1, "bars", data, tmp_path / "three")
    assert sorted(rendered) == ["pdf", "png", "svg"]
    assert changed["png"].read_bytes() != fresh["png"] and changed["pdf"].read_bytes() != fresh["pdf"]
    plt.close("all")


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as tmp:
            tmp.write_text("half a tab")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def _tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("notebooks", "data", "figures") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def test_run_on_a_mixed_folder_with_out_leaves_the_repository_untouched(tmp_path):
    before = _tree_hashes(config.REPO_ROOT)
    out = tmp_path / "results"
    result = subprocess.run([sys.executable, "-m", "analysis", "run", "--corpus", str(MIXED), "--out", str(out)],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rejected empty.txt: empty file" in result.stdout
    assert _tree_hashes(config.REPO_ROOT) == before
    for notebook in notebook_paths():
        assert (out / "notebooks" / notebook.name).is_file()
    reports = pd.read_csv(out / "data" / "processed" / "reports.csv", keep_default_na=False)
    rejected = pd.read_csv(out / "data" / "processed" / "rejected.csv", keep_default_na=False)
    files = {p.relative_to(MIXED).as_posix() for p in MIXED.rglob("*") if p.is_file()} - {"manifest.csv"}
    accounted = set(reports["path"]) | {p.split("#")[0] for p in rejected["path"]}
    assert files <= accounted
    assert any((out / "figures").glob("00-corpus-overview_fig1_*.svg"))
    # the report of that run: its executed notebooks and figures, under OUT/report/
    from analysis.pipeline.report import external_references, figure_count, write_report

    report = write_report(out)
    assert report.path == out / "report" / "report.html" and report.notebooks == [p.stem for p in notebook_paths()]
    shown = sum(figure_count(nbformat.read(out / "notebooks" / p.name, as_version=4)) for p in notebook_paths())
    assert report.figures_embedded == shown == len(list((out / "figures").glob("*.png")))
    assert external_references(report.path.read_text(encoding="utf-8")) == []


def test_strict_run_stops_on_rejections(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "run", "--corpus", str(MIXED), "--out",
                             str(tmp_path), "--strict"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 2 and "strict" in result.stderr and "empty.txt" in result.stderr


def test_overview_figure_scales_to_many_reports():
    from analysis.corpus.overview import MAX_BARS, words_per_report

    many = pd.DataFrame({"report_id": [f"r{i:04d}" for i in range(500)], "outlet": "", "title": "t",
                         "published": ["2019-01-01", ""] * 250, "n_words": range(500)})
    fig, table = words_per_report(many)
    assert len(table) == 500 and fig.get_size_inches()[1] < 10
    fig, table = words_per_report(many.head(MAX_BARS))
    assert len(fig.axes[0].patches) == MAX_BARS
    plt.close("all")


def test_every_notebook_runs_on_a_single_report_that_cites_no_one(tmp_path):
    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "only.txt").write_text("Harbour repainted\n\nThe old harbour wall was repainted blue in 2019.\n")
    out = tmp_path / "results"
    result = subprocess.run([sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    executed = nbformat.read(out / "notebooks" / "02-tfidf-similarity.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "nothing to compare" in printed
    citations = pd.read_csv(out / "data" / "processed" / "citations.csv")
    assert citations.empty
