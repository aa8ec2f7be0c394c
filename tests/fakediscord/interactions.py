"""INTERACTION_CREATE payloads, and the record of how the bot answered each one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .changes import Changes
from .commands import CHANNEL, INTEGER, NUMBER, STRING, SUB_COMMAND, SUB_COMMAND_GROUP
from .messages import ATTACHMENT_SIZE_LIMIT, FakeAttachment, FakeMessage, Upload
from .world import FakeChannel, FakeRole, FakeUser

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE = 2, 3, 4
BOOLEAN, USER, ROLE, MENTIONABLE, ATTACHMENT = 5, 6, 8, 9, 11
RESPONSE_WINDOW = 3.0  # seconds Discord waits for the initial callback
TOKEN_LIFETIME = 15 * 60.0  # seconds the interaction token accepts followups and edits


@dataclass(frozen=True)
class Rejection:
    """A request the fake refused, with the error body it returned."""

    method: str
    path: str
    status: int
    body: dict

    @property
    def code(self) -> int:
        return self.body.get("code", 0)


@dataclass(eq=False)
class InteractionRecord:
    id: int
    token: str
    type: int
    created_at: float  # fake clock seconds
    user: FakeUser
    channel: FakeChannel
    payload: dict = field(repr=False)  # the INTERACTION_CREATE data as dispatched
    _changes: Changes = field(repr=False)
    command: dict | None = None  # the stored definition, for application commands and autocomplete
    focused_type: int | None = None  # option type of the focused option, for autocomplete
    component_message: FakeMessage | None = None  # the message whose component was used
    response_type: int | None = None  # the initial callback's type, once accepted
    callback_at: float | None = None  # fake clock when the first initial callback arrived, accepted or refused
    answered_at: float | None = None  # fake clock when the bot last sent or edited a message for it
    callback_body: dict | None = None
    original: FakeMessage | None = None  # what ``@original`` refers to
    followups: list[FakeMessage] = field(default_factory=list)
    choices: list[dict] | None = None  # autocomplete result
    modal: dict | None = None
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def messages(self) -> list[FakeMessage]:
        """Every message of this interaction, original first, without duplicates."""
        result = [self.original] if self.original is not None else []
        return result + [m for m in self.followups if m is not self.original]

    async def wait_until(self, predicate: Callable[[InteractionRecord], object], timeout: float = 5.0,
                         what: str = "a condition on the interaction") -> InteractionRecord:
        await self._changes.wait_until(lambda: predicate(self), timeout, what)
        return self

    async def responded(self, timeout: float = 5.0) -> InteractionRecord:
        """Waits until the bot's initial callback was accepted or rejected."""
        return await self.wait_until(lambda r: r.response_type is not None or r.rejections, timeout,
                                     f"the initial response to interaction {self.id}")


def base_payload(*, interaction_id: int, application_id: int, kind: int, token: str, channel: FakeChannel,
                 user: FakeUser, bot: FakeUser, locale: str, data: dict) -> dict:
    guild = channel.guild
    return {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": kind,
        "data": data,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.locale, "features": []},
        "channel_id": str(channel.id),
        "channel": channel.payload() | {"permissions": str(guild.permissions_of(user))},
        "member": guild.member_payload(user, permissions=True),
        "token": token,
        "version": 1,
        "app_permissions": str(guild.permissions_of(bot)),
        "locale": locale,
        "guild_locale": guild.locale,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }


class OptionBuilder:
    """Turns ``{"query": "troops"}`` into typed ``data.options`` plus ``data.resolved``,
    checked against the synced definition the way Discord's client would enforce it.

    Mistakes here are mistakes in the test, so they raise ``ValueError``/``TypeError``.
    """

    def __init__(self, channel: FakeChannel, user: FakeUser,
                 register_attachment: Callable[[int, str, bytes], FakeAttachment]) -> None:
        self._channel = channel
        self._user = user
        self._register_attachment = register_attachment
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(self, command: dict, path: list[str], given: dict[str, Any], focused: str | None) -> list[dict]:
        definitions = command.get("options") or []
        if not path:
            return self._values(definitions, given, focused)
        name, rest = path[0], path[1:]
        group = next((o for o in definitions if o["name"] == name
                      and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None)
        if group is None:
            raise ValueError(f"/{command['name']} has no sub-command {name!r}")
        if group["type"] == SUB_COMMAND_GROUP and not rest:
            raise ValueError(f"{name!r} is a sub-command group; name one of its sub-commands")
        return [{"type": group["type"], "name": name, "options": self.build(group, rest, given, focused)}]

    def _values(self, definitions: list[dict], given: dict[str, Any], focused: str | None) -> list[dict]:
        by_name = {o["name"]: o for o in definitions}
        if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in definitions):
            raise ValueError(f"a sub-command is required; choose one of {sorted(by_name)}")
        unknown = set(given) - set(by_name)
        if unknown:
            raise ValueError(f"unknown options {sorted(unknown)}; the command defines {sorted(by_name)}")
        options = []
        for definition in definitions:
            name = definition["name"]
            if name == focused:
                if not definition.get("autocomplete"):
                    raise ValueError(f"option {name!r} does not have autocomplete enabled")
                # While typing, Discord sends the partial input as a string whatever the type.
                options.append({"type": definition["type"], "name": name, "value": str(given.get(name, "")),
                                "focused": True})
            elif name in given:
                options.append({"type": definition["type"], "name": name,
                                "value": self._value(definition, given[name])})
            elif definition.get("required") and focused is None:
                raise ValueError(f"required option {name!r} is missing")
        return options

    def _value(self, definition: dict, value: Any) -> Any:
        kind, name = definition["type"], definition["name"]
        expected = {STRING: str, INTEGER: int, BOOLEAN: bool, NUMBER: (int, float), USER: FakeUser,
                    CHANNEL: FakeChannel, ROLE: FakeRole, MENTIONABLE: (FakeUser, FakeRole), ATTACHMENT: Upload}[kind]
        if not isinstance(value, expected) or (kind in (INTEGER, NUMBER) and isinstance(value, bool)):
            raise TypeError(f"option {name!r} needs {expected}, got {value!r}")
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(f"{value!r} is not one of the choices of {name!r}")
        if kind in (INTEGER, NUMBER):
            low, high = definition.get("min_value"), definition.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"{value!r} is outside [{low}, {high}] for {name!r}")
            return value
        if kind == STRING:
            if not definition.get("min_length", 0) <= len(value) <= definition.get("max_length", 6000):
                raise ValueError(f"{value!r} has a length Discord's client would refuse for {name!r}")
            return value
        if kind == BOOLEAN:
            return value
        return self._resolve(definition, value)

    def _resolve(self, definition: dict, value: Any) -> str:
        guild = self._channel.guild
        if isinstance(value, FakeUser):
            self.resolved.setdefault("users", {})[str(value.id)] = value.payload()
            if value.id in guild.members:
                member = guild.member_payload(value, permissions=True)
                del member["user"]
                self.resolved.setdefault("members", {})[str(value.id)] = member
            return str(value.id)
        if isinstance(value, FakeRole):
            self.resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if isinstance(value, FakeChannel):
            allowed = definition.get("channel_types")
            if allowed and value.type not in allowed:
                raise ValueError(f"channel type {value.type} is not allowed for {definition['name']!r}")
            data = value.payload() | {"permissions": str(guild.permissions_of(self._user))}
            self.resolved.setdefault("channels", {})[str(value.id)] = data
            return str(value.id)
        attachment = self._register_attachment(self._channel.id, value.filename, value.data)
        self.resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.payload()
        return str(attachment.id)
