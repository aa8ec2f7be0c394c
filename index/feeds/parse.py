"""RSS and Atom through feedparser, from bytes claimdesk fetched itself.

feedparser is never given a URL or a string: its own fetching has no timeout and no
address checks, and a string that looks like a path is read as a local file. It gets a
byte stream, and the same XML safety check the fetcher applies runs on the UTF-8 text
feedparser will actually parse (a feed may arrive labelled ``text/plain`` or in UTF-16).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8
from pydantic import BaseModel

from index.ingest.fetch import FetchError, refuse_entity_declarations

from .links import normalise_link

# An entry carries the whole article when its content element (RSS content:encoded, Atom
# content) holds at least this much text, tags stripped; a summary only when it is far
# longer than teasers run. Otherwise the article is fetched from the entry's link.
FULL_CONTENT_CHARS = 500
FULL_SUMMARY_CHARS = 1500
_TAG = re.compile(r"<[^>]+>")


class FeedError(Exception):
    """The feed could not be read; the message says why."""


class FeedEntry(BaseModel):
    key: str  # identity within its feed: guid, else normalised link, else a hash of title and date
    guid: str | None
    link: str | None  # normalised
    title: str | None
    published: datetime | None
    html: str  # the entry's longest text (content, else summary), sanitised by feedparser
    full_text: bool
    fingerprint: str  # changes when the entry's content does


class ParsedFeed(BaseModel):
    title: str | None
    entries: list[FeedEntry]


def parse_feed(data: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    headers = {"content-type": content_type or "application/xml", "content-location": url}
    try:
        refuse_entity_declarations(url, data)
        refuse_entity_declarations(url, convert_to_utf8(headers, data, feedparser.FeedParserDict()))
    except FetchError as exc:
        raise FeedError(str(exc)) from None
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise FeedError(f"{url} is not an RSS or Atom feed that can be read{detail}.")
    entries = [_entry(raw) for raw in parsed.entries]
    return ParsedFeed(title=_clean(parsed.feed.get("title")), entries=[e for e in entries if e is not None])


def _entry(raw: Any) -> FeedEntry | None:
    guid = _clean(raw.get("id"))
    link = _clean(raw.get("link"))
    link = normalise_link(link) if link and link.lower().startswith(("http://", "https://")) else None
    title = _clean(raw.get("title"))
    # dict.get: feedparser's own get() warns when it maps a missing "updated" to "published".
    published = _when(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed"))
    content = max((c.get("value") or "" for c in raw.get("content") or []), key=len, default="")
    summary = raw.get("summary") or ""
    full_text = _text_length(content) >= FULL_CONTENT_CHARS or _text_length(summary) >= FULL_SUMMARY_CHARS
    html = content if len(content) >= len(summary) else summary
    if not (link or title or html.strip()):
        return None  # nothing to identify or read
    if guid:
        key = f"guid:{guid}"
    elif link:
        key = f"link:{link}"
    else:
        key = "hash:" + _digest([title, published.isoformat() if published else None])
    fingerprint = _digest([title, link, html, dict.get(raw, "updated")])
    return FeedEntry(key=key, guid=guid, link=link, title=title, published=published, html=html,
                     full_text=full_text, fingerprint=fingerprint)


def _text_length(html: str) -> int:
    return len(" ".join(_TAG.sub(" ", html).split()))


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (OverflowError, ValueError, TypeError):
        return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _digest(parts: list[Any]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]
