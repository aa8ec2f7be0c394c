"""/compare: an overview page, then each disagreement with both articles' quotes side by
side, then the facts both state, then what only one of them says."""

from __future__ import annotations

from commands.base import ArticleSummary
from commands.compare import CompareResponse
from commands.grouping import ClaimGroup

from ..text import clip, code, plural, safe
from .base import NEUTRAL, WARNING, EmbedBuilder, Page, render
from .claims import Related, add_quotes, group_embed

OVERVIEW_LIST_CHARS = 1000
DIFFERENCE_HEADINGS = {"conflict": "They differ", "update": "Changed between them"}
DIFFERENCE_TITLES = {"They differ": "⚠ They differ", "Changed between them": "↻ The figure changed between them"}
HEADLINE_CHARS = 200


def _ref(label: str, ref: ArticleSummary) -> str:
    outlet = f" — {safe(ref.outlet)}" if ref.outlet else ""
    return f"**{label}:** {clip(ref.title, 300)}{outlet} · {code(ref.article_id)}"


def _headlines(groups: list[ClaimGroup]) -> str:
    return clip("\n".join("• " + safe(g.headline) for g in groups), OVERVIEW_LIST_CHARS, render=str) or "—"


@render.register
def _(response: CompareResponse) -> list[Page]:
    first, second = response.first, response.second
    author = f"/compare {first.article_id} {second.article_id}"
    details: list[tuple[str, ClaimGroup | tuple[ClaimGroup, ClaimGroup]]] = [
        *((DIFFERENCE_HEADINGS[d.kind], (d.first, d.second)) for d in response.differing),
        *(("Both say", g) for g in response.shared),
        *(("Only in A", g) for g in response.only_first),
        *(("Only in B", g) for g in response.only_second),
    ]
    total = len(details) + 1
    related: dict[str, Related] = {}
    for number, (_, item) in enumerate(details, start=2):
        for group in item if isinstance(item, tuple) else (item,):
            related.setdefault(group.id, Related(group.headline, number))

    counts = " · ".join((
        plural(len(response.shared), "shared fact"),
        plural(len(response.differing), "disagreement"),
        f"{len(response.only_first)} only in A",
        f"{len(response.only_second)} only in B",
    ))
    overview = EmbedBuilder(
        title="Two articles compared",
        description="\n".join((_ref("A", first), _ref("B", second), "", f"**{counts}**")),
        colour=WARNING if response.differing else NEUTRAL,
        author=author,
        footer=f"Page 1 of {total}",
    )
    if response.differing:
        overview.add_field("⚠ Where they differ", _headlines([d.first for d in response.differing]))
    for title, groups in (("Both say", response.shared), ("Only in A", response.only_first),
                          ("Only in B", response.only_second)):
        if groups:
            overview.add_field(title, _headlines(groups))
    pages: list[Page] = [[overview.embed]]

    for number, (heading, item) in enumerate(details, start=2):
        footer = f"Page {number} of {total} · {heading}"
        if isinstance(item, tuple):
            a, b = item
            builder = EmbedBuilder(
                title=safe(DIFFERENCE_TITLES[heading]),
                description=f"**A:** {clip(a.headline, 400)}\n**B:** {clip(b.headline, 400)}",
                colour=WARNING,
                author=author,
                footer=footer,
            )
            add_quotes(builder, [*a.quotes, *b.quotes])
        else:
            builder = group_embed(item, author=author, footer=footer, related=related)
        pages.append([builder.embed])
    return pages
