"""FakeDiscord: the server, its world, and the API tests drive it with."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord
from aiohttp import web

from .changes import Changes
from .clock import Clock, Snowflakes
from .commands import CommandRegistry
from .gateway import PRIVILEGED_INTENTS, Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    InteractionRecord,
    OptionBuilder,
    Rejection,
    base_payload,
)
from .messages import FakeMessage, MessageStore
from .rest_core import add_core_routes
from .rest_interactions import add_interaction_routes
from .wire import API_PREFIX, RequestRecord, make_middleware
from .world import ADMINISTRATOR, DEFAULT_BOT_PERMISSIONS, FakeChannel, FakeGuild, FakeUser

BUTTON, LINK_STYLE = 2, 5
HUMAN_CLICK_DELAY = 0.05  # seconds


class FakeDiscord:
    """A small Discord: one application/bot, guilds with channels, roles and members.

    Out of the box: guild ``guild`` ("Fake Newsroom", owned by ``owner``) with
    text channel ``channel`` ("#general") and members ``alice`` and ``bob``.
    Shape the world before the bot connects; GUILD_CREATE is sent at IDENTIFY.
    """

    def __init__(self, *, bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
                 allowed_intents: int = PRIVILEGED_INTENTS) -> None:
        self.clock = Clock()
        self.ids = Snowflakes(self.clock)
        self.changes = Changes()
        self.token = f"fakediscord.{secrets.token_urlsafe(24)}"
        self.bot = FakeUser(self.ids.next(), "FakeBot", bot=True)
        self.application_id = self.bot.id  # as for every application created since 2019
        self._bot_permissions = bot_permissions
        self.url = ""  # http://127.0.0.1:PORT once started

        self.guilds: dict[int, FakeGuild] = {}
        self.owner = self.add_user("owner")
        self.guild = self.add_guild("Fake Newsroom", self.owner)
        self.channel = self.guild.add_text_channel("general")
        self.alice = self.add_user("alice")
        self.bob = self.add_user("bob")
        self.guild.add_member(self.alice)
        self.guild.add_member(self.bob)

        self.commands = CommandRegistry(self.clock, self.ids, self.application_id)
        self.messages = MessageStore(self.ids, self.clock, self.bot, cdn_base=lambda: self.url)
        self.gateway = Gateway(token=self.token, bot=self.bot, application_id=self.application_id,
                               guilds=lambda: list(self.guilds.values()), changes=self.changes,
                               allowed_intents=allowed_intents)
        self.interactions: dict[int, InteractionRecord] = {}
        self.requests: list[RequestRecord] = []
        self.rejections: list[Rejection] = []
        self.unhandled_routes: list[str] = []
        self._runner: web.AppRunner | None = None

    # World building.

    def add_user(self, username: str) -> FakeUser:
        return FakeUser(self.ids.next(), username)

    def add_guild(self, name: str, owner: FakeUser) -> FakeGuild:
        guild = FakeGuild(self.ids.next(), name, owner, self.ids, self.clock)
        bot_role = guild.add_role(self.bot.username, self._bot_permissions, bot_id=self.bot.id)
        guild.add_member(self.bot, (bot_role,))
        self.guilds[guild.id] = guild
        return guild

    def find_channel(self, channel_id: int) -> FakeChannel | None:
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return None

    # Lifecycle.

    async def start(self) -> None:
        app = web.Application(middlewares=[make_middleware(self)])
        add_core_routes(app, self)
        add_interaction_routes(app, self)
        app.router.add_get("/gateway", self.gateway.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]  # port 0: the OS picked a free one
        self.url = f"http://127.0.0.1:{port}"
        self.gateway.url = f"ws://127.0.0.1:{port}/gateway"

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return self.url + API_PREFIX

    @property
    def client_kwargs(self) -> dict[str, Any]:
        """Options for ``discord.Client``/``commands.Bot`` that suit the fake."""
        return {
            # discord.py waits this long after the last GUILD_CREATE before READY; the fake sends them at once.
            "guild_ready_timeout": 0.1,
            # Turn a long 429 (e.g. daily command creates) into discord.RateLimited instead of a sleep.
            "max_ratelimit_timeout": 30.0,
        }

    @asynccontextmanager
    async def running(self, client: discord.Client, *, timeout: float = 10.0) -> AsyncIterator[discord.Client]:
        """Starts ``client`` against the fake, yields once it is ready, and closes it on exit."""
        start = asyncio.create_task(client.start(self.token), name="fakediscord: client.start")

        async def ready() -> None:
            await self.changes.wait_until(lambda: self.gateway.active is not None, timeout, "the bot to IDENTIFY")
            await asyncio.wait_for(client.wait_until_ready(), timeout)

        waiter = asyncio.create_task(ready())
        try:
            await asyncio.wait({start, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if start.done():
                waiter.cancel()
                await asyncio.gather(waiter, return_exceptions=True)
                start.result()  # re-raises why the client stopped
                raise RuntimeError("fakediscord: client.start() returned before the client was ready")
            waiter.result()
            yield client
        finally:
            await client.close()
            done, _ = await asyncio.wait({start}, timeout=timeout)
            _cancel_view_timeouts()
            if not done:
                start.cancel()
                raise RuntimeError("fakediscord: client.start() did not return after client.close()")
            if not start.cancelled():
                start.exception()  # retrieved here so a failing test body does not also log it as lost
        start.result()  # the test passed: still surface a crash of the client itself

    async def wait_until(self, predicate: Callable[[], object], timeout: float = 5.0,
                         what: str = "a condition") -> None:
        await self.changes.wait_until(predicate, timeout, what)

    # Injecting interactions, as a user of Discord's client would.

    async def invoke_slash(self, command: str, options: dict[str, Any] | None = None, *,
                           user: FakeUser | None = None, channel: FakeChannel | None = None,
                           locale: str = "en-US") -> InteractionRecord:
        """Runs ``/command`` (``"group sub"`` for sub-commands) with ``options`` typed per the synced
        definition. Returns at once; await ``record.responded()`` or ``record.wait_until(...)``."""
        channel, user = channel or self.channel, user or self.alice
        definition, path = self._command_for(command, channel, user)
        builder = OptionBuilder(channel, user, self.messages.register_attachment)
        data = self._command_data(definition, builder.build(definition, path, options or {}, None), builder)
        return await self._create(APPLICATION_COMMAND, channel, user, data, locale, command=definition)

    async def autocomplete(self, command: str, focused: str, options: dict[str, Any] | None = None, *,
                           user: FakeUser | None = None, channel: FakeChannel | None = None,
                           locale: str = "en-US", timeout: float = 5.0) -> list[dict]:
        """Types into option ``focused`` (its partial text in ``options``) and returns the choices the bot offers."""
        channel, user = channel or self.channel, user or self.alice
        definition, path = self._command_for(command, channel, user)
        builder = OptionBuilder(channel, user, self.messages.register_attachment)
        built = builder.build(definition, path, options or {}, focused)
        record = await self._create(AUTOCOMPLETE, channel, user, self._command_data(definition, built, builder),
                                    locale, command=definition, focused_type=_focused_type(built))
        await record.wait_until(lambda r: r.choices is not None or r.rejections, timeout, "autocomplete choices")
        if record.rejections:
            raise AssertionError(f"fakediscord rejected the autocomplete answer: {record.rejections[0]}")
        return record.choices

    async def click_button(self, message: FakeMessage, custom_id: str, *, user: FakeUser | None = None,
                           locale: str = "en-US") -> InteractionRecord:
        user = user or self.alice
        button = message.button(custom_id)
        if message.deleted or button is None:
            raise LookupError(f"message {message.id} has no component {custom_id!r} (deleted: {message.deleted})")
        if button.get("type") != BUTTON or button.get("style") == LINK_STYLE:
            raise ValueError(f"{custom_id!r} is not a clickable button: {button}")
        if button.get("disabled"):
            raise ValueError(f"button {custom_id!r} is disabled; Discord's client cannot click it")
        if message.ephemeral and message.interaction_metadata["user"]["id"] != str(user.id):
            raise PermissionError("only the invoker can see, and so click, an ephemeral message")
        # discord.py files a View under its message id only once it has read the HTTP response
        # that created the message, which can still be in flight when the fake has recorded it.
        # A person cannot click that fast; a short pause keeps the click from racing the bot.
        await asyncio.sleep(HUMAN_CLICK_DELAY)
        data = {"custom_id": custom_id, "component_type": BUTTON}
        return await self._create(MESSAGE_COMPONENT, message.channel, user, data, locale,
                                  component_message=message, extra={"message": message.payload()})

    def _command_for(self, command: str, channel: FakeChannel, user: FakeUser) -> tuple[dict, list[str]]:
        name, *path = command.split()
        guild = channel.guild
        definition = self.commands.find(guild.id, name)
        if definition is None:
            raise LookupError(f"/{name} is not synced to {guild.name} nor globally; no user could run it")
        required = definition.get("default_member_permissions")
        permissions = guild.permissions_of(user)
        if required is not None and not (permissions & ADMINISTRATOR or
                                         int(required) and permissions & int(required) == int(required)):
            raise PermissionError(f"{user.username} lacks default_member_permissions={required} for /{name}")
        return definition, path

    @staticmethod
    def _command_data(definition: dict, options: list[dict], builder: OptionBuilder) -> dict:
        data = {"id": definition["id"], "name": definition["name"], "type": definition["type"], "options": options}
        if builder.resolved:
            data["resolved"] = builder.resolved
        if "guild_id" in definition:
            data["guild_id"] = definition["guild_id"]
        return data

    async def _create(self, kind: int, channel: FakeChannel, user: FakeUser, data: dict, locale: str, *,
                      extra: dict | None = None, **record_fields: Any) -> InteractionRecord:
        channel.guild.member(user)  # raises if the user is not in the guild
        interaction_id, token = self.ids.next(), secrets.token_urlsafe(48)
        payload = base_payload(interaction_id=interaction_id, application_id=self.application_id, kind=kind,
                               token=token, channel=channel, user=user, bot=self.bot, locale=locale, data=data)
        payload.update(extra or {})
        record = InteractionRecord(interaction_id, token, kind, self.clock.now(), user, channel, payload,
                                   self.changes, **record_fields)
        self.interactions[interaction_id] = record
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        return next((r for r in self.interactions.values() if r.token == token), None)

    # What the bot did.

    def channel_messages(self, channel: FakeChannel | None = None) -> list[FakeMessage]:
        """Messages visible in the channel (not ephemeral, not deleted), oldest first."""
        return self.messages.in_channel((channel or self.channel).id)

    def pinging_messages(self) -> list[FakeMessage]:
        """Every message that notified someone; empty means the bot pinged nobody."""
        return [m for m in self.messages.by_id.values() if m.pings]

    async def announce(self, event: str, message: FakeMessage) -> None:
        """Sends MESSAGE_CREATE/UPDATE/DELETE as Discord would; ephemeral messages have no gateway events."""
        if message.ephemeral:
            return
        if event == "MESSAGE_DELETE":
            data = {"id": str(message.id), "channel_id": str(message.channel.id),
                    "guild_id": str(message.channel.guild.id)}
        else:
            member = message.channel.guild.member_payload(self.bot)
            del member["user"]
            data = message.payload() | {"member": member}
        await self.gateway.dispatch_message_event(event, data)

    async def request_reconnect(self) -> None:
        await self.gateway.request_reconnect()


def _focused_type(options: list[dict]) -> int:
    for option in options:
        if option.get("focused"):
            return option["type"]
        if "options" in option:  # inside a sub-command
            return _focused_type(option["options"])
    raise AssertionError("no focused option was built")


def _cancel_view_timeouts() -> None:
    # discord.py's Client.close() leaves each View's timeout task sleeping (up
    # to 180 s by default). The client is gone, so those views are dead: cancel
    # the tasks so they do not count as leaks.
    for task in asyncio.all_tasks():
        if task.get_coro().__qualname__ == "BaseView.__timeout_task_impl":
            task.cancel()
