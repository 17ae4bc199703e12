"""Claim step time against corpus size: extraction of claim mentions from cached parses, then grouping.

    .venv/bin/python -m benchmarks.bench_claims --nlp-cache /work/scratch/cache-allsides/nlp \\
        --corpus /work/scratch/cache-allsides/bench/allsides-10000 --sizes 1000,2000,5000,10000 \\
        --code baseline=/work/main --code claims=/work/wt/claims

The corpus is a folder the toolkit loads (the 10k allsides sample written by
``benchmarks.bench_runs``, whose parses are already in ``--nlp-cache``:
build it once with ``ANALYSIS_CACHE=<dir> python -m benchmarks.bench_runs
--corpus allsides --size 10000 ...`` or the NLP stage alone). Smaller sizes are
nested seeded samples of it (the first N of one seeded permutation), so every
size reuses the same parses.

Each ``--code NAME=ROOT`` is a checkout of the toolkit; each measurement runs
in a fresh subprocess with ``PYTHONPATH=ROOT`` (that checkout's ``analysis``)
and an empty ``ANALYSIS_CACHE`` whose ``nlp/`` links to the shared parses: the
spaCy parses are cached, every per-report result (attributions, time
expressions, events or claim mentions) is computed. Timed, in that order:

* ``citations``: ``extract_citations`` (an input of the claims, not part of them);
* ``extract``: the per-report part of the claims from the cached parses
  (``analysis.timeline.mentions.report_mentions`` in the rebuilt code, the
  event candidates ``events.report_candidates`` in the older one);
* ``across``: then ``build_claims(reports, citations=...)``, whose per-report
  part is now cached: everything across reports (names, grouping, origins,
  summaries). ``claims`` = ``extract`` + ``across``, the whole claim step;
* ``grouping``: when the checkout has the older API (``group_claims``), that
  grouping alone on the events.

The first ``--code`` is the baseline: for every other, the ratio of its claim
step to the baseline's at each size is printed; for each code, the ratio of
each size's time to the smallest size's, against the size ratio (1.0 = linear;
quadratic growth would give the square of the size ratio). Writes every
measurement to ``benchmarks/results/claims-allsides-<max size>.csv``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def worker(corpus: str, size: int, seed: int) -> dict:
    """Run in a subprocess: load the corpus, take the nested sample, time the steps; returns the timings."""
    import numpy as np

    import analysis
    from analysis.sources.citations import extract_citations
    from analysis.timeline import claims as claims_module

    reports = analysis.load_corpus(corpus).reports
    order = np.random.default_rng(seed).permutation(len(reports))
    reports = reports.iloc[np.sort(order[:size])].reset_index(drop=True)
    out = {"reports": len(reports), "words": int(reports["text"].str.count(r"\S+").sum())}
    from analysis.pipeline import nlp

    nlp.load_nlp()  # the model load is the same for every size: not timed
    t = time.perf_counter()
    cites = extract_citations(reports)
    out["citations_s"] = time.perf_counter() - t
    try:  # the rebuilt code: one per-report pass gives events and claim mentions
        from analysis.timeline.mentions import report_mentions as per_report
    except ImportError:  # the older code: per-report event candidates
        from analysis.timeline.events import report_candidates

        def per_report(reports, cites):
            return report_candidates(reports, None, cites)

    t = time.perf_counter()
    per_report(reports, cites)
    out["extract_s"] = time.perf_counter() - t
    t = time.perf_counter()
    mentions, table = claims_module.build_claims(reports, citations=cites)  # per-report results now cached
    out["across_s"] = time.perf_counter() - t
    out["claims_s"] = out["extract_s"] + out["across_s"]
    out["mentions"] = len(mentions)
    out["claims"] = len(table)
    if hasattr(claims_module, "group_claims"):  # the older API: its grouping alone
        from analysis.timeline.events import extract_events

        events = extract_events(reports, None, cites)
        t = time.perf_counter()
        claims_module.group_claims(events)
        out["grouping_s"] = time.perf_counter() - t
    return out


def measure(python: str, root: Path, corpus: Path, nlp_cache: Path, size: int, seed: int) -> dict:
    """One measurement in a fresh subprocess on checkout ``root`` with an empty result cache."""
    with tempfile.TemporaryDirectory(prefix="bench-claims-") as tmp:
        cache = Path(tmp) / "cache"
        cache.mkdir()
        os.symlink(nlp_cache, cache / "nlp")
        env = {**os.environ, "ANALYSIS_CACHE": str(cache), "PYTHONPATH": str(root), "TQDM_DISABLE": "1"}
        cmd = [python, str(Path(__file__).resolve()), "--worker", "--corpus", str(corpus), "--size", str(size),
               "--seed", str(seed)]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"worker failed ({root}, {size}):\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder (its parses in --nlp-cache)")
    parser.add_argument("--nlp-cache", type=Path, help="folder of the cached spaCy parses (an ANALYSIS_CACHE's nlp/)")
    parser.add_argument("--sizes", default="1000,2000,5000,10000")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--code", action="append", metavar="NAME=ROOT",
                        help="a toolkit checkout to time (repeatable; the first is the baseline)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(str(args.corpus), args.size, args.seed)))
        return 0
    if not args.nlp_cache or not args.code:
        parser.error("--nlp-cache and at least one --code are needed")
    codes = [tuple(c.split("=", 1)) for c in args.code]
    for path in sorted(args.nlp_cache.rglob("*.spacy")):  # into the page cache: the first code timed pays no disk reads
        path.read_bytes()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for rep in range(args.repeat):
        for size in sizes:
            for name, root in codes:  # interleaved: load from other jobs falls on every code alike
                load = os.getloadavg()[0]
                m = measure(sys.executable, Path(root), args.corpus, args.nlp_cache, size, args.seed)
                row = {"code": name, "root": root, "size": size, "repeat": rep, "load1": round(load, 2),
                       **{k: round(v, 3) if isinstance(v, float) else v for k, v in m.items()}}
                rows.append(row)
                print(json.dumps(row), flush=True)
    import pandas as pd

    from analysis import atomic

    frame = pd.DataFrame(rows)
    med = frame.groupby(["code", "size"], sort=False)[["claims_s", "citations_s"]].median()
    smallest = sizes[0]
    print(f"\nclaim step (median of {args.repeat}), scaling against {smallest} reports:")
    for name, _ in codes:
        for size in sizes:
            t, t0 = med.loc[(name, size), "claims_s"], med.loc[(name, smallest), "claims_s"]
            print(f"  {name:<10} {size:>6} reports: {t:8.1f} s  time ratio {t / t0:5.2f}  size ratio {size / smallest:5.2f}"
                  f"  (citations {med.loc[(name, size), 'citations_s']:.1f} s)")
    base = codes[0][0]
    for name, _ in codes[1:]:
        for size in sizes:
            print(f"  {name} / {base} at {size}: {med.loc[(name, size), 'claims_s'] / med.loc[(base, size), 'claims_s']:.2f}")
    atomic.write_csv(RESULTS / f"claims-allsides-{max(sizes)}.csv", frame)
    return 0


if __name__ == "__main__":
    sys.exit(main())
