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

``decoded`` reads a whole posting list into arrays for the block scoring of
``index/block_scoring.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching import ReadTooFar

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


def decoded(matcher: Matcher) -> tuple[np.ndarray, np.ndarray]:
    """Every posting's document number and weight from here on (deleted documents
    included: ``matcher`` is the segment's own), a stored block at a time."""
    ids: list = []
    weights: list = []
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.append(matcher._ids[matcher._i :])
            weights.append(matcher._weights[matcher._i :])
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append((matcher.id(),))
            weights.append((matcher.weight(),))
            matcher.next()
    docs = np.fromiter((d for block in ids for d in block), dtype=np.int64)
    return docs, np.fromiter((w for block in weights for w in block), dtype=np.float64, count=len(docs))


def install() -> None:
    W3LeafMatcher.skip_to = _skip_to
    W3LeafMatcher.all_ids = _all_ids


def uninstall() -> None:
    """Whoosh's own methods back (for the tests that compare the two)."""
    W3LeafMatcher.skip_to = WHOOSH_SKIP_TO
    W3LeafMatcher.all_ids = WHOOSH_ALL_IDS
