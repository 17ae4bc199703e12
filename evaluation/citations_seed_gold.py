"""Score ``analysis.citations`` against the hand-labelled attributions of the seeds.

The gold file (``tests/sources/fixtures/seed_gold.csv``) was labelled from the
seed texts before the extractor existed. Each row locates one source mention
by a snippet of its sentence; a predicted citation matches a gold row when
its source span overlaps the gold source span in the same report (one-to-one).
Reported: precision/recall/F1 of source mentions, of (mention, type) and of
(mention, canonical name).

Run: ``.venv/bin/python -m evaluation.citations_seed_gold [corpus_dir]``
(default: the embedded seeds).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

GOLD_CSV = Path(__file__).resolve().parents[1] / "tests" / "sources" / "fixtures" / "seed_gold.csv"


def _norm(text: str) -> str:
    # non-breaking spaces are the only same-length difference between captures and the gold snippets
    return text.replace("\u00a0", " ")


def locate_gold(gold: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Add ``start_char/end_char`` of each gold source in its report ``text``; drop rows whose text is absent."""
    texts = dict(zip(reports["report_id"], reports["text"].map(_norm)))
    rows = []
    for row in gold.itertuples(index=False):
        text = texts.get(row.report_id)
        if text is None or _norm(row.snippet) not in text:
            continue
        base = text.index(_norm(row.snippet)) + _norm(row.snippet).index(_norm(row.source))
        rows.append({**row._asdict(), "start_char": base, "end_char": base + len(row.source)})
    return pd.DataFrame(rows)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp,
            "predicted": n_pred, "gold": n_gold}


def score(pred: pd.DataFrame, gold: pd.DataFrame) -> dict[str, dict[str, float]]:
    """P/R/F1 of source mentions, of mention+type and mention+canonical (case-insensitive), one-to-one."""
    # one predicted row per source mention (a mention with two cues is one mention)
    pred = pred.drop_duplicates(["report_id", "start_char", "end_char"]).reset_index(drop=True)
    pairs = []
    for g_i, g in gold.iterrows():
        cand = pred[(pred.report_id == g.report_id) & (pred.start_char < g.end_char) & (pred.end_char > g.start_char)]
        for p_i, p in cand.iterrows():
            overlap = min(p.end_char, g.end_char) - max(p.start_char, g.start_char)
            pairs.append((-overlap, g_i, p_i))
    used_g, used_p, matches = set(), set(), []
    for _, g_i, p_i in sorted(pairs):
        if g_i in used_g or p_i in used_p:
            continue
        used_g.add(g_i)
        used_p.add(p_i)
        matches.append((g_i, p_i))
    typed = sum(gold.loc[g, "source_type"] == pred.loc[p, "source_type"] for g, p in matches)
    named = sum(gold.loc[g, "source_canonical"].casefold() == pred.loc[p, "source_canonical"].casefold()
                for g, p in matches)
    return {
        "source": _prf(len(matches), len(pred), len(gold)),
        "source+type": _prf(typed, len(pred), len(gold)),
        "source+canonical": _prf(named, len(pred), len(gold)),
    }, matches, pred


def main(argv: list[str] | None = None) -> int:
    import analysis
    from analysis import config
    from analysis.sources import citations

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", nargs="?", default=None, help="seed folder (default: embedded seeds)")
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    reports = analysis.load_corpus(config.corpus_dir(args.corpus_dir)).reports
    gold_all = pd.read_csv(GOLD_CSV, dtype=str, keep_default_na=False)
    gold = locate_gold(gold_all, reports)
    pred = citations.extract_citations(reports)
    result, matches, dedup = score(pred, gold)
    print(f"gold rows: {len(gold_all)} labelled, {len(gold)} present in the loaded texts")
    for name, m in result.items():
        print(f"{name:18s} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
              f"(tp={m['tp']}, predicted={m['predicted']}, gold={m['gold']})")
    if args.show:
        mg = {g for g, _ in matches}
        mp = {p for _, p in matches}
        print("\nMISSED:")
        for i, g in gold.iterrows():
            if i not in mg:
                print(f"  {g.report_id[:3]} {g.source!r} ({g.source_type}, {g.cue})")
        print("FALSE ALARMS:")
        for i, p in dedup.iterrows():
            if i not in mp:
                print(f"  {p.report_id[:3]} {p.source!r} ({p.source_type}, {p.cue}) | {p.sentence[:90]!r}")
        print("TYPE / NAME ERRORS:")
        for g, p in matches:
            gg, pp = gold.loc[g], dedup.loc[p]
            if gg.source_type != pp.source_type or gg.source_canonical.casefold() != pp.source_canonical.casefold():
                print(f"  {gg.report_id[:3]} {pp.source!r}: gold {gg.source_type}/{gg.source_canonical!r} "
                      f"got {pp.source_type}/{pp.source_canonical!r} via={pp.via!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
