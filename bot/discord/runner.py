"""``claimdesk run`` and ``claimdesk sync``: the bot's entry points from the command line."""

from __future__ import annotations

from ..settings import Settings
from .client import ClaimdeskBot

NO_TOKEN = (
    "no Discord bot token. Create an application at https://discord.com/developers/applications, "
    "open Bot, press Reset Token and copy the token; then set DISCORD_TOKEN=<token> in the environment "
    "or in a .env file in the folder you run claimdesk from. Keep it secret: it is the bot's password."
)
BAD_TOKEN = "Discord refused the token in DISCORD_TOKEN; reset it in the developer portal (Bot → Reset Token)."


class NoToken(Exception):
    pass


def _token(settings: Settings) -> str:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise NoToken(NO_TOKEN)
    return settings.discord_token.get_secret_value()


async def run_bot(settings: Settings) -> None:
    token = _token(settings)
    async with ClaimdeskBot(settings) as bot:
        await bot.start(token)


async def sync(settings: Settings, guild_id: int | None) -> int:
    """Registers the commands globally (or in one server); the number registered."""
    token = _token(settings)
    # The development-server sync on login would be a second, unasked-for sync.
    async with ClaimdeskBot(settings.model_copy(update={"dev_guild": None})) as bot:
        await bot.login(token)
        return len(await bot.sync_commands(guild_id))

