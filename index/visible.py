"""Which documents of an index a caller's corpora may see, as a set Whoosh checks each
match against (``searcher.search(..., filter=...)``).

Intersecting every query with the corpus terms' postings walked the long posting lists
of whole corpora on every query: most of a search's time once a server's corpus and the
shared one hold thousands of claims, and the corpus term added to every hit's score.
Here the visible documents are worked out per segment and kept: a segment never changes
once written (deleted documents stay numbered, and never match), so a commit that adds
a small segment costs a walk of that segment's corpus postings only, and the set for a
new searcher is the kept segments' parts joined in document order. Parts are kept per
corpus, combined bitwise so that one server's set and the next share the shared corpus's
part, and per outlet filter (the outlets it names, together; per word of the outlet's
name in an index of an older schema).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence

import numpy as np
from whoosh.idsets import DocIdSet
from whoosh.query import And, Or, Query, Term
from whoosh.searching import Searcher

from index import postings

# Bytes of segment parts kept for the whole process: one part per segment and combination
# of corpora (a server's own corpus and the shared ones) or outlet, one byte a document.
PARTS_BUDGET = 64 * 1024 * 1024


class DocumentSet(DocIdSet):
    """Document numbers of one searcher, one byte each: a million claims take 1 MB (a
    Python set of them about 50). Never changed once made. It may hold documents deleted
    after its segment's part was kept (a delete keeps the segment and its id), so callers
    leave deleted documents out themselves."""

    def __init__(self, member: bytes) -> None:
        self._member = member
        self._count = member.count(1)

    @property
    def member(self) -> bytes:
        """One byte a document, 1 for a member: for readers that test many at once."""
        return self._member

    def __contains__(self, number: int) -> bool:
        return self._member[number] == 1

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[int]:
        return (number for number, member in enumerate(self._member) if member)


class VisibleDocuments:
    """The documents of searchers of one index that a caller may see: those of its
    corpora, and optionally of a restriction that does not depend on the query's words
    (an outlet). Shared by every thread."""

    def __init__(self, field: str = "corpus", budget: int = PARTS_BUDGET) -> None:
        self._field = field
        self._budget = budget
        self._kept_bytes = 0
        self._lock = threading.Lock()
        self._parts: OrderedDict[tuple[str, Query], bytes] = OrderedDict()

    @property
    def kept_count(self) -> int:
        """Segment parts kept now."""
        return len(self._parts)

    def of(self, searcher: Searcher, corpora: Sequence[str], restriction: Query | None = None) -> DocumentSet | None:
        """The documents of ``corpora`` (that ``restriction`` also matches) in
        ``searcher``'s numbering, or None when that is every document of the index."""
        wanted = frozenset(corpora)
        if not wanted:
            return DocumentSet(b"")
        every = sum(searcher.doc_frequency(self._field, c) for c in wanted) == searcher.doc_count_all()
        if every and restriction is None:
            return None
        corpus_query = None if every else Or([Term(self._field, c) for c in sorted(wanted)])

        def segment_part(leaf: Searcher) -> bytes:
            parts = [] if corpus_query is None else [self._matching(leaf, corpus_query)]
            if restriction is not None:
                # The outlets an ``outlet:`` names are one part: a word most outlets'
                # names hold would otherwise keep a part for each of them.
                parts.append(self._part(leaf, restriction) if _terms_of(restriction, Or) else self._matching(leaf, restriction))
            return _both(*parts)

        return DocumentSet(b"".join(segment_part(leaf) for leaf, _ in searcher.leaf_searchers()))

    def _matching(self, leaf: Searcher, query: Query) -> bytes:
        """One segment's documents that ``query`` matches, one byte each. An ``And`` or
        ``Or`` of terms (a server's corpora; an outlet's words, in an index of an older
        schema) is put together from its terms' parts, which are kept and shared: the
        shared corpus is in every server's set."""
        if _terms_of(query, And) or _terms_of(query, Or):
            parts = [self._part(leaf, q) for q in query.subqueries]
            return (_both if isinstance(query, And) else _either)(*parts)
        return self._part(leaf, query)

    def _part(self, leaf: Searcher, query: Query) -> bytes:
        """One segment's documents, one byte each: 1 when ``query`` matches it."""
        key = (leaf.reader().segment().segment_id(), query)
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
                return part
        if type(query) is Term or _terms_of(query, Or):
            # Posting lists decoded whole: a corpus or a common word of outlet names is
            # most of the segment, too long to mark one document at a time.
            reader = leaf.reader()
            member = np.zeros(reader.doc_count_all(), dtype=np.uint8)
            for term in [query] if type(query) is Term else query.subqueries:
                member[postings.term_postings(reader, term.fieldname, term.text)[0]] = 1
            if reader.has_deletions():
                member[postings.deleted(reader)] = 0
            part = member.tobytes()
        else:
            marked = bytearray(leaf.doc_count_all())
            for number in leaf.docs_for_query(query):
                marked[number] = 1
            part = bytes(marked)
        with self._lock:
            if key not in self._parts:
                self._parts[key] = part
                self._kept_bytes += len(part)
            while self._kept_bytes > self._budget and len(self._parts) > 1:
                self._kept_bytes -= len(self._parts.popitem(last=False)[1])
        return part


def _terms_of(query: Query, kind: type) -> bool:
    """Whether ``query`` is an ``And`` or ``Or`` (``kind``) of terms alone."""
    return type(query) is kind and bool(query.subqueries) and all(type(q) is Term for q in query.subqueries)


def _both(*parts: bytes) -> bytes:
    """Documents in every part (bytes of 0 and 1), worked out as big integers: in C, not
    one byte at a time."""
    if len(parts) == 1:
        return parts[0]
    both = int.from_bytes(parts[0], "little")
    for part in parts[1:]:
        both &= int.from_bytes(part, "little")
    return both.to_bytes(len(parts[0]), "little")


def _either(*parts: bytes) -> bytes:
    """Documents in any of the parts."""
    if len(parts) == 1:
        return parts[0]
    either = 0
    for part in parts:
        either |= int.from_bytes(part, "little")
    return either.to_bytes(len(parts[0]), "little")
