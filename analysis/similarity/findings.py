"""What notebook 02 finds, in sentences written from the comparison of the corpus's reports.

``similarity_findings(comparison, reports)`` returns the Markdown the notebook opens with: whether any report copies
another, the range of cosines and the most similar pair with the terms behind it, the near-duplicate pairs (and the
groups they join), and the pairs flagged for shared passages in otherwise different stories, quoting the longest
shared run of words and saying how many other reports contain it.

The flag columns of the pairs table are read in one place, :func:`flagged_pairs`, through :data:`PAIR_FLAGS`:
renaming or splitting a flag means editing that table only.
"""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

import pandas as pd

from analysis import prose
from analysis.labels import shorten

#: The pair flags the findings describe, in the order they are told: column of the pairs table -> what one
#: flagged pair is called. ``near_duplicate`` pairs are told as copies (with the share they hold in common);
#: every other flag as shared passages in otherwise different reports, quoting the longest shared run.
PAIR_FLAGS = {
    "near_duplicate": "near-duplicate",
    "shared_prose": "passage of shared prose (their own wording, not a quotation)",
    "shared_quotation": "shared quotation (words both took from a third party)",
}
#: What shared prose means by whether the pair's two reports come from one outlet (``same_outlet``).
_OUTLET_READING = {True: "one outlet: its house style", False: "two outlets: a copy or a common wire source",
                   None: "an outlet unknown: house style or copy left open"}
COPY_FLAG = "near_duplicate"
#: Pairs named one by one under each flag; beyond, counted.
MAX_PAIRS_LISTED = 3
#: Terms named for the most similar pair.
TERMS_NAMED = 4
_WORD = re.compile(r"\w+")


