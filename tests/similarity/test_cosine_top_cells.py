"""The top-k kernel against brute force: every split of the vocabulary, block size and thread count."""
import os

import numpy as np
import pytest
from scipy import sparse

from analysis.similarity import cosine_top_cells
from analysis.similarity.cosine_top_cells import _postings, top_cells


@pytest.fixture(autouse=True)
def in_this_process(monkeypatch):
    monkeypatch.setattr(cosine_top_cells, "IN_FORKED_PROCESS", False)


def _matrix(n: int, terms: int, seed: int) -> sparse.csr_matrix:
    """Row-normalised random rows with a few very frequent terms, exact duplicate rows (ties) and an empty row."""
    rng = np.random.default_rng(seed)
    X = sparse.random(n, terms, density=0.04, format="csr", random_state=seed)
    frequent = sparse.csr_matrix(rng.random((n, 3)) * (rng.random((n, 3)) < 0.6))  # in about 60% of the rows
    X = sparse.hstack([frequent, X]).tocsr()
    X = sparse.vstack([X, X[:4], sparse.csr_matrix((1, X.shape[1]))]).tocsr()
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sparse.csr_matrix(sparse.diags(np.where(norms > 0, 1 / np.where(norms > 0, norms, 1), 0)) @ X)
    X.sort_indices()
    return X


def _check(X: sparse.csr_matrix, cells: sparse.csr_matrix, keep: int) -> None:
    exact = (X @ X.T).toarray()
    np.fill_diagonal(exact, 0.0)
    n = X.shape[0]
    for i in range(n):
        cols = cells.indices[cells.indptr[i]:cells.indptr[i + 1]]
        vals = cells.data[cells.indptr[i]:cells.indptr[i + 1]]
        positive = np.sort(exact[i][exact[i] > 0])[::-1]
        assert len(vals) == min(keep, len(positive)), i
        assert i not in cols
        np.testing.assert_allclose(vals, exact[i, cols], rtol=0, atol=1e-12)  # each value is its cell's cosine
        np.testing.assert_allclose(vals, positive[:len(vals)], rtol=0, atol=1e-12)  # and they are the best ones
        # best first, ties by the lower column
        assert all(vals[x] > vals[x + 1] or (vals[x] == vals[x + 1] and cols[x] < cols[x + 1])
                   for x in range(len(vals) - 1))


@pytest.mark.parametrize("dense_share", [0.0, 0.3, 2.0])  # every term dense, some, none
@pytest.mark.parametrize("threads, block_rows", [(1, 128), (2, 7), (3, 1)])
def test_top_cells_are_each_rows_best_cells(dense_share, threads, block_rows):
    X = _matrix(90, 60, seed=threads)
    for keep in (1, 4, 200):
        _check(X, top_cells(X, keep, threads, dense_share, block_rows, desc=None), keep)


@pytest.mark.parametrize("block_rows", [5, 128])
def test_top_cells_do_not_depend_on_threads(block_rows):
    # duplicate rows tie exactly; each tie goes to the lower column whichever thread met it first
    X = _matrix(120, 80, seed=7)
    first = top_cells(X, 5, 1, 0.3, block_rows, desc=None)
    for threads in (2, 3):
        other = top_cells(X, 5, threads, 0.3, block_rows, desc=None)
        assert (first.indptr == other.indptr).all() and (first.indices == other.indices).all()
        assert (first.data == other.data).all()


def test_top_cells_of_tiny_matrices():
    X = _matrix(2, 5, seed=1)
    assert top_cells(X[:1], 3, desc=None).nnz == 0  # one row: no other report
    assert top_cells(X, 0, desc=None).nnz == 0
    assert top_cells(sparse.csr_matrix((4, 0)), 3, desc=None).nnz == 0  # no vocabulary


