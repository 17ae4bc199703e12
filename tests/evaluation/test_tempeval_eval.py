"""The TempEval-3 evaluation script on the real corpus (skipped when ../shared/corpora/tempeval3 is absent)."""
from __future__ import annotations

import pytest

from evaluation import tempeval_eval

CORPUS = tempeval_eval.DEFAULT_CORPUS


def test_scorer_counts_strict_relaxed_and_value():
    gold = [tempeval_eval.Timex(0, 4, "2015"), tempeval_eval.Timex(10, 20, "2019-11")]
    pred = [tempeval_eval.Timex(0, 4, "2015"), tempeval_eval.Timex(6, 12, "2019-10"),
            tempeval_eval.Timex(30, 35, "P1Y")]
    m = tempeval_eval.score([(gold, pred)])
    assert m["strict_p"] == pytest.approx(100 / 3) and m["strict_r"] == pytest.approx(50)
    assert m["relaxed_p"] == pytest.approx(200 / 3) and m["relaxed_r"] == pytest.approx(100)
    assert m["value_accuracy"] == pytest.approx(50)
    assert m["value_f1"] == pytest.approx(0.5 * m["relaxed_f1"])


@pytest.mark.skipif(not (CORPUS / "te3-platinum").is_dir(), reason=f"TempEval-3 corpus not found at {CORPUS}")
def test_te3_platinum_subset_beats_dateparser():
    docs = tempeval_eval.load_split(CORPUS, "te3-platinum", limit=8)
    assert all(d.text[g.start:g.end] == g.text for d in docs for g in d.gold)
    results = tempeval_eval.evaluate(CORPUS, "te3-platinum", limit=8)
    ours, baseline = results["analysis.temporal"], results["dateparser.search_dates"]
    # measured on all 20 documents: see the closing note; a subset keeps the test fast
    assert ours["relaxed_f1"] > 75 and ours["strict_f1"] > 60 and ours["value_f1"] > 45, ours
    assert ours["value_f1"] > baseline["value_f1"] and ours["strict_f1"] > baseline["strict_f1"]
