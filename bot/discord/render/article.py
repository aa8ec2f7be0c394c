"""/article: one article's metadata and the head of its text."""

from __future__ import annotations

from commands.article import ArticleResponse

from ..text import ELLIPSIS, clip, code, plural, safe, web_url
from .base import EmbedBuilder, Page, render

HEAD_CHARS = 3000


@render.register
def _(response: ArticleResponse) -> list[Page]:
    head = clip(response.head, HEAD_CHARS)
    if response.truncated and not head.endswith(ELLIPSIS):
        head += " " + ELLIPSIS
    builder = EmbedBuilder(
        title=safe(response.title),
        url=web_url(response.url),
        description=head,
        author=f"/article {response.article_id}",
        footer=response.url or response.source,
    )
    builder.add_field("Outlet", safe(response.outlet or "unknown"), inline=True)
    builder.add_field("Published", response.published.isoformat() if response.published else "unknown", inline=True)
    builder.add_field("Id", code(response.article_id), inline=True)
    builder.add_field("Claims", f"{response.claims:,}", inline=True)
    builder.add_field("Length", plural(response.chars, "character"), inline=True)
    builder.add_field("Language", safe(response.language or "unknown"), inline=True)
    junk = sorted({span.reason for span in response.marked if span.kind == "boilerplate" and span.reason})
    if junk:
        count = sum(span.kind == "boilerplate" for span in response.marked)
        builder.add_field(f"{plural(count, 'line')} of site junk left out", clip(", ".join(junk), 900))
    return [[builder.embed]]
