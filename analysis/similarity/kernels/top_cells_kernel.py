"""Compiled loops of ``cosine_top_cells.top_cells`` (numba, no GIL, cached on disk after the first compile)."""
import numba
import numpy as np


@numba.njit(nogil=True, cache=True, inline="always")
def _worse(v1, j1, v2, j2):
    """Whether cell (v1, j1) ranks below (v2, j2): a smaller value, or the same value and a larger column."""
    return v1 < v2 or (v1 == v2 and j1 > j2)


@numba.njit(nogil=True, cache=True, inline="always")
def push(vals, idx, count, worst, row, v, j, keep):
    # Bounded min-heap of one row: the root is its worst kept cell.
    c = count[row]
    if c < keep:  # room left: sift the new cell up
        p = c
        count[row] = c + 1
        while p > 0:
            parent = (p - 1) >> 1
            if _worse(vals[row, parent], idx[row, parent], v, j):
                break
            vals[row, p], idx[row, p] = vals[row, parent], idx[row, parent]
            p = parent
        vals[row, p], idx[row, p] = v, j
        if c + 1 == keep:
            worst[row] = vals[row, 0]
        return
    if not _worse(vals[row, 0], idx[row, 0], v, j):  # no better than the worst kept
        return
    p = 0  # full: the new cell replaces the root and sifts down
    while True:
        m = 2 * p + 1
        if m >= keep:
            break
        if m + 1 < keep and _worse(vals[row, m + 1], idx[row, m + 1], vals[row, m], idx[row, m]):
            m += 1
        if not _worse(vals[row, m], idx[row, m], v, j):
            break
        vals[row, p], idx[row, p] = vals[row, m], idx[row, m]
        p = m
    vals[row, p], idx[row, p] = v, j
    worst[row] = vals[row, 0]


@numba.njit(nogil=True, cache=True)
def rows_kernel(start, stop, step, base, block, acc, indptr, indices, data, pos, term_end, post_row, post_val,
                keep, vals, idx, count, worst):
    # block[i - base, j - base] holds the dense terms' part of cell (i, j) for j >= base, in float32; the rare
    # terms are added to it in float64, in acc (this thread's row).
    n = worst.shape[0]
    for i in range(start, stop, step):
        dense = block[i - base]
        for j in range(i + 1 - base, n - base):
            acc[j] = dense[j]
        for p in range(indptr[i], indptr[i + 1]):
            if pos[p] < 0:  # a dense term: already in the block
                continue
            w = data[p]
            for q in range(pos[p] + 1, term_end[indices[p]]):  # the reports after i that share this term
                acc[post_row[q] - base] += w * post_val[q]
        for j in range(i + 1, n):
            v = acc[j - base]
            if v > 0.0:
                # worst is 0 until a heap is full, so the common case is two comparisons; a tie with the
                # worst kept cell goes in when its column is lower, so the result does not depend on the order
                if v >= worst[j]:
                    push(vals, idx, count, worst, j, v, i, keep)
                if v >= worst[i]:
                    push(vals, idx, count, worst, i, v, j, keep)


@numba.njit(nogil=True, cache=True)
def postings(indptr, indices, data, rare, term_end, pos, post_row, post_val):
    # Counting sort of the rare terms' entries into their posting lists, rows in order; pos[p] = -1 for the others.
    slot = np.zeros(term_end.shape[0], dtype=np.int64)
    for t in range(1, term_end.shape[0]):
        slot[t] = term_end[t - 1]
    for i in range(indptr.shape[0] - 1):
        for p in range(indptr[i], indptr[i + 1]):
            t = indices[p]
            if rare[t]:
                q = slot[t]
                slot[t] = q + 1
                pos[p] = q
                post_row[q] = i
                post_val[q] = data[p]
            else:
                pos[p] = -1


@numba.njit(nogil=True, cache=True)
def exact_cells(indptr, indices, data, rows, cols, out, scratch):
    # out[c] = the float64 dot product of rows rows[c] and cols[c] of a CSR matrix; rows come in runs: each row is
    # spread once over scratch (zeros, one slot per term, left as zeros) and read by each of its cells
    c, m = 0, rows.shape[0]
    while c < m:
        r = rows[c]
        for p in range(indptr[r], indptr[r + 1]):
            scratch[indices[p]] = data[p]
        while c < m and rows[c] == r:
            j = cols[c]
            total = 0.0
            for q in range(indptr[j], indptr[j + 1]):
                total += scratch[indices[q]] * data[q]
            out[c] = total
            c += 1
        for p in range(indptr[r], indptr[r + 1]):
            scratch[indices[p]] = 0.0
