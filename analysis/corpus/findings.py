"""What notebook 00 finds, in sentences written from the loaded corpus.

``corpus_findings(corpus)`` returns the Markdown the notebook opens with: how many reports were read and what was
set aside, who published them and how that was established, what dates they carry (a site banner kept apart) and
which fields stay empty. Every number and name comes from the corpus tables, so the statement holds for whatever
folder the notebook ran on.
"""
from __future__ import annotations

import re

import pandas as pd

from analysis import prose
from analysis.corpus.loader import Corpus
from analysis.labels import report_labels

#: Up to this many outlets are named one by one, each with how it was established; beyond, the most frequent.
MAX_OUTLETS_LISTED = 6
#: Up to this many reports are named in a sentence about a few of them (undated, banner dates, republished).
MAX_REPORTS_NAMED = 3

_SELF_FOUND = ("self-reference", "reprint disclaimer", "copyright footer", "site footer", "author bio", "byline",
               "wire writer line", "syndication credit", "dateline credit")
_ROLE = re.compile(r"\bis\s+(?:an?|the)\s+.*?\b((?:staff |senior |contributing )?(?:writer|reporter|correspondent|"
                   r"journalist|editor|columnist|contributor))\b", re.I)
_LANGUAGE_SERVICE = re.compile(r"\b([A-Z][a-z]+-language)\s+(service|site|edition|website)\b")


def how_established(method: str, evidence: str = "") -> str:
    """The loader's ``outlet_method`` (or ``published_method``) as a short phrase: ``"its translation note"``.

    Accepts the method and, optionally, the quoted evidence (which names a language service, for instance).
    Unknown methods are returned as written.
    """
    if method == "manifest":
        return "the manifest"
    if method.startswith(("page metadata", "page markup")):
        return "the page metadata"
    if method.startswith("record field"):
        return f"the export's {method[len('record '):]}"
    if method == "self-reference (translation)":
        return "its translation note"
    if method == "self-reference (language service)":
        found = _LANGUAGE_SERVICE.search(evidence)
        return f"its {found.group(1)} {found.group(2)}" if found else "its language service"
    if method == "self-reference (exclusive to)":
        return "its exclusive-interview line"
    if method == "dateline":
        return "its dateline"
    if method in ("reprint disclaimer", "copyright footer", "site footer", "author bio", "byline",
                  "wire writer line", "syndication credit", "dateline credit"):
        return f"its {method}"
    return method


def _from(method: str, evidence: str = "") -> str:
    """:func:`how_established` as a parenthesis: ``"its dateline"``, ``"from the manifest"``."""
    phrase = how_established(method, evidence)
    return phrase if phrase.startswith("its ") else f"from {phrase}"


def _family(method: str) -> str:
    """The broad way a value was established, for counting on a large corpus."""
    if method == "manifest":
        return "the manifest"
    if method.startswith(("page metadata", "page markup")):
        return "page metadata"
    if method.startswith("record field"):
        return "export fields"
    if method.startswith(("byline", "wire writer line", "syndication credit", "dateline credit")):
        return "wire credit lines"
    if method == "dateline":
        return "datelines"
    return "the pages' own words"


def _by_family(methods: pd.Series) -> str:
    """``"export fields for 5, page metadata for 2 and the manifest for 2"``: how many values each way gave."""
    families = methods.map(_family).value_counts()
    if len(families) == 1:
        return f"{families.index[0]} for all"
    return prose.join([f"{fam} for {k:,}" for fam, k in sorted(families.items(), key=lambda kv: (-kv[1], kv[0]))])


def _republished(original: str, evidence: str) -> str:
    """``"a *MintPress News* staff writer's article"``, or an article first published by the outlet."""
    role = _ROLE.search(evidence)
    if role:
        return f"a {prose.name(original)} {role.group(1).lower()}'s article"
    return f"an article first published by {prose.name(original)}"


