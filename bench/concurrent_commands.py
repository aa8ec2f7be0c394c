"""Bursts of slash commands and page clicks through the real bot while articles are ingested.

    python -m bench.concurrent_commands [--commands 50] [--ingest 1000] [--base 200] [--guilds 3]
                                        [--every 15] [--json PATH]

The bot (``ClaimdeskBot``, the real discord.py client) runs in its own process, as
``claimdesk run`` does, connected to the project's fake Discord (``tests/fakediscord``),
which runs in this process: the fake's own work never shares the bot's event loop or
GIL, as Discord's servers would not. K servers each read their own corpus plus a shared one; BASE generated
fictional articles (``bench/fictional_corpus.py``) are ingested first, so the commands
have something to find. Then ``claimdesk ingest`` (``python -m bot.cli ingest``, its own
process and extraction workers, as an operator runs it) ingests INGEST more articles
into the shared corpus, and bursts of COMMANDS interactions are fired at once — /claims,
/search, /who and page-turning clicks, dealt over the servers — the first 5 s into the
ingest or at its first commit, whichever comes first, then every EVERY seconds until
the ingest ends; each burst is answered before the next.

For every interaction the fake's clock gives the acknowledgement latency (from the
gateway's INTERACTION_CREATE to the fake's receipt of the initial response or deferral;
Discord refuses it after 3 s) and the time to the final answer (the last message sent
or edited for it). During each burst SUGGEST members also type a /who name: the time from
typing to the suggestions (Discord drops them after 3 s) is printed apart. Also printed:
how late the bot's event loop woke from a 50 ms sleep
while it served (a blocked loop shows here first), the bot's peak RSS, and the ingest's
own rate.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bench import fictional_corpus
from bench.ingest_speed import ingest_in_child
from bench.query_latency import summary
from bench.query_mix import Vocabulary
from bench.scale_corpus import write_chunks

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the fake Discord lives with the tests

from fakediscord import (FakeDiscord, FakeMessage, FakeUser, InteractionRecord, fake_discord,  # noqa: E402
                         point_discord_py_at)
from fakediscord.world import FakeChannel  # noqa: E402

from bot.discord.runner import run_bot, sync  # noqa: E402
from bot.discord.tenancy import guild_corpus  # noqa: E402
from bot.settings import Settings  # noqa: E402
from index.faults import DATABASE_NAME  # noqa: E402
from index.store import Store  # noqa: E402

SHARED = "shared"
KINDS = ("claims", "search", "who", "page")
FIRST_BURST_AFTER = 5.0  # seconds into the ingest, unless its first batch is committed sooner
ANSWER_TIMEOUT = 180.0  # seconds a burst may take to be answered before the run gives up on it
LAG_PROBE = 0.05  # seconds the loop-lag probe sleeps
INGEST_CHUNK = 100  # articles per file given to `claimdesk ingest`
SUGGEST = 5  # /who names typed (autocomplete) during each burst


@dataclass
class Newsroom:
    """One server: its channel, the member who asks, and that member's answers that have pages."""

    channel: FakeChannel
    user: FakeUser
    corpus: str
    paged: list[FakeMessage]


@dataclass
class Fired:
    kind: str
    record: InteractionRecord
    during_ingest: bool = True

    @property
    def finished(self) -> bool:
        return bool(self.record.rejections) or self.record.answered_at is not None

    def ack_ms(self) -> float | None:
        arrived = self.record.callback_at
        return None if arrived is None else (arrived - self.record.created_at) * 1000

    def answer_ms(self) -> float | None:
        answered = self.record.answered_at
        return None if answered is None else (answered - self.record.created_at) * 1000

    @property
    def acknowledged(self) -> bool:
        """In time: the fake refuses an initial response after Discord's 3 s."""
        return self.record.response_type is not None


def write_corpora(folder: Path, corpora: list[str], base: int,
                  ingest: int) -> tuple[dict[str, list[str]], list[Path], list[dict]]:
    """Base articles dealt round-robin to ``corpora`` (a plan for ``ingest_in_child``), the
    files to ingest during the bursts, and the base records (the queries' vocabulary)."""
    rng = random.Random(11)
    records = [fictional_corpus.article(rng, number) for number in range(base)]
    plan = {corpus: [str(p) for p in write_chunks(folder / "base" / corpus, iter(records[k::len(corpora)]))]
            for k, corpus in enumerate(corpora) if records[k::len(corpora)]}
    later = (fictional_corpus.article(rng, number) for number in range(base, base + ingest))
    return plan, write_chunks(folder / "ingest", later, chunk=INGEST_CHUNK), records


