"""SemEval-2015 Task 4 (TimeLine), Track A: cross-document timelines of target entities from raw text.

Each corpus (``corpus_1``..``corpus_3`` of ``../shared/corpora/semeval2015_task4``)
holds 30 Wikinews articles, a list of target entities and one gold timeline per
entity: the events the entity takes part in, anchored in time, ordered, and
coreferent mentions on one line (Minard et al., SemEval 2015).

What this script does, per corpus:

1. writes the raw Track A texts (CAT tokens) as a folder of ``.txt`` reports
   with a ``manifest.csv`` holding each article's publication date (the
   document creation time of its TimeML file), under ``--work``;
2. loads that folder with the toolkit (``analysis.load_corpus``: the first
   line is the title, the Wikinews date line is dropped as a date line), then
   runs the attributions and ``build_claims`` (through
   :mod:`evaluation.claim_mentions`, so it measures whichever claim code is
   installed);
3. for every target entity keeps the claim mentions whose participants name
   it (:func:`entity_matches`), anchors each claim at its date (the claim's
   own date at its precision, else the earliest publication date of its
   reports, which the task allows), orders the claims by anchor and writes one
   line per claim with all its mentions; a mention's id is
   ``docid-sentence-token`` of the task's tokens under its trigger;
4. does the same for a SIMPLE BASELINE measured in the same run: every verb
   of a sentence that names the entity (same parse), anchored at its report's
   publication date, with same-day mentions of the same verb lemma on one line;
5. scores both with the official scorer (``evaluation_all.py`` of the task
   organisers, from github.com/newsreader/evaluation, ``timeline-evaluation/``
   at commit 6e8d9f9; it needs Python 2). Pass its folder with ``--scorer``
   and a Python 2 interpreter with ``--python2``; the script puts a ``python``
   pointing to it first on the scorer's ``PATH``, since the scorer calls
   ``python`` itself.

The published best Track A run (micro F1 over the three corpora, Minard et
al. 2015, abstract: "the best of which obtained an F1-score of 7.85 in the main
track") is printed beside the measured figures.

Usage::

    .venv/bin/python -m evaluation.semeval_timeline_eval --corpus 2 --corpus 3 \\
        --scorer /work/scratch/claimeval/scorer/timeline-evaluation \\
        --python2 /root/.pyenv/versions/2.7.18/bin/python --out evaluation/results/semeval2015_task4.csv
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import atomic, config

def shared_corpus(name: str) -> Path:
    """``../shared/corpora/<name>`` beside the checkout, or beside one of its parents (a worktree sits deeper)."""
    for folder in config.REPO_ROOT.parents:
        if (folder / "shared" / "corpora" / name).is_dir():
            return folder / "shared" / "corpora" / name
    return config.REPO_ROOT.parent / "shared" / "corpora" / name


DEFAULT_CORPUS = shared_corpus("semeval2015_task4")
#: Best Track A run of the task (micro F1, all three corpora): Minard et al. 2015, abstract.
PUBLISHED_BEST_TRACK_A_F1 = 7.85
#: Words that name no entity alone: a participant "Airlines" is not "Singapore Airlines".
GENERIC = {"the", "of", "and", "inc", "inc.", "co", "co.", "corp", "corp.", "company", "group", "airlines",
           "airline", "force", "motors", "workers", "bank", "index", "exchange", "markets", "market",
           "stock", "us", "u.s.", "united", "states", "new", "york", "composite", "average",
           "creditors", "industrial", "worldwide", "federal"}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "'", "''"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


@dataclass
class Token:
    sentence: int
    text: str
    start: int = -1  # char offsets in the loaded report text (-1: not found there)
    end: int = -1


@dataclass
class Article:
    doc_id: str
    name: str
    dct: str
    tokens: list[Token]


def read_article(cat_path: Path, timeml_dir: Path) -> Article:
    """One Track A article: its CAT tokens (sentence, text) and its creation date from the TimeML twin."""
    root = ET.parse(cat_path).getroot()
    tokens = [Token(int(t.get("sentence")), t.text or "") for t in root.iter("token")]
    doc_id = root.get("doc_id")
    stem = cat_path.name.removesuffix(".xml").removesuffix(".txt")
    dct = ""
    for candidate in (timeml_dir / f"{stem}.tml", *sorted(timeml_dir.glob(f"{doc_id}_*.tml"))):
        if candidate.is_file():
            m = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="([^"]+)"', candidate.read_text("utf-8"))
            dct = m.group(1)[:10] if m else ""
            break
    return Article(doc_id, stem, dct, tokens)


def read_corpus(folder: Path) -> list[Article]:
    """Every article of a corpus folder (``corpus_trackA_CAT`` + ``corpus_trackA_TimeML``), sorted by doc id."""
    cat = folder / "corpus_trackA_CAT"
    articles = [read_article(p, folder / "corpus_trackA_TimeML") for p in sorted(cat.glob("*.xml"))]
    return sorted(articles, key=lambda a: int(a.doc_id))


def detokenise(tokens: list[Token]) -> str:
    """Text of tokens as a reader would write it ("Boeing 's 777 ." -> "Boeing's 777.")."""
    out = ""
    for i, tok in enumerate(tokens):
        if i and tok.text not in _NO_SPACE_BEFORE and tokens[i - 1].text not in _NO_SPACE_AFTER:
            out += " "
        out += _surface(tok.text)
    return out


def _surface(word: str) -> str:
    """A token as written in the report: the corpus's LaTeX-style quotes become plain ones."""
    return '"' if word in ("``", "''") else word


