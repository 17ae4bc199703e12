"""Who carries the main claims, and who copies whom: one row per claim, one column per report.

For the claims told by the most reports, a dot marks each report that tells the claim, in publication
order from left to right. A filled dot is a starting point of its own (an independent origin, or a
report that names a source); a hollow ring is a copy (near-duplicate, syndicated republication or a
copied sentence), with a line back to the report it copies. The colour is the kind of source the report
gives for the claim (grey: none). The figure stays readable on any corpus: at most ``max_claims`` rows
and ``max_reports`` columns (the reports carrying most of the drawn claims), and a capped size.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures import SOURCE_TYPE_COLORS, apply_style
from analysis.labels import report_labels

FIGURE_COLUMNS = ["claim_id", "row", "statement", "n_reports", "independent_origins", "report_id", "column",
                  "label", "outlet", "published", "source", "source_type", "origin", "copy_of", "copy_evidence"]
MAX_HEIGHT_IN = 11.0
MAX_WIDTH_IN = 14.0


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _main_type(types: str) -> str:
    kinds = [t.strip() for t in str(types).split(";") if t.strip() and t.strip() != "unattributed"]
    return sorted(kinds)[0] if kinds else "unattributed"


def main_claims(claims: pd.DataFrame, max_claims: int = 12) -> pd.DataFrame:
    """The claims told by at least two reports, most reports first (then most origins, earliest, id)."""
    several = claims[claims["n_reports"] >= 2]
    order = several.assign(_s=several["start"].replace("", "9999")).sort_values(
        ["n_reports", "independent_origins", "_s", "claim_id"], ascending=[False, False, True, True])
    return order.drop(columns="_s").head(max_claims).reset_index(drop=True)


def claim_report_table(claims: pd.DataFrame, claim_reports: pd.DataFrame, reports: pd.DataFrame,
                       max_claims: int = 12, max_reports: int = 30) -> pd.DataFrame:
    """The rows :func:`plot_claim_reports` draws (:data:`FIGURE_COLUMNS`), one per (claim, report).

    Accepts ``claims.csv``, ``claim_reports.csv`` and the corpus reports. ``row`` is the claim's row (0 at
    the top), ``column`` the report's column (publication order, then id). Empty when no claim is told by
    two reports.
    """
    chosen = main_claims(claims, max_claims)
    if chosen.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    rows = claim_reports[claim_reports["claim_id"].isin(set(chosen["claim_id"]))]
    counts = rows.groupby("report_id")["claim_id"].nunique()
    published = dict(zip(reports["report_id"], reports["published"]))
    keep = sorted(counts.index, key=lambda r: (-counts[r], published.get(r, "") or "9999", r))[:max_reports]
    columns = {r: k for k, r in enumerate(sorted(keep, key=lambda r: (published.get(r, "") or "9999", r)))}
    position = {c: k for k, c in enumerate(chosen["claim_id"])}
    labels = report_labels(reports, 24)
    info = chosen.set_index("claim_id")
    out = []
    for r in rows.itertuples(index=False):
        if r.report_id not in columns:
            continue
        claim = info.loc[r.claim_id]
        out.append({"claim_id": r.claim_id, "row": position[r.claim_id], "statement": claim["statement"],
                    "n_reports": int(claim["n_reports"]), "independent_origins": int(claim["independent_origins"]),
                    "report_id": r.report_id, "column": columns[r.report_id],
                    "label": labels.get(r.report_id, r.report_id), "outlet": r.outlet,
                    "published": r.published, "source": r.source, "source_type": _main_type(r.source_type),
                    "origin": r.origin, "copy_of": r.copy_of if r.copy_of in columns else "",
                    "copy_evidence": r.copy_evidence})
    table = pd.DataFrame(out, columns=FIGURE_COLUMNS)
    return table.sort_values(["row", "column"]).reset_index(drop=True)


def plot_claim_reports(table: pd.DataFrame, title: str = "Main claims: which reports carry them, which copy which"):
    """Draw :func:`claim_report_table`; returns the figure, or ``None`` when the table is empty."""
    if table.empty:
        return None
    apply_style()
    n_rows, n_cols = int(table["row"].max()) + 1, int(table["column"].max()) + 1
    width = min(MAX_WIDTH_IN, 5.5 + 0.32 * n_cols)
    height = min(MAX_HEIGHT_IN, 1.8 + 0.42 * n_rows)
    fig, ax = plt.subplots(figsize=(width, height))
    for y in range(n_rows):
        ax.axhline(y, color="#e5e5e5", linewidth=0.6, zorder=0)
    at = {(r.claim_id, r.report_id): (r.column, r.row) for r in table.itertuples(index=False)}
    for r in table.itertuples(index=False):
        if r.copy_of and (r.claim_id, r.copy_of) in at:
            x0, y0 = at[(r.claim_id, r.copy_of)]
            ax.annotate("", xy=(x0, y0), xytext=(r.column, r.row), zorder=1,
                        arrowprops={"arrowstyle": "->", "color": "#555555", "linewidth": 0.8,
                                    "connectionstyle": "arc3,rad=-0.35"})
    for copied in (False, True):
        part = table[(table["copy_of"] != "") == copied]
        colors = [SOURCE_TYPE_COLORS.get(t, "#7f7f7f") for t in part["source_type"]]
        ax.scatter(part["column"], part["row"], s=60, zorder=3, linewidths=1.6,
                   facecolors="white" if copied else colors, edgecolors=colors)
    claims = table.drop_duplicates("row").sort_values("row")
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([f"{c.claim_id} ({c.n_reports} reports, {c.independent_origins} origin"
                        f"{'s' if c.independent_origins != 1 else ''}) {_short(c.statement, 60)}"
                        for c in claims.itertuples(index=False)], fontsize=7)
    cols = table.drop_duplicates("column").sort_values("column")
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels([_short(f"{c.published} {c.label}".strip(), 34)
                        for c in cols.itertuples(index=False)], rotation=60, ha="right", fontsize=6.5)
    ax.set_xlim(-0.7, n_cols - 0.3)
    ax.set_ylim(n_rows - 0.5, -0.5)
    used = sorted(set(table["source_type"]))
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=SOURCE_TYPE_COLORS.get(t, "#7f7f7f"), label=t)
               for t in used]
    handles.append(plt.Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#555555",
                              label="copy (arrow: of which report)"))
    ax.legend(handles=handles, title="source the report gives", loc="upper left", bbox_to_anchor=(1.01, 1),
              fontsize=7, title_fontsize=7)
    ax.set_title(title, loc="left")
    ax.set_xlabel("reports, in order of publication")
    return fig  # saved with a tight bounding box: the long labels stay whole
