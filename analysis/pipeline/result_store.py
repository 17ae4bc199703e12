"""A cache of many small results in one SQLite file (standard library): JSON values, or bytes as they are.

Notebook 02 caches one result per aligned pair of reports: on 100,000 reports
that is several hundred thousand values of a few hundred bytes each. As one
file each, writing them cost 0.4 ms a pair (a temporary file, a rename) and
filled a directory tree; in one SQLite table, written in one transaction, it
costs about 0.01 ms and an interrupted run leaves the previous state
(SQLite's transactions are atomic). Concurrent readers and writers wait on SQLite's
lock rather than failing.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Iterable, Sequence

_BATCH = 500  # keys per SELECT ... IN (...): under SQLite's limit on bound parameters


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=600)
    # a rowid table: values of hundreds of bytes to tens of kilobytes (WITHOUT ROWID suits small rows only)
    db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    return db


def get_many(path: Path, keys: Sequence[str]) -> dict[str, Any]:
    """The stored values of those ``keys`` found in the store at ``path``, by key: decoded from JSON, bytes as stored."""
    if not Path(path).exists() or not keys:
        return {}
    found: dict[str, Any] = {}
    unique = sorted(set(keys))
    with closing(_connect(path)) as db:
        for i in range(0, len(unique), _BATCH):
            chunk = unique[i : i + _BATCH]
            marks = ",".join("?" * len(chunk))
            for key, value in db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk):
                found[key] = value if isinstance(value, bytes) else json.loads(value)
    return found


def put_many(path: Path, items: Iterable[tuple[str, Any]]) -> None:
    """Store ``(key, value)`` pairs at ``path`` in one transaction (replacing equal keys).

    A value is JSON-serialisable, or ``bytes`` (stored as a BLOB, read back as ``bytes``).
    """
    # streamed into the transaction: on a large corpus the encoded values take gigabytes
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder for all values
    rows = ((key, value if isinstance(value, bytes) else encode(value)) for key, value in items)
    with closing(_connect(path)) as db, db:
        db.executemany("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", rows)
