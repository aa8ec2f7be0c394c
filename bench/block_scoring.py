"""Whoosh's own search against the block scoring (``index/block_scoring.py``) on the same
searcher, query by query: the claim searches ``/claims`` sends, timed in CPU time, and
their hits compared.

    python -m bench.block_scoring --data DIR [--queries 200] [--rounds 2] [--corpus guild-1 --corpus shared]

Query lines are drawn from the folder's own articles (``bench/query_mix.py``) and
expanded as ``/claims`` expands them; each is searched as the product searches it (the
caller's corpora as the set of visible claims, 150 hits). Round 1 of the block scoring
starts with nothing kept (every term decoded); later rounds find the terms of round 1
kept. Prints each side's p50 / p95 / total per round and how many queries found the same
documents in the same order with the same scores.
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
from commands.synonyms import search_terms
from index.analysis import prose_terms
from index.block_scoring import KeptPostings
from index.library import Library
from index.query import QueryError, parse_query
from index.search import _date_filter, _outlet_filter, _speaker_query, _text_query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", action="append", help="corpora the queries see (default guild-1 and shared)")
    args = parser.parse_args()
    corpora = args.corpus or ["guild-1", "shared"]
    with Library(args.data, readonly=True) as library:
        index = library.search
        vocabulary = Vocabulary(sample_records(library, corpora, 2000))
        lines = list(vocabulary.lines("claims", args.queries, random.Random(11)))
        kept = KeptPostings()
        timings: dict[tuple[str, int], list[float]] = {}
        same = compared = left_to_whoosh = 0
        with index._searcher("claims") as searcher:  # a bench reaching into the index: the same searcher for both
            for round_number in range(1, args.rounds + 1):
                for line in lines:
                    try:
                        query = parse_query(line.removeprefix("/claims ").strip())
                        filters = [f for f in (_date_filter(query),) if f is not None]
                        if query.speaker_ids is not None or query.speaker:
                            filters.append(_speaker_query(index._speaker_ids(query, corpora)))
                    except QueryError:
                        continue
                    text_query = _text_query(query, ("text",), prose_terms, search_terms)
                    full = And([text_query, *filters]) if filters else text_query
                    visible = index._visible_claims(searcher, corpora, _outlet_filter(query))
                    clock = time.thread_time()
                    wanted = [(hit.docnum, hit.score) for hit in searcher.search(full, limit=CLAIM_HITS, filter=visible)]
                    timings.setdefault(("whoosh", round_number), []).append((time.thread_time() - clock) * 1000)
                    clock = time.thread_time()
                    best = kept.best(searcher, full, visible, CLAIM_HITS)
                    timings.setdefault(("blocks", round_number), []).append((time.thread_time() - clock) * 1000)
                    if best is None:
                        left_to_whoosh += 1
                        continue
                    compared += 1
                    same += [d for d, _ in best.top] == [d for d, _ in wanted] and all(
                        abs(a - b) <= 1e-9 * max(1.0, abs(b)) for (_, a), (_, b) in zip(best.top, wanted)
                    )
        articles, claims = index.doc_counts()
    print(f"{args.data}: {articles} articles, {claims} claims; corpora {', '.join(corpora)}; "
          f"{len(timings.get(('whoosh', 1), []))} queries a round, CPU ms")
    for (side, round_number), values in sorted(timings.items(), key=lambda item: (item[0][1], item[0][0] != "whoosh")):
        print(f"round {round_number} {side:<6}  p50 {percentile(values, 0.5):7.2f}  p95 {percentile(values, 0.95):7.2f}  "
              f"total {sum(values) / 1000:6.2f} s")
    print(f"same hits, order and scores: {same} of {compared}; left to Whoosh whole: {left_to_whoosh}; "
          f"kept postings {kept.kept_bytes / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
