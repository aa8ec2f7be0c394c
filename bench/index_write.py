"""CPU seconds to write a data folder's stored articles and claims into a fresh search index.

    python -m bench.index_write --data DIR [--batch 100] [--limit N]

Reads every stored article with its claims (SQLite, outside the clock), writes them into
a new index in a temporary folder in batches as ingest commits them, and prints the CPU
and wall seconds of the writes and the index's size. Run it on the same folder from two
revisions, alternately, to compare index writes alone.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

from index.faults import DATABASE_NAME
from index.library import BATCH_SIZE
from index.search import SearchIndex
from index.store import Store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a data folder to read from (read only)")
    parser.add_argument("--batch", type=int, default=BATCH_SIZE)
    parser.add_argument("--limit", type=int, help="the first N stored articles only")
    args = parser.parse_args()
    store = Store(args.data / DATABASE_NAME, readonly=True)
    pairs = [(article, store.claims(article.corpus, article.id))
             for article in itertools.islice(store.iter_articles(), args.limit)]
    store.close()
    with tempfile.TemporaryDirectory(prefix="claimdesk-index-write-") as folder:
        index = SearchIndex.build(Path(folder), fill=lambda _: None)  # opening never creates an index
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(0, len(pairs), args.batch):
            index.write(pairs[start:start + args.batch])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        index.close()
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    claims = sum(len(claims) for _, claims in pairs)
    print(f"{len(pairs)} articles, {claims} claims: {cpu:.2f} CPU s, {wall:.2f} s wall, index {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
