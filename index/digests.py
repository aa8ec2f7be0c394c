"""Digest subscriptions and the editions ledger, in the data folder's SQLite database.

A subscription says which channel gets a digest of which corpus, when, and about what.
An edition is one digest of one subscription for one window of time. Its row is written
*before* anything is posted (status ``planned``), each message id is recorded as soon as
Discord has accepted the message, and the row is marked ``sent`` after the last one. The
window end is unique per subscription, so a run handed off twice for the same due time
finds the row the first run wrote instead of posting a second edition.

The tables live beside the articles in the same database file but are read and written
through connections of their own: the bot process may open the article store for
reading only, while it must always be able to keep its ledger. A book opened
``readonly`` (``claimdesk digest``) creates nothing and writes nothing, so it works in
a read-only data folder; a folder that never had a subscription reads as having none.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field

from index.arrivals import stamp
from index.faults import faults_named, folder_unwritable
from index.store import connect_read_only

# A digest never reaches further back than this, however long the bot was down.
MAX_LOOKBACK = timedelta(days=7)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS digest_subscriptions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    corpus      TEXT NOT NULL,
    channel_id  INTEGER NOT NULL,
    schedule    TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    topics      TEXT NOT NULL DEFAULT '',
    exclude     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS digest_subscriptions_by_corpus ON digest_subscriptions (corpus);
CREATE TABLE IF NOT EXISTS digest_editions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES digest_subscriptions (id) ON DELETE CASCADE,
    window_start    TEXT NOT NULL,
    window_end      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('planned', 'sent')),
    message_ids     TEXT NOT NULL DEFAULT '[]',
    planned_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (subscription_id, window_end)
);
"""

_DAILY = re.compile(r"daily\s+(\d{1,2}):(\d{2})")
_EVERY = re.compile(r"every\s+(\d{1,3})\s+hours?")


class ScheduleError(ValueError):
    """A schedule or time zone that cannot be used; the message says what to type."""


class Schedule(BaseModel):
    """When a digest is due: every day at a local time, or every N hours."""

    kind: Literal["daily", "every"]
    hour: int = Field(0, ge=0, le=23)
    minute: int = Field(0, ge=0, le=59)
    hours: int = Field(0, ge=0, le=168)

    @classmethod
    def parse(cls, text: str) -> "Schedule":
        spoken = " ".join(text.lower().split())
        if match := _DAILY.fullmatch(spoken):
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour > 23 or minute > 59:
                raise ScheduleError(f"`{text}` is not a time of day; use 24-hour HH:MM, e.g. `daily 07:30`.")
            return cls(kind="daily", hour=hour, minute=minute)
        if match := _EVERY.fullmatch(spoken):
            hours = int(match.group(1))
            if not 1 <= hours <= 168:
                raise ScheduleError(f"`{text}`: the number of hours must be between 1 and 168 (a week).")
            return cls(kind="every", hours=hours)
        raise ScheduleError(
            f"`{text}` is not a schedule. Write `daily HH:MM` (24-hour, e.g. `daily 07:30`) or `every N hours` "
            "(e.g. `every 6 hours`)."
        )

    def text(self) -> str:
        if self.kind == "daily":
            return f"daily {self.hour:02d}:{self.minute:02d}"
        return f"every {self.hours} hour{'s' if self.hours != 1 else ''}"

    @property
    def period(self) -> timedelta:
        return timedelta(days=1) if self.kind == "daily" else timedelta(hours=self.hours)


def check_timezone(name: str) -> ZoneInfo:
    """The IANA time zone of this name, or a ScheduleError saying how to name one."""
    cleaned = name.strip()
    try:
        if not cleaned or cleaned.startswith(("/", ".")) or ".." in cleaned:
            raise ValueError(cleaned)
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"`{name}` is not a time zone. Use an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`."
        ) from None


