"""Every command in ``commands.COMMANDS`` as a slash command, with autocomplete.

Answers are public: the command is deferred at once (they all touch the index), the
query runs in the bot's query threads, and the first page follows, with buttons when
there are more. Errors after the deferral are public too, replacing "thinking…";
argument errors, query syntax included, are found before deferring and are ephemeral.
Suggestions run in a thread of their own, so a burst of queries never makes them late.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from commands import COMMANDS, Command, CommandContext
from commands.base import CommandError

from ..client import ClaimdeskBot
from ..options import parse_args, slash_command
from ..pager import command_pages, send_pages
from ..suggest import SUGGESTIONS, Offered, Suggest, offer

log = logging.getLogger("bot.discord")

AUTOCOMPLETE_SECONDS = 2.0  # Discord drops answers after 3 s
Autocomplete = Callable[[discord.Interaction, str], Coroutine[Any, Any, Offered]]


class Queries(commands.Cog):
    def __init__(self, bot: ClaimdeskBot) -> None:
        self.bot = bot
        self.slash_commands = [self._slash_command(command) for command in COMMANDS.values()]

    async def cog_load(self) -> None:
        for app_command in self.slash_commands:
            self.bot.tree.add_command(app_command)

    async def cog_unload(self) -> None:
        for app_command in self.slash_commands:
            self.bot.tree.remove_command(app_command.name)

    def _slash_command(self, command: Command) -> app_commands.Command:
        async def handle(interaction: discord.Interaction, options: dict[str, Any]) -> None:
            await self.answer(interaction, command, options)

        app_command = slash_command(command, handle)
        for (name, option), suggest in SUGGESTIONS.items():
            if name != command.name:
                continue
            if option not in command.args.model_fields:
                raise LookupError(f"suggestions are declared for /{name} {option}, which has no such option")
            app_command.autocomplete(option)(self._autocomplete(suggest))
        return app_command

    async def answer(self, interaction: discord.Interaction, command: Command, options: dict[str, Any]) -> None:
        args = parse_args(command.name, command.args, options)
        context = CommandContext(library=self.bot.library, corpora=self.bot.corpora_for(interaction))
        async with self.bot.answering.one():
            await interaction.response.defer(thinking=True)
            await send_pages(interaction, await self.bot.in_thread(command_pages, command, context, args))

    def _autocomplete(self, suggest: Suggest) -> Autocomplete:
        async def autocomplete(interaction: discord.Interaction, current: str) -> Offered:
            try:
                corpora = self.bot.corpora_for(interaction)
                choices = await asyncio.wait_for(
                    self.bot.in_suggestion_thread(suggest, self.bot.library.store, corpora, current),
                    AUTOCOMPLETE_SECONDS,
                )
            except (CommandError, TimeoutError):
                choices = []
            except Exception:
                log.exception("autocomplete failed (guild %s, user %s)", interaction.guild_id, interaction.user.id)
                choices = []
            return await offer(interaction, choices)

        return autocomplete


async def setup(bot: ClaimdeskBot) -> None:
    await bot.add_cog(Queries(bot))
