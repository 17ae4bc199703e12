"""Time expressions normalised to honest intervals.

Every time expression of a text (spaCy ``DATE``/``TIME`` entities plus the
patterns below, which catch what the small model misses) becomes a
:class:`TimeExpression`: an inclusive interval ``[start, end]`` of calendar
days, a precision (``day, week, month, season, quarter, year, decade,
century, range``), a TIMEX3-style value (``2015``, ``2018-SU``,
``2019-08/2019-09``, ``P2Y``) and a modifier (early/mid/late,
beginning/end, before/after/since/until, approximately).

A year is never a day: "2015" is 2015-01-01..2015-12-31, whatever the
reference date. Relative expressions ("last month", "Monday", "two years
earlier") are resolved against an *anchor* — the report's publication date,
or the previous absolute date of the text where the language points back
("earlier", "that year", "the following year") — and record which anchor and
which rule were used. Without a usable anchor an expression is kept and
flagged unresolved; it is never guessed. Durations ("two decades") are kept
as ``DURATION`` expressions with no interval, so they never date an event.

Conventions (documented because an interval is only honest if its reading is):
seasons are meteorological northern-hemisphere seasons (summer = June-August;
winter Y = December Y - February Y+1); early/beginning = first third of the
unit, mid = middle third, late/end = last third; "approximately" widens the
interval by one unit on each side; "recent days" is the week before the
anchor, "recent weeks" four weeks, "recent months"/"recently" three months,
"recent years" three years; "the last few months" is five months.

TimeML (TempEval-3) conventions followed in the TIMEX3 value, never at the cost
of an honest interval: "the last week"/"the past year" keep the span that ends
at the anchor but are valued as the calendar unit (``2000-W15``, ``1988``);
"a few years ago" is ``PAST_REF`` and "the coming months" ``FUTURE_REF`` over
their spans; "the first nine months" is the length ``P9M``, and the length of
"three days later" is shown to TimeML as a part (``parts``) while the
expression keeps its anchored date. A results report's "the quarter" is the
last completed quarter, "the year-ago quarter" that quarter a year back, and "a
year ago" beside a quarter's figures is that quarter a year back; "the year",
"year-end" are the publication year. An anaphoric expression with no earlier
date in the text ("a year earlier") stays unresolved with no interval, but its
value is TimeML's reading against the publication date (rule
``…+timeml-dct-value``). "The quarter ended Sept. 30" is two expressions, as in
TimeML. Holidays (Thanksgiving, Easter, Election Day, …) are days; years read
aloud ("nineteen ninety-six") are years.

Coordinated expressions are separate TIMEX3s, as TimeML annotates them: "1957-58" is
1957 and 1958 (``parts``), "12 and 18 months" is P12M and P18M, an unreadable span such
as "Friday to December's" or "40, eight years from now" becomes its readable pieces, and a
possessive "'s" stays outside. A weekday without last/next is the closest such day by tense:
the most recent (the anchor day included) in a past or untensed clause, the closest ahead
(the anchor day included) in a future or news-present ("meets Friday") clause or after
"as soon as". A quarter named without a year is in the anchor's year unless a past clause
names one still to come (last year's) or, untensed, it is the quarter just completed in the
previous year. "The past decade"/"the next decade" are TimeML lengths (P10Y) over the ten
years before/after the anchor. Sets: "every morning" XXXX-XX-XXTMO, "Tuesday nights"
XXXX-WXX-2TNI, "every other week" P2W, "twice a year" P1Y, "annually" P1Y.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Optional

import pandas as pd

PRECISIONS = ("day", "week", "month", "season", "quarter", "year", "decade", "century", "range")

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "hundred": 100, "a couple of": 2, "couple of": 2,
    "a dozen": 12, "dozen": 12, "half a": 0.5, "half an": 0.5, "a hundred": 100,
}
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many", "the", "a number of", "numerous", "dozens of")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": -1, "final": -1}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}
CENTURY_WORDS = {"first": 1, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                 "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                 "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21}
#: unit word -> (TIMEX3 duration letter, is a time-of-day unit, calendar unit name)
UNITS = {
    "second": ("S", True, "second"), "minute": ("M", True, "minute"), "min": ("M", True, "minute"),
    "hour": ("H", True, "hour"), "hr": ("H", True, "hour"), "day": ("D", False, "day"),
    "night": ("D", False, "day"), "week": ("W", False, "week"), "weekend": ("WE", False, "weekend"),
    "fortnight": ("W", False, "fortnight"), "month": ("M", False, "month"), "quarter": ("Q", False, "quarter"),
    "season": ("S", False, "season"), "year": ("Y", False, "year"), "decade": ("DE", False, "decade"),
    "century": ("CE", False, "century"),
}
_UNIT_RE = r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|seasons?|years?|decades?|centur(?:y|ies))"
_NUM_RE = (r"(?:\d+(?:\.\d+)?|a couple of|couple of|a few|few|several|some|many|a number of|numerous|dozens of|"
           r"half an?|a dozen|a hundred|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
           r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred)")
_MONTH_RE = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
             r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TZ_RE = r"(?:est|edt|cst|cdt|mst|mdt|pst|pdt|gmt|utc|bst|cet|cest|et|ct|pt|mt|local time)"
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}

PRESENT_REF = {"now", "currently", "at present", "present", "at the moment", "for the moment", "nowadays",
               "these days", "right now", "today's", "the present", "the moment", "this time", "current"}
PAST_REF = {"recent", "the recent past", "more recently", "the past few", "recently", "lately", "the past", "in the past", "previously", "formerly", "once", "earlier", "before"}
FUTURE_REF = {"the future", "in the future", "soon", "future", "later", "the coming days", "the near future",
              "the foreseeable future", "the immediate future", "the distant future", "the near term", "the short term",
              "the long term", "the longer term", "the medium term", "the years to come", "the months to come",
              "the weeks to come", "the days to come", "a later date", "as soon as possible"}


@dataclass(frozen=True)
class TimeExpression:
    """One normalised time expression.

    ``start``/``end`` are inclusive calendar days (``None`` when unbounded or
    unresolved); ``value`` is a TIMEX3-style value; ``type`` is the TIMEX3 type
    (``DATE``, ``TIME``, ``DURATION``, ``SET``); ``anchor`` names the reference
    used by a relative expression (``publication:2019-12-07`` or
    ``previous:2017``); ``rule`` names the rule that resolved it.
    ``timex`` is False for anaphoric phrases ("before that") that TimeML
    treats as signals rather than time expressions.
    """

    text: str
    type: str = "DATE"
    value: str = ""
    start: Optional[date] = None
    end: Optional[date] = None
    precision: str = ""
    modifier: str = ""
    relative: bool = False
    anchor: str = ""
    rule: str = ""
    resolved: bool = True
    start_char: int = -1
    end_char: int = -1
    timex: bool = True
    #: the two ends of a range ("2015" and "2016" of "2015 and 2016"), as TimeML annotates them
    parts: tuple = ()

    @property
    def is_date(self) -> bool:
        """True for a resolved expression that places something on the calendar (not a duration or set)."""
        return self.resolved and self.type in ("DATE", "TIME") and (self.start is not None or self.end is not None)


@dataclass
class _Context:
    anchor: Optional[date] = None  # publication date
    previous: Optional[TimeExpression] = None  # last absolute date of the text
    tense: str = ""  # "past" / "future" / ""
    present: bool = False  # a present-tense clause ("meets Friday"): news idiom for what is ahead
    default_year: Optional[int] = None  # lent by the other half of a range
    default_month: Optional[int] = None


# ---------------------------------------------------------------- calendar helpers

def month_end(year: int, month: int) -> date:
    """Last day of ``month`` of ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` shifted by ``months`` calendar months (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _year_interval(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), month_end(year, month)


def _week_interval(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _week_value(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _season_interval(year: int, code: str) -> tuple[date, date]:
    first, last = _SEASON_MONTHS[code]
    if code == "WI":
        return date(year, 12, 1), month_end(year + 1, 2)
    return date(year, first, 1), month_end(year, last)


def _quarter_interval(year: int, quarter: int) -> tuple[date, date]:
    return date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)


def _valid_year(year: int) -> bool:
    return 1000 <= year <= 2999


# ---------------------------------------------------------------- result builders

def _point(text, start, end, precision, value, rule, relative=False, anchor="", type_="DATE"):
    return TimeExpression(text=text, type=type_, value=value, start=start, end=end, precision=precision,
                          relative=relative, anchor=anchor, rule=rule, resolved=True)


def _unresolved(text, value, rule, precision="", type_="DATE"):
    return TimeExpression(text=text, type=type_, value=value, precision=precision, relative=True,
                          rule=rule, resolved=False)


def _pub(ctx: _Context) -> str:
    return f"publication:{ctx.anchor.isoformat()}" if ctx.anchor else ""


def _prev(ctx: _Context) -> str:
    return f"previous:{ctx.previous.value}" if ctx.previous else ""


def _clean(text: str) -> str:
    s = text.lower().replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    s = re.sub(r"\s+", " ", s).strip(" ,.;:()\"'")
    s = re.sub(r"\s*-\s*", "-", s) if re.search(r"\d\s*-\s*\d", s) else s
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"^(?:its|their|his|her|our|the day|the night of)\s+(?=\S)", "", s)
    s = re.sub(rf"^(?:earlier|later)\s+(?={_WEEKDAY_RE}|today|yesterday|tomorrow|tonight)", "", s)
    s = re.sub(r" or so\b", "", s)  # "the next year or so" is the next year, approximately said
    s = re.sub(r"^sometime (?=(?:last|this|next|early|late|in)\b)", "", s)
    s = re.sub(r"^(?:each of|at least|at most|no more than) (?=the (?:past|last|next|first) )", "", s)
    s = _spelled_years(s)  # "earlier Friday" is Friday
    return s


_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_DIGITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TWO_DIGITS = (rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_DIGITS)}))?|{'|'.join(_TEENS)}|"
               rf"(?:oh|o)[- ](?:{'|'.join(_DIGITS)}))")


def _two_digits(words: str) -> int:
    parts = re.split(r"[- ]", words)
    if parts[0] in ("oh", "o"):
        return _DIGITS[parts[1]]
    if parts[0] in _TEENS:
        return _TEENS[parts[0]]
    return _TENS[parts[0]] + (_DIGITS[parts[1]] if len(parts) > 1 else 0)


def _spelled_years(s: str) -> str:
    """Years spoken in broadcast transcripts as digits: "nineteen ninety-six" -> 1996, "two thousand" -> 2000."""
    s = re.sub(rf"\b(nineteen|eighteen|twenty) ({_TWO_DIGITS})\b",
               lambda m: str(_TEENS.get(m.group(1), 20) * 100 + _two_digits(m.group(2))), s)
    return re.sub(rf"\btwo thousand(?: and)?(?: ({'|'.join(_DIGITS)}|{'|'.join(_TEENS)}))?\b",
                  lambda m: str(2000 + (_DIGITS.get(m.group(1)) or _TEENS.get(m.group(1)) or 0 if m.group(1) else 0)), s)


def _number(word: str) -> Optional[float]:
    word = word.strip()
    if word in NUMBERS:
        return NUMBERS[word]
    try:
        return float(word)
    except ValueError:
        return None


def _duration_value(n: Optional[float], unit: str) -> str:
    letter, is_time, _ = UNITS[unit]
    if letter == "DE":
        letter, n = "Y", (None if n is None else n * 10)
    elif letter == "CE":
        letter, n = "Y", (None if n is None else n * 100)
    elif letter == "WE":
        letter = "WE"
    amount = "X" if n is None else (str(int(n)) if float(n).is_integer() else str(n))
    return ("PT" if is_time else "P") + amount + letter


def _unit(word: str) -> str:
    word = word.rstrip(".")
    if word in UNITS:
        return word
    if word == "centuries":
        return "century"
    if word.endswith("s") and word[:-1] in UNITS:
        return word[:-1]
    return word


def _shift(day: date, unit: str, n: int) -> date:
    if unit in ("day", "night"):
        return day + timedelta(days=n)
    if unit in ("week", "weekend"):
        return day + timedelta(weeks=n)
    if unit == "fortnight":
        return day + timedelta(weeks=2 * n)
    if unit == "month":
        return add_months(day, n)
    if unit == "quarter":
        return add_months(day, 3 * n)
    if unit == "season":
        return add_months(day, 3 * n)
    if unit == "year":
        return add_months(day, 12 * n)
    if unit == "decade":
        return add_months(day, 120 * n)
    if unit == "century":
        return add_months(day, 1200 * n)
    if unit in _SECONDS:  # "the past 24 hours": intervals are in days, so round out to whole days
        days = -(-abs(n) * _SECONDS[unit] // 86400)
        return day + timedelta(days=days if n >= 0 else -days)
    raise ValueError(unit)


_SECONDS = {"hour": 3600, "minute": 60, "second": 1}


def _unit_interval(day: date, unit: str) -> tuple[tuple[date, date], str, str]:
    """The calendar unit containing ``day``: (interval, precision, value)."""
    if unit in ("day", "night"):
        return (day, day), "day", day.isoformat()
    if unit in ("week", "fortnight"):
        return _week_interval(day), "week", _week_value(day)
    if unit == "weekend":
        saturday = day - timedelta(days=day.weekday()) + timedelta(days=5)
        return (saturday, saturday + timedelta(days=1)), "week", _week_value(day) + "-WE"
    if unit == "month":
        return _month_interval(day.year, day.month), "month", f"{day.year}-{day.month:02d}"
    if unit == "quarter":
        q = (day.month - 1) // 3 + 1
        return _quarter_interval(day.year, q), "quarter", f"{day.year}-Q{q}"
    if unit == "year":
        return _year_interval(day.year), "year", str(day.year)
    if unit == "decade":
        d = day.year // 10 * 10
        return (date(d, 1, 1), date(d + 9, 12, 31)), "decade", str(d // 10)
    if unit == "century":
        c = day.year // 100 * 100
        return (date(c, 1, 1), date(c + 99, 12, 31)), "century", str(c // 100)
    if unit == "season":
        # meteorological seasons: winter Y runs from December Y to February Y+1
        code = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(day.month, "FA")
        year = day.year - 1 if day.month in (1, 2) else day.year
        return _season_interval(year, code), "season", f"{year}-{code}"
    raise ValueError(unit)


# ---------------------------------------------------------------- the grammar

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
        if hour > 23:
            return None
        day_expr = _parse_modified(weekday, weekday, ctx) if weekday else None
        if weekday and (day_expr is None or day_expr.precision != "day" or day_expr.type != "DATE"):
            return None
        if day_expr is not None and day_expr.resolved:
            day, anchor = day_expr.start, day_expr.anchor
        elif a and not weekday:
            day, anchor = a, _pub(ctx)
        else:
            return _unresolved(text, f"XXXX-XX-XXT{hour:02d}:{minute:02d}", "clock-no-anchor", "day", "TIME")
        return _point(text, day, day, "day", f"{day.isoformat()}T{hour:02d}:{minute:02d}", "clock-time", True, anchor, "TIME")
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


def _latest_quarter(a: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter completed before ``a``: the one a results report is about."""
    q = (a.month - 1) // 3 + 1
    return (a.year - 1, 4) if q == 1 else (a.year, q - 1)


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

_SIGNALS = {"since": "since", "before": "before", "after": "after", "until": "until", "till": "until",
            "by": "", "prior": "before"}

_CARDINAL_RE = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|fifty)"
_EXTRA_PATTERNS = [
    rf"\b{_WEEKDAY_RE} (?:morning|afternoon|evening|night)s\b",
    rf"\b(?:early|mid|late|the beginning of|the end of|the middle of|the start of)[- ](?:the )?(?:\d{{4}}s?|'\d0s)\b",
    rf"\b(?:(?:last|this|next|this past|this coming) )?{_WEEKDAY_RE}(?: (?:morning|afternoon|evening|night))?\b",
    rf"\b(?:the )?(?:(?:early|late|mid)[- ])?(?:spring|summer|autumn|fall|winter)(?: of| ,)? \d{{4}}\b",
    rf"\b(?:in )?recent (?:days|weeks|months|years)\b",
    r"\b(?:recently|lately|nowadays|currently|now|the future|the past)\b",
    rf"\b(?:the )?(?:last|past|previous|next|coming) (?:(?:{_NUM_RE}) )?{_UNIT_RE}\b",
    rf"\b(?:{_NUM_RE}) {_UNIT_RE} (?:ago|earlier|later)\b",
    r"\b(?:before|after|prior to) (?:that|then)\b",
    rf"\b(?:the )?(?:\d{{3}}0'?s|'\d0s)\b",
    rf"\b(?:{_MONTH_RE} )?\d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b",
    rf"\b\d{{1,2}} {_MONTH_RE},? \d{{4}}\b",
    rf"\b(?:19|20)\d\d\b",
    rf"\b(?:today|yesterday|tomorrow|tonight|last night|this (?:morning|afternoon|evening))\b",
    rf"\b\d{{1,2}}(?::\d\d)? ?[ap]\.m\.(?: {_TZ_RE}\b)?(?:,? (?:on )?(?:{_WEEKDAY_RE}|{_MONTH_RE} \d{{1,2}}\b))?",
    rf"\b(?:noon|midnight)(?: {_TZ_RE}\b)?(?:,? (?:on )?{_WEEKDAY_RE})?",
    r"\b(?:(?:last|next|this) )?(?:Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Thanksgiving(?: Day)?|Election Day|"
    r"Independence Day|Halloween|Easter(?: Sunday| Monday)?|Good Friday|Labou?r Day|Memorial Day|Veterans'? Day|"
    r"Valentine's Day|Presidents'? Day|Columbus Day|Mother's Day|Father's Day)\b",
    rf"\b(?:each|every) (?:{_WEEKDAY_RE}|{_MONTH_RE}|{_UNIT_RE}|spring|summer|autumn|fall|winter)\b",
    rf"\b(?:each|every) (?:{_WEEKDAY_RE} )?(?:morning|afternoon|evening|night)\b",
    rf"\b(?:\d+|{_CARDINAL_RE}) (?:and|or|to) (?:\d+|{_CARDINAL_RE}) {_UNIT_RE}\b",
    r"\b(?:the )?(?:(?:comparable|corresponding|same) )?(?:year-ago|year-earlier|[12]\d{3}|latest|most recent)"
    r"(?: fiscal)?(?: (?:first|second|third|fourth))?(?: fiscal)? (?:quarter|period)\b",
    rf"\b(?:each|every) (?:other|{_NUM_RE}) {_UNIT_RE}\b",
    rf"\b(?:once|twice|(?:{_NUM_RE}) times) (?:a|an|per) {_UNIT_RE}\b",
]
_EXTRA_RE = re.compile("|".join(f"(?:{p})" for p in _EXTRA_PATTERNS), re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^(?:in|on|at(?! least\b)|during|since|from|until|till|by|before|after|of|for|between|over|within|throughout)\s+", re.I)
_PERIOD_OF = re.compile(rf"((?:the )?(?:first|last|final|latest) (?:{_NUM_RE}) (?:days|weeks|months|quarters|years)) of (?=\S)", re.I)
_ENDED = re.compile(r"\s+(?:ended|ending|ends)\s+(?=\S)", re.I)
#: words TimeML leaves outside a time expression: "just last month", "the Dec. 21, 1988", "both 1990"
_LEADING_WORDS = re.compile(
    r"^(?:(?:just|both|barely|only|as (?:early|late|long|soon|recently) as|least)\s+"
    rf"|the\s+(?={_MONTH_RE}\s)|an?\s+(?=(?:{_MONTH_RE}(?![a-z])|\d|(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\b|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\b)))", re.I)
_TRAILING_WORDS = re.compile(r"\s+(?:and|or|as|near)$", re.I)
_NOT_TIME = re.compile(r"^(?![12]\d{3}$)\d+(?:[.,]\d+)?%?$|^[\w-]+-(?:year|month|week|day)s?-old$|\byears? old$|^(?:age|aged)\b", re.I)


_FUTURE_AUX = ("will", "'ll", "shall", "would", "'d", "might", "may")
_PLAN_HEADS = {"plan", "schedule", "set", "ready", "expect", "intend", "go", "prepare", "hope", "aim"}


def _clause_tense(doc, start_char: int, end_char: int) -> str:
    """``past``/``future``/``present``/``""`` from the verb the expression hangs on (spaCy tags)."""
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None:
        return ""
    token = span.root
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return ""
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _FUTURE_AUX for c in auxes):
        return "future"
    # "planned to leave Thursday", "is scheduled to close Monday": the plan is past, its object is ahead
    if (token.dep_ == "xcomp" and any(c.tag_ == "TO" for c in auxes)
            and token.head.lemma_.lower() in _PLAN_HEADS):
        return "future"
    if token.tag_ == "VBN" and auxes and all(c.tag_ in ("VBZ", "VBP") and c.lower_ not in ("has", "have", "'ve")
                                             for c in auxes):
        # "the vote is scheduled for Tuesday": a present passive, not a past
        return "future" if token.lemma_.lower() in _PLAN_HEADS else ""
    if token.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if token.tag_ in ("VBZ", "VBP") and token.lemma_.lower() not in ("say", "be", "have", "tell") \
            and span.root.dep_ != "poss":
        return "present"  # "meets the delegation Friday": the news present looks ahead
    return ""


def _candidate_spans(text: str, doc=None) -> list[tuple[int, int, str]]:
    """Character spans of candidate time expressions: spaCy DATE/TIME entities united with this module's patterns."""
    spans: list[tuple[int, int, str]] = []
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME"):
                spans.append((ent.start_char, ent.end_char, "spacy"))
    for m in _EXTRA_RE.finditer(text):
        spans.append((m.start(), m.end(), "rule"))
    spans.sort()
    merged: list[list] = []
    for start, end, origin in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if origin not in merged[-1][2]:
                merged[-1][2] += "+" + origin
        else:
            merged.append([start, end, origin])
    split: list[list] = []
    for start, end, origin in merged:
        # "the quarter ended Sept. 30": TimeML marks the period and the date as two expressions
        m = _ENDED.search(text[start:end]) or _PERIOD_OF.match(text[start:end])
        if m and m.start() > 0 or m and m.re is _PERIOD_OF:
            if m.re is _PERIOD_OF:  # "the first nine months of 1997": a length, then the date it lies in
                split.append([start, start + m.end(1), origin + "+of"])
                split.append([start + m.end(), end, origin + "+of"])
                continue
            split.append([start, start + m.start(), origin + "+ended"])
            split.append([start + m.end(), end, origin + "+ended"])
        else:
            split.append([start, end, origin])
    out = []
    for start, end, origin in split:
        piece = text[start:end]
        m = _LEADING_JUNK.match(piece)
        if m and m.end() < len(piece) and not re.match(r"(?:before|after) (?:that|then)", piece, re.I):
            start += m.end()
            piece = text[start:end]
        m = _LEADING_WORDS.match(piece)
        if m and m.end() < len(piece):
            start += m.end()
        m = _TRAILING_WORDS.search(text[start:end])
        if m and m.start() > 0:
            end = start + m.start()
        while end > start and text[end - 1] in " ,.;:)'\"’":
            end -= 1
        if re.search(r"[a-z]['’]s$", text[start:end], re.I):
            end -= 2  # "last year's results": TimeML leaves the possessive outside the expression
        while start < end and text[start] in " ,(\"'‘":
            start += 1
        if end > start and not _NOT_TIME.match(text[start:end]):
            out.append((start, end, origin))
    return out


def find_time_expressions(text: str, published: date | str | None = None, doc=None) -> list[TimeExpression]:
    """Find and normalise every time expression of ``text``.

    Accepts the text, its publication date (a ``date``, an ISO string of day
    precision, or ``None``/"" when unknown: relative expressions then stay
    unresolved) and optionally the spaCy ``Doc`` of the same text (its
    ``DATE``/``TIME`` entities and verb tenses are used). Returns the
    expressions in text order, with character offsets into ``text``.
    Expressions that point back ("two years earlier") are anchored to the
    previous absolute date found before them.
    """
    anchor = _as_date(published)
    previous: TimeExpression | None = None
    found: list[TimeExpression] = []
    for start, end, origin in _split_coordinated(text, _merge_ranges(text, _candidate_spans(text, doc), anchor), anchor):
        before = text[max(0, start - 12):start].lower().split()
        signal = _SIGNALS.get(before[-1], "") if before else ""
        if before and before[-1] == "to" and len(before) > 1 and before[-2] == "prior":
            signal = "before"
        tense = _clause_tense(doc, start, end) if doc is not None else ""
        if re.search(r"\bas (?:soon|early) as\s*$", text[max(0, start - 20):start], re.I):
            tense = "future"  # "as soon as Tuesday": the earliest of what is still ahead
        expr = normalise(text[start:end], anchor=anchor, previous=previous, tense=tense, signal=signal)
        if expr.rule == "unparsed" and origin.endswith("+apposition"):
            first = text[start:end].split(",")[0]
            expr = replace(normalise(first, anchor=anchor, previous=previous, tense=tense, signal=signal),
                           text=text[start:end])
        if expr.rule == "unparsed" and origin == "rule":
            continue
        if expr.rule == "unparsed" and text[start:end] == "May" and _is_month_may(doc, start, end, text):
            expr = replace(normalise("month of May", anchor=anchor, previous=previous, tense=tense, signal=signal),
                           text="May")
        if anchor and not expr.resolved and not expr.value and expr.timex and _ANAPHORIC_NO_PREVIOUS.search(expr.rule):
            expr = _timeml_dct_value(expr, anchor, tense)
        if anchor and re.fullmatch(r"\d{4}", expr.value) \
                and expr.rule.startswith(("n-units-", "earlier-", "ago-", "before-", "year-ago")) \
                and re.fullmatch(r"(?:about |nearly |almost |some |just )?(?:a|one) year (?:ago|earlier|before)"
                                 r"|(?:the )?year-(?:ago|earlier)", _clean(expr.text)):
            expr = _quarter_context(expr, text, start, end, found, anchor)
        if "+ended" in origin and re.fullmatch(r"(?:the |its |their )?(?:fiscal |financial )?year", text[start:end], re.I):
            # "the year ended March 31": TimeML marks the period as a length, the date carries the time
            expr = replace(expr, type="DURATION", value="P1Y", start=None, end=None, precision="", relative=False,
                           anchor="", rule="year-ended", resolved=True)
        if expr.type == "SET" and re.fullmatch(r"(?:quarterly|annual|yearly|monthly|weekly)", text[start:end], re.I) \
                and re.match(r" [a-z]", text[end:end + 2]):
            expr = replace(expr, timex=False)  # "quarterly dividend": an adjective, not a TimeML expression
        expr = _locate(replace(expr, start_char=start, end_char=end), text)
        m = re.fullmatch(rf"(.*?\b{_UNIT_RE}(?: and a half)?)\s+later", text[start:end], re.I)
        if m and not expr.parts and expr.type in ("DATE", "TIME"):
            # "three days later": TimeML marks the length as the TIMEX3 and "later" as a signal
            length = normalise(m.group(1))
            if length.type == "DURATION":
                expr = replace(expr, parts=(replace(length, start_char=start, end_char=start + len(m.group(1))),))
        found.append(expr)
        if expr.is_date and not expr.relative and expr.start is not None:
            previous = expr  # what "two years earlier" or "that year" will point back to
    return found


def _is_month_may(doc, start: int, end: int, text: str) -> bool:
    """"May" the month, not the modal: a proper noun or noun of spaCy's date entity, or followed by a day or year."""
    if re.match(r"\s+(?:\d{1,2}(?:st|nd|rd|th)?\b|of \d{4}|\d{4})", text[end:end + 12]):
        return True
    if doc is None:
        return False
    span = doc.char_span(start, end)
    return bool(span is not None and span[0].pos_ in ("PROPN", "NOUN")
                and any(e.label_ == "DATE" and e.start_char <= start and end <= e.end_char for e in doc.ents))


_ANAPHORIC_NO_PREVIOUS = re.compile(r"^(?:(?:earlier|later|before|after|on)-no-anchor|.*-no-previous)$")


def _timeml_dct_value(expr: TimeExpression, anchor: date, tense: str) -> TimeExpression:
    """TimeML's value for an anaphoric expression ("a year earlier") of a text with no earlier date.

    TimeML then reads it against the document creation time; this toolkit does not date an event
    with such a reading, so the interval stays empty and the expression unresolved — only the
    TIMEX3 value (``timex``) carries TimeML's reading, and the rule says so.
    """
    dct = _point("", anchor, anchor, "day", anchor.isoformat(), "publication")
    reading = normalise(expr.text, anchor=anchor, previous=dct, tense=tense)
    if not reading.resolved or not reading.value:
        return expr
    return replace(expr, value=reading.value, rule=expr.rule + "+timeml-dct-value")


def _quarter_context(expr: TimeExpression, text: str, start: int, end: int, found: list[TimeExpression],
                     anchor: date) -> TimeExpression:
    """"A year ago" in a sentence (or after one) about a quarter's results is that quarter a year back (TimeML reading)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    if not re.search(r"\bquarter", text[left:start], re.I):  # or the sentence before, which the figure continues
        left = max(text.rfind(". ", 0, max(left - 2, 0)), text.rfind("\n", 0, max(left - 2, 0))) + 1
    stop = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    sentence = text[left:min(stop) if stop else len(text)]
    if not re.search(r"\bquarter\b|\bquarterly\b", sentence, re.I):
        return expr
    quarters = [e for e in found if e.start_char >= left and e.precision == "quarter" and e.start is not None
                and e.start.year > int(expr.value)]  # the quarter compared with, not the year-ago one
    if quarters:
        y, q = quarters[-1].start.year - 1, (quarters[-1].start.month - 1) // 3 + 1
    else:
        y, q = _latest_quarter(anchor)
        y = y - 1 if not expr.anchor.startswith("previous:") else int(expr.value)
    if not expr.resolved:  # the TimeML value only; the interval stays empty
        return replace(expr, value=f"{y}-Q{q}", rule=expr.rule + "+quarter-context")
    start_day, end_day = _quarter_interval(y, q)
    return replace(expr, value=f"{y}-Q{q}", start=start_day, end=end_day, precision="quarter",
                   rule=expr.rule + "+quarter-context")


_CONNECTOR = re.compile(r"^\s*(?:-|–|—|to|through|thru|until|till|and|or)\s*$", re.I)


def _merge_ranges(text: str, spans: list[tuple[int, int, str]], anchor: date | None) -> list[tuple[int, int, str]]:
    """Join "2015" + "and" + "2016" (two entities) into one range span when the whole reads as a range."""
    out: list[tuple[int, int, str]] = []
    for span in spans:
        if out and _CONNECTOR.match(text[out[-1][1]:span[0]]):
            joined = normalise(text[out[-1][0]:span[1]], anchor=anchor)
            if joined.rule.startswith("range"):
                out[-1] = (out[-1][0], span[1], out[-1][2] + "+range")
                continue
        out.append(span)
    return out


_COORDINATOR = re.compile(r"\s*(?:,\s*and|,\s*or|,|\band\b|\bor\b|\bto\b)\s+", re.I)


def _split_coordinated(text: str, spans: list[tuple[int, int, str]], anchor: date | None) -> list[tuple[int, int, str]]:
    """A span the grammar cannot read whole but whose coordinated pieces it reads ("Friday to December's",
    "40, eight years from now") becomes those pieces: TimeML annotates coordinated expressions separately."""
    out: list[tuple[int, int, str]] = []
    for start, end, origin in spans:
        piece = text[start:end]
        if normalise(piece, anchor=anchor).rule != "unparsed":
            out.append((start, end, origin))
            continue
        pieces = []
        cursor = start
        for m in _COORDINATOR.finditer(piece):
            if re.match(r"(?:a )?half\b", piece[m.end():], re.I):
                continue  # "a minute and a half" is one length
            pieces.append((cursor, start + m.start()))
            cursor = start + m.end()
        pieces.append((cursor, end))
        readable = [(a, b) for a, b in pieces if b > a and normalise(text[a:b], anchor=anchor).rule != "unparsed"
                    and not _NOT_TIME.match(text[a:b])]
        values = {normalise(text[a:b], anchor=anchor).value for a, b in readable}
        if len(pieces) > 1 and readable and len(readable) > 1 and len(values) == 1 and "," in piece:
            out.append((start, end, origin + "+apposition"))  # "this coming Sunday, March eighth": one day, said twice
        elif len(pieces) > 1 and readable:
            out.extend((a, b, origin + "+split") for a, b in readable)
        else:
            out.append((start, end, origin))
    return out


def _locate(expr: TimeExpression, text: str) -> TimeExpression:
    """Give the parts of a range their character offsets in ``text``."""
    if not expr.parts:
        return expr
    piece = text[expr.start_char:expr.end_char].lower().replace("’", "'")
    left, right = expr.parts
    i = piece.find(left.text.strip().lower())
    j = piece.rfind(right.text.strip().lower())
    if i < 0 or j < 0 or j < i:
        return replace(expr, parts=())
    base = expr.start_char
    parts = (replace(left, start_char=base + i, end_char=base + i + len(left.text.strip())),
             replace(right, start_char=base + j, end_char=base + j + len(right.text.strip())))
    parts = tuple(replace(p, text=text[p.start_char:p.end_char]) for p in parts)
    return replace(expr, parts=parts)


def _as_date(published) -> date | None:
    if published is None or published == "" or (isinstance(published, float) and pd.isna(published)):
        return None
    if isinstance(published, date):
        return published
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(published).strip())
    return date(*map(int, m.groups())) if m else None  # a month or a year is no anchor for "Monday"


def expression_record(expr: TimeExpression) -> dict:
    """A flat, CSV-ready dict of ``expr`` (ISO dates, empty strings when unknown)."""
    return {
        "date_text": expr.text, "type": expr.type, "timex": expr.value,
        "start": expr.start.isoformat() if expr.start else "", "end": expr.end.isoformat() if expr.end else "",
        "precision": expr.precision, "modifier": expr.modifier, "relative": bool(expr.relative),
        "anchor": expr.anchor, "rule": expr.rule, "resolved": bool(expr.resolved),
        "start_char": expr.start_char, "end_char": expr.end_char,
    }


TIME_COLUMNS = ["report_id", "start_char", "end_char", "date_text", "type", "timex", "start", "end", "precision",
                "modifier", "relative", "anchor", "rule", "resolved"]


def time_expressions(reports: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    """Every time expression of every report.

    Accepts the corpus ``reports`` frame (``report_id``, ``text``,
    ``published``) and optionally ``{report_id: Doc}`` from
    ``analysis.nlp.parse_reports``; without them each report's expressions
    come from the per-report cache of :mod:`analysis.features` (computed from
    the cached parse when missing). Returns one row per expression with
    ``TIME_COLUMNS``, sorted by report and offset.
    """
    def compute(report, doc):
        return [expression_record(e) for e in find_time_expressions(report.text, report.published, doc)]

    if docs is None:
        from . import features

        results = features.per_report(reports, "time_expressions", features.code_version("temporal.py"), compute,
                                      extra=lambda report: str(report.published), desc="time expressions")
    else:
        results = [compute(report, docs.get(report.report_id)) for report in reports.itertuples(index=False)]
    rows = [{"report_id": rid, **row} for rid, found in zip(reports["report_id"], results) for row in found]
    frame = pd.DataFrame(rows, columns=TIME_COLUMNS)
    return frame.sort_values(["report_id", "start_char"], kind="stable").reset_index(drop=True)


def expression_summary(expressions: pd.DataFrame) -> pd.DataFrame:
    """Counts of :func:`time_expressions` rows by ``type``, ``precision`` and whether resolved (sorted)."""
    if expressions.empty:
        return pd.DataFrame(columns=["type", "precision", "resolved", "n"])
    counts = expressions.groupby(["type", "precision", "resolved"], dropna=False).size().rename("n").reset_index()
    return counts.sort_values(["type", "precision", "resolved"]).reset_index(drop=True)
