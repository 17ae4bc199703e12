"""Throughput of the NLP stage against plain spaCy, on one machine, in one run.

    .venv/bin/python -m benchmarks.bench_nlp --corpus allsides --size 300 --repeat 3
    .venv/bin/python -m benchmarks.bench_nlp --corpus bbc --size 500
    .venv/bin/python -m benchmarks.bench_nlp --corpus seeds

On the same distinct texts, each repetition times (rates in whitespace words
per second; the model is loaded once beforehand and not timed):

* ``naive``: ``[nlp(t) for t in texts]``, full pipeline, one process (the baseline);
* ``nlp.pipe``: ``nlp.pipe(texts, batch_size=64, n_process=P)``, Docs discarded;
* ``stage cold``: ``analysis.pipeline.nlp.run_nlp_stage`` with ``LocalEngine(n_process=P)`` into an empty cache;
* ``stage warm``: the same stage again on that cache (everything cached);
* ``dask cold``: the stage on ``DaskEngine`` (a ``LocalCluster`` of P workers) into another empty cache.
  The cluster is started, and the model loaded on its workers, once before the
  repetitions: that start-up time is reported on its own row and is not in the rate.

The methods run interleaved within each repetition so that load from other
jobs on the machine falls on all of them alike. Prints medians and the ratios
(of median rates; warm/cold of median times) and writes every measurement to
``benchmarks/results/nlp-<corpus>-<size>.csv``.
"""
from __future__ import annotations

import argparse
import csv
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ["naive", "nlp.pipe", "stage cold", "stage warm", "dask cold"]
TARGETS = {"stage/naive": 1.8, "stage/nlp.pipe": 0.90}


def load_texts(corpus: str, size: int | None, seed: int = 0) -> list[str]:
    """``size`` distinct non-empty texts of ``corpus`` (a seeded sample; all of them if ``size`` is None)."""
    from benchmarks import corpora

    if corpus == "allsides":
        frame = corpora.allsides(size, seed)
    else:
        frame, _ = corpora.load(corpus)
        if size is not None and size < len(frame):
            pick = np.sort(np.random.default_rng(seed).choice(len(frame), size=size, replace=False))
            frame = frame.iloc[pick]
    # The stage parses each distinct text once, so every method gets the distinct texts.
    return list(dict.fromkeys(t for t in frame["text"].tolist() if t.strip()))


