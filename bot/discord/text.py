"""Article text made safe to show on Discord, and clipped to fit Discord's limits.

Article text is shown as written: markdown is escaped so that ``*`` or ``_`` in a quote
stays a character, mentions are neutralised so that ``@everyone`` in an article is
text, not a ping (the bot also sends every message with no mentions allowed), and
control and bidi-override characters are shown as visible stand-ins (``bot.inert``).

Clipping works on the raw text and escapes the kept prefix afterwards, so a cut can
never fall inside an escape sequence (``\\*``) or between the ``**`` of a highlight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import quote, urlsplit

import discord

from ..inert import inert

ELLIPSIS = "…"
_WORD_GAP = re.compile(r"\s+")
# Punctuation that reads badly just before an ellipsis.
_DANGLING = " \t\r\n,;:–—-"
# Characters of a URL that would end or confuse a masked link ``[label](url)``.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"

Render = Callable[[str], str]


def safe(text: str) -> str:
    """Markdown escaped, mentions neutralised and controls made visible; reads exactly as
    ``text`` on Discord."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(inert(text)))


def plain(text: str) -> str:
    """A sentence of ours that may hold user input: mentions neutralised and controls
    made visible, markdown kept."""
    return discord.utils.escape_mentions(inert(text))


def clip(raw: str, limit: int, render: Render = safe, ellipsis: str = ELLIPSIS) -> str:
    """``render(raw)`` if it fits in ``limit`` characters, else the rendering of the
    longest prefix of ``raw`` ending at a word (at a character only when the first word
    alone is too long) followed by ``ellipsis``."""
    full = render(raw)
    if len(full) <= limit:
        return full

    def rendered(end: int) -> str:
        return render(raw[:end].rstrip(_DANGLING)) + ellipsis

    def fits(end: int) -> bool:
        return len(rendered(end)) <= limit

    word_ends = [m.start() for m in _WORD_GAP.finditer(raw) if m.start() > 0]
    end = _last_fitting(word_ends, fits) or _last_fitting(range(1, len(raw)), fits)
    return rendered(end) if end else ellipsis[:limit]


def _last_fitting(ends: Sequence[int], fits: Callable[[int], bool]) -> int | None:
    """The largest end that fits; escaping grows with the prefix, so a binary search finds it."""
    low, high, best = 0, len(ends) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if fits(ends[middle]):
            best, low = ends[middle], middle + 1
        else:
            high = middle - 1
    return best


def web_url(url: str | None) -> str | None:
    """The URL made safe inside a masked link, or None unless it is a plain http(s) address."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=_URL_SAFE)


def link(label: str, url: str | None) -> str | None:
    """A masked link ``[label](url)`` with ``label`` escaped, or None without a web URL."""
    target = web_url(url)
    return f"[{safe(label)}]({target})" if target else None


def code(text: str) -> str:
    """Inline code when the text allows it (a backtick cannot be escaped inside code)."""
    return f"`{inert(text)}`" if "`" not in text and text.strip() else safe(text)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural_form or noun + 's'}"
