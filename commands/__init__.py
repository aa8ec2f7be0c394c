"""Every slash command, each a plain function from typed arguments to a pydantic response."""

from . import article, claims, compare, search, sources, who
from .base import Command, CommandContext, CommandError, Response

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (claims.COMMAND, search.COMMAND, who.COMMAND, compare.COMMAND, article.COMMAND, sources.COMMAND)
}

__all__ = ["COMMANDS", "Command", "CommandContext", "CommandError", "Response"]
