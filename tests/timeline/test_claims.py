"""Claim mentions, grouping across reports and independent origins on invented reports (issue 25)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline.nlp import parse_reports
from analysis.similarity.report_similarity import SimilaritySettings, compare_reports
from analysis.sources.citations import extract_citations
from analysis.timeline import claim_grouping, claims, predicates

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def built():
    reports = pd.read_csv(FIXTURES / "claims_reports.csv", dtype=str, keep_default_na=False)
    docs = parse_reports(reports, cache_dir=False)
    cites = extract_citations(reports, docs)
    comparison = compare_reports(reports, SimilaritySettings(), docs=docs)
    tables = claims.build_claim_tables(reports, docs, cites, similarity=comparison)
    return reports, comparison, tables


def _mention(tables, report_id: str, trigger: str) -> pd.Series:
    m = tables.mentions
    rows = m[(m["report_id"] == report_id) & (m["trigger"] == trigger)]
    assert len(rows) == 1, f"{report_id}: {trigger!r} in {m[m['report_id'] == report_id]['trigger'].tolist()}"
    return rows.iloc[0]


def test_mentions_frame_keeps_the_interface_columns(built):
    _, _, tables = built
    needed = ["mention_id", "report_id", "claim_id", "statement", "sentence", "sent_start", "sent_end", "trigger",
              "trigger_start", "trigger_end", "lemma", "action_family", "participants", "actors", "places", "start",
              "end", "precision", "date_text", "source", "source_type"]
    assert set(needed) <= set(tables.mentions.columns)
    reports = built[0].set_index("report_id")
    for m in tables.mentions.itertuples():
        text = reports.loc[m.report_id, "text"]
        assert text[m.trigger_start:m.trigger_end] == m.trigger
        assert m.claim_id


def test_the_scoop_is_one_claim_with_one_origin(built):
    _, _, tables = built
    docked = {r: _mention(tables, r, "docked") for r in ("s1", "s2", "s3", "s4", "s5")}
    claim_ids = {m["claim_id"] for m in docked.values()}
    assert len(claim_ids) == 1
    claim = tables.claims.set_index("claim_id").loc[claim_ids.pop()]
    assert claim["n_reports"] == 5 and claim["first_appearance"] == "2021-02-10" and claim["first_report"] == "s1"
    # the copy (s2) and the republication (s5) join the Courier's copy group; s3 and s4 credit the Courier
    assert claim["independent_origins"] == 1 and claim["origins"] == "Valmont Courier"
    assert claim["statement"] == "A second vessel, the Sea Lantern, docked at Port Selva in January 2021"
    # "last month" in a report of 15 February is January 2021, the same month as the others
    assert (docked["s4"]["start"], docked["s4"]["end"]) == ("2021-01-01", "2021-01-31")
    by_report = tables.claim_reports.set_index(["claim_id", "report_id"])
    rows = by_report.loc[claim.name]
    assert rows.loc["s2", "copy_of"] == "s1" and rows.loc["s5", "copy_of"] == "s1"
    assert "syndicated" in rows.loc["s5", "copy_evidence"] or "near-duplicate" in rows.loc["s5", "copy_evidence"]
    assert rows.loc["s3", "source"] == rows.loc["s4", "source"] == "Valmont Courier"
    assert rows.loc["s4", "copy_of"] == ""  # retold in its own words: its origin is the source it credits


def test_the_evidence_of_each_link_is_recorded(built):
    _, _, tables = built
    claim_id = _mention(tables, "s1", "docked")["claim_id"]
    links = tables.links[tables.links["claim_id"] == claim_id]
    assert len(links) == 4  # five reports joined by four links
    assert links["reason"].str.startswith("copied sentence").any()
    assert set(claim_grouping.LINK_COLUMNS) == set(links.columns)


def test_the_reporting_outlet_is_the_source_not_the_actor(built):
    _, _, tables = built
    m = _mention(tables, "s3", "docked")
    assert m["source"] == "Valmont Courier" and m["source_type"] == "media"
    assert "Valmont Courier" not in m["actors"] and "Valmont Courier" not in m["participants"]
    assert m["actors"] == "Sea Lantern"
    assert not (tables.mentions["lemma"] == "report").any()  # "reported" is not the happening
    event = tables.events.set_index("event_id").loc[m["event_id"]]
    assert "Valmont Courier" not in event["actors"]


def test_a_date_line_is_not_the_date_of_the_clause(built):
    _, _, tables = built
    m = _mention(tables, "d1", "left")
    assert (m["start"], m["end"], m["precision"]) == ("2020-09-01", "2020-11-30", "season")
    assert m["date_text"] == "the autumn of 2020"
    assert not tables.events["date_text"].str.contains("18 March").any()
    assert _mention(tables, "s1", "docked")["date_text"] == "January 2021"


def test_sank_and_went_down_the_same_day_are_one_claim(built):
    _, _, tables = built
    sank, went = _mention(tables, "k1", "sank"), _mention(tables, "k2", "went")
    assert sank["action_family"] == went["action_family"] == "sink"
    assert sank["claim_id"] == went["claim_id"]
    assert sank["start"] == went["start"] == "2021-05-02"


def test_other_sinkings_of_the_same_day_stay_apart(built):
    _, _, tables = built
    ids = {r: _mention(tables, r, "sank")["claim_id"] for r in ("k1", "a1", "o1")}
    assert len(set(ids.values())) == 3


def test_a_report_alleging_nothing_has_no_mention(built):
    reports, _, tables = built
    assert "n1" in set(reports["report_id"])
    assert not (tables.mentions["report_id"] == "n1").any()
    assert not tables.claims["reports"].str.contains("n1").any()


def test_every_mention_and_event_belongs_to_a_listed_claim(built):
    _, _, tables = built
    listed = set(tables.claims["claim_id"])
    assert set(tables.mentions["claim_id"]) == listed
    assert set(tables.events["claim_id"]) <= listed
    assert list(tables.claims.columns) == claims.CLAIM_COLUMNS
    counts = tables.mentions.groupby("claim_id")["report_id"].nunique()
    assert (tables.claims.set_index("claim_id")["n_reports"] == counts).all()


def test_build_claims_returns_mentions_and_claims(built):
    reports, comparison, tables = built
    docs = parse_reports(reports, cache_dir=False)
    mentions, table = claims.build_claims(reports, docs, extract_citations(reports, docs),
                                          similarity=(comparison.pairs, comparison.passages))
    assert mentions["mention_id"].tolist() == tables.mentions["mention_id"].tolist()
    assert table.equals(tables.claims)


def test_predicate_table_phrases_and_user_rows(tmp_path):
    table = predicates.load_predicates()
    assert table.family_of("go", particles=["down"]) == "sink"
    assert table.family_of("plunge", preps=[("to", "seabed")]) == "sink"
    assert table.family_of("kill") == table.family_of("die") == "die"
    assert table.family_of("hold", objects=["talk"]) == "meet"
    assert table.family_of("frobnicate") == "frobnicate"
    user = tmp_path / "mine.csv"
    user.write_text("predicate,family,note\nfrobnicate,sink,test\n", encoding="utf-8")
    assert predicates.load_predicates(user).family_of("frobnicate") == "sink"


def test_linking_is_blocked_not_quadratic():
    """A block larger than the cap compares each mention with its nearest in time only."""
    n = 2000
    rows = pd.DataFrame({
        "mention_id": [f"r{i:05d}_m001" for i in range(n)], "report_id": [f"r{i:05d}" for i in range(n)],
        "action_family": "meet", "participants": "people", "named": "", "affiliations": "", "places": "",
        "start": [f"2020-{1 + i % 12:02d}-01" for i in range(n)], "end": [f"2020-{1 + i % 12:02d}-01" for i in range(n)],
        "negated": False, "trigger_start": 0,
    })
    settings = claim_grouping.GroupingSettings(block_cap=100, window=5)
    pairs = list(claim_grouping._candidate_pairs(
        [claim_grouping._Mention(i, r, "meet", "people", "", "", "", s, e, False)
         for i, (r, s, e) in enumerate(zip(rows["report_id"], rows["start"], rows["end"]))], settings))
    assert len(pairs) <= n * settings.window
    ids, links = claim_grouping.group_mentions(rows, None, settings)
    assert len(ids) == n


def test_one_story_corpus_joins_the_same_day_sinking():
    """When every report is about one submarine, "the submarine" weighs little (it is in every report); told
    as "sank", "went down" and "plunged to the seabed" on the same day it is still one claim."""
    reports = pd.read_csv(FIXTURES / "claims_one_story.csv", dtype=str, keep_default_na=False)
    docs = parse_reports(reports, cache_dir=False)
    comparison = compare_reports(reports, SimilaritySettings(), docs=docs)
    tables = claims.build_claim_tables(reports, docs, extract_citations(reports, docs), similarity=comparison)
    sink = tables.mentions[tables.mentions["action_family"] == "sink"]
    assert sorted(sink["report_id"]) == ["u1", "u2", "u3"]
    assert sink["claim_id"].nunique() == 1 and set(sink["start"]) == {"2021-05-01"}
    claim = tables.claims.set_index("claim_id").loc[sink["claim_id"].iloc[0]]
    assert claim["n_reports"] == 3 and claim["independent_origins"] == 3  # three outlets, no source named


def test_a_vague_mention_does_not_chain_two_happenings_of_one_report():
    """Report v1 tells two meetings with Corvian officials (talks in Amman in 2015, and an undated one of
    General Vesk before an offensive), which share too little to be linked to each other; v2 retells an undated visit to Amman to meet them, v3 says only that he
    "has been meeting" them. The dated talks take the Amman visit (a shared time and place); v1's two meetings
    are never chained into one claim through the others' vaguer mentions."""
    def mention(mid, participants, named, places, start="", end=""):
        return {"mention_id": mid, "report_id": mid.split("_")[0], "action_family": "meet",
                "participants": participants, "named": named, "affiliations": "", "places": places,
                "start": start, "end": end, "negated": False, "trigger_start": 0}
    # "it held talks with Corvian agents in Amman in 2015": the first meeting does not name the general
    rows = [mention("v1_m001", "Corvia; Amman; agent", "Corvia", "Amman", "2015-01-01", "2015-12-31"),
            mention("v1_m002", "Orlan Vesk; Corvia; official; Tessaly", "Orlan Vesk; Corvia; Tessaly", ""),
            mention("v2_m001", "Orlan Vesk; Corvia; Amman; official", "Orlan Vesk; Corvia", "Amman"),
            mention("v3_m001", "Orlan Vesk; Corvia; official", "Orlan Vesk; Corvia", "")]
    # other reports of the corpus, so that the general and Corvia are not in every report
    rows += [mention(f"x{i}_m001", f"Person {i}; Town {i}", f"Person {i}", f"Town {i}") for i in range(6)]
    frame = pd.DataFrame(rows)
    ids, links = claim_grouping.group_mentions(frame)
    claim_of = dict(zip(frame["mention_id"], ids))
    assert claim_of["v1_m001"] == claim_of["v2_m001"]  # the Amman talks: one time, one place
    assert claim_of["v1_m001"] != claim_of["v1_m002"]  # v1's two meetings stay two claims
    for claim_id in set(ids):
        members = [m for m, c in claim_of.items() if c == claim_id]
        assert len({m.split("_")[0] for m in members}) == len(members), members
