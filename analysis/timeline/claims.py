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

import hashlib
from datetime import date

import pandas as pd

from analysis.sources.aliases import load_aliases
from analysis.timeline.events import EVENT_COLUMNS
from analysis.progress import progress_bar_over

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


class _Event:
    """The parts of an event that :func:`events_match` reads, parsed once."""

    __slots__ = ("report_id", "start", "end", "names", "places", "actions", "_days")

    def __init__(self, report_id, start, end, actors, affiliations, places, action_lemmas) -> None:
        self.report_id = report_id
        self.start, self.end = start, end
        self.names = _split(actors) | _split(affiliations)
        self.places = _split(places)
        self.actions = _split(action_lemmas)
        self._days = None

    @classmethod
    def of(cls, row) -> "_Event":
        """From a row or dict of :func:`analysis.events.extract_events`."""
        return cls(row.get("report_id", ""), row["start"], row["end"], row["actors"], row.get("affiliations", ""),
                   row["places"], row.get("action_lemmas", ""))

    def keys(self) -> set[tuple]:
        """What a matching event must share with this one: an actor and a place, or an actor and an action."""
        return {("place", n, p) for n in self.names for p in self.places} | {
            ("action", n, a) for n in self.names for a in self.actions}

    def days(self) -> int:
        if self._days is None:
            self._days = (date.fromisoformat(self.end) - date.fromisoformat(self.start)).days + 1
        return self._days


def _match(a: _Event, b: _Event) -> bool:
    """:func:`events_match` on parsed events (grouping parses each event once, not once per comparison)."""
    if not (a.start or a.end) or not (b.start or b.end):
        return False  # an unresolved date matches nothing: we do not guess when it happened
    if not ((a.start or "0000-01-01") <= (b.end or "9999-12-31") and (b.start or "0000-01-01") <= (a.end or "9999-12-31")):
        return False
    if a.start and a.end and b.start and b.end:
        # a day inside a three-year range is not the same happening: the shorter interval must be
        # at least a thirteenth of the longer one (a month against a year still matches)
        len_a, len_b = a.days(), b.days()
        if min(len_a, len_b) * MAX_SCALE_RATIO < max(len_a, len_b):
            return False
    shared_actors = len(a.names & b.names)
    if shared_actors >= _MIN_SHARED and not a.places.isdisjoint(b.places):
        return True
    return shared_actors >= 2 and not a.actions.isdisjoint(b.actions)


def events_match(a, b) -> bool:
    """Whether two events (rows or dicts of :func:`analysis.events.extract_events`) describe the same happening.

    Intervals must overlap. Then either a shared place and a shared actor
    (by name or by affiliation: Mossad and Israel are one side), or a shared
    kind of action and two shared actors.
    """
    return _match(_Event.of(a), _Event.of(b))


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
    column = _columns(frame)
    starts, event_ids = column("start"), column("event_id")
    order = sorted(range(len(frame)), key=lambda i: (starts[i] or "9999", event_ids[i]))
    parsed = [_Event(*values) for values in zip(*(column(c) for c in (
        "report_id", "start", "end", "actors", "affiliations", "places", "action_lemmas")))]
    claims: list[list] = []
    claim_reports: list[set] = []
    # Every match shares an actor or affiliation, so only claims holding one of the event's are candidates.
    by_actor: dict[str, set[int]] = {}
    # Events come by start, so a member that ended before this event starts overlaps no later event
    # either. Per (actor, place) and (actor, action), the members still open, as (end, claim, event):
    # a match shares one of these, so scanning only them keeps grouping near linear on corpora where
    # one actor (a president) is in thousands of claims.
    open_members: dict[tuple, list[tuple[str, int, int]]] = {}
    for idx in progress_bar_over(order, "grouping events into claims", unit="event"):
        event = parsed[idx]
        keys = event.keys()
        target = None
        if event.start:
            candidates: dict[int, set] = {}
            for key in keys:
                members = open_members.get(key)
                if not members:
                    continue
                still_open = [m for m in members if not m[0] or m[0] >= event.start]
                if len(still_open) != len(members):
                    open_members[key] = still_open
                for _, k, m in still_open:
                    candidates.setdefault(k, set()).add(m)
            for k in sorted(candidates):
                if event.report_id in claim_reports[k]:
                    continue
                if any(_match(parsed[m], event) for m in sorted(candidates[k])):
                    target = k
                    break
        elif event.end:  # open start: rare, sorted last; every claim sharing a name is a candidate
            for k in sorted(set().union(*(by_actor.get(n, ()) for n in event.names))):
                if event.report_id in claim_reports[k]:
                    continue
                if any(_match(parsed[m], event) for m in claims[k]):
                    target = k
                    break
        if target is None:
            target = len(claims)
            claims.append([idx])
            claim_reports.append({event.report_id})
        else:
            claims[target].append(idx)
            claim_reports[target].add(event.report_id)
        for name in event.names:
            by_actor.setdefault(name, set()).add(target)
        if event.start or event.end:
            for key in keys:
                open_members.setdefault(key, []).append((event.end, target, idx))

    def claim_key(members):
        member_starts = [starts[m] for m in members if starts[m]]
        return (min(member_starts) if member_starts else "9999", min(event_ids[m] for m in members))

    width = max(3, len(str(len(claims))))
    ids = [""] * len(frame)
    for n, members in enumerate(sorted(claims, key=claim_key), start=1):
        for m in members:
            ids[m] = f"c{n:0{width}d}"
    frame["claim_id"] = ids
    return frame


