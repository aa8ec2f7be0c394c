"""Whoosh's posting lists read a block at a time instead of a posting at a time (Whoosh
2.7.4 is pinned: ``pyproject.toml``).

A posting list is stored in blocks of up to 128 document numbers, each with a header
giving its largest number. Whoosh's leaf matcher (``W3LeafMatcher``) uses the headers
to skip whole blocks, but inside a block it moves to a target with one ``next()`` and
one ``id()`` call per posting, and ``all_ids`` yields one posting per
``is_active()``/``id()``/``next()`` round. On a query joining a rare word with a word
most claims carry ("said riot"), every rare posting makes the frequent word's matcher
step through a block in Python; and the visible-claims sets (``index/visible.py``) read
whole posting lists through ``all_ids``.

Here ``skip_to`` finds the target inside the decoded block by bisection, and
``all_ids`` yields each decoded block whole. Both leave the matcher where Whoosh's own
methods leave it (the first posting at or after the target; past the end), so every
search finds the same documents with the same scores (``tests/test_postings.py``
compares them with Whoosh's own on a real index). Applied once, when ``index.search``
is imported.

``decoded`` and ``term_postings`` read a whole posting list into arrays, for the block
scoring of ``index/block_scoring.py`` and the visible sets of ``index/visible.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching import ReadTooFar
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

WHOOSH_SKIP_TO = W3LeafMatcher.skip_to
WHOOSH_ALL_IDS = W3LeafMatcher.all_ids


def _skip_to(self: W3LeafMatcher, target: int) -> None:
    if not self.is_active():
        raise ReadTooFar
    if self._ids is None:
        self._read_ids()
    if target <= self._ids[self._i]:
        return
    if target > self._maxid:
        # Whole blocks by their headers, without decoding them (as Whoosh does).
        self._next_block()
        while not self._atend and target > self._maxid:
            self._next_block()
        if self._atend:
            return
        self._read_ids()
    # The block's largest number is at least the target: it is in this block.
    self._i = bisect_left(self._ids, target, self._i)


def _all_ids(self: W3LeafMatcher) -> Iterator[int]:
    while self.is_active():
        if self._ids is None:
            self._read_ids()
        ids = self._ids[self._i : self._blocklength]
        self._i = self._blocklength - 1
        yield from ids
        self.next()  # the last posting of the block: moves to the next block


def segment_matcher(reader: IndexReader, fieldname: str, text: str) -> Matcher:
    """A term's posting list in one segment as stored, deleted documents included (a
    delete keeps the segment; callers take deleted documents out as they need)."""
    matcher = reader.postings(fieldname, text)
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def deleted(reader: IndexReader) -> np.ndarray:
    """The segment's deleted document numbers."""
    return np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)


def term_postings(reader: IndexReader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers and weights in one segment, deleted documents included."""
    if (fieldname, text) not in reader:
        return np.empty(0, dtype=np.int64), np.empty(0)
    docs, weights = decoded(segment_matcher(reader, fieldname, text))
    if len(docs) and (docs[0] < 0 or docs[-1] >= reader.doc_count_all() or np.any(np.diff(docs) <= 0)):
        # Whoosh would walk such a list and fail further on: a damaged segment.
        raise ValueError(f"the postings of {fieldname}:{text!r} are out of order or past the segment's end")
    return docs, weights


def decoded(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """Every posting's document number and weight from here on (deleted documents
    included: ``matcher`` is the segment's own), a stored block at a time: its unpickled
    tuple is read as arrays, not decoded into Python numbers one posting at a time."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            stored_ids, stored_weights = matcher._data[0], matcher._data[1]
            block = np.asarray(stored_ids, dtype=np.int64)
            if not matcher._byteids:
                block = np.cumsum(block)  # stored as differences, as ``_read_ids`` undoes them
            if stored_weights is None or isinstance(stored_weights, float):
                # As ``_read_weights``: one weight for the block, held as a 32-bit float.
                block_weights = np.full(len(block), 1.0 if stored_weights is None else stored_weights,
                                        dtype=np.float32).astype(np.float64)
            else:
                block_weights = np.asarray(stored_weights, dtype=np.float64)
            ids.append(block[matcher._i :])
            weights.append(block_weights[matcher._i :])
            matcher._next_block()
    else:
        numbers: list[int] = []
        values: list[float] = []
        while matcher.is_active():
            numbers.append(matcher.id())
            values.append(matcher.weight())
            matcher.next()
        ids.append(np.array(numbers, dtype=np.int64))
        weights.append(np.array(values, dtype=np.float64))
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty(0)
    return np.concatenate(ids), np.concatenate(weights)


def install() -> None:
    W3LeafMatcher.skip_to = _skip_to
    W3LeafMatcher.all_ids = _all_ids


def uninstall() -> None:
    """Whoosh's own methods back (for the tests that compare the two)."""
    W3LeafMatcher.skip_to = WHOOSH_SKIP_TO
    W3LeafMatcher.all_ids = WHOOSH_ALL_IDS
