"""Why two reports are similar: the terms that make up their cosine.

Rows of the TF-IDF matrix are L2-normalised, so the cosine of reports a and b
is the sum over terms of ``weight_a * weight_b``. Each product is that term's
contribution; the largest few explain the score.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .similarity import TfidfVectors

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
    frames = [
        pair_term_contributions(vectors, a, b, n_terms)
        for a, b in zip(head["report_a"], head["report_b"])
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=TERM_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    cos = head.set_index(["report_a", "report_b"])["cosine"]
    out["_cos"] = [cos[(a, b)] for a, b in zip(out["report_a"], out["report_b"])]
    out = out.sort_values(["_cos", "report_a", "report_b", "rank"], ascending=[False, True, True, True], kind="mergesort")
    return out.drop(columns="_cos").reset_index(drop=True)
