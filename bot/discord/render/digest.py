"""A digest edition as Discord messages, and digest subscriptions as a list.

An edition is a run of compact embeds: a header, then per topic its disagreements (each
side's figure, who says it and its quote, side by side), its new claim groups (up to
``QUOTES_SHOWN`` quotes side by side) and its new articles by outlet. The embeds are
packed into as few messages as Discord allows (10 embeds and 6,000 characters a
message). Links appear only inside embeds, which Discord never unfurls.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from commands.base import ArticleSummary
from commands.digest import DigestResponse, DigestSection, Disagreement, OutletArticles, SubscriptionsResponse
from commands.grouping import ClaimGroup, Quote, reach_text

from .. import limits
from ..text import clip, code, link, plural, safe
from .base import NEUTRAL, WARNING, EmbedBuilder, Page, pack_lines, render

# Compact on purpose: an edition is read in a channel, so a topic's five items should
# take about one message, not one each.
QUOTES_SHOWN = 2
QUOTE_CHARS = 220
SIDES_SHOWN = 3  # a new figure and at most two it conflicts with
SIDE_QUOTE_CHARS = 220
LINK_CHARS = 300  # longer article links fall back to the article's id, so a field stays whole
NAME_CHARS = 120  # longer field names wrap badly beside each other
FOOTER_RESERVE = 120  # room kept in every message for the edition marker in its first footer
EDITION_COLOUR = discord.Colour.dark_teal()


def edition_embeds(response: DigestResponse) -> list[discord.Embed]:
    embeds = [_header(response)]
    for section in response.sections:
        embeds += _section_embeds(section)
    return embeds


def pack_messages(embeds: Sequence[discord.Embed], reserve: int = FOOTER_RESERVE) -> list[Page]:
    """Embeds in order, as few messages as fit: at most 10 embeds and 6,000 characters
    each, keeping ``reserve`` characters a message for a footer added afterwards."""
    messages: list[Page] = [[]]
    used = 0
    for embed in embeds:
        size = len(embed)
        if messages[-1] and (len(messages[-1]) >= 10 or used + size > limits.EMBED_TOTAL - reserve):
            messages.append([])
            used = 0
        messages[-1].append(embed)
        used += size
    return messages if messages[0] else []


def edition_messages(response: DigestResponse, marker: str) -> list[Page]:
    """The messages of an edition; the first embed of each carries ``marker · part k of n``
    in its footer, which is how a restarted bot recognises what it already posted."""
    messages = pack_messages(edition_embeds(response))
    for number, embeds in enumerate(messages, start=1):
        embeds[0].set_footer(text=part_marker(marker, number, len(messages)))
    return messages


def part_marker(marker: str, number: int, total: int) -> str:
    return clip(f"{marker} · part {number} of {total}", limits.FOOTER_TEXT, render=str)


def _when(response: DigestResponse) -> str:
    fmt = "%Y-%m-%d %H:%M UTC"
    return f"{response.since.strftime(fmt)} → {response.until.strftime(fmt)}"


def _header(response: DigestResponse) -> discord.Embed:
    topics = [s.topic for s in response.sections if s.topic]
    updated = f", {response.updated_articles} updated" if response.updated_articles else ""
    lines = [f"**{plural(response.new_articles, 'new article')}**{updated} · {_when(response)}"]
    if topics:
        lines.append("Topics: " + ", ".join(code(t) for t in topics))
    if response.exclude:
        lines.append("Leaving out: " + code(response.exclude))
    conflicts = sum(len(s.disagreements) for s in response.sections)
    if conflicts:
        lines.append(f"⚠ **{plural(conflicts, 'new disagreement')}** between sources")
    return EmbedBuilder(title="claimdesk digest", description="\n".join(lines), colour=EDITION_COLOUR).embed


def _article_lines(outlets: list[OutletArticles], more: int, label: str, more_word: str) -> list[str]:
    """One line an outlet with its articles linked, and how many more."""
    lines = [f"{label}**{safe(o.outlet)}**: " + "; ".join(_article_link(a) for a in o.articles) for o in outlets]
    return lines + ([f"+{plural(more, more_word)}"] if more else [])


def _section_embeds(section: DigestSection) -> list[discord.Embed]:
    topic = f"Topic: {section.topic}" if section.topic else "Everything new"
    embeds = [_disagreement_embed(d, topic) for d in section.disagreements]
    embeds += [_group_embed(g, topic) for g in section.groups]
    lines = _article_lines(section.outlets, section.more_articles, "", "more article")
    lines += _article_lines(section.updated, section.more_updated, "Updated · ", "more updated article")
    if section.more:
        where = f"`/claims {section.topic}`" if section.topic and "`" not in section.topic else "/claims"
        lines.append(f"+{plural(section.more, 'more item')}: {where}")
    if lines:
        embeds += pack_lines(lines, title="New articles by outlet", author=topic)[0]
    return embeds


def _article_link(article: ArticleSummary) -> str:
    return _linked(clip(article.title, 150, render=str), article.url, article.article_id, named=True)


def _linked(label: str, url: str | None, article_id: str, *, named: bool = False) -> str:
    """``label`` linked to the article; its id to look up when the URL is missing or too
    long to keep the text readable (and whole: a clipped link would break its markup)."""
    linked = link(label, url)
    if linked is not None and len(linked) <= LINK_CHARS:
        return linked
    return f"{safe(label)} ({code(article_id)})" if named else code(f"/article {article_id}")


def _disagreement_embed(disagreement: Disagreement, topic: str) -> discord.Embed:
    sides = [disagreement.group, *disagreement.against][:SIDES_SHOWN]
    hidden = len(disagreement.against) + 1 - len(sides)
    builder = EmbedBuilder(
        title="⚠ " + " vs ".join(safe(_figure(g)) for g in sides) + (f" (+{hidden})" if hidden else ""),
        description="Sources give different figures for the same thing"
                    + (f"; {plural(hidden, 'more figure')} in `/claims`." if hidden else "."),
        colour=WARNING, author=topic,
    )
    for group in sides:
        builder.add_field(_side_name(group), _side_value(group, SIDE_QUOTE_CHARS), inline=True)
    return builder.embed


def _figure(group: ClaimGroup) -> str:
    return clip(group.headline.split(" — ")[0], 80, render=str)


def _side_name(group: ClaimGroup) -> str:
    who = ", ".join(group.speakers) or ", ".join(dict.fromkeys(q.outlet_label for q in group.quotes))
    return clip(f"{_figure(group)} — {who}" if who else _figure(group), NAME_CHARS)


def _side_value(group: ClaimGroup, budget: int) -> str:
    """The side's first quote, verbatim, and links to (at most two of) its articles."""
    links = [_linked(q.outlet or "article", q.url, q.article_id) for q in group.quotes[:2]]
    more = f" +{len(group.quotes) - 2}" if len(group.quotes) > 2 else ""
    return f"“{clip(group.quotes[0].text.strip(), budget)}”\n{', '.join(links)}{more}"


