"""/feed add, /feed list, /feed remove: a server's feeds and what claimdesk does with them."""

from __future__ import annotations

from commands.feeds import FeedAddResponse, FeedListResponse, FeedRemoveResponse, FeedView

from ..text import link, plural, safe
from .base import DANGER, SUCCESS, WARNING, Page, pack_lines, render

STATES = {"active": "🟢 active", "failing": "🟠 failing", "gone": "⛔ gone (HTTP 410), not polled"}


def _name(feed: FeedView) -> str:
    return link(feed.title or feed.url, feed.url) or safe(feed.title or feed.url)


def _line(feed: FeedView) -> str:
    parts = [f"**#{feed.id}** {_name(feed)}", STATES.get(feed.state, feed.state),
             f"every {plural(feed.interval_minutes, 'minute')}"]
    if feed.last_success_at:
        parts.append(f"last read <t:{int(feed.last_success_at.timestamp())}:R>")
    if feed.channel_id:
        parts.append(f"notices in <#{feed.channel_id}>")
    line = " · ".join(parts)
    if feed.state != "active" and feed.last_error:
        line += f"\n  ↳ {safe(feed.last_error)}"
    return line


@render.register
def _(response: FeedAddResponse) -> list[Page]:
    feed = response.feed
    lines = [
        _line(feed),
        f"It holds {plural(response.entries, 'entry', 'entries')} now. The first poll (due now) adds them to "
        "this server's library as the feed's starting point: searchable, but not news for digests. "
        "From then on, every new or changed entry is added.",
    ]
    return pack_lines(lines, title="Watching this feed", colour=SUCCESS, author="/feed add")


@render.register
def _(response: FeedListResponse) -> list[Page]:
    lines = [_line(feed) for feed in response.feeds] or [
        "This server watches no feeds yet. Add one with /feed add (RSS or Atom address)."]
    failing = any(feed.state != "active" for feed in response.feeds)
    return pack_lines(lines, title=plural(len(response.feeds), "feed"), colour=WARNING if failing else SUCCESS,
                      author="/feed list")


@render.register
def _(response: FeedRemoveResponse) -> list[Page]:
    lines = [f"Stopped watching **#{response.feed.id}** {_name(response.feed)}. "
             "The articles it brought in stay in the library."]
    return pack_lines(lines, title="Feed removed", colour=DANGER, author="/feed remove")
