"""Polling feeds: conditional GETs, entry identity, baseline, backoff and notices.

``poll_due_feeds`` is what the scheduler calls (in the bot's ingest worker process) and what
``claimdesk feeds poll`` runs. It never raises for a feed's problems: each goes into
the report, and what managers must hear (a feed that keeps failing, a feed that is
gone, a feed that works again) comes back as notices, once per spell.

Entries become articles through ``Library.ingest``, a feed's new entries in one batch.
Teaser entries need their page fetched, one request each; a poll fetches at most a
``PageBudget`` of them (a count and a time, over all its feeds), and leaves the rest,
unrecorded, for the next poll, for which the feed is due again at once.
An entry is (feed, guid), else its normalised link, else a hash of title and date.
Across feeds the same story is one article: an entry whose link (or the page's
canonical address) is already an article's URL, or whose text is already an article
of the same site, is linked to that article instead of stored again, and only the
entry that brought an article in may update it later.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

from pydantic import BaseModel, Field

from index.ingest import IngestError, LoadedArticle
from index.ingest.fetch import FetchError, FetchPolicy, Gone, RetryLater, Validators, fetch
from index.ingest.pages import load_html, load_page, slug
from index.library import IngestOutcome, Library
from index.locking import WriterBusy
from index.store import Store

from .db import EntryRecord, EntryUpdate, FeedRecord, FeedStore, articles_with_text
from .links import normalise_link, same_site, site_of
from .parse import FeedEntry, FeedError, ParsedFeed, parse_feed

log = logging.getLogger(__name__)

FAILING_AFTER = 3  # failed polls in a row before managers are told
MAX_BACKOFF = timedelta(hours=24)  # longest wait after failures
MAX_RETRY_AFTER = timedelta(days=7)  # a server asking for longer is asked again after this
JITTER = 0.1  # polls are spread over an extra 0-10 % of the interval, so feeds added together drift apart
REEXTRACT_AFTER = timedelta(hours=6)  # an entry that keeps changing is re-read at most this often
MAX_ENTRIES_PER_POLL = 100
MAX_ENTRY_ATTEMPTS = 3  # an entry whose page keeps failing is tried this often, then left until it changes
LEASE = timedelta(minutes=15)  # how long a poll in progress keeps other pollers off its feed

_jitter = random.Random()

Action = Literal["new", "changed", "note", "skip"]


class FeedNotice(BaseModel):
    """A message for a server's managers about one of their feeds (plain text: escape it
    for the chat, and do not let its links unfurl)."""

    corpus: str
    channel_id: int | None
    text: str


class FeedPollReport(BaseModel):
    feeds_polled: int = 0
    entries_new: int = 0  # entries stored as new articles
    entries_updated: int = 0  # entries whose change updated their article
    entries_linked: int = 0  # entries that were already an article (another feed's, or added by hand)
    entries_deferred: int = 0  # teasers whose page this poll's budget left for the next poll
    failures: list[str] = Field(default_factory=list)
    notices: list[FeedNotice] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="What the operator should know that is no failure")


@dataclass
class PageBudget:
    """How many teaser pages one poll may fetch, over all its feeds: at most ``pages``
    pages, and none once ``seconds`` have passed since the budget was made (a page fetch
    under way finishes, within the fetch timeout). Make a new one for every poll."""

    pages: int = 30
    seconds: float = 120.0
    clock: Callable[[], float] = time.monotonic
    _fetched: int = field(default=0, init=False)
    _started: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._started = self.clock()

    def take(self) -> bool:
        """Whether one more page may be fetched; counts it when it may."""
        if self._fetched >= self.pages or self.clock() - self._started >= self.seconds:
            return False
        self._fetched += 1
        return True

    def describe(self) -> str:
        return f"{self.pages} pages or {self.seconds:g} s a poll"


def poll_due_feeds(
    library: Library,
    *,
    allow_private: bool,
    timeout: float,
    max_bytes: int,
    now: datetime | None = None,
    only_due: bool = True,
    page_budget: PageBudget | None = None,
) -> FeedPollReport:
    """Poll every feed whose next poll is due (every feed not gone, with ``only_due=False``),
    fetching at most ``page_budget`` teaser pages (the default budget when not given)."""
    now = now or datetime.now(timezone.utc)
    policy = FetchPolicy(allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    budget = page_budget or PageBudget()
    feeds = FeedStore(library.store)
    report = FeedPollReport()
    due = feeds.take_due(now, only_due=only_due, lease=LEASE)
    for position, feed in enumerate(due):
        report.feeds_polled += 1
        try:
            _poll(library, feeds, feed, policy, budget, now, report)
        except WriterBusy as exc:
            # Another process is writing a long batch: not the feeds' fault. They are due
            # again at once, for the next run, and count no failure.
            feeds.release([f.id for f in due[position:]], now)
            report.failures.append(f"{exc} The remaining {len(due) - position} feed(s) are polled next time.")
            break
        except Exception as exc:  # one feed's bug must not stop the others
            log.exception("polling feed %s (%s) failed", feed.id, feed.url)
            _failed(feeds, feed, now, f"internal error ({exc.__class__.__name__})", report)
    return report


def _poll(library: Library, feeds: FeedStore, feed: FeedRecord, policy: FetchPolicy, budget: PageBudget,
          now: datetime, report: FeedPollReport) -> None:
    # Validators only once the baseline is in: a 304 before that would leave it empty.
    validators = Validators(feed.etag, feed.last_modified) if feed.baseline_done else None
    try:
        page = fetch(feed.url, policy, kind="feed", validators=validators)
        parsed = None if page.not_modified else parse_feed(page.data, url=page.url,
                                                           content_type=page.content_type_header)
    except RetryLater as exc:
        wait = max(timedelta(seconds=exc.retry_after or 0), _interval(feed))
        feeds.record_failure(feed, now=now, next_poll=now + min(wait, MAX_RETRY_AFTER), error=str(exc),
                             state=feed.state, failures=feed.failures, notified=feed.notified)
        report.failures.append(str(exc))
        return
    except Gone as exc:
        feeds.record_failure(feed, now=now, next_poll=now, error=str(exc), state="gone",
                             failures=feed.failures + 1, notified=True)
        report.failures.append(str(exc))
        report.notices.append(_notice(feed, f"The feed {_label(feed)} is gone (HTTP 410), so it is no longer "
                                            "polled; its articles stay in the library. Remove it with /feed remove."))
        return
    except (FetchError, FeedError) as exc:
        _failed(feeds, feed, now, str(exc), report)
        return
    deferred = 0 if parsed is None else _take_entries(library, feeds, feed, parsed, policy, budget, now, report)
    if feed.state == "failing" and feed.notified:
        report.notices.append(_notice(feed, f"The feed {_label(feed)} is working again."))
    etag, last_modified = (feed.etag, feed.last_modified) if page.not_modified else (
        page.validators.etag, page.validators.last_modified)
    if deferred:
        # Entries are waiting: the next poll must read the feed whole (no 304), soon, and
        # a first poll's baseline is not complete until they are in.
        report.entries_deferred += deferred
        report.notes.append(f"{feed.url}: {deferred} entr{'y' if deferred == 1 else 'ies'} left for the next poll "
                            f"(teaser pages to fetch; this poll's budget is {budget.describe()})")
        feeds.record_success(feed, now=now, next_poll=now, title=parsed.title if parsed is not None else None,
                             etag=None, last_modified=None, complete=False)
        return
    feeds.record_success(feed, now=now, next_poll=_next_poll(feed, now), title=parsed.title if parsed else None,
                         etag=etag, last_modified=last_modified)


def _failed(feeds: FeedStore, feed: FeedRecord, now: datetime, error: str, report: FeedPollReport) -> None:
    failures = feed.failures + 1
    backoff = min(_interval(feed) * 2 ** min(failures - 1, 10), MAX_BACKOFF)
    state = "failing" if failures >= FAILING_AFTER else feed.state
    tell = state == "failing" and not feed.notified
    feeds.record_failure(feed, now=now, next_poll=now + backoff, error=error, state=state, failures=failures,
                         notified=feed.notified or tell)
    report.failures.append(error)
    if tell:
        report.notices.append(_notice(
            feed, f"The feed {_label(feed)} has failed {failures} polls in a row; the last error: {error} "
                  "claimdesk keeps trying, less often. Check the address, or stop it with /feed remove."))


def _take_entries(library: Library, feeds: FeedStore, feed: FeedRecord, parsed: ParsedFeed, policy: FetchPolicy,
                  budget: PageBudget, now: datetime, report: FeedPollReport) -> int:
    """Takes the feed's entries in; returns how many were left for the next poll."""
    deferred = 0
    known = feeds.entries(feed.id)
    updates: list[EntryUpdate] = []
    batch: list[tuple[FeedEntry, LoadedArticle, Action]] = []
    # Entries of this poll already on their way in, by URL and by site and text: a
    # second entry for the same story follows the first.
    leaders: dict[tuple[str, ...], str] = {}
    followers: list[tuple[FeedEntry, str]] = []
    store = library.store
    for entry in parsed.entries[:MAX_ENTRIES_PER_POLL]:
        record = known.get(entry.key)
        action = _action(entry, record, now)
        if action == "skip":
            continue
        if action == "note":
            updates.append(EntryUpdate(entry_key=entry.key, fingerprint=entry.fingerprint))
            continue
        if action == "new" and entry.link and (existing := store.id_for_url(feed.corpus, entry.link)):
            # Usually another feed's article; ours when a poll stored it and stopped before
            # recording the entry, and then it is the entry's own (and maybe the baseline).
            mine = (_stored_source(library, feed.corpus, existing) == _source(entry, feed)
                    and not feeds.has_entries_for(feed.corpus, existing))
            updates.append(EntryUpdate(entry_key=entry.key, fingerprint=entry.fingerprint, article_id=existing,
                                       owns=mine, extracted=mine))
            report.entries_linked += 1
            continue
        if _needs_page(entry, feed) and not budget.take():
            deferred += 1  # nothing recorded: the next poll finds it as it is now
            continue
        loaded = _load_entry(entry, feed, parsed.title, policy)
        if isinstance(loaded, str):
            # A change that could not be read keeps the old fingerprint, to be tried again.
            seen = record.fingerprint if action == "changed" and record else entry.fingerprint
            updates.append(EntryUpdate(entry_key=entry.key, fingerprint=seen, error=loaded))
            report.failures.append(f"{feed.url}: entry {entry.link or entry.title or entry.key}: {loaded}")
            continue
        article = loaded.article
        if action == "changed":
            assert record is not None and record.article_id is not None
            article.id, loaded.id_from_name = record.article_id, False
        else:
            same = _known_article(store, feed.corpus, article.url, article.content_hash)
            if same:
                updates.append(EntryUpdate(entry_key=entry.key, fingerprint=entry.fingerprint, article_id=same))
                report.entries_linked += 1
                continue
            keys = [("url", article.url)] if article.url else []
            keys.append(("text", site_of(article.url) if article.url else "", article.content_hash))
            leader = next((leaders[k] for k in keys if k in leaders), None)
            if leader:
                followers.append((entry, leader))
                continue
            leaders.update({k: article.source for k in keys})
        batch.append((entry, loaded, action))
    if batch or followers:
        _ingest(library, feed, batch, followers, updates, report)
    feeds.record_entries(feed, updates, baseline=not feed.baseline_done, now=now)
    return deferred


