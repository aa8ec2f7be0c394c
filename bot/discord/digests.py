"""What the bot posts unprompted: digest editions on schedule, and feed notices.

**Exactly once.** APScheduler advances a job's next run when it hands the job off, not
when the job finishes, so the ledger (``index.digests``) decides what is posted:

1. When a digest falls due, its due time (read from the trigger, not the clock at run
   time) is the edition's window end; the edition row is written before anything is
   posted. A second run for the same due time finds that row: if it is ``sent``,
   nothing happens; if it is ``planned``, the run resumes it.
2. Each message carries a marker in its first footer (``digest S · edition E · part k
   of n``) and a nonce; its id is recorded as soon as Discord accepts it, and the
   edition is marked ``sent`` after the last part.
3. A crash between Discord accepting a part and the id being recorded leaves a planned
   edition whose part has no id. On restart the bot reads the channel's messages posted
   since the edition was planned and takes the part whose footer carries its marker
   instead of posting it again (and Discord's nonce check catches a retry within
   minutes even without Read Message History).
4. After downtime the next edition starts where the last one ended (at most 7 days
   back), so one catch-up edition covers the whole missed window.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from commands.base import CommandContext, CommandError
from commands.digest import build_digest
from index.digests import DigestBook, Edition, Subscription

from .. import jobs, scheduler
from . import limits
from .render.digest import edition_messages, part_marker
from .tenancy import guild_corpus, readable_with_shared
from .text import clip

if TYPE_CHECKING:
    from .client import ClaimdeskBot

log = logging.getLogger("bot.discord")

HISTORY_LOOKUP = 100  # channel messages read to find an edition's parts after a crash
STOP_GRACE = 20.0  # seconds a closing bot waits for a digest or feed poll in progress to finish


class Dispatch:
    def __init__(self, bot: ClaimdeskBot) -> None:
        self.bot = bot
        self.book = DigestBook(bot.library.store.path)
        self.scheduler = scheduler.create_scheduler(bot.settings.data)
        self._one_at_a_time = asyncio.Lock()
        self._recovery: asyncio.Task[None] | None = None
        self._feed_poll: asyncio.Task[None] | None = None
        self._polls_deferred: str | None = None  # why feed polls wait, once said
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    # --- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        self.scheduler = scheduler.start_paused(self.scheduler, self.bot.settings.data)
        subscriptions = await self._book(self.book.subscriptions)
        wanted = [scheduler.digest_job(s) for s in subscriptions]
        if self.bot.settings.poll_feeds:
            wanted.append(scheduler.feed_poll_job())
        scheduler.reconcile(self.scheduler, wanted)
        jobs.attach(self)
        self.scheduler.resume()
        self._recovery = asyncio.create_task(self._resume_planned(), name="claimdesk-digest-recovery")

    async def stop(self) -> None:
        """No new runs; the one in progress may finish (a half-posted edition would be
        finished on the next start anyway, but a poll's notices would be lost)."""
        if self.scheduler.running:
            self.scheduler.pause()
            try:
                await asyncio.wait_for(self._idle.wait(), STOP_GRACE)
            except TimeoutError:
                log.warning("stopping while a digest or feed poll is still running; the ledger finishes "
                            "a half-posted digest on the next start")
            self.scheduler.shutdown(wait=False)
        jobs.detach()
        for task in (self._recovery, self._feed_poll):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    def schedule(self, subscription: Subscription) -> None:
        scheduler.add(self.scheduler, scheduler.digest_job(subscription))

    def unschedule(self, subscription_id: int) -> None:
        scheduler.remove(self.scheduler, scheduler.digest_job_id(subscription_id))

    # --- digests --------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """No digest or feed poll is running (or about to)."""
        return self._idle.is_set() and (self._feed_poll is None or self._feed_poll.done())

    @contextlib.asynccontextmanager
    async def _running_job(self) -> AsyncIterator[None]:
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    async def send_due_digest(self, subscription_id: int) -> None:
        async with self._running_job(), self._one_at_a_time:
            subscription = await self._book(self.book.subscription, subscription_id)
            if subscription is None:
                log.info("digest %s was unsubscribed; nothing to send", subscription_id)
                return
            # An edition left half-posted goes out before the next one, in window order.
            for stranded in await self._book(self.book.planned, subscription.id):
                await self._deliver(subscription, stranded, resuming=True)
            now = self.bot.now()
            due = scheduler.last_due(subscription, now)
            if due is None:
                return
            edition, planned_now = await self._book(
                functools.partial(self.book.plan, subscription, window_end=due, now=now))
            if edition.status == "sent":
                log.info("digest %s edition %s was sent already", subscription.id, edition.id)
                return
            await self._deliver(subscription, edition, resuming=not planned_now)

    async def _resume_planned(self) -> None:
        await self.bot.wait_until_ready()
        async with self._one_at_a_time:
            for edition in await self._book(self.book.planned):
                subscription = await self._book(self.book.subscription, edition.subscription_id)
                if subscription is not None:
                    try:
                        await self._deliver(subscription, edition, resuming=True)
                    except Exception:
                        log.exception("could not finish digest %s edition %s", subscription.id, edition.id)

    async def _deliver(self, subscription: Subscription, edition: Edition, *, resuming: bool) -> None:
        corpora = readable_with_shared(subscription.corpus, self.bot.settings.shared_corpus)
        context = CommandContext(library=self.bot.library, corpora=corpora)
        try:
            response = await self.bot.in_thread(functools.partial(
                build_digest, context, self.book, since=edition.window_start, until=edition.window_end,
                topics=subscription.topics, exclude=subscription.exclude))
        except CommandError as exc:
            log.warning("digest %s cannot be built: %s", subscription.id, exc)
            return
        if response.empty:
            log.info("digest %s: nothing new from %s to %s; nothing posted", subscription.id,
                     edition.window_start, edition.window_end)
            await self._book(self.book.mark_sent, edition.id, self.bot.now())
            return
        channel = await self._channel(subscription.corpus, subscription.channel_id)
        if channel is None:
            log.warning("digest %s: channel %s is gone or not this server's; edition %s left unsent",
                        subscription.id, subscription.channel_id, edition.id)
            return
        marker = edition_marker(subscription, edition)
        messages = edition_messages(response, marker)
        posted = dict(enumerate(edition.message_ids))
        if resuming and any(posted.get(k) is None for k in range(len(messages))):
            posted |= await self._parts_in_channel(channel, marker, len(messages), edition.planned_at)
        for part, embeds in enumerate(messages):
            if posted.get(part) is not None:
                await self._book(self.book.record_message, edition.id, part, posted[part])
                continue
            try:
                message = await channel.send(embeds=embeds, nonce=f"d{edition.id}p{part}",
                                             allowed_mentions=discord.AllowedMentions.none())
            except (discord.Forbidden, discord.NotFound) as exc:
                log.warning("digest %s: cannot post in channel %s (%s); edition %s waits until the bot may post "
                            "there (Send Messages, Embed Links) or the digest is unsubscribed",
                            subscription.id, subscription.channel_id, exc.text or exc.status, edition.id)
                return
            await self._book(self.book.record_message, edition.id, part, message.id)
        await self._book(self.book.mark_sent, edition.id, self.bot.now())
        log.info("digest %s edition %s posted in %d message(s)", subscription.id, edition.id, len(messages))

    async def _parts_in_channel(self, channel: discord.abc.Messageable, marker: str, parts: int,
                                since: datetime) -> dict[int, int]:
        """Parts of this edition already in the channel, found by their footer marker."""
        wanted = {part_marker(marker, k + 1, parts): k for k in range(parts)}
        found: dict[int, int] = {}
        try:
            async for message in channel.history(limit=HISTORY_LOOKUP, after=since, oldest_first=True):
                if message.author.id != self.bot.user.id or not message.embeds:  # type: ignore[union-attr]
                    continue
                footer = message.embeds[0].footer.text
                if footer in wanted:
                    found[wanted[footer]] = message.id
        except discord.HTTPException as exc:
            log.warning("cannot read the channel's history to check a half-posted digest (%s); "
                        "grant Read Message History so a crash can never repeat a part", exc)
        return found

    async def _channel(self, corpus: str, channel_id: int) -> discord.abc.Messageable | None:
        """The channel, if it still exists and belongs to the server that owns ``corpus``."""
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
        except discord.HTTPException:
            return None
        guild = getattr(channel, "guild", None)
        if guild is None or guild_corpus(guild.id) != corpus or not isinstance(channel, discord.abc.Messageable):
            return None
        return channel

    # --- feeds ----------------------------------------------------------------------

    def start_feed_poll(self) -> asyncio.Task[None] | None:
        """What the scheduler runs every minute: starts a poll and returns at once, so that
        a poll or an /ingest that takes longer than a minute never has the scheduler skip
        runs (and warn about it every minute). A poll that cannot run now is deferred to a
        later minute, and said so once, however many minutes it stays deferred. Returns
        the poll started, if one was."""
        if self._feed_poll is not None and not self._feed_poll.done():
            self._defer_polls("the previous feed poll is still running")
            return None
        if self.bot.ingester.ingesting:
            # The worker runs one job at a time: a poll would wait behind the whole ingest.
            self._defer_polls("an /ingest is running in the ingest worker")
            return None
        self._feed_poll = asyncio.create_task(self._scheduled_poll(), name="claimdesk-feed-poll")
        return self._feed_poll

    async def _scheduled_poll(self) -> None:
        # A task of its own has no scheduler to report its failure: it says so here.
        try:
            await self.poll_feeds()
        except asyncio.CancelledError:
            log.info("feed poll interrupted by shutdown; the worker finishes the batch it was storing")
        except Exception:
            log.exception("feed poll failed")

    def _defer_polls(self, reason: str) -> None:
        if self._polls_deferred != reason:
            log.info("feed polls wait: %s; they resume when it is done", reason)
            self._polls_deferred = reason

    async def poll_feeds(self) -> None:
        """Polls the feeds that are due by the bot's clock. The poll fetches, extracts and
        indexes for seconds at a time, so it runs in the ingest worker process: in a thread
        of this one it would hold the GIL the event loop and the query threads need."""
        async with self._running_job():
            report = await self.bot.ingester.poll_feeds(now=self.bot.now(),
                                                        page_budget=self.bot.settings.page_budget())
            if report is None:
                self._defer_polls("another claimdesk process is writing to the data folder")
                return
            if self._polls_deferred is not None:
                log.info("feed polls resumed (they waited because %s)", self._polls_deferred)
                self._polls_deferred = None
            for note in report.notes:
                log.info("feed poll: %s", note)
            for notice in report.notices:
                if notice.channel_id is None:
                    log.info("feed notice for %s: %s", notice.corpus, notice.text)
                    continue
                channel = await self._channel(notice.corpus, notice.channel_id)
                if channel is None:
                    log.warning("feed notice for %s not posted: channel %s is gone", notice.corpus,
                                notice.channel_id)
                    continue
                # The text names the feed as its site titles it: shown as written, never as markup.
                await channel.send(clip(notice.text, limits.MESSAGE_CONTENT),
                                   allowed_mentions=discord.AllowedMentions.none(), suppress_embeds=True)

    async def _book(self, function: Any, *args: Any) -> Any:
        return await self.bot.in_thread(function, *args)


def edition_marker(subscription: Subscription, edition: Edition) -> str:
    return f"claimdesk digest {subscription.id} · edition {edition.id}"
