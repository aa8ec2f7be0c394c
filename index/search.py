"""The search interface: add or update, delete, search, count. Whoosh is behind it.

Everything here is derived from the SQLite store and can be rebuilt from it at any time.
Callers pass the corpora they may see on every search; the filter is applied here, so
no caller can forget it. Each thread keeps its own searchers and opens new ones when a
commit or a rebuild has changed the index. A rebuild never touches the live index: it
writes a new generation aside and swaps a pointer (see ``SearchIndex``).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, time as day_time
from pathlib import Path

from pydantic import BaseModel
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, DateRange, Every, Not, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from index import block_scoring, postings, stages
from index.analysis import NAMES, PROSE, name_terms, outlet_key, prose_terms
from index.faults import StorageFault, index_damaged, storage_fault
from index.models import Article, Claim
from index.query import ParsedQuery, QueryError
from index.visible import DocumentSet, VisibleDocuments

postings.install()  # Whoosh's in-block posting walks done by blocks: same hits, fewer steps

SCHEMA_VERSION = "2"  # 2: claims carry speaker and relay ids from the speakers table
WRITE_LOCK_TIMEOUT = 60.0
# Articles a rebuild writes per commit (``SearchIndex.add_new``).
BUILD_COMMIT_ARTICLES = 1000
# Sets of visible claims kept per thread and searcher, one per combination of corpora
# (a server's own corpus and the shared ones) and outlet asked for; least recently used
# go first.
VISIBLE_SETS_KEPT = 8

ARTICLE_SCHEMA = Schema(
    key=ID(unique=True),
    corpus=ID(stored=True),
    article_id=ID(stored=True),
    title=TEXT(analyzer=PROSE, field_boost=2.0),
    text=TEXT(analyzer=PROSE),
    outlet=TEXT(analyzer=NAMES),
    published=DATETIME(stored=True, sortable=True),
)

# Only what claim searches ask for is indexed: the words (entities and figures are words
# of the text), speaker and relay ids, outlet, date and corpus. Names, units and figure
# values are in the store; indexing them too made a third of every claim's postings
# (a number is sixteen terms) and nothing searched them. ``seq`` is only read back.
# ``outlet_words`` is the outlet's name as one term: an outlet filter reads the posting
# lists of the few outlets whose names hold its words, not those of the words ("the",
# "news" are in most claims' outlets). Indexes written before keep their schema (the
# outlet as a field of words) and are written only the fields they have; ``reindex``
# writes this one.
CLAIM_SCHEMA = Schema(
    key=ID(unique=True),
    article_key=ID,
    corpus=ID(stored=True),
    article_id=ID(stored=True),
    seq=STORED,
    text=TEXT(analyzer=PROSE),
    speaker_id=ID,
    relay_ids=KEYWORD,
    outlet_words=ID,
    published=DATETIME(stored=True, sortable=True),
)
CLAIM_FIELDS = frozenset(CLAIM_SCHEMA.names())


class IndexHit(BaseModel):
    corpus: str
    article_id: str
    seq: int | None = None
    score: float


class HitPage(BaseModel):
    total: int
    hits: list[IndexHit]


class IndexCorrupt(Exception):
    """The on-disk index is missing or cannot be opened; rebuild it from the store."""


Expander = Callable[[str], Iterable[str]]
# The speakers table's answer to "who can this typed name be" (corpora, name) -> ids.
SpeakerLookup = Callable[[Sequence[str], str], list[int]]

POINTER = "CURRENT"
GENERATION_PREFIX = "gen-"
KINDS = {"articles": ARTICLE_SCHEMA, "claims": CLAIM_SCHEMA}


def article_key(corpus: str, article_id: str) -> str:
    return f"{corpus}\x1f{article_id}"


@dataclass(frozen=True)
class _Generation:
    name: str  # "" is the layout before generations: the indexes directly under the root
    stamp: tuple[int, int] | None  # the pointer file's (inode, mtime) when this was opened
    articles: whoosh_index.Index
    claims: whoosh_index.Index


class SearchIndex:
    """Two Whoosh indexes, articles and claims, in one *generation* folder under ``root``.

    ``root/CURRENT`` names the live generation. A rebuild writes a whole new generation
    beside it and then replaces the pointer with one atomic rename, so a reader sees the
    old index complete until the swap and the new one complete after it, and a kill at
    any moment leaves one of the two live. Every read and write first looks at the
    pointer (one ``stat``) and follows it when it changed, so a long-lived reader moves
    to a rebuilt index by itself. Opening never creates anything: a missing or damaged
    index raises ``IndexCorrupt`` and the library rebuilds it under the writer lock. The
    damaged generation is not deleted then: the pointer moves past it, and it is removed,
    like any older generation, by the rebuild after that.
    """

    def __init__(self, root: Path, *, readonly: bool = False, pinned: str | None = None,
                 speaker_lookup: SpeakerLookup | None = None) -> None:
        self.root = root
        self.readonly = readonly
        self._pinned = pinned  # a generation being built, not yet pointed to
        self._speaker_lookup = speaker_lookup
        self._local = threading.local()
        # Every thread's open searchers and their thread, so that ``close`` can close
        # them all and a thread that ended has its searchers closed by the next one to
        # open: a searcher holds its segments' files open.
        self._open_searchers: dict[Searcher, threading.Thread] = {}
        self._searchers_lock = threading.Lock()
        self._reopening = threading.Lock()
        self._visible = VisibleDocuments()
        self._kept_postings = block_scoring.KeptPostings()
        self._generation = self._open_generation()

    # --- generations ----------------------------------------------------------------

    def _pointer_stamp(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns

    def _open_generation(self) -> _Generation:
        if self._pinned is not None:
            name, stamp = self._pinned, None
        else:
            name, stamp = self._read_pointer()
        folder = self.root / name if name else self.root
        opened = {kind: self._open_kind(folder, kind) for kind in KINDS}
        return _Generation(name=name, stamp=stamp, **opened)

    def _read_pointer(self) -> tuple[str, tuple[int, int] | None]:
        try:
            with open(self.root / POINTER, encoding="utf-8") as handle:
                status = os.fstat(handle.fileno())
                name = handle.read().strip()
        except FileNotFoundError:
            if (self.root / "articles.version").exists():
                return "", None  # written before generations existed: still readable
            raise IndexCorrupt(f"{self.root} holds no search index") from None
        if not name.startswith(GENERATION_PREFIX) or os.sep in name:
            raise IndexCorrupt(f"{self.root / POINTER} names no index generation")
        return name, (status.st_ino, status.st_mtime_ns)

    def _open_kind(self, folder: Path, kind: str) -> whoosh_index.Index:
        version_file = folder / f"{kind}.version"
        try:
            version = version_file.read_text().strip()
        except FileNotFoundError:
            raise IndexCorrupt(f"{version_file} is missing") from None
        if version != SCHEMA_VERSION:
            raise IndexCorrupt(f"{folder / kind} was written by another schema version")
        try:
            ix = whoosh_index.open_dir(folder / kind, readonly=self.readonly)
            with ix.searcher() as searcher:
                searcher.doc_count()
            return ix
        except Exception as exc:  # Whoosh raises many kinds of error on damaged files
            raise IndexCorrupt(f"{folder / kind} cannot be read ({exc.__class__.__name__}: {exc})") from exc

    def _live(self) -> _Generation:
        """The generation the pointer names now, reopened if a rebuild swapped it."""
        generation = self._generation
        if self._pinned is None and self._pointer_stamp() != generation.stamp:
            with self._reopening:
                if self._pointer_stamp() != self._generation.stamp:
                    try:
                        self._generation = self._open_generation()
                    except IndexCorrupt as exc:
                        raise index_damaged(self.root, str(exc)) from exc
                generation = self._generation
        return generation

    @classmethod
    def build(cls, root: Path, fill: Callable[["SearchIndex"], None],
              speaker_lookup: SpeakerLookup | None = None) -> "SearchIndex":
        """A new generation written whole by ``fill``, then made the live one.

        The caller holds the writer lock. The generation that was live is kept until
        the next build, for readers in the middle of a query on it; older ones and
        leftovers of builds that were killed are removed."""
        root.mkdir(parents=True, exist_ok=True)
        name = f"{GENERATION_PREFIX}{time.time_ns():x}"
        folder = root / name
        for kind, schema in KINDS.items():
            (folder / kind).mkdir(parents=True)
            whoosh_index.create_in(folder / kind, schema)
            (folder / f"{kind}.version").write_text(SCHEMA_VERSION)
        building = cls(root, pinned=name)
        try:
            fill(building)
            building.optimize()
        finally:
            building.close()
        _sync_tree(folder)
        previous = _pointed_name(root)
        _replace_pointer(root, name)
        _remove_stale(root, keep={name, previous})
        return cls(root, speaker_lookup=speaker_lookup)

    # --- writes (the caller holds the data folder's writer lock) --------------------

    def write(self, batch: Sequence[tuple[Article, list[Claim]]]) -> None:
        """Add or update articles and replace their claims: one commit per index.

        The earlier versions are found with one reader of the index for the whole batch
        (Whoosh's ``update_document`` and ``delete_by_term`` open one for each article,
        reading every segment's files each time)."""
        generation = self._live()
        with self._damage_named():
            with _writing(generation.articles, stage="Whoosh articles") as writer, writer.searcher() as before:
                for article, _ in batch:
                    writer.delete_by_term("key", article_key(article.corpus, article.id), searcher=before)
                _add_articles(writer, batch)
            with _writing(generation.claims, stage="Whoosh claims") as writer, writer.searcher() as before:
                for article, _ in batch:
                    writer.delete_by_term("article_key", article_key(article.corpus, article.id), searcher=before)
                _add_claims(writer, batch)

    def add_new(self, batches: Iterable[Sequence[tuple[Article, list[Claim]]]]) -> int:
        """Add articles this index has never held (a new generation's fill), in commits of
        at least ``BUILD_COMMIT_ARTICLES``; returns how many were added.

        ``write`` looks up every article's earlier versions and commits each batch: in a
        generation being built there are none, and a commit every 100 articles made
        Whoosh merge its segments over and over (reindexing 2,000 articles took 1.8 times
        as long). A build that dies leaves its generation unused, so larger commits lose
        nothing."""
        generation = self._live()
        added = 0
        pending: list[tuple[Article, list[Claim]]] = []

        def commit() -> None:
            nonlocal added, pending
            with _writing(generation.articles) as writer:
                _add_articles(writer, pending)
            with _writing(generation.claims) as writer:
                _add_claims(writer, pending)
            added += len(pending)
            pending = []

        with self._damage_named():
            for batch in batches:
                pending.extend(batch)
                if len(pending) >= BUILD_COMMIT_ARTICLES:
                    commit()
            if pending:
                commit()
        return added

    def delete(self, keys: Sequence[tuple[str, str]]) -> None:
        generation = self._live()
        with self._damage_named():
            with _writing(generation.articles) as writer:
                for corpus, article_id in keys:
                    writer.delete_by_term("key", article_key(corpus, article_id))
            with _writing(generation.claims) as writer:
                for corpus, article_id in keys:
                    writer.delete_by_term("article_key", article_key(corpus, article_id))

    def optimize(self) -> None:
        """Merge all segments into one, which makes later searches faster."""
        generation = self._live()
        with self._damage_named():
            for ix in (generation.articles, generation.claims):
                with _writing(ix, optimize=True):
                    pass

    # --- reads ----------------------------------------------------------------------

    def search_articles(
        self, query: ParsedQuery, corpora: Sequence[str], *, limit: int = 10, offset: int = 0
    ) -> HitPage:
        text_query = _text_query(query, ("title", "text"), prose_terms)
        with self._searcher("articles") as searcher:
            full = _restricted(searcher, text_query, _article_filters(query, corpora), corpora)
            best = self._best(searcher, full, None, offset + limit, count=True)
            hits = [
                IndexHit(**self._stored(searcher, docnum, ("corpus", "article_id")), score=score)
                for docnum, score in best.top[offset : offset + limit]
            ]
            return HitPage(total=best.total, hits=hits)

    def search_claims(
        self, query: ParsedQuery, corpora: Sequence[str], *, limit: int = 200, expand: Expander | None = None
    ) -> list[IndexHit]:
        """The ``limit`` best claims matching the query, ``expand`` adding synonyms to each
        word. How many match in all is not counted: counting walks every match a second
        time (most of a frequent word's search), and no caller shows it.

        ``speaker:`` matches the speakers the name can mean in the speakers table (any
        spelling, alias, acronym) as speaker or as relay: "speaker:Nordpress" finds claims
        Nordpress relayed. The query's ``speaker_ids``, when set, are used as they are.
        """
        # Entities are spans of the claim's own text, so searching the text finds them.
        text_query = _text_query(query, ("text",), prose_terms, expand)
        # Corpora and outlet are a set of visible claims (``index/visible.py``); the
        # other filters match few claims or differ from query to query.
        filters = [f for f in (_date_filter(query),) if f is not None]
        if query.speaker_ids is not None or query.speaker:
            filters.append(_speaker_query(self._speaker_ids(query, corpora)))
        with self._searcher("claims") as searcher:
            visible = self._visible_claims(searcher, corpora, query.outlet)
            if visible is not None and not visible:
                return []  # Whoosh reads an empty filter as no filter at all
            full = And([text_query, *filters]) if filters else text_query
            best = self._best(searcher, full, visible, limit, count=False)
            return [IndexHit(**self._stored(searcher, docnum, ("corpus", "article_id", "seq")), score=score)
                    for docnum, score in best.top]

    def _best(self, searcher: Searcher, query: Query, visible: DocumentSet | None, limit: int, *,
              count: bool) -> block_scoring.Best:
        """The ``limit`` best of ``visible``'s documents (all when None) by block scoring,
        or by Whoosh for the queries block scoring leaves to it (an excluded word). Whoosh
        counts the matches by walking them a second time, so it counts only when asked."""
        best = self._kept_postings.best(searcher, query, visible, limit)
        if best is not None:
            return best
        results = searcher.search(query, limit=limit, filter=visible)
        return block_scoring.Best(len(results) if count else None, [(hit.docnum, hit.score) for hit in results])

    def _stored(self, searcher: Searcher, docnum: int, names: tuple[str, ...]) -> dict:
        """The stored fields ``names`` of a document a search found; a document without
        them is damage (Whoosh's hits raised a ``KeyError`` of their own)."""
        stored = searcher.stored_fields(docnum)
        if not set(names) <= stored.keys():
            raise index_damaged(self.root, f"document {docnum} has lost its stored fields")
        return {name: stored[name] for name in names}

    def _visible_claims(self, searcher: Searcher, corpora: Sequence[str], outlet: str | None) -> DocumentSet | None:
        """The claims of ``corpora`` (and of the outlets ``outlet:`` names) in this
        searcher's numbering (``index/visible.py``), kept with this thread's searcher until
        a commit replaces it; None when every claim is visible."""
        key = (frozenset(corpora), tuple(name_terms(outlet)) if outlet else None)
        held = self._local.__dict__.get("visible")
        if held is None or held[0] is not searcher:
            held = self._local.__dict__["visible"] = (searcher, OrderedDict())
        kept: OrderedDict[tuple[frozenset[str], tuple[str, ...] | None], DocumentSet | None] = held[1]
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        visible = kept[key] = self._visible.of(searcher, corpora, _claims_outlet_filter(searcher, outlet))
        while len(kept) > VISIBLE_SETS_KEPT:
            kept.popitem(last=False)
        return visible

    def _speaker_ids(self, query: ParsedQuery, corpora: Sequence[str]) -> list[int]:
        if query.speaker_ids is not None:
            return list(query.speaker_ids)
        if self._speaker_lookup is None:
            raise QueryError("`speaker:` needs the speakers table, which this index was opened without.")
        return self._speaker_lookup(corpora, query.speaker or "")

    @contextmanager
    def _searcher(self, kind: str) -> Iterator[Searcher]:
        """This thread's searcher for the live ``kind`` index, opened again whenever a
        commit or a rebuild has changed it. Opening one reads every segment's files (tens
        of milliseconds on a large index), so it is kept between queries; it is never
        shared between threads (Whoosh searchers are not thread-safe) and never
        ``refresh()``ed (which can return duplicate, stale hits after a merge)."""
        with self._damage_named():
            ix = getattr(self._live(), kind)
            cache: dict[str, tuple[whoosh_index.Index, Searcher]] = self._local.__dict__.setdefault("searchers", {})
            held = cache.get(kind)
            if held is None or held[0] is not ix or not held[1].up_to_date():
                if held is not None:
                    self._close_searcher(held[1])
                held = cache[kind] = (ix, ix.searcher())
                self._register_searcher(held[1])
            yield held[1]

    def _register_searcher(self, searcher: Searcher) -> None:
        with self._searchers_lock:
            ended = [s for s, thread in self._open_searchers.items() if not thread.is_alive()]
            for old in ended:
                del self._open_searchers[old]
            self._open_searchers[searcher] = threading.current_thread()
        for old in ended:
            old.close()

    def _close_searcher(self, searcher: Searcher) -> None:
        with self._searchers_lock:
            self._open_searchers.pop(searcher, None)
        searcher.close()

    @contextmanager
    def _damage_named(self) -> Iterator[None]:
        """An error Whoosh raises while reading its own files means they are damaged
        (garbled segments give ``zlib.error``, "Block tag error", struct errors): say
        so, and what to run. A full or read-only disk is left for the caller to name."""
        try:
            yield
        except (QueryError, StorageFault):
            raise
        except Exception as exc:
            if not _raised_in_whoosh(exc) or storage_fault(exc, self.root) is not None:
                raise
            raise index_damaged(self.root, f"{exc.__class__.__name__}: {exc}") from exc

    def close(self) -> None:
        """Close every thread's searchers: call it once no query runs any more."""
        self._local.__dict__.pop("searchers", None)
        self._local.__dict__.pop("visible", None)
        with self._searchers_lock:
            searchers, self._open_searchers = list(self._open_searchers), {}
        for searcher in searchers:
            searcher.close()

    def version(self) -> tuple[str, int, int]:
        """What changes with every commit, in this process or another, and every rebuild:
        the live generation and the latest commit of each of its indexes (a directory
        listing each, what a searcher's own freshness check reads)."""
        generation = self._live()
        with self._damage_named():
            return generation.name, generation.articles.latest_generation(), generation.claims.latest_generation()

    def count(self, corpora: Sequence[str]) -> tuple[int, int]:
        """(articles, claims) visible to these corpora."""
        if not corpora:
            return 0, 0
        visible = _corpus_filter(corpora)
        with self._searcher("articles") as a, self._searcher("claims") as c:
            return len(a.search(visible, limit=None, scored=False)), len(c.search(visible, limit=None, scored=False))

    def doc_counts(self) -> tuple[int, int]:
        with self._searcher("articles") as a, self._searcher("claims") as c:
            return a.doc_count(), c.doc_count()

    def unreadable_parts(self) -> list[str]:
        """Reads every stored document and every posting list of both indexes, which is
        where garbled segments show (``zlib.error``, "Block tag error"); returns what
        could not be read, empty when everything could. Slow on purpose: it is a check."""
        problems = []
        for kind in KINDS:
            try:
                with self._searcher(kind) as searcher:
                    reader = searcher.reader()
                    for _ in reader.all_stored_fields():
                        pass
                    for field in reader.indexed_field_names():
                        for term in reader.lexicon(field):
                            for _ in reader.postings(field, term).all_ids():
                                pass
            except StorageFault as exc:
                problems.append(f"the {kind} index: {exc.__cause__ or exc}")
        return problems


class _writing:
    """A writer that waits for the lock and never keeps it after a failed commit. With a
    ``stage`` name, the time spent adding documents and committing them is counted as
    that stage and its commit (``index.stages``)."""

    def __init__(self, ix: whoosh_index.Index, optimize: bool = False, stage: str | None = None) -> None:
        # Segments are written as separate files, not one compound file: a searcher
        # opening a compound segment copies every posting file it holds into memory
        # (Whoosh wraps the mapped file in a BytesIO), so each thread's searcher held a
        # copy of the whole index and took tens of milliseconds per commit to reopen.
        self._writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT, compound=False)
        self._optimize = optimize
        self._stage = stage
        self._adding = stages.stage(stage) if stage else nullcontext()

    def __enter__(self):
        self._adding.__enter__()
        return self._writer

    def __exit__(self, exc_type, exc, tb) -> None:
        self._adding.__exit__(exc_type, exc, tb)
        if exc_type is not None:
            self._writer.cancel()
            return
        try:
            with stages.stage(f"{self._stage} commit") if self._stage else nullcontext():
                self._writer.commit(optimize=self._optimize)
        except BaseException:
            self._writer.cancel()
            raise


