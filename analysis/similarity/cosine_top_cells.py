"""Each row's best cells of ``X @ X.T`` for a sparse, row-normalised TF-IDF matrix, without the n x n product.

``top_cells`` is the kernel under ``similarity.top_k_sparse``. It computes
every pair once, not twice as a general sparse product does, and splits the
vocabulary in two:

* terms in at least ``dense_share`` of the reports (a few hundred words such
  as "said" or "president", which make most of a sparse product's work)
  go into a dense ``n x F`` matrix, and each block of rows is multiplied by
  the rows after it with BLAS in float32, at the processor's full speed
  (twice float64's);
* the other terms are added, in float64, to each row of that block from the
  inverted index (each report's entry knows its place in its term's posting
  list, so a row reads only the reports after it, with no search).

A compiled loop (numba, no GIL) then scans each row of the block once and
offers each cell to both reports' bounded heaps, in one thread per core. The
heaps hold ``SLACK_CELLS`` more cells than asked for; the held cells are
recomputed in float64, and float32's error bound (``_float32_error``) proves
for each row that no dropped cell can beat its kept ones, or the row is
recomputed in float64 (1 row of 37,554 on allsides).
"""
from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from analysis.progress import progress_bar
from analysis.similarity.pair_tables import _ranks

#: Terms found in at least this share of the reports are multiplied densely (measured on allsides: 0.1 beat 0.05 and 0.2).
DENSE_SHARE = 0.1
#: Rows whose cells are computed together: the block is ``BLOCK_ROWS x n`` float32 (400 MB for 100k reports).
#: BLAS multiplies 512 rows by 100,000 at 131 GFLOPS, 128 at 88 (2 cores); top_cells of 100k reports took
#: 69.7-78.1 s in blocks of 1,024 rows against 76.1-85.8 s in blocks of 512 (2,048: 68.2 s).
BLOCK_ROWS = 1024
#: Cells held per row beyond those asked for, so that float32 rounding rarely leaves the last one in doubt.
SLACK_CELLS = 2
#: Compute in a forked process where ``fork`` exists (tests of the arithmetic turn it off: a fork loads numba anew).
IN_FORKED_PROCESS = True


