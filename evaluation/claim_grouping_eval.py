"""Grouping quality of claims on a corpus of several stories told by many reports.

The corpus is the one :mod:`evaluation.build_story_corpus` writes (ECB+
sub-topics and hand-labelled AQUAINT wire stories, each report with a
``story`` in its manifest). Every claim mention comes from
:func:`evaluation.claim_mentions.claim_mentions` (whichever claim code is
installed). Reported, for the toolkit's claims and for a SIMPLE BASELINE
grouping of the same mentions (same predicate lemma and same date interval;
undated mentions stay alone):

* the share of claims told by two reports or more, and the share of mentions
  in such claims;
* per story: its reports, the claim holding the most of them (how many), and
  for its main event the claim holding the most of the reports that mention it
  (AQUAINT: ``evaluation/data/story_main_events.csv`` gives the day and the
  predicate lemmas; ECB+: the gold cross-document chain found in the most
  reports of the sub-topic, mentions aligned by character overlap);
* purity: claims whose reports belong to two stories or more are errors
  (an ECB+ claim mixing the ``ecb`` and ``ecbplus`` sub-topics of one topic
  too): their count, their share of multi-report claims, and the share of
  mentions in them;
* on ECB+, B-cubed precision, recall and F1 of claims against the gold
  cross-document event chains, over the mentions aligned to a gold action
  mention (trigger overlapping the gold span in the same report).

Usage::

    .venv/bin/python -m evaluation.claim_grouping_eval /work/scratch/claimeval/stories \\
        --out evaluation/results/claim_grouping.csv --stories-out evaluation/results/claim_grouping_stories.csv
"""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from analysis import atomic, config

MAIN_EVENTS = Path(__file__).resolve().parent / "data" / "story_main_events.csv"


def baseline_claims(mentions: pd.DataFrame) -> pd.Series:
    """SIMPLE BASELINE claim ids: same lemma and same ``start``/``end`` interval; undated mentions alone."""
    ids = []
    for i, (lemma, start, end) in enumerate(zip(mentions["lemma"], mentions["start"], mentions["end"])):
        ids.append(f"b|{lemma}|{start}|{end}" if (start or end) and lemma else f"b|single|{i}")
    return pd.Series(ids, index=mentions.index)


def align_gold(reports: pd.DataFrame, gold: pd.DataFrame, written: Path) -> pd.DataFrame:
    """Gold mentions with offsets in the loaded report text (``start``/``end``); mentions not found are dropped.

    The loader moves the headline (and a date line) out of the text, so each
    report's offsets shift by where its loaded text begins in the written file.
    """
    texts = dict(zip(reports["report_id"], reports["text"]))
    rows = []
    for rid, group in gold.groupby("report_id", sort=True):
        text = texts.get(rid)
        path = written / f"{rid}.txt"
        if text is None or not path.is_file():
            continue
        raw = path.read_text(encoding="utf-8")
        delta = raw.find(text[:80])
        if delta < 0:
            continue
        for g in group.itertuples(index=False):
            a, b = int(g.start) - delta, int(g.end) - delta
            if a >= 0 and text[a:b] == g.text:
                rows.append({"report_id": rid, "start": a, "end": b, "chain": g.chain, "story": g.story})
    return pd.DataFrame(rows, columns=["report_id", "start", "end", "chain", "story"])


def attach_gold(mentions: pd.DataFrame, gold: pd.DataFrame) -> pd.Series:
    """The gold chain of each mention whose trigger overlaps a gold action mention of its report ("" otherwise)."""
    by_report: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for g in gold.itertuples(index=False):
        by_report[g.report_id].append((g.start, g.end, g.chain))
    chains = []
    for rid, a, b in zip(mentions["report_id"], mentions["trigger_start"], mentions["trigger_end"]):
        hit = [c for s, e, c in by_report.get(rid, ()) if a >= 0 and s < b and a < e]
        chains.append(hit[0] if hit else "")
    return pd.Series(chains, index=mentions.index)


