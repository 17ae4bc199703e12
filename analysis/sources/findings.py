"""What notebook 01 finds, in sentences written from the corpus's publisher, citation and root-source tables.

``source_findings(...)`` returns the Markdown the notebook opens with, in three bullets: who published the reports
(each outlet in its role), what each report rests on (attributed statements by source type, anonymous shares, a
single dominant source) and how the claims travel (relayed attributions, chains of several reports ending at a
shared root, which makes those reports dependent on one another). Numbers and names come from the tables.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis import prose
from analysis.labels import report_labels
from analysis.sources.citation_graph import shared_roots
from analysis.sources.citations import TYPE_ORDER, attributions_by_type, relay_chains
from analysis.sources.publishers import UNKNOWN_OUTLET

#: Up to this many outlets are named one by one; beyond, the ones with most reports.
MAX_OUTLETS_LISTED = 6
#: Up to this many reports, one clause each on what it rests on; beyond, counts over the corpus.
MAX_REPORTS_DESCRIBED = 8
#: Relays (report, relaying source) and shared roots named one by one.
MAX_RELAYS_LISTED = 6
MAX_ROOTS_LISTED = 4
#: A report "rests on" anonymous sources, or on one source, when it gives them at least this share of its statements.
MOSTLY = 0.5
#: Source types as a plural noun ("quotes officials most").
_DETERMINERS = {"a", "an", "the", "some", "other", "one", "two", "several", "many"}
TYPE_NOUNS = {"media": "media", "official": "officials", "organization": "organisations", "person": "people",
              "document": "documents", "anonymous": "anonymous sources"}


def _publishers_bullet(reports: pd.DataFrame, publisher_table: pd.DataFrame, labels: dict[str, str]) -> str:
    known = publisher_table[publisher_table["outlet"] != UNKNOWN_OUTLET]
    unknown = reports[reports["outlet"].fillna("").str.strip() == ""].sort_values("report_id")
    if known.empty:
        text = "The report does not name its outlet." if len(reports) == 1 else "No report names its outlet."
    else:
        # (republisher, original outlet) -> reports: the same pair can hold several republished reports
        republished = Counter((str(o).strip(), str(orig).strip()) for o, orig in
                              zip(reports["outlet"].fillna(""), reports["original_outlet"].fillna(""))
                              if str(orig).strip() and str(orig).strip().casefold() != str(o).strip().casefold())
        plain = known[known["n_published"] > 0].sort_values(["n_published", "outlet"], ascending=[False, True],
                                                             kind="mergesort")
        head = f"{prose.count(len(known), 'outlet', capital=True)} {'is' if len(known) == 1 else 'are'} identified"
        if len(known) > MAX_OUTLETS_LISTED:
            top = known.sort_values(["n_reports", "outlet"], ascending=[False, True], kind="mergesort").head(4)
            if top["n_reports"].iloc[0] == 1:
                text = f"{head}, one report each (among them {prose.join([prose.name(o) for o in top['outlet']])})."
            else:
                text = (f"{head}; the most reports: " + prose.join(
                    [f"{prose.name(o)} ({k:,})" for o, k in zip(top["outlet"], top["n_reports"])]) + ".")
            if republished:
                k = sum(republished.values())
                text += (f" {prose.count(k, 'report', capital=True)} {'is' if k == 1 else 'are'} another outlet's "
                         "article republished (each outlet counted in its role).")
        else:
            parts = []
            singles = [o for o, k in zip(plain["outlet"], plain["n_published"]) if k == 1]
            for o, k in zip(plain["outlet"], plain["n_published"]):
                if k > 1:
                    parts.append(f"{prose.name(o)} published {prose.count(k, 'report')}")
            if singles:
                parts.append(f"{prose.join([prose.name(o) for o in singles])} published "
                             + ("one report" if len(singles) == 1 else "one report each"))
            for (outlet, original), k in sorted(republished.items()):
                what = "a report" if k == 1 else prose.count(k, "report")
                by = f"that {prose.name(outlet)} republished" if outlet else "republished by an unknown outlet"
                parts.append(f"{prose.name(original)} is the original outlet of {what} {by}")
            text = f"{head}: {'; '.join(parts)}" + (" (each counted in its role)." if republished else ".")
    if len(unknown) and not known.empty:
        text += f" The outlet of {prose.count(len(unknown), 'report')} is unknown"
        if len(unknown) <= 3:
            text += ": " + prose.join([prose.name(labels[r]) for r in unknown["report_id"]])
        text += "."
    return f"* **Publishers.** {text}"


def _written_name(citations: pd.DataFrame, canonical: str) -> str:
    """A source's canonical name, or, for an unnamed one ("unnamed Arab newspaper"), its first wording."""
    if canonical[:1].isupper():
        return canonical
    rows = citations[citations["source_canonical"] == canonical]
    written = str(rows["source"].iloc[0]).strip() if len(rows) else canonical
    first = written.split(" ", 1)[0]
    # a description that opened its sentence ("An unnamed source said") reads in lower case mid-sentence
    return first.lower() + written[len(first):] if first.lower() in _DETERMINERS else written


