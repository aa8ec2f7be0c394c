"""/digest subscribe | list | unsubscribe | preview, for server managers only.

Every answer is ephemeral: a subscription is the managers' business, and a preview
posts nothing. A server sees and changes only its own subscriptions, and a digest only
ever reads the server's own corpus (plus the operator's shared one).
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import TypeVar

import discord
from discord import Interaction, app_commands
from discord.ext import commands

from commands.base import CommandContext, CommandError, Response
from commands.digest import (
    SubscribeArgs,
    list_subscriptions,
    owned_subscription,
    preview,
    subscribe,
    unsubscribe,
)

from .. import limits
from ..client import ClaimdeskBot
from ..options import describe, parse_args
from ..pager import page_source, send_pages
from ..suggest import Choice, Offered, offer
from ..tenancy import writable_corpus
from ..text import clip

FIELDS = SubscribeArgs.model_fields
MANAGE_SERVER = discord.Permissions(manage_guild=True)
SubscriptionId = app_commands.Range[int, 1, None]
T = TypeVar("T")


def _managers_only() -> Callable[[T], T]:
    # Hidden from other members by the group's default permissions, and refused by the
    # bot too: a server may open a command up to anyone in its settings.
    return app_commands.checks.has_permissions(manage_guild=True)


class Digest(commands.Cog):
    group = app_commands.Group(name="digest", description="Scheduled digests of new claims and disagreements",
                               guild_only=True, default_permissions=MANAGE_SERVER)

    def __init__(self, bot: ClaimdeskBot) -> None:
        self.bot = bot

    @group.command(name="subscribe", description="Post a digest in a channel on a schedule")
    @app_commands.describe(channel=describe("channel", FIELDS["channel_id"]),
                           schedule=describe("schedule", FIELDS["schedule"]),
                           timezone=describe("timezone", FIELDS["timezone"]),
                           topics=describe("topics", FIELDS["topics"]),
                           exclude=describe("exclude", FIELDS["exclude"]))
    @_managers_only()
    async def subscribe(self, interaction: Interaction, channel: discord.TextChannel, schedule: str, timezone: str,
                        topics: str | None = None, exclude: str | None = None) -> None:
        corpus = writable_corpus(interaction.guild_id)
        _check_can_post(channel)
        args = parse_args("digest subscribe", SubscribeArgs, {
            "channel_id": channel.id, "schedule": schedule, "timezone": timezone,
            "topics": topics or "", "exclude": exclude or "",
        })
        await interaction.response.defer(ephemeral=True, thinking=True)
        response = await self.bot.in_thread(functools.partial(
            subscribe, self._context(interaction), self.bot.digests.book, corpus, args, self.bot.now()))
        for created in response.subscriptions:
            self.bot.digests.schedule(created)
        await self._send(interaction, response)

    @group.command(name="list", description="This server's digests")
    @_managers_only()
    async def list_digests(self, interaction: Interaction) -> None:
        corpus = writable_corpus(interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        response = await self.bot.in_thread(list_subscriptions, self.bot.digests.book, corpus)
        await self._send(interaction, response)

    @group.command(name="unsubscribe", description="Stop a digest")
    @app_commands.describe(digest="The digest's number, from /digest list")
    @_managers_only()
    async def unsubscribe(self, interaction: Interaction, digest: SubscriptionId) -> None:  # type: ignore[valid-type]
        corpus = writable_corpus(interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        response = await self.bot.in_thread(unsubscribe, self.bot.digests.book, corpus, digest)
        self.bot.digests.unschedule(digest)
        await self._send(interaction, response)

    @group.command(name="preview", description="The next edition of a digest, shown only to you; posts nothing")
    @app_commands.describe(digest="The digest's number, from /digest list")
    @_managers_only()
    async def preview(self, interaction: Interaction, digest: SubscriptionId) -> None:  # type: ignore[valid-type]
        corpus = writable_corpus(interaction.guild_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        book = self.bot.digests.book
        subscription = await self.bot.in_thread(owned_subscription, book, corpus, digest)
        response = await self.bot.in_thread(preview, self._context(interaction), book, subscription, self.bot.now())
        await self._send(interaction, response)

    @unsubscribe.autocomplete("digest")
    @preview.autocomplete("digest")
    async def _digests(self, interaction: Interaction, current: int | str) -> Offered:
        corpus = writable_corpus(interaction.guild_id)
        subscriptions = await self.bot.in_suggestion_thread(self.bot.digests.book.subscriptions, corpus)
        typed = str(current or "").strip()
        return await offer(interaction, [
            app_commands.Choice(name=clip(f"{s.id} · {s.schedule} · " + (", ".join(s.topics) or "everything new"),
                                          limits.CHOICE_NAME, render=str), value=s.id)
            for s in subscriptions if str(s.id).startswith(typed)
        ][:limits.AUTOCOMPLETE_CHOICES])

    @subscribe.autocomplete("timezone")
    async def _timezones(self, interaction: Interaction, current: str) -> Offered:
        wanted = current.strip().lower().replace(" ", "_")
        names = sorted(n for n in _timezone_names() if wanted in n.lower())
        return await offer(interaction, [Choice(name=n, value=n) for n in names[:limits.AUTOCOMPLETE_CHOICES]])

    def _context(self, interaction: Interaction) -> CommandContext:
        return CommandContext(library=self.bot.library, corpora=self.bot.corpora_for(interaction))

    async def _send(self, interaction: Interaction, response: Response) -> None:
        await send_pages(interaction, page_source(response))


def _check_can_post(channel: discord.TextChannel) -> None:
    """Refuses a channel the bot could not post a digest in, saying what to grant."""
    allowed = channel.permissions_for(channel.guild.me)
    missing = [name for name, granted in (("View Channel", allowed.view_channel),
                                          ("Send Messages", allowed.send_messages),
                                          ("Embed Links", allowed.embed_links)) if not granted]
    if missing:
        raise CommandError(f"claimdesk cannot post digests in #{channel.name}: it lacks {', '.join(missing)} there. "
                           "Grant them to the claimdesk role in that channel, then subscribe again.")


@functools.cache
def _timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


async def setup(bot: ClaimdeskBot) -> None:
    await bot.add_cog(Digest(bot))