def test_postings_place_each_rare_entry_in_its_terms_list():
    X = _matrix(40, 30, seed=3)
    rare = np.arange(X.shape[1]) % 3 > 0
    pos, term_end, post_row, post_val = _postings(X, rare, np.bincount(X.indices, minlength=X.shape[1]))
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    kept = rare[X.indices]
    assert (pos[~kept] == -1).all()
    assert (post_row[pos[kept]] == rows[kept]).all()
    assert (post_val[pos[kept]] == X.data[kept]).all()
    C = X[:, np.flatnonzero(rare)].tocsc()  # the same lists, term by term, rows in order
    C.sort_indices()
    assert (post_row == C.indices).all() and (post_val == C.data).all()
    assert (term_end[rare] == C.indptr[1:]).all()


@pytest.mark.parametrize("dense_share", [0.0, 2.0])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_exact_ties_keep_the_lowest_columns(dense_share, threads):
    # 30 copies of one report: every cell is exactly 1.0, so each row keeps the three lowest other rows
    X = sparse.csr_matrix(np.ones((30, 1)))
    cells = top_cells(X, 3, threads, dense_share, block_rows=4, desc=None)
    for i in range(30):
        assert cells.indices[cells.indptr[i]:cells.indptr[i + 1]].tolist() == [j for j in range(30) if j != i][:3]
    assert (cells.data == 1.0).all()


def test_the_forked_process_gives_the_same_cells_and_its_errors(monkeypatch):
    X = _matrix(60, 40, seed=5)
    here = top_cells(X, 4, 2, 0.3, 16, desc=None)
    monkeypatch.setattr(cosine_top_cells, "IN_FORKED_PROCESS", True)
    forked = top_cells(X, 4, 2, 0.3, 16, desc=None)
    assert (here.indptr == forked.indptr).all() and (here.indices == forked.indices).all()
    assert (here.data == forked.data).all()

    def fail(*args):
        raise MemoryError("no room for the blocks")

    monkeypatch.setattr(cosine_top_cells, "_compute", fail)
    with pytest.raises(RuntimeError, match="MemoryError: no room for the blocks"):
        top_cells(X, 4, desc=None)

    def killed(*args):  # as the kernel's out-of-memory killer would end it: no message, no exception
        os._exit(9)

    monkeypatch.setattr(cosine_top_cells, "_compute", killed)
    with pytest.raises(RuntimeError, match="ended without a result \\(exit code 9"):
        top_cells(X, 4, desc=None)


@pytest.mark.parametrize("threads", [1, 2])
def test_cells_closer_than_float32_can_tell_apart_are_ranked_in_float64(threads):
    # cells (0, j) = a_j differ by 1e-10, far below float32's resolution, and grow with j: float32 alone would rank
    # them equal and keep the lowest columns; the float64 check must find the highest ones
    a = 0.5 + np.arange(40) * 1e-10
    X = sparse.csr_matrix(np.c_[a, np.sqrt(1 - a ** 2)])
    X[0] = [1.0, 0.0]
    X.sort_indices()
    cells = top_cells(X, 3, threads, dense_share=0.0, block_rows=8, desc=None)
    assert cells.indices[cells.indptr[0]:cells.indptr[1]].tolist() == [39, 38, 37]
    _check(X, cells, 3)


def test_the_float32_error_bound_holds():
    from analysis.similarity.cosine_top_cells import _float32_error

    rng = np.random.default_rng(3)
    D = rng.random((300, 500)) ** 4  # skewed weights, as TF-IDF's are
    D /= np.linalg.norm(D, axis=1, keepdims=True) * rng.uniform(1, 3, (300, 1))
    single = D.astype(np.float32) @ D.astype(np.float32).T
    error = np.abs(single.astype(np.float64) - D @ D.T)
    bound = _float32_error(D.shape[1], np.linalg.norm(D, axis=1))
    assert (error <= bound[:, None]).all()
    assert error.max() > 1e-9  # float32 is really off: the check is not vacuous