def article_text(article: Article) -> str:
    """The ``.txt`` of an article: title (sentence 0), the date line (sentence 1), then the body, one paragraph."""
    by_sentence: dict[int, list[Token]] = {}
    for tok in article.tokens:
        by_sentence.setdefault(tok.sentence, []).append(tok)
    lines = [detokenise(by_sentence[s]) for s in sorted(by_sentence) if s <= 1]
    body = " ".join(detokenise(by_sentence[s]) for s in sorted(by_sentence) if s > 1)
    return "\n\n".join([*lines, body]) + "\n"


def write_reports(articles: list[Article], folder: Path) -> Path:
    """The articles as ``<doc_id>.txt`` plus ``manifest.csv`` (file, outlet, url, published); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        atomic.write_text(folder / f"{article.doc_id}.txt", article_text(article))
    rows = [{"file": f"{a.doc_id}.txt", "outlet": "Wikinews", "url": f"https://en.wikinews.org/wiki/{a.name.split('_', 1)[-1]}",
             "published": a.dct} for a in articles]
    atomic.write_csv(folder / "manifest.csv", pd.DataFrame(rows, columns=["file", "outlet", "url", "published"]))
    return folder


def align(article: Article, text: str) -> None:
    """Find each body token in the loaded report ``text`` in order.

    The loader takes sentence 0 as the report's title and drops sentence 1 (the
    Wikinews date line), so only sentences from 2 on are in ``text``; their
    tokens are looked for one after the other, a miss leaves the token unplaced.
    """
    cursor = 0
    for tok in article.tokens:
        if tok.sentence <= 1:
            tok.start = tok.end = -1
            continue
        word = _surface(tok.text)
        at = text.find(word, cursor, cursor + 40 + len(word))
        if at < 0:
            tok.start = tok.end = -1
            continue
        tok.start, tok.end = at, at + len(word)
        cursor = tok.end


def event_id(article: Article, start: int, end: int) -> str:
    """``docid-sentence-token`` (tokens joined by ``_``) of the task's tokens under ``[start, end)``, or ""."""
    inside = [t for t in article.tokens if t.start >= 0 and t.start < end and start < t.end]
    if not inside:
        return ""
    return f"{article.doc_id}-{inside[0].sentence}-" + "_".join(t.text for t in inside if t.sentence == inside[0].sentence)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", name.casefold().replace("’", "'")) if w]


