"""SQLite: the source of truth for articles and claims. Every write is one transaction.

Whoosh is derived from this; the ``indexed`` flag records which rows the search index
has committed, so a crash between the two commits is caught up on the next write.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from index import arrivals, speaker_table
from index.models import Article, ArticleHead, Claim, Speaker

# 2: the speakers table (speakers, aliases, claim-speaker links). A folder written by an
# earlier version gets the new tables empty; `claimdesk reindex --re-extract` fills them.
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    corpus       TEXT NOT NULL,
    id           TEXT NOT NULL,
    source       TEXT NOT NULL,
    outlet       TEXT,
    title        TEXT,
    url          TEXT,
    published    TEXT,
    language     TEXT,
    text         TEXT NOT NULL,
    spans        TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at  TEXT NOT NULL,
    indexed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (corpus, id)
);
CREATE INDEX IF NOT EXISTS articles_by_url ON articles (corpus, url) WHERE url IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_by_hash ON articles (corpus, content_hash);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles (indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS claims (
    corpus     TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (corpus, article_id, seq),
    FOREIGN KEY (corpus, article_id) REFERENCES articles (corpus, id) ON DELETE CASCADE
);
""" + speaker_table.SCHEMA + arrivals.SCHEMA
# Fields the store keeps in tables of their own rather than in a claim's JSON.
_CLAIM_FIELDS_NOT_IN_JSON = {"speaker_id", "via_ids", "speaker_ref", "via_refs"}

_ARTICLE_COLUMNS = "corpus, id, source, outlet, title, url, published, language, text, spans, content_hash, ingested_at"


