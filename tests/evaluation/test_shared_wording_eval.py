"""Evaluation of issue 27, item 7: the BASIL export and the counts before and after (BASIL itself skipped when absent)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.similarity import report_similarity
from evaluation import basil_eval, basil_export, shared_wording_eval

MINI = Path(__file__).parent / "fixtures" / "basil_mini"


def test_the_export_is_read_with_outlet_date_and_url(tmp_path):
    out = tmp_path / "export" / "basil.jsonl"
    assert basil_export.write_export(MINI, out) == 2
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["outlet"] for r in records] == ["New York Times", "Fox News"]
    reports = analysis.load_corpus(out.parent).reports
    assert reports["outlet"].tolist() == ["New York Times", "Fox News"]
    assert reports["published"].tolist() == ["2015-03-04"] * 2
    assert reports["url"].tolist() == ["https://example.org/nyt/port-strike", "https://example.org/fox/port-strike"]
    counts, comparison = shared_wording_eval.evaluate(reports, report_similarity.SimilaritySettings(analyzer="regex"))
    # the one pair shares the union leader's words, curly marks in one, straight in the other
    assert counts["before_house_style"] == counts["before_other_outlets"] == 1
    assert counts["after_quotation_only"] == 1 and counts["after_prose_other_outlets"] == 0
    assert comparison.passages["kind"].tolist() == ["quotation"]


def test_pair_classes():
    pairs = pd.DataFrame({
        "shared_passages": [2, 1, 1, 3, 0, 5], "near_duplicate": [False, False, False, False, False, True],
        "shared_prose": [True, True, False, False, False, False], "shared_quotation": [True, False, True, False, False, False],
        "same_outlet": pd.array([True, False, None, False, True, True], dtype="boolean")})
    assert shared_wording_eval.pair_classes(pairs).tolist() == [
        "prose_same_outlet", "prose_other_outlets", "quotation_only", "common_only", "", ""]


def test_basil_cross_outlet_passages_are_mostly_quotations(tmp_path):
    if not (basil_eval.DEFAULT_CORPUS / "articles").is_dir():
        pytest.skip(f"BASIL corpus absent ({basil_eval.DEFAULT_CORPUS}); evaluation skipped")
    # 20 events keep the test quick (the regex analyzer, no parse); the script measures all 100
    basil_export.write_export(basil_eval.DEFAULT_CORPUS, tmp_path / "basil.jsonl", triplets=20)
    reports = analysis.load_corpus(tmp_path).reports
    counts, _ = shared_wording_eval.evaluate(reports, report_similarity.SimilaritySettings(analyzer="regex"))
    after = sum(counts[f"after_{c}"] for c in shared_wording_eval.CLASSES)
    assert counts["reports"] == 60 and after == counts["before_house_style"] > 0
    assert counts["after_quotation_only"] > counts["after_prose_other_outlets"]
