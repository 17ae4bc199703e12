"""Figures of notebook 01 (source counts): who each report cites, by type.

Each function takes the table it plots and returns a matplotlib figure; the
notebook saves it with :func:`analysis.figures.save_figure` beside that table.
Every function draws something for any input, including an empty corpus.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.sources.citations import TYPE_ORDER
from analysis.figures import SOURCE_TYPE_COLORS, apply_style

#: Up to this many reports, one labelled bar each; beyond, the figure summarises.
MAX_BARS = 40


def _empty(ax, message: str):
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center")
    return ax.figure


def _labels(report_ids, labels: dict[str, str] | None) -> list[str]:
    # Readable "outlet — short title" labels when given (analysis.labels.report_labels), else the ids.
    labels = labels or {}
    return [labels.get(r, r) for r in report_ids]


def plot_attributions_by_type(by_type: pd.DataFrame, labels: dict[str, str] | None = None):
    """Stacked horizontal bars: attributions per report, split by source type.

    ``labels`` maps report ids to readable labels (``analysis.labels.report_labels``).
    """
    apply_style()
    n_reports = len(by_type)
    if n_reports > MAX_BARS:  # a readable figure: the reports that attribute most
        by_type = by_type.sort_values(["total", "report_id"], ascending=[False, True]).head(MAX_BARS)
    fig, ax = plt.subplots(figsize=(7.5, max(2.0, 0.35 * len(by_type) + 1.2)))
    if by_type.empty or by_type["total"].sum() == 0:
        return _empty(ax, "no attributions found")
    left = pd.Series(0, index=by_type.index)
    names = _labels(by_type["report_id"], labels)
    for typ in TYPE_ORDER:
        ax.barh(names, by_type[typ], left=left, color=SOURCE_TYPE_COLORS[typ], label=typ)
        left = left + by_type[typ]
    ax.invert_yaxis()
    ax.set_xlabel("attributed statements")
    ax.set_title("Attributions per report, by source type" if n_reports <= MAX_BARS else
                 f"Attributions by source type: the {MAX_BARS} of {n_reports:,} reports that attribute most")
    ax.legend(loc="lower right", fontsize=7)
    return fig


def plot_anonymous_share(shares: pd.DataFrame, labels: dict[str, str] | None = None):
    """Bars: share of each report's attributions resting on anonymous sources (reports without any are marked).

    ``labels`` maps report ids to readable labels (``analysis.labels.report_labels``).
    """
    apply_style()
    if len(shares) > MAX_BARS:
        return _anonymous_share_histogram(shares)
    fig, ax = plt.subplots(figsize=(7.5, max(2.0, 0.35 * len(shares) + 1.2)))
    if shares.empty or shares["n_attributions"].sum() == 0:
        return _empty(ax, "no attributions found")
    names = _labels(shares["report_id"], labels)
    values = shares["anonymous_share"].fillna(0)
    ax.barh(names, values, color=SOURCE_TYPE_COLORS["anonymous"])
    for i, (share, n) in enumerate(zip(shares["anonymous_share"], shares["n_attributions"])):
        text = "no attributions" if n == 0 else f"{share:.0%} of {n}"
        ax.text(0 if n == 0 else share, i, " " + text, va="center", fontsize=7)
    ax.set_xlim(0, 1.15)
    ax.invert_yaxis()
    ax.set_xlabel("share of attributed statements resting on anonymous sources")
    ax.set_title("How much of each report rests on anonymous sources")
    return fig


def _anonymous_share_histogram(shares: pd.DataFrame):
    """Many reports: how many reports rest on anonymous sources for which share of their statements."""
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    attributing = shares[shares["n_attributions"] > 0]
    if attributing.empty:
        return _empty(ax, "no attributions found")
    ax.hist(attributing["anonymous_share"].astype(float), bins=[i / 10 for i in range(11)],
            color=SOURCE_TYPE_COLORS["anonymous"], edgecolor="white")
    ax.set_xlabel("share of a report's attributed statements resting on anonymous sources")
    ax.set_ylabel("reports")
    ax.set_title(f"How much each report rests on anonymous sources ({len(attributing):,} reports that attribute; "
                 f"{len(shares) - len(attributing):,} attribute nothing)")
    return fig


def plot_most_cited(top: pd.DataFrame):
    """Horizontal bars: the most-cited sources, coloured by type."""
    apply_style()
    fig, ax = plt.subplots(figsize=(7.5, max(2.0, 0.3 * len(top) + 1.2)))
    if top.empty:
        return _empty(ax, "no attributions found")
    colours = [SOURCE_TYPE_COLORS.get(t, "#7f7f7f") for t in top["source_type"]]
    ax.barh(top["source_canonical"], top["n_attributions"], color=colours)
    for i, (n, r) in enumerate(zip(top["n_attributions"], top["n_reports"])):
        ax.text(n, i, f" {r} report{'s' if r != 1 else ''}", va="center", fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("attributed statements")
    ax.set_title("Most-cited sources (canonical names)")
    seen = list(dict.fromkeys(top["source_type"]))
    ax.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=SOURCE_TYPE_COLORS.get(t, "#7f7f7f")) for t in seen],
              labels=seen, loc="lower right", fontsize=7)
    return fig
