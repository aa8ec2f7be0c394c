"""What the safety checks cost: opening a data folder as a reader, and a whole reindex.

    python bench/open_and_reindex.py --data DIR [--opens 10] [--reindex]

Opening checks the live index generation against SQLite's counts (articles and claims
marked as indexed) every time; this prints the median and worst time of an open, the
part of it the count check takes, and with ``--reindex`` the wall time of a rebuild and
the index size on disk before and after it (the previous generation is kept until the
next rebuild). ``--reindex`` writes to DIR: use a copy you can spare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.library import Library  # noqa: E402


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--opens", type=int, default=10)
    parser.add_argument("--reindex", action="store_true")
    args = parser.parse_args()

    opens, checks = [], []
    for _ in range(args.opens):
        started = time.perf_counter()
        with Library(args.data, readonly=True) as library:
            opens.append(time.perf_counter() - started)
            started = time.perf_counter()
            library.store.indexed_counts()
            library.search.doc_counts()
            checks.append(time.perf_counter() - started)
            articles, claims = library.store.count(), library.store.count_claims()
    print(f"{articles} articles, {claims} claims")
    print(f"reader open: median {statistics.median(opens) * 1000:.1f} ms, max {max(opens) * 1000:.1f} ms "
          f"(count check alone: median {statistics.median(checks) * 1000:.1f} ms)")
    if args.reindex:
        before = folder_bytes(args.data / "whoosh")
        with Library(args.data) as library:
            started = time.perf_counter()
            library.reindex()
            elapsed = time.perf_counter() - started
        print(f"reindex: {elapsed:.1f} s; index on disk {before / 1e6:.1f} MB before, "
              f"{folder_bytes(args.data / 'whoosh') / 1e6:.1f} MB after (old and new generation)")


if __name__ == "__main__":
    main()
