"""TempEval-3 Task A: extraction and normalisation of time expressions.

Scores ``analysis.timeline.temporal`` and, in the same run, ``dateparser.search.search_dates``
(with ``RELATIVE_BASE`` set to each document's creation time) on TimeML files,
with the measures of the official TempEval-3 scorer (``TE3-evaluation.py`` of
https://github.com/naushadzaman/tempeval3_toolkit, UzZaman et al. 2013) and its
way of pairing expressions (:func:`official_pairs`): a system expression and a
gold one are a pair when one begins inside the other, each taken at most once,
in text order. Strict match = a pair with the same span; relaxed match = a pair;
precision and recall over the system's and the gold's expressions; value (type)
accuracy = share of the pairs whose TIMEX3 value (type) equals the gold's,
exactly; value F1 = value accuracy x relaxed F1, as the official script prints it.
Each document's creation time (DCT) is the anchor of its relative expressions.

Usage::

    .venv/bin/python -m evaluation.tempeval_eval [CORPUS_DIR] [--split te3-platinum] [--limit N]
        [--no-dateparser] [--write-timeml OUT_DIR]

``--write-timeml`` also writes our output as TimeML files (:mod:`evaluation.timeml_writer`) for the official
script; the figures printed are those of exactly what was written. Develop on ``TBAQ-cleaned``; report on
``te3-platinum`` (the official test set).
"""
from __future__ import annotations

import argparse
import sys
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from analysis import config

DEFAULT_CORPUS = config.REPO_ROOT.parent / "shared" / "corpora" / "tempeval3"

#: HeidelTime-t, the best Task A run, on te3-platinum as the task paper publishes it (UzZaman et al. 2013,
#: "SemEval-2013 Task 1: TempEval-3", Task A results table, scored with the official script; the row is
#: reproduced on the ACL Wiki page "Temporal Information Extraction (State of the art)"). Percent.
HEIDELTIME_TE3 = {"strict_p": 83.85, "strict_r": 78.99, "strict_f1": 81.34, "relaxed_f1": 90.30, "value_f1": 77.61}


@dataclass(frozen=True)
class Timex:
    """A time expression: character span into the plain text, its TIMEX3 value and type."""

    start: int
    end: int
    value: str
    text: str = ""
    type: str = ""


@dataclass
class TimeMLDoc:
    """One TimeML document: plain text of ``<TEXT>``, creation date, gold TIMEX3s."""

    name: str
    text: str
    dct: date
    gold: list[Timex]
    path: Path | None = None


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
            gold.append(Timex(start, start + len(inner), el.get("value", ""), inner, el.get("type", "")))
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
    return TimeMLDoc(Path(path).stem, text, dct, gold, Path(path))


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
            out.append(Timex(part.start_char, part.end_char, part.value, part.text, part.type))
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
        out.append(Timex(pos + offset, pos + offset + len(stripped), _value_from_datetime(when), stripped,
                         "TIME" if when.time() != datetime.min.time() else "DATE"))
    return out


def official_pairs(gold: list[Timex], pred: list[Timex]) -> list[tuple[int, int]]:
    """(gold index, predicted index) of the expressions the official scorer pairs, in text order.

    The toolkit's TimeML-Normalizer walks the tokens of both annotations and gives a new expression, where it
    begins, the id of an expression of the other annotation that covers that token (one that begins there or
    began before and has not ended), unless its own annotation already took that id. So a predicted expression
    and a gold one are paired when one begins inside the other, and each is paired at most once: of two
    predictions inside one gold expression only the first is a match, and a prediction spanning two gold
    expressions matches only the first. Offsets stand for tokens (both annotations begin and end on token
    boundaries here). Neither list may hold overlapping expressions (inline TimeML cannot).
    """
    sides = (sorted(range(len(gold)), key=lambda i: gold[i].start), sorted(range(len(pred)), key=lambda i: pred[i].start))
    spans = (gold, pred)
    starts = [{spans[a][i].start: i for i in sides[a]} for a in (0, 1)]
    ids: list[dict[int, int]] = [{}, {}]
    current, previous, counter = [0, 0], [0, 0], 1
    for position in sorted(set(starts[0]) | set(starts[1])):
        for a in (0, 1):
            if position in starts[a] or not any(t.start < position < t.end for t in spans[a]):
                current[a] = 0  # "O" or a new "B-TIMEX3" token resets; an "I-TIMEX3" token keeps the id
        for a in (0, 1):
            if position not in starts[a]:
                continue
            current[a] = counter
            other = 1 - a
            if current[other] and previous[a] < current[other]:
                current[a] = current[other]
            previous[a] = current[a]
            if current[a] == counter:
                counter += 1
            ids[a][starts[a][position]] = current[a]
    pred_by_id = {v: k for k, v in ids[1].items()}
    return sorted((g, pred_by_id[v]) for g, v in ids[0].items() if v in pred_by_id)


