"""Notebook 01's opening statement, written from the publisher, citation and root-source tables (issue 26, item 1)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_corpus, prose
from analysis.labels import report_labels
from analysis.sources import citation_graph, citations, publishers
from analysis.sources.cue_words import CITATION_COLUMNS
from analysis.sources.findings import MAX_REPORTS_DESCRIBED, source_findings

FIXTURES = Path(__file__).parent / "fixtures"


def findings_of(reports: pd.DataFrame, cites: pd.DataFrame | None = None) -> str:
    cites = citations.extract_citations(reports) if cites is None else cites
    return source_findings(reports, cites, publishers.publishers(reports), citation_graph.root_sources(cites, reports))


@pytest.fixture(scope="module")
def seeds():
    reports = load_corpus(None).reports
    cites = citations.extract_citations(reports)
    return reports, cites, findings_of(reports, cites)


def test_seeds_publishers(seeds):
    _, _, text = seeds
    assert ("* **Publishers.** Four outlets are identified: *LIBYAPROSPECT* and *The New Arab* published one report "
            "each; *MintPress News* is the original outlet of a report that *Global Research* republished (each "
            "counted in its role). The outlet of two reports is unknown: *Libya: Algiers wants to calm the game* and "
            "*Haftar and Russia agreement … Where it…*.") in text


def test_seeds_what_the_reports_rest_on(seeds):
    reports, cites, text = seeds
    labels = report_labels(reports)

    def n(rid, typ=None):
        rows = cites[cites["report_id"].str.startswith(rid)]
        return len(rows) if typ is None else int((rows["source_type"] == typ).sum())

    def label(rid):
        return prose.name(labels[next(r for r in reports["report_id"] if r.startswith(rid))])

    assert f"{len(cites)} attributed statements, found in all five reports" in text
    # the Russia story and The New Arab's report rest mostly on anonymous sources, most anonymous first
    assert (f"{label('004')} rests on anonymous sources for {n('004', 'anonymous')} of its {n('004')} statements, "
            f"{label('003')} for {n('003', 'anonymous')} of {n('003')}") in text
    dzayer = int(((cites["report_id"].str.startswith("000")) & (cites["source_canonical"] == "Dzayer Info")).sum())
    assert f"{label('000')} rests on one source, Dzayer Info (media), for {dzayer} of its {n('000')} statements" in text
    assert f"{label('002')} quotes officials most ({n('002', 'official')} of {n('002')})" in text


def test_seeds_how_the_claims_travel(seeds):
    _, _, text = seeds
    assert "Al-Jarida relays The New Arab" in text
    assert "Libya Prospect (its own outlet) relays Dzayer Info" in text
    assert "The Jerusalem Post relays an unnamed Arab newspaper" in text
    assert ("The chains of *Libya: Algiers wants to calm the game* and *The New Arab — EXCLUSIVE: Israeli military "
            "‘secretly…* end at The New Arab: the two are not independent confirmations of each other.") in text


def test_a_corpus_that_cites_nobody_says_so():
    reports = load_corpus(FIXTURES / "findings_bare").reports
    text = findings_of(reports)
    assert text == (
        "* **Publishers.** No report names its outlet.\n"
        "* **What the reports rest on.** No attributed statement was found: no report cites anyone, so each rests "
        "on its own word.\n"
        "* **How the claims travel.** Nothing is cited, so no claim can be traced to a source.")


def test_a_single_report(tmp_path):
    shutil.copy(FIXTURES / "findings_bare" / "garden.txt", tmp_path)
    text = findings_of(load_corpus(tmp_path).reports)
    assert "The report does not name its outlet." in text
    assert "the report cites no one, so it rests on its own word" in text
    assert "No two reports" not in text


def test_no_report():
    empty = load_corpus(FIXTURES / "findings_bare").reports.iloc[:0]
    assert source_findings(empty, citations._empty(), publishers.publishers(empty),
                           citation_graph.root_sources(citations._empty(), empty)) == \
        "No report to analyse: nothing is published, cited or relayed."


def _row(rid: str, source: str, typ: str, via: str = "", sent: int = 0) -> dict:
    return {"report_id": rid, "source": source, "source_canonical": source, "source_type": typ, "cue": "said",
            "via": via, "sentence": "", "start_char": sent, "end_char": sent + 1, "sent_start": sent,
            "sent_end": sent + 9}


def test_a_large_corpus_is_summarised_and_shared_roots_named():
    n = MAX_REPORTS_DESCRIBED + 2
    ids = [f"r{i:02d}" for i in range(n)]
    reports = pd.DataFrame({"report_id": ids, "title": [f"Story {i}" for i in range(n)],
                            "outlet": ["Harbour Ledger"] * 4 + ["Valmont Courier"] * (n - 4),
                            "original_outlet": [""] * n})
    rows = []
    for i, rid in enumerate(ids[:3]):  # three reports resting wholly on anonymous sources
        rows += [_row(rid, "informed sources", "anonymous", sent=0), _row(rid, "a source", "anonymous", sent=20)]
    for rid in ids[3:6]:  # three relaying the same agency: one shared root
        rows.append(_row(rid, "Port Authority", "official", via="Coast Wire"))
    rows.append(_row(ids[6], "Mayor Lina Ortez", "official"))
    cites = pd.DataFrame(rows, columns=CITATION_COLUMNS)
    text = findings_of(reports, cites)
    assert "Two outlets are identified: *Valmont Courier* published six reports; *Harbour Ledger* published four " \
           "reports." in text
    assert (f"{prose.count(len(cites), 'attributed statement', capital=True)}, found in 7 of {n} reports "
            "(6 anonymous, 4 official).") in text
    assert (f"3 of {n} reports rest on anonymous sources for at least half of their statements (the most: "
            "*Harbour Ledger — Story 0* with 2 of 2,") in text
    assert f"3 of {n} reports attribute nothing to anyone" in text
    assert "the most cited named sources are Port Authority (three statements in three reports) and Mayor Lina " \
           "Ortez (one statement in one report)" in text
    # one relay in three reports is told once; the roots shared by several reports are named with their reports:
    # the agency relayed, the outlet that heard the anonymous sources, the outlet of the reports citing nobody
    assert ("Second-hand attributions: in *Harbour Ledger — Story 3*, *Valmont Courier — Story 4* and *Valmont "
            "Courier — Story 5*, Coast Wire relays Port Authority.") in text
    assert ("Chains of several reports end at the same root: *Harbour Ledger — Story 0*, *Harbour Ledger — Story 1* "
            "and *Harbour Ledger — Story 2* at Harbour Ledger; *Harbour Ledger — Story 3*, *Valmont Courier — Story 4* "
            "and *Valmont Courier — Story 5* at Port Authority; *Valmont Courier — Story 7*, *Valmont Courier — "
            "Story 8* and *Valmont Courier — Story 9* at Valmont Courier. Reports sharing a root are not independent "
            "confirmations of each other.") in text


def test_republished_by_an_unknown_outlet_and_several_republications():
    reports = pd.DataFrame({"report_id": ["a", "b", "c"], "title": ["A", "B", "C"],
                            "outlet": ["", "Daily Echo", "Daily Echo"],
                            "original_outlet": ["Cox News Service", "Cox News Service", "Cox News Service"]})
    text = findings_of(reports, pd.DataFrame(columns=CITATION_COLUMNS))
    assert ("*Cox News Service* is the original outlet of a report republished by an unknown outlet; *Cox News "
            "Service* is the original outlet of two reports that *Daily Echo* republished (each counted in its "
            "role). The outlet of one report is unknown: *A*.") in text
