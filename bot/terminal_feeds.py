"""Feed commands as terminal text: ``claimdesk feeds add|list|remove|poll``."""

from __future__ import annotations

from commands.feeds import FeedAddResponse, FeedListResponse, FeedRemoveResponse, FeedView
from index.feeds import FeedPollReport

from .terminal import Style, render


def _line(feed: FeedView) -> str:
    last = feed.last_success_at.isoformat(timespec="minutes") if feed.last_success_at else "never"
    line = (f"#{feed.id}  {feed.title or '(untitled)'}  {feed.url}\n"
            f"     corpus {feed.corpus} · {feed.state} · every {feed.interval_minutes} min · last read {last} · "
            f"next poll {feed.next_poll_at.isoformat(timespec='minutes')}")
    if feed.last_error and feed.state != "active":
        line += f"\n     last error: {feed.last_error}"
    return line


@render.register
def _(response: FeedAddResponse, style: Style) -> str:
    return (f"{style.bold('watching')} {_line(response.feed)}\n"
            f"It holds {response.entries} entries now; the next `claimdesk feeds poll` adds them as its baseline "
            "(searchable, but not news for digests).")


@render.register
def _(response: FeedListResponse, style: Style) -> str:
    return "\n".join(_line(feed) for feed in response.feeds) or "No feeds yet: add one with `claimdesk feeds add URL`."


@render.register
def _(response: FeedRemoveResponse, style: Style) -> str:
    return f"removed {_line(response.feed)}\nIts articles stay in the library."


def poll_summary(report: FeedPollReport) -> str:
    lines = [f"polled {report.feeds_polled} feed(s): {report.entries_new} new, {report.entries_updated} updated, "
             f"{report.entries_linked} already in the library, {len(report.failures)} problem(s)"]
    if report.entries_deferred:
        lines[0] += f", {report.entries_deferred} left for the next poll"
    lines += [f"  problem: {failure}" for failure in report.failures]
    lines += [f"  note: {note}" for note in report.notes]
    lines += [f"  notice for {notice.corpus}: {notice.text}" for notice in report.notices]
    return "\n".join(lines)
