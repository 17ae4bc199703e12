"""Command line: ``python -m analysis run [--corpus DIR] [--out DIR] [--strict] [--engine local|dask [--scheduler ADDRESS]]``
and ``python -m analysis report [--out DIR]``."""
from __future__ import annotations

import argparse
import sys

# nbformat (under the notebook runner) imports jsonschema, which imports rfc3987_syntax when it is installed
# (JupyterLab's dependencies install it) to check the "iri" string format, and that module compiles a Lark
# grammar on import: 1.9 s of every run on this machine (jsonschema issue #1428). No notebook schema checks
# an IRI, so this command declines the import: None in sys.modules makes it raise ImportError, which
# jsonschema catches and then checks IRIs no further.
sys.modules.setdefault("rfc3987_syntax", None)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the requested command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="execute every notebook in order on a corpus")
    run.add_argument("--corpus", metavar="DIR", help="folder of reports (default: the embedded seeds)")
    run.add_argument("--out", metavar="DIR", help="write executed notebooks, data/processed/ and figures/ here "
                     "instead of the repository")
    run.add_argument("--strict", action="store_true", help="stop if any input file is rejected")
    run.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="where the per-report spaCy stage runs: this machine (default) or a Dask cluster")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local cluster)")
    run.add_argument("--workers", type=int, metavar="N",
                     help="processes for the spaCy stage (local) or workers of the local Dask cluster "
                          "(default: one per core)")
    report = commands.add_parser("report", help="write one self-contained HTML page of the executed notebooks "
                                 "(OUT/report/report.html) and copy the exported figures beside it")
    report.add_argument("--out", metavar="DIR", help="the --out of an earlier `run` (default: the committed "
                        "notebooks and this repository's figures)")
    args = parser.parse_args(argv)
    if args.command == "run":
        from analysis.pipeline.runner import main_run

        return main_run(args.corpus, args.out, args.strict, args.engine, args.scheduler, args.workers)
    if args.command == "report":
        from analysis.pipeline.report import main_report

        return main_report(args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
