"""Corpora for the benchmarks: allsides samples and a resampled corpus with known near-duplicates.

Every corpus is deterministic (seeded). Each loader returns the corpus table of
the toolkit (``report_id``, ``outlet``, ``title``, ``text``), sorted by id.

* ``allsides(size)``: ``size`` articles drawn without replacement (seed 0) from
  the 37,554 of ``../shared/corpora/allsides/articles.jsonl.gz``; ``None`` or
  a size >= the corpus gives all of them.
* ``resampled(size)``: the whole allsides set, plus random articles copied with
  replacement and lightly perturbed until ``size`` reports; returns the table
  and the set of injected near-duplicate pairs ``(original, copy)`` (sorted ids).
"""
from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis import config

SHARED = config.REPO_ROOT.parent / "shared" / "corpora"
ALLSIDES = SHARED / "allsides" / "articles.jsonl.gz"
BBC = SHARED / "bbc_news"

HEADERS = [
    "Originally published by {outlet}. Republished with permission.",
    "UPDATED: This story has been updated with additional reporting.",
    "From our partners at {outlet}:",
    "EDITOR'S NOTE: This article first appeared on {outlet}.",
    "Breaking news alert",
]
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_WORDS = ["reportedly", "allegedly", "officials", "Tuesday", "sources", "statement", "according", "critics"]


@lru_cache(maxsize=2)
def _load_allsides(path: str = str(ALLSIDES)) -> pd.DataFrame:
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            rows.append((str(d["ID"]), d.get("source") or "", d.get("title") or "", d.get("content_original") or ""))
    frame = pd.DataFrame(rows, columns=["report_id", "outlet", "title", "text"])
    frame = frame.drop_duplicates("report_id")
    return frame.sort_values("report_id", kind="mergesort").reset_index(drop=True)


def allsides(size: int | None = None, seed: int = 0) -> pd.DataFrame:
    """``size`` allsides articles, a seeded sample without replacement (all of them if ``size`` is None)."""
    frame = _load_allsides()
    if size is None or size >= len(frame):
        return frame.copy()
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(frame), size=size, replace=False))
    return frame.iloc[pick].reset_index(drop=True)


def perturb(text: str, outlet: str, rng: np.random.Generator) -> str:
    """A light rewrite: a header added, ~10% of sentences dropped, one pair swapped, a few words changed."""
    sents = _SENT.split(text)
    if len(sents) > 3:
        keep = rng.random(len(sents)) >= 0.1
        keep[0] = True
        sents = [s for s, k in zip(sents, keep) if k]
    if len(sents) > 3:
        i = int(rng.integers(0, len(sents) - 1))
        sents[i], sents[i + 1] = sents[i + 1], sents[i]
    words = " ".join(sents).split(" ")
    for _ in range(max(1, len(words) // 200)):
        j = int(rng.integers(0, len(words)))
        words[j] = _WORDS[int(rng.integers(0, len(_WORDS)))]
    header = HEADERS[int(rng.integers(0, len(HEADERS)))].format(outlet=outlet or "our partners")
    return header + "\n\n" + " ".join(words)


def resampled(size: int = 100_000, seed: int = 0, min_words: int = 50) -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    """All allsides articles plus perturbed copies of random ones (with replacement) up to ``size`` reports.

    Only articles of at least ``min_words`` words are copied (a short text is
    not a meaningful near-duplicate). Copy ids are ``<original id>~<n>``.
    Returns ``(reports, injected)``: ``injected`` holds the ``(original, copy)``
    pairs, each sorted so ``report_a < report_b``.
    """
    base = _load_allsides()
    rng = np.random.default_rng(seed)
    n_words = base["text"].str.count(r"\S+").to_numpy()
    eligible = np.flatnonzero(n_words >= min_words)
    extra = max(0, size - len(base))
    sources = np.sort(rng.choice(eligible, size=extra, replace=True))
    rows, injected, counter = [], set(), {}
    ids, outlets, titles, texts = (base[c].tolist() for c in ("report_id", "outlet", "title", "text"))
    for i in sources:
        rid, outlet, title, text = ids[i], outlets[i], titles[i], texts[i]
        counter[rid] = counter.get(rid, 0) + 1
        copy_id = f"{rid}~{counter[rid]}"
        rows.append((copy_id, f"{outlet} (syndicated)", title, perturb(text, outlet, rng)))
        injected.add((min(rid, copy_id), max(rid, copy_id)))
    frame = pd.concat([base, pd.DataFrame(rows, columns=base.columns)], ignore_index=True)
    return frame.sort_values("report_id", kind="mergesort").reset_index(drop=True), injected


def bbc() -> pd.DataFrame:
    """The BBC News corpus table (2,225 reports)."""
    from evaluation import bbc_duplicates_eval

    return bbc_duplicates_eval.load_bbc(BBC)


def load(name: str, size: int | None = None, seed: int = 0) -> tuple[pd.DataFrame, set[tuple[str, str]] | None]:
    """``(reports, injected near-duplicates or None)`` for ``allsides``, ``resampled``, ``bbc`` or ``seeds``."""
    if name == "allsides":
        return allsides(size, seed), None
    if name == "resampled":
        return resampled(size or 100_000, seed)
    if name == "bbc":
        return bbc(), None
    if name == "seeds":
        from analysis import load_corpus

        return load_corpus(config.corpus_dir(None)).reports, None
    raise ValueError(f"unknown corpus {name!r}")
