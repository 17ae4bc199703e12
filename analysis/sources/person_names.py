"""Canonical names of people: forms of one person's name join, two people sharing a surname never do.

"Bill Clinton", "President Bill Clinton" and "Clinton" may be one person;
"Bill Clinton" and "Hillary Rodham Clinton" are two, as are "Elián González"
and his father "Juan Miguel González". A :class:`PersonIndex` gathers the
forms of names seen (in one report or a corpus) and resolves a mention to the
longest form of the same person:

- a mention with a given name joins only forms with the same first given name
  (accents and case ignored) or with none ("Clinton");
- a bare surname joins a person only when one person with that surname is
  known; otherwise it stays as written (the text does not say which one).

Used by citation typing (``analysis.sources.source_types``) and event actors
(``analysis.timeline.events``).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

#: Words before a name that are not part of it (compared lower-case, without a final dot).
HONORIFICS = frozenset("""
mr mrs ms miss dr sir madam mme mister president vice prime minister senator sen rep representative gov governor
general gen marshal field colonel col major maj lieutenant lt captain capt admiral adm brigadier sergeant sgt
secretary attorney judge justice chief commander king queen prince princess sheikh emir rev reverend father
pope speaker mayor ambassador deputy first lady former the
""".split())
#: Honorifics that say the person is a man or a woman ("Mrs. Gingrich").
MALE_HONORIFICS = frozenset({"mr", "mister", "sir", "king", "prince", "father"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "madam", "mme", "queen", "princess", "lady"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


# The name helpers below are pure functions of strings, called millions of times on the same few thousand
# names of a corpus (each pronoun compares every person named before it): cached, the claim step of 2,000
# allsides reports spent 14 of its 50 s across reports here.
@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """``word`` case-folded without accents or a final dot ("Elián" -> "elian")."""
    text = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).rstrip(".")


def name_words(name: str) -> list[str]:
    """The words of a person's name without leading honorifics and a trailing "Jr."/"III"/possessive."""
    text = re.sub(r"['’]s?$", "", re.sub(r"\s+", " ", name).strip(" ,.;:"))
    words = [w for w in text.split(" ") if w.strip(",")]
    while len(words) > 1 and fold(words[0]) in HONORIFICS:
        words = words[1:]
    while len(words) > 1 and fold(words[-1].strip(",")) in _SUFFIXES:
        words = words[:-1]
    return [w.strip(",") for w in words]


@lru_cache(maxsize=1 << 16)
def surname_key(name: str) -> str:
    """Folded surname of ``name`` ("" when it has no word)."""
    words = name_words(name)
    return fold(words[-1]) if words else ""


@lru_cache(maxsize=1 << 16)
def given_key(name: str) -> str:
    """Folded first given name of ``name``; "" for a bare surname."""
    words = name_words(name)
    return fold(words[0]) if len(words) > 1 else ""


def gender_of(honorific_words: list[str]) -> str:
    """``"m"``, ``"f"`` or ``""`` from the words before a name ("Mrs." -> "f")."""
    folded = {fold(w) for w in honorific_words}
    if folded & MALE_HONORIFICS and not folded & FEMALE_HONORIFICS:
        return "m"
    if folded & FEMALE_HONORIFICS and not folded & MALE_HONORIFICS:
        return "f"
    return ""


def honorific_gender(name: str) -> str:
    """``"m"``/``"f"`` when ``name`` opens with a gendered honorific ("Mrs. Gingrich"), else ``""``."""
    words = name.split()
    return gender_of(words[:1]) if len(words) > 1 else ""


@lru_cache(maxsize=1 << 18)
def same_person(a: str, b: str) -> bool:
    """Whether two name forms can be one person: same surname, and the same first given name
    unless one of them has none. "Bill Clinton" / "Clinton": yes; "Bill" / "Hillary Rodham Clinton": no."""
    if surname_key(a) != surname_key(b) or not surname_key(a):
        return False
    ga, gb = given_key(a), given_key(b)
    return not ga or not gb or ga == gb