def _report_clauses(citations: pd.DataFrame, by_type: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """One clause per report on what it rests on: anonymous sources, one source, or its leading source type."""
    anonymous, single, leading, silent = [], [], [], []
    for row in by_type.itertuples(index=False):
        rid, total = row.report_id, row.total
        label = prose.name(labels[rid])
        if total == 0:
            silent.append(label)
            continue
        if row.anonymous / total >= MOSTLY:
            anonymous.append((-row.anonymous / total, rid, label, row.anonymous, total))
            continue
        counts = citations[citations["report_id"] == rid].groupby("source_canonical").size()
        top = counts.sort_index().sort_values(ascending=False, kind="mergesort")
        if top.iloc[0] / total >= MOSTLY and top.index[0][:1].isupper():
            name = top.index[0]
            typ = citations.loc[(citations["report_id"] == rid) & (citations["source_canonical"] == name),
                                "source_type"].iloc[0]
            single.append(f"{label} rests on one source, {prose.escape(name)} ({typ}), for "
                          f"{int(top.iloc[0]):,} of its {total:,} statements")
            continue
        most = max(getattr(row, t) for t in TYPE_ORDER)
        kinds = [TYPE_NOUNS[t] for t in TYPE_ORDER if getattr(row, t) == most]
        each = " each" if len(kinds) > 1 else ""
        leading.append(f"{label} quotes {prose.join(kinds)} most ({prose.share(most, total)}{each})")
    clauses = []
    if anonymous:
        anonymous.sort()
        first = anonymous[0]
        parts = [f"{first[2]} rests on anonymous sources for {first[3]:,} of its {first[4]:,} statements"]
        parts += [f"{label} for {prose.share(k, t)}" for _, _, label, k, t in anonymous[1:]]
        clauses.append(", ".join(parts))
    clauses += single + leading
    if silent:
        clauses.append(f"{prose.join(silent)} attribute{'s' if len(silent) == 1 else ''} nothing to anyone")
    return clauses


def _corpus_clauses(citations: pd.DataFrame, by_type: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """On a large corpus: how many reports rest mostly on anonymous sources, cite nobody, and who is cited most."""
    n = len(by_type)
    cited = by_type[by_type["total"] > 0]
    mostly = cited[cited["anonymous"] / cited["total"] >= MOSTLY]
    clauses = []
    if len(mostly):
        worst = mostly.assign(share=mostly["anonymous"] / mostly["total"]).sort_values(
            ["share", "total", "report_id"], ascending=[False, False, True], kind="mergesort").head(3)
        clauses.append(f"{prose.share(len(mostly), n)} reports rest on anonymous sources for at least half of their "
                       "statements (the most: " + prose.join(
                           [f"{prose.name(labels[r])} with {prose.share(a, t)}"
                            for r, a, t in zip(worst["report_id"], worst["anonymous"], worst["total"])]) + ")")
    silent = n - len(cited)
    if silent:
        clauses.append(f"{prose.share(silent, n)} reports attribute{'s' if silent == 1 else ''} nothing to anyone")
    grp = citations.groupby("source_canonical")
    top = pd.DataFrame({"n": grp.size(), "r": grp["report_id"].nunique()}).reset_index()
    top = top[top["source_canonical"].str[:1].str.isupper()]
    top = top.sort_values(["n", "r", "source_canonical"], ascending=[False, False, True], kind="mergesort").head(3)
    if len(top):
        clauses.append(("the most cited named sources are " if len(top) > 1 else "the only named source is ") + prose.join(
            [f"{prose.escape(s)} ({prose.count(int(k), 'statement')} in {prose.count(int(r), 'report')})"
             for s, k, r in zip(top["source_canonical"], top["n"], top["r"])]))
    return clauses


def _rests_on_bullet(citations: pd.DataFrame, reports: pd.DataFrame, labels: dict[str, str]) -> str:
    n = len(reports)
    if citations.empty:
        return ("* **What the reports rest on.** No attributed statement was found: "
                + ("the report cites no one, so it rests on its own word." if n == 1 else
                   "no report cites anyone, so each rests on its own word."))
    by_type = attributions_by_type(citations, reports)
    n_citing = int((by_type["total"] > 0).sum())
    where = (f"all {prose.number(n)} reports" if n_citing == n and n > 2 else
             "both reports" if n_citing == n == 2 else
             "the report" if n == 1 else f"{prose.share(n_citing, n)} reports")
    totals = by_type[TYPE_ORDER].sum()
    kinds = sorted(((int(totals[t]), TYPE_ORDER.index(t), t) for t in TYPE_ORDER if totals[t]), key=lambda x: (-x[0], x[1]))
    text = (f"{prose.count(len(citations), 'attributed statement', capital=True)}, found in {where} "
            f"({', '.join(f'{k:,} {t}' for k, _, t in kinds)}).")
    clauses = (_report_clauses(citations, by_type, labels) if n <= MAX_REPORTS_DESCRIBED
               else _corpus_clauses(citations, by_type, labels))
    if clauses:
        body = "; ".join(clauses)
        text += f" {body[:1].upper()}{body[1:]}."
    return f"* **What the reports rest on.** {text}"


def _own_outlets(publisher_table: pd.DataFrame) -> dict[str, set[str]]:
    """report_id -> casefolded canonical names of its outlets (any role)."""
    own: dict[str, set[str]] = {}
    for name, ids in zip(publisher_table["outlet_canonical"], publisher_table["report_ids"]):
        for rid in str(ids).split(";"):
            own.setdefault(rid, set()).add(str(name).casefold())
    return own


def _travel_bullet(citations: pd.DataFrame, publisher_table: pd.DataFrame, roots: pd.DataFrame,
                   labels: dict[str, str]) -> str:
    if citations.empty:
        return "* **How the claims travel.** Nothing is cited, so no claim can be traced to a source."
    chains = relay_chains(citations)
    own = _own_outlets(publisher_table)
    sentences = []
    if chains.empty:
        sentences.append("No attribution is relayed through another source.")
    else:
        relays = chains.groupby(["report_id", "via"], sort=True)["source_canonical"].agg(lambda s: sorted(set(s)))
        # the same relay in several reports is told once, naming the reports
        grouped: dict[tuple, list[str]] = {}
        for (rid, via), sources in relays.items():
            mine = " (its own outlet)" if via.casefold() in own.get(rid, set()) else ""
            grouped.setdefault((via, tuple(sources), mine), []).append(rid)
        if len(grouped) <= MAX_RELAYS_LISTED:
            items = []
            for (via, sources, mine), rids in sorted(grouped.items(), key=lambda kv: (kv[1][0], kv[0])):
                names = prose.join([prose.escape(_written_name(citations, s)) for s in sources])
                where = prose.join([prose.name(labels[r]) for r in rids])
                items.append(f"in {where}, {prose.escape(via)}{mine} relays {names}")
            sentences.append(f"Second-hand attributions: {'; '.join(items)}.")
        else:
            by_via = chains.groupby("via").size().sort_index().sort_values(ascending=False, kind="mergesort").head(3)
            sentences.append(
                f"{prose.count(len(chains), 'attribution', capital=True)} in "
                f"{prose.count(chains['report_id'].nunique(), 'report')} arrive second-hand; most are relayed by "
                + prose.join([f"{prose.escape(v)} ({k:,})" for v, k in by_via.items()]) + ".")
    # an unnamed root ("he", "officials") cannot be told apart across reports: only names are shared roots
    shared = shared_roots(roots[roots["root_source"].str[:1].str.isupper()])
    if len(labels) == 1:
        pass  # one report: no other report to share a root with
    elif shared.empty:
        sentences.append("No two reports' chains end at the same source: as far as the attributions show, "
                         "each report rests on sources of its own.")
    else:
        one = len(shared) == 1 and shared["n_reports"].iloc[0] == 2
        items = []
        for root, ids in zip(shared["root_source"].head(MAX_ROOTS_LISTED), shared["report_ids"].head(MAX_ROOTS_LISTED)):
            ids = str(ids).split(";")
            who = (prose.join([prose.name(labels[r]) for r in ids]) if len(ids) <= 3
                   else prose.count(len(ids), "report"))
            items.append(f"{who} {'end ' if one else ''}at {prose.escape(root)}")
        more = len(shared) - MAX_ROOTS_LISTED
        tail = f" ({more:,} more shared roots in the table below)" if more > 0 else ""
        if one:
            sentences.append(f"The chains of {items[0]}: the two are not independent confirmations of each other.")
        else:
            sentences.append("Chains of several reports end at the same root: " + "; ".join(items) + tail
                             + ". Reports sharing a root are not independent confirmations of each other.")
    return "* **How the claims travel.** " + " ".join(sentences)


def source_findings(reports: pd.DataFrame, citations: pd.DataFrame, publisher_table: pd.DataFrame,
                    roots: pd.DataFrame) -> str:
    """The opening statement of notebook 01 as Markdown bullets.

    Accepts the corpus ``reports``, the attributions of
    :func:`analysis.sources.citations.extract_citations`, the table of
    :func:`analysis.sources.publishers.publishers` and the root sources of
    :func:`analysis.sources.citation_graph.root_sources`. Returns three
    bullets (publishers; what the reports rest on; how the claims travel), or
    one sentence for a corpus without reports. Reports are named by their
    :func:`analysis.labels.report_labels`; everything is sorted.
    """
    if reports.empty:
        return "No report to analyse: nothing is published, cited or relayed."
    labels = report_labels(reports)
    return "\n".join([
        _publishers_bullet(reports, publisher_table, labels),
        _rests_on_bullet(citations, reports, labels),
        _travel_bullet(citations, publisher_table, roots, labels),
    ])
