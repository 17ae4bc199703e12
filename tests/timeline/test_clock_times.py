"""Four-digit clock times of wire copy ("arrived at 1600 GMT") are times of day, never years.

Invented wire sentences in tests/timeline/fixtures/clock_times.csv, each with the expression the finder must
return and its TIMEX3 type and value; genuine years ("in 1600", "since 1998") stay years.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from analysis.timeline.temporal import find_time_expressions
from analysis.timeline.time_normaliser import normalise

ROWS = list(csv.DictReader((Path(__file__).parent / "fixtures" / "clock_times.csv").open(encoding="utf-8")))


@pytest.fixture(scope="module")
def nlp():
    from analysis.pipeline.nlp import load_nlp

    return load_nlp()


@pytest.mark.parametrize("row", ROWS, ids=[r["text"] for r in ROWS])
def test_clock_time_or_year_in_a_wire_sentence(row, nlp):
    found = find_time_expressions(row["sentence"], row["published"] or None, nlp(row["sentence"]))
    by_text = {e.text: e for e in found}
    assert row["text"] in by_text, (row["note"], [(e.text, e.value) for e in found])
    expr = by_text[row["text"]]
    assert (expr.type, expr.value) == (row["type"], row["value"]), row["note"]
    if expr.type == "TIME" and row["published"]:
        assert expr.resolved and expr.start == expr.end and expr.start.year == 2000
    if row["type"] == "TIME":  # and nothing else in the sentence became a far-off year
        assert not any(e.precision == "year" and e.start and e.start.year < 1900 for e in found)


def test_no_clock_time_reads_as_a_year_without_the_parse():
    text = "The ship arrived at 1600 GMT and left at 0930 local time; talks resume at 2100 hours."
    found = find_time_expressions(text, date(2000, 8, 17))
    assert [(e.text, e.type, e.value) for e in found] == [
        ("1600 GMT", "TIME", "2000-08-17T16:00"), ("0930 local time", "TIME", "2000-08-17T09:30"),
        ("2100 hours", "TIME", "2000-08-17T21:00")]


def test_normaliser_reads_clock_times_and_keeps_years():
    assert normalise("1600 GMT", anchor=date(2000, 8, 17)).value == "2000-08-17T16:00"
    assert normalise("0930 local time").value == "XXXX-XX-XXT09:30"
    assert normalise("at 2100 hours", anchor=date(2000, 8, 17)).type == "TIME"
    assert normalise("2500 GMT").rule == "unparsed"  # no 25th hour
    assert normalise("1600").value == "1600" and normalise("in 1600").precision == "year"