def flagged_pairs(pairs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``{flag column: the pairs it flags}`` for every flag of :data:`PAIR_FLAGS` present in ``pairs``.

    The one place the flag columns are read. Each frame keeps the pairs table's order (most similar first).
    """
    return {flag: pairs[pairs[flag].astype(bool)] for flag in PAIR_FLAGS if flag in pairs.columns}


def _surface_forms(terms: list[str], texts: list[str]) -> list[str]:
    """Each TF-IDF term as the texts most often write it ("gna" -> "GNA"); the term itself when not found."""
    out = []
    for term in terms:
        pattern = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in term.split()) + r"\b", re.I)
        forms = Counter(" ".join(m.group(0).split()) for text in texts for m in pattern.finditer(text))
        # a headline or dateline in capitals ("PORT SELVA") is not how the word is spelt, unless it always is ("GNA")
        spelt = {f: k for f, k in forms.items() if not f.isupper()} or forms
        out.append(sorted(spelt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if spelt else term)
    return out


def longest_shared_run(sentence_a: str, sentence_b: str) -> str:
    """The longest run of words the two sentences share, quoted from ``sentence_a`` with its punctuation.

    Words are compared case-blind (``\\w+`` tokens, as the alignment counts them); returns ``""`` when the
    sentences share no word.
    """
    words_a = list(_WORD.finditer(sentence_a))
    words_b = [m.group(0).lower() for m in _WORD.finditer(sentence_b)]
    match = SequenceMatcher(None, [m.group(0).lower() for m in words_a], words_b, autojunk=False).find_longest_match(
        0, len(words_a), 0, len(words_b))
    if match.size == 0:
        return ""
    return sentence_a[words_a[match.a].start():words_a[match.a + match.size - 1].end()]


def _reports_containing(run: str, reports: pd.DataFrame) -> set[str]:
    """Ids of the reports whose text holds the same words as ``run`` in a row (case and punctuation aside)."""
    words = _WORD.findall(run)
    pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.I)
    return {rid for rid, text in zip(reports["report_id"], reports["text"]) if pattern.search(text)}


def _pair_name(comparison, a: str, b: str) -> str:
    return f"{prose.name(comparison.labels.get(a, a))} and {prose.name(comparison.labels.get(b, b))}"


def _range_sentence(comparison, reports: pd.DataFrame | None, copied_any: bool) -> str:
    pairs = comparison.pairs
    top = pairs.iloc[0]
    terms = comparison.top_terms
    terms = terms[(terms["report_a"] == top["report_a"]) & (terms["report_b"] == top["report_b"])]
    words = terms.sort_values("rank")["term"].head(TERMS_NAMED).tolist()
    if words and reports is not None:
        texts = reports.loc[reports["report_id"].isin([top["report_a"], top["report_b"]]), "text"].tolist()
        words = _surface_forms(words, texts)
    through = f", through {', '.join(prose.escape(w) for w in words)}" if words else ""
    highest = f"{_pair_name(comparison, top['report_a'], top['report_b'])}{through}"
    low, high = pairs["cosine"].min(), pairs["cosine"].max()
    if len(pairs) == 1:
        text = f"The cosine of the two reports is {high:.2f} (shared terms{through[1:] or ': none'})"
        text = text.replace("(shared terms through", "(through")
    elif comparison.path == "all pairs":
        text = f"All {prose.number(len(pairs))} cosines lie between {low:.2f} and {high:.2f} (the highest: {highest})"
    else:
        text = (f"Of the {len(pairs):,} pairs compared (each report's {comparison.settings.top_k} nearest neighbours "
                f"and near-duplicate candidates), cosines lie between {low:.2f} and {high:.2f} (the highest: {highest})")
    if not copied_any:
        text += (", and no pair shares copied or rewritten sentences, so none is a near-duplicate" if len(pairs) > 1
                 else ", and they share no copied or rewritten sentence, so they are not near-duplicates")
    return text + "."


def _copies(comparison, pairs: pd.DataFrame, noun: str) -> str:
    """The near-duplicate pairs, with the share of text they hold in common, and the groups they join."""
    share = comparison.settings.near_duplicate_share
    cover = "half" if share == 0.5 else f"{share:.0%}"
    listed = [f"{_pair_name(comparison, a, b)} ({s:.0%} shared)"
              for a, b, s in zip(pairs["report_a"], pairs["report_b"], pairs["shared_share"])][:MAX_PAIRS_LISTED]
    more = len(pairs) - len(listed)
    head = ("One pair is a " + noun if len(pairs) == 1 else
            f"{prose.count(len(pairs), 'pair', capital=True)} are {noun}s")
    text = (f"{head} (copied or rewritten sentences cover at least {cover} of one report): {prose.join(listed)}"
            + (f", and {more:,} more" if more > 0 else "") + ".")
    groups = _groups(pairs)
    if any(len(g) > 2 for g in groups):
        joined = sum(len(g) for g in groups)
        text += (f" Together they join {prose.count(joined, 'report')} into {prose.count(len(groups), 'group')} of "
                 f"copies; the largest holds {prose.count(max(len(g) for g in groups), 'report')}.")
    return text


def _groups(pairs: pd.DataFrame) -> list[set[str]]:
    """Connected groups of reports linked by the given pairs (union-find), largest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(pairs["report_a"], pairs["report_b"]):
        parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return sorted(groups.values(), key=lambda g: (-len(g), sorted(g)))


def _same_outlet(value) -> bool | None:
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None if value is None or pd.isna(value) else bool(value)


def _shared_passages(comparison, pairs: pd.DataFrame, noun: str, reports: pd.DataFrame | None,
                     outlets: bool = False) -> str:
    """Pairs flagged for shared passages: the longest shared run of each, and how many other reports hold it."""
    passages = comparison.passages
    items = []
    for a, b in list(zip(pairs["report_a"], pairs["report_b"]))[:MAX_PAIRS_LISTED]:
        own = passages[(passages["report_a"] == a) & (passages["report_b"] == b)]
        if own.empty:
            items.append(_pair_name(comparison, a, b))
            continue
        phrases = own[own["match"] == "phrase"]
        copied = own[own["match"] != "phrase"].sort_values(["score", "start_a"], ascending=[False, True],
                                                           kind="mergesort")
        parts = []
        if len(phrases):
            best = phrases.sort_values(["longest_run", "start_a"], ascending=[False, True], kind="mergesort").iloc[0]
            run = longest_shared_run(best["sentence_a"], best["sentence_b"])
            n_words = len(_WORD.findall(run))
            part = f"{prose.article(n_words)} {n_words}-word run, {prose.quote(run)}"
            if reports is not None and run:
                others = _reports_containing(run, reports) - {a, b}
                part += (", found in no other report" if not others else
                         f", also found in {prose.count(len(others), 'other report')}")
            parts.append(part)
        if len(copied):
            example = shorten(copied["sentence_a"].iloc[0], 100)
            parts.append(f"{prose.count(len(copied), 'copied or rewritten sentence')} "
                         f"({'' if len(copied) == 1 else 'the closest: '}{prose.quote(example)})")
        item = f"{_pair_name(comparison, a, b)} share {prose.join(parts)}"
        if outlets and "same_outlet" in pairs.columns:
            row = pairs[(pairs["report_a"] == a) & (pairs["report_b"] == b)].iloc[0]
            item += f" ({_OUTLET_READING[_same_outlet(row['same_outlet'])]})"
        items.append(item)
    more = len(pairs) - len(items)
    head = (f"One pair carries a {noun}" if len(pairs) == 1 else
            f"{prose.count(len(pairs), 'pair', capital=True)} carry a {noun}")
    return f"{head}: " + "; ".join(items) + (f"; and {more:,} more pairs" if more > 0 else "") + "."


def similarity_findings(comparison, reports: pd.DataFrame | None = None) -> str:
    """The opening statement of notebook 02 as Markdown.

    Accepts the :class:`analysis.similarity.report_similarity.Comparison` of
    the corpus and, optionally, the corpus ``reports`` (their texts give the
    terms' usual spelling and say whether a shared run of words occurs in
    other reports). Returns a paragraph: whether any report copies another,
    the range of cosines and the most similar pair with its leading terms,
    then one sentence per flag of :data:`PAIR_FLAGS` that flags a pair. A
    corpus of fewer than two reports gets a sentence saying there is nothing
    to compare.
    """
    if comparison.nothing_to_compare:
        if len(comparison.vectors.report_ids) == 0:
            return "No report to analyse: nothing to compare."
        return "The corpus has one report: nothing to compare."
    pairs = comparison.pairs
    flags = flagged_pairs(pairs)
    copies = flags.get(COPY_FLAG, pairs.iloc[:0])
    passages = comparison.passages
    copied = passages[passages["match"] != "phrase"] if len(passages) else passages
    copied_pairs = {(a, b) for a, b in zip(copied["report_a"], copied["report_b"])}
    if len(copies):
        lead = ("The two reports copy each other." if len(pairs) == 1 else
                "Two reports copy each other." if len(copies) == 1 else
                f"{prose.count(len(copies), 'pair', capital=True)} of reports copy each other.")
    elif copied_pairs:
        lead = (f"No report copies another as a whole, but {prose.count(len(copied_pairs), 'pair')} "
                f"share{'s' if len(copied_pairs) == 1 else ''} copied or rewritten sentences.")
    else:
        lead = "No report copies another."
    sentences = [lead, _range_sentence(comparison, reports, bool(copied_pairs))]
    for flag, flagged in flags.items():
        if flagged.empty:
            continue
        if flag == COPY_FLAG:
            sentences.append(_copies(comparison, flagged, PAIR_FLAGS[flag]))
        else:
            sentences.append(_shared_passages(comparison, flagged, PAIR_FLAGS[flag], reports,
                                              outlets=flag == "shared_prose"))
    return " ".join(sentences)
