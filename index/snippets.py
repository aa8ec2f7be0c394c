"""Search snippets: the best window of an article around the query's terms."""

from __future__ import annotations

from collections import Counter
from itertools import islice

from pydantic import BaseModel

from index.analysis import PROSE
from index.limits import MAX_SNIPPET_MATCHES, MAX_SNIPPET_SCAN_CHARS

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
    article's own; the snippet's text is a verbatim slice of it. Only the first
    ``MAX_SNIPPET_MATCHES`` matches within the first ``MAX_SNIPPET_SCAN_CHARS``
    characters are considered, so a freak article costs no more than a long one.
    """
    matches = _matches(body[:MAX_SNIPPET_SCAN_CHARS], query_terms)
    first_char = len(body) - len(body.lstrip())
    if not matches:
        return _window(body, first_char, first_char + width, [])
    best_start = _best_window_start(matches, width)
    # Lead in with a little context before the first hit.
    start = max(first_char, best_start - width // 6)
    return _window(body, start, start + width, matches)


def _matches(text: str, query_terms: set[str]) -> list[tuple[int, int, str]]:
    tokens = PROSE(text, chars=True, removestops=True)
    found = ((t.startchar, t.endchar, t.text) for t in tokens if t.text in query_terms)
    return list(islice(found, MAX_SNIPPET_MATCHES))


def _best_window_start(matches: list[tuple[int, int, str]], width: int) -> int:
    """Start of the match whose window (``width`` characters from it) holds the most
    distinct terms, then the most matches; the earliest on a tie.

    Matches come in text order and do not overlap, so as the window's start moves right
    its end never moves left: one pass with two pointers and a count per term.
    """
    in_window: Counter[str] = Counter()
    end = 0  # matches[start_index:end] lie inside the current window
    best_start, best_score = matches[0][0], -1
    for start_index, (start, _, _) in enumerate(matches):
        end = max(end, start_index)  # a match longer than the window leaves it empty
        while end < len(matches) and matches[end][1] <= start + width:
            in_window[matches[end][2]] += 1
            end += 1
        score = len(in_window) * 1000 + (end - start_index)
        if score > best_score:
            best_start, best_score = start, score
        if end > start_index:  # the window's first match leaves before the next start
            term = matches[start_index][2]
            in_window[term] -= 1
            if not in_window[term]:
                del in_window[term]
    return best_start


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
