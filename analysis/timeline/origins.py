"""Independent origins of a claim: how many separate starting points its reports rest on.

For each report telling a claim:

1. **Copies are one origin with what they copy.** A report that is a near-duplicate of another report of
   the claim (``similarity.csv``: ``near_duplicate``), a syndicated republication of it (its
   ``original_outlet`` is the other report's outlet) or that tells the claim in a sentence copied or
   rewritten from the other's (a ``copied sentence`` link of ``claim_links.csv``) joins that report's
   *copy group*. A copy group counts the origins of its earliest report only (by publication date, then
   the report that is not a republication, then id): the copy adds no starting point of its own.
2. **Sources named in the claim's sentence:** the roots of their relay chains
   (:func:`analysis.sources.citation_graph.citation_roots`): "X said, quoting Y" rests on Y; an anonymous
   source rests on the outlet that heard it (the outlet it was revealed to or relayed by, else the
   report's original outlet, else its outlet).
3. **No source named:** the report's own publisher (its original outlet when republished, else its
   outlet, else ``report:<id>``).

So the scoop of one paper, copied word for word by a second, republished by a third and retold by two
more that credit the first paper ("according to the Valmont Courier", "the Courier reported last
month") is **one** origin: the copy and the republication join the first paper's copy group, and each
retelling's named source is that paper. A retelling that names no source and copies no sentence counts
as an origin of its own: nothing in its text shows where it came from, so the count is an upper bound
and ``claim_reports.csv`` shows that this report gives no source.
"""
from __future__ import annotations

import pandas as pd

from analysis.sources.aliases import load_aliases

CLAIM_REPORT_COLUMNS = ["claim_id", "report_id", "outlet", "published", "statement", "source", "source_type",
                        "origin", "copy_of", "copy_evidence", "mentions"]


def _custodians(reports: pd.DataFrame) -> dict[str, str]:
    aliases = load_aliases()
    out = {}
    for rid, outlet, original in zip(reports["report_id"], reports["outlet"],
                                     reports.get("original_outlet", pd.Series([""] * len(reports)))):
        name = str(original or "").strip() or str(outlet or "").strip()
        out[rid] = aliases.canonical(name) if name else f"report:{rid}"
    return out


