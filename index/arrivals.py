"""When each article, and each claim of it, was first stored.

The articles table's ``ingested_at`` is when a row was last stored, so an article
updated today looks as fresh as one that arrived today. Digests need the difference: an
update is not a new article, and of its claims only those the update added are news.
A claim is known by its verbatim text within its article (its position moves when the
text around it changes). The store writes these rows in the transaction that saves the
article and never changes them afterwards.

Folders written before these tables existed have no rows: a missing article row reads as
``ingested_at``, and an article's claims get rows, dated from its previous store, the
first time it is updated.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timezone

from index.models import Article, Claim

SCHEMA = """
CREATE TABLE IF NOT EXISTS article_arrivals (
    corpus        TEXT NOT NULL,
    article_id    TEXT NOT NULL,
    first_stored  TEXT NOT NULL,
    PRIMARY KEY (corpus, article_id)
);
CREATE TABLE IF NOT EXISTS claim_arrivals (
    corpus        TEXT NOT NULL,
    article_id    TEXT NOT NULL,
    text_key      TEXT NOT NULL,
    first_stored  TEXT NOT NULL,
    PRIMARY KEY (corpus, article_id, text_key)
);
"""


def stamp(moment: datetime) -> str:
    """A moment as the database keeps it: UTC ISO text, whole seconds written without a
    fraction and other moments with all six digits of it. Text order is then time order,
    also against rows written to the second before fractions were kept ('+' sorts before
    '.'), so a digest window ending now holds what was stored a moment ago."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in the database; give it a time zone")
    return moment.astimezone(timezone.utc).isoformat(timespec="auto")


def text_key(text: str) -> str:
    """A claim's identity within its article: a digest of its verbatim text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def record(db: sqlite3.Connection, article: Article, claims: Sequence[Claim], stored_at: str) -> None:
    """Called by the store before it replaces ``article``'s row and claims. What was
    stored before keeps its first date; what is new is dated ``stored_at``."""
    previous = db.execute("SELECT ingested_at FROM articles WHERE corpus = ? AND id = ?",
                          (article.corpus, article.id)).fetchone()
    earlier = previous[0] if previous is not None else stored_at
    first_row = db.execute("INSERT OR IGNORE INTO article_arrivals VALUES (?,?,?)",
                           (article.corpus, article.id, earlier)).rowcount
    if previous is not None and first_row:
        # Stored before these tables existed: its claims until now date from then.
        old_texts = [json.loads(row[0])["text"] for row in db.execute(
            "SELECT data FROM claims WHERE corpus = ? AND article_id = ?", (article.corpus, article.id))]
        _record_claims(db, article, old_texts, earlier)
    _record_claims(db, article, [c.text for c in claims], stored_at)


def _record_claims(db: sqlite3.Connection, article: Article, texts: Sequence[str], stored_at: str) -> None:
    db.executemany("INSERT OR IGNORE INTO claim_arrivals VALUES (?,?,?,?)",
                   [(article.corpus, article.id, text_key(t), stored_at) for t in texts])
