"""Whether a change to extraction or ingest left the claims exactly as they were.

    python -m bench.sameness --write BEFORE.jsonl [--bbc 200] [--ingest] [--processes 2]
    python -m bench.sameness --check BEFORE.jsonl [--bbc 200] [--ingest] [--processes 2]

Extracts the claims of a fixed set of articles — the first N BBC articles (when
../shared/data is there), the test fixtures' article files and ``examples/`` — and
writes every claim of every article as one JSON line, or compares them with such a file
and prints the first differences. With ``--ingest`` the articles go through
``Library.ingest`` into a fresh data folder (batches, extraction workers, speakers
table) and the claims are read back from the store. Speed work is judged by it: a
speed-up that changes one claim, figure, reading, speaker or offset is not a speed-up.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from bench.real_corpus import DATA
from index.extract import extract_many
from index.ingest import LoadedArticle, load_paths
from index.library import Library
from index.models import Article, Claim

ROOT = Path(__file__).resolve().parents[1]
OWN_ARTICLES = (ROOT / "tests" / "fixtures", ROOT / "examples")


def fixed_articles(bbc: int) -> list[Article]:
    paths: list[Path] = [p for p in OWN_ARTICLES if p.is_dir()]
    bbc_files = sorted((DATA / "bbc").glob("*/*.txt"))[:bbc]
    loaded = (item.article for item in load_paths([*paths, *bbc_files]) if isinstance(item, LoadedArticle))
    return list(loaded)


def extracted(articles: list[Article], processes: int) -> Iterator[tuple[Article, list[Claim]]]:
    yield from zip(articles, extract_many(articles, n_process=processes), strict=True)


def ingested(articles: list[Article], processes: int) -> Iterator[tuple[Article, list[Claim]]]:
    with tempfile.TemporaryDirectory(prefix="claimdesk-sameness-") as folder:
        with Library(Path(folder), extract_processes=processes) as library:
            report = library.ingest(LoadedArticle(article) for article in articles)
            for article, outcome in zip(articles, report.outcomes, strict=True):
                if outcome.status != "ingested":
                    yield article, []
                else:
                    yield article, library.store.claims(article.corpus, outcome.article_id)


def claim_records(pairs: Iterable[tuple[Article, list[Claim]]]) -> Iterator[dict]:
    """Every claim with its article's source; an article without claims says so."""
    for article, claims in pairs:
        source = _portable(article.source)
        for claim in claims:
            yield {"source": source, **claim.model_dump(mode="json")}
        if not claims:
            yield {"source": source, "claims": 0}


def _portable(source: str) -> str:
    """The source relative to the checkout or the data folder, so that two checkouts of
    different revisions (or a worktree and a copy) compare line by line."""
    for root in (ROOT, DATA):
        if Path(source).is_relative_to(root.resolve()):
            return str(Path(source).relative_to(root.resolve()))
    return source


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="write the claims to this file")
    action.add_argument("--check", type=Path, help="compare the claims with this file")
    parser.add_argument("--bbc", type=int, default=200, help="how many BBC articles (sorted by path)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--ingest", action="store_true", help="through Library.ingest and back from the store")
    args = parser.parse_args()
    articles = fixed_articles(args.bbc)
    records = list(claim_records((ingested if args.ingest else extracted)(articles, args.processes)))
    lines = [json.dumps(record, sort_keys=True) for record in records]
    print(f"{len(articles)} articles, {sum('seq' in record for record in records)} claims")
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written to {args.write}")
        return 0
    expected = args.check.read_text(encoding="utf-8").splitlines()
    if expected == lines:
        print("same: every claim as before")
        return 0
    differing = [(i, a, b) for i, (a, b) in enumerate(itertools.zip_longest(expected, lines)) if a != b]
    print(f"DIFFERENT: {len(differing)} of {max(len(expected), len(lines))} lines differ")
    for i, before, after in differing[:5]:
        print(f"line {i}:\n  before: {before}\n  after:  {after}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
