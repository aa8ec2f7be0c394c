"""Feeds, their entries and the first-poll baseline, in the data folder's SQLite store.

The tables live beside the articles (one file, one backup) but are kept here, apart
from ``index/store.py``. Times are UTC ISO strings, which sort as they compare.

``feed_baseline`` lists the articles a feed's first successful poll brought in: what
the feed already held when it was added. They are searchable like any article, but
they are not news, so digests leave them out (see ``baseline_article_keys``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Literal

from pydantic import BaseModel

from index.store import Store

FeedState = Literal["active", "failing", "gone"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id               INTEGER PRIMARY KEY,
    corpus           TEXT NOT NULL,
    url              TEXT NOT NULL,
    title            TEXT,
    channel_id       INTEGER,
    interval_seconds INTEGER NOT NULL,
    next_poll_at     TEXT NOT NULL,
    etag             TEXT,
    last_modified    TEXT,
    state            TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'failing', 'gone')),
    failures         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    notified         INTEGER NOT NULL DEFAULT 0,
    baseline_done    INTEGER NOT NULL DEFAULT 0,
    added_at         TEXT NOT NULL,
    last_polled_at   TEXT,
    last_success_at  TEXT,
    UNIQUE (corpus, url)
);
CREATE INDEX IF NOT EXISTS feeds_due ON feeds (next_poll_at) WHERE state != 'gone';
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_key     TEXT NOT NULL,
    article_id    TEXT,
    owns          INTEGER NOT NULL DEFAULT 0,
    baseline      INTEGER NOT NULL DEFAULT 0,
    fingerprint   TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    first_seen_at TEXT NOT NULL,
    extracted_at  TEXT,
    PRIMARY KEY (feed_id, entry_key)
);
CREATE TABLE IF NOT EXISTS feed_baseline (
    corpus     TEXT NOT NULL,
    article_id TEXT NOT NULL,
    marked_at  TEXT NOT NULL,
    PRIMARY KEY (corpus, article_id)
)
"""

_FEED_COLUMNS = (
    "id, corpus, url, title, channel_id, interval_seconds, next_poll_at, etag, last_modified, state, failures, "
    "last_error, notified, baseline_done, added_at, last_polled_at, last_success_at"
)


class FeedRecord(BaseModel):
    id: int
    corpus: str
    url: str
    title: str | None
    channel_id: int | None
    interval_seconds: int
    next_poll_at: datetime
    etag: str | None
    last_modified: str | None
    state: FeedState
    failures: int
    last_error: str | None
    notified: bool
    baseline_done: bool
    added_at: datetime
    last_polled_at: datetime | None
    last_success_at: datetime | None


class EntryRecord(BaseModel):
    entry_key: str
    article_id: str | None  # None while the entry has not been stored (its page failed)
    owns: bool  # this entry brought the article in, so its changes may update it
    baseline: bool
    fingerprint: str
    attempts: int
    extracted_at: datetime | None


class EntryUpdate(BaseModel):
    """What one poll learnt about one entry."""

    entry_key: str
    fingerprint: str
    article_id: str | None = None
    owns: bool = False
    error: str | None = None
    extracted: bool = False  # the entry was read and stored in this poll
    changed: bool = False  # ... and that added or changed an article's text or metadata


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


