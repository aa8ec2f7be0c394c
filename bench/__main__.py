"""Every claimdesk benchmark in one run: prints a table and writes the figures as JSON.

    python -m bench [--quick] [--scale N] [--guilds K] [--queries Q] [--json PATH] [--skip PART ...]

Steps, in one process tree so that ratios compare like with like on a busy machine:

1. a generated corpus of N articles (``bench/scale_corpus.py``: word-bigram text trained
   on ../shared/data, or ``bench/fictional_corpus.py`` templates without that folder),
   spread over K servers' ``guild-<id>`` corpora and one shared corpus;
2. ``ingest``: ingested as ``claimdesk ingest`` does, in a child process: articles/s with
   and without start-up, peak RSS, index size on disk;
3. ``queries``: /search, /claims and /who drawn from the corpus's vocabulary, each asked
   as a server asks (its corpus plus the shared one), answer rendered for the terminal
   and as Discord embeds; page 2 of each /claims query that has one; failures apart;
4. ``ratios``: extraction against a bare spaCy parse, index writes against bare Whoosh;
5. ``bbc``: the 2,225 BBC articles ingested the same way (needs ../shared/data);
6. ``concurrent``: bursts of 50 slash commands and page clicks through the real bot
   (its own process) against the fake Discord while ``claimdesk ingest`` adds 1,000
   articles (``bench/concurrent_commands.py``): acknowledgement and answer latency.

``--quick`` is CI's smoke run: a few dozen articles, a few dozen queries, one burst of 10
commands during a small ingest, no BBC.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from bench import concurrent_commands, fictional_corpus, machine, real_corpus, scale_corpus
from bench.ingest_speed import disk_usage, ingest_in_child
from bench.query_latency import measure, summary, timed
from bench.query_mix import Vocabulary
from bot.discord.kept_answers import AnswerKeeper, KeptAnswer
from bot.discord.render import render as discord_render
from commands import COMMANDS, CommandContext
from commands import claims as claims_command
from index.faults import DATABASE_NAME
from index.library import Library

SHARED = "shared"
# A smoke run's burst: it checks the harness works, not what the bot sustains.
QUICK_BURST = {"commands": 10, "ingest": 24, "base": 12}
PARTS = ("ingest", "queries", "ratios", "bbc", "concurrent")
MANIFEST = "MANIFEST.json"  # in a corpus folder: the corpus is whole, and what it holds
INGESTED = "ingested.json"  # in a kept work folder: the corpus files its data folder holds
VOCABULARY_ARTICLES = 5000


def generate(folder: Path, count: int, files: int, quick: bool) -> tuple[list[Path], str]:
    """The corpus files, and what kind of text they hold. A folder that holds a finished
    corpus of at least ``count`` articles in the same chunks (its ``MANIFEST``) is reused:
    the generator is seeded, so the first files of a larger corpus are the smaller one."""
    chunk = max(1, min(scale_corpus.CHUNK, math.ceil(count / files)))
    reused = _reusable(folder, count, chunk, quick)
    if reused is not None:
        return reused
    if real_corpus.DATA.exists():
        # A quick run trains on a few hundred articles: the model, not its size, is under test.
        paths = scale_corpus.write(folder, count, train_limit=300 if quick else None, chunk=chunk)
        kind = "generated: word-bigram model of ../shared/data, invented speakers and outlets"
    else:
        print("skipped: the bigram scale corpus (no ../shared/data); generating template fiction instead")
        rng = random.Random(7)
        paths = scale_corpus.write_chunks(folder, (fictional_corpus.article(rng, n) for n in range(count)), chunk)
        kind = "generated: bench/fictional_corpus.py templates"
    manifest = {"articles": count, "chunk": chunk, "quick": quick, "kind": kind, "files": [p.name for p in paths]}
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")  # written last: the corpus is whole
    return paths, kind


def _reusable(folder: Path, count: int, chunk: int, quick: bool) -> tuple[list[Path], str] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("articles", 0) < count or manifest.get("chunk") != chunk or manifest.get("quick") != quick:
        return None
    print(f"reusing the generated corpus in {folder} ({manifest['articles']} articles; the first {count} taken)")
    return [folder / name for name in manifest["files"][:math.ceil(count / chunk)]], manifest["kind"]


def spread(paths: list[Path], guilds: int) -> dict[str, list[str]]:
    """Files dealt round-robin to the servers' corpora and the shared one."""
    corpora = [f"guild-{number}" for number in range(1, guilds + 1)] + [SHARED]
    plan: dict[str, list[str]] = {corpus: [] for corpus in corpora}
    for number, path in enumerate(paths):
        plan[corpora[number % len(corpora)]].append(str(path))
    return {corpus: files for corpus, files in plan.items() if files}


