"""Lets tests wait for the bot's reaction instead of sleeping."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable


class Changes:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        # Waiters hold the old event, which is now set; later waiters get a fresh one.
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], object], timeout: float, what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"fakediscord: timed out after {timeout}s waiting for {what}")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._event.wait(), remaining)
