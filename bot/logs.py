"""The one logging setup, used by the CLI, the bot and the ingest worker alike."""

from __future__ import annotations

import logging
import sys

from .inert import inert

# discord.py's own loggers: connection events and warnings at INFO, but not every HTTP
# request (discord.http logs each one at DEBUG and rate limits at WARNING).
DISCORD_LEVELS = {"discord": logging.INFO, "discord.http": logging.WARNING, "discord.gateway": logging.INFO}


class InertFormatter(logging.Formatter):
    """Log messages carry article ids, file names and user input: their control and bidi
    characters, line breaks included, are made visible so that a log line can neither
    drive the terminal nor pass for another line. Tracebacks keep their lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = inert(record.message, layout=False)
        return super().formatMessage(record)


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(InertFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for name in ("index", "commands", "bot"):
        logging.getLogger(name).setLevel(level.upper())
    for name, discord_level in DISCORD_LEVELS.items():
        # Never chattier than claimdesk itself was asked to be.
        logging.getLogger(name).setLevel(max(discord_level, logging.getLevelName(level.upper())))
