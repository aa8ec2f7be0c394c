"""/feed through the real discord.py client and tests/fakediscord, with feeds on loopback.

The feeds and articles are fictional, written for these tests.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from feedserver import RSS_TYPE, Item, Reply, rss, serving
from fakediscord import FakeDiscord
from test_bot_e2e import answer, scenario

from bot.discord.client import ClaimdeskBot
from bot.discord.tenancy import guild_corpus
from index.feeds import FeedStore

SCHOOLS = ("Teachers at 14 schools in the Harrow district walked out on Monday over pay, the teachers' union said, "
           "and 3,100 pupils stayed home. The union's regional secretary, Lene Brandt, said talks with the district "
           "had failed after the district offered a rise of 2 percent against the 6 percent the union asked for.\n\n"
           "The district's spokesperson, Ola Ness, said the offer was the most the budget allowed and that schools "
           "would reopen on Tuesday. Brandt said a second walkout of two days would follow next week unless the "
           "district returned to talks. Parents' groups said 40 percent of families had found no care for the day.")


def two_newsrooms(fake: FakeDiscord, data) -> None:
    fake.other = fake.add_guild("Other Desk", fake.add_user("editor"))  # type: ignore[attr-defined]
    fake.other_channel = fake.other.add_text_channel("desk")  # type: ignore[attr-defined]


@scenario(examples=False, prepare=two_newsrooms, allow_private_fetch=True)
async def test_managers_add_list_and_remove_feeds_of_their_own_server(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    await bot.sync_commands()  # globally, so the second server has /feed too
    with serving() as server:
        server.routes["/schools.xml"] = Reply(rss("Harrow Courier: schools", [Item(
            title="Teachers walk out at 14 schools", text=SCHOOLS, link=server.url("/news/teachers-walk-out"),
            guid="hc-1", published=datetime(2025, 6, 2, tzinfo=timezone.utc))]), headers={"Content-Type": RSS_TYPE})
        server.routes["/page.html"] = Reply(b"<html><body>Home</body></html>", headers={"Content-Type": "text/html"})

        added = await answer(fake, "feed add", {"url": server.url("/schools.xml"), "interval_minutes": 15},
                             user=fake.owner, timeout=15)
        assert added.ephemeral and added.allowed_mentions == {"parse": []}
        embed = added.embeds[0]
        assert embed["title"] == "Watching this feed"
        assert "**#1** [Harrow Courier: schools](" in embed["description"]
        assert "every 15 minutes" in embed["description"] and f"notices in <#{fake.channel.id}>" in embed["description"]
        assert "holds 1 entry now" in embed["description"]

        refused = await answer(fake, "feed add", {"url": server.url("/page.html")}, user=fake.owner, timeout=15)
        assert refused.ephemeral and "is a web page, not a feed" in refused.content
        twice = await answer(fake, "feed add", {"url": server.url("/schools.xml")}, user=fake.owner)
        assert "already watches that feed (number 1)" in twice.content

        [stored] = FeedStore(bot.library.store).list([guild_corpus(fake.guild.id)])
        assert (stored.channel_id, stored.interval_seconds, stored.state) == (fake.channel.id, 900, "active")

        # The scheduler's job polls (in the ingest worker process); here the test does.
        report = await bot.ingester.poll_feeds(now=bot.now())
        assert (report.feeds_polled, report.entries_new, report.failures) == (1, 1, [])
    found = (await answer(fake, "search", {"query": "teachers walked out"})).embeds[0]
    assert found["fields"][0]["name"] == "1. Teachers walk out at 14 schools"

    other, editor = fake.other_channel, fake.other.owner  # type: ignore[attr-defined]
    theirs = await answer(fake, "feed list", channel=other, user=editor)
    assert theirs.embeds[0]["title"] == "0 feeds" and "watches no feeds yet" in theirs.embeds[0]["description"]
    not_theirs = await answer(fake, "feed remove", {"feed": "1"}, channel=other, user=editor)
    assert not_theirs.content.startswith("No feed `1` here.")
    assert (await answer(fake, "search", {"query": "teachers"}, channel=other, user=editor)).embeds[0][
        "description"].startswith("No articles match")

    ours = await answer(fake, "feed list", user=fake.owner)
    assert ours.embeds[0]["title"] == "1 feed" and "🟢 active" in ours.embeds[0]["description"]
    removed = await answer(fake, "feed remove", {"feed": "#1"}, user=fake.owner)
    assert removed.embeds[0]["title"] == "Feed removed" and "stay in the library" in removed.embeds[0]["description"]
    assert FeedStore(bot.library.store).list([guild_corpus(fake.guild.id)]) == []
    assert fake.pinging_messages() == []


@scenario(examples=False)
async def test_feeds_are_for_server_managers_only(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    stored = fake.commands.find(fake.guild.id, "feed")
    assert int(stored["default_member_permissions"]) == 1 << 5  # Manage Server
    assert {o["name"] for o in stored["options"]} == {"add", "list", "remove"}
    with pytest.raises(PermissionError, match="default_member_permissions"):
        await fake.invoke_slash("feed list", user=fake.bob)
    # A server that opens the command to everyone still cannot let members change feeds.
    stored["default_member_permissions"] = None
    for command, options in (("feed add", {"url": "https://news.example/feed"}), ("feed list", None),
                             ("feed remove", {"feed": "1"})):
        record = await fake.invoke_slash(command, options, user=fake.bob)
        await record.responded()
        assert record.response_type == 4 and record.original.ephemeral
        assert record.original.content == f"Only members with the Manage Server permission can use /{command}."
    assert FeedStore(bot.library.store).list([guild_corpus(fake.guild.id)]) == []
