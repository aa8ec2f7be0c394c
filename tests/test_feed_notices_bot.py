"""The scheduled feed poll inside the bot: a feed that keeps failing is polled by the
real job against a loopback server, and its managers are told once, in the channel the
feed was added from, pinging no one. Needs ``index.feeds`` (the feeds work)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fakediscord import fake_discord, run_async
from test_digest_bot import ShiftedClock, advance, clock, eventually  # noqa: F401  (clock is a fixture)

from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus
from bot.settings import Settings
from index.library import Library

feeds = pytest.importorskip("index.feeds")


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
                        await eventually(lambda: len(hits) > polls, "a poll")
                    await eventually(lambda: fake.channel_messages(), "the notice")
            [notice] = fake.channel_messages()
            assert "Fictional \\*Gazette\\*" in notice.content and "failed" in notice.content  # markup escaped
            assert notice.allowed_mentions == {"parse": []} and fake.pinging_messages() == []

    run_async(main, timeout=120)
