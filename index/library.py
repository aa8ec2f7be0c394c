"""A data folder: the SQLite store, the derived search index, and the one way to write them.

Writing goes load → extract → store (one transaction per batch) → search index (one
commit per batch) → flag the batch as indexed. A crash anywhere loses at most the batch
in flight: rows stored but not yet indexed are indexed by the next writer, and readers
only ever see whole committed batches.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from index import stages
from index.answer_cache import AnswerCache
from index.faults import DATABASE_NAME, faults_named, index_damaged, storage_fault
from index.indexing import IndexingThread
from index.ingest import DEFAULT_MAX_BYTES, IngestError, IngestSkip, LoadedArticle, Progress, load_paths
from index.locking import lock_is_free, writer_lock
from index.models import DEFAULT_CORPUS, Article, Claim
from index.search import IndexCorrupt, SearchIndex
from index.store import SCHEMA_VERSION, Store

if TYPE_CHECKING:
    from index.extract import ExtractorPool

log = logging.getLogger(__name__)

BATCH_SIZE = 100

# "skipped": left out on purpose and named (a folder link that loops, a second path to a file).
Status = Literal["ingested", "updated", "unchanged", "failed", "skipped"]
Extractor = Callable[[Sequence[Article]], list[list[Claim]]]


class IngestOutcome(BaseModel):
    source: str
    status: Status
    article_id: str | None = None
    reason: str = ""
    notes: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    outcomes: list[IngestOutcome] = Field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failures(self) -> list[IngestOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


class Library:
    def __init__(
        self, data_dir: Path, *, readonly: bool = False, extractor: Extractor | None = None,
        extract_processes: int = 1,
    ) -> None:
        """A ``readonly`` library is a reader: it opens the database read-only and writes
        nothing, so it works on a read-only folder; the one exception is a missing or
        damaged search index, which any opener rebuilds under the writer lock (a reader
        cannot serve searches without it). A writer also indexes, on opening, what a
        killed writer stored but did not index.

        ``extract_processes`` > 1 spreads claim extraction over worker processes, for
        large ingests; ``extractor`` replaces extraction altogether."""
        self.data_dir = data_dir
        self.readonly = readonly
        self._lock_path = data_dir / "writer.lock"
        self._extractor = extractor
        self._extract_processes = extract_processes
        self._pool: ExtractorPool | None = None
        self.notices: list[str] = []
        # Worked-out answers for the next page of a query; shared by every thread (the bot's too).
        self.answers = AnswerCache()
        self._rebuilt_on_open: int | None = None  # articles a repair indexed when opening
        with faults_named(data_dir):
            self.store = self._open_store()
            try:
                self.search = self._open_search()
                if not readonly and self.store.count(only_unindexed=True) and lock_is_free(self._lock_path):
                    with self.writing():
                        self._catch_up()
            except BaseException:
                self.store.close()
                raise
        if self.store.migrated_from is not None and self.store.count():
            self.notices.append(
                f"This data folder was written by an older claimdesk (schema {self.store.migrated_from}); its "
                "speakers table is new and empty, so /who, speaker: and speaker suggestions find nothing "
                "until you run `claimdesk reindex --re-extract`, which extracts every article's claims "
                "again and resolves their speakers."
            )

    def _open_store(self) -> Store:
        path = self.data_dir / DATABASE_NAME
        if self.readonly and path.exists():
            store = Store(path, readonly=True)
            if store.schema_version >= SCHEMA_VERSION:
                return store
            store.close()  # an older claimdesk's folder: migrated once, as a writer opens it
        # A folder without a database is set up by whoever opens it first.
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return Store(path)

    def _open_search(self) -> SearchIndex:
        try:
            search = SearchIndex(self._search_root, readonly=self.readonly, speaker_lookup=self.store.speaker_ids)
        except IndexCorrupt as exc:
            problem = str(exc)
        else:
            problem = self._shortfall(search)
            if problem is None:
                return search
            search.close()
        return self._repair(problem)

    @property
    def _search_root(self) -> Path:
        return self.data_dir / "whoosh"

    def _shortfall(self, search: SearchIndex) -> str | None:
        """Why the index cannot hold what the store says it has committed, or None."""
        articles, claims = search.doc_counts()
        committed_articles, committed_claims = self.store.indexed_counts()
        if articles < committed_articles or claims < committed_claims:
            return (f"it holds {articles} articles and {claims} claims, the store {committed_articles} "
                    f"and {committed_claims} indexed")
        return None

    def _repair(self, problem: str) -> SearchIndex:
        """Rebuild the index under the writer lock, unless the process that held the lock
        meanwhile left a sound one. An empty store just gets its empty index."""
        try:
            with self.writing():
                search, count = self._rebuild_unless_sound(problem)
        except OSError as exc:
            if storage_fault(exc, self.data_dir) is None:
                raise
            raise index_damaged(self._search_root, f"{problem}; it cannot be rebuilt here: {exc.strerror}") from exc
        if count:
            self._rebuilt_on_open = count
            # The caller shows notices: the CLI on stderr, the bot in its log.
            self.notices.append(f"The search index was damaged ({problem}); rebuilt it from the store ({count} articles).")
        return search

    def _rebuild_unless_sound(self, problem: str) -> tuple[SearchIndex, int | None]:
        """The index and how many articles went into rebuilding it (None: it was sound)."""
        try:
            search = SearchIndex(self._search_root, readonly=self.readonly, speaker_lookup=self.store.speaker_ids)
            if self._shortfall(search) is None:
                return search, None
            search.close()
        except IndexCorrupt:
            pass
        if not self.store.count():
            return self._rebuild(self.store)[0], 0
        log.warning("the search index is damaged (%s); rebuilding it from the store", problem)
        if not self.readonly:
            return self._rebuild(self.store)
        writable = Store(self.store.path)
        try:
            return self._rebuild(writable)
        finally:
            writable.close()

    def close(self) -> None:
        self.search.close()
        if self._pool is not None:
            self._pool.close()
        self.store.close()

    def _extract(self, articles: Sequence[Article]) -> list[list[Claim]]:
        if self._extractor is not None:
            return self._extractor(articles)
        if self._pool is None:
            from index.extract import ExtractorPool  # spaCy loads only when something is extracted

            self._pool = ExtractorPool(self._extract_processes)
        return self._pool(articles)

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def writing(self, timeout: float = 60.0) -> Iterator[None]:
        with writer_lock(self._lock_path, timeout):
            yield

    def writer_free(self) -> bool:
        """No other process is writing to this data folder now (it may start to at once)."""
        return lock_is_free(self._lock_path)

    # --- writing --------------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Iterable[str | Path],
        *,
        corpus: str = DEFAULT_CORPUS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        progress: Progress | None = None,
        batch_size: int = BATCH_SIZE,
    ) -> IngestReport:
        return self.ingest(
            load_paths(paths, corpus=corpus, max_bytes=max_bytes, progress=progress), batch_size=batch_size
        )

    def ingest(
        self,
        items: Iterable[LoadedArticle | IngestError],
        *,
        batch_size: int = BATCH_SIZE,
    ) -> IngestReport:
        if self.readonly:
            raise ValueError("a read-only library cannot ingest; open it as a writer")
        report = IngestReport()
        self._rebuilt_on_open = None  # what reindex would rebuild is no longer what opening did
        with faults_named(self.data_dir), self.writing():
            self._catch_up()
            indexing = IndexingThread(self.search.write, self._mark_indexed)
            try:
                batch: list[LoadedArticle] = []
                for item in _timed(items, "read and decode"):
                    if isinstance(item, IngestError):
                        report.outcomes.append(_failed(item))
                        continue
                    batch.append(item)
                    if len(batch) >= batch_size:
                        self._commit_batch(batch, report, indexing)
                        batch = []
                if batch:
                    self._commit_batch(batch, report, indexing)
                indexing.finish()
            finally:
                indexing.close()
        return report

    def _commit_batch(self, batch: list[LoadedArticle], report: IngestReport, indexing: IndexingThread) -> None:
        """Stores the batch and hands it to the indexing thread; its claims are extracted
        while the thread still indexes the batch before."""
        changed: dict[tuple[str, str], tuple[Article, IngestOutcome]] = {}
        accepted: dict[tuple, Article] = {}
        with stages.stage("new, updated or copy"):
            for loaded in batch:
                outcome = self._classify(loaded, accepted)
                report.outcomes.append(outcome)
                if outcome.status in {"ingested", "updated"}:
                    changed[(loaded.article.corpus, loaded.article.id)] = (loaded.article, outcome)
        if not changed:
            return
        with stages.stage("extraction (writer waiting)"):
            pairs = self._extract_each(list(changed.values()))
            _note_extraction_bounds(changed.values())
        indexing.finish()  # the batch before is flagged before this one is stored
        with stages.stage("SQLite save"):
            self.store.save(pairs)
        indexing.start(pairs)

    def _mark_indexed(self, pairs: Sequence[tuple[Article, list[Claim]]]) -> None:
        """Flags stored rows as committed to the search index, unless they changed since."""
        with stages.stage("SQLite mark indexed"):
            self.store.mark_indexed(
                [(a.corpus, a.id) for a, _ in pairs], {(a.corpus, a.id): a.content_hash for a, _ in pairs}
            )

    def _extract_each(self, items: list[tuple[Article, IngestOutcome]]) -> list[tuple[Article, list[Claim]]]:
        """Claims for each article; one article the extractor chokes on is kept without claims."""
        articles = [article for article, _ in items]
        try:
            return list(zip(articles, self._extract(articles), strict=True))
        except Exception:
            log.exception("claim extraction failed for a batch; retrying its articles one by one")
        pairs = []
        for article, outcome in items:
            try:
                claims = self._extract([article])[0]
            except Exception as exc:
                log.exception("claim extraction failed for %s", article.source)
                outcome.notes.append(
                    f"stored and searchable, but no claims were extracted ({exc.__class__.__name__}: {exc}); "
                    "`claimdesk reindex --re-extract` tries again"
                )
                claims = []
            pairs.append((article, claims))
        return pairs

    def _classify(self, loaded: LoadedArticle, batch: dict[tuple, Article]) -> IngestOutcome:
        """Decide whether an article is new, an update or a copy; ``batch`` holds the
        articles accepted earlier in this batch, under their ids and their copy keys."""
        article = loaded.article

        def known(article_id: str) -> Article | None:
            return batch.get((article.corpus, article_id)) or self.store.get(article.corpus, article_id)

        url_owner = article.url and (
            next((a.id for a in batch.values() if a.corpus == article.corpus and a.url == article.url), None)
            or self.store.id_for_url(article.corpus, article.url)
        )
        if url_owner:
            article.id = url_owner  # the same URL is the same article, whatever the file is called
        existing = known(article.id)
        if (
            not url_owner
            and existing is not None
            and loaded.id_from_name
            and not _same_file(existing.source, article.source)
            and existing.content_hash != article.content_hash
        ):
            article.id = _disambiguated_id(article)
            existing = known(article.id)
        outcome = IngestOutcome(source=article.source, status="ingested", article_id=article.id, notes=loaded.notes)
        if existing is not None:
            outcome.status = "unchanged" if _same_article(existing, article) else "updated"
        elif (twin := batch.get(_copy_key(article))) or (twin := self.store.get_copy(article)):
            # The same file under another name. The same text from another outlet is not a
            # copy: it is that outlet running the story, which corroboration must count.
            outcome.status = "unchanged"
            outcome.notes = [*outcome.notes, f"same text, outlet and URL as article {twin.id}"]
            outcome.article_id = twin.id
        if outcome.status != "unchanged":
            batch[(article.corpus, article.id)] = article
            batch[_copy_key(article)] = article
        return outcome

    def _catch_up(self) -> int:
        """Index what the store holds but the search index has not committed."""
        done = 0
        for batch in _stored_batches(self.store, only_unindexed=True):
            self.search.write(batch)
            self._mark_indexed(batch)
            done += len(batch)
        if done:
            log.info("indexed %d stored articles the search index had not committed", done)
        return done

    def reindex(self, *, re_extract: bool = False) -> int:
        """Rebuild the search index from the store; with ``re_extract``, claims too.
        Readers keep the old index, whole, until the new one is complete. An index this
        library rebuilt when it opened (it was damaged) is not rebuilt a second time."""
        if self.readonly:
            raise ValueError("a read-only library cannot reindex; open it as a writer")
        if self._rebuilt_on_open is not None and not re_extract:
            count, self._rebuilt_on_open = self._rebuilt_on_open, None
            return count
        with faults_named(self.data_dir), self.writing():
            if re_extract:
                self._re_extract()
            old = self.search
            self.search, count = self._rebuild(self.store)
            old.close()
            return count

    def _re_extract(self) -> None:
        self.store.forget_speakers()  # resolved again from scratch, as extraction may have changed
        batch: list[Article] = []
        for article in self.store.iter_articles():
            batch.append(article)
            if len(batch) >= BATCH_SIZE:
                self.store.save(list(zip(batch, self._extract(batch), strict=True)))
                batch = []
        if batch:
            self.store.save(list(zip(batch, self._extract(batch), strict=True)))

    def _rebuild(self, store: Store) -> tuple[SearchIndex, int]:
        """A new search index of every stored article, swapped in whole; the caller holds
        the writer lock, so nothing is stored meanwhile and every row ends up indexed."""
        count = 0

        def fill(index: SearchIndex) -> None:
            nonlocal count
            count = index.add_new(_stored_batches(store, only_unindexed=False))

        search = SearchIndex.build(self._search_root, fill, speaker_lookup=self.store.speaker_ids)
        store.mark_all_indexed()
        return search, count


def _timed(items: Iterable[LoadedArticle | IngestError], name: str) -> Iterator[LoadedArticle | IngestError]:
    """The items, with the time spent producing each (reading files) counted as ``name``."""
    iterator = iter(items)
    while True:
        with stages.stage(name):
            item = next(iterator, None)
        if item is None:
            return
        yield item


def _stored_batches(store: Store, *, only_unindexed: bool) -> Iterator[list[tuple[Article, list[Claim]]]]:
    batch: list[tuple[Article, list[Claim]]] = []
    for article in store.iter_articles(only_unindexed=only_unindexed):
        batch.append((article, store.claims(article.corpus, article.id)))
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _copy_key(article: Article) -> tuple:
    return (article.corpus, article.content_hash, article.outlet, article.url)


def _disambiguated_id(article: Article) -> str:
    """A second file with the same name in another folder: name plus a digest of its path."""
    return f"{article.id}-{hashlib.sha1(article.source.encode()).hexdigest()[:8]}"


def _same_file(stored_source: str, source: str) -> bool:
    """Whether two sources name one file. Sources are stored resolved (absolute, links
    followed); a folder written before that may hold a relative one, which still names
    the same file when both lead to it."""
    if stored_source == source:
        return True
    try:
        return os.path.samefile(stored_source, source)
    except (OSError, ValueError):
        return False


def _same_article(old: Article, new: Article) -> bool:
    fields = ("content_hash", "title", "outlet", "url", "published", "language", "source")
    return all(getattr(old, f) == getattr(new, f) for f in fields)


def _note_extraction_bounds(items: Iterable[tuple[Article, IngestOutcome]]) -> None:
    from index.extract.segment import bounds_note  # index.extract imports spaCy: writers only

    for article, outcome in items:
        if note := bounds_note(article):
            outcome.notes.append(note)


def _failed(error: IngestError) -> IngestOutcome:
    status = "skipped" if isinstance(error, IngestSkip) else "failed"
    return IngestOutcome(source=error.source, status=status, reason=error.reason)
