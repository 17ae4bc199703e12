"""What notebook 03 finds, in sentences written from the corpus's time expressions, events and claims.

``timeline_findings(...)`` returns the Markdown the notebook opens with: how many time expressions date how many
alleged events, how many of those could be placed and why the others could not (relative dates in reports without a
publication date), which claims several reports tell and from how many independent origins, and how many events are
hedged, unsourced or anonymous. The claims part is one function, :func:`describe_claims`, which reads the claims
table's columns in one place.
"""
from __future__ import annotations

import pandas as pd

from analysis import prose
from analysis.labels import report_labels

#: Claims told by several reports that are named one by one; beyond, counted.
MAX_CLAIMS_LISTED = 3
#: Examples of relative date wordings quoted for the events left unresolved.
EXAMPLES_QUOTED = 3


def _truthy(values: pd.Series) -> pd.Series:
    """A boolean column that may have been read back from CSV as text ("True"/"False")."""
    return values.map(lambda v: v is True or str(v).strip().lower() == "true")


def _placed(events: pd.DataFrame) -> pd.Series:
    return (events["start"].fillna("") != "") | (events["end"].fillna("") != "")


def _events_sentences(reports: pd.DataFrame, expressions: pd.DataFrame, events: pd.DataFrame,
                      labels: dict[str, str]) -> list[str]:
    n_expr, n_events = len(expressions), len(events)
    if n_expr == 0:
        return [f"The {'report contains' if len(reports) == 1 else 'reports contain'} no time expression: no "
                "alleged event can be placed in time."]
    if n_events == 0:
        return [f"{prose.count(n_expr, 'time expression', capital=True)}, but none dates an alleged event "
                "(durations, datelines and references to the present are not events): there is nothing to put on a "
                "timeline."]
    placed = _placed(events)
    n_reports = events["report_id"].nunique()
    text = (f"{prose.count(n_expr, 'time expression', capital=True)} yield "
            f"**{prose.count(n_events, 'dated alleged event')}** in {prose.count(n_reports, 'report')}, ")
    if placed.all():
        return [text + ("which has a resolved interval." if n_events == 1 else "all with a resolved interval.")]
    k = int(placed.sum())
    sentences = [text + ("none of which has a resolved interval." if k == 0 else
                         f"of which {k:,} {'has' if k == 1 else 'have'} a resolved interval.")]
    unresolved = events[~placed]
    published = dict(zip(reports["report_id"], reports["published"].fillna("")))
    undated = unresolved[unresolved["report_id"].map(lambda r: not published.get(r, ""))]
    if len(undated):
        wordings = undated["date_text"].map(lambda t: " ".join(str(t).split()))
        first = {w.casefold(): i for i, w in reversed(list(enumerate(wordings)))}
        counts = wordings.map(str.casefold).value_counts()
        order = sorted(counts.index, key=lambda w: (-counts[w], first[w]))[:EXAMPLES_QUOTED]
        examples = ", ".join(prose.quote(wordings.iloc[first[w]]) for w in order)
        u, verb = len(undated), "is" if len(undated) == 1 else "are"
        if u < len(unresolved):
            lead = f"Of the others, {u:,} {verb}"
        elif k:
            lead = f"The other {u:,} {verb}"
        else:
            lead = "It is" if u == 1 else f"All {u:,} are"
        text = (f"{lead} relative ({examples}) in "
                f"{'a report' if undated['report_id'].nunique() == 1 else 'reports'} without a publication date")
        dated = reports[reports["published"].fillna("") != ""].sort_values("report_id")
        asides = []
        if dated.empty:
            asides.append("no report gives one")
        elif len(dated) == 1:
            row = dated.iloc[0]
            asides.append(f"only {prose.name(labels[row['report_id']])} is dated, "
                          f"{prose.human_date(row['published'], row['published_precision'])}")
        else:
            asides.append(f"{prose.share(len(dated), len(reports))} reports are dated")
        banners = reports[(reports["banner_date"].fillna("") != "") & (reports["published"].fillna("") == "")
                          & reports["report_id"].isin(undated["report_id"])].sort_values("report_id")
        for rid, banner in list(zip(banners["report_id"], banners["banner_date"]))[:2]:
            asides.append(f"the {prose.human_date(banner)} banner of {prose.name(labels[rid])} is the site's header, "
                          "not a publication date")
        sentences.append(text + " — " + "; ".join(asides) + " — so they stay unresolved instead of being guessed."
                         .replace("so they stay", "so it stays" if len(undated) == 1 else "so they stay"))
    rest = len(unresolved) - len(undated)
    if rest:
        sentences.append(f"{prose.count(rest, 'event', capital=True)} in {'a dated report' if rest == 1 else 'dated reports'}"
                         f" could not be placed: {'its' if rest == 1 else 'their'} wording names no date the rules "
                         "resolve (see `rule` in the events table).")
    return sentences


def _sources_of(claim_reports: pd.DataFrame, claim_id: str) -> dict[str, str]:
    """report_id -> the sources the report gives for ``claim_id`` ("" when none), from the claim-by-report table."""
    rows = claim_reports[claim_reports["claim_id"] == claim_id]
    return {rid: str(source) for rid, source in zip(rows["report_id"], rows["source"].fillna(""))}


