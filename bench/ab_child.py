"""One side of ``bench/ab.py``: run as a script with PYTHONPATH set to the product code
under test, so that it imports that revision's ``index``, ``commands`` and ``bot``.

    PYTHONPATH=TREE python bench/ab_child.py DATA LINES.json GUILD...

Prints JSON: per-query milliseconds summarised (wall clock, and the CPU time of the
answering thread, which other jobs on a shared machine disturb far less), failures
counted apart, and each
query's answer (the response model of the page asked, hit scores left out) as a digest,
for ``bench/ab.py`` to compare the two sides' answers.
"""

import hashlib
import json
import sys
import time
from pathlib import Path

from bot.discord.render import render as discord_render
from bot.inert import inert_model
from bot.terminal import Style, render as terminal_render
from commands import CommandContext, CommandError
from commands.line import run_line
from index.library import Library

WARM_UP = 5


def answer(context: CommandContext, line: str):
    """What the bot and the CLI do with a command but the sending (as bench/query_latency.py)."""
    response = run_line(context, line)
    terminal_render(inert_model(response), Style(color=False))
    for page in discord_render(response):
        for embed in page:
            embed.to_dict()
    return response


def digest(response) -> str:
    """The answer shown, without search scores (a change of scoring that keeps every
    answer the same is not a change of answers)."""
    def unscored(value):
        if isinstance(value, dict):
            return {key: unscored(item) for key, item in value.items() if key != "score"}
        if isinstance(value, list):
            return [unscored(item) for item in value]
        return value

    shown = json.dumps(unscored(response.model_dump(mode="json")), sort_keys=True)
    return hashlib.sha1(shown.encode("utf-8")).hexdigest()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    data, lines_file, guilds = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    lines = json.loads(lines_file.read_text())
    timings, cpu_timings, failed, answers = [], [], 0, []
    with Library(data, readonly=True) as library:
        contexts = [CommandContext(library=library, corpora=[guild, "shared"]) for guild in guilds]
        cache = getattr(library, "answers", None)  # revisions before the answer cache have none
        for number, line in enumerate(lines[:WARM_UP] + lines):
            if cache is not None:
                cache.clear()
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                response = answer(contexts[number % len(contexts)], line)
            except CommandError as refused:
                if number >= WARM_UP:
                    failed += 1
                    answers.append(f"refused: {refused}")
                continue
            if number >= WARM_UP:
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append((time.thread_time() - cpu_started) * 1000)
                answers.append(digest(response))
        articles, claims = library.search.doc_counts()
    print(json.dumps({"n": len(timings), "failed": failed, "total_ms": sum(timings), "articles": articles,
                      "answers": answers,
                      "claims": claims, **{f"p{share}": percentile(timings, share / 100) for share in (50, 95, 99)},
                      "cpu_total_ms": sum(cpu_timings),
                      **{f"cpu_p{share}": percentile(cpu_timings, share / 100) for share in (50, 95, 99)}}))


if __name__ == "__main__":
    main()
