"""End-to-end tests of the real discord.py client against tests/fakediscord.

Each test builds a toy bot with a CommandTree, runs it against a fresh fake
with ``run_async`` (plain asyncio, no plugin) and asserts on what the fake
recorded. ``fake_discord()`` itself fails a test that leaks tasks or threads
or calls a route the fake lacks.
"""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from fakediscord import FakeDiscord, Upload, fake_discord, run_async

CLAIMS = ["troops massing at border", "troop numbers doubled", "tax cut passed", "turnout record high"]


class Probe:
    """What the bot saw, so tests can assert on errors raised inside command handlers."""

    def __init__(self) -> None:
        self.errors: list[discord.HTTPException] = []
        self.gate = asyncio.Event()  # lets a test hold a command until it has moved the clock
        self.attachment_bytes: bytes | None = None
        self.available_guilds: list[int] = []


class Paginator(discord.ui.View):
    def __init__(self, owner_id: int, pages: list[discord.Embed]) -> None:
        super().__init__(timeout=180)
        self.owner_id = owner_id
        self.pages = pages
        self.index = 0

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("Only the person who ran /claims can page.", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Previous", custom_id="claims:prev")
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.index = max(0, self.index - 1)
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Next", custom_id="claims:next")
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.index = min(len(self.pages) - 1, self.index + 1)
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)


class NoteForm(discord.ui.Modal, title="Add a note to the claim"):
    note = discord.ui.TextInput(label="Note", max_length=200)


