"""What every slash command is made of, with nothing of Discord in it.

A command is one declaration: its name, a pydantic model of its arguments (the field
descriptions become the option descriptions in Discord and the help in the terminal),
the function that answers it, and the argument that takes free text when the command
is typed as a line (``/search north korea troops``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from index.library import Library


class CommandError(Exception):
    """A problem the user can fix; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class CommandContext:
    library: Library
    corpora: Sequence[str]  # the corpora this caller may see; every query is limited to them


class Response(BaseModel):
    command: str


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[CommandContext, BaseModel], Response]
    rest: str | None = None  # the argument that takes the free text of a typed line
    manager_only: bool = False  # changes stored data: only server managers may run it

    def __call__(self, context: CommandContext, args: BaseModel) -> Response:
        return self.run(context, args)
