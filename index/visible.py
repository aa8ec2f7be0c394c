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
from whoosh.query import Term
from whoosh.searching import Searcher

# Segment parts kept for the whole process, one per segment and combination of corpora
# (a server's own corpus and the shared ones): one byte per document each.
PARTS_KEPT = 512


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
    """The visible documents of searchers of one index; shared by every thread."""

    def __init__(self, field: str = "corpus", capacity: int = PARTS_KEPT) -> None:
        self._field = field
        self._capacity = capacity
        self._lock = threading.Lock()
        self._parts: OrderedDict[tuple[str, frozenset[str]], bytes] = OrderedDict()

    def of(self, searcher: Searcher, corpora: Sequence[str]) -> DocumentSet | None:
        """The documents of ``corpora`` in ``searcher``'s numbering, or None when that is
        every document of the index (no filter needed)."""
        wanted = frozenset(corpora)
        if not wanted:
            return DocumentSet(b"")
        total = searcher.doc_count_all()
        if sum(searcher.doc_frequency(self._field, c) for c in wanted) == total:
            return None
        return DocumentSet(b"".join(self._part(leaf, wanted) for leaf, _ in searcher.leaf_searchers()))

    def _part(self, leaf: Searcher, wanted: frozenset[str]) -> bytes:
        """One segment's documents, one byte each: 1 when in ``wanted``."""
        key = (leaf.reader().segment().segment_id(), wanted)
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
                return part
        member = bytearray(leaf.doc_count_all())
        for corpus in wanted:
            for number in leaf.docs_for_query(Term(self._field, corpus)):
                member[number] = 1
        part = bytes(member)
        with self._lock:
            self._parts[key] = part
            while len(self._parts) > self._capacity:
                self._parts.popitem(last=False)
        return part
