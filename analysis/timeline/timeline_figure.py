"""The timeline figure: claims on a time axis, imprecise dates drawn as spans.

Each claim is a row; its interval is a bar across everything it may mean (a
year is a bar across the year, never a dot on 1 January; an open interval,
"before 2017", is a bar running off the axis with an arrow). On the row, one
marker per alleging report sits at the middle of that report's own interval,
coloured by the type of source the report gives for it (grey: no source
named). The figure stays readable at any number of claims: the notebook draws
the main claims only (:func:`select_claims`, most reports first), the height
is capped (:data:`MAX_HEIGHT_IN`) with labels of a fixed readable size, the
title sits above the rows, and when a few old claims would squash the others a
zoom panel shows the window where most reports' dates lie (:func:`_zoom_window`).
"""
from __future__ import annotations

from datetime import date, timedelta

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from analysis.timeline.claims import events_by_claim
from analysis.figures import SOURCE_TYPE_COLORS, apply_style

MAX_HEIGHT_IN = 12.0
FIGURE_COLUMNS = ["claim_id", "summary", "start", "end", "precision", "event_id", "report_id", "outlet",
                  "event_start", "event_end", "marker_date", "source_type"]


def _main_type(types: str) -> str:
    kinds = [t.strip() for t in str(types).split(";") if t.strip() and t.strip() != "unattributed"]
    return sorted(kinds)[0] if kinds else "unattributed"


def timeline_table(claims: pd.DataFrame, events: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """The rows the figure plots: one per (claim, alleging event), claims with at least one bound only.

    Open bounds are left empty; ``marker_date`` is the middle of the event's
    interval (its known bound when the other is open). Sorted by claim start,
    claim id, event id.
    """
    outlets = dict(zip(reports["report_id"], reports["outlet"]))
    rows = []
    by_claim = events_by_claim(events, ["event_id", "report_id", "start", "end", "source_type"]) if len(events) else {}
    for claim in claims.itertuples(index=False):
        if (not claim.start and not claim.end) or claim.claim_id not in by_claim:
            continue
        for event in by_claim[claim.claim_id]:
            if event.start and event.end:
                a, b = date.fromisoformat(event.start), date.fromisoformat(event.end)
                marker = a + (b - a) / 2
            elif event.start or event.end:
                marker = date.fromisoformat(event.start or event.end)
            else:
                continue
            rows.append({"claim_id": claim.claim_id, "summary": claim.summary, "start": claim.start,
                         "end": claim.end, "precision": claim.precision, "event_id": event.event_id,
                         "report_id": event.report_id, "outlet": outlets.get(event.report_id, ""),
                         "event_start": event.start, "event_end": event.end, "marker_date": marker.isoformat(),
                         "source_type": _main_type(event.source_type)})
    table = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    key = table["start"].where(table["start"] != "", table["end"])  # "before 2017" sits with 2017
    return table.assign(_k=key).sort_values(["_k", "claim_id", "event_id"]).drop(columns="_k").reset_index(drop=True)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _zoom_window(table: pd.DataFrame, left: date, right: date, share: float = 0.6) -> tuple[date, date] | None:
    """The narrowest window holding ``share`` of the reports' dates, when a few distant dates would squash
    them into one column.

    Slides over the sorted marker dates for the shortest span holding ``share`` of them, pads it by a
    twentieth of its width (at least a week); ``None`` when that window already covers a third of the
    axis or more, or there are fewer than three markers.
    """
    marks = sorted(date.fromisoformat(d) for d in table["marker_date"] if d)
    if len(marks) < 3:
        return None
    k = max(2, int(round(share * len(marks))))
    lo, hi = min(((marks[i], marks[i + k - 1]) for i in range(len(marks) - k + 1)), key=lambda w: (w[1] - w[0], w[0]))
    pad = timedelta(days=max(7, (hi - lo).days // 20))
    lo, hi = lo - pad, hi + pad
    if (hi - lo).days * 3 > (right - left).days:
        return None
    return lo, hi


def _draw(ax, table: pd.DataFrame, claims: pd.DataFrame, left: date, right: date, pad: timedelta,
          maxticks: int = 8) -> None:
    lefts, widths = [], []
    for y, claim in enumerate(claims.itertuples(index=False)):
        start = date.fromisoformat(claim.start) if claim.start else left
        end = date.fromisoformat(claim.end) + timedelta(days=1) if claim.end else right
        start, end = max(start, left - pad * 10), min(end, right + pad * 10)
        lefts.append(mdates.date2num(start))
        widths.append(mdates.date2num(end) - mdates.date2num(start))
        if not claim.start:
            ax.annotate("", xy=(mdates.date2num(left), y), xytext=(mdates.date2num(left + pad), y),
                        arrowprops={"arrowstyle": "->", "color": "#7f7f7f"})
        if not claim.end:
            ax.annotate("", xy=(mdates.date2num(right), y), xytext=(mdates.date2num(right - pad), y),
                        arrowprops={"arrowstyle": "->", "color": "#7f7f7f"})
    ax.barh(range(len(claims)), widths, left=lefts, height=0.55, color="#c7c7c7", edgecolor="#7f7f7f",
            linewidth=0.5, zorder=1)
    row_of = {c: y for y, c in enumerate(claims["claim_id"])}
    xs, ys, colors = [], [], []
    for claim_id, members in table.groupby("claim_id", sort=False):
        for k, event in enumerate(members.itertuples(index=False)):
            xs.append(mdates.date2num(date.fromisoformat(event.marker_date)))
            ys.append(row_of[claim_id] + (k - (len(members) - 1) / 2) * 0.18)  # one dot per alleging report
            colors.append(SOURCE_TYPE_COLORS.get(event.source_type, "#7f7f7f"))
    ax.scatter(xs, ys, s=28, zorder=3, c=colors, edgecolors="white", linewidths=0.6)
    ax.set_xlim(mdates.date2num(left), mdates.date2num(right))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=maxticks))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))


