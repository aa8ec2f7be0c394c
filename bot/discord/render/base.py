"""The two dispatch points of rendering, and the embed builder every renderer uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import singledispatch

import discord

from commands.base import Response

from .. import limits
from ..text import clip, plain

Page = list[discord.Embed]

NEUTRAL = discord.Colour.blurple()
WARNING = discord.Colour.orange()
DANGER = discord.Colour.red()
SUCCESS = discord.Colour.green()


@dataclass(frozen=True)
class Paging:
    """A paged command's answers as bot pages: bot page ``i`` is page
    ``i % per_command_page`` of the render of command page ``i // per_command_page + 1``."""

    total: int  # bot pages in all
    per_command_page: int
    start: int  # the bot page the response shown first is on


@singledispatch
def render(response: Response) -> list[Page]:
    raise TypeError(f"no Discord renderer for /{response.command} ({type(response).__name__})")


@singledispatch
def paging(response: Response) -> Paging | None:
    """None: all of the response's pages come from ``render`` at once."""
    return None


class EmbedBuilder:
    """An embed that stays within Discord's limits: text is clipped on the way in, and
    ``room()`` tells renderers how much of the 6,000-character budget is left for fields."""

    def __init__(self, *, title: str = "", description: str = "", colour: discord.Colour = NEUTRAL,
                 url: str | None = None, author: str = "", footer: str = "") -> None:
        """``title`` and ``description`` are markdown the caller made safe (see ``text.safe``);
        ``author`` and ``footer`` are plain text, which Discord shows literally."""
        self.embed = discord.Embed(colour=colour, url=url)
        if title:
            self.embed.title = clip(title, limits.EMBED_TITLE, render=str)
        if description:
            self.embed.description = clip(description, limits.EMBED_DESCRIPTION, render=str)
        if author:
            self.embed.set_author(name=clip(author, limits.AUTHOR_NAME, render=str))
        if footer:
            self.embed.set_footer(text=clip(footer, limits.FOOTER_TEXT, render=str))

    def room(self, reserve: int = 0) -> int:
        """Characters left for more fields, keeping ``reserve`` for what comes after."""
        return limits.EMBED_TOTAL - len(self.embed) - reserve

    def fields_left(self) -> int:
        return limits.EMBED_FIELDS - len(self.embed.fields)

    def add_field(self, name: str, value: str, *, inline: bool = False) -> bool:
        """Adds a field of already-safe markdown; False (and nothing added) if it cannot fit."""
        name = clip(name, limits.FIELD_NAME, render=str) or "\u200b"
        value = clip(value, limits.FIELD_VALUE, render=str) or "\u200b"
        if not self.fields_left() or len(name) + len(value) > self.room():
            return False
        self.embed.add_field(name=name, value=value, inline=inline)
        return True


def pack_lines(lines: Iterable[str], *, title: str, colour: discord.Colour = NEUTRAL, author: str = "",
               footer: str = "", lead: str = "") -> list[Page]:
    """Safe markdown lines spread over as many one-embed pages as they need; ``lead`` heads every page."""
    budget = limits.EMBED_DESCRIPTION - len(lead) - len(footer) - len(title) - len(author) - 16
    pages: list[list[str]] = [[]]
    used = 0
    for line in lines:
        line = clip(line, min(1000, budget), render=str)
        if pages[-1] and used + len(line) + 1 > budget:
            pages.append([])
            used = 0
        pages[-1].append(line)
        used += len(line) + 1
    total = len(pages)
    result = []
    for number, page_lines in enumerate(pages, start=1):
        counter = f"Page {number} of {total}" if total > 1 else ""
        page_footer = " · ".join(part for part in (footer, counter) if part)
        description = "\n".join(part for part in (lead, "\n".join(page_lines)) if part)
        builder = EmbedBuilder(title=title, description=description, colour=colour, author=author, footer=page_footer)
        result.append([builder.embed])
    return result


def message_text(text: str) -> str:
    """A plain message of ours that may quote user input, made inert, within 2,000 characters."""
    return clip(text, limits.MESSAGE_CONTENT, render=plain)