class Subscription(BaseModel):
    id: int
    corpus: str
    channel_id: int
    schedule: str
    timezone: str
    topics: list[str] = Field(default_factory=list)
    exclude: str = ""
    created_at: datetime

    @property
    def parsed_schedule(self) -> Schedule:
        return Schedule.parse(self.schedule)

    @property
    def zone(self) -> ZoneInfo:
        return check_timezone(self.timezone)


class Edition(BaseModel):
    id: int
    subscription_id: int
    window_start: datetime
    window_end: datetime
    status: Literal["planned", "sent"]
    message_ids: list[int | None] = Field(
        default_factory=list, description="Posted message id per part, in order; None: not known yet"
    )
    planned_at: datetime
    sent_at: datetime | None = None


def split_topics(text: str | None) -> list[str]:
    """Comma-separated /claims queries, each its own section of the digest."""
    return [t for t in (" ".join(part.split()) for part in (text or "").split(",")) if t]


def window_start(previous_end: datetime | None, window_end: datetime, schedule: Schedule) -> datetime:
    """Where an edition ending at ``window_end`` starts: at the end of the previous one,
    or one schedule period earlier for a first edition; never beyond ``MAX_LOOKBACK``."""
    start = previous_end if previous_end is not None else window_end - schedule.period
    return max(start, window_end - MAX_LOOKBACK)


