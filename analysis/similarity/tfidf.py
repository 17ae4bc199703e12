"""TF-IDF vectors of the reports and their cosine matrix."""
from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Integral
from typing import Sequence
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from spacy.tokens import Doc

from analysis.similarity.term_extraction import TermCodes, doc_terms, regex_term_codes


@dataclass
class TfidfVectors:
    """TF-IDF matrix of a corpus: rows follow ``report_ids``, columns ``vocabulary``."""

    report_ids: list[str]
    matrix: sparse.csr_matrix
    vocabulary: np.ndarray
    settings: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        assert self.matrix.shape == (len(self.report_ids), len(self.vocabulary))
        assert len(set(self.report_ids)) == len(self.report_ids), "report ids must be unique"

    def row(self, report_id: str) -> int:
        """Row index of ``report_id``."""
        return self.report_ids.index(report_id)


def _term_counts(terms: TermCodes, block_terms: int = 1 << 22) -> sparse.csr_matrix:
    """Count matrix of ``terms``: a row per report, a column per code.

    Counts are float64 and indices sorted within rows: with codes in order
    of first appearance, the matrix scikit-learn's ``CountVectorizer`` counts
    inside ``TfidfVectorizer``, made with sorts instead of a Python loop over
    every term. Reports are counted about ``block_terms`` terms at a time, so
    what a sort needs beside the matrix stays small on a large corpus.
    """
    n_reports, width, starts = len(terms), max(len(terms.vocabulary), 1), terms._starts
    row_sizes, columns, counts = np.zeros(n_reports, dtype=np.int64), [], []
    first = 0
    while first < n_reports:
        last = max(first + 1, int(np.searchsorted(starts, starts[first] + block_terms, "right")) - 1)
        rows = np.repeat(np.arange(last - first, dtype=np.int64), terms.lengths[first:last])
        keys, count = np.unique(rows * width + terms.codes[starts[first] : starts[last]], return_counts=True)
        row, column = np.divmod(keys, width)
        row_sizes[first:last] = np.bincount(row, minlength=last - first)
        columns.append(column.astype(np.int32 if width <= np.iinfo(np.int32).max else np.int64))
        counts.append(count.astype(np.float64))
        first = last
    nnz = int(row_sizes.sum())
    index = np.int32 if nnz <= np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(n_reports + 1, dtype=index)
    np.cumsum(row_sizes, out=indptr[1:])
    empty = np.zeros(0)
    return sparse.csr_matrix((np.concatenate(counts) if counts else empty,
                              np.concatenate(columns).astype(index, copy=False) if columns else empty.astype(index),
                              indptr), shape=(n_reports, len(terms.vocabulary)))


def tfidf_vectors(
    report_ids: Sequence[str],
    term_lists: TermCodes | Sequence[list[str]],
    sublinear_tf: bool = True,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    smooth_idf: bool = True,
    norm: str = "l2",
) -> TfidfVectors:
    """scikit-learn's ``TfidfVectorizer`` fitted on pre-extracted terms, bit for bit.

    Accepts the report ids and one term list per report (from ``doc_terms`` or
    ``regex_terms``), or their ``TermCodes``. Returns ``TfidfVectors`` with
    L2-normalised rows, so the dot product of two rows is their cosine. A
    report with no terms gets an all-zero row (cosine 0 with everything). If
    the corpus has no term at all, or ``min_df``/``max_df`` prune every term,
    the vocabulary is empty.

    The counts come from ``_term_counts``; pruning, ordering the vocabulary
    and weighting follow ``TfidfVectorizer.fit_transform`` step by step (its
    ``TfidfTransformer`` does the weighting), so the matrix is the same to the
    last bit: row norms are summed in the same order.
    """
    report_ids = list(report_ids)
    settings = dict(sublinear_tf=sublinear_tf, min_df=min_df, max_df=max_df, smooth_idf=smooth_idf, norm=norm)
    empty = TfidfVectors(report_ids, sparse.csr_matrix((len(report_ids), 0)), np.array([], dtype=object), settings)
    terms = term_lists if isinstance(term_lists, TermCodes) else TermCodes.from_lists(term_lists)
    assert len(terms) == len(report_ids), "one term list per report"
    if len(terms.codes) == 0:
        return empty
    for name, value in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(value, Integral) and not isinstance(value, bool):
            ok = value >= 1
        else:
            ok = isinstance(value, float) and 0.0 <= value <= 1.0
        if not ok:
            raise ValueError(f"{name} must be a number of reports (an int, at least 1) or a share of them "
                             f"(a float from 0 to 1), not {value!r}")
    counts, vocabulary = _term_counts(terms), terms.vocabulary
    n_docs = counts.shape[0]
    most = max_df if isinstance(max_df, Integral) else max_df * n_docs
    least = min_df if isinstance(min_df, Integral) else min_df * n_docs
    frequency = np.bincount(counts.indices, minlength=len(vocabulary))
    kept = (frequency <= most) & (frequency >= least)
    if not kept.any():  # also when max_df is below min_df; TfidfVectorizer raises
        return empty
    if not kept.all():
        kept = np.flatnonzero(kept)
        counts, vocabulary = counts[:, kept], vocabulary[kept]
    # columns in the order of the sorted terms, each row's entries left in place (as CountVectorizer does)
    order = np.argsort(vocabulary)
    rank = np.empty(len(order), dtype=counts.indices.dtype)
    rank[order] = np.arange(len(order))
    counts.indices = rank[counts.indices]
    transformer = TfidfTransformer(norm=norm, smooth_idf=smooth_idf, sublinear_tf=sublinear_tf)
    matrix = transformer.fit(counts).transform(counts, copy=False)
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    matrix.sort_indices()
    return TfidfVectors(report_ids, matrix, vocabulary[order], settings)


def report_terms(
    reports: pd.DataFrame,
    analyzer: str = "spacy",
    docs: dict[str, Doc] | None = None,
    keep_names: bool = True,
) -> TermCodes:
    """One term list per row of ``reports`` (columns ``report_id``, ``text``), as ``TermCodes``.

    ``analyzer="spacy"`` uses the shared cached parse (``analysis.nlp.parse_reports``,
    or the ``docs`` passed in); ``analyzer="regex"`` skips spaCy entirely.
    """
    if analyzer == "regex":
        return regex_term_codes(reports["text"].tolist(), keep_names=keep_names)
    if analyzer != "spacy":
        raise ValueError(f"analyzer must be 'spacy' or 'regex', not {analyzer!r}")
    if docs is None:
        from analysis.pipeline import nlp

        docs = nlp.parse_reports(reports)
    return TermCodes.from_lists(doc_terms(docs[rid], keep_names=keep_names) for rid in reports["report_id"])


def cosine_matrix(vectors: TfidfVectors) -> np.ndarray:
    """Dense n x n cosine matrix (rows are L2-normalised), diagonal 1 for non-empty reports."""
    sims = (vectors.matrix @ vectors.matrix.T).toarray()
    np.clip(sims, 0.0, 1.0, out=sims)
    return sims
