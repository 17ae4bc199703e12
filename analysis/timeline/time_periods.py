"""Reporting periods ("the first quarter", "fiscal 2019"), durations and sets."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Optional

from analysis.timeline.time_lexicon import (
    MONTHS,
    ORDINALS,
    PRECISIONS,
    SEASONS,
    TimeExpression,
    VAGUE_NUMBERS,
    WEEKDAYS,
    _Context,
    _MONTH_RE,
    _NUM_RE,
    _PARTS_OF_DAY,
    _UNIT_RE,
    _WEEKDAY_RE,
    _duration_value,
    _latest_quarter,
    _number,
    _point,
    _pub,
    _quarter_interval,
    _unit,
    _unresolved,
    _valid_year,
    _week_value,
    _year_interval,
)
from analysis.timeline.time_modifiers import _apply_modifier


_QUARTER_ORDINAL = r"(first|second|third|fourth|1st|2nd|3rd|4th)"


def _parse_reporting_period(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    """Periods named the way company and news reports name them, anchored to the publication date.

    TimeML reads "the quarter" and "the latest quarter" of a results report as the last completed
    quarter, "the year-ago quarter" as that quarter a year back, "the 1988 third quarter" as
    1988-Q3, "the year", "the full year" and "year-end" as the publication year, and "the weekend"
    as the nearest weekend (the coming one when the clause is in the future).
    """
    a = ctx.anchor
    m = re.fullmatch(rf"(?:the )?(\d{{4}})(?: fiscal)?(?: {_QUARTER_ORDINAL})? (quarter|period)", s)
    if m and _valid_year(int(m.group(1))):
        y = int(m.group(1))
        if m.group(2):
            q = ORDINALS[m.group(2)]
        elif a:
            q = _latest_quarter(a)[1]
        else:
            return _unresolved(text, f"{y}-QX", "year-quarter-no-anchor", "quarter")
        return _point(text, *_quarter_interval(y, q), "quarter", f"{y}-Q{q}", "year+quarter", bool(a and not m.group(2)),
                      _pub(ctx) if a and not m.group(2) else "")
    m = (re.fullmatch(rf"(?:the )?(?:comparable |corresponding |same )?(?:year-ago|year-earlier|year ago|year earlier)"
                      rf"(?: fiscal)?(?: {_QUARTER_ORDINAL})?(?: fiscal)? (quarter|period)", s)
         or re.fullmatch(rf"(?:the )?(?:quarter|period) (?:a year (?:ago|earlier)|last year)", s))
    if m:
        if not a:
            return _unresolved(text, "", "year-ago-quarter-no-anchor", "quarter")
        y, q = _latest_quarter(a)
        if m.lastindex and m.group(1) in ORDINALS:
            y, q = a.year, ORDINALS[m.group(1)]
        y -= 1
        return _point(text, *_quarter_interval(y, q), "quarter", f"{y}-Q{q}", "year-ago-quarter", True, _pub(ctx))
    m = re.fullmatch(rf"(last|next|this) year (?:{_QUARTER_ORDINAL} )?(?:fiscal )?quarter", s)
    if m:
        if not a:
            return _unresolved(text, "", "year-quarter-no-anchor", "quarter")
        y = a.year + {"last": -1, "next": 1, "this": 0}[m.group(1)]
        q = ORDINALS[m.group(2)] if m.group(2) else _latest_quarter(a)[1]
        return _point(text, *_quarter_interval(y, q), "quarter", f"{y}-Q{q}", f"{m.group(1)}-year-quarter", True, _pub(ctx))
    if re.fullmatch(r"(?:the )?(?:latest|most recent|just-ended|just ended|recent|fiscal|latest fiscal)? ?quarter"
                    r"|(?:the )?(?:latest|most recent) period", s) \
            and s != "quarter":
        if not a:
            return _unresolved(text, "", "the-quarter-no-anchor", "quarter")
        if ctx.tense == "future":
            y, q = a.year, (a.month - 1) // 3 + 1
        else:
            y, q = _latest_quarter(a)
        return _point(text, *_quarter_interval(y, q), "quarter", f"{y}-Q{q}", "the-quarter", True, _pub(ctx))
    m = re.fullmatch(r"(?:the )?(?:year-ago|year-earlier|year ago)", s)
    if m:
        if not a:
            return _unresolved(text, "", "year-ago-no-anchor", "year")
        return _point(text, *_year_interval(a.year - 1), "year", str(a.year - 1), "year-ago", True, _pub(ctx))
    if re.fullmatch(r"(?:the )?(?:current |full |fiscal |calendar |current fiscal |full fiscal )?year|year(?:-| )end", s) \
            and (s.startswith("the ") or s in ("year", "year end", "year-end")):
        if not a:
            return _unresolved(text, "", "the-year-no-anchor", "year")
        expr = _point(text, *_year_interval(a.year), "year", str(a.year), "the-year", True, _pub(ctx))
        return _apply_modifier(expr, "end", ctx) if s.startswith("year") and s != "year" else expr
    if s in ("the weekend", "weekend"):
        if not a:
            return _unresolved(text, "", "the-weekend-no-anchor", "week")
        saturday = a - timedelta(days=a.weekday()) + timedelta(days=5)
        if ctx.tense != "future" and saturday > a:
            saturday -= timedelta(days=7)
        return _point(text, saturday, saturday + timedelta(days=1), "week", _week_value(saturday) + "-WE",
                      "the-weekend", True, _pub(ctx))
    return None


def _unit_precision(unit: str) -> str:
    return {"weekend": "week", "fortnight": "week", "night": "day"}.get(unit, unit if unit in PRECISIONS else "range")


def _parse_duration_or_set(s: str, text: str) -> Optional[TimeExpression]:
    """Durations (no interval: they date nothing) and recurring sets."""
    m = re.fullmatch(rf"(?:for |over |about |nearly |almost |around |roughly |some |more than |less than |at least |up to |just |only |another |the |"
                     rf"no more than |at most |an additional |additional |a further |an extra |)?"
                     rf"({_NUM_RE})(?:-| )({_UNIT_RE})(?:-long| long| old)?(?: and a half)?", s)
    if m:
        unit = _unit(m.group(2))
        n = _number(m.group(1)) if m.group(1) not in VAGUE_NUMBERS else None
        return TimeExpression(text=text, type="DURATION", value=_duration_value(n, unit), precision="",
                              rule="duration")
    m = re.fullmatch(rf"({_UNIT_RE})", s)
    if m and m.group(1).endswith("s"):
        return TimeExpression(text=text, type="DURATION", value=_duration_value(None, _unit(m.group(1))), rule="duration-bare")
    m = re.fullmatch(r"(?:every|each) (spring|summer|autumn|fall|winter)", s)
    if m:
        return TimeExpression(text=text, type="SET", value=f"XXXX-{SEASONS[m.group(1)]}", rule="set-season")
    # "every morning", "each Tuesday night", "Tuesday nights", "on Mondays": recurring times (TimeML SETs)
    m = re.fullmatch(rf"(?:every|each) (?:({_WEEKDAY_RE}) )?(morning|afternoon|evening|night)", s) \
        or re.fullmatch(rf"(?:every |each )?({_WEEKDAY_RE}) (morning|afternoon|evening|night)s", s) \
        or re.fullmatch(rf"({_WEEKDAY_RE})s()", s)
    if m:
        day = f"XXXX-WXX-{WEEKDAYS[m.group(1)] + 1}" if m.group(1) else "XXXX-XX-XX"
        part = f"T{_PARTS_OF_DAY[m.group(2)]}" if m.group(2) else ""
        return TimeExpression(text=text, type="SET", value=day + part, rule="set-part-of-day" if part else "set-weekday")
    # "every two weeks", "every other year": the period between occurrences
    m = re.fullmatch(rf"(?:every|each) (other|{_NUM_RE}) ({_UNIT_RE})", s)
    if m and m.group(1) not in VAGUE_NUMBERS:
        n = 2 if m.group(1) == "other" else _number(m.group(1))
        if n is not None:
            return TimeExpression(text=text, type="SET", value=_duration_value(n, _unit(m.group(2))), rule="set-every-n")
    # "twice a year", "three times a week": a frequency over a period (TimeML value = the period)
    m = re.fullmatch(rf"(?:once|twice|thrice|(?:{_NUM_RE}) times) (?:a|an|per|every|each) ({_UNIT_RE})", s)
    if m:
        return TimeExpression(text=text, type="SET", value=_duration_value(1, _unit(m.group(1))), rule="set-frequency")
    m = re.fullmatch(rf"(?:every|each|per|a) ({_UNIT_RE}|{_WEEKDAY_RE}|{_MONTH_RE})", s)
    if m or s in ("annually", "yearly", "annual", "daily", "weekly", "monthly", "quarterly", "hourly", "nightly"):
        word = m.group(1) if m else {"annually": "year", "yearly": "year", "annual": "year", "daily": "day",
                                     "weekly": "week", "monthly": "month", "quarterly": "quarter",
                                     "hourly": "hour", "nightly": "night"}[s]
        if word in WEEKDAYS:
            value = f"XXXX-WXX-{WEEKDAYS[word] + 1}"
        elif word.rstrip(".") in MONTHS:
            value = f"XXXX-{MONTHS[word.rstrip('.')]:02d}"
        else:
            value = _duration_value(1, _unit(word))
        return TimeExpression(text=text, type="SET", value=value, rule="set")
    return None