def select_claims(table: pd.DataFrame, max_claims: int = 40) -> pd.DataFrame:
    """Keep the rows of at most ``max_claims`` claims: those alleged by the most reports (then earliest).

    A figure stays readable with a few hundred rows; the full tables are in
    ``claims.csv`` and ``events.csv``.
    """
    if table.empty or table["claim_id"].nunique() <= max_claims:
        return table
    counts = table.groupby("claim_id")["report_id"].nunique().rename("n").reset_index()
    firsts = table.groupby("claim_id")["start"].min().rename("first").reset_index()
    ranked = counts.merge(firsts, on="claim_id").sort_values(["n", "first", "claim_id"], ascending=[False, True, True])
    keep = set(ranked["claim_id"].head(max_claims))
    return table[table["claim_id"].isin(keep)].reset_index(drop=True)


def plot_timeline(table: pd.DataFrame, title: str = "Alleged events by date") -> plt.Figure | None:
    """Draw :func:`timeline_table` rows; returns the figure, or ``None`` when there is nothing dated.

    When an old claim would squash the others, a second panel on the right
    repeats the rows over the recent window where most claims sit.
    """
    if table.empty:
        return None
    apply_style()
    claims = table.drop_duplicates("claim_id")[["claim_id", "summary", "start", "end"]].reset_index(drop=True)
    n = len(claims)
    bounds = [date.fromisoformat(d) for d in pd.concat([table["start"], table["end"], table["marker_date"]]) if d]
    lo, hi = min(bounds), max(bounds)
    pad = timedelta(days=max(180, (hi - lo).days // 20))
    left, right = lo - pad, hi + pad
    zoom = _zoom_window(table, left, right)
    height = min(1.8 + 0.3 * n, MAX_HEIGHT_IN)
    label_size = max(4.0, min(8.0, 0.8 * 72 * (height - 1.8) / n))  # points per row, whatever the number of rows
    if zoom is None:
        fig, ax = plt.subplots(figsize=(9, height))
        axes = [ax]
        _draw(ax, table, claims, left, right, pad)
    else:
        fig, axes = plt.subplots(1, 2, figsize=(11, height), sharey=True, gridspec_kw={"width_ratios": [1, 2.2]})
        _draw(axes[0], table, claims, left, right, pad, maxticks=4)
        zoom_pad = timedelta(days=max(1, (zoom[1] - zoom[0]).days // 40))
        _draw(axes[1], table, claims, zoom[0], zoom[1], zoom_pad)
        axes[0].set_title("all dates", fontsize=8, fontweight="normal")
        axes[1].set_title(f"zoom: {zoom[0].isoformat()} to {zoom[1].isoformat()}", fontsize=8, fontweight="normal")
    axes[0].set_yticks(range(n))
    axes[0].set_yticklabels([f"{c.claim_id} {_short(c.summary, 55)}" for c in claims.itertuples(index=False)],
                            fontsize=label_size)
    axes[0].set_ylim(n - 0.5, -0.5)
    fig.suptitle(title, fontsize=10, fontweight="bold", y=1 - 0.12 / height, va="top")
    fig.supxlabel("grey bar: every date the claim's wording allows; dot: one alleging report", fontsize=8)
    used = sorted(set(table["source_type"]))
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=SOURCE_TYPE_COLORS.get(t, "#7f7f7f"), label=t)
               for t in used]
    axes[-1].legend(handles=handles, title="source of the report", loc="upper left", bbox_to_anchor=(1.01, 1),
                    fontsize=7, title_fontsize=7)
    fig.tight_layout()
    # the title keeps a band of its own above the rows (half an inch, whatever the figure's height)
    fig.subplots_adjust(top=min(fig.subplotpars.top, 1 - 0.55 / height))
    return fig
