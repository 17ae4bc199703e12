"""The extractor against the hand-labelled attributions of the five seeds (issue 3)."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import config
from analysis.sources import citations
from evaluation import citations_seed_gold as gold_eval


@pytest.fixture(scope="module")
def scored():
    reports = analysis.load_corpus(config.SEEDS_DIR).reports
    gold = gold_eval.locate_gold(pd.read_csv(gold_eval.GOLD_CSV, dtype=str, keep_default_na=False), reports)
    result, _, _ = gold_eval.score(citations.extract_citations(reports), gold)
    return gold, result


def test_gold_file_locates_almost_every_label(scored):
    gold, _ = scored
    # one label sits in a 'Check also' teaser that the loader removes as boilerplate
    assert len(gold) >= 50


@pytest.mark.parametrize("metric", ["source", "source+type"])
def test_precision_and_recall_on_the_seeds(scored, metric):
    _, result = scored
    assert result[metric]["precision"] >= 0.85, result[metric]
    assert result[metric]["recall"] >= 0.85, result[metric]
