"""Which report pairs to compare: every pair for small corpora, else exact top-k neighbours plus MinHash near-duplicate candidates."""
from __future__ import annotations

from typing import Iterable, Sequence
import numpy as np
import pandas as pd
from scipy import sparse

from analysis.similarity.minhash import near_duplicate_candidates
from analysis.similarity.pair_tables import PAIR_COLUMNS, _pairs_frame, _ranks, sort_pairs
from analysis.similarity.term_extraction import n_workers
from analysis.similarity.tfidf import TfidfVectors, cosine_matrix


def all_pairs(vectors: TfidfVectors) -> pd.DataFrame:
    """Every unordered pair with its cosine: the dense path for small corpora."""
    ids = vectors.report_ids
    n = len(ids)
    if n < 2:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "cosine" else "str") for c in PAIR_COLUMNS})
    sims = cosine_matrix(vectors)
    ia, ib = np.triu_indices(n, k=1)
    return _pairs_frame(ids, ia, ib, sims[ia, ib])


def _top_k_rows(sims: np.ndarray, row_offset: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k columns of each row of ``sims`` (self and zero similarity excluded).

    Ties (equal to 9 decimals) are broken by the lower column index, so the
    result does not depend on how rows are blocked. ``sims`` is left unchanged. Returns (rows, columns) index arrays of the kept cells,
    rows shifted by ``row_offset``.
    """
    n_rows, n_cols = sims.shape
    k = min(k, n_cols - 1)
    if k <= 0 or n_rows == 0:
        return np.array([], dtype=int), np.array([], dtype=int)
    diag = (np.arange(n_rows), np.arange(n_rows) + row_offset)
    saved = sims[diag].copy()
    sims[diag] = -np.inf
    # k-th largest value of each row in O(n); every cell within float noise of it is a
    # candidate, so ties are all seen and broken below the same way on every path.
    kth = np.partition(sims, n_cols - k, axis=1)[:, n_cols - k]
    rows, cols = np.nonzero((sims >= kth[:, None] - 1e-9) & (sims > 1e-12))
    vals = np.round(sims[rows, cols], 9)
    sims[diag] = saved
    order = np.lexsort((cols, -vals, rows))
    rows, cols = rows[order], cols[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    keep = _ranks(np.diff(np.r_[starts, len(rows)])) < k
    return rows[keep] + row_offset, cols[keep]


def top_k_dense(vectors: TfidfVectors, k: int) -> pd.DataFrame:
    """Each report's ``k`` nearest neighbours taken from the full dense matrix (reference path)."""
    sims = cosine_matrix(vectors)
    rows, cols = _top_k_rows(sims, 0, k)
    return _pairs_frame(vectors.report_ids, rows, cols, sims[rows, cols])


def top_k_blocked(vectors: TfidfVectors, k: int, block_size: int = 1000) -> pd.DataFrame:
    """Each report's ``k`` nearest neighbours without building the n x n matrix.

    Multiplies ``block_size`` rows of the sparse matrix by its transpose at a
    time (memory ``block_size x n``, capped at 20 million cells), keeps the
    top ``k`` of each row (neighbours with cosine 0 are not neighbours) and
    returns the union as unordered pairs ``report_a, report_b, cosine``.
    """
    X = vectors.matrix
    n = X.shape[0]
    # Cap a block at ~20 million cells (160 MB of float64) whatever the corpus size.
    block_size = max(1, min(block_size, 20_000_000 // max(n, 1)))
    XT = X.T.tocsc()
    rows_all, cols_all, cos_all = [], [], []
    for start in range(0, n, block_size):
        stop = min(start + block_size, n)
        block = (X[start:stop] @ XT).toarray()
        np.clip(block, 0.0, 1.0, out=block)
        rows, cols = _top_k_rows(block, start, k)
        rows_all.append(rows)
        cols_all.append(cols)
        cos_all.append(block[rows - start, cols])
    if not rows_all:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    return _pairs_frame(vectors.report_ids, np.concatenate(rows_all), np.concatenate(cols_all), np.concatenate(cos_all))


def _candidates(sims: np.ndarray, row_ids: np.ndarray, col_ids: np.ndarray, k: int):
    """Cells of ``sims`` that may be among their row's ``k`` best: a superset, every tie kept.

    ``row_ids`` / ``col_ids`` are the report indices of the rows and columns of
    ``sims`` (increasing). Cells at or below 1e-12 are never neighbours.
    Returns (rows, cols, values) with report indices.
    """
    n_rows, n_cols = sims.shape
    k = min(k, n_cols)
    if k <= 0 or n_rows == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])
    kth = np.partition(sims, n_cols - k, axis=1)[:, n_cols - k]
    rows, cols = np.nonzero((sims >= kth[:, None] - 1e-9) & (sims > 1e-12))
    return row_ids[rows], col_ids[cols], sims[rows, cols]


def _keep_top_k(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int):
    """The ``k`` best cells of each row: by value rounded to 9 decimals, ties by the lower column.

    The same order as ``_top_k_rows``, so the result does not depend on how the
    matrix was cut into blocks.
    """
    order = np.lexsort((cols, -np.round(vals, 9), rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    if len(rows) == 0:
        return rows, cols, vals
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    keep = _ranks(np.diff(np.r_[starts, len(rows)])) < k
    return rows[keep], cols[keep], vals[keep]


def top_k_sparse(vectors: TfidfVectors, k: int, threads: int | None = None, margin: int = 2,
                 dense_share: float | None = None) -> pd.DataFrame:
    """Each report's ``k`` nearest neighbours: ``top_k_blocked``'s table, computed on every core.

    ``cosine_top_cells.top_cells`` computes each pair's cosine once (dense
    BLAS blocks for the most frequent terms, the inverted index for the
    rest; ``dense_share`` overrides its split) in ``threads`` threads and
    keeps only the best ``k + 1 + margin`` cells of each row, so the n x n
    product never exists. The extra cells make room for ties: the kept cells
    are ranked the same way as ``top_k_blocked`` ranks them (value rounded to
    9 decimals, then the lower report index). When a row's last kept cell
    ties with its ``k``-th best, cells it dropped might tie too, so that row
    is recomputed exactly with scipy. Cosines agree with ``top_k_blocked``'s
    to the float rounding of a different summation order (1e-15), far below
    the 6 decimals of the pairs table. Returns the pairs table.
    """
    from analysis.similarity.cosine_top_cells import DENSE_SHARE, top_cells

    X = sparse.csr_matrix(vectors.matrix, dtype=np.float64)
    n = X.shape[0]
    if k <= 0 or n < 2:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    keep = min(n, k + 1 + margin)
    threads = n_workers() if threads is None else max(1, threads)
    product = top_cells(X, keep, threads, DENSE_SHARE if dense_share is None else dense_share)
    counts = np.diff(product.indptr)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    cols = product.indices.astype(np.int64)
    vals = np.clip(product.data, 0.0, 1.0)
    # A full row whose smallest kept value is within float noise of its k-th best value may have dropped a
    # tied cell: recompute it exactly. (top_cells never keeps a report's own cell.)
    others = vals > 1e-12
    full = np.flatnonzero(counts == keep)
    suspect = np.zeros(n, dtype=bool)
    if len(full):
        last = vals[product.indptr[full + 1] - 1]
        kth = np.full(n, -np.inf)
        r, c, v = _keep_top_k(rows[others], cols[others], vals[others], k)
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.array([], int)
        ends = np.r_[starts[1:], len(r)] if len(r) else np.array([], int)
        has_k = (ends - starts) >= k
        kth[r[ends[has_k] - 1]] = np.round(v[ends[has_k] - 1], 9)
        suspect[full[np.round(last, 9) >= kth[full] - 1e-9]] = True
    keep_cell = others & ~suspect[rows]
    parts = [(rows[keep_cell], cols[keep_cell], vals[keep_cell])]
    redo = np.flatnonzero(suspect)
    XT = X.T.tocsr() if len(redo) else None  # as large as X: made only when a row needs it
    for start in range(0, len(redo), 256):
        chunk = redo[start : start + 256]
        sims = (X[chunk] @ XT).toarray()
        np.clip(sims, 0.0, 1.0, out=sims)
        sims[np.arange(len(chunk)), chunk] = 0.0  # a report is not its own neighbour
        parts.append(_candidates(sims, chunk, np.arange(n, dtype=np.int64), k))
    rows, cols, vals = _keep_top_k(*(np.concatenate(x) for x in zip(*parts)), k)
    return _pairs_frame(vectors.report_ids, rows, cols, vals)


#: From this many pairs, ``pair_cosines`` uses the compiled loop of the top-k kernel (numba loads in about a second).
COMPILED_COSINES_MIN_PAIRS = 20_000


def pair_cosines(vectors: TfidfVectors, pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Cosine of given pairs of report ids, as a pairs table."""
    index = {rid: i for i, rid in enumerate(vectors.report_ids)}
    pairs = list(pairs)
    if not pairs:
        return _pairs_frame(vectors.report_ids, np.array([], int), np.array([], int), np.array([]))
    ia = np.array([index[a] for a, _ in pairs], dtype=np.int64)
    ib = np.array([index[b] for _, b in pairs], dtype=np.int64)
    X = vectors.matrix
    if len(pairs) < COMPILED_COSINES_MIN_PAIRS:
        cos = np.asarray(X[ia].multiply(X[ib]).sum(axis=1)).ravel()
    else:  # the same sums in the same order, without copying both reports' rows (2.6 s against 0.35 s, 111k pairs)
        from analysis.similarity.cosine_top_cells import dot_products

        X = sparse.csr_matrix(X, dtype=np.float64)
        X.sort_indices()
        cos = dot_products(X, ia, ib)
    return _pairs_frame(vectors.report_ids, ia, ib, np.clip(cos, 0.0, 1.0))


# ---------------------------------------------------------------- MinHash LSH

def neighbour_pairs(
    vectors: TfidfVectors,
    texts: Sequence[str] | None = None,
    all_pairs_max_reports: int = 300,
    top_k: int = 10,
    lsh_threshold: float = 0.5,
    num_perm: int = 128,
) -> tuple[pd.DataFrame, str, list[tuple[str, str]]]:
    """The pairs to report, chosen by corpus size.

    Up to ``all_pairs_max_reports`` reports: every unordered pair (dense matrix).
    Beyond: each report's ``top_k`` neighbours (``top_k_sparse``: the table of
    ``top_k_blocked``, on every CPU) plus the
    MinHash LSH near-duplicate candidates over ``texts``. Returns the pairs
    table, the name of the path taken (``"all pairs"`` or ``"top-k"``) and the
    LSH candidate pairs (empty on the all-pairs path, which needs none).
    """
    if len(vectors.report_ids) <= all_pairs_max_reports:
        return all_pairs(vectors), "all pairs", []
    pairs = top_k_sparse(vectors, top_k)
    candidates: list[tuple[str, str]] = []
    if texts is not None:
        candidates = near_duplicate_candidates(vectors.report_ids, texts, lsh_threshold, num_perm)
        extra = pair_cosines(vectors, candidates)
        pairs = sort_pairs(pd.concat([pairs, extra]).drop_duplicates(["report_a", "report_b"]))
    return pairs, "top-k", candidates
