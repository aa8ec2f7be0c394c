"""/search: a page of articles, each with its snippet and the matching words in bold."""

from __future__ import annotations

from commands.search import ArticleResult, SearchResponse
from index.snippets import Snippet

from .. import limits
from ..text import ELLIPSIS, clip, code, link, plural, safe
from .base import EmbedBuilder, Page, Paging, paging, render

RESULT_TITLE_CHARS = 200


def highlighted(snippet: Snippet, length: int | None = None) -> str:
    """The snippet's first ``length`` characters, escaped, with the query's words in bold."""
    text = snippet.text if length is None else snippet.text[:length]
    out, last = [], 0
    for start, end in snippet.highlights:
        start, end = min(start, len(text)), min(end, len(text))
        if start < last or start == end:
            continue
        out += [safe(text[last:start]), f"**{safe(text[start:end])}**"]
        last = end
    out.append(safe(text[last:]))
    return "".join(out)


def _result_value(result: ArticleResult, budget: int) -> str:
    byline = " · ".join(
        part for part in (
            safe(result.outlet) if result.outlet else "",
            result.published.isoformat() if result.published else "",
            "id " + code(result.article_id),
        ) if part
    )
    where = link("Read the article", result.url) or ""
    if len(where) > budget // 3:
        where = ""
    snippet_budget = budget - len(byline) - len(where) - 4  # line breaks and the leading ellipsis
    snippet = clip(result.snippet.text, snippet_budget - 1,
                   render=lambda prefix: highlighted(result.snippet, len(prefix)))
    lead = ELLIPSIS if result.snippet.start > 0 else ""
    return "\n".join(part for part in (byline, lead + snippet, where) if part)


@render.register
def _(response: SearchResponse) -> list[Page]:
    pages = max(1, -(-response.total // response.per_page))
    asked = clip(f"/search {response.query}", limits.AUTHOR_NAME - 40, render=str)
    author = f"{asked} · {plural(response.total, 'article')}"
    footer = f"Page {response.page} of {pages}"
    if not response.results:
        message = (f"No page {response.page}: there are only {plural(pages, 'page')} of results." if response.total
                   else "No articles match. Try fewer words, another spelling, or drop a filter.")
        return [[EmbedBuilder(author=author, description=message).embed]]
    builder = EmbedBuilder(author=author, footer=footer)
    first = (response.page - 1) * response.per_page
    titles = [clip(f"{first + n}. {result.title}", RESULT_TITLE_CHARS) for n, result in enumerate(response.results, 1)]
    per_result = min(limits.FIELD_VALUE, (builder.room() - sum(map(len, titles))) // len(titles))
    for title, result in zip(titles, response.results, strict=True):
        builder.add_field(title, _result_value(result, per_result))
    return [[builder.embed]]


@paging.register
def _(response: SearchResponse) -> Paging | None:
    if not response.results:
        return None
    return Paging(total=-(-response.total // response.per_page), per_command_page=1, start=response.page - 1)
