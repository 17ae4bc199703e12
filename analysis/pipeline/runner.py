"""Run the numbered notebooks in order, each from a fresh kernel.

``run_notebooks`` executes ``notebooks/NN-*.ipynb`` with nbclient. With the
default corpus and output root the notebooks are executed in place (their
committed outputs are refreshed); otherwise the corpus and output paths are
injected after each notebook's ``parameters`` cell (the papermill convention)
and the executed copies are written under ``OUT/notebooks/``, leaving the
repository untouched.
"""
from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from analysis import atomic, config

KERNEL = "python3"


class NotebookFailed(RuntimeError):
    """A notebook cell raised; the message names the notebook, the cell and the error."""


@dataclass
class NotebookRun:
    """One executed notebook: its source, where it was written and how long it took."""

    notebook: Path
    written: Path
    seconds: float


def notebook_paths(directory: Path = config.NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``00-…``, ``01-…``) in run order."""
    return sorted(p for p in directory.glob("[0-9][0-9]-*.ipynb"))


def inject_parameters(nb: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    """Insert an ``injected-parameters`` cell after the ``parameters`` cell (papermill convention)."""
    source = "# Parameters injected by `python -m analysis run`\n" + "\n".join(
        f"{name} = {value!r}" for name, value in sorted(parameters.items())
    )
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cells = [c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    index = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    cells.insert(index, cell)
    nb.cells = cells
    return nb


def kernelspec_metadata(name: str = KERNEL) -> dict:
    """The ``kernelspec`` notebook metadata of the installed kernel ``name``, as JupyterLab writes it on save.

    Returns ``{"display_name", "language", "name"}`` from jupyter_client's
    kernel spec (ipykernel's ``python3``: "Python 3 (ipykernel)"), so a
    notebook executed here and then opened and saved in JupyterLab keeps
    the same metadata. ``language_info`` needs nothing: nbclient copies the
    kernel's own answer, which is what JupyterLab writes too.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def execute_notebook(source: Path, target: Path, parameters: dict | None = None, timeout: int = 3600) -> NotebookRun:
    """Execute ``source`` from a fresh kernel and write the result atomically to ``target``.

    The written notebook carries the installed kernel's ``kernelspec``
    (``kernelspec_metadata``), whatever ``source`` had.

    Raises ``NotebookFailed`` naming the cell when one raises; ``target`` is
    then left as it was.
    """
    start = time.perf_counter()
    nb = nbformat.read(source, as_version=4)
    if parameters:
        nb = inject_parameters(nb, parameters)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                            resources={"metadata": {"path": str(source.parent)}})
    log_path = config.CACHE_DIR / "kernel-logs" / f"{source.stem}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The kernel process's own chatter (transport warnings) goes to a log, not over the progress lines.
        with open(log_path, "wb") as log:
            client.execute(stderr=log)
    except CellExecutionError as exc:
        index, cell = next(((i, c) for i, c in enumerate(nb.cells)
                            if any(o.get("output_type") == "error" for o in c.get("outputs", []))), (None, None))
        where = f"cell {index + 1}" if index is not None else "a cell"
        first = cell.source.strip().splitlines()[0] if cell is not None and cell.source.strip() else ""
        error = next((f"{o['ename']}: {o['evalue']}" for o in (cell or {}).get("outputs", []) if o.get("output_type") == "error"), str(exc).splitlines()[-1])
        raise NotebookFailed(f"{source.name} failed in {where} ({first!r}): {error}") from None
    except DeadKernelError as exc:
        raise NotebookFailed(f"{source.name}: the kernel died ({exc}); see {log_path}") from None
    nb.metadata["kernelspec"] = kernelspec_metadata()
    atomic.write_text(target, nbformat.writes(nb) + "\n")
    return NotebookRun(source, target, time.perf_counter() - start)