def read_records(paths: list[Path], limit: int = VOCABULARY_ARTICLES) -> Iterator[dict]:
    """Up to ``limit`` records spread evenly over the files: enough to know the corpus's
    vocabulary without holding a large corpus in memory."""
    per_file = max(1, math.ceil(limit / max(1, len(paths))))
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in itertools.islice(filter(str.strip, handle), per_file):
                yield json.loads(line)


def query_figures(data: Path, plan: dict[str, list[str]], records: Iterable[dict], count: int) -> dict:
    vocabulary = Vocabulary(records)
    rng = random.Random(3)
    guilds = [corpus for corpus in plan if corpus != SHARED] or [SHARED]
    figures: dict = {"vocabulary": {"words": len(vocabulary.words), "pairs": len(vocabulary.pairs),
                                    "speakers": len(vocabulary.speakers), "outlets": len(vocabulary.outlets)}}
    with Library(data) as library:
        contexts = [CommandContext(library=library, corpora=[guild, SHARED]) for guild in guilds]
        for command in ("search", "claims", "who"):
            warm_up, lines = vocabulary.lines(command, 5, rng), vocabulary.lines(command, count, rng)
            if not lines:
                figures[command] = {"n": 0, "skipped": "no speakers found in the corpus"}
                continue
            measure(contexts, warm_up)  # opens this thread's searchers; not counted
            figures[command] = measure(contexts, lines)
        figures.update(_page_two(contexts, vocabulary.lines("claims", count, rng), data))
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def _page_two(contexts: list[CommandContext], lines: list[str], kept: Path) -> dict:
    """Page 2 of a /claims query just asked, where the answer has a page 2: as the
    library serves it (its answer cache), and worked out again with the cache emptied
    (what every page cost before the cache), side by side in one run. And a bot page
    turn: what the page buttons do for the next group (``bot.discord.pager``): the kept
    answer read from ``answers.sqlite3``, the command run for that group's page, the page
    rendered as embeds; without the event loop and the HTTP edit."""
    cached, recomputed, turns = [], [], []
    keeper = AnswerKeeper(kept)
    try:
        for number, line in enumerate(lines):
            context = contexts[number % len(contexts)]
            _, first = timed(context, line)
            if first is None or first.total_groups <= first.per_page:
                continue
            elapsed, second = timed(context, f"{line} page:2")
            if second is None:
                continue
            cached.append(elapsed)
            context.library.answers.clear()
            recomputed.append(timed(context, f"{line} page:2")[0])
            turns.append(_bot_page_turn(keeper, context, line.removeprefix("/claims ")))
    finally:
        keeper.close()
    return {"claims_page2": {**summary(cached), "asked": len(lines)}, "claims_page2_recomputed": summary(recomputed),
            "bot_page_turn": summary(turns)}