def _columns(frame: pd.DataFrame):
    """``column(name)``: the values of a column as a Python list ("" for every row when it is absent).

    Far faster than ``to_dict`` on Arrow-backed string columns, which box one value at a time.
    """
    def column(name: str) -> list:
        return frame[name].tolist() if name in frame.columns else [""] * len(frame)
    return column


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
    out = []
    for rid, start in zip(events["report_id"].tolist(), events["sent_start"].tolist()):
        start = int(start)
        found = {root for a, b, root in by_report.get(rid, []) if a <= start < b and root}
        if not found:
            found = {outlet.get(rid) or f"report:{rid}"}
        out.append("; ".join(sorted(found)))
    return pd.Series(out, index=events.index, dtype="object")


def _with_roots(citations: pd.DataFrame | None, reports: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """``citations`` with a ``root_source`` column: relay chains followed when the graph module exists."""
    if citations is None or citations.empty:
        return citations
    if "root_source" in citations.columns:
        return citations
    try:
        from analysis.sources.citation_graph import citation_roots
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
    origins = event_origins(events, citations, reports).tolist()
    published = dict(zip(reports["report_id"], reports["published"]))
    rows = []
    members: dict[str, list[tuple]] = {}
    column = _columns(events)
    names = ["claim_id", "start", "end", "event_id", "precision", "report_id", "actors", "action", "places"]
    for idx, values in enumerate(zip(*(column(c) for c in names))):
        event = dict(zip(names, values))
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


def events_by_claim(events: pd.DataFrame, columns: list[str]) -> dict[str, list]:
    """``{claim_id: [event, ...]}``: each event a namedtuple of ``columns``, in the order of ``events``.

    The per-claim loops of the timeline read this instead of one sub-DataFrame
    per claim (``groupby``), which costs about a millisecond each: minutes on
    the 10^5 claims of a 10,000-report corpus.
    """
    from collections import namedtuple

    Event = namedtuple("Event", columns)
    grouped: dict[str, list] = {}
    for claim_id, values in zip(events["claim_id"].tolist(), zip(*(events[c].tolist() for c in columns))):
        grouped.setdefault(claim_id, []).append(Event(*values))
    return grouped


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
    from analysis.timeline.events import extract_events

    def build():
        found = group_claims(extract_events(reports, docs, citations))
        return found, summarise_claims(found, reports, citations)

    if docs is not None:
        return build()
    from analysis.pipeline import memo, nlp
    from analysis.sources.citations import CODE_FILES as CITATION_FILES
    from analysis.timeline.temporal import CODE_FILES as TEMPORAL_FILES
    from analysis.versions import code_version

    # everything the events and claims are computed from: a warm rerun of an unchanged corpus reads the tables
    key = hashlib.sha256("|".join([
        code_version("timeline/claims.py", "timeline/events.py", *TEMPORAL_FILES, *CITATION_FILES,
                     "sources/citation_graph.py", "data/aliases.csv", "data/actors.csv", "pipeline/nlp.py"),
        nlp.pipeline_id(),
        memo.frame_fingerprint(reports),
        memo.frame_fingerprint(citations) if citations is not None else "no citations",
    ]).encode()).hexdigest()
    found, table = memo.cached_frames("claims", key, ("events", "claims"), build)
    return found, table


def write_tables(events: pd.DataFrame, claims: pd.DataFrame, paths) -> dict[str, "object"]:
    """Write ``events.csv`` (:data:`analysis.events.EVENT_COLUMNS`) and ``claims.csv`` (:data:`CLAIM_COLUMNS`).

    Accepts the two tables and an ``analysis.config.OutputPaths``; returns
    the written paths keyed by file name. Rows are sorted by id.
    """
    from analysis import atomic

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
