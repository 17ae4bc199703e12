"""Shared passages: which sentences of one report reappear in another.

A similarity number convinces no editor; the sentences behind it do. For a
pair of reports, each sentence of one is matched with at most one sentence of
the other. A match is kept when

* the two sentences are near-verbatim copies or light rewrites of each other
  (word-level ``difflib`` ratio >= ``rewrite_threshold``), or
* they share a long verbatim run of words (``phrase_min_words`` words, of which
  ``phrase_min_content`` are not stop words) inside otherwise different
  sentences: distinctive phrasing ("the commander of the army of the House
  of Representatives (HoR), General Khalifa Haftar").

A pair whose text is mostly covered by copied or rewritten sentences is a
near-duplicate (syndication or copy). What a shared passage of another pair
is (a quotation both took from a speaker, the reports' own prose, stock
wording) is told by ``shared_wording``, from the corpus as a whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
# difflib's SequenceMatcher compiled: the same algorithm and results (the tests compare them); alone it
# cut the alignment of 6,000 allsides pairs from 3.3 to 2.2 ms a pair
from cydifflib import SequenceMatcher
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from analysis.similarity.sentence_arrays import Sentence, SentenceList, sentence_words, split, split_text, word_hashes
from analysis.similarity.pair_tables import _ranks

PASSAGE_COLUMNS = [
    "report_a", "report_b", "sentence_a", "sentence_b", "score",
    "match", "longest_run", "run_a", "run_b", "start_a", "end_a", "start_b", "end_b",
]
SUMMARY_COLUMNS = ["report_a", "report_b", "shared_passages", "shared_share", "near_duplicate"]

# End of sentence: . ! ? … possibly followed by a closing quote or bracket, then space and a capital/quote/digit.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


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
        if start < end and not text[start].isspace() and not text[end - 1].isspace() and text.find("\n", start, end) < 0:
            spans.append((start, end))  # what _split_lines gives a single trimmed line, without its generator
        else:
            spans.extend(_split_lines(text, start, end))
    return spans


def sentences(text: str, doc: Doc | None = None, min_words: int = 4,
              spans: Sequence[Sequence[int]] | None = None, compiled: bool = False) -> SentenceList:
    """Sentences of ``text`` with at least ``min_words`` words (shorter lines are navigation or labels).

    ``spans`` (from :func:`sentence_spans`, e.g. cached) replaces ``doc`` when given.
    Returns a sequence of ``Sentence`` whose words are made when first read,
    with the arrays of word hashes alignment joins (``SentenceList``).
    ``compiled``: words found by the numba kernel (the same result).
    """
    if compiled and spans is None and doc is None:
        found = split_text(text, min_words)
        if found is not None:
            return found
    spans = spans if spans is not None else sentence_spans(text, doc)
    found = split(text, spans, min_words, compiled)
    if found is not None:
        return found
    out = []  # a character lower-cased by context or into several: every word made by str.lower
    for start, end in spans:
        words = sentence_words(text, start, end)
        if len(words) >= min_words:
            out.append(Sentence(start, end, text[start:end], words))
    return SentenceList.of(text, out)


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it spreads word hashes over 64 bits
_PAIR_MIX = np.uint64(0xC2B2AE3D27D4EB4F)  # the same, for the bigram table alone
_EMPTY = np.array([], dtype=np.int64)
#: Hashes of the commonest words of English news (lower-cased ``\w+`` runs; "s" from "it's"), by how many
#: allsides sentences hold them. Any list gives the same alignment; with these 31 counted apart, the token join
#: of every 20th allsides pair aligned has 8.8 million entries instead of 40.0 million.
_COMMON_HASHES = np.unique(word_hashes(
    "the to of and a in that s for is on it he with said as was have but be are at by his has not this from they an who"
    .split()))


class _Prepared:
    """A report's sentences ready for alignment: sorted hash tables to join with another report's.

    * ``ids, rows``: each sentence's distinct bigrams (a 64-bit hash of the
      word pair, from the hashes of the two words, ``sentence_arrays``) with
      the sentence they come from, sorted by hash. Two different word pairs
      colliding in one comparison is a chance of about 2**-64;
    * ``token_ids, token_rows``: each sentence's words numbered by occurrence
      (``(w, 1), (w, 2)``...), hashed: joined, they count the words two
      sentences share with multiplicity (difflib's ``quick_ratio`` bound);
      but the words of ``_COMMON_HASHES`` are in ``common_counts`` instead (one row
      per sentence, one column per word), where the least of two rows' counts
      is what they share;
    * ``grams(n)``: each sentence's word ``n``-grams, hashed (made on first use);
    * ``single``: whether a sentence's words occur only once in the report
      (by hash: a collision only makes a sentence look repeated).

    Token and ``n``-gram hashes only ever skip a sentence pair that cannot
    match: a collision can add a shared token or ``n``-gram, never hide one, so
    at worst it sends a hopeless pair to difflib, which rejects it.
    """

    __slots__ = ("ids", "rows", "single", "lengths", "sentence_hash", "common_counts", "token_ids", "token_rows",
                 "_word_hash", "_grams", "_compiled")

    def __init__(self, sents: Sequence[Sentence], compiled: bool = False):
        """Accepts a report's sentences: a ``SentenceList`` (its hashes made already) or any ``Sentence`` sequence.

        ``compiled``: the tables are made by the numba kernels of ``passage_kernels`` (the same arrays).
        """
        if not isinstance(sents, SentenceList):
            sents = SentenceList.of("", sents)
        self.lengths, self.sentence_hash, word_hash = sents.lengths, sents.sentence_hash, sents.word_hash
        self._compiled, self._grams = compiled, {}
        if compiled:
            from analysis.similarity.kernels.passage_kernels import prepare_tables

            sentence, self.single, self.ids, self.rows, self.common_counts, self.token_ids, self.token_rows = \
                prepare_tables(word_hash, self.lengths, self.sentence_hash, _COMMON_HASHES, _PAIR_MIX, _MIX)
            self._word_hash = (word_hash, sentence)
            return
        self.single = _single(self.sentence_hash)
        sentence = np.repeat(np.arange(len(sents), dtype=np.int64), self.lengths)
        # distinct bigrams of each sentence: unique (sentence, bigram hash) pairs. Not ``grams(2)``: a
        # collision here could merge two bigrams and hide a candidate, so its constant is never weakened.
        inside = sentence[:-1] == sentence[1:]
        bigrams = (word_hash[:-1] * _PAIR_MIX + word_hash[1:]).view(np.int64)[inside]
        bigram_rows = sentence[:-1][inside]
        # they come sentence after sentence, so sorting by hash alone (stable) orders them by (hash, sentence)
        order = np.argsort(bigrams, kind="stable")
        by_gram, by_row = bigrams[order], bigram_rows[order]
        first = _run_starts(by_gram, by_row)
        self.ids, self.rows = by_gram[first], by_row[first]
        # The commonest words are counted per sentence and the others become tokens: numbered in every
        # sentence, "the" and its like made most of the token join. Found by hash, so a word colliding with a
        # common one is counted as it, which can only add to what two sentences share.
        common = np.minimum(np.searchsorted(_COMMON_HASHES, word_hash), len(_COMMON_HASHES) - 1)
        is_common = _COMMON_HASHES[common] == word_hash
        width = len(_COMMON_HASHES)
        self.common_counts = np.bincount(sentence[is_common] * width + common[is_common],
                                         minlength=len(sents) * width).reshape(len(sents), width).astype(np.int32)
        # occurrence number of each other word within its sentence: position in its run of (sentence, word) after sorting
        rare_hash, rare_sentence = word_hash[~is_common], sentence[~is_common]
        order = np.argsort(rare_hash, kind="stable")  # by (word, sentence), as above
        by_word, by_sentence = rare_hash[order], rare_sentence[order]
        starts = np.flatnonzero(_run_starts(by_word, by_sentence))
        occurrence = _ranks(np.diff(np.append(starts, len(order))))
        tokens = (by_word * _MIX + occurrence.astype(np.uint64)).view(np.int64)
        self.token_ids, self.token_rows = _sorted_table(tokens, by_sentence)
        self._word_hash = (word_hash, sentence)

    def grams(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Hashes of every word ``n``-gram within a sentence and the sentence of each, sorted by hash."""
        if n not in self._grams:
            word_hash, sentence = self._word_hash
            if self._compiled:
                from analysis.similarity.kernels.passage_kernels import gram_table

                self._grams[n] = gram_table(word_hash, sentence, n, _MIX)
                return self._grams[n]
            count = len(word_hash) - n + 1
            if count <= 0:
                self._grams[n] = (_EMPTY, _EMPTY)
            else:
                value = word_hash[:count].copy()
                for j in range(1, n):
                    value = value * _MIX + word_hash[j : j + count]
                inside = sentence[:count] == sentence[n - 1 :]  # the n-gram does not cross into the next sentence
                self._grams[n] = _sorted_table(value.view(np.int64)[inside], sentence[:count][inside])
        return self._grams[n]


def _run_starts(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Where a run of equal ``(value, row)`` begins, in arrays sorted so that equal pairs are adjacent."""
    first = np.ones(len(values), dtype=bool)
    first[1:] = (values[1:] != values[:-1]) | (rows[1:] != rows[:-1])
    return first


def _single(values: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` occurs only once among them."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(len(values), dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    single = np.empty(len(values), dtype=bool)
    single[order] = ~repeated
    return single


def _sorted_table(ids: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(ids, kind="stable")
    return ids[order], rows[order]


def _join(a_ids: np.ndarray, a_rows: np.ndarray, b_ids: np.ndarray, b_rows: np.ndarray, n_b: int) -> np.ndarray:
    """Keys ``ia * n_b + ib`` of every (a entry, b entry) with the same id: a numpy join of two sorted tables."""
    if len(a_ids) == 0 or len(b_ids) == 0:
        return _EMPTY
    lo = np.searchsorted(b_ids, a_ids, "left")
    # most entries find no equal id: the rest of the work is done on those that do
    hit = np.flatnonzero(b_ids[np.minimum(lo, len(b_ids) - 1)] == a_ids)
    if len(hit) == 0:
        return _EMPTY
    lo, rows = lo[hit], a_rows[hit]
    count = np.searchsorted(b_ids, a_ids[hit], "right") - lo
    ends = np.cumsum(count)
    total = int(ends[-1])
    if total == len(hit):  # each id once in b (the usual case): no entry to repeat
        return rows * n_b + b_rows[lo]
    offsets = np.repeat(lo - (ends - count), count) + np.arange(total)
    return np.repeat(rows, count) * n_b + b_rows[offsets]


#: Sentence pairs in a pair of reports up to which shared entries are counted in an array with a place for
#: every sentence pair (one ``bincount``) rather than by sorting them: 65,536 is 256 sentences a side.
_DENSE_PAIRS = 1 << 16


def _count_at(keys: np.ndarray, at: np.ndarray, n_pairs: int) -> np.ndarray:
    """How many times each of ``at`` (sorted) occurs in ``keys`` (all below ``n_pairs``)."""
    if n_pairs <= _DENSE_PAIRS:
        return np.bincount(keys, minlength=n_pairs)[at]
    keys = np.sort(keys)
    return np.searchsorted(keys, at, "right") - np.searchsorted(keys, at, "left")


#: Sentences: the joins below take only the entries of the sentences their keys involve when these are at
#: most this share of the two reports' sentences (a near-duplicate pair, its copies locked); with more, picking
#: the entries costs more than joining them all.
_FEW_SENTENCES = 0.25


def _only_sentences_of(keys: np.ndarray, n_b: int, n_a: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Masks of the sentences of a and of b that ``keys`` (``ia * n_b + ib``) involve, if few; else ``None``."""
    rows_a, rows_b = np.zeros(n_a, dtype=bool), np.zeros(n_b, dtype=bool)
    rows_a[keys // n_b] = True
    rows_b[keys % n_b] = True
    if np.count_nonzero(rows_a) + np.count_nonzero(rows_b) > _FEW_SENTENCES * (n_a + n_b):
        return None
    return rows_a, rows_b


def _entries(table: tuple[np.ndarray, np.ndarray], rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The entries of a sorted ``(ids, rows)`` table whose sentence is in the mask ``rows`` (``None``: all)."""
    if rows is None:
        return table
    ids, of = table
    inside = rows[of]
    return ids[inside], of[inside]


def _shared_words(a: _Prepared, b: _Prepared, keys: np.ndarray, n_b: int, only=None) -> np.ndarray:
    """How many words each sentence pair of ``keys`` (``ia * n_b + ib``, sorted) shares, with multiplicity.

    Difflib's ``quick_ratio`` numerator; a hash collision can only add to it.
    ``only`` (from ``_only_sentences_of``) limits the join to those sentences.
    """
    rows_a, rows_b = only if only is not None else (None, None)
    joined = _join(*_entries((a.token_ids, a.token_rows), rows_a), *_entries((b.token_ids, b.token_rows), rows_b), n_b)
    return (_count_at(joined, keys, len(a.lengths) * n_b)
            + np.minimum(a.common_counts[keys // n_b], b.common_counts[keys % n_b]).sum(axis=1))


def _share_a_gram(a: _Prepared, b: _Prepared, keys: np.ndarray, n_b: int, n: int, only=None) -> np.ndarray:
    """Whether each sentence pair of ``keys`` (sorted) shares a word ``n``-gram (by hash: a collision can only add one).

    ``only`` (from ``_only_sentences_of``) limits the join to those sentences.
    """
    rows_a, rows_b = only if only is not None else (None, None)
    joined = _join(*_entries(a.grams(n), rows_a), *_entries(b.grams(n), rows_b), n_b)
    return _count_at(joined, keys, len(a.lengths) * n_b) > 0


def _bigram_candidates(a: _Prepared, b: _Prepared, n_b: int) -> np.ndarray:
    """Keys ``ia * n_b + ib`` of the sentence pairs sharing at least two distinct word pairs, increasing.

    Fewer cannot make a rewrite or a long phrase.
    """
    joined = _join(a.ids, a.rows, b.ids, b.rows, n_b)
    n_pairs = len(a.lengths) * n_b
    if n_pairs <= _DENSE_PAIRS:
        return np.flatnonzero(np.bincount(joined, minlength=n_pairs) >= 2)
    keys, shared = np.unique(joined, return_counts=True)
    return keys[shared >= 2]


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


def _kind(score: float, run_words: Sequence[str], settings: AlignmentSettings) -> str | None:
    """What a sentence pair of this ``score`` and longest shared run is: a match kind, or ``None`` (no match)."""
    if score >= settings.verbatim_threshold:
        return "verbatim"
    if score >= settings.rewrite_threshold:
        return "rewrite"
    if len(run_words) >= settings.phrase_min_words and _content_words(run_words) >= settings.phrase_min_content:
        return "phrase"
    return None


def _locks(locked: list[tuple[int, int]], n_a: int, n_b: int) -> tuple[np.ndarray, np.ndarray]:
    """The sentence each sentence of a and of b is locked to (-1: none)."""
    lock_a = np.full(n_a, -1, dtype=np.int64)
    lock_b = np.full(n_b, -1, dtype=np.int64)
    locked_a, locked_b = np.array(locked, dtype=np.int64).T
    lock_a[locked_a], lock_b[locked_b] = locked_b, locked_a
    return lock_a, lock_b


def _confirmed(keys: np.ndarray, sents_a: Sequence[Sentence], sents_b: Sequence[Sentence]) -> list[tuple[int, int]]:
    """The sentence pairs of ``keys`` (equal hashes) whose words are equal: the locked copies, ``(ia, ib)``."""
    n_b = len(sents_b)
    return [(ia, ib) for ia, ib in (divmod(k, n_b) for k in keys.tolist()) if sents_a[ia].words == sents_b[ib].words]


def _candidates(pa: _Prepared, pb: _Prepared, sents_a: Sequence[Sentence], sents_b: Sequence[Sentence],
                settings: AlignmentSettings) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """``(keys, locked)``: the sentence pairs difflib must score (keys ``ia * n_b + ib``, increasing) and the
    locked copies (see ``_matches``). The numpy reference of ``_compiled_candidates``."""
    n_b = len(sents_b)
    keys = _bigram_candidates(pa, pb, n_b)
    ka, kb = keys // n_b, keys % n_b
    identical = pa.sentence_hash[ka] == pb.sentence_hash[kb]  # equal words have equal hashes
    maybe = np.flatnonzero(identical & pa.single[ka] & pb.single[kb])
    locked = _confirmed(keys[maybe], sents_a, sents_b)
    keep = np.ones(len(keys), dtype=bool)
    if locked:
        lock_a, lock_b = _locks(locked, len(sents_a), n_b)
        keep &= ((lock_a[ka] < 0) | (lock_a[ka] == kb)) & ((lock_b[kb] < 0) | (lock_b[kb] == ka))
        keep &= lock_a[ka] != kb
    n = settings.phrase_min_words
    test = keep & ~identical
    if n >= 2 and test.any():
        min_copy = min(settings.rewrite_threshold, settings.verbatim_threshold)
        sub = keys[test]
        only = _only_sentences_of(sub, n_b, len(sents_a))
        bound_ok = 2.0 * _shared_words(pa, pb, sub, n_b, only) / (pa.lengths[ka[test]] + pb.lengths[kb[test]]) >= min_copy
        keep[test] = bound_ok | _share_a_gram(pa, pb, sub, n_b, n, only)
    return keys[keep], locked


_NO_LOCK = np.empty(0, dtype=np.int64)


def _compiled_candidates(pa: _Prepared, pb: _Prepared, sents_a: Sequence[Sentence], sents_b: Sequence[Sentence],
                         settings: AlignmentSettings) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """``_candidates`` by the compiled merge walks of ``passage_kernels``: the same keys and locks."""
    from analysis.similarity.kernels import passage_kernels as kernels

    n_a, n_b = len(sents_a), len(sents_b)
    keys, identical, maybe = kernels.bigram_candidates(pa.ids, pa.rows, pa.sentence_hash, pa.single,
                                                       pb.ids, pb.rows, pb.sentence_hash, pb.single, n_b,
                                                       kernels.DENSE_PAIRS)
    maybe_keys = keys[maybe]
    if getattr(sents_a, "low", None) is not None and getattr(sents_b, "low", None) is not None:
        # confirmed on the code points, without making the sentences' words
        same = kernels.same_words(maybe_keys, n_b, sents_a.starts, sents_a.ends, sents_a.low,
                                  sents_b.starts, sents_b.ends, sents_b.low)
        locked = [divmod(k, n_b) for k in maybe_keys[same].tolist()]
    else:
        locked = _confirmed(maybe_keys, sents_a, sents_b)
    lock_a, lock_b = _locks(locked, n_a, n_b) if locked else (_NO_LOCK, _NO_LOCK)
    n = settings.phrase_min_words
    grams_a, grams_b = (pa.grams(n), pb.grams(n)) if n >= 2 else ((_EMPTY, _EMPTY), (_EMPTY, _EMPTY))
    keep = kernels.keep_candidates(keys, identical, lock_a, lock_b, n_a, n_b, pa.lengths, pb.lengths,
                                   pa.token_ids, pa.token_rows, pa.common_counts,
                                   pb.token_ids, pb.token_rows, pb.common_counts, *grams_a, *grams_b,
                                   float(min(settings.rewrite_threshold, settings.verbatim_threshold)), n >= 2,
                                   kernels.DENSE_PAIRS)
    return keys[keep], locked


def load_compiled() -> None:
    """Import and run the compiled filter once (compiling it on a machine's first use, loading it after).

    Called before alignment forks its workers, so that they share the
    parent's loaded kernels instead of each loading numba again.
    """
    sents = sentences("One two three four five. One two three four five.", compiled=True)
    prepared = _Prepared(sents, compiled=True)
    _compiled_candidates(prepared, prepared, sents, sents, AlignmentSettings())


def _matches(
    sents_a: Sequence[Sentence], sents_b: Sequence[Sentence], settings: AlignmentSettings,
    prepared: tuple[_Prepared, _Prepared] | None = None, compiled: bool = False,
) -> list[tuple[int, int, float, str, int, int, int]]:
    """``align_sentences`` as tuples ``(ia, ib, score, match, longest_run, run_a, run_b)``, sorted by ``(ia, ib)``.

    ``compiled`` picks the numba filter of candidates (the same result; worth
    its import only on many pairs).
    """
    if prepared is None:
        prepared = (_Prepared(sents_a, compiled), _Prepared(sents_b, compiled))
    pa, pb = prepared
    n_b = len(sents_b)
    # Which sentence pairs difflib scores. Candidates share at least two distinct bigrams. A sentence
    # found exactly once in each report, identical in both, is locked to its copy: its score of 1.0
    # comes first in the greedy order below and no other 1.0 candidate can claim either side, so its
    # other candidates can never be chosen and are not scored (most of the cost of a near-duplicate
    # pair). Other exact shortcuts: a pair that shares no ``phrase_min_words``-gram cannot make a
    # phrase match, and if the words it shares (with multiplicity) bound the ratio (``quick_ratio``)
    # below both thresholds it cannot be a rewrite either. Identical sentences need neither test.
    keys, locked = (_compiled_candidates if compiled else _candidates)(pa, pb, sents_a, sents_b, settings)
    matches = []
    if locked:
        # A locked pair is matched whatever else is found, since no other candidate kept involves either
        # sentence: it goes straight to the matches, without the candidates' scoring, sort and greedy walk.
        copy = _kind(1.0, (), settings) if settings.phrase_min_words > 0 else None  # a copy's kind, if not a phrase
        lengths = pa.lengths
        for ia, ib in locked:
            kind = copy or _kind(1.0, sents_a[ia].words, settings)
            if kind is not None:
                matches.append((ia, ib, 1.0, kind, int(lengths[ia]), 0, 0))
    candidates = []
    for ia, ib in (divmod(k, n_b) for k in keys.tolist()):
        s = sents_a[ia]
        other = sents_b[ib].words
        if s.words == other:
            score, run_a, run_b, run_size = 1.0, 0, 0, len(other)
        else:
            matcher = SequenceMatcher(None, s.words, other, autojunk=False)
            score = matcher.ratio()
            run = matcher.find_longest_match(0, len(s.words), 0, len(other))
            run_a, run_b, run_size = run.a, run.b, run.size
        kind = _kind(score, s.words[run_a : run_a + run_size], settings)
        if kind is not None:
            candidates.append((score, run_size, ia, ib, kind, run_a, run_b))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_a, used_b = set(), set()
    for score, run, ia, ib, kind, run_a, run_b in candidates:
        if ia in used_a or ib in used_b:
            continue
        used_a.add(ia)
        used_b.add(ib)
        matches.append((ia, ib, round(score, 4), kind, run, run_a, run_b))
    matches.sort()
    return matches


def align_sentences(
    sents_a: Sequence[Sentence], sents_b: Sequence[Sentence], settings: AlignmentSettings = AlignmentSettings(),
    prepared: tuple[_Prepared, _Prepared] | None = None, compiled: bool = False,
) -> list[dict]:
    """Match sentences of report a with sentences of report b, one to one.

    Returns dicts with ``ia, ib, score, match, longest_run, run_a, run_b``:
    ``score`` is the word-level similarity ratio (1.0 = same words in the
    same order), ``match`` is ``"verbatim"``, ``"rewrite"`` or ``"phrase"``,
    ``longest_run`` the longest run of words the two share and ``run_a``,
    ``run_b`` where it starts in each sentence (in words). ``compiled``:
    candidates filtered by the numba kernels (the same matches).
    """
    return [{"ia": ia, "ib": ib, "score": score, "match": kind, "longest_run": run, "run_a": run_a, "run_b": run_b}
            for ia, ib, score, kind, run, run_a, run_b in _matches(sents_a, sents_b, settings, prepared, compiled)]


def _pieces(sents: Sequence[Sentence], indices: Sequence[int]) -> tuple[list[str], list[int], list[int]]:
    """The texts, starts and ends of a report's sentences ``indices`` (a ``SentenceList`` makes no ``Sentence``)."""
    if isinstance(sents, SentenceList):
        return sents.pieces(indices)
    chosen = [sents[i] for i in indices]
    return [s.text for s in chosen], [s.start for s in chosen], [s.end for s in chosen]


def _coverage(lengths: np.ndarray, matched: list[int]) -> tuple[int, float]:
    """Words of a report's sentences ``matched`` (by index; ``lengths``: words of each sentence) and their share."""
    total = int(lengths.sum())
    covered = int(lengths[matched].sum()) if matched else 0
    return covered, (covered / total if total else 0.0)


def shared_passages(
    pairs: pd.DataFrame,
    report_sentences: dict[str, list[Sentence]],
    settings: AlignmentSettings = AlignmentSettings(),
    prepared: dict | None = None,
    compiled: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Align the sentences of every pair in ``pairs`` (columns ``report_a, report_b``).

    Accepts the pairs and each report's sentences (from ``sentences``).
    Returns ``(passages, summary)``: one row per matched sentence pair
    (``PASSAGE_COLUMNS``; offsets refer to each report's ``text``), and one row
    per input pair (``SUMMARY_COLUMNS``): number of shared passages, the share
    of the more-covered report's words in copied or rewritten sentences and
    ``near_duplicate`` (share >= ``near_duplicate_share``). ``prepared`` (a dict, by
    report id) keeps each report's bigram index between calls; ``compiled``
    filters candidates with the numba kernels (the same tables, faster on
    many pairs once numba is loaded).
    """
    # built a column at a time: a near-duplicate pair has dozens of passages, and a dict per row read
    # back by pandas cost several microseconds a row
    columns: dict[str, list] = {c: [] for c in PASSAGE_COLUMNS}
    summary = []
    prepared = {} if prepared is None else prepared
    for a, b in zip(pairs["report_a"], pairs["report_b"]):
        sa, sb = report_sentences[a], report_sentences[b]
        for rid, sents in ((a, sa), (b, sb)):
            if rid not in prepared:
                prepared[rid] = _Prepared(sents, compiled)
        matches = _matches(sa, sb, settings, (prepared[a], prepared[b]), compiled)
        copied = [(ia, ib) for ia, ib, _, kind, *_ in matches if kind != "phrase"]
        words_a, share_a = _coverage(prepared[a].lengths, [ia for ia, _ in copied])
        words_b, share_b = _coverage(prepared[b].lengths, [ib for _, ib in copied])
        share = max(share_a, share_b)
        near_dup = share >= settings.near_duplicate_share and min(words_a, words_b) >= settings.near_duplicate_min_words
        summary.append((a, b, len(matches), round(share, 4), bool(near_dup)))
        if matches:
            ia, ib, score, kind, run, run_a, run_b = zip(*matches)
            texts_a, starts_a, ends_a = _pieces(sa, ia)
            texts_b, starts_b, ends_b = _pieces(sb, ib)
            columns["report_a"] += [a] * len(matches)
            columns["report_b"] += [b] * len(matches)
            columns["sentence_a"] += texts_a
            columns["sentence_b"] += texts_b
            columns["score"] += score
            columns["match"] += kind
            columns["longest_run"] += run
            columns["run_a"] += run_a
            columns["run_b"] += run_b
            columns["start_a"] += starts_a
            columns["end_a"] += ends_a
            columns["start_b"] += starts_b
            columns["end_b"] += ends_b
    if columns["report_a"]:
        passages = pd.DataFrame(columns)[PASSAGE_COLUMNS]
        passages = passages.sort_values(["report_a", "report_b", "start_a", "start_b"], kind="mergesort").reset_index(drop=True)
    else:
        passages = pd.DataFrame(columns=PASSAGE_COLUMNS)
    summary_df = pd.DataFrame(summary, columns=SUMMARY_COLUMNS)
    return passages, summary_df