def _add_articles(writer, batch: Sequence[tuple[Article, list[Claim]]]) -> None:
    for article, _ in batch:
        writer.add_document(**_article_document(article))


def _add_claims(writer, batch: Sequence[tuple[Article, list[Claim]]]) -> None:
    fields = frozenset(writer.schema.names())  # an index of an older schema has fewer
    for article, claims in batch:
        for claim in claims:
            writer.add_document(**_claim_document(article, claim, fields))


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


def _claim_document(article: Article, claim: Claim, fields: frozenset[str] = CLAIM_FIELDS) -> dict:
    """A claim's document for an index of ``fields``: an index of an older schema holds
    the outlet as words."""
    document = {
        "key": f"{article_key(article.corpus, article.id)}\x1f{claim.seq}",
        "article_key": article_key(article.corpus, article.id),
        "corpus": article.corpus,
        "article_id": article.id,
        "seq": claim.seq,
        "text": claim.text,
        "relay_ids": " ".join(str(i) for i in claim.via_ids),
        "outlet": article.outlet or "",
    }
    if article.outlet and (key := outlet_key(article.outlet)):
        document["outlet_words"] = key
    if claim.speaker_id is not None:
        document["speaker_id"] = str(claim.speaker_id)
    if article.published:
        document["published"] = _day(article.published)
    return {name: value for name, value in document.items() if name in fields}


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
    if not required:
        # Filters alone: everything they admit. (A query of only common words never gets
        # here: the parser refuses it, before the bot answers.)
        required = [Every()]
    combined: Query = And(required) if len(required) > 1 else required[0]
    return And([combined, Not(Or(excluded))]) if excluded else combined


