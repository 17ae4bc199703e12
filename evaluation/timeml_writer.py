"""Our time expressions written as TimeML files, for the official TempEval-3 scorer.

Each system file is its gold file with the content of ``<TEXT>`` replaced by the
plain text carrying our ``TIMEX3`` tags (``tid``, ``type``, ``value``): the
document id, the creation time (``<DCT>``) and the title stay as in the gold
file, and the gold's events, signals, instances and links are left out. The
official scorer (``TE3-evaluation.py`` of the TempEval-3 toolkit,
https://github.com/naushadzaman/tempeval3_toolkit) refuses a file whose text
differs from the gold's, so the text is written back character for character.

Inline TimeML cannot hold two overlapping expressions: where ours overlap, the
first (then the longest) is written and the others are left out, and the
scores of :mod:`evaluation.tempeval_eval` are computed on what was written.

Usage::

    .venv/bin/python -m evaluation.tempeval_eval CORPUS --split te3-platinum --write-timeml OUT_DIR

then, in a checkout of the toolkit (Python 2.7 and Java; see README "TempEval-3")::

    python TE3-evaluation.py OUT_DIR/gold OUT_DIR/system 0.5
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from analysis import atomic


def non_overlapping(timexes: list) -> list:
    """The expressions inline TimeML can hold: sorted by start, the first (then longest) of overlapping ones kept.

    Accepts objects with ``start`` and ``end`` character offsets; returns a new list.
    """
    kept: list = []
    for t in sorted(timexes, key=lambda t: (t.start, -t.end)):
        if t.end <= t.start or (kept and t.start < kept[-1].end):
            continue
        kept.append(t)
    return kept


def annotated_text(text: str, timexes: list) -> str:
    """``text`` (plain, unescaped) with a ``TIMEX3`` element around each of ``timexes`` (non-overlapping, sorted).

    Each timex needs ``start``, ``end``, ``value`` and ``type``; ids are ``t1``, ``t2``, … in text order.
    Returns XML-escaped text ready to go inside ``<TEXT>``.
    """
    out, cursor = [], 0
    for i, t in enumerate(timexes, start=1):
        out.append(escape(text[cursor:t.start]))
        out.append(f"<TIMEX3 tid=\"t{i}\" type={quoteattr(t.type or 'DATE')} value={quoteattr(t.value)}>"
                   f"{escape(text[t.start:t.end])}</TIMEX3>")
        cursor = t.end
    out.append(escape(text[cursor:]))
    return "".join(out)


def system_timeml(gold_path: str | Path, text: str, timexes: list) -> str:
    """The system TimeML document for one gold file: its head up to ``<TEXT>``, our annotated text, the end.

    ``text`` is the plain text of the gold ``<TEXT>`` (as :func:`evaluation.tempeval_eval.load_timeml` reads it).
    """
    raw = Path(gold_path).read_text(encoding="utf-8")
    head = raw[:raw.index("<TEXT>") + len("<TEXT>")]
    root = re.search(r"<(TimeML)\b", head)
    closing = "</TimeML>\n" if root else ""
    return f"{head}{annotated_text(text, timexes)}</TEXT>\n\n{closing}"


def write_split(gold_paths: list[Path], texts: list[str], predictions: list[list], out_dir: str | Path) -> list[Path]:
    """Write ``out_dir/system/NAME`` (our files) and ``out_dir/gold/NAME`` (the gold files, byte for byte).

    The official script wants two flat folders holding the same file names and nothing else (the corpus
    folder also holds a README, and ``TBAQ-cleaned`` has subfolders its normaliser does not enter), so the
    files go side by side under their own names, which must be unique. ``predictions[i]`` must already be
    :func:`non_overlapping`. Returns the written system paths (sorted).
    """
    names = [Path(p).name for p in gold_paths]
    assert len(set(names)) == len(names), "gold file names must be unique to be written side by side"
    written = []
    for path, text, pred in zip(gold_paths, texts, predictions):
        for side, content in (("gold", Path(path).read_bytes()),
                              ("system", system_timeml(path, text, pred).encode("utf-8"))):
            target = Path(out_dir) / side / Path(path).name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(target, content)
        written.append(Path(out_dir) / "system" / Path(path).name)
    return sorted(written)