def _action(entry: FeedEntry, record: EntryRecord | None, now: datetime) -> Action:
    if record is None:
        return "new"
    if record.article_id is None:  # not stored yet: its page failed before
        unchanged = record.fingerprint == entry.fingerprint
        return "skip" if unchanged and record.attempts >= MAX_ENTRY_ATTEMPTS else "new"
    if record.fingerprint == entry.fingerprint:
        return "skip"
    if not record.owns:
        return "note"  # another source's article: never rewritten from here
    if record.extracted_at is not None and now - record.extracted_at < REEXTRACT_AFTER:
        return "skip"  # keeps the old fingerprint, so the change is taken once the wait is over
    return "changed"


def _load_entry(entry: FeedEntry, feed: FeedRecord, feed_title: str | None,
                policy: FetchPolicy) -> LoadedArticle | str:
    """The entry as an article, or why it could not be read. The feed's own text is used
    when it is the whole article and the feed speaks for the link's site (a feed may not
    put words on another outlet's page); otherwise the page is fetched, as safely as any."""
    source = _source(entry, feed)
    name = slug(entry.link) if entry.link else (entry.title or "entry")
    fields = {"title": entry.title, "published": entry.published.date().isoformat() if entry.published else None}
    outlet = feed_title or feed.title
    if not _needs_page(entry, feed):
        results = load_html(entry.html, source=source, corpus=feed.corpus, max_bytes=policy.max_bytes,
                            fields={**fields, "url": entry.link, "outlet": outlet}, name=name)
        page_url = None
    else:
        try:
            page = fetch(entry.link, policy)
        except FetchError as exc:
            return str(exc)
        results = load_page(page, corpus=feed.corpus, max_bytes=policy.max_bytes, fields=fields, name=name)
        page_url = page.url
    loaded = next((r for r in results if isinstance(r, LoadedArticle)), None)
    if loaded is None:
        return next((r.reason for r in results if isinstance(r, IngestError)), "the entry holds no article")
    article = loaded.article
    article.source = source
    article.outlet = article.outlet or outlet
    if page_url is not None:
        # The page's canonical address names the story, but only its own site may say so.
        canonical = article.url if article.url and same_site(article.url, page_url) else page_url
        article.url = normalise_link(canonical)
    return loaded