def _postings(X: sparse.csr_matrix, rare: np.ndarray,
              frequency: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The inverted index of the ``rare`` terms of ``X`` (CSR, sorted indices) and where each entry sits in it.

    ``frequency`` is each term's number of entries in ``X``.

    Returns ``(pos, term_end, post_row, post_val)``: entry ``p`` of ``X``
    (row i, term t) is posting ``pos[p]`` of t (-1 if t is not rare), whose
    postings end at ``term_end[t]``; ``post_row`` / ``post_val`` are the
    postings (reports in increasing order, weights), term by term. A counting
    sort in one pass: no copy of the matrix, no argsort.
    """
    from analysis.similarity.kernels.top_cells_kernel import postings

    term_end = np.cumsum(frequency * rare).astype(np.int64)
    total = int(term_end[-1]) if len(term_end) else 0
    pos = np.empty(X.nnz, dtype=np.int32 if total < np.iinfo(np.int32).max else np.int64)
    post_row, post_val = np.empty(total, dtype=np.int32), np.empty(total, dtype=np.float64)
    postings(X.indptr.astype(np.int64), X.indices, X.data, rare, term_end, pos, post_row, post_val)
    return pos, term_end, post_row, post_val


def top_cells(X: sparse.spmatrix, keep: int, threads: int = 1, dense_share: float = DENSE_SHARE,
              block_rows: int = BLOCK_ROWS, desc: str | None = "top-k neighbours") -> sparse.csr_matrix:
    """Each row's ``keep`` largest positive off-diagonal cells of ``X @ X.T``, as a CSR matrix.

    Accepts a sparse ``n x terms`` matrix with non-negative weights. Returns an
    ``n x n`` CSR matrix whose row i holds at most ``keep`` cells ``(i, j)``,
    ``j != i``: its best cells by value (largest first), equal values by the
    lower column. Values are float64 and differ from a sparse product's by
    float rounding only (another summation order), so
    two cells that are equal in exact arithmetic may differ in the last bit:
    a caller that ranks by rounded values must check rows whose last kept
    cell is within rounding of a cell it needs (``top_k_sparse`` does).
    ``threads`` threads scan the rows; ``desc`` names the progress bar
    (``None``: no bar).

    Where ``fork`` exists the work runs in a forked process, so that numba,
    the dense blocks and the inverted index leave with it: the parent later
    forks the alignment workers, and what it holds would count again in each.
    """
    X = sparse.csr_matrix(X, dtype=np.float64)
    X.sort_indices()
    n = X.shape[0]
    keep = max(0, min(int(keep), n - 1))
    threads = max(1, int(threads))
    if keep == 0:
        return sparse.csr_matrix((n, n), dtype=np.float64)
    bar = progress_bar(n, desc or "", disable=True if desc is None else None)
    try:
        if not IN_FORKED_PROCESS or "fork" not in multiprocessing.get_all_start_methods():
            return _compute(X, keep, threads, dense_share, block_rows, bar.update)
        return _in_forked_process(X, keep, threads, dense_share, block_rows, bar.update)
    finally:
        bar.close()


def _in_forked_process(X, keep, threads, dense_share, block_rows, advance) -> sparse.csr_matrix:
    """``_compute`` in a forked child, which reports its progress and sends back the result through a pipe."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child():
        gc.disable()  # a collection would write to every object the parent holds, copying their pages
        try:
            cells = _compute(X, keep, threads, dense_share, block_rows, lambda rows: send.send(("rows", rows)))
            send.send(("cells", (cells.data, cells.indices, cells.indptr)))
        except BaseException as error:  # the parent raises it
            send.send(("error", f"{type(error).__name__}: {error}"))
        finally:
            send.close()

    process = context.Process(target=child, name="top-k neighbours", daemon=True)
    process.start()
    send.close()
    finished = False
    try:
        while True:
            try:
                kind, value = receive.recv()
            except EOFError:
                process.join()
                raise RuntimeError(f"the top-k process ended without a result (exit code {process.exitcode}; "
                                   "killed for lack of memory?)") from None
            if kind == "rows":
                advance(value)
            elif kind == "error":
                raise RuntimeError(f"top-k neighbours failed in their process: {value}")
            else:
                finished = True
                n = X.shape[0]
                return sparse.csr_matrix(value, shape=(n, n))
    finally:
        receive.close()
        if not finished and process.is_alive():  # the parent gave up (an interrupt): stop the child's work
            process.terminate()
        process.join()


def _compute(X: sparse.csr_matrix, keep: int, threads: int, dense_share: float, block_rows: int,
             advance) -> sparse.csr_matrix:
    """``top_cells`` in this process (``X`` CSR with sorted indices, ``0 < keep < n``); ``advance(rows)`` after each block."""
    from analysis.similarity.kernels.top_cells_kernel import rows_kernel

    n = X.shape[0]
    frequency = np.bincount(X.indices, minlength=X.shape[1])
    dense = frequency >= max(2.0, dense_share * n)
    frequent = X[:, np.flatnonzero(dense)]
    D = np.ascontiguousarray(frequent.astype(np.float32).toarray())
    # what float32 may be off by in a cell (i, j): see _float32_error
    error = _float32_error(D.shape[1], np.sqrt(np.asarray(frequent.multiply(frequent).sum(axis=1)).ravel()))
    del frequent
    pos, term_end, post_row, post_val = _postings(X, ~dense, frequency)
    indptr = X.indptr.astype(np.int64)
    held = min(n - 1, keep + SLACK_CELLS)
    heaps = [(np.zeros((n, held)), np.zeros((n, held), dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n))
             for _ in range(threads)]
    rows = [np.empty(n) for _ in range(threads)]
    # every block is written into the first one's memory: a new 50-200 MB array each time cost page faults
    # that made BLAS a third slower (100k reports)
    space = np.empty(min(block_rows, n) * n, dtype=np.float32)
    with ThreadPoolExecutor(threads) as pool:
        for base in range(0, n, block_rows):
            stop = min(n, base + block_rows)
            block = space[: (stop - base) * (n - base)].reshape(stop - base, n - base)
            np.matmul(D[base:stop], D[base:].T, out=block)
            jobs = [pool.submit(rows_kernel, base + t, stop, threads, base, block, rows[t], indptr, X.indices, X.data,
                                pos, term_end, post_row, post_val, held, *heaps[t]) for t in range(threads)]
            for job in jobs:
                job.result()
            advance(stop - base)
    del D, pos, post_row, post_val
    return _exact(X, *_merge(heaps, n, held), held, error, keep, threads)


def _float32_error(terms: int, norms: np.ndarray) -> np.ndarray:
    """Per row i, a bound on how far the float32 dense part of any cell (i, j) is from its float64 value.

    The dense part is a dot product of ``terms`` entries rounded to float32
    (unit roundoff u = 2**-24), summed in float32 in any order: its error is
    at most gamma(terms) |D_i| |D_j| (Higham, *Accuracy and Stability of
    Numerical Algorithms*, 3.1: gamma(m) = m u / (1 - m u)) plus 2u + u**2
    times the same for rounding both operands, so within gamma(terms + 3)
    |D_i| |D_j|; |D_j| is at most the largest norm. 1e-11 more covers the
    float64 rounding of the rare terms' sum and of the recomputed values.
    """
    u = 2.0 ** -24
    largest = float(norms.max(initial=0.0))
    return (terms + 3) * u / (1 - (terms + 3) * u) * norms * largest + 1e-11


def _exact(X: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray, approx: np.ndarray, held: int,
           error: np.ndarray, keep: int, threads: int) -> sparse.csr_matrix:
    """Each row's ``keep`` best cells with their float64 values: proven from the held cells, or recomputed.

    ``rows, cols, approx`` are each row's best cells by the float32 dense part
    (rows in order, at most ``held`` per row, what the heaps held). A full row dropped
    only cells no larger than its smallest held approximate value, so none of
    them exceeds that value plus ``error[row]``: where the ``keep``-th best
    held cell by float64 value is above that, the best ``keep`` held cells are
    the row's best. Other full rows (ties, or cells within rounding of each
    other) are recomputed from ``X`` in float64.
    """
    n = X.shape[0]
    values = dot_products(X, rows, cols, threads)
    sizes = np.bincount(rows, minlength=n)
    order = np.lexsort((cols, -values, rows))  # best first by float64 value
    rows, cols, values, approx = rows[order], cols[order], values[order], approx[order]
    rank = _ranks(sizes)
    redo = np.array([], dtype=np.int64)
    if held > keep:  # a row that held fewer cells than that holds every positive cell; held == keep == n - 1: all
        full = sizes == held
        floor = np.full(n, np.inf)
        present = np.flatnonzero(sizes)
        floor[present] = np.minimum.reduceat(approx, np.cumsum(sizes)[present] - sizes[present])
        kth = np.full(n, -np.inf)
        at_k = rank == keep - 1
        kth[rows[at_k]] = values[at_k]
        redo = np.flatnonzero(full & (kth <= floor + error))
    again = np.zeros(n, dtype=bool)
    again[redo] = True
    kept = (rank < keep) & ~again[rows]
    rows, cols, values = rows[kept], cols[kept], values[kept]
    if len(redo):
        rows, cols, values = (np.concatenate(pair) for pair in zip((rows, cols, values), _recompute_rows(X, redo, keep)))
        order = np.lexsort((cols, -values, rows))
        rows, cols, values = rows[order], cols[order], values[order]
    new_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=new_indptr[1:])
    return sparse.csr_matrix((values, cols, new_indptr), shape=(n, n))


