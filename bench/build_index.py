"""Build a large data folder for latency benchmarks: the real corpora, topped up with fiction.

    python bench/build_index.py DATA_DIR [--total 10000]

Ingests ../shared/data (bbc, polnear, allsides; about 4,600 articles) and as many
generated fictional articles as it takes to reach TOTAL, then prints the counts, the
time taken and the folder's size. Without ../shared/data it ingests fiction only. The
index is left as ingest leaves it, unmerged, as a live index is (no ``optimize()``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from index.library import Library  # noqa: E402
from bench.real_corpus import write as write_real  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--total", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="claimdesk-corpus-"))
    real = write_real(work / "real.jsonl")
    generated = max(0, args.total - real)
    subprocess.run(
        [sys.executable, str(HERE / "fictional_corpus.py"), str(work / "fiction"), "--count", str(generated),
         "--format", "jsonl", "--seed", "11"],
        check=True,
    )
    started = time.perf_counter()
    with Library(args.data) as library:
        report = library.ingest_paths([work])
        elapsed = time.perf_counter() - started
        articles, claims = library.search.doc_counts()
    size = sum(p.stat().st_size for p in args.data.rglob("*") if p.is_file())
    print(f"real: {real}, generated: {generated}, failed: {report.count('failed')}")
    print(f"index: {articles} articles, {claims} claims, {size / 1e6:.0f} MB in {args.data}")
    print(f"ingest: {elapsed:.0f} s, {articles / elapsed:.1f} articles/s")


if __name__ == "__main__":
    main()