def score(pairs: list[tuple[list[Timex], list[Timex]]]) -> dict[str, float]:
    """TempEval-3 Task A measures over (gold, predicted) lists, one pair per document, in percent.

    As ``evaluate_entities.py`` of the official toolkit computes them, summed over documents: relaxed match =
    a pair of :func:`official_pairs`; strict match = a pair with the same text (the same span); value (type) accuracy = pairs
    with the same value (type) string over relaxed matches; value (type) F1 = that accuracy x relaxed F1.
    Predictions must not overlap one another (see :func:`evaluation.timeml_writer.non_overlapping`).
    """
    n_gold = n_pred = strict = relaxed = value_ok = type_ok = 0
    for gold, pred in pairs:
        n_gold += len(gold)
        n_pred += len(pred)
        for g, p in official_pairs(gold, pred):
            relaxed += 1
            # the official script compares the two texts; paired expressions with the same text share the span
            strict += (gold[g].start, gold[g].end) == (pred[p].start, pred[p].end)
            value_ok += gold[g].value == pred[p].value
            type_ok += gold[g].type == pred[p].type

    def f1(p, r):
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    sp, sr = strict / max(n_pred, 1), strict / max(n_gold, 1)
    rp, rr = relaxed / max(n_pred, 1), relaxed / max(n_gold, 1)
    value_accuracy, type_accuracy = value_ok / max(relaxed, 1), type_ok / max(relaxed, 1)
    return {
        "n_gold": n_gold, "n_pred": n_pred, "n_strict": strict, "n_relaxed": relaxed, "n_value": value_ok,
        "n_type": type_ok,
        "strict_p": 100 * sp, "strict_r": 100 * sr, "strict_f1": 100 * f1(sp, sr),
        "relaxed_p": 100 * rp, "relaxed_r": 100 * rr, "relaxed_f1": 100 * f1(rp, rr),
        "value_accuracy": 100 * value_accuracy, "value_f1": 100 * value_accuracy * f1(rp, rr),
        "type_accuracy": 100 * type_accuracy, "type_f1": 100 * type_accuracy * f1(rp, rr),
    }


def predictions(corpus: str | Path, split: str, limit: int | None = None,
                with_dateparser: bool = True) -> tuple[list[TimeMLDoc], dict[str, list[list[Timex]]]]:
    """The documents of ``corpus/split`` and each system's predictions for them (``{system: [per document]}``).

    Predictions are those inline TimeML can hold (:func:`evaluation.timeml_writer.non_overlapping`): what
    :func:`score` measures is exactly what ``--write-timeml`` writes for the official script.
    """
    from analysis.pipeline.nlp import parse_texts
    from evaluation.timeml_writer import non_overlapping

    docs = load_split(corpus, split, limit)
    spacy_docs = parse_texts([d.text for d in docs])
    systems = {"analysis.temporal": [non_overlapping(predict_ours(d, s)) for d, s in zip(docs, spacy_docs)]}
    if with_dateparser:
        systems["dateparser.search_dates"] = [non_overlapping(predict_dateparser(d)) for d in docs]
    return docs, systems


