"""Command responses as text for a terminal."""

from __future__ import annotations

import shutil
import textwrap
from functools import singledispatch

from commands.article import ArticleResponse
from commands.base import Response
from commands.search import SearchResponse
from commands.sources import SourcesResponse
from index.snippets import Snippet


# Control characters never occur in snippet text (ingestion keeps only decoded prose),
# so they can stand for highlights until the line is wrapped.
_MARK_ON, _MARK_OFF = "\x01", "\x02"


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.color else text

    def marks(self, text: str) -> str:
        """Show the words _snippet marked: in colour on a terminal, «so» elsewhere."""
        if self.color:
            return text.replace(_MARK_ON, "\033[1;33m").replace(_MARK_OFF, "\033[0m")
        return text.replace(_MARK_ON, "«").replace(_MARK_OFF, "»")


def width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


@singledispatch
def render(response: Response, style: Style) -> str:
    return response.model_dump_json(indent=2)


def _snippet(snippet: Snippet) -> str:
    out, last = [], 0
    for start, end in snippet.highlights:
        out += [snippet.text[last:start], f"{_MARK_ON}{snippet.text[start:end]}{_MARK_OFF}"]
        last = end
    out.append(snippet.text[last:])
    return "".join(out)


def _byline(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if p)


@render.register
def _(response: SearchResponse, style: Style) -> str:
    pages = max(1, -(-response.total // response.per_page))
    lines = [style.bold(f"/search {response.query}") + f" — {response.total} article(s), page {response.page} of {pages}"]
    if not response.results:
        lines.append(
            f"No page {response.page}: there are {pages}." if response.total
            else "No articles match. Try fewer words, another spelling, or drop a filter."
        )
    first = (response.page - 1) * response.per_page
    wrap = width() - 4
    for number, result in enumerate(response.results, start=first + 1):
        lines += ["", f"{number}. {style.bold(result.title)}"]
        lines.append("   " + style.dim(_byline(result.article_id, result.outlet, result.published, result.url)))
        # Wrap before colouring so escape codes do not count towards the width.
        lines += ["   " + style.marks(line) for line in textwrap.wrap(f"…{_snippet(result.snippet)}…", wrap)]
    if response.page < pages:
        lines += ["", style.dim(f"More: add page:{response.page + 1}")]
    return "\n".join(lines)


@render.register
def _(response: ArticleResponse, style: Style) -> str:
    lines = [
        style.bold(response.title),
        style.dim(_byline(response.article_id, response.outlet, response.published, response.language)),
        style.dim(_byline(response.url or response.source, f"{response.chars:,} characters", f"{response.claims} claims")),
        "",
        *textwrap.wrap(response.head + (" …" if response.truncated else ""), width()),
    ]
    junk = [s for s in response.marked if s.kind == "boilerplate"]
    if junk:
        lines += ["", style.dim(f"{len(junk)} line(s) of site junk left out: " + ", ".join(sorted({s.reason for s in junk})))]
    return "\n".join(lines)


@render.register
def _(response: SourcesResponse, style: Style) -> str:
    lines = [style.bold(f"{response.articles} article(s), {response.claims} claim(s)")]
    for outlet in response.outlets:
        span = f"{outlet.earliest} – {outlet.latest}" if outlet.earliest else "no dates"
        lines.append(f"  {outlet.articles:>6}  {outlet.outlet or '(outlet unknown)'}  " + style.dim(span))
    if not response.outlets:
        lines.append("Nothing ingested yet: run `claimdesk ingest PATH`.")
    return "\n".join(lines)
