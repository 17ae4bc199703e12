"""Export claims for Knight Lab's TimelineJS: its JSON format and its Google-sheet template.

A claim becomes one slide. ``start_date``/``end_date`` hold only the date
parts the claim's interval supports: a year claim gives ``{"year": "2015"}``,
a season ``{"year": "2018", "month": "6"}`` to ``{"year": "2018", "month": "8"}``,
never an invented 1 January. ``display_date`` keeps the reader-facing reading
("2015", "Summer 2018", "Aug-Sep 2019"); ``group`` is the kind of source the
claim rests on; ``unique_id`` is the claim id. Claims without a resolved date
cannot be placed on a time axis and are left out (the notebook says how many).

The sheet has TimelineJS's template columns (:data:`SHEET_COLUMNS`) so it can
be pasted into a copy of the Knight Lab template and published as is.
"""
from __future__ import annotations

import calendar
import html
from datetime import date

import pandas as pd

from analysis.timeline.claims import events_by_claim

SHEET_COLUMNS = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
                 "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
                 "Background"]
_MONTH_ABBR = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _granularity(start: date, end: date) -> str:
    """``year``, ``month`` or ``day``: the coarsest unit whose boundaries the interval sits on."""
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return "year"
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        return "month"
    return "day"


def date_parts(day: date, granularity: str) -> dict[str, str]:
    """A TimelineJS date object with only the parts ``granularity`` supports (strings, as the sheet gives them)."""
    parts = {"year": str(day.year)}
    if granularity in ("month", "day"):
        parts["month"] = str(day.month)
    if granularity == "day":
        parts["day"] = str(day.day)
    return parts


def display_date(start: date, end: date) -> str:
    """A reader-facing label of ``[start, end]`` at its own granularity ("2015", "2015-2016", "Jun-Aug 2018")."""
    unit = _granularity(start, end)
    if unit == "year":
        if start.year == end.year:
            return str(start.year)
        if start.year % 10 == 0 and end.year == start.year + 9:
            return f"{start.year}s"
        return f"{start.year}-{end.year}"
    if unit == "month":
        first = f"{_MONTH_ABBR[start.month]} {start.year}"
        if (start.year, start.month) == (end.year, end.month):
            return first
        if start.year == end.year:
            return f"{_MONTH_ABBR[start.month]}-{_MONTH_ABBR[end.month]} {start.year}"
        return f"{first} - {_MONTH_ABBR[end.month]} {end.year}"
    if start == end:
        return f"{start.day} {_MONTH_ABBR[start.month]} {start.year}"
    return f"{start.day} {_MONTH_ABBR[start.month]} {start.year} - {end.day} {_MONTH_ABBR[end.month]} {end.year}"


def _main_group(types: str) -> str:
    kinds = sorted({t.strip() for t in types.split(";") if t.strip()} - {"unattributed"})
    return ", ".join(kinds) if kinds else "unattributed"