class Bursts:
    def __init__(self, fake: FakeDiscord, newsrooms: list[Newsroom], vocabulary: Vocabulary, seed: int = 3) -> None:
        self.fake = fake
        self.newsrooms = newsrooms
        self.vocabulary = vocabulary
        self.rng = random.Random(seed)
        self.suggestions: list[tuple[float | None, bool]] = []

    def _options(self, kind: str) -> dict:
        line = self.vocabulary.lines(kind, 1, self.rng)[0].removeprefix(f"/{kind} ")
        if kind != "who":
            return {"query": line}
        name, _, about = line.partition(" about:")
        return {"name": name, **({"about": about} if about else {})}

    async def suggest(self, room: Newsroom) -> tuple[float | None, bool]:
        """Types the start of a speaker's name into /who: milliseconds to the suggestions
        (None when the fake refused them as later than 3 s), and whether there were any."""
        prefix = self._options("who")["name"][:3]
        started = time.perf_counter()
        try:
            choices = await self.fake.autocomplete("who", "name", {"name": prefix}, user=room.user,
                                                   channel=room.channel, timeout=ANSWER_TIMEOUT)
        except AssertionError:
            return None, False
        return (time.perf_counter() - started) * 1000, bool(choices)

    async def ask(self, kind: str, room: Newsroom) -> InteractionRecord:
        return await self.fake.invoke_slash(kind, self._options(kind), user=room.user, channel=room.channel)

    async def collect_pages(self, wanted: int, attempts: int) -> int:
        """Asks /claims and /who one at a time until ``wanted`` answers with pages exist;
        also opens every query thread's searchers before anything is timed."""
        for attempt in range(attempts):
            if sum(len(room.paged) for room in self.newsrooms) >= wanted:
                break
            room = self.newsrooms[attempt % len(self.newsrooms)]
            record = await self.ask("claims" if attempt % 3 else "who", room)
            await record.wait_until(lambda r: r.rejections or r.answered_at is not None, 60, "a warm-up answer")
            message = record.original
            if message is not None and _turnable(message):
                room.paged.append(message)
        return sum(len(room.paged) for room in self.newsrooms)

    async def burst(self, count: int) -> list[Fired]:
        """``count`` interactions fired at once; returns when all are answered or refused."""
        pages = itertools.cycle([(room, m) for room in self.newsrooms for m in room.paged])
        clickable = sum(len(room.paged) for room in self.newsrooms)
        clicks = 0
        starts: list[tuple[str, Callable[[], Awaitable[InteractionRecord]]]] = []
        for number in range(count):
            kind, room = KINDS[number % len(KINDS)], self.newsrooms[number % len(self.newsrooms)]
            if kind == "page" and clicks < clickable:  # each message turned once a burst
                clicks += 1
                owner, message = next(pages)
                starts.append((kind, lambda o=owner, m=message: self.fake.click_button(m, _turn(m), user=o.user)))
                continue
            kind = "claims" if kind == "page" else kind
            starts.append((kind, lambda k=kind, r=room: self.ask(k, r)))
        typed = [self.suggest(self.newsrooms[k % len(self.newsrooms)]) for k in range(SUGGEST)]
        records, suggestions = await asyncio.gather(asyncio.gather(*(start() for _, start in starts)),
                                                    asyncio.gather(*typed))
        self.suggestions += suggestions
        fired = [Fired(kind, record) for (kind, _), record in zip(starts, records)]
        await self.fake.wait_until(lambda: all(f.finished for f in fired), ANSWER_TIMEOUT, "every answer of the burst")
        return fired


def _turn(message: FakeMessage) -> str:
    """The custom id of the page button to click: Next, or Prev on the last page."""
    buttons = {b["custom_id"].split(":")[2]: b for row in message.components for b in row["components"]}
    return buttons["next" if not buttons["next"].get("disabled") else "prev"]["custom_id"]


def _turnable(message: FakeMessage) -> bool:
    return any(not b.get("disabled") for row in message.components for b in row["components"])


