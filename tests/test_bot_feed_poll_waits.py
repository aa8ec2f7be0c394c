"""Scheduled feed polls and long writes do not block each other, and say so once.

The bot polls feeds every minute in its ingest worker process, which also runs /ingest
and shares the data folder's single writer with `claimdesk ingest`. A poll that would
only wait behind another writer is left for a later minute with one log line, however
many minutes that lasts; the scheduler's job itself always returns at once, so
APScheduler never skips a run and warns about it every minute. The feed, its story and
the ingested batch are fictional, written for these tests.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fakediscord import FakeDiscord, Upload
from feedserver import RSS_TYPE, Item, Reply, rss, serving
from test_bot_burst import fictional_batch
from test_bot_e2e import Records, every_log_line, scenario  # noqa: F401  (a fixture)

from bot import jobs
from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus
from bot.discord import worker
from bot.discord.worker import with_library
from index.feeds import FeedStore
from index.library import Library
from index.locking import writer_lock

FERRY = ("The ferry between Orvik and Little Skerry will stop for 9 days from Monday while its ramp is repaired, "
         "the harbour board said on Tuesday. The board's chair, Dagny Sole, said 1,300 passengers a day would be "
         "carried by two chartered boats instead.")


async def run_the_scheduled_poll(bot: ClaimdeskBot) -> None:
    """What the scheduler's job does every minute, and the poll it started, if it started one."""
    started = bot.digests.start_feed_poll()
    if started is not None:
        await asyncio.wait_for(started, 60)


def test_feed_polls_wait_for_other_writers_and_say_so_once(tmp_path: Path, every_log_line: Records) -> None:
    seen: dict[str, object] = {}

    @scenario(examples=False, allow_private_fetch=True, poll_feeds=False)
    async def body(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
        with serving() as server:
            item = Item(title="Orvik ferry stops for 9 days", text=FERRY, link=server.url("/news/ferry"),
                        guid="ferry-1", published=datetime(2026, 5, 4, tzinfo=timezone.utc))
            server.routes["/ferry.xml"] = Reply(rss("Fictional Harbour Notices", [item]),
                                                headers={"Content-Type": RSS_TYPE})
            FeedStore(bot.library.store).add(guild_corpus(fake.guild.id), server.url("/ferry.xml"), title=None,
                                              channel_id=fake.channel.id, interval=timedelta(minutes=15),
                                              now=datetime.now(timezone.utc) - timedelta(minutes=1))

            # `claimdesk ingest` in another process, as far as the worker can tell: it holds the writer lock.
            with writer_lock(bot.settings.data / "writer.lock", timeout=0):
                started = asyncio.get_running_loop().time()
                for _ in range(3):
                    await run_the_scheduled_poll(bot)
                seen["seconds_deferred"] = asyncio.get_running_loop().time() - started
                seen["fetched_while_locked"] = len(server.hits("/ferry.xml"))
            await run_the_scheduled_poll(bot)
            seen["fetched_after"] = len(server.hits("/ferry.xml"))

            ingesting = await fake.invoke_slash("ingest", {"file": Upload("desk.jsonl", fictional_batch(30))},
                                                user=fake.owner)
            await fake.wait_until(lambda: bot.ingester.ingesting, 10, "the /ingest in the worker")
            for _ in range(3):
                await jobs.poll_feeds()
                seen.setdefault("idle_during_ingest", []).append(bot.digests.idle)  # type: ignore[union-attr]
            await ingesting.wait_until(lambda r: r.followups, 90, "the /ingest's report")

    body(tmp_path)
    # Deferred at once, not after waiting for the lock (up to a minute) three times over.
    assert seen["seconds_deferred"] < 30
    assert seen["fetched_while_locked"] == 0
    assert seen["fetched_after"] == 1
    assert seen["idle_during_ingest"] == [True, True, True]  # no poll queued behind the ingest
    lines = [line for line in every_log_line.lines if not line.startswith("fakediscord")]
    waits = [line for line in lines if "feed polls wait" in line]
    assert len(waits) == 2, waits  # once per spell, not once a minute
    assert "another claimdesk process is writing" in waits[0] and "/ingest is running" in waits[1]
    assert len([line for line in lines if "feed polls resumed" in line]) == 1
    assert not [line for line in lines if "maximum number of running instances" in line or "Traceback" in line]


def test_the_worker_keeps_one_library_and_opens_it_afresh_after_a_failed_job(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = with_library(data, lambda library: library)
    assert with_library(data, lambda library: library) is first  # kept between jobs

    def failing(library: Library) -> None:
        raise OSError("No space left on device")

    with pytest.raises(OSError):
        with_library(data, failing)
    again = with_library(data, lambda library: library)
    assert again is not first and again.store.count() == 0  # opened afresh, and it works
    _, close = worker._libraries.pop(data)  # this process is no worker: close what it kept
    close()
