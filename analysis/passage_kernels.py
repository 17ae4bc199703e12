"""Compiled joins of two reports' sorted hash tables, for ``passages`` (numba, cached on disk after the first compile).

A table is two arrays: ids sorted increasing, and the sentence of each entry.
Joining two tables pairs every entry of one with every entry of the other
that has the same id; the result is counted per sentence pair (key
``ia * n_b + ib``). A mask of sentences (a boolean array; empty for all of
them) skips the entries of sentences left out. One merge walk over both
tables replaces a dozen numpy calls, each of which cost more to start than
the walk itself on tables of a few hundred entries.
"""
import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def _runs(a_ids, b_ids, i, j):
    """Ends of the runs of equal ids that start at ``a_ids[i]`` and ``b_ids[j]`` (both the same id)."""
    x = a_ids[i]
    i2 = i + 1
    while i2 < a_ids.shape[0] and a_ids[i2] == x:
        i2 += 1
    j2 = j + 1
    while j2 < b_ids.shape[0] and b_ids[j2] == x:
        j2 += 1
    return i2, j2


_COUNT, _KEYS, _PER_KEY = 0, 1, 2


@numba.njit(nogil=True, cache=True)
def _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, out, mode):
    """Merge walk of two tables: counts the joined entries (``_COUNT``), writes their keys into ``out``
    (``_KEYS``) or adds one to ``out[key]`` for each (``_PER_KEY``). Returns how many entries joined."""
    all_a, all_b = a_mask.shape[0] == 0, b_mask.shape[0] == 0
    total = 0
    i = j = 0
    while i < a_ids.shape[0] and j < b_ids.shape[0]:
        if a_ids[i] < b_ids[j]:
            i += 1
        elif a_ids[i] > b_ids[j]:
            j += 1
        else:
            i2, j2 = _runs(a_ids, b_ids, i, j)
            for p in range(i, i2):
                ra = a_rows[p]
                if all_a or a_mask[ra]:
                    for q in range(j, j2):
                        rb = b_rows[q]
                        if all_b or b_mask[rb]:
                            if mode == _KEYS:
                                out[total] = ra * n_b + rb
                            elif mode == _PER_KEY:
                                out[ra * n_b + rb] += 1
                            total += 1
            i, j = i2, j2
    return total


@numba.njit(nogil=True, cache=True)
def join_keys(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b):
    """Keys ``ia * n_b + ib`` of every (a entry, b entry) with the same id, in a's order, then b's."""
    size = _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, np.empty(0, dtype=np.int64), _COUNT)
    out = np.empty(size, dtype=np.int64)
    _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, out, _KEYS)
    return out


@numba.njit(nogil=True, cache=True)
def join_counts(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, n_pairs):
    """How many (a entry, b entry) pairs with the same id each key ``ia * n_b + ib`` below ``n_pairs`` has."""
    counts = np.zeros(n_pairs, dtype=np.int64)
    _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, counts, _PER_KEY)
    return counts

