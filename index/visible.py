"""Which documents of an index a caller's corpora may see, as a set Whoosh checks each
match against (``searcher.search(..., filter=...)``).

Intersecting every query with the corpus terms' postings walked the long posting lists
of whole corpora on every query: most of a search's time once a server's corpus and the
shared one hold thousands of claims, and the corpus term added to every hit's score.
Here the visible documents are worked out per segment and kept: a segment never changes
once written (deleted documents stay numbered, and never match), so a commit that adds
a small segment costs a walk of that segment's corpus postings only, and the set for a
new searcher is the kept segments' parts joined in document order.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence

from whoosh.idsets import DocIdSet
from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher

# Bytes of segment parts kept for the whole process: one part per segment and combination
# of corpora (a server's own corpus and the shared ones) or outlet, one byte a document.
PARTS_BUDGET = 64 * 1024 * 1024


class DocumentSet(DocIdSet):
    """Document numbers of one searcher, one byte each: a million claims take 1 MB (a
    Python set of them about 50). Never changed once made."""

    def __init__(self, member: bytes) -> None:
        self._member = member
        self._count = member.count(1)

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

    def of(self, searcher: Searcher, corpora: Sequence[str], restriction: Query | None = None) -> DocumentSet | None:
        """The documents of ``corpora`` (that ``restriction`` also matches) in
        ``searcher``'s numbering, or None when that is every document of the index."""
        wanted = frozenset(corpora)
        if not wanted:
            return DocumentSet(b"")
        every = sum(searcher.doc_frequency(self._field, c) for c in wanted) == searcher.doc_count_all()
        if every and restriction is None:
            return None
        queries = ([] if every else [Or([Term(self._field, c) for c in sorted(wanted)])]) + (
            [restriction] if restriction is not None else []
        )
        return DocumentSet(b"".join(
            _both(*(self._part(leaf, query) for query in queries)) for leaf, _ in searcher.leaf_searchers()
        ))  # fmt: skip

    def _part(self, leaf: Searcher, query: Query) -> bytes:
        """One segment's documents, one byte each: 1 when ``query`` matches it."""
        key = (leaf.reader().segment().segment_id(), query)
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
                return part
        member = bytearray(leaf.doc_count_all())
        for number in leaf.docs_for_query(query):
            member[number] = 1
        part = bytes(member)
        with self._lock:
            if key not in self._parts:
                self._parts[key] = part
                self._kept_bytes += len(part)
            while self._kept_bytes > self._budget and len(self._parts) > 1:
                self._kept_bytes -= len(self._parts.popitem(last=False)[1])
        return part


def _both(first: bytes, second: bytes | None = None) -> bytes:
    """Documents in both parts (bytes of 0 and 1), worked out as big integers: in C, not
    one byte at a time."""
    if second is None:
        return first
    both = int.from_bytes(first, "little") & int.from_bytes(second, "little")
    return both.to_bytes(len(first), "little")