def pronoun_window_start(token) -> int:
    """Start (character offset) of the text a he/she at spaCy ``token`` may point back to: its
    paragraph, and at least the sentence before its own (wire copy gives each sentence a paragraph)."""
    # the last line break before the token, read from the tokens before it: ``doc.text`` joins every
    # token of the document on each access, which made this the slowest step of event extraction
    doc = token.doc
    para = 0
    for i in range(token.i - 1, -1, -1):
        t = doc[i]
        if "\n" in t.whitespace_:
            para = t.idx + len(t.text) + t.whitespace_.rfind("\n") + 1
            break
        if "\n" in t.text:
            para = t.idx + t.text.rfind("\n") + 1
            break
    sent = token.sent
    previous = token.doc[sent.start - 1].sent.start_char if sent.start > 0 else 0
    return min(para, previous)


def distinct_people(names: list[str]) -> list[str]:
    """``names`` with forms of one person (:func:`same_person`) kept once, as the longest form."""
    kept: list[str] = []
    for name in names:
        same = next((i for i, k in enumerate(kept) if same_person(k, name)), None)
        if same is None:
            kept.append(name)
        elif len(name) > len(kept[same]):
            kept[same] = name
    return kept


class PersonIndex:
    """Name forms of people, grouped by (surname, first given name); see the module docstring.

    ``add(name, n)`` records a form (titles stripped) ``n`` times; ``resolve(name)`` returns
    the canonical form (the longest, then most frequent, then alphabetical form of that
    person) or ``None`` when no known person matches or a bare surname fits several.
    """

    def __init__(self, forms: dict[str, int] | None = None):
        self._groups: dict[str, dict[str, Counter]] = {}  # surname -> given name ("" = none) -> form counts
        self._genders: dict[tuple[str, str], str] = {}  # (surname, given) -> "m"/"f" from an honorific
        for name, n in (forms or {}).items():
            self.add(name, n)

    def add(self, name: str, n: int = 1) -> None:
        """Record one form of a person's name (``n`` occurrences)."""
        words = name_words(name)
        if not words:
            return
        form = " ".join(words)
        self._groups.setdefault(surname_key(form), {}).setdefault(given_key(form), Counter())[form] += n
        gender = honorific_gender(name)
        if gender and given_key(form):
            self._genders.setdefault((surname_key(form), given_key(form)), gender)

    def gender(self, name: str) -> str:
        """"m"/"f" when an honorific on some form of this person's full name says so (else "")."""
        return self._genders.get((surname_key(name), given_key(name)), "")

    def people(self, surname: str) -> list[str]:
        """Canonical forms of the distinct people with this surname (those with a given name)."""
        groups = self._groups.get(fold(surname), {})
        return sorted(self._best(c) for g, c in groups.items() if g)

    @staticmethod
    def _best(counts: Counter) -> str:
        return sorted(counts, key=lambda f: (-len(f.split()), -counts[f], f))[0]

    def resolve(self, name: str) -> str | None:
        """Canonical form of the person ``name`` names, or ``None`` (unknown, or a bare surname
        shared by several people)."""
        words = name_words(name)
        if not words:
            return None
        groups = self._groups.get(surname_key(" ".join(words)), {})
        given = given_key(" ".join(words))
        if given:
            counts = groups.get(given)
            if counts is None and len(words[0].rstrip(".")) == 1:  # an initial: "B. Clinton" fits one Bill only
                fits = [g for g in groups if g and g[0] == given[0]]
                counts = groups[fits[0]] if len(fits) == 1 else None
            return self._best(counts) if counts else None
        named = [g for g in groups if g]
        gender = honorific_gender(name)
        if gender:  # "Mrs. Gingrich" is not a person known to be a man
            named = [g for g in named if self._genders.get((surname_key(words[-1]), g), gender) == gender]
        if len(named) == 1:
            return self._best(groups[named[0]])
        if not named and "" in groups:
            return self._best(groups[""])
        return None

    def __bool__(self) -> bool:
        return bool(self._groups)
