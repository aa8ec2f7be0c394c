"""A query's best documents, scored a posting list at a time: ``/claims`` and ``/search``.

Whoosh finds a query's best documents by walking its matchers one posting at a time in
Python: a call to move, one to read the number, one to score, one to check the visible
set, per posting and per level of the query (``And`` of ``Or``s of words). That walk grows
with the index and was most of a search on a large one. Here the same postings are read
a stored block at a time and scored with numpy by Whoosh's own BM25F (its ``idf``,
average length, ``B`` and ``K1``, the stored lengths), joined as Whoosh joins ``And``
and ``Or``, and the best taken in the order of Whoosh's full ranking: highest score
first, lower document number first on a tie. (Whoosh 2.7.4's limited search can leave
out a document that scores higher than ones it returns, whoosh-community/whoosh#413;
this cannot.)

A segment never changes once written, so a term's decoded postings in it (document
numbers, weights, and the stored lengths BM25F reads) are kept between queries, within a
budget, least recently used first out: a word asked about again costs numpy arithmetic,
not a decode. ``And`` and ``Or`` of terms and phrases are worked out here (a phrase is
its words' ``And``, kept where the words' stored positions stand one after another, read
only for the documents the caller may see);
so is a match-all (every document, scored 1: filters without words); any other part of
a query (a date range) is walked by Whoosh's own matcher for that part alone, and a
query excluding words (``Not``) is left to Whoosh whole (None).
Scores agree with Whoosh's to the last bits of a float: a sum of several words' scores
may be added in another order (``tests/test_block_scoring.py`` compares hits and scores
with Whoosh's full ranking on a real index with deletions and several segments).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.query import And, Every, Not, Or, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from index import postings
from index.visible import DocumentSet

# A stored length byte as the length BM25F reads: Whoosh's scorer asks for a missing
# length with a default of 1.
_LENGTH_OF_BYTE = np.array([1.0] + [float(byte_to_length(b)) for b in range(1, 256)])


# Bytes of decoded postings kept for the whole process (24 bytes a posting: number,
# weight and length as 64-bit values, the width the scores are worked out in).
POSTINGS_BUDGET = 128 * 1024 * 1024

Scored = tuple[np.ndarray, np.ndarray]  # document numbers ascending, their scores


class Best(NamedTuple):
    total: int | None  # documents matching (visible and not deleted); None when not counted
    top: list[tuple[int, float]]  # (document number, score), best first


class KeptPostings:
    """Decoded postings of (segment, field, term), shared by every thread."""

    def __init__(self, budget: int = POSTINGS_BUDGET) -> None:
        self._budget = budget
        self._kept_bytes = 0
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray | None]] = OrderedDict()

    @property
    def kept_bytes(self) -> int:
        return self._kept_bytes

    @property
    def kept_count(self) -> int:
        return len(self._kept)

    def best(self, searcher: Searcher, query: Query, visible: DocumentSet | None, limit: int) -> Best | None:
        """The ``limit`` best (document number, score) pairs of the documents ``visible``
        lets through (all when None), best first, as Whoosh's full ranking orders them,
        and how many match in all; None when the query has a part only Whoosh can walk
        whole."""
        if type(searcher.weighting) is not BM25F or not _takes(query):
            return None
        member = np.frombuffer(visible.member, dtype=np.bool_) if visible is not None else None
        found_docs: list[np.ndarray] = []
        found_scores: list[np.ndarray] = []
        averages: dict[str, float] = {}  # field name -> its average length in the whole index
        for leaf, offset in searcher.leaf_searchers():
            admitted = _admitted(leaf, offset, member)
            docs, scores = self._matches(leaf, query, averages, admitted)
            if admitted is not None:
                keep = admitted[docs]
                docs, scores = docs[keep], scores[keep]
            found_docs.append(docs + offset)
            found_scores.append(scores)
        docs = np.concatenate(found_docs) if found_docs else np.empty(0, dtype=np.int64)
        scores = np.concatenate(found_scores) if found_scores else np.empty(0)
        total = len(docs)
        if total > limit:
            # Everything scoring above the limit-th best, and of those scoring equal to it
            # the lowest numbered (documents are in ascending order here).
            threshold = -np.partition(-scores, limit - 1)[limit - 1]
            above = scores > threshold
            tied = np.flatnonzero(scores == threshold)[: limit - int(above.sum())]
            chosen = np.concatenate([np.flatnonzero(above), tied])
            docs, scores = docs[chosen], scores[chosen]
        order = np.lexsort((docs, -scores))
        return Best(total, [(int(docs[i]), float(scores[i])) for i in order])

    def _matches(self, leaf: Searcher, query: Query, averages: dict[str, float], admitted: np.ndarray | None) -> Scored:
        """One segment's documents matching ``query`` and their scores: those ``admitted``
        lets through (all when None) and possibly others, which the caller drops."""
        if isinstance(query, (And, Or)) and query.boost == 1.0 and query.subqueries:
            parts = [self._matches(leaf, sub, averages, admitted) for sub in query.subqueries]
            return _tree(parts, _intersection if isinstance(query, And) else _union)
        if type(query) is Term and query.boost == 1.0:
            return self._term(leaf, query, averages)
        if _every_document(query):
            # As Whoosh's ``Every``: each document, its score its weight, 1.
            count = leaf.reader().doc_count_all()
            return np.arange(count, dtype=np.int64), np.ones(count)
        if type(query) is Phrase and query.boost == 1.0 and query.slop == 1 and _has_positions(leaf, query.fieldname):
            return self._phrase(leaf, query, averages, admitted)
        return _walked(leaf, query)

    def _phrase(self, leaf: Searcher, phrase: Phrase, averages: dict[str, float], admitted: np.ndarray | None) -> Scored:
        """The documents where the phrase's words stand one after another, scored as
        Whoosh scores a phrase (``SpanNear2``: the sum of its words' scores, joined as an
        ``And``). Positions are read only for documents holding every word that the
        caller may see and that are not deleted."""
        reader = leaf.reader()
        # A word the segment lacks leaves the intersection empty: nothing, as Whoosh finds.
        docs, scores = _tree([self._term(leaf, Term(phrase.fieldname, word), averages) for word in phrase.words], _intersection)
        if len(phrase.words) == 1 or not len(docs):
            return docs, scores
        if admitted is not None:
            keep = admitted[docs]  # positions are read only where a match would count
            docs, scores = docs[keep], scores[keep]
        starts: list[set[int] | None] = [None] * len(docs)  # where the phrase may start, per document
        for offset, word in enumerate(phrase.words):
            matcher = postings.segment_matcher(reader, phrase.fieldname, word)
            for i, doc in enumerate(docs.tolist()):
                if offset and not starts[i]:
                    continue
                matcher.skip_to(doc)
                at = {position - offset for position in matcher.value_as("positions")}
                starts[i] = at if not offset else starts[i] & at
        keep = np.fromiter((bool(found) for found in starts), dtype=np.bool_, count=len(starts))
        return docs[keep], scores[keep]

    def _term(self, leaf: Searcher, term: Term, averages: dict[str, float]) -> Scored:
        if term.fieldname not in leaf.schema:
            return np.empty(0, dtype=np.int64), np.empty(0)  # as Whoosh: a field it has not, nothing
        field = leaf.schema[term.fieldname]
        docs, weights, lengths = self._postings(leaf, term, scoring_lengths=field.scorable)
        if lengths is None:
            return docs, weights  # Whoosh scores a field without lengths by the weight alone
        # BM25FScorer's statistics, from the top searcher as it takes them, and its
        # bm25() operation for operation, so that the floats come out the same.
        top, weighting = leaf.get_parent(), leaf.weighting
        if term.fieldname not in averages:
            # Whoosh sums the field's length over every segment each time it is asked.
            averages[term.fieldname] = top.avg_field_length(term.fieldname) or 1
        idf, avgfl = top.idf(term.fieldname, term.text), averages[term.fieldname]
        K1, B = weighting.K1, weighting._field_B.get(term.fieldname, weighting.B)
        return docs, idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))

    def _postings(self, leaf: Searcher, term: Term, *, scoring_lengths: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        reader = leaf.reader()
        key = (reader.segment().segment_id(), term.fieldname, term.text, scoring_lengths)
        with self._lock:
            held = self._kept.get(key)
            if held is not None:
                self._kept.move_to_end(key)
                return held
        docs, weights = postings.term_postings(reader, term.fieldname, term.text)  # deletions: per query
        lengths = _lengths(reader, term.fieldname)[docs] if scoring_lengths else None
        held = (docs, weights, lengths)
        for array in held:
            if array is not None:
                array.flags.writeable = False  # shared by every thread's queries
        size = sum(a.nbytes for a in held if a is not None)
        with self._lock:
            if key not in self._kept:
                self._kept[key] = held
                self._kept_bytes += size
            while self._kept_bytes > self._budget and len(self._kept) > 1:
                self._kept_bytes -= sum(a.nbytes for a in self._kept.popitem(last=False)[1] if a is not None)
        return held


def _takes(query: Query) -> bool:
    """Whether every part can be worked out apart: not an exclusion, nor a match-all of
    one field (Whoosh gathers those from the field's every term)."""
    if isinstance(query, Not) or (isinstance(query, Every) and not _every_document(query)):
        return False
    return all(_takes(sub) for sub in query.children())


def _admitted(leaf: Searcher, offset: int, member: np.ndarray | None) -> np.ndarray | None:
    """The segment's documents a match may be: visible (``member``, in the top searcher's
    numbering) and not deleted; None when every document is."""
    reader = leaf.reader()
    if member is None and not reader.has_deletions():
        return None
    count = reader.doc_count_all()
    if not reader.has_deletions():
        return member[offset : offset + count]
    admitted = np.ones(count, dtype=np.bool_) if member is None else member[offset : offset + count].copy()
    admitted[postings.deleted(reader)] = False
    return admitted


def _every_document(query: Query) -> bool:
    """A match-all of no field (filters alone: "speaker:" or "outlet:" without words)."""
    return type(query) is Every and query.fieldname in (None, "", "*") and query.boost == 1.0


def _has_positions(leaf: Searcher, fieldname: str) -> bool:
    """Whether phrases can be found in the field (Whoosh refuses a phrase elsewhere)."""
    field = leaf.schema[fieldname] if fieldname in leaf.schema else None
    return field is not None and field.format is not None and field.format.supports("positions")


def _walked(leaf: Searcher, query: Query) -> Scored:
    """A part of the query Whoosh's matcher walks (a date range), with its scores."""
    matcher = query.matcher(leaf, leaf.context())
    docs: list[int] = []
    scores: list[float] = []
    while matcher.is_active():
        docs.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    return np.array(docs, dtype=np.int64), np.array(scores, dtype=np.float64)


def _lengths(reader, field: str) -> np.ndarray:
    """The field's length of every document in the segment, as BM25F reads it."""
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    count = reader.doc_count_all()
    stored = np.zeros(count, dtype=np.uint8)
    if column is not None and column._count:
        held = min(column._count, count)
        stored[:held] = np.frombuffer(column._dbfile.get(column._basepos, held), dtype=np.uint8)
    return _LENGTH_OF_BYTE[stored]


def _tree(parts: list[Scored], join) -> Scored:
    """Joined as Whoosh joins a compound query's matchers: halves, recursively."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return join(_tree(parts[:half], join), _tree(parts[half:], join))


def _union(a: Scored, b: Scored) -> Scored:
    # Both lists are ascending, so a stable sort (timsort on two runs) merges them in
    # linear time, with a's posting before b's for a document in both: summed as Whoosh's
    # union sums them, a's score plus b's.
    docs, scores = np.concatenate((a[0], b[0])), np.concatenate((a[1], b[1]))
    if not len(docs):
        return docs, scores
    order = np.argsort(docs, kind="stable")
    docs = docs[order]
    starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1])))
    return docs[starts], np.add.reduceat(scores[order], starts)


def _intersection(a: Scored, b: Scored) -> Scored:
    # The shorter list looked up in the longer by bisection: a rare word joined with a
    # frequent one (or with every document) costs the rare word's length, not a sort of both.
    if not (len(a[0]) and len(b[0])):
        return np.empty(0, dtype=np.int64), np.empty(0)
    short, long = (a, b) if len(a[0]) <= len(b[0]) else (b, a)
    at = np.minimum(np.searchsorted(long[0], short[0]), len(long[0]) - 1)
    found = long[0][at] == short[0]
    in_short, in_long = np.flatnonzero(found), at[found]
    in_a, in_b = (in_short, in_long) if short is a else (in_long, in_short)
    return a[0][in_a], a[1][in_a] + b[1][in_b]
