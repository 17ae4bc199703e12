"""The TempEval-3 evaluation: the official scorer's pairing and measures, the TimeML writer, and the real
corpus (skipped when ../shared/corpora/tempeval3 is absent).

The expected figures of the pairing tests are those the official toolkit (TE3-evaluation.py with its
TimeML-Normalizer) gives on the same annotations; see README "TempEval-3".
"""
from __future__ import annotations

import re

import pytest

from evaluation import tempeval_eval, timeml_writer
from evaluation.tempeval_eval import Timex

CORPUS = tempeval_eval.DEFAULT_CORPUS
needs_corpus = pytest.mark.skipif(not (CORPUS / "te3-platinum").is_dir(),
                                  reason=f"TempEval-3 corpus not found at {CORPUS}")


def _t(text, phrase, value="", type_="DATE", occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return Timex(start, start + len(phrase), value, phrase, type_)


def test_scorer_counts_strict_relaxed_value_and_type():
    text = "In 2015 and in late November 2019, and 30 days on."
    gold = [_t(text, "2015", "2015"), _t(text, "late November 2019", "2019-11")]
    pred = [_t(text, "2015", "2015"), _t(text, "November 2019", "2019-10"), _t(text, "30 days", "P30D", "DURATION")]
    m = tempeval_eval.score([(gold, pred)])
    assert (m["n_strict"], m["n_relaxed"], m["n_value"], m["n_type"]) == (1, 2, 1, 2)
    assert m["strict_p"] == pytest.approx(100 / 3) and m["strict_r"] == pytest.approx(50)
    assert m["relaxed_p"] == pytest.approx(200 / 3) and m["relaxed_r"] == pytest.approx(100)
    assert m["value_accuracy"] == pytest.approx(50) and m["type_accuracy"] == pytest.approx(100)
    assert m["value_f1"] == pytest.approx(0.5 * m["relaxed_f1"])


def test_a_prediction_spanning_two_gold_expressions_matches_only_the_first():
    # te3-platinum WSJ_20130321_1145: gold "eight years" + "now", ours "eight years from now"
    text = "before he is 40, eight years from now. Medical science"
    gold = [_t(text, "eight years", "P8Y", "DURATION"), _t(text, "now", "PRESENT_REF")]
    pred = [_t(text, "eight years from now", "2021")]
    assert tempeval_eval.official_pairs(gold, pred) == [(0, 0)]
    m = tempeval_eval.score([(gold, pred)])
    assert (m["relaxed_r"], m["relaxed_p"], m["n_value"]) == (50, 100, 0)


def test_two_predictions_inside_one_gold_expression_count_once():
    text = "The talks ended Monday night at 9 p.m. there."
    gold = [_t(text, "Monday night at 9 p.m.", "2013-03-18T21:00", "TIME")]
    pred = [_t(text, "Monday night", "2013-03-18TNI", "TIME"), _t(text, "9 p.m.", "2013-03-18T21:00", "TIME")]
    assert tempeval_eval.official_pairs(gold, pred) == [(0, 0)]
    m = tempeval_eval.score([(gold, pred)])
    assert (m["n_relaxed"], m["n_strict"], m["n_value"]) == (1, 0, 0)
    assert m["relaxed_p"] == pytest.approx(50) and m["relaxed_r"] == pytest.approx(100)


def test_a_gold_expression_beginning_inside_a_prediction_is_its_pair():
    text = "It rose the previous three months to a peak."
    gold = [_t(text, "three months", "P3M", "DURATION")]
    pred = [_t(text, "the previous three months", "P3M", "DURATION")]
    assert tempeval_eval.official_pairs(gold, pred) == [(0, 0)]
    assert tempeval_eval.official_pairs(gold, []) == [] and tempeval_eval.official_pairs([], pred) == []
    m = tempeval_eval.score([(gold, pred)])
    assert (m["n_strict"], m["n_relaxed"], m["n_value"]) == (0, 1, 1)


def test_values_are_compared_exactly_as_the_official_script_does():
    text = "They met on Monday."
    gold = [_t(text, "Monday", "2013-03-18")]
    assert tempeval_eval.score([(gold, [_t(text, "Monday", "2013-03-18 ")])])["n_value"] == 0
    assert tempeval_eval.score([(gold, [_t(text, "Monday", "2013-03-18")])])["n_value"] == 1


def test_writer_keeps_the_text_and_holds_no_overlaps(tmp_path):
    gold_file = tmp_path / "doc.tml"
    gold_file.write_text(
        '<?xml version="1.0" ?><TimeML>\n<DOCID>doc</DOCID>\n<DCT><TIMEX3 tid="t0" type="DATE" value="2013-03-22" '
        'functionInDocument="CREATION_TIME">March 22, 2013</TIMEX3></DCT>\n<TEXT>\nAT&amp;T said <TIMEX3 tid="t1" '
        'type="DATE" value="2013-03-21">Thursday</TIMEX3> its "Q4" <EVENT eid="e1" class="OCCURRENCE">rose</EVENT>.\n'
        '</TEXT>\n<TLINK lid="l1" relType="BEFORE" timeID="t1" relatedToTime="t0"/>\n</TimeML>\n', encoding="utf-8")
    doc = tempeval_eval.load_timeml(gold_file)
    assert doc.text == '\nAT&T said Thursday its "Q4" rose.\n' and doc.gold[0].type == "DATE"
    ours = [_t(doc.text, "Thursday", "2013-03-21"), _t(doc.text, "Thursday its", "XXXX"),
            _t(doc.text, "its \"Q4", "XXXX"), _t(doc.text, "Q4", "2012-Q4")]
    kept = timeml_writer.non_overlapping(ours)
    assert [t.text for t in kept] == ["Thursday its", "Q4"]  # the first, the longest of those starting there
    written = timeml_writer.write_split([gold_file], [doc.text], [kept], tmp_path / "out")
    assert [p.name for p in written] == ["doc.tml"]
    assert (tmp_path / "out" / "gold" / "doc.tml").read_bytes() == gold_file.read_bytes()
    again = tempeval_eval.load_timeml(written[0])
    assert again.text == doc.text and again.dct == doc.dct
    assert [(t.start, t.end, t.value, t.type) for t in again.gold] == [(t.start, t.end, t.value, t.type)
                                                                        for t in kept]
    raw = written[0].read_text(encoding="utf-8")
    assert "<EVENT" not in raw and "<TLINK" not in raw and '<DCT><TIMEX3 tid="t0"' in raw
    assert re.findall(r'tid="(t\d+)"', raw) == ["t0", "t1", "t2"]


@needs_corpus
def test_te3_platinum_subset_beats_dateparser(tmp_path):
    docs = tempeval_eval.load_split(CORPUS, "te3-platinum", limit=8)
    assert all(d.text[g.start:g.end] == g.text for d in docs for g in d.gold)
    results = tempeval_eval.evaluate(CORPUS, "te3-platinum", limit=8, write_timeml=tmp_path)
    ours, baseline = results["analysis.temporal"], results["dateparser.search_dates"]
    # measured on all 20 documents: see README "TempEval-3"; a subset keeps the test fast
    assert ours["relaxed_f1"] > 75 and ours["strict_f1"] > 60 and ours["value_f1"] > 45, ours
    assert ours["value_f1"] > baseline["value_f1"] and ours["strict_f1"] > baseline["strict_f1"]
    # what was written is what was scored
    written = sorted((tmp_path / "system").glob("*.tml"))
    assert len(written) == 8 and len(list((tmp_path / "gold").glob("*.tml"))) == 8
    rescored = tempeval_eval.score([(d.gold, tempeval_eval.load_timeml(w).gold) for d, w in zip(docs, written)])
    assert rescored["n_relaxed"] == ours["n_relaxed"] and rescored["n_value"] == ours["n_value"]
    assert rescored["strict_f1"] == pytest.approx(ours["strict_f1"])
