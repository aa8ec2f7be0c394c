"""The bot end to end: the real discord.py client against tests/fakediscord, offline.

Each test starts a fresh fake Discord and a ClaimdeskBot on a temporary data folder;
read commands get the fictional examples/ ingested into the server's corpus first,
through the library directly. ``fake_discord`` and ``run_async`` fail a test that
leaks tasks, calls a route Discord does not have, or shuts down uncleanly.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from fakediscord import FakeDiscord, FakeMessage, Upload, fake_discord, run_async

from bot.discord.client import ClaimdeskBot
from bot.discord.errors import APOLOGY
from bot.discord.runner import sync
from bot.discord.tenancy import guild_corpus
from bot.settings import Settings
from commands import COMMANDS
from index.library import Library

Body = Callable[[FakeDiscord, ClaimdeskBot], Awaitable[None]]
Prepare = Callable[[FakeDiscord, Path], None]

# Fictional articles, written for these tests.
FERRY = {
    "id": "orven-ferry", "title": "Ferry service resumes on Lake Orven", "outlet": "Orven Gazette",
    "published": "2025-04-02", "url": "https://gazette.example/orven-ferry",
    "text": "Ferry service resumes on Lake Orven\n\nThe ferry operator said on Wednesday that 14 crossings a day "
            "would run again from April, after nine weeks of repairs to the northern pier.",
}
PRANK = {
    "id": "prank-notice", "title": "Harbour notice *urgent* @everyone", "outlet": "Noticeboard",
    "published": "2025-04-03",
    "text": "Harbour notice\n\n@everyone @here the harbour master, quoted as <@123> and <@&456>, said the pier "
            "would close for 3 days; a reader wrote **bold** and `code` and ||spoilers|| in reply.",
}
WIRE = {
    "id": "wire-bulletin", "title": "Wire bulletin on the Orven pier", "outlet": "Fictional Wire",
    "published": "2025-04-04", "text": "Wire bulletin on the Orven pier\n\nThe pier reopened, the operator said.",
}
DISPATCH = (b"Lighthouse keeper retires after 40 years\n\nThe keeper of the Skerry light, Anneli Voss, said on Friday "
            b"that she would retire in June after 40 years, and that 2 assistants would take over.\n")
PAGE = (b"<html><head><title>Orven pier reopens to walkers</title></head><body><article><h1>Orven pier reopens to "
        b"walkers</h1><p>The northern pier reopened to walkers on Saturday, the harbour board said, after 9 weeks "
        b"of repairs costing 2 million crowns.</p><p>About 300 people crossed it in the first hour, according to "
        b"the board.</p></article></body></html>")


def write_json(folder: Path, article: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{article['id']}.json"
    path.write_text(json.dumps(article), encoding="utf-8")
    return path


def ingest(data: Path, corpus: str, *paths: Path) -> None:
    with Library(data) as library:
        report = library.ingest_paths(list(paths), corpus=corpus)
    assert not report.failures, report.failures


def scenario(*, examples: bool = True, prepare: Prepare | None = None,
             **settings: Any) -> Callable[[Body], Callable[[Path], None]]:
    """Runs ``body(fake, bot)`` with the bot connected to a fresh fake; ``prepare(fake, data)``
    shapes the world and the data first (guild ids exist only once the fake does)."""

    def decorate(body: Body) -> Callable[[Path], None]:
        def test(tmp_path: Path) -> None:
            async def main() -> None:
                data = tmp_path / "data"
                async with fake_discord() as fake:
                    if examples:
                        ingest(data, guild_corpus(fake.guild.id), EXAMPLES)
                    if prepare:
                        prepare(fake, data)
                    options = {"data": data, "dev_guild": fake.guild.id, "shared_corpus": None,
                               "allow_private_fetch": False} | settings
                    bot = ClaimdeskBot(Settings(_env_file=None, **options), **fake.client_kwargs)
                    async with fake.running(bot):
                        await body(fake, bot)

            run_async(main, timeout=90)

        test.__name__, test.__doc__ = body.__name__, body.__doc__
        return test

    return decorate


def buttons(message: FakeMessage) -> dict[str, dict]:
    """A message's page buttons by role (prev, at, next); their custom ids also carry a key and a page."""
    return {b["custom_id"].split(":")[2]: b for row in message.components for b in row["components"]}


