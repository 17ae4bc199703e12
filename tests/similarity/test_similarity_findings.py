"""Notebook 02's opening statement, written from the comparison of the reports (issue 26, item 1)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_corpus, prose
from analysis.similarity import report_similarity as rs
from analysis.similarity.findings import PAIR_FLAGS, flagged_pairs, longest_shared_run, similarity_findings

FIXTURES = Path(__file__).parent / "fixtures"
HOR_PHRASE = "the commander of the army of the House of Representatives (HoR), General Khalifa Haftar"


def findings_of(folder: Path) -> tuple[rs.Comparison, str]:
    reports = load_corpus(folder).reports
    comparison = rs.compare_reports(reports)
    return comparison, similarity_findings(comparison, reports)


def test_seeds_say_what_the_hand_written_statement_said():
    comparison, text = findings_of(None)
    low, high = comparison.pairs["cosine"].min(), comparison.pairs["cosine"].max()
    assert text.startswith("No report copies another. ")
    assert (f"All ten cosines lie between {low:.2f} and {high:.2f} (the highest: *Global Research — New Reports "
            "Suggest Libyan Warlord…* and *The New Arab — EXCLUSIVE: Israeli military ‘secretly…*, through GNA, "
            "Haftar, Israeli, UAE), and no pair shares copied or rewritten sentences, so none is a near-duplicate.") \
        in text
    assert ("One pair carries a passage of shared prose (their own wording, not a quotation): *LIBYAPROSPECT — Algeria "
            "worried from cooperation…* and *Haftar and Russia agreement … Where it…* share a 14-word run, "
            f"“{prose.escape(HOR_PHRASE)}”, found in no other report (an outlet unknown: house style or copy left "
            "open).") in text
    assert "quotation (words both took" not in text


def test_near_duplicates_and_shared_phrasing_are_told(tmp_path):
    for path in FIXTURES.glob("*.txt"):  # the similarity fixtures: a syndicated copy and one outlet's formula
        shutil.copy(path, tmp_path)
    comparison, text = findings_of(tmp_path)
    copies = comparison.pairs[comparison.pairs["near_duplicate"]]
    assert len(copies) == 1 and text.startswith("Two reports copy each other. ")
    assert "One pair is a near-duplicate (copied or rewritten sentences cover at least half of one report): " in text
    assert f"({copies['shared_share'].iloc[0]:.0%} shared)" in text
    flagged = comparison.pairs[comparison.pairs["shared_prose"]]
    assert len(flagged) >= 1
    noun = "passage of shared prose (their own wording, not a quotation)"
    assert (f"One pair carries a {noun}" if len(flagged) == 1 else
            f"{prose.count(len(flagged), 'pair', capital=True)} carry a {noun}") in text
    assert "“the Misrata Free Zone, the largest commercial port in western Libya outside the capital”" in text
    # the formula is in the syndicated copy too: the findings say so rather than "found in no other report"
    assert "also found in one other report" in text and "found in no other report" not in text


def test_a_corpus_where_nothing_is_copied_says_so():
    comparison, text = findings_of(FIXTURES / "findings_bare")
    assert text.startswith("No report copies another. All three cosines lie between ")
    assert text.endswith("and no pair shares copied or rewritten sentences, so none is a near-duplicate.")
    assert "shared prose" not in text and "shared quotation" not in text


def test_a_single_report_has_nothing_to_compare(tmp_path):
    shutil.copy(FIXTURES / "findings_bare" / "bread.txt", tmp_path)
    assert findings_of(tmp_path)[1] == "The corpus has one report: nothing to compare."


def test_no_report():
    empty = load_corpus(FIXTURES / "findings_bare").reports.iloc[:0]
    assert similarity_findings(rs.compare_reports(empty), empty) == "No report to analyse: nothing to compare."


def test_two_reports():
    two = load_corpus(FIXTURES / "findings_bare").reports.iloc[:2]
    text = similarity_findings(rs.compare_reports(two), two)
    assert text.startswith("No report copies another. The cosine of the two reports is ")
    assert "they share no copied or rewritten sentence, so they are not near-duplicates" in text


def test_flags_are_read_from_the_flag_table():
    pairs = pd.DataFrame({"report_a": ["a", "a"], "report_b": ["b", "c"], "cosine": [0.9, 0.3],
                          "near_duplicate": [True, False], "shared_prose": [False, True],
                          "shared_quotation": [False, False]})
    flagged = flagged_pairs(pairs)
    assert list(flagged) == list(PAIR_FLAGS)
    assert flagged["near_duplicate"]["report_b"].tolist() == ["b"]
    assert flagged["shared_prose"]["report_b"].tolist() == ["c"]
    assert flagged["shared_quotation"].empty
    assert flagged_pairs(pairs.drop(columns=["shared_prose", "shared_quotation"])).keys() == {"near_duplicate"}


@pytest.mark.parametrize("a, b, run", [
    ("Algeria warned the commander of the army of the House of Representatives (HoR), General Khalifa Haftar, on "
     "Monday.", f"Sources said {HOR_PHRASE} met officials.", HOR_PHRASE),
    ("Nothing shared here.", "Completely different words.", ""),
    ("THE PORT reopened.", "The port reopened today.", "THE PORT reopened"),
])
def test_longest_shared_run(a, b, run):
    assert longest_shared_run(a, b) == run
