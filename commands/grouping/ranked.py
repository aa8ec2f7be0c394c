"""A query's groups in display order, each built when a page first shows it.

``rank_groups(group_claims(hits))`` builds every group's response model (quotes,
sources, headline words) although a page shows five; most of a query's groups are one
article's figureless quote, and those rank after every other group. Here they are
ranked on the few fields ranking reads (``clustering.LoneStandIn``) and built only for
a page that reaches them, so that a query's pages are exactly those of the full path
(``tests/test_ranked_groups.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from .clustering import Grouping, LoneStandIn
from .presentation import rank_groups
from .schemas import ClaimGroup, ClaimHit
from .sources import SameSpeaker


class RankedGroups(Sequence[ClaimGroup]):
    """Kept in the answer cache and read by several threads: groups are built under a
    lock, once."""

    def __init__(self, hits: Iterable[ClaimHit], query_terms: Iterable[str], same_speaker: SameSpeaker) -> None:
        self._grouping = Grouping(hits, same_speaker)
        self._order: list[ClaimGroup | LoneStandIn] = rank_groups(
            [self._grouping.stand_in(index) for index in range(len(self._grouping))], query_terms
        )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, position: int) -> ClaimGroup: ...

    @overload
    def __getitem__(self, position: slice) -> list[ClaimGroup]: ...

    def __getitem__(self, position: int | slice) -> ClaimGroup | list[ClaimGroup]:
        if isinstance(position, slice):
            return [self._at(number) for number in range(*position.indices(len(self._order)))]
        if position < 0:
            position += len(self._order)
        if not 0 <= position < len(self._order):
            raise IndexError(position)
        return self._at(position)

    def __iter__(self) -> Iterator[ClaimGroup]:
        return (self._at(number) for number in range(len(self._order)))

    def _at(self, position: int) -> ClaimGroup:
        item = self._order[position]
        if isinstance(item, ClaimGroup):
            return item
        with self._lock:
            item = self._order[position]
            if isinstance(item, LoneStandIn):
                built = self._grouping.group(item.index)
                built.answers_query = item.answers_query
                self._order[position] = item = built
        return item