def evaluate(corpus: str | Path = DEFAULT_CORPUS, split: str = "te3-platinum", limit: int | None = None,
             with_dateparser: bool = True, write_timeml: str | Path | None = None) -> dict[str, dict[str, float]]:
    """Score ours (and dateparser) on ``corpus/split``; returns ``{system: measures}``.

    With ``write_timeml``, our output is also written there as TimeML files (``system/``), one per gold file,
    beside a copy of the gold files (``gold/``), for the official scorer.
    """
    docs, systems = predictions(corpus, split, limit, with_dateparser)
    if write_timeml is not None:
        from evaluation.timeml_writer import write_split

        write_split([d.path for d in docs], [d.text for d in docs], systems["analysis.temporal"], write_timeml)
    return {system: score([(d.gold, p) for d, p in zip(docs, pred)]) for system, pred in systems.items()}


def errors(corpus: str | Path, split: str, limit: int | None = None) -> list[str]:
    """Lines describing every miss, value disagreement and false alarm of ours, as the official pairing sees them."""
    docs, systems = predictions(corpus, split, limit, with_dateparser=False)
    lines = []
    for d, pred in zip(docs, systems["analysis.temporal"]):
        pairs = official_pairs(d.gold, pred)
        paired_gold, paired_pred = {g for g, _ in pairs}, {p for _, p in pairs}
        for g, p in pairs:
            if d.gold[g].value != pred[p].value:
                lines.append(f"VALUE\t{d.name}\t{d.gold[g].text!r}\t{d.gold[g].value}\t{pred[p].text!r}\t"
                             f"{pred[p].value}\t{d.dct}")
            elif d.gold[g].text != pred[p].text:
                lines.append(f"EXTENT\t{d.name}\t{d.gold[g].text!r}\t{pred[p].text!r}")
        lines += [f"MISS\t{d.name}\t{g.text!r}\t{g.value}" for i, g in enumerate(d.gold) if i not in paired_gold]
        lines += [f"FALSE\t{d.name}\t{p.text!r}\t{p.value}" for i, p in enumerate(pred) if i not in paired_pred]
    return lines


def report(results: dict[str, dict[str, float]]) -> str:
    """The printed table: strict and relaxed P/R/F1, value and type F1 and accuracy, counts (``-`` when unknown)."""
    columns = [("strict_p", "str P"), ("strict_r", "str R"), ("strict_f1", "str F1"), ("relaxed_p", "rel P"),
               ("relaxed_r", "rel R"), ("relaxed_f1", "rel F1"), ("value_f1", "val F1"), ("type_f1", "type F1"),
               ("value_accuracy", "val acc"), ("type_accuracy", "type acc")]
    lines = [f"{'system':28}" + "".join(f"{label:>9}" for _, label in columns) + f"{'n_pred':>7}{'n_gold':>7}"]
    for system, m in results.items():
        cells = "".join(f"{m[key]:9.2f}" if key in m else f"{'-':>9}" for key, _ in columns)
        counts = f"{m['n_pred']:7d}{m['n_gold']:7d}" if "n_pred" in m else f"{'-':>7}{'-':>7}"
        lines.append(f"{system:28}{cells}{counts}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--split", default="te3-platinum")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-dateparser", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print our misses and value errors instead")
    parser.add_argument("--write-timeml", metavar="OUT_DIR", default=None,
                        help="also write our output as TimeML files there, for the official TempEval-3 script")
    args = parser.parse_args(argv)
    if not Path(args.corpus, args.split).is_dir():
        print(f"corpus split not found: {Path(args.corpus, args.split)}", file=sys.stderr)
        return 2
    if args.errors:
        print("\n".join(errors(args.corpus, args.split, args.limit)))
        return 0
    results = evaluate(args.corpus, args.split, args.limit, not args.no_dateparser, args.write_timeml)
    if args.split == "te3-platinum" and not args.limit:
        results["HeidelTime-t (published)"] = HEIDELTIME_TE3
    print(f"TempEval-3 Task A on {args.split}" + (f" (first {args.limit} documents)" if args.limit else "")
          + ", measures of the official scorer (percent)")
    print(report(results))
    if args.write_timeml:
        out = Path(args.write_timeml)
        print(f"TimeML written to {out}/gold and {out}/system; official check, in the toolkit's folder: "
              f"python TE3-evaluation.py {out / 'gold'} {out / 'system'} 0.5")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
