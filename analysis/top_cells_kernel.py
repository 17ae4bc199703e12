"""Compiled loops of ``cosine_top_cells.top_cells`` (numba, no GIL, cached on disk after the first compile)."""
import numba


@numba.njit(nogil=True, cache=True, inline="always")
def push(vals, idx, count, worst, row, v, j, keep):
    # Bounded min-heap of one row: the root is the worst kept cell (smallest value, then largest column).
    c = count[row]
    if c < keep:
        p = c
        count[row] = c + 1
        while p > 0:
            parent = (p - 1) >> 1
            pv = vals[row, parent]
            if pv < v or (pv == v and idx[row, parent] > j):  # the parent is worse: in place
                break
            vals[row, p] = pv
            idx[row, p] = idx[row, parent]
            p = parent
        vals[row, p] = v
        idx[row, p] = j
        if c + 1 == keep:
            worst[row] = vals[row, 0]
        return
    if v < vals[row, 0] or (v == vals[row, 0] and j > idx[row, 0]):  # no better than the worst kept
        return
    p = 0
    while True:
        m = 2 * p + 1
        if m >= keep:
            break
        r = m + 1
        if r < keep and (vals[row, r] < vals[row, m] or (vals[row, r] == vals[row, m] and idx[row, r] > idx[row, m])):
            m = r
        mv = vals[row, m]
        if mv > v or (mv == v and idx[row, m] < j):
            break
        vals[row, p] = mv
        idx[row, p] = idx[row, m]
        p = m
    vals[row, p] = v
    idx[row, p] = j
    worst[row] = vals[row, 0]


@numba.njit(nogil=True, cache=True)
def rows_kernel(start, stop, step, base, block, indptr, indices, data, pos, term_end, post_row, post_val,
                keep, vals, idx, count, worst):
    # block[i - base, j - base] holds the dense terms' part of cell (i, j) for j >= base.
    n = worst.shape[0]
    for i in range(start, stop, step):
        acc = block[i - base]
        for p in range(indptr[i], indptr[i + 1]):
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
