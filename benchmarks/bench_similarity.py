"""Benchmark of the similarity stage (notebook 02) on large corpora.

One command per corpus, each printing a table of stages with medians of
``--repeat`` runs (each run in a fresh subprocess with an empty cache, so its
peak memory is its own and it aligns every pair), and ratios against
baselines measured in the same invocation:

* ``dense blocked top-k``: the previous ``similarity.top_k_blocked`` (blocks of
  rows times the whole transposed matrix, one core) on the same vectors. Past
  ``--full-baseline-max`` reports it is timed on the first rows only and
  extrapolated to all rows (said so in the output: ``extrapolated``);
* ``bare sparse_dot_topn``: the specialised library's top-n sparse product
  (``sp_matmul_topn``, top ``k + 1``, every core), which ``top_k_sparse``
  was built on until ``cosine_top_cells`` replaced it: the whole
  ``top_k_sparse`` (ties, the pairs table included) against the bare call;
* ``datasketch MinHash LSH``: the previous ``near_duplicate_candidates``
  (``datasketch.MinHash`` with 128 permutations, ``MinHashLSH``), timed on at
  most ``--lsh-baseline-max`` reports and extrapolated linearly beyond.

Usage::

    .venv/bin/python -m benchmarks.bench_similarity --corpus allsides --size 1000
    .venv/bin/python -m benchmarks.bench_similarity --corpus allsides --size 10000
    .venv/bin/python -m benchmarks.bench_similarity --corpus allsides            # all 37,554
    .venv/bin/python -m benchmarks.bench_similarity --corpus resampled --size 100000
    .venv/bin/python -m benchmarks.bench_similarity --crossover                  # all pairs vs top-k
    .venv/bin/python -m benchmarks.bench_similarity --stage alignment            # alignment: compiled vs numpy

Time and memory come from separate runs, as airspeed velocity's ``time_``
and ``peakmem_`` benchmarks do: ``--repeat`` timed runs, then
``--memory-repeat`` runs with the memory poller on. The poller reads each
worker's private memory from ``/proc/<pid>/smaps_rollup``, walking its page
tables, on the cores the timed workers use. How much that costs varies: on
the 100k resampled corpus, runs of the same code took 180.9 and 167.9 s with
it, 166.9-174.9 s without (top-k + LSH + alignment). Memory is reported as the
peak of the whole run, the peak while each stage ran, and the resident
memory after the imports and after loading the corpus, so that a peak can be
put down to a stage; the memory runs' own timings are printed too.

The ``wording`` stage tells shared passages apart (``shared_wording``: the
corpus's stock phrases, then each passage's kind); the counts printed are
near-duplicates, pairs sharing their own prose (and of those, pairs of one
outlet) and pairs sharing only quotations. Results written before these
columns replaced ``house_style`` (``results/similarity_*``) keep that row.

Results are also written to ``benchmarks/results/`` as CSV (timings vary
between runs; every other column is deterministic).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from analysis import atomic

RESULTS = Path(__file__).parent / "results"
STAGES = ["terms", "tfidf", "top-k", "lsh", "alignment", "wording", "top terms", "other", "total"]


# ----------------------------------------------------------------- one run (in a subprocess)

class PeakMemory:
    """Polls the resident memory of this process plus the private memory (USS) of its children (forked workers).

    ``peak`` is the highest sample; ``by_stage`` the highest sample taken while
    ``stage`` (set by the caller as the work moves on) had each value.

    A child's USS comes from ``/proc/<pid>/smaps_rollup``, which walks its page
    tables: about 35 ms for a worker of 1-2 GB. Read every 50 ms, it took
    45% of a core from the very workers being timed (2 cores), so children
    are read at most ``duty`` of the time (after a read that took ``c`` seconds,
    the next one comes ``c / duty`` later, or at once when children start or
    end); between reads their last USS is added to this process's RSS, which is
    cheap and read every ``interval``. With two 1.8 GB workers the poller now
    takes 7% of a core.
    """

    def __init__(self, interval: float = 0.1, duty: float = 0.02):
        import psutil

        self.process = psutil.Process()
        self.interval, self.duty = interval, duty
        self.peak = 0
        self.stage = "other"
        self.by_stage: dict[str, int] = {}
        self._children: tuple[int, ...] = ()
        self._children_uss = 0
        self._next_read = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _read_children(self, children) -> int:
        total = 0
        for child in children:
            try:
                total += child.memory_full_info().uss
            except Exception:  # the child ended meanwhile
                pass
        return total

    def sample(self) -> int:
        """This process's RSS plus its children's USS, all read now."""
        return self.process.memory_info().rss + self._read_children(self.process.children(recursive=True))

    def _record(self, force: bool = False) -> None:
        children = self.process.children(recursive=True)
        pids = tuple(sorted(c.pid for c in children))
        start = time.perf_counter()
        if force or pids != self._children or start >= self._next_read:
            self._children, self._children_uss = pids, self._read_children(children)
            now = time.perf_counter()
            self._next_read = now + max(self.interval, (now - start) / self.duty)
        stage, value = self.stage, self.process.memory_info().rss + self._children_uss
        self.peak = max(self.peak, value)
        self.by_stage[stage] = max(self.by_stage.get(stage, 0), value)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._record()
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._record(force=True)


def datasketch_candidates(report_ids, texts, threshold=0.5, num_perm=128, shingle_size=5, seed=1):
    """The previous ``near_duplicate_candidates``: datasketch MinHash (128 permutations) + MinHashLSH."""
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    from analysis.similarity.minhash import shingles

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = {}
    stream = MinHash.generator((shingles(t, shingle_size) for t in texts), num_perm=num_perm, seed=seed)
    for rid, mh in zip(report_ids, stream):
        if mh.is_empty():
            continue
        lean = LeanMinHash(mh)
        hashes[rid] = lean
        lsh.insert(rid, lean)
    found = set()
    for rid, mh in hashes.items():
        for other in lsh.query(mh):
            if other != rid:
                found.add((min(rid, other), max(rid, other)))
    return sorted(found)


def dense_blocked_seconds(vectors, k: int, max_rows: int | None) -> tuple[float, bool]:
    """Seconds of ``top_k_blocked`` on these vectors; on the first ``max_rows`` rows only, scaled up, if fewer than all."""
    import numpy as np

    from analysis.similarity import neighbours

    n = len(vectors.report_ids)
    if max_rows is None or n <= max_rows:
        start = time.perf_counter()
        neighbours.top_k_blocked(vectors, k)
        return time.perf_counter() - start, False
    X = vectors.matrix
    block = max(1, min(1000, 20_000_000 // n))
    XT = X.T.tocsc()
    rows = max(block, (max_rows // block) * block)
    # the first rows are as costly as any: the product is with the whole matrix
    start = time.perf_counter()
    for s in range(0, rows, block):
        sims = (X[s : s + block] @ XT).toarray()
        np.clip(sims, 0.0, 1.0, out=sims)
        neighbours._top_k_rows(sims, s, k)
    return (time.perf_counter() - start) * n / rows, True


def similarity_settings(args):
    """The ``SimilaritySettings`` the command line asks for."""
    from analysis.similarity.report_similarity import SimilaritySettings

    return SimilaritySettings(analyzer=args.analyzer, top_k=args.top_k, all_pairs_max_reports=args.all_pairs_max_reports,
                              align_min_cosine=args.align_min_cosine)


def cpu_seconds() -> float:
    """CPU time of this process and its ended children (forked workers are joined inside each stage)."""
    import resource

    return sum(c.ru_utime + c.ru_stime for c in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def run_once(args) -> dict:
    """One timed ``compare_reports`` with per-stage timers; returns a JSON-able dict."""
    import resource

    from analysis.similarity import passages, report_similarity as rs, shared_wording, term_contributions
    from analysis.similarity import neighbours, term_extraction, tfidf
    from benchmarks import corpora

    rss_imports = PeakMemory().sample()
    reports, injected = corpora.load(args.corpus, args.size, args.seed)
    corpora._load_allsides.cache_clear()  # keep only the reports benchmarked
    import gc

    gc.collect()
    rss_loaded = PeakMemory().sample()
    settings = similarity_settings(args)
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(module, name, stage):
        original = getattr(module, name)

        def wrapper(*a, **kw):
            if os.getpid() != main_pid:
                return original(*a, **kw)
            start, cpu_start = time.perf_counter(), cpu_seconds()
            outer, memory.stage = memory.stage, stage
            try:
                return original(*a, **kw)
            finally:
                memory.stage = outer
                times[stage] = times.get(stage, 0.0) + time.perf_counter() - start
                cpu[stage] = cpu.get(stage, 0.0) + cpu_seconds() - cpu_start

        setattr(module, name, wrapper)
        return original

    main_pid = os.getpid()
    memory = PeakMemory()  # polled only in a memory run (``--memory``); its stage labels cost nothing
    for module, name, stage in [
        (tfidf, "report_terms", "terms"), (tfidf, "tfidf_vectors", "tfidf"),
        (neighbours, "top_k_sparse", "top-k"), (neighbours, "all_pairs", "top-k"),
        (neighbours, "near_duplicate_candidates", "lsh"), (neighbours, "pair_cosines", "lsh"),
        (rs, "_align_in_processes", "alignment"), (passages, "shared_passages", "alignment"),
        (shared_wording, "stock_ngrams", "wording"), (shared_wording, "passage_kinds", "wording"),
        (term_contributions, "top_terms", "top terms"),
    ]:
        timed(module, name, stage)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    with memory if args.memory else contextlib.nullcontext():
        start = time.perf_counter()
        comparison = rs.compare_reports(reports, settings)
        times["total"] = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    times["other"] = times["total"] - sum(v for k, v in times.items() if k != "total")
    cpu["total"] = sum(c.ru_utime + c.ru_stime for c in cpu1) - sum(c.ru_utime + c.ru_stime for c in cpu0)
    cpu["other"] = cpu["total"] - sum(v for k, v in cpu.items() if k != "total")
    pairs = comparison.pairs
    flagged = pairs[pairs["near_duplicate"]]
    out = {
        "reports": len(reports), "path": comparison.path, "pairs": len(pairs), "threads": term_extraction.n_workers(),
        "near_duplicates": int(len(flagged)), "shared_prose": int(pairs["shared_prose"].sum()),
        "shared_prose_same_outlet": int((pairs["shared_prose"] & pairs["same_outlet"].fillna(False)).sum()),
        "shared_quotation_only": int((pairs["shared_quotation"] & ~pairs["shared_prose"]).sum()),
        "terms": len(comparison.vectors.vocabulary),
        "times": times, "cpu": cpu, "rss_loaded_mb": rss_loaded / 2**20, "rss_imports_mb": rss_imports / 2**20,
        "cpu_s": sum(c.ru_utime + c.ru_stime for c in cpu1) - sum(c.ru_utime + c.ru_stime for c in cpu0),
        "memory_polled": bool(args.memory),
    }
    if args.memory:
        out["peak_mb"] = memory.peak / 2**20
        out["peak_stage_mb"] = {stage: value / 2**20
                                for stage, value in sorted({**memory.by_stage, "total": memory.peak}.items())}
    if injected:
        flagged_set = set(zip(flagged["report_a"], flagged["report_b"]))
        listed = set(zip(pairs["report_a"], pairs["report_b"]))
        out["injected"] = len(injected)
        out["injected_flagged"] = len(injected & flagged_set)
        out["injected_listed"] = len(injected & listed)
    if args.baselines:
        vectors = comparison.vectors
        out["baseline_top_k_s"], out["baseline_top_k_extrapolated"] = dense_blocked_seconds(
            vectors, args.top_k, args.full_baseline_max)
        # the specialised library's bare call, no ties or table: what top_k_sparse is measured against
        from scipy import sparse as _sparse
        from sparse_dot_topn import sp_matmul_topn

        X = _sparse.csr_matrix(vectors.matrix)
        start = time.perf_counter()
        sp_matmul_topn(X, X.T.tocsr(), top_n=args.top_k + 1, sort=True, n_threads=term_extraction.n_workers())
        out["baseline_sdt_s"] = time.perf_counter() - start
        m = min(len(reports), args.lsh_baseline_max)
        sub = reports.sort_values("report_id").head(m)
        start = time.perf_counter()
        datasketch_candidates(sub["report_id"].tolist(), sub["text"].tolist(), settings.lsh_threshold)
        out["baseline_lsh_s"] = (time.perf_counter() - start) * len(reports) / m
        out["baseline_lsh_extrapolated"] = m < len(reports)
    return out


# ----------------------------------------------------------------- driver

def write_rows(path: Path, rows: list[dict]) -> Path:
    """Write ``rows`` (dicts; the first one's keys are the columns, missing cells empty) to ``path`` atomically."""
    import csv

    with atomic.atomic_path(path) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_subprocess(argv: list[str]) -> dict:
    import shutil
    import tempfile

    cmd = [sys.executable, "-m", "benchmarks.bench_similarity", "--worker", *argv]
    # every run cold: an empty cache of its own, or the pairs a previous run aligned would be read back
    cache = tempfile.mkdtemp(prefix="bench-similarity-cache-")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
                              env={**os.environ, "ANALYSIS_CACHE": cache})
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark run failed: {' '.join(cmd)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def worker_argv(args, **override) -> list[str]:
    values = {**vars(args), **override}
    argv = ["--corpus", values["corpus"], "--seed", str(values["seed"]), "--analyzer", values["analyzer"],
            "--top-k", str(values["top_k"]), "--all-pairs-max-reports", str(values["all_pairs_max_reports"]),
            "--align-min-cosine", str(values["align_min_cosine"]),
            "--full-baseline-max", str(values["full_baseline_max"]), "--lsh-baseline-max", str(values["lsh_baseline_max"])]
    if values["size"] is not None:
        argv += ["--size", str(values["size"])]
    if values.get("baselines"):
        argv.append("--baselines")
    if values.get("memory"):
        argv.append("--memory")
    return argv


def median(values):
    return statistics.median(values) if values else float("nan")


def _runs(args, count: int, memory: bool) -> list[dict]:
    """``count`` runs in fresh processes, the memory poller on or off; each one's raw JSON written as it ends."""
    runs = []
    for i in range(count):
        # baselines in the first timed run only (they do not change what the toolkit computes)
        baselines = not memory and i == 0 and not args.no_baselines
        run = run_subprocess(worker_argv(args, baselines=baselines, memory=memory))
        runs.append(run)
        # the raw measurements first, so nothing below can lose a run that took half an hour
        kind = "memory" if memory else "run"
        atomic.write_text(RESULTS / "raw" / f"similarity_{args.corpus}_{run['reports']}_{kind}{i + 1}.json",
                          json.dumps(run, indent=1, sort_keys=True) + "\n")
        peak = f", peak {run['peak_mb']:.0f} MiB with the poller on" if memory else ""
        print(f"{'memory' if memory else 'timed'} run {i + 1}/{count}: {run['times']['total']:.1f} s{peak}", flush=True)
    return runs


def _top_k_and_flags(times: dict) -> float:
    """Seconds of the stages the targets count: top-k, LSH and alignment."""
    return sum(times.get(stage, 0.0) for stage in ("top-k", "lsh", "alignment"))


def benchmark(args) -> int:
    runs = _runs(args, args.repeat, memory=False)
    memory_runs = _runs(args, args.memory_repeat, memory=True)
    first = runs[0]
    med = {s: median([r["times"].get(s, 0.0) for r in runs]) for s in STAGES}
    base_topk, base_lsh = first.get("baseline_top_k_s"), first.get("baseline_lsh_s")
    name = f"{args.corpus}_{first['reports']}"
    print(f"\n{args.corpus}: {first['reports']} reports, path {first['path']}, {first['terms']} terms, "
          f"{first['pairs']} pairs, {first['near_duplicates']} near-duplicates, {first['shared_prose']} sharing prose "
          f"({first['shared_prose_same_outlet']} of one outlet), {first['shared_quotation_only']} sharing only quotations")
    print(f"times: median of {len(runs)} runs; memory: median of {len(memory_runs)} other runs with the poller on "
          "(each run in a fresh process; machine load varies)")
    rows = []
    med_cpu = {s: median([r.get("cpu", {}).get(s, float("nan")) for r in runs]) for s in STAGES}
    stage_peaks = {s: [r["peak_stage_mb"][s] for r in memory_runs if s in r["peak_stage_mb"]] for s in STAGES}
    for stage in STAGES:
        values = [r["times"].get(stage, 0.0) for r in runs]
        baseline = {"top-k": base_topk, "lsh": base_lsh}.get(stage)
        rows.append({"corpus": args.corpus, "reports": first["reports"], "stage": stage,
                     "median_s": round(med[stage], 3), "min_s": round(min(values), 3), "max_s": round(max(values), 3),
                     "median_cpu_s": round(med_cpu[stage], 3),
                     "median_peak_mb": round(median(stage_peaks[stage])) if stage_peaks[stage] else "",
                     "baseline": {"top-k": "dense blocked top-k (top_k_blocked)",
                                  "lsh": "datasketch MinHash+MinHashLSH"}.get(stage, "") if baseline else "",
                     "baseline_s": round(baseline, 3) if baseline else "",
                     "baseline_extrapolated": ({"top-k": first.get("baseline_top_k_extrapolated", ""),
                                                "lsh": first.get("baseline_lsh_extrapolated", "")}.get(stage, "")),
                     "speedup_vs_baseline": round(baseline / med[stage], 2) if baseline and med[stage] else ""})
    print(f"{'stage':<11}{'median s':>10}{'min':>8}{'max':>8}{'cpu s':>8}{'peak MiB':>10}   baseline (wall, one core)")
    for row in rows:
        extra = ""
        if row["baseline_s"] != "":
            how = "extrapolated" if row["baseline_extrapolated"] else "measured"
            extra = f"   {row['baseline']}: {row['baseline_s']:.1f} s ({how}) -> x{row['speedup_vs_baseline']}"
        print(f"{row['stage']:<11}{row['median_s']:>10.2f}{row['min_s']:>8.2f}{row['max_s']:>8.2f}"
              f"{row['median_cpu_s']:>8.2f}{row['median_peak_mb']:>10}{extra}")
    peak = median([r["peak_mb"] for r in memory_runs])
    loaded = median([r["rss_loaded_mb"] for r in runs])
    imports = median([r["rss_imports_mb"] for r in runs])
    print(f"peak memory (RSS + children's private memory): median {peak:.0f} MiB "
          f"(after imports: {imports:.0f} MiB; corpus loaded: {loaded:.0f} MiB); CPU time median "
          f"{median([r['cpu_s'] for r in runs]):.1f} s")
    if first.get("baseline_sdt_s"):
        print(f"bare sparse_dot_topn sp_matmul_topn (top {args.top_k + 1}, {first.get('threads', '')} threads): "
              f"{first['baseline_sdt_s']:.1f} s; top_k_sparse / bare = {med['top-k'] / first['baseline_sdt_s']:.2f}")
    top_k_and_flags = _top_k_and_flags(med)
    print(f"top-10 + near-duplicate flags (top-k + lsh + alignment): {top_k_and_flags:.1f} s; "
          f"with terms and TF-IDF: {med['total']:.1f} s")
    polled = median([_top_k_and_flags(r["times"]) for r in memory_runs])
    if memory_runs:
        print(f"the same in the memory runs, the poller slowing them: {polled:.1f} s")
    extra_rows = [("peak_mb", round(peak) if memory_runs else ""), ("rss_imports_mb", round(imports)),
                  ("rss_loaded_mb", round(loaded))]
    if first.get("baseline_sdt_s"):  # not measured with --no-baselines: no row rather than a made-up 0
        extra_rows.append(("bare_sparse_dot_topn_s", round(first["baseline_sdt_s"], 3)))
    extra_rows += [("top_k_plus_flags_s", round(top_k_and_flags, 3))]
    if memory_runs:
        extra_rows.append(("top_k_plus_flags_s_memory_runs", round(polled, 3)))
    extra_rows += [("pairs", first["pairs"]),
                   ("near_duplicates", first["near_duplicates"]), ("shared_prose", first["shared_prose"]),
                   ("shared_prose_same_outlet", first["shared_prose_same_outlet"]),
                   ("shared_quotation_only", first["shared_quotation_only"]),
                   ("terms_in_vocabulary", first["terms"])]
    if "injected" in first:
        recall = first["injected_flagged"] / first["injected"]
        print(f"injected near-duplicates: {first['injected']}, flagged {first['injected_flagged']} "
              f"(recall {recall:.4f}), in the pairs table {first['injected_listed']}")
        extra_rows += [("injected", first["injected"]), ("injected_flagged", first["injected_flagged"]),
                       ("injected_recall", round(recall, 4)), ("injected_listed", first["injected_listed"])]
    rows += [{"corpus": args.corpus, "reports": first["reports"], "stage": key, "median_s": value} for key, value in extra_rows]
    path = write_rows(RESULTS / f"similarity_{name}{'_no-baselines' if args.no_baselines else ''}.csv", rows)
    print(f"written {path}")
    return 0


class _Captured(Exception):
    """Carries the arguments of ``_align_cached`` out of ``compare_reports`` (the pairs it would align)."""


def pairs_to_align(args):
    """``(reports, to_align, texts, settings)``: the pairs ``compare_reports`` aligns on the corpus (untimed)."""
    from analysis.similarity import report_similarity as rs
    from benchmarks import corpora

    reports, _ = corpora.load(args.corpus, args.size, args.seed)
    settings = similarity_settings(args)
    original = rs._align_cached

    def capture(to_align, texts, spans, settings, parallel):
        raise _Captured(to_align[["report_a", "report_b"]].reset_index(drop=True), texts)

    rs._align_cached = capture
    try:
        rs.compare_reports(reports, settings)
    except _Captured as captured:
        to_align, texts = captured.args
    else:
        raise SystemExit("compare_reports aligned nothing: the corpus is too small for the top-k path")
    finally:
        rs._align_cached = original
    return reports, to_align, texts, settings


def alignment_stage(args) -> int:
    """Only the alignment of the pairs the top-k path aligns, ``--repeat`` times each way, interleaved.

    Baseline: the same alignment by the numpy code that small corpora use
    (``COMPILED_ALIGN_MIN_PAIRS`` raised above the number of pairs), so no
    numba kernel splits reports, builds their tables or filters candidates.
    Both ways run in forked workers, as in ``compare_reports``; their tables
    must be exactly equal. The pairs are computed once first (not timed).
    """
    import gc

    import pandas as pd

    from analysis.similarity import passages, report_similarity as rs

    reports, to_align, texts, settings = pairs_to_align(args)
    passages.load_compiled()  # compiled (a kernel's first use on a machine) before any run is timed
    print(f"{args.corpus}: {len(reports)} reports, {len(to_align)} pairs to align", flush=True)

    default = rs.COMPILED_ALIGN_MIN_PAIRS
    times: dict[str, list[tuple[float, float]]] = {"numpy": [], "compiled": []}
    tables = {}
    try:
        for i in range(args.repeat):
            for way in ("numpy", "compiled"):
                rs.COMPILED_ALIGN_MIN_PAIRS = default if way == "compiled" else len(to_align) + 1
                gc.collect()
                start, cpu = time.perf_counter(), cpu_seconds()
                result = rs._align(to_align, texts, None, {}, settings, parallel=True)
                times[way].append((time.perf_counter() - start, cpu_seconds() - cpu))
                print(f"run {i + 1}/{args.repeat} {way}: {times[way][-1][0]:.2f} s, CPU {times[way][-1][1]:.2f} s", flush=True)
                if way not in tables:
                    tables[way] = result
    finally:
        rs.COMPILED_ALIGN_MIN_PAIRS = default
    for a, b in zip(tables["numpy"], tables["compiled"]):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    shared, summary = tables["compiled"]
    rows = []
    for way in ("numpy", "compiled"):
        wall = [t for t, _ in times[way]]
        rows.append({"corpus": args.corpus, "reports": len(reports), "pairs": len(to_align), "way": way,
                     "median_s": round(median(wall), 3), "min_s": round(min(wall), 3), "max_s": round(max(wall), 3),
                     "median_cpu_s": round(median([c for _, c in times[way]]), 3),
                     "shared_passages": len(shared), "near_duplicates": int(summary["near_duplicate"].sum())})
    ratio = rows[0]["median_s"] / rows[1]["median_s"]
    print(f"\nmedians of {args.repeat} runs each, interleaved; tables exactly equal "
          f"({len(shared)} shared passages, {rows[1]['near_duplicates']} near-duplicates)")
    for row in rows:
        print(f"{row['way']:<9}{row['median_s']:>9.2f} s  (min {row['min_s']:.2f}, max {row['max_s']:.2f}; "
              f"CPU {row['median_cpu_s']:.2f} s)")
    print(f"numpy (baseline) / compiled: x{ratio:.2f}")
    for row in rows:
        row["numpy_over_compiled"] = round(ratio, 2)
    path = write_rows(RESULTS / f"alignment_{args.corpus}_{len(reports)}.csv", rows)
    print(f"written {path}")
    return 0


def crossover(args) -> int:
    """Whole ``compare_reports`` on allsides samples: all pairs (dense) vs top-k + LSH, medians of ``--repeat``."""
    rows = []
    print(f"{'reports':>8}{'all pairs s':>13}{'top-k s':>10}{'ratio':>8}")
    for size in args.sizes:
        timing = {}
        for label, limit in (("all pairs", size), ("top-k", 1)):
            values = [run_subprocess(worker_argv(args, size=size, all_pairs_max_reports=limit, baselines=False))
                      for _ in range(args.repeat)]
            timing[label] = median([v["times"]["total"] for v in values])
        ratio = timing["all pairs"] / timing["top-k"]
        print(f"{size:>8}{timing['all pairs']:>13.2f}{timing['top-k']:>10.2f}{ratio:>8.2f}", flush=True)
        rows.append({"reports": size, "all_pairs_s": round(timing["all pairs"], 3), "top_k_s": round(timing["top-k"], 3),
                     "all_pairs_over_top_k": round(ratio, 2)})
    faster = [r["reports"] for r in rows if r["all_pairs_over_top_k"] > 1]
    print(f"top-k + LSH is faster from {min(faster) if faster else 'none of these sizes'} reports on")
    path = write_rows(RESULTS / "similarity_crossover.csv", rows)
    print(f"written {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="allsides", choices=["allsides", "resampled", "bbc", "seeds"])
    parser.add_argument("--size", type=int, default=None, help="reports (allsides: a seeded sample; resampled: total)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the memory poller off)")
    parser.add_argument("--memory-repeat", type=int, default=None,
                        help="runs with the memory poller on, for the peaks (default: as many as --repeat)")
    parser.add_argument("--analyzer", default="regex", choices=["regex", "spacy"])
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--all-pairs-max-reports", type=int, default=None,
                        help="default: the toolkit's SimilaritySettings default")
    parser.add_argument("--align-min-cosine", type=float, default=None, help="default: the toolkit's default")
    parser.add_argument("--full-baseline-max", type=int, default=12_000,
                        help="beyond this many reports the dense baseline is timed on its first rows and extrapolated")
    parser.add_argument("--lsh-baseline-max", type=int, default=5_000)
    parser.add_argument("--crossover", action="store_true", help="time all pairs vs top-k on --sizes")
    parser.add_argument("--stage", choices=["all", "alignment"], default="all",
                        help="alignment: time only the alignment stage, compiled kernels vs the numpy code")
    parser.add_argument("--no-baselines", action="store_true",
                        help="time the toolkit's stages only (the baselines take as long again on large corpora)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 300])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baselines", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_repeat is None:
        args.memory_repeat = args.repeat
    from analysis.similarity.report_similarity import SimilaritySettings

    defaults = SimilaritySettings()
    if args.all_pairs_max_reports is None:
        args.all_pairs_max_reports = defaults.all_pairs_max_reports
    if args.align_min_cosine is None:
        args.align_min_cosine = defaults.align_min_cosine
    if args.corpus == "resampled" and args.size is None:
        args.size = 100_000
    if args.worker:
        print(json.dumps(run_once(args)))
        return 0
    if args.crossover:
        args.corpus = "allsides"
        return crossover(args)
    if args.stage == "alignment":
        return alignment_stage(args)
    return benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
