"""Whole-analysis runs: a cold run (empty cache) against warm reruns on the same corpus.

One command per corpus::

    .venv/bin/python -m benchmarks.bench_runs --corpus seeds --repeat 3
    .venv/bin/python -m benchmarks.bench_runs --corpus allsides --size 10000 --repeat 3

Each run is ``python -m analysis run --corpus DIR --out OUT`` in a subprocess
with its own cache (``ANALYSIS_CACHE``): the cold run starts from an empty
cache, the warm runs reuse it. Peak memory is the largest sum of the resident
memory of the run's process tree (runner, spaCy workers, notebook kernels),
polled every 0.2 s. The baseline is the cold run: the ratio printed is warm /
cold (target: at most 5 % on a 10k-report corpus). The runner's own log gives
where the time goes (NLP stage, per-report extraction, each notebook). For
the seeds, ``--breakdown`` also times a bare kernel start, the imports and the
model load, which every notebook pays.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from analysis import atomic, config

RESULTS = Path(__file__).resolve().parent / "results"
WORK = config.CACHE_DIR / "bench"


def corpus_folder(name: str, size: int | None) -> Path:
    """The corpus as a folder the toolkit loads: the seeds, or an allsides sample written as one JSON-lines file."""
    if name == "seeds":
        return config.SEEDS_DIR
    if name == "bbc":
        return config.REPO_ROOT.parent / "shared" / "corpora" / "bbc_news" / "raw"
    if name != "allsides":
        raise SystemExit(f"unknown corpus {name!r}")
    from benchmarks.corpora import ALLSIDES, allsides

    ids = set(allsides(size)["report_id"])
    folder = WORK / f"allsides-{size or 'all'}"
    target = folder / "articles.jsonl"
    if not target.exists():
        lines = []
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as handle:
            for line in handle:
                if str(json.loads(line)["ID"]) in ids:
                    lines.append(line if line.endswith("\n") else line + "\n")
        atomic.write_text(target, "".join(lines))
    return folder


def timed_run(corpus: Path, out: Path, cache: Path, extra: list[str] | None = None) -> dict:
    """Run the whole analysis once; returns wall seconds, peak tree RSS (MiB) and the runner's stage times."""
    env = {**os.environ, "ANALYSIS_CACHE": str(cache)}
    cmd = [sys.executable, "-m", "analysis", "run", "--corpus", str(corpus), "--out", str(out), *(extra or [])]
    start = time.perf_counter()
    err = tempfile.TemporaryFile(mode="w+")  # progress bars and, on failure, the traceback
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err, text=True)
    root = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    log = proc.stdout.read()
    if proc.returncode:
        err.seek(0)
        raise SystemExit(f"run failed ({proc.returncode}):\n{log}\n{err.read()[-5000:]}")
    stages = {m.group(1): float(m.group(2)) for m in re.finditer(r"^\s*(\S+\.ipynb) done in ([\d.]+) s", log, re.M)}
    for label, pattern in (("nlp", r"NLP stage .* in ([\d.]+) s"), ("extraction", r"per-report extraction: ([\d.]+) s")):
        m = re.search(pattern, log)
        if m:
            stages[label] = float(m.group(1))
    return {"seconds": seconds, "peak_mib": peak / 2**20, "stages": stages, "log": log}


