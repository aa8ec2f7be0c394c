"""Who a message mentions, following Discord's allowed_mentions rules.

* ``allowed_mentions`` absent: everything in the content parses.
* present: only the kinds listed in ``parse`` parse, plus the ids listed in
  ``users`` / ``roles``; ``{"parse": []}`` parses nothing.
* ``@everyone``/``@here`` and roles that are not mentionable only parse when
  the author (the bot) has Mention Everyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FormErrors
from .world import MENTION_EVERYONE, FakeGuild

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
EVERYONE_MENTION = re.compile(r"@(?:everyone|here)")
PARSE_KINDS = ("everyone", "roles", "users")


@dataclass(frozen=True)
class Mentions:
    users: frozenset[int] = frozenset()
    roles: frozenset[int] = frozenset()
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.users or self.roles or self.everyone)


NOBODY = Mentions()


def validate_allowed_mentions(errors: FormErrors, path: tuple, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = value.get("parse", [])
    for index, kind in enumerate(parse):
        if kind not in PARSE_KINDS:
            errors.add(path + ("parse", index), "BASE_TYPE_CHOICES",
                       f"Value must be one of {set(PARSE_KINDS)}.")
    for kind in ("users", "roles"):
        listed = value.get(kind)
        errors.max_items(path + (kind,), listed, 100)
        if listed and kind in parse:
            errors.add(path, "ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                       f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.')


def compute_mentions(content: str, allowed: dict | None, guild: FakeGuild, author_permissions: int) -> Mentions:
    if allowed is None:
        allowed = {"parse": list(PARSE_KINDS)}
    parse = set(allowed.get("parse", []))
    listed_users = {int(i) for i in allowed.get("users", [])}
    listed_roles = {int(i) for i in allowed.get("roles", [])}
    can_mention_everyone = bool(author_permissions & MENTION_EVERYONE)

    users = {
        int(raw) for raw in USER_MENTION.findall(content)
        if int(raw) in guild.members and ("users" in parse or int(raw) in listed_users)
    }
    roles = set()
    for raw in ROLE_MENTION.findall(content):
        role = guild.roles.get(int(raw))
        if role is None or not ("roles" in parse or role.id in listed_roles):
            continue
        if role.mentionable or can_mention_everyone:
            roles.add(role.id)
    everyone = "everyone" in parse and can_mention_everyone and bool(EVERYONE_MENTION.search(content))
    return Mentions(frozenset(users), frozenset(roles), everyone)
