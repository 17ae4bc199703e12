"""Per-report results of the analysis, cached beside the parse.

Citations, time expressions, TF-IDF terms and sentence spans are computed
from one report's ``Doc`` (and its metadata) alone, so each is cached as a
small JSON file under ``.cache/features/<kind>/``, keyed by

* the report's parse key (text hash, pipeline, ``nlp.EXTRACTION_VERSION``),
* the hash of the source code and data files the result depends on
  (:func:`code_version`), so editing a rule invalidates exactly its results,
* any metadata the result depends on (e.g. the publication date) and settings.

A warm rerun then reads these files and never loads a ``Doc``; a changed or
new report is recomputed alone.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pandas as pd

from analysis import atomic, config
from analysis.pipeline import nlp
from analysis.versions import code_version
from analysis.progress import progress_bar


#: From this many missing reports on, they are computed in parallel processes.
PARALLEL_MIN = 200


def _path(kind: str, key: str) -> Path:
    return config.CACHE_DIR / "features" / kind / key[:2] / f"{key}.json"


def per_report(
    reports: pd.DataFrame,
    kind: str,
    depends: str,
    compute: Callable[[Any, Any], Any],
    extra: Callable[[Any], str] = lambda report: "",
    desc: str | None = None,
    keep: Callable[[Any], Any] = lambda value: value,
) -> list[Any]:
    """One cached result per row of ``reports``, in order.

    ``compute(report, doc)`` gets a row of ``reports`` (a namedtuple) and its
    parsed ``Doc`` and returns a JSON-serialisable value; ``depends`` is a
    fingerprint of everything else the value depends on (code, tables,
    settings); ``extra(report)`` adds per-report metadata to the key. Missing
    results are computed streaming the ``Doc`` objects from the parse cache,
    so at most one ``Doc`` is in memory. ``keep(value)`` is what is held of
    each result, applied as it is read or computed (for instance to share
    repeated strings between reports).
    """
    rows = list(reports.itertuples(index=False))
    ident = nlp.pipeline_id()
    keys = [
        hashlib.sha256(f"{kind}\0{depends}\0{extra(r)}\0{nlp.cache_key(r.text, ident)}".encode()).hexdigest()
        for r in rows
    ]
    results: list[Any] = [None] * len(rows)
    missing = []
    for i, key in enumerate(keys):
        path = _path(kind, key)
        if path.exists():
            results[i] = keep(json.loads(path.read_text(encoding="utf-8")))
        else:
            missing.append(i)
    if missing:
        nlp.run_nlp_stage([rows[i].text for i in missing])
        bar = progress_bar(total=len(missing), desc=desc or kind)
        for i, value in _compute_missing(rows, missing, compute, kind):
            atomic.write_text(_path(kind, keys[i]), json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            results[i] = keep(value)
            bar.update(1)
        bar.close()
    return results


#: The job of the forked workers of :func:`_compute_missing` (inherited through fork, so closures need no pickling).
_JOB: tuple | None = None


class ExtractionError(RuntimeError):
    """A per-report computation failed; the message names the report and the step."""


def _run(compute: Callable, report: Any, doc: Any, kind: str) -> Any:
    try:
        return compute(report, doc)
    except Exception as exc:  # name the report: on 10,000 reports a bare traceback says nothing useful
        raise ExtractionError(f"{kind} failed on report {report.report_id!r}: {type(exc).__name__}: {exc}") from exc


def _work(i: int) -> tuple[int, Any]:
    rows, compute, kind = _JOB
    doc = next(nlp.iter_docs([rows[i].text], progress=False))
    return i, _run(compute, rows[i], doc, kind)


def _compute_missing(rows: list, missing: list[int], compute: Callable, kind: str) -> Iterator[tuple[int, Any]]:
    """``(i, compute(rows[i], doc))`` for each missing report, in order.

    Many missing reports on a multi-core machine are shared among forked
    worker processes (outside Jupyter kernels, whose threads do not survive a
    fork); otherwise one ``Doc`` at a time is streamed from the parse cache.
    """
    global _JOB
    workers = min(os.cpu_count() or 1, 8)
    fork_ok = "fork" in multiprocessing.get_all_start_methods() and "ipykernel" not in sys.modules
    if len(missing) < PARALLEL_MIN or workers < 2 or not fork_ok:
        docs = nlp.iter_docs([rows[i].text for i in missing], progress=False)
        yield from ((i, _run(compute, rows[i], doc, kind)) for i, doc in zip(missing, docs))
        return
    nlp.load_nlp()  # loaded once, before the fork, shared by the workers
    _JOB = (rows, compute, kind)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_work, missing, chunksize=8)
    finally:
        _JOB = None


def rows_frame(reports: pd.DataFrame, results: Sequence[list[dict]], columns: Sequence[str]) -> pd.DataFrame:
    """Stack per-report lists of row dicts into one frame with ``report_id`` first, then ``columns``."""
    records = [{"report_id": rid, **row} for rid, rows in zip(reports["report_id"], results) for row in rows]
    return pd.DataFrame(records, columns=["report_id", *[c for c in columns if c != "report_id"]])
