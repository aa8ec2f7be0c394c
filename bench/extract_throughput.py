"""Articles per second of claim extraction on the BBC News corpus, everything switched on.

    python bench/extract_throughput.py [--limit N] [--processes P] [--data DIR]

The model is loaded (and warmed on one article) before the clock starts: the figure is
steady-state extraction speed, the one that matters for ingesting a feed. CPU seconds of
this process and its workers are printed too: on a machine shared with other jobs they
show the cost per article that the wall clock hides.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.real_corpus import DATA  # noqa: E402
from index.extract import extract_many  # noqa: E402
from index.extract.nlp import get_nlp  # noqa: E402
from index.models import Article, TextSpan  # noqa: E402

DEFAULT_DATA = DATA / "bbc"


def load_articles(folder: Path, limit: int | None) -> list[Article]:
    articles = []
    for path in sorted(folder.glob("*/*.txt"))[:limit]:
        text = path.read_text(encoding="utf-8", errors="replace")
        headline_end = text.find("\n")
        spans = [TextSpan(start=0, end=headline_end, kind="headline")] if headline_end > 0 else []
        article_id = f"{path.parent.name}-{path.stem}"
        articles.append(Article(id=article_id, source=str(path), text=text, spans=spans))
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the bbc folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: no BBC data at {args.data}")
        return 0
    articles = load_articles(args.data, args.limit)
    get_nlp()
    list(extract_many(articles[:1]))
    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    claims = figures = attributed = 0
    for article_claims in extract_many(articles, batch_size=args.batch_size, n_process=args.processes):
        claims += len(article_claims)
        figures += sum(len(c.figures) for c in article_claims)
        attributed += sum(c.speaker is not None or c.cue is not None for c in article_claims)
    elapsed = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    print(f"{len(articles)} articles in {elapsed:.1f} s with {args.processes} process(es), batch {args.batch_size}")
    print(f"{len(articles) / elapsed:.1f} articles/s; {claims} claims, {attributed} attributed, {figures} figures")
    print(f"{cpu:.1f} CPU s in all processes: {len(articles) / cpu:.1f} articles per CPU second")
    return 0


def _cpu_seconds() -> float:
    """User and system time of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


if __name__ == "__main__":
    sys.exit(main())
