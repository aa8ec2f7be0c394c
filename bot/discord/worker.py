"""Ingestion (and feed polling) in a separate process, one job at a time.

Claim extraction (spaCy) is CPU-heavy and holds the GIL: in the bot's process it would
stall heartbeats and everyone else's commands. A single-worker process pool runs one
ingest at a time (the store has one writer anyway) and keeps spaCy loaded between jobs.
The spawn context starts a clean interpreter: forking a process that runs an event
loop, threads and open SQLite connections is unsafe.

This module is what the worker imports, so it must not import discord.py.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from commands import ingest
from commands.base import CommandContext
from index.feeds import FeedPollReport, PageBudget, poll_due_feeds
from index.library import Library
from index.workers import prepare_worker, starting_workers

from ..logs import setup_logging

T = TypeVar("T")


def start_worker(log_level: str) -> None:
    """The worker's initializer: it leaves stopping to the bot (see ``index.workers``)."""
    prepare_worker()
    setup_logging(log_level)


def poll_feeds_in_worker(data_dir: Path, limits: ingest.IngestLimits, now: datetime,
                         page_budget: PageBudget) -> FeedPollReport:
    # The budget's time starts with the poll, not while it waited behind an ingest.
    fresh = PageBudget(pages=page_budget.pages, seconds=page_budget.seconds)
    with Library(data_dir) as library:
        return poll_due_feeds(library, allow_private=limits.allow_private_fetch, timeout=limits.fetch_timeout,
                              max_bytes=limits.max_bytes, now=now, page_budget=fresh)


def ingest_in_worker(data_dir: Path, corpus: str, args: ingest.IngestArgs,
                     limits: ingest.IngestLimits) -> ingest.IngestResponse:
    with Library(data_dir) as library:
        return ingest.run(CommandContext(library=library, corpora=[corpus]), args, limits=limits)


class IngestWorker:
    def __init__(self, data_dir: Path, limits: ingest.IngestLimits, log_level: str) -> None:
        self.data_dir = data_dir
        self.limits = limits
        self.log_level = log_level
        self._pool: ProcessPoolExecutor | None = None  # started on the first ingest

    async def ingest(self, corpus: str, args: ingest.IngestArgs) -> ingest.IngestResponse:
        return await self._run(ingest_in_worker, self.data_dir, corpus, args, self.limits)

    async def poll_feeds(self, *, now: datetime, page_budget: PageBudget | None = None) -> FeedPollReport:
        """``index.feeds.poll_due_feeds`` in the worker: a feed's entries are extracted
        like any ingest, away from the bot's event loop. ``now`` is the bot's clock, which
        decides what is due (tests move it instead of waiting); ``page_budget`` limits the
        teaser pages fetched (the default budget when not given)."""
        return await self._run(poll_feeds_in_worker, self.data_dir, self.limits, now, page_budget or PageBudget())

    async def _run(self, job: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=start_worker, initargs=(self.log_level,))
        loop = asyncio.get_running_loop()
        try:
            with starting_workers():  # the executor starts its process when given the first job
                running = loop.run_in_executor(self._pool, job, *args)
            return await running
        except BrokenProcessPool:
            # The worker died (killed, out of memory): the next job starts a fresh one.
            # Whatever batch it had not committed is lost, never half-written.
            self._pool = None
            raise

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            # Waits for a running ingest to commit rather than killing it mid-batch.
            shutdown = functools.partial(pool.shutdown, wait=True, cancel_futures=True)
            await asyncio.get_running_loop().run_in_executor(None, shutdown)