def _slides(claims: pd.DataFrame, events: pd.DataFrame, reports: pd.DataFrame) -> list[dict]:
    outlets = dict(zip(reports["report_id"], reports["outlet"]))
    titles = dict(zip(reports["report_id"], reports["title"]))
    published = dict(zip(reports["report_id"], reports["published"]))
    # the claim mentions (readable statements) when given, else the events (their sentences)
    ident = "mention_id" if "mention_id" in events.columns else "event_id"
    said = "statement" if "statement" in events.columns else "sentence"
    columns = [ident, "report_id", "source", "hedged", said, "source_type"]
    by_claim = events_by_claim(events, columns) if len(events) else {}
    slides = []
    for claim in claims.sort_values("claim_id").itertuples(index=False):
        if not claim.start or not claim.end:
            continue  # an open or unresolved interval has no place on a TimelineJS axis
        start, end = date.fromisoformat(claim.start), date.fromisoformat(claim.end)
        unit = _granularity(start, end)
        members = sorted(by_claim[claim.claim_id], key=lambda e: getattr(e, ident))
        lines = []
        told = set()
        for event in members:
            if event.report_id in told:
                continue  # one line per report: its first statement of the claim
            told.add(event.report_id)
            who = outlets.get(event.report_id) or titles.get(event.report_id) or event.report_id
            when = f", {published[event.report_id]}" if published.get(event.report_id) else ""
            source = f" Source: {event.source}." if event.source else " No source named."
            hedge = " (hedged)" if event.hedged else ""
            lines.append(f"<p><b>{html.escape(who)}{html.escape(when)}</b>{hedge}: "
                         f"&ldquo;{html.escape(getattr(event, said))}&rdquo;{html.escape(source)}</p>")
        lines.append(f"<p>{claim.n_reports} report(s); {claim.independent_origins} independent origin(s)"
                     + (f"; first appeared {claim.first_appearance}" if claim.first_appearance else "") + ".</p>")
        slide = {
            "unique_id": claim.claim_id,
            "start_date": date_parts(start, unit),
            "display_date": display_date(start, end),
            "text": {"headline": getattr(claim, "statement", claim.summary), "text": "\n".join(lines)},
            "group": _main_group("; ".join(e.source_type for e in members)),
        }
        if date_parts(start, unit) != date_parts(end, unit):
            slide["end_date"] = date_parts(end, unit)
        slides.append(slide)
    return slides


def timeline_json(claims: pd.DataFrame, events: pd.DataFrame, reports: pd.DataFrame,
                  title: str = "Alleged events") -> dict:
    """The TimelineJS JSON object (``title`` + ``events``) for ``claims`` with resolved dates.

    Accepts claims (:func:`analysis.timeline.claims.summarise_claims`), the claim mentions (or events) with
    ``claim_id`` and the corpus reports (``outlet``, ``title``, ``published``). A slide's headline is the
    claim's readable statement; its text quotes each report's statement of it, with the sources named.
    """
    return {
        "title": {"text": {"headline": title,
                           "text": "Claims of the corpus on one axis; each slide lists the reports alleging it."}},
        "events": _slides(claims, events, reports),
    }


def timeline_sheet(claims: pd.DataFrame, events: pd.DataFrame, reports: pd.DataFrame,
                   title: str = "Alleged events") -> pd.DataFrame:
    """The same timeline as rows of the TimelineJS Google-sheet template (:data:`SHEET_COLUMNS`), title row first."""
    rows = [{**{c: "" for c in SHEET_COLUMNS}, "Headline": title, "Type": "title",
             "Text": "Claims of the corpus on one axis; each slide lists the reports alleging it."}]
    for slide in _slides(claims, events, reports):
        start, end = slide["start_date"], slide.get("end_date", {})
        rows.append({
            **{c: "" for c in SHEET_COLUMNS},
            "Year": start["year"], "Month": start.get("month", ""), "Day": start.get("day", ""),
            "End Year": end.get("year", ""), "End Month": end.get("month", ""), "End Day": end.get("day", ""),
            "Display Date": slide["display_date"], "Headline": slide["text"]["headline"],
            "Text": slide["text"]["text"], "Group": slide["group"],
        })
    return pd.DataFrame(rows, columns=SHEET_COLUMNS)


def write_timeline(claims: pd.DataFrame, events: pd.DataFrame, reports: pd.DataFrame, paths,
                   title: str = "Alleged events") -> dict[str, "object"]:
    """Write ``timeline.json`` (TimelineJS JSON) and ``timeline_sheet.csv`` (TimelineJS sheet) to ``paths.processed``.

    Returns the written paths keyed by file name.
    """
    from analysis import atomic

    return {
        "timeline.json": atomic.write_json(paths.table("timeline.json"),
                                           timeline_json(claims, events, reports, title)),
        "timeline_sheet.csv": atomic.write_csv(paths.table("timeline_sheet.csv"),
                                               timeline_sheet(claims, events, reports, title)),
    }