def _needs_page(entry: FeedEntry, feed: FeedRecord) -> bool:
    """Whether the entry's article must be fetched from its page: it is a teaser, or the
    feed speaks for another site."""
    return entry.link is not None and not (entry.full_text and same_site(entry.link, feed.url))


def _known_article(store: Store, corpus: str, url: str | None, content_hash: str) -> str | None:
    """An article already in the corpus at this URL, or with this text from the same site."""
    if url and (existing := store.id_for_url(corpus, url)):
        return existing
    return next((article_id for article_id, other in articles_with_text(store, corpus, content_hash)
                 if other and url and same_site(other, url)), None)


def _ingest(library: Library, feed: FeedRecord, batch: list[tuple[FeedEntry, LoadedArticle, Action]],
            followers: list[tuple[FeedEntry, str]], updates: list[EntryUpdate], report: FeedPollReport) -> None:
    result = library.ingest([loaded for _, loaded, _ in batch])
    by_source: dict[str, IngestOutcome] = {o.source: o for o in result.outcomes}
    stored: dict[str, str] = {}
    for entry, loaded, action in batch:
        outcome = by_source[loaded.article.source]
        if outcome.status == "failed" or outcome.article_id is None:
            updates.append(EntryUpdate(entry_key=entry.key, fingerprint=entry.fingerprint, error=outcome.reason))
            report.failures.append(f"{feed.url}: entry {entry.link or entry.title}: {outcome.reason}")
            continue
        # "unchanged" is ours when the stored article came from this very entry (a poll
        # that stopped before recording it); otherwise it is a copy stored earlier.
        mine = outcome.status != "unchanged" or _stored_source(library, feed.corpus, outcome.article_id) == \
            loaded.article.source
        updates.append(EntryUpdate(entry_key=entry.key, fingerprint=entry.fingerprint,
                                   article_id=outcome.article_id, owns=mine, extracted=mine,
                                   changed=outcome.status != "unchanged"))
        stored[loaded.article.source] = outcome.article_id
        if action == "changed":
            report.entries_updated += outcome.status == "updated"
        elif outcome.status == "ingested":
            report.entries_new += 1
        else:
            report.entries_linked += 1
    for entry, leader in followers:
        if leader in stored:
            updates.append(EntryUpdate(entry_key=entry.key, fingerprint=entry.fingerprint,
                                       article_id=stored[leader]))
            report.entries_linked += 1


def _source(entry: FeedEntry, feed: FeedRecord) -> str:
    """Where an entry's article comes from: its link, else its place in the feed."""
    return entry.link or f"{feed.url}#{entry.key}"


def _stored_source(library: Library, corpus: str, article_id: str) -> str | None:
    article = library.store.get(corpus, article_id)
    return article.source if article else None


def _interval(feed: FeedRecord) -> timedelta:
    return timedelta(seconds=feed.interval_seconds)


def _next_poll(feed: FeedRecord, now: datetime) -> datetime:
    return now + _interval(feed) * (1 + _jitter.uniform(0, JITTER))


def _label(feed: FeedRecord) -> str:
    return f"“{feed.title}” ({feed.url})" if feed.title else feed.url


def _notice(feed: FeedRecord, text: str) -> FeedNotice:
    return FeedNotice(corpus=feed.corpus, channel_id=feed.channel_id, text=text)
