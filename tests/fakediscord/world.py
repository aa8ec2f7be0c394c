"""The fake's guilds, channels, roles and users, and their JSON payloads.

Permission overwrites are not modelled: a member's permissions in any channel
are the union of their roles' permissions (all of them for the owner or an
administrator).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clock import Clock, Snowflakes

# Permission bits the fake checks or hands out; values from Discord's docs.
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
ALL_PERMISSIONS = (1 << 51) - 1

DEFAULT_EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | EMBED_LINKS | ATTACH_FILES | ADD_REACTIONS
    | USE_EXTERNAL_EMOJIS | USE_APPLICATION_COMMANDS
)
# MENTION_EVERYONE is included on purpose: with it, a bot that forgets to
# restrict allowed_mentions visibly pings @everyone in the records.
DEFAULT_BOT_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | EMBED_LINKS | ATTACH_FILES | MENTION_EVERYONE
)

GUILD_TEXT = 0


@dataclass(eq=False)
class FakeUser:
    id: int
    username: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": None if self.bot else self.username.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass(eq=False)
class FakeRole:
    id: int
    name: str
    permissions: int
    position: int = 0
    mentionable: bool = False
    bot_id: int | None = None  # set for the managed role Discord gives a bot

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> dict:
        data = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.bot_id is not None,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass(eq=False)
class FakeChannel:
    id: int
    guild: FakeGuild
    name: str
    position: int = 0
    type: int = GUILD_TEXT

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self) -> dict:
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass(eq=False)
class FakeMember:
    user: FakeUser
    roles: list[FakeRole]
    joined_at: str


@dataclass(eq=False)
class FakeGuild:
    id: int
    name: str
    owner: FakeUser
    _ids: Snowflakes
    _clock: Clock
    locale: str = "en-US"
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Discord gives @everyone the guild's own id.
        self.roles[self.id] = FakeRole(self.id, "@everyone", DEFAULT_EVERYONE_PERMISSIONS)
        self.add_member(self.owner)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    def add_role(self, name: str, permissions: int = 0, *, mentionable: bool = False,
                 bot_id: int | None = None) -> FakeRole:
        role = FakeRole(self._ids.next(), name, permissions, len(self.roles), mentionable, bot_id)
        self.roles[role.id] = role
        return role

    def add_text_channel(self, name: str) -> FakeChannel:
        channel = FakeChannel(self._ids.next(), self, name, len(self.channels))
        self.channels[channel.id] = channel
        return channel

    def add_member(self, user: FakeUser, roles: tuple[FakeRole, ...] = ()) -> FakeMember:
        member = FakeMember(user, list(roles), self._clock.iso())
        self.members[user.id] = member
        return member

    def member(self, user: FakeUser) -> FakeMember:
        try:
            return self.members[user.id]
        except KeyError:
            raise LookupError(f"{user.username} is not a member of {self.name}") from None

    def permissions_of(self, user: FakeUser) -> int:
        if user.id == self.owner.id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role in self.member(user).roles:
            value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def member_payload(self, user: FakeUser, *, permissions: bool = False) -> dict:
        member = self.member(user)
        data = {
            "user": user.payload(),
            "roles": [str(role.id) for role in member.roles],
            "nick": None,
            "avatar": None,
            "joined_at": member.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if permissions:
            # Interactions carry the invoker's resolved permissions in the channel.
            data["permissions"] = str(self.permissions_of(user))
        return data

    def create_payload(self, bot: FakeUser, *, with_all_members: bool) -> dict:
        """GUILD_CREATE. Without the GUILD_MEMBERS intent Discord sends only the bot's member."""
        members = self.members.values() if with_all_members else [self.member(bot)]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [role.payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "preferred_locale": self.locale,
            "premium_tier": 0,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": self.member(bot).joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [self.member_payload(m.user) for m in members],
            "channels": [channel.payload() for channel in self.channels.values()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
