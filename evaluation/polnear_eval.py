"""PolNeAR: how well does ``analysis.citations`` find who said what?

PolNeAR (Newell et al., LREC 2018) annotates attributions in 1,008 US
political news articles as BRAT events: a Source span, a Cue span and a
Content span. This script parses one split's texts with the shared spaCy
pipeline, runs the toolkit's extractor and a simple baseline on the same
parses, and scores both against the gold attributions.

What is scored (the attributions the extractor targets): gold events that
have both a Source span and a Cue span (PolNeAR's ``Attribution`` events
whose source is written in the text; the ``Attribution-no-source`` events,
where no one is named, cannot be found by a source extractor and are only
counted in the "all events" recall line).

A predicted attribution matches a gold one (one-to-one, greedy by overlap):

* **overlap**: the predicted source span overlaps the gold Source span and the
  predicted cue overlaps the gold Cue;
* **exact**: the predicted source span equals the gold Source span (first to
  last character; surrounding spaces and punctuation ignored) and the cues overlap.

Cue spans are also scored alone (overlap and exact). The baseline finds the
subject of "say" and the object of "according to" (their whole parse
subtrees), the usual first attempt at quotation attribution.

When a text has several annotators' ``.ann`` files, the first (by name) is used.

Usage::

    .venv/bin/python -m evaluation.polnear_eval [CORPUS_DIR] [--split test] [--limit N] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.pipeline import nlp
from analysis.sources import attribution, cue_words

DEFAULT_CORPUS = config.REPO_ROOT.parent / "shared" / "corpora" / "polnear"
_STRIP = " \t\n\r\u00a0,.;:\"'“”‘’()"


@dataclass(frozen=True)
class Span:
    """A (possibly discontinuous) character span: pieces of (start, end)."""

    pieces: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.pieces)


@dataclass(frozen=True)
class GoldAttribution:
    source: Span | None
    cue: Span | None


def parse_ann(text: str) -> list[GoldAttribution]:
    """Read the attribution events of a BRAT ``.ann`` file."""
    spans: dict[str, Span] = {}
    events: list[GoldAttribution] = []
    for line in text.splitlines():
        if line.startswith("T"):
            tid, info, *_ = line.split("\t")
            _, offsets = info.split(" ", 1)
            pieces = tuple(tuple(int(x) for x in part.split()) for part in offsets.split(";"))
            spans[tid] = Span(tuple(sorted(pieces)))  # type: ignore[arg-type]
    for line in text.splitlines():
        if line.startswith("E"):
            _, args = line.split("\t")[:2]
            roles = dict(arg.split(":", 1) for arg in args.split())
            if "Attribution" not in roles and "Attribution-no-source" not in roles:
                continue
            events.append(GoldAttribution(spans.get(roles.get("Source", "")), spans.get(roles.get("Cue", ""))))
    return events


def load_split(corpus: Path, split: str, limit: int | None = None) -> list[tuple[str, str, list[GoldAttribution]]]:
    """(name, text, gold attributions) for each text of ``split`` (first annotator's file), sorted by name."""
    folder = corpus / split
    anns: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        anns.setdefault(name, ann)
    docs = []
    for name in sorted(anns):
        text_path = folder / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        docs.append((name, text_path.read_text(encoding="utf-8"), parse_ann(anns[name].read_text(encoding="utf-8"))))
    return docs[:limit] if limit else docs


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def baseline(doc) -> list[tuple[int, int, int, int]]:
    """(src_start, src_end, cue_start, cue_end) from "X said" and "according to X" only."""
    out = []
    for tok in doc:
        if tok.lemma_.lower() == "say" and tok.pos_ in ("VERB", "AUX"):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                out.append((subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge), tok.idx, tok.idx + len(tok)))
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                out.append((pobj.left_edge.idx, pobj.right_edge.idx + len(pobj.right_edge), tok.idx, to.idx + len(to)))
    return out


def toolkit(doc) -> list[tuple[int, int, int, int]]:
    """(src_start, src_end, cue_start, cue_end) from ``analysis.citations`` (relative pronoun span when there is one)."""
    out = []
    for a in attribution.extract_from_doc(doc):
        # PolNeAR marks a relative pronoun ("who said") as the source; the toolkit reports its antecedent
        start, end = a.extra.get("relative_span", (a.start_char, a.end_char))
        out.append((start, end, a.cue_start, a.cue_end))
    return out


def _match(text, preds, gold, exact: bool, cue_only: bool = False) -> int:
    pairs = []
    for gi, g in enumerate(gold):
        for pi, (ss, se, cs, ce) in enumerate(preds):
            if not g.cue.overlaps(cs, ce) and not (cue_only and exact):
                continue
            if cue_only:
                if exact and _strip(text, cs, ce) != _strip(text, g.cue.start, g.cue.end):
                    continue
                pairs.append((-(min(ce, g.cue.end) - max(cs, g.cue.start)), gi, pi))
                continue
            if exact:
                if _strip(text, ss, se) != _strip(text, g.source.start, g.source.end):
                    continue
            elif not g.source.overlaps(ss, se):
                continue
            pairs.append((-(min(se, g.source.end) - max(ss, g.source.start)), gi, pi))
    used_g, used_p, tp = set(), set(), 0
    for _, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        tp += 1
    return tp


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"P": round(100 * p, 1), "R": round(100 * r, 1), "F1": round(100 * (2 * p * r / (p + r) if p + r else 0), 1),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def cue_kind(text: str, cue: Span | None) -> str:
    """Coarse kind of a gold cue, for the recall breakdown."""
    if cue is None:
        return "none"
    words = " ".join(text[s:e] for s, e in cue.pieces).lower()
    if "according to" in words:
        return "according to"
    if re.search(r"\b(say|says|said|saying)\b", words):
        return "say"
    if re.search(r"\b(tell|tells|told|telling)\b", words):
        return "tell"
    if re.search(r"\b(report|reports|reported|reporting)\b", words):
        return "report"
    if re.search(r"\b(think|thinks|thought|believe|believes|believed|know|knows|knew|want|wants|wanted|hope|hopes|feel|feels|expect|expects)\b", words):
        return "belief/want"
    return "other"