def _read_sentence(corpus: Corpus, n: int) -> str:
    rejected, duplicates, warnings = corpus.rejected, corpus.duplicates, corpus.warnings
    if rejected.empty and duplicates.empty:
        text = f"{prose.count(n, 'report', capital=True)}, {'all ' if n != 1 else ''}analysed, none rejected."
    else:
        parts = []
        if len(duplicates):
            parts.append(f"{prose.count(len(duplicates), 'duplicate copy', 'duplicate copies')} (each kept once)")
        if len(rejected):
            parts.append(f"{prose.count(len(rejected), 'rejected input')} ({_reasons(rejected)})")
        text = f"{prose.count(n, 'report', capital=True)} analysed. Set aside, and listed below: {prose.join(parts)}."
    if len(warnings):
        text += (f" {prose.count(len(warnings), 'warning', capital=True)} (a value left out or inferred, the report "
                 f"kept) {'is' if len(warnings) == 1 else 'are'} listed below.")
    return text


def _reasons(rejected: pd.DataFrame) -> str:
    """Rejection reasons grouped by their wording, file names and details left out: ``"empty file (2), …"``."""
    def gist(reason: str) -> str:
        reason = re.sub(r"\s*\([^)]*\)", "", str(reason))
        reason = re.sub(r"'[^']*'", "", reason).split(":")[0]
        return " ".join(reason.split())
    counts = rejected["reason"].map(gist).value_counts()
    counts = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{k:,} × {reason}" if k > 1 else reason for reason, k in counts)


def _outlet_sentence(reports: pd.DataFrame) -> str:
    named = reports[reports["outlet"].str.strip() != ""]
    if named.empty:
        return ""
    per_outlet = named["outlet"].value_counts()
    if len(per_outlet) > MAX_OUTLETS_LISTED:
        sizes = sorted(((int(k), o) for o, k in per_outlet.items()), key=lambda t: (-t[0], t[1]))[:4]
        lead = f"{prose.count(len(named), 'report', capital=True)} name {prose.count(len(per_outlet), 'outlet')}"
        if sizes[0][0] == 1:
            lead += f", one each (among them {prose.join([prose.name(o) for _, o in sizes])})"
        else:
            lead += "; the most frequent: " + prose.join(
                [f"{prose.name(o)} ({k:,} report{'s' if k != 1 else ''})" for k, o in sizes])
        text = f"{lead}. The outlet was established by {_by_family(named['outlet_method'])}."
        republished = named[named["original_outlet"].str.strip() != ""]
        if len(republished):
            text += (f" {prose.count(len(republished), 'report', capital=True)} "
                     f"{'is a republication' if len(republished) == 1 else 'are republications'} of another "
                     "outlet's article (`original_outlet`).")
        return text
    groups = {outlet: grp for outlet, grp in named.groupby("outlet", sort=True)}
    items = []
    # outlets that republished another's article come last, so "which republished …" closes the list
    order = sorted(groups, key=lambda o: ((groups[o]["original_outlet"].str.strip() != "").any(), o))
    for outlet in order:
        grp = groups[outlet]
        hows = sorted({_from(m, e) for m, e in zip(grp["outlet_method"], grp["outlet_evidence"])})
        size = f"{len(grp)} reports; " if len(grp) > 1 else ""
        item = f"{prose.name(outlet)} ({size}{prose.join(hows)})"
        originals = grp[grp["original_outlet"].str.strip() != ""]
        pieces = sorted({_republished(o, e) for o, e in zip(originals["original_outlet"],
                                                             originals["original_outlet_evidence"])})
        if pieces:
            item += f", which republished {prose.join(pieces)}"
        items.append(item)
    self_found = all(str(m).startswith(_SELF_FOUND) for m in named["outlet_method"])
    if len(groups) == 1 and len(reports) == 1:
        lead = "The page names its publisher itself: " if self_found else "Its publisher: "
    elif self_found:
        lead = f"The pages name {prose.count(len(groups), 'publisher')} themselves: "
    else:
        lead = (f"{prose.count(len(groups), 'publisher', capital=True)} "
                f"{'is' if len(groups) == 1 else 'are'} named: ")
    return lead + prose.join(items) + "."


