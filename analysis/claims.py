"""Claims: the same alleged happening, told by several reports.

Events of different reports are grouped into one claim when their intervals
overlap and they share enough of who, where and what (see
:func:`events_match`). Two events of the same report are never merged: a
report that mentions two meetings alleges two meetings.

For each claim: the reports alleging it, its *first appearance* (the earliest
publication date among them) and its *independent origins*: the number of
distinct root sources behind its events. An event's origins are the root
sources (from the relay chains of :mod:`analysis.citation_graph`) of the
attributions of its sentence; an event with no attribution counts its
report's outlet (or, when unknown, the report itself) as its origin. Four
reports repeating one outlet's scoop are one origin, not four confirmations.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from .aliases import load_aliases
from .events import EVENT_COLUMNS

#: Columns of ``data/processed/claims.csv``, in order.
CLAIM_COLUMNS = ["claim_id", "summary", "start", "end", "precision", "n_reports", "first_appearance",
                 "independent_origins", "reports"]
#: How many times longer one interval may be than the other for their events to match.
MAX_SCALE_RATIO = 13
#: Actors that say nothing about who did what when every seed names them ("Haftar and Israel"):
#: sharing one of them alone never makes two events the same happening.
_MIN_SHARED = 1


def _split(value: str) -> set[str]:
    return {part.strip() for part in str(value).split(";") if part.strip()}


def _overlap(a, b) -> bool:
    if not (a["start"] or a["end"]) or not (b["start"] or b["end"]):
        return False  # an unresolved date matches nothing: we do not guess when it happened
    a_start, a_end = a["start"] or "0000-01-01", a["end"] or "9999-12-31"
    b_start, b_end = b["start"] or "0000-01-01", b["end"] or "9999-12-31"
    if not (a_start <= b_end and b_start <= a_end):
        return False
    if not (a["start"] and a["end"] and b["start"] and b["end"]):
        return True
    # a day inside a three-year range is not the same happening: the shorter interval must be
    # at least a thirteenth of the longer one (a month against a year still matches)
    len_a = (date.fromisoformat(a_end) - date.fromisoformat(a_start)).days + 1
    len_b = (date.fromisoformat(b_end) - date.fromisoformat(b_start)).days + 1
    return min(len_a, len_b) * MAX_SCALE_RATIO >= max(len_a, len_b)


def events_match(a, b) -> bool:
    """Whether two events (rows or dicts of :func:`analysis.events.extract_events`) describe the same happening.

    Intervals must overlap. Then either a shared place and a shared actor
    (by name or by affiliation: Mossad and Israel are one side), or a shared
    kind of action and two shared actors.
    """
    if not _overlap(a, b):
        return False
    actors_a = _split(a["actors"]) | _split(a.get("affiliations", ""))
    actors_b = _split(b["actors"]) | _split(b.get("affiliations", ""))
    shared_actors = actors_a & actors_b
    shared_places = _split(a["places"]) & _split(b["places"])
    shared_action = _split(a.get("action_lemmas", "")) & _split(b.get("action_lemmas", ""))
    if shared_places and len(shared_actors) >= _MIN_SHARED:
        return True
    return bool(shared_action) and len(shared_actors) >= 2


def group_claims(events: pd.DataFrame) -> pd.DataFrame:
    """Assign a ``claim_id`` to every event.

    Events are taken in order of interval start (then id) and each joins the
    first claim holding a matching event (:func:`events_match`) from another
    report and none from its own; otherwise it opens a new claim. Returns a
    copy of ``events`` with ``claim_id`` filled (``c001``, ``c002``...
    numbered by claim start, then first event id).
    """
    frame = events.copy()
    if frame.empty:
        frame["claim_id"] = pd.Series(dtype="object")
        return frame
    records = frame.to_dict("index")
    order = sorted(records, key=lambda i: (records[i]["start"] or "9999", records[i]["event_id"]))
    claims: list[list] = []
    claim_reports: list[set] = []
    # Every match shares an actor or affiliation, so only claims holding one of the event's are candidates.
    by_actor: dict[str, set[int]] = {}
    for idx in order:
        row = records[idx]
        names = _split(row["actors"]) | _split(row.get("affiliations", ""))
        target = None
        if row["start"] or row["end"]:  # an unresolved event can only stand alone
            for k in sorted(set().union(*(by_actor.get(n, ()) for n in names))):
                if row["report_id"] in claim_reports[k]:
                    continue
                if any(events_match(records[m], row) for m in claims[k]):
                    target = k
                    break
        if target is None:
            target = len(claims)
            claims.append([idx])
            claim_reports.append({row["report_id"]})
        else:
            claims[target].append(idx)
            claim_reports[target].add(row["report_id"])
        for n in names:
            by_actor.setdefault(n, set()).add(target)

    def claim_key(members):
        starts = [records[m]["start"] for m in members if records[m]["start"]]
        return (min(starts) if starts else "9999", min(records[m]["event_id"] for m in members))

    width = max(3, len(str(len(claims))))
    ids = {}
    for n, members in enumerate(sorted(claims, key=claim_key), start=1):
        for m in members:
            ids[m] = f"c{n:0{width}d}"
    frame["claim_id"] = [ids[i] for i in frame.index]
    return frame


def event_origins(events: pd.DataFrame, citations: pd.DataFrame | None, reports: pd.DataFrame) -> pd.Series:
    """The origins of each event, as a ``;``-joined string indexed like ``events``.

    An attribution whose ``[sent_start, sent_end)`` contains the event's
    sentence start counts its ``root_source`` (from
    :func:`analysis.citation_graph.citation_roots`: relay chains followed,
    anonymous sources traced to the outlet that heard them); an event with no
    attribution counts its report's outlet — the original outlet of a
    republished copy, canonical name — or ``report:<id>`` when unknown.
    """
    roots = _with_roots(citations, reports)
    aliases = load_aliases()
    outlet = {}
    for rid, name, original in zip(reports["report_id"], reports["outlet"], reports["original_outlet"]):
        name = str(original or "").strip() or str(name or "").strip()
        outlet[rid] = aliases.canonical(name) if name else ""
    by_report: dict[str, list[tuple[int, int, str]]] = {}
    if roots is not None and len(roots):
        for rid, a, b, root in zip(roots["report_id"], roots["sent_start"], roots["sent_end"], roots["root_source"]):
            by_report.setdefault(rid, []).append((int(a), int(b), root))
    out = {}
    for idx, event in zip(events.index, events.to_dict("records")):
        start = int(event["sent_start"])
        found = {root for a, b, root in by_report.get(event["report_id"], []) if a <= start < b and root}
        if not found:
            found = {outlet.get(event["report_id"]) or f"report:{event['report_id']}"}
        out[idx] = "; ".join(sorted(found))
    return pd.Series(out, dtype="object").reindex(events.index)


def _with_roots(citations: pd.DataFrame | None, reports: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """``citations`` with a ``root_source`` column: relay chains followed when the graph module exists."""
    if citations is None or citations.empty:
        return citations
    if "root_source" in citations.columns:
        return citations
    try:
        from .citation_graph import citation_roots
    except ImportError:  # the source-counts relay graph is optional: each attribution is then its own root
        return citations.assign(root_source=citations["source_canonical"])
    return citation_roots(citations, reports)


def summarise_claims(events: pd.DataFrame, reports: pd.DataFrame,
                     citations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim with :data:`CLAIM_COLUMNS`.

    Accepts events with ``claim_id`` (from :func:`group_claims`), the corpus
    ``reports`` (``report_id``, ``published``, ``outlet``) and the
    attributions. ``start``/``end`` are the hull of the member intervals;
    ``precision`` is the members' common precision, else ``range``;
    ``first_appearance`` is the earliest known publication date of the
    alleging reports ("" when none is dated); ``reports`` is ``;``-joined.
    Sorted by ``claim_id``.
    """
    if events.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    origins = event_origins(events, citations, reports)
    published = dict(zip(reports["report_id"], reports["published"]))
    rows = []
    members: dict[str, list[tuple]] = {}
    for idx, event in zip(events.index, events.to_dict("records")):
        members.setdefault(event["claim_id"], []).append((idx, event))
    for claim_id in sorted(members):
        group = sorted(members[claim_id], key=lambda m: (m[1]["start"], m[1]["event_id"]))
        starts = [e["start"] for _, e in group if e["start"]]
        ends = [e["end"] for _, e in group if e["end"]]
        open_start = any(not e["start"] for _, e in group if e["end"])
        open_end = any(not e["end"] for _, e in group if e["start"])
        precisions = {e["precision"] for _, e in group}
        report_ids = sorted({e["report_id"] for _, e in group})
        dates = sorted(published.get(r, "") for r in report_ids if published.get(r, ""))
        summary = _summary(group[0][1])
        rows.append({
            "claim_id": claim_id, "summary": summary,
            "start": "" if open_start or not starts else min(starts),
            "end": "" if open_end or not ends else max(ends),
            "precision": precisions.pop() if len(precisions) == 1 else "range",
            "n_reports": len(report_ids), "first_appearance": dates[0] if dates else "",
            "independent_origins": len({o for idx, _ in group for o in origins[idx].split("; ") if o}),
            "reports": "; ".join(report_ids),
        })
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS).sort_values("claim_id").reset_index(drop=True)


