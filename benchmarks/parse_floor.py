"""The parse floor: ``ast.parse`` of every Python file under a root, in N processes.

    python benchmarks/parse_floor.py ROOT --jobs 2

What CPython's own parser costs on a corpus — reading each file and parsing it,
nothing else — split over ``--jobs`` forked processes the way ssot-lint splits its
extraction. ``bench.py`` runs it as one more tool in the cold runs, so ssot-lint's
cold time can be read as a multiple of it (no exact tool can go below it: only the
parser finds every syntax error). Prints the number of files parsed and of syntax
errors; the time is measured by the caller.
"""

from __future__ import annotations

import argparse
import ast
import multiprocessing
import os
import sys
import warnings
from pathlib import Path


def parse_all(paths: list[str]) -> int:
    """Parse each file; the number that failed to parse."""
    failed = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences, as ssot-lint does
        for path in paths:
            with open(path, "rb") as handle:
                data = handle.read()
            try:
                ast.parse(data)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                failed += 1
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    paths = sorted(str(p) for p in args.root.rglob("*.py") if p.is_file())
    if args.jobs <= 1:
        failed = parse_all(paths)
    else:
        size = max(1, min(64, -(-len(paths) // (args.jobs * 8))))  # ssot-lint's batching
        batches = [paths[i:i + size] for i in range(0, len(paths), size)]
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        with context.Pool(args.jobs) as pool:
            failed = sum(pool.imap_unordered(parse_all, batches))
    print(f"{len(paths)} files parsed, {failed} syntax errors")


if __name__ == "__main__":
    main()
