"""Shared passages: which sentences of one report reappear in another.

A similarity number convinces no editor; the sentences behind it do. For a
pair of reports, each sentence of one is matched with at most one sentence of
the other. A match is kept when

* the two sentences are near-verbatim copies or light rewrites of each other
  (word-level ``difflib`` ratio >= ``rewrite_threshold``), or
* they share a long verbatim run of words (``phrase_min_words`` words, of which
  ``phrase_min_content`` are not stop words) inside otherwise different
  sentences: distinctive phrasing, the trace of a house style or a common
  source ("the commander of the army of the House of Representatives (HoR),
  General Khalifa Haftar").

A pair whose text is mostly covered by copied or rewritten sentences is a
near-duplicate (syndication or copy); a pair that shares passages but not most
of its text is a house-style signal.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

PASSAGE_COLUMNS = [
    "report_a", "report_b", "sentence_a", "sentence_b", "score",
    "match", "longest_run", "start_a", "end_a", "start_b", "end_b",
]
SUMMARY_COLUMNS = ["report_a", "report_b", "shared_passages", "shared_share", "near_duplicate", "house_style"]

_WORD = re.compile(r"\w+", re.UNICODE)
# End of sentence: . ! ? … possibly followed by a closing quote or bracket, then space and a capital/quote/digit.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a report: character offsets into ``text`` and its lower-cased words."""

    start: int
    end: int
    text: str
    words: tuple[str, ...]


def _split_lines(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Split ``text[start:end]`` at newlines, trimming whitespace; yields non-empty spans."""
    pos = start
    for piece in text[start:end].split("\n"):
        s, e = pos, pos + len(piece)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e


def sentence_spans(text: str, doc: Doc | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries of ``text`` as ``(start, end)`` character offsets.

    Uses the parsed ``doc`` (spaCy sentences) when given, else a punctuation
    rule. Either way a line break always ends a sentence, since paragraphs
    of web captures often lack final punctuation.
    """
    if doc is not None:
        assert doc.text == text, "doc must be the parse of text"
        bounds = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        bounds = []
        pos = 0
        for m in _SENTENCE_END.finditer(text):
            bounds.append((pos, m.start()))
            pos = m.end()
        bounds.append((pos, len(text)))
    spans: list[tuple[int, int]] = []
    for start, end in bounds:
        spans.extend(_split_lines(text, start, end))
    return spans


def sentences(text: str, doc: Doc | None = None, min_words: int = 4,
              spans: Sequence[Sequence[int]] | None = None) -> list[Sentence]:
    """Sentences of ``text`` with at least ``min_words`` words (shorter lines are navigation or labels).

    ``spans`` (from :func:`sentence_spans`, e.g. cached) replaces ``doc`` when given.
    """
    out = []
    for start, end in (spans if spans is not None else sentence_spans(text, doc)):
        words = tuple(w.lower() for w in _WORD.findall(text[start:end]))
        if len(words) >= min_words:
            out.append(Sentence(start, end, text[start:end], words))
    return out


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:]))


class _Prepared:
    """A report's sentences ready for alignment: (sentence, bigram hash) pairs sorted by hash.

    A bigram is identified by Python's 64-bit hash of the word pair: equal
    within a process and its forks, and two different word pairs colliding in
    one comparison is a chance of about 2**-64.
    """

    __slots__ = ("ids", "rows", "profiles", "copies")

    def __init__(self, sents: Sequence[Sentence]):
        self.profiles: dict[tuple[int, int], tuple[set, set | None]] = {}  # (sentence, n) -> _profile, filled on use
        self.copies = Counter(s.words for s in sents)  # how often each sentence (its words) occurs in the report
        rows, ids = [], []
        for i, s in enumerate(sents):
            hashes = {hash(bg) for bg in zip(s.words, s.words[1:])}
            rows.extend([i] * len(hashes))
            ids.extend(hashes)
        ids_arr = np.asarray(ids, dtype=np.int64)
        order = np.argsort(ids_arr, kind="stable")
        self.ids = ids_arr[order]
        self.rows = np.asarray(rows, dtype=np.int32)[order].astype(np.int64)


