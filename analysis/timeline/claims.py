"""Claims: the same alleged happening, told by several reports.

Every clause that alleges something happened is a *claim mention* (:mod:`analysis.timeline.mentions`,
dated or not; a dated one is also an event of ``events.csv``). Mentions of the same happening are grouped
across reports (:mod:`analysis.timeline.claim_grouping`: same kind of action, compatible time, shared
participants weighed by rarity, or a sentence notebook 02 found copied), each link kept as evidence.

For each claim: a readable statement, the reports telling it, its *first appearance* (the earliest
publication date among them) and its *independent origins* (:mod:`analysis.timeline.origins`): copies and
syndicated republications are one origin with what they copy, a named source counts the root of its
relay chain, an unnamed one the outlet that heard it. Four reports repeating one outlet's scoop are one
origin, not four confirmations.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from analysis.timeline.events import EVENT_COLUMNS
from analysis.timeline.claim_grouping import LINK_COLUMNS, GroupingSettings, group_mentions
from analysis.timeline.origins import CLAIM_REPORT_COLUMNS, claim_reports

#: Columns of ``data/processed/claims.csv``, in order.
CLAIM_COLUMNS = ["claim_id", "statement", "summary", "action_family", "participants", "start", "end", "precision",
                 "n_reports", "n_mentions", "first_appearance", "first_report", "independent_origins", "origins",
                 "reports"]
#: Columns of ``data/processed/claim_mentions.csv``, in order.
MENTION_COLUMNS = ["mention_id", "event_id", "report_id", "claim_id", "statement", "trigger", "trigger_start",
                   "trigger_end", "lemma", "action_family", "negated", "planned", "actors", "patients", "places",
                   "participants", "start", "end", "precision", "date_text", "source", "source_type", "hedged",
                   "sentence", "sent_start", "sent_end"]
#: In-memory columns of the mentions frame beyond :data:`MENTION_COLUMNS` (not exported).
MENTION_EXTRA = ["named", "nouns", "affiliations", "agent_keys", "reporting", "timex", "modifier", "relative", "anchor", "rule",
                 "action", "event_actors", "event_places", "date_start_char", "date_end_char"]
#: Longest ``summary`` (a one-line label for figures).
SUMMARY_WIDTH = 90


def _similarity_frames(similarity) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """``(pairs, passages)`` from a :class:`analysis.similarity.report_similarity.Comparison`, a
    ``(pairs, passages)`` tuple (``similarity.csv``, ``shared_passages.csv``) or ``None``."""
    if similarity is None:
        return None, None
    if hasattr(similarity, "pairs") and hasattr(similarity, "passages"):
        return similarity.pairs, similarity.passages
    pairs, passages = similarity
    return pairs, passages


@dataclass
class ClaimTables:
    """Everything notebook 03 shows and writes about claims.

    ``mentions`` (:data:`MENTION_COLUMNS` + :data:`MENTION_EXTRA`), ``events`` (the dated mentions, with
    :data:`analysis.timeline.events.EVENT_COLUMNS`), ``claims`` (:data:`CLAIM_COLUMNS`), ``links``
    (:data:`analysis.timeline.claim_grouping.LINK_COLUMNS`) and ``claim_reports``
    (:data:`analysis.timeline.origins.CLAIM_REPORT_COLUMNS`).
    """

    mentions: pd.DataFrame
    events: pd.DataFrame
    claims: pd.DataFrame
    links: pd.DataFrame
    claim_reports: pd.DataFrame


class _MemoRegistry:
    """An :class:`analysis.timeline.events.ActorRegistry` whose answers are kept for one report (the same
    report's :class:`PersonIndex` is passed with every call)."""

    def __init__(self, registry):
        self.registry = registry
        self.people = registry.people
        self._seen: dict = {}

    def canonical(self, text, label, local=None):
        key = (text, label)
        if key not in self._seen:
            self._seen[key] = self.registry.canonical(text, label, local)
        return self._seen[key]


def _mention_rows(reports: pd.DataFrame, results: list[dict], predicate_file=None) -> tuple[list[dict], list[dict]]:
    """Resolved mention rows and event rows of every report (names canonical over the corpus)."""
    from analysis.sources.aliases import load_aliases
    from analysis.timeline.events import ActorRegistry, _hedges, report_people, resolve_actors
    from analysis.timeline.mentions import resolve_mention
    from analysis.timeline.predicates import load_predicates

    registry = ActorRegistry(forms=[r["forms"] for r in results])
    table = load_predicates(predicate_file)
    aliases = load_aliases()
    outlet_of = {rid: {aliases.canonical(str(o)).casefold() for o in (outlet, original) if str(o or "").strip()}
                 for rid, outlet, original in zip(reports["report_id"], reports["outlet"],
                                                  reports.get("original_outlet", reports["outlet"]))}
    mention_rows, event_rows = [], []
    for report_id, result in zip(reports["report_id"], results):
        local = report_people(result["forms"])
        memo = _MemoRegistry(registry)  # one report's names repeat: each is made canonical once
        event_ids = []
        for n, candidate in enumerate(result["events"], start=1):
            record = resolve_actors(candidate, memo, local)
            sources = {s.strip().casefold() for s in record["source"].split(";") if s.strip()}
            # the outlet that reports an event, or the source the sentence cites, is not its actor
            record["actors"] = "; ".join(a for a in record["actors"].split("; ")
                                         if a and a.casefold() not in sources | outlet_of.get(report_id, set()))
            event_id = f"{report_id}_e{n:02d}"
            event_ids.append(event_id)
            event_rows.append({"event_id": event_id, "claim_id": "", "report_id": report_id, **record})
        for n, candidate in enumerate(result["mentions"], start=1):
            row = resolve_mention(candidate, memo, local, table, outlet_of.get(report_id, set()))
            k = row.pop("event_index")
            event = event_rows[len(event_rows) - len(event_ids) + k] if k >= 0 else None
            row.update({"mention_id": f"{report_id}_m{n:03d}", "report_id": report_id, "claim_id": "",
                        "event_id": event["event_id"] if event else ""})
            for field in ("start", "end", "precision", "date_text", "timex", "modifier", "relative", "anchor",
                          "rule", "action", "date_start_char", "date_end_char", "hedged"):
                row[field] = event[field] if event else ("" if field not in ("relative", "hedged") else False)
            row["event_actors"] = event["actors"] if event else ""
            row["event_places"] = event["places"] if event else ""
            if not event:
                row["hedged"] = bool(_hedges(row["sentence"], "anonymous" in row["source_type"]))
                row["date_start_char"] = row["date_end_char"] = -1
            mention_rows.append(row)
    return mention_rows, event_rows


def claim_tables(reports: pd.DataFrame, docs: dict | None = None, citations: pd.DataFrame | None = None,
                 similarity=None, predicate_file=None,
                 settings: GroupingSettings = GroupingSettings()) -> ClaimTables:
    """Mentions, events, claims, their links and the claim-by-report table of a corpus (not cached; see
    :func:`build_claim_tables`).

    Accepts the corpus ``reports``, the parsed Docs (``None`` = the per-report cache), the attributions
    (``analysis.sources.citations.extract_citations``; ``None`` = no sources), the similarity result
    (a ``Comparison`` of :func:`analysis.similarity.report_similarity.compare_reports` or a
    ``(pairs, passages)`` tuple of ``similarity.csv`` and ``shared_passages.csv``; ``None`` = no copy
    evidence), a user predicate-family CSV and the grouping settings.
    """
    from analysis.timeline.events import EVENT_EXTRA
    from analysis.timeline.mentions import report_mentions

    reports = reports.sort_values("report_id", kind="mergesort").reset_index(drop=True)
    pairs, passages = _similarity_frames(similarity)
    results = report_mentions(reports, citations, docs) if len(reports) else []
    mention_rows, event_rows = _mention_rows(reports, results, predicate_file)
    mentions = pd.DataFrame(mention_rows, columns=MENTION_COLUMNS + MENTION_EXTRA)
    ids, links = group_mentions(mentions, passages, settings, pairs)
    mentions["claim_id"] = ids if ids else pd.Series(dtype="object")
    events = pd.DataFrame(event_rows, columns=EVENT_COLUMNS + EVENT_EXTRA)
    claim_of = dict(zip(mentions["event_id"], mentions["claim_id"]))
    events["claim_id"] = [claim_of.get(e, "") for e in events["event_id"]]
    events = events.sort_values(["report_id", "date_start_char"], kind="stable").reset_index(drop=True)
    by_report = claim_reports(mentions, citations, reports, pairs, links)
    table = summarise_claims(mentions, by_report, reports)
    return ClaimTables(mentions, events, table, links, by_report)


def summarise_claims(mentions: pd.DataFrame, by_report: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """One row per claim with :data:`CLAIM_COLUMNS`.

    Accepts the mentions with ``claim_id``, the claim-by-report table (:func:`analysis.timeline.origins.claim_reports`)
    and the corpus ``reports``. ``statement`` is the first-appearing report's first statement of the
    claim; ``start``/``end`` the hull of the dated members (empty when a member is open on that side or
    none is dated); ``precision`` the members' common precision, else ``range``; ``participants`` the
    names and nouns named by at least two of its mentions (all, for a claim of one mention).
    """
    if mentions.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    from analysis.timeline.origins import origins_by_claim

    origins = origins_by_claim(by_report)
    ordered = by_report.assign(_p=by_report["published"].replace("", "9999")).sort_values(
        ["claim_id", "_p", "report_id"]).drop_duplicates("claim_id")
    # plain dicts: a pandas row lookup per claim costs a quarter of a millisecond, minutes on 10^5 claims
    firsts = {c: {"statement": st, "published": p, "report_id": r} for c, st, p, r in zip(
        ordered["claim_id"], ordered["statement"], ordered["published"], ordered["report_id"])}
    names = ["claim_id", "start", "end", "precision", "report_id", "action_family", "participants", "statement",
             "trigger_start", "mention_id"]
    members: dict[str, list[dict]] = {}
    for values in zip(*(mentions[c].tolist() for c in names)):
        m = dict(zip(names, values))
        members.setdefault(m["claim_id"], []).append(m)
    rows = []
    for claim_id in sorted(members):
        group = members[claim_id]
        dated = [m for m in group if m["start"] or m["end"]]
        starts = [m["start"] for m in dated if m["start"]]
        ends = [m["end"] for m in dated if m["end"]]
        precisions = {m["precision"] for m in dated}
        report_ids = sorted({m["report_id"] for m in group})
        first = firsts[claim_id]
        counts: dict[str, int] = {}
        for m in group:
            for p in dict.fromkeys(x.strip() for x in m["participants"].split(";") if x.strip()):
                counts[p] = counts.get(p, 0) + 1
        common = [p for p, n in counts.items() if n >= 2] or list(counts)
        families = sorted({m["action_family"] for m in group})
        rows.append({
            "claim_id": claim_id, "statement": first["statement"],
            "summary": _short(first["statement"], SUMMARY_WIDTH),
            "action_family": "; ".join(families), "participants": "; ".join(common),
            "start": "" if not dated or any(not m["start"] for m in dated) else min(starts),
            "end": "" if not dated or any(not m["end"] for m in dated) else max(ends),
            "precision": (precisions.pop() if len(precisions) == 1 else "range") if dated else "",
            "n_reports": len(report_ids), "n_mentions": len(group),
            "first_appearance": first["published"], "first_report": first["report_id"],
            "independent_origins": len(origins.get(claim_id, [])),
            "origins": "; ".join(origins.get(claim_id, [])),
            "reports": "; ".join(report_ids),
        })
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS).sort_values("claim_id").reset_index(drop=True)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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
    """``events`` restricted to the exported columns :data:`analysis.timeline.events.EVENT_COLUMNS`, sorted by ``event_id``."""
    return events[EVENT_COLUMNS].sort_values("event_id").reset_index(drop=True)


def build_claim_tables(reports: pd.DataFrame, docs: dict | None = None, citations: pd.DataFrame | None = None,
                       similarity=None, predicate_file=None,
                       settings: GroupingSettings = GroupingSettings()) -> ClaimTables:
    """:func:`claim_tables`, cached as Parquet under ``.cache/corpus_results/claims`` when ``docs`` is ``None``
    (key: the code, the parse pipeline, the reports, attributions, similarity tables, predicate file and
    settings), so a warm rerun of an unchanged corpus reads the tables."""
    def build():
        t = claim_tables(reports, docs, citations, similarity, predicate_file, settings)
        return t.mentions, t.events, t.claims, t.links, t.claim_reports

    if docs is not None:
        return ClaimTables(*build())
    from pathlib import Path

    from analysis.pipeline import memo, nlp
    from analysis.sources.citations import CODE_FILES as CITATION_FILES
    from analysis.timeline.temporal import CODE_FILES as TEMPORAL_FILES
    from analysis.versions import code_version

    pairs, passages = _similarity_frames(similarity)
    key = hashlib.sha256("|".join([
        code_version(*CODE_FILES, *TEMPORAL_FILES, *CITATION_FILES, "sources/citation_graph.py", "data/aliases.csv",
                     "data/actors.csv", "pipeline/nlp.py"),
        nlp.pipeline_id(),
        memo.frame_fingerprint(reports),
        memo.frame_fingerprint(citations) if citations is not None else "no citations",
        memo.frame_fingerprint(pairs) if pairs is not None else "no pairs",
        memo.frame_fingerprint(passages) if passages is not None else "no passages",
        Path(predicate_file).read_text(encoding="utf-8") if predicate_file else "no predicate file",
        repr(settings),
    ]).encode()).hexdigest()
    return ClaimTables(*memo.cached_frames("claims", key, ("mentions", "events", "claims", "links", "claim_reports"),
                                           build))


#: The files whose code computes the claims (the corpus-wide cache key).
CODE_FILES = tuple(f"timeline/{name}.py" for name in (
    "claims", "events", "mentions", "statements", "predicates", "datelines", "claim_grouping", "origins")) + (
    "data/predicate_families.csv", "sources/person_names.py")


def build_claims(reports: pd.DataFrame, docs: dict | None = None, citations: pd.DataFrame | None = None,
                 similarity=None, predicate_file=None,
                 settings: GroupingSettings = GroupingSettings()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claim mentions and claims of a corpus in one call: ``(mentions, claims)``.

    Accepts what :func:`claim_tables` accepts. ``mentions`` has one row per claim mention, dated or not
    (:data:`MENTION_COLUMNS` + :data:`MENTION_EXTRA`, ``event_id`` set for the dated ones); ``claims`` has
    :data:`CLAIM_COLUMNS`. :func:`build_claim_tables` gives the events, links and claim-by-report table too.
    """
    tables = build_claim_tables(reports, docs, citations, similarity, predicate_file, settings)
    return tables.mentions, tables.claims


def write_tables(tables: ClaimTables, paths) -> dict[str, "object"]:
    """Write ``events.csv``, ``claim_mentions.csv``, ``claims.csv``, ``claim_links.csv`` and ``claim_reports.csv``.

    Accepts :class:`ClaimTables` and an ``analysis.config.OutputPaths``; returns the written paths keyed
    by file name. Rows are sorted by id.
    """
    from analysis import atomic

    table = tables.claims[CLAIM_COLUMNS].sort_values("claim_id").reset_index(drop=True)
    assert table["claim_id"].is_unique
    assert set(tables.mentions["claim_id"]) <= set(table["claim_id"]), "every mention belongs to a claim"
    assert set(tables.events["claim_id"]) <= set(table["claim_id"]), "every event belongs to a claim"
    mentions = tables.mentions[MENTION_COLUMNS].sort_values("mention_id").reset_index(drop=True)
    return {
        "events.csv": atomic.write_csv(paths.table("events.csv"), claim_events(tables.events)),
        "claim_mentions.csv": atomic.write_csv(paths.table("claim_mentions.csv"), mentions),
        "claims.csv": atomic.write_csv(paths.table("claims.csv"), table),
        "claim_links.csv": atomic.write_csv(paths.table("claim_links.csv"), tables.links[LINK_COLUMNS]),
        "claim_reports.csv": atomic.write_csv(paths.table("claim_reports.csv"),
                                              tables.claim_reports[CLAIM_REPORT_COLUMNS]),
    }


def multi_report_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims told by two reports or more, most reports first (then earliest start, id)."""
    several = claims[claims["n_reports"] >= 2]
    return several.sort_values(["n_reports", "start", "claim_id"], ascending=[False, True, True]).reset_index(drop=True)


def describe_claims(tables: ClaimTables) -> str:
    """Two sentences: how many claim mentions (dated or not) in how many reports, and how many claims
    are told by several reports."""
    mentions, table = tables.mentions, tables.claims
    if mentions.empty:
        return "No sentence of the corpus alleges a happening: no claim to group."
    dated = int((mentions["start"] != "").sum() + ((mentions["start"] == "") & (mentions["end"] != "")).sum())
    several = int((table["n_reports"] >= 2).sum())
    return (f"{len(mentions)} claim mentions in {mentions['report_id'].nunique()} reports "
            f"({dated} with a resolved date); {len(table)} claims, {several} told by two reports or more.")


def claims_for_display(claims: pd.DataFrame, n: int = 25) -> pd.DataFrame:
    """The claims told by several reports (:func:`multi_report_claims`), the columns a reader needs first."""
    columns = ["claim_id", "statement", "n_reports", "first_appearance", "first_report", "independent_origins",
               "origins", "start", "end"]
    return multi_report_claims(claims)[columns].head(n)


def reports_for_display(tables: ClaimTables, claim_ids: list[str]) -> pd.DataFrame:
    """The claim-by-report rows of ``claim_ids``: what each report says, whom it cites, what it copies."""
    rows = tables.claim_reports[tables.claim_reports["claim_id"].isin(claim_ids)]
    order = {c: k for k, c in enumerate(claim_ids)}
    rows = rows.assign(_o=rows["claim_id"].map(order)).sort_values(["_o", "published", "report_id"])
    return rows[["claim_id", "published", "outlet", "report_id", "statement", "source", "origin",
                 "copy_of"]].reset_index(drop=True)