def entity_matches(entity: str, participant: str) -> bool:
    """Whether a participant name names the target entity.

    Equal names match ("Boeing"), as do a name that adds a company suffix or a
    possessive ("Boeing Co.", "Boeing's"), and a participant that is the tail of
    the entity's name with a word of its own ("Gallois" for Louis Gallois,
    "Air Force" for United States Air Force, "787 Dreamliner" and "Dreamliner"
    for Boeing 787 Dreamliner). A head alone ("Boeing") does not name the
    entity "Boeing 787 Dreamliner", and a tail of generic words ("Airlines")
    names nothing.
    """
    e = _words(entity)
    p = [w.removesuffix("'s") for w in _words(participant)]
    p = [w for w in p if w not in ("the",)]
    if not e or not p:
        return False
    if p == e:
        return True
    if p[:len(e)] == e and all(w in {"inc", "inc.", "co", "co.", "corp", "corp.", "company", "corporation", "plc", "ltd",
                                      "group", "'s"} for w in p[len(e):]):
        return True
    if len(p) < len(e) and e[-len(p):] == p and any(w not in GENERIC for w in p):
        return True
    return False


def _anchor(start: str, precision: str) -> str:
    """The task's time anchor of a date at a precision: 2005-02-17, 2005-02-XX or 2005-XX-XX."""
    if not start:
        return "XXXX-XX-XX"
    y, m, d = start[:4], start[5:7], start[8:10]
    if precision == "day":
        return f"{y}-{m}-{d}"
    if precision == "month":
        return f"{y}-{m}-XX"
    return f"{y}-XX-XX"


def write_timeline(path: Path, entity: str, lines: list[tuple[str, str, list[str]]]) -> None:
    """Write one timeline file: the entity, then ``order<TAB>anchor<TAB>event...`` lines.

    ``lines`` holds ``(sort key, anchor, event ids)``; lines with equal anchors
    share an order number (the task's "simultaneous"), numbered from 1.
    """
    rows, order, last = [entity], 0, None
    for key, anchor, events in sorted(lines):
        if not events:
            continue
        if anchor != last:
            order += 1
            last = anchor
        rows.append("\t".join([str(order), anchor, *events]))
    atomic.write_text(path, "\n".join(rows) + "\n")


def file_name(entity: str) -> str:
    return entity.lower().replace(" ", "_") + ".txt"


def system_timelines(articles: list[Article], reports: pd.DataFrame, mentions: pd.DataFrame,
                     entities: list[str], out: Path) -> None:
    """The toolkit's timeline of each entity: its claims' mentions, one line per claim, ordered by anchor."""
    by_id = {a.doc_id: a for a in articles}
    published = dict(zip(reports["report_id"], reports["published"].astype(str)))
    out.mkdir(parents=True, exist_ok=True)
    for entity in entities:
        claims: dict[str, dict] = {}
        for m in mentions.itertuples(index=False):
            if m.trigger_start < 0 or not any(entity_matches(entity, p) for p in str(m.participants).split(";")):
                continue
            ident = event_id(by_id[m.report_id], m.trigger_start, m.trigger_end)
            if not ident:
                continue
            c = claims.setdefault(m.claim_id, {"events": [], "dated": [], "published": []})
            c["events"].append(ident)
            if m.start:
                c["dated"].append((m.start, m.precision))
            c["published"].append(published.get(m.report_id, "")[:10])
        lines = []
        for claim_id, c in claims.items():
            start, precision = min(c["dated"]) if c["dated"] else (min(p for p in c["published"] if p) if any(
                c["published"]) else "", "day")
            lines.append(((start or "9999", claim_id), _anchor(start, precision), list(dict.fromkeys(c["events"]))))
        write_timeline(out / file_name(entity), entity, lines)