class LoopLag:
    """How late the event loop wakes from a short sleep: time it spent blocked."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _probe(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(LAG_PROBE)
            self.lags.append((loop.time() - started - LAG_PROBE) * 1000)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._probe())
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()


def stored_articles(data: Path) -> int:
    store = Store(data / DATABASE_NAME, readonly=True)
    try:
        return store.count()
    finally:
        store.close()


async def first_commit_or(seconds: float, data: Path, before: int, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and child.poll() is None:
        if await asyncio.to_thread(stored_articles, data) > before:
            return
        await asyncio.sleep(0.25)


async def ingest_runs_for(seconds: float, child: subprocess.Popen) -> bool:
    """Waits up to ``seconds``; whether the ingest is still running then."""
    deadline = time.monotonic() + seconds
    while child.poll() is None and time.monotonic() < deadline:
        await asyncio.sleep(0.25)
    return child.poll() is None


def serve_bot(fake_url: str, data: Path) -> None:
    """The bot process: ``claimdesk sync`` then ``claimdesk run`` (the token in
    DISCORD_TOKEN), pointed at the fake; stops on SIGTERM and prints its event loop's lag."""
    point_discord_py_at(fake_url)
    settings = Settings(_env_file=None, data=data, shared_corpus=SHARED, poll_feeds=False, log_level="WARNING")
    asyncio.run(sync(settings, None))  # globally: every server has the commands

    async def serve() -> dict:
        with LoopLag() as lag:
            await run_bot(settings)
        return summary(lag.lags)

    print(json.dumps(asyncio.run(serve())))


async def scenario(work: Path, *, commands: int, ingest: int, base: int, guilds: int, every: float) -> dict:
    data = work / "data"
    async with fake_discord() as fake:
        rooms = [Newsroom(fake.channel, fake.alice, guild_corpus(fake.guild.id), [])]
        for number in range(2, guilds + 1):
            editor = fake.add_user(f"editor-{number}")
            guild = fake.add_guild(f"Fictional Desk {number}", editor)
            rooms.append(Newsroom(guild.add_text_channel("desk"), editor, guild_corpus(guild.id), []))
        plan, ingest_files, records = write_corpora(work / "corpus", [r.corpus for r in rooms] + [SHARED], base, ingest)
        base_ingest = await asyncio.to_thread(ingest_in_child, data, plan)
        bot = subprocess.Popen([sys.executable, "-m", "bench.concurrent_commands", "--bot", fake.url, "--data",
                                str(data)], cwd=REPO, env={**os.environ, "DISCORD_TOKEN": fake.token},
                               stdout=subprocess.PIPE, text=True)
        try:
            await fake.wait_until(lambda: (fake.commands.list(None) and fake.gateway.active is not None)
                                  or bot.poll() is not None, 120, "the bot to sync and connect")
            if bot.poll() is not None:
                raise RuntimeError(f"the bot process stopped ({bot.returncode}) before it connected")
            bursts = Bursts(fake, rooms, Vocabulary(records))
            paged = await bursts.collect_pages(math.ceil(commands / len(KINDS)), attempts=4 * commands)
            before = await asyncio.to_thread(stored_articles, data)
            started = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-m", "bot.cli", "--data", str(data), "ingest", "--corpus",
                                      SHARED, *map(str, ingest_files)], cwd=REPO, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
            fired: list[Fired] = []
            await first_commit_or(FIRST_BURST_AFTER, data, before, child)
            while True:
                burst_started = time.monotonic()
                burst = await bursts.burst(commands)
                for one in burst:
                    one.during_ingest = child.poll() is None
                fired += burst
                if not await ingest_runs_for(every - (time.monotonic() - burst_started), child):
                    break
            _, errors = await asyncio.to_thread(child.communicate)
            ingest_seconds = time.perf_counter() - started
            after = await asyncio.to_thread(stored_articles, data)
        finally:
            bot.send_signal(signal.SIGTERM)
            output = await asyncio.to_thread(bot.stdout.read)
            _, status, usage = await asyncio.to_thread(os.wait4, bot.pid, 0)
    if child.returncode != 0:
        raise RuntimeError(f"claimdesk ingest failed ({child.returncode}): {errors[-2000:]}")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the bot process failed ({os.waitstatus_to_exitcode(status)})")
    return figures(fired, json.loads(output.strip().splitlines()[-1]), bursts.suggestions, commands=commands,
                   guilds=guilds, paged=paged,
                   base=base_ingest["articles"], ingested=after - before, ingest_seconds=ingest_seconds,
                   bot_rss_mib=round(usage.ru_maxrss / 1024, 1))