def run(corpus: str, size: int | None, repeat: int, processes: int, batch_size: int) -> list[dict]:
    """Time every method ``repeat`` times on the same texts; returns one row per measurement."""
    from analysis.pipeline import nlp
    from analysis.pipeline.dask_engine import DaskEngine

    texts = load_texts(corpus, size)
    words = sum(len(t.split()) for t in texts)
    print(f"{corpus}: {len(texts)} texts, {words:,} words; {processes} processes, batch {batch_size}, "
          f"{repeat} repetitions; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    pipeline = nlp.load_nlp()
    base = {"corpus": corpus, "size": size if size is not None else "all", "texts": len(texts), "words": words}
    rows = []

    def record(method: str, rep, seconds: float, counted: int = words) -> None:
        load = os.getloadavg()[0]  # other jobs on the machine: read the timings against it
        rows.append({**base, "method": method, "repeat": rep, "seconds": round(seconds, 3),
                     "words_per_s": round(counted / seconds, 1) if counted else "", "load1": round(load, 2)})
        print(f"  {method:<12} rep {rep}: {seconds:7.2f} s   (load average {load:.1f})", flush=True)

    start = time.perf_counter()
    engine = DaskEngine(n_workers=processes, batch_size=batch_size)
    record("dask startup", 0, time.perf_counter() - start, 0)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-nlp-") as tmp:
            for rep in range(1, repeat + 1):
                t = time.perf_counter()
                _ = [pipeline(text) for text in texts]
                record("naive", rep, time.perf_counter() - t)
                del _

                t = time.perf_counter()
                for _ in pipeline.pipe(texts, batch_size=batch_size, n_process=processes):
                    pass
                record("nlp.pipe", rep, time.perf_counter() - t)

                cache = Path(tmp) / f"local-{rep}"
                local = nlp.LocalEngine(pipeline, n_process=processes, batch_size=batch_size)
                stats = nlp.run_nlp_stage(texts, local, cache, pipeline, progress=False)
                assert stats.parsed == len(texts), stats
                record("stage cold", rep, stats.seconds)
                stats = nlp.run_nlp_stage(texts, local, cache, pipeline, progress=False)
                assert stats.parsed == 0, stats
                record("stage warm", rep, stats.seconds)

                stats = nlp.run_nlp_stage(texts, engine, Path(tmp) / f"dask-{rep}", pipeline, progress=False)
                assert stats.parsed == len(texts), stats
                record("dask cold", rep, stats.seconds)
    finally:
        engine.close()
    return rows


def summarise(rows: list[dict]) -> tuple[list[dict], list[tuple[str, float, float | None]]]:
    """Median rows per method and the ratios ``(name, value, target)``."""
    base = {k: rows[0][k] for k in ("corpus", "size", "texts", "words")}
    med_s = {m: statistics.median(r["seconds"] for r in rows if r["method"] == m)
             for m in METHODS + ["dask startup"] if any(r["method"] == m for r in rows)}
    words = base["words"]
    rate = {m: words / s for m, s in med_s.items() if m != "dask startup"}
    medians = [{**base, "method": m, "repeat": "median", "seconds": round(s, 3),
                "words_per_s": round(rate[m], 1) if m in rate else ""} for m, s in med_s.items()]
    ratios = [
        ("stage/naive", rate["stage cold"] / rate["naive"], TARGETS["stage/naive"]),
        ("stage/nlp.pipe", rate["stage cold"] / rate["nlp.pipe"], TARGETS["stage/nlp.pipe"]),
        ("warm/cold time", med_s["stage warm"] / med_s["stage cold"], None),
        ("dask/local", rate["dask cold"] / rate["stage cold"], None),
    ]
    return medians, ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_nlp", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=["allsides", "bbc", "seeds"], default="allsides")
    parser.add_argument("--size", type=int, help="texts to sample (seed 0; default: all of the corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (the table shows medians)")
    parser.add_argument("--processes", type=int, default=2, help="processes for nlp.pipe and the stage, Dask workers")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)
    # A plain SIGTERM would skip the `finally` that shuts the Dask cluster down and leave its workers behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    rows = run(args.corpus, args.size, args.repeat, args.processes, args.batch_size)
    medians, ratios = summarise(rows)
    print(f"\n{'method':<14}{'median s':>10}{'words/s':>12}")
    for row in medians:
        print(f"{row['method']:<14}{row['seconds']:>10.2f}{row['words_per_s'] or '(start-up, not a rate)':>12}")
    print(f"\n{'ratio':<16}{'value':>9}  target")
    for name, value, target in ratios:
        verdict = "" if target is None else f">= {target:.2f} {'ok' if value >= target else 'BELOW'}"
        print(f"{name:<16}{value:>9.3g}  {verdict}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"nlp-{args.corpus}-{args.size if args.size is not None else 'all'}.csv"
    fields = ["corpus", "size", "texts", "words", "method", "repeat", "seconds", "words_per_s", "load1", "ratio", "target"]
    base = {k: rows[0][k] for k in ("corpus", "size", "texts", "words")}
    from analysis import atomic

    with atomic.atomic_path(out) as tmp, open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows + medians)
        writer.writerows({**base, "method": name, "repeat": "median", "ratio": float(f"{value:.4g}"), "target": target or ""}
                         for name, value, target in ratios)
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":  # required: the Dask workers and nlp.pipe's processes are spawned
    sys.exit(main())
