"""Evaluation of issue 4 on real corpora (skipped when ../shared/corpora is absent) and its metrics."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.similarity import report_similarity
from evaluation import basil_eval, bbc_duplicates_eval


def test_neighbour_scores_on_a_toy_matrix():
    groups = ["a", "a", "a", "b", "b", "b"]
    sims = np.full((6, 6), 0.1)
    sims[:3, :3] = sims[3:, 3:] = 0.9
    assert basil_eval.neighbour_scores(sims, groups) == {"top1": 1.0, "recall_at_2": 1.0}
    sims[0, 3] = sims[3, 0] = 0.95  # 0 and 3 now prefer each other
    scores = basil_eval.neighbour_scores(sims, groups)
    assert scores == {"top1": pytest.approx(4 / 6), "recall_at_2": pytest.approx(4 / 6)}


def test_duplicate_ground_truth_pairs():
    import pandas as pd

    reports = pd.DataFrame({"report_id": ["a", "b", "c", "d"], "text": ["x  y", "x y", "x y", "z"]})
    assert bbc_duplicates_eval.duplicate_pairs(reports) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert bbc_duplicates_eval.duplicate_pairs(reports, normalise_whitespace=False) == {("b", "c")}


@pytest.fixture(scope="module")
def basil_dir():
    if not (basil_eval.DEFAULT_CORPUS / "articles").is_dir():
        pytest.skip(f"BASIL corpus absent ({basil_eval.DEFAULT_CORPUS}); evaluation skipped")
    return basil_eval.DEFAULT_CORPUS


@pytest.fixture(scope="module")
def bbc_dir():
    if not (bbc_duplicates_eval.DEFAULT_CORPUS / "bbc_news.csv").is_file():
        pytest.skip(f"BBC News corpus absent ({bbc_duplicates_eval.DEFAULT_CORPUS}); evaluation skipped")
    return bbc_duplicates_eval.DEFAULT_CORPUS


def test_basil_neighbours_are_the_triplet(basil_dir):
    # 20 triplets keep the test quick; `python -m evaluation.basil_eval` measures all 100.
    scores = basil_eval.evaluate(basil_dir, triplets=20, analyzers=("spacy",)).set_index("method")
    ours = scores.loc["toolkit (spacy)"]
    baseline = scores.loc["scikit-learn TfidfVectorizer() defaults"]
    assert ours["articles"] == 60 and ours["triplets"] == 20
    assert ours["top1"] >= 0.9 and ours["recall_at_2"] >= 0.8
    assert ours["top1"] >= baseline["top1"]


def test_bbc_duplicates_are_flagged(bbc_dir):
    reports = bbc_duplicates_eval.load_bbc(bbc_dir)
    assert len(reports) == 2225
    assert len(bbc_duplicates_eval.duplicate_pairs(reports, normalise_whitespace=False)) == 133
    # One category with the regex analyzer keeps the test quick; still > 300 reports, so the
    # large-corpus path (blocked top-k + MinHash LSH) runs. The script measures the whole corpus.
    tech = reports[reports["category"] == "tech"].reset_index(drop=True)
    counts, false = bbc_duplicates_eval.evaluate(tech, report_similarity.SimilaritySettings(analyzer="regex"))
    assert counts["path"] == "top-k"
    assert counts["duplicate_pairs"] == 64 and counts["missed_duplicates"] == 0
    # Flagged non-duplicates are re-edited versions of one story: most of their sentences are verbatim copies.
    assert (false["shared_share"] >= 0.5).all()
    assert counts["flagged_not_duplicates_with_3plus_verbatim_sentences"] >= 0.8 * counts["flagged_not_duplicates"]