def _date_sentence(reports: pd.DataFrame, labels: dict[str, str]) -> str:
    n = len(reports)
    dated = reports[reports["published"] != ""].sort_values(["published", "report_id"], kind="mergesort")
    if dated.empty:
        return ""
    when = [prose.human_date(p, q) for p, q in zip(dated["published"], dated["published_precision"])]
    hows = dated["published_method"].map(_from).tolist()
    if n == 1:
        return f"It is dated {when[0]} ({hows[0]})."
    if len(dated) == 1:
        return f"Only {prose.name(labels[dated['report_id'].iloc[0]])} is dated: {when[0]} ({hows[0]})."
    how = _by_family(dated["published_method"])
    span = f"all on {when[0]}" if when[0] == when[-1] else f"from {when[0]} to {when[-1]}"
    lead = "Every report is dated" if len(dated) == n else f"{prose.share(len(dated), n)} reports are dated"
    return f"{lead}, {span} (established by {how})."


def _banner_sentence(reports: pd.DataFrame, labels: dict[str, str]) -> str:
    banners = reports[reports["banner_date"] != ""].sort_values("report_id")
    if banners.empty:
        return ""
    if len(banners) > MAX_REPORTS_NAMED:
        return (f"{prose.count(len(banners), 'report', capital=True)} carry a date banner above the headline, the "
                "site's header rather than the article's date, so it is kept apart (`banner_date`).")
    items = [f"{prose.name(labels[r])} carries a date banner, {prose.human_date(d)}"
             for r, d in zip(banners["report_id"], banners["banner_date"])]
    return (prose.join(items) + f": {'a date' if len(items) == 1 else 'dates'} printed in the site's header above "
            "the headline, not the article's date, so " + ("it is" if len(items) == 1 else "they are") + " kept apart.")


def _missing_sentence(reports: pd.DataFrame) -> str:
    n = len(reports)
    no_outlet = int((reports["outlet"].str.strip() == "").sum())
    no_date = int((reports["published"] == "").sum())
    if n == 1:
        gaps = [what for what, k in (("outlet", no_outlet), ("publication date", no_date)) if k]
        if not gaps:
            return ""
        return (f"Its {prose.join(gaps, 'and')} {'is' if len(gaps) == 1 else 'are'} not given: "
                f"{'the field stays' if len(gaps) == 1 else 'those fields stay'} empty rather than guessed.")
    parts = []
    for what, k in (("an outlet", no_outlet), ("a date", no_date)):
        if k == n:
            parts.append(f"no report gives {what}")
        elif k:
            noun = prose.count(k, "report") if not parts else prose.number(k)
            parts.append(f"{noun} give{'s' if k == 1 else ''} no {what.split(' ', 1)[1]}")
    if not parts:
        return ""
    text = prose.join(parts)
    fields = "field stays" if len(parts) == 1 else "fields stay"
    return f"{text[:1].upper()}{text[1:]}: those {fields} empty rather than guessed.".replace("those field ", "the field ")


def corpus_findings(corpus: Corpus) -> str:
    """The opening statement of notebook 00 as Markdown, from ``corpus`` (a loaded :class:`Corpus`).

    Covers: reports analysed, duplicates and rejections (reasons grouped), warnings; the outlets and how each was
    established (the manifest, page metadata, the page's own words), republications; publication dates and how
    they were found; site-banner dates kept apart; reports without outlet or date. An empty corpus gets a
    sentence saying so. Deterministic: everything is sorted.
    """
    reports = corpus.reports.sort_values("report_id", kind="mergesort").reset_index(drop=True)
    n = len(reports)
    if n == 0:
        files = len(corpus.inputs)
        if files == 0:
            return "No report to analyse: the folder holds no file."
        reasons = f" Rejected: {_reasons(corpus.rejected)}." if len(corpus.rejected) else ""
        return (f"No report to analyse: {prose.count(files, 'file')} read, none holding a report the toolkit can "
                f"read.{reasons}")
    labels = report_labels(reports)
    sentences = [_read_sentence(corpus, n), _outlet_sentence(reports), _date_sentence(reports, labels),
                 _banner_sentence(reports, labels), _missing_sentence(reports)]
    return " ".join(s for s in sentences if s)
