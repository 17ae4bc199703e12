"""Alleged events of the seeds against a hand-labelled gold set.

The gold (``tests/timeline/fixtures/seed_events_gold.csv``) was written from
the seed texts before any output was looked at: one row per dated alleged
event, with a verbatim ``snippet`` of its sentence, its ``date_text`` and
its honest interval (empty when the text gives no anchor).

A predicted event matches a gold row when it is in the same report, its
sentence contains the gold snippet and one date text contains the other.
Reports event precision and recall, and among matched events the share whose
``start``/``end`` equal the gold interval exactly.

Usage::

    .venv/bin/python -m evaluation.seed_events_eval [GOLD_CSV]
"""
from __future__ import annotations

import argparse
import re

import pandas as pd

from analysis import config

DEFAULT_GOLD = config.REPO_ROOT / "tests" / "timeline" / "fixtures" / "seed_events_gold.csv"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("’", "'").replace("“", '"').replace("”", '"')).strip().lower()


def match_events(events: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Gold rows with the ``event_id`` of their matching prediction ("" when missed) and interval agreement."""
    used: set[str] = set()
    rows = []
    for g in gold.itertuples(index=False):
        prefix = str(g.report).zfill(3)
        candidates = events[events["report_id"].str.startswith(prefix + "_")]
        hit = ""
        for e in candidates.itertuples(index=False):
            if e.event_id in used or _norm(g.snippet) not in _norm(e.sentence):
                continue
            a, b = _norm(g.date_text), _norm(e.date_text)
            if a in b or b in a:
                hit = e.event_id
                used.add(hit)
                break
        exact = False
        if hit:
            e = events[events["event_id"] == hit].iloc[0]
            exact = (e["start"] == (g.start if isinstance(g.start, str) else "")
                     and e["end"] == (g.end if isinstance(g.end, str) else ""))
        rows.append({"report": prefix, "date_text": g.date_text, "event_id": hit, "interval_exact": exact,
                     "gold_start": g.start, "gold_end": g.end})
    return pd.DataFrame(rows)


def score(events: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float]:
    """Event precision/recall/F1 and interval exactness of ``events`` against ``gold`` (percent)."""
    matched = match_events(events, gold)
    tp = int((matched["event_id"] != "").sum())
    p = tp / max(len(events), 1)
    r = tp / max(len(gold), 1)
    return {"n_gold": len(gold), "n_pred": len(events), "matched": tp, "precision": 100 * p, "recall": 100 * r,
            "f1": 0.0 if p + r == 0 else 200 * p * r / (p + r),
            "interval_exact": 100 * float(matched.loc[matched["event_id"] != "", "interval_exact"].mean()) if tp else 0.0}


def seed_events() -> pd.DataFrame:
    """The events the toolkit extracts from the embedded seeds (with their attributions)."""
    import analysis
    from analysis.timeline import events
    from analysis.pipeline import nlp
    from analysis.sources import citations

    reports = analysis.load_corpus(config.SEEDS_DIR).reports
    docs = nlp.parse_reports(reports)
    return events.extract_events(reports, docs, citations.extract_citations(reports, docs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed events against the hand-labelled gold")
    parser.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    gold = pd.read_csv(args.gold, dtype=str, keep_default_na=False)
    events = seed_events()
    if args.details:
        matches = match_events(events, gold)
        print(matches.to_string())
        matched = set(matches["event_id"])
        print(events.loc[~events["event_id"].isin(matched), ["event_id", "date_text", "sentence"]].to_string())
    m = score(events, gold)
    print(f"seed events: gold {m['n_gold']}, predicted {m['n_pred']}, matched {m['matched']}; "
          f"precision {m['precision']:.1f}, recall {m['recall']:.1f}, F1 {m['f1']:.1f}; "
          f"interval exact {m['interval_exact']:.1f}% of matched")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
