"""Table-driven tests of the temporal normaliser (tests/timeline/fixtures/expressions.csv).

Each row gives an expression, its anchors (publication date, previous absolute
date of the text), the clause tense and a preceding signal word, and the
expected TIMEX3 type and value, interval, precision, modifier and resolution.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from analysis.timeline.temporal import find_time_expressions
from analysis.timeline.time_normaliser import normalise

TABLE = Path(__file__).parent / "fixtures" / "expressions.csv"
#: TimeML (TempEval-3) conventions: coordinated ranges, weekdays by tense, quarters, sets, references, decades
TIMEML_TABLE = TABLE.with_name("expressions_timeml.csv")
ROWS = [row for table in (TABLE, TIMEML_TABLE) for row in csv.DictReader(table.open(encoding="utf-8"))]


def _date(text):
    return date.fromisoformat(text) if text else None


def test_table_is_large_and_varied():
    assert len(ROWS) >= 60
    precisions = {row["precision"] for row in ROWS}
    assert {"day", "week", "month", "season", "quarter", "year", "decade", "range"} <= precisions
    assert any(row["resolved"] == "0" for row in ROWS)  # unresolvable expressions are covered
    assert any(row["previous"] for row in ROWS)  # anaphoric anchors are covered


@pytest.mark.parametrize("row", ROWS, ids=[f"{i:03d}-{r['text']}" for i, r in enumerate(ROWS)])
def test_expression(row):
    previous = normalise(row["previous"]) if row["previous"] else None
    got = normalise(row["text"], anchor=_date(row["anchor"]), previous=previous, tense=row["tense"],
                    signal=row["signal"])
    assert got.type == row["type"]
    assert got.value == row["value"]
    assert got.start == _date(row["start"])
    assert got.end == _date(row["end"])
    assert got.precision == row["precision"]
    assert got.modifier == row["modifier"]
    assert got.resolved == (row["resolved"] == "1")
    if got.relative and got.resolved:
        assert got.anchor.startswith(("publication:", "previous:")), got
        assert got.rule


def test_relative_records_its_anchor_and_rule():
    got = normalise("last month", anchor=date(2019, 12, 7))
    assert (got.anchor, got.rule, got.relative) == ("publication:2019-12-07", "last-month", True)
    got = normalise("two years earlier", previous=normalise("2017"))
    assert got.anchor == "previous:2017" and got.rule == "n-units-earlier"


def test_unresolved_is_never_guessed():
    for text in ("last month", "Monday", "recent days", "June", "the last few months", "yesterday"):
        got = normalise(text)
        assert not got.resolved and got.start is None and got.end is None, text


def test_find_in_text_uses_previous_absolute_date():
    text = "In 2017, the General met them. Two years earlier, he had visited Amman. Last month he flew to Cairo."
    found = find_time_expressions(text, "2019-12-07")
    by_text = {e.text: e for e in found}
    assert by_text["2017"].value == "2017"
    assert by_text["Two years earlier"].value == "2015"
    assert by_text["Two years earlier"].anchor == "previous:2017"
    assert by_text["Last month"].value == "2019-11"
    assert all(text[e.start_char:e.end_char] == e.text for e in found)


def test_range_of_two_entities_is_one_expression_with_parts():
    text = "They held talks in Jordan in 2015 and 2016, sources said."
    (expr,) = [e for e in find_time_expressions(text, None) if e.type == "DATE"]
    assert expr.text == "2015 and 2016" and expr.value == "2015/2016"
    assert [p.text for p in expr.parts] == ["2015", "2016"]
    assert [text[p.start_char:p.end_char] for p in expr.parts] == ["2015", "2016"]


def test_durations_are_not_dates():
    from analysis.pipeline.nlp import load_nlp

    text = "Haftar resided there for two decades."
    (expr,) = find_time_expressions(text, "2019-12-07", load_nlp()(text))
    assert expr.type == "DURATION" and expr.value == "P20Y" and not expr.is_date


def test_no_publication_date_leaves_relative_unresolved():
    found = find_time_expressions("Russian experts arrived last month, and in 2015 others came.", "")
    by_text = {e.text: e for e in found}
    assert not by_text["last month"].resolved
    assert by_text["2015"].resolved and by_text["2015"].start == date(2015, 1, 1)


def test_month_precision_publication_is_no_anchor_for_weekdays():
    (expr,) = find_time_expressions("They met on Monday.", "2019-12")
    assert not expr.resolved


def test_timeml_value_of_anaphora_without_previous_date_keeps_interval_empty():
    found = find_time_expressions("A year earlier, the company lost money.", "2019-12-07")
    (expr,) = found
    assert expr.value == "2018" and not expr.resolved and expr.start is None and expr.end is None
    assert expr.rule.endswith("+timeml-dct-value")


def test_a_year_ago_beside_a_quarter_is_that_quarter_a_year_back():
    text = "Third-quarter profit rose 5% from $1.2 million a year ago."
    by_text = {e.text: e for e in find_time_expressions(text, "1989-10-26")}
    assert by_text["a year ago"].value == "1988-Q3"
    assert (by_text["a year ago"].start, by_text["a year ago"].end) == (date(1988, 7, 1), date(1988, 9, 30))


def _parsed(text):
    from analysis.pipeline.nlp import load_nlp

    return load_nlp()(text)


def test_period_ended_date_is_two_expressions():
    text = "Net income for the quarter ended Sept. 30 rose, and for the first nine months of 1997 it fell."
    by_text = {e.text: e for e in find_time_expressions(text, "1989-10-26", _parsed(text))}
    assert by_text["the quarter"].value == "1989-Q3" and by_text["Sept. 30"].value == "1989-09-30"
    assert by_text["the first nine months"].value == "P9M" and by_text["1997"].value == "1997"
    text = "Results for the year ended March 31 were flat."
    by_text = {e.text: e for e in find_time_expressions(text, "1989-10-31", _parsed(text))}
    assert by_text["the year"].value == "P1Y" and by_text["March 31"].value == "1989-03-31"


def test_may_is_the_month_only_when_it_names_a_date():
    text = "The talks may resume. They began May 5 in Cairo."
    found = find_time_expressions(text, "2019-12-07", _parsed(text))
    assert [(e.text, e.value) for e in found] == [("May 5", "2019-05-05")]
    text = "The deal was signed in May, officials said."
    (expr,) = find_time_expressions(text, "2019-12-07", _parsed(text))
    assert expr.value == "2019-05" and expr.text == "May"


def test_adjective_quarterly_is_no_timeml_expression():
    text = "The company raised its quarterly dividend."
    (expr,) = find_time_expressions(text, "1989-10-26", _parsed(text))
    assert expr.type == "SET" and not expr.timex


def test_plans_look_ahead_for_weekdays():
    text = "The team planned to leave Nairobi on Thursday."
    (expr,) = find_time_expressions(text, "1998-09-30", _parsed(text))
    assert expr.value == "1998-10-01"


def test_n_units_later_keeps_its_date_but_shows_timeml_the_length():
    text = "In 2015 they met in Amman. Three days later they flew to Cairo."
    by_text = {e.text: e for e in find_time_expressions(text, "2019-12-07")}
    later = by_text["Three days later"]
    assert later.anchor == "previous:2015" and later.type == "DATE"  # the project reading is kept
    (part,) = later.parts
    assert (part.value, text[part.start_char:part.end_char]) == ("P3D", "Three days")


def test_present_passive_is_not_past():
    text = "The vote is scheduled for Tuesday."
    (expr,) = find_time_expressions(text, "2013-03-20", _parsed(text))
    assert expr.value == "2013-03-26"


def test_coordinated_expressions_are_separate_timexes():
    text = "He served in 1957-58. The work takes 12 and 18 months. When he is 40, eight years from now, he retires."
    found = find_time_expressions(text, "2013-03-22", _parsed(text))
    parts = [(text[p.start_char:p.end_char], p.value) for e in found for p in (e.parts or (e,))]
    assert ("1957", "1957") in parts and ("58", "1958") in parts
    assert ("12", "P12M") in parts and ("18 months", "P18M") in parts
    assert ("eight years from now", "2021") in parts and not any(t.startswith("40") for t, _ in parts)
    (years,) = [e for e in found if e.text == "1957-58"]
    assert years.start == date(1957, 1, 1) and years.end == date(1958, 12, 31)
    (lengths,) = [e for e in found if e.text == "12 and 18 months"]
    assert lengths.type == "DURATION" and not lengths.is_date


def test_unreadable_span_is_split_into_its_coordinated_pieces():
    text = "After accounting for a small downward revision Friday to December's figures, the economy grew."
    found = find_time_expressions(text, "1998-02-06", _parsed(text))
    assert [(e.text, e.value) for e in found] == [("Friday", "1998-02-06"), ("December", "1997-12")]


def test_possessive_stays_outside_the_expression():
    text = "Last year's profit was restated."
    (expr,) = find_time_expressions(text, "1989-10-26", _parsed(text))
    assert (expr.text, expr.value) == ("Last year", "1988")


def test_weekday_by_tense_and_dct_weekday():
    text = "The company said Friday that sales rose. It will report results on Friday."
    found = find_time_expressions(text, "2013-03-22", _parsed(text))  # a Friday
    assert [e.value for e in found] == ["2013-03-22", "2013-03-22"]
    text = "The father could come as early as Tuesday."
    (expr,) = find_time_expressions(text, "2000-04-03", _parsed(text))  # a Monday
    assert expr.value == "2000-04-04"


def test_year_earlier_beside_a_quarter_is_that_quarter_a_year_back():
    text = "Third-quarter profit rose 5% from year-earlier levels."
    by_text = {e.text: e for e in find_time_expressions(text, "1989-10-26", _parsed(text))}
    assert by_text["year-earlier"].value == "1988-Q3"


def test_sets_are_not_dates():
    text = "They jog every morning and meet on Tuesday nights, twice a week."
    found = find_time_expressions(text, "2013-03-22", _parsed(text))
    assert [(e.text, e.type, e.value) for e in found] == [
        ("every morning", "SET", "XXXX-XX-XXTMO"), ("Tuesday nights", "SET", "XXXX-WXX-2TNI"),
        ("twice a week", "SET", "P1W")]
    assert not any(e.is_date for e in found)
