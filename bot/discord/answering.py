"""Answers being worked on, so that stopping the bot finishes them instead of cutting them off."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from commands.base import CommandError

log = logging.getLogger("bot.discord")

RESTARTING = "claimdesk is shutting down (usually to restart) and takes no new requests; try again in a minute."


class Answering:
    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False

    @asynccontextmanager
    async def one(self) -> AsyncIterator[None]:
        """Brackets one answer, from the interaction to the last message sent for it."""
        if self._closing:
            raise CommandError(RESTARTING)
        self._count += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._count -= 1
            if not self._count:
                self._idle.set()

    async def finish(self, grace: float) -> None:
        """Refuses new answers and waits up to ``grace`` seconds for those under way."""
        self._closing = True
        if self._count:
            log.info("finishing %d answer(s) under way before stopping", self._count)
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            log.warning("stopping with %d answer(s) unfinished after %.0f s", self._count, grace)
