"""Build a corpus of several stories, each told by many reports, from public material.

Two sources, both optional:

* **ECB+** (Cybulska & Vossen 2014; the copy in github.com/tommasoc80/EventStoryLine,
  folder ``ECB+_LREC2014/ECB+``): each topic folder holds two sub-topics about
  two different seminal events of the same kind (``N_Kecb.xml``: e.g. Tara
  Reid enters rehab; ``N_Kecbplus.xml``: Lindsay Lohan enters rehab). Every
  sub-topic is a story (``ecb01``, ``ecbplus01``, ...), so a claim mixing the
  two sub-topics of one topic is an error. ECB+ texts are CAT token files: the
  ``ecbplus`` ones start with the page URL (sentence 0), the headline
  (sentence 1) and usually a date line (sentence 2); the ``ecb`` ones have no
  headline, so their title line is the file name. Their gold cross-document
  event coreference (``CROSS_DOC_COREF`` chains over ``ACTION_*`` mentions)
  goes to ``gold_mentions.csv`` with the character offsets of each mention in
  the written ``.txt``.
* **AQUAINT** (TempEval-3 ``TBAQ-cleaned/AQUAINT``, 73 TimeML wire reports of
  1998-2000 from AP, NYT and Xinhua, each with its document creation time):
  the story of each report comes from the committed hand-labelled
  ``evaluation/data/aquaint_stories.csv`` (``report_id, story``; ``other``
  and ``mixed`` reports are left out of the corpus).

Writes ``<out>/reports/`` (one ``.txt`` per report, first line the headline,
and ``manifest.csv`` with ``file, outlet, url, published, story, source``) and
``<out>/gold_mentions.csv`` (``report_id, start, end, text, chain, story``:
offsets in the written ``.txt``).

Usage::

    .venv/bin/python -m evaluation.build_story_corpus --ecbplus DIR/ECB+ --topics 1-10 \\
        --aquaint ../shared/corpora/tempeval3/TBAQ-cleaned/AQUAINT --out /work/scratch/claimeval/stories
"""
from __future__ import annotations

import argparse
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from analysis import atomic, config

