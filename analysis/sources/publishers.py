"""Who published each report: outlets in their roles.

A report's ``outlet`` published the copy analysed; when the copy is a
republication, ``original_outlet`` first published it. Both count, each in its
role: an article by a MintPress News writer republished by Global Research
gives MintPress News one ``original`` and Global Research one ``republisher``.
A report whose outlet is unknown counts under ``UNKNOWN_OUTLET``.
"""
from __future__ import annotations

import pandas as pd

from analysis.sources.aliases import AliasTable, as_alias_table

#: Stand-in name for reports whose publisher the loader could not tell.
UNKNOWN_OUTLET = "(unknown outlet)"
ROLE_COLUMNS = ["report_id", "outlet", "outlet_canonical", "role"]
PUBLISHER_COLUMNS = [
    "outlet", "outlet_canonical", "n_reports", "n_published", "n_original", "n_republished", "report_ids",
]
#: role of an outlet for one report
ROLES = ("publisher", "original", "republisher")


def publisher_roles(reports: pd.DataFrame, aliases: AliasTable | str | None = None) -> pd.DataFrame:
    """One row per (report, outlet, role).

    Accepts the corpus ``reports`` table (``report_id, outlet, original_outlet``)
    and an optional alias table (for ``outlet_canonical``). Roles:
    ``publisher`` (the outlet of a report that is not a republication),
    ``republisher`` (the outlet of a republished copy) and ``original`` (the
    ``original_outlet`` of a republished copy). Sorted by report_id, role, outlet.
    """
    table = as_alias_table(aliases)
    rows = []
    for rid, outlet, original in zip(reports["report_id"], reports["outlet"], reports["original_outlet"]):
        outlet = str(outlet or "").strip() or UNKNOWN_OUTLET
        original = str(original or "").strip()
        if original and original.casefold() != outlet.casefold():
            rows.append((rid, outlet, "republisher"))
            rows.append((rid, original, "original"))
        else:
            rows.append((rid, outlet, "publisher"))
    frame = pd.DataFrame(rows, columns=["report_id", "outlet", "role"])
    frame["outlet_canonical"] = [o if o == UNKNOWN_OUTLET else table.canonical(o) for o in frame["outlet"]]
    return frame[ROLE_COLUMNS].sort_values(["report_id", "role", "outlet"], kind="mergesort").reset_index(drop=True)


def publishers(reports: pd.DataFrame, aliases: AliasTable | str | None = None) -> pd.DataFrame:
    """Reports per outlet, by role.

    Returns one row per outlet (as written in the reports table) with
    ``outlet_canonical``, ``n_reports`` (distinct reports it appears in, any
    role), ``n_published``, ``n_original``, ``n_republished`` and
    ``report_ids`` (";"-joined, sorted). Sorted by n_reports descending, then outlet.
    """
    roles = publisher_roles(reports, aliases)
    if roles.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else "object")
                             for c in PUBLISHER_COLUMNS})
    rows = []
    for outlet, grp in roles.groupby("outlet", sort=True):
        counts = grp["role"].value_counts()
        rows.append({
            "outlet": outlet,
            "outlet_canonical": grp["outlet_canonical"].iloc[0],
            "n_reports": grp["report_id"].nunique(),
            "n_published": int(counts.get("publisher", 0)),
            "n_original": int(counts.get("original", 0)),
            "n_republished": int(counts.get("republisher", 0)),
            "report_ids": ";".join(sorted(grp["report_id"].unique())),
        })
    frame = pd.DataFrame(rows, columns=PUBLISHER_COLUMNS)
    assert frame["n_reports"].sum() >= len(reports) or reports.empty
    return frame.sort_values(["n_reports", "outlet"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