def _corpus_filter(corpora: Sequence[str]) -> Query:
    return Or([Term("corpus", c) for c in corpora]) if corpora else Not(Every())


def _article_filters(query: ParsedQuery, corpora: Sequence[str]) -> list[Query]:
    """What an article hit must satisfy besides the words: the caller's corpora first.
    (Claim searches filter corpora and outlet through a set of visible claims.)"""
    parts: list[Query] = [_corpus_filter(corpora)]
    if (outlet := _outlet_filter(query.outlet)) is not None:
        parts.append(outlet)
    if query.speaker:
        # A contract, not a refusal: article queries are parsed with speakers=False.
        raise ValueError("articles have no speakers; parse article queries with parse_query(..., speakers=False)")
    if (dates := _date_filter(query)) is not None:
        parts.append(dates)
    return parts


def _outlet_filter(outlet: str | None) -> Query | None:
    return And([Term("outlet", t) for t in name_terms(outlet)]) if outlet else None


def _claims_outlet_filter(searcher: Searcher, outlet: str | None) -> Query | None:
    """The claims of outlets whose names hold every word of ``outlet:``: the same claims
    as ``_outlet_filter``'s words, read from each such outlet's own posting list."""
    if not outlet or "outlet_words" not in searcher.schema:
        return _outlet_filter(outlet)
    wanted = set(name_terms(outlet))
    outlets = [key for key in searcher.reader().field_terms("outlet_words") if wanted <= set(key.split(" "))]
    return Or([Term("outlet_words", key) for key in outlets]) if outlets else Not(Every())


