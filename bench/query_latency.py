"""Latency of slash commands as the bot runs them: p50 / p95 / max over many queries.

    python bench/query_latency.py --data DIR [--command search] [--rounds 5]

Each query opens its searchers and closes them, as the bot does; queries are the words
below, each run ROUNDS times after one warm-up pass.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commands import CommandContext, CommandError  # noqa: E402
from commands.line import run_line  # noqa: E402
from index.library import Library  # noqa: E402

QUERIES = [
    "troops", "evacuated residents", "government", "election", "\"prime minister\"", "said", "police",
    "economy growth", "strike OR protest", "minister -football", "bank profits", "music award",
    "flood", "mobile phone", "soldiers", "killed", "tax", "workers", "film", "court ruling",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--command", default="search")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", action="append")
    args = parser.parse_args()
    with Library(args.data) as library:
        context = CommandContext(library=library, corpora=args.corpus or ["default"])
        articles, claims = library.search.doc_counts()
        timings: list[float] = []
        for round_ in range(args.rounds + 1):
            for query in QUERIES:
                started = time.perf_counter()
                try:
                    run_line(context, f"/{args.command} {query}")
                except CommandError:
                    pass
                if round_:  # the first pass warms caches and is not counted
                    timings.append((time.perf_counter() - started) * 1000)
    print(f"index: {articles} articles, {claims} claims; /{args.command}, {len(timings)} queries")
    print(
        f"latency ms: p50 {statistics.median(timings):.1f}  p95 {percentile(timings, 0.95):.1f}  "
        f"max {max(timings):.1f}"
    )


if __name__ == "__main__":
    main()
