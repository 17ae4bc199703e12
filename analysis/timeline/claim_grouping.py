"""Grouping claim mentions across reports into claims: what a reader would call the same happening.

Two mentions are linked when

* a sentence of one was copied or rewritten from a sentence of the other (notebook 02's shared passages,
  ``verbatim`` or ``rewrite``) and both predicates are of the same family: the copy is evidence enough; or
* they are of the same *action family* (:mod:`analysis.timeline.predicates`: "sank", "went down" and
  "plunged to the seabed" are one), their *times are compatible* (intervals that overlap at comparable
  precision, a day never matching a three-year range; or one of them undated), they share *participants*
  (canonical entity names, places, head nouns such as "submarine") weighing enough, and nothing they name
  contradicts: two different places (an earthquake in Chile and one in Peru), or two different sets of
  named participants (the Sea Lantern and the Ocean Star sank the same day).

A participant's weight is its rarity over the corpus, ``log(1 + N / df)`` with ``df`` the number of
reports naming it: sharing "Kursk" says more than sharing "people". A link needs a weight of at least
``min_score`` (``min_score_same_day`` when both are dated to the same day or week and share a participant
more specific than "people" or "officials": the date is evidence too); a link involving an undated mention (or one open on a side, "in the past") needs a shared
named participant (an entity, not only places and nouns) and ``min_score_undated``, or ``min_score`` when
it shares a place too (who and where).

Mentions are compared only within blocks of the same family and participant, and a block larger than
``block_cap`` compares each mention with its ``window`` nearest in time only, so the work grows linearly
with the number of mentions. Links are accepted copies first, then links with both sides dated, with one,
with none (a shared time is evidence that shared names alone are not), strongest first within each; two
groups merge only when their dated members overlap in time and their places and named participants do not
contradict, so a chain of weak links cannot join two different stories. Every accepted link is kept as
evidence (``claim_links.csv``). Two mentions of one report may join one claim (a report telling the same
happening twice) only through a link between the two: a report that tells two meetings tells two, and
other reports' vaguer mentions must not chain them into one.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import date

import pandas as pd


LINK_COLUMNS = ["claim_id", "mention_a", "mention_b", "report_a", "report_b", "reason", "score", "shared"]
#: Participants too common in news to make two same-day happenings one ("people were killed" in two towns).
GENERIC_PARTICIPANTS = {"people", "person", "man", "woman", "men", "women", "child", "children", "official",
                        "police", "resident", "government", "country", "city", "state", "group", "member",
                        "leader", "president", "source", "report", "statement", "life", "victim", "soldier"}
#: How many times longer one interval may be than the other for two mentions to be the same happening.
MAX_SCALE_RATIO = 13


@dataclass(frozen=True)
class GroupingSettings:
    """The knobs of :func:`group_mentions` (notebook 03 exposes them in its parameters cell)."""

    min_score: float = 1.5  # summed rarity of the shared participants for a link
    min_score_undated: float = 2.0  # ... when one side is undated (which also needs a shared named participant)
    block_cap: int = 100  # a block larger than this compares each mention with its nearest in time only
    window: int = 30  # ... this many on each side
    link_undated: bool = True  # undated mentions may join a claim (with a shared name)
    min_score_same_day: float = 0.6  # ... when both are dated to the same day or week (with a specific participant)
    related_cosine: float = 0.15  # with similarity pairs: an undated link needs reports at least this similar


def _split(value) -> list[str]:
    return [p.strip() for p in str(value or "").split(";") if p.strip()]


class _Mention:
    __slots__ = ("i", "report", "family", "keys", "names", "places", "start", "end", "days", "negated", "reporting",
                 "agents")

    def __init__(self, i, report, family, participants, named, affiliations, places, start, end, negated,
                 reporting=False, agents=""):
        self.i, self.report, self.family = i, report, family
        self.reporting = bool(reporting)
        self.agents = {a.casefold() for a in _split(agents)}
        self.names = {n.casefold() for n in _split(named) + _split(affiliations)}
        self.places = {p.casefold() for p in _split(places)}
        self.keys = {k.casefold() for k in _split(participants)} | self.names | self.places
        self.start, self.end = start or "", end or ""
        self.days = None
        if self.start and self.end:
            self.days = (date.fromisoformat(self.end) - date.fromisoformat(self.start)).days + 1
        self.negated = bool(negated)

    @property
    def dated(self) -> bool:
        """Both bounds known: an open interval ("in the past", "before 2017") dates nothing precisely enough
        to tell two happenings apart, so it links like an undated mention."""
        return bool(self.start and self.end)


def times_compatible(a_start: str, a_end: str, b_start: str, b_end: str, a_days=None, b_days=None) -> bool:
    """Whether two intervals (ISO strings, "" = open or undated) may be the same happening: an undated
    one always may; dated ones must overlap, and the shorter be at least 1/13 of the longer."""
    if not (a_start or a_end) or not (b_start or b_end):
        return True
    if not ((a_start or "0000-01-01") <= (b_end or "9999-12-31") and (b_start or "0000-01-01") <= (a_end or "9999-12-31")):
        return False
    if a_days and b_days and min(a_days, b_days) * MAX_SCALE_RATIO < max(a_days, b_days):
        return False
    return True


def _contradict(names_a: set, names_b: set, places_a: set, places_b: set,
                agents_a: set = frozenset(), agents_b: set = frozenset()) -> bool:
    """Whether two mentions (or groups) name different happenings: different places, different named
    participants, different named agents ("Haftar met ..." and "al-Thani met ..."), or the same agent
    with different named counterparts ("Haftar met Mossad officials" and "Haftar met Russian officials")."""
    if agents_a and agents_b and agents_a.isdisjoint(agents_b):
        return True
    others_a, others_b = names_a - agents_a, names_b - agents_b  # "Haftar met Mossad" / "Haftar met the Russians"
    if others_a and others_b and others_a.isdisjoint(others_b):
        return True
    if places_a and places_b and places_a.isdisjoint(places_b) and places_a.isdisjoint(names_b) \
            and places_b.isdisjoint(names_a):
        return True
    return bool(names_a and names_b and names_a.isdisjoint(names_b))


class _Groups:
    """Union-find over mentions with, per group, what a merge must not contradict."""

    def __init__(self, mentions: list[_Mention]):
        self.parent = list(range(len(mentions)))
        self.names = [set(m.names) for m in mentions]
        self.places = [set(m.places) for m in mentions]
        self.agents = [set(m.agents) for m in mentions]
        self.hull = [(m.start or "0000-01-01", m.end or "9999-12-31") if m.dated else None for m in mentions]
        self.shortest = [m.days for m in mentions]
        self.reports = [{m.report} for m in mentions]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def can_merge(self, a: int, b: int, within_report: bool = False) -> bool:
        """Whether groups ``a`` and ``b`` may merge. Two mentions of one report are one happening only when
        they are linked to each other (``within_report``): a report telling two meetings tells two, and a
        third report's vaguer mention must not chain them into one claim."""
        if not within_report and not self.reports[a].isdisjoint(self.reports[b]):
            return False
        ha, hb = self.hull[a], self.hull[b]
        if ha and hb:
            if not (ha[0] <= hb[1] and hb[0] <= ha[1]):
                return False
            sa, sb = self.shortest[a], self.shortest[b]
            if sa and sb and min(sa, sb) * MAX_SCALE_RATIO < max(sa, sb):
                return False
        return not _contradict(self.names[a], self.names[b], self.places[a], self.places[b],
                               self.agents[a], self.agents[b])

    def merge(self, a: int, b: int) -> None:
        self.parent[b] = a
        self.names[a] |= self.names[b]
        self.places[a] |= self.places[b]
        self.agents[a] |= self.agents[b]
        self.reports[a] |= self.reports[b]
        ha, hb = self.hull[a], self.hull[b]
        self.hull[a] = (min(ha[0], hb[0]), max(ha[1], hb[1])) if ha and hb else (ha or hb)
        sa, sb = self.shortest[a], self.shortest[b]
        self.shortest[a] = min(sa, sb) if sa and sb else (sa or sb)


