"""The bot stopping and starting again: signals, restarts, what the channel sees meanwhile.

`claimdesk run` runs as a real subprocess against tests/fakediscord (discord.py in the
subprocess is pointed at the fake exactly as ``fake_discord()`` points it in this one)
and gets real signals. Articles are fictional.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys
from pathlib import Path

from conftest import EXAMPLES, REPO
from fakediscord import FakeDiscord, FakeMessage, Upload, fake_discord, run_async
from test_bot_e2e import answer

from bot.discord.answering import RESTARTING
from bot.discord.client import ClaimdeskBot
from bot.discord.runner import sync
from bot.discord.tenancy import guild_corpus
from bot.settings import Settings
from commands import COMMANDS
from index.library import Library

DISPATCH = (b"Ferry timetable changes\n\nThe island ferry company said on Monday that 6 sailings a day would run "
            b"from June, up from 4, after a second boat was leased.\n")


async def claimdesk_process(fake: FakeDiscord, data: Path, *args: str) -> asyncio.subprocess.Process:
    """`claimdesk ARGS` in a subprocess, with discord.py's addresses pointed at the fake."""
    code = "; ".join([
        "import sys, yarl, discord.asset, discord.gateway, discord.http",
        f"discord.http.Route.BASE = {fake.api_base!r}",
        f"discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL({fake.gateway.url!r})",
        f"discord.asset.Asset.BASE = {fake.url!r}",
        "from bot.cli import main",
        f"sys.exit(main(['--data', {str(data)!r}, *{list(args)!r}]))",
    ])
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "CLAIMDESK_DEV_GUILD": str(fake.guild.id),
           "PYTHONPATH": str(REPO)}
    data.parent.mkdir(parents=True, exist_ok=True)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=data.parent, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True)


async def start_bot_process(fake: FakeDiscord, data: Path) -> asyncio.subprocess.Process:
    process = await claimdesk_process(fake, data, "run")
    await fake.wait_until(lambda: fake.gateway.active is not None and fake.commands.list(fake.guild.id),
                          timeout=60, what="the bot process to connect and sync")
    return process


def test_sigterm_lets_a_running_ingest_report_then_the_bot_exits_cleanly(tmp_path: Path) -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            process = await start_bot_process(fake, tmp_path / "data")
            try:
                ingesting = await fake.invoke_slash("ingest", {"file": Upload("ferry.txt", DISPATCH)}, user=fake.owner)
                await ingesting.responded()
                process.send_signal(signal.SIGTERM)  # as `docker stop` does, while the worker extracts
                _, stderr = await asyncio.wait_for(process.communicate(), 120)
            finally:
                if process.returncode is None:
                    os.killpg(process.pid, signal.SIGKILL)
                    await process.wait()
            log = stderr.decode()
            assert process.returncode == 0, log
            report = ingesting.original
            assert not report.loading and "**1 ingested" in report.embeds[0]["description"], log
            assert "SIGTERM received: stopping" in log and log.rstrip().endswith("bot.discord: stopped")
            assert " ERROR " not in log and "Traceback" not in log, log

    run_async(main, timeout=180)


