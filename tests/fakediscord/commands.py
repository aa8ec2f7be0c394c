"""Application command definitions: Discord's validation rules and the stored registry."""

from __future__ import annotations

import unicodedata
from typing import Any

from .clock import Clock, Snowflakes
from .errors import FormErrors, daily_command_creates_exhausted, not_modelled
from .validation import check_choice_value

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, CHANNEL, NUMBER = 3, 4, 7, 10
CHOICE_TYPES = (STRING, INTEGER, NUMBER)
# Per scope (global, or one guild). Context menus were raised from 5 to 15.
MAX_COMMANDS = {CHAT_INPUT: 100, USER: 15, MESSAGE: 15}
DAILY_CREATES = 200
DAY = 24 * 60 * 60


def _is_name_char(char: str) -> bool:
    # Discord: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ (Python's re has no \p{...}).
    return (unicodedata.category(char)[0] in "LN" or char in "-_'"
            or "\u0900" <= char <= "\u097f" or "\u0e00" <= char <= "\u0e7f")


def _check_chat_name(errors: FormErrors, path: tuple, name: Any) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= 32 or not all(map(_is_name_char, name)):
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    elif name != name.lower():
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name must be lowercase")


def _text_size(node: dict) -> int:
    """Characters counted towards Discord's 4,000 combined limit of a command."""
    size = len(node.get("name") or "") + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        size += len(choice.get("name") or "") + len(str(choice.get("value")))
    return size + sum(_text_size(option) for option in node.get("options") or [])