def with_roots(citations: pd.DataFrame | None, reports: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """``citations`` with a ``root_source`` column: relay chains followed (:mod:`analysis.sources.citation_graph`)."""
    if citations is None or citations.empty:
        return citations
    if "root_source" in citations.columns:
        return citations
    from analysis.sources.citation_graph import citation_roots

    return citation_roots(citations, reports)


def mention_origins(mentions: pd.DataFrame, citations: pd.DataFrame | None, reports: pd.DataFrame) -> list[set]:
    """The origins of each mention row (before copies are followed): roots of the attributions of its
    sentence, else its report's custodian outlet."""

    roots = with_roots(citations, reports)
    by_report: dict[str, list[tuple[int, int, str]]] = {}
    if roots is not None and len(roots):
        for rid, a, b, root in zip(roots["report_id"], roots["sent_start"], roots["sent_end"], roots["root_source"]):
            by_report.setdefault(rid, []).append((int(a), int(b), root))
    custodian = _custodians(reports)
    out = []
    for rid, start in zip(mentions["report_id"].tolist(), mentions["sent_start"].tolist()):
        found = {r.strip() for a, b, root in by_report.get(rid, []) if a <= int(start) < b for r in root.split(";")
                 if r.strip()}
        out.append(found or {custodian.get(rid, f"report:{rid}")})
    return out


def copy_pairs(reports: pd.DataFrame, pairs: pd.DataFrame | None) -> dict[frozenset, str]:
    """Report pairs that copy one another, with the evidence: near-duplicates of ``pairs``
    (``similarity.csv``) and syndication (one report's ``original_outlet`` is the other's outlet)."""
    out: dict[frozenset, str] = {}
    if pairs is not None and len(pairs):
        flagged = pairs[pairs["near_duplicate"].astype(bool)]
        for a, b, share in zip(flagged["report_a"], flagged["report_b"], flagged["shared_share"]):
            out[frozenset((a, b))] = f"near-duplicate ({float(share):.0%} of the text copied or rewritten)"
    aliases = load_aliases()
    outlets: dict[str, list[str]] = {}
    for rid, outlet in zip(reports["report_id"], reports["outlet"]):
        if str(outlet or "").strip():
            outlets.setdefault(aliases.canonical(str(outlet)).casefold(), []).append(rid)
    if "original_outlet" in reports.columns:
        for rid, original in zip(reports["report_id"], reports["original_outlet"]):
            if str(original or "").strip():
                for other in outlets.get(aliases.canonical(str(original)).casefold(), []):
                    if other != rid:
                        out.setdefault(frozenset((rid, other)), f"syndicated: republishes {original}")
    return out


def claim_reports(mentions: pd.DataFrame, citations: pd.DataFrame | None, reports: pd.DataFrame,
                  pairs: pd.DataFrame | None = None, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (claim, report) with :data:`CLAIM_REPORT_COLUMNS`: what the report says (its first
    mention's statement), the sources it gives, its origin(s) and the report it copies, if any.

    Accepts the mentions with ``claim_id`` (:func:`analysis.timeline.claims.build_claims`), the
    attributions, the corpus reports, the similarity pairs (``similarity.csv``, or ``None``) and the claim
    links (``claim_links.csv``, for copied sentences). ``origin`` is ``; ``-joined; a copy has its copy
    group's origin. Sorted by claim, publication date, report.
    """
    if mentions.empty:
        return pd.DataFrame(columns=CLAIM_REPORT_COLUMNS)
    origins = mention_origins(mentions, citations, reports)
    copies = copy_pairs(reports, pairs)
    copied_in_claim: dict[tuple[str, frozenset], str] = {}
    if links is not None and len(links):
        for claim, a, b, reason in zip(links["claim_id"], links["report_a"], links["report_b"], links["reason"]):
            if reason.startswith("copied sentence") and a != b:
                copied_in_claim.setdefault((claim, frozenset((a, b))), reason)
    published = dict(zip(reports["report_id"], reports["published"]))
    outlet = dict(zip(reports["report_id"], reports["outlet"]))
    republished = set(reports.loc[reports.get("original_outlet", pd.Series("", index=reports.index)).astype(str)
                                  .str.strip() != "", "report_id"]) if "original_outlet" in reports.columns else set()
    per: dict[tuple[str, str], dict] = {}
    columns = ["claim_id", "report_id", "statement", "source", "source_type", "trigger_start"]
    for row, values in enumerate(zip(*(mentions[c].tolist() for c in columns))):
        claim, rid, statement, source, types, start = values
        entry = per.setdefault((claim, rid), {"statement": statement, "start": start, "sources": set(), "types": set(),
                                              "origins": set(), "n": 0})
        if start < entry["start"]:
            entry["statement"], entry["start"] = statement, start
        entry["sources"].update(s.strip() for s in source.split(";") if s.strip())
        entry["types"].update(t.strip() for t in types.split(";") if t.strip())
        entry["origins"] |= origins[row]
        entry["n"] += 1
    by_claim: dict[str, list[str]] = {}
    for claim, rid in per:
        by_claim.setdefault(claim, []).append(rid)
    rows = []
    for claim in sorted(by_claim):
        rids = sorted(by_claim[claim], key=lambda r: (published.get(r, "") or "9999", r in republished, r))
        parent = {r: r for r in rids}

        def find(r):
            while parent[r] != r:
                r = parent[r]
            return r
        evidence: dict[str, tuple[str, str]] = {}
        for k, later in enumerate(rids):  # each report joins the group of the earliest report it copies
            for earlier in rids[:k]:
                why = copies.get(frozenset((earlier, later))) or copied_in_claim.get((claim, frozenset((earlier, later))))
                if why:
                    parent[later] = find(earlier)
                    evidence[later] = (earlier, why)
                    break
        for rid in rids:
            entry = per[(claim, rid)]
            group_origin = per[(claim, find(rid))]["origins"]
            copy_of, why = evidence.get(rid, ("", ""))
            types = sorted(entry["types"] - {"unattributed"}) if len(entry["types"]) > 1 else sorted(entry["types"])
            rows.append({"claim_id": claim, "report_id": rid, "outlet": outlet.get(rid, ""),
                         "published": published.get(rid, ""), "statement": entry["statement"],
                         "source": "; ".join(sorted(entry["sources"])), "source_type": "; ".join(types),
                         "origin": "; ".join(sorted(group_origin)), "copy_of": copy_of, "copy_evidence": why,
                         "mentions": entry["n"]})
    return pd.DataFrame(rows, columns=CLAIM_REPORT_COLUMNS)


def origins_by_claim(table: pd.DataFrame) -> dict[str, list[str]]:
    """``{claim_id: sorted distinct origins}`` from :func:`claim_reports`."""
    out: dict[str, set] = {}
    for claim, origin in zip(table["claim_id"], table["origin"]):
        out.setdefault(claim, set()).update(o.strip() for o in origin.split(";") if o.strip())
    return {c: sorted(o) for c, o in out.items()}