def _group_embed(group: ClaimGroup, topic: str) -> discord.Embed:
    counts = reach_text(group)
    builder = EmbedBuilder(title=clip(group.headline, limits.EMBED_TITLE), description=f"**{counts}**",
                           colour=NEUTRAL, author=topic)
    for quote in group.quotes[:QUOTES_SHOWN]:
        builder.add_field(_quote_name(quote), _quote_value(quote), inline=True)
    if len(group.quotes) > QUOTES_SHOWN:
        others = ", ".join(dict.fromkeys(q.outlet_label for q in group.quotes[QUOTES_SHOWN:]))
        builder.add_field(f"+{plural(len(group.quotes) - QUOTES_SHOWN, 'more quote')}", clip(others, 200))
    return builder.embed


def _quote_name(quote: Quote) -> str:
    date = quote.published.isoformat() if quote.published else ""
    return clip(" · ".join(p for p in (quote.outlet_label, date, quote.speaker or "") if p), NAME_CHARS)


def _quote_value(quote: Quote) -> str:
    where = _linked("Read the article", quote.url, quote.article_id)
    return f"“{clip(quote.text.strip(), QUOTE_CHARS)}”\n{where}"


@render.register
def _(response: DigestResponse) -> list[Page]:
    if response.empty:
        return [[EmbedBuilder(title="claimdesk digest", description=(
            f"Nothing new {_when(response)}: no digest would be posted.")).embed]]
    return pack_messages(edition_embeds(response), reserve=0)


@render.register
def _(response: SubscriptionsResponse) -> list[Page]:
    lines = []
    for s in response.subscriptions:
        topics = ", ".join(code(t) for t in s.topics) or "everything new"
        last = response.last_editions.get(s.id)
        lines.append(
            f"**{s.id}** · <#{s.channel_id}> · {safe(s.schedule)} ({safe(s.timezone)}) · {topics}"
            + (f" · leaving out {code(s.exclude)}" if s.exclude else "")
            + (f" · last edition up to {last.strftime('%Y-%m-%d %H:%M UTC')}" if last else "")
        )
    return pack_lines(lines, title="Digests", lead=safe(response.message) if response.message else "")
