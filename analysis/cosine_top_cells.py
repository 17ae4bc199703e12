"""Each row's best cells of ``X @ X.T`` for a sparse, row-normalised TF-IDF matrix, without the n x n product.

``top_cells`` is the kernel under ``similarity.top_k_sparse``. It computes
every pair once, not twice as a general sparse product does, and splits the
vocabulary in two:

* terms in at least ``dense_share`` of the reports (a few hundred words such
  as "said" or "president", which make most of a sparse product's work)
  go into a dense ``n x F`` matrix, and each block of rows is multiplied by
  the rows after it with BLAS, at the processor's full speed;
* the other terms are added into that block from the inverted index (each
  report's entry knows its place in its term's posting list, so a row reads
  only the reports after it, with no search).

A compiled loop (numba, no GIL) then scans each row of the block once and
offers each cell to both reports' bounded heaps, in one thread per core.
"""
from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from .progress import progress_bar
from .similarity import _ranks

#: Terms found in at least this share of the reports are multiplied densely (measured on allsides: 0.1 beat 0.05 and 0.2).
DENSE_SHARE = 0.1
#: Rows whose cells are computed together: the block is ``BLOCK_ROWS x n`` floats.
BLOCK_ROWS = 128
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
    from .top_cells_kernel import postings

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
    lower column, whichever thread met them first. Values differ from a
    sparse product's by float rounding only (another summation order), so
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
    from .top_cells_kernel import rows_kernel  # imports numba: only on this path

    n = X.shape[0]
    frequency = np.bincount(X.indices, minlength=X.shape[1])
    dense = frequency >= max(2.0, dense_share * n)
    D = np.ascontiguousarray(X[:, np.flatnonzero(dense)].toarray())
    pos, term_end, post_row, post_val = _postings(X, ~dense, frequency)
    indptr = X.indptr.astype(np.int64)
    heaps = [(np.zeros((n, keep)), np.zeros((n, keep), dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n))
             for _ in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        for base in range(0, n, block_rows):
            stop = min(n, base + block_rows)
            block = np.ascontiguousarray(D[base:stop] @ D[base:].T)
            jobs = [pool.submit(rows_kernel, base + t, stop, threads, base, block, indptr, X.indices, X.data, pos,
                                term_end, post_row, post_val, keep, *heaps[t]) for t in range(threads)]
            for job in jobs:
                job.result()
            advance(stop - base)
    return _merge(heaps, n, keep)


def _merge(heaps, n: int, keep: int) -> sparse.csr_matrix:
    """One CSR matrix of each row's ``keep`` best cells over the threads' heaps, best first, ties by column."""
    rows, cols, vals = [], [], []
    for v, j, count, _ in heaps:
        filled = np.arange(keep)[None, :] < count[:, None]
        rows.append(np.nonzero(filled)[0])
        cols.append(j[filled])
        vals.append(v[filled])
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    sizes = np.bincount(rows, minlength=n)
    kept = _ranks(sizes) < keep
    cols, vals = cols[kept], vals[kept]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.minimum(sizes, keep), out=indptr[1:])
    return sparse.csr_matrix((vals, cols, indptr), shape=(n, n))
