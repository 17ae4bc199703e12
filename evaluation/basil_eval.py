"""BASIL: does an article's nearest neighbour cover the same event?

BASIL (Fan et al., EMNLP 2019) holds 100 triplets: the same event reported by
the New York Times, Fox News and HuffPost. With cosine similarity of TF-IDF
vectors, each article's neighbours should be its own triplet:

* top-1: share of articles whose nearest other article is in their triplet;
* recall@2: share of articles whose two nearest are exactly their two triplet partners.

Measured for the toolkit's vectors (spaCy lemmas + multi-word names, sublinear
tf, no df pruning; and the regex fast path) and, in the same run on the same
texts, for scikit-learn's ``TfidfVectorizer()`` with its defaults.

Usage::

    .venv/bin/python -m evaluation.basil_eval [CORPUS_DIR] [--triplets N]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis import config
from analysis.similarity import tfidf

DEFAULT_CORPUS = config.REPO_ROOT.parent / "shared" / "corpora" / "basil"
OUTLETS = {"nyt": "New York Times", "fox": "Fox News", "hpo": "HuffPost"}


def load_basil(folder: str | Path, triplets: int | None = None) -> pd.DataFrame:
    """Read BASIL ``articles/<year>/<triplet>_<n>.json`` into the corpus table.

    Returns ``report_id, triplet, outlet, title, published, text`` sorted by
    ``report_id``; ``text`` joins the body paragraphs (title excluded).
    ``triplets`` keeps only the first N triplets in uuid order (for quick runs).
    """
    rows = []
    for path in sorted(Path(folder, "articles").glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(sentences).strip() for sentences in data["body-paragraphs"]]
        rows.append(
            {
                "report_id": path.stem,
                "triplet": data["triplet-uuid"],
                "outlet": OUTLETS.get(str(data.get("source", "")).lower(), str(data.get("source", ""))),
                "title": data.get("title", ""),
                "published": data.get("date", ""),
                "text": "\n\n".join(p for p in paragraphs if p),
            }
        )
    frame = pd.DataFrame(rows).sort_values("report_id", kind="mergesort").reset_index(drop=True)
    if triplets is not None:
        keep = sorted(frame["triplet"].unique())[:triplets]
        frame = frame[frame["triplet"].isin(keep)].reset_index(drop=True)
    return frame


def neighbour_scores(sims: np.ndarray, groups: list[str]) -> dict[str, float]:
    """Top-1 and recall@2 of a similarity matrix against group labels (triplets).

    Ties are broken by row order, the same for every method.
    """
    sims = np.array(sims, dtype=float)
    np.fill_diagonal(sims, -np.inf)
    groups = np.asarray(groups)
    order = np.argsort(-sims, axis=1, kind="stable")
    top1 = groups[order[:, 0]] == groups
    sizes = np.array([(groups == g).sum() - 1 for g in groups])
    top2_same = (groups[order[:, :2]] == groups[:, None]).sum(axis=1)
    recall2 = top2_same == np.minimum(2, sizes)
    return {"top1": float(top1.mean()), "recall_at_2": float(recall2.mean())}


def toolkit_matrix(reports: pd.DataFrame, analyzer: str) -> np.ndarray:
    """Cosine matrix of the toolkit's TF-IDF vectors (default settings of notebook 02)."""
    terms = tfidf.report_terms(reports, analyzer=analyzer)
    vectors = tfidf.tfidf_vectors(reports["report_id"].tolist(), terms)
    return tfidf.cosine_matrix(vectors)


def sklearn_default_matrix(reports: pd.DataFrame) -> np.ndarray:
    """Cosine matrix of scikit-learn ``TfidfVectorizer()`` with defaults (rows are L2-normalised)."""
    X = TfidfVectorizer().fit_transform(reports["text"].tolist())
    return (X @ X.T).toarray()


def evaluate(folder: str | Path = DEFAULT_CORPUS, triplets: int | None = None,
             analyzers: tuple[str, ...] = ("spacy", "regex")) -> pd.DataFrame:
    """Scores of each method on BASIL: ``method, articles, triplets, top1, recall_at_2``."""
    reports = load_basil(folder, triplets)
    groups = reports["triplet"].tolist()
    rows = []
    methods = [(f"toolkit ({a})", lambda a=a: toolkit_matrix(reports, a)) for a in analyzers]
    methods.append(("scikit-learn TfidfVectorizer() defaults", lambda: sklearn_default_matrix(reports)))
    for name, build in methods:
        scores = neighbour_scores(build(), groups)
        rows.append({"method": name, "articles": len(reports), "triplets": len(set(groups)),
                     "top1": round(scores["top1"], 4), "recall_at_2": round(scores["recall_at_2"], 4)})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="BASIL folder (with articles/)")
    parser.add_argument("--triplets", type=int, default=None, help="only the first N triplets")
    args = parser.parse_args(argv)
    if not Path(args.corpus, "articles").is_dir():
        print(f"BASIL not found at {args.corpus}", file=sys.stderr)
        return 2
    print(evaluate(args.corpus, args.triplets).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
