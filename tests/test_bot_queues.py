"""Cheap interactions never wait behind a burst of expensive ones, and late ones log one line.

The searches of a burst of /claims are held at a gate (the real search runs once the gate
opens), so the bot's query threads are all busy for as long as the test needs: what must
still be answered meanwhile is answered from elsewhere (the answer cache, the speakers
table), in threads of its own. The fake Discord's clock is moved past Discord's deadlines
to make interactions late, as a blocked or overloaded bot would make them. The articles
are the fictional ones in ``examples/``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fakediscord import FakeDiscord, InteractionRecord
from test_bot_e2e import Records, answer, buttons, every_log_line, scenario  # noqa: F401  (a fixture)

from bot.discord.client import QUERY_THREADS, ClaimdeskBot

# Queries over examples/ that are all different, so none is served from the answer cache.
FRESH_QUERIES = ["shelters", "governor", "flood", "evacuated", "ferry", "harbour", "river", "council", "bridge",
                 "power"]


@contextmanager
def searches_held(bot: ClaimdeskBot) -> Iterator[list[int]]:
    """Every claim search waits at a gate until the block ends, then runs; yields the count
    of searches waiting."""
    gate = threading.Event()
    waiting = [0]
    search = bot.library.search
    real = search.search_claims

    def held(*args: Any, **kwargs: Any) -> Any:
        waiting[0] += 1
        gate.wait(60)
        return real(*args, **kwargs)

    search.search_claims = held  # type: ignore[method-assign]
    try:
        yield waiting
    finally:
        gate.set()
        search.search_claims = real  # type: ignore[method-assign]


async def fill_the_query_threads(fake: FakeDiscord, waiting: list[int]) -> list[InteractionRecord]:
    burst = [await fake.invoke_slash("claims", {"query": query}, user=fake.bob)
             for query in FRESH_QUERIES[:QUERY_THREADS + 2]]
    await fake.wait_until(lambda: waiting[0] >= QUERY_THREADS, 10, "every query thread busy searching")
    return burst


def answered(record: InteractionRecord) -> bool:
    return record.original is not None and not record.original.loading


@scenario()
async def test_page_turns_and_suggestions_are_answered_while_every_query_thread_is_busy(
        fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    message = await answer(fake, "claims", {"query": "residents"}, user=fake.alice)
    assert message.embeds[0]["footer"]["text"].startswith("Group 1 of")
    with searches_held(bot) as waiting:
        burst = await fill_the_query_threads(fake, waiting)
        click = await fake.click_button(message, buttons(message)["next"]["custom_id"], user=fake.alice)
        await fake.wait_until(lambda: message.embeds[0]["footer"]["text"].startswith("Group 2 of"), 5,
                              "page 2 while the burst's searches are still held")
        assert not click.rejections
        speakers = await fake.autocomplete("who", "name", {"name": "dov"})
        assert [c["value"] for c in speakers] == ["Mirela Dovnar"]  # looked up, not given up on
        assert not any(answered(r) for r in burst)  # the burst really was still waiting
    await fake.wait_until(lambda: all(answered(r) for r in burst), 30, "the burst answered once its searches ran")
    assert all(not r.rejections for r in burst)


def bot_lines(records: Records) -> list[str]:
    """What the bot and discord.py logged: not the fake's own log."""
    return [line for line in records.lines if not line.startswith("fakediscord")]


def token_in_bot_log(records: Records, tokens: list[str]) -> list[str]:
    # The fake's log names the interaction URLs it refuses, tokens included, as a server
    # log would, and so does discord.py at DEBUG, which the bot never logs at.
    return [line for line in records.lines if line.startswith("bot") for token in tokens if token in line]


