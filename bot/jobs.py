"""The functions the scheduler's stored jobs name (``bot.jobs:send_digest``).

A stored job can hold only plain arguments, so these module-level functions reach the
running bot through one reference, set when the bot starts its scheduler and cleared
when it closes. A job that fires with no bot running (it cannot, as the scheduler
stops first, but a stored job must never crash) logs and does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.discord.digests import Dispatch

log = logging.getLogger(__name__)

_dispatch: Dispatch | None = None


def attach(dispatch: Dispatch) -> None:
    global _dispatch
    _dispatch = dispatch


def detach() -> None:
    global _dispatch
    _dispatch = None


async def send_digest(subscription_id: int) -> None:
    if _dispatch is None:
        log.warning("digest %s fell due with no bot running; skipped", subscription_id)
        return
    try:
        await _dispatch.send_due_digest(subscription_id)
    except asyncio.CancelledError:
        # Only a closing bot cancels a job, after its grace: the ledger has what was posted.
        log.info("digest %s interrupted by shutdown; it is finished on the next start", subscription_id)


async def poll_feeds() -> None:
    if _dispatch is not None:
        _dispatch.start_feed_poll()  # returns at once: the poll runs as the bot's own task
