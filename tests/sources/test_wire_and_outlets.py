"""Sources typed from the corpus itself (issue 26 item 2) and wire conventions (issue 27 items 2-3).

Fixture: ``fixtures/wire_corpus`` (invented outlets "Valmont Courier", "The Harbour Ledger", an invented
agency "Norpress", wire datelines) and ``fixtures/wire_cases.csv``: one row per case, the snippet
locating it, and the expected canonical name, type and relayer; a row without a source says that
nothing in the snippet may be taken as a source.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.corpus import load_corpus
from analysis.pipeline import nlp
from analysis.sources import aliases, attribution, citations

FIXTURES = Path(__file__).parent / "fixtures"
CASES = pd.read_csv(FIXTURES / "wire_cases.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def corpus_reports():
    return load_corpus(FIXTURES / "wire_corpus").reports


@pytest.fixture(scope="module")
def cites(corpus_reports):
    pipeline = nlp.load_nlp()
    docs = {r: pipeline(t) for r, t in zip(corpus_reports["report_id"], corpus_reports["text"])}
    return citations.extract_citations(corpus_reports, docs)


def _rows_at(case, corpus_reports, cites):
    report_id = case["file"].rsplit(".", 1)[0]
    text = corpus_reports.set_index("report_id").loc[report_id, "text"]
    at = text.index(case["snippet"])
    rows = cites[cites["report_id"] == report_id]
    return rows[(rows["start_char"] < at + len(case["snippet"])) & (rows["end_char"] > at)], at


@pytest.mark.parametrize("case", CASES.to_dict("records"), ids=list(CASES["case"]))
def test_wire_and_outlet_case(case, corpus_reports, cites):
    rows, at = _rows_at(case, corpus_reports, cites)
    if not case["source"]:
        # datelines and non-speaking subjects: no source starts inside the snippet
        assert rows[rows["start_char"] >= at].empty, rows[["source", "source_type", "cue"]].to_dict("records")
        return
    hits = rows[rows["source"].str.contains(case["source"], regex=False)]
    got = list(zip(hits["source_canonical"], hits["source_type"], hits["via"]))
    assert (case["source_canonical"], case["source_type"], case["via"]) in got


def test_corpus_outlets_are_keyed_as_written_and_canonical(corpus_reports):
    outlets = citations.corpus_outlets(corpus_reports, aliases.load_aliases())
    assert outlets[aliases.alias_key("the Valmont Courier")] == "Valmont Courier"
    assert outlets[aliases.alias_key("Harbour Ledger")] == "Harbour Ledger"
    assert outlets[aliases.alias_key("NORPRESS")] == "Norpress"


def test_an_outlet_name_is_media_only_in_a_corpus_that_publishes_it():
    doc = nlp.load_nlp()("The Ostrel Sentinel said the port was closed.")
    alone = attribution.extract_from_doc(doc)
    known = attribution.extract_from_doc(doc, outlets={aliases.alias_key("Ostrel Sentinel"): "Ostrel Sentinel"})
    assert [(a.canonical, a.type) for a in alone] == [("Ostrel Sentinel", "organization")]
    assert [(a.canonical, a.type) for a in known] == [("Ostrel Sentinel", "media")]


def test_the_outlet_set_is_part_of_the_cache_key(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    text = "The Ostrel Sentinel said the port was closed."
    reports = pd.DataFrame([{"report_id": "a", "title": "", "outlet": "", "original_outlet": "", "text": text}])
    before = citations.extract_citations(reports)
    after = citations.extract_citations(pd.concat([reports, reports.assign(
        report_id="b", outlet="Ostrel Sentinel", text="Port closed.")], ignore_index=True))
    assert list(before["source_type"]) == ["organization"]
    assert list(after["source_type"]) == ["media"]


def test_spelling_map_picks_one_spelling_deterministically():
    names = ["Itar-Tass", "ITAR-Tass", "Itar-Tass", "Norvik Press", "NORVIK PRESS"]
    chosen = aliases.spelling_map(names)
    assert chosen == {"Itar-Tass": "Itar-Tass", "ITAR-Tass": "Itar-Tass",
                      "Norvik Press": "NORVIK PRESS", "NORVIK PRESS": "NORVIK PRESS"}  # tie: sorted first
    assert aliases.spelling_map(list(reversed(names))) == chosen
    assert aliases.spelling_map(names, aliases.load_aliases())["Itar-Tass"] == "TASS"


def test_one_agency_gets_one_name_and_one_type():
    frame = pd.DataFrame({"report_id": ["a", "a", "b"], "source": ["Norvik Press", "NORVIK PRESS", "the agency"],
                          "source_canonical": ["Norvik Press", "NORVIK PRESS", "Norvik Press"],
                          "source_type": ["organization", "official", "media"], "via": ["", "", ""]})
    unified = citations.unify_names(frame, aliases.load_aliases())
    assert set(unified["source_canonical"]) == {"Norvik Press"} and set(unified["source_type"]) == {"media"}
