"""Tables and the figure of notebook 00: what the corpus holds and what was left out."""
from __future__ import annotations

import json

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures import apply_style
from analysis.labels import report_labels


def reports_table(reports: pd.DataFrame) -> pd.DataFrame:
    """One line per report: id, outlet, title, date and length."""
    return reports[["report_id", "outlet", "title", "published", "n_words"]].reset_index(drop=True)


def outlets_table(reports: pd.DataFrame) -> pd.DataFrame:
    """Outlet of each report, how it was established, the quoted evidence and any original outlet."""
    return reports[["report_id", "outlet", "outlet_method", "outlet_evidence", "original_outlet",
                    "original_outlet_evidence"]].reset_index(drop=True)


def dates_table(reports: pd.DataFrame) -> pd.DataFrame:
    """Publication date, precision, method and evidence per report, with site-banner dates kept apart."""
    return reports[["report_id", "published", "published_precision", "published_method", "published_evidence",
                    "banner_date", "banner_date_evidence"]].reset_index(drop=True)


def removed_boilerplate(reports: pd.DataFrame) -> pd.DataFrame:
    """Lines removed as capture boilerplate: ``report_id, rule, lines`` (count), sorted."""
    rows = [(r.report_id, item["rule"]) for r in reports.itertuples() for item in json.loads(r.removed_lines or "[]")]
    frame = pd.DataFrame(rows, columns=["report_id", "rule"])
    return (frame.groupby(["report_id", "rule"]).size().rename("lines").reset_index()
            .sort_values(["report_id", "rule"]).reset_index(drop=True))


#: Up to this many reports, one labelled bar each; beyond, a histogram.
MAX_BARS = 40


def words_per_report(reports: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Words per report: labelled bars for a small corpus, a histogram for a large one.

    Returns ``(figure, table)``; the table lists every report (id, label,
    publication date, words) whichever form the figure takes.
    """
    apply_style()
    table = pd.DataFrame({
        "report_id": reports["report_id"],
        "label": reports["report_id"].map(report_labels(reports)),
        "published": reports["published"],
        "n_words": reports["n_words"],
    }).sort_values(["n_words", "report_id"], ascending=[True, True]).reset_index(drop=True)
    dated = table["published"] != ""
    if len(table) <= MAX_BARS:
        fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(len(table), 1) + 1.2))
        ax.barh(table["label"], table["n_words"], color=["#1f77b4" if d else "#aec7e8" for d in dated])
        for y, value in enumerate(table["n_words"]):
            ax.text(value, y, f" {value:,}", va="center", fontsize=8)
        ax.set_xlabel("words in the article body (boilerplate removed)")
        ax.set_title("Words per report (pale: no publication date established)")
        ax.margins(x=0.12)
    else:
        fig, ax = plt.subplots(figsize=(7.5, 4.0))
        ax.hist([table.loc[dated, "n_words"], table.loc[~dated, "n_words"]], bins=40, stacked=True,
                color=["#1f77b4", "#aec7e8"], label=["publication date known", "no publication date"])
        ax.set_xlabel("words in the article body (boilerplate removed)")
        ax.set_ylabel("reports")
        ax.set_title(f"Words per report ({len(table):,} reports)")
        ax.legend()
    fig.tight_layout()
    return fig, table
