"""Whom each report cites.

Attributions ("according to X", "X said") are found in each report's parse and their sources typed (media,
official, organisation, person, document, anonymous); names are canonicalised with the alias table; relays
("X, quoted by Y") become the citation graph; the outlets that published the reports are listed with their evidence.
"""
from analysis.sources.citations import (
    CITATION_COLUMNS,
    anonymous_share,
    attributions_by_type,
    extract_citations,
    most_cited,
    relay_chains,
)

__all__ = ["CITATION_COLUMNS", "anonymous_share", "attributions_by_type", "extract_citations", "most_cited",
           "relay_chains"]
