"""Command responses as text for a terminal."""

from __future__ import annotations

import shutil
import textwrap
from functools import singledispatch

from commands.article import ArticleResponse
from commands.base import Response
from commands.claims import ClaimsResponse
from commands.compare import CompareResponse
from commands.digest import DigestResponse, OutletArticles
from commands.grouping import ClaimGroup, Quote, reach_text, timeline_text, total_text
from commands.search import SearchResponse
from commands.sources import SourcesResponse
from commands.who import WhoResponse
from index.snippets import Snippet


# Responses are made inert before rendering (bot.inert: an article's own control
# characters become visible stand-ins), so control characters can stand for highlights
# until the line is wrapped.
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


# --- claim groups ---------------------------------------------------------------------

COLUMN_MIN = 34  # narrower than this, quotes are stacked rather than set side by side
MAX_COLUMNS = 3


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _quote_block(quote: Quote, column: int) -> list[str]:
    """One outlet's quote: who and where on top, the verbatim text in quotation marks."""
    lines = textwrap.wrap(_byline(quote.outlet_label, quote.published), column)
    who = quote.speaker or "unattributed"
    if quote.cue:
        who += f" ({quote.cue})"
    if quote.via:
        who += f" via {quote.via}"
    lines += textwrap.wrap(who, column)
    lines += textwrap.wrap(f"“{' '.join(quote.text.split())}”", column)
    return lines


def _link(quote: Quote) -> str:
    return quote.url or f"/article {quote.article_id}"


def _side_by_side(quotes: list[Quote], total_width: int) -> list[str]:
    """Quotes in columns; each row's links follow it whole, one a line, because a link
    cut to a column's width can be neither read nor opened."""
    columns = min(len(quotes), MAX_COLUMNS)
    while columns > 1 and (total_width - 3 * (columns - 1)) // columns < COLUMN_MIN:
        columns -= 1
    width = (total_width - 3 * (columns - 1)) // columns
    lines: list[str] = []
    for row_start in range(0, len(quotes), columns):
        row = quotes[row_start : row_start + columns]
        blocks = [_quote_block(q, width) for q in row]
        height = max(len(b) for b in blocks)
        for i in range(height):
            cells = [(b[i] if i < len(b) else "").ljust(width) for b in blocks]
            lines.append(" │ ".join(cells).rstrip())
        if len(row) == 1:
            lines.append(_link(row[0]))
        else:
            lines += [f"{q.outlet_label or q.article_id}: {_link(q)}" for q in row]
        lines.append("")
    return lines


def _group_lines(number: int, group: ClaimGroup, numbers: dict[str, int], style: Style) -> list[str]:
    lines = [f"{number}. {style.bold(group.headline)}", "   " + style.dim(reach_text(group))]
    if changes := timeline_text(group):
        lines.append(f"   ↻ changed over time: {changes}")
    for label, ids in (("⚠ disagrees with", group.conflicts_with), ("⛔ contradicted by", group.contradicts)):
        if ids:
            named = [f"#{numbers[i]}" for i in ids if i in numbers]
            elsewhere = len(ids) - len(named)
            parts = named + ([f"{elsewhere} group(s) on other pages"] if elsewhere else [])
            lines.append(f"   {label}: {', '.join(parts)}")
    lines.append("")
    lines += ["   " + line if line else "" for line in _side_by_side(group.quotes, width() - 3)]
    return lines


def _groups(groups: list[ClaimGroup], first: int, style: Style) -> list[str]:
    numbers = {g.id: n for n, g in enumerate(groups, start=first)}
    lines: list[str] = []
    for number, group in enumerate(groups, start=first):
        lines += ["", *_group_lines(number, group, numbers, style)]
    return lines


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


@render.register
def _(response: ClaimsResponse, style: Style) -> str:
    pages = _pages(response.total_groups, response.per_page)
    lines = [style.bold(f"/claims {response.query}")
             + f" — {total_text(response.total_groups, response.total_is_lower_bound)}, page {response.page} of {pages}"]
    if not response.groups:
        lines.append("No claims match. Try another word, a synonym, or drop a filter.")
    lines += _groups(response.groups, (response.page - 1) * response.per_page + 1, style)
    if response.page < pages:
        lines.append(style.dim(f"More: add page:{response.page + 1}"))
    return "\n".join(lines).rstrip()


