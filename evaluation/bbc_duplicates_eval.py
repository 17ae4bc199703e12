"""BBC News: are the duplicated articles flagged, and only they?

The BBC News dataset (Greene & Cunningham 2006, 2,225 articles) contains
articles whose body duplicates another's: 133 pairs byte for byte, 136 once
whitespace is normalised. They are the ground truth here. The whole pipeline
of notebook 02 runs on the corpus (2,225 reports: the large-corpus path, with
blocked top-k neighbours and MinHash LSH candidates) and we count

* flagged pairs (``near_duplicate``),
* flagged pairs that are duplicates (and the duplicates missed),
* flagged pairs that are not duplicates, listed for inspection.

Usage::

    .venv/bin/python -m evaluation.bbc_duplicates_eval [CORPUS_DIR] [--analyzer spacy|regex] [--show N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.similarity import report_similarity

DEFAULT_CORPUS = config.REPO_ROOT.parent / "shared" / "corpora" / "bbc_news"


def load_bbc(folder: str | Path) -> pd.DataFrame:
    """Read ``bbc_news.csv`` into the corpus table (``report_id`` = ``business_001`` etc.), sorted by id."""
    frame = pd.read_csv(Path(folder) / "bbc_news.csv", keep_default_na=False, dtype=str)
    frame = frame.rename(columns={"source": "outlet"})
    frame["report_id"] = frame["doc_id"].str.replace(".txt", "", regex=False).str.replace("/", "_", regex=False)
    frame["text"] = frame["text"].str.strip()
    return frame[["report_id", "outlet", "title", "category", "text"]].sort_values("report_id").reset_index(drop=True)


def duplicate_pairs(reports: pd.DataFrame, normalise_whitespace: bool = True) -> set[tuple[str, str]]:
    """Ground truth: unordered pairs of reports with the same body (whitespace-normalised by default)."""
    key = reports["text"].map(lambda t: " ".join(t.split())) if normalise_whitespace else reports["text"]
    pairs = set()
    for ids in reports.groupby(key)["report_id"].apply(sorted):
        pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return pairs


def evaluate(reports: pd.DataFrame, settings: report_similarity.SimilaritySettings) -> tuple[dict, pd.DataFrame]:
    """Run the comparison; returns the counts and the flagged pairs that are not duplicates."""
    truth = duplicate_pairs(reports)
    exact = duplicate_pairs(reports, normalise_whitespace=False)
    comparison = report_similarity.compare_reports(reports, settings)
    pairs = comparison.pairs
    flagged = pairs[pairs["near_duplicate"]]
    flagged_set = set(zip(flagged["report_a"], flagged["report_b"]))
    false = flagged[[p not in truth for p in zip(flagged["report_a"], flagged["report_b"])]]
    titles = dict(zip(reports["report_id"], reports["title"]))
    false = false.assign(title_a=false["report_a"].map(titles), title_b=false["report_b"].map(titles))
    # How much of a flagged non-duplicate is verbatim copy: the evidence an editor would read.
    shared = comparison.passages
    verbatim = shared[shared["match"] == "verbatim"].groupby(["report_a", "report_b"]).size()
    false["verbatim_passages"] = [int(verbatim.get((a, b), 0)) for a, b in zip(false["report_a"], false["report_b"])]
    counts = {
        "reports": len(reports),
        "path": comparison.path,
        "duplicate_pairs": len(truth),
        "duplicate_pairs_exact_bytes": len(exact),
        "flagged_pairs": len(flagged_set),
        "flagged_duplicates": len(flagged_set & truth),
        "missed_duplicates": len(truth - flagged_set),
        "flagged_not_duplicates": len(flagged_set - truth),
        "flagged_not_duplicates_with_3plus_verbatim_sentences": int((false["verbatim_passages"] >= 3).sum()),
    }
    return counts, false.reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="BBC News folder (with bbc_news.csv)")
    parser.add_argument("--analyzer", default="spacy", choices=["spacy", "regex"])
    parser.add_argument("--show", type=int, default=20, help="list this many flagged non-duplicates")
    args = parser.parse_args(argv)
    if not Path(args.corpus, "bbc_news.csv").is_file():
        print(f"BBC News not found at {args.corpus}", file=sys.stderr)
        return 2
    reports = load_bbc(args.corpus)
    counts, false = evaluate(reports, report_similarity.SimilaritySettings(analyzer=args.analyzer))
    for key, value in counts.items():
        print(f"{key}: {value}")
    if len(false):
        with pd.option_context("display.width", 200, "display.max_colwidth", 60):
            print(false[["report_a", "report_b", "cosine", "shared_share", "verbatim_passages", "title_a", "title_b"]].head(args.show).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
