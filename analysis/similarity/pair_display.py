"""Tables of notebook 02 for a person to read: pairs and passages with report labels instead of ids."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from analysis.similarity.report_similarity import Comparison


def side_by_side(comparison: Comparison, n: int = 10) -> pd.DataFrame:
    """Shared passages of the most similar pairs, labelled, for display.

    Returns up to ``n`` rows: ``report_a``, ``report_b`` as readable labels,
    both sentences, score, match and what the passage is (``kind``: quotation,
    prose, stock); ordered by pair cosine then offset.
    """
    shared = comparison.passages
    if shared.empty:
        return pd.DataFrame(columns=["report_a", "report_b", "sentence_a", "sentence_b", "score", "match", "kind"])
    cos = comparison.pairs.set_index(["report_a", "report_b"])["cosine"]
    frame = shared.assign(_cos=[cos[(a, b)] for a, b in zip(shared["report_a"], shared["report_b"])])
    frame = frame.sort_values(["_cos", "report_a", "report_b", "start_a"], ascending=[False, True, True, True], kind="mergesort")
    frame = frame.head(n)
    return pd.DataFrame(
        {
            "report_a": [comparison.labels.get(r, r) for r in frame["report_a"]],
            "report_b": [comparison.labels.get(r, r) for r in frame["report_b"]],
            "sentence_a": frame["sentence_a"].tolist(),
            "sentence_b": frame["sentence_b"].tolist(),
            "score": frame["score"].tolist(),
            "match": frame["match"].tolist(),
            "kind": frame["kind"].tolist(),
        }
    )


def pairs_for_display(comparison: Comparison, n: int = 10, flagged_only: bool = False) -> pd.DataFrame:
    """The ``n`` most similar pairs with readable labels (optionally only those flagged).

    Columns: ``report_a, report_b`` (labels), ``cosine, shared_passages, shared_share, near_duplicate,
    shared_prose, shared_quotation, same_outlet``. ``flagged_only``: near-duplicates and pairs sharing prose
    or a quotation.
    """
    pairs = comparison.pairs
    if flagged_only:
        pairs = pairs[pairs["near_duplicate"] | pairs["shared_prose"] | pairs["shared_quotation"]]
    pairs = pairs.head(n)
    return pd.DataFrame(
        {
            "report_a": [comparison.labels.get(r, r) for r in pairs["report_a"]],
            "report_b": [comparison.labels.get(r, r) for r in pairs["report_b"]],
            "cosine": pairs["cosine"].round(3).tolist(),
            "shared_passages": pairs["shared_passages"].tolist(),
            "shared_share": pairs["shared_share"].round(2).tolist(),
            "near_duplicate": pairs["near_duplicate"].tolist(),
            "shared_prose": pairs["shared_prose"].tolist(),
            "shared_quotation": pairs["shared_quotation"].tolist(),
            "same_outlet": pairs["same_outlet"].tolist(),
        }
    )


def top_terms_for_display(comparison: Comparison, n_pairs: int = 3, n_terms: int = 6) -> pd.DataFrame:
    """Top ``n_terms`` contributing terms of the ``n_pairs`` most similar pairs, with readable labels."""
    terms = comparison.top_terms
    if terms.empty:
        return pd.DataFrame(columns=["pair", "rank", "term", "weight_a", "weight_b", "contribution", "share_of_cosine"])
    keys = list(dict.fromkeys(zip(terms["report_a"], terms["report_b"])))[:n_pairs]
    frames = []
    for a, b in keys:
        rows = terms[(terms["report_a"] == a) & (terms["report_b"] == b)].head(n_terms)
        pair = f"{comparison.labels.get(a, a)} × {comparison.labels.get(b, b)}"
        frames.append(rows.drop(columns=["report_a", "report_b"]).assign(pair=pair))
    out = pd.concat(frames, ignore_index=True)
    return out[["pair", "rank", "term", "weight_a", "weight_b", "contribution", "share_of_cosine"]].round(4)
