"""The SQLite store of small cached results (one value per aligned pair of reports)."""
from __future__ import annotations

import sqlite3

import pytest

from analysis.pipeline import result_store


def test_values_come_back_by_key_across_batches(tmp_path):
    store = tmp_path / "cache" / "results.sqlite"
    assert result_store.get_many(store, ["a"]) == {}  # no store yet: nothing found, nothing created
    assert not store.exists()
    items = [(f"k{i:04d}", {"summary": [i, i / 7, i % 2 == 0], "passages": [["é", i]]}) for i in range(1200)]
    result_store.put_many(store, items)
    got = result_store.get_many(store, [k for k, _ in items] + ["missing", "k0001"])
    assert got == dict(items)  # more keys than one SELECT takes, a repeat, a miss
    result_store.put_many(store, [("k0001", {"summary": [], "passages": []})])  # a key written again replaces
    assert result_store.get_many(store, ["k0001"]) == {"k0001": {"summary": [], "passages": []}}
    result_store.put_many(store, [("raw", b"\x00\xff{"), ("empty", b"")])  # bytes stay bytes, not JSON
    assert result_store.get_many(store, ["raw", "empty", "k0002"]) == {"raw": b"\x00\xff{", "empty": b"", "k0002": items[2][1]}


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path):
    store = tmp_path / "results.sqlite"
    result_store.put_many(store, [("a", 1)])

    def items():
        yield "b", 2
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        result_store.put_many(store, items())
    assert result_store.get_many(store, ["a", "b"]) == {"a": 1}
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM results").fetchone() == (1,)
