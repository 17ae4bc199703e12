"""Canonical names of cited sources: a shipped alias table, extendable by the user.

The table (``analysis/data/aliases.csv``) maps a name as it appears in
reports (``alias``) to one ``canonical`` name, a source ``type`` and a
``note``: "Al-Araby Al-Jadeed" -> "The New Arab" (its Arabic-language
service), "Debka" -> "DEBKAfile". A user file with the same columns can be
passed to :func:`load_aliases`; its rows win over the shipped ones.

Names not in the table are kept as written, normalised by
:func:`normalise_name` (typographic quotes, a leading article, a trailing
possessive and spacing removed).
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config

#: The shipped alias table.
ALIASES_CSV = config.PACKAGE_DATA_DIR / "aliases.csv"
ALIAS_COLUMNS = ["alias", "canonical", "type", "note"]
#: The source types a citation can have (see ``analysis.citations``).
SOURCE_TYPES = ("media", "anonymous", "official", "organization", "person", "document")

_QUOTES = "\"'“”‘’«»„‟‹›`´"
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def normalise_name(name: str) -> str:
    """Return ``name`` as written but tidied: NFKC, no quotes, no leading "the/a/an", no possessive.

    Whitespace (including non-breaking spaces) is collapsed; an all-lower-case
    name is left lower-case (it is a description such as "informed sources").
    """
    text = unicodedata.normalize("NFKC", str(name)).strip()
    text = re.sub(r"['’]s$", "", text)  # possessive before quotes go: "Reuters’s" is not a quotation
    text = "".join(" " if ch in _QUOTES else ch for ch in text)
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-–—()[]")
    for _ in range(2):  # "the 'Debka'" -> "Debka" needs two passes after quote removal
        text = _LEADING.sub("", text).strip()
        text = _POSSESSIVE.sub("", text).strip()
    return text


def alias_key(name: str) -> str:
    """Lookup key of a name: normalised, case-folded, hyphens and spacing unified."""
    text = normalise_name(name).casefold()
    text = text.replace("’", "'")
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Alias:
    """One row of the alias table."""

    canonical: str
    type: str
    note: str


class AliasTable:
    """Name -> :class:`Alias` lookups over the shipped table plus any user table."""

    def __init__(self, frame: pd.DataFrame):
        missing = set(ALIAS_COLUMNS) - set(frame.columns)
        if missing:
            raise ValueError(f"alias table lacks columns {sorted(missing)}")
        frame = frame[ALIAS_COLUMNS].fillna("").astype(str)
        bad = sorted(set(frame["type"]) - set(SOURCE_TYPES))
        if bad:
            raise ValueError(f"alias table has unknown source types {bad}; allowed: {SOURCE_TYPES}")
        self.frame = frame.reset_index(drop=True)
        self._by_key: dict[str, Alias] = {}
        for row in self.frame.itertuples(index=False):
            # later rows (the user's) replace earlier ones (the shipped table)
            self._by_key[alias_key(row.alias)] = Alias(row.canonical, row.type, row.note)
            self._by_key.setdefault(alias_key(row.canonical), Alias(row.canonical, row.type, row.note))

    def lookup(self, name: str) -> Alias | None:
        """The alias row for ``name`` (any spelling the table knows), else ``None``."""
        return self._by_key.get(alias_key(name))

    def canonical(self, name: str) -> str:
        """Canonical name of ``name``: from the table, else ``normalise_name(name)``."""
        hit = self.lookup(name)
        return hit.canonical if hit else normalise_name(name)

    def __len__(self) -> int:
        return len(self._by_key)


def read_alias_file(path: str | os.PathLike) -> pd.DataFrame:
    """Read an alias CSV (``alias, canonical, type, note``; ``note`` optional) as strings."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "note" not in frame.columns:
        frame["note"] = ""
    return frame


def load_aliases(user_file: str | os.PathLike | None = None) -> AliasTable:
    """The shipped alias table, extended (and overridden) by ``user_file`` when given."""
    frames = [read_alias_file(ALIASES_CSV)]
    if user_file is not None:
        frames.append(read_alias_file(Path(user_file)))
    return AliasTable(pd.concat(frames, ignore_index=True))


def as_alias_table(aliases: "AliasTable | str | os.PathLike | pd.DataFrame | None") -> AliasTable:
    """Coerce ``aliases`` (None, a table, a user CSV path or a DataFrame of extra rows) to a table."""
    if aliases is None:
        return load_aliases()
    if isinstance(aliases, AliasTable):
        return aliases
    if isinstance(aliases, pd.DataFrame):
        extra = aliases.copy()
        if "note" not in extra.columns:
            extra["note"] = ""
        return AliasTable(pd.concat([read_alias_file(ALIASES_CSV), extra], ignore_index=True))
    return load_aliases(aliases)


def spelling_map(names: "list[str] | pd.Series", table: AliasTable | None = None) -> dict[str, str]:
    """One spelling per name that differs only in case or hyphen spacing ("ITAR-Tass", "Itar-Tass").

    Accepts the names as found (one entry per mention) and optionally the alias
    table. Returns ``{spelling: chosen spelling}`` for every spelling of a
    group with more than one: the alias table's canonical name when it knows
    the group, else the most frequent spelling, ties broken by the sorted
    order (so the choice does not depend on the order of the mentions).
    """
    counts: dict[str, dict[str, int]] = {}
    for name in names:
        if not name:
            continue
        group = counts.setdefault(alias_key(name), {})
        group[name] = group.get(name, 0) + 1
    chosen: dict[str, str] = {}
    for key, group in counts.items():
        if len(group) < 2:
            continue
        hit = table.lookup(key) if table is not None else None
        best = hit.canonical if hit else min(group, key=lambda n: (-group[n], n))
        chosen.update({spelling: best for spelling in group})
    return chosen
