"""Cited sources per report and the corpus tables built from them (by type, anonymous share, most cited, relay chains)."""
from __future__ import annotations

import hashlib
import pandas as pd
from spacy.tokens import Doc
from analysis.pipeline import features
from analysis.sources.aliases import AliasTable, alias_key, as_alias_table, normalise_name, spelling_map

from analysis.sources.attribution import extract_from_doc
from analysis.sources.cue_words import CITATION_COLUMNS


#: The files whose code computes a report's attributions (its cache key).
CODE_FILES = tuple(f"sources/{name}.py" for name in
                   ("citations", "attribution", "attribution_parts", "source_types", "cue_words", "aliases", "person_names"))

def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c.endswith(("_char", "_start", "_end")) else "object")
                          for c in CITATION_COLUMNS})
    return frame


#: Columns of ``reports`` that name an outlet of a report (the loader's; an export field or page metadata
#: lands in ``outlet`` too).
OUTLET_COLUMNS = ("outlet", "original_outlet")


def corpus_outlets(reports: pd.DataFrame, table: AliasTable) -> dict[str, str]:
    """Every outlet of a report in the corpus: ``{alias key: canonical name}``.

    Accepts the ``reports`` table (its :data:`OUTLET_COLUMNS` that exist) and
    the alias table. A name is keyed as written and by its canonical name (the
    alias table's, else :func:`normalise_name`), so "the Valmont Courier" and
    "Valmont Courier" are one outlet. Cited anywhere in the corpus, these names
    are ``media`` sources.
    """
    names = sorted({str(v) for col in OUTLET_COLUMNS if col in reports.columns
                    for v in reports[col].fillna("") if str(v).strip()})
    outlets: dict[str, str] = {}
    for name in names:
        canonical = table.canonical(name)
        if not normalise_name(canonical):
            continue
        for key in (alias_key(name), alias_key(canonical)):
            outlets.setdefault(key, canonical)
    return outlets


def _outlets_fingerprint(outlets: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(f"{k}\t{v}" for k, v in sorted(outlets.items())).encode("utf-8")).hexdigest()


def unify_names(frame: pd.DataFrame, table: AliasTable) -> pd.DataFrame:
    """One spelling and one type per named source across the corpus.

    Spellings that differ only in case ("ITAR-Tass", "Itar-Tass") take one
    canonical form (:func:`analysis.sources.aliases.spelling_map`), in
    ``source_canonical`` and ``via``; a name typed ``media`` in any mention (a
    media noun, the alias table, a corpus outlet) is ``media`` in every mention
    that is not a document, so one agency gets one type. Returns a new frame.
    """
    if frame.empty:
        return frame
    frame = frame.copy()
    spellings = spelling_map(list(frame["source_canonical"]) + [v for v in frame["via"] if v], table)
    if spellings:
        frame["source_canonical"] = frame["source_canonical"].map(lambda n: spellings.get(n, n))
        frame["via"] = frame["via"].map(lambda n: spellings.get(n, n))
    named = frame["source_canonical"].str[:1].str.isupper()
    media = set(frame.loc[named & (frame["source_type"] == "media"), "source_canonical"])
    retype = named & frame["source_canonical"].isin(media) & ~frame["source_type"].isin(["media", "document"])
    frame.loc[retype, "source_type"] = "media"
    return frame


def _citation_rows(doc: Doc, table: AliasTable, outlets: dict[str, str] | None = None) -> list[dict]:
    """The attributions of one parsed report as row dicts (:data:`CITATION_COLUMNS` minus ``report_id``)."""
    return [
        {
            "source": att.source, "source_canonical": att.canonical, "source_type": att.type, "cue": att.cue,
            "via": att.via, "sentence": att.sentence, "start_char": att.start_char, "end_char": att.end_char,
            "sent_start": att.sent_start, "sent_end": att.sent_end,
        }
        for att in extract_from_doc(doc, table, outlets)
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
    The outlets of the corpus's reports (:func:`corpus_outlets`) are media
    sources wherever they are cited, so a report's rows depend on the corpus
    (its cache key holds the outlet set). Returns a DataFrame with columns :data:`CITATION_COLUMNS`, sorted by
    ``report_id, start_char``; offsets index the report's ``text``.
    """
    table = as_alias_table(aliases)
    outlets = corpus_outlets(reports, table)
    if docs is None:
        depends = features.code_version(*CODE_FILES) + _alias_fingerprint(table) + _outlets_fingerprint(outlets)
        results = features.per_report(reports, "citations", depends,
                                      lambda report, doc: _citation_rows(doc, table, outlets), desc="citations")
    else:
        results = []
        for report_id, text in zip(reports["report_id"], reports["text"]):
            doc = docs[report_id]
            assert doc.text == text, f"Doc text of {report_id} differs from the report text"
            results.append(_citation_rows(doc, table, outlets))
    if not any(results):
        return _empty()
    frame = features.rows_frame(reports, results, CITATION_COLUMNS)
    assert ((frame["start_char"] < frame["end_char"]) & (frame["sent_start"] <= frame["start_char"])
            & (frame["end_char"] <= frame["sent_end"])).all(), "source spans must lie inside their sentences"
    frame = unify_names(frame, table)
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
