"""Labels a person can read for reports in tables and figures."""
from __future__ import annotations

import pandas as pd


def shorten(text: str, width: int = 38) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return (cut or text[: width - 1]).rstrip(" ,;:-–—") + "…"


def report_labels(reports: pd.DataFrame, width: int = 38) -> pd.Series:
    """``"Outlet — short title"`` for each report (``"unknown outlet"`` when none), indexed like ``reports``.

    Labels stay unique: a repeated label gets the report id appended.
    """
    outlets = reports["outlet"].where(reports["outlet"] != "", "unknown outlet")
    labels = outlets + " — " + reports["title"].map(lambda t: shorten(t or "(untitled)", width))
    repeated = labels.duplicated(keep=False)
    return labels.where(~repeated, labels + " [" + reports["report_id"] + "]")
