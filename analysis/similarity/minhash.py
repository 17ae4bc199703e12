"""Word shingles, MinHash signatures and LSH candidates for near-duplicate reports."""
from __future__ import annotations

import hashlib
import itertools
import re
from typing import Iterable, Sequence
import numpy as np
from analysis.progress import progress_bar

from analysis.similarity.pair_tables import _ranks
from analysis.similarity.term_extraction import _MEMO_MAX, n_workers


_SHINGLE_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word ``size``-grams of a lower-cased text, as UTF-8 bytes (the text itself if shorter)."""
    words = _SHINGLE_WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


_U64 = np.uint64
_MIX1, _MIX2 = _U64(0xBF58476D1CE4E5B9), _U64(0x94D049BB133111EB)
_SHINGLE_MULT = _U64(0x9E3779B97F4A7C15)


class _WordHashes(dict):
    """Memo of each word's 64-bit BLAKE2b hash, computed on first lookup.

    A ``dict`` whose misses compute the value: hashing a chunk of words is
    then one pass of lookups in C rather than a Python call per word.
    """

    def __missing__(self, word: str) -> int:
        value = self[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        return value


_WORD_HASHES = _WordHashes()


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fixed bijection of uint64 that spreads every input bit (wraps modulo 2**64)."""
    h = h ^ (h >> _U64(30))
    h = h * _MIX1
    h = h ^ (h >> _U64(27))
    h = h * _MIX2
    return h ^ (h >> _U64(31))


def _word_hashes(words: Iterable[str], count: int) -> np.ndarray:
    """The hashes of ``count`` words, in order (``uint64``)."""
    if len(_WORD_HASHES) > _MEMO_MAX:
        _WORD_HASHES.clear()
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=_U64, count=count)


# Each word's BLAKE2b hash (``_WORD_HASHES``) by the 64-bit hash ``sentence_arrays`` makes of its code points.
_HASHES_BY_CODES: dict[int, int] = {}