def _date_filter(query: ParsedQuery) -> Query | None:
    if not (query.since or query.until):
        return None
    return DateRange("published", _day(query.since), _day(query.until), startexcl=False, endexcl=False)


def _restricted(searcher, text_query: Query, filters: list[Query], corpora: Sequence[str]) -> Query:
    """The text query intersected with its filters. The corpus filter is left out only
    when the visible corpora hold every document in the index (one newsroom, or a
    search across all), where intersecting with it would cost time and change nothing."""
    if corpora and sum(searcher.doc_frequency("corpus", c) for c in set(corpora)) == searcher.doc_count_all():
        filters = filters[1:]
    return And([text_query, *filters]) if filters else text_query


def _raised_in_whoosh(exc: BaseException) -> bool:
    """Whether the innermost Python frame of the error is Whoosh's own code, or the
    posting walks ``index.postings`` and ``index.block_scoring`` put in its place
    (reading the same blocks and columns)."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    if last is None:
        return False
    filename = last.tb_frame.f_code.co_filename
    return f"{os.sep}whoosh{os.sep}" in filename or any(
        filename == module.__file__ or filename.endswith(f"{os.sep}index{os.sep}{Path(module.__file__).name}")
        for module in (postings, block_scoring)
    )


def _pointed_name(root: Path) -> str | None:
    try:
        return (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def _replace_pointer(root: Path, name: str) -> None:
    """Point at generation ``name``: written aside, flushed to disk, renamed over the old
    pointer (a rename is atomic), so the pointer is always whole."""
    staged = root / f"{POINTER}.new"
    with open(staged, "w", encoding="utf-8") as handle:
        handle.write(name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staged, root / POINTER)
    _sync_directory(root)


def _sync_tree(folder: Path) -> None:
    """Flush a finished generation to disk before any pointer names it (a power cut
    must not leave the pointer naming files that never reached the disk)."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        else:
            _sync_directory(path)
    _sync_directory(folder)


def _sync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_stale(root: Path, keep: set[str | None]) -> None:
    """Generations other than ``keep``: older ones and those of killed builds. The
    layout before generations goes too, once a generation has replaced it."""
    for entry in root.iterdir():
        if entry.name.startswith(GENERATION_PREFIX) and entry.name not in keep and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
    if "" not in keep and None not in keep:
        for kind in KINDS:
            shutil.rmtree(root / kind, ignore_errors=True)
            (root / f"{kind}.version").unlink(missing_ok=True)