def _who_reach(response: WhoResponse) -> str:
    """Named outlets, and articles when some have no outlet: never a path as an outlet."""
    if response.outlets and response.articles <= response.outlets:
        return _plural(response.outlets, "outlet")
    if response.outlets:
        return f"{_plural(response.outlets, 'outlet')} · {_plural(response.articles, 'article')}"
    return _plural(response.articles, "article")


@render.register
def _(response: WhoResponse, style: Style) -> str:
    pages = _pages(response.total_groups, response.per_page)
    lines = [style.bold(f"/who {response.name}") + (f" about {response.about}" if response.about else "")
             + f" — {_plural(response.total_groups, 'group')} in {_who_reach(response)}, page {response.page} of {pages}"]
    if response.names_seen:
        lines.append(style.dim("Named as: " + "; ".join(response.names_seen)))
    else:
        lines.append("Nobody by that name is quoted here. Check the spelling, or try the surname alone.")
    lines += _groups(response.groups, (response.page - 1) * response.per_page + 1, style)
    return "\n".join(lines).rstrip()


@render.register
def _(response: CompareResponse, style: Style) -> str:
    first = response.first.outlet or response.first.article_id
    second = response.second.outlet or response.second.article_id
    lines = [style.bold(f"{response.first.title}  ⟷  {response.second.title}"), style.dim(f"{first}  ⟷  {second}")]
    number = 1
    for heading, groups in (("Both say", response.shared), (f"Only {first}", response.only_first),
                            (f"Only {second}", response.only_second)):
        lines += ["", style.bold(f"{heading} ({len(groups)})")]
        lines += _groups(groups, number, style)
        number += len(groups)
    lines += ["", style.bold(f"They disagree ({len(response.differing)})")]
    for pair in response.differing:
        link = "  ⟷  " if pair.kind == "conflict" else "  → changed to →  "
        lines += ["", f"{pair.first.headline}{link}{pair.second.headline}"]
        lines += ["   " + line if line else "" for line in _side_by_side(pair.first.quotes[:1] + pair.second.quotes[:1], width() - 3)]
    return "\n".join(lines).rstrip()


def _article_list(heading: str, outlets: list[OutletArticles], more: int, more_word: str, style: Style) -> list[str]:
    """A digest's articles under ``heading``, outlet by outlet, and how many more."""
    lines = [style.bold(heading)] if outlets else []
    for outlet in outlets:
        lines.append(f"  {outlet.outlet}")
        lines += [f"    {a.title} " + style.dim(_byline(a.article_id, a.url)) for a in outlet.articles]
    if more:
        lines.append(style.dim(f"  +{_plural(more, more_word)}"))
    return lines


@render.register
def _(response: DigestResponse, style: Style) -> str:
    window = f"{response.since:%Y-%m-%d %H:%M} → {response.until:%Y-%m-%d %H:%M} UTC"
    updated = f", {response.updated_articles} updated" if response.updated_articles else ""
    lines = [style.bold("Digest") + f" — {_plural(response.new_articles, 'new article')}{updated}, {window}"]
    if response.empty:
        lines.append("Nothing new in this window: no digest would be posted.")
    for section in response.sections:
        lines += ["", style.bold(f"Topic: {section.topic}" if section.topic else "Everything new")]
        sides = [[d.group, *d.against] for d in section.disagreements]
        if sides:
            lines.append(style.bold(f"⚠ New disagreements ({len(sides)})"))
        for groups in sides:
            lines += ["", "  " + "  ⟷  ".join(g.headline for g in groups)]
            quotes = [g.quotes[0] for g in groups]
            lines += ["   " + line if line else "" for line in _side_by_side(quotes, width() - 3)]
        if section.groups:
            lines.append(style.bold(f"New claims ({len(section.groups)})"))
            lines += _groups(section.groups, 1, style)
        lines += _article_list("New articles", section.outlets, section.more_articles, "more article", style)
        lines += _article_list("Updated articles (new claims above)", section.updated, section.more_updated,
                               "more updated article", style)
        if section.more:
            lines.append(style.dim(f"  +{section.more} more: /claims {section.topic or 'WORDS'}"))
    return "\n".join(lines).rstrip()

