"""Digests and feeds together, with the real ``index.feeds`` (the feeds work) against a
loopback server: what a feed held when it was added never floods a digest, and the
bot's scheduled feed poll tells a failing feed's managers once, in the channel the feed
was added from, pinging no one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fakediscord import fake_discord, run_async
from test_digest_bot import ShiftedClock, advance, clock, eventually  # noqa: F401  (clock is a fixture)

from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus
from bot.settings import Settings
from commands.base import CommandContext
from commands.digest import build_digest
from index.digests import DigestBook
from index.library import Library

feeds = pytest.importorskip("index.feeds")
feedserver = pytest.importorskip("feedserver")

# Fictional, written for this test.
HARBOUR = ("The harbour board said on Monday that 240 berths would close for repairs until June, and that "
           "ferries to Skall would leave from the north quay meanwhile.\n\n"
           "The repairs, to the pilings of the south quay, were planned two years ago and delayed twice, "
           "the board's engineer, Tove Brandt, told reporters at the quay.\n\n"
           "Fishing crews who use the berths said they had been offered places at the old timber wharf, "
           "which one skipper described as too shallow for boats of any size at low tide.")
SCHOOL = ("The district school office said 1,150 pupils would move to the new Lindvik school in August, "
          "about 300 fewer than the 1,450 the council had planned for.\n\n"
          "The office said the difference came from families who had moved out of the district since the plan "
          "was drawn up, and from a smaller first year than expected.\n\n"
          "Parents at the old school on Brook Street said they welcomed the move but worried about the walk "
          "along the ring road, which has no crossing near the new site.")


@contextmanager
def broken_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/feed.xml", hits
    finally:
        server.shutdown()
        server.server_close()


def test_a_failing_feed_is_reported_once_in_its_channel(tmp_path: Path, clock: ShiftedClock) -> None:  # noqa: F811
    data = tmp_path / "data"

    async def main() -> None:
        async with fake_discord() as fake:
            settings = Settings(_env_file=None, data=data, dev_guild=fake.guild.id, allow_private_fetch=True,
                                fetch_timeout=5)
            with broken_server() as (url, hits):
                with Library(data) as library:
                    feeds.FeedStore(library.store).add(
                        guild_corpus(fake.guild.id), url, title="Fictional *Gazette*", channel_id=fake.channel.id,
                        interval=timedelta(minutes=10), now=clock.now())
                async with fake.running(ClaimdeskBot(settings, clock=clock.now, **fake.client_kwargs)) as bot:
                    for _ in range(5):  # the feed backs off after each failure; a day passes each time
                        polls = len(hits)
                        advance(fake, clock, bot, timedelta(days=1))
                        # A poll still running when the clock moves would make the scheduler skip the next.
                        await eventually(lambda: len(hits) > polls and bot.digests.idle, "a poll")
                    await eventually(lambda: fake.channel_messages(), "the notice")
            [notice] = fake.channel_messages()
            assert "Fictional \\*Gazette\\*" in notice.content and "failed" in notice.content  # markup escaped
            assert notice.allowed_mentions == {"parse": []} and fake.pinging_messages() == []

    run_async(main, timeout=120)


def test_a_feeds_first_poll_never_floods_a_digest(tmp_path: Path) -> None:
    start = datetime.now(timezone.utc) - timedelta(minutes=1)  # the store stamps arrivals with the real time
    with feedserver.serving() as server, Library(tmp_path / "data") as library:
        def item(slug: str, title: str, text: str) -> "feedserver.Item":
            # A teaser in the feed; the article is on its page.
            server.routes[f"/news/{slug}"] = feedserver.Reply(
                feedserver.page(title, text, site="The Fictional Ledger"), headers={"Content-Type": feedserver.HTML_TYPE})
            return feedserver.Item(title=title, summary=text[:60], link=server.url(f"/news/{slug}"), guid=slug,
                                   published=datetime(2026, 3, 2, 7, tzinfo=timezone.utc))

        items = [item("berths", "Harbour berths close for repairs", HARBOUR)]
        server.routes["/feed.xml"] = lambda headers: feedserver.Reply(
            feedserver.rss("The Fictional Ledger", items, site=server.url("/")),
            headers={"Content-Type": feedserver.RSS_TYPE})
        feeds.FeedStore(library.store).add("guild-1", server.url("/feed.xml"), title=None, channel_id=None,
                                           interval=timedelta(minutes=30), now=start)
        options = {"allow_private": True, "timeout": 5.0, "max_bytes": 200_000}
        first = feeds.poll_due_feeds(library, now=start, **options)
        assert first.entries_new == 1  # stored and searchable, as the feed's baseline

        def digest() -> list[str]:
            edition = build_digest(CommandContext(library=library, corpora=["guild-1"]), DigestBook(library.store.path),
                                   since=start, until=datetime.now(timezone.utc) + timedelta(minutes=1))
            return [a.title for s in edition.sections for o in s.outlets for a in o.articles]

        assert digest() == []  # what the feed already held is not news
        items.append(item("pupils", "Pupils move to the new Lindvik school", SCHOOL))
        assert feeds.poll_due_feeds(library, now=start + timedelta(hours=1), **options).entries_new == 1
        assert digest() == ["Pupils move to the new Lindvik school"]