def dot_products(X: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray, threads: int = 1) -> np.ndarray:
    """The float64 dot product of rows ``rows[c]`` and ``cols[c]`` of ``X`` (CSR) for each ``c``, on ``threads``
    threads: each product sums in the order of row ``cols[c]``'s entries, as ``X[rows].multiply(X[cols]).sum(1)``
    does when ``X``'s indices are sorted, without copying any row."""
    from analysis.similarity.kernels.top_cells_kernel import exact_cells

    order = np.argsort(rows, kind="stable")  # each row is spread once for all its pairs
    by_row, found = rows[order].astype(np.int64), np.empty(len(rows))
    other = cols[order].astype(np.int64)
    indptr = X.indptr.astype(np.int64)
    parts = np.linspace(0, len(rows), threads + 1).astype(np.int64)
    with ThreadPoolExecutor(threads) as pool:
        for job in [pool.submit(exact_cells, indptr, X.indices, X.data, by_row[a:b], other[a:b], found[a:b],
                                np.zeros(X.shape[1])) for a, b in zip(parts[:-1], parts[1:])]:
            job.result()
    values = np.empty(len(rows))
    values[order] = found
    return values


def _recompute_rows(X: sparse.csr_matrix, redo: np.ndarray, keep: int):
    """Each of the rows ``redo``'s ``keep`` best positive off-diagonal cells of ``X @ X.T`` in float64 (ties by column)."""
    n = X.shape[0]
    out_rows, out_cols, out_vals = [], [], []
    for start in range(0, len(redo), 64):
        chunk = redo[start:start + 64]
        sims = (X @ X[chunk].T).toarray().T  # n x 64 floats at most; no transposed copy of X
        sims[np.arange(len(chunk)), chunk] = 0.0
        for r, row in zip(chunk, sims):
            kth = np.partition(row, n - keep)[n - keep]
            candidates = np.flatnonzero((row >= kth) & (row > 0.0))
            best = candidates[np.lexsort((candidates, -row[candidates]))[:keep]]
            out_rows.append(np.full(len(best), r, dtype=np.int64))
            out_cols.append(best.astype(np.int64))
            out_vals.append(row[best])
    return np.concatenate(out_rows), np.concatenate(out_cols), np.concatenate(out_vals)


def _merge(heaps, n: int, keep: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``keep`` best cells over the threads' heaps, as (rows, columns, values): rows in order, best first."""
    rows, cols, vals = [], [], []
    for v, j, count, _ in heaps:
        filled = np.arange(keep)[None, :] < count[:, None]
        rows.append(np.nonzero(filled)[0])
        cols.append(j[filled])
        vals.append(v[filled])
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    kept = _ranks(np.bincount(rows, minlength=n)) < keep
    return rows[kept], cols[kept], vals[kept]