def baseline_timelines(articles: list[Article], reports: pd.DataFrame, entities: list[str], out: Path) -> None:
    """SIMPLE BASELINE: verbs of sentences naming the entity, at the report's date, same day + same lemma = one line."""
    from analysis.pipeline import nlp

    by_id = {a.doc_id: a for a in articles}
    ids, texts = reports["report_id"].tolist(), reports["text"].tolist()
    published = dict(zip(reports["report_id"], reports["published"].astype(str)))
    verbs: list[tuple[str, str, int, int, str]] = []  # (report, lemma, start, end, sentence text)
    for rid, doc in zip(ids, nlp.iter_docs(texts, progress=False)):
        for sent in doc.sents:
            for tok in sent:
                if tok.pos_ == "VERB":
                    verbs.append((rid, tok.lemma_.lower(), tok.idx, tok.idx + len(tok.text), sent.text))
    out.mkdir(parents=True, exist_ok=True)
    for entity in entities:
        tails = [entity] + [" ".join(entity.split()[i:]) for i in range(1, len(entity.split()))]
        tails = [t for t in tails if any(w not in GENERIC for w in _words(t))]
        groups: dict[tuple[str, str], list[str]] = {}
        for rid, lemma, a, b, sentence in verbs:
            if not any(re.search(r"\b" + re.escape(t) + r"\b", sentence, re.I) for t in tails):
                continue
            ident = event_id(by_id[rid], a, b)
            if ident:
                groups.setdefault((published.get(rid, "")[:10], lemma), []).append(ident)
        lines = [((day or "9999", lemma), _anchor(day, "day"), list(dict.fromkeys(ev))) for (day, lemma), ev in groups.items()]
        write_timeline(out / file_name(entity), entity, lines)


def run_scorer(gold: Path, system: Path, scorer: Path, python2: str) -> dict:
    """Run the official ``evaluation_all.py``; returns micro F1/P/R and the per-timeline rows it printed."""
    with tempfile.TemporaryDirectory(prefix="py2-") as tmp:
        os.symlink(python2, Path(tmp) / "python")
        env = {**os.environ, "PATH": f"{tmp}{os.pathsep}{os.environ.get('PATH', '')}"}
        result = subprocess.run([python2, "evaluation_all.py", str(gold), str(system)], cwd=scorer, env=env,
                                capture_output=True, text=True, check=True)
    per = {}
    micro = {}
    for line in result.stdout.splitlines():
        parts = line.strip().split("\t")
        if parts[0] == "MICRO-FSCORE":
            micro = {"f1": float(parts[1]), "precision": float(parts[3]), "recall": float(parts[5])}
        elif len(parts) == 7 and parts[1] == "FSCORE":
            per[parts[0]] = {"f1": float(parts[2]), "precision": float(parts[4]), "recall": float(parts[6])}
    if not micro:
        raise RuntimeError(f"the scorer printed no micro score:\n{result.stdout}\n{result.stderr}")
    return {**micro, "timelines": per}


def pooled(gold_dirs: list[Path], system_dirs: list[Path], target: Path) -> tuple[Path, Path]:
    """Gold and system timelines of several corpora in one folder pair (names prefixed by corpus), for one micro score."""
    for kind, dirs in (("gold", gold_dirs), ("system", system_dirs)):
        (target / kind).mkdir(parents=True, exist_ok=True)
        for n, folder in enumerate(dirs):
            for f in sorted(folder.glob("*.txt")):
                (target / kind / f"c{n}_{f.name}").write_bytes(f.read_bytes())
    return target / "gold", target / "system"


