"""The report-pairs table: columns, construction and sort order."""
from __future__ import annotations

from typing import Sequence
import numpy as np
import pandas as pd


PAIR_COLUMNS = ["report_a", "report_b", "cosine"]

def _pairs_frame(ids: Sequence[str], ia: np.ndarray, ib: np.ndarray, cos: np.ndarray) -> pd.DataFrame:
    """Pairs table with ``report_a < report_b``, duplicates removed, sorted by cosine then ids."""
    a = np.asarray(ids, dtype=object)[ia]
    b = np.asarray(ids, dtype=object)[ib]
    lo = np.where(a < b, a, b)
    hi = np.where(a < b, b, a)
    frame = pd.DataFrame({"report_a": lo.astype(str), "report_b": hi.astype(str), "cosine": np.round(cos.astype(float), 6)})
    frame = frame.drop_duplicates(["report_a", "report_b"])
    return sort_pairs(frame)


def sort_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort a pairs table by descending cosine, then ``report_a``, ``report_b``."""
    return frame.sort_values(["cosine", "report_a", "report_b"], ascending=[False, True, True], kind="mergesort").reset_index(drop=True)


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., size - 1 for each of ``sizes``, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
