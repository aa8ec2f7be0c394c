"""Slash commands generated from the commands' own declarations.

A command's pydantic args model is the one definition of its arguments: each field
becomes a typed option, its description the option's description, ``ge``/``le`` (or
``min_length``/``max_length``) the option's range, and a default makes it optional.
The CLI's ``claimdesk ask`` validates against the same model.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, Union, get_args, get_origin

import annotated_types
import discord
from discord import app_commands
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from commands.base import Command, CommandError

from . import limits
from .text import clip

Args = TypeVar("Args", bound=BaseModel)
Handler = Callable[[discord.Interaction, dict[str, Any]], Awaitable[None]]
SCALARS = (str, int, float, bool)


def slash_command(command: Command, handler: Handler) -> app_commands.Command:
    """``/command`` with one option per field of ``command.args``; ``handler`` gets the
    options the user gave (absent optional ones are left out, so pydantic's defaults apply)."""

    async def callback(interaction: discord.Interaction, **options: Any) -> None:
        await handler(interaction, {name: value for name, value in options.items() if value is not None})

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    annotation=discord.Interaction)]
    for name, field in command.args.model_fields.items():
        parameters.append(inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=option_type(command.name, name, field),
            default=inspect.Parameter.empty if field.is_required() else None,
        ))
    # discord.py reads a callback's options from its signature and these attributes.
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        name: describe(name, field) for name, field in command.args.model_fields.items()
    }
    app_command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=command.name, description=clip(command.description, limits.COMMAND_DESCRIPTION, render=str),
        callback=callback,
    )
    app_command.guild_only = True  # every answer comes from the server's own corpus
    if command.manager_only:
        restrict_to_managers(app_command)
    return app_command


def restrict_to_managers(app_command: app_commands.Command) -> None:
    """Hidden from members without Manage Server by default, and refused to them by the bot
    too: a server can grant a command to anyone in its settings, which must not open it."""
    app_command.default_permissions = discord.Permissions(manage_guild=True)
    app_commands.checks.has_permissions(manage_guild=True)(app_command)


def option_type(command: str, name: str, field: FieldInfo) -> Any:
    """The annotation discord.py turns into the option's type and range."""
    kind = field.annotation
    if get_origin(kind) in (Union, types.UnionType):  # Optional[X] and X | None
        members = [a for a in get_args(kind) if a is not type(None)]
        kind = members[0] if len(members) == 1 else kind
    if kind not in SCALARS:
        raise TypeError(f"/{command} option {name!r}: {kind!r} has no slash-command option type; "
                        f"use one of {[t.__name__ for t in SCALARS]} or give it its own extension")
    low, high = _bounds(field, kind)
    if kind is bool or (low is None and high is None):
        return kind
    return app_commands.Range[kind, low, high]


def _bounds(field: FieldInfo, kind: type) -> tuple[Any, Any]:
    low: Any = None
    high: Any = None
    for rule in field.metadata:
        if kind is str:
            if isinstance(rule, annotated_types.MinLen):
                low = rule.min_length
            elif isinstance(rule, annotated_types.MaxLen):
                high = rule.max_length
        elif isinstance(rule, annotated_types.Ge):
            low = rule.ge
        elif isinstance(rule, annotated_types.Gt):
            low = rule.gt + 1 if kind is int else rule.gt  # type: ignore[operator]  # int fields have int bounds
        elif isinstance(rule, annotated_types.Le):
            high = rule.le
        elif isinstance(rule, annotated_types.Lt):
            high = rule.lt - 1 if kind is int else rule.lt  # type: ignore[operator]
    return low, high


def describe(name: str, field: FieldInfo) -> str:
    return clip(field.description or name.replace("_", " ").capitalize(), limits.OPTION_DESCRIPTION, render=str)


def parse_args(command: str, model: type[Args], values: dict[str, Any]) -> Args:
    """A command's args from the options given, or a CommandError saying what to fix."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in exc.errors())
        raise CommandError(f"/{command}: {problems}") from None
