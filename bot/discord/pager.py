"""Pages of embeds behind Prev/Next buttons that only the person who asked can turn.

Static answers hold all their pages; paged commands (/claims, /who, /search) fetch
further pages by running the command again with another ``page``, so a long result is
never computed or held in full. The view disables its buttons when it times out.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from commands.base import Response

from .errors import answer_failure
from .render import Page, Paging, paging, render

log = logging.getLogger("bot.discord")

FetchPage = Callable[[int], Awaitable[Response]]  # command page number → response


class StaticPages:
    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        self.count = len(pages)

    async def page(self, index: int) -> Page:
        return self.pages[index]


class CommandPages:
    def __init__(self, first: Response, layout: Paging, fetch: FetchPage) -> None:
        self.layout = layout
        self.count = layout.total
        self._fetch = fetch
        self._rendered = {layout.start // layout.per_command_page + 1: render(first)}

    async def page(self, index: int) -> Page:
        command_page = index // self.layout.per_command_page + 1
        if command_page not in self._rendered:
            self._rendered[command_page] = render(await self._fetch(command_page))
        pages = self._rendered[command_page]
        # New articles may have moved results since the first page was fetched.
        return pages[min(index % self.layout.per_command_page, len(pages) - 1)]


PageSource = StaticPages | CommandPages


def page_source(response: Response, fetch: FetchPage | None = None) -> tuple[PageSource, int]:
    """The pages of a response, and the index of the one to show first; ``fetch`` runs
    the command for another page, for responses that come in pages."""
    layout = paging(response)
    if layout is None:
        return StaticPages(render(response)), 0
    if fetch is None:
        raise TypeError(f"/{response.command} comes in pages: give a way to fetch the others")
    return CommandPages(response, layout, fetch), layout.start


class PageButton(discord.ui.Button["Paginator"]):
    def __init__(self, label: str, custom_id: str, step: int, style: discord.ButtonStyle) -> None:
        super().__init__(label=label, custom_id=custom_id, style=style)
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None  # a clicked button is on its view
        await self.view.turn(interaction, self.view.index + self.step)


class Paginator(discord.ui.View):
    def __init__(self, source: PageSource, *, index: int, owner_id: int, command: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.source = source
        self.index = index
        self.owner_id = owner_id
        self.command = command
        self.message: discord.WebhookMessage | None = None
        self.previous = PageButton("◀ Prev", "pager:prev", -1, discord.ButtonStyle.secondary)
        self.position: discord.ui.Button[Paginator] = discord.ui.Button(
            label="1 / 1", custom_id="pager:position", disabled=True)
        self.next = PageButton("Next ▶", "pager:next", +1, discord.ButtonStyle.primary)
        for button in (self.previous, self.position, self.next):
            self.add_item(button)
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.index <= 0
        self.next.disabled = self.index >= self.source.count - 1
        self.position.label = f"{self.index + 1} / {self.source.count}"

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            f"Only the person who ran /{self.command} can turn these pages. Run /{self.command} yourself to browse.",
            ephemeral=True,
        )
        return False

    async def turn(self, interaction: discord.Interaction, index: int) -> None:
        # Fetching a page may query the index: acknowledge first, edit when it is ready.
        await interaction.response.defer()
        index = max(0, min(index, self.source.count - 1))
        embeds = await self.source.page(index)
        self.index = index
        self._sync_buttons()
        await interaction.edit_original_response(embeds=embeds, view=self)

    async def on_timeout(self) -> None:
        for button in (self.previous, self.next):
            button.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable the buttons of a timed-out /%s", self.command, exc_info=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        await answer_failure(interaction, error, what=f"turning a page of /{self.command}")


async def send_pages(interaction: discord.Interaction, source: PageSource, *, index: int, command: str,
                     timeout: float) -> None:
    """Follows up a deferred interaction with the first page, and buttons if there are more."""
    embeds = await source.page(index)
    if source.count <= 1:
        await interaction.followup.send(embeds=embeds)
        return
    view = Paginator(source, index=index, owner_id=interaction.user.id, command=command, timeout=timeout)
    view.message = await interaction.followup.send(embeds=embeds, view=view, wait=True)

