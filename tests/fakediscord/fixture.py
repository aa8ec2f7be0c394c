"""``fake_discord()``: start the fake, point discord.py at it, and check the shutdown was clean.

No pytest plugin is needed: a test calls ``run_async(scenario)``, which runs the
coroutine in a fresh event loop and fails on the warnings a sloppy shutdown
leaves behind.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord.asset
import discord.gateway
import discord.http
import yarl

from .server import FakeDiscord
from .wire import API_PREFIX

LEAK_GRACE = 2.0  # seconds for tasks and threads to wind down after the fake stops


@asynccontextmanager
async def fake_discord(*, strict_routes: bool = True, check_leaks: bool = True,
                       **options: Any) -> AsyncIterator[FakeDiscord]:
    """Yields a started ``FakeDiscord`` with discord.py patched to use it.

    On a clean exit it fails the test if the bot hit a route the fake lacks
    (``strict_routes``) or left tasks or heartbeat threads running (``check_leaks``).
    ``options`` go to ``FakeDiscord`` (``bot_permissions``, ``allowed_intents``).
    """
    baseline_tasks = asyncio.all_tasks()
    baseline_threads = set(threading.enumerate())
    fake = FakeDiscord(**options)
    await fake.start()
    saved = point_discord_py_at(fake.url)
    body_succeeded = False
    try:
        yield fake
        body_succeeded = True
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY, discord.asset.Asset.BASE = saved
        await fake.stop()
        leaks = await _collect_leaks(baseline_tasks, baseline_threads)
    if not body_succeeded:
        return
    if strict_routes and fake.unhandled_routes:
        raise AssertionError(f"the bot called routes fakediscord does not implement: {fake.unhandled_routes}")
    if check_leaks and leaks:
        raise AssertionError("left running after shutdown:\n  " + "\n  ".join(leaks))


def point_discord_py_at(url: str) -> tuple[str, yarl.URL, str]:
    """Points this process's discord.py at the fake serving ``url`` (``FakeDiscord.url``);
    returns what it pointed at before. ``fake_discord`` does this; a bot in another
    process calls it with the URL it is given."""
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY, discord.asset.Asset.BASE)
    # Route.BASE serves the bot's REST calls and, since discord.webhook.async_
    # builds its URLs with Route too, interaction callbacks and followups.
    discord.http.Route.BASE = url + API_PREFIX
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url.replace("http://", "ws://", 1) + "/gateway")
    discord.asset.Asset.BASE = url  # avatars and icons: unknown routes, so loud if fetched
    return saved


async def _collect_leaks(baseline_tasks: set[asyncio.Task], baseline_threads: set[threading.Thread]) -> list[str]:
    """Waits briefly for what the run started to finish, then cancels and names whatever did not."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LEAK_GRACE

    def tasks() -> set[asyncio.Task]:
        return {t for t in asyncio.all_tasks() - baseline_tasks if t is not asyncio.current_task() and not t.done()}

    def heartbeats() -> list[threading.Thread]:
        # discord.py's KeepAliveHandler threads; they must stop when the client closes.
        return [t for t in set(threading.enumerate()) - baseline_threads
                if t.is_alive() and t.name.startswith("keep-alive-handler")]

    while (tasks() or heartbeats()) and loop.time() < deadline:
        await asyncio.sleep(0.02)
    leftovers = tasks()
    for task in leftovers:
        task.cancel()
    await asyncio.gather(*leftovers, return_exceptions=True)
    return [f"task {t.get_name()}: {t.get_coro()!r}" for t in leftovers] + [f"thread {t.name}" for t in heartbeats()]


def run_async(scenario: Callable[[], Awaitable[None]], *, timeout: float = 30.0) -> None:
    """Runs ``scenario()`` in a new event loop and fails on unclean-shutdown symptoms that
    asyncio only logs or warns about: destroyed pending tasks, unretrieved task
    exceptions, never-awaited coroutines, unclosed sessions and sockets."""
    handler = _Capture()
    asyncio_log = logging.getLogger("asyncio")
    asyncio_log.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            asyncio.run(asyncio.wait_for(scenario(), timeout))
            gc.collect()  # unclosed-resource warnings fire when objects are collected
    finally:
        asyncio_log.removeHandler(handler)
    problems = handler.messages + [
        str(w.message) for w in caught
        if issubclass(w.category, (ResourceWarning, RuntimeWarning)) or "never awaited" in str(w.message)
    ]
    if problems:
        raise AssertionError("unclean asyncio shutdown:\n  " + "\n  ".join(problems))


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
