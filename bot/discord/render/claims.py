"""/claims and /who: one claim group per page, each outlet's quote side by side.

The headline and the corroboration counts head the embed; every quote is an inline
field (Discord lays inline fields out side by side) named by outlet, date and speaker,
holding the verbatim quote and a link to its article. Disagreement is flagged in the
description, where it cannot be missed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from commands.claims import ClaimsResponse
from commands.grouping import ClaimGroup, Quote, reach_text, timeline_text, total_text
from commands.who import WhoResponse

from .. import limits
from ..text import clip, code, link, plural, safe
from .base import DANGER, NEUTRAL, WARNING, EmbedBuilder, Page, Paging, paging, render

QUOTE_NAME_CHARS = 120  # longer field names wrap badly beside each other
MIN_QUOTE_CHARS = 160  # below this, show fewer quotes rather than stubs of all of them
MORE_QUOTES_CHARS = 200  # room kept for the "+N more" field
RELATED_SHOWN = 3
LINK_SHARE = 3  # a link may take at most a third of a field; longer URLs fall back to /article


@dataclass(frozen=True)
class Related:
    """A group another group points at: its headline and the page it is on, if known."""

    headline: str
    page: int | None


def group_embed(group: ClaimGroup, *, author: str, footer: str, related: Mapping[str, Related]) -> EmbedBuilder:
    builder = EmbedBuilder(
        title=_headline(group.headline),
        description=_description(group, related),
        colour=DANGER if group.denial or group.contradicts else WARNING if group.conflicts_with else NEUTRAL,
        author=author,
        footer=footer,
    )
    add_quotes(builder, group.quotes)
    return builder


def _headline(headline: str) -> str:
    """The headline within a title; a verbatim excerpt cut short keeps its closing mark."""
    clipped = clip(headline, limits.EMBED_TITLE - 1)
    return clipped + "”" if clipped.count("“") > clipped.count("”") else clipped


def _description(group: ClaimGroup, related: Mapping[str, Related]) -> str:
    lines = [f"**{reach_text(group)}**"]
    if changes := timeline_text(group):
        lines.append("↻ **Changed over time:** " + clip(changes, 400))
    if group.speakers:
        lines.append("Primary sources: " + clip(", ".join(group.speakers), 400))
    if group.conflicts_with:
        lines.append("⚠ **Conflicts with:** " + _related(group.conflicts_with, related))
    if group.contradicts:
        label = "Denies" if group.denial else "Denied by"
        lines.append(f"⛔ **{label}:** " + _related(group.contradicts, related))
    return "\n".join(lines)


def _related(ids: Sequence[str], related: Mapping[str, Related]) -> str:
    known = [related[i] for i in ids if i in related][:RELATED_SHOWN]
    parts = [clip(r.headline, 300) + (f" (page {r.page})" if r.page else "") for r in known]
    others = len(ids) - len(known)
    if others:
        parts.append(f"{plural(others, 'group')} on other pages of results")
    return "; ".join(parts)


def add_quotes(builder: EmbedBuilder, quotes: Sequence[Quote]) -> None:
    names = [clip(_quote_name(q), QUOTE_NAME_CHARS, render=str) for q in quotes]
    shown = min(len(quotes), builder.fields_left())
    while True:
        hidden = len(quotes) - shown
        if hidden and shown == builder.fields_left():
            shown -= 1  # the "+N more" field needs a slot
            continue
        room = builder.room(MORE_QUOTES_CHARS if hidden else 0) - sum(map(len, names[:shown]))
        per_quote = min(limits.FIELD_VALUE, room // max(shown, 1))
        if per_quote >= MIN_QUOTE_CHARS or shown <= 1:
            break
        shown -= 1
    for quote, name in zip(quotes[:shown], names[:shown], strict=True):
        builder.add_field(name, _quote_value(quote, per_quote), inline=True)
    if hidden:
        outlets = ", ".join(dict.fromkeys(q.outlet_label for q in quotes[shown:]))
        builder.add_field(f"+{plural(hidden, 'more quote')}", clip(outlets, MORE_QUOTES_CHARS - 40))


def _quote_name(quote: Quote) -> str:
    who = quote.speaker or ""
    if quote.via:
        who = f"{who} via {quote.via}".strip()
    date = quote.published.isoformat() if quote.published else ""
    return " · ".join(safe(part) for part in (quote.outlet_label, date, who) if part)


def _quote_value(quote: Quote, budget: int) -> str:
    """The verbatim quote in quotation marks, then where to read all of it."""
    where = link("Read the article", quote.url)
    if where is None or len(where) > budget // LINK_SHARE:
        where = "Full text: " + code(f"/article {quote.article_id}")
    text_budget = budget - len(where) - 3  # the quotation marks and the line break
    return f"“{clip(quote.text.strip(), text_budget)}”\n{where}"


def group_pages(groups: Sequence[ClaimGroup], *, author: str, first_number: int, total: int) -> list[Page]:
    """One page per group; ``first_number`` is the 1-based number of the first group."""
    related = {g.id: Related(g.headline, first_number + n) for n, g in enumerate(groups)}
    return [
        [group_embed(group, author=author, footer=f"Group {first_number + n} of {total}", related=related).embed]
        for n, group in enumerate(groups)
    ]


def empty_page(author: str, message: str) -> list[Page]:
    return [[EmbedBuilder(author=author, description=message).embed]]


@render.register
def _(response: ClaimsResponse) -> list[Page]:
    asked = clip(f"/claims {response.query}", limits.AUTHOR_NAME - 20, render=str)
    author = f"{asked} · {total_text(response.total_groups, response.total_is_lower_bound)}"
    if not response.groups:
        return empty_page(author, _nothing(response.total_groups, response.page, response.per_page,
                                           "No claims match. Try fewer words, another spelling, or drop a filter."))
    first = (response.page - 1) * response.per_page + 1
    return group_pages(response.groups, author=author, first_number=first, total=response.total_groups)


@render.register
def _(response: WhoResponse) -> list[Page]:
    asked = f"/who {response.name}" + (f" about {response.about}" if response.about else "")
    spellings = [n for n in response.names_seen if n != response.name]
    author = " · ".join(
        part for part in (
            clip(asked, 120, render=str),
            plural(response.outlets, "outlet") if response.outlets else plural(response.articles, "article"),
            "also: " + ", ".join(spellings) if spellings else "",
        ) if part
    )
    if not response.groups:
        none_found = f"No claims attributed to {safe(response.name)} (under any spelling) match."
        return empty_page(author, _nothing(response.total_groups, response.page, response.per_page, none_found))
    first = (response.page - 1) * response.per_page + 1
    return group_pages(response.groups, author=author, first_number=first, total=response.total_groups)


@paging.register
def _(response: ClaimsResponse | WhoResponse) -> Paging | None:
    if not response.groups:
        return None
    return Paging(total=response.total_groups, per_command_page=response.per_page,
                  start=(response.page - 1) * response.per_page)


def _nothing(total: int, page: int, per_page: int, none_found: str) -> str:
    if total:
        pages = -(-total // per_page)
        return f"No page {page}: there {'is' if pages == 1 else 'are'} only {plural(pages, 'page')} of results."
    return none_found