class Store:
    """``readonly`` opens the database for reading only: no schema setup, no writes, so
    queries work on a read-only folder and never take SQLite's write lock."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        # The bot queries from a thread pool: each thread gets its own connection, as
        # sqlite3 connections must not be used by two threads at once.
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self.migrated_from: int | None = None
        if readonly:
            # Connecting reads the file's header: a file that is not a database says so
            # here, not in the middle of a command.
            self.schema_version: int = self._db.execute("PRAGMA user_version").fetchone()[0]
            return
        self._db.execute("PRAGMA journal_mode=WAL")
        with self.transaction():
            found_version = self._db.execute("PRAGMA user_version").fetchone()[0]
            had_articles = self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'"
            ).fetchone()
            # A folder an older claimdesk wrote (version 1, or 0 before versions were set).
            self.migrated_from = found_version if had_articles and found_version < SCHEMA_VERSION else None
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self.schema_version = max(found_version, SCHEMA_VERSION)
            self._db.execute(f"PRAGMA user_version={self.schema_version}")

    @property
    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        return connect_read_only(self.path)

    def close(self) -> None:
        with self._connections_lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- writes -------------------------------------------------------------------

    def save(self, batch: Sequence[tuple[Article, list[Claim]]]) -> None:
        """Insert or replace articles with their claims, all in one transaction, resolving
        each claim's speaker and relays into the speakers table (``speaker_id`` and
        ``via_ids`` are filled on the claims given)."""
        now = arrivals.stamp(datetime.now(timezone.utc))
        with self.transaction() as db:
            replaced_speakers: set[int] = set()
            resolved: dict[tuple, int] = {}
            for article, claims in batch:
                replaced_speakers |= speaker_table.speakers_of_article(db, article.corpus, article.id)
                stored_at = arrivals.stamp(article.ingested_at) if article.ingested_at else now
                arrivals.record(db, article, claims, stored_at)
                db.execute("DELETE FROM claims WHERE corpus = ? AND article_id = ?", (article.corpus, article.id))
                db.execute(
                    f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}, indexed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)",
                    (
                        article.corpus, article.id, article.source, article.outlet, article.title, article.url,
                        article.published.isoformat() if article.published else None, article.language,
                        article.text, json.dumps([s.model_dump() for s in article.spans]), article.content_hash,
                        stored_at,
                    ),
                )
                db.executemany(
                    "INSERT INTO claims (corpus, article_id, seq, data) VALUES (?,?,?,?)",
                    [(c.corpus, c.article_id, c.seq, c.model_dump_json(exclude=_CLAIM_FIELDS_NOT_IN_JSON)) for c in claims],
                )
                speaker_table.link_claims(db, claims, resolved)
            speaker_table.prune(db, replaced_speakers)

    def forget_speakers(self) -> None:
        """Empty the speakers table, before every article is extracted and resolved again."""
        with self.transaction() as db:
            speaker_table.forget_all(db)

    def mark_indexed(self, keys: Iterable[tuple[str, str]], content_hashes: dict[tuple[str, str], str]) -> None:
        """Flag rows the search index has committed, unless they changed since."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE articles SET indexed = 1 WHERE corpus = ? AND id = ? AND content_hash = ?",
                [(corpus, id_, content_hashes[(corpus, id_)]) for corpus, id_ in keys],
            )

    def mark_all_unindexed(self) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET indexed = 0")

    def mark_all_indexed(self) -> None:
        """After a rebuild from every stored article, under the writer lock."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET indexed = 1 WHERE indexed = 0")

    # --- reads --------------------------------------------------------------------

    def get(self, corpus: str, article_id: str) -> Article | None:
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE corpus = ? AND id = ?", (corpus, article_id)
        ).fetchone()
        return _article(row) if row else None

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Article]:
        found: dict[tuple[str, str], Article] = {}
        for corpus, article_id in keys:
            article = self.get(corpus, article_id)
            if article is not None:
                found[(corpus, article_id)] = article
        return found

    def heads(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], ArticleHead]:
        """Articles without their text, by (corpus, id): point lookups, as ``get_many``."""
        found: dict[tuple[str, str], ArticleHead] = {}
        for key in keys:
            row = self._db.execute(
                "SELECT corpus, id, source, outlet, title, url, published FROM articles WHERE corpus = ? AND id = ?", key
            ).fetchone()
            if row is not None:
                found[key] = ArticleHead(corpus=row["corpus"], id=row["id"], source=row["source"], outlet=row["outlet"],
                                         title=row["title"], url=row["url"], published=row["published"])
        return found

    def id_for_url(self, corpus: str, url: str) -> str | None:
        row = self._db.execute("SELECT id FROM articles WHERE corpus = ? AND url = ?", (corpus, url)).fetchone()
        return row["id"] if row else None

    def get_copy(self, article: Article) -> Article | None:
        """An article already stored with the same text, outlet and URL as this one."""
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE corpus = ? AND content_hash = ? AND outlet IS ? "
            # "+id": ordering by the bare id led SQLite to walk the corpus's primary key in id
            # order (no sort) instead of the hash index: a scan of the whole corpus per
            # ingested article (40 ms at 100,000 articles, a third of ingest).
            "AND url IS ? ORDER BY +id LIMIT 1",
            (article.corpus, article.content_hash, article.outlet, article.url),
        ).fetchone()
        return _article(row) if row else None

    def claims(self, corpus: str, article_id: str) -> list[Claim]:
        rows = self._db.execute(
            "SELECT data FROM claims WHERE corpus = ? AND article_id = ? ORDER BY seq", (corpus, article_id)
        ).fetchall()
        claims = [Claim.model_validate_json(r["data"]) for r in rows]
        speaker_table.attach(self._db, claims)
        return claims

    def claims_at(self, keys: Sequence[tuple[str, str, int]]) -> dict[tuple[str, str, int], Claim]:
        """Claims by (corpus, article id, seq), each with its speaker links: point lookups
        on the primary keys, which SQLite answers far faster than one query with a long
        list of row values."""
        found: dict[tuple[str, str, int], Claim] = {}
        for key in keys:
            rows = self._db.execute(speaker_table.CLAIM_WITH_SPEAKERS, key).fetchall()
            if rows:
                claim = found[key] = Claim.model_validate_json(rows[0][0])
                speaker_table.fill(claim, [row[1:] for row in rows])
        return found

    def iter_articles(self, *, only_unindexed: bool = False, batch: int = 500) -> Iterator[Article]:
        where = "WHERE indexed = 0" if only_unindexed else ""
        last = ("", "")
        while True:
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles {where} {'AND' if where else 'WHERE'} (corpus, id) > (?, ?) "
                "ORDER BY corpus, id LIMIT ?",
                (*last, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article(row)
            last = (rows[-1]["corpus"], rows[-1]["id"])

    def count(self, corpora: Sequence[str] | None = None, *, only_unindexed: bool = False) -> int:
        clauses, params = _corpus_filter(corpora)
        if only_unindexed:
            clauses.append("indexed = 0")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._db.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]

    def indexed_counts(self) -> tuple[int, int]:
        """(articles, claims) that the search index has committed, by the ``indexed`` flag:
        an index holding fewer has lost some."""
        # All minus the unindexed, which are few: both counts then read narrow indexes only.
        articles = self.count() - self.count(only_unindexed=True)
        unindexed_claims = self._db.execute(
            "SELECT count(*) FROM articles JOIN claims ON claims.corpus = articles.corpus "
            "AND claims.article_id = articles.id WHERE articles.indexed = 0"
        ).fetchone()[0]
        return articles, self.count_claims() - unindexed_claims

    def count_claims(self, corpora: Sequence[str] | None = None) -> int:
        clauses, params = _corpus_filter(corpora)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self._db.execute(f"SELECT count(*) FROM claims {where}", params).fetchone()[0]

    def outlets(self, corpora: Sequence[str]) -> list[tuple[str | None, int, str | None, str | None]]:
        """(outlet, article count, earliest date, latest date), most articles first."""
        clauses, params = _corpus_filter(corpora)
        return [
            (r[0], r[1], r[2], r[3])
            for r in self._db.execute(
                f"SELECT outlet, count(*), min(published), max(published) FROM articles WHERE {' AND '.join(clauses)} "
                "GROUP BY outlet ORDER BY count(*) DESC, outlet",
                params,
            )
        ]

    # --- suggestions while typing (autocomplete) -----------------------------------

    def outlet_names(self, corpora: Sequence[str], prefix: str, limit: int) -> list[str]:
        """Outlets with a word starting with ``prefix`` (any case), most articles first."""
        clauses, params = _corpus_filter(corpora)
        return [
            r[0]
            for r in self._db.execute(
                f"SELECT outlet FROM articles WHERE {' AND '.join(clauses)} AND outlet IS NOT NULL "
                "AND (outlet LIKE ? ESCAPE '\\' OR outlet LIKE ? ESCAPE '\\') "
                "GROUP BY outlet ORDER BY count(*) DESC, outlet LIMIT ?",
                [*params, *self._word_prefix_patterns(prefix), limit],
            )
        ]

    def speaker_names(self, corpora: Sequence[str], prefix: str, limit: int) -> list[str]:
        """Speakers (their canonical names) known by a name with a word starting with
        ``prefix``, most quoted first, from the speakers table."""
        return speaker_table.names_starting(self._db, corpora, self._word_prefix_patterns(prefix), limit)

    # --- speakers -------------------------------------------------------------------

    def speaker_ids(self, corpora: Sequence[str], name: str) -> list[int]:
        """The speakers a typed name can mean (any spelling, alias, acronym, surname)."""
        return speaker_table.lookup(self._db, corpora, name)

    def speakers(self, ids: Iterable[int]) -> list[Speaker]:
        return speaker_table.speakers(self._db, ids)

    def article_ids(self, corpora: Sequence[str], prefix: str, limit: int) -> list[tuple[str, str | None]]:
        """(id, title) of articles whose id starts with ``prefix``, newest first."""
        clauses, params = _corpus_filter(corpora)
        return [
            (r[0], r[1])
            for r in self._db.execute(
                f"SELECT id, max(title) FROM articles WHERE {' AND '.join(clauses)} AND id LIKE ? ESCAPE '\\' "
                "GROUP BY id ORDER BY max(published) IS NULL, max(published) DESC, id LIMIT ?",
                [*params, self._like_escape(prefix) + "%", limit],
            )
        ]

    @staticmethod
    def _like_escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    @classmethod
    def _word_prefix_patterns(cls, prefix: str) -> tuple[str, str]:
        """LIKE patterns for "a word of the value starts with prefix"."""
        escaped = cls._like_escape(prefix.strip())
        return f"{escaped}%", f"% {escaped}%"



def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can only read ``path``, also in a read-only folder."""
    uri = f"{path.absolute().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # SQLite opens files lazily
    except sqlite3.OperationalError:
        connection.close()
        if os.access(path.parent, os.W_OK):
            raise
        # A WAL database needs its shared-memory file, which a read-only folder
        # cannot get once the last writer removed it. No writer can change the
        # file there either, so SQLite may read it as immutable.
        connection = sqlite3.connect(f"{uri}&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA query_only=ON")
    return connection

def _corpus_filter(corpora: Sequence[str] | None) -> tuple[list[str], list[str]]:
    if corpora is None:
        return [], []
    if not corpora:
        return ["0"], []  # no corpus visible: nothing matches
    return [f"corpus IN ({','.join('?' * len(corpora))})"], list(corpora)


def _article(row: sqlite3.Row) -> Article:
    return Article(
        corpus=row["corpus"], id=row["id"], source=row["source"], outlet=row["outlet"], title=row["title"],
        url=row["url"], published=row["published"], language=row["language"], text=row["text"],
        spans=json.loads(row["spans"]), content_hash=row["content_hash"], ingested_at=row["ingested_at"],
    )
