"""Wire credit lines: who wrote a report and which outlet first published it.

Wire and syndicated copy prints its credits on lines of their own under the
headline: a byline ("By JOHN SMITH", "By Jane Doe, Associated Press Writer"),
the writer's agency ("Associated Press Writer"), a syndication credit
("c.2000 Cox News Service") and a dateline naming the agency ("NAIROBI, Kenya
(AP) _", "BEIJING, March 3 (Xinhua) --"). :func:`credit_line` recognises such a
line; the cleaner removes it as boilerplate (its rule kept in
``removed_lines``) and the loader records the author and the agency, quoting
the line. :func:`same_outlet` tells whether two spellings name one outlet
("AP" and "Associated Press"), so a credit naming the publisher itself does not
mark the report as republished.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PERSON = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|la|le|del|bin|al|el)){0,4}"
_AGENCY = r"(?:[Tt]he\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,5}"
_ROLE = r"(?:[Ss]taff\s+|[Ss]enior\s+|[Ss]pecial\s+|[Cc]hief\s+)?(?:[Ww]riter|[Cc]orrespondent|[Rr]eporter|[Ee]ditor)"

#: ``By NAME``, ``By NAME, AGENCY Writer`` or ``By NAME AGENCY Writer`` (split by :func:`_byline`).
BYLINE = re.compile(r"^[Bb][Yy]\s+(?P<rest>[A-Z].*)$")
_NAME_LINE = re.compile(rf"^{_PERSON}$")
_ROLE_TAIL = re.compile(rf"\s+{_ROLE}\s*$")
#: ``AGENCY Writer`` on its own line, under a byline.
WRITER_LINE = re.compile(rf"^(?P<agency>{_AGENCY}?)\s+{_ROLE}\s*$")
#: ``c.2000 Cox News Service``, ``(c) 1999 The Boston Globe``: the outlet that owns (first published) the story.
SYNDICATION = re.compile(r"^(?:c\.|\(c\)|©)\s*(?:\d{4}\s*,?\s*)(?P<agency>[A-Z][\w&.'’ -]{1,60}?)\s*$")
#: A dateline naming the agency: ``NAIROBI, Kenya (AP) _``, ``WASHINGTON, August 8 (Xinhua) --``.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]+(?:,\s*[A-Z][\w.'’ -]*){0,2})\s*\((?P<agency>[A-Z][\w&.'’ -]{0,40})\)\s*(?:--|_|—|–|-|:)?")


_NOT_AGENCIES = {"staff", "senior", "special", "chief", "contributing", "freelance", "the", "a", "an", "our"}


@dataclass(frozen=True)
class Credit:
    """A credit line: ``rule`` (``byline``, ``wire writer line``, ``syndication credit``, ``dateline credit``),
    the ``author`` and/or ``agency`` it names (either may be empty) and the ``line`` quoted."""

    rule: str
    author: str
    agency: str
    line: str


def credit_line(line: str) -> Credit | None:
    """The credit carried by a whole header line, or ``None`` when ``line`` is not one.

    Accepts a stripped line of the capture. A dateline counts only when it is
    the whole line (nothing but the place, the agency and a dash): a dateline
    that opens a paragraph is left in the text and read by :func:`inline_dateline`.
    """
    if len(line) > 120:
        return None
    match = BYLINE.match(line)
    if match and re.match(r"(?:The|THE)\s+[A-Z]", match.group("rest")) and len(match.group("rest").split()) <= 6:
        return Credit("byline", "", match.group("rest").strip(" ."), line)  # "By The Associated Press": an agency
    if match:
        author, agency = _byline(match.group("rest"))
        if len(author.split()) >= 2:
            return Credit("byline", author, agency, line)
    match = SYNDICATION.match(line)
    if match:
        return Credit("syndication credit", "", match.group("agency").strip(" .,"), line)
    match = WRITER_LINE.match(line)
    if match and len(match.group("agency").split()) <= 4 and match.group("agency").casefold() not in _NOT_AGENCIES:
        return Credit("wire writer line", "", match.group("agency").strip(), line)
    match = DATELINE.match(line)
    if match and not line[match.end():].strip():
        return Credit("dateline credit", "", match.group("agency").strip(), line)
    return None


def _byline(rest: str) -> tuple[str, str]:
    """(author, agency) of a byline's text after "By"; ("", "") when it is not a name."""
    rest = rest.strip()
    agency = ""
    role = _ROLE_TAIL.search(rest)
    if role:
        rest = rest[:role.start()]
        if "," in rest:
            rest, agency = (part.strip() for part in rest.split(",", 1))
        else:
            # wire style: the name in capitals, then the agency in mixed case ("ANITA SNOW Associated Press")
            words = rest.split()
            caps = 0
            while caps < len(words) and words[caps].upper() == words[caps]:
                caps += 1
            if not 0 < caps < len(words):
                return "", ""
            rest, agency = " ".join(words[:caps]), " ".join(words[caps:])
    elif "," in rest:
        rest, agency = (part.strip() for part in rest.split(",", 1))
    rest = rest.strip(" .,")
    if not _NAME_LINE.match(rest) or len(rest.split()) > 5:
        return "", ""
    return rest, agency.strip(" .,")


def inline_dateline(line: str) -> Credit | None:
    """The agency of a dateline opening a paragraph ("WASHINGTON (AP) — The ..."), else ``None``."""
    match = DATELINE.match(line)
    if match and line[match.end():].strip() and len(match.group("place")) >= 3:
        return Credit("dateline credit", "", match.group("agency").strip(), line[:match.end()].strip())
    return None


_GENERIC = re.compile(r"\b(?:news\s+service|news\s+agency|wire\s+service|service|agency|newspapers?|writer)\b")


def _fold(name: str) -> str:
    text = name.casefold().replace("n.y.", "new york ").replace("l.a.", "los angeles ")
    text = re.sub(r"^the\s+", "", text)
    text = _GENERIC.sub(" ", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def same_outlet(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name the same outlet: equal once case, "the", punctuation and
    words like "News Service" are ignored, or one is the other's initials ("AP", "Associated Press")."""
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    initials = lambda s: "".join(w[0] for w in s.split())  # noqa: E731
    return fa.replace(" ", "") in (initials(fb),) or fb.replace(" ", "") in (initials(fa),)
