"""Interaction callbacks and the interaction webhook (followups, ``@original``), with their deadlines.

Rules enforced here, as Discord applies them:

* the initial callback must arrive within 3 s of the interaction, else 404
  Unknown interaction (10062); only one is accepted, a second gets 400 (40060);
* the callback type must suit the interaction (e.g. 7 only for components,
  8 only for autocomplete);
* followups and edits need an initial response and stop working when the
  token expires after 15 min (401, 50027);
* the first followup after a deferred response (type 5) replaces the
  "thinking…" placeholder instead of posting a new message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .errors import (
    FormErrors,
    already_acknowledged,
    invalid_webhook_token,
    unknown_interaction,
    unknown_message,
    unknown_webhook,
)
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    RESPONSE_WINDOW,
    TOKEN_LIFETIME,
    InteractionRecord,
)
from .messages import CHAT_INPUT_COMMAND, DEFAULT, FakeMessage
from .validation import EPHEMERAL, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, validate_choices, validate_modal
from .wire import api_route, json_response, no_content, read_body

if TYPE_CHECKING:
    from .server import FakeDiscord

PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 1, 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
# PONG answers only PING, which Discord sends to HTTP endpoints, never over the gateway.
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
}
NEW_MESSAGE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS


def add_interaction_routes(app: web.Application, fake: FakeDiscord) -> None:
    routes = InteractionRoutes(fake)
    app.router.add_post(api_route("/interactions/{id}/{token}/callback"), routes.callback)
    app.router.add_post(api_route("/webhooks/{app}/{token}"), routes.followup)
    for method in ("GET", "PATCH", "DELETE"):
        # {ref} is a message id or "@original"
        app.router.add_route(method, api_route("/webhooks/{app}/{token}/messages/{ref}"), routes.message)


class InteractionRoutes:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake

    async def callback(self, request: web.Request) -> web.Response:
        arrived = self.fake.clock.now()
        record = self.fake.interactions.get(int(request.match_info["id"]))
        if record is None or record.token != request.match_info["token"]:
            raise unknown_interaction()
        request["interaction"] = record
        if record.callback_at is None:
            record.callback_at = arrived
        body, uploads = await read_body(request)
        if self.fake.clock.now() - record.created_at > RESPONSE_WINDOW:
            raise unknown_interaction()
        if record.response_type is not None:
            raise already_acknowledged()
        kind = body.get("type")
        if kind not in ALLOWED_CALLBACKS[record.type]:
            errors = FormErrors()
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID",
                       f"Response type {kind} is not valid for interaction type {record.type}")
            errors.raise_if_any()
        message, event = self._apply_callback(record, kind, body.get("data") or {}, uploads)
        # Recorded before any await, so a concurrent second callback sees it acknowledged.
        record.response_type = kind
        record.callback_body = body
        if kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            record.answered_at = arrived
        if event is not None:
            await self.fake.announce(event, message)
        if "with_response" not in request.query:
            return no_content()
        return json_response(self._callback_response(record, kind, message))

    def _apply_callback(self, record: InteractionRecord, kind: int, data: dict, uploads: dict
                        ) -> tuple[FakeMessage | None, str | None]:
        """Applies an accepted callback; returns the message it concerns and the gateway event to send."""
        messages = self.fake.messages
        if kind == CHANNEL_MESSAGE:
            record.original = messages.create(record.channel, data, uploads, settable_flags=NEW_MESSAGE_FLAGS,
                                              path=("data",), **self._message_origin(record))
            return record.original, "MESSAGE_CREATE"
        if kind == DEFERRED_CHANNEL_MESSAGE:
            ephemeral = bool((data.get("flags") or 0) & EPHEMERAL)
            record.original = messages.create_loading(record.channel, ephemeral=ephemeral,
                                                      **self._message_origin(record))
            return record.original, "MESSAGE_CREATE"
        if kind == DEFERRED_UPDATE:
            record.original = record.component_message
            return record.original, None
        if kind == UPDATE_MESSAGE:
            messages.edit(record.component_message, data, uploads, path=("data",))
            record.original = record.component_message
            return record.original, "MESSAGE_UPDATE"
        errors = FormErrors()
        if kind == AUTOCOMPLETE_RESULT:
            validate_choices(errors, ("data", "choices"), data.get("choices"), record.focused_type)
            errors.raise_if_any()
            record.choices = data["choices"]
        else:
            validate_modal(errors, ("data",), data)
            errors.raise_if_any()
            record.modal = data
        return None, None

    def _message_origin(self, record: InteractionRecord) -> dict:
        """Fields that mark a message as sent in answer to this interaction."""
        metadata = {
            "id": str(record.id),
            "type": record.type,
            "user": record.user.payload(),
            "authorizing_integration_owners": {"0": str(record.channel.guild.id)},
        }
        if record.component_message is not None:
            metadata["interacted_message_id"] = str(record.component_message.id)
        return {
            "type": CHAT_INPUT_COMMAND if record.type == APPLICATION_COMMAND else DEFAULT,
            "webhook_id": self.fake.application_id,
            "interaction_metadata": metadata,
        }

    def _callback_response(self, record: InteractionRecord, kind: int, message: FakeMessage | None) -> dict:
        interaction = {"id": str(record.id), "type": record.type}
        resource: dict = {"type": kind}
        if message is not None:
            interaction |= {"response_message_id": str(message.id), "response_message_loading": message.loading,
                            "response_message_ephemeral": message.ephemeral}
            resource["message"] = message.payload()
        return {"interaction": interaction, "resource": resource}

    # The interaction webhook.

    def _record(self, request: web.Request) -> InteractionRecord:
        if request.match_info["app"] != str(self.fake.application_id):
            raise unknown_webhook()
        record = self.fake.interaction_by_token(request.match_info["token"])
        if record is None:
            raise invalid_webhook_token()
        request["interaction"] = record
        if self.fake.clock.now() - record.created_at > TOKEN_LIFETIME:
            raise invalid_webhook_token()
        return record

    async def followup(self, request: web.Request) -> web.Response:
        record = self._record(request)
        body, uploads = await read_body(request)
        if record.response_type not in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE):
            raise unknown_webhook()  # nothing to follow up yet (or an autocomplete/modal answer)
        original = record.original
        if original is not None and original.loading:
            # Discord turns the first followup after a defer into the deferred message itself;
            # its visibility is the one chosen when deferring.
            self.fake.messages.edit(original, body, uploads)
            message = original
            await self.fake.announce("MESSAGE_UPDATE", message)
        else:
            message = self.fake.messages.create(record.channel, body, uploads, settable_flags=NEW_MESSAGE_FLAGS,
                                                **self._message_origin(record))
            await self.fake.announce("MESSAGE_CREATE", message)
        record.followups.append(message)
        record.answered_at = self.fake.clock.now()
        if request.query.get("wait") not in ("1", "true", "True"):
            return no_content()
        return json_response(message.payload())

    async def message(self, request: web.Request) -> web.Response:
        record = self._record(request)
        message = self._target(record, request.match_info["ref"])
        if request.method == "GET":
            return json_response(message.payload())
        if request.method == "DELETE":
            message.deleted = True
            await self.fake.announce("MESSAGE_DELETE", message)
            return no_content()
        body, uploads = await read_body(request)
        self.fake.messages.edit(message, body, uploads)
        record.answered_at = self.fake.clock.now()
        await self.fake.announce("MESSAGE_UPDATE", message)
        return json_response(message.payload())

    def _target(self, record: InteractionRecord, message_ref: str) -> FakeMessage:
        if message_ref == "@original":
            message = record.original
        else:
            message = next((m for m in record.messages if str(m.id) == message_ref), None)
        if message is None or message.deleted:
            raise unknown_message()
        return message
