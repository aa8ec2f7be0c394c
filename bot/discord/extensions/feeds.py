"""/feed add, /feed list, /feed remove for server managers: the feeds a server watches.

A server's feeds write into its own corpus and are listed only to it. Like /ingest,
the group is hidden from members without Manage Server and each command refuses them
too. Answers are ephemeral: they are for the manager, not the channel. Adding a feed
fetches it once (in a query thread, off the event loop) to refuse a wrong address at
once; the channel it was added from receives the notices about it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from discord import Interaction, app_commands
from discord.ext import commands

from commands import feeds
from commands.base import CommandContext, Response

from ..client import ClaimdeskBot
from ..options import describe, option_type, parse_args
from ..pager import page_source, send_pages
from ..tenancy import writable_corpus

ADD_FIELDS = feeds.FeedAddArgs.model_fields
URL_OPTION = option_type("feed add", "url", ADD_FIELDS["url"])
INTERVAL_OPTION = option_type("feed add", "interval_minutes", ADD_FIELDS["interval_minutes"])
FEED_OPTION = option_type("feed remove", "feed", feeds.FeedRemoveArgs.model_fields["feed"])
managers_only = app_commands.checks.has_permissions(manage_guild=True)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Feeds(commands.GroupCog, group_name="feed",
            group_description="RSS and Atom feeds this server's library watches (server managers)"):
    def __init__(self, bot: ClaimdeskBot) -> None:
        self.bot = bot
        super().__init__()

    def _context(self, interaction: Interaction) -> CommandContext:
        return CommandContext(library=self.bot.library, corpora=[writable_corpus(interaction.guild_id)])

    def _limits(self) -> feeds.FeedLimits:
        settings = self.bot.settings
        return feeds.FeedLimits(allow_private_fetch=settings.allow_private_fetch,
                                fetch_timeout=settings.fetch_timeout, max_bytes=settings.max_bytes)

    async def _run(self, interaction: Interaction, job: Callable[[], Response]) -> None:
        """Defers (ephemeral), runs ``job`` in a query thread and sends its answer; a bot
        that is stopping lets it finish."""
        async with self.bot.answering.one():
            await interaction.response.defer(ephemeral=True, thinking=True)
            await send_pages(interaction, page_source(await self.bot.in_thread(job)))

    @app_commands.command(name="add", description="Watch an RSS or Atom feed: its new articles join this server's library")
    @app_commands.describe(url=describe("url", ADD_FIELDS["url"]),
                           interval_minutes=describe("interval_minutes", ADD_FIELDS["interval_minutes"]))
    @managers_only
    async def add(self, interaction: Interaction, url: URL_OPTION,  # type: ignore[valid-type]
                  interval_minutes: INTERVAL_OPTION = None) -> None:  # type: ignore[valid-type]
        given = {"url": url} | ({"interval_minutes": interval_minutes} if interval_minutes is not None else {})
        args = parse_args("feed add", feeds.FeedAddArgs, given)
        context = self._context(interaction)
        await self._run(interaction, functools.partial(feeds.add, context, args, channel_id=interaction.channel_id,
                                                       limits=self._limits()))

    @app_commands.command(name="list", description="The feeds this server watches, with their state")
    @managers_only
    async def list_feeds(self, interaction: Interaction) -> None:
        await self._run(interaction, functools.partial(feeds.list_feeds, self._context(interaction)))

    @app_commands.command(name="remove", description="Stop watching a feed; its articles stay in the library")
    @app_commands.describe(feed=describe("feed", feeds.FeedRemoveArgs.model_fields["feed"]))
    @managers_only
    async def remove(self, interaction: Interaction, feed: FEED_OPTION) -> None:  # type: ignore[valid-type]
        args = parse_args("feed remove", feeds.FeedRemoveArgs, {"feed": feed})
        await self._run(interaction, functools.partial(feeds.remove, self._context(interaction), args))


async def setup(bot: ClaimdeskBot) -> None:
    await bot.add_cog(Feeds(bot))
