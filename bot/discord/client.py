"""The bot: one discord.py client, small thread pools for index work, a worker process for ingest.

Structured like discord.py's examples: features are extensions (one cog each) loaded in
``setup_hook``, and every command error goes through the tree's single ``on_error``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from commands.ingest import IngestLimits
from index.library import Library

from ..settings import Settings
from .answering import Answering
from .digests import Dispatch
from .errors import answer_failure
from .kept_answers import AnswerKeeper
from .pager import PageButton
from .scopes import LISTED_TWICE, listed_twice
from .tenancy import readable_corpora
from .worker import IngestWorker

log = logging.getLogger("bot.discord")

T = TypeVar("T")

EXTENSIONS = ("bot.discord.extensions.queries", "bot.discord.extensions.ingest", "bot.discord.extensions.digest",
              "bot.discord.extensions.feeds")
# Index work never runs on the event loop. It runs in bounded thread pools, one per kind of
# work, so that cheap work never queues behind expensive work: a burst of fresh searches
# fills the query threads (more would only contend for the GIL and 2 cores, slowing every
# one of them and the event loop); page turns, served from the answer cache, and
# autocomplete, which Discord drops after 3 s, have threads of their own.
QUERY_THREADS = 4  # fresh /claims, /search, /who, ... and digests being built
PAGE_THREADS = 2  # page turns: an answer-cache hit, or the query again after a commit
SUGGESTION_THREADS = 1  # autocomplete: indexed lookups in SQLite, milliseconds each
STOP_GRACE = 60.0  # seconds answers under way get to finish when the bot stops
# Read Message History lets a restarted bot find a digest part it posted just before a crash.
PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True, embed_links=True, read_message_history=True)


class ClaimdeskTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else "a command"
        await answer_failure(interaction, error, what=f"/{name}")


class ClaimdeskBot(commands.Bot):
    def __init__(self, settings: Settings, *,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc), **client_options: Any) -> None:
        """``clock`` is the time digests are due by (tests move it instead of sleeping)."""
        # A text-only bot: voice support is not missing, it is not wanted.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        intents = discord.Intents.none()
        intents.guilds = True  # slash commands need no message content, members or presences
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            # Article text may hold @everyone or <@id>: nothing the bot sends may ping anyone.
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=ClaimdeskTree,
            help_command=None,
            **client_options,
        )
        self.settings = settings
        self.queries = ThreadPoolExecutor(max_workers=QUERY_THREADS, thread_name_prefix="claimdesk-query")
        self.pages = ThreadPoolExecutor(max_workers=PAGE_THREADS, thread_name_prefix="claimdesk-page")
        self.suggestions = ThreadPoolExecutor(max_workers=SUGGESTION_THREADS, thread_name_prefix="claimdesk-suggest")
        # The bot's own short records (kept answers): off the event loop, since a write
        # waits for the disk, and never queued behind a burst of queries, since a page
        # click must read its record before it can be acknowledged.
        self.bookkeeping = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimdesk-bookkeeping")
        self.ingester = IngestWorker(
            settings.data,
            IngestLimits(max_bytes=settings.max_bytes, allow_private_fetch=settings.allow_private_fetch,
                         fetch_timeout=settings.fetch_timeout),
            settings.log_level,
        )
        self.now = clock
        self.answering = Answering()
        self.answers = AnswerKeeper(settings.data)
        self.add_dynamic_items(PageButton)  # page buttons of answers sent before a restart work too
        self._library: Library | None = None
        self._digests: Dispatch | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            raise RuntimeError("the library opens in setup_hook, before any command can run")
        return self._library

    @property
    def digests(self) -> Dispatch:
        """Digests and feed notices, and the scheduler that sends them."""
        if self._digests is None:
            raise RuntimeError("the scheduler starts in setup_hook, before any command can run")
        return self._digests

    async def setup_hook(self) -> None:
        # Opening may rebuild a damaged search index: not on the event loop.
        self._library = await self.in_thread(Library, self.settings.data)
        for notice in self._library.notices:
            log.warning(notice)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self._digests = Dispatch(self)
        await self._digests.start()
        log.info("invite the bot with %s", invite_url(self.application_id))
        if self.settings.dev_guild is not None:
            await self.sync_commands(self.settings.dev_guild)

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Registers the commands with Discord, in one server (at once) or globally.
        Discord allows 200 command creations a day per scope, so this runs on request
        (``claimdesk sync``) or for the development server only."""
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info("synced %d commands %s", len(synced), f"to server {guild_id}" if guild else "globally")
        if guild_id is not None and (twice := await listed_twice(self.tree, guild_id)):
            log.warning(LISTED_TWICE.format(guild=guild_id, count=twice))
        return synced

    def corpora_for(self, interaction: discord.Interaction) -> list[str]:
        return readable_corpora(interaction.guild_id, self.settings.shared_corpus)

    async def in_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Runs blocking index work in the query threads, off the event loop."""
        return await _run_in(self.queries, function, *args)

    async def in_page_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Runs a page turn's index work in the page threads, ahead of queued fresh queries."""
        return await _run_in(self.pages, function, *args)

    async def in_suggestion_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Runs an autocomplete lookup in its own thread, ahead of queued queries and page turns."""
        return await _run_in(self.suggestions, function, *args)

    async def in_bookkeeping_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Runs a short read or write of the bot's own records off the event loop, ahead of queued queries."""
        return await _run_in(self.bookkeeping, function, *args)

    async def close(self) -> None:
        if self._digests is not None:  # first, so that no digest starts while the bot closes
            await self._digests.stop()
            self._digests = None
        # Answers under way, a running /ingest included, finish while the connection is up.
        await self.answering.finish(STOP_GRACE)
        await self.ingester.close()
        await super().close()
        for pool in (self.queries, self.pages, self.suggestions, self.bookkeeping):
            pool.shutdown(wait=True)
        self.answers.close()
        if self._library is not None:
            self._library.close()
            self._library = None


async def _run_in(pool: ThreadPoolExecutor, function: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(function, *args))


def invite_url(application_id: int | None) -> str:
    return discord.utils.oauth_url(application_id or 0, permissions=PERMISSIONS,
                                   scopes=("bot", "applications.commands"))
