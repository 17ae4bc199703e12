"""Property tests of the temporal normaliser: intervals are ordered and contain what the expression names."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.timeline.time_normaliser import normalise

MONTH_NAMES = list(calendar.month_name)[1:]
years = st.integers(min_value=1000, max_value=2999)
days = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31))
anchors = st.dates(min_value=date(1950, 1, 1), max_value=date(2050, 12, 31))


@given(years)
def test_a_year_is_the_whole_year(y):
    got = normalise(str(y), anchor=date(2019, 12, 7))
    assert (got.start, got.end, got.precision, got.value) == (date(y, 1, 1), date(y, 12, 31), "year", str(y))


@given(days)
def test_full_dates_are_days(d):
    for text in (f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}", f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}",
                 d.isoformat()):
        got = normalise(text)
        assert got.start == got.end == d, text
        assert got.precision == "day"


@given(years, st.integers(min_value=1, max_value=12))
def test_a_month_is_the_whole_month(y, m):
    got = normalise(f"{MONTH_NAMES[m - 1]} {y}")
    assert got.start == date(y, m, 1)
    assert got.end == date(y, m, calendar.monthrange(y, m)[1])


@given(years.filter(lambda y: y < 2999), st.sampled_from(["spring", "summer", "autumn", "winter"]))
def test_a_season_contains_its_middle_month(y, season):
    got = normalise(f"the {season} of {y}")
    middle = {"spring": date(y, 4, 15), "summer": date(y, 7, 15), "autumn": date(y, 10, 15),
              "winter": date(y + 1, 1, 15)}[season]
    assert got.start <= middle <= got.end
    assert got.precision == "season"


@given(st.integers(min_value=100, max_value=298))
def test_a_decade_contains_its_ten_years(d):
    got = normalise(f"the {d}0s")
    assert got.start == date(d * 10, 1, 1) and got.end == date(d * 10 + 9, 12, 31)


@given(years, years)
def test_year_ranges_span_both_ends(a, b):
    lo, hi = min(a, b), max(a, b)
    got = normalise(f"from {lo} to {hi}")
    if lo == hi:
        return
    assert (got.start, got.end, got.precision) == (date(lo, 1, 1), date(hi, 12, 31), "range")


@given(years.filter(lambda y: 1001 < y < 2998), st.sampled_from(["early", "mid-", "late", "the beginning of",
                                                                 "the end of", "around"]))
def test_modifiers_stay_ordered_and_related_to_the_year(y, modifier):
    base = normalise(str(y))
    sep = "" if modifier.endswith("-") else " "
    got = normalise(f"{modifier}{sep}{y}")
    assert got.start <= got.end
    if modifier == "around":
        assert got.start <= base.start and base.end <= got.end  # approximately only widens
    else:
        assert base.start <= got.start and got.end <= base.end  # early/mid/late narrow inside the year
    early, late = normalise(f"early {y}"), normalise(f"late {y}")
    assert early.end < late.start


PAST_EXPRESSIONS = ["yesterday", "last month", "last week", "last year", "three days ago", "two years ago",
                    "recent days", "recently", "last Sunday", "Monday", "the last few months", "the past two years",
                    "earlier this year", "last June"]


@given(anchors, st.sampled_from(PAST_EXPRESSIONS))
def test_past_relative_expressions_end_by_the_anchor(anchor, text):
    got = normalise(text, anchor=anchor)
    assert got.resolved and got.relative
    assert got.start <= got.end <= anchor
    assert got.anchor == f"publication:{anchor.isoformat()}"


@given(anchors, st.sampled_from(["tomorrow", "next week", "next month", "next year", "next Friday"]))
def test_future_relative_expressions_start_after_the_anchor(anchor, text):
    got = normalise(text, anchor=anchor)
    assert anchor <= got.start <= got.end


@given(anchors, st.sampled_from(["this week", "this month", "this year", "today", "now"]))
def test_present_units_contain_the_anchor(anchor, text):
    got = normalise(text, anchor=anchor)
    assert got.start <= anchor <= got.end


@given(st.integers(min_value=1, max_value=30), anchors)
def test_n_units_earlier_uses_the_previous_date_not_the_anchor(n, anchor):
    previous = normalise("2000")
    got = normalise(f"{n} years earlier", anchor=anchor, previous=previous)
    assert got.start == date(2000 - n, 1, 1) and got.anchor == "previous:2000"


@settings(max_examples=300)
@given(st.text(max_size=40), st.one_of(st.none(), anchors))
def test_any_text_gives_an_ordered_or_empty_interval(text, anchor):
    got = normalise(text, anchor=anchor)
    if got.start is not None and got.end is not None:
        assert got.start <= got.end
    if not got.resolved:
        assert got.start is None and got.end is None or got.rule in ("past-ref", "future-ref")


def test_year_zero_is_not_a_date():
    # found by hypothesis: an ISO month with year 0 crashed the normaliser
    from analysis.timeline.time_normaliser import normalise

    expr = normalise("0000-01")
    assert expr is None or expr.start is None


def test_periods_of_hours_round_out_to_days():
    # found on allsides: "the last ... hours" crashed the normaliser (intervals are in whole days)
    from analysis.timeline.temporal import find_time_expressions

    (expr,) = find_time_expressions("They will vote in the next 36 hours.", "2014-10-12")
    assert (expr.value, str(expr.start), str(expr.end)) == ("PT36H", "2014-10-12", "2014-10-14")
    (expr,) = find_time_expressions("It fell within the last 90 minutes.", "2014-10-12")
    assert (expr.value, str(expr.start), str(expr.end)) == ("PT90M", "2014-10-11", "2014-10-12")
