"""Autocomplete: speaker names, outlets and article ids from the server's own corpora.

Suggestions are store lookups (indexed or small), run in the bot's suggestion thread; query
options get suggestions only while a ``speaker:`` or ``outlet:`` filter is being typed,
and then the whole query with that filter completed is offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import discord
from discord import app_commands

from index.store import Store

from . import limits
from .errors import answer_failure
from .text import clip

Choice = app_commands.Choice[str]
Offered = list[app_commands.Choice[str]] | list[app_commands.Choice[int]]
Suggest = Callable[[Store, Sequence[str], str], list[Choice]]

_FILTER_BEING_TYPED = re.compile(r'(?P<field>speaker|outlet):(?:"(?P<quoted>[^"]*)|(?P<bare>[^\s"]*))\Z', re.IGNORECASE)


async def offer(interaction: discord.Interaction, choices: Offered) -> Offered:
    """Answers an autocomplete with ``choices`` here rather than leaving it to discord.py
    (which answers with what the callback returns), so that a late answer goes to the one
    error handler, as one line, instead of discord.py's traceback."""
    try:
        await interaction.response.autocomplete(choices)
    except discord.HTTPException as error:
        # discord.py answers unless the response is done, and would log a second refusal
        # as a traceback: this was the only try.
        interaction.response._response_type = discord.InteractionResponseType.autocomplete_result
        name = interaction.command.qualified_name if interaction.command else "a command"
        await answer_failure(interaction, error, what=f"suggestions for /{name}")
    return choices


def speakers(store: Store, corpora: Sequence[str], current: str) -> list[Choice]:
    names = store.speaker_names(corpora, current, limits.AUTOCOMPLETE_CHOICES)
    return [Choice(name=name, value=name) for name in names if len(name) <= limits.CHOICE_VALUE]


def article_ids(store: Store, corpora: Sequence[str], current: str) -> list[Choice]:
    found = store.article_ids(corpora, current.strip(), limits.AUTOCOMPLETE_CHOICES)
    return [
        Choice(name=clip(f"{article_id} — {title}" if title else article_id, limits.CHOICE_NAME, render=str),
               value=article_id)
        for article_id, title in found
        if len(article_id) <= limits.CHOICE_VALUE
    ]


def query_filters(store: Store, corpora: Sequence[str], current: str) -> list[Choice]:
    typed = _FILTER_BEING_TYPED.search(current)
    if typed is None:
        return []
    field = typed["field"].lower()
    prefix = typed["quoted"] if typed["quoted"] is not None else typed["bare"]
    lookup = store.speaker_names if field == "speaker" else store.outlet_names
    head = current[: typed.start()]
    choices = []
    for name in lookup(corpora, prefix, limits.AUTOCOMPLETE_CHOICES):
        if '"' in name:
            continue
        query = f'{head}{field}:"{name}"' if " " in name else f"{head}{field}:{name}"
        if len(query) <= limits.CHOICE_VALUE:
            choices.append(Choice(name=query, value=query))
    return choices


# Which options suggest what, by (command, option). Checked against the commands'
# args models when the bot starts, so a renamed field fails loudly.
SUGGESTIONS: dict[tuple[str, str], Suggest] = {
    ("claims", "query"): query_filters,
    ("search", "query"): query_filters,
    ("who", "name"): speakers,
    ("who", "about"): query_filters,
    ("article", "id"): article_ids,
    ("compare", "first"): article_ids,
    ("compare", "second"): article_ids,
}
