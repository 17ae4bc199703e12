"""Datelines: the place, date and agency that open a wire report's paragraph.

"PORT SELVA, 18 March 2021 —", "MOSCOW, August 17 (Xinhua) --", "NAIROBI, Kenya (AP) _": the date of a
dateline says when the report was filed. It anchors the report's relative dates but is never the date of
an event told in the sentence it opens, and its place is not where that event happened.
"""
from __future__ import annotations

import re

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = rf"(?:{_MONTH}[ ]+\d{{1,2}}(?:,?[ ]*\d{{4}})?|\d{{1,2}}[ ]+{_MONTH}(?:,?[ ]*\d{{4}})?|{_MONTH}[ ]+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
#: A dateline opening a paragraph: the city in capitals, an optional region, an optional date, an optional
#: agency in parentheses, then a dash ("--", "—", "–", "-", "_") or a colon.
DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z.'’\-]+(?:[ ][A-Z][A-Z.'’\-]+){0,3}"
    r"(?:,[ ]*[A-Z][A-Za-z.'’\-]*(?:[ ][A-Z][A-Za-z.'’\-]*){0,2})?"
    rf"(?:,?[ ]*{_DATE})?"
    r"[ ]*(?:\([^()\n]{1,40}\))?[ ]*(?:--|—|–|-|_|:)[ ]*")


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges ``[start, end)`` of the datelines opening paragraphs of ``text``.

    A match needs the capitalised place and a dash, so an ordinary sentence never matches.
    """
    return [(m.start(), m.end()) for m in DATELINE.finditer(text)]


def in_spans(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans``."""
    return any(a < end and start < b for a, b in spans)
