"""Slash-command options generated from the commands' args models, settings, and `claimdesk run` without a token."""

from __future__ import annotations

import os
import subprocess

import discord
import pytest
from conftest import claimdesk_command
from discord import app_commands
from pydantic import BaseModel, Field

from bot.discord.options import parse_args, slash_command
from bot.settings import Settings
from commands import COMMANDS
from commands.base import Command, CommandError, Response


class Args(BaseModel):
    query: str = Field(description="What to look for " + "very " * 40)
    page: int = Field(default=1, ge=1, le=100, description="Page")
    count: int = Field(default=3, gt=0, lt=10)
    name: str | None = Field(default=None, min_length=2, max_length=50, description="A name")
    exact: bool = False


async def ignore(interaction: discord.Interaction, options: dict) -> None:
    pass


def payload(command: Command) -> dict:
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents(guilds=True)))
    return slash_command(command, ignore).to_dict(tree)


def test_each_field_becomes_a_typed_described_option() -> None:
    command = Command(name="probe", description="Probe", args=Args, run=lambda c, a: Response(command="probe"))
    options = {o["name"]: o for o in payload(command)["options"]}
    assert options["query"] == {"type": 3, "name": "query", "required": True,
                                "description": ("What to look for " + "very " * 40)[:99].rsplit(" ", 1)[0] + "…"}
    assert options["page"] == {"type": 4, "name": "page", "description": "Page", "required": False,
                                    "min_value": 1, "max_value": 100}
    assert (options["count"]["min_value"], options["count"]["max_value"]) == (1, 9)
    assert options["count"]["description"] == "Count"
    assert (options["name"]["min_length"], options["name"]["max_length"], options["name"]["required"]) == (2, 50, False)
    assert options["exact"]["type"] == 5
    assert len(options["query"]["description"]) <= 100


def test_every_registered_command_has_its_model_fields_as_options() -> None:
    for command in COMMANDS.values():
        data = payload(command)
        assert [o["name"] for o in data["options"]] == list(command.args.model_fields)
        assert all(o["description"] and len(o["description"]) <= 100 for o in data["options"])
        assert data["dm_permission"] is False


def test_a_field_without_an_option_type_fails_loudly() -> None:
    class Odd(BaseModel):
        things: list[str]

    command = Command(name="odd", description="Odd", args=Odd, run=lambda c, a: Response(command="odd"))
    with pytest.raises(TypeError, match="/odd option 'things'"):
        slash_command(command, ignore)


def test_manager_only_commands_declare_manage_server() -> None:
    command = Command(name="admin", description="Admin", args=Args, run=lambda c, a: Response(command="admin"),
                      manager_only=True)
    assert payload(command)["default_member_permissions"] == discord.Permissions(manage_guild=True).value


def test_invalid_values_are_a_message_saying_what_to_fix() -> None:
    with pytest.raises(CommandError, match="/probe: name: String should have at least 2 characters"):
        parse_args("probe", Args, {"query": "x", "name": "a"})


def test_settings_read_the_token_and_never_show_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "secret-token-value")
    monkeypatch.setenv("CLAIMDESK_DEV_GUILD", "42")
    monkeypatch.setenv("CLAIMDESK_SHARED_CORPUS", "wire")
    monkeypatch.setenv("CLAIMDESK_ALLOW_PRIVATE_FETCH", "1")
    settings = Settings(_env_file=None)
    assert settings.discord_token.get_secret_value() == "secret-token-value"
    assert (settings.dev_guild, settings.shared_corpus, settings.allow_private_fetch) == (42, "wire", True)
    assert "secret-token-value" not in repr(settings) and "secret-token-value" not in str(settings.model_dump())
    with pytest.raises(ValueError, match="cannot be a server's own"):
        Settings(_env_file=None, shared_corpus="guild-1234")


def test_run_without_a_token_says_how_to_get_one(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run([*claimdesk_command(), "--data", str(tmp_path / "data"), "run"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no Discord bot token" in result.stderr and "developer" in result.stderr and "DISCORD_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
