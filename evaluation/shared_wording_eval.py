"""What flagged pairs share: quotation of a third party, their own prose, or common wording (issue 27, item 7).

Runs notebook 02's comparison on a corpus folder (by default the BASIL export
of ``evaluation.basil_export``: 100 events, each reported by the New York
Times, Fox News and HuffPost, which quote the same speakers) and counts

* before: pairs sharing a passage without being near-duplicates (the old
  ``house_style`` flag), by same outlet / different outlets;
* after: pairs sharing prose (``shared_prose``), by same outlet (house style
  proper) / different outlets (copy or common wire source); pairs sharing
  quotations and no prose; pairs sharing only common wording (stock phrases, names and titles);
* passages by ``kind`` and match.

With ``--sample N --out DIR`` it writes N pairs of each class (a fixed random
sample), with their passages, to ``DIR/sample_<class>.txt`` for checking by hand.

Usage::

    .venv/bin/python -m evaluation.basil_export ../shared/corpora/basil OUT/basil.jsonl
    .venv/bin/python -m evaluation.shared_wording_eval OUT [--sample 20 --out DIR]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import analysis
from analysis.pipeline import nlp
from analysis.similarity import report_similarity

CLASSES = ("prose_same_outlet", "prose_other_outlets", "quotation_only", "common_only")


def pair_classes(pairs: pd.DataFrame) -> pd.Series:
    """The class of each pair sharing a passage without being a near-duplicate (``CLASSES``), else empty."""
    same = pairs["same_outlet"].fillna(False).to_numpy(bool)
    other = pairs["shared_passages"].gt(0).to_numpy() & ~pairs["near_duplicate"].to_numpy(bool)
    prose, quotation = pairs["shared_prose"].to_numpy(bool), pairs["shared_quotation"].to_numpy(bool)
    return pd.Series(np.select(
        [prose & same, prose & ~same, quotation, other],
        ["prose_same_outlet", "prose_other_outlets", "quotation_only", "common_only"], ""), index=pairs.index)


def evaluate(reports: pd.DataFrame, settings: report_similarity.SimilaritySettings | None = None
             ) -> tuple[dict, report_similarity.Comparison]:
    """Counts before and after on ``reports`` (the corpus table); returns them and the comparison."""
    comparison = report_similarity.compare_reports(reports, settings or report_similarity.SimilaritySettings())
    pairs = comparison.pairs
    same = pairs["same_outlet"].fillna(False).to_numpy(bool)
    before = pairs["shared_passages"].gt(0).to_numpy() & ~pairs["near_duplicate"].to_numpy(bool)
    classes = pair_classes(pairs)
    counts = {"reports": len(reports), "pairs": len(pairs), "near_duplicates": int(pairs["near_duplicate"].sum()),
              "before_house_style": int(before.sum()), "before_same_outlet": int((before & same).sum()),
              "before_other_outlets": int((before & ~same).sum())}
    counts.update({f"after_{c}": int((classes == c).sum()) for c in CLASSES})
    counts["after_shared_quotation"] = int(pairs["shared_quotation"].sum())
    counts["after_shared_quotation_same_outlet"] = int((pairs["shared_quotation"].to_numpy(bool) & same).sum())
    kinds = comparison.passages.groupby(["kind", "match"]).size()
    counts.update({f"passages_{k}_{m}": int(v) for (k, m), v in kinds.items()})
    return counts, comparison


def write_samples(comparison: report_similarity.Comparison, reports: pd.DataFrame, n: int, out: Path,
                  seed: int = 27) -> None:
    """``n`` pairs of each class with their passages, as text to read, in ``out/sample_<class>.txt``."""
    pairs = comparison.pairs.assign(cls=pair_classes(comparison.pairs))
    outlets = dict(zip(reports["report_id"], reports["outlet"]))
    shared = comparison.passages
    out.mkdir(parents=True, exist_ok=True)
    for cls in CLASSES:
        chosen = pairs[pairs["cls"] == cls]
        chosen = chosen.sample(min(n, len(chosen)), random_state=seed).sort_values(["report_a", "report_b"])
        lines = [f"# {cls}: {len(chosen)} of {int((pairs['cls'] == cls).sum())} pairs\n"]
        for number, pair in enumerate(chosen.itertuples(index=False), 1):
            lines.append(f"## {number}. {pair.report_a} ({outlets.get(pair.report_a)}) x {pair.report_b} "
                         f"({outlets.get(pair.report_b)}), cosine {pair.cosine:.2f}")
            rows = shared[(shared["report_a"] == pair.report_a) & (shared["report_b"] == pair.report_b)]
            for row in rows.itertuples(index=False):
                lines.append(f"- {row.kind} ({row.match}, score {row.score}, run {row.longest_run})")
                lines.append(f"  A: {row.sentence_a}")
                lines.append(f"  B: {row.sentence_b}")
            lines.append("")
        (out / f"sample_{cls}.txt").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="folder the loader reads (e.g. the BASIL export)")
    parser.add_argument("--sample", type=int, default=0, help="pairs of each class to write for checking by hand")
    parser.add_argument("--out", type=Path, default=None, help="folder for the samples")
    args = parser.parse_args(argv)
    if not Path(args.corpus).is_dir():
        print(f"corpus folder not found: {args.corpus}", file=sys.stderr)
        return 2
    reports = analysis.load_corpus(args.corpus).reports
    nlp.run_nlp_stage(reports["text"].tolist())
    counts, comparison = evaluate(reports)
    for key, value in counts.items():
        print(f"{key:<40}{value:>8}")
    if args.sample and args.out:
        write_samples(comparison, reports, args.sample, args.out)
        print(f"samples written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
