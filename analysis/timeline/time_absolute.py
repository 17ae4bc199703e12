"""Absolute and partial dates ("14 March 2019", "March", "the 1990s") and holidays, normalised to TIMEX3 values."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Optional

from analysis.timeline.time_lexicon import (
    CENTURY_WORDS,
    DECADE_WORDS,
    MONTHS,
    ORDINALS,
    SEASONS,
    TimeExpression,
    _Context,
    _MONTH_RE,
    _WEEKDAY_RE,
    _latest_quarter,
    _month_interval,
    _point,
    _pub,
    _quarter_interval,
    _season_interval,
    _unresolved,
    _valid_year,
    _year_interval,
    month_end,
)


def _parse_absolute(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    """Calendar dates that need no anchor (or only a year lent by a range)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:t[\d:]+.*)?", s)
    if m:
        y, mo, d = map(int, m.groups())
        try:
            day = date(y, mo, d)
        except ValueError:
            return None
        return _point(text, day, day, "day", day.isoformat(), "iso-date")
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", s)
    if m:  # US order, as in English-language news
        mo, d, y = map(int, m.groups())
        y = y + 2000 if y < 50 else (y + 1900 if y < 100 else y)
        try:
            day = date(y, mo, d)
        except ValueError:
            return None
        return _point(text, day, day, "day", day.isoformat(), "numeric-date")
    m = re.fullmatch(r"(\d{4})-(\d{2})", s)
    if m and 1 <= int(m.group(2)) <= 12 and _valid_year(int(m.group(1))):
        y, mo = int(m.group(1)), int(m.group(2))
        return _point(text, *_month_interval(y, mo), "month", f"{y}-{mo:02d}", "iso-month")
    # day month year / month day year
    m = (re.fullmatch(rf"(?:(?:{_WEEKDAY_RE}),? )?(?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTH_RE}),? (\d{{4}})", s)
         or None)
    if m:
        d, mo, y = int(m.group(1)), MONTHS[m.group(2).rstrip(".")], int(m.group(3))
        return _make_day(text, y, mo, d, "day-month-year")
    m = re.fullmatch(rf"(?:(?:{_WEEKDAY_RE}),? )?({_MONTH_RE}) (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})", s)
    if m:
        mo, d, y = MONTHS[m.group(1).rstrip(".")], int(m.group(2)), int(m.group(3))
        return _make_day(text, y, mo, d, "month-day-year")
    m = re.fullmatch(rf"({_MONTH_RE})(?:,| of)? (\d{{4}})", s)
    if m:
        mo, y = MONTHS[m.group(1).rstrip(".")], int(m.group(2))
        return _point(text, *_month_interval(y, mo), "month", f"{y}-{mo:02d}", "month-year")
    m = re.fullmatch(r"(?:the )?(?:year |calendar year |fiscal year |fiscal |fy ?)?(\d{4})", s)
    if m and _valid_year(int(m.group(1))):
        y = int(m.group(1))
        return _point(text, *_year_interval(y), "year", str(y), "year")
    m = re.fullmatch(r"(?:the )?(?:(spring|summer|autumn|fall|winter)(?: of|,)? (\d{4})|(\d{4}) (spring|summer|autumn|fall|winter))", s)
    if m:
        name = m.group(1) or m.group(4)
        y = int(m.group(2) or m.group(3))
        code = SEASONS[name]
        return _point(text, *_season_interval(y, code), "season", f"{y}-{code}", "season-year")
    m = re.fullmatch(r"(?:the )?(first|second|third|fourth|1st|2nd|3rd|4th|last|final) quarter(?: of|,)? (\d{4})", s) \
        or re.fullmatch(r"q([1-4])(?: of)? (\d{4})", s)
    if m:
        q = ORDINALS.get(m.group(1)) or int(m.group(1))
        q = 4 if q == -1 else q
        y = int(m.group(2))
        return _point(text, *_quarter_interval(y, q), "quarter", f"{y}-Q{q}", "quarter-year")
    m = re.fullmatch(r"(?:the )?(first|second|1st|2nd|last) half(?: of|,)? (\d{4})", s) \
        or re.fullmatch(r"h([12])(?: of)? (\d{4})", s)
    if m:
        h = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "last": 2}.get(m.group(1)) or int(m.group(1))
        y = int(m.group(2))
        start, end = (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
        return _point(text, start, end, "range", f"{y}-H{h}", "half-year")
    m = re.fullmatch(r"(?:the )?(\d{3})0'?s", s)
    if m:
        d = int(m.group(1)) * 10
        return _point(text, date(d, 1, 1), date(d + 9, 12, 31), "decade", m.group(1), "decade")
    m = re.fullmatch(r"(?:the )?'(\d)0'?s", s) or re.fullmatch(r"(?:the )?(" + "|".join(DECADE_WORDS) + ")", s)
    if m:
        digit = int(m.group(1)) if m.group(1).isdigit() else DECADE_WORDS[m.group(1)]
        century = 19  # "the eighties", "the '80s": this toolkit reads 20th-century news idiom
        d = century * 100 + digit * 10
        return _point(text, date(d, 1, 1), date(d + 9, 12, 31), "decade", str(d // 10), "decade-short")
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th) century", s) or re.fullmatch(
        r"(?:the )?(" + "|".join(CENTURY_WORDS) + ") century", s)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else CENTURY_WORDS[m.group(1)]
        c = (n - 1) * 100
        if c < 1000:
            return None
        return _point(text, date(c, 1, 1), date(c + 99, 12, 31), "century", f"{n - 1:02d}", "century")
    return None


def _make_day(text, y, mo, d, rule, relative=False, anchor=""):
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    return _point(text, day, day, "day", day.isoformat(), rule, relative, anchor)


def _year_for_month(month: int, ctx: _Context, day: int = 1, ahead: int = 31) -> Optional[int]:
    """Year of a month named without one: the anchor's, or the previous year when the verb is past and the month is still to come."""
    if ctx.default_year:
        return ctx.default_year
    if not ctx.anchor:
        return None
    a = ctx.anchor
    candidates = []
    for y in (a.year - 1, a.year, a.year + 1):
        when = date(y, month, min(day, calendar.monthrange(y, month)[1]))
        # the tense read from the parse is noisy: a past verb only rules out dates over a month ahead
        # (six weeks for a named day: "declared a dividend payable Dec. 1")
        if ctx.tense == "past" and when > a + timedelta(days=ahead):
            continue
        if ctx.tense == "future" and when < a - timedelta(days=31):
            continue
        distance = abs((when - a).days)
        if not ctx.tense and when > a:
            distance *= 2  # news mostly reports what happened: without a tense, lean to the past
        candidates.append((distance, y))
    return min(candidates)[1]


def _easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of the month; ``n = -1`` for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = month_end(year, month)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


#: holiday name (as :func:`_clean` leaves it) -> the day it falls on in a given year
HOLIDAYS = {
    r"christmas(?: day)?": lambda y: date(y, 12, 25), r"christmas eve": lambda y: date(y, 12, 24),
    r"boxing day": lambda y: date(y, 12, 26), r"new year(?:s)? day": lambda y: date(y, 1, 1),
    r"new year(?:s)? eve": lambda y: date(y, 12, 31), r"valentines? day": lambda y: date(y, 2, 14),
    r"(?:independence day|(?:the )?fourth of july|july (?:fourth|4th))": lambda y: date(y, 7, 4),
    r"halloween": lambda y: date(y, 10, 31), r"veterans'? day": lambda y: date(y, 11, 11),
    r"st\.? patrick day": lambda y: date(y, 3, 17), r"bastille day": lambda y: date(y, 7, 14),
    r"thanksgiving(?: day)?": lambda y: _nth_weekday(y, 11, 3, 4),
    r"election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    r"labou?r day": lambda y: _nth_weekday(y, 9, 0, 1), r"memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    r"(?:martin luther king(?: jr\.?)?|mlk) day": lambda y: _nth_weekday(y, 1, 0, 3),
    r"presidents'? day": lambda y: _nth_weekday(y, 2, 0, 3), r"columbus day": lambda y: _nth_weekday(y, 10, 0, 2),
    r"mother day": lambda y: _nth_weekday(y, 5, 6, 2), r"father day": lambda y: _nth_weekday(y, 6, 6, 3),
    r"easter(?: sunday)?": _easter, r"good friday": lambda y: _easter(y) - timedelta(days=2),
    r"easter monday": lambda y: _easter(y) + timedelta(days=1),
}
_HOLIDAY_RE = "|".join(f"(?:{k})" for k in HOLIDAYS)


def _parse_holiday(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    """Named days ("Thanksgiving", "Christmas Day 2018", "last Easter"): the day of the year given or nearest."""
    m = re.fullmatch(rf"(?:(last|next|this) )?({_HOLIDAY_RE})(?:,? (\d{{4}}))?", s)
    if not m:
        return None
    which, name, year = m.groups()
    rule_of = next(f for k, f in HOLIDAYS.items() if re.fullmatch(k, name))
    if year:
        return _make_day(text, int(year), rule_of(int(year)).month, rule_of(int(year)).day, "holiday-year")
    a = ctx.anchor
    if ctx.default_year:
        day = rule_of(ctx.default_year)
        return _make_day(text, day.year, day.month, day.day, "holiday+range-year")
    if not a:
        return _unresolved(text, "", "holiday-no-anchor", "day")
    days = [rule_of(y) for y in (a.year - 1, a.year, a.year + 1)]
    if which == "last":
        day = max(d for d in days if d < a)
    elif which == "next":
        day = min(d for d in days if d > a)
    elif which == "this":
        day = days[1]
    else:
        y = _year_for_month(days[1].month, ctx, days[1].day, ahead=45)
        day = rule_of(y)
    return _point(text, day, day, "day", day.isoformat(), f"holiday{'-' + which if which else ''}", True, _pub(ctx))


def _year_for_quarter(n: int, ctx: _Context) -> int:
    """Year of a quarter named without one: the anchor's (as TimeML annotators and HeidelTime read it), unless
    the clause is past and the quarter is still to come, or, with no tense, it is the quarter just completed in the
    previous year ("fourth-quarter profit" reported in January)."""
    a = ctx.anchor
    y = a.year
    start, _ = _quarter_interval(y, n)
    if start > a and (ctx.tense == "past" or (not ctx.tense and not ctx.present and _latest_quarter(a) == (y - 1, n))):
        return y - 1
    return y


def _parse_partial(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    """Months, days and seasons named without a year: anchored to the publication date."""
    m = (re.fullmatch(rf"(?:{_WEEKDAY_RE},? )?({_MONTH_RE}) (\d{{1,2}})(?:st|nd|rd|th)?", s)
         or re.fullmatch(rf"(?:{_WEEKDAY_RE},? )?(?:the )?(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? ({_MONTH_RE})", s))
    if m:
        a, b = m.groups()
        mo, d = (MONTHS[a.rstrip(".")], int(b)) if not a.isdigit() else (MONTHS[b.rstrip(".")], int(a))
        y = _year_for_month(mo, ctx, d, ahead=45)
        if y is None:
            return _unresolved(text, f"XXXX-{mo:02d}-{d:02d}", "month-day-no-anchor", "day")
        if ctx.default_year:  # the year is written on the other side of the range: not relative
            return _make_day(text, y, mo, d, "month-day+range-year")
        return _make_day(text, y, mo, d, "month-day+anchor-year", True, _pub(ctx))
    m = re.fullmatch(rf"(?:the )?({_MONTH_RE})(?: of)? (this|last|next) year", s)
    if m:
        mo = MONTHS[m.group(1).rstrip(".")]
        if not ctx.anchor:
            return _unresolved(text, f"XXXX-{mo:02d}", "month-year-no-anchor", "month")
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m.group(2)]
        return _point(text, *_month_interval(y, mo), "month", f"{y}-{mo:02d}", f"month+{m.group(2)}-year", True, _pub(ctx))
    m = re.fullmatch(rf"(?:the )?(?:month of )?({_MONTH_RE})", s)
    if m and s not in ("may", "the may", "mar", "sat", "sun", "jan", "dec"):
        mo = MONTHS[m.group(1).rstrip(".")]
        y = _year_for_month(mo, ctx)
        if y is None:
            return _unresolved(text, f"XXXX-{mo:02d}", "month-no-anchor", "month")
        if ctx.default_year:
            return _point(text, *_month_interval(y, mo), "month", f"{y}-{mo:02d}", "month+range-year")
        return _point(text, *_month_interval(y, mo), "month", f"{y}-{mo:02d}", "month+anchor-year", True, _pub(ctx))
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)?", s)
    if m and ctx.default_year and ctx.default_month:
        return _make_day(text, ctx.default_year, ctx.default_month, int(m.group(1)), "day+range-month")
    result = _parse_holiday(s, text, ctx)
    if result is not None:
        return result
    m = re.fullmatch(r"(?:the )?(spring|summer|autumn|fall|winter)", s)
    if m:
        code = SEASONS[m.group(1)]
        y = ctx.default_year or (ctx.anchor.year if ctx.anchor else None)
        if y is None:
            return _unresolved(text, f"XXXX-{code}", "season-no-anchor", "season")
        if ctx.anchor and not ctx.default_year and ctx.tense == "past" and _season_interval(y, code)[0] > ctx.anchor:
            y -= 1
        if ctx.default_year:
            return _point(text, *_season_interval(y, code), "season", f"{y}-{code}", "season+range-year")
        return _point(text, *_season_interval(y, code), "season", f"{y}-{code}", "season+anchor-year", True, _pub(ctx))
    return None
