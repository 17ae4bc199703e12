"""Corpus-wide results cached as Parquet tables, so a warm rerun of an unchanged corpus skips them.

Per-report results live in :mod:`analysis.features`; the steps that read the
whole corpus at once (canonical actor names, claim grouping) are cached here,
keyed by a fingerprint of every input table and of the code that computed
them. Any change to a report, an attribution or one of those files gives a
new key, so the step runs again.
"""
from __future__ import annotations

import hashlib
import io
from typing import Callable, Sequence

import pandas as pd

from analysis import atomic, config


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """SHA-256 of a table's values, index, column names and dtypes."""
    digest = hashlib.sha256()
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def cached_frames(kind: str, key: str, names: Sequence[str],
                  compute: Callable[[], Sequence[pd.DataFrame]]) -> tuple[pd.DataFrame, ...]:
    """The tables ``compute()`` returns, from ``.cache/corpus_results/<kind>/<key>/`` when there.

    Accepts a step name, a key (a fingerprint of every input) and one name
    per table. Each table is written atomically as Parquet and a ``complete``
    marker last, so an interrupted run never leaves a half cache. Both paths
    return the tables as read back from Parquet, so a cached rerun gives the
    same dtypes, and the same outputs, as the first run.
    """
    folder = config.CACHE_DIR / "corpus_results" / kind / key
    marker = folder / "complete"
    if not marker.exists():
        frames = compute()
        assert len(frames) == len(names)
        for name, frame in zip(names, frames):
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=True)
            atomic.write_bytes(folder / f"{name}.parquet", buffer.getvalue())
        atomic.write_text(marker, "")
    return tuple(pd.read_parquet(folder / f"{name}.parquet") for name in names)
