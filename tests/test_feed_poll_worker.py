"""The bot's scheduled feed poll runs in its ingest worker process, by the bot's clock.

A poll fetches, extracts claims and indexes for seconds at a time; in a thread of the
bot's process it would hold the GIL that the event loop and the query threads need.
Here a loopback feed server looks up which process holds the client end of each
request (Linux ``/proc``), and the feed is due only by the bot's shifted clock, never by
real time, so a worker that read the real time would never poll it.

The feed and its article are fictional, written for this test.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fakediscord import fake_discord, run_async
from feedserver import HTML_TYPE, RSS_TYPE, Item, Reply, page, rss, serving
from test_bot_e2e import answer
from test_digest_bot import ShiftedClock, advance, clock, eventually  # noqa: F401  (clock is a fixture)

from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus
from bot.settings import Settings
from index.feeds import FeedStore
from index.library import Library

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads sockets' owners from /proc")

BRIDGE = ("The county roads office said on Thursday that the Selby river bridge would close for 11 weeks from "
          "May for repairs to its bearings, and that a temporary crossing for 2,400 vehicles a day would open "
          "two kilometres downstream.\n\nThe office's engineer, Ruth Okafor, said the bearings had worn faster "
          "than expected after the floods of the last two winters.")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found |= {int(child)} | _children(int(child))
    return found


def socket_owner(port: int, candidates: set[int]) -> int | None:
    """Which of ``candidates`` holds the TCP socket bound locally to ``port``."""
    inodes = {f"socket:[{fields[9]}]" for table in ("/proc/net/tcp", "/proc/net/tcp6")
              for fields in (line.split() for line in Path(table).read_text().splitlines()[1:])
              if int(fields[1].rsplit(":", 1)[1], 16) == port}
    for pid in candidates:
        try:
            if any(os.readlink(fd) in inodes for fd in Path(f"/proc/{pid}/fd").iterdir()):
                return pid
        except (FileNotFoundError, PermissionError):  # a process that ended meanwhile
            continue
    return None


def test_the_scheduled_poll_fetches_and_extracts_in_the_worker_by_the_bots_clock(tmp_path: Path,
                                                                                  clock: ShiftedClock) -> None:  # noqa: F811
    data = tmp_path / "data"
    bot_process = os.getpid()
    fetched_by: list[int | None] = []

    async def main() -> None:
        async with fake_discord() as fake:
            settings = Settings(_env_file=None, data=data, dev_guild=fake.guild.id, allow_private_fetch=True,
                                fetch_timeout=10, shared_corpus=None)
            with serving() as server:
                def feed(headers: dict[str, str]) -> Reply:
                    # The client's socket is open while it waits for this reply.
                    fetched_by.append(socket_owner(server.client_ports[-1], {bot_process, *_children(bot_process)}))
                    item = Item(title="Selby bridge to close for 11 weeks", summary=BRIDGE[:80], guid="roads-1",
                                link=server.url("/news/selby-bridge"),
                                published=datetime(2026, 4, 2, tzinfo=timezone.utc))
                    return Reply(rss("County Roads Bulletin", [item]), headers={"Content-Type": RSS_TYPE})

                server.routes["/roads.xml"] = feed
                server.routes["/news/selby-bridge"] = Reply(page("Selby bridge to close for 11 weeks", BRIDGE,
                                                                 site="County Roads Bulletin"),
                                                            headers={"Content-Type": HTML_TYPE})
                # Due two hours from now in real time: only the bot's clock can make it due sooner.
                with Library(data) as library:
                    FeedStore(library.store).add(guild_corpus(fake.guild.id), server.url("/roads.xml"), title=None,
                                                 channel_id=fake.channel.id, interval=timedelta(minutes=30),
                                                 now=datetime.now(timezone.utc) + timedelta(hours=2))
                async with fake.running(ClaimdeskBot(settings, clock=clock.now, **fake.client_kwargs)) as bot:
                    advance(fake, clock, bot, timedelta(hours=3))
                    await eventually(lambda: fetched_by and bot.digests.idle, "the scheduled poll", timeout=60)
                    found = await answer(fake, "claims", {"query": "vehicles"}, timeout=15)
            assert fetched_by[0] is not None and fetched_by[0] != bot_process  # a process the bot started
            assert "2,400 vehicles" in found.embeds[0]["description"] + str(found.embeds[0].get("fields"))
            assert fake.pinging_messages() == []

    run_async(main, timeout=120)
