"""Digests end to end: the real discord.py client and a real APScheduler with its SQLite
job store, against tests/fakediscord, offline.

Time is a shifted clock: the bot's due times read it, APScheduler's own "now" is pointed
at it (only inside APScheduler's modules, so asyncio's sleeps are untouched), and the
fake Discord's clock moves with it. Advancing it jumps hours without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import apscheduler.executors.base
import apscheduler.schedulers.base
import pytest
from digest_stories import BUDGET, COURT, ELECTION, FLOOD_EARLY, FLOOD_LATE, PING, loaded
from fakediscord import FakeDiscord, FakeMessage, fake_discord, run_async

from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus
from bot.settings import Settings
from index.digests import DigestBook
from index.library import Library

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class ShiftedClock:
    """Real time plus an offset that tests advance."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + self.offset


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ShiftedClock:
    shifted = ShiftedClock()

    class SchedulerTime(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return datetime.now(tz) + shifted.offset

    monkeypatch.setattr(apscheduler.schedulers.base, "datetime", SchedulerTime)
    monkeypatch.setattr(apscheduler.executors.base, "datetime", SchedulerTime)
    return shifted


Body = Callable[[FakeDiscord, Callable[[], ClaimdeskBot]], Awaitable[None]]


def run(tmp_path: Path, clock: ShiftedClock, body: Body) -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            def new_bot() -> ClaimdeskBot:
                settings = Settings(_env_file=None, data=tmp_path / "data", dev_guild=fake.guild.id,
                                    shared_corpus=None, poll_feeds=False)
                return ClaimdeskBot(settings, clock=clock.now, **fake.client_kwargs)

            await body(fake, new_bot)

    run_async(main, timeout=120)


def advance(fake: FakeDiscord, clock: ShiftedClock, bot: ClaimdeskBot | None, by: timedelta) -> None:
    clock.offset += by
    fake.clock.advance(by.total_seconds())
    if bot is not None:
        bot.digests.scheduler.wakeup()  # it sleeps until the next due time in real seconds


def store(data: Path, corpus: str, stories: list[tuple[str, str, str, str]], at: datetime) -> None:
    with Library(data) as library:
        report = library.ingest([loaded(story, corpus, at) for story in stories])
    assert not report.failures


async def eventually(predicate: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    """Polls state the fake does not announce (the ledger) until it holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def answer(fake: FakeDiscord, command: str, options: dict[str, Any] | None = None, **kwargs: Any
                 ) -> FakeMessage:
    record = await fake.invoke_slash(command, options, **kwargs)
    await record.wait_until(lambda r: r.rejections or (r.original is not None and not r.original.loading),
                            15.0, f"the answer to /{command}")
    assert not record.rejections, record.rejections
    return record.original


def text_of(message: FakeMessage) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title", ""), embed.get("description", ""), embed.get("footer", {}).get("text", ""),
                  embed.get("author", {}).get("name", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def digest_posts(fake: FakeDiscord, channel: Any) -> list[FakeMessage]:
    return [m for m in fake.channel_messages(channel) if m.webhook_id is None]


# ----------------------------------------------------------------- commands


def test_digest_commands_are_for_server_managers_only(tmp_path: Path, clock: ShiftedClock) -> None:
    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        async with fake.running(new_bot()):
            stored = fake.commands.find(fake.guild.id, "digest")
            assert int(stored["default_member_permissions"]) == 1 << 5  # Manage Server
            assert {o["name"] for o in stored["options"]} == {"subscribe", "list", "unsubscribe", "preview"}
            with pytest.raises(PermissionError, match="default_member_permissions"):
                await fake.invoke_slash("digest list", user=fake.bob)
            stored["default_member_permissions"] = None  # a server opens it to everyone ...
            refused = await answer(fake, "digest subscribe", {
                "channel": fake.channel, "schedule": "daily 07:30", "timezone": "Europe/Berlin"}, user=fake.bob)
            assert refused.ephemeral  # ... and the bot still refuses
            assert refused.content == "Only members with the Manage Server permission can use /digest subscribe."
            assert DigestBook(tmp_path / "data" / "claimdesk.sqlite3").subscriptions() == []

    run(tmp_path, clock, body)


def test_a_channel_the_bot_cannot_post_in_is_refused(tmp_path: Path, clock: ShiftedClock) -> None:
    async def main() -> None:
        view_and_send = (1 << 10) | (1 << 11)
        async with fake_discord(bot_permissions=view_and_send) as fake:
            fake.guild.everyone.permissions &= ~(1 << 14)  # nobody may embed links here
            settings = Settings(_env_file=None, data=tmp_path / "data", dev_guild=fake.guild.id, poll_feeds=False)
            async with fake.running(ClaimdeskBot(settings, clock=clock.now, **fake.client_kwargs)) as bot:
                refused = await answer(fake, "digest subscribe", {
                    "channel": fake.channel, "schedule": "daily 07:30", "timezone": "UTC"}, user=fake.owner)
                assert refused.ephemeral and "lacks Embed Links" in refused.content
                assert bot.digests.book.subscriptions() == []

    run_async(main, timeout=120)


def test_subscribe_list_preview_and_unsubscribe(tmp_path: Path, clock: ShiftedClock) -> None:
    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        corpus = guild_corpus(fake.guild.id)
        store(tmp_path / "data", corpus, [FLOOD_EARLY], clock.now() - timedelta(days=2))
        store(tmp_path / "data", corpus, [FLOOD_LATE, BUDGET], clock.now() - timedelta(hours=2))
        async with fake.running(new_bot()) as bot:
            options = {"channel": fake.channel, "schedule": "every 25 o'clock", "timezone": "Europe/Berlin"}
            bad = await answer(fake, "digest subscribe", options, user=fake.owner)
            assert bad.ephemeral and "is not a schedule" in bad.content and "daily HH:MM" in bad.content
            bad = await answer(fake, "digest subscribe", options | {"schedule": "daily 25:00"}, user=fake.owner)
            assert "24-hour HH:MM" in bad.content
            bad = await answer(fake, "digest subscribe", options | {"schedule": "daily 07:30",
                                                                    "timezone": "Mars/Olympus"}, user=fake.owner)
            assert "is not a time zone" in bad.content and "Europe/Berlin" in bad.content
            bad = await answer(fake, "digest subscribe", options | {"schedule": "daily 07:30",
                                                                    "topics": 'flood, "unclosed'}, user=fake.owner)
            assert "topic" in bad.content and "Unbalanced quote" in bad.content
            zones = await fake.autocomplete("digest subscribe", "timezone", options | {"timezone": "berl"},
                                            user=fake.owner)
            assert [c["value"] for c in zones] == ["Europe/Berlin"]

            made = await answer(fake, "digest subscribe", options | {"schedule": "every 6 hours",
                                                                     "topics": "evacuated, budget"}, user=fake.owner)
            assert made.ephemeral and "Subscribed: digest 1, every 6 hours (Europe/Berlin)" in text_of(made)
            assert bot.digests.scheduler.get_job("digest-1") is not None

            listed = await answer(fake, "digest list", user=fake.owner)
            assert listed.ephemeral and f"<#{fake.channel.id}>" in text_of(listed)
            assert "`evacuated`, `budget`" in text_of(listed)

            choices = await fake.autocomplete("digest preview", "digest", {"digest": ""}, user=fake.owner)
            assert choices == [{"name": "1 · every 6 hours · evacuated, budget", "value": 1}]
            shown = await answer(fake, "digest preview", {"digest": 1}, user=fake.owner)
            assert shown.ephemeral
            preview = text_of(shown) + "".join(text_of(m) for m in fake.messages.by_id.values() if m.ephemeral)
            # Headlines use the quotes' own words: the articles say "residents", not "people".
            assert "about 5,000 residents (evacuated" in preview and "3,000 residents (evacuated" in preview
            assert "Topic: budget" in preview and "Tarvik Ledger" in preview
            assert digest_posts(fake, fake.channel) == []  # a preview posts nothing

            await answer(fake, "digest unsubscribe", {"digest": 1}, user=fake.owner)
            assert bot.digests.scheduler.get_job("digest-1") is None
            again = await answer(fake, "digest unsubscribe", {"digest": 1}, user=fake.owner)
            assert "no digest 1" in again.content
            listed = await answer(fake, "digest list", user=fake.owner)
            assert "No digests yet" in text_of(listed)

    run(tmp_path, clock, body)


def test_preview_says_when_nothing_is_new(tmp_path: Path, clock: ShiftedClock) -> None:
    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        store(tmp_path / "data", guild_corpus(fake.guild.id), [BUDGET], clock.now() - timedelta(days=3))
        async with fake.running(new_bot()):
            await answer(fake, "digest subscribe", {"channel": fake.channel, "schedule": "daily 06:00",
                                                    "timezone": "UTC"}, user=fake.owner)
            shown = await answer(fake, "digest preview", {"digest": 1}, user=fake.owner)
            assert "Nothing new" in text_of(shown) and "no digest would be posted" in text_of(shown)

    run(tmp_path, clock, body)


def test_two_servers_see_only_their_own_digests(tmp_path: Path, clock: ShiftedClock) -> None:
    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        editor = fake.add_user("editor")
        other = fake.add_guild("Other Desk", editor)
        desk = other.add_text_channel("desk")
        now = clock.now()
        store(tmp_path / "data", guild_corpus(fake.guild.id), [BUDGET], now - timedelta(hours=1))
        store(tmp_path / "data", guild_corpus(other.id), [COURT], now - timedelta(hours=1))
        async with fake.running(new_bot()) as bot:
            await bot.sync_commands()  # globally, so the second server has the commands too
            ours = {"channel": fake.channel, "schedule": "every 2 hours", "timezone": "UTC"}
            await answer(fake, "digest subscribe", ours, user=fake.owner)
            await answer(fake, "digest subscribe", ours | {"channel": desk}, user=editor, channel=desk)
            created = bot.digests.book.subscription(2).created_at
            store(tmp_path / "data", guild_corpus(fake.guild.id), [FLOOD_LATE], created + timedelta(minutes=30))
            store(tmp_path / "data", guild_corpus(other.id), [ELECTION], created + timedelta(minutes=30))

            theirs = text_of(await answer(fake, "digest list", user=editor, channel=desk))
            assert "**2**" in theirs and "**1**" not in theirs
            refused = await answer(fake, "digest preview", {"digest": 1}, user=editor, channel=desk)
            assert "no digest 1" in refused.content
            refused = await answer(fake, "digest unsubscribe", {"digest": 1}, user=editor, channel=desk)
            assert "no digest 1" in refused.content
            assert bot.digests.book.subscription(1) is not None

            await answer(fake, "digest preview", {"digest": 2}, user=editor, channel=desk)
            seen = "".join(text_of(m) for m in fake.messages.by_id.values() if m.ephemeral)
            assert "Osk Evening Star" in seen and "Tarvik" not in seen.split("Osk Evening Star")[-1]

            advance(fake, clock, bot, timedelta(hours=2, minutes=1))
            await fake.wait_until(lambda: digest_posts(fake, fake.channel) and digest_posts(fake, desk),
                                  20, "both digests")
            ours_posted = "".join(text_of(m) for m in digest_posts(fake, fake.channel))
            theirs_posted = "".join(text_of(m) for m in digest_posts(fake, desk))
            assert "Alde Valley Post" in ours_posted and "Lenz" not in ours_posted
            assert "Lenz Morning Wire" in theirs_posted and "Alde" not in theirs_posted

    run(tmp_path, clock, body)


# ----------------------------------------------------------------- posting


def test_an_edition_fits_discords_limits_pings_no_one_and_links_only_inside_embeds(
        tmp_path: Path, clock: ShiftedClock) -> None:
    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        corpus = guild_corpus(fake.guild.id)
        store(tmp_path / "data", corpus, [FLOOD_EARLY], clock.now() - timedelta(days=1))
        async with fake.running(new_bot()) as bot:
            await answer(fake, "digest subscribe", {
                "channel": fake.channel, "schedule": "every 1 hours", "timezone": "Europe/Berlin",
                "topics": "evacuated, budget, charged, votes, pier"}, user=fake.owner)
            created = bot.digests.book.subscription(1).created_at
            store(tmp_path / "data", corpus, [FLOOD_LATE, BUDGET, COURT, ELECTION, PING],
                  created + timedelta(minutes=1))
            advance(fake, clock, bot, timedelta(hours=1, minutes=1))
            book = bot.digests.book
            await eventually(lambda: [e.status for e in book.editions(1)] == ["sent"], "the first edition")
            posts = digest_posts(fake, fake.channel)
            assert len(posts) == len(book.editions(1)[0].message_ids) >= 2  # split across messages
            assert not fake.rejections and fake.pinging_messages() == []
            for number, post in enumerate(posts, start=1):
                assert post.allowed_mentions == {"parse": []}
                assert len(post.embeds) <= 10 and "http" not in post.content
                assert post.embeds[0]["footer"]["text"].endswith(f"part {number} of {len(posts)}")
            everything = "".join(text_of(p) for p in posts)
            assert "⚠" in everything and "about 5,000" in everything and "3,000" in everything
            assert "Noticeboard \\*Daily\\*" in everything  # markdown from articles escaped
            assert "@everyone" not in everything.replace("@\u200beveryone", "")

    run(tmp_path, clock, body)


def test_a_restarted_scheduler_posts_exactly_one_catch_up_edition(tmp_path: Path, clock: ShiftedClock,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    data = tmp_path / "data"

    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        corpus = guild_corpus(fake.guild.id)
        async with fake.running(new_bot()) as bot:
            await answer(fake, "digest subscribe", {"channel": fake.channel, "schedule": "every 6 hours",
                                                    "timezone": "UTC"}, user=fake.owner)
            created = bot.digests.book.subscription(1).created_at
            store(data, corpus, [BUDGET], created + timedelta(hours=1))
            advance(fake, clock, bot, timedelta(hours=6, minutes=1))
            await eventually(lambda: [e.status for e in bot.digests.book.editions(1)] == ["sent"], "edition 1")
        first = digest_posts(fake, fake.channel)
        assert "Tarvik Ledger" in text_of(first[0])

        # Down for 18 hours: three due times pass (+12 h, +18 h, +24 h) while articles arrive.
        store(data, corpus, [COURT], created + timedelta(hours=8))
        store(data, corpus, [ELECTION], created + timedelta(hours=20))
        advance(fake, clock, None, timedelta(hours=18))

        async with fake.running(new_bot()) as bot:
            book = bot.digests.book
            await eventually(lambda: [e.status for e in book.editions(1)] == ["sent", "sent"], "the catch-up")
            await asyncio.sleep(1.0)  # room for a wrong second run to show
            editions = book.editions(1)
            assert len(editions) == 2
            catch_up = editions[1]
            assert catch_up.window_start == editions[0].window_end == created + timedelta(hours=6)
            assert catch_up.window_end == created + timedelta(hours=24)
            job = bot.digests.scheduler.get_job("digest-1")
            assert job.next_run_time == created + timedelta(hours=30)  # the missed runs are behind it
        posts = digest_posts(fake, fake.channel)[len(first):]
        assert len(posts) == len(catch_up.message_ids)
        caught = "".join(text_of(p) for p in posts)
        assert "Osk Evening Star" in caught and "Lenz Morning Wire" in caught and "Tarvik" not in caught

    run(tmp_path, clock, body)
    # Started, caught up and stopped twice without a complaint: nothing missed, nothing failed.
    complaints = [r.getMessage() for r in caplog.records
                  if r.levelno >= logging.WARNING and r.name.startswith(("apscheduler", "bot"))]
    assert complaints == []
    assert sum("Scheduler has been shut down" in r.getMessage() for r in caplog.records) == 2


def test_closing_lets_a_digest_in_progress_finish_quietly(tmp_path: Path, clock: ShiftedClock,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        async with fake.running(new_bot()) as bot:
            await answer(fake, "digest subscribe", {"channel": fake.channel, "schedule": "every 2 hours",
                                                    "timezone": "UTC", "topics": "budget, votes"}, user=fake.owner)
            book = bot.digests.book
            created = book.subscription(1).created_at
            store(tmp_path / "data", guild_corpus(fake.guild.id), [BUDGET, ELECTION], created + timedelta(minutes=5))
            advance(fake, clock, bot, timedelta(hours=2, minutes=1))
            await eventually(lambda: book.editions(1), "the edition to be planned", timeout=20)
        # The bot has closed: the edition it had started went out whole first.
        [edition] = DigestBook(tmp_path / "data" / "claimdesk.sqlite3").editions(1)
        assert edition.status == "sent" and len(edition.message_ids) == len(digest_posts(fake, fake.channel))
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
                and r.name.startswith(("apscheduler", "bot"))] == []

    run(tmp_path, clock, body)


def test_a_crash_between_posting_and_marking_never_posts_twice(tmp_path: Path, clock: ShiftedClock,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"

    async def body(fake: FakeDiscord, new_bot: Callable[[], ClaimdeskBot]) -> None:
        corpus = guild_corpus(fake.guild.id)
        with monkeypatch.context() as crash:
            def killed(*args: object) -> None:
                raise RuntimeError("killed after Discord accepted the message, before the ledger knew")

            crash.setattr(DigestBook, "record_message", killed)
            async with fake.running(new_bot()) as bot:
                await answer(fake, "digest subscribe", {"channel": fake.channel, "schedule": "every 3 hours",
                                                        "timezone": "Asia/Tokyo"}, user=fake.owner)
                created = bot.digests.book.subscription(1).created_at
                store(data, corpus, [BUDGET, ELECTION], created + timedelta(hours=1))
                advance(fake, clock, bot, timedelta(hours=3, minutes=1))
                await fake.wait_until(lambda: digest_posts(fake, fake.channel), 20, "the first part")
                await asyncio.sleep(0.5)
        posted = digest_posts(fake, fake.channel)
        assert [e.status for e in DigestBook(data / "claimdesk.sqlite3").editions(1)] == ["planned"]

        advance(fake, clock, None, timedelta(minutes=30))  # past Discord's nonce memory
        async with fake.running(new_bot()) as bot:
            book = bot.digests.book
            await eventually(lambda: [e.status for e in book.editions(1)] == ["sent"], "the resumed edition")
            edition = book.editions(1)[0]
        posts = digest_posts(fake, fake.channel)
        assert posts[: len(posted)] == posted
        assert edition.message_ids[: len(posted)] == [m.id for m in posted]
        assert len(posts) == len(edition.message_ids)  # the part already posted was found, not repeated
        footers = [p.embeds[0]["footer"]["text"] for p in posts]
        assert len(set(footers)) == len(footers)

    run(tmp_path, clock, body)