def copy_links(mentions: pd.DataFrame, passages: pd.DataFrame | None) -> list[tuple[int, int, str]]:
    """``(row_a, row_b, reason)`` for mentions of the same family in two sentences that notebook 02 found
    copied or rewritten (``shared_passages`` rows with ``match`` ``verbatim`` or ``rewrite``).

    A mention sits in a passage when its predicate lies inside the passage's sentence.
    """
    if passages is None or passages.empty or mentions.empty:
        return []
    copied = passages[passages["match"].isin(["verbatim", "rewrite"])]
    by_report: dict[str, list[tuple[int, int, str]]] = {}
    for row, (rid, start, family) in enumerate(zip(mentions["report_id"], mentions["trigger_start"],
                                                   mentions["action_family"])):
        by_report.setdefault(rid, []).append((int(start), row, family))
    for rows in by_report.values():
        rows.sort()

    def inside(rid, a, b):
        rows = by_report.get(rid, [])
        k = bisect.bisect_left(rows, (int(a), -1, ""))
        out = []
        while k < len(rows) and rows[k][0] < int(b):
            out.append(rows[k])
            k += 1
        return out

    links = []
    for p in copied.itertuples(index=False):
        left, right = inside(p.report_a, p.start_a, p.end_a), inside(p.report_b, p.start_b, p.end_b)
        for _, ra, fa in left:
            for _, rb, fb in right:
                if fa == fb:
                    links.append((ra, rb, f"copied sentence ({p.match}, similarity {float(p.score):.2f})"))
    return links


