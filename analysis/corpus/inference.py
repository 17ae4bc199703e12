"""Infer a report's outlet from what the page says about itself, quoting the evidence.

Used only where the manifest and the page metadata are silent. A capture
names its publisher in a few recurring ways: a self-reference in the
copy ("which LIBYAPROSPECT translates here", "revealed to The New Arab's
Arabic-language service"), a reprint disclaimer or copyright footer
("cross-post Global Research articles"), or an author bio ("Raul Diego is a
MintPress News Staff Writer"). A bio naming another outlet than the site's
footer marks a republished article: both are kept, in their roles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"(?:[Tt]he\s+)?[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|for|on|and|&)){0,5}"

SELF_REFERENCES = [
    ("self-reference (translation)", re.compile(rf"\bwhich\s+(?P<name>{_NAME})\s+(?:translates|has translated|translated)\s+here\b")),
    ("self-reference (language service)", re.compile(
        rf"\b(?:to|by|for|told|in)\s+(?P<name>{_NAME})['’]s\s+(?:[A-Z][a-z]+-language|sister|own)\s+(?:service|site|edition|website)")),
    ("self-reference (exclusive to)", re.compile(rf"\b(?:told|said to|speaking to|in an interview with)\s+(?P<name>{_NAME})\s+exclusively\b")),
]
FOOTERS = [
    ("reprint disclaimer", re.compile(rf"\b(?:cross-post|republish|repost)\s+(?P<name>{_NAME})\s+articles\b")),
    ("copyright footer", re.compile(
        rf"(?:^|\n)\s*(?:copyright\s*)?©\s*(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*,?\s*)?(?P<name>{_NAME})(?=\s*(?:[.,|]|all rights|$))", re.I | re.M)),
    ("site footer", re.compile(r"(?:^|\n)\s*(?:www\.)?(?P<name>[a-z0-9-]+\.[a-z]{2,}(?:\.[a-z]{2})?)\s+contains copyrighted material", re.M)),
]
AUTHOR_BIO = re.compile(
    rf"(?:^|\n)[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){{0,3}}\s+is\s+(?:an?|the)\s+(?P<name>{_NAME}?)\s+"
    r"(?i:staff\s+writer|senior\s+writer|writer|reporter|correspondent|journalist|editor|columnist|contributor)\b"
)
_NOT_OUTLETS = {"freelance", "independent", "senior", "staff", "contributing", "former", "the", "an", "a"}


@dataclass(frozen=True)
class OutletEvidence:
    """An outlet named by the text, how it was found, and the passage quoted."""

    name: str
    method: str
    evidence: str


def _quote(text: str, match: re.Match, width: int = 60) -> str:
    start = max(0, match.start() - width)
    end = min(len(text), match.end() + width)
    snippet = re.sub(r"\s+", " ", text[start:end]).strip()
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" .,'’\"“”")
    return name


def _first(patterns, text: str) -> OutletEvidence | None:
    for method, pattern in patterns:
        for match in pattern.finditer(text):
            name = _clean_name(match.group("name"))
            if name and name.lower() not in _NOT_OUTLETS:
                return OutletEvidence(name, method, _quote(text, match))
    return None


def infer_outlets(text: str) -> tuple[OutletEvidence | None, OutletEvidence | None]:
    """Return ``(publisher, original)`` evidence found in a capture's full text.

    ``publisher`` is the outlet of this copy (self-reference, then footer, then
    an author bio); ``original`` is set only when an author bio names another
    outlet than the publisher, i.e. the article was republished.
    """
    publisher = _first(SELF_REFERENCES, text) or _first(FOOTERS, text)
    bio = None
    for match in AUTHOR_BIO.finditer(text):
        name = _clean_name(match.group("name"))
        if name and name.split()[0].lower() not in _NOT_OUTLETS:
            bio = OutletEvidence(name, "author bio", _quote(text, match))
            break
    if publisher is None:
        return bio, None
    if bio is not None and bio.name.lower() != publisher.name.lower():
        return publisher, bio
    return publisher, None
