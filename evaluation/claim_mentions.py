"""One table of claim mentions for the evaluations, from whichever claim code is installed.

The claim evaluations (:mod:`evaluation.semeval_timeline_eval`,
:mod:`evaluation.claim_grouping_eval`, :mod:`evaluation.seed_claims_check`) and
``benchmarks/bench_claims.py`` measure ``analysis.timeline.claims.build_claims``
before and after its rebuild (issue 25). The two versions return different
tables:

* the rebuilt code returns ``(mentions, claims)``: one row per predicate, with
  its trigger's character offsets (``trigger_start``, ``trigger_end``), its
  ``lemma`` and its ``participants``;
* the older code returns ``(events, claims)``: one row per dated event, with no
  trigger offsets. Its trigger is recovered exactly as the old code chose it:
  the verb that governs the event's time expression
  (``analysis.timeline.events._governing_verb``), found again in the cached parse.

:func:`claim_mentions` gives both as one frame of :data:`COLUMNS`.
"""
from __future__ import annotations

import pandas as pd

#: Columns of :func:`claim_mentions`, in order.
COLUMNS = ["report_id", "claim_id", "trigger", "trigger_start", "trigger_end", "lemma", "participants",
           "start", "end", "precision", "sent_start", "sent_end", "statement"]


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def names(value) -> list[str]:
    """The ``; ``-joined names of a participants/actors/places cell as a list (empty cells give [])."""
    return [part.strip() for part in _text(value).split(";") if part.strip()]


def code_kind() -> str:
    """``"mentions"`` when the installed claim code has claim mentions with trigger offsets, else ``"events"``."""
    import inspect

    from analysis.timeline import claims

    source = inspect.getsource(claims)
    return "mentions" if "trigger_start" in source else "events"


def build(reports: pd.DataFrame, citations: pd.DataFrame | None = None, similarity=None):
    """``build_claims`` of the installed code: ``(mentions or events, claims)``.

    ``similarity`` is passed only to code that accepts it (the rebuilt code's
    copy evidence); the older code has no such argument.
    """
    import inspect

    from analysis.timeline.claims import build_claims

    kwargs = {"citations": citations}
    if similarity is not None and "similarity" in inspect.signature(build_claims).parameters:
        kwargs["similarity"] = similarity
    return build_claims(reports, **kwargs)


def _old_triggers(events: pd.DataFrame, reports: pd.DataFrame) -> list[tuple[str, int, int, str]]:
    """``(trigger, start, end, lemma)`` per event of the older code: the verb governing its date."""
    from analysis.pipeline import nlp
    from analysis.timeline.events import _governing_verb

    texts = dict(zip(reports["report_id"], reports["text"]))
    wanted = sorted(set(events["report_id"]))
    found: dict[tuple[str, int, int], tuple[str, int, int, str]] = {}
    by_report: dict[str, list[tuple[int, int]]] = {}
    for rid, a, b in zip(events["report_id"], events["date_start_char"], events["date_end_char"]):
        by_report.setdefault(rid, []).append((int(a), int(b)))
    for rid, doc in zip(wanted, nlp.iter_docs([texts[r] for r in wanted], progress=False)):
        for a, b in by_report[rid]:
            span = doc.char_span(a, b, alignment_mode="expand")
            verb = _governing_verb(span) if span is not None else None
            if verb is None:
                found[(rid, a, b)] = ("", -1, -1, "")
            else:
                found[(rid, a, b)] = (verb.text, verb.idx, verb.idx + len(verb.text), verb.lemma_.lower())
    return [found[(rid, int(a), int(b))] for rid, a, b in
            zip(events["report_id"], events["date_start_char"], events["date_end_char"])]


def claim_mentions(reports: pd.DataFrame, citations: pd.DataFrame | None = None, similarity=None,
                   built=None) -> pd.DataFrame:
    """Every claim mention of ``reports`` as one frame of :data:`COLUMNS`, sorted by report and trigger.

    Accepts the corpus table, its attributions, optionally the copy evidence
    (rebuilt code only) and an already computed ``build_claims`` result
    ``built``. ``participants`` is ``; ``-joined: the rebuilt code's
    participants; for the older code its actors, their affiliations and its
    places (everything it knew of who and where).
    """
    frame, _ = built if built is not None else build(reports, citations, similarity)
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame({"report_id": frame["report_id"].astype(str), "claim_id": frame["claim_id"].astype(str)})
    if "trigger_start" in frame.columns:
        out["trigger"] = frame["trigger"].map(_text)
        out["trigger_start"] = frame["trigger_start"].astype(int)
        out["trigger_end"] = frame["trigger_end"].astype(int)
        out["lemma"] = frame["lemma"].map(_text).str.lower()
        parts = [frame[c].map(_text) if c in frame.columns else pd.Series([""] * len(frame))
                 for c in ("participants", "actors", "places")]
        out["participants"] = ["; ".join(dict.fromkeys(names(p) + names(a) + names(pl)))
                               for p, a, pl in zip(*parts)]
        out["statement"] = frame["statement"].map(_text) if "statement" in frame.columns else frame["sentence"]
    else:
        triggers = _old_triggers(frame, reports) if len(frame) else []
        out["trigger"] = [t[0] for t in triggers]
        out["trigger_start"] = [t[1] for t in triggers]
        out["trigger_end"] = [t[2] for t in triggers]
        out["lemma"] = [t[3] for t in triggers]
        out["participants"] = ["; ".join(dict.fromkeys(names(a) + names(f) + names(p))) for a, f, p in
                               zip(frame["actors"], frame.get("affiliations", frame["actors"]), frame["places"])]
        out["statement"] = frame["sentence"].map(_text)
    for column in ("start", "end", "precision"):
        out[column] = frame[column].map(_text)
    out["sent_start"] = frame["sent_start"].astype(int)
    out["sent_end"] = frame["sent_end"].astype(int)
    out = out[COLUMNS]
    return out.sort_values(["report_id", "trigger_start", "claim_id"], kind="mergesort").reset_index(drop=True)
