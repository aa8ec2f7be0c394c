"""The one place failures are answered and logged, for commands and buttons alike.

Visibility is decided when an interaction is first answered: an error before that is
ephemeral (only the user sees it); after a deferral the error replaces the "thinking…"
message and so has the deferral's visibility (public for queries, ephemeral for /ingest).

An interaction Discord no longer accepts answers for (acknowledged after its 3 s, or
followed up after its token's 15 min) is logged in one line and nothing more is tried:
no notice could reach the user, and a traceback would tell the operator nothing new.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from commands.base import CommandError
from index.faults import storage_fault

from .render.base import message_text

log = logging.getLogger("bot.discord")

APOLOGY = "Sorry — that failed on our side. It has been logged; please try again in a moment."
STORAGE_TROUBLE = "Sorry — {summary}, so this cannot run now. The bot's operator has been told what to run to repair it."
# Discord's error codes for an interaction that can no longer be answered, and what they mean.
GONE = {
    10062: "was not acknowledged within Discord's 3 s, so Discord dropped it",  # Unknown interaction
    40060: "had been acknowledged already (is a second bot process running with this token?)",
    50027: "outlived its 15-minute token before the answer was sent",  # Invalid Webhook Token
    10015: "outlived its 15-minute token before the answer was sent",  # Unknown Webhook
}


def interaction_gone(error: BaseException) -> str | None:
    """Why Discord refused an answer to an interaction that cannot be answered any more, if that is what ``error`` is."""
    return GONE.get(error.code) if isinstance(error, discord.HTTPException) else None


async def answer_failure(interaction: discord.Interaction, error: BaseException, *, what: str) -> None:
    """Tells the user what went wrong in a sentence; logs what they cannot fix, with context."""
    cause: BaseException = error
    if isinstance(error, app_commands.CommandInvokeError):
        cause = error.original
    context = f"{what} (guild {interaction.guild_id}, user {interaction.user.id})"
    if (gone := interaction_gone(cause)) is not None:
        log.warning("%s: not answered, the interaction %s", context, gone)
        return
    if isinstance(cause, CommandError):
        log.info("%s: %s", context, cause)
        text = str(cause)
    elif isinstance(cause, app_commands.MissingPermissions):
        log.info("%s refused: missing %s", context, cause.missing_permissions)
        needed = ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in cause.missing_permissions)
        text = f"Only members with the {needed} permission can use {what}."
    elif isinstance(cause, app_commands.NoPrivateMessage):
        text = "claimdesk answers in servers, not in direct messages."
    elif isinstance(cause, app_commands.CheckFailure):
        log.info("%s refused: %s", context, cause)
        text = f"You cannot use {what} here."
    elif (fault := storage_fault(cause, interaction.client.settings.data)) is not None:
        # The operator can act on this, the user cannot: the log names folder and remedy.
        log.error("%s failed: %s", context, fault)
        text = STORAGE_TROUBLE.format(summary=fault.summary)
    else:
        log.error("%s failed", context, exc_info=cause)
        text = APOLOGY
    if interaction.type is discord.InteractionType.autocomplete:
        return  # suggestions have no way to show a message; the log line is what is left
    await send_notice(interaction, text)


async def send_notice(interaction: discord.Interaction, text: str) -> None:
    """A short message: ephemeral if nothing was sent yet, else a followup in the deferral's visibility."""
    try:
        if interaction.response.is_done():
            # After a command's deferral Discord keeps the deferral's visibility whatever this
            # flag says; after a button's silent acknowledgement it keeps the notice private.
            await interaction.followup.send(message_text(text), ephemeral=True)
        else:
            await interaction.response.send_message(message_text(text), ephemeral=True)
    except discord.HTTPException as exc:
        # The log line the caller wrote is what is left; this one says why the user saw nothing.
        gone = interaction_gone(exc)
        why = f"the interaction {gone}" if gone else f"Discord answered {exc.status} {exc.text or ''}".rstrip()
        log.warning("could not send a notice for interaction %s (guild %s): %s", interaction.id,
                    interaction.guild_id, why)