LABELS = Path(__file__).resolve().parent / "data" / "aquaint_stories.csv"
WIRES = {"APW": "Associated Press", "NYT": "New York Times News Service", "XIE": "Xinhua"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "''"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
MANIFEST_COLUMNS = ["file", "outlet", "url", "published", "story", "source"]
GOLD_COLUMNS = ["report_id", "start", "end", "text", "chain", "story"]


def _surface(word: str) -> str:
    return '"' if word in ("``", "''") else word


def join_tokens(tokens: list[tuple[str, str]]) -> tuple[str, dict[str, tuple[int, int]]]:
    """Text of ``(t_id, word)`` tokens as written, and each token's ``(start, end)`` in it."""
    out, spans = "", {}
    for i, (tid, word) in enumerate(tokens):
        if i and word not in _NO_SPACE_BEFORE and tokens[i - 1][1] not in _NO_SPACE_AFTER:
            out += " "
        spans[tid] = (len(out), len(out) + len(_surface(word)))
        out += _surface(word)
    return out, spans


def _looks_like_date(line: str) -> bool:
    return bool(re.search(r"\d", line)) and len(line) < 60


def read_ecb(path: Path) -> tuple[str, str, list[dict]]:
    """One ECB+ file: ``(text, url, gold mentions)``; mention offsets are in ``text``."""
    root = ET.parse(path).getroot()
    by_sentence: dict[int, list[tuple[str, str]]] = {}
    for tok in root.iter("token"):
        by_sentence.setdefault(int(tok.get("sentence")), []).append((tok.get("t_id"), tok.text or ""))
    sentences = [by_sentence[s] for s in sorted(by_sentence)]
    url = ""
    plus = path.name.endswith("ecbplus.xml")
    if plus and sentences and sentences[0] and sentences[0][0][1].lower().startswith("http"):
        url = "".join(w for _, w in sentences[0])
        sentences = sentences[1:]
    lines: list[list[tuple[str, str]]] = []
    if plus and sentences:
        lines.append(sentences[0])  # the headline
        sentences = sentences[1:]
        if sentences and _looks_like_date(" ".join(w for _, w in sentences[0])):
            lines.append(sentences[0])
            sentences = sentences[1:]
    else:
        lines.append([("title", path.name.removesuffix(".xml"))])
    text, spans = "", {}
    for line in [*lines, [tok for sent in sentences for tok in sent]]:
        if text:
            text += "\n\n"
        part, part_spans = join_tokens(line)
        spans.update({tid: (a + len(text), b + len(text)) for tid, (a, b) in part_spans.items()})
        text += part
    text += "\n"
    chains: dict[str, str] = {}
    for rel in root.iter("CROSS_DOC_COREF"):
        for src in rel.findall("source"):
            chains[src.get("m_id")] = rel.get("note", "")
    mentions = []
    markables = root.find("Markables")
    for markable in (list(markables) if markables is not None else []):
        if not markable.tag.startswith("ACTION"):
            continue
        ids = [a.get("t_id") for a in markable.findall("token_anchor") if a.get("t_id") in spans]
        if not ids:
            continue
        start, end = min(spans[i][0] for i in ids), max(spans[i][1] for i in ids)
        m_id = markable.get("m_id")
        mentions.append({"start": start, "end": end, "text": text[start:end],
                         "chain": chains.get(m_id) or f"{path.stem}_m{m_id}"})  # unchained: a singleton
    return text, url, mentions


def _parse_range(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def ecb_reports(folder: Path, topics: list[int]) -> tuple[list[dict], list[dict]]:
    """Manifest rows and gold mention rows of the chosen ECB+ topics (both sub-topics)."""
    rows, gold = [], []
    for topic in topics:
        for path in sorted((folder / str(topic)).glob("*.xml")):
            sub = "ecbplus" if path.name.endswith("ecbplus.xml") else "ecb"
            story = f"{sub}{topic:02d}"
            stem = f"ecb_{path.name.removesuffix('.xml')}"
            text, url, mentions = read_ecb(path)
            rows.append({"file": f"{stem}.txt", "outlet": "", "url": url, "published": "", "story": story,
                         "source": "ECB+", "text": text})
            gold.extend({"report_id": stem, **m, "story": story} for m in mentions)
    return rows, gold


def aquaint_reports(folder: Path, labels: pd.DataFrame) -> list[dict]:
    """Manifest rows of the labelled AQUAINT reports (stories other than ``other``/``mixed``)."""
    story_of = dict(zip(labels["report_id"], labels["story"]))
    rows = []
    for path in sorted(folder.glob("*.tml")):
        stem = path.name.removesuffix(".tml")
        story = story_of.get(stem, "")
        if story in ("", "other", "mixed"):
            continue
        raw = path.read_text(encoding="utf-8")
        dct = re.search(r"<DCT>.*?value=\"([\d-]+)", raw, re.S).group(1)[:10]
        title = re.search(r"<TITLE>(.*?)</TITLE>", raw, re.S)
        body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S).group(1)
        body = html.unescape(re.sub(r"<[^>]+>", "", body)).replace("``", '"').replace("''", '"')
        body = re.sub(r"[ \t]+", " ", body).strip()
        headline = html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip() if title else stem
        rows.append({"file": f"{stem}.txt", "outlet": WIRES.get(stem[:3], ""), "url": "", "published": dct,
                     "story": story, "source": "AQUAINT", "text": headline + "\n\n" + body + "\n"})
    return rows


def build(out: Path, ecbplus: Path | None = None, topics: list[int] | None = None, aquaint: Path | None = None,
          labels: Path = LABELS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write the corpus under ``out``; returns ``(manifest, gold mentions)``."""
    rows, gold = [], []
    if ecbplus is not None:
        ecb_rows, gold = ecb_reports(ecbplus, topics or [])
        rows.extend(ecb_rows)
    if aquaint is not None:
        rows.extend(aquaint_reports(aquaint, pd.read_csv(labels, dtype=str)))
    folder = out / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        atomic.write_text(folder / row["file"], row["text"])
    manifest = (pd.DataFrame(rows, columns=[*MANIFEST_COLUMNS, "text"])[MANIFEST_COLUMNS]
                .sort_values("file").reset_index(drop=True))
    atomic.write_csv(folder / "manifest.csv", manifest)
    gold_frame = pd.DataFrame(gold, columns=GOLD_COLUMNS).sort_values(["report_id", "start", "end"])
    atomic.write_csv(out / "gold_mentions.csv", gold_frame.reset_index(drop=True))
    return manifest, gold_frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecbplus", type=Path, help="the ECB+ folder (topic sub-folders of CAT .xml files)")
    parser.add_argument("--topics", default="1-10", help="ECB+ topics, e.g. 1-10 or 1,3,5 (default 1-10)")
    parser.add_argument("--aquaint", type=Path, help="the TempEval-3 TBAQ-cleaned/AQUAINT folder")
    parser.add_argument("--labels", type=Path, default=LABELS, help="AQUAINT story labels (report_id, story)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (reports/ and gold_mentions.csv)")
    args = parser.parse_args(argv)
    if args.ecbplus is None and args.aquaint is None:
        parser.error("give --ecbplus and/or --aquaint")
    manifest, gold = build(args.out, args.ecbplus, _parse_range(args.topics), args.aquaint, args.labels)
    counts = manifest.groupby("story").size()
    print(f"{len(manifest)} reports in {len(counts)} stories, {len(gold)} gold action mentions -> {args.out}")
    print(counts.to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