def b_cubed(system: list[str], gold: list[str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 (percent) of two clusterings of the same items."""
    if not system:
        return {"b3_p": 0.0, "b3_r": 0.0, "b3_f1": 0.0}
    sys_sets: dict[str, set[int]] = defaultdict(set)
    gold_sets: dict[str, set[int]] = defaultdict(set)
    for i, (s, g) in enumerate(zip(system, gold)):
        sys_sets[s].add(i)
        gold_sets[g].add(i)
    p = sum(len(sys_sets[s] & gold_sets[g]) / len(sys_sets[s]) for s, g in zip(system, gold)) / len(system)
    r = sum(len(sys_sets[s] & gold_sets[g]) / len(gold_sets[g]) for s, g in zip(system, gold)) / len(system)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"b3_p": 100 * p, "b3_r": 100 * r, "b3_f1": 100 * f}


def grouping_scores(mentions: pd.DataFrame, claim: pd.Series, story_of: dict[str, str]) -> dict:
    """Multi-report share and purity of one grouping (``claim``: a claim id per mention)."""
    reports_of: dict[str, set[str]] = defaultdict(set)
    size: Counter = Counter()
    for c, rid in zip(claim, mentions["report_id"]):
        reports_of[c].add(rid)
        size[c] += 1
    multi = {c for c, r in reports_of.items() if len(r) >= 2}
    impure = {c for c in multi if len({story_of.get(r, "") for r in reports_of[c]}) >= 2}
    n = len(mentions)
    return {
        "mentions": n, "claims": len(reports_of), "multi_report_claims": len(multi),
        "multi_report_share": round(100 * len(multi) / max(1, len(reports_of)), 2),
        "mentions_in_multi_share": round(100 * sum(size[c] for c in multi) / max(1, n), 2),
        "impure_claims": len(impure), "impure_share_of_multi": round(100 * len(impure) / max(1, len(multi)), 2),
        "mentions_in_impure_share": round(100 * sum(size[c] for c in impure) / max(1, n), 2),
    }


def _lemmas(value: str) -> set[str]:
    return {p.strip() for p in str(value).split(";") if p.strip()}


def story_rows(mentions: pd.DataFrame, claim: pd.Series, story_of: dict[str, str], main: pd.DataFrame,
               system: str, gold: pd.DataFrame | None = None) -> list[dict]:
    """Per story: its reports, the largest claim among them, and the claim of its main event.

    ``main_event_reports`` counts the story's reports with a mention of the main
    event (the ceiling), ``main_event_largest_claim_reports`` how many of them
    the best claim holds.
    """
    rows = []
    frame = mentions.assign(claim=claim.values, story=[story_of.get(r, "") for r in mentions["report_id"]])
    main_by_story = {m.story: m for m in main.itertuples(index=False)}
    story_reports = Counter(story_of.values())
    for story in sorted(story_reports):
        part = frame[frame["story"] == story]
        held = part.groupby("claim")["report_id"].nunique().sort_values(ascending=False, kind="mergesort")
        largest = held.index[0] if len(held) else ""
        row = {"system": system, "story": story, "reports": story_reports[story],
               "reports_with_mentions": part["report_id"].nunique(),
               "largest_claim_reports": int(held.iloc[0]) if len(held) else 0,
               "largest_claim_statement": (part[part["claim"] == largest]["statement"].iloc[0][:120]
                                           if largest else "")}
        if story in main_by_story:  # AQUAINT: the main event's day and predicates
            m = main_by_story[story]
            day, lemmas = m.date, _lemmas(m.lemmas)
            hits = part[(part["lemma"].isin(lemmas)) & (part["start"] != "") & (part["start"] <= day)
                        & (part["end"] >= day)]
            row["main_event"] = m.description
        elif gold is not None and (gold["story"] == story).any():  # ECB+: the gold chain in the most reports
            top = (gold[gold["story"] == story].groupby("chain")["report_id"].nunique()
                   .sort_values(ascending=False, kind="mergesort"))
            hits = part[part["chain"] == top.index[0]]
            row["main_event"] = f"gold chain {top.index[0]} ({int(top.iloc[0])} reports)"
        else:
            hits = part.iloc[0:0]
            row["main_event"] = ""
        per_claim = hits.groupby("claim")["report_id"].nunique().sort_values(ascending=False, kind="mergesort")
        row["main_event_reports"] = hits["report_id"].nunique()
        row["main_event_largest_claim_reports"] = int(per_claim.iloc[0]) if len(per_claim) else 0
        rows.append(row)
    return rows


def evaluate(corpus: Path, main_events: Path = MAIN_EVENTS) -> tuple[list[dict], list[dict]]:
    """Score the toolkit's claims and the baseline on the built corpus; returns (summary rows, story rows)."""
    from analysis import load_corpus
    from analysis.sources.citations import extract_citations
    from evaluation.claim_mentions import build, claim_mentions, code_kind

    reports = load_corpus(corpus / "reports").reports
    story_of = dict(zip(reports["report_id"], reports["story"].fillna("")))
    cites = extract_citations(reports)
    similarity = None
    if code_kind() == "mentions":  # the rebuilt code reads copy evidence; the older one has no such input
        from analysis.similarity.report_similarity import compare_reports

        similarity = compare_reports(reports)
    mentions = claim_mentions(reports, cites, built=build(reports, cites, similarity))
    gold_path = corpus / "gold_mentions.csv"
    gold = pd.DataFrame(columns=["report_id", "start", "end", "chain", "story"])
    if gold_path.is_file():
        gold = align_gold(reports, pd.read_csv(gold_path, dtype={"report_id": str, "chain": str}), corpus / "reports")
    mentions["chain"] = attach_gold(mentions, gold) if len(gold) else ""
    main = pd.read_csv(main_events, dtype=str)
    summary, stories = [], []
    for system, claim in (("toolkit claims (" + code_kind() + ")", mentions["claim_id"]),
                          ("baseline same lemma + interval", baseline_claims(mentions))):
        for part, keep in (("all", None), ("ECB+", "ecb"), ("AQUAINT", "aquaint")):
            mask = pd.Series(True, index=mentions.index)
            if keep == "ecb":
                mask = mentions["report_id"].str.startswith("ecb_")
            elif keep == "aquaint":
                mask = ~mentions["report_id"].str.startswith("ecb_")
            sub = mentions[mask]
            row = {"system": system, "part": part, "reports": len({r for r in reports["report_id"] if
                   keep is None or (r.startswith("ecb_") == (keep == "ecb"))}),
                   **grouping_scores(sub, claim[mask], story_of)}
            if keep != "aquaint":
                aligned = sub["chain"] != ""
                row["gold_aligned_mentions"] = int(aligned.sum())
                row.update({k: round(v, 2) for k, v in b_cubed(claim[mask][aligned].tolist(),
                                                                sub["chain"][aligned].tolist()).items()})
            summary.append(row)
        stories.extend(story_rows(mentions, claim, story_of, main, system, gold))
    return summary, stories


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the folder written by evaluation.build_story_corpus")
    parser.add_argument("--main-events", type=Path, default=MAIN_EVENTS)
    parser.add_argument("--out", type=Path, help="write the summary rows to this CSV")
    parser.add_argument("--stories-out", type=Path, help="write the per-story rows to this CSV")
    args = parser.parse_args(argv)
    summary, stories = evaluate(args.corpus, args.main_events)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    print(pd.DataFrame(summary).to_string(index=False))
    print(pd.DataFrame(stories).drop(columns=["largest_claim_statement"]).to_string(index=False))
    if args.out:
        frame = pd.DataFrame(summary)
        if "gold_aligned_mentions" in frame.columns:  # empty on the AQUAINT rows: keep the counts integers
            frame["gold_aligned_mentions"] = frame["gold_aligned_mentions"].astype("Int64")
        atomic.write_csv(args.out, frame)
    if args.stories_out:
        atomic.write_csv(args.stories_out, pd.DataFrame(stories))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
