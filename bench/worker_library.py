"""What a scheduled feed poll costs the ingest worker with a Library opened per poll, and with one kept.

    python -m bench.worker_library DATA [--polls 20]

DATA is a data folder (for example one filled by ``claimdesk ingest``). The bot polls
feeds every minute, and most minutes nothing is due: the poll's own work is then a query
for due feeds, and opening the library (the store, the search index checked against the
store's counts) is the rest. Prints the median and p95 of one poll with nothing due, both
ways, in this process (the worker runs the same code in its own).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from index.faults import DATABASE_NAME
from index.feeds import poll_due_feeds
from index.library import Library


def timed(polls: int, one: Callable[[], object]) -> dict[str, float]:
    times = []
    for _ in range(polls):
        started = time.perf_counter()
        one()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}


def poll(library: Library) -> object:
    return poll_due_feeds(library, allow_private=False, timeout=5, max_bytes=1, now=datetime.now(timezone.utc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--polls", type=int, default=20)
    args = parser.parse_args()
    if not (args.data / DATABASE_NAME).is_file():
        parser.error(f"{args.data} is not a claimdesk data folder (no {DATABASE_NAME}); ingest into it first")

    def opened_per_poll() -> object:
        with Library(args.data) as library:
            return poll(library)

    with Library(args.data) as kept:
        articles = kept.store.count()
        reused = timed(args.polls, lambda: poll(kept))
    fresh = timed(args.polls, opened_per_poll)
    print(json.dumps({"articles": articles, "polls": args.polls, "library_per_poll": fresh,
                      "library_kept": reused}))


if __name__ == "__main__":
    main()
