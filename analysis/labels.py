"""Labels a person can read for reports in tables and figures."""
from __future__ import annotations

import pandas as pd


def shorten(text: str, width: int = 40) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters, with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] or text[: width - 1]
    return cut.rstrip(" ,;:–—-.…") + "…"


def report_labels(reports: pd.DataFrame, width: int = 40) -> dict[str, str]:
    """``{report_id: "Outlet — short title"}``; the report id when both outlet and title are unknown.

    Labels stay unique: a repeated label gets the report id appended.
    """
    labels = {}
    for rid, outlet, title in zip(reports["report_id"], reports["outlet"], reports["title"]):
        parts = [p for p in (str(outlet).strip(), shorten(title, width)) if p]
        labels[rid] = " — ".join(parts) if parts else rid
    counts = pd.Series(list(labels.values()), dtype=object).value_counts()
    return {rid: (f"{label} [{rid}]" if counts[label] > 1 else label) for rid, label in labels.items()}
