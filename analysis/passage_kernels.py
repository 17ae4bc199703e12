"""Compiled candidate filter of ``passages._matches`` (numba, cached on disk after the first compile).

On a pair of reports of a few hundred sentences, the numpy version of the
filter made about ninety small array calls, each costing more to start than
its work: 0.42 ms of the 0.52 ms a pair of allsides took. Here each step is
one merge walk over two reports' sorted hash tables (``passages._Prepared``).

Keys are sentence pairs ``ia * n_b + ib``. Both functions return exactly what
the numpy steps they replace return (the tests compare them on random reports
and on fixtures): they decide only which sentence pairs difflib scores.
"""
import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def _join_keys(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b):
    """Keys of every (a entry, b entry) with the same id whose sentences both masks keep, sorted.

    A mask is a boolean array per sentence; an empty one keeps every sentence.
    Two passes over the tables, the first counting, so that nothing grows.
    """
    all_a, all_b = a_mask.shape[0] == 0, b_mask.shape[0] == 0
    out = np.empty(0, dtype=np.int64)
    for fill in range(2):
        total = 0
        i = j = 0
        while i < a_ids.shape[0] and j < b_ids.shape[0]:
            x, y = a_ids[i], b_ids[j]
            if x < y:
                i += 1
            elif x > y:
                j += 1
            else:
                i2 = i + 1
                while i2 < a_ids.shape[0] and a_ids[i2] == x:
                    i2 += 1
                j2 = j + 1
                while j2 < b_ids.shape[0] and b_ids[j2] == x:
                    j2 += 1
                for p in range(i, i2):
                    ra = a_rows[p]
                    if all_a or a_mask[ra]:
                        for q in range(j, j2):
                            rb = b_rows[q]
                            if all_b or b_mask[rb]:
                                if fill:
                                    out[total] = ra * n_b + rb
                                total += 1
                i, j = i2, j2
        if not fill:
            out = np.empty(total, dtype=np.int64)
    out.sort()
    return out


#: Sentence pairs up to which a pair of reports counts shared entries in an array with a place for every
#: sentence pair rather than by sorting the joined keys (the numpy filter's ``_DENSE_PAIRS``); read at each
#: call, so that tests can take the other way
DENSE_PAIRS = 1 << 16


@numba.njit(nogil=True, cache=True)
def _join_counts(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, n_pairs):
    """How many (a entry, b entry) with the same id each sentence pair has (index ``ia * n_b + ib``, ``n_pairs``
    places), counting only sentences both masks keep (an empty mask keeps every sentence)."""
    counts = np.zeros(n_pairs, dtype=np.int64)
    all_a, all_b = a_mask.shape[0] == 0, b_mask.shape[0] == 0
    i = j = 0
    while i < a_ids.shape[0] and j < b_ids.shape[0]:
        x, y = a_ids[i], b_ids[j]
        if x < y:
            i += 1
        elif x > y:
            j += 1
        else:
            i2 = i + 1
            while i2 < a_ids.shape[0] and a_ids[i2] == x:
                i2 += 1
            j2 = j + 1
            while j2 < b_ids.shape[0] and b_ids[j2] == x:
                j2 += 1
            for p in range(i, i2):
                ra = a_rows[p]
                if all_a or a_mask[ra]:
                    for q in range(j, j2):
                        rb = b_rows[q]
                        if all_b or b_mask[rb]:
                            counts[ra * n_b + rb] += 1
            i, j = i2, j2
    return counts


@numba.njit(nogil=True, cache=True)
def _counts_at(joined, at):
    """How many times each of ``at`` (sorted) occurs in ``joined`` (sorted): one merge walk."""
    counts = np.zeros(at.shape[0], dtype=np.int64)
    j = 0
    for i in range(at.shape[0]):
        key = at[i]
        while j < joined.shape[0] and joined[j] < key:
            j += 1
        k = j
        while k < joined.shape[0] and joined[k] == key:
            k += 1
        counts[i] = k - j
        j = k
    return counts


