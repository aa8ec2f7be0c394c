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
import multiprocessing.util
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
                         page_budget: PageBudget) -> FeedPollReport | None:
    """The due feeds polled, or None when another process (``claimdesk ingest``, a
    reindex) holds the writer lock: a poll would wait for it and then give up, so it is
    left for a later run instead."""
    def poll(library: Library) -> FeedPollReport | None:
        if not library.writer_free():
            return None
        # The budget's time starts with the poll, not while it waited behind an ingest.
        fresh = PageBudget(pages=page_budget.pages, seconds=page_budget.seconds)
        return poll_due_feeds(library, allow_private=limits.allow_private_fetch, timeout=limits.fetch_timeout,
                              max_bytes=limits.max_bytes, now=now, page_budget=fresh)

    return with_library(data_dir, poll)


def ingest_in_worker(data_dir: Path, corpus: str, args: ingest.IngestArgs,
                     limits: ingest.IngestLimits) -> ingest.IngestResponse:
    return with_library(data_dir, lambda library: ingest.run(CommandContext(library=library, corpora=[corpus]),
                                                             args, limits=limits))


# The worker's libraries, each with its closer (run once: on a failed job or at exit).
_libraries: dict[Path, tuple[Library, multiprocessing.util.Finalize]] = {}


def with_library(data_dir: Path, job: Callable[[Library], T]) -> T:
    """``job`` given the worker's library, which is opened on the first job and kept for
    the next ones: opening checks the search index against the store and loads its
    segments (tens of milliseconds at a thousand articles, for every poll a minute
    otherwise). A kept library follows other processes' commits and rebuilds as the
    bot's own does. A job that fails closes it, so that the next one opens it afresh
    (and repairs a damaged index, as opening does); the worker's exit closes it too."""
    kept = _libraries.get(data_dir)
    if kept is None:
        library = Library(data_dir)
        kept = _libraries[data_dir] = (library, multiprocessing.util.Finalize(library, library.close, exitpriority=10))
    library, close = kept
    try:
        return job(library)
    except BaseException:
        del _libraries[data_dir]
        close()
        raise


class IngestWorker:
    def __init__(self, data_dir: Path, limits: ingest.IngestLimits, log_level: str) -> None:
        self.data_dir = data_dir
        self.limits = limits
        self.log_level = log_level
        self._pool: ProcessPoolExecutor | None = None  # started on the first ingest
        self._ingests = 0  # /ingest jobs running or waiting for the worker

    @property
    def ingesting(self) -> bool:
        """An /ingest is running in the worker or waiting for it."""
        return self._ingests > 0

    async def ingest(self, corpus: str, args: ingest.IngestArgs) -> ingest.IngestResponse:
        self._ingests += 1
        try:
            return await self._run(ingest_in_worker, self.data_dir, corpus, args, self.limits)
        finally:
            self._ingests -= 1

    async def poll_feeds(self, *, now: datetime, page_budget: PageBudget | None = None) -> FeedPollReport | None:
        """``index.feeds.poll_due_feeds`` in the worker: a feed's entries are extracted
        like any ingest, away from the bot's event loop. ``now`` is the bot's clock, which
        decides what is due (tests move it instead of waiting); ``page_budget`` limits the
        teaser pages fetched (the default budget when not given). None when another
        process was writing to the data folder, so nothing was polled."""
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
