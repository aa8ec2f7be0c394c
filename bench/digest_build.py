"""Time to build a digest edition, and what it holds, on a generated fictional corpus.

    python bench/digest_build.py [--base 1000] [--new 200] [--rounds 5] [--data DIR]

Writes BASE generated articles stored three days ago and NEW stored inside the window
(through ``Library.ingest``, extraction included), then builds the edition for the
window ROUNDS times: for everything new, and for three topics. With ``--data DIR`` an
existing folder made by an earlier run is reused. Prints median and max milliseconds,
the edition's size in Discord messages and embeds, and the peak RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fictional_corpus import article  # noqa: E402
from bot.discord.render.digest import edition_messages  # noqa: E402
from commands.base import CommandContext  # noqa: E402
from commands.digest import DigestResponse, build_digest  # noqa: E402
from index.digests import DigestBook  # noqa: E402
from index.ingest import LoadedArticle  # noqa: E402
from index.library import Library  # noqa: E402
from index.models import Article  # noqa: E402

CORPUS = "bench"
WINDOW_END = datetime(2026, 1, 10, 12, tzinfo=timezone.utc)
WINDOW = timedelta(hours=24)
TOPICS = ["evacuated", "troops OR soldiers", "euros"]


def generated(rng: random.Random, first: int, count: int, stored_at: datetime) -> list[LoadedArticle]:
    items = []
    for number in range(first, first + count):
        record = article(rng, number)
        items.append(LoadedArticle(Article(
            id=record["id"], corpus=CORPUS, source=f"generated:{record['id']}", outlet=record["outlet"],
            title=record["title"], url=record["url"], published=record["published"], text=record["text"],
            ingested_at=stored_at,
        )))
    return items


def timed(context: CommandContext, book: DigestBook, topics: list[str], rounds: int) -> tuple[list[float], DigestResponse]:
    timings, response = [], None
    for round_ in range(rounds + 1):
        started = time.perf_counter()
        response = build_digest(context, book, since=WINDOW_END - WINDOW, until=WINDOW_END, topics=topics)
        if round_:  # the first build warms the searchers and is not counted
            timings.append((time.perf_counter() - started) * 1000)
    assert response is not None
    return timings, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=1000, help="articles stored before the window")
    parser.add_argument("--new", type=int, default=200, help="articles stored inside the window")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", type=Path, help="reuse (or create) this data folder")
    args = parser.parse_args()
    data = args.data or Path(tempfile.mkdtemp(prefix="claimdesk-digestbench-")) / "data"
    with Library(data, extract_processes=2) as library:
        if not library.store.count([CORPUS]):
            rng = random.Random(11)
            started = time.perf_counter()
            library.ingest(generated(rng, 0, args.base, WINDOW_END - 3 * WINDOW))
            library.ingest(generated(rng, args.base, args.new, WINDOW_END - WINDOW / 2))
            print(f"ingested {args.base + args.new} articles in {time.perf_counter() - started:.0f} s into {data}")
        context = CommandContext(library=library, corpora=[CORPUS])
        book = DigestBook(library.store.path)
        articles, claims = library.search.doc_counts()
        print(f"index: {articles} articles, {claims} claims; window holds "
              f"{len(book.arrivals([CORPUS], WINDOW_END - WINDOW, WINDOW_END))} new articles")
        for label, topics in (("everything new", []), (f"topics {', '.join(TOPICS)}", TOPICS)):
            timings, response = timed(context, book, topics, args.rounds)
            messages = edition_messages(response, "bench")
            items = sum(len(s.disagreements) + len(s.groups) for s in response.sections)
            conflicts = sum(len(s.disagreements) for s in response.sections)
            print(f"{label}: build ms p50 {statistics.median(timings):.0f}  max {max(timings):.0f}; "
                  f"{items} items ({conflicts} disagreements) in {len(messages)} message(s), "
                  f"{sum(len(m) for m in messages)} embeds")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
