"""Normalising one time expression to a TIMEX3 value and interval: relative expressions, ranges and modifiers, resolved against an anchor date."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Optional

from analysis.timeline.time_absolute import _parse_absolute, _parse_partial, _year_for_quarter
from analysis.timeline.time_lexicon import (
    FUTURE_REF,
    MONTHS,
    ORDINALS,
    PAST_REF,
    PRESENT_REF,
    SEASONS,
    TimeExpression,
    VAGUE_NUMBERS,
    WEEKDAYS,
    _Context,
    _MONTH_RE,
    _NUM_RE,
    _PARTS_OF_DAY,
    _TZ_RE,
    _UNIT_RE,
    _WEEKDAY_RE,
    _clean,
    _duration_value,
    _month_interval,
    _number,
    _point,
    _prev,
    _pub,
    _quarter_interval,
    _season_interval,
    _shift,
    _unit,
    _unit_interval,
    _unresolved,
    add_months,
)
from analysis.timeline.time_modifiers import _MODIFIER_PREFIXES, _apply_modifier
from analysis.timeline.time_periods import _parse_duration_or_set, _parse_reporting_period, _unit_precision


#: a named zone of wire copy: "Moscow time", "Baghdad time" (lower-cased by ``_clean``)
_ZONE_RE = r"(?:[a-z]+ time)"


def _clock_time(text: str, hour: int, minute: int, day_words: str | None, ctx: _Context) -> Optional[TimeExpression]:
    """A time of day: on the day ``day_words`` names ("Tuesday"), else on the anchor day, else unresolved (TIME)."""
    if hour > 23:
        return None
    day_expr = _parse_modified(day_words, day_words, ctx) if day_words else None
    if day_words and (day_expr is None or day_expr.precision != "day" or day_expr.type != "DATE"):
        return None
    if day_expr is not None and day_expr.resolved:
        day, anchor = day_expr.start, day_expr.anchor
    elif ctx.anchor and not day_words:
        day, anchor = ctx.anchor, _pub(ctx)
    else:
        return _unresolved(text, f"XXXX-XX-XXT{hour:02d}:{minute:02d}", "clock-no-anchor", "day", "TIME")
    return _point(text, day, day, "day", f"{day.isoformat()}T{hour:02d}:{minute:02d}", "clock-time", True, anchor, "TIME")


def _parse_relative(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    """Deictic and anaphoric expressions."""
    a = ctx.anchor
    # today / yesterday / tomorrow and parts of the day
    simple = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2,
              "this day": 0, "tonight": 0, "last night": -1, "this morning": 0, "this afternoon": 0,
              "this evening": 0, "yesterday morning": -1, "yesterday afternoon": -1, "yesterday evening": -1,
              "tomorrow morning": 1, "tomorrow evening": 1, "tomorrow afternoon": 1, "earlier today": 0,
              "later today": 0, "overnight": 0}
    m = re.fullmatch(r"(?:(?:mid|later|earlier)[- ])(?:(this|tonight) )?(morning|afternoon|evening|night)"
                     r"(?: (yesterday|today|tomorrow))?|(?:(?:mid|later|earlier)[- ])?(?:this )?"
                     r"(morning|afternoon|evening|night) (yesterday|today|tomorrow)", s)
    if m:  # "mid-afternoon yesterday", "later this afternoon": a part of a deictic day
        part_word = m.group(2) or m.group(4)
        day_word = m.group(3) or m.group(5) or "today"
        if not a:
            return _unresolved(text, "", "part-of-day-no-anchor", "day", "TIME")
        day = a + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[day_word])
        return _point(text, day, day, "day", f"{day.isoformat()}T{_PARTS_OF_DAY[part_word]}", "part-of-day", True,
                      _pub(ctx), "TIME")
    if s in simple:
        part = next((code for word, code in _PARTS_OF_DAY.items() if word in s), "")
        part = "NI" if s in ("tonight", "last night") else part
        type_ = "TIME" if part else "DATE"
        if not a:
            return _unresolved(text, "", "deictic-no-anchor", "day", type_)
        day = a + timedelta(days=simple[s])
        value = day.isoformat() + (f"T{part}" if part else "")
        return _point(text, day, day, "day", value, "deictic-day", True, _pub(ctx), type_)
    # clock times: "9 a.m.", "4 p.m. EDT Thursday", "noon"
    m = re.fullmatch(rf"(?:(\d{{1,2}})(?::(\d\d))? ?(a\.?m|p\.?m)\.?|(noon|midday|midnight))(?: {_TZ_RE})?(?:,? (?:on )?(.+))?", s)
    if m:
        hour_s, minute_s, half, word, weekday = m.groups()
        if word:
            hour, minute = (0, 0) if word == "midnight" else (12, 0)
        else:
            hour, minute = int(hour_s) % 12 + (12 if half.startswith("p") else 0), int(minute_s or 0)
        return _clock_time(text, hour, minute, weekday, ctx)
    # wire-service clock times: "1600 GMT", "0930 local time", "2100 hours", "0400 hrs Moscow time": a time of
    # day on the anchor day (or the day named after it), never the year 1600; without "hours" or a time zone
    # the four digits are left to the year rules ("in 1600")
    m = re.fullmatch(rf"([01]\d|2[0-3]):?([0-5]\d) ?(?:(?:hours|hrs|h)\b(?: ?(?:{_TZ_RE}|{_ZONE_RE}))?|(?:{_TZ_RE}|{_ZONE_RE}))"
                     r"(?:,? (?:on )?(.+))?", s)
    if m:
        return _clock_time(text, int(m.group(1)), int(m.group(2)), m.group(3), ctx)
    # weekdays: "Monday", "last Sunday", "next Friday", "on Wednesday evening"
    m = re.fullmatch(rf"(?:(last|this|next|this past|this coming|past|coming) )?({_WEEKDAY_RE})(?:'s)?(?: (morning|afternoon|evening|night))?", s)
    if m:
        which, name, part = m.groups()
        wd = WEEKDAYS[name]
        type_ = "TIME" if part else "DATE"
        suffix = f"T{_PARTS_OF_DAY[part]}" if part else ""
        if not a:
            return _unresolved(text, f"XXXX-WXX-{wd + 1}{suffix}", "weekday-no-anchor", "day", type_)
        back = (a.weekday() - wd) % 7
        if which in ("last", "this past", "past"):
            day = a - timedelta(days=back or 7)
            rule = "weekday-last"
        elif which in ("next", "this coming", "coming"):
            day = a + timedelta(days=(wd - a.weekday()) % 7 or 7)
            rule = "weekday-next"
        elif not which and (ctx.tense == "future" or ctx.present):
            # the closest such day ahead, the anchor day included ("will meet Friday" written on a Friday)
            day = a + timedelta(days=(wd - a.weekday()) % 7)
            rule = "weekday-ahead"
        elif which == "this":
            day = a - timedelta(days=a.weekday()) + timedelta(days=wd)
            rule = "weekday-this-week"
        else:
            day = a - timedelta(days=back)  # news idiom: the most recent such day, the anchor day included
            rule = "weekday-most-recent"
        return _point(text, day, day, "day", day.isoformat() + suffix, rule, True, _pub(ctx), type_)
    # reporting periods and bare units of the news idiom ("the quarter", "the year-ago period", "year-end")
    result = _parse_reporting_period(s, text, ctx)
    if result is not None:
        return result
    # last/this/next/the previous/the following + unit
    m = re.fullmatch(r"(?:the )?(last|this|next|current|coming|past|previous|preceding|following|same|that|prior|this past|subsequent) "
                     r"(week|weekend|month|quarter|year|decade|century|spring|summer|autumn|fall|winter|season)", s)
    if m:
        which, unit = m.groups()
        anaphoric = which in ("previous", "preceding", "following", "same", "that", "prior", "subsequent")
        offset = {"last": -1, "past": -1, "this past": -1, "previous": -1, "preceding": -1, "prior": -1,
                  "next": 1, "coming": 1, "following": 1, "subsequent": 1}.get(which, 0)
        if s.startswith("the ") and which in ("next", "coming") and unit in ("decade", "century"):
            # "the next decade": the ten years ahead of the anchor, a length in TimeML (P10Y), not the 2020s
            if not a:
                return _unresolved(text, _duration_value(1, unit), f"the-{which}-{unit}-no-anchor", "range", "DURATION")
            return TimeExpression(text=text, type="DURATION", value=_duration_value(1, unit), start=a,
                                  end=_shift(a, unit, 1), precision="range", relative=True, anchor=_pub(ctx),
                                  rule=f"the-{which}-{unit}")
        if anaphoric:
            if ctx.previous is None or ctx.previous.start is None:
                return _unresolved(text, "", f"{which}-{unit}-no-previous", _unit_precision(unit))
            ref, anchor = ctx.previous.start, _prev(ctx)
        else:
            if not a:
                return _unresolved(text, "", f"{which}-{unit}-no-anchor", _unit_precision(unit))
            ref, anchor = a, _pub(ctx)
        if unit in SEASONS:
            code = SEASONS[unit]
            y = ref.year + offset
            if offset == 0 and not anaphoric and ctx.tense == "past" and _season_interval(y, code)[0] > ref:
                y -= 1
            return _point(text, *_season_interval(y, code), "season", f"{y}-{code}", f"{which}-season", True, anchor)
        if unit == "season":
            return _unresolved(text, "", "season-unknown")
        if s.startswith("the ") and which in ("last", "past") and unit not in SEASONS:
            # "the last year" is the twelve months before the anchor, not the previous calendar year; its
            # TimeML value is nevertheless the previous calendar unit ("the last week" = 2000-W15)
            if not a:
                return _unresolved(text, _duration_value(1, unit), f"the-{which}-{unit}-no-anchor", "range", "DURATION")
            # (for a week, the ISO week holding most of the seven days: "the past week" of a Friday is its own week)
            value = _unit_interval(a - timedelta(days=3) if unit == "week" else _shift(a, unit, -1), unit)[2]
            if which == "past" and unit in ("decade", "century"):
                value = _duration_value(1, unit)  # "the past decade" is TimeML's length P10Y, not the 2000s
            return TimeExpression(text=text, type="DURATION", value=value, start=_shift(a, unit, -1), end=a,
                                  precision="range", relative=True, anchor=_pub(ctx), rule=f"the-{which}-{unit}")
        (start, end), precision, value = _unit_interval(_shift(ref, unit, offset), unit)
        return _point(text, start, end, precision, value, f"{which}-{unit}", True, anchor)
    # "last June", "next April", "this May": the nearest such month before/after the anchor
    m = re.fullmatch(rf"(last|next|this|this past|this coming|past|coming) ({_MONTH_RE})", s)
    if m:
        which, name = m.groups()
        mo = MONTHS[name.rstrip(".")]
        if not a:
            return _unresolved(text, f"XXXX-{mo:02d}", "month-no-anchor", "month")
        if which in ("last", "this past", "past"):
            y = a.year if mo < a.month else a.year - 1
        elif which in ("next", "this coming", "coming"):
            y = a.year if mo > a.month else a.year + 1
        else:
            y = a.year
        return _point(text, *_month_interval(y, mo), "month", f"{y}-{mo:02d}", f"{which}-month-name", True, _pub(ctx))
    # "the third quarter", "first-half": the anchor's year
    m = re.fullmatch(r"(this year |the )?(?:fiscal(?:-| ))?(first|second|third|fourth|1st|2nd|3rd|4th)(?:-| )(quarter|half)", s) \
        or re.fullmatch(r"()([qh][1-4])()", s)
    if m:
        this_year, ordinal, unit = m.groups()
        if not unit:
            unit, ordinal = ("quarter" if ordinal[0] == "q" else "half"), "1234"[int(ordinal[1]) - 1]
        n = ORDINALS.get(ordinal) or int(ordinal)
        y = ctx.default_year or (a.year if a else None)
        if a and not ctx.default_year and (this_year or "").strip() != "this year" and unit == "quarter":
            # the fourth quarter named in January is the one just ended: the nearest such quarter
            y = _year_for_quarter(n, ctx)
        code = ("Q" if unit == "quarter" else "H") + str(n)
        if y is None or (code[0] == "H" and n > 2):
            return _unresolved(text, f"XXXX-{code}", "quarter-no-anchor", "quarter")
        if code[0] == "Q":
            return _point(text, *_quarter_interval(y, n), "quarter", f"{y}-{code}", "quarter+anchor-year", True, _pub(ctx))
        start, end = (date(y, 1, 1), date(y, 6, 30)) if n == 1 else (date(y, 7, 1), date(y, 12, 31))
        return _point(text, start, end, "range", f"{y}-{code}", "half+anchor-year", True, _pub(ctx))
    # earlier in the year (the publication's), later that year (the previous date's)
    m = re.fullmatch(r"(earlier|later) (?:in )?(that|the|this) (day|week|month|year)", s)
    if m and m.group(2) != "this":
        side, which, unit = m.groups()
        if which == "that":
            if ctx.previous is None or ctx.previous.start is None:
                return _unresolved(text, "", f"{side}-that-{unit}-no-previous", _unit_precision(unit))
            ref, anchor = ctx.previous.start, _prev(ctx)
        elif a:
            ref, anchor = a, _pub(ctx)
        else:
            return _unresolved(text, "", f"{side}-the-{unit}-no-anchor", _unit_precision(unit))
        (start, end), precision, value = _unit_interval(ref, unit)
        start, end = (start, ref) if side == "earlier" else (ref, end)
        return _point(text, start, end, precision, value, f"{side}-{which}-{unit}", True, anchor)
    # earlier/later this year
    m = re.fullmatch(r"(earlier|later) (this|last|next) (week|month|year)", s)
    if m:
        side, which, unit = m.groups()
        if not a:
            return _unresolved(text, "", f"{side}-{which}-{unit}-no-anchor", _unit_precision(unit))
        offset = {"this": 0, "last": -1, "next": 1}[which]
        (start, end), precision, value = _unit_interval(_shift(a, unit, offset), unit)
        if which == "this":
            start, end = (start, a) if side == "earlier" else (a, end)
        return _point(text, start, end, precision, value, f"{side}-{which}-{unit}", True, _pub(ctx))
    # N units ago / earlier / later / before / after
    m = re.fullmatch(rf"(?:about |some |nearly |almost |around |roughly |more than |over |just )?({_NUM_RE}) ({_UNIT_RE}) (ago|earlier|later|before|after|previously|back|on|hence|from now)", s) \
        or re.fullmatch(rf"(?:a|the) ({_UNIT_RE}) (earlier|later|before|after)", s)
    if m:
        if m.lastindex == 2:
            n_word, unit_word, direction = "a", m.group(1), m.group(2)
        else:
            n_word, unit_word, direction = m.groups()
        unit = _unit(unit_word)
        n = _number(n_word)
        sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
        anaphoric = direction in ("earlier", "later", "before", "after", "on")
        if anaphoric and ctx.previous is not None and ctx.previous.start is not None:
            ref, anchor = ctx.previous.start, _prev(ctx)
        elif not anaphoric and a:
            ref, anchor = a, _pub(ctx)
        else:
            return _unresolved(text, "", f"{direction}-no-anchor", _unit_precision(unit))
        if unit in ("second", "minute", "min", "hour", "hr"):
            return _point(text, ref, ref, "day", ref.isoformat(), f"{direction}-hours", True, anchor, "TIME")
        if n is None or not float(n).is_integer():
            # "a few years ago": somewhere between one and five units back — an honest span, not a point
            far = _shift(ref, unit, sign * 5)
            near = _shift(ref, unit, sign * 1)
            lo, hi = sorted([far, near])
            return _point(text, _unit_interval(lo, unit)[0][0], _unit_interval(hi, unit)[0][1], "range",
                          "PAST_REF" if sign < 0 else "FUTURE_REF", f"vague-{direction}", True, anchor)
        target = _shift(ref, unit, sign * int(n))
        (start, end), precision, value = _unit_interval(target, unit)
        return _point(text, start, end, precision, value, f"n-units-{direction}", True, anchor)
    # the past/last/next N units, recent days: periods ending (or starting) at the anchor
    m = re.fullmatch(rf"(?:the |these )?(past|last|previous|next|coming|future|recent|first|final|latest)(?: ({_NUM_RE}))? ({_UNIT_RE})", s) \
        or re.fullmatch(rf"(?:in )?(recent) ({_UNIT_RE})", s)
    if m:
        if m.lastindex == 2:
            which, n_word, unit_word = m.group(1), None, m.group(2)
        else:
            which, n_word, unit_word = m.groups()
        unit = _unit(unit_word)
        if which in ("first", "final", "latest"):
            if n_word is None or n_word in VAGUE_NUMBERS:
                return None
            # "the first nine months": TimeML gives the length (P9M); the year is not said, so no interval
            return TimeExpression(text=text, type="DURATION", value=_duration_value(_number(n_word), unit),
                                  rule=f"{which}-n-units")
        plural = unit_word.endswith("s") and not unit_word.endswith("ss")
        if n_word is None and not plural and which != "recent":
            return None  # "last year" handled above
        n = _number(n_word) if n_word else None
        if which == "recent":
            n = {"day": 7, "week": 4, "month": 3, "year": 3}.get(unit, 3)
            n, unit_for_span = (n, "day") if unit == "day" else (n, unit)
            value = "PAST_REF"
        else:
            unit_for_span = unit
            value = _duration_value(n if n_word and n_word not in VAGUE_NUMBERS else None, unit)
            if n is None:
                n = 5 if n_word in ("a few", "few", "several", "some") else (2 if n_word else 5)
        if not a:
            return _unresolved(text, value, f"{which}-period-no-anchor", "range", "DURATION" if which != "recent" else "DATE")
        span = _shift(a, unit_for_span, int(-n if which not in ("next", "coming", "future") else n))
        start, end = sorted([span, a])
        if which in ("next", "coming", "future") and n_word is None:
            value = "FUTURE_REF"  # "the coming months": TimeML's future reference, not a length
        return TimeExpression(text=text, type="DURATION" if which != "recent" and value != "FUTURE_REF" else "DATE", value=value,
                              start=start, end=end, precision="range", relative=True, anchor=_pub(ctx),
                              rule=f"{which}-period", resolved=True)
    # present / past / future references
    if s == "current":  # the adjective ("the current system"): TimeML's present reference, but it dates nothing
        return TimeExpression(text=text, value="PRESENT_REF", relative=True, anchor=_pub(ctx),
                              rule="present-ref-adjective", resolved=True)
    if s in PRESENT_REF:
        if not a:
            return _unresolved(text, "PRESENT_REF", "present-no-anchor", "day")
        return _point(text, a, a, "day", "PRESENT_REF", "present-ref", True, _pub(ctx))
    if s in ("recently", "lately", "in recent times"):
        if not a:
            return _unresolved(text, "PAST_REF", "recently-no-anchor", "range")
        return _point(text, add_months(a, -3), a, "range", "PAST_REF", "recently-3-months", True, _pub(ctx))
    if s in PAST_REF:
        return TimeExpression(text=text, value="PAST_REF", end=a, precision="range", relative=True,
                              anchor=_pub(ctx), rule="past-ref", resolved=a is not None)
    if s in FUTURE_REF:
        return TimeExpression(text=text, value="FUTURE_REF", start=a, precision="range", relative=True,
                              anchor=_pub(ctx), rule="future-ref", resolved=a is not None)
    # anaphora that TimeML does not annotate but a timeline needs: "before that", "that year"
    m = re.fullmatch(r"(before|after|since|until|prior to|by) (that|then|this)", s)
    if m:
        if ctx.previous is None or ctx.previous.start is None:
            return replace(_unresolved(text, "", "anaphora-no-previous"), timex=False)
        prev = ctx.previous
        mod = {"prior to": "before", "by": "until"}.get(m.group(1), m.group(1))
        base = replace(prev, text=text, relative=True, anchor=_prev(ctx), rule=f"{mod}-previous", timex=False)
        return _apply_modifier(base, mod, ctx)
    if s in ("then", "at the time", "at that time", "that time", "the time"):
        if ctx.previous is None:
            return replace(_unresolved(text, "", "then-no-previous"), timex=False)
        return replace(ctx.previous, text=text, relative=True, anchor=_prev(ctx), rule="then-previous", timex=False)
    return None


def _parse_core(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    for parser in (_parse_absolute, _parse_partial, _parse_relative):
        result = parser(s, text, ctx)
        if result is not None:
            return result
    return _parse_duration_or_set(s, text)


_RANGE_SEP = re.compile(r"\s*(?:-|/| to | through | thru | until | till | and |, and | or )\s*")


def _parse_range(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    """``from 2017 to 2019``, ``August and September of 2019``, ``7-9 December 2019``, ``Monday and Tuesday``."""
    s = re.sub(r"^(?:from|between) ", "", s)
    for sep in _RANGE_SEP.finditer(s):
        left, right = s[: sep.start()].strip(), s[sep.end():].strip()
        if not left or not right:
            continue
        r = _parse_modified(right, right, ctx)
        century = re.search(r"(?<!\d)(\d\d)(\d\d)$", left)
        if r is None and century and re.fullmatch(r"\d\d", right) and sep.group().strip() in ("-", "/", "to"):
            # "1957-58", "the 1998/99 season": the right end borrows the century of the left
            y = int(century.group(1)) * 100 + int(right)
            y += 100 if y <= int(century.group()) else 0
            r = _parse_modified(str(y), right, ctx)
        if r is None and re.fullmatch(r"(?:the )?\d{1,2}(?:st|nd|rd|th)?", right):
            # "April 24 and 25": the right end borrows the month (and year) of the left
            l0 = _parse_modified(left, left, ctx)
            if l0 is not None and l0.resolved and l0.precision == "day" and l0.start is not None:
                r = _parse_modified(right, right, replace(ctx, default_year=l0.start.year,
                                                          default_month=l0.start.month))
                if r is not None:
                    r = replace(r, relative=l0.relative, anchor=l0.anchor)
        if r is None or r.type not in ("DATE", "TIME") or not r.timex:
            continue
        lent = replace(ctx, default_year=r.start.year if r.start else None,
                       default_month=r.start.month if r.start and r.precision == "day" else None)
        left_text = left
        # "August and September of 2019": the year (and month) of the right side belong to both
        m = re.fullmatch(r"(.+?)((?:,| of)? \d{4})", right)
        l = _parse_modified(left, left_text, lent)
        if l is None and m:
            l = _parse_modified(left + m.group(2), left_text, ctx)
        if l is None or l.type not in ("DATE", "TIME") or not l.timex:
            continue
        if not (l.resolved and r.resolved):
            value = f"{l.value}/{r.value}" if l.value and r.value else ""
            return replace(_unresolved(text, value, "range-no-anchor", "range"),
                           parts=(replace(l, text=left), replace(r, text=right)))
        if l.start is None or r.end is None or l.start > r.end:
            continue
        relative = l.relative or r.relative
        anchor = r.anchor if r.relative else l.anchor
        return TimeExpression(text=text, type="DATE", value=f"{l.value}/{r.value}", start=l.start, end=r.end,
                              precision="range", relative=relative, anchor=anchor,
                              rule=f"range({l.rule},{r.rule})", resolved=True,
                              parts=(replace(l, text=left), replace(r, text=right)))
    return None


def _parse_duration_pair(s: str, text: str, anchor: Optional[date] = None) -> Optional[TimeExpression]:
    """"two to six days", "12 and 18 months": two lengths sharing a unit, two TIMEX3s in TimeML (``parts``)."""
    m = re.fullmatch(rf"(?:the )?(next|coming|past|last) (?:{_NUM_RE})(?: to | or |-)({_NUM_RE}) ({_UNIT_RE})", s)
    if m and anchor is not None and _number(m.group(2)) is not None:
        # "the next 12 to 18 months": a vague length (PXM) reaching as far as its larger end
        unit, n = _unit(m.group(3)), int(_number(m.group(2)))
        far = _shift(anchor, unit, -n if m.group(1) in ("past", "last") else n)
        return TimeExpression(text=text, type="DURATION", value=_duration_value(None, unit), start=min(far, anchor),
                              end=max(far, anchor), precision="range", relative=True,
                              anchor=f"publication:{anchor.isoformat()}", rule=f"{m.group(1)}-n-to-m-units")
    m = re.fullmatch(rf"(?:(?:about|some|roughly|around|between|from) )?({_NUM_RE})( to | and | or |-)(({_NUM_RE}) ({_UNIT_RE}))", s)
    if not m or m.group(1) in VAGUE_NUMBERS or m.group(4) in VAGUE_NUMBERS:
        return None
    unit = _unit(m.group(5))
    n1, n2 = _number(m.group(1)), _number(m.group(4))
    if n1 is None or n2 is None or m.group(1) in ("a", "an"):
        return None
    left = TimeExpression(text=m.group(1), type="DURATION", value=_duration_value(n1, unit), rule="duration")
    right = TimeExpression(text=m.group(3), type="DURATION", value=_duration_value(n2, unit), rule="duration")
    return TimeExpression(text=text, type="DURATION", value=f"{left.value}/{right.value}", rule="duration-pair",
                          parts=(left, right))


def _parse_modified(s: str, text: str, ctx: _Context) -> Optional[TimeExpression]:
    result = _parse_core(s, text, ctx)
    if result is not None:
        return result
    for pattern, modifier in _MODIFIER_PREFIXES:
        m = re.match(pattern, s)
        if m and m.end() < len(s):
            inner = _parse_core(s[m.end():], text, ctx)
            if inner is not None:
                return _apply_modifier(inner, modifier, ctx)
    return None


def normalise(text: str, anchor: date | None = None, previous: TimeExpression | None = None,
              tense: str = "", signal: str = "") -> TimeExpression:
    """Normalise one time expression.

    Accepts the expression's text, the publication date (``anchor``), the
    previous absolute date of the text (``previous``), the tense of its clause
    (``"past"``/``"future"``/``""``) and a preceding signal word
    (``"since"``, ``"before"``, ``"after"``, ``"until"``) that changes its
    interval. Returns a :class:`TimeExpression`; one the grammar cannot read
    comes back unresolved with rule ``"unparsed"``.
    """
    ctx = _Context(anchor=anchor, previous=previous, tense="" if tense == "present" else tense,
                   present=tense == "present")
    s = _clean(text)
    s = re.sub(r"^(?:in|on|at(?! least\b| most\b)|during|of|from|for the|throughout) (?!the past\b|the future\b)", "", s)
    result = _parse_modified(s, text, ctx) or _parse_range(s, text, ctx) or _parse_duration_pair(s, text, anchor)
    if result is None:
        for pattern, modifier in _MODIFIER_PREFIXES:
            m = re.match(pattern, s)
            if m and m.end() < len(s):
                inner = _parse_range(s[m.end():], text, ctx)
                if inner is not None:
                    result = _apply_modifier(inner, modifier, ctx)
                    break
    if result is None:
        return TimeExpression(text=text, value="", relative=False, rule="unparsed", resolved=False)
    if signal and not result.modifier and result.type in ("DATE", "TIME"):
        result = _apply_modifier(result, signal, ctx)
    if result.start is not None and result.end is not None:
        assert result.start <= result.end, (text, result)
    return result


# ---------------------------------------------------------------- finding expressions in text
