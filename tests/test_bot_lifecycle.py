"""The bot stopping and starting again: signals, restarts, what the channel sees meanwhile.

`claimdesk run` runs as a real subprocess against tests/fakediscord (discord.py in the
subprocess is pointed at the fake exactly as ``fake_discord()`` points it in this one)
and gets real signals. Articles are fictional.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from conftest import REPO
from fakediscord import FakeDiscord, Upload, fake_discord, run_async

DISPATCH = (b"Ferry timetable changes\n\nThe island ferry company said on Monday that 6 sailings a day would run "
            b"from June, up from 4, after a second boat was leased.\n")


def bot_process_code(fake: FakeDiscord, data: Path) -> str:
    """`claimdesk run` with discord.py's addresses pointed at the fake."""
    return "; ".join([
        "import sys, yarl, discord.asset, discord.gateway, discord.http",
        f"discord.http.Route.BASE = {fake.api_base!r}",
        f"discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL({fake.gateway.url!r})",
        f"discord.asset.Asset.BASE = {fake.url!r}",
        "from bot.cli import main",
        f"sys.exit(main(['--data', {str(data)!r}, 'run']))",
    ])


async def start_bot_process(fake: FakeDiscord, data: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "DISCORD_TOKEN": fake.token, "CLAIMDESK_DEV_GUILD": str(fake.guild.id),
           "PYTHONPATH": str(REPO)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", bot_process_code(fake, data), cwd=data.parent, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True)
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
