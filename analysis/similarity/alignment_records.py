"""Aligned pairs of reports as compact binary records, for the pair cache of notebook 02.

Each aligned pair is stored (``result_store``) as one value: its summary
record, then one record per shared passage, in the fixed little-endian layouts
below. Sentence texts are not stored: they are slices of the two reports'
texts, which the pair's key covers. Made and read with numpy a block of
pairs at a time, not value by value. The JSON rows this replaces took 29 s
to write on 100,000 resampled reports (444,019 pairs, 5.3 million passages);
on the 37,554 allsides reports (109,921 pairs) writing went from 2.7 to
1.7 s and reading back from 9.5 to 3.3 s.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from analysis.similarity.passages import PASSAGE_COLUMNS, SUMMARY_COLUMNS

MATCH_KINDS = ("verbatim", "rewrite", "phrase")
SUMMARY_RECORD = np.dtype([("shared_passages", "<i8"), ("shared_share", "<f8"), ("near_duplicate", "u1")])
PASSAGE_RECORD = np.dtype([("score", "<f8"), ("match", "u1"), ("longest_run", "<i8"), ("run_a", "<i4"),
                           ("run_b", "<i4"), ("start_a", "<i8"), ("end_a", "<i8"), ("start_b", "<i8"),
                           ("end_b", "<i8")])
_OFFSETS = ["start_a", "end_a", "start_b", "end_b"]


def encode(keys: Mapping[tuple[str, str], str], shared: pd.DataFrame, summary: pd.DataFrame,
           block: int = 20_000) -> Iterator[tuple[str, bytes]]:
    """``(key, value)`` of each pair of ``summary``, for ``result_store.put_many``.

    Accepts the two tables of ``passages.shared_passages`` (``shared`` sorted
    by pair, as it returns it) and each pair's key by ``(report_a, report_b)``.
    A pair has ``shared_passages`` rows of ``shared``, so walking ``summary`` in
    the same order finds them by a running count; ``block`` pairs are encoded
    at a time.
    """
    summary = summary.sort_values(["report_a", "report_b"], kind="mergesort")
    counts = summary["shared_passages"].to_numpy(np.int64)
    ends = np.cumsum(counts)
    assert (ends[-1] if len(ends) else 0) == len(shared), "each pair's passages must be counted in its summary"
    for first in range(0, len(summary), block):
        part = summary.iloc[first : first + block]
        part_counts = counts[first : first + len(part)]
        stop = int(ends[first + len(part) - 1])
        rows = shared.iloc[stop - int(part_counts.sum()) : stop]
        for column in ("report_a", "report_b"):
            assert (np.repeat(part[column].to_numpy(object), part_counts)
                    == rows[column].to_numpy(object)).all(), "passages out of pair order"
        head = np.empty(len(part), SUMMARY_RECORD)
        for column in SUMMARY_RECORD.names:
            head[column] = part[column].to_numpy()
        body = np.empty(len(rows), PASSAGE_RECORD)
        match = pd.Categorical(rows["match"], categories=MATCH_KINDS).codes
        assert (match >= 0).all(), f"match kinds must be among {MATCH_KINDS}"
        body["match"] = match
        for column in ("score", "longest_run", "run_a", "run_b", *_OFFSETS):
            body[column] = rows[column].to_numpy()
        head_bytes, body_bytes = head.tobytes(), body.tobytes()
        size_head, size_body = SUMMARY_RECORD.itemsize, PASSAGE_RECORD.itemsize
        at = np.concatenate(([0], np.cumsum(part_counts))) * size_body
        pairs = zip(part["report_a"].tolist(), part["report_b"].tolist())
        for i, (pair, start, end) in enumerate(zip(pairs, at[:-1].tolist(), at[1:].tolist())):
            yield keys[pair], head_bytes[i * size_head : (i + 1) * size_head] + body_bytes[start:end]


def readable(value: object) -> bool:
    """Whether a stored value is a whole record of this layout (else the pair is aligned again)."""
    if not isinstance(value, bytes) or len(value) < SUMMARY_RECORD.itemsize:
        return False
    passages = int(np.frombuffer(value, SUMMARY_RECORD, count=1)["shared_passages"][0])
    return passages >= 0 and len(value) == SUMMARY_RECORD.itemsize + passages * PASSAGE_RECORD.itemsize


def decode(values: Mapping[tuple[str, str], bytes], texts: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of ``passages.shared_passages`` for stored pairs.

    Accepts each pair's value (from ``encode``, checked by ``readable``) by
    ``(report_a, report_b)`` and the report texts by id, from which the
    sentences are cut. Returns ``(passages, summary)`` with the columns and
    types ``shared_passages`` gives, pairs in the order of ``values``.
    """
    pairs = list(values)
    size_head = SUMMARY_RECORD.itemsize
    head = np.frombuffer(b"".join(values[pair][:size_head] for pair in pairs), SUMMARY_RECORD)
    body = np.frombuffer(b"".join(values[pair][size_head:] for pair in pairs), PASSAGE_RECORD)
    counts = head["shared_passages"].astype(np.int64)
    # columns of strings from Python lists, as ``shared_passages`` makes them, so that they get the same dtype
    summary = pd.DataFrame({
        "report_a": [a for a, _ in pairs],
        "report_b": [b for _, b in pairs],
        "shared_passages": counts,
        "shared_share": head["shared_share"].astype(np.float64),
        "near_duplicate": head["near_duplicate"].astype(bool),
    })[SUMMARY_COLUMNS]
    if len(body) == 0:
        return pd.DataFrame(columns=PASSAGE_COLUMNS), summary  # what ``shared_passages`` gives for no passage
    offsets = {c: body[c].astype(np.int64) for c in _OFFSETS}
    sentence_a, sentence_b = [], []
    at = 0
    bounds = {c: offsets[c].tolist() for c in _OFFSETS}
    for (a, b), count in zip(pairs, counts.tolist()):
        if count:
            text_a, text_b = texts[a], texts[b]
            for i in range(at, at + count):
                sentence_a.append(text_a[bounds["start_a"][i] : bounds["end_a"][i]])
                sentence_b.append(text_b[bounds["start_b"][i] : bounds["end_b"][i]])
            at += count
    shared = pd.DataFrame({
        "report_a": np.repeat(np.array([a for a, _ in pairs], dtype=object), counts).tolist(),
        "report_b": np.repeat(np.array([b for _, b in pairs], dtype=object), counts).tolist(),
        "sentence_a": sentence_a,
        "sentence_b": sentence_b,
        "score": body["score"].astype(np.float64),
        "match": np.array(MATCH_KINDS, dtype=object)[body["match"]].tolist(),
        "longest_run": body["longest_run"].astype(np.int64),
        "run_a": body["run_a"].astype(np.int64),
        "run_b": body["run_b"].astype(np.int64),
        **offsets,
    })[PASSAGE_COLUMNS]
    return shared, summary
