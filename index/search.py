"""The search interface: add or update, delete, search, count. Whoosh is behind it.

Everything here is derived from the SQLite store and can be rebuilt from it at any time.
Callers pass the corpora they may see on every search; the filter is applied here, so
no caller can forget it. Each thread keeps its own searchers and opens new ones when a
commit has changed the index.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, time as day_time
from pathlib import Path

from pydantic import BaseModel
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.query import And, DateRange, Every, Not, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from index.analysis import NAMES, PROSE, name_terms, prose_terms
from index.names import acronym_of, core_words, transliteration_fold
from index.models import Article, Claim
from index.query import ParsedQuery, QueryError

SCHEMA_VERSION = "2"  # 2: claims carry speaker and relay ids from the speakers table
WRITE_LOCK_TIMEOUT = 60.0

ARTICLE_SCHEMA = Schema(
    key=ID(unique=True),
    corpus=ID(stored=True),
    article_id=ID(stored=True),
    title=TEXT(analyzer=PROSE, field_boost=2.0),
    text=TEXT(analyzer=PROSE),
    outlet=TEXT(analyzer=NAMES),
    published=DATETIME(stored=True, sortable=True),
)

CLAIM_SCHEMA = Schema(
    key=ID(unique=True),
    article_key=ID,
    corpus=ID(stored=True),
    article_id=ID(stored=True),
    seq=NUMERIC(int, stored=True),
    text=TEXT(analyzer=PROSE),
    speaker=TEXT(analyzer=NAMES),
    speaker_id=ID,
    relay_ids=KEYWORD,
    entities=TEXT(analyzer=NAMES),
    unit=KEYWORD(lowercase=True, commas=True),
    figure=NUMERIC(float),
    outlet=TEXT(analyzer=NAMES),
    published=DATETIME(stored=True, sortable=True),
)


class IndexHit(BaseModel):
    corpus: str
    article_id: str
    seq: int | None = None
    score: float


class HitPage(BaseModel):
    total: int
    hits: list[IndexHit]


class IndexCorrupt(Exception):
    """The on-disk index cannot be read; rebuild it from the store."""


Expander = Callable[[str], Iterable[str]]
# The speakers table's answer to "who can this typed name be" (corpora, name) -> ids.
SpeakerLookup = Callable[[Sequence[str], str], list[int]]


def article_key(corpus: str, article_id: str) -> str:
    return f"{corpus}\x1f{article_id}"


class SearchIndex:
    """Two Whoosh indexes under one folder: articles and claims."""

    def __init__(self, root: Path, speaker_lookup: SpeakerLookup | None = None) -> None:
        self.root = root
        self._speaker_lookup = speaker_lookup
        self._local = threading.local()
        self._articles = self._open("articles", ARTICLE_SCHEMA)
        self._claims = self._open("claims", CLAIM_SCHEMA)

    def _open(self, name: str, schema: Schema) -> whoosh_index.Index:
        folder = self.root / name
        version_file = self.root / f"{name}.version"
        if not folder.exists() or not version_file.exists():
            folder.mkdir(parents=True, exist_ok=True)
            ix = whoosh_index.create_in(folder, schema)
            version_file.write_text(SCHEMA_VERSION)
            return ix
        if version_file.read_text().strip() != SCHEMA_VERSION:
            raise IndexCorrupt(f"{folder} was written by another schema version")
        try:
            ix = whoosh_index.open_dir(folder)
            with ix.searcher() as searcher:
                searcher.doc_count()
            return ix
        except Exception as exc:  # Whoosh raises many kinds of error on damaged files
            raise IndexCorrupt(f"{folder} cannot be read ({exc.__class__.__name__}: {exc})") from exc

    @classmethod
    def recreate(cls, root: Path, speaker_lookup: SpeakerLookup | None = None) -> "SearchIndex":
        """Start from empty, moving a damaged index aside rather than deleting it."""
        if root.exists():
            aside = root.with_name(f"{root.name}.broken-{int(time.time())}")
            root.rename(aside)
            shutil.rmtree(aside, ignore_errors=True)
        root.mkdir(parents=True)
        return cls(root, speaker_lookup)

    # --- writes (the caller holds the data folder's writer lock) --------------------

    def write(self, batch: Sequence[tuple[Article, list[Claim]]]) -> None:
        """Add or update articles and replace their claims: one commit per index."""
        with _writing(self._articles) as writer:
            for article, _ in batch:
                writer.update_document(**_article_document(article))
        with _writing(self._claims) as writer:
            for article, claims in batch:
                writer.delete_by_term("article_key", article_key(article.corpus, article.id))
                for claim in claims:
                    writer.add_document(**_claim_document(article, claim))

    def delete(self, keys: Sequence[tuple[str, str]]) -> None:
        with _writing(self._articles) as writer:
            for corpus, article_id in keys:
                writer.delete_by_term("key", article_key(corpus, article_id))
        with _writing(self._claims) as writer:
            for corpus, article_id in keys:
                writer.delete_by_term("article_key", article_key(corpus, article_id))

    def optimize(self) -> None:
        """Merge all segments into one, which makes later searches faster."""
        for ix in (self._articles, self._claims):
            with _writing(ix, optimize=True):
                pass

    # --- reads ----------------------------------------------------------------------

    def search_articles(
        self, query: ParsedQuery, corpora: Sequence[str], *, limit: int = 10, offset: int = 0
    ) -> HitPage:
        text_query = _text_query(query, ("title", "text"), prose_terms)
        with self._searcher(self._articles) as searcher:
            full = _restricted(searcher, text_query, _filters(query, corpora, claims=False), corpora)
            results = searcher.search(full, limit=offset + limit)
            hits = [
                IndexHit(corpus=h["corpus"], article_id=h["article_id"], score=h.score)
                for h in results[offset : offset + limit]
            ]
            return HitPage(total=len(results), hits=hits)

    def search_claims(
        self, query: ParsedQuery, corpora: Sequence[str], *, limit: int = 200, expand: Expander | None = None
    ) -> HitPage:
        """Claims matching the query, ``expand`` adding synonyms to each word.

        ``speaker:`` matches the speakers the name can mean in the speakers table (any
        spelling, alias, acronym) as speaker or as relay: "speaker:Nordpress" finds claims
        Nordpress relayed. The query's ``speaker_ids``, when set, are used as they are.
        """
        # Entities are spans of the claim's own text, so searching the text finds them.
        text_query = _text_query(query, ("text",), prose_terms, expand)
        filters = _filters(query, corpora, claims=True)
        if query.speaker_ids is not None or query.speaker:
            filters.append(_speaker_query(self._speaker_ids(query, corpora)))
        with self._searcher(self._claims) as searcher:
            results = searcher.search(_restricted(searcher, text_query, filters, corpora), limit=limit)
            hits = [
                IndexHit(corpus=h["corpus"], article_id=h["article_id"], seq=h["seq"], score=h.score)
                for h in results[:limit]
            ]
            return HitPage(total=len(results), hits=hits)

    def _speaker_ids(self, query: ParsedQuery, corpora: Sequence[str]) -> list[int]:
        if query.speaker_ids is not None:
            return list(query.speaker_ids)
        if self._speaker_lookup is None:
            raise QueryError("`speaker:` needs the speakers table, which this index was opened without.")
        return self._speaker_lookup(corpora, query.speaker or "")

    @contextmanager
    def _searcher(self, ix: whoosh_index.Index) -> Iterator[Searcher]:
        """This thread's searcher for ``ix``, opened again whenever a commit has changed
        the index. Opening one reads every segment's files (tens of milliseconds on a
        large index), so it is kept between queries; it is never shared between threads
        (Whoosh searchers are not thread-safe) and never ``refresh()``ed (which can return
        duplicate, stale hits after a merge)."""
        cache: dict[int, Searcher] = self._local.__dict__.setdefault("searchers", {})
        searcher = cache.get(id(ix))
        if searcher is None or not searcher.up_to_date():
            if searcher is not None:
                searcher.close()
            searcher = cache[id(ix)] = ix.searcher()
        yield searcher

    def close(self) -> None:
        """Close this thread's searchers (other threads' close when their thread ends)."""
        for searcher in self._local.__dict__.pop("searchers", {}).values():
            searcher.close()

    def count(self, corpora: Sequence[str]) -> tuple[int, int]:
        """(articles, claims) visible to these corpora."""
        visible = _corpus_filter(corpora)
        with self._articles.searcher() as a, self._claims.searcher() as c:
            return (
                len(a.search(visible, limit=None, scored=False)) if corpora else 0,
                len(c.search(visible, limit=None, scored=False)) if corpora else 0,
            )

    def doc_counts(self) -> tuple[int, int]:
        with self._articles.searcher() as a, self._claims.searcher() as c:
            return a.doc_count(), c.doc_count()


class _writing:
    """A writer that waits for the lock and never keeps it after a failed commit."""

    def __init__(self, ix: whoosh_index.Index, optimize: bool = False) -> None:
        self._writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
        self._optimize = optimize

    def __enter__(self):
        return self._writer

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._writer.cancel()
            return
        try:
            self._writer.commit(optimize=self._optimize)
        except BaseException:
            self._writer.cancel()
            raise


def _day(value) -> datetime | None:
    return datetime.combine(value, day_time()) if value else None


def _article_document(article: Article) -> dict:
    return {
        "key": article_key(article.corpus, article.id),
        "corpus": article.corpus,
        "article_id": article.id,
        "title": article.title or "",
        "text": article.body_text(),
        "outlet": article.outlet or "",
        **({"published": _day(article.published)} if article.published else {}),
    }


def _claim_document(article: Article, claim: Claim) -> dict:
    document = {
        "key": f"{article_key(article.corpus, article.id)}\x1f{claim.seq}",
        "article_key": article_key(article.corpus, article.id),
        "corpus": article.corpus,
        "article_id": article.id,
        "seq": claim.seq,
        "text": claim.text,
        "speaker": " ".join(_speaker_tokens([claim.speaker or "", *claim.via])),
        "relay_ids": " ".join(str(i) for i in claim.via_ids),
        "entities": " ".join(e.text for e in claim.entities),
        "unit": ",".join(sorted({f.unit for f in claim.figures if f.unit})),
        "outlet": article.outlet or "",
    }
    if claim.speaker_id is not None:
        document["speaker_id"] = str(claim.speaker_id)
    if claim.figures:
        document["figure"] = [f.value for f in claim.figures]
    if article.published:
        document["published"] = _day(article.published)
    return document


def _speaker_tokens(names: Iterable[str]) -> list[str]:
    """Index terms for speaker names: transliteration-folded words, plus the acronym of a
    many-worded name, so that "NIS" finds "National Intelligence Service"."""
    tokens: list[str] = []
    for name in names:
        words = core_words(name)
        tokens += [transliteration_fold(w) for w in words]
        if len(words) > 1:
            tokens.append(acronym_of(name).lower())
    return tokens


def _speaker_query(speaker_ids: Sequence[int]) -> Query:
    """Claims these speakers said or relayed; nothing when no speaker answers to the name."""
    if not speaker_ids:
        return Not(Every())
    terms = [str(i) for i in speaker_ids]
    return Or([*(Term("speaker_id", t) for t in terms), *(Term("relay_ids", t) for t in terms)])


def _term_query(field: str, tokens: list[str]) -> Query | None:
    if not tokens:
        return None
    return Term(field, tokens[0]) if len(tokens) == 1 else Phrase(field, tokens)


def _text_query(
    query: ParsedQuery,
    fields: Sequence[str],
    analyze: Callable[[str], list[str]],
    expand: Expander | None = None,
) -> Query:
    required: list[Query] = []
    excluded: list[Query] = []
    for clause in query.clauses:
        words = list(clause.alternatives)
        if expand is not None and not clause.negated:
            words += [extra for word in clause.alternatives for extra in expand(word) if extra not in words]
        # Synonyms often stem alike ("soldier", "soldiers"): each distinct term once.
        distinct = dict.fromkeys((field, tuple(analyze(word))) for word in words for field in fields)
        options = [q for field, tokens in distinct if (q := _term_query(field, list(tokens))) is not None]
        if options:
            (excluded if clause.negated else required).append(Or(options))
    if not required and not query.positive_terms:
        required = [Every()]  # filters alone: everything they admit
    if not required:
        raise QueryError("Only very common words in this query (like 'the' or 'of'); add a more specific word.")
    combined: Query = And(required) if len(required) > 1 else required[0]
    return And([combined, Not(Or(excluded))]) if excluded else combined


def _corpus_filter(corpora: Sequence[str]) -> Query:
    return Or([Term("corpus", c) for c in corpora]) if corpora else Not(Every())


def _filters(query: ParsedQuery, corpora: Sequence[str], *, claims: bool) -> list[Query]:
    """What a hit must satisfy besides the words: the caller's corpora first."""
    parts: list[Query] = [_corpus_filter(corpora)]
    if query.outlet:
        parts.append(And([Term("outlet", t) for t in name_terms(query.outlet)]))
    if query.speaker and not claims:
        raise QueryError("`speaker:` filters claims; use it with /claims or /who.")
    if query.since or query.until:
        parts.append(DateRange("published", _day(query.since), _day(query.until), startexcl=False, endexcl=False))
    return parts


def _restricted(searcher, text_query: Query, filters: list[Query], corpora: Sequence[str]) -> Query:
    """The text query intersected with its filters. The corpus filter is left out only
    when the visible corpora hold every document in the index (one newsroom, or a
    search across all), where intersecting with it would cost time and change nothing."""
    if corpora and sum(searcher.doc_frequency("corpus", c) for c in set(corpora)) == searcher.doc_count_all():
        filters = filters[1:]
    return And([text_query, *filters]) if filters else text_query