def prepare(reports, engine=None, progress: bool = True) -> list[str]:
    """The shared per-report stages, run once before the notebooks.

    Parses every report not yet in the cache (``analysis.nlp.run_nlp_stage``
    on ``engine``), fills the per-report caches of citations, time
    expressions, events and claim mentions and TF-IDF terms, and aligns the reports' sentences
    (notebook 02's comparison, read again by notebook 03) with the notebooks' default settings,
    so no notebook parses or extracts what another already did. Returns one
    line per stage for the log.
    """
    from analysis.timeline import mentions
    from analysis.pipeline import nlp
    from analysis.similarity import report_similarity
    from analysis.sources import citations
    from analysis.timeline import temporal

    lines = []
    start = time.perf_counter()
    stats = nlp.run_nlp_stage(reports["text"].tolist(), engine=engine, progress=progress)
    lines.append(str(stats))
    if len(reports):
        t = time.perf_counter()
        cites = citations.extract_citations(reports)
        temporal.time_expressions(reports)
        mentions.report_mentions(reports, cites)  # per-report part only: notebook 03 resolves names, groups claims
        report_similarity.cached_terms_and_spans(reports, keep_names=True)
        lines.append(f"per-report extraction: {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        # notebooks 02 and 03 both read the comparison (03: copied sentences and near-duplicates as evidence of
        # claims and origins): aligned once here, each notebook reads the pairs from the alignment cache
        report_similarity.compare_reports(reports)
        lines.append(f"report comparison: {time.perf_counter() - t:.1f} s")
    lines.append(f"prepared in {time.perf_counter() - start:.1f} s")
    return lines


def run_notebooks(corpus: str | Path | None = None, out: str | Path | None = None,
                  notebooks: list[Path] | None = None, progress: bool = True,
                  parallel: int | None = None) -> list[NotebookRun]:
    """Execute every numbered notebook; returns one ``NotebookRun`` per notebook, in order.

    Accepts the corpus folder and output root (``None`` = seeds and the
    repository, executed in place), an optional subset of notebooks, and how
    many run at once (default: one per core, at most 2). The notebooks read
    the corpus and the shared caches and write disjoint outputs, so their
    order does not change what they write: those that took longest on the
    last run over this corpus start first.
    """
    notebooks = notebooks or notebook_paths()
    in_place = corpus is None and out is None
    parameters = None if in_place else {
        "corpus_dir": str(config.corpus_dir(corpus)),
        "out_dir": str(config.output_paths(out).root),
    }
    out_root = config.output_paths(out).ensure().root
    workers = max(1, min(parallel or min(os.cpu_count() or 1, 2), len(notebooks)))

    def run(source: Path) -> NotebookRun:
        target = source if in_place else out_root / "notebooks" / source.name
        result = execute_notebook(source, target, parameters)
        if progress:
            print(f"  {source.name} done in {result.seconds:.1f} s", flush=True)
        return result

    if progress:
        print(f"running {len(notebooks)} notebooks, {workers} at a time", flush=True)
    timings_key = str(config.corpus_dir(corpus))
    if workers == 1:
        results = [run(source) for source in notebooks]
    else:
        last = last_seconds(timings_key)
        started = sorted(notebooks, key=lambda nb: -last.get(nb.name, 0.0))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {source: pool.submit(run, source) for source in started}
            results = [futures[source].result() for source in notebooks]
    record_seconds(timings_key, results)
    return results


def _timings() -> dict:
    try:
        table = json.loads((config.CACHE_DIR / "notebook-seconds.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return table if isinstance(table, dict) else {}


def last_seconds(corpus_key: str) -> dict[str, float]:
    """Seconds each notebook took on the last run over this corpus (``{}`` before the first run).

    The longest notebooks start first, so two workers finish together
    rather than one waiting on a long notebook started last.
    """
    entry = _timings().get(corpus_key)
    return dict(entry) if isinstance(entry, dict) else {}


def record_seconds(corpus_key: str, runs: list[NotebookRun]) -> None:
    """Keep the seconds of ``runs`` in ``.cache/notebook-seconds.json`` for ``last_seconds`` (one entry per corpus folder)."""
    table = _timings()
    table[corpus_key] = {**last_seconds(corpus_key), **{r.notebook.name: round(r.seconds, 1) for r in runs}}
    atomic.write_json(config.CACHE_DIR / "notebook-seconds.json", table)


def main_run(corpus: str | None, out: str | None, strict: bool, engine: str = "local",
             scheduler: str | None = None, workers: int | None = None) -> int:
    """Command-line entry: load the corpus, run the shared stages on ``engine``, then every notebook.

    Returns an exit code.
    """
    from analysis.corpus.loader import CorpusError, load_corpus

    start = time.perf_counter()
    try:
        loaded = load_corpus(config.corpus_dir(corpus), strict=strict)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"corpus {loaded.root}: {loaded.summary()}")
    for path, reason in loaded.rejected.itertuples(index=False):
        print(f"  rejected {path}: {reason}")
    for path, warning in loaded.warnings.itertuples(index=False):
        print(f"  warning {path}: {warning}")
    try:
        nlp_engine = make_engine(engine, scheduler, workers)
    except (ImportError, OSError, ValueError) as exc:
        print(f"error: cannot start the {engine} engine: {exc}", file=sys.stderr)
        return 2
    try:
        for line in prepare(loaded.reports, nlp_engine):
            print(line, flush=True)
    finally:
        close = getattr(nlp_engine, "close", None)
        if close:
            close()
    try:
        run_notebooks(corpus, out)
    except NotebookFailed as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 1
    paths = config.output_paths(out)
    print(f"tables in {paths.processed}, figures in {paths.figures} ({time.perf_counter() - start:.1f} s in all)")
    return 0


def make_engine(name: str, scheduler: str | None = None, workers: int | None = None):
    """The NLP engine called ``name``: ``"local"`` (``nlp.pipe`` on this machine) or ``"dask"``.

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``); without
    it the Dask engine starts a ``LocalCluster`` of ``workers`` workers.
    """
    if name == "local":
        from analysis.pipeline.nlp import LocalEngine

        return LocalEngine(n_process=workers)
    if name == "dask":
        from analysis.pipeline.dask_engine import DaskEngine

        return DaskEngine(scheduler=scheduler, n_workers=workers)
    raise ValueError(f"unknown engine {name!r} (use 'local' or 'dask')")