def describe_claims(claims: pd.DataFrame, claim_reports: pd.DataFrame, labels: dict[str, str]) -> str:
    """One or two sentences on the claims several reports tell, since when, and how independently.

    Accepts the claims table (``claim_id, statement, start, end, n_reports, first_appearance,
    independent_origins, reports``), the claim-by-report table (``claim_id, report_id, source``) of
    :func:`analysis.timeline.claims.build_claim_tables` and the report labels. A claim told by one report
    only is counted, not described. The one place the claims tables' columns are read.
    """
    if claims.empty:
        return ("No sentence alleges that something happened: there is no claim to compare across reports."
                if len(labels) else "")
    several = claims[claims["n_reports"] >= 2]
    several = several.assign(_dated=several["start"] == "").sort_values(
        ["n_reports", "independent_origins", "_dated", "start", "claim_id"],
        ascending=[False, False, True, True, True], kind="mergesort")  # dated claims before undated ones
    total = prose.count(len(claims), "claim")
    if several.empty and len(labels) == 1:
        return f"With one report, {'the claim rests' if len(claims) == 1 else f'each of the {total} rests'} on it alone."
    if several.empty:
        return (f"{'The only claim is' if len(claims) == 1 else f'None of the {total} is'} told by more than one "
                "report: each rests on a single report.")
    items = []
    for row in several.head(MAX_CLAIMS_LISTED).itertuples(index=False):
        when = prose.interval(row.start, row.end)
        sources = _sources_of(claim_reports, row.claim_id)
        tellers = []
        for rid in str(row.reports).split("; "):
            named = sources.get(rid, "")
            tellers.append(f"{prose.name(labels.get(rid, rid))} "
                           + (f"(source: {prose.escape(named)})" if named else "(naming no source)"))
        origins = int(row.independent_origins)
        if origins >= row.n_reports:
            how = f"**{prose.count(origins, 'independent origin')}**"
        else:
            how = (f"but only **{prose.count(origins, 'independent origin')}**: "
                   + ("they all rest on one source" if origins == 1 else "some of them rest on the same source"))
        first = str(row.first_appearance or "")
        since = f", first published {prose.human_date(first)}" if first else ""
        items.append(f"{prose.quote(row.statement)}{f' ({when})' if when else ''}, told by {prose.join(tellers)}"
                     f"{since} — {how}")
    more = len(several) - len(items)
    head = (f"Of {total} (every happening a sentence alleges, dated or not), {prose.number(len(several))} "
            f"{'is' if len(several) == 1 else 'are'} told by "
            + ("two reports" if len(several) == 1 and several["n_reports"].iloc[0] == 2 else "several reports"))
    text = f"{head}: " + "; ".join(items) + (f"; and {more:,} more (table below)" if more > 0 else "")
    singles = len(claims) - len(several)
    if singles:
        text += "; every other claim is told by one report"
    return text + "."


def _caveats(events: pd.DataFrame) -> str:
    n = len(events)
    hedged = int(_truthy(events["hedged"]).sum())
    types = events["source_type"].fillna("")
    unsourced = int(((types == "unattributed") | (events["source"].fillna("") == "")).sum())
    anonymous = int(types.str.contains("anonymous").sum())
    parts = [f"{hedged:,} of the {n:,} events {'is' if hedged == 1 else 'are'} hedged" if hedged else
             f"none of the {n:,} events is hedged",
             f"{unsourced:,} name{'s' if unsourced == 1 else ''} no source in {'its' if unsourced == 1 else 'their'} "
             "sentence" if unsourced else "every one names a source in its sentence",
             f"{anonymous:,} rest{'s' if anonymous == 1 else ''} wholly or partly on anonymous sources" if anonymous
             else "none rests on anonymous sources"]
    text = prose.join(parts)
    parts = [text[:1].upper() + text[1:]]
    return parts[0] + "."


def timeline_findings(reports: pd.DataFrame, expressions: pd.DataFrame, tables) -> str:
    """The opening statement of notebook 03 as Markdown.

    Accepts the corpus ``reports``, the time expressions of
    :func:`analysis.timeline.temporal.time_expressions` and the
    :class:`analysis.timeline.claims.ClaimTables` of
    :func:`analysis.timeline.claims.build_claim_tables` (its dated ``events``, ``claims`` and
    ``claim_reports``). Returns a paragraph: expressions, events and how many were placed in time (and
    why the others were not), the claims told by several reports with their sources, first appearance
    and independent origins (:func:`describe_claims`), and how many events are hedged, unsourced or
    anonymous. A corpus without reports, dates or claims gets a sentence saying so.
    """
    if reports.empty:
        return "No report to analyse: nothing to place in time."
    labels = report_labels(reports)
    events = tables.events
    sentences = _events_sentences(reports, expressions, events, labels)
    sentences.append(describe_claims(tables.claims, tables.claim_reports, labels))
    if len(events):
        sentences.append(_caveats(events))
    return " ".join(s for s in sentences if s)
