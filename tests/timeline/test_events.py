"""Alleged events, claims across reports, independent origins and the TimelineJS export."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.timeline import claims, events, timeline_figure, timelinejs
from analysis.pipeline.nlp import parse_reports

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def small():
    reports = pd.read_csv(FIXTURES / "reports_small.csv", dtype=str, keep_default_na=False)
    cites = pd.read_csv(FIXTURES / "citations_small.csv", keep_default_na=False,
                        dtype={"report_id": str, "source": str, "source_canonical": str, "source_type": str,
                               "cue": str, "via": str, "sentence": str})
    docs = parse_reports(reports, cache_dir=False)
    tables = claims.build_claim_tables(reports, docs, cites)
    return reports, cites, tables.events, tables.claims


def test_citation_fixture_spans_are_exact(small):
    reports, cites, _, _ = small
    texts = dict(zip(reports["report_id"], reports["text"]))
    for row in cites.itertuples(index=False):
        assert texts[row.report_id][row.start_char:row.end_char] == row.source
        assert texts[row.report_id][row.sent_start:row.sent_end] == row.sentence


def test_events_have_canonical_actors_places_and_sources(small):
    _, _, found, _ = small
    dated = found[found["date_text"] != "Last month"].set_index("report_id")
    assert list(found.columns[: len(events.EVENT_COLUMNS)]) == events.EVENT_COLUMNS
    # "General Khalifa Haftar", "Marshal Haftar" and "Haftar" are one actor
    for rid in ("r1", "r2", "r3"):
        assert "Khalifa Haftar" in dated.loc[rid, "actors"].split("; ")
        assert dated.loc[rid, "places"] == "Amman"
    assert dated.loc["r1", "source"] == "Daily Scoop" and dated.loc["r1", "source_type"] == "media"
    assert dated.loc["r3", "source"] == "" and dated.loc["r3", "source_type"] == "unattributed"
    assert dated.loc["r3", "start"] == "2015-06-01" and dated.loc["r3", "precision"] == "season"


def test_relative_event_is_anchored_to_publication(small):
    _, _, found, _ = small
    last = found[found["date_text"] == "Last month"].iloc[0]
    assert (last["start"], last["end"], last["anchor"]) == ("2019-12-01", "2019-12-31", "publication:2020-01-05")
    assert last["places"] == "Cairo"


def test_one_scoop_repeated_is_one_origin(small):
    _, _, grouped, table = small
    assert list(table.columns) == claims.CLAIM_COLUMNS
    meeting = grouped[grouped["date_text"] != "Last month"]["claim_id"].unique()
    assert len(meeting) == 1  # three reports, one alleged meeting
    row = table.set_index("claim_id").loc[meeting[0]]
    assert row["n_reports"] == 3 and row["reports"] == "r1; r2; r3"
    assert row["first_appearance"] == "2020-01-05"
    # r1 and r2 rest on the Daily Scoop; r3 names no source, so its outlet is its origin
    assert row["independent_origins"] == 2
    assert (row["start"], row["end"]) == ("2015-01-01", "2015-12-31")


def test_timelinejs_dates_carry_only_supported_parts(small):
    reports, _, grouped, table = small
    doc = timelinejs.timeline_json(table, grouped, reports)
    json.dumps(doc)  # serialisable
    slides = {s["unique_id"]: s for s in doc["events"]}
    year_claim = table[table["start"] == "2015-01-01"]["claim_id"].iloc[0]
    assert slides[year_claim]["start_date"] == {"year": "2015"}
    assert "end_date" not in slides[year_claim]  # one year: nothing invented on 1 January
    month_claim = table[table["start"] == "2019-12-01"]["claim_id"].iloc[0]
    assert slides[month_claim]["start_date"] == {"year": "2019", "month": "12"}
    for slide in doc["events"]:
        assert {"start_date", "text", "group", "display_date", "unique_id"} <= set(slide)
        assert set(slide["text"]) == {"headline", "text"}
    sheet = timelinejs.timeline_sheet(table, grouped, reports)
    assert list(sheet.columns) == timelinejs.SHEET_COLUMNS
    assert sheet.loc[0, "Type"] == "title" and len(sheet) == len(doc["events"]) + 1


@pytest.mark.parametrize("start,end,parts,label", [
    ("2015-01-01", "2015-12-31", ({"year": "2015"}, {"year": "2015"}), "2015"),
    ("2018-06-01", "2018-08-31", ({"year": "2018", "month": "6"}, {"year": "2018", "month": "8"}), "Jun-Aug 2018"),
    ("1980-01-01", "1989-12-31", ({"year": "1980"}, {"year": "1989"}), "1980s"),
    ("2019-12-03", "2019-12-03", ({"year": "2019", "month": "12", "day": "3"},) * 2, "3 Dec 2019"),
])
def test_date_parts_follow_the_interval(start, end, parts, label):
    from datetime import date

    a, b = date.fromisoformat(start), date.fromisoformat(end)
    unit = timelinejs._granularity(a, b)
    assert (timelinejs.date_parts(a, unit), timelinejs.date_parts(b, unit)) == parts
    assert timelinejs.display_date(a, b) == label


def test_figure_table_and_plot(small):
    reports, _, grouped, table = small
    rows = timeline_figure.timeline_table(table, grouped, reports)
    assert list(rows.columns) == timeline_figure.FIGURE_COLUMNS
    assert len(rows) == 4  # one marker per alleging report
    assert timeline_figure.plot_timeline(rows) is not None
    assert timeline_figure.plot_timeline(rows.iloc[0:0]) is None


def test_empty_corpus_gives_empty_tables():
    reports = pd.DataFrame(columns=["report_id", "title", "outlet", "original_outlet", "published", "text"])
    found = events.extract_events(reports, {}, None)
    assert list(found.columns[: len(events.EVENT_COLUMNS)]) == events.EVENT_COLUMNS and found.empty
    tables = claims.build_claim_tables(reports, {}, None)
    grouped, table = tables.events, tables.claims
    assert list(table.columns) == claims.CLAIM_COLUMNS and table.empty
    assert tables.mentions.empty and tables.links.empty and tables.claim_reports.empty
    assert timelinejs.timeline_json(table, grouped, reports)["events"] == []


def test_seed_events_against_hand_labelled_gold():
    """The seeds' dated events against the gold written from the text (see the fixture README)."""
    from evaluation.seed_events_eval import DEFAULT_GOLD, score, seed_events

    gold = pd.read_csv(DEFAULT_GOLD, dtype=str, keep_default_na=False)
    m = score(seed_events(), gold)
    assert m["recall"] >= 90 and m["precision"] >= 90 and m["interval_exact"] >= 90, m


