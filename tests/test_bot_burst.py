"""A burst of commands while the bot ingests: every one acknowledged in time and answered.

The fake Discord refuses an initial response that comes more than 3 s after the
interaction, as Discord does, so a bot whose event loop is blocked (a sync call in a
coroutine, GIL-heavy work in its own process) fails here with refusals. How fast the
answers come is measured by ``bench/concurrent_commands.py``, never asserted.

The articles are fictional, generated here from templates about several kinds of story.
"""

from __future__ import annotations

import asyncio
import json
import random

from fakediscord import FakeDiscord, InteractionRecord, Upload
from test_bot_e2e import answer, buttons, scenario

from bot.discord.client import ClaimdeskBot

STORIES = [
    ("Council of {town} passes budget", "The council of {town} approved a budget of {n} million crowns on {day}, "
     "the finance chair, {name}, said. She said {m} posts would be cut in the parks department."),
    ("Flood closes roads near {town}", "Floodwater closed {m} roads around {town} on {day}, the county engineer, "
     "{name}, said, and {n} homes were without power overnight."),
    ("Court hears {town} fraud case", "Prosecutor {name} told the court in {town} on {day} that {m} invoices were "
     "forged and that {n} thousand crowns had been paid out."),
    ("Turnout rises in {town} vote", "Turnout in the {town} council election reached {m} percent on {day}, the "
     "returning officer, {name}, said, with {n} hundred postal votes still to count."),
]
TOWNS = ["Harrowgate", "Lindvik", "Selby Cross", "Orveston", "Tarnby"]
NAMES = ["Imra Hollis", "Ruth Okafor", "Bo Castellane", "Lia Marren", "Teodor Vask"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def fictional_batch(count: int) -> bytes:
    rng = random.Random(5)
    lines = []
    for number in range(count):
        title, text = rng.choice(STORIES)
        values = {"town": rng.choice(TOWNS), "name": rng.choice(NAMES), "day": rng.choice(DAYS),
                  "n": rng.randrange(2, 90), "m": rng.randrange(3, 60)}
        lines.append(json.dumps({"id": f"desk-{number:03d}", "title": title.format(**values),
                                 "outlet": f"Fictional Desk {number % 3 + 1}",
                                 "published": f"2025-05-0{number % 9 + 1}",
                                 "note": "fictional, written for tests",
                                 "text": title.format(**values) + "\n\n" + text.format(**values)}))
    return "\n".join(lines).encode("utf-8")


def finished(record: InteractionRecord) -> bool:
    return bool(record.rejections) or record.answered_at is not None


@scenario()
async def test_a_burst_of_commands_during_an_ingest_is_acknowledged_and_answered(fake: FakeDiscord,
                                                                                   bot: ClaimdeskBot) -> None:
    paged = await answer(fake, "who", {"name": "Dovnar"}, user=fake.alice)  # an answer with pages to turn
    ingesting = await fake.invoke_slash("ingest", {"file": Upload("desk.jsonl", fictional_batch(60))},
                                        user=fake.owner)
    await ingesting.responded()

    burst = await asyncio.gather(
        fake.invoke_slash("claims", {"query": "evacuated"}, user=fake.alice),
        fake.invoke_slash("claims", {"query": "shelters OR residents"}, user=fake.bob),
        fake.invoke_slash("claims", {"query": "flood speaker:governor"}, user=fake.owner),
        fake.invoke_slash("search", {"query": "shelters"}, user=fake.bob),
        fake.invoke_slash("search", {"query": "\"flood defences\""}, user=fake.alice),
        fake.invoke_slash("who", {"name": "Dovnar", "about": "evacuated"}, user=fake.bob),
        fake.invoke_slash("sources", user=fake.owner),
        fake.invoke_slash("claims", {"query": "governor"}, user=fake.alice),
        fake.invoke_slash("search", {"query": "governor -shelters"}, user=fake.owner),
        fake.click_button(paged, buttons(paged)["next"]["custom_id"], user=fake.alice),
    )
    await fake.wait_until(lambda: all(finished(r) for r in burst), 60, "every answer of the burst")

    assert [r.rejections for r in burst] == [[]] * len(burst)  # none refused, none acknowledged late
    assert all(r.response_type is not None for r in burst)
    commands, click = burst[:-1], burst[-1]
    assert all(r.response_type == 5 and r.original.embeds and not r.original.loading for r in commands)
    assert click.response_type == 6 and paged.embeds[0]["footer"]["text"].startswith("Group 2 of")

    await ingesting.wait_until(lambda r: not r.original.loading, timeout=90, what="the ingest report")
    # The burst was acknowledged while the ingest was still running, and the ingest lost nothing.
    assert max(r.callback_at for r in burst) < ingesting.answered_at
    assert ingesting.original.embeds[0]["description"].startswith("**60 ingested · 0 updated")
    found = await answer(fake, "search", {"query": "invoices forged"})
    assert found.embeds[0]["fields"] and fake.pinging_messages() == []
