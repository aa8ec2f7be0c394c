"""Whoosh's own search against the block scoring (``index/block_scoring.py``) on the same
searcher, query by query: the searches ``/claims`` (or ``/search``) sends, timed in CPU
time, and their hits compared.

    python -m bench.block_scoring --data DIR [--command claims|search] [--queries 200] [--rounds 2] [--corpus C ...]

Query lines are drawn from the folder's own articles (``bench/query_mix.py``); each is
searched as the product searches it (``/claims``: words expanded, the caller's corpora
as the set of visible claims, 150 hits; ``/search``: the corpora as part of the query,
the first page of five). Round 1 of the block scoring starts with nothing kept (every term
decoded); later rounds find the terms of round 1 kept. Prints each side's p50 / p95 /
total per round, and how many queries found the best documents of Whoosh's own ranking
of every match (``limit=None``, best first, lower number first on a tie) with its
scores: the block scoring, and Whoosh's limited search, which can leave out a better
document than those it returns (whoosh-community/whoosh#413).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from whoosh.query import And

from bench.claims_stages import sample_records
from bench.query_latency import percentile
from bench.query_mix import Vocabulary
from commands.claims import CLAIM_HITS
from commands.search import PER_PAGE as SEARCH_PAGE
from commands.synonyms import search_terms
from index.analysis import prose_terms
from index.block_scoring import KeptPostings
from index.library import Library
from index.query import QueryError, parse_query
from index.search import (
    _article_filters,
    _date_filter,
    _restricted,
    _speaker_query,
    _text_query,
)


def full_ranking(searcher, query, visible, limit: int) -> list[tuple[int, float]]:
    every = searcher.search(query, limit=None, filter=visible)
    return sorted(((hit.docnum, hit.score) for hit in every), key=lambda pair: (-pair[1], pair[0]))[:limit]


def agrees(found: list[tuple[int, float]], wanted: list[tuple[int, float]]) -> bool:
    return [d for d, _ in found] == [d for d, _ in wanted] and all(
        abs(a - b) <= 1e-9 * max(1.0, abs(b)) for (_, a), (_, b) in zip(found, wanted)
    )


def searches(index, searcher, line: str, command: str, corpora: list[str]):
    """The query, visible set and number of hits the product asks Whoosh for; None when
    the line is refused."""
    try:
        if command == "search":
            query = parse_query(line.removeprefix("/search ").strip(), speakers=False)
            text_query = _text_query(query, ("title", "text"), prose_terms)
            return _restricted(searcher, text_query, _article_filters(query, corpora), corpora), None, SEARCH_PAGE
        query = parse_query(line.removeprefix("/claims ").strip())
        filters = [f for f in (_date_filter(query),) if f is not None]
        if query.speaker_ids is not None or query.speaker:
            filters.append(_speaker_query(index._speaker_ids(query, corpora)))
    except QueryError:
        return None
    text_query = _text_query(query, ("text",), prose_terms, search_terms)
    full = And([text_query, *filters]) if filters else text_query
    return full, index._visible_claims(searcher, corpora, query.outlet), CLAIM_HITS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--command", choices=("claims", "search"), default="claims")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", action="append", help="corpora the queries see (default guild-1 and shared)")
    args = parser.parse_args()
    corpora = args.corpus or ["guild-1", "shared"]
    kind = "articles" if args.command == "search" else "claims"
    with Library(args.data, readonly=True) as library:
        index = library.search
        vocabulary = Vocabulary(sample_records(library, corpora, 2000))
        lines = list(vocabulary.lines(args.command, args.queries, random.Random(11)))
        kept = KeptPostings()
        timings: dict[tuple[str, int], list[float]] = {}
        blocks_right = whoosh_right = compared = left_to_whoosh = 0
        with index._searcher(kind) as searcher:  # a bench reaching into the index: one searcher for both sides
            for round_number in range(1, args.rounds + 1):
                for line in lines:
                    asked = searches(index, searcher, line, args.command, corpora)
                    if asked is None:
                        continue
                    full, visible, limit = asked
                    clock = time.thread_time()
                    limited = [(hit.docnum, hit.score) for hit in searcher.search(full, limit=limit, filter=visible)]
                    timings.setdefault(("whoosh", round_number), []).append((time.thread_time() - clock) * 1000)
                    clock = time.thread_time()
                    best = kept.best(searcher, full, visible, limit)
                    timings.setdefault(("blocks", round_number), []).append((time.thread_time() - clock) * 1000)
                    if best is None:
                        left_to_whoosh += 1
                        continue
                    if round_number == 1:
                        wanted = full_ranking(searcher, full, visible, limit)
                        compared += 1
                        blocks_right += agrees(best.top, wanted)
                        whoosh_right += agrees(limited, wanted)
        articles, claims = index.doc_counts()
    print(f"{args.data}: {articles} articles, {claims} claims; /{args.command}, corpora {', '.join(corpora)}; "
          f"{len(timings.get(('whoosh', 1), []))} queries a round, CPU ms")
    for (side, round_number), values in sorted(timings.items(), key=lambda item: (item[0][1], item[0][0] != "whoosh")):
        print(f"round {round_number} {side:<6}  p50 {percentile(values, 0.5):7.2f}  p95 {percentile(values, 0.95):7.2f}  "
              f"total {sum(values) / 1000:6.2f} s")
    print(f"the best of Whoosh's full ranking, with its scores: block scoring {blocks_right} of {compared}, "
          f"Whoosh's limited search {whoosh_right} of {compared}; left to Whoosh whole: {left_to_whoosh}; "
          f"kept postings {kept.kept_bytes / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
