"""The vocabulary of time expressions (months, seasons, numbers, units, reference words), the TimeExpression record and calendar helpers."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional


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

def _latest_quarter(a: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter completed before ``a``: the one a results report is about."""
    q = (a.month - 1) // 3 + 1
    return (a.year - 1, 4) if q == 1 else (a.year, q - 1)