def evaluate(corpus_root: Path, numbers: list[int], work: Path, scorer: Path, python2: str) -> list[dict]:
    """Score the toolkit and the simple baseline on each corpus and on all of them pooled; one row per (system, corpus)."""
    from analysis import load_corpus
    from analysis.sources.citations import extract_citations
    from evaluation.claim_mentions import claim_mentions, code_kind

    rows, systems = [], {"toolkit claims": [], "baseline same day + lemma": []}
    golds = []
    for n in numbers:
        folder = corpus_root / f"corpus_{n}"
        articles = read_corpus(folder)
        entities = [e.strip() for e in (folder / f"list_target_entities_corpus_{n}.txt").read_text("utf-8").splitlines() if e.strip()]
        reports_dir = write_reports(articles, work / f"corpus_{n}" / "reports")
        reports = load_corpus(reports_dir).reports
        for a in articles:
            match = reports[reports["report_id"] == a.doc_id]
            if len(match):
                align(a, match.iloc[0]["text"])
        mentions = claim_mentions(reports, extract_citations(reports))
        mentions.to_csv(work / f"corpus_{n}" / "mentions.csv", index=False)
        ours, base = work / f"corpus_{n}" / "toolkit", work / f"corpus_{n}" / "baseline"
        system_timelines(articles, reports, mentions, entities, ours)
        baseline_timelines(articles, reports, entities, base)
        gold = folder / "TimeLines_Gold_Standard"
        golds.append(gold)
        for name, out in (("toolkit claims", ours), ("baseline same day + lemma", base)):
            systems[name].append(out)
            s = run_scorer(gold, out, scorer, python2)
            rows.append({"system": name, "code": code_kind() if name.startswith("toolkit") else "",
                         "corpus": f"corpus_{n}", "timelines": len(entities),
                         "events": sum(len(l.split("\t")) - 2 for f in out.glob("*.txt") for l in f.read_text().splitlines()[1:]),
                         "micro_f1": round(s["f1"], 2), "micro_precision": round(s["precision"], 2),
                         "micro_recall": round(s["recall"], 2)})
    # pooled micro scores: the test corpora (all but the development corpus_1), then every corpus given
    pools = [[i for i, n in enumerate(numbers) if n != 1]] if 1 in numbers and len(numbers) > 2 else []
    pools += [list(range(len(numbers)))] if len(numbers) > 1 else []
    for pool in pools:
        label = "+".join(f"corpus_{numbers[i]}" for i in pool)
        for name, outs in systems.items():
            with tempfile.TemporaryDirectory() as tmp:
                g, s_dir = pooled([golds[i] for i in pool], [outs[i] for i in pool], Path(tmp))
                s = run_scorer(g, s_dir, scorer, python2)
            rows.append({"system": name, "code": code_kind() if name.startswith("toolkit") else "",
                         "corpus": label, "timelines": "",
                         "events": sum(r["events"] for r in rows if r["system"] == name
                                       and r["corpus"] in {f"corpus_{numbers[i]}" for i in pool}),
                         "micro_f1": round(s["f1"], 2), "micro_precision": round(s["precision"], 2),
                         "micro_recall": round(s["recall"], 2)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_CORPUS, help="the semeval2015_task4 folder")
    parser.add_argument("--corpus", type=int, action="append", help="corpus number (repeatable; default 2 and 3)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "semeval2015_task4",
                        help="folder for the written reports and timelines")
    parser.add_argument("--scorer", type=Path, required=True, help="the official timeline-evaluation folder")
    parser.add_argument("--python2", required=True, help="a Python 2 interpreter for the official scorer")
    parser.add_argument("--out", type=Path, help="write the result rows to this CSV")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"corpus not found at {args.root}")
    rows = evaluate(args.root, args.corpus or [2, 3], args.work, args.scorer, args.python2)
    for r in rows:
        print(f"{r['system']:<28} {r['corpus']:<20} events {r['events']:>5}  micro F1 {r['micro_f1']:6.2f}  "
              f"P {r['micro_precision']:6.2f}  R {r['micro_recall']:6.2f}")
    print(f"{'published best Track A run':<28} {'corpus_1+2+3':<20} {'':>11}  micro F1 {PUBLISHED_BEST_TRACK_A_F1:6.2f}"
          "  (Minard et al. 2015, abstract)")
    if args.out:
        atomic.write_csv(args.out, pd.DataFrame(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
