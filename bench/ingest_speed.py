"""Articles per second for ingestion (load, extract, store, index), and what it leaves on disk.

    python bench/ingest_speed.py PATH... [--data DIR]

Ingests into a fresh temporary data folder (or DIR) in this process and prints
articles/s, the SQLite and Whoosh sizes, and the article and claim counts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.library import Library  # noqa: E402


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"skipped: {', '.join(map(str, missing))} not found")
        return
    data = args.data or Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    started = time.perf_counter()
    with Library(data) as library:
        report = library.ingest_paths(args.paths)
        elapsed = time.perf_counter() - started
        articles = report.count("ingested") + report.count("updated")
        claims = library.store.count_claims()
    print(f"articles: {articles} ingested ({report.count('failed')} failed, {report.count('unchanged')} unchanged)")
    print(f"claims: {claims}")
    print(f"time: {elapsed:.2f} s (including model load) -> {articles / elapsed:.1f} articles/s")
    print(f"sqlite: {(data / 'claimdesk.sqlite3').stat().st_size / 1e6:.2f} MB")
    print(f"whoosh: {folder_bytes(data / 'whoosh') / 1e6:.2f} MB (articles {folder_bytes(data / 'whoosh' / 'articles') / 1e6:.2f}, claims {folder_bytes(data / 'whoosh' / 'claims') / 1e6:.2f})")
    print(f"data folder: {data}")


if __name__ == "__main__":
    main()
