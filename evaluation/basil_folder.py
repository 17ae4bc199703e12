"""Write a BASIL sample as a folder of reports the toolkit reads: one ``.txt`` per article and a ``manifest.csv``.

For trying the whole toolkit on a public corpus that is not the seeds (``make run CORPUS=OUT_DIR OUT=...``) and
reading what each notebook says about it. BASIL (Fan et al., EMNLP 2019) covers each event three times (New York
Times, Fox News, HuffPost), so the sample has same-story pairs, quoted officials and dated events. The folder is
written outside the repository (article texts remain their publishers' copyright).

Usage::

    .venv/bin/python -m evaluation.basil_folder OUT_DIR [--corpus BASIL_DIR] [--triplets N]
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from evaluation.basil_eval import DEFAULT_CORPUS, load_basil


def write_folder(corpus: str | Path, out: str | Path, triplets: int = 4) -> list[Path]:
    """Write the first ``triplets`` BASIL triplets (uuid order) under ``out``; returns the files written.

    Each article becomes ``<article id>.txt`` (title, blank line, body paragraphs); ``manifest.csv`` gives its
    outlet, URL and publication date as BASIL records them.
    """
    reports = load_basil(corpus, triplets=triplets)
    urls = {path.stem: json.loads(path.read_text(encoding="utf-8")).get("url", "")
            for path in Path(corpus, "articles").glob("*/*.json") if path.stem in set(reports["report_id"])}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    rows = []
    for row in reports.itertuples(index=False):
        path = out / f"{row.report_id}.txt"
        path.write_text(f"{row.title}\n\n{row.text}\n", encoding="utf-8")
        written.append(path)
        rows.append({"file": path.name, "outlet": row.outlet, "url": urls.get(row.report_id, ""),
                     "published": str(row.published)[:10]})
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "outlet", "url", "published"])
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["file"]))
    return written + [out / "manifest.csv"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write the reports into (outside the repository)")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="the BASIL folder (with articles/)")
    parser.add_argument("--triplets", type=int, default=4, help="how many triplets (three articles each)")
    args = parser.parse_args(argv)
    if not Path(args.corpus, "articles").is_dir():
        print(f"BASIL not found at {args.corpus}", file=sys.stderr)
        return 1
    files = write_folder(args.corpus, args.out, args.triplets)
    print(f"{len(files) - 1} reports and manifest.csv written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