async def answer(fake: FakeDiscord, command: str, options: dict[str, Any] | None = None, *,
                 timeout: float = 10.0, **kwargs: Any) -> FakeMessage:
    """Runs a slash command and returns the message that answers it once it is complete."""
    record = await fake.invoke_slash(command, options, **kwargs)
    await record.wait_until(lambda r: r.rejections or (r.original is not None and not r.original.loading),
                            timeout, f"the answer to /{command}")
    assert not record.rejections, record.rejections
    return record.original


# ----------------------------------------------------------------- commands and sync


@scenario()
async def test_commands_are_synced_to_the_dev_server_typed_and_described(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    stored = {c["name"]: c for c in fake.commands.list(fake.guild.id)}
    assert set(stored) == {*COMMANDS, "ingest", "digest", "feed"}
    assert fake.commands.list(None) == []  # nothing global without `claimdesk sync`
    claims = {o["name"]: o for o in stored["claims"]["options"]}
    assert claims["query"] | {"description": "…"} == {"type": 3, "name": "query", "required": True,
                                                      "autocomplete": True, "description": "…"}
    assert claims["query"]["description"] == COMMANDS["claims"].args.model_fields["query"].description
    assert {k: claims["page"][k] for k in ("type", "required", "min_value", "max_value")} == {
        "type": 4, "required": False, "min_value": 1, "max_value": 100}
    assert stored["who"]["options"][0]["autocomplete"] and stored["article"]["options"][0]["autocomplete"]
    ingest_options = {o["name"]: o["type"] for o in stored["ingest"]["options"]}
    assert ingest_options == {"url": 3, "file": 11, "file_2": 11, "file_3": 11}
    assert int(stored["ingest"]["default_member_permissions"]) == 1 << 5  # Manage Server
    assert int(stored["digest"]["default_member_permissions"]) == 1 << 5
    assert int(stored["feed"]["default_member_permissions"]) == 1 << 5
    assert all(c["default_member_permissions"] is None for name, c in stored.items()
               if name not in {"ingest", "digest", "feed"})


@scenario()
async def test_claims_answer_publicly_with_quotes_side_by_side(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    record = await fake.invoke_slash("claims", {"query": "4,200"})
    await record.wait_until(lambda r: r.followups, what="the claims")
    assert record.response_type == 5  # deferred at once
    message = record.original
    assert not message.ephemeral and message.allowed_mentions == {"parse": []}
    [embed] = message.embeds
    assert embed["author"]["name"].startswith("/claims 4,200 · ")
    assert embed["footer"]["text"].startswith("Group 1 of ")
    assert "outlet" in embed["description"] and "independent source" in embed["description"]
    pages = [embed]
    for _ in range(int(embed["footer"]["text"].split()[-1]) - 1):
        click = await fake.click_button(message, buttons(message)["next"]["custom_id"], user=fake.alice)
        await click.responded()
        await fake.wait_until(lambda: message.embeds[0] is not pages[-1])
        pages.append(message.embeds[0])
    side_by_side = [p for p in pages if len(p.get("fields", [])) >= 2]
    assert side_by_side, "a fact several outlets reported"
    fields = side_by_side[0]["fields"]
    assert all(f["inline"] and f["value"].startswith("“") and "](https://" in f["value"] for f in fields)
    assert len({f["name"].split(" · ")[0] for f in fields}) == len(fields)  # one quote per outlet
    assert all(" · 2025-03-1" in f["name"] for f in fields)


@scenario()
async def test_turning_claims_pages_reuses_the_answer_worked_out_for_the_first(fake: FakeDiscord,
                                                                               bot: ClaimdeskBot) -> None:
    message = await answer(fake, "claims", {"query": "residents"}, user=fake.alice)
    groups = int(message.embeds[0]["footer"]["text"].split()[-1])
    assert groups >= 3
    worked_out = bot.library.answers.misses
    for shown in range(2, 4):
        click = await fake.click_button(message, buttons(message)["next"]["custom_id"], user=fake.alice)
        await click.responded()
        await fake.wait_until(lambda: message.embeds[0]["footer"]["text"].startswith(f"Group {shown} of"))
    assert bot.library.answers.misses == worked_out  # no page turn searched again
    assert bot.library.answers.hits >= 2


@scenario()
async def test_only_the_invoker_turns_pages(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    message = await answer(fake, "who", {"name": "Dovnar"}, user=fake.alice)
    shown = buttons(message)
    assert shown["prev"]["disabled"] and not shown["next"]["disabled"]
    assert shown["at"]["label"].startswith("1 / ") and shown["at"]["disabled"]

    turn = await fake.click_button(message, shown["next"]["custom_id"], user=fake.alice)
    await turn.responded()
    await fake.wait_until(lambda: message.embeds[0]["footer"]["text"].startswith("Group 2 of"))
    assert turn.response_type == 6 and buttons(message)["at"]["label"].startswith("2 / ")

    intruder = await fake.click_button(message, buttons(message)["prev"]["custom_id"], user=fake.bob)
    await intruder.wait_until(lambda r: r.followups, 10, "the notice to the intruder")
    assert intruder.followups[0].ephemeral and "Only the person who ran /who" in intruder.followups[0].content
    assert message.embeds[0]["footer"]["text"].startswith("Group 2 of")

    back = await fake.click_button(message, buttons(message)["prev"]["custom_id"], user=fake.alice)
    await back.responded()
    await fake.wait_until(lambda: message.embeds[0]["footer"]["text"].startswith("Group 1 of"))
    assert buttons(message)["prev"]["disabled"]


@scenario()
async def test_search_bolds_matches_and_other_commands_answer(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    search = (await answer(fake, "search", {"query": "shelters"})).embeds[0]
    assert search["author"]["name"].startswith("/search shelters · ")
    assert any("**shelters**" in f["value"] for f in search["fields"])
    assert any("Eskarian Broadcasting Service" in f["value"] and "id `ebs`" in f["value"] for f in search["fields"])

    article = (await answer(fake, "article", {"id": "ebs"})).embeds[0]
    assert article["title"] == "Varn flood: shelters fill as governor defends response"
    assert {f["name"]: f["value"] for f in article["fields"]}["Outlet"] == "Eskarian Broadcasting Service"

    compare = await answer(fake, "compare", {"first": "lowland-daily", "second": "ebs"})
    overview = compare.embeds[0]
    assert overview["title"] == "Two articles compared" and "**A:** Red Lantern Society" in overview["description"]
    assert compare.components  # its details are on further pages

    sources = (await answer(fake, "sources")).embeds[0]
    assert sources["title"] == "6 articles · " + sources["title"].split(" · ")[1]
    assert "**The Valley Ledger** — 2 articles" in sources["description"]

    who = (await answer(fake, "who", {"name": "Dovnar"})).embeds[0]
    assert "also: " in who["author"]["name"] and "Dovnár" in who["author"]["name"]


@scenario()
async def test_empty_results_and_hostile_queries_get_a_clear_message(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    empty = await answer(fake, "claims", {"query": "zeppelin"})
    assert empty.embeds[0]["description"].startswith("No claims match.") and not empty.components

    for query, expected in [
        ('troops "unclosed ((( ' + "x" * 600, "keep it under 500"),
        ('troops "unclosed', "Unbalanced quote"),
        ("troops\u200b", "control or invisible characters"),
        ("colour:red troops", "Unknown filter `colour:`"),
        ("troops speaker:Dovnar", "`speaker:` filters claims"),  # refused before deferring, like the rest
    ]:
        message = await answer(fake, "search", {"query": query})
        assert expected in message.content and "Traceback" not in message.content
        assert len(message.content) <= 2000 and not message.embeds
        assert message.ephemeral, "a refusal is for the one who typed the query, not the channel"
    refused = await answer(fake, "who", {"name": "Dovnar", "about": "(flood"})
    assert refused.ephemeral and "Unbalanced parentheses" in refused.content
    assert not [m for m in fake.channel_messages() if not m.embeds]  # the channel saw answers only

    missing = await answer(fake, "article", {"id": "no-such-article"})
    assert missing.content.startswith("No article with id `no-such-article` here.")


def prank_article(fake: FakeDiscord, data: Path) -> None:
    ingest(data, guild_corpus(fake.guild.id), write_json(data.parent / "articles", PRANK))


@scenario(prepare=prank_article)
async def test_article_text_with_mentions_pings_nobody(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    search = await answer(fake, "search", {"query": "harbour master"})
    value = search.embeds[0]["fields"][0]["value"]
    assert "@\u200beveryone" in value and "@everyone" not in value and "\\*\\*bold\\*\\*" in value
    article = await answer(fake, "article", {"id": "prank-notice"})
    assert article.embeds[0]["title"] == "Harbour notice \\*urgent\\* @\u200beveryone"
    echoed = await answer(fake, "article", {"id": f"@everyone {fake.bob.mention} <@&{fake.guild.id}>"})
    assert "No article with id" in echoed.content
    assert fake.pinging_messages() == []
    assert all(m.allowed_mentions == {"parse": []} for m in fake.messages.by_id.values() if not m.ephemeral)


def many_articles(fake: FakeDiscord, data: Path) -> None:
    folder = data.parent / "briefs"
    folder.mkdir(parents=True)
    lines = [json.dumps({"id": f"brief-{n:02}", "title": f"Brief {n}", "outlet": f"Desk {n}",
                         "text": f"Brief {n}\n\nSpokesperson Tamsin Brook{n} said {n} boats were counted."})
             for n in range(30)]
    (folder / "briefs.jsonl").write_text("\n".join(lines), encoding="utf-8")
    ingest(data, guild_corpus(fake.guild.id), folder)


@scenario(prepare=many_articles)
async def test_autocomplete_offers_at_most_25_choices_from_this_server(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    ids = await fake.autocomplete("article", "id", {"id": "brief"})
    assert len(ids) == 25 and all(c["value"].startswith("brief-") for c in ids)
    assert ids[0]["name"].startswith(ids[0]["value"] + " — Brief")
    speakers = await fake.autocomplete("who", "name", {"name": "dov"})
    # One choice per speaker from the speakers table, whatever spellings the articles used.
    assert [c["value"] for c in speakers] == ["Mirela Dovnar"]
    assert len(await fake.autocomplete("who", "name", {"name": ""})) == 25
    outlets = await fake.autocomplete("claims", "query", {"query": "flood outlet:valley"})
    assert outlets == [{"name": 'flood outlet:"The Valley Ledger"', "value": 'flood outlet:"The Valley Ledger"'}]
    assert await fake.autocomplete("search", "query", {"query": "flood"}) == []
    first = await fake.autocomplete("compare", "first", {"first": "ledger"})
    assert [c["value"] for c in first] == ["ledger-varn-2", "ledger-varn-1"]


# ----------------------------------------------------------------- ingest


@scenario(examples=False)
async def test_ingest_is_for_server_managers_only(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
    # Discord hides the command from members without Manage Server ...
    with pytest.raises(PermissionError, match="default_member_permissions"):
        await fake.invoke_slash("ingest", {"url": "https://news.example/a"}, user=fake.bob)
    # ... and when a server opens it to everyone in its settings, the bot still refuses.
    fake.commands.find(fake.guild.id, "ingest")["default_member_permissions"] = None
    record = await fake.invoke_slash("ingest", {"url": "https://news.example/a"}, user=fake.bob)
    await record.responded()
    assert record.response_type == 4 and record.original.ephemeral
    assert record.original.content == "Only members with the Manage Server permission can use /ingest."
    nothing = await fake.invoke_slash("ingest", {}, user=fake.owner)
    await nothing.responded()
    assert nothing.original.ephemeral and nothing.original.content.startswith("Give a `url` or attach")


@contextmanager
def article_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/news/orven-pier-reopens.html"
    finally:
        server.shutdown()
        server.server_close()


@scenario(examples=False, allow_private_fetch=True, max_bytes=5000)
async def test_managers_ingest_attachments_and_urls_into_their_servers_corpus(fake: FakeDiscord,
                                                                              bot: ClaimdeskBot) -> None:
    ingesting = await fake.invoke_slash("ingest", {"file": Upload("skerry-light.txt", DISPATCH),
                                                   "file_2": Upload("notes.pdf", b"%PDF-1.7")}, user=fake.owner)
    await ingesting.responded()
    # Extraction runs in the worker process: other users are answered meanwhile.
    meanwhile = await answer(fake, "sources", user=fake.alice)
    assert meanwhile.embeds and ingesting.original.loading
    await ingesting.wait_until(lambda r: not r.original.loading, timeout=60, what="the ingest report")
    uploaded = ingesting.original
    assert ingesting.response_type == 5 and uploaded.ephemeral
    report = uploaded.embeds[0]
    assert report["title"] == "Added to this server's library"
    assert report["description"].startswith("**1 ingested · 0 updated · 0 unchanged · 1 failed**")
    assert "upload:skerry-light.txt → `skerry-light`" in report["description"]
    assert "upload:notes.pdf: unsupported file type .pdf" in report["description"]

    with article_server() as url:
        fetched = await answer(fake, "ingest", {"url": url}, user=fake.owner, timeout=30)
    assert "**1 ingested" in fetched.embeds[0]["description"]
    assert "→ `orven-pier-reopens`" in fetched.embeds[0]["description"]

    too_big = await fake.invoke_slash("ingest", {"file": Upload("huge.txt", b"x" * 6000)}, user=fake.owner)
    await too_big.responded()
    assert too_big.original.ephemeral
    assert "Over the 5,000-byte limit: huge.txt (6,000 bytes)" in too_big.original.content

    found = (await answer(fake, "search", {"query": "keeper retire"})).embeds[0]
    assert found["fields"][0]["name"] == "1. Lighthouse keeper retires after 40 years"
    pier = (await answer(fake, "article", {"id": "orven-pier-reopens"})).embeds[0]
    assert pier["title"] == "Orven pier reopens to walkers" and pier["url"] == url
    stored = bot.library.store.get(guild_corpus(fake.guild.id), "skerry-light")
    assert stored is not None and stored.source == "upload:skerry-light.txt"


def test_claimdesk_sync_registers_the_commands_globally(tmp_path: Path) -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            settings = Settings(_env_file=None, data=tmp_path / "data", discord_token=fake.token,
                                dev_guild=fake.guild.id)
            assert await sync(settings, None) == len(COMMANDS) + 3
            assert {c["name"] for c in fake.commands.list(None)} == {*COMMANDS, "ingest", "digest", "feed"}
            assert fake.commands.list(fake.guild.id) == []  # one sync, the one asked for
            assert await sync(settings, fake.guild.id) == len(COMMANDS) + 3
            assert len(fake.commands.list(fake.guild.id)) == len(COMMANDS) + 3

    run_async(main)


# ----------------------------------------------------------------- tenancy


def two_newsrooms(fake: FakeDiscord, data: Path) -> None:
    other_owner = fake.add_user("editor")
    fake.other = fake.add_guild("Other Desk", other_owner)  # type: ignore[attr-defined]
    fake.other_channel = fake.other.add_text_channel("desk")  # type: ignore[attr-defined]
    articles = data.parent / "articles"
    ingest(data, guild_corpus(fake.other.id), write_json(articles / "other", FERRY))  # type: ignore[attr-defined]
    ingest(data, "wire", write_json(articles / "wire", WIRE))


@scenario(prepare=two_newsrooms, shared_corpus="wire")
async def test_each_server_sees_only_its_own_articles_and_the_shared_corpus(fake: FakeDiscord,
                                                                            bot: ClaimdeskBot) -> None:
    await bot.sync_commands()  # globally, so the second server has the commands too
    other = fake.other_channel  # type: ignore[attr-defined]
    editor = fake.other.owner  # type: ignore[attr-defined]

    ours = (await answer(fake, "search", {"query": "evacuated"})).embeds[0]
    assert ours["fields"]
    theirs = (await answer(fake, "search", {"query": "evacuated"}, channel=other, user=editor)).embeds[0]
    assert theirs["description"].startswith("No articles match")
    ferry = (await answer(fake, "search", {"query": "ferry"}, channel=other, user=editor)).embeds[0]
    assert ferry["fields"][0]["name"] == "1. Ferry service resumes on Lake Orven"
    assert (await answer(fake, "search", {"query": "ferry"})).embeds[0]["description"].startswith("No articles match")

    refused = await answer(fake, "article", {"id": "ebs"}, channel=other, user=editor)
    assert refused.content.startswith("No article with id `ebs` here")
    assert [c["value"] for c in await fake.autocomplete("article", "id", {"id": ""}, channel=other, user=editor)] == [
        "wire-bulletin", "orven-ferry"]

    for channel, user in ((fake.channel, fake.alice), (other, editor)):
        wire = (await answer(fake, "search", {"query": "pier reopened"}, channel=channel, user=user)).embeds[0]
        assert wire["fields"][0]["name"] == "1. Wire bulletin on the Orven pier"


# ----------------------------------------------------------------- failures


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log_line() -> Iterator[Records]:
    records = Records()
    records.setFormatter(logging.Formatter("%(name)s %(message)s"))
    loggers = [logging.getLogger(name) for name in ("", "discord", "bot")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(records)
    yield records
    logging.getLogger().removeHandler(records)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_a_failure_is_logged_with_context_and_answered_with_an_apology(tmp_path: Path, every_log_line: Records) -> None:
    seen: dict[str, Any] = {}

    @scenario()
    async def body(fake: FakeDiscord, bot: ClaimdeskBot) -> None:
        def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("the index fell over")

        bot.library.search.search_articles = broken  # type: ignore[method-assign]
        message = await answer(fake, "search", {"query": "shelters"})
        seen.update(content=message.content, guild=fake.guild.id, user=fake.alice.id, token=fake.token)

    body(tmp_path)
    assert seen["content"] == APOLOGY
    failure = next(line for line in every_log_line.lines if "failed" in line and "/search" in line)
    assert f"/search (guild {seen['guild']}, user {seen['user']}) failed" in failure
    assert "RuntimeError: the index fell over" in failure
    assert not [line for line in every_log_line.lines if seen["token"] in line]
