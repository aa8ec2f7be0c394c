"""``claimdesk run`` and ``claimdesk sync``: the bot's entry points from the command line."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from ..settings import Settings
from .client import ClaimdeskBot
from .scopes import LISTED_TWICE, clear_commands, listed_twice

log = logging.getLogger("bot.discord")

NO_TOKEN = (
    "no Discord bot token. Create an application at https://discord.com/developers/applications, "
    "open Bot, press Reset Token and copy the token; then set DISCORD_TOKEN=<token> in the environment "
    "or in a .env file in the folder you run claimdesk from. Keep it secret: it is the bot's password."
)
BAD_TOKEN = "Discord refused the token in DISCORD_TOKEN; reset it in the developer portal (Bot → Reset Token)."


class NoToken(Exception):
    pass


def _token(settings: Settings) -> str:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise NoToken(NO_TOKEN)
    return settings.discord_token.get_secret_value()


# Seconds a thread may hold the GIL while another waits for it (Python's default: 0.005).
# Every socket call releases the GIL, and the event loop makes dozens to acknowledge one
# interaction; each time, it can wait this long behind a query thread's Python work.
# During bursts of commands it halves the loop's lag (bench/concurrent_commands.py).
GIL_SWITCH_INTERVAL = 0.001


async def run_bot(settings: Settings) -> None:
    token = _token(settings)
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    async with ClaimdeskBot(settings) as bot:
        stop_on_signals(bot)
        await bot.start(token)
    log.info("stopped")


def stop_on_signals(bot: ClaimdeskBot) -> None:
    """Ctrl-C and SIGTERM (``systemctl stop``, ``docker stop``) close the bot the same way:
    a running /ingest finishes and reports, then the connection closes."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []  # a reference, so the task is not collected midway

    def stop(signum: signal.Signals) -> None:
        if closing:
            return
        log.info("%s received: stopping (a running /ingest finishes first)", signum.name)
        closing.append(loop.create_task(bot.close()))

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop, signum)


async def sync(settings: Settings, guild_id: int | None, *, clear: bool = False) -> int:
    """Registers the commands globally (or in one server), or with ``clear`` removes them
    from there; the number registered or removed."""
    token = _token(settings)
    # The development-server sync on login would be a second, unasked-for sync.
    async with ClaimdeskBot(settings.model_copy(update={"dev_guild": None})) as bot:
        await bot.login(token)
        if clear:
            return await clear_commands(bot.tree, guild_id)
        count = len(await bot.sync_commands(guild_id))
        dev_guild = settings.dev_guild
        if guild_id is None and dev_guild is not None and (twice := await listed_twice(bot.tree, dev_guild)):
            log.warning(LISTED_TWICE.format(guild=dev_guild, count=twice))
        return count