def figures(fired: list[Fired], loop_lag: dict, suggestions: list[tuple[float | None, bool]], *, commands: int,
            guilds: int, paged: int, base: int, ingested: int, ingest_seconds: float, bot_rss_mib: float) -> dict:
    during = [f for f in fired if f.during_ingest]
    acks = [ms for f in fired if (ms := f.ack_ms()) is not None]
    answers = [ms for f in fired if (ms := f.answer_ms()) is not None and not f.record.rejections]
    kinds: dict[str, dict] = {}
    for kind in KINDS:
        mine = [f for f in fired if f.kind == kind]
        if mine:
            kinds[kind] = {"n": len(mine), "ack_p95_ms": summary([f.ack_ms() or 0 for f in mine])["p95"],
                           "answer_p95_ms": summary([f.answer_ms() or 0 for f in mine])["p95"]}
    return {
        "per_burst": commands, "bursts": math.ceil(len(fired) / commands), "interactions": len(fired),
        "during_ingest": len(during), "servers": guilds, "answers_with_pages": paged,
        "acknowledged_within_3s": sum(f.acknowledged for f in fired),
        "refused": sum(bool(f.record.rejections) for f in fired),
        "answered": len(answers),
        "ack_ms": summary(acks), "answer_ms": summary(answers), "by_kind": kinds,
        "suggest_ms": summary([ms for ms, _ in suggestions if ms is not None]),
        "suggest_late": sum(ms is None for ms, _ in suggestions),
        "suggest_empty": sum(ms is not None and not offered for ms, offered in suggestions),
        "worst_burst_ack_ms": [round(max((f.ack_ms() or math.inf) for f in fired[k:k + commands]), 1)
                               for k in range(0, len(fired), commands)],
        "bot_loop_lag_ms": loop_lag, "bot_peak_rss_mib": bot_rss_mib,
        "ingest": {"base_articles": base, "articles": ingested, "seconds": round(ingest_seconds, 1),
                   "articles_per_s": round(ingested / ingest_seconds, 1) if ingest_seconds else None},
    }


def run(work: Path, *, commands: int = 50, ingest: int = 1000, base: int = 200, guilds: int = 3,
        every: float = 15.0) -> dict:
    return asyncio.run(scenario(work, commands=commands, ingest=ingest, base=base, guilds=guilds, every=every))


def describe(result: dict) -> list[tuple[str, str]]:
    """Rows for ``python -m bench``'s table."""
    ack, answer, lag, suggest = result["ack_ms"], result["answer_ms"], result["bot_loop_lag_ms"], result["suggest_ms"]
    return [
        (f"{result['per_burst']} commands at once during ingest",
         f"{result['bursts']} burst(s), {result['interactions']} interactions ({result['during_ingest']} while "
         f"{result['ingest']['articles']} articles were ingested at {result['ingest']['articles_per_s']}/s)"),
        ("  acknowledged within 3 s", f"{result['acknowledged_within_3s']} of {result['interactions']} "
                                      f"({result['refused']} refused by the fake)"),
        ("  acknowledgement ms", f"p50 {ack.get('p50')}  p95 {ack.get('p95')}  p99 {ack.get('p99')}  "
                                 f"max {ack.get('max')}"),
        ("  final answer ms", f"p50 {answer.get('p50')}  p95 {answer.get('p95')}  p99 {answer.get('p99')}  "
                              f"max {answer.get('max')}"),
        ("  /who name suggestions ms", f"p50 {suggest.get('p50')}  p95 {suggest.get('p95')}  max "
                                       f"{suggest.get('max')}; {result['suggest_late']} refused as late, "
                                       f"{result['suggest_empty']} empty of {suggest.get('n', 0) + result['suggest_late']}"),
        ("  bot event-loop lag ms", f"p50 {lag.get('p50')}  p99 {lag.get('p99')}  max {lag.get('max')}; "
                                    f"bot peak RSS {result['bot_peak_rss_mib']} MiB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commands", type=int, default=50, help="interactions per burst")
    parser.add_argument("--ingest", type=int, default=1000, help="articles ingested during the bursts")
    parser.add_argument("--base", type=int, default=200, help="articles ingested before the bot starts")
    parser.add_argument("--guilds", type=int, default=3, help="servers, each with its own corpus")
    parser.add_argument("--every", type=float, default=15.0, help="seconds from one burst to the next")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--bot", metavar="FAKE_URL", help=argparse.SUPPRESS)  # the bot process, started by the run
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot:
        serve_bot(args.bot, args.data)
        return
    with tempfile.TemporaryDirectory(prefix="claimdesk-concurrent-") as work:
        result = run(Path(work), commands=args.commands, ingest=args.ingest, base=args.base, guilds=args.guilds,
                     every=args.every)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    width = max(len(name) for name, _ in describe(result))
    print("\n".join(f"{name:<{width}}  {value}" for name, value in describe(result)))
    print(json.dumps({k: result[k] for k in ("by_kind", "worst_burst_ack_ms", "ingest")}))


if __name__ == "__main__":
    main()
