"""Which corpora a server reads and writes: its own, plus the operator's shared one for reading."""

from __future__ import annotations

from commands.base import CommandError


def guild_corpus(guild_id: int) -> str:
    return f"guild-{guild_id}"


def readable_corpora(guild_id: int | None, shared_corpus: str | None) -> list[str]:
    """A server's own corpus and the shared one; one newsroom never reads another's."""
    return readable_with_shared(guild_corpus(_required(guild_id)), shared_corpus)


def readable_with_shared(own_corpus: str, shared_corpus: str | None) -> list[str]:
    return [own_corpus, *([shared_corpus] if shared_corpus else [])]


def writable_corpus(guild_id: int | None) -> str:
    """Only the server's own corpus: nothing a server does changes what others see."""
    return guild_corpus(_required(guild_id))


def _required(guild_id: int | None) -> int:
    if guild_id is None:
        # Commands are declared guild-only; this guards the code paths, not the users.
        raise CommandError("claimdesk answers in servers, not in direct messages.")
    return guild_id
