"""``memory.release_free_memory`` hands freed heap memory back to the system."""
import platform

import psutil
import pytest

from analysis import memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_heap_memory_goes_back_to_the_system():
    process = psutil.Process()
    # 200 MB in 2 KB blocks (malloc's heap, not Python's small-object arenas), then a block above them that
    # stays: the freed blocks are not at the heap's top, so glibc keeps them
    blocks = [bytearray(2048) for _ in range(100_000)]
    for block in blocks:
        block[::512] = b"\x01" * 4  # touch every page
    keep = bytearray(2048)
    del blocks
    held = process.memory_info().rss
    assert memory.release_free_memory() is True
    released = held - process.memory_info().rss
    assert released > 150 * 2**20, f"released {released / 2**20:.0f} MiB"
    assert keep is not None