def _bot_page_turn(keeper: AnswerKeeper, context: CommandContext, query: str) -> float:
    """Milliseconds for the pager to show group 2 of an answer just sent (bot page 2,
    which is the command's page 1 again: the bot shows one group a page)."""
    key = keeper.keep(KeptAnswer(guild_id=1, owner_id=1, command="claims", args={"query": query, "page": 1},
                                 per_command_page=claims_command.PER_PAGE))
    group = 1  # the second group, 0-based, as the pager counts
    started = time.perf_counter()
    answer = keeper.recall(key)
    command = COMMANDS[answer.command]
    args = command.args.model_validate(answer.args)
    response = command(context, args.model_copy(update={"page": group // answer.per_command_page + 1}))
    for embed in discord_render(response)[group % answer.per_command_page]:
        embed.to_dict()
    return (time.perf_counter() - started) * 1000


def _ingested(work: Path) -> list[str]:
    try:
        return json.loads((work / INGESTED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def _without(plan: dict[str, list[str]], held: list[str]) -> dict[str, list[str]]:
    """The plan's files that the data folder does not hold yet."""
    done = set(held)
    return {corpus: [path for path in paths if path not in done] for corpus, paths in plan.items()}


def _articles_held(data: Path) -> int:
    with Library(data, readonly=True) as library:
        return library.store.count()


def _rate(articles: int, seconds: float) -> float | None:
    return round(articles / seconds, 1) if seconds else None


def bbc_ingest(work: Path) -> dict | None:
    bbc = real_corpus.DATA / "bbc"
    if not bbc.is_dir():
        print(f"skipped: BBC ingest (no {bbc})")
        return None
    paths = [work / "bbc.jsonl"]
    real_corpus.write(paths[0], only=["bbc"])
    result = ingest_in_child(work / "data-bbc", {SHARED: [str(p) for p in paths]})
    return {**result, "articles_per_s": round(result["articles"] / result["seconds_in_ingest_paths"], 1)}


def table(results: dict) -> str:
    rows = [("machine", f"{results['machine']['cores']} cores, {results['machine']['memory_gib']} GiB, "
                        f"{results['machine']['cpu']}"),
            ("commit", str(results["commit"])),
            ("load average at start / end", f"{results['load_start']} / {results['load_end']}"),
            ("corpus", f"{results['corpus']['articles']} articles over {results['corpus']['corpora']} corpora "
                       f"({results['corpus']['kind']})")]
    ingest = results.get("ingest")
    if ingest:
        rows += [("ingest", f"{ingest['articles']} articles added ({ingest['failed']} failed) to a folder holding "
                            f"{ingest['held_before']} corpus files; now {ingest['articles_in_index']} articles, "
                            f"{ingest['claims']} claims"),
                 ("ingest articles/s (in ingest_paths)", f"{ingest['articles_per_s']}"),
                 ("ingest articles/s (whole process)", f"{ingest['articles_per_s_with_startup']}"),
                 ("ingest peak RSS", f"{ingest['peak_rss_mib']} MiB")]
    size = results.get("size")
    if size:
        rows.append(("index size on disk", f"{size['total_mb']} MB (SQLite {size['sqlite_mb']}, Whoosh articles "
                                           f"{size['whoosh_articles_mb']}, claims {size['whoosh_claims_mb']})"))
    for name, label in (("search", "/search"), ("claims", "/claims"), ("who", "/who"),
                        ("claims_page2", "/claims page 2 (answer cache)"),
                        ("claims_page2_recomputed", "/claims page 2 (cache emptied)"),
                        ("bot_page_turn", "bot page turn to group 2")):
        figure = (results.get("queries") or {}).get(name)
        if figure and figure.get("n"):
            rows.append((f"{label} ms", f"p50 {figure['p50']}  p95 {figure['p95']}  "
                         f"p99 {figure['p99']}  max {figure['max']}  (n {figure['n']}, failed {figure.get('failed', 0)})"))
    if (results.get("queries") or {}).get("peak_rss_mib"):
        rows.append(("query process peak RSS", f"{results['queries']['peak_rss_mib']} MiB"))
    ratios = results.get("ratios")
    if ratios:
        extraction, writes = ratios["extraction_vs_bare_parse"], ratios["index_write_vs_bare_whoosh"]
        rows += [("extraction / bare spaCy parse", f"{extraction['ratio']}x ({extraction['extract_s']} s vs "
                                                   f"{extraction['bare_parse_s']} s, {extraction['articles']} articles)"),
                 ("index write / bare Whoosh", f"{writes['ratio']}x ({writes['claimdesk_write_s']} s vs "
                                               f"{writes['bare_whoosh_s']} s, {writes['claims']} claims)")]
    bbc = results.get("bbc")
    if bbc:
        rows += [("BBC ingest articles/s (in ingest_paths)", f"{bbc['articles_per_s']} ({bbc['articles']} articles)"),
                 ("BBC ingest peak RSS", f"{bbc['peak_rss_mib']} MiB")]
    if results.get("concurrent"):
        rows += concurrent_commands.describe(results["concurrent"])
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="CI's smoke run: tiny corpus, few queries, no BBC")
    parser.add_argument("--scale", type=int, help="generated articles (default 10000; 24 with --quick)")
    parser.add_argument("--guilds", type=int, default=3, help="servers the corpus is spread over, besides the shared corpus")
    parser.add_argument("--queries", type=int, help="queries per command (default 200; 20 with --quick)")
    parser.add_argument("--ratio-articles", type=int, help="articles for the ratios (default 200; 8 with --quick)")
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave a part out (repeatable)")
    parser.add_argument("--json", type=Path, help="where to write the figures (default: a file in the temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (corpus and data folders)")
    parser.add_argument("--work", type=Path, help="a work folder kept between runs: its corpus is reused and its data "
                                                  "folder grows, ingesting only the files it does not hold yet")
    parser.add_argument("--ingest-budget", type=float, metavar="SECONDS",
                        help="start no corpus file after this many seconds of ingest; queries run on what was ingested")
    args = parser.parse_args()
    scale = args.scale or (24 if args.quick else 10_000)
    queries = args.queries or (20 if args.quick else 200)
    ratio_articles = args.ratio_articles or (8 if args.quick else 200)
    skip = set(args.skip) | ({"bbc"} if args.quick else set())
    keep = args.keep or args.work is not None

    results: dict = {**machine.describe(), "load_start": machine.load_average(), "quick": args.quick}
    work = args.work or Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        paths, kind = generate(work / "corpus", scale, args.guilds + 1, args.quick)
        plan = spread(paths, args.guilds)
        data = work / "data"
        held = _ingested(work)
        results["corpus"] = {"articles": scale, "corpora": len(plan), "kind": kind}
        # --skip ingest queries the data folder as it is; a folder without data is filled first.
        wanted = "ingest" not in skip or ("queries" not in skip and not (data / DATABASE_NAME).exists())
        todo = _without(plan, held)
        if wanted and not any(todo.values()):
            print(f"ingest skipped: the data folder holds all {len(held)} files of the corpus already")
        elif wanted:
            ingest = ingest_in_child(data, todo, budget_s=args.ingest_budget, record=work / INGESTED)
            ingest.pop("files_done")  # recorded by the child, file by file
            results["size"] = disk_usage(data)
            results["ingest"] = {**ingest, **results["size"], "held_before": len(held),
                                 "articles_per_s": _rate(ingest["articles"], ingest["seconds_in_ingest_paths"]),
                                 "articles_per_s_with_startup": _rate(ingest["articles"], ingest["wall_seconds_with_startup"])}
            results["corpus"]["articles"] = ingest["articles_in_index"]
        if "queries" not in skip:
            results["corpus"]["articles"] = _articles_held(data)
            results.setdefault("size", disk_usage(data))
            results["queries"] = query_figures(data, plan, read_records(paths), queries)
        if "ratios" not in skip:
            from bench import ratios  # loads spaCy in this process: only when asked

            results["ratios"] = ratios.run(paths, ratio_articles)
        if "concurrent" not in skip:
            results["concurrent"] = concurrent_commands.run(work / "concurrent", **(QUICK_BURST if args.quick else {}))
        if "bbc" not in skip:
            results["bbc"] = bbc_ingest(work)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    results["load_end"] = machine.load_average()
    results["seconds"] = round(time.perf_counter() - started, 1)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = args.json or Path(tempfile.gettempdir()) / f"claimdesk-bench-{stamp}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(f"figures: {out}" + (f"; work folder kept: {work}" if keep else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
