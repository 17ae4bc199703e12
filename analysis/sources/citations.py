"""Cited sources per report and the corpus tables built from them (by type, anonymous share, most cited, relay chains)."""
from __future__ import annotations

import hashlib
import pandas as pd
from spacy.tokens import Doc
from analysis.pipeline import features
from analysis.sources.aliases import AliasTable, as_alias_table

from analysis.sources.attribution import extract_from_doc
from analysis.sources.cue_words import CITATION_COLUMNS


#: The files whose code computes a report's attributions (its cache key).
CODE_FILES = tuple(f"sources/{name}.py" for name in
                   ("citations", "attribution", "attribution_parts", "source_types", "cue_words", "aliases", "person_names"))

def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c.endswith(("_char", "_start", "_end")) else "object")
                          for c in CITATION_COLUMNS})
    return frame


def _citation_rows(doc: Doc, table: AliasTable) -> list[dict]:
    """The attributions of one parsed report as row dicts (:data:`CITATION_COLUMNS` minus ``report_id``)."""
    return [
        {
            "source": att.source, "source_canonical": att.canonical, "source_type": att.type, "cue": att.cue,
            "via": att.via, "sentence": att.sentence, "start_char": att.start_char, "end_char": att.end_char,
            "sent_start": att.sent_start, "sent_end": att.sent_end,
        }
        for att in extract_from_doc(doc, table)
    ]


def _alias_fingerprint(table: AliasTable) -> str:
    return hashlib.sha256(table.frame.to_csv(index=False).encode("utf-8")).hexdigest()


def extract_citations(
    reports: pd.DataFrame,
    docs: dict[str, Doc] | None = None,
    aliases: AliasTable | str | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every attribution in every report, one row per (source mention, cue).

    Accepts the corpus ``reports`` table (``report_id`` and ``text`` used),
    optionally the parsed Docs from :func:`analysis.nlp.parse_reports` (without
    them, each report's rows come from the per-report cache of
    :mod:`analysis.features`, computed from the cached parse when missing) and
    an alias table, a user alias CSV path or a DataFrame of extra alias rows.
    Returns a DataFrame with columns :data:`CITATION_COLUMNS`, sorted by
    ``report_id, start_char``; offsets index the report's ``text``.
    """
    table = as_alias_table(aliases)
    if docs is None:
        depends = features.code_version(*CODE_FILES) + _alias_fingerprint(table)
        results = features.per_report(reports, "citations", depends,
                                      lambda report, doc: _citation_rows(doc, table), desc="citations")
    else:
        results = []
        for report_id, text in zip(reports["report_id"], reports["text"]):
            doc = docs[report_id]
            assert doc.text == text, f"Doc text of {report_id} differs from the report text"
            results.append(_citation_rows(doc, table))
    if not any(results):
        return _empty()
    frame = features.rows_frame(reports, results, CITATION_COLUMNS)
    assert ((frame["start_char"] < frame["end_char"]) & (frame["sent_start"] <= frame["start_char"])
            & (frame["end_char"] <= frame["sent_end"])).all(), "source spans must lie inside their sentences"
    frame = frame.sort_values(["report_id", "start_char", "end_char", "cue"], kind="mergesort").reset_index(drop=True)
    return frame


# --- summaries ------------------------------------------------------------------
#: Source types in display order.
TYPE_ORDER = ["media", "official", "organization", "person", "document", "anonymous"]


def attributions_by_type(citations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Attributions per report and source type: one row per report (all reports, zeros included).

    Returns ``report_id``, one count column per type in :data:`TYPE_ORDER` and
    ``total``, sorted by report_id.
    """
    counts = pd.crosstab(citations["report_id"], citations["source_type"]) if len(citations) else pd.DataFrame()
    frame = pd.DataFrame({"report_id": sorted(reports["report_id"])})
    for typ in TYPE_ORDER:
        col = counts[typ] if typ in counts.columns else pd.Series(dtype="int64")
        frame[typ] = frame["report_id"].map(col).fillna(0).astype("int64")
    frame["total"] = frame[TYPE_ORDER].sum(axis=1).astype("int64")
    return frame


def anonymous_share(citations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Share of each report's attributed statements that rest on anonymous sources.

    Returns ``report_id, n_attributions, n_anonymous, anonymous_share`` (share
    is empty/NaN for a report with no attribution), sorted by report_id.
    """
    by_type = attributions_by_type(citations, reports)
    frame = pd.DataFrame({
        "report_id": by_type["report_id"],
        "n_attributions": by_type["total"],
        "n_anonymous": by_type["anonymous"],
    })
    frame["anonymous_share"] = (frame["n_anonymous"] / frame["n_attributions"].where(frame["n_attributions"] > 0)).round(3)
    return frame


def most_cited(citations: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` most-cited sources across the corpus.

    Counts attributions per canonical name (``n_attributions``) and the
    reports citing it (``n_reports``); returns ``source_canonical,
    source_type, n_attributions, n_reports``, most attributions first, ties
    broken by name. Anonymous descriptions are counted by wording, so
    "informed sources" in two reports add up as a phrase, not as one person.
    """
    cols = ["source_canonical", "source_type", "n_attributions", "n_reports"]
    if citations.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else "object") for c in cols})
    grp = citations.groupby("source_canonical", sort=True)
    frame = pd.DataFrame({
        "source_type": grp["source_type"].agg(lambda s: s.value_counts().sort_index().idxmax()),
        "n_attributions": grp.size(),
        "n_reports": grp["report_id"].nunique(),
    }).reset_index()
    frame = frame.sort_values(["n_attributions", "n_reports", "source_canonical"], ascending=[False, False, True],
                              kind="mergesort")
    return frame[cols].head(n).reset_index(drop=True)


def relay_chains(citations: pd.DataFrame) -> pd.DataFrame:
    """Second-hand attributions as chains: ``report_id, via, source_canonical, source_type, cue, sentence``."""
    cols = ["report_id", "via", "source_canonical", "source_type", "cue", "sentence"]
    frame = citations[citations["via"] != ""] if len(citations) else citations
    return frame[cols].sort_values(["report_id", "via", "source_canonical"], kind="mergesort").reset_index(drop=True)
