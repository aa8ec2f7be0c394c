"""/ingest for server managers: a URL, or article files attached to the command.

The answer is ephemeral (a report of files and failures is for the manager, not the
channel). Files are checked against the size limit before they are downloaded, and the
work runs in the ingest worker process, writing only into the server's own corpus.
"""

from __future__ import annotations

from discord import Attachment, Interaction, app_commands
from discord.ext import commands

from commands.base import CommandError
from commands.ingest import COMMAND as INGEST
from commands.ingest import NOTHING_TO_INGEST, IngestArgs

from .. import limits
from ..client import ClaimdeskBot
from ..options import describe, option_type, parse_args, restrict_to_managers
from ..pager import page_source, send_pages
from ..tenancy import writable_corpus
from ..text import clip

# Discord gives a slash-command option one file, so the model's list of files is offered
# as a few attachment options; more files take another /ingest.
URL_OPTION = option_type(INGEST.name, "url", IngestArgs.model_fields["url"])
FILES_DESCRIPTION = describe("files", IngestArgs.model_fields["files"])


class Ingest(commands.Cog):
    def __init__(self, bot: ClaimdeskBot) -> None:
        self.bot = bot
        if INGEST.manager_only:
            restrict_to_managers(self.ingest)

    @app_commands.command(name=INGEST.name,
                          description=clip(INGEST.description, limits.COMMAND_DESCRIPTION, render=str))
    @app_commands.describe(url=describe("url", IngestArgs.model_fields["url"]), file=FILES_DESCRIPTION,
                           file_2=FILES_DESCRIPTION, file_3=FILES_DESCRIPTION)
    @app_commands.guild_only()
    async def ingest(self, interaction: Interaction, url: URL_OPTION = None,  # type: ignore[valid-type]
                     file: Attachment | None = None,
                     file_2: Attachment | None = None, file_3: Attachment | None = None) -> None:
        attachments = [a for a in (file, file_2, file_3) if a is not None]
        if not url and not attachments:
            raise CommandError(NOTHING_TO_INGEST)
        too_big = [a for a in attachments if a.size > self.bot.settings.max_bytes]
        if too_big:
            names = ", ".join(f"{a.filename} ({a.size:,} bytes)" for a in too_big)
            raise CommandError(f"Over the {self.bot.settings.max_bytes:,}-byte limit: {names}. Nothing was ingested.")
        corpus = writable_corpus(interaction.guild_id)
        async with self.bot.answering.one():
            await interaction.response.defer(ephemeral=True, thinking=True)
            files = [{"filename": a.filename, "data": await a.read()} for a in attachments]
            args = parse_args(INGEST.name, IngestArgs, {"url": url, "files": files})
            response = await self.bot.ingester.ingest(corpus, args)
            await send_pages(interaction, page_source(response))


async def setup(bot: ClaimdeskBot) -> None:
    await bot.add_cog(Ingest(bot))