def _idf(mentions: list[_Mention]) -> dict[str, float]:
    reports_of: dict[str, set] = {}
    for m in mentions:
        for k in m.keys:
            reports_of.setdefault(k, set()).add(m.report)
    n = len({m.report for m in mentions}) or 1
    return {k: math.log(1 + n / len(r)) for k, r in reports_of.items()}


def _candidate_pairs(mentions: list[_Mention], settings: GroupingSettings):
    blocks: dict[tuple[str, str], list[int]] = {}
    for m in mentions:
        for k in m.keys:
            blocks.setdefault((m.family, k), []).append(m.i)
    seen = set()
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2:
            continue
        if len(members) > settings.block_cap:
            members = sorted(members, key=lambda i: (mentions[i].start or mentions[i].end or "9999", i))
            pairs = ((members[x], members[y]) for x in range(len(members))
                     for y in range(x + 1, min(len(members), x + 1 + settings.window)))
        else:
            pairs = ((members[x], members[y]) for x in range(len(members)) for y in range(x + 1, len(members)))
        for a, b in pairs:
            pair = (a, b) if a < b else (b, a)
            if pair not in seen:
                seen.add(pair)
                yield pair


def related_reports(pairs: pd.DataFrame | None, min_cosine: float) -> set[frozenset] | None:
    """Report pairs of one story: a cosine of at least ``min_cosine`` or a shared passage (``None``
    without pairs)."""
    if pairs is None:
        return None
    keep = (pairs["cosine"] >= min_cosine) | (pairs["shared_passages"] > 0)
    return {frozenset(p) for p in zip(pairs.loc[keep, "report_a"], pairs.loc[keep, "report_b"])}


