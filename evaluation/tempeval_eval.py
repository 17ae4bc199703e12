"""TempEval-3 Task A: extraction and normalisation of time expressions.

Scores ``analysis.temporal`` and, in the same run, ``dateparser.search.search_dates``
(with ``RELATIVE_BASE`` set to each document's creation time) on TimeML files.
Measures as the official TempEval-3 scorer defines them: strict match = identical
span, relaxed match = overlapping span; value F1 = (share of relaxed matches whose
normalised TIMEX3 value equals the gold value) x relaxed F1. Each document's
creation time (DCT) is the anchor of its relative expressions.

Usage::

    .venv/bin/python -m evaluation.tempeval_eval [CORPUS_DIR] [--split te3-platinum] [--limit N] [--no-dateparser]

Develop on ``TBAQ-cleaned``; report on ``te3-platinum`` (the official test set).
"""
from __future__ import annotations

import argparse
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from analysis import config

DEFAULT_CORPUS = config.REPO_ROOT.parent / "shared" / "corpora" / "tempeval3"

#: HeidelTime on te3-platinum as its authors publish it (Strötgen et al. 2013, TempEval-3 results).
HEIDELTIME_TE3 = {"strict_f1": 81.34, "relaxed_f1": 90.30, "value_f1": 77.61}


@dataclass(frozen=True)
class Timex:
    """A time expression: character span into the plain text and its TIMEX3 value."""

    start: int
    end: int
    value: str
    text: str = ""


@dataclass
class TimeMLDoc:
    """One TimeML document: plain text of ``<TEXT>``, creation date, gold TIMEX3s."""

    name: str
    text: str
    dct: date
    gold: list[Timex]


def load_timeml(path: str | Path) -> TimeMLDoc:
    """Read a ``.tml`` file: the text inside ``<TEXT>`` with tags removed, its DCT and its TIMEX3 spans."""
    root = ET.parse(path).getroot()
    dct_value = root.find("DCT/TIMEX3").get("value")
    dct = date.fromisoformat(dct_value[:10])
    text_el = root.find("TEXT")
    parts: list[str] = []
    gold: list[Timex] = []

    def walk(el):
        if el.tag == "TIMEX3":
            start = sum(map(len, parts))
            inner = "".join(el.itertext())
            parts.append(inner)
            gold.append(Timex(start, start + len(inner), el.get("value", ""), inner))
        else:
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
                if child.tail:
                    parts.append(child.tail)
                    continue
            return
        # tail of a TIMEX3 is appended by its parent

    if text_el.text:
        parts.append(text_el.text)
    for child in text_el:
        walk(child)
        if child.tail:
            parts.append(child.tail)
    text = "".join(parts)
    for t in gold:
        assert text[t.start:t.end] == t.text
    return TimeMLDoc(Path(path).stem, text, dct, gold)


def load_split(corpus: str | Path, split: str, limit: int | None = None) -> list[TimeMLDoc]:
    """All ``.tml`` documents under ``corpus/split``, sorted by path (first ``limit`` if given)."""
    files = sorted(Path(corpus, split).rglob("*.tml"))
    if limit:
        files = files[:limit]
    return [load_timeml(f) for f in files]


def predict_ours(doc: TimeMLDoc, spacy_doc=None) -> list[Timex]:
    """Time expressions found and normalised by ``analysis.temporal`` (TimeML-style ones only)."""
    from analysis.timeline.temporal import find_time_expressions

    out = []
    for e in find_time_expressions(doc.text, doc.dct, spacy_doc):
        if not e.timex:
            continue
        # TimeML annotates the two ends of a range as two TIMEX3s
        for part in e.parts or (e,):
            out.append(Timex(part.start_char, part.end_char, part.value, part.text))
    return out


def _value_from_datetime(found: datetime) -> str:
    return found.date().isoformat()