@numba.njit(nogil=True, cache=True)
def bigram_candidates(a_ids, a_rows, a_hash, a_single, b_ids, b_rows, b_hash, b_single, n_b, dense_pairs):
    """``(keys, identical, maybe_locked)``: the sentence pairs sharing at least two distinct bigrams (sorted keys),
    whether each pair's sentence hashes are equal, and whether each is also a sentence found once in each report.

    ``*_ids, *_rows``: each report's bigram table; ``*_hash``: each sentence's
    hash of its words; ``*_single``: whether a sentence's words occur once in
    its report. Up to ``dense_pairs`` sentence pairs, shared bigrams are counted in an array; past that, by
    sorting the joined keys.
    """
    none = np.empty(0, dtype=np.bool_)
    n_pairs = a_hash.shape[0] * n_b
    if n_pairs <= dense_pairs:
        counts = _join_counts(a_ids, a_rows, none, b_ids, b_rows, none, n_b, n_pairs)
        joined = np.empty(n_pairs, dtype=np.int64)
        count = 0
        for key in range(n_pairs):
            if counts[key] >= 2:
                joined[count] = key
                count += 1
    else:
        joined = _join_keys(a_ids, a_rows, none, b_ids, b_rows, none, n_b)
        count = 0
        i = 0
        while i < joined.shape[0]:  # runs of equal keys: a key in two or more runs' worth of bigrams is kept
            k = i + 1
            while k < joined.shape[0] and joined[k] == joined[i]:
                k += 1
            if k - i >= 2:
                joined[count] = joined[i]
                count += 1
            i = k
    keys = joined[:count].copy()
    identical = np.empty(count, dtype=np.bool_)
    maybe = np.empty(count, dtype=np.bool_)
    for t in range(count):
        ia, ib = keys[t] // n_b, keys[t] % n_b
        identical[t] = a_hash[ia] == b_hash[ib]
        maybe[t] = identical[t] and a_single[ia] and b_single[ib]
    return keys, identical, maybe


@numba.njit(nogil=True, cache=True)
def keep_candidates(keys, identical, lock_a, lock_b, n_a, n_b, a_lengths, b_lengths,
                    a_tokens, a_token_rows, a_common, b_tokens, b_token_rows, b_common,
                    a_grams, a_gram_rows, b_grams, b_gram_rows, min_copy, test_grams, dense_pairs):
    """Which of ``keys`` difflib must score: those no locked copy claims, and of them, unless identical, those
    whose shared words (with multiplicity) bound the ratio at ``min_copy`` or more, or that share an ``n``-gram.

    ``lock_a`` / ``lock_b``: the sentence each sentence is locked to (-1:
    none; empty arrays: no lock at all). ``*_tokens, *_token_rows``: the
    token tables; ``*_common``: per-sentence counts of the commonest words;
    ``*_grams, *_gram_rows``: the ``n``-gram tables. With ``test_grams`` false
    (``phrase_min_words`` below 2) only the locks filter, as in the numpy code. ``dense_pairs``: as in
    ``bigram_candidates``.
    """
    m = keys.shape[0]
    keep = np.ones(m, dtype=np.bool_)
    locks = lock_a.shape[0] > 0
    tested = 0
    for t in range(m):
        ia, ib = keys[t] // n_b, keys[t] % n_b
        if locks:
            la, lb = lock_a[ia], lock_b[ib]
            keep[t] = (la < 0 or la == ib) and (lb < 0 or lb == ia) and la != ib
        if keep[t] and not identical[t]:
            tested += 1
    if not test_grams or tested == 0:
        return keep
    sub = np.empty(tested, dtype=np.int64)
    where = np.empty(tested, dtype=np.int64)
    in_a = np.zeros(n_a, dtype=np.bool_)
    in_b = np.zeros(n_b, dtype=np.bool_)
    s = 0
    for t in range(m):
        if keep[t] and not identical[t]:
            sub[s], where[s] = keys[t], t
            in_a[keys[t] // n_b] = True
            in_b[keys[t] % n_b] = True
            s += 1
    n_pairs = n_a * n_b
    if n_pairs <= dense_pairs:
        shared = _join_counts(a_tokens, a_token_rows, in_a, b_tokens, b_token_rows, in_b, n_b, n_pairs)[sub]
        grams = _join_counts(a_grams, a_gram_rows, in_a, b_grams, b_gram_rows, in_b, n_b, n_pairs)[sub]
    else:
        shared = _counts_at(_join_keys(a_tokens, a_token_rows, in_a, b_tokens, b_token_rows, in_b, n_b), sub)
        grams = _counts_at(_join_keys(a_grams, a_gram_rows, in_a, b_grams, b_gram_rows, in_b, n_b), sub)
    for s in range(tested):
        ia, ib = sub[s] // n_b, sub[s] % n_b
        words = shared[s]
        for c in range(a_common.shape[1]):
            words += min(a_common[ia, c], b_common[ib, c])
        bound_ok = 2.0 * words / (a_lengths[ia] + b_lengths[ib]) >= min_copy
        keep[where[s]] = bound_ok or grams[s] > 0
    return keep
