"""Latency of slash commands as the bot runs them: p50 / p95 / p99 over many queries.

    python -m bench.query_latency --data DIR [--command search] [--rounds 5] [--corpus NAME ...]

Each query runs in this one thread as the bot's query threads run them: searchers are
kept per thread and reopened only after a commit. Every timing includes what the bot
does with the answer: the response model is built, made inert and rendered for the
terminal, and rendered as Discord embeds serialised for sending. A query that ends in a
CommandError (the user is told what to fix) is counted apart, never as a fast answer.
The script's own queries are the fixed list below, each run ROUNDS times after one
warm-up pass; ``python -m bench`` draws its queries from the corpus instead.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from bot.discord.render import render as discord_render
from bot.inert import inert_model
from bot.terminal import Style, render as terminal_render
from commands import CommandContext, CommandError
from commands.base import Response
from commands.line import run_line
from index.library import Library

QUERIES = [
    "troops", "evacuated residents", "government", "election", "\"prime minister\"", "said", "police",
    "economy growth", "strike OR protest", "minister -football", "bank profits", "music award",
    "flood", "mobile phone", "soldiers", "killed", "tax", "workers", "film", "court ruling",
]
PLAIN = Style(color=False)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(timings: Sequence[float]) -> dict:
    if not timings:
        return {"n": 0}
    return {"n": len(timings), "p50": round(percentile(timings, 0.5), 1), "p95": round(percentile(timings, 0.95), 1),
            "p99": round(percentile(timings, 0.99), 1), "max": round(max(timings), 1)}


def answer(context: CommandContext, line: str) -> Response:
    """Everything the bot does for one command but the sending."""
    response = run_line(context, line)
    terminal_render(inert_model(response), PLAIN)
    for page in discord_render(response):
        for embed in page:
            embed.to_dict()
    return response


def timed(context: CommandContext, line: str) -> tuple[float, Response | None]:
    """Milliseconds taken, and the answer (None: the query ended in a CommandError)."""
    started = time.perf_counter()
    try:
        response = answer(context, line)
    except CommandError:
        response = None
    return (time.perf_counter() - started) * 1000, response


def measure(contexts: Sequence[CommandContext], lines: Sequence[str]) -> dict:
    """Latency of answered queries, and failed ones counted apart; the lines are dealt to
    the contexts in turn, as several servers would ask them."""
    answered, failed = [], []
    for number, line in enumerate(lines):
        elapsed, response = timed(contexts[number % len(contexts)], line)
        (answered if response is not None else failed).append(elapsed)
    return {**summary(answered), "failed": len(failed), "failed_p50": round(percentile(failed, 0.5), 1) if failed else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--command", default="search")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", action="append", help="corpora every query may see (repeatable)")
    args = parser.parse_args()
    with Library(args.data) as library:
        context = CommandContext(library=library, corpora=args.corpus or ["default"])
        articles, claims = library.search.doc_counts()
        lines = [f"/{args.command} {query}" for query in QUERIES]
        measure([context], lines)  # warms caches; not counted
        result = measure([context], lines * args.rounds)
    print(f"index: {articles} articles, {claims} claims; /{args.command}, {result['n']} answered, "
          f"{result['failed']} failed (counted apart)")
    if result["n"]:
        print(f"latency ms: p50 {result['p50']}  p95 {result['p95']}  p99 {result['p99']}  max {result['max']}")


if __name__ == "__main__":
    main()