class DigestBook:
    """Subscriptions and editions; every write is one transaction."""

    def __init__(self, database: Path, *, readonly: bool = False) -> None:
        self.database = database
        self.readonly = readonly
        if readonly:
            with self._connection() as db:
                self._has_tables = _has_table(db, "digest_editions")
            return
        self._has_tables = True
        # A folder that cannot be written says so in words, not as "readonly database".
        with faults_named(database.parent), self._connection() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: digest work is rare, and a fresh connection is safe in
        # any thread (the scheduler's jobs and the query threads both use the book).
        if self.readonly:
            connection = connect_read_only(self.database)
        else:
            connection = sqlite3.connect(self.database, timeout=30, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys=ON")
        try:
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _ledger(self) -> Iterator[sqlite3.Connection | None]:
        """A connection for reading subscriptions and editions; None when a read-only
        book's folder has no ledger yet (then there are none)."""
        if not self._has_tables:
            yield None
            return
        with self._connection() as db:
            yield db

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise folder_unwritable(self.database.parent, "the digest ledger was opened for reading only; "
                                    "subscribing and recording editions need the bot or a writable folder")
        with faults_named(self.database.parent), self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- subscriptions ------------------------------------------------------------

    def subscribe(self, *, corpus: str, channel_id: int, schedule: Schedule, timezone_name: str,
                  topics: Sequence[str], exclude: str, now: datetime) -> Subscription:
        check_timezone(timezone_name)
        with self._writing() as db:
            cursor = db.execute(
                "INSERT INTO digest_subscriptions (corpus, channel_id, schedule, timezone, topics, exclude, created_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (corpus, channel_id, schedule.text(), timezone_name.strip(), json.dumps(list(topics)),
                 exclude.strip(), stamp(now)),
            )
            row = db.execute("SELECT * FROM digest_subscriptions WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _subscription(row)

    def subscriptions(self, corpus: str | None = None) -> list[Subscription]:
        with self._ledger() as db:
            if db is None:
                return []
            if corpus is None:
                rows = db.execute("SELECT * FROM digest_subscriptions ORDER BY id").fetchall()
            else:
                rows = db.execute("SELECT * FROM digest_subscriptions WHERE corpus = ? ORDER BY id",
                                  (corpus,)).fetchall()
        return [_subscription(r) for r in rows]

    def subscription(self, subscription_id: int) -> Subscription | None:
        with self._ledger() as db:
            if db is None:
                return None
            row = db.execute("SELECT * FROM digest_subscriptions WHERE id = ?", (subscription_id,)).fetchone()
        return _subscription(row) if row else None

    def unsubscribe(self, corpus: str, subscription_id: int) -> bool:
        """Removes a subscription of this corpus (another corpus's is never touched)."""
        with self._writing() as db:
            db.execute("DELETE FROM digest_editions WHERE subscription_id IN "
                       "(SELECT id FROM digest_subscriptions WHERE id = ? AND corpus = ?)", (subscription_id, corpus))
            cursor = db.execute("DELETE FROM digest_subscriptions WHERE id = ? AND corpus = ?",
                                (subscription_id, corpus))
        return cursor.rowcount > 0

    # --- editions -----------------------------------------------------------------

    def plan(self, subscription: Subscription, *, window_end: datetime, now: datetime) -> tuple[Edition, bool]:
        """The edition of this subscription ending at ``window_end``: written now, before
        anything is posted, or the one an earlier run already wrote. Its window starts
        where the previous edition ended (or one schedule period earlier for the first
        edition), never more than ``MAX_LOOKBACK`` before its end."""
        with self._writing() as db:
            existing = db.execute("SELECT * FROM digest_editions WHERE subscription_id = ? AND window_end = ?",
                                  (subscription.id, stamp(window_end))).fetchone()
            if existing:
                return _edition(existing), False
            previous = db.execute(
                "SELECT max(window_end) FROM digest_editions WHERE subscription_id = ? AND window_end < ?",
                (subscription.id, stamp(window_end)),
            ).fetchone()[0]
            start = window_start(datetime.fromisoformat(previous) if previous else None, window_end,
                                 subscription.parsed_schedule)
            cursor = db.execute(
                "INSERT INTO digest_editions (subscription_id, window_start, window_end, status, planned_at)"
                " VALUES (?,?,?,'planned',?)",
                (subscription.id, stamp(start), stamp(window_end), stamp(now)),
            )
            row = db.execute("SELECT * FROM digest_editions WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _edition(row), True

    def edition(self, edition_id: int) -> Edition | None:
        with self._ledger() as db:
            if db is None:
                return None
            row = db.execute("SELECT * FROM digest_editions WHERE id = ?", (edition_id,)).fetchone()
        return _edition(row) if row else None

    def editions(self, subscription_id: int) -> list[Edition]:
        with self._ledger() as db:
            if db is None:
                return []
            rows = db.execute("SELECT * FROM digest_editions WHERE subscription_id = ? ORDER BY window_end",
                              (subscription_id,)).fetchall()
        return [_edition(r) for r in rows]

    def planned(self, subscription_id: int | None = None) -> list[Edition]:
        """Editions written but not marked sent (a run that stopped part-way), oldest first."""
        with self._ledger() as db:
            if db is None:
                return []
            rows = db.execute(
                "SELECT * FROM digest_editions WHERE status = 'planned' AND (? IS NULL OR subscription_id = ?)"
                " ORDER BY window_end", (subscription_id, subscription_id),
            ).fetchall()
        return [_edition(r) for r in rows]

    def last_end(self, subscription_id: int) -> datetime | None:
        with self._ledger() as db:
            if db is None:
                return None
            value = db.execute("SELECT max(window_end) FROM digest_editions WHERE subscription_id = ?",
                               (subscription_id,)).fetchone()[0]
        return datetime.fromisoformat(value) if value else None

    def record_message(self, edition_id: int, part: int, message_id: int) -> None:
        """Part ``part`` (0-based) is posted as ``message_id``: kept at once, so that a
        restart never posts it again."""
        with self._writing() as db:
            row = db.execute("SELECT message_ids FROM digest_editions WHERE id = ?", (edition_id,)).fetchone()
            ids = json.loads(row[0])
            ids += [None] * (part + 1 - len(ids))
            ids[part] = message_id
            db.execute("UPDATE digest_editions SET message_ids = ? WHERE id = ?", (json.dumps(ids), edition_id))

    def mark_sent(self, edition_id: int, now: datetime) -> None:
        with self._writing() as db:
            db.execute("UPDATE digest_editions SET status = 'sent', sent_at = ? WHERE id = ?",
                       (stamp(now), edition_id))

    # --- what arrived -------------------------------------------------------------

    def arrivals(self, corpora: Sequence[str], start: datetime, end: datetime) -> list[tuple[str, str]]:
        """(corpus, id) of the articles first stored in ``[start, end)``, oldest first,
        leaving out a feed's baseline (what a feed already held when it was added: not
        news). An article stored earlier and updated in the window is not among them:
        ``updates`` lists it."""
        if not corpora:
            return []
        marks = ",".join("?" * len(corpora))
        with self._connection() as db:
            # The feeds module creates its baseline table with its first feed.
            not_baseline = (" AND NOT EXISTS (SELECT 1 FROM feed_baseline b"
                            " WHERE b.corpus = a.corpus AND b.article_id = a.id)"
                            ) if _has_table(db, "feed_baseline") else ""
            first = _first_stored(db)
            rows = db.execute(
                f"SELECT a.corpus, a.id FROM articles a {first.join} WHERE a.corpus IN ({marks})"
                f" AND {first.column} >= ? AND {first.column} < ?{not_baseline}"
                f" ORDER BY {first.column}, a.corpus, a.id",
                (*corpora, stamp(start), stamp(end)),
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def updates(self, corpora: Sequence[str], start: datetime, end: datetime) -> list[tuple[str, str]]:
        """(corpus, id) of the articles first stored before ``start`` and stored again,
        changed, in ``[start, end)``, oldest change first."""
        if not corpora:
            return []
        marks = ",".join("?" * len(corpora))
        with self._connection() as db:
            first = _first_stored(db)
            rows = db.execute(
                f"SELECT a.corpus, a.id FROM articles a {first.join} WHERE a.corpus IN ({marks})"
                f" AND a.ingested_at >= ? AND a.ingested_at < ? AND {first.column} < ?"
                " ORDER BY a.ingested_at, a.corpus, a.id",
                (*corpora, stamp(start), stamp(end), stamp(start)),
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def earlier_claims(self, articles: Sequence[tuple[str, str]], before: datetime) -> set[tuple[str, str, str]]:
        """(corpus, article id, claim text key) of the claims these articles already had
        before ``before``: an update's claims that are not news."""
        if not articles:
            return set()
        with self._connection() as db:
            if not _has_table(db, "claim_arrivals"):
                return set()
            found: set[tuple[str, str, str]] = set()
            for corpus, article_id in articles:
                found |= {(corpus, article_id, row[0]) for row in db.execute(
                    "SELECT text_key FROM claim_arrivals WHERE corpus = ? AND article_id = ? AND first_stored < ?",
                    (corpus, article_id, stamp(before)))}
        return found


class _FirstStored(NamedTuple):
    join: str
    column: str


def _first_stored(db: sqlite3.Connection) -> _FirstStored:
    """How to read an article's first arrival: from ``article_arrivals`` where the
    store has recorded it, else (a folder from before that table) its ``ingested_at``."""
    if not _has_table(db, "article_arrivals"):
        return _FirstStored("", "a.ingested_at")
    return _FirstStored("LEFT JOIN article_arrivals f ON f.corpus = a.corpus AND f.article_id = a.id",
                        "coalesce(f.first_stored, a.ingested_at)")


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        id=row["id"], corpus=row["corpus"], channel_id=row["channel_id"], schedule=row["schedule"],
        timezone=row["timezone"], topics=json.loads(row["topics"]), exclude=row["exclude"],
        created_at=row["created_at"],
    )


def _edition(row: sqlite3.Row) -> Edition:
    return Edition(
        id=row["id"], subscription_id=row["subscription_id"], window_start=row["window_start"],
        window_end=row["window_end"], status=row["status"], message_ids=json.loads(row["message_ids"]),
        planned_at=row["planned_at"], sent_at=row["sent_at"],
    )
