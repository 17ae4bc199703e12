"""Story corpus builder and claim grouping measures; the AQUAINT part skips when the corpus is absent."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evaluation import build_story_corpus as builder
from evaluation import claim_grouping_eval as grouping
from evaluation.semeval_timeline_eval import shared_corpus

FIXTURES = Path(__file__).parent / "fixtures"
AQUAINT = shared_corpus("tempeval3") / "TBAQ-cleaned" / "AQUAINT"


def test_ecb_file_becomes_headline_date_line_body_with_gold_offsets():
    text, url, mentions = builder.read_ecb(FIXTURES / "ecb_mini" / "1" / "1_1ecbplus.xml")
    assert url == "http://example.org"
    assert text.splitlines()[:3] == ["Star checks into rehab", "", "May 03, 2013"]
    assert 'has checked into the "Betty Ford" center, her lawyer said.' in text
    assert [(m["text"], m["chain"]) for m in mentions] == [("checks", "ACT1"), ("checked", "ACT1"),
                                                           ("said", "1_1ecbplus_m3")]
    assert all(text[m["start"]:m["end"]] == m["text"] for m in mentions)


def test_build_writes_reports_manifest_and_gold(tmp_path):
    manifest, gold = builder.build(tmp_path, FIXTURES / "ecb_mini", [1], FIXTURES / "aquaint_mini",
                                   FIXTURES / "aquaint_mini" / "labels.csv")
    assert manifest["file"].tolist() == ["APW19980807.0261.txt", "ecb_1_1ecbplus.txt"]  # the "mixed" one left out
    assert manifest["story"].tolist() == ["embassy", "ecbplus01"]
    wire = (tmp_path / "reports" / "APW19980807.0261.txt").read_text()
    assert wire.startswith("Explosions rock U.S. embassies\n\nNAIROBI") and 'witnesses "said"' in wire
    assert manifest.loc[0, "published"] == "1998-08-07" and manifest.loc[0, "outlet"] == "Associated Press"
    assert len(gold) == 3 and set(gold["story"]) == {"ecbplus01"}


def test_b_cubed_and_purity_measures():
    assert grouping.b_cubed(["a", "a", "b"], ["x", "x", "x"]) == pytest.approx(
        {"b3_p": 100.0, "b3_r": 100 * 5 / 9, "b3_f1": 100 * 2 * (5 / 9) / (1 + 5 / 9)})
    mentions = pd.DataFrame({"report_id": ["r1", "r2", "r3", "r3", "r4"], "lemma": ["sink", "sink", "sink", "go", "go"],
                             "start": ["2000-08-12"] * 3 + ["", ""], "end": ["2000-08-12"] * 3 + ["", ""]})
    stories = {"r1": "kursk", "r2": "kursk", "r3": "other", "r4": "other"}
    scores = grouping.grouping_scores(mentions, pd.Series(["c1", "c1", "c1", "c2", "c3"]), stories)
    assert scores["claims"] == 3 and scores["multi_report_claims"] == 1 and scores["impure_claims"] == 1
    assert scores["mentions_in_impure_share"] == 60.0 and scores["multi_report_share"] == pytest.approx(33.33)
    base = grouping.baseline_claims(mentions)
    assert base.iloc[0] == base.iloc[1] == base.iloc[2] and base.iloc[3] != base.iloc[4]


def test_gold_alignment_follows_the_loader_and_attaches_chains(tmp_path):
    from analysis import load_corpus

    builder.build(tmp_path, FIXTURES / "ecb_mini", [1])
    reports = load_corpus(tmp_path / "reports").reports
    gold = grouping.align_gold(reports, pd.read_csv(tmp_path / "gold_mentions.csv", dtype=str), tmp_path / "reports")
    text = reports.iloc[0]["text"]
    assert [text[a:b] for a, b in zip(gold["start"], gold["end"])] == ["checked", "said"]  # the headline is a title
    at = text.index("checked")
    mentions = pd.DataFrame({"report_id": [reports.iloc[0]["report_id"]] * 2, "trigger_start": [at, -1],
                             "trigger_end": [at + 7, -1]})
    assert grouping.attach_gold(mentions, gold).tolist() == ["ACT1", ""]


@pytest.mark.skipif(not AQUAINT.is_dir(), reason=f"TempEval-3 AQUAINT not found at {AQUAINT}")
def test_aquaint_labels_cover_the_73_reports_and_four_stories(tmp_path):
    labels = pd.read_csv(builder.LABELS, dtype=str)
    assert sorted(labels["report_id"]) == sorted(p.stem for p in AQUAINT.glob("*.tml"))
    manifest, _ = builder.build(tmp_path, aquaint=AQUAINT)
    assert len(manifest) == 72
    assert manifest.groupby("story").size().to_dict() == {"elian": 25, "embassy": 23, "nato": 10, "slepian": 14}
