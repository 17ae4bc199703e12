"""Plain-English pieces for the findings each notebook opens with: counts, lists, dates, names in Markdown.

The ``findings`` module of each capability writes its sentences with these, so every notebook says numbers,
dates and report names the same way.
"""
from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
#: Characters that Markdown would read as markup inside a report title or a source name.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~])")


def number(n: int, capital: bool = False) -> str:
    """``n`` in words up to ten ("five"), in digits with thousands separators beyond ("1,204")."""
    text = _WORDS[n] if 0 <= n <= 10 else f"{n:,}"
    return text[:1].upper() + text[1:] if capital else text


def count(n: int, singular: str, plural: str | None = None, capital: bool = False) -> str:
    """``"one report"``, ``"five reports"``, ``"1,204 reports"``: the number in words and the noun agreeing with it."""
    noun = singular if n == 1 else (plural or singular + "s")
    return f"{number(n, capital)} {noun}"


def join(items: list[str], conjunction: str = "and") -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``; an empty list gives ``""``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def escape(text: str) -> str:
    """``text`` with Markdown markup characters escaped, so a title such as ``*EXCLUSIVE*`` prints as written."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def name(text: str) -> str:
    """A report label or an outlet's name in italics, escaped (``*The New Arab*``)."""
    return f"*{escape(text)}*"


def quote(text: str) -> str:
    """``text`` between typographic double quotes, escaped."""
    return f"“{escape(text)}”"


def human_date(iso: str, precision: str = "day") -> str:
    """``"2019-12-07"`` -> ``"7 December 2019"``; month precision ``"December 2019"``, year ``"2019"``.

    Accepts ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else is returned unchanged.
    """
    parts = str(iso).split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and precision != "year" else 0
        day = int(parts[2]) if len(parts) > 2 and precision not in ("year", "month") else 0
    except (ValueError, IndexError):
        return str(iso)
    if month and day:
        return f"{day} {_MONTHS[month - 1]} {year}"
    if month:
        return f"{_MONTHS[month - 1]} {year}"
    return str(year)


def interval(start: str, end: str) -> str:
    """An interval of ISO dates in words, as coarse as its bounds allow.

    ``2015-01-01..2016-12-31`` -> ``"2015–2016"``, ``2018-06-01..2018-08-31`` -> ``"June–August 2018"``,
    ``2019-12-03..2019-12-03`` -> ``"3 December 2019"``; an open bound gives ``"before …"`` or ``"after …"``;
    both empty give ``""``.
    """
    if not start and not end:
        return ""
    if not start:
        return f"before {human_date(end)}"
    if not end:
        return f"after {human_date(start)}"
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    whole_months = a.day == 1 and b.day == monthrange(b.year, b.month)[1]
    if whole_months and a.month == 1 and b.month == 12:
        return str(a.year) if a.year == b.year else f"{a.year}–{b.year}"
    if whole_months:
        if (a.year, a.month) == (b.year, b.month):
            return f"{_MONTHS[a.month - 1]} {a.year}"
        if a.year == b.year:
            return f"{_MONTHS[a.month - 1]}–{_MONTHS[b.month - 1]} {a.year}"
        return f"{_MONTHS[a.month - 1]} {a.year} – {_MONTHS[b.month - 1]} {b.year}"
    if a == b:
        return human_date(start)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {_MONTHS[a.month - 1]} {a.year}"
    if a.year == b.year:
        return f"{a.day} {_MONTHS[a.month - 1]} – {human_date(end)}"
    return f"{human_date(start)} – {human_date(end)}"


def article(n: int) -> str:
    """``"an"`` before a number said with a vowel sound (8, 11, 18, 80-89, 800…), else ``"a"``: "an 11-word run"."""
    return "an" if n in (11, 18) or str(n).startswith("8") else "a"


def share(part: int, whole: int) -> str:
    """``"9 of 11"``: a part of a whole, in digits (they stand beside other figures)."""
    return f"{part:,} of {whole:,}"
