"""Kinds of action: predicates that name the same kind of happening across reports.

"The submarine sank", "went down", "plunged to the seabed" are one kind of
happening; so are "killed 118 sailors" and "118 sailors died". The shipped
table ``analysis/data/predicate_families.csv`` (``predicate, family, note``)
lists such predicates as lemma phrases: a verb alone (``sink``), a verb and
its particle (``go down``, ``blow up``), a verb and the head of its object
(``hold talk``, ``lose life``) or a verb, a preposition and the head of its
object (``plunge to seabed``, ``go to bottom``). A user CSV of the same
columns extends it (its rows win). A predicate the table does not know is its
own family (its lemma).
"""
from __future__ import annotations

import os
from functools import lru_cache

import pandas as pd

from analysis import config

PREDICATES_CSV = config.PACKAGE_DATA_DIR / "predicate_families.csv"


class PredicateTable:
    """Lemma phrase -> action family; see :func:`load_predicates`."""

    def __init__(self, frame: pd.DataFrame):
        self.family = {" ".join(str(p).lower().split()): str(f).strip().lower()
                       for p, f in zip(frame["predicate"], frame["family"]) if str(p).strip() and str(f).strip()}

    def family_of(self, lemma: str, particles: list[str] = (), objects: list[str] = (),
                  preps: list[tuple[str, str]] = ()) -> str:
        """The family of a predicate: its lemma with a particle, an object head or a preposition and
        its object's head, tried from the most specific phrase to the lemma alone.

        ``particles`` are particle lemmas ("down"), ``objects`` direct-object head lemmas ("talk"),
        ``preps`` (preposition, object head lemma) pairs ("to", "seabed"). Returns the lemma itself
        when the table knows none of the phrases.
        """
        lemma = lemma.lower()
        tries = [f"{lemma} {p}" for p in particles]
        tries += [f"{lemma} {p} {o}" for p, o in preps]
        tries += [f"{lemma} {o}" for o in objects]
        tries += [f"{lemma} {p}" for p, _ in preps]
        for phrase in tries + [lemma]:
            hit = self.family.get(phrase)
            if hit:
                return hit
        return lemma

    def fingerprint(self) -> str:
        """The table's content, for cache keys."""
        return repr(sorted(self.family.items()))


@lru_cache(maxsize=8)
def _load(user_file: str | None) -> PredicateTable:
    frame = pd.read_csv(PREDICATES_CSV, dtype=str, keep_default_na=False)
    if user_file:
        user = pd.read_csv(user_file, dtype=str, keep_default_na=False)
        missing = {"predicate", "family"} - set(user.columns)
        if missing:
            raise ValueError(f"{user_file}: the predicate file needs the columns predicate, family (missing {sorted(missing)})")
        frame = pd.concat([frame, user], ignore_index=True)  # later rows win in the dict
    return PredicateTable(frame)


def load_predicates(user_file: str | os.PathLike | None = None) -> PredicateTable:
    """The shipped predicate families, extended by ``user_file`` (a CSV with ``predicate, family``; its rows win)."""
    return _load(str(user_file) if user_file else None)