def _summary(event) -> str:
    who = event["actors"].replace("; ", ", ") or "someone"
    where = f" ({event['places'].replace('; ', ', ')})" if event["places"] else ""
    return f"{who}: {event['action']}{where}"


def claim_events(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` restricted to the exported columns :data:`analysis.events.EVENT_COLUMNS`, sorted by ``event_id``."""
    return events[EVENT_COLUMNS].sort_values("event_id").reset_index(drop=True)


def build_claims(reports: pd.DataFrame, docs: dict | None = None,
                 citations: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and claims of a corpus in one call.

    Accepts the corpus ``reports``, the parsed Docs (parsed when ``None``) and
    the attributions (``analysis.citations.extract_citations``; ``None`` = no
    sources). Returns ``(events, claims)``: events with ``claim_id`` (all
    in-memory columns) and the claims table (:data:`CLAIM_COLUMNS`).
    """
    from .events import extract_events

    found = group_claims(extract_events(reports, docs, citations))
    return found, summarise_claims(found, reports, citations)


def write_tables(events: pd.DataFrame, claims: pd.DataFrame, paths) -> dict[str, "object"]:
    """Write ``events.csv`` (:data:`analysis.events.EVENT_COLUMNS`) and ``claims.csv`` (:data:`CLAIM_COLUMNS`).

    Accepts the two tables and an ``analysis.config.OutputPaths``; returns
    the written paths keyed by file name. Rows are sorted by id.
    """
    from . import atomic

    table = claims[CLAIM_COLUMNS].sort_values("claim_id").reset_index(drop=True)
    assert table["claim_id"].is_unique
    assert set(events["claim_id"]) <= set(table["claim_id"]), "every event belongs to a claim"
    return {
        "events.csv": atomic.write_csv(paths.table("events.csv"), claim_events(events)),
        "claims.csv": atomic.write_csv(paths.table("claims.csv"), table),
    }


def multi_report_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims alleged by two reports or more, most reports first (then earliest start, id)."""
    several = claims[claims["n_reports"] >= 2]
    return several.sort_values(["n_reports", "start", "claim_id"], ascending=[False, True, True]).reset_index(drop=True)
