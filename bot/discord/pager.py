"""Prev/Next buttons that only the person who asked can turn, and that survive a restart.

Nothing about an answer is held in memory. A button's custom id is
``pages:KEY:ROLE:PAGE``: a key into the kept answers (``kept_answers``), and the page it
leads to. Page buttons are a ``DynamicItem`` registered when the bot starts, so a click
on a message sent before a restart reaches a new bot process, which reads the kept
answer and produces the page again: a paged command (/claims, /who, /search) runs again
for that page, so a long result is never computed or held in full; a static answer
(/compare, /ingest) has its rendered pages kept. No view times out, so none is left
half-closed when the bot stops.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from pydantic import BaseModel

from commands import COMMANDS, Command
from commands.base import CommandContext, Response

from .errors import answer_failure, send_notice
from .kept_answers import KEEP_DAYS, KeptAnswer
from .render import Page, paging, render

if TYPE_CHECKING:
    from .client import ClaimdeskBot

log = logging.getLogger("bot.discord")

ROLES = {"prev": ("◀ Prev", discord.ButtonStyle.secondary), "at": ("", discord.ButtonStyle.secondary),
         "next": ("Next ▶", discord.ButtonStyle.primary)}
EXPIRED = f"These pages are no longer kept (answers keep their buttons for {KEEP_DAYS} days); run the command again."


@dataclass(frozen=True)
class PageSource:
    """An answer ready to send: its first page, where that page is among how many, and
    how to produce the others (a paged command's arguments, or a static answer's pages)."""

    command: str
    first: Page
    index: int
    count: int
    args: dict[str, Any] | None = None
    per_command_page: int = 1
    pages: list[Page] | None = None


def page_source(response: Response, args: BaseModel | None = None) -> PageSource:
    """The pages of a response; ``args`` are the arguments of a paged command, which its
    further pages are fetched with."""
    layout = paging(response)
    pages = render(response)
    if layout is None:
        return PageSource(response.command, pages[0], 0, len(pages), pages=pages)
    if args is None:
        raise TypeError(f"/{response.command} comes in pages: give its arguments to fetch the others")
    first = pages[min(layout.start % layout.per_command_page, len(pages) - 1)]
    return PageSource(response.command, first, layout.start, layout.total, args=args.model_dump(mode="json"),
                      per_command_page=layout.per_command_page)


async def send_pages(interaction: discord.Interaction, source: PageSource) -> None:
    """Follows up a deferred interaction with the first page, and buttons if there are more."""
    if source.count <= 1:
        await interaction.followup.send(embeds=source.first)
        return
    bot: ClaimdeskBot = interaction.client  # type: ignore[assignment]
    kept = KeptAnswer(guild_id=interaction.guild_id, owner_id=interaction.user.id, command=source.command,
                      args=source.args, per_command_page=source.per_command_page,
                      pages=None if source.pages is None else [[e.to_dict() for e in page] for page in source.pages])
    try:
        key = await bot.in_bookkeeping_thread(bot.answers.keep, kept)
    except sqlite3.Error:
        # A read-only or full data folder: the first page still answers the question.
        log.warning("could not keep /%s's pages; sending the first without buttons", kept.command, exc_info=True)
        await interaction.followup.send(embeds=source.first)
        return
    await interaction.followup.send(embeds=source.first, view=page_buttons(key, source.index, source.count))


def page_buttons(key: int, index: int, count: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(key, "prev", max(index - 1, 0), disabled=index <= 0))
    view.add_item(PageButton(key, "at", index, label=f"{index + 1} / {count}", disabled=True))
    view.add_item(PageButton(key, "next", min(index + 1, count - 1), disabled=index >= count - 1))
    return view


class PageButton(discord.ui.DynamicItem[discord.ui.Button],
                 template=re.compile(r"pages:(?P<key>\d+):(?P<role>prev|at|next):(?P<index>\d+)")):
    def __init__(self, key: int, role: str, index: int, *, label: str = "", disabled: bool = False) -> None:
        default_label, style = ROLES[role]
        super().__init__(discord.ui.Button(label=label or default_label, style=style, disabled=disabled,
                                           custom_id=f"pages:{key}:{role}:{index}"))
        self.key = key
        self.index = index

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> PageButton:
        return cls(int(match["key"]), match["role"], int(match["index"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await turn_page(interaction, self.key, self.index)
        except Exception as error:
            await answer_failure(interaction, error, what="turning a page")


async def turn_page(interaction: discord.Interaction, key: int, index: int) -> None:
    bot: ClaimdeskBot = interaction.client  # type: ignore[assignment]
    # Acknowledged before anything else: reading the kept answer waits for the disk (and
    # behind other answers being kept), the page may need a query, and Discord drops a
    # click not acknowledged within 3 s. Notices after this are private followups.
    await interaction.response.defer()
    kept = await bot.in_bookkeeping_thread(bot.answers.recall, key)
    if kept is None or kept.guild_id != interaction.guild_id:
        await interaction.edit_original_response(view=None)
        await send_notice(interaction, EXPIRED)
        return
    if interaction.user.id != kept.owner_id:
        await send_notice(interaction, f"Only the person who ran /{kept.command} can turn these pages. "
                                       f"Run /{kept.command} yourself to browse.")
        return
    async with bot.answering.one():
        if kept.pages is not None:
            index = min(index, len(kept.pages) - 1)
            embeds, count = [discord.Embed.from_dict(embed) for embed in kept.pages[index]], len(kept.pages)
        else:
            context = CommandContext(library=bot.library, corpora=bot.corpora_for(interaction))
            # In the page threads: a page turn is an answer-cache hit, never queued behind fresh searches.
            embeds, index, count = await bot.in_page_thread(paged_command_page, context, kept, index)
        await interaction.edit_original_response(embeds=embeds, view=page_buttons(key, index, count))


def command_pages(command: Command, context: CommandContext, args: BaseModel) -> PageSource:
    """A paged command's answer, laid out: both take CPU, so both run in a query thread."""
    return page_source(command(context, args), args)


def paged_command_page(context: CommandContext, kept: KeptAnswer, index: int) -> tuple[Page, int, int]:
    """Page ``index`` of a kept paged command's answer, the index it really has, and the
    page count; runs the command again for it (in a page thread), which the answer
    cache serves without searching unless the index changed since."""
    command = COMMANDS[kept.command]
    args = command.args.model_validate(kept.args)
    per = kept.per_command_page
    response = command(context, args.model_copy(update={"page": index // per + 1}))
    layout = paging(response)
    if layout is None:  # the results are gone since (articles deleted or moved)
        return render(response)[0], 0, 1
    if index >= layout.total:  # fewer results than when the answer was sent: its last page
        index = layout.total - 1
        response = command(context, args.model_copy(update={"page": index // per + 1}))
    pages = render(response)
    return pages[min(index % per, len(pages) - 1)], index, layout.total
