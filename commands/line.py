"""Run a command typed as one line, e.g. ``/search north korea page:2``, as the bot would."""

from __future__ import annotations

import re

from pydantic import ValidationError

from . import COMMANDS
from .base import Command, CommandContext, CommandError, Response


def parse_line(line: str) -> tuple[Command, dict[str, str]]:
    """The command a line names and its raw argument values (validated by ``run_line``)."""
    stripped = line.strip()
    match = re.match(r"/?(\w+)\s*(.*)\Z", stripped, re.DOTALL)
    if not match or match.group(1).lower() not in COMMANDS:
        known = ", ".join(f"/{name}" for name in COMMANDS)
        raise CommandError(f"Unknown command `{stripped.split()[0] if stripped else ''}`. Commands: {known}.")
    command = COMMANDS[match.group(1).lower()]
    rest = match.group(2)
    values: dict[str, str] = {}
    named = [f for f in command.args.model_fields if f != command.rest]
    if named:
        pattern = re.compile(rf"(?:^|\s)({'|'.join(map(re.escape, named))}):(\S+)")
        values.update({m.group(1): m.group(2) for m in pattern.finditer(rest)})
        rest = pattern.sub(" ", rest)
    if command.rest is not None:
        values[command.rest] = " ".join(rest.split())
        return command, values
    # No free-text argument: bare words fill the arguments not yet named, in order.
    words = rest.split()
    open_fields = [f for f in named if f not in values]
    if len(words) > len(open_fields):
        usage = " ".join(f"{f.upper()}" for f in named)
        raise CommandError(f"/{command.name} takes {len(named)} argument(s) at most: /{command.name} {usage}".rstrip())
    values.update(zip(open_fields, words))
    return command, values


def run_line(context: CommandContext, line: str) -> Response:
    command, values = parse_line(line)
    try:
        args = command.args.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CommandError(f"/{command.name}: {problems}") from None
    return command(context, args)
