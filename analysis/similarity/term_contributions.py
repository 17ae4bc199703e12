"""Why two reports are similar: the terms that make up their cosine.

Rows of the TF-IDF matrix are L2-normalised, so the cosine of reports a and b
is the sum over terms of ``weight_a * weight_b``. Each product is that term's
contribution; the largest few explain the score.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.similarity.tfidf import TfidfVectors

TERM_COLUMNS = ["report_a", "report_b", "rank", "term", "weight_a", "weight_b", "contribution", "share_of_cosine"]


def pair_term_contributions(vectors: TfidfVectors, report_a: str, report_b: str, n_terms: int = 10) -> pd.DataFrame:
    """The ``n_terms`` terms contributing most to the cosine of one pair.

    Returns ``TERM_COLUMNS`` rows ranked by contribution (ties by term), where
    ``share_of_cosine`` is contribution / cosine. Empty if the pair shares no term.
    """
    X = vectors.matrix
    ia, ib = vectors.row(report_a), vectors.row(report_b)
    row_a, row_b = X.getrow(ia), X.getrow(ib)
    product = row_a.multiply(row_b).tocsr()
    cols = product.indices
    if cols.size == 0:
        return pd.DataFrame(columns=TERM_COLUMNS)
    contrib = product.data
    cosine = float(contrib.sum())
    terms = vectors.vocabulary[cols]
    order = np.lexsort((terms.astype(str), -np.round(contrib, 12)))[:n_terms]
    wa = row_a.toarray().ravel()
    wb = row_b.toarray().ravel()
    frame = pd.DataFrame(
        {
            "report_a": report_a,
            "report_b": report_b,
            "rank": np.arange(1, len(order) + 1),
            "term": terms[order].astype(str),
            "weight_a": np.round(wa[cols[order]], 6),
            "weight_b": np.round(wb[cols[order]], 6),
            "contribution": np.round(contrib[order], 6),
            "share_of_cosine": np.round(contrib[order] / cosine, 4),
        }
    )
    return frame[TERM_COLUMNS]


def top_terms(vectors: TfidfVectors, pairs: pd.DataFrame, n_terms: int = 10, max_pairs: int | None = 1000) -> pd.DataFrame:
    """Top contributing terms for the first ``max_pairs`` rows of ``pairs`` (sorted by cosine).

    Accepts the vectors and a pairs table (``report_a, report_b, cosine``).
    Returns one row per (pair, term), sorted by descending cosine of the pair,
    then pair ids and rank.
    """
    head = pairs if max_pairs is None else pairs.head(max_pairs)
    X = vectors.matrix
    index = {rid: i for i, rid in enumerate(vectors.report_ids)}
    columns: dict[str, list] = {c: [] for c in TERM_COLUMNS}
    for a, b in zip(head["report_a"], head["report_b"]):
        # the same arithmetic as pair_term_contributions, without a DataFrame per pair
        row_a, row_b = X.getrow(index[a]), X.getrow(index[b])
        product = row_a.multiply(row_b).tocsr()
        cols = product.indices
        if cols.size == 0:
            continue
        contrib = product.data
        cosine = float(contrib.sum())
        terms = vectors.vocabulary[cols]
        order = np.lexsort((terms.astype(str), -np.round(contrib, 12)))[:n_terms]
        wa, wb = row_a.toarray().ravel(), row_b.toarray().ravel()
        columns["report_a"].extend([a] * len(order))
        columns["report_b"].extend([b] * len(order))
        columns["rank"].extend(range(1, len(order) + 1))
        columns["term"].extend(terms[order].astype(str).tolist())
        columns["weight_a"].extend(np.round(wa[cols[order]], 6).tolist())
        columns["weight_b"].extend(np.round(wb[cols[order]], 6).tolist())
        columns["contribution"].extend(np.round(contrib[order], 6).tolist())
        columns["share_of_cosine"].extend(np.round(contrib[order] / cosine, 4).tolist())
    if not columns["rank"]:
        return pd.DataFrame(columns=TERM_COLUMNS)
    out = pd.DataFrame(columns)[TERM_COLUMNS]
    cos = head.set_index(["report_a", "report_b"])["cosine"]
    out["_cos"] = [cos[(a, b)] for a, b in zip(out["report_a"], out["report_b"])]
    out = out.sort_values(["_cos", "report_a", "report_b", "rank"], ascending=[False, True, True, True], kind="mergesort")
    return out.drop(columns="_cos").reset_index(drop=True)
