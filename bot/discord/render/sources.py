"""/sources: the outlets this server can read, with article counts and date ranges."""

from __future__ import annotations

from commands.sources import SourcesResponse

from ..text import plural, safe
from .base import Page, pack_lines, render


@render.register
def _(response: SourcesResponse) -> list[Page]:
    lines = []
    for outlet in response.outlets:
        span = f"{outlet.earliest} – {outlet.latest}" if outlet.earliest else "no dates"
        lines.append(f"**{safe(outlet.outlet or '(outlet unknown)')}** — {plural(outlet.articles, 'article')} · {span}")
    if not lines:
        lines = ["Nothing here yet: a server manager can add articles with /ingest."]
    title = f"{plural(response.articles, 'article')} · {plural(response.claims, 'claim')}"
    return pack_lines(lines, title=title, author="/sources")
