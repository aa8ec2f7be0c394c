"""/feed add, /feed list, /feed remove: the RSS and Atom feeds a corpus watches.

Adding a feed fetches and reads it once, so that a wrong address (a web page, a dead
link, a private address) is refused at once with the reason; its entries come in on
the next poll, which records them as the feed's baseline. Removing a feed stops its
polling and keeps the articles it brought in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pydantic import BaseModel, Field

from index.feeds import FeedError, FeedRecord, FeedStore, normalise_link, parse_feed
from index.ingest import DEFAULT_MAX_BYTES
from index.ingest.fetch import FetchError, FetchPolicy, fetch

from .base import CommandContext, CommandError, Response

MAX_FEEDS_PER_CORPUS = 100
DEFAULT_INTERVAL_MINUTES = 30


class FeedAddArgs(BaseModel):
    url: str = Field(min_length=1, max_length=2000, description="Address of an RSS or Atom feed (http or https)")
    interval_minutes: int = Field(default=DEFAULT_INTERVAL_MINUTES, ge=5, le=1440,
                                  description="Minutes between polls (5 to 1440)")


class FeedRemoveArgs(BaseModel):
    feed: str = Field(min_length=1, max_length=2000, description="The feed's number from /feed list, or its address")


class FeedView(BaseModel):
    id: int
    url: str
    title: str | None
    corpus: str
    channel_id: int | None
    state: str
    interval_minutes: int
    failures: int
    last_error: str | None
    last_success_at: datetime | None
    next_poll_at: datetime

    @classmethod
    def of(cls, record: FeedRecord) -> "FeedView":
        return cls(id=record.id, url=record.url, title=record.title, corpus=record.corpus,
                   channel_id=record.channel_id, state=record.state, interval_minutes=record.interval_seconds // 60,
                   failures=record.failures, last_error=record.last_error, last_success_at=record.last_success_at,
                   next_poll_at=record.next_poll_at)


class FeedAddResponse(Response):
    command: str = "feed add"
    feed: FeedView
    entries: int  # what the feed holds now: the baseline the first poll records


class FeedListResponse(Response):
    command: str = "feed list"
    feeds: list[FeedView]


class FeedRemoveResponse(Response):
    command: str = "feed remove"
    feed: FeedView


@dataclass(frozen=True)
class FeedLimits:
    allow_private_fetch: bool = False
    fetch_timeout: float = 20.0
    max_bytes: int = DEFAULT_MAX_BYTES

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(allow_private=self.allow_private_fetch, timeout=self.fetch_timeout, max_bytes=self.max_bytes)


def add(context: CommandContext, args: FeedAddArgs, *, channel_id: int | None = None,
        limits: FeedLimits = FeedLimits(), now: datetime | None = None) -> FeedAddResponse:
    """Watch a feed in the caller's one corpus; notices about it go to ``channel_id``."""
    corpus = _own_corpus(context)
    feeds = FeedStore(context.library.store)
    url = normalise_link(args.url)
    if (known := feeds.find(corpus, url)) is not None:
        raise CommandError(f"This server already watches that feed (number {known.id}); /feed list shows it.")
    if feeds.count(corpus) >= MAX_FEEDS_PER_CORPUS:
        raise CommandError(f"This server watches {MAX_FEEDS_PER_CORPUS} feeds, the most it can; "
                           "remove one with /feed remove first.")
    try:
        page = fetch(url, limits.fetch_policy(), kind="feed")
        parsed = parse_feed(page.data, url=page.url, content_type=page.content_type_header)
    except (FetchError, FeedError) as exc:
        raise CommandError(f"Could not add the feed: {exc}") from None
    record = feeds.add(corpus, url, title=parsed.title, channel_id=channel_id,
                       interval=timedelta(minutes=args.interval_minutes), now=now or datetime.now(timezone.utc))
    if record is None:  # added by someone else meanwhile
        raise CommandError("This server already watches that feed; /feed list shows it.")
    return FeedAddResponse(feed=FeedView.of(record), entries=len(parsed.entries))


def list_feeds(context: CommandContext) -> FeedListResponse:
    """The feeds of the caller's corpora (a server: its own one)."""
    return FeedListResponse(feeds=[FeedView.of(r) for r in FeedStore(context.library.store).list(context.corpora)])


def remove(context: CommandContext, args: FeedRemoveArgs) -> FeedRemoveResponse:
    corpus = _own_corpus(context)
    feeds = FeedStore(context.library.store)
    wanted = args.feed.strip().lstrip("#")
    if wanted.isdigit():
        record = feeds.get(corpus, int(wanted)) if len(wanted) < 19 else None  # beyond SQLite's integers
    else:
        record = feeds.find(corpus, normalise_link(wanted))
    if record is None or not feeds.remove(corpus, record.id):
        raise CommandError(f"No feed `{args.feed.strip()[:100]}` here. /feed list shows this server's feeds "
                           "and their numbers.")
    return FeedRemoveResponse(feed=FeedView.of(record))


def _own_corpus(context: CommandContext) -> str:
    # Feeds belong to exactly one corpus: a server's own, never the shared one it reads.
    if len(context.corpora) != 1:
        raise ValueError(f"feeds belong to exactly one corpus, got {list(context.corpora)}")
    return context.corpora[0]
