"""Atomic, deterministic writes: a temporary file in the same folder, then a rename.

An interrupted run therefore leaves either the previous file or the new one,
never half a table. Tables are written with sorted rows by the callers and
with ``\\n`` line endings here, so reruns are byte-identical.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pandas as pd


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 ``text`` with ``\\n`` newlines atomically."""
    return write_bytes(target, text.encode("utf-8"))


def write_json(target: str | os.PathLike, obj: Any) -> Path:
    """Write ``obj`` as indented, key-sorted UTF-8 JSON atomically."""
    return write_text(target, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write_csv(target: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as UTF-8 CSV (no index, ``\\n`` line ends) atomically."""
    return write_text(target, frame.to_csv(index=False, lineterminator="\n"))


def write_parquet(target: str | os.PathLike, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as Parquet atomically (no pandas index, no creation timestamp)."""
    with atomic_path(target) as tmp:
        frame.reset_index(drop=True).to_parquet(tmp, index=False, engine="pyarrow")
    return Path(target)
