"""Modifiers of a time expression ("early", "mid-", "the end of") applied to its interval."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from analysis.timeline.time_lexicon import TimeExpression, _Context, _shift, _unit_interval, add_months, month_end


_MODIFIER_PREFIXES = [
    (r"(?:the )?(?:very )?(?:beginning|start|outset|dawn) of (?:the )?", "beginning"),
    (r"(?:the )?(?:very )?end of (?:the )?", "end"),
    (r"(?:the )?middle of (?:the )?", "mid"),
    (r"(?:the )?early(?:-| )", "early"),
    (r"(?:the )?mid(?:-| )", "mid"),
    (r"(?:the )?late(?:-| )", "late"),
    (r"(?:around|about|approximately|circa|c\.|roughly|some|nearly|almost) (?:the )?", "approximately"),
    (r"(?:before|prior to|earlier than) ", "before"),
    (r"(?:after|later than|following) ", "after"),
    (r"since ", "since"),
    (r"(?:until|till|up to|by) ", "until"),
]


def _thirds(start: date, end: date, which: int) -> tuple[date, date]:
    """First (0), middle (1) or last (2) third of [start, end], on month bounds when the span is months long."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months >= 3 and start.day == 1 and end == month_end(end.year, end.month):
        size = months / 3
        lo = add_months(start, round(size * which))
        hi = add_months(start, round(size * (which + 1)))
        return lo, hi - timedelta(days=1)
    days = (end - start).days + 1
    lo = start + timedelta(days=round(days * which / 3))
    hi = start + timedelta(days=round(days * (which + 1) / 3) - 1)
    return lo, max(lo, hi)


def _apply_modifier(expr: TimeExpression, modifier: str, ctx: _Context) -> TimeExpression:
    """Narrow, widen or open the interval of ``expr`` as ``modifier`` says."""
    if not modifier or expr.type in ("DURATION", "SET"):
        return replace(expr, modifier=modifier or expr.modifier)
    if not expr.resolved or expr.start is None or expr.end is None:
        return replace(expr, modifier=modifier)
    start, end, precision = expr.start, expr.end, expr.precision
    if modifier in ("beginning", "early"):
        start, end = _thirds(start, end, 0)
    elif modifier == "mid":
        start, end = _thirds(start, end, 1)
    elif modifier in ("end", "late"):
        start, end = _thirds(start, end, 2)
    elif modifier == "approximately":
        unit = {"day": "day", "week": "week", "month": "month", "season": "season", "quarter": "quarter",
                "year": "year", "decade": "decade", "century": "century"}.get(precision, "")
        if unit:
            start, end = _shift(start, unit, -1), _shift(end, unit, 1)
            end = _unit_interval(end, unit)[0][1] if unit not in ("season",) else month_end(end.year, end.month)
    elif modifier == "before":
        start, end, precision = None, start - timedelta(days=1), "range"
    elif modifier == "after":
        start, end, precision = end + timedelta(days=1), None, "range"
    elif modifier == "since":
        end, precision = (ctx.anchor if ctx.anchor and ctx.anchor >= start else None), "range"
    elif modifier == "until":
        start, precision = None, "range"
    return replace(expr, start=start, end=end, precision=precision, modifier=modifier)