def is_targeted(doc, cue: Span) -> bool:
    """Whether a gold cue is of a kind the extractor looks for: a speech/report verb, "according to" or a noun cue."""
    words = doc.text[cue.start:cue.end].lower()
    if "according to" in words:
        return True
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None:
        return False
    lemmas = {t.lemma_.lower() for t in span}
    return bool(lemmas & (cue_words.SPEECH_VERBS | cue_words.CUE_NOUNS))


def evaluate(corpus: Path, split: str = "test", limit: int | None = None) -> dict:
    """Score the toolkit and the baseline on ``split``; returns a JSON-able dict of results."""
    data = load_split(corpus, split, limit)
    parsed = nlp.parse_texts([text for _, text, _ in data], cache_dir=False)
    systems = {"toolkit": toolkit, "baseline (say / according to)": baseline}
    totals = {name: Counter() for name in systems}
    targeted = Counter()
    kinds_gold: Counter = Counter()
    kinds_hit: Counter = Counter()
    n_all_events = 0
    for (name, text, events), doc in zip(data, parsed):
        n_all_events += len(events)
        gold = [g for g in events if g.source is not None and g.cue is not None]
        gold_cues = [g for g in events if g.cue is not None]
        for sys_name, fn in systems.items():
            preds = fn(doc)
            t = totals[sys_name]
            t["pred"] += len(preds)
            t["gold"] += len(gold)
            t["tp_overlap"] += _match(text, preds, gold, exact=False)
            t["tp_exact"] += _match(text, preds, gold, exact=True)
            t["cue_gold"] += len(gold_cues)
            t["cue_tp_overlap"] += _match(text, preds, gold_cues, exact=False, cue_only=True)
            t["cue_tp_exact"] += _match(text, preds, gold_cues, exact=True, cue_only=True)
            if sys_name == "toolkit":
                for g in gold:
                    if is_targeted(doc, g.cue):
                        targeted["gold"] += 1
                        targeted["found"] += _match(text, preds, [g], exact=False)
                        targeted["found_exact"] += _match(text, preds, [g], exact=True)
                    kind = cue_kind(text, g.cue)
                    kinds_gold[kind] += 1
                    kinds_hit[kind] += _match(text, preds, [g], exact=False)
    result = {"split": split, "documents": len(data), "gold_events_all": n_all_events,
              "gold_with_source_and_cue": totals["toolkit"]["gold"], "systems": {}}
    for sys_name, t in totals.items():
        result["systems"][sys_name] = {
            "source+cue overlap": _prf(t["tp_overlap"], t["pred"], t["gold"]),
            "source exact + cue overlap": _prf(t["tp_exact"], t["pred"], t["gold"]),
            "recall of all events (overlap)": round(100 * t["tp_overlap"] / n_all_events, 1) if n_all_events else 0.0,
            "cue overlap": _prf(t["cue_tp_overlap"], t["pred"], t["cue_gold"]),
            "cue exact": _prf(t["cue_tp_exact"], t["pred"], t["cue_gold"]),
        }
    result["toolkit_recall_targeted"] = {
        "gold": targeted["gold"],
        "recall overlap": round(100 * targeted["found"] / targeted["gold"], 1) if targeted["gold"] else 0.0,
        "recall exact": round(100 * targeted["found_exact"] / targeted["gold"], 1) if targeted["gold"] else 0.0,
    }
    result["toolkit_recall_by_cue_kind"] = {
        k: {"gold": kinds_gold[k], "found": kinds_hit[k], "recall": round(100 * kinds_hit[k] / kinds_gold[k], 1)}
        for k in sorted(kinds_gold)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="PolNeAR folder (train/ dev/ test/)")
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N texts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not (corpus / args.split).is_dir():
        print(f"PolNeAR split not found: {corpus / args.split}", file=sys.stderr)
        return 2
    result = evaluate(corpus, args.split, args.limit)
    if args.json:
        print(json.dumps(result, indent=2, sort_keys=True))
        return 0
    print(f"PolNeAR {result['split']}: {result['documents']} texts, {result['gold_events_all']} attribution events, "
          f"{result['gold_with_source_and_cue']} with a Source and a Cue (scored)")
    for sys_name, res in result["systems"].items():
        print(f"\n{sys_name}")
        for metric, v in res.items():
            if isinstance(v, dict):
                print(f"  {metric:28s} P={v['P']:5.1f} R={v['R']:5.1f} F1={v['F1']:5.1f}  "
                      f"(tp={v['tp']}, predicted={v['predicted']}, gold={v['gold']})")
            else:
                print(f"  {metric:28s} R={v:5.1f}")
    tg = result["toolkit_recall_targeted"]
    print(f"\ntoolkit recall on the targeted gold attributions (cue is a speech/report verb of the extractor's "
          f"lexicon, 'according to' or a noun cue; {tg['gold']} of them): overlap R={tg['recall overlap']:.1f}, "
          f"exact R={tg['recall exact']:.1f}")
    print("\ntoolkit recall (source+cue overlap) by gold cue kind:")
    for kind, v in result["toolkit_recall_by_cue_kind"].items():
        print(f"  {kind:14s} {v['found']:4d}/{v['gold']:4d} = {v['recall']:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