def _text_word_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(counts, hashes)``: how many words each text has and each word's hash (``_WORD_HASHES``), text after text.

    The words are those ``_SHINGLE_WORD.findall(text.lower())`` finds, found on
    the texts' code points at once (``sentence_arrays``: no character changes
    whether it is a word character when lower-cased), with no string made per
    word: a word's BLAKE2b hash is looked up by the 64-bit hash of its code
    points, and computed from its string the first time only. (Two distinct
    words sharing that 64-bit hash, a chance of about 2**-64 per pair, would
    share a BLAKE2b hash.) A batch holding a character that lower-cases into
    several or by context (``İ``, ``Σ``) is done text by text, those texts by
    ``findall``. 10,000 allsides texts: 1.3 s by ``findall`` alone.
    """
    from analysis.similarity.sentence_arrays import _code_points, _lowered, _piece_hashes

    joined = "\n".join(texts)  # a line break ends a word: no word runs from one text into the next
    low = _lowered(_code_points(joined))
    if low is None:
        if len(texts) == 1:
            words = _SHINGLE_WORD.findall(joined.lower())
            return np.array([len(words)], dtype=np.int64), _word_hashes(words, len(words))
        parts = [_text_word_hashes([t]) for t in texts]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    word = low != 0
    edges = np.flatnonzero(np.diff(word.astype(np.int8), prepend=np.int8(0), append=np.int8(0)))
    starts, ends = edges[0::2], edges[1::2]
    text_starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    counts = np.bincount(np.searchsorted(text_starts, starts, "right") - 1, minlength=len(texts)).astype(np.int64)
    if len(_HASHES_BY_CODES) > _MEMO_MAX:
        _HASHES_BY_CODES.clear()
    keys = _piece_hashes(low, starts, ends).tolist()
    # 0 stands for a word not met yet (a BLAKE2b hash of 0 would only be looked up again each time)
    found = np.fromiter(map(_HASHES_BY_CODES.get, keys, itertools.repeat(0)), dtype=_U64, count=len(keys))
    for i in np.flatnonzero(found == 0).tolist():
        found[i] = _HASHES_BY_CODES[keys[i]] = _WORD_HASHES[joined[starts[i]:ends[i]].lower()]
    return counts, found


def shingle_hashes(text: str, size: int = 5) -> np.ndarray:
    """64-bit hashes of the word ``size``-grams of ``text`` (the set ``shingles`` returns), unsorted, with repeats.

    Words are hashed once each (BLAKE2b, so the same on every run and machine);
    a shingle's hash mixes its words' hashes in order. A text of fewer than
    ``size`` words is one shingle; a text without words has none.
    """
    words = _SHINGLE_WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=_U64)
    with np.errstate(over="ignore"):
        w = _word_hashes(words, len(words))
        m = max(1, len(words) - size + 1)
        width = min(size, len(words))
        h = np.zeros(m, dtype=_U64)
        for j in range(width):
            h = h * _SHINGLE_MULT + w[j : j + m]
        return _mix64(h + _U64(width))


# Texts and settings of the running ``minhash_signatures``, read by forked worker processes.
_MINHASH_STATE: dict = {}
_EMPTY = np.iinfo(np.uint64).max


def _signature_chunk(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash signatures of ``texts[start:stop]`` (see ``minhash_signatures``), before densification."""
    start, stop = bounds
    state = _MINHASH_STATE
    texts, num_perm, size, salt = state["texts"], state["num_perm"], state["shingle_size"], state["salt"]
    lengths, w = _text_word_hashes(texts[start:stop])
    sigs = np.full((stop - start, num_perm), _EMPTY, dtype=_U64)
    if lengths.sum() == 0:
        return sigs, lengths > 0
    with np.errstate(over="ignore"):
        ends = np.cumsum(lengths)
        begins = ends - lengths
        m = len(w) - size + 1
        parts_h, parts_doc = [], []
        if m > 0:
            h = np.zeros(m, dtype=_U64)
            for j in range(size):
                h = h * _SHINGLE_MULT + w[j : j + m]
            doc_of = np.repeat(np.arange(stop - start), lengths)[:m]
            valid = np.arange(m) <= (ends[doc_of] - size)
            parts_h.append(_mix64(h[valid] + _U64(size)))
            parts_doc.append(doc_of[valid])
        for d in np.flatnonzero((lengths > 0) & (lengths < size)):  # a short text is one shingle
            h = _U64(0)
            for x in w[begins[d] : ends[d]]:
                h = h * _SHINGLE_MULT + x
            parts_h.append(_mix64(np.array([h + _U64(lengths[d])], dtype=_U64)))
            parts_doc.append(np.array([d]))
        h = _mix64(np.concatenate(parts_h) ^ salt)
        doc = np.concatenate(parts_doc)
        np.minimum.at(sigs, (doc, (h % _U64(num_perm)).astype(np.int64)), h // _U64(num_perm))
    return sigs, lengths > 0


def minhash_signatures(
    texts: Sequence[str], num_perm: int = 128, shingle_size: int = 5, seed: int = 1, workers: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of the word-shingle sets of ``texts``: one permutation, ``num_perm`` bins.

    Each shingle hash (``shingle_hashes``, salted by ``seed``) goes to one of
    ``num_perm`` bins and each bin keeps its minimum (one-permutation hashing,
    Li, Owen & Zhang 2012); an empty bin borrows the value of the first
    non-empty bin on a seeded probe sequence ("optimal densification",
    Shrivastava 2017). Two signatures agree in a bin with probability about the
    Jaccard similarity of the two shingle sets, as with ``num_perm``
    independent permutations, but each shingle is hashed once, not
    ``num_perm`` times. Large corpora are split over ``workers`` forked
    processes (tokenising is Python code, which threads would serialise).
    Returns ``(signatures, has_shingles)``: ``uint64`` ``len(texts) x
    num_perm`` and a boolean mask of the texts with at least one shingle. The
    same on every run and machine.
    """
    import multiprocessing

    texts = list(texts)
    n = len(texts)
    salt = _mix64(np.array([seed], dtype=_U64))[0]
    probe_salt = _mix64(np.array([seed + 0x5BD1E995], dtype=_U64))[0]
    _MINHASH_STATE.update(texts=texts, num_perm=num_perm, shingle_size=shingle_size, salt=salt)
    chunk = 500
    bounds = [(i, min(i + chunk, n)) for i in range(0, n, chunk)]
    workers = n_workers() if workers is None else max(1, workers)
    try:
        if workers > 1 and len(bounds) > 1 and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(min(workers, len(bounds)), mp_context=multiprocessing.get_context("fork")) as pool, \
                    progress_bar(n, "MinHash signatures") as bar:
                results = []
                for (start, stop), result in zip(bounds, pool.map(_signature_chunk, bounds)):
                    results.append(result)
                    bar.update(stop - start)
        else:
            results = [_signature_chunk(b) for b in bounds]
    finally:
        _MINHASH_STATE.clear()
    if not results:
        return np.zeros((0, num_perm), dtype=_U64), np.zeros(0, dtype=bool)
    sigs = np.concatenate([r[0] for r in results])
    nonempty = np.concatenate([r[1] for r in results])
    empty_bin = (sigs == _EMPTY) & nonempty[:, None]
    if empty_bin.any():
        dense = sigs.copy()
        rows, bins = np.nonzero(empty_bin)
        todo = np.ones(len(rows), dtype=bool)
        attempt = 0
        with np.errstate(over="ignore"):
            while todo.any():
                attempt += 1
                key = (bins[todo].astype(_U64) * _U64(0x100000001B3)) ^ (_U64(attempt) * probe_salt)
                other = (_mix64(key) % _U64(num_perm)).astype(np.int64)
                got = sigs[rows[todo], other]
                found = got != _EMPTY
                idx = np.flatnonzero(todo)[found]
                dense[rows[idx], bins[idx]] = got[found]
                todo[idx] = False
        sigs = dense
    return sigs, nonempty


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that ``datasketch.MinHashLSH`` picks for this threshold (equal weight to both errors)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def near_duplicate_candidates(
    report_ids: Sequence[str],
    texts: Sequence[str],
    threshold: float = 0.5,
    num_perm: int = 128,
    shingle_size: int = 5,
    seed: int = 1,
) -> list[tuple[str, str]]:
    """Pairs of reports whose word-shingle sets probably have Jaccard >= ``threshold``.

    MinHash LSH: ``minhash_signatures`` (fixed seed, so the result is
    reproducible) cut into the bands ``datasketch.MinHashLSH`` would use; two
    reports are candidates when all rows of at least one band agree.
    Returns sorted ``(report_a, report_b)`` tuples with ``report_a < report_b``;
    they are candidates, to be confirmed by passage alignment.
    """
    report_ids = list(report_ids)
    sigs, nonempty = minhash_signatures(texts, num_perm, shingle_size, seed)
    keep = np.flatnonzero(nonempty)
    if len(keep) < 2:
        return []
    sigs = sigs[keep]
    bands, rows = lsh_params(threshold, num_perm)
    found = np.unique(np.concatenate(
        [_equal_rows(sigs[:, band * rows : (band + 1) * rows]) for band in range(bands)]))
    first, second = np.divmod(found, len(keep))
    ids = np.asarray(report_ids, dtype=object)[keep]
    pairs = {(min(a, b), max(a, b)) for a, b in zip(ids[first].tolist(), ids[second].tolist())}
    return sorted(pairs)


def _equal_rows(values: np.ndarray) -> np.ndarray:
    """Every pair of rows of ``values`` (``uint64``) equal in all columns, as keys ``i * n + j`` (``i < j``).

    Rows are sorted by a hash of the row, so that equal ones are adjacent
    (by the values themselves if two different rows share a hash); each
    group of ``g`` equal rows gives its ``g (g - 1) / 2`` pairs at once.
    """
    n = len(values)
    key = np.zeros(n, dtype=_U64)
    with np.errstate(over="ignore"):
        for column in values.T:
            key = _mix64(key * _SHINGLE_MULT + column)
    order = np.argsort(key, kind="stable")
    ordered, ordered_key = values[order], key[order]
    same = (ordered[1:] == ordered[:-1]).all(axis=1)
    if (~same & (ordered_key[1:] == ordered_key[:-1])).any():  # a collision could split a group: sort by value
        order = np.lexsort(values.T)
        ordered = values[order]
        same = (ordered[1:] == ordered[:-1]).all(axis=1)
    new = np.ones(n, dtype=bool)
    new[1:] = ~same
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    starts, sizes = starts[sizes > 1], sizes[sizes > 1]
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    # the k-th member of a group (0-based) pairs with the members after it
    members = np.repeat(starts, sizes) + _ranks(sizes)
    after = np.repeat(sizes, sizes) - 1 - _ranks(sizes)
    left = np.repeat(members, after)
    right = left + 1 + _ranks(after)
    a, b = order[left], order[right]
    return np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)
