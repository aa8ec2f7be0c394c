"""The gateway websocket: HELLO, IDENTIFY/READY, GUILD_CREATE, heartbeats, RESUME, dispatches.

discord.py connects with ``?v=10&encoding=json&compress=zlib-stream`` (or
``zstd-stream`` when a zstd module is installed). zlib-stream is honoured, as
Discord does: one compression context per connection, each message ending in a
Z_SYNC_FLUSH. Other compressions get plain text frames, which discord.py also
accepts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from .changes import Changes
from .world import FakeGuild, FakeUser

log = logging.getLogger("fakediscord")

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, RESUME = 0, 1, 2, 3, 6
RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 7, 8, 9, 10, 11
HEARTBEAT_INTERVAL_MS = 41250

GUILD_MEMBERS_INTENT = 1 << 1
GUILD_MESSAGES_INTENT = 1 << 9
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content

# Close codes, as Discord documents them.
UNKNOWN_OPCODE, DECODE_ERROR, NOT_AUTHENTICATED, AUTHENTICATION_FAILED = 4001, 4002, 4003, 4004
ALREADY_AUTHENTICATED, INVALID_API_VERSION, INVALID_INTENTS, DISALLOWED_INTENTS = 4005, 4012, 4013, 4014


class GatewayConnection:
    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.session: GatewaySession | None = None
        self._compressor = zlib.compressobj() if compress else None
        # One writer at a time: frames share the compression context and must stay ordered.
        self._lock = asyncio.Lock()

    async def send(self, payload: dict) -> None:
        text = json.dumps(payload)
        async with self._lock:
            if self._compressor is None:
                await self.ws.send_str(text)
            else:
                data = self._compressor.compress(text.encode()) + self._compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)

    async def close(self, code: int, reason: str) -> None:
        log.warning("fakediscord gateway: closing with %s (%s)", code, reason)
        await self.ws.close(code=code, message=reason.encode())


@dataclass(eq=False)
class GatewaySession:
    id: str
    intents: int
    seq: int = 0
    sent: list[dict] = field(default_factory=list)  # dispatches, kept so RESUME can replay them
    connection: GatewayConnection | None = None
    presence: dict | None = None

    async def dispatch(self, event: str, data: dict) -> None:
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(frame)
        if self.connection is not None:
            await self.connection.send(frame)


class Gateway:
    def __init__(self, *, token: str, bot: FakeUser, application_id: int, guilds: Callable[[], list[FakeGuild]],
                 changes: Changes, allowed_intents: int) -> None:
        self._token = token
        self._bot = bot
        self._application_id = application_id
        self._guilds = guilds
        self._changes = changes
        self._allowed_intents = allowed_intents
        self.url = ""  # set once the server listens; READY hands it out as resume_gateway_url
        self.sessions: dict[str, GatewaySession] = {}
        self._connections: set[GatewayConnection] = set()

    @property
    def active(self) -> GatewaySession | None:
        """The most recent session with a live connection: where interactions go."""
        live = [s for s in self.sessions.values() if s.connection is not None]
        return live[-1] if live else None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        connection = GatewayConnection(ws, compress=request.query.get("compress") == "zlib-stream")
        self._connections.add(connection)
        try:
            if request.query.get("v") != "10" or request.query.get("encoding") != "json":
                await connection.close(INVALID_API_VERSION, f"unsupported query {dict(request.query)}")
                return ws
            await connection.send({"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS},
                                   "s": None, "t": None})
            async for message in ws:
                try:
                    payload = json.loads(message.data) if message.type == WSMsgType.TEXT else None
                except ValueError:
                    payload = None
                if not isinstance(payload, dict):
                    await connection.close(DECODE_ERROR, f"undecodable {message.type.name} frame")
                    break
                await self._on_payload(connection, payload)
        finally:
            self._connections.discard(connection)
            if connection.session is not None and connection.session.connection is connection:
                connection.session.connection = None
            self._changes.notify()
        return ws

    async def _on_payload(self, connection: GatewayConnection, payload: dict) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            await connection.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(connection, data)
        elif op == RESUME:
            await self._resume(connection, data)
        elif connection.session is None:
            await connection.close(NOT_AUTHENTICATED, f"op {op} before IDENTIFY")
        elif op == PRESENCE_UPDATE:
            connection.session.presence = data
        elif op == REQUEST_GUILD_MEMBERS:
            await self._send_members(connection.session, data)
        else:
            await connection.close(UNKNOWN_OPCODE, f"op {op} is unknown or not modelled by fakediscord")

    async def _identify(self, connection: GatewayConnection, data: dict) -> None:
        if connection.session is not None:
            await connection.close(ALREADY_AUTHENTICATED, "IDENTIFY sent twice")
            return
        if data.get("token") != self._token:
            await connection.close(AUTHENTICATION_FAILED, "IDENTIFY with a wrong token")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await connection.close(INVALID_INTENTS, "IDENTIFY without intents")
            return
        if intents & PRIVILEGED_INTENTS & ~self._allowed_intents:
            await connection.close(DISALLOWED_INTENTS, "privileged intents not enabled for this fake application")
            return
        session = GatewaySession(secrets.token_hex(16), intents, connection=connection,
                                 presence=data.get("presence"))
        connection.session = session
        self.sessions[session.id] = session
        guilds = self._guilds()
        await session.dispatch("READY", {
            "v": 10,
            "user": self._bot.payload() | {"verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {"id": str(self._application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        })
        for guild in guilds:
            await session.dispatch("GUILD_CREATE", guild.create_payload(
                self._bot, with_all_members=bool(intents & GUILD_MEMBERS_INTENT)))
        self._changes.notify()

    async def _resume(self, connection: GatewayConnection, data: dict) -> None:
        session = self.sessions.get(data.get("session_id"))
        if session is None or data.get("token") != self._token:
            # d=false: not resumable, the client must IDENTIFY afresh.
            await connection.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        if session.connection is not None:
            await session.connection.close(4000, "session resumed elsewhere")
        session.connection = connection
        connection.session = session
        for frame in session.sent:
            if frame["s"] > (data.get("seq") or 0):
                await connection.send(frame)
        await session.dispatch("RESUMED", {})
        self._changes.notify()

    async def _send_members(self, session: GatewaySession, data: dict) -> None:
        guild = next((g for g in self._guilds() if str(g.id) == str(data.get("guild_id"))), None)
        if guild is None:
            return
        wanted = {str(i) for i in data.get("user_ids") or []}
        members = [guild.member_payload(m.user) for m in guild.members.values()
                   if not wanted or str(m.user.id) in wanted]
        chunk = {"guild_id": str(guild.id), "members": members, "chunk_index": 0, "chunk_count": 1,
                 "not_found": []}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def request_reconnect(self) -> None:
        """Sends op 7 RECONNECT, as Discord does before moving a session; the client should RESUME."""
        session = self._require_active()
        await session.connection.send({"op": RECONNECT, "d": None, "s": None, "t": None})

    def _require_active(self) -> GatewaySession:
        session = self.active
        if session is None:
            raise RuntimeError("fakediscord: no bot is connected to the gateway")
        return session

    async def dispatch(self, event: str, data: dict) -> None:
        await self._require_active().dispatch(event, data)

    async def dispatch_message_event(self, event: str, data: dict) -> None:
        """MESSAGE_* events go only to sessions that asked for GUILD_MESSAGES."""
        session = self.active
        if session is not None and session.intents & GUILD_MESSAGES_INTENT:
            await session.dispatch(event, data)

    async def close_all(self) -> None:
        for connection in list(self._connections):
            await connection.ws.close(code=1001, message=b"fakediscord shutting down")