def _bigram_candidates(a: _Prepared, b: _Prepared, n_b: int) -> list[tuple[int, int]]:
    """Sentence pairs ``(ia, ib)`` sharing at least two distinct word pairs, in increasing order.

    Fewer cannot make a rewrite or a long phrase. A numpy join of the two
    reports' (sentence, bigram) lists on the bigram.
    """
    if len(a.ids) == 0 or len(b.ids) == 0:
        return []
    lo = np.searchsorted(b.ids, a.ids, "left")
    count = np.searchsorted(b.ids, a.ids, "right") - lo
    total = int(count.sum())
    if total == 0:
        return []
    rows = np.repeat(a.rows, count)
    offsets = np.repeat(lo - np.concatenate(([0], np.cumsum(count)[:-1])), count) + np.arange(total)
    keys, shared = np.unique(rows * n_b + b.rows[offsets], return_counts=True)
    keys = keys[shared >= 2]
    return list(zip((keys // n_b).tolist(), (keys % n_b).tolist()))


def _profile(words: Sequence[str], n: int) -> tuple[set, set | None]:
    """A sentence's words as a set of ``(word, occurrence)`` and its word ``n``-grams (None when ``n < 2``: no filter).

    The size of the intersection of two such word sets is the number of words
    the two sentences share counted with multiplicity, ``difflib``'s ``quick_ratio`` bound.
    """
    seen: dict[str, int] = {}
    tokens = set()
    for w in words:
        k = seen[w] = seen.get(w, 0) + 1
        tokens.add((w, k))
    grams = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)} if n >= 2 else None
    return tokens, grams


def _content_words(words: Sequence[str]) -> int:
    return sum(1 for w in words if w not in STOP_WORDS and not w.isdigit())


@dataclass(frozen=True)
class AlignmentSettings:
    """Thresholds of the sentence alignment (all visible in the notebook's parameters cell)."""

    rewrite_threshold: float = 0.6
    verbatim_threshold: float = 0.9
    phrase_min_words: int = 8
    phrase_min_content: int = 3
    near_duplicate_share: float = 0.5
    near_duplicate_min_words: int = 20


def align_sentences(
    sents_a: Sequence[Sentence], sents_b: Sequence[Sentence], settings: AlignmentSettings = AlignmentSettings(),
    prepared: tuple[_Prepared, _Prepared] | None = None,
) -> list[dict]:
    """Match sentences of report a with sentences of report b, one to one.

    Returns dicts with ``ia, ib, score, match, longest_run``: ``score`` is the
    word-level similarity ratio (1.0 = same words in the same order),
    ``match`` is ``"verbatim"``, ``"rewrite"`` or ``"phrase"``, and
    ``longest_run`` the longest run of words the two share.
    """
    candidates = []
    # Exact shortcuts before difflib (the cost of aligning near-duplicates at scale): identical
    # sentences score 1.0 with the whole sentence as the longest run; a pair that shares no
    # ``phrase_min_words``-gram cannot make a phrase match, and if its word-count overlap bounds
    # the ratio (``quick_ratio``) below both thresholds it cannot be a rewrite either.
    min_copy = min(settings.rewrite_threshold, settings.verbatim_threshold)
    if prepared is None:
        prepared = (_Prepared(sents_a), _Prepared(sents_b))
    # kept on the prepared reports, so a report compared with ten neighbours profiles each sentence once
    profiles_a, profiles_b = prepared[0].profiles, prepared[1].profiles
    n = settings.phrase_min_words
    pairs = _bigram_candidates(prepared[0], prepared[1], len(sents_b))
    # A sentence found exactly once in each report, identical in both, is matched to its copy: its
    # score of 1.0 comes first in the greedy order below and no other 1.0 candidate can claim either
    # side. Its other candidates can never be chosen, so they are not scored (most of the cost of a
    # near-duplicate pair).
    copies_a, copies_b = prepared[0].copies, prepared[1].copies
    locked_a: dict[int, int] = {}
    locked_b: dict[int, int] = {}
    for ia, ib in pairs:
        words = sents_a[ia].words
        if words == sents_b[ib].words and copies_a[words] == 1 and copies_b[words] == 1:
            locked_a[ia], locked_b[ib] = ib, ia
    for ia, ib in pairs:
        if locked_a.get(ia, ib) != ib or locked_b.get(ib, ia) != ia:
            continue
        s = sents_a[ia]
        other = sents_b[ib].words
        if s.words == other:
            score, run_a, run_size = 1.0, 0, len(other)
        else:
            profile_a = profiles_a.get((ia, n))
            if profile_a is None:
                profile_a = profiles_a[(ia, n)] = _profile(s.words, n)
            profile_b = profiles_b.get((ib, n))
            if profile_b is None:
                profile_b = profiles_b[(ib, n)] = _profile(other, n)
            if profile_a[1] is not None and profile_a[1].isdisjoint(profile_b[1]):
                overlap = len(profile_a[0] & profile_b[0])
                if 2.0 * overlap / (len(s.words) + len(other)) < min_copy:
                    continue
            matcher = SequenceMatcher(None, s.words, other, autojunk=False)
            score = matcher.ratio()
            run = matcher.find_longest_match(0, len(s.words), 0, len(other))
            run_a, run_size = run.a, run.size
        run_words = s.words[run_a : run_a + run_size]
        if score >= settings.verbatim_threshold:
            kind = "verbatim"
        elif score >= settings.rewrite_threshold:
            kind = "rewrite"
        elif run_size >= settings.phrase_min_words and _content_words(run_words) >= settings.phrase_min_content:
            kind = "phrase"
        else:
            continue
        candidates.append((score, run_size, ia, ib, kind))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_a, used_b, matches = set(), set(), []
    for score, run, ia, ib, kind in candidates:
        if ia in used_a or ib in used_b:
            continue
        used_a.add(ia)
        used_b.add(ib)
        matches.append({"ia": ia, "ib": ib, "score": round(score, 4), "match": kind, "longest_run": run})
    return sorted(matches, key=lambda m: (m["ia"], m["ib"]))


def _coverage(sents: Sequence[Sentence], matched: Iterable[int]) -> tuple[int, float]:
    total = sum(len(s.words) for s in sents)
    covered = sum(len(sents[i].words) for i in matched)
    return covered, (covered / total if total else 0.0)


def shared_passages(
    pairs: pd.DataFrame,
    report_sentences: dict[str, list[Sentence]],
    settings: AlignmentSettings = AlignmentSettings(),
    prepared: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Align the sentences of every pair in ``pairs`` (columns ``report_a, report_b``).

    Accepts the pairs and each report's sentences (from ``sentences``).
    Returns ``(passages, summary)``: one row per matched sentence pair
    (``PASSAGE_COLUMNS``; offsets refer to each report's ``text``), and one row
    per input pair (``SUMMARY_COLUMNS``): number of shared passages, the share
    of the more-covered report's words in copied or rewritten sentences,
    ``near_duplicate`` (share >= ``near_duplicate_share``) and ``house_style``
    (shares passages but is not a near-duplicate). ``prepared`` (a dict, by
    report id) keeps each report's bigram index between calls.
    """
    rows, summary = [], []
    prepared = {} if prepared is None else prepared
    for a, b in zip(pairs["report_a"], pairs["report_b"]):
        sa, sb = report_sentences[a], report_sentences[b]
        for rid, sents in ((a, sa), (b, sb)):
            if rid not in prepared:
                prepared[rid] = _Prepared(sents)
        matches = align_sentences(sa, sb, settings, (prepared[a], prepared[b]))
        copied = [m for m in matches if m["match"] != "phrase"]
        words_a, share_a = _coverage(sa, (m["ia"] for m in copied))
        words_b, share_b = _coverage(sb, (m["ib"] for m in copied))
        share = max(share_a, share_b)
        near_dup = share >= settings.near_duplicate_share and min(words_a, words_b) >= settings.near_duplicate_min_words
        summary.append(
            {
                "report_a": a,
                "report_b": b,
                "shared_passages": len(matches),
                "shared_share": round(share, 4),
                "near_duplicate": bool(near_dup),
                "house_style": bool(matches) and not near_dup,
            }
        )
        for m in matches:
            x, y = sa[m["ia"]], sb[m["ib"]]
            rows.append(
                {
                    "report_a": a, "report_b": b, "sentence_a": x.text, "sentence_b": y.text,
                    "score": m["score"], "match": m["match"], "longest_run": m["longest_run"],
                    "start_a": x.start, "end_a": x.end, "start_b": y.start, "end_b": y.end,
                }
            )
    passages = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    passages = passages.sort_values(["report_a", "report_b", "start_a", "start_b"], kind="mergesort").reset_index(drop=True)
    summary_df = pd.DataFrame(summary, columns=SUMMARY_COLUMNS)
    return passages, summary_df