def validate_commands(payload: Any) -> None:
    errors = FormErrors()
    if not isinstance(payload, list):
        errors.add((), "BASE_TYPE_LIST", "Must be a list.")
        errors.raise_if_any()
    seen: set[tuple[int, str]] = set()
    counts = dict.fromkeys(MAX_COMMANDS, 0)
    for index, command in enumerate(payload):
        path = (index,)
        kind = command.get("type", CHAT_INPUT)
        if kind not in MAX_COMMANDS:
            raise not_modelled(f"application command type {kind}")
        counts[kind] += 1
        name = command.get("name")
        if (kind, name) in seen:
            errors.add(path + ("name",), "APPLICATION_COMMANDS_DUPLICATE_NAME",
                       f"Application command names must be unique: {name}")
        seen.add((kind, name))
        if kind == CHAT_INPUT:
            _check_chat_name(errors, path + ("name",), name)
            errors.length_between(path + ("description",), command.get("description"), 1, 100)
            _validate_options(errors, path + ("options",), command.get("options") or [], depth=0)
            if _text_size(command) > 4000:
                errors.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")
        else:
            errors.length_between(path + ("name",), name, 1, 32)
            if command.get("description"):
                errors.add(path + ("description",), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                           "Context menu commands cannot have a description")
            if command.get("options"):
                errors.add(path + ("options",), "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                           "Only chat input commands can have options")
    for kind, count in counts.items():
        if count > MAX_COMMANDS[kind]:
            errors.add((), "APPLICATION_COMMANDS_TOO_MANY",
                       f"Maximum number of application commands of type {kind} reached ({MAX_COMMANDS[kind]})")
    errors.raise_if_any()


def _validate_options(errors: FormErrors, path: tuple, options: list, *, depth: int) -> None:
    errors.max_items(path, options, 25)
    subcommands = [o for o in options if o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if subcommands and len(subcommands) != len(options):
        errors.add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                   "Sub-commands and sub-command groups cannot be mixed with other options")
    names: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        option_path = path + (index,)
        kind = option.get("type")
        _check_chat_name(errors, option_path + ("name",), option.get("name"))
        errors.length_between(option_path + ("description",), option.get("description"), 1, 100)
        if option.get("name") in names:
            errors.add(option_path + ("name",), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                       "Option names must be unique")
        names.add(option.get("name"))
        if kind == SUB_COMMAND_GROUP:
            _validate_nesting(errors, option_path, option, depth, allowed_children=(SUB_COMMAND,))
        elif kind == SUB_COMMAND:
            _validate_nesting(errors, option_path, option, depth, allowed_children=())
        elif kind in range(3, 12):
            if option.get("required"):
                if optional_seen:
                    errors.add(option_path + ("required",), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                               "Required options must be placed before non-required options")
            else:
                optional_seen = True
            _validate_value_option(errors, option_path, option)
        else:
            errors.add(option_path + ("type",), "BASE_TYPE_CHOICES", "Value must be one of 1..11.")


def _validate_nesting(errors: FormErrors, path: tuple, option: dict, depth: int,
                      allowed_children: tuple[int, ...]) -> None:
    # Only the command itself may hold groups, and groups hold only sub-commands.
    if depth > (0 if allowed_children else 1):
        errors.add(path + ("type",), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                   "Sub-command nesting is too deep")
    children = option.get("options") or []
    for index, child in enumerate(children):
        if child.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) and child.get("type") not in allowed_children:
            errors.add(path + ("options", index, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                       "Invalid sub-command nesting")
        elif allowed_children and child.get("type") not in allowed_children:
            errors.add(path + ("options", index, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                       "Sub-command groups may only contain sub-commands")
    _validate_options(errors, path + ("options",), children, depth=depth + 1)


def _validate_value_option(errors: FormErrors, path: tuple, option: dict) -> None:
    kind = option["type"]
    choices = option.get("choices")
    if choices:
        if kind not in CHOICE_TYPES:
            errors.add(path + ("choices",), "APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED",
                       "Choices are only allowed for string, integer and number options")
        if option.get("autocomplete"):
            errors.add(path + ("autocomplete",), "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
                       "Autocomplete and choices cannot both be set")
        errors.max_items(path + ("choices",), choices, 25)
        for index, choice in enumerate(choices):
            errors.length_between(path + ("choices", index, "name"), choice.get("name"), 1, 100)
            check_choice_value(errors, path + ("choices", index, "value"), choice.get("value"), kind)
    if option.get("autocomplete") and kind not in CHOICE_TYPES:
        errors.add(path + ("autocomplete",), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_NOT_ALLOWED",
                   "Autocomplete is only allowed for string, integer and number options")
    if kind not in (INTEGER, NUMBER) and ("min_value" in option or "max_value" in option):
        errors.add(path, "APPLICATION_COMMAND_OPTION_RANGE_NOT_ALLOWED",
                   "min_value/max_value are only allowed for integer and number options")
    for bound in ("min_length", "max_length"):
        if bound in option:
            if kind != STRING:
                errors.add(path + (bound,), "APPLICATION_COMMAND_OPTION_LENGTH_NOT_ALLOWED",
                           "Lengths are only allowed for string options")
            elif not 0 <= option[bound] <= 6000:
                errors.add(path + (bound,), "NUMBER_TYPE_MAX", "int value should be less than or equal to 6000.")
    if "channel_types" in option and kind != CHANNEL:
        errors.add(path + ("channel_types",), "APPLICATION_COMMAND_OPTION_CHANNEL_TYPES_NOT_ALLOWED",
                   "channel_types is only allowed for channel options")


class CommandRegistry:
    """Commands per scope (``None`` for global, else a guild id), as bulk overwrites leave them."""

    def __init__(self, clock: Clock, ids: Snowflakes, application_id: int) -> None:
        self._clock = clock
        self._ids = ids
        self._application_id = application_id
        self._scopes: dict[int | None, dict[tuple[int, str], dict]] = {}
        self._creates: dict[int | None, list[float]] = {}
        self.overwrites: list[tuple[int | None, list[dict]]] = []  # every accepted payload, in order

    def overwrite(self, scope: int | None, payload: Any) -> list[dict]:
        validate_commands(payload)
        current = self._scopes.get(scope, {})
        keys = [(c.get("type", CHAT_INPUT), c["name"]) for c in payload]
        self._count_creates(scope, sum(key not in current for key in keys))
        stored = {}
        for key, command in zip(keys, payload, strict=True):
            previous = current.get(key)
            command_id = previous["id"] if previous else str(self._ids.next())
            stored[key] = self._stored_form(scope, command_id, command)
        self._scopes[scope] = stored
        self.overwrites.append((scope, payload))
        return list(stored.values())

    def _count_creates(self, scope: int | None, new: int) -> None:
        # Only commands that did not exist count; Discord allows 200 per day per scope.
        now = self._clock.now()
        window = [t for t in self._creates.get(scope, []) if now - t < DAY]
        if len(window) + new > DAILY_CREATES:
            raise daily_command_creates_exhausted(retry_after=round(window[0] + DAY - now, 3))
        self._creates[scope] = window + [now] * new

    def _stored_form(self, scope: int | None, command_id: str, command: dict) -> dict:
        stored = {
            "id": command_id,
            "application_id": str(self._application_id),
            "version": str(self._ids.next()),
            "type": command.get("type", CHAT_INPUT),
            "name": command["name"],
            "name_localizations": command.get("name_localizations"),
            "description": command.get("description") or "",
            "description_localizations": command.get("description_localizations"),
            "default_member_permissions": command.get("default_member_permissions"),
            "nsfw": command.get("nsfw", False),
            "contexts": command.get("contexts"),
            "integration_types": command.get("integration_types") or [0],
        }
        if command.get("options"):
            stored["options"] = command["options"]
        if scope is None:
            stored["dm_permission"] = command.get("dm_permission", True)
        else:
            stored["guild_id"] = str(scope)
        return stored

    def list(self, scope: int | None) -> list[dict]:
        return list(self._scopes.get(scope, {}).values())

    def listed(self, guild_id: int) -> list[str]:
        """The slash commands a member of that guild is offered, by name: the guild's own and
        the global ones side by side, as Discord lists them, so a name registered in both
        scopes is there twice."""
        return sorted(command["name"] for scope in (guild_id, None)
                      for (kind, _), command in self._scopes.get(scope, {}).items() if kind == CHAT_INPUT)

    def find(self, guild_id: int, name: str, kind: int = CHAT_INPUT) -> dict | None:
        """What a user in that guild would pick: the guild's command, else the global one."""
        for scope in (guild_id, None):
            command = self._scopes.get(scope, {}).get((kind, name))
            if command is not None:
                return command
        return None
