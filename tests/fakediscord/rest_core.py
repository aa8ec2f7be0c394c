"""Bot-authenticated routes: identity, gateway discovery, application commands, channels, and the CDN."""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING

from aiohttp import web

from .errors import FormErrors, missing_access, missing_permissions, not_found_route, unknown_channel, unknown_message
from .messages import FakeMessage
from .validation import SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS
from .wire import api_route, json_response, no_content, read_body
from .world import ATTACH_FILES, READ_MESSAGE_HISTORY, SEND_MESSAGES, VIEW_CHANNEL, FakeChannel

if TYPE_CHECKING:
    from .server import FakeDiscord


def add_core_routes(app: web.Application, fake: FakeDiscord) -> None:
    routes = CoreRoutes(fake)
    router = app.router
    router.add_get(api_route("/gateway"), routes.gateway)
    router.add_get(api_route("/gateway/bot"), routes.gateway_bot)
    router.add_get(api_route("/users/@me"), routes.me)
    router.add_get(api_route("/oauth2/applications/@me"), routes.application)
    router.add_get(api_route("/applications/{app}/commands"), routes.get_global_commands)
    router.add_put(api_route("/applications/{app}/commands"), routes.put_global_commands)
    router.add_get(api_route("/applications/{app}/guilds/{guild}/commands"), routes.get_guild_commands)
    router.add_put(api_route("/applications/{app}/guilds/{guild}/commands"), routes.put_guild_commands)
    router.add_get(api_route("/channels/{channel}"), routes.get_channel)
    router.add_get(api_route("/channels/{channel}/messages"), routes.list_messages)
    router.add_post(api_route("/channels/{channel}/messages"), routes.post_message)
    router.add_get(api_route("/channels/{channel}/messages/{message}"), routes.get_message)
    router.add_patch(api_route("/channels/{channel}/messages/{message}"), routes.patch_message)
    router.add_delete(api_route("/channels/{channel}/messages/{message}"), routes.delete_message)
    router.add_get(api_route("/attachments/{channel}/{attachment}/{filename}", prefix=""), routes.cdn_attachment)


class CoreRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    async def gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.fake.gateway.url})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        return json_response({
            "url": self.fake.gateway.url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
        })

    async def me(self, request: web.Request) -> web.Response:
        return json_response(self.fake.bot.payload() | {"verified": True, "mfa_enabled": False, "flags": 0})

    async def application(self, request: web.Request) -> web.Response:
        fake = self.fake
        return json_response({
            "id": str(fake.application_id),
            "name": fake.bot.username,
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": fake.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": fake.bot.payload(),
            "interactions_endpoint_url": None,  # else discord.py warns that it receives no interactions
            "redirect_uris": [],
            "approximate_guild_count": len(fake.guilds),
        })

    # Application commands. Only bulk overwrite is implemented: it is what CommandTree.sync uses.

    def _check_application(self, request: web.Request) -> None:
        if request.match_info["app"] != str(self.fake.application_id):
            raise missing_access()

    def _guild_scope(self, request: web.Request) -> int:
        self._check_application(request)
        guild_id = int(request.match_info["guild"])
        if guild_id not in self.fake.guilds:
            raise missing_access()  # Discord's answer for a guild the app is not in
        return guild_id

    async def get_global_commands(self, request: web.Request) -> web.Response:
        self._check_application(request)
        return json_response(self.fake.commands.list(None))

    async def put_global_commands(self, request: web.Request) -> web.Response:
        self._check_application(request)
        body, _ = await read_body(request)
        return json_response(self.fake.commands.overwrite(None, body))

    async def get_guild_commands(self, request: web.Request) -> web.Response:
        return json_response(self.fake.commands.list(self._guild_scope(request)))

    async def put_guild_commands(self, request: web.Request) -> web.Response:
        scope = self._guild_scope(request)
        body, _ = await read_body(request)
        return json_response(self.fake.commands.overwrite(scope, body))

    # Channels and their messages.

    def _channel(self, request: web.Request, *required: int) -> FakeChannel:
        channel = self.fake.find_channel(int(request.match_info["channel"]))
        if channel is None:
            raise unknown_channel()
        permissions = channel.guild.permissions_of(self.fake.bot)
        if not permissions & VIEW_CHANNEL:
            raise missing_access()
        for permission in required:
            if not permissions & permission:
                raise missing_permissions()
        return channel

    def _message(self, request: web.Request, channel: FakeChannel) -> FakeMessage:
        message = self.fake.messages.by_id.get(int(request.match_info["message"]))
        # Ephemeral messages exist only for their interaction's webhook, not in the channel.
        if message is None or message.channel is not channel or message.deleted or message.ephemeral:
            raise unknown_message()
        return message

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._channel(request).payload())

    async def list_messages(self, request: web.Request) -> web.Response:
        """A channel's messages, newest first, as Discord pages them: ``limit`` 1-100
        (default 50) and at most one of ``before``, ``after``, ``around``."""
        channel = self._channel(request, READ_MESSAGE_HISTORY)
        errors = FormErrors()
        anchors = {k: request.query[k] for k in ("before", "after", "around") if k in request.query}
        raw_limit = request.query.get("limit", "50")
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 100:
            errors.add(("limit",), "NUMBER_TYPE_MAX", "Must be between 1 and 100.")
        for name, value in anchors.items():
            if not value.isdigit():
                errors.add((name,), "NUMBER_TYPE_COERCE", f"Value \"{value}\" is not snowflake.")
        if len(anchors) > 1:
            errors.add(("around",), "BASE_TYPE_BAD_LENGTH", "Only one of before, after and around may be given.")
        errors.raise_if_any()
        limit = int(raw_limit)
        oldest_first = sorted(self.fake.messages.in_channel(channel.id), key=lambda m: m.id)
        if "after" in anchors:
            page = [m for m in oldest_first if m.id > int(anchors["after"])][:limit]
        elif "before" in anchors:
            page = [m for m in oldest_first if m.id < int(anchors["before"])][-limit:]
        elif "around" in anchors:
            pivot = int(anchors["around"])
            older = [m for m in oldest_first if m.id < pivot][-(limit // 2):] if limit > 1 else []
            page = older + [m for m in oldest_first if m.id >= pivot][: limit - len(older)]
        else:
            page = oldest_first[-limit:]
        return json_response([m.payload() for m in reversed(page)])

    async def post_message(self, request: web.Request) -> web.Response:
        body, uploads = await read_body(request)
        channel = self._channel(request, SEND_MESSAGES, *([ATTACH_FILES] if uploads else []))
        repeated = self.fake.messages.nonce_repeat(channel, body)
        if repeated is not None:
            return json_response(repeated.payload())
        message = self.fake.messages.create(channel, body, uploads,
                                            settable_flags=SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS)
        await self.fake.announce("MESSAGE_CREATE", message)
        return json_response(message.payload())

    async def get_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request, READ_MESSAGE_HISTORY)
        return json_response(self._message(request, channel).payload())

    async def patch_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        body, uploads = await read_body(request)
        self.fake.messages.edit(message, body, uploads)
        await self.fake.announce("MESSAGE_UPDATE", message)
        return json_response(message.payload())

    async def delete_message(self, request: web.Request) -> web.Response:
        message = self._message(request, self._channel(request))
        message.deleted = True
        await self.fake.announce("MESSAGE_DELETE", message)
        return no_content()

    async def cdn_attachment(self, request: web.Request) -> web.Response:
        attachment = self.fake.messages.attachments.get(int(request.match_info["attachment"]))
        if attachment is None or attachment.filename != request.match_info["filename"]:
            raise not_found_route()
        content_type = mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
        return web.Response(body=attachment.data, content_type=content_type)
