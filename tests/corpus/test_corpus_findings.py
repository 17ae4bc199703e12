"""Notebook 00's opening statement, written from the loaded corpus (issue 26, item 1)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import load_corpus, prose
from analysis.corpus.findings import corpus_findings, how_established

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def seeds_text() -> str:
    return corpus_findings(load_corpus(None))


def test_seeds_say_what_the_hand_written_statement_said(seeds_text):
    assert seeds_text.startswith("Five reports, all analysed, none rejected.")
    # the publishers, each with the words of the page that name it, and the republication
    assert ("The pages name three publishers themselves: *LIBYAPROSPECT* (its translation note), *The New Arab* "
            "(its Arabic-language service) and *Global Research* (its reprint disclaimer), which republished a "
            "*MintPress News* staff writer's article.") in seeds_text
    assert "Only *The New Arab — EXCLUSIVE: Israeli military ‘secretly…* is dated: 7 December 2019 (its dateline)." \
        in seeds_text
    assert "*Haftar and Russia agreement … Where it…* carries a date banner, 4 March 2024" in seeds_text
    assert "not the article's date, so it is kept apart" in seeds_text
    assert seeds_text.endswith("Two reports give no outlet and four give no date: those fields stay empty rather "
                               "than guessed.")


def test_a_corpus_without_outlets_or_dates_says_so():
    text = corpus_findings(load_corpus(FIXTURES / "findings_bare"))
    assert text == ("Three reports, all analysed, none rejected. No report gives an outlet and no report gives a "
                    "date: those fields stay empty rather than guessed.")
    assert "dated" not in text and "Haftar" not in text


def test_a_single_report(tmp_path):
    shutil.copy(FIXTURES / "findings_bare" / "harbour.txt", tmp_path)
    text = corpus_findings(load_corpus(tmp_path))
    assert text == ("One report, analysed, none rejected. Its outlet and publication date are not given: those "
                    "fields stay empty rather than guessed.")


def test_a_single_report_with_outlet_and_date_from_the_manifest(tmp_path):
    shutil.copy(FIXTURES / "findings_bare" / "harbour.txt", tmp_path)
    (tmp_path / "manifest.csv").write_text("file,outlet,url,published\nharbour.txt,Quay Gazette,,2021-05-05\n",
                                           encoding="utf-8")
    text = corpus_findings(load_corpus(tmp_path))
    assert "Its publisher: *Quay Gazette* (from the manifest)." in text
    assert "It is dated 5 May 2021 (from the manifest)." in text
    assert "not given" not in text


def test_no_report_at_all(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert corpus_findings(load_corpus(tmp_path)) == (
        "No report to analyse: one file read, none holding a report the toolkit can read. Rejected: empty file.")


def test_rejections_duplicates_and_many_outlets_are_counted():
    corpus = load_corpus(FIXTURES / "mixed")
    text = corpus_findings(corpus)
    assert text.startswith(f"{len(corpus.reports)} reports analysed. Set aside, and listed below: "
                           f"{prose.count(len(corpus.duplicates), 'duplicate copy', 'duplicate copies')} (each kept "
                           f"once) and {len(corpus.rejected)} rejected inputs (2 × empty file; ")
    assert f"{prose.count(len(corpus.warnings), 'warning', capital=True)} (a value left out or inferred" in text
    # more outlets than are named one by one: counted, with how they were established
    named = corpus.reports[corpus.reports["outlet"] != ""]
    assert f"{prose.count(len(named), 'report', capital=True)} name " \
           f"{prose.count(named['outlet'].nunique(), 'outlet')}, one each" in text
    dated = corpus.reports[corpus.reports["published"] != ""]["published"]
    assert (f"{len(dated)} of {len(corpus.reports)} reports are dated, from {prose.human_date(dated.min())} to "
            f"{prose.human_date(dated.max())}") in text


@pytest.mark.parametrize("method, evidence, phrase", [
    ("manifest", "", "the manifest"),
    ("page metadata (og:site_name)", "", "the page metadata"),
    ("record field 'source'", "", "the export's field 'source'"),
    ("self-reference (language service)", "to The New Arab's Arabic-language service", "its Arabic-language service"),
    ("self-reference (language service)", "its sister site", "its language service"),
    ("dateline credit", "", "its dateline credit"),
    ("something new", "", "something new"),
])
def test_how_an_outlet_was_established(method, evidence, phrase):
    assert how_established(method, evidence) == phrase