def build_bot(fake: FakeDiscord, probe: Probe) -> commands.Bot:
    bot = commands.Bot(command_prefix=commands.when_mentioned, intents=discord.Intents.default(),
                       **fake.client_kwargs)

    @bot.event
    async def on_guild_available(guild: discord.Guild) -> None:
        probe.available_guilds.append(guild.id)

    @bot.tree.command(description="Repeat text back in an embed")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.defer()
        await interaction.followup.send(embed=discord.Embed(title="Echo", description=text),
                                        allowed_mentions=discord.AllowedMentions.none())

    @bot.tree.command(description="Post text as is, with default mention handling")
    async def announce(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text)

    @bot.tree.command(description="Claims matching a query, one per page")
    async def claims(interaction: discord.Interaction, query: str) -> None:
        pages = [discord.Embed(title=f"Claim {n + 1}", description=c) for n, c in enumerate(CLAIMS) if query in c]
        await interaction.response.send_message(embed=pages[0], view=Paginator(interaction.user.id, pages))

    @claims.autocomplete("query")
    async def claims_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=c, value=c) for c in CLAIMS if c.startswith(current)]

    @bot.tree.command(description="Offer more autocomplete choices than Discord allows")
    async def sources(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @sources.autocomplete("name")
    async def sources_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"source {n}", value=str(n)) for n in range(30)]

    desk = app_commands.Group(name="desk", description="Fact desk tools")

    @desk.command(description="Echo every option type back")
    async def check(interaction: discord.Interaction, claim: str, count: app_commands.Range[int, 1, 10],
                    weight: float, strict: bool, who: discord.Member, where: discord.TextChannel,
                    team: discord.Role) -> None:
        await interaction.response.send_message(
            f"{claim}|{count}|{weight}|{strict}|{who.name}|{where.name}|{team.name}", ephemeral=True)

    bot.tree.add_command(desk)

    @bot.tree.command(description="Open a form for a note")
    async def note(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(NoteForm())

    @bot.tree.command(description="Answer with an embed title over Discord's limit")
    async def oversized(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message(embed=discord.Embed(title="x" * 257))
        except discord.HTTPException as error:
            probe.errors.append(error)

    @bot.tree.command(description="Answer only once the test opens the gate")
    async def slow(interaction: discord.Interaction) -> None:
        await probe.gate.wait()
        try:
            await interaction.response.send_message("finally")
        except discord.HTTPException as error:
            probe.errors.append(error)

    @bot.tree.command(description="Read an attached file and send it back")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        probe.attachment_bytes = await file.read()
        await interaction.response.send_message(file=await file.to_file())

    return bot


def scenario(body):
    """Decorator: run ``body(fake, bot, probe)`` inside a fresh fake with the toy bot running."""

    def test() -> None:
        async def main() -> None:
            probe = Probe()
            async with fake_discord() as fake:
                bot = build_bot(fake, probe)
                async with fake.running(bot):
                    await bot.tree.sync()
                    await body(fake, bot, probe)

        run_async(main)

    test.__name__ = body.__name__
    test.__doc__ = body.__doc__
    return test


@scenario
async def test_connects_and_guild_becomes_available(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    guild = bot.get_guild(fake.guild.id)
    assert bot.is_ready() and bot.user.id == fake.bot.id and bot.application_id == fake.application_id
    assert guild is not None and guild.name == "Fake Newsroom" and guild.owner_id == fake.owner.id
    assert guild.me is not None and guild.get_channel(fake.channel.id).name == "general"
    assert probe.available_guilds == [fake.guild.id]


@scenario
async def test_tree_sync_stores_the_payload(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    assert fake.commands.overwrites == [(None, [c.to_dict(bot.tree) for c in bot.tree.get_commands()])]
    stored = {c["name"]: c for c in fake.commands.list(None)}
    assert stored["claims"]["options"][0] == {"type": 3, "name": "query", "description": "…",
                                              "required": True, "autocomplete": True}
    fetched = await bot.tree.fetch_commands()
    assert {c.name: c.id for c in fetched} == {name: int(c["id"]) for name, c in stored.items()}

    # A guild copy shadows the global command, and the interaction names the guild command.
    guild = discord.Object(fake.guild.id)
    bot.tree.copy_global_to(guild=guild)
    await bot.tree.sync(guild=guild)
    record = await fake.invoke_slash("announce", {"text": "from the guild copy"})
    await record.responded()
    assert record.payload["data"]["guild_id"] == str(fake.guild.id)
    assert record.original.content == "from the guild copy"


@scenario
async def test_deferred_echo_is_followed_up_with_an_embed(fake: FakeDiscord, bot: commands.Bot,
                                                           probe: Probe) -> None:
    record = await fake.invoke_slash("echo", {"text": "troops massing"})
    await record.wait_until(lambda r: r.followups, what="the echo followup")
    assert record.response_type == 5  # deferred
    assert record.created_at <= record.callback_at <= record.answered_at  # the followup is the answer
    [message] = record.messages  # the followup replaced the "thinking…" placeholder
    assert not message.loading and not message.ephemeral
    assert message.embeds[0]["title"] == "Echo" and message.embeds[0]["description"] == "troops massing"
    assert message.allowed_mentions == {"parse": []}
    assert fake.channel_messages() == [message]


@scenario
async def test_paginator_buttons_edit_the_message_for_the_invoker_only(fake: FakeDiscord, bot: commands.Bot,
                                                                       probe: Probe) -> None:
    record = await fake.invoke_slash("claims", {"query": "troop"}, user=fake.alice)
    await record.responded()
    message = record.original
    assert message.embeds[0]["title"] == "Claim 1"
    assert [b["custom_id"] for b in message.components[0]["components"]] == ["claims:prev", "claims:next"]

    click = await fake.click_button(message, "claims:next", user=fake.alice)
    await click.responded()
    assert click.response_type == 7 and click.original is message
    assert message.embeds[0]["title"] == "Claim 2" and message.edited_timestamp is not None

    intruder = await fake.click_button(message, "claims:prev", user=fake.bob)
    await intruder.responded()
    assert intruder.original.ephemeral and "Only the person" in intruder.original.content
    assert message.embeds[0]["title"] == "Claim 2"


@scenario
async def test_embed_over_a_limit_is_rejected_like_discord(fake: FakeDiscord, bot: commands.Bot,
                                                           probe: Probe) -> None:
    record = await fake.invoke_slash("oversized")
    await record.responded()
    [error] = probe.errors
    assert error.status == 400 and error.code == 50035
    assert "In data.embeds.0.title: Must be 256 or fewer in length." in str(error)
    assert record.response_type is None and record.rejections[0].status == 400


@scenario
async def test_interaction_deadlines(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    late = await fake.invoke_slash("slow")
    fake.clock.advance(3.5)  # past the 3 s Discord allows for the initial response
    probe.gate.set()
    await late.responded()
    [error] = probe.errors
    assert isinstance(error, discord.NotFound) and error.code == 10062
    # When the refused callback arrived is still recorded: benchmarks time late answers too.
    assert late.callback_at - late.created_at >= 3.5 and late.answered_at is None

    answered = await fake.invoke_slash("announce", {"text": "hello"})
    await answered.responded()
    url = f"{fake.api_base}/interactions/{answered.id}/{answered.token}/callback"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"type": 4, "data": {"content": "again"}}) as response:
            assert response.status == 400 and (await response.json())["code"] == 40060
        fake.clock.advance(15 * 60)  # the interaction token has expired
        followup = f"{fake.api_base}/webhooks/{fake.application_id}/{answered.token}?wait=true"
        async with session.post(followup, json={"content": "too late"}) as response:
            assert response.status == 401 and (await response.json())["code"] == 50027


@scenario
async def test_allowed_mentions_decide_who_is_pinged(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    guarded = await fake.invoke_slash("echo", {"text": f"@everyone {fake.bob.mention}"})
    await guarded.wait_until(lambda r: r.followups)
    assert fake.pinging_messages() == []

    loose = await fake.invoke_slash("announce", {"text": f"@everyone look, {fake.bob.mention}"})
    await loose.responded()
    pings = loose.original.pings
    assert pings.everyone and pings.users == {fake.bob.id}
    assert fake.pinging_messages() == [loose.original]


@scenario
async def test_autocomplete_returns_the_bots_choices(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    choices = await fake.autocomplete("claims", "query", {"query": "troop"})
    assert choices == [{"name": c, "value": c} for c in CLAIMS[:2]]


@scenario
async def test_autocomplete_with_too_many_choices_is_rejected(fake: FakeDiscord, bot: commands.Bot,
                                                              probe: Probe) -> None:
    with pytest.raises(AssertionError, match="Must be 25 or fewer in length"):
        await fake.autocomplete("sources", "name", {"name": "s"})


def test_options_of_every_type_reach_the_command() -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            team = fake.guild.add_role("Fact checkers")  # world first: GUILD_CREATE is sent on connect
            bot = build_bot(fake, Probe())
            async with fake.running(bot):
                await bot.tree.sync()
                options = {"claim": "troops", "count": 3, "weight": 0.5, "strict": True,
                           "who": fake.bob, "where": fake.channel, "team": team}
                record = await fake.invoke_slash("desk check", options)
                await record.responded()
                assert record.original.ephemeral
                assert record.original.content == "troops|3|0.5|True|bob|general|Fact checkers"
                with pytest.raises(ValueError, match="outside"):
                    await fake.invoke_slash("desk check", options | {"count": 11})
                with pytest.raises(ValueError, match="sub-command"):
                    await fake.invoke_slash("desk", {})

    run_async(main)


@scenario
async def test_modal_response_is_recorded(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    record = await fake.invoke_slash("note")
    await record.responded()
    assert record.response_type == 9 and record.modal["title"] == "Add a note to the claim"
    [row] = record.modal["components"]
    assert row["components"][0]["label"] == "Note" and record.original is None


@scenario
async def test_attachment_option_round_trip(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    record = await fake.invoke_slash("upload", {"file": Upload("claims.csv", b"claim,source\n")})
    await record.responded()
    assert probe.attachment_bytes == b"claim,source\n"
    [attachment] = record.original.attachments
    assert attachment.filename == "claims.csv" and attachment.data == b"claim,source\n"


@scenario
async def test_gateway_reconnect_resumes_the_session(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    session = fake.gateway.active
    await fake.request_reconnect()
    await fake.wait_until(lambda: session.sent[-1]["t"] == "RESUMED", what="RESUMED")
    record = await fake.invoke_slash("announce", {"text": "still here"})
    await record.responded()
    assert record.original.content == "still here" and len(fake.gateway.sessions) == 1


def test_command_definitions_are_validated_and_creates_capped() -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            bot = build_bot(fake, Probe())
            async with fake.running(bot):
                app_id = bot.application_id
                bad = [
                    {"name": "Echo", "description": "uppercase"},
                    {"name": "x", "description": ""},
                    {"name": "opts", "description": "d", "options": [
                        {"type": 3, "name": "a", "description": "d"},
                        {"type": 3, "name": "b", "description": "d", "required": True},
                    ]},
                ]
                with pytest.raises(discord.HTTPException) as raised:
                    await bot.http.bulk_upsert_global_commands(app_id, payload=bad)
                assert raised.value.code == 50035
                text = str(raised.value)
                assert "0.name" in text and "1.description" in text and "2.options.1.required" in text

                too_many = [{"name": f"c{n}", "description": "d"} for n in range(101)]
                with pytest.raises(discord.HTTPException, match="Maximum number"):
                    await bot.http.bulk_upsert_global_commands(app_id, payload=too_many)

                # 200 new commands a day per scope: two fresh sets of 100 pass, a third is refused.
                for batch in range(2):
                    batch_commands = [{"name": f"b{batch}-{n}", "description": "d"} for n in range(100)]
                    await bot.http.bulk_upsert_guild_commands(app_id, fake.guild.id, payload=batch_commands)
                with pytest.raises(discord.RateLimited):
                    await bot.http.bulk_upsert_guild_commands(
                        app_id, fake.guild.id, payload=[{"name": "one-more", "description": "d"}])

    run_async(main)


def message_with(**fields):
    return {"content": "x"} | fields


def embed_with(**fields):
    return message_with(embeds=[{"title": "t"} | fields])


def buttons(*items):
    return message_with(components=[{"type": 1, "components": list(items)}])


def button(**fields):
    return {"type": 2, "style": 1, "label": "ok", "custom_id": "id"} | fields


INVALID_MESSAGES = {
    "content over 2000": (message_with(content="x" * 2001), "content"),
    "11 embeds": (message_with(embeds=[{"title": "t"}] * 11), "embeds"),
    "description over 4096": (embed_with(description="x" * 4097), "embeds.0.description"),
    "26 fields": (embed_with(fields=[{"name": "n", "value": "v"}] * 26), "embeds.0.fields"),
    "empty field name": (embed_with(fields=[{"name": "", "value": "v"}]), "embeds.0.fields.0.name"),
    "field value over 1024": (embed_with(fields=[{"name": "n", "value": "x" * 1025}]), "embeds.0.fields.0.value"),
    "footer over 2048": (embed_with(footer={"text": "x" * 2049}), "embeds.0.footer.text"),
    "author over 256": (embed_with(author={"name": "x" * 257}), "embeds.0.author.name"),
    "6000 across embeds": (message_with(embeds=[{"description": "x" * 4000}, {"description": "y" * 2001}]),
                           "embeds: Embed size exceeds"),
    "6 action rows": (message_with(components=[{"type": 1, "components": [button(custom_id=str(n))]}
                                               for n in range(6)]), "components"),
    "6 buttons in a row": (buttons(*[button(custom_id=str(n)) for n in range(6)]), "components.0.components"),
    "custom_id over 100": (buttons(button(custom_id="x" * 101)), "components.0.components.0.custom_id"),
    "label over 80": (buttons(button(label="x" * 81)), "components.0.components.0.label"),
    "link button without url": (buttons({"type": 2, "style": 5, "label": "docs"}), "components.0.components.0.url"),
    "button without custom_id": (buttons({"type": 2, "style": 1, "label": "go"}),
                                 "components.0.components.0.custom_id"),
    "parse users and users list": (message_with(allowed_mentions={"parse": ["users"], "users": ["1"]}),
                                   "allowed_mentions"),
    "empty message": ({"content": "  "}, "Cannot send an empty message"),
}


@pytest.mark.parametrize("body, expected", INVALID_MESSAGES.values(), ids=INVALID_MESSAGES.keys())
def test_invalid_message_bodies_are_rejected(body: dict, expected: str) -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            bot = build_bot(fake, Probe())
            async with fake.running(bot):
                with pytest.raises(discord.HTTPException) as raised:
                    await bot.http.send_message(fake.channel.id, params=_params(body))
                assert raised.value.status == 400 and expected in str(raised.value)
                assert fake.channel_messages() == []

    run_async(main)


@scenario
async def test_channel_history_pages_like_discord(fake: FakeDiscord, bot: commands.Bot, probe: Probe) -> None:
    channel = bot.get_channel(fake.channel.id)
    sent = [await channel.send(f"note {n}") for n in range(5)]
    newest_first = [m.id async for m in channel.history(limit=3)]
    assert newest_first == [m.id for m in reversed(sent)][:3]
    after = [m.content async for m in channel.history(after=sent[1], oldest_first=True)]
    assert after == ["note 2", "note 3", "note 4"]
    before = [m.content async for m in channel.history(before=sent[3], limit=2)]
    assert before == ["note 2", "note 1"]
    for query, field in (("limit=101", "limit"), ("after=1&before=2", "around"), ("after=x", "after")):
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.request(discord.http.Route("GET", f"/channels/{fake.channel.id}/messages?{query}"))
        assert raised.value.status == 400 and field in str(raised.value)


def test_channel_history_needs_read_message_history() -> None:
    async def main() -> None:
        view_and_send = (1 << 10) | (1 << 11)
        async with fake_discord(bot_permissions=view_and_send) as fake:
            fake.guild.everyone.permissions &= ~(1 << 16)  # permissions are a union of the roles
            bot = build_bot(fake, Probe())
            async with fake.running(bot):
                channel = bot.get_channel(fake.channel.id)
                await channel.send("posted")
                with pytest.raises(discord.Forbidden):
                    [m async for m in channel.history(limit=5)]

    run_async(main)


@scenario
async def test_an_enforced_nonce_returns_the_first_message_for_a_few_minutes(fake: FakeDiscord, bot: commands.Bot,
                                                                              probe: Probe) -> None:
    channel = bot.get_channel(fake.channel.id)
    first = await channel.send("edition 1", nonce="d1p0")
    again = await channel.send("edition 1, retried", nonce="d1p0")
    assert again.id == first.id and [m.content for m in fake.channel_messages()] == ["edition 1"]
    fake.clock.advance(5 * 60 + 1)
    later = await channel.send("edition 1, much later", nonce="d1p0")
    assert later.id != first.id and len(fake.channel_messages()) == 2
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send("too long a nonce", nonce="n" * 26)
    assert raised.value.status == 400 and "nonce" in str(raised.value)


def _params(body: dict) -> discord.http.MultipartParameters:
    return discord.http.MultipartParameters(payload=body, multipart=None, files=None)


def test_unknown_routes_fail_the_test_loudly() -> None:
    async def main() -> None:
        async with fake_discord() as fake:
            bot = build_bot(fake, Probe())
            async with fake.running(bot):
                with pytest.raises(discord.NotFound):
                    await bot.fetch_guild(fake.guild.id)  # GET /guilds/{id} is not implemented

    with pytest.raises(AssertionError, match=r"routes fakediscord does not implement: \['GET /api/v10/guilds/"):
        run_async(main)


def test_shutdown_with_live_views_is_clean() -> None:
    """A bot closed while a paginator View is alive leaves no tasks, threads or warnings behind
    (fake_discord and run_async would fail the test otherwise)."""

    async def main() -> None:
        async with fake_discord() as fake:
            bot = build_bot(fake, Probe())
            async with fake.running(bot):
                await bot.tree.sync()
                record = await fake.invoke_slash("claims", {"query": "t"})
                await record.responded()
            assert bot.is_closed()

    run_async(main)
