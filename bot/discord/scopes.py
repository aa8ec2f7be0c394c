"""Where the slash commands are registered: globally, in one server, or by mistake both.

Discord lists a server's own commands and the global ones side by side, so a server that
has both lists every command twice. That happens to a development server
(``CLAIMDESK_DEV_GUILD``) once ``claimdesk sync`` has also registered the commands
globally; this module finds it and clears one scope or the other.
"""

from __future__ import annotations

import discord
from discord import app_commands

LISTED_TWICE = (
    "server {guild} lists {count} commands twice: they are registered both globally and in that server. "
    "While you develop there, remove the global ones with `claimdesk sync --clear-global`; to serve every "
    "server, unset CLAIMDESK_DEV_GUILD and remove that server's own with `claimdesk sync --clear-guild {guild}`."
)


def _scope(guild_id: int | None) -> discord.Object | None:
    return discord.Object(id=guild_id) if guild_id is not None else None


async def listed_twice(tree: app_commands.CommandTree, guild_id: int) -> int:
    """How many commands the server lists twice, its own and the global one."""
    own = await tree.fetch_commands(guild=_scope(guild_id))
    if not own:
        return 0
    everywhere = await tree.fetch_commands()
    return len({c.name for c in own} & {c.name for c in everywhere})


async def clear_commands(tree: app_commands.CommandTree, guild_id: int | None) -> int:
    """Removes every command registered in one server (or globally); how many there were."""
    registered = await tree.fetch_commands(guild=_scope(guild_id))
    tree.clear_commands(guild=_scope(guild_id))
    await tree.sync(guild=_scope(guild_id))
    return len(registered)