class Records(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def page_buttons(message: FakeMessage) -> dict[str, dict]:
    return {b["custom_id"].split(":")[2]: b for row in message.components for b in row["components"]}


def test_page_buttons_sent_before_a_restart_turn_pages_in_the_new_bot_for_their_owner_only(tmp_path: Path) -> None:
    errors = Records(logging.ERROR)
    logging.getLogger().addHandler(errors)

    async def main() -> None:
        data = tmp_path / "data"
        async with fake_discord() as fake:
            with Library(data) as library:
                assert not library.ingest_paths([EXAMPLES], corpus=guild_corpus(fake.guild.id)).failures
            settings = Settings(_env_file=None, data=data, dev_guild=fake.guild.id, shared_corpus=None)

            async with fake.running(ClaimdeskBot(settings, **fake.client_kwargs)):
                who = await answer(fake, "who", {"name": "Dovnar"}, user=fake.alice)
                compare = await answer(fake, "compare", {"first": "lowland-daily", "second": "ebs"}, user=fake.alice)
                gone = await answer(fake, "claims", {"query": "evacuated"}, user=fake.alice)
            first_who, first_compare = who.embeds[0], compare.embeds[0]
            assert page_buttons(who)["at"]["label"].startswith("1 / ")
            gone_key = int(page_buttons(gone)["next"]["custom_id"].split(":")[1])
            with sqlite3.connect(data / "answers.sqlite3") as db:  # an answer older than we keep
                db.execute("DELETE FROM answers WHERE key = ?", (gone_key,))

            async with fake.running(ClaimdeskBot(settings, **fake.client_kwargs)):  # a new process, in effect
                intruder = await fake.click_button(who, page_buttons(who)["next"]["custom_id"], user=fake.bob)
                await intruder.wait_until(lambda r: r.followups, 10, "the notice to the intruder")
                assert intruder.followups[0].ephemeral and "Only the person who ran /who" in intruder.followups[0].content
                assert who.embeds[0] == first_who

                turned = await fake.click_button(who, page_buttons(who)["next"]["custom_id"], user=fake.alice)
                await turned.responded()
                await fake.wait_until(lambda: who.embeds[0]["footer"]["text"].startswith("Group 2 of"),
                                      what="page 2 of /who after the restart")
                assert page_buttons(who)["at"]["label"].startswith("2 / ") and not page_buttons(who)["prev"]["disabled"]

                turned = await fake.click_button(compare, page_buttons(compare)["next"]["custom_id"], user=fake.alice)
                await turned.responded()
                await fake.wait_until(lambda: compare.embeds[0] != first_compare, what="page 2 of /compare")
                assert page_buttons(compare)["at"]["label"].startswith("2 / ")

                expired = await fake.click_button(gone, page_buttons(gone)["next"]["custom_id"], user=fake.alice)
                await fake.wait_until(lambda: not gone.components and expired.followups, what="the expired buttons")
                assert expired.followups[0].ephemeral and "no longer kept" in expired.followups[0].content

    try:
        run_async(main, timeout=120)
    finally:
        logging.getLogger().removeHandler(errors)
    # Closing twice with answers on screen logged nothing (no view timing out on a closed session).
    assert errors.records == [], [r.getMessage() for r in errors.records]


def test_a_dev_server_that_also_gets_global_commands_lists_them_twice_until_one_scope_is_cleared(
        tmp_path: Path) -> None:
    warnings = Records(logging.WARNING)
    logging.getLogger("bot.discord").addHandler(warnings)

    async def main() -> None:
        async with fake_discord() as fake:
            settings = Settings(_env_file=None, data=tmp_path / "data", discord_token=fake.token,
                                dev_guild=fake.guild.id)
            await sync(settings, fake.guild.id)  # what every `claimdesk run` does with CLAIMDESK_DEV_GUILD set
            names = sorted(c["name"] for c in fake.commands.list(fake.guild.id))
            assert set(names) >= {*COMMANDS, "ingest"} and warnings.records == []
            assert fake.commands.listed(fake.guild.id) == names
            assert await sync(settings, None) == len(names)  # `claimdesk sync`, globally
            assert fake.commands.listed(fake.guild.id) == sorted(names * 2)  # every command twice
            [said] = [r.getMessage() for r in warnings.records]
            assert said.startswith(f"server {fake.guild.id} lists {len(names)} commands twice")
            assert f"`claimdesk sync --clear-guild {fake.guild.id}`" in said and "--clear-global" in said

            cleared = await claimdesk_process(fake, tmp_path / "data", "sync", "--clear-guild", str(fake.guild.id))
            out, err = await asyncio.wait_for(cleared.communicate(), 120)
            assert cleared.returncode == 0, err.decode()
            assert out.decode().strip() == f"removed {len(names)} slash commands from server {fake.guild.id}"
            assert fake.commands.listed(fake.guild.id) == names and fake.commands.list(fake.guild.id) == []

            # Or, to keep developing in that server: its own commands, and no global ones.
            await sync(settings, fake.guild.id)
            assert len(warnings.records) == 2 and fake.commands.listed(fake.guild.id) == sorted(names * 2)
            assert await sync(settings, None, clear=True) == len(names)
            assert fake.commands.listed(fake.guild.id) == names and fake.commands.list(None) == []

    try:
        run_async(main, timeout=150)
    finally:
        logging.getLogger("bot.discord").removeHandler(warnings)


def test_while_the_bot_stops_a_new_request_is_told_privately_to_try_again(tmp_path: Path) -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            settings = Settings(_env_file=None, data=tmp_path / "data", dev_guild=fake.guild.id, shared_corpus=None)
            bot = ClaimdeskBot(settings, **fake.client_kwargs)
            async with fake.running(bot):
                await bot.answering.finish(grace=0)  # what close() does first
                late = await fake.invoke_slash("sources", user=fake.alice)
                await late.responded()
                assert late.response_type == 4 and late.original.ephemeral
                assert late.original.content == RESTARTING

    run_async(main)