def test_a_late_interaction_logs_one_line_without_a_traceback(tmp_path: Path, every_log_line: Records) -> None:
    seen: dict[str, Any] = {}

    @scenario()
    async def body(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
        message = await answer(fake, "claims", {"query": "residents"}, user=fake.alice)
        late_command = await fake.invoke_slash("claims", {"query": "shelters"}, user=fake.alice)
        fake.clock.advance(4)  # the bot cannot have answered yet: it shares this event loop
        late_click = await fake.click_button(message, buttons(message)["next"]["custom_id"], user=fake.alice)
        fake.clock.advance(4)
        with searches_held(bot) as waiting:
            expired = await fake.invoke_slash("claims", {"query": "governor"}, user=fake.bob)
            await expired.responded()  # deferred in time, then searching for longer than the token lives
            await fake.wait_until(lambda: waiting[0] >= 1, 10, "the search under way")
            fake.clock.advance(16 * 60)
        records = (late_command, late_click, expired)
        for record in records:
            await record.wait_until(lambda r: len(r.rejections) >= 1, 10, "the bot's late answer refused")
        await asyncio.sleep(0.5)  # anything the bot would try after the refusal
        seen.update(guild=fake.guild.id, tokens=[r.payload["token"] for r in records],
                    refused=[r.rejections[0].code for r in records])

    body(tmp_path)
    assert seen["refused"] == [10062, 10062, 50027]
    lines = bot_lines(every_log_line)
    late = [line for line in lines if "not answered" in line]
    assert len(late) == 3, late
    assert f"/claims (guild {seen['guild']}, user " in late[0] and "3 s" in late[0]
    assert "turning a page" in late[1] and "3 s" in late[1]
    assert f"/claims (guild {seen['guild']}" in late[2] and "15-minute" in late[2]
    assert not [line for line in lines if "Traceback" in line or "could not send" in line]
    assert not token_in_bot_log(every_log_line, seen["tokens"])


def test_a_suggestion_answered_too_late_logs_one_line(tmp_path: Path, every_log_line: Records) -> None:
    @scenario()
    async def body(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
        store = bot.library.store
        real = store.speaker_names

        def slow(*args: Any) -> list[str]:
            fake.clock.advance(4)  # Discord's clock passes 3 s while the lookup runs
            return real(*args)

        store.speaker_names = slow  # type: ignore[method-assign]
        with pytest.raises(AssertionError, match="10062"):
            await fake.autocomplete("who", "name", {"name": "dov"})
        store.speaker_names = real  # type: ignore[method-assign]
        await asyncio.sleep(0.5)

    body(tmp_path)
    lines = bot_lines(every_log_line)
    assert len([line for line in lines if "suggestions for /who" in line and "not answered" in line]) == 1
    assert not [line for line in lines if "Traceback" in line or "Ignoring exception" in line]


def record_threads(target: object, threads: list[tuple[str, str]]) -> None:
    """Every public method of ``target`` notes which thread called it, then runs."""
    for name in dir(target):
        method = getattr(target, name)
        if name.startswith("_") or not callable(method) or isinstance(method, type):
            continue

        def noting(*args: Any, __name: str = name, __method: Any = method, **kwargs: Any) -> Any:
            threads.append((__name, threading.current_thread().name))
            return __method(*args, **kwargs)

        setattr(target, name, noting)


@scenario()
async def test_the_event_loop_never_runs_index_work(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    threads: list[tuple[str, str]] = []
    record_threads(bot.library.search, threads)
    record_threads(bot.library.store, threads)
    record_threads(bot.answers, threads)
    message = await answer(fake, "claims", {"query": "residents"}, user=fake.alice)
    for command, options in (("search", {"query": "shelters"}), ("who", {"name": "Dovnar"}),
                             ("article", {"id": "ebs"}), ("compare", {"first": "lowland-daily", "second": "ebs"}),
                             ("sources", None)):
        await answer(fake, command, options, user=fake.alice)
    click = await fake.click_button(message, buttons(message)["next"]["custom_id"], user=fake.alice)
    await fake.wait_until(lambda: message.embeds[0]["footer"]["text"].startswith("Group 2 of"))
    assert not click.rejections
    await fake.autocomplete("who", "name", {"name": "dov"})
    await fake.autocomplete("article", "id", {"id": "l"})
    await fake.autocomplete("claims", "query", {"query": "flood outlet:val"})
    called = {name for name, _ in threads}
    assert {"search_claims", "search_articles", "speaker_names", "outlet_names", "article_ids", "keep",
            "recall"} <= called
    # Every call in one of the bot's bounded pools, none on the event loop (the main thread here).
    assert {thread.rsplit("_", 1)[0] for _, thread in threads} <= {
        "claimdesk-query", "claimdesk-page", "claimdesk-suggest", "claimdesk-bookkeeping"}, threads
