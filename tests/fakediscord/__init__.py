"""A strict, offline fake of Discord's REST API and gateway for end-to-end tests of discord.py bots.

See README.md in this folder.
"""

from .fixture import fake_discord, point_discord_py_at, run_async
from .interactions import InteractionRecord, Rejection
from .mentions import Mentions
from .messages import FakeAttachment, FakeMessage, Upload
from .server import FakeDiscord
from .world import FakeChannel, FakeGuild, FakeRole, FakeUser

__all__ = [
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMessage",
    "FakeRole",
    "FakeUser",
    "InteractionRecord",
    "Mentions",
    "Rejection",
    "Upload",
    "fake_discord",
    "point_discord_py_at",
    "run_async",
]
