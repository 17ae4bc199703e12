"""The benchmarks' own measuring tools."""
import multiprocessing
import time

import pytest

from benchmarks.bench_similarity import PeakMemory

MIB = 2**20


def _hold_private_memory(size: int, ready, done) -> None:
    block = bytearray(size)
    block[::4096] = b"\1" * len(range(0, size, 4096))  # written pages only are resident
    ready.set()
    done.wait(30)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_peak_memory_adds_a_child_to_its_stage_and_drops_it_when_it_ends():
    ctx = multiprocessing.get_context("fork")
    ready, done = ctx.Event(), ctx.Event()
    with PeakMemory(interval=0.02) as memory:
        before = memory.sample()
        memory.stage = "child"
        child = ctx.Process(target=_hold_private_memory, args=(300 * MIB, ready, done))
        child.start()
        assert ready.wait(30)
        # children are read at most 2% of the time (a read of ~5 ms, then none for ~0.25 s), and later on a loaded
        # machine: wait for a reading rather than a fixed second (one such second missed it while other tests ran)
        deadline = time.monotonic() + 30
        while memory.by_stage.get("child", 0) - before <= 250 * MIB and time.monotonic() < deadline:
            time.sleep(0.05)
        done.set()
        child.join()
        time.sleep(0.1)  # let a sample begun with the child alive finish under its stage
        memory.stage = "after"
        time.sleep(0.2)
    assert memory.by_stage["child"] - before > 250 * MIB
    assert memory.by_stage["after"] - before < 100 * MIB
    assert memory.peak == max(memory.by_stage.values())


def test_similarity_benchmark_times_runs_without_the_poller_and_takes_peaks_from_separate_runs(tmp_path, monkeypatch):
    import argparse
    import csv

    from benchmarks import bench_similarity

    calls = []

    def fake_run(argv):
        polled = "--memory" in argv
        calls.append(polled)
        seconds = 100.0 if polled else 10.0 + len(calls)  # polled runs far slower: their times must not count
        run = {"reports": 7, "path": "top-k", "pairs": 3, "near_duplicates": 1, "shared_prose": 1, "shared_prose_same_outlet": 0,
               "shared_quotation_only": 1, "terms": 5,
               "threads": 2, "rss_loaded_mb": 1.0, "rss_imports_mb": 1.0, "cpu_s": 1.0,
               "times": {stage: seconds for stage in bench_similarity.STAGES}, "cpu": {}}
        if polled:
            run["peak_mb"] = 500.0 + 2 * len(calls)
            run["peak_stage_mb"] = {"top-k": 400.0, "total": run["peak_mb"]}
        return run

    monkeypatch.setattr(bench_similarity, "run_subprocess", fake_run)
    monkeypatch.setattr(bench_similarity, "RESULTS", tmp_path)
    args = argparse.Namespace(corpus="allsides", size=7, seed=0, analyzer="regex", top_k=10, all_pairs_max_reports=300,
                              align_min_cosine=0.2, full_baseline_max=1, lsh_baseline_max=1, repeat=3, memory_repeat=2,
                              no_baselines=True, baselines=False, memory=False)
    bench_similarity.benchmark(args)
    assert calls == [False, False, False, True, True]
    rows = {row["stage"]: row for row in csv.DictReader(open(tmp_path / "similarity_allsides_7_no-baselines.csv"))}
    assert float(rows["top-k"]["median_s"]) == 12.0  # the timed runs' 11, 12, 13 s
    assert float(rows["top_k_plus_flags_s"]["median_s"]) == 36.0
    assert float(rows["top_k_plus_flags_s_memory_runs"]["median_s"]) == 300.0
    assert float(rows["peak_mb"]["median_s"]) == 509  # the memory runs' 508 and 510 MiB
    assert rows["top-k"]["median_peak_mb"] == "400"
    assert (rows["shared_prose"]["median_s"], rows["shared_quotation_only"]["median_s"]) == ("1", "1")


def test_bench_claims_times_the_claim_step_of_a_checkout_in_a_fresh_subprocess(tmp_path):
    import os
    import sys
    from pathlib import Path

    from analysis import config
    from benchmarks import bench_claims

    nlp_cache = Path(os.environ["ANALYSIS_CACHE"]) / "nlp"  # the session's cache: the seeds are parsed once
    nlp_cache.mkdir(parents=True, exist_ok=True)
    row = bench_claims.measure(sys.executable, config.REPO_ROOT, config.SEEDS_DIR, nlp_cache, 3, 0)
    assert row["reports"] == 3 and row["mentions"] >= row["claims"] > 0
    assert row["claims_s"] == pytest.approx(row["extract_s"] + row["across_s"])
    assert min(row["citations_s"], row["extract_s"], row["across_s"]) >= 0
