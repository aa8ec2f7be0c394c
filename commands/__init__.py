"""Every slash command, each a plain function from typed arguments to a pydantic response."""

from . import article, search, sources
from .base import Command, CommandContext, CommandError, Response

COMMANDS: dict[str, Command] = {c.name: c for c in (search.COMMAND, article.COMMAND, sources.COMMAND)}

__all__ = ["COMMANDS", "Command", "CommandContext", "CommandError", "Response"]