def test_timeline_figure_keeps_the_most_reported_claims():
    import pandas as pd

    from analysis.timeline.timeline_figure import select_claims

    rows = [{"claim_id": f"c{i:03d}", "report_id": f"r{j}", "start": f"{2000 + i % 20}-01-01"}
            for i in range(300) for j in range(1 + (i % 7 == 0))]
    table = pd.DataFrame(rows)
    kept = select_claims(table, 50)
    assert kept["claim_id"].nunique() == 50
    multi = {f"c{i:03d}" for i in range(300) if i % 7 == 0}  # 43 claims alleged by two reports
    assert multi <= set(kept["claim_id"])
    assert select_claims(table, 500).equals(table)


def test_cached_claims_equal_the_claims_computed_from_docs(small, monkeypatch, tmp_path):
    # the corpus-wide step is read back from .cache/corpus_results on a rerun: same tables, same dtypes
    from analysis import config

    reports, cites, grouped, table = small
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    first = claims.build_claim_tables(reports, citations=cites)
    assert len(list((tmp_path / "corpus_results" / "claims").glob("*/complete"))) == 1
    again = claims.build_claim_tables(reports, citations=cites)
    direct = claims.build_claim_tables(reports, parse_reports(reports, cache_dir=False), cites)
    first, again, direct = ([t.events, t.claims, t.mentions, t.links, t.claim_reports] for t in (first, again, direct))
    for cold, warm, direct in zip(first, again, direct):
        pd.testing.assert_frame_equal(cold, warm)
        pd.testing.assert_frame_equal(cold, direct, check_dtype=False, check_index_type=False)
    changed = cites.assign(source_canonical=cites["source_canonical"].str.upper())
    claims.build_claims(reports, citations=changed)
    assert len(list((tmp_path / "corpus_results" / "claims").glob("*/complete"))) == 2  # new input, new key
