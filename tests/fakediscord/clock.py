"""Time and ids.

Every deadline the fake enforces (3 s to answer an interaction, 15 min of token
life, the 24 h command-creation window) reads this clock, so a test can jump
past a deadline with ``fake.clock.advance(...)`` instead of sleeping.
"""

from __future__ import annotations

import datetime
import itertools
import time

DISCORD_EPOCH_MS = 1420070400000


class Clock:
    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Seconds since the Unix epoch, as the fake sees it."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def iso(self) -> str:
        return datetime.datetime.fromtimestamp(self.now(), datetime.UTC).isoformat()


class Snowflakes:
    """Snowflake ids whose timestamp is the fake's clock, like Discord's."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._increment = itertools.count()

    def next(self) -> int:
        ms = int(self._clock.now() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (1 << 17) | (next(self._increment) & 0xFFF)