class FeedStore:
    def __init__(self, store: Store) -> None:
        self.store = store
        with store.transaction() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    # --- feeds ------------------------------------------------------------------------

    def add(self, corpus: str, url: str, *, title: str | None, channel_id: int | None, interval: timedelta,
            now: datetime) -> FeedRecord | None:
        """The new feed, or None when the corpus already watches this URL."""
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO feeds (corpus, url, title, channel_id, interval_seconds, next_poll_at, added_at) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (corpus, url) DO NOTHING",
                (corpus, url, title, channel_id, int(interval.total_seconds()), iso(now), iso(now)),
            )
            feed_id = cursor.lastrowid if cursor.rowcount else None
        return self.get(corpus, feed_id) if feed_id else None

    def get(self, corpus: str, feed_id: int) -> FeedRecord | None:
        return next(iter(self._select("WHERE corpus = ? AND id = ?", (corpus, feed_id))), None)

    def find(self, corpus: str, url: str) -> FeedRecord | None:
        return next(iter(self._select("WHERE corpus = ? AND url = ?", (corpus, url))), None)

    def list(self, corpora: Sequence[str]) -> list[FeedRecord]:
        marks = ",".join("?" * len(corpora)) or "NULL"
        return self._select(f"WHERE corpus IN ({marks}) ORDER BY corpus, id", tuple(corpora))

    def corpora(self) -> list[str]:
        with self.store.transaction() as db:
            return [row[0] for row in db.execute("SELECT DISTINCT corpus FROM feeds ORDER BY corpus")]

    def count(self, corpus: str) -> int:
        with self.store.transaction() as db:
            return db.execute("SELECT count(*) FROM feeds WHERE corpus = ?", (corpus,)).fetchone()[0]

    def remove(self, corpus: str, feed_id: int) -> bool:
        with self.store.transaction() as db:
            return db.execute("DELETE FROM feeds WHERE corpus = ? AND id = ?", (corpus, feed_id)).rowcount > 0

    def take_due(self, now: datetime, *, only_due: bool, lease: timedelta) -> list[FeedRecord]:
        """Feeds to poll now. Their next poll is pushed ``lease`` ahead at once, so that a
        second poller (the terminal while the bot runs) leaves them alone, and a poll
        that dies half-way is retried after the lease rather than never."""
        with self.store.transaction() as db:
            where = "state != 'gone'" + (" AND next_poll_at <= ?" if only_due else "")
            params = (iso(now),) if only_due else ()
            rows = db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE {where} ORDER BY next_poll_at, id",
                              params).fetchall()
            db.executemany("UPDATE feeds SET next_poll_at = ? WHERE id = ?",
                           [(iso(now + lease), row["id"]) for row in rows])
        return [FeedRecord.model_validate(dict(row)) for row in rows]

    def release(self, feed_ids: Sequence[int], now: datetime) -> None:
        """Feeds taken for a poll that did not happen: due again at once."""
        with self.store.transaction() as db:
            db.executemany("UPDATE feeds SET next_poll_at = ? WHERE id = ?", [(iso(now), i) for i in feed_ids])

    def record_success(self, feed: FeedRecord, *, now: datetime, next_poll: datetime, title: str | None,
                       etag: str | None, last_modified: str | None, complete: bool = True) -> None:
        """A poll that worked; ``complete=False`` when it left entries for the next poll
        (a first poll's baseline is done only once every entry is in)."""
        with self.store.transaction() as db:
            db.execute(
                "UPDATE feeds SET state = 'active', failures = 0, last_error = NULL, notified = 0, "
                "baseline_done = max(baseline_done, ?), title = coalesce(?, title), etag = ?, last_modified = ?, "
                "next_poll_at = ?, last_polled_at = ?, last_success_at = ? WHERE id = ?",
                (int(complete), title, etag, last_modified, iso(next_poll), iso(now), iso(now), feed.id),
            )

    def record_failure(self, feed: FeedRecord, *, now: datetime, next_poll: datetime, error: str,
                       state: FeedState, failures: int, notified: bool) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE feeds SET state = ?, failures = ?, last_error = ?, notified = ?, next_poll_at = ?, "
                "last_polled_at = ? WHERE id = ?",
                (state, failures, error, int(notified), iso(next_poll), iso(now), feed.id),
            )

    def _select(self, where: str, params: tuple) -> list[FeedRecord]:
        with self.store.transaction() as db:
            rows = db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds {where}", params).fetchall()
        return [FeedRecord.model_validate(dict(row)) for row in rows]

    # --- entries ----------------------------------------------------------------------

    def entries(self, feed_id: int) -> dict[str, EntryRecord]:
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT entry_key, article_id, owns, baseline, fingerprint, attempts, extracted_at "
                "FROM feed_entries WHERE feed_id = ?", (feed_id,)).fetchall()
        return {row["entry_key"]: EntryRecord.model_validate(dict(row)) for row in rows}

    def has_entries_for(self, corpus: str, article_id: str) -> bool:
        """Whether any feed's entry already points at this article."""
        with self.store.transaction() as db:
            return db.execute(
                "SELECT 1 FROM feed_entries JOIN feeds ON feeds.id = feed_entries.feed_id "
                "WHERE feeds.corpus = ? AND feed_entries.article_id = ? LIMIT 1", (corpus, article_id)
            ).fetchone() is not None

    def record_entries(self, feed: FeedRecord, updates: Sequence[EntryUpdate], *, baseline: bool,
                       now: datetime) -> None:
        """Store what a poll learnt, in one transaction; nothing when the feed was removed
        meanwhile. Articles a first poll stored become the baseline; an article an entry
        updated later is news again, and leaves it."""
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM feeds WHERE id = ?", (feed.id,)).fetchone() is None:
                return
            for update in updates:
                old = db.execute("SELECT article_id, baseline, attempts FROM feed_entries "
                                 "WHERE feed_id = ? AND entry_key = ?", (feed.id, update.entry_key)).fetchone()
                in_baseline = bool(old["baseline"]) if old else baseline
                attempts = ((old["attempts"] if old else 0) + 1) if update.error else 0
                db.execute(
                    "INSERT INTO feed_entries (feed_id, entry_key, article_id, owns, baseline, fingerprint, attempts, "
                    "last_error, first_seen_at, extracted_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT (feed_id, entry_key) DO UPDATE SET article_id = coalesce(excluded.article_id, "
                    "article_id), owns = max(owns, excluded.owns), fingerprint = excluded.fingerprint, "
                    "attempts = excluded.attempts, last_error = excluded.last_error, "
                    "extracted_at = coalesce(excluded.extracted_at, extracted_at)",
                    (feed.id, update.entry_key, update.article_id, int(update.owns), int(in_baseline),
                     update.fingerprint, attempts, update.error, iso(now), iso(now) if update.extracted else None),
                )
                if update.article_id is None or not update.extracted:
                    continue
                first_stored = old is None or old["article_id"] is None
                if first_stored and in_baseline:
                    db.execute("INSERT OR IGNORE INTO feed_baseline (corpus, article_id, marked_at) VALUES (?,?,?)",
                               (feed.corpus, update.article_id, iso(now)))
                elif not first_stored and update.changed:
                    db.execute("DELETE FROM feed_baseline WHERE corpus = ? AND article_id = ?",
                               (feed.corpus, update.article_id))


def baseline_article_keys(store: Store, corpora: Sequence[str]) -> set[tuple[str, str]]:
    """(corpus, article id) of the articles that came in as a feed's baseline: what a feed
    already held when it was added. Digests leave them out of "new articles"; SQL can do
    the same with ``NOT EXISTS (SELECT 1 FROM feed_baseline b WHERE b.corpus = articles.corpus
    AND b.article_id = articles.id)``."""
    FeedStore(store)  # the table exists even before the first feed
    marks = ",".join("?" * len(corpora)) or "NULL"
    with store.transaction() as db:
        rows = db.execute(f"SELECT corpus, article_id FROM feed_baseline WHERE corpus IN ({marks})",
                          tuple(corpora)).fetchall()
    return {(row[0], row[1]) for row in rows}


def articles_with_text(store: Store, corpus: str, content_hash: str) -> list[tuple[str, str | None]]:
    """(id, url) of the corpus's articles with exactly this text."""
    with store.transaction() as db:
        rows = db.execute("SELECT id, url FROM articles WHERE corpus = ? AND content_hash = ? ORDER BY id",
                          (corpus, content_hash)).fetchall()
    return [(row[0], row[1]) for row in rows]
