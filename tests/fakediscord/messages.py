"""Messages the bot sent, with every revision, and who they pinged."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock, Snowflakes
from .errors import FormErrors, empty_message, entity_too_large
from .mentions import NOBODY, Mentions, compute_mentions
from .validation import EPHEMERAL, LOADING, SUPPRESS_EMBEDS, validate_message_body
from .world import FakeChannel, FakeUser

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # what an unboosted guild allows a bot
NONCE_MAX_LENGTH = 25
NONCE_WINDOW = 5 * 60.0  # seconds Discord remembers an enforced nonce ("the past few minutes")
DEFAULT, CHAT_INPUT_COMMAND = 0, 20  # message types


@dataclass(frozen=True)
class Upload:
    """A file: a ``files[n]`` part the bot uploaded, or one a test attaches to an option."""

    filename: str
    data: bytes


@dataclass(eq=False)
class FakeAttachment:
    id: int
    filename: str
    data: bytes
    url: str
    description: str | None = None

    def payload(self) -> dict:
        data = {"id": str(self.id), "filename": self.filename, "size": len(self.data),
                "url": self.url, "proxy_url": self.url,
                "content_type": mimetypes.guess_type(self.filename)[0] or "application/octet-stream"}
        if self.description is not None:
            data["description"] = self.description
        return data


@dataclass(eq=False)
class FakeMessage:
    id: int
    channel: FakeChannel
    author: FakeUser
    timestamp: str
    type: int = DEFAULT
    content: str = ""
    embeds: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    flags: int = 0
    tts: bool = False
    attachments: list[FakeAttachment] = field(default_factory=list)
    allowed_mentions: dict | None = None
    mentions: Mentions = NOBODY  # what the current content mentions, as Discord resolves it
    pings: Mentions = NOBODY  # who was notified when the message was delivered
    edited_timestamp: str | None = None
    deleted: bool = False
    webhook_id: int | None = None
    interaction_metadata: dict | None = None
    nonce: str | None = None
    created_at: float = 0.0  # the fake clock's seconds when the message was created
    revisions: list[dict] = field(default_factory=list)  # request bodies, in order

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """A deferred response still showing "thinking…"."""
        return bool(self.flags & LOADING)

    def button(self, custom_id: str) -> dict | None:
        for row in self.components:
            for child in row.get("components", []):
                if child.get("custom_id") == custom_id:
                    return child
        return None

    def payload(self) -> dict:
        guild = self.channel.guild
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "guild_id": str(guild.id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": self.tts,
            "mention_everyone": self.mentions.everyone,
            "mentions": [guild.members[uid].user.payload() for uid in sorted(self.mentions.users)],
            "mention_roles": [str(rid) for rid in sorted(self.mentions.roles)],
            "attachments": [attachment.payload() for attachment in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "reactions": [],
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.nonce is not None:
            data["nonce"] = self.nonce
        return data


class MessageStore:
    """Creates and edits messages from request bodies, applying Discord's field semantics:
    a field absent from an edit is kept, a field sent as null is cleared."""

    def __init__(self, ids: Snowflakes, clock: Clock, bot: FakeUser, cdn_base: Callable[[], str]) -> None:
        self._ids = ids
        self._clock = clock
        self._bot = bot
        self._cdn_base = cdn_base
        self.by_id: dict[int, FakeMessage] = {}
        self.attachments: dict[int, FakeAttachment] = {}

    def register_attachment(self, channel_id: int, filename: str, data: bytes,
                            description: str | None = None) -> FakeAttachment:
        """Stores a file and serves it from the fake CDN, so ``Attachment.read()`` works offline."""
        attachment_id = self._ids.next()
        url = f"{self._cdn_base()}/attachments/{channel_id}/{attachment_id}/{filename}"
        attachment = FakeAttachment(attachment_id, filename, data, url, description)
        self.attachments[attachment_id] = attachment
        return attachment

    def create(self, channel: FakeChannel, body: dict, uploads: dict[int, Upload], *, settable_flags: int,
               path: tuple = (), type: int = DEFAULT, webhook_id: int | None = None,
               interaction_metadata: dict | None = None) -> FakeMessage:
        message = FakeMessage(self._ids.next(), channel, self._bot, self._clock.iso(), type=type,
                              flags=(body.get("flags") or 0) & settable_flags, webhook_id=webhook_id,
                              interaction_metadata=interaction_metadata, created_at=self._clock.now())
        nonce = body.get("nonce")
        message.nonce = None if nonce is None else str(nonce)
        self._apply(message, body, uploads, path)
        self._deliver(message)
        self.by_id[message.id] = message
        return message

    def nonce_repeat(self, channel: FakeChannel, body: dict) -> FakeMessage | None:
        """With ``enforce_nonce``, the bot's message of the past few minutes in this channel
        with the same nonce: Discord returns it instead of creating a second one."""
        nonce = body.get("nonce")
        errors = FormErrors()
        if nonce is not None and not isinstance(nonce, (str, int)) or isinstance(nonce, bool):
            errors.add(("nonce",), "BASE_TYPE_STRING", "Must be a string or an integer.")
        errors.max_length(("nonce",), nonce, NONCE_MAX_LENGTH)
        if body.get("enforce_nonce") and nonce is None:
            errors.add(("nonce",), "BASE_TYPE_REQUIRED", "A nonce is required with enforce_nonce.")
        errors.raise_if_any()
        if not body.get("enforce_nonce"):
            return None
        now = self._clock.now()
        for message in self.by_id.values():
            if (message.channel is channel and message.author is self._bot and message.nonce == str(nonce)
                    and now - message.created_at <= NONCE_WINDOW):
                return message
        return None

    def create_loading(self, channel: FakeChannel, *, ephemeral: bool, type: int, webhook_id: int,
                       interaction_metadata: dict) -> FakeMessage:
        """The placeholder a deferred (type 5) interaction response shows."""
        message = FakeMessage(self._ids.next(), channel, self._bot, self._clock.iso(), type=type,
                              flags=LOADING | (EPHEMERAL if ephemeral else 0), webhook_id=webhook_id,
                              interaction_metadata=interaction_metadata)
        self.by_id[message.id] = message
        return message

    def edit(self, message: FakeMessage, body: dict, uploads: dict[int, Upload], *, path: tuple = ()) -> None:
        self._apply(message, body, uploads, path)
        if body.get("flags") is not None:
            # Only SUPPRESS_EMBEDS can change after sending; Discord ignores the other bits.
            message.flags = (message.flags & ~SUPPRESS_EMBEDS) | (body["flags"] & SUPPRESS_EMBEDS)
        if message.loading:
            # The first edit of a deferred response is when Discord actually posts it.
            message.flags &= ~LOADING
            self._deliver(message)
        else:
            message.edited_timestamp = self._clock.iso()

    def _apply(self, message: FakeMessage, body: dict, uploads: dict[int, Upload], path: tuple) -> None:
        errors = FormErrors()
        validate_message_body(body, errors, path)
        kept, new_uploads = self._plan_attachments(message, body, uploads, errors, path)
        if len(kept) + len(new_uploads) > 10:
            errors.add(path + ("attachments",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        errors.raise_if_any()
        if any(len(upload.data) > ATTACHMENT_SIZE_LIMIT for upload, _ in new_uploads):
            raise entity_too_large()

        content = body.get("content", message.content) or ""
        embeds = body.get("embeds", message.embeds) or []
        components = body.get("components", message.components) or []
        if not (content.strip() or embeds or components or kept or new_uploads):
            raise empty_message()

        message.content, message.embeds, message.components = content, embeds, components
        message.attachments = kept + [
            self.register_attachment(message.channel.id, upload.filename, upload.data, description)
            for upload, description in new_uploads
        ]
        message.tts = bool(body.get("tts", message.tts))
        if "allowed_mentions" in body:
            message.allowed_mentions = body["allowed_mentions"]
        guild = message.channel.guild
        message.mentions = compute_mentions(content, message.allowed_mentions, guild,
                                            guild.permissions_of(self._bot))
        message.revisions.append(body)

    def _plan_attachments(self, message: FakeMessage, body: dict, uploads: dict[int, Upload],
                          errors: FormErrors, path: tuple
                          ) -> tuple[list[FakeAttachment], list[tuple[Upload, str | None]]]:
        """Splits the resulting attachments into kept ones and new uploads.

        ``attachments`` in the body lists what the message keeps: ids of its
        existing attachments, or indexes of ``files[n]`` parts. Without it,
        everything is kept and the uploads are appended.
        """
        if "attachments" not in body:
            return list(message.attachments), [(upload, None) for upload in uploads.values()]
        existing = {a.id: a for a in message.attachments}
        kept, new_uploads = [], []
        for index, entry in enumerate(body["attachments"] or []):
            ref = int(entry.get("id", -1))
            if ref in existing:
                kept.append(existing[ref])
            elif ref in uploads:
                upload = uploads[ref]
                named = Upload(entry.get("filename") or upload.filename, upload.data)
                new_uploads.append((named, entry.get("description")))
            else:
                errors.add(path + ("attachments", index, "id"), "ATTACHMENT_NOT_FOUND",
                           "Unknown attachment or upload")
        return kept, new_uploads

    def _deliver(self, message: FakeMessage) -> None:
        # Ephemeral messages are shown only to the invoker and notify no one.
        message.pings = NOBODY if message.ephemeral else message.mentions

    def in_channel(self, channel_id: int) -> list[FakeMessage]:
        return [m for m in self.by_id.values()
                if m.channel.id == channel_id and not m.ephemeral and not m.deleted]