def breakdown() -> dict[str, float]:
    """Fixed costs each notebook pays: a bare kernel start, the package imports, the spaCy model load."""
    from nbclient import NotebookClient
    import nbformat

    out = {}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3").execute()
    out["kernel start + trivial cell"] = time.perf_counter() - start
    code = ("import time; t=time.perf_counter(); "
            "from analysis import figures; from analysis.sources import citations, citation_graph; "
            "from analysis.similarity import report_similarity; from analysis.timeline import claims, temporal; "
            "a=time.perf_counter(); from analysis.pipeline.nlp import load_nlp; load_nlp(); b=time.perf_counter(); "
            "print(a-t, b-a)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imports, model = map(float, result.stdout.split())
    out["package imports (pandas, matplotlib, scikit-learn, spaCy)"] = imports
    out["spaCy model load"] = model
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="seeds", choices=["seeds", "bbc", "allsides"])
    parser.add_argument("--size", type=int, help="allsides sample size (default: all 37,554)")
    parser.add_argument("--repeat", type=int, default=3, help="warm reruns (the median is reported)")
    parser.add_argument("--cold-repeat", type=int, default=1, help="cold runs (each from an empty cache)")
    parser.add_argument("--breakdown", action="store_true", help="also time kernel start, imports and model load")
    parser.add_argument("--keep-cache", metavar="DIR", help="use (and keep) this cache folder for the cold run")
    parser.add_argument("--reuse-nlp", action="store_true",
                        help="with --keep-cache: keep its spaCy parses and empty the rest, so the 'cold' run times "
                             "everything but the NLP stage (time that with benchmarks.bench_nlp)")
    parser.add_argument("--warm-only", type=float, metavar="COLD_SECONDS",
                        help="with --keep-cache holding a complete cache: only time warm reruns, against the cold "
                             "time COLD_SECONDS of an earlier run (a cold 10k run takes an hour)")
    args = parser.parse_args(argv)
    if args.warm_only and not args.keep_cache:
        parser.error("--warm-only needs --keep-cache DIR (the cache of the earlier cold run)")

    corpus = corpus_folder(args.corpus, args.size)
    label = f"{args.corpus}-{args.size or 'all'}" if args.corpus == "allsides" else args.corpus
    work = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
    rows = []
    try:
        colds = []
        for n in range(0 if args.warm_only else args.cold_repeat):
            cache = Path(args.keep_cache) if args.keep_cache else work / f"cache-{n}"
            if args.keep_cache and n == 0:
                for part in (cache.iterdir() if cache.exists() else []):
                    if not (args.reuse_nlp and part.name == "nlp"):
                        shutil.rmtree(part, ignore_errors=True)
            run = timed_run(corpus, work / f"out-cold-{n}", cache)
            colds.append(run)
            print(f"cold {n + 1}: {run['seconds']:.1f} s, peak {run['peak_mib']:.0f} MiB, stages {run['stages']}", flush=True)
        warms = []
        cache = Path(args.keep_cache) if args.keep_cache else work / "cache-0"
        for n in range(args.repeat):
            run = timed_run(corpus, work / f"out-warm-{n}", cache)
            warms.append(run)
            print(f"warm {n + 1}: {run['seconds']:.1f} s, peak {run['peak_mib']:.0f} MiB, stages {run['stages']}", flush=True)
        # identical outputs: every table of the last warm run equals the cold run's
        first = work / ("out-warm-0" if args.warm_only else "out-cold-0") / "data" / "processed"
        last = work / f"out-warm-{args.repeat - 1}" / "data" / "processed"
        differ = sorted(p.name for p in first.iterdir()
                        if (last / p.name).read_bytes() != p.read_bytes()) if args.repeat else []
        cold_s = args.warm_only or statistics.median(r["seconds"] for r in colds)
        warm_s = statistics.median(r["seconds"] for r in warms) if warms else float("nan")
        for kind, runs in (("cold", colds), ("warm", warms)):
            for n, run in enumerate(runs):
                rows.append({"corpus": label, "run": f"{kind}-{n + 1}", "seconds": round(run["seconds"], 2),
                             "peak_mib": round(run["peak_mib"]),
                             **{k: round(v, 2) for k, v in sorted(run["stages"].items())}})
        print(f"\n{label}: cold (baseline) median {cold_s:.1f} s; warm median {warm_s:.1f} s; "
              f"warm / cold = {warm_s / cold_s:.3f} (target <= 0.05 on 10k reports)")
        if args.warm_only:
            print(f"(cold: {cold_s:.1f} s, given with --warm-only, from an earlier run)")
        print(f"tables identical {'first vs last warm run' if args.warm_only else 'cold vs warm'}:",
              "yes" if not differ else f"NO: {differ}")
        if args.breakdown:
            for name, seconds in breakdown().items():
                print(f"  {name}: {seconds:.2f} s")
                rows.append({"corpus": label, "run": name, "seconds": round(seconds, 2)})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import pandas as pd

    atomic.write_csv(RESULTS / f"runs-{label}.csv", pd.DataFrame(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
