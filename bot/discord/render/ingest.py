"""/ingest: what was added to the server's library, and why anything was refused."""

from __future__ import annotations

from commands.ingest import IngestResponse

from ..text import code, safe
from .base import DANGER, SUCCESS, WARNING, Page, pack_lines, render

MARKS = {"ingested": "✅", "updated": "🔄", "unchanged": "➖", "failed": "❌"}


@render.register
def _(response: IngestResponse) -> list[Page]:
    lines = []
    for outcome in response.outcomes:
        line = f"{MARKS[outcome.status]} {safe(outcome.source)}"
        if outcome.status == "failed":
            line += f": {safe(outcome.reason)}"
        elif outcome.article_id:
            line += f" → {code(outcome.article_id)}"
        lines.append(line)
        lines += [f"  ↳ {safe(note)}" for note in outcome.notes]
    counts = " · ".join(f"{getattr(response, s)} {s}" for s in ("ingested", "updated", "unchanged", "failed"))
    added = response.ingested + response.updated
    colour = DANGER if response.failed and not added else WARNING if response.failed else SUCCESS
    return pack_lines(lines, title="Added to this server's library" if added else "Nothing new added",
                      lead=f"**{counts}**", colour=colour, author="/ingest")
