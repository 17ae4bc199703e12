"""Command line: ``python -m analysis run [--corpus DIR] [--out DIR] [--strict]``."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the requested command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="execute every notebook in order on a corpus")
    run.add_argument("--corpus", metavar="DIR", help="folder of reports (default: the embedded seeds)")
    run.add_argument("--out", metavar="DIR", help="write executed notebooks, data/processed/ and figures/ here "
                     "instead of the repository")
    run.add_argument("--strict", action="store_true", help="stop if any input file is rejected")
    args = parser.parse_args(argv)
    if args.command == "run":
        from .runner import main_run

        return main_run(args.corpus, args.out, args.strict)
    return 2


if __name__ == "__main__":
    sys.exit(main())
