"""Where a /claims query spends its time, stage by stage, on a data folder.

    python -m bench.claims_stages --data DIR [--corpus guild-1 --corpus shared] [--queries 200] [--warm 5] [--profile OUT] [--cpu]

Each query line is drawn from the folder's own articles (``bench/query_mix.py``) and
answered with the answer cache emptied first (the cost of a question asked for the first
time), through the same functions ``/claims`` calls, timed one by one: the Whoosh search,
the claims' rows read and parsed, their articles' heads read, grouping and ranking
(``RankedGroups``), building the lone quotes page 1 shows, and the response rendered as
the bot sends it. Prints each stage's share of the total and the
whole query's p50/p95; ``--profile`` also writes a cProfile of the whole run. ``--warm N``
first answers N other lines, untimed, as a bot that has been answering for a while has
(the decoded postings and visible sets it keeps; the answer cache is emptied anyway).
"""

from __future__ import annotations

import argparse
import cProfile
import random
import time
from collections import defaultdict
from pathlib import Path

from bench.query_latency import percentile
from bench.query_mix import Vocabulary
from bot.discord.render import render as discord_render
from commands import CommandContext, CommandError
from commands.claims import CLAIM_HITS, PER_PAGE, ClaimsArgs
from commands.claims import run as run_claims
from commands.grouping import ClaimHit, RankedGroups
from commands.synonyms import search_terms
from index.library import Library
from index.names import same_speaker
from index.query import QueryError, parse_query

STAGES = ("search", "claims", "articles", "grouping", "page 1", "response", "render")


def sample_records(library: Library, corpora: list[str], count: int) -> list[dict]:
    """Article texts for the query vocabulary, read from the folder itself."""
    rows = library.store._db.execute(  # a bench reading the store's table directly: no product API lists texts
        f"SELECT text, outlet FROM articles WHERE corpus IN ({','.join('?' * len(corpora))}) ORDER BY id LIMIT ?",
        (*corpora, count),
    ).fetchall()
    return [{"text": row[0], "outlet": row[1]} for row in rows]


def staged(context: CommandContext, line: str, timings: dict[str, list[float]], clock_of=time.perf_counter) -> bool:
    """One /claims line through its stages; False when the query is refused."""
    text = line.removeprefix("/claims ").strip()
    try:
        query = parse_query(text)
    except QueryError:
        return False
    store = context.library.store
    clock = clock_of()

    def lap(stage: str) -> None:
        nonlocal clock
        now = clock_of()
        timings[stage].append((now - clock) * 1000)
        clock = now

    try:
        found = context.library.search.search_claims(query, context.corpora, limit=CLAIM_HITS, expand=search_terms)
    except QueryError:
        return False
    lap("search")
    claims = store.claims_at([(h.corpus, h.article_id, h.seq) for h in found if h.seq is not None])
    lap("claims")
    articles = store.heads(sorted({(h.corpus, h.article_id) for h in found}))
    lap("articles")
    hits = [ClaimHit.from_article(claims[(h.corpus, h.article_id, h.seq)], articles[(h.corpus, h.article_id)], h.score)
            for h in found if (h.corpus, h.article_id, h.seq) in claims and (h.corpus, h.article_id) in articles]
    ranked = RankedGroups(hits, query.positive_terms, same_speaker)
    lap("grouping")  # drafts, links, every group built but single articles' lone quotes, ranking
    ranked[0:PER_PAGE]
    lap("page 1")  # the lone quotes page 1 shows, built
    context.library.answers.clear()
    try:
        response = run_claims(context, ClaimsArgs(query=text))
    except CommandError:
        return False
    lap("response")  # the whole command again: what the stages above add up to, as /claims runs them
    for page in discord_render(response):
        for embed in page:
            embed.to_dict()
    lap("render")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--corpus", action="append", help="corpora the queries see (default guild-1 and shared)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--warm", type=int, default=5, help="lines answered first, untimed (default 5)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the staged queries here")
    parser.add_argument("--cpu", action="store_true",
                        help="time the thread's CPU, not the wall clock (steadier while other jobs share the machine)")
    args = parser.parse_args()
    corpora = args.corpus or ["guild-1", "shared"]
    with Library(args.data, readonly=True) as library:
        context = CommandContext(library=library, corpora=corpora)
        vocabulary = Vocabulary(sample_records(library, corpora, 2000))
        rng = random.Random(11)
        for line in vocabulary.lines("claims", args.warm, rng):
            staged(context, line, defaultdict(list))  # this thread's searchers opened; not counted
        timings: dict[str, list[float]] = defaultdict(list)
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        clock_of = time.thread_time if args.cpu else time.perf_counter
        answered = sum(staged(context, line, timings, clock_of) for line in vocabulary.lines("claims", args.queries, rng))
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        articles, claims = library.search.doc_counts()
    parts = {stage: sum(timings[stage]) for stage in STAGES if stage not in {"response", "render"}}
    whole = sum(parts.values())
    print(f"index: {articles} articles, {claims} claims; corpora {', '.join(corpora)}; {answered} queries answered "
          f"after {args.warm} untimed")
    for stage, spent in parts.items():
        values = timings[stage]
        print(f"{stage:<9} {100 * spent / whole:5.1f}%  p50 {percentile(values, 0.5):7.1f} ms  "
              f"p95 {percentile(values, 0.95):7.1f} ms")
    staged = [sum(each) for each in zip(*(timings[stage] for stage in parts))]  # each query's stages together
    print(f"first ask (the stages above, each query)  p50 {percentile(staged, 0.5):7.1f} ms  "
          f"p95 {percentile(staged, 0.95):7.1f} ms")
    for stage in ("response", "render"):
        values = timings[stage]
        print(f"{stage:<9} (whole /claims, cache emptied)  p50 {percentile(values, 0.5):7.1f} ms  "
              f"p95 {percentile(values, 0.95):7.1f} ms" if stage == "response" else
              f"{stage:<9} (Discord embeds)  p50 {percentile(values, 0.5):7.1f} ms  p95 {percentile(values, 0.95):7.1f} ms")


if __name__ == "__main__":
    main()
