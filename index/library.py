"""A data folder: the SQLite store, the derived search index, and the one way to write them.

Writing goes load → extract → store (one transaction per batch) → search index (one
commit per batch) → flag the batch as indexed. A crash anywhere loses at most the batch
in flight: rows stored but not yet indexed are indexed by the next writer, and readers
only ever see whole committed batches.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from index.ingest import DEFAULT_MAX_BYTES, IngestError, LoadedArticle, Progress, load_paths
from index.locking import lock_is_free, writer_lock
from index.models import DEFAULT_CORPUS, Article, Claim
from index.search import IndexCorrupt, SearchIndex
from index.store import Store

if TYPE_CHECKING:
    from index.extract import ExtractorPool

log = logging.getLogger(__name__)

BATCH_SIZE = 100

Status = Literal["ingested", "updated", "unchanged", "failed"]
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
        self, data_dir: Path, *, extractor: Extractor | None = None, extract_processes: int = 1
    ) -> None:
        """``extract_processes`` > 1 spreads claim extraction over worker processes, for
        large ingests; ``extractor`` replaces extraction altogether."""
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(data_dir / "claimdesk.sqlite3")
        self._lock_path = data_dir / "writer.lock"
        self._extractor = extractor
        self._extract_processes = extract_processes
        self._pool: ExtractorPool | None = None
        self.notices: list[str] = []
        if self.store.migrated_from is not None and self.store.count():
            self.notices.append(
                f"This data folder was written by an older claimdesk (schema {self.store.migrated_from}); its "
                "speakers table is new and empty, so /who, speaker: and speaker suggestions find nothing "
                "until you run `claimdesk reindex --re-extract`, which extracts every article's claims "
                "again and resolves their speakers."
            )
        try:
            self.search = SearchIndex(data_dir / "whoosh", speaker_lookup=self.store.speaker_ids)
        except IndexCorrupt as exc:
            with self.writing():
                self._rebuild(reason=str(exc))
            return
        if self.store.count(only_unindexed=True) and lock_is_free(self._lock_path):
            with self.writing():
                self._catch_up()

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
        report = IngestReport()
        with self.writing():
            self._catch_up()
            batch: list[LoadedArticle] = []
            for item in items:
                if isinstance(item, IngestError):
                    report.outcomes.append(_failed(item))
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    self._commit_batch(batch, report)
                    batch = []
            if batch:
                self._commit_batch(batch, report)
        return report

    def _commit_batch(self, batch: list[LoadedArticle], report: IngestReport) -> None:
        changed: dict[tuple[str, str], tuple[Article, IngestOutcome]] = {}
        accepted: dict[tuple, Article] = {}
        for loaded in batch:
            outcome = self._classify(loaded, accepted)
            report.outcomes.append(outcome)
            if outcome.status in {"ingested", "updated"}:
                changed[(loaded.article.corpus, loaded.article.id)] = (loaded.article, outcome)
        if not changed:
            return
        pairs = self._extract_each(list(changed.values()))
        _note_extraction_bounds(changed.values())
        self.store.save(pairs)
        self.search.write(pairs)
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
            and existing.source != article.source
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
        batch: list[tuple[Article, list[Claim]]] = []
        for article in self.store.iter_articles(only_unindexed=True):
            batch.append((article, self.store.claims(article.corpus, article.id)))
            if len(batch) >= BATCH_SIZE:
                done += self._index_stored(batch)
                batch = []
        if batch:
            done += self._index_stored(batch)
        if done:
            log.info("indexed %d stored articles the search index had not committed", done)
        return done

    def _index_stored(self, batch: list[tuple[Article, list[Claim]]]) -> int:
        self.search.write(batch)
        self.store.mark_indexed(
            [(a.corpus, a.id) for a, _ in batch], {(a.corpus, a.id): a.content_hash for a, _ in batch}
        )
        return len(batch)

    def reindex(self, *, re_extract: bool = False) -> int:
        """Rebuild the search index from the store; with ``re_extract``, claims too."""
        with self.writing():
            if re_extract:
                self._re_extract()
            self.search.close()
            return self._rebuild(reason="")

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

    def _rebuild(self, reason: str) -> int:
        self.search = SearchIndex.recreate(self.data_dir / "whoosh", speaker_lookup=self.store.speaker_ids)
        self.store.mark_all_unindexed()
        count = self._catch_up()
        self.search.optimize()
        if reason:
            notice = f"The search index was damaged ({reason}); rebuilt it from the store ({count} articles)."
            log.warning(notice)
            self.notices.append(notice)
        return count


def _copy_key(article: Article) -> tuple:
    return (article.corpus, article.content_hash, article.outlet, article.url)


def _disambiguated_id(article: Article) -> str:
    """A second file with the same name in another folder: name plus a digest of its path."""
    return f"{article.id}-{hashlib.sha1(article.source.encode()).hexdigest()[:8]}"


def _same_article(old: Article, new: Article) -> bool:
    fields = ("content_hash", "title", "outlet", "url", "published", "language", "source")
    return all(getattr(old, f) == getattr(new, f) for f in fields)


def _note_extraction_bounds(items: Iterable[tuple[Article, IngestOutcome]]) -> None:
    from index.extract.segment import bounds_note  # index.extract imports spaCy: writers only

    for article, outcome in items:
        if note := bounds_note(article):
            outcome.notes.append(note)


def _failed(error: IngestError) -> IngestOutcome:
    return IngestOutcome(source=error.source, status="failed", reason=error.reason)
