"""BASIL as an export the loader reads: one JSON line per article, with outlet, date and URL.

BASIL (Fan et al., EMNLP 2019) covers 100 events, each by the New York Times,
Fox News and HuffPost. The three reports of an event quote the same speakers,
and the reports of one outlet share its house phrasing across events: the
corpus on which ``evaluation.shared_wording_eval`` measures how shared
passages are told apart (quotation, the reports' own prose, stock phrases).
The export is written outside the repository (the articles remain their
publishers' copyright).

Usage::

    .venv/bin/python -m evaluation.basil_export [BASIL_DIR] OUT.jsonl [--triplets N]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis import atomic
from evaluation.basil_eval import DEFAULT_CORPUS, load_basil


def write_export(folder: str | Path, out: str | Path, triplets: int | None = None) -> int:
    """Write BASIL's articles (``folder``) as JSON lines to ``out``; returns the number of records.

    Each record has ``id`` (BASIL's file stem), ``title``, ``text`` (the body
    paragraphs, blank-line separated), ``outlet`` (New York Times, Fox News,
    HuffPost), ``date``, ``url`` and ``story`` (the triplet's uuid), in id order.
    """
    reports = load_basil(folder, triplets)
    urls = {path.stem: json.loads(path.read_text(encoding="utf-8")).get("url", "")
            for path in sorted(Path(folder, "articles").glob("*/*.json"))}
    lines = [json.dumps({"id": r.report_id, "title": r.title, "text": r.text, "outlet": r.outlet,
                         "date": r.published, "url": urls.get(r.report_id, ""), "story": r.triplet},
                        ensure_ascii=False, sort_keys=True)
             for r in reports.itertuples(index=False)]
    atomic.write_text(Path(out), "\n".join(lines) + "\n")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("out")
    parser.add_argument("--triplets", type=int, default=None)
    args = parser.parse_args(argv)
    if not Path(args.corpus, "articles").is_dir():
        print(f"BASIL not found at {args.corpus}", file=sys.stderr)
        return 2
    print(f"{write_export(args.corpus, args.out, args.triplets)} records written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
