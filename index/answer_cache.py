"""Answers worked out from the index, kept for the next page of the same question.

Turning to page 2 asks the same question again with another page number. Searching,
loading the claims and grouping them is most of an answer's cost and the same for every
page, so the worked-out answer is kept here under a key that names everything it depends
on (the command, the corpora the caller may see, the parsed query and its options) and
is served only while the index is at the *version* it was worked out at: any commit, by
this process or another, changes the version, and every kept answer of an older version
is dropped at once. The cache is bounded (least recently used answers go first) and
shared by every thread of the process; what it holds is never changed by its readers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

CAPACITY = 256  # answers kept; one holds at most a query's claim hits, grouped


class AnswerCache:
    def __init__(self, capacity: int = CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self._version: Hashable = None

    def get_or_compute(self, key: Hashable, version: Hashable, compute: Callable[[], T]) -> T:
        """The answer kept under ``key`` if it was worked out at ``version``; otherwise
        ``compute()``'s, kept. ``compute`` runs outside the lock: two threads asking the
        same new question both work it out, and neither waits for the other."""
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] == version:
                self._answers.move_to_end(key)
                self.hits += 1
                return kept[1]  # type: ignore[return-value]
            self.misses += 1
        answer = compute()
        with self._lock:
            if version != self._version:
                # Another version of the index: everything kept is stale. A thread still
                # storing an answer of an older version only costs the others a recompute,
                # as a kept answer is served only at its own version.
                self._answers.clear()
                self._version = version
            self._answers[key] = (version, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.capacity:
                self._answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        """Forget every kept answer (the benchmark times pages worked out afresh)."""
        with self._lock:
            self._answers.clear()

    def __len__(self) -> int:
        return len(self._answers)
