"""The bot never echoes control or bidi characters into a channel: not from an id typed
into /article or /compare, nor from an article's title, outlet or text.

All article text here is fictional, written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from fakediscord import FakeDiscord
from test_bot_e2e import answer, ingest, scenario, write_json
from test_inert_output import CLIPBOARD, HOSTILE, RAW, TITLE

from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus

LOCK = {
    "id": "lock-notice", "title": f"Canal lock closes{TITLE}", "outlet": "Canal Courier\u202e",
    "published": "2025-05-06",
    "text": f"Canal lock closes\n\nThe canal trust said on Tuesday that the lock at Essen Ford would close "
            f"for 12 days.{CLIPBOARD} Boaters were told to moor upstream.",
}


def hostile_article(fake: FakeDiscord, data: Path) -> None:
    ingest(data, guild_corpus(fake.guild.id), write_json(data.parent / "articles", LOCK))


def everything_shown(message) -> str:
    return message.content + json.dumps(message.embeds, ensure_ascii=False)


@scenario(prepare=hostile_article)
async def test_ids_titles_and_text_reach_the_channel_inert(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    missing = await answer(fake, "article", {"id": "lock" + HOSTILE})
    assert missing.content.startswith("No article with id `lock␛[2J")
    compared = await answer(fake, "compare", {"first": "lock-notice", "second": "x" + TITLE})
    assert "No article with id `x␛]0;owned␇`" in compared.content
    shown = [missing, compared, await answer(fake, "article", {"id": "lock-notice"}),
             await answer(fake, "search", {"query": "canal lock"}),
             await answer(fake, "claims", {"query": "lock"})]
    for message in shown:
        assert not RAW.search(everything_shown(message).replace("\n", "")), everything_shown(message)
    assert "Canal lock closes␛]0;owned␇" in everything_shown(shown[2])
