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
