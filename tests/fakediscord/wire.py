"""HTTP plumbing shared by the route modules: bodies in, Discord-shaped responses out."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import DiscordError, not_found_route, unauthorized
from .interactions import Rejection
from .messages import Upload

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger("fakediscord")

API_PREFIX = "/api/v10"
FILE_FIELD = re.compile(r"files\[(\d+)\]")
# Interaction callbacks and interaction webhooks authenticate by their token, not the bot's.
FREE_FORM = ("token", "ref", "filename")
TOKEN_AUTHENTICATED = re.compile(rf"{API_PREFIX}/(interactions|webhooks)/")


def api_route(path: str, prefix: str = API_PREFIX) -> str:
    """Route pattern with id placeholders restricted to digits, so a malformed id is an
    unknown route rather than a crash; ``{token}``, ``{ref}`` and ``{filename}`` stay free-form."""
    return prefix + re.sub(r"\{(\w+)\}", lambda m: m[0] if m[1] in FREE_FORM else f"{{{m[1]}:\\d+}}", path)


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    status: int


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py only parses JSON when Content-Type is exactly "application/json"
    # (aiohttp's json_response would append "; charset=utf-8").
    return web.Response(body=json.dumps(data).encode(), status=status, content_type="application/json",
                        headers=headers)


def no_content() -> web.Response:
    return web.Response(status=204)


async def read_body(request: web.Request) -> tuple[dict, dict[int, Upload]]:
    """A JSON body, or discord.py's multipart form: ``payload_json`` plus ``files[n]`` parts."""
    if request.content_type == "multipart/form-data":
        payload: dict = {}
        uploads: dict[int, Upload] = {}
        async for part in await request.multipart():
            match = FILE_FIELD.fullmatch(part.name or "")
            if part.name == "payload_json":
                payload = _parse_json(await part.text())
            elif match:
                uploads[int(match[1])] = Upload(part.filename or "unknown", bytes(await part.read()))
            else:
                raise DiscordError(400, 50035, f"Invalid Form Body (unexpected multipart field {part.name!r})")
        return payload, uploads
    if not request.body_exists:
        return {}, {}
    if request.content_type != "application/json":
        raise DiscordError(400, 50035, f"Invalid Form Body (Content-Type {request.content_type!r})")
    return _parse_json(await request.text()), {}


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None


def make_middleware(fake: FakeDiscord) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                         ) -> web.StreamResponse:
        route = f"{request.method} {request.path}"
        try:
            if request.match_info.http_exception is not None:
                # Loud on purpose: a route the fake lacks must not look like a passing test.
                log.error("fakediscord: unhandled route %s (the fake does not implement it)", route)
                fake.unhandled_routes.append(route)
                raise not_found_route()
            needs_bot_auth = request.path.startswith(API_PREFIX) and not TOKEN_AUTHENTICATED.match(request.path)
            if needs_bot_auth and request.headers.get("Authorization") != f"Bot {fake.token}":
                raise unauthorized()
            response = await handler(request)
        except DiscordError as error:
            log.info("fakediscord: %s rejected: %s %s", route, error.status, error.body())
            rejection = Rejection(request.method, request.path, error.status, error.body())
            fake.rejections.append(rejection)
            record = request.get("interaction")
            if record is not None:
                record.rejections.append(rejection)
            # discord.py treats a 429 without Via as a Cloudflare ban rather than a rate limit.
            headers = {"Via": "1.1 google"} if error.status == 429 else None
            response = json_response(error.body(), error.status, headers)
        fake.requests.append(RequestRecord(request.method, request.path, response.status))
        fake.changes.notify()
        return response

    return middleware
