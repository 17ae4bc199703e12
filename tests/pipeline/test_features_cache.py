"""Per-report results cached beside the parse: same tables as from Docs, reused on reruns, recomputed per change."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.timeline import claims
from analysis import config, versions
from analysis.pipeline import nlp
from analysis.similarity import report_similarity
from analysis.sources import citations
from analysis.timeline import temporal

FIXTURES = Path(__file__).parents[1] / "timeline" / "fixtures"


@pytest.fixture()
def reports():
    frame = pd.read_csv(FIXTURES / "reports_small.csv", dtype=str, keep_default_na=False)
    return frame.sort_values("report_id").reset_index(drop=True)


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    return tmp_path


def _tables(reports, docs=None):
    cites = citations.extract_citations(reports, docs)
    found, claim_table = claims.build_claims(reports, docs, cites)
    settings = report_similarity.SimilaritySettings()
    comparison = report_similarity.compare_reports(reports, settings, docs)
    # the large-corpus path too (top-k, LSH, aligned pairs cached one by one)
    top_k = report_similarity.compare_reports(
        reports, report_similarity.SimilaritySettings(all_pairs_max_reports=2, top_k=1, align_min_cosine=0.0), docs)
    return {
        "pairs (top-k)": top_k.pairs,
        "passages (top-k)": top_k.passages,
        "citations": cites,
        "time": temporal.time_expressions(reports, docs),
        "events": found,
        "claims": claim_table,
        "pairs": comparison.pairs,
        "passages": comparison.passages,
        "terms": comparison.top_terms,
    }


def test_cached_tables_equal_the_tables_computed_from_docs(reports, cache):
    from_docs = _tables(reports, nlp.parse_reports(reports, cache_dir=False))
    cold = _tables(reports)
    for name, frame in from_docs.items():
        pd.testing.assert_frame_equal(cold[name], frame, obj=name)
    assert any((cache / "features").rglob("*.json"))


def test_warm_rerun_loads_no_doc(reports, cache, monkeypatch):
    cold = _tables(reports)

    def no_docs(*args, **kwargs):
        raise AssertionError("a warm rerun must not load a Doc")

    monkeypatch.setattr(nlp, "iter_docs", no_docs)
    warm = _tables(reports)
    for name, frame in cold.items():
        pd.testing.assert_frame_equal(warm[name], frame, obj=name)


def test_a_changed_report_is_recomputed_alone(reports, cache, monkeypatch):
    citations.extract_citations(reports)
    computed = []
    real = nlp.iter_docs

    def counting(texts, *args, **kwargs):
        texts = list(texts)
        computed.extend(texts)
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(nlp, "iter_docs", counting)
    changed = reports.copy()
    changed.loc[0, "text"] = changed.loc[0, "text"] + " Officials said the talks resumed in Cairo."
    citations.extract_citations(changed)
    assert computed == [changed.loc[0, "text"]]


def test_key_depends_on_metadata_the_result_uses(reports, cache):
    temporal.time_expressions(reports)
    n_files = len(list((cache / "features" / "time_expressions").rglob("*.json")))
    redated = reports.assign(published="2001-01-01")
    temporal.time_expressions(redated)
    assert len(list((cache / "features" / "time_expressions").rglob("*.json"))) == 2 * n_files


def test_code_version_changes_with_the_source(tmp_path, monkeypatch):
    (tmp_path / "rules.py").write_text("A = 1\n")
    monkeypatch.setattr(config, "PACKAGE_DIR", tmp_path)
    versions.code_version.cache_clear()
    before = versions.code_version("rules.py")
    (tmp_path / "rules.py").write_text("A = 2\n")
    versions.code_version.cache_clear()
    assert versions.code_version("rules.py") != before
    versions.code_version.cache_clear()


def test_loaded_corpus_is_cached_and_follows_the_files(tmp_path, monkeypatch):
    import shutil

    import analysis
    from analysis.corpus import loader as corpus_module

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    folder = tmp_path / "reports"
    shutil.copytree(Path(__file__).parents[1] / "corpus" / "fixtures" / "mixed", folder)
    first = analysis.load_corpus(folder)
    calls = []
    real = corpus_module._load_uncached
    monkeypatch.setattr(corpus_module, "_load_uncached", lambda *a: calls.append(a) or real(*a))
    again = analysis.load_corpus(folder)
    assert calls == []  # unchanged folder: read from the cache
    for name in ("all_reports", "rejected", "inputs", "warnings"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name), obj=name)
    (folder / "added.txt").write_text("A new report\n\nOfficials said on Monday that the talks in Cairo would resume.\n")
    changed = analysis.load_corpus(folder)
    assert len(calls) == 1 and len(changed.reports) == len(first.reports) + 1


def test_a_failing_report_is_named(reports, cache):
    from analysis.pipeline import features

    def broken(report, doc):
        raise IndexError("list index out of range")

    with pytest.raises(features.ExtractionError, match=reports.loc[0, "report_id"]):
        features.per_report(reports, "broken", "test", broken)
