"""Notebook 03's opening statement, written from the time expressions, events and claims (issue 26, item 1)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_corpus, prose
from analysis.pipeline.nlp import parse_reports
from analysis.sources.citations import extract_citations
from analysis.timeline import claims, events, temporal
from analysis.similarity.report_similarity import compare_reports
from analysis.timeline.findings import timeline_findings

FIXTURES = Path(__file__).parent / "fixtures"


def findings_of(reports: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    cites = extract_citations(reports)
    expressions = temporal.time_expressions(reports)
    tables = claims.build_claim_tables(reports, citations=cites, similarity=compare_reports(reports))
    return expressions, tables.events, tables, timeline_findings(reports, expressions, tables)


@pytest.fixture(scope="module")
def seeds():
    reports = load_corpus(None).reports
    return (reports, *findings_of(reports))


def test_seeds_events_and_why_some_stay_unresolved(seeds):
    _, expressions, found, _, text = seeds
    placed = int(((found["start"] != "") | (found["end"] != "")).sum())
    assert text.startswith(f"{len(expressions)} time expressions yield **{len(found)} dated alleged events** in five "
                           f"reports, of which {placed} have a resolved interval. The other {len(found) - placed} are "
                           "relative (“last month”, “Monday”, ")
    assert ("in reports without a publication date — only *The New Arab — EXCLUSIVE: Israeli military ‘secretly…* is "
            "dated, 7 December 2019; the 4 March 2024 banner of *Haftar and Russia agreement … Where it…* is the "
            "site's header, not a publication date — so they stay unresolved instead of being guessed.") in text


def test_seeds_claims_told_by_several_reports(seeds):
    _, _, found, tables, text = seeds
    claim_table = tables.claims
    several = claim_table[claim_table["n_reports"] >= 2].sort_values(["start", "claim_id"])
    # the 2015-2016 talks in Jordan: 001 (Al-Jarida quoting The New Arab) and 002 (the Jerusalem Post's account)
    talks = several[several["start"] == "2015-01-01"]
    assert len(talks) == 1 and talks["reports"].iloc[0] == "001_292d3e5d46efdbf2; 002_da6047f014b8b818"
    assert talks["independent_origins"].iloc[0] == 2
    assert (f"Of {len(claim_table)} claims (every happening a sentence alleges, dated or not), "
            f"{prose.number(len(several))} are told by several reports: ") in text
    assert (f"“{prose.escape(talks['statement'].iloc[0])}” (2015–2016), told by *Libya: Algiers wants to calm the "
            "game* (source: Al-Jarida; The New Arab) and *Global Research — New Reports Suggest Libyan Warlord…* "
            "(source: The Jerusalem Post; unnamed Arab newspaper) — **two independent origins**") in text
    assert "every other claim is told by one report." in text
    hedged = int(found["hedged"].sum())
    unsourced = int((found["source_type"] == "unattributed").sum())
    anonymous = int(found["source_type"].str.contains("anonymous").sum())
    assert text.endswith(f"{hedged} of the {len(found)} events are hedged, {unsourced} name no source in their "
                         f"sentence and {anonymous} rest wholly or partly on anonymous sources.")


def test_a_corpus_without_dates_says_so():
    reports = load_corpus(FIXTURES / "findings_bare").reports
    expressions, found, tables, text = findings_of(reports)
    assert expressions.empty and found.empty
    assert text.startswith("The reports contain no time expression: no alleged event can be placed in time. ")
    # undated claims are still told: none of these three unrelated reports tells another's happening
    assert (tables.claims["n_reports"] == 1).all()
    assert text.endswith(f"None of the {prose.count(len(tables.claims), 'claim')} is told by more than one report: "
                         "each rests on a single report.")


def test_a_single_report(tmp_path):
    shutil.copy(FIXTURES / "findings_bare" / "harbour.txt", tmp_path)
    *_, tables, text = findings_of(load_corpus(tmp_path).reports)
    assert text.startswith("The report contains no time expression: no alleged event can be placed in time. ")
    assert text.endswith(f"With one report, {'the claim rests' if len(tables.claims) == 1 else 'each of the ' + prose.count(len(tables.claims), 'claim') + ' rests'} on it alone.")


def test_a_single_dated_report(tmp_path):
    (tmp_path / "visit.txt").write_text("Minister visits Cairo\n\nThe minister met officials in Cairo in 2015 and "
                                        "visited Amman in 2016.\n", encoding="utf-8")
    _, found, tables, text = findings_of(load_corpus(tmp_path).reports)
    assert f"**{prose.count(len(found), 'dated alleged event')}** in one report" in text
    assert f"With one report, each of the {prose.count(len(tables.claims), 'claim')} rests on it alone." in text


def test_no_report_and_expressions_without_events():
    empty = load_corpus(FIXTURES / "findings_bare").reports.iloc[:0]
    assert timeline_findings(empty, pd.DataFrame(), claims.build_claim_tables(empty)) == \
        "No report to analyse: nothing to place in time."
    reports = load_corpus(FIXTURES / "findings_bare").reports
    expressions = pd.DataFrame({"report_id": [reports["report_id"].iloc[0]], "date_text": ["for two decades"]})
    tables = claims.build_claim_tables(reports, citations=extract_citations(reports))
    assert tables.events.empty
    assert timeline_findings(reports, expressions, tables).startswith(
        "One time expression, but none dates an alleged event (durations, datelines and references to the present "
        "are not events): there is nothing to put on a timeline.")


def test_a_scoop_repeated_by_several_reports_is_one_origin():
    reports = pd.read_csv(FIXTURES / "reports_small.csv", dtype=str, keep_default_na=False)
    reports["banner_date"] = ""
    cites = pd.read_csv(FIXTURES / "citations_small.csv", keep_default_na=False,
                        dtype={"report_id": str, "source": str, "source_canonical": str, "source_type": str,
                               "cue": str, "via": str, "sentence": str})
    docs = parse_reports(reports, cache_dir=False)
    tables = claims.build_claim_tables(reports, docs=docs, citations=cites)
    text = timeline_findings(reports, temporal.time_expressions(reports, docs), tables)
    # r1 and r2 both have the meeting from the Daily Scoop; r3 names no source: two origins for three reports
    assert "told by *Outlet A — Report r1* (source: Daily Scoop), *Outlet B — Report r2* (source: Daily Scoop) and " \
           "*Outlet C — Report r3* (naming no source)" in text
    assert "— but only **two independent origins**: some of them rest on the same source" in text
    assert "all with a resolved interval" in text