def group_mentions(mentions: pd.DataFrame, passages: pd.DataFrame | None = None,
                   settings: GroupingSettings = GroupingSettings(),
                   pairs: pd.DataFrame | None = None) -> tuple[list[str], pd.DataFrame]:
    """Claim ids for ``mentions`` and the links that made them.

    Accepts the mentions frame (``mention_id``, ``report_id``, ``action_family``, ``participants``,
    ``named``, ``affiliations``, ``places``, ``start``, ``end``, ``negated``, ``trigger_start``) and
    the shared passages of :func:`analysis.similarity.report_similarity.compare_reports` (or ``None``).
    With the similarity ``pairs`` (``similarity.csv``), a link with an undated side needs its two
    reports to be of one story (:func:`related_reports`): an undated "the plane crashed" of one story
    must not join another story's crash. (Dated links are not held to it: in a corpus of one story the
    words every report shares weigh little, so two reports of that story can have a low cosine.) A mention of a reporting verb ("said on Monday") is the act of
    saying, not the happening: it joins only through a copied sentence.
    Returns ``(claim_ids, links)``: one ``cNNN`` per mention row (numbered by claim start, then first
    mention id) and the accepted links with :data:`LINK_COLUMNS`, sorted by claim and mentions.
    """
    if mentions.empty:
        return [], pd.DataFrame(columns=LINK_COLUMNS)
    col = {c: mentions[c].tolist() for c in ("mention_id", "report_id", "action_family", "participants", "named",
                                             "affiliations", "places", "start", "end", "negated")}
    for name, default in (("reporting", False), ("agent_keys", "")):
        col[name] = mentions[name].tolist() if name in mentions.columns else [default] * len(mentions)
    parsed = [_Mention(i, *values) for i, values in enumerate(zip(
        col["report_id"], col["action_family"], col["participants"], col["named"], col["affiliations"],
        col["places"], col["start"], col["end"], col["negated"], col["reporting"], col["agent_keys"]))]
    related = related_reports(pairs, settings.related_cosine)
    idf = _idf(parsed)
    scored: list[tuple[float, int, int, str, str]] = []
    for a, b, reason in copy_links(mentions, passages):
        ma, mb = parsed[a], parsed[b]
        # a copied "said in an editorial on Monday" is a house formula, not one happening
        if a != b and not (ma.reporting or mb.reporting) and times_compatible(ma.start, ma.end, mb.start, mb.end):
            scored.append((math.inf, min(a, b), max(a, b), reason, ""))
    pairs = _candidate_pairs(parsed, settings)
    for a, b in pairs:
        ma, mb = parsed[a], parsed[b]
        if ma.negated != mb.negated or ma.reporting or mb.reporting:
            continue
        if not settings.link_undated and not (ma.dated and mb.dated):
            continue
        if not times_compatible(ma.start, ma.end, mb.start, mb.end, ma.days, mb.days):
            continue
        if _contradict(ma.names, mb.names, ma.places, mb.places, ma.agents, mb.agents):
            continue
        shared = ma.keys & mb.keys
        score = sum(idf[k] for k in shared)
        if score < min(settings.min_score, settings.min_score_same_day):
            continue
        same_story = related is None or ma.report == mb.report or frozenset((ma.report, mb.report)) in related
        if not (ma.dated and mb.dated):
            # who (a named participant) and where (a place) both shared is the old rule of events: enough at
            # min_score; otherwise an undated side needs min_score_undated and a shared named participant
            who_and_where = bool(shared & ma.names & mb.names) and bool(shared & ma.places & mb.places)
            needed = settings.min_score if who_and_where else settings.min_score_undated
            if score < needed or not shared & ma.names & mb.names or not same_story:
                continue
        elif score < settings.min_score and not (
                max(ma.days, mb.days) <= 7 and score >= settings.min_score_same_day and shared - GENERIC_PARTICIPANTS):
            # a precise date is evidence too: in a corpus about one sinking, "the submarine" is in every
            # report (weight log 2), yet "the submarine sank" and "went down" on the same day are one happening
            continue
        when = "same time" if ma.dated and mb.dated else "no date on one side"
        reason = f"same action ({ma.family}) + shared {', '.join(sorted(shared))} + {when}"
        scored.append((score, a, b, reason, "; ".join(sorted(shared))))
    # copies first, then links with both sides dated, then one, then none: a shared time is evidence the
    # shared names alone are not, so it decides which of two claims an undated mention joins
    undated_sides = [0 if m.dated else 1 for m in parsed]
    scored.sort(key=lambda s: (s[0] != math.inf, undated_sides[s[1]] + undated_sides[s[2]], -s[0],
                               col["mention_id"][s[1]], col["mention_id"][s[2]]))
    groups = _Groups(parsed)
    accepted = []
    for score, a, b, reason, shared in scored:
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            continue
        if score != math.inf and not groups.can_merge(ra, rb, parsed[a].report == parsed[b].report):
            continue
        groups.merge(ra, rb)
        accepted.append((a, b, reason, score, shared))
    members: dict[int, list[int]] = {}
    for i in range(len(parsed)):
        members.setdefault(groups.find(i), []).append(i)

    def claim_key(rows):
        starts = [col["start"][i] for i in rows if col["start"][i]]
        return (min(starts) if starts else "9999", min(col["mention_id"][i] for i in rows))

    width = max(3, len(str(len(members))))
    ids = [""] * len(parsed)
    for n, rows in enumerate(sorted(members.values(), key=claim_key), start=1):
        for i in rows:
            ids[i] = f"c{n:0{width}d}"
    links = pd.DataFrame([{
        "claim_id": ids[a], "mention_a": col["mention_id"][a], "mention_b": col["mention_id"][b],
        "report_a": col["report_id"][a], "report_b": col["report_id"][b], "reason": reason,
        "score": "copied" if score == math.inf else round(score, 3), "shared": shared,
    } for a, b, reason, score, shared in accepted], columns=LINK_COLUMNS)
    links["score"] = links["score"].astype(str)
    return ids, links.sort_values(["claim_id", "mention_a", "mention_b"]).reset_index(drop=True)
