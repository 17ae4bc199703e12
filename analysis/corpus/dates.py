"""Publication dates as they appear in captures, manifests and exports.

``parse_date`` reads one date string (ISO 8601, "07 December, 2019",
"Dec. 7, 2019", "Monday , 4 March 2024", "12/7/2019"...) into a
``PublicationDate`` that keeps its precision: "2019" is a year, not the 1st of
January. Implausible dates (before 1900, or after today) are refused so junk
such as 0001-11-30 or 2050-01-01 never passes for a publication date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?\s*,?\s*"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

_PATTERNS = [
    ("iso", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")),
    ("iso-month", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")),
    ("iso-year", re.compile(r"^(?P<year>\d{4})$")),
    ("compact", re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")),
    ("day-month-year", re.compile(rf"^(?:{_WEEKDAY})?{_DAY}\s+(?:of\s+)?{_MONTH}\s*,?\s*{_YEAR}$", re.I)),
    ("month-day-year", re.compile(rf"^(?:{_WEEKDAY})?{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}$", re.I)),
    ("month-year", re.compile(rf"^{_MONTH}\s*,?\s*{_YEAR}$", re.I)),
    ("slash", re.compile(r"^(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{2}|\d{4})(?:\s+[\d:]+(?:\s*[AP]M)?)?$", re.I)),
]

#: Earliest year accepted as a publication date.
MIN_YEAR = 1900


@dataclass(frozen=True)
class PublicationDate:
    """A date with the precision it was given at: ``iso`` is "YYYY-MM-DD", "YYYY-MM" or "YYYY"."""

    iso: str
    precision: str  # "day", "month" or "year"
    note: str = ""  # an assumption the parse had to make, e.g. month/day order

    @property
    def start(self) -> date:
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])


class DateError(ValueError):
    """A date string that is not a plausible date; the message says why."""


def _check(year: int, month: int | None, day: int | None, today: date) -> None:
    if not MIN_YEAR <= year <= today.year:
        raise DateError(f"year {year} is implausible for a publication date")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} does not exist")
    if day is not None:
        try:
            value = date(year, month or 1, day)
        except ValueError as exc:
            raise DateError(str(exc)) from exc
        if value > today:
            raise DateError(f"{value.isoformat()} is in the future")


def parse_date(text: str, today: date | None = None) -> PublicationDate:
    """Parse one publication-date string; raise ``DateError`` if it is not a plausible date.

    Slash dates are read month/day/year (the US export convention) unless the
    first number cannot be a month; the assumption is recorded in ``note``.
    """
    today = today or date.today()
    value = re.sub(r"\s+", " ", str(text)).strip().strip(".")
    if not value:
        raise DateError("empty date")
    for kind, pattern in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        groups = match.groupdict()
        year = int(groups["year"])
        note = ""
        if kind == "slash":
            a, b = int(groups["a"]), int(groups["b"])
            if len(groups["year"]) == 2:
                year += 2000 if year <= today.year % 100 else 1900
                note = "two-digit year"
            if a > 12:
                month, day = b, a
                note = ", ".join(filter(None, [note, "day/month/year (first number > 12)"]))
            else:
                month, day = a, b
                note = ", ".join(filter(None, [note, "month/day/year assumed"]))
        else:
            raw_month = groups.get("month")
            month = None if raw_month is None else (int(raw_month) if raw_month.isdigit() else MONTHS[raw_month.lower().rstrip(".")])
            day = int(groups["day"]) if groups.get("day") else None
        _check(year, month, day, today)
        if day is not None:
            return PublicationDate(f"{year:04d}-{month:02d}-{day:02d}", "day", note)
        if month is not None:
            return PublicationDate(f"{year:04d}-{month:02d}", "month", note)
        return PublicationDate(f"{year:04d}", "year", note)
    raise DateError(f"not a recognisable date: {value!r}")


def find_date_line(line: str, today: date | None = None) -> PublicationDate | None:
    """If ``line`` is nothing but a date (optionally "Published: ..."), return it; else ``None``."""
    stripped = re.sub(r"^(?:published|posted|updated|last updated|date)\s*(?:on|:)?\s*", "", line.strip(), flags=re.I)
    stripped = re.sub(r"\s*[|-]\s*\d{1,2}:\d{2}.*$", "", stripped)
    if not stripped or len(stripped) > 40:
        return None
    try:
        return parse_date(stripped, today)
    except DateError:
        return None