def predict_dateparser(doc: TimeMLDoc) -> list[Timex]:
    """``dateparser.search.search_dates`` with ``RELATIVE_BASE`` = DCT; values are its day-precision dates."""
    from dateparser.search import search_dates

    base = datetime(doc.dct.year, doc.dct.month, doc.dct.day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(doc.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    out, cursor = [], 0
    for substring, when in found:
        pos = doc.text.find(substring, cursor)
        if pos < 0:
            pos = doc.text.find(substring)
            if pos < 0:
                continue
        else:
            cursor = pos + len(substring)
        stripped = substring.strip()
        offset = substring.find(stripped)
        out.append(Timex(pos + offset, pos + offset + len(stripped), _value_from_datetime(when), stripped))
    return out


def _norm_value(value: str) -> str:
    return re.sub(r"\s+", "", value.upper())


def score(pairs: list[tuple[list[Timex], list[Timex]]]) -> dict[str, float]:
    """TempEval-3 Task A measures over (gold, predicted) lists, one pair per document, in percent."""
    n_gold = n_pred = strict_p = strict_r = relaxed_p = relaxed_r = value_ok = matched = 0
    for gold, pred in pairs:
        n_gold += len(gold)
        n_pred += len(pred)
        gold_spans = {(g.start, g.end) for g in gold}
        pred_spans = {(p.start, p.end) for p in pred}
        strict_p += sum((p.start, p.end) in gold_spans for p in pred)
        strict_r += sum((g.start, g.end) in pred_spans for g in gold)
        relaxed_p += sum(any(p.start < g.end and g.start < p.end for g in gold) for p in pred)
        for g in gold:
            overlapping = [p for p in pred if p.start < g.end and g.start < p.end]
            if overlapping:
                relaxed_r += 1
                matched += 1
                best = min(overlapping, key=lambda p: (abs(p.start - g.start) + abs(p.end - g.end), p.start))
                value_ok += _norm_value(best.value) == _norm_value(g.value)

    def f1(p, r):
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    sp, sr = strict_p / max(n_pred, 1), strict_r / max(n_gold, 1)
    rp, rr = relaxed_p / max(n_pred, 1), relaxed_r / max(n_gold, 1)
    value_accuracy = value_ok / max(matched, 1)
    return {
        "n_gold": n_gold, "n_pred": n_pred,
        "strict_p": 100 * sp, "strict_r": 100 * sr, "strict_f1": 100 * f1(sp, sr),
        "relaxed_p": 100 * rp, "relaxed_r": 100 * rr, "relaxed_f1": 100 * f1(rp, rr),
        "value_accuracy": 100 * value_accuracy, "value_f1": 100 * value_accuracy * f1(rp, rr),
    }


def evaluate(corpus: str | Path = DEFAULT_CORPUS, split: str = "te3-platinum", limit: int | None = None,
             with_dateparser: bool = True) -> dict[str, dict[str, float]]:
    """Score ours (and dateparser) on ``corpus/split``; returns ``{system: measures}``."""
    from analysis.pipeline.nlp import parse_texts

    docs = load_split(corpus, split, limit)
    spacy_docs = parse_texts([d.text for d in docs])
    results = {"analysis.temporal": score([(d.gold, predict_ours(d, s)) for d, s in zip(docs, spacy_docs)])}
    if with_dateparser:
        results["dateparser.search_dates"] = score([(d.gold, predict_dateparser(d)) for d in docs])
    return results


def errors(corpus: str | Path, split: str, limit: int | None = None) -> list[str]:
    """Lines describing every value disagreement and miss of ours (for development on TBAQ)."""
    from analysis.pipeline.nlp import parse_texts

    docs = load_split(corpus, split, limit)
    lines = []
    for d, s in zip(docs, parse_texts([d.text for d in docs])):
        pred = predict_ours(d, s)
        for g in d.gold:
            over = [p for p in pred if p.start < g.end and g.start < p.end]
            if not over:
                lines.append(f"MISS\t{d.name}\t{g.text!r}\t{g.value}")
            else:  # the prediction score() compares: the closest overlapping span
                best = min(over, key=lambda p: (abs(p.start - g.start) + abs(p.end - g.end), p.start))
                if _norm_value(best.value) != _norm_value(g.value):
                    lines.append(f"VALUE\t{d.name}\t{g.text!r}\t{g.value}\t{best.text!r}\t{best.value}\t{d.dct}")
        for p in pred:
            if not any(p.start < g.end and g.start < p.end for g in d.gold):
                lines.append(f"FALSE\t{d.name}\t{p.text!r}\t{p.value}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--split", default="te3-platinum")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-dateparser", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print our misses and value errors instead")
    args = parser.parse_args(argv)
    if not Path(args.corpus, args.split).is_dir():
        print(f"corpus split not found: {Path(args.corpus, args.split)}", file=sys.stderr)
        return 2
    if args.errors:
        print("\n".join(errors(args.corpus, args.split, args.limit)))
        return 0
    results = evaluate(args.corpus, args.split, args.limit, not args.no_dateparser)
    if args.split == "te3-platinum" and not args.limit:
        results["HeidelTime (published)"] = HEIDELTIME_TE3
    print(f"TempEval-3 Task A on {args.split}" + (f" (first {args.limit} documents)" if args.limit else ""))
    header = f"{'system':28} {'strict F1':>9} {'relaxed F1':>10} {'value F1':>8} {'relaxed P':>9} {'relaxed R':>9} {'n_pred':>6} {'n_gold':>6}"
    print(header)
    for system, m in results.items():
        print(f"{system:28} {m['strict_f1']:9.2f} {m['relaxed_f1']:10.2f} {m['value_f1']:8.2f} "
              f"{m.get('relaxed_p', float('nan')):9.2f} {m.get('relaxed_r', float('nan')):9.2f} "
              f"{m.get('n_pred', 0):6d} {m.get('n_gold', 0):6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
