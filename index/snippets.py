"""Search snippets: the best window of an article around the query's terms."""

from __future__ import annotations

from pydantic import BaseModel

from index.analysis import PROSE

SNIPPET_CHARS = 240


class Snippet(BaseModel):
    """Article text from offset ``start``, white space runs folded to one space, with the
    ranges (relative to ``text``) that matched the query."""

    text: str
    start: int
    highlights: list[tuple[int, int]]


def make_snippet(body: str, query_terms: set[str], width: int = SNIPPET_CHARS) -> Snippet:
    """The window of ``body`` holding the most distinct query terms, cut at word boundaries.

    ``body`` is an article's text with excluded spans blanked, so offsets stay the
    article's own; the snippet's text is a verbatim slice of it.
    """
    matches = [
        (t.startchar, t.endchar, t.text)
        for t in PROSE(body, chars=True, removestops=True)
        if t.text in query_terms
    ]
    first_char = len(body) - len(body.lstrip())
    if not matches:
        return _window(body, first_char, first_char + width, [])
    best_start, best_score = matches[0][0], -1
    for i, (start, _, _) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + width]
        score = len({m[2] for m in inside}) * 1000 + len(inside)
        if score > best_score:
            best_start, best_score = start, score
    # Lead in with a little context before the first hit.
    start = max(first_char, best_start - width // 6)
    return _window(body, start, start + width, matches)


def _window(body: str, start: int, end: int, matches: list[tuple[int, int, str]]) -> Snippet:
    end = min(end, len(body))
    if start > 0 and not body[start - 1].isspace():
        space = body.find(" ", start, end)
        start = space + 1 if space != -1 else start
    if end < len(body) and not body[end].isspace():
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    raw = body[start:end]
    lead = len(raw) - len(raw.lstrip())
    start += lead
    # Fold white space (line breaks, blanked junk) and remember where each source char went.
    text_chars: list[str] = []
    position: dict[int, int] = {}
    for offset, char in enumerate(raw.strip(), start=start):
        if char.isspace():
            if text_chars[-1] == " ":
                position[offset] = len(text_chars) - 1
                continue
            char = " "
        position[offset] = len(text_chars)
        text_chars.append(char)
    position[start + len(raw.strip())] = len(text_chars)
    highlights = [(position[s], position[e]) for s, e, _ in matches if s in position and e in position]
    return Snippet(text="".join(text_chars), start=start, highlights=highlights)
