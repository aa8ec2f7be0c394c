"""Digests without Discord: schedules, the editions ledger, the edition builder, embeds
that fit Discord's limits, the scheduler's start-up reconciliation and the terminal."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import discord
import pytest
from conftest import claimdesk_command, context
from digest_stories import BUDGET, COURT, ELECTION, FLOOD_EARLY, FLOOD_LATE, PING, loaded

from bot import scheduler
from bot.discord import limits
from bot.discord.render.digest import edition_messages, pack_messages
from commands.base import CommandError
from commands.digest import MAX_ITEMS, SubscribeArgs, build_digest, preview, subscribe
from index.digests import MAX_LOOKBACK, DigestBook, Schedule, ScheduleError, Subscription, check_timezone
from index.library import Library

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory):
    """One data folder for the builder tests: a flood reported on Monday, then on Tuesday
    the same flood with another figure, a budget, a court case, an election and a prank."""
    data = tmp_path_factory.mktemp("digest") / "data"
    with Library(data) as library:
        library.ingest([loaded(FLOOD_EARLY, "desk", T0)])
        library.ingest([loaded(s, "desk", T0 + timedelta(days=1)) for s in (FLOOD_LATE, BUDGET, COURT, ELECTION)])
        library.ingest([loaded(PING, "other-desk", T0 + timedelta(days=1))])
        yield library, DigestBook(library.store.path)


TUESDAY = {"since": T0 + timedelta(hours=12), "until": T0 + timedelta(days=2)}


# ----------------------------------------------------------------- schedules


@pytest.mark.parametrize(("text", "expected"), [
    ("daily 07:30", "daily 07:30"), ("Daily  7:05", "daily 07:05"), ("every 6 hours", "every 6 hours"),
    ("every 1 hour", "every 1 hour"), ("EVERY 24 HOURS", "every 24 hours"),
])
def test_schedules_are_read_and_written_back_the_same_way(text: str, expected: str) -> None:
    assert Schedule.parse(text).text() == expected
    assert Schedule.parse(expected) == Schedule.parse(text)


@pytest.mark.parametrize(("text", "says"), [
    ("daily 24:00", "24-hour HH:MM"), ("daily 7.30", "is not a schedule"), ("every 0 hours", "between 1 and 168"),
    ("every 200 hours", "between 1 and 168"), ("hourly", "is not a schedule"), ("", "is not a schedule"),
])
def test_bad_schedules_say_what_to_type(text: str, says: str) -> None:
    with pytest.raises(ScheduleError, match=says):
        Schedule.parse(text)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../etc/passwd", "/usr/share/zoneinfo/UTC", "Europe/"])
def test_unknown_time_zones_are_refused(name: str) -> None:
    with pytest.raises(ScheduleError, match="IANA name"):
        check_timezone(name)


def test_a_daily_digest_stays_at_local_time_across_daylight_saving() -> None:
    subscription = Subscription(id=1, corpus="c", channel_id=1, schedule="daily 07:30", timezone="Europe/Berlin",
                                created_at=datetime(2026, 3, 20, tzinfo=timezone.utc))
    # Winter: 07:30 in Berlin is 06:30 UTC; after 29 March it is 05:30 UTC.
    assert scheduler.last_due(subscription, datetime(2026, 3, 28, 12, tzinfo=timezone.utc)) == datetime(
        2026, 3, 28, 6, 30, tzinfo=timezone.utc)
    assert scheduler.last_due(subscription, datetime(2026, 3, 30, 12, tzinfo=timezone.utc)) == datetime(
        2026, 3, 30, 5, 30, tzinfo=timezone.utc)
    assert scheduler.last_due(subscription, datetime(2026, 3, 30, 5, 29, tzinfo=timezone.utc)) == datetime(
        2026, 3, 29, 5, 30, tzinfo=timezone.utc)


def test_every_n_hours_counts_from_one_period_after_subscribing() -> None:
    made = datetime(2026, 3, 2, 9, 10, tzinfo=timezone.utc)
    subscription = Subscription(id=1, corpus="c", channel_id=1, schedule="every 6 hours", timezone="UTC",
                                created_at=made)
    assert scheduler.last_due(subscription, made + timedelta(hours=5)) is None
    assert scheduler.last_due(subscription, made + timedelta(hours=6)) == made + timedelta(hours=6)
    assert scheduler.last_due(subscription, made + timedelta(hours=20)) == made + timedelta(hours=18)


# ----------------------------------------------------------------- the ledger


def _subscription(book: DigestBook, schedule: str = "every 6 hours") -> Subscription:
    return book.subscribe(corpus="desk", channel_id=42, schedule=Schedule.parse(schedule), timezone_name="UTC",
                          topics=[], exclude="", now=T0)


def test_an_edition_is_planned_once_per_due_time(tmp_path: Path) -> None:
    book = DigestBook(tmp_path / "ledger.sqlite3")
    subscription = _subscription(book)
    first, created = book.plan(subscription, window_end=T0 + timedelta(hours=6), now=T0 + timedelta(hours=6))
    assert created and first.status == "planned"
    assert (first.window_start, first.window_end) == (T0, T0 + timedelta(hours=6))  # one period back
    again, created = book.plan(subscription, window_end=T0 + timedelta(hours=6), now=T0 + timedelta(hours=7))
    assert not created and again == first
    book.record_message(first.id, 1, 222)
    book.record_message(first.id, 0, 111)
    book.mark_sent(first.id, T0 + timedelta(hours=6))
    sent = book.edition(first.id)
    assert sent.status == "sent" and sent.message_ids == [111, 222]
    # The next edition starts where this one ended, however late it runs.
    later, _ = book.plan(subscription, window_end=T0 + timedelta(hours=24), now=T0 + timedelta(hours=25))
    assert later.window_start == T0 + timedelta(hours=6)
    with pytest.raises(sqlite3.IntegrityError):  # the database itself refuses a second row
        with sqlite3.connect(book.database) as db:
            db.execute("INSERT INTO digest_editions (subscription_id, window_start, window_end, status, planned_at) "
                       "SELECT subscription_id, window_start, window_end, 'planned', planned_at FROM digest_editions "
                       "WHERE id = ?", (later.id,))


def test_a_catch_up_never_reaches_back_more_than_a_week(tmp_path: Path) -> None:
    book = DigestBook(tmp_path / "ledger.sqlite3")
    subscription = _subscription(book, "daily 06:00")
    book.plan(subscription, window_end=T0, now=T0)
    late = T0 + timedelta(days=30)
    edition, _ = book.plan(subscription, window_end=late, now=late)
    assert edition.window_start == late - MAX_LOOKBACK


def test_unsubscribing_touches_only_the_servers_own_subscription(tmp_path: Path) -> None:
    book = DigestBook(tmp_path / "ledger.sqlite3")
    ours = _subscription(book)
    assert not book.unsubscribe("another-desk", ours.id)
    assert book.subscription(ours.id) is not None
    book.plan(ours, window_end=T0 + timedelta(hours=6), now=T0)
    assert book.unsubscribe("desk", ours.id)
    assert book.subscription(ours.id) is None and book.editions(ours.id) == []


def test_a_feeds_first_poll_baseline_is_not_news(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.ingest([loaded(s, "desk", T0) for s in (BUDGET, COURT)])
        book = DigestBook(library.store.path)
        window = (T0 - timedelta(hours=1), T0 + timedelta(hours=1))
        assert {a for _, a in book.arrivals(["desk"], *window)} == {"tarvik-budget", "osk-court"}
        with sqlite3.connect(library.store.path) as db:  # as the feeds module records a baseline
            db.execute("CREATE TABLE feed_baseline (corpus TEXT, article_id TEXT)")
            db.execute("INSERT INTO feed_baseline VALUES ('desk', 'osk-court')")
        assert book.arrivals(["desk"], *window) == [("desk", "tarvik-budget")]
        assert book.arrivals(["another-desk"], *window) == []


# ----------------------------------------------------------------- the edition


def test_new_disagreements_come_first_against_older_reporting(newsroom) -> None:
    library, book = newsroom
    edition = build_digest(context(library, "desk"), book, **TUESDAY)
    assert edition.new_articles == 4 and len(edition.sections) == 1
    section = edition.sections[0]
    assert section.topic is None
    [disagreement] = section.disagreements
    assert disagreement.group.figures[0].value == 5000 and disagreement.group.speakers == ["volunteer fire brigade"]
    assert [g.figures[0].value for g in disagreement.against] == [3000]  # Monday's figure, not new itself
    assert disagreement.against[0].quotes[0].outlet == "Brennmark Courier"
    shown = [disagreement.group.id, *(g.id for g in disagreement.against)]
    assert not {g.id for g in section.groups} & set(shown)
    assert len(section.disagreements) + len(section.groups) <= MAX_ITEMS
    outlets = {o.outlet for o in section.outlets}
    assert outlets == {"Alde Valley Post", "Tarvik Ledger", "Osk Evening Star", "Lenz Morning Wire"}
    for group in [disagreement.group, *disagreement.against, *section.groups]:
        for quote in group.quotes:  # verbatim slices of the stored articles
            article = library.store.get("desk", quote.article_id)
            assert article.text[quote.start:quote.end] == quote.text


def test_items_past_the_limit_are_counted_not_shown(newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    library, book = newsroom
    monkeypatch.setattr("commands.digest.MAX_ITEMS", 50)
    [everything] = build_digest(context(library, "desk"), book, **TUESDAY).sections
    items = len(everything.disagreements) + len(everything.groups)
    assert items > 2 and everything.more == 0
    monkeypatch.setattr("commands.digest.MAX_ITEMS", 2)
    [section] = build_digest(context(library, "desk"), book, **TUESDAY).sections
    assert len(section.disagreements) == 1 and len(section.groups) == 1  # the disagreement first
    assert section.more == items - 2


def test_topics_each_get_a_section_and_exclusions_leave_claims_out(newsroom) -> None:
    library, book = newsroom
    edition = build_digest(context(library, "desk"), book, topics=["evacuated", "budget", "snowfall"], **TUESDAY)
    assert [s.topic for s in edition.sections] == ["evacuated", "budget"]  # nothing new on snowfall
    evacuated, budget = edition.sections
    assert len(evacuated.disagreements) == 1 and [o.outlet for o in evacuated.outlets] == ["Alde Valley Post"]
    assert [o.outlet for o in budget.outlets] == ["Tarvik Ledger"] and not budget.disagreements
    assert any(f.value == 412_000_000 for g in budget.groups for f in g.figures)

    without = build_digest(context(library, "desk"), book, topics=["evacuated"], exclude="brigade", **TUESDAY)
    assert without.empty  # the only new evacuation claim was the brigade's


def test_nothing_new_is_an_empty_edition(newsroom) -> None:
    library, book = newsroom
    edition = build_digest(context(library, "desk"), book, since=T0 + timedelta(days=5), until=T0 + timedelta(days=6))
    assert edition.empty and edition.sections == [] and edition.new_articles == 0


def test_a_server_never_gets_another_servers_articles(newsroom) -> None:
    library, book = newsroom
    ours = build_digest(context(library, "desk"), book, **TUESDAY)
    assert "Noticeboard *Daily*" not in {o.outlet for s in ours.sections for o in s.outlets}
    theirs = build_digest(context(library, "other-desk"), book, **TUESDAY)
    assert {o.outlet for s in theirs.sections for o in s.outlets} == {"Noticeboard *Daily*"}


def test_bad_topics_and_windows_are_refused_with_a_message(newsroom) -> None:
    library, book = newsroom
    with pytest.raises(CommandError, match="topic `\"unclosed`.*Unbalanced quote"):
        build_digest(context(library, "desk"), book, topics=['"unclosed'], **TUESDAY)
    with pytest.raises(CommandError, match="start must come before its end"):
        build_digest(context(library, "desk"), book, since=T0, until=T0)
    args = SubscribeArgs(channel_id=1, schedule="daily 07:00", timezone="UTC", topics=",".join("abcdef"))
    with pytest.raises(CommandError, match="at most 5"):
        subscribe(context(library, "desk"), book, "desk", args, T0)


def test_the_same_subscription_twice_is_refused(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as library:
        book = DigestBook(library.store.path)
        args = SubscribeArgs(channel_id=5, schedule="daily 7:00", timezone="UTC", topics="flood, budget")
        subscribe(context(library, "desk"), book, "desk", args, T0)
        again = args.model_copy(update={"schedule": "daily 07:00", "topics": "flood,budget "})
        with pytest.raises(CommandError, match="Digest 1 already posts exactly this"):
            subscribe(context(library, "desk"), book, "desk", again, T0)
        subscribe(context(library, "other-desk"), book, "other-desk", again, T0)  # another server's is its own
        elsewhere = args.model_copy(update={"channel_id": 6})
        assert subscribe(context(library, "desk"), book, "desk", elsewhere, T0).subscriptions[0].id == 3


def test_preview_covers_what_arrived_since_the_last_edition(newsroom) -> None:
    library, _ = newsroom
    book = DigestBook(library.store.path)
    args = SubscribeArgs(channel_id=7, schedule="every 12 hours", timezone="Asia/Kolkata", topics="budget")
    [made] = subscribe(context(library, "desk"), book, "desk", args, T0).subscriptions
    shown = preview(context(library, "desk"), book, made, T0 + timedelta(days=1, hours=1))
    assert [s.topic for s in shown.sections] == ["budget"]
    book.plan(made, window_end=T0 + timedelta(days=1, hours=2), now=T0)  # an edition went out after it
    assert preview(context(library, "desk"), book, made, T0 + timedelta(days=1, hours=3)).empty
    assert book.unsubscribe("desk", made.id)


# ----------------------------------------------------------------- rendering


def test_embeds_are_packed_within_discords_message_limits() -> None:
    embeds = [discord.Embed(title=f"embed {n}", description="x" * 1500) for n in range(14)]
    embeds += [discord.Embed(description="y" * 100) for _ in range(12)]
    messages = pack_messages(embeds)
    assert [e for m in messages for e in m] == embeds  # all of them, in order
    for message in messages:
        assert 1 <= len(message) <= 10
        assert sum(len(e) for e in message) <= limits.EMBED_TOTAL - 120


def test_an_edition_is_marked_part_by_part_and_escapes_article_markdown(newsroom) -> None:
    library, book = newsroom
    edition = build_digest(context(library, "other-desk"), book, **TUESDAY)
    messages = edition_messages(edition, "claimdesk digest 3 · edition 9")
    assert [m[0].footer.text for m in messages] == [
        f"claimdesk digest 3 · edition 9 · part {n} of {len(messages)}" for n in range(1, len(messages) + 1)]
    text = json.dumps([e.to_dict() for m in messages for e in m], ensure_ascii=False)
    assert "Noticeboard \\\\*Daily\\\\*" in text and "@everyone" not in text.replace("@\u200beveryone", "")
    for message in messages:
        assert sum(len(e) for e in message) <= limits.EMBED_TOTAL and len(message) <= 10


# ----------------------------------------------------------------- the scheduler


def test_start_up_adds_missing_jobs_reschedules_changed_ones_and_removes_orphans(tmp_path: Path) -> None:
    def sub(id_: int, schedule: str) -> Subscription:
        return Subscription(id=id_, corpus="c", channel_id=1, schedule=schedule, timezone="Europe/Oslo",
                            created_at=T0)

    async def main() -> None:
        first = scheduler.create_scheduler(tmp_path)
        first.start(paused=True)
        scheduler.reconcile(first, [scheduler.digest_job(sub(1, "daily 07:00")),
                                    scheduler.digest_job(sub(2, "every 2 hours")), scheduler.feed_poll_job()])
        kept_next = first.get_job("digest-2").next_run_time
        first.shutdown(wait=False)

        second = scheduler.create_scheduler(tmp_path)
        second.start(paused=True)
        done = scheduler.reconcile(second, [scheduler.digest_job(sub(2, "every 2 hours")),
                                            scheduler.digest_job(sub(3, "daily 08:15")),
                                            scheduler.digest_job(sub(1, "daily 09:00")), scheduler.feed_poll_job()])
        assert done.added == ["digest-3"] and done.rescheduled == ["digest-1"] and done.removed == []
        assert second.get_job("digest-2").next_run_time == kept_next  # untouched, as stored
        job = second.get_job("digest-1")
        assert (job.func_ref, job.args, job.coalesce, job.max_instances) == ("bot.jobs:send_digest", (1,), True, 1)
        assert job.misfire_grace_time == scheduler.DIGEST_MISFIRE_GRACE
        assert str(job.trigger.timezone) == "Europe/Oslo"
        done = scheduler.reconcile(second, [scheduler.digest_job(sub(3, "daily 08:15"))])
        assert sorted(done.removed) == ["digest-1", "digest-2", scheduler.FEED_POLL_JOB]
        second.shutdown(wait=False)

    asyncio.run(main())


# ----------------------------------------------------------------- the terminal


def test_claimdesk_digest_prints_an_edition_for_a_window(newsroom) -> None:
    library, _ = newsroom
    base = [*claimdesk_command(), "--data", str(library.data_dir), "digest", "--corpus", "desk"]
    window = ["--since", "2026-03-02T20:00", "--until", "2026-03-04"]
    shown = subprocess.run([*base, *window, "--topics", "evacuated"], capture_output=True, text=True, check=True)
    assert "⚠ New disagreements (1)" in shown.stdout and "Alde Valley Post" in shown.stdout
    as_json = subprocess.run([*base, *window, "--json"], capture_output=True, text=True, check=True)
    assert json.loads(as_json.stdout)["new_articles"] == 4
    quiet = subprocess.run([*base, "--since", "2020-01-01", "--until", "2020-01-02"], capture_output=True, text=True)
    assert quiet.returncode == 0 and "Nothing new" in quiet.stdout
    bad = subprocess.run([*base, "--since", "last tuesday"], capture_output=True, text=True)
    assert bad.returncode == 2 and "is not a time" in bad.stderr


def test_overlong_links_fall_back_to_the_article_id_instead_of_breaking(newsroom) -> None:
    library, book = newsroom
    edition = build_digest(context(library, "desk"), book, **TUESDAY)
    huge = "https://news.example/" + "very-long-path/" * 150
    for section in edition.sections:
        for group in [g for d in section.disagreements for g in (d.group, *d.against)] + section.groups:
            for quote in group.quotes:
                quote.url = huge
        for outlet in section.outlets:
            for article in outlet.articles:
                article.url = huge
    messages = edition_messages(edition, "claimdesk digest 1 · edition 1")
    fields = [f for m in messages for e in m for f in e.to_dict().get("fields", [])]
    assert fields and all(len(f["value"]) <= limits.FIELD_VALUE for f in fields)
    text = json.dumps([e.to_dict() for m in messages for e in m])
    assert huge not in text and "`/article brenn-flood-2`" in text and "(`tarvik-budget`)" in text


def test_an_unreadable_job_store_is_moved_aside_and_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / scheduler.JOBSTORE_FILE).write_bytes(b"not a database " * 200)
    subscription = Subscription(id=4, corpus="c", channel_id=1, schedule="daily 06:45", timezone="UTC", created_at=T0)

    async def main() -> None:
        started = scheduler.start_paused(scheduler.create_scheduler(tmp_path), tmp_path)
        assert scheduler.reconcile(started, [scheduler.digest_job(subscription)]).added == ["digest-4"]
        started.shutdown(wait=False)

    asyncio.run(main())
    assert [p.name.split(".damaged-")[0] for p in tmp_path.glob("*.damaged-*")] == [scheduler.JOBSTORE_FILE]
    assert any("could not be read" in r.getMessage() for r in caplog.records)



def test_claimdesk_digest_never_lets_article_text_drive_the_terminal(tmp_path: Path) -> None:
    title = "Harbour \x1b]0;owned\x07notice \u202eevil"
    with Library(tmp_path / "data") as library:
        story = ("pier-notice", "Noticeboard", title, BUDGET[3])
        # Two seconds ago: arrivals are kept to the second, and a window ending "now" ends
        # before the second it is in, so an article stored in that very second is not in it.
        library.ingest([loaded(story, "default", datetime.now(timezone.utc) - timedelta(seconds=2))])
    shown = subprocess.run([*claimdesk_command(), "--data", str(tmp_path / "data"), "digest", "--since", "1h"],
                           capture_output=True, text=True, check=True)
    assert "Harbour ␛]0;owned␇notice" in shown.stdout
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    as_json = subprocess.run([*claimdesk_command(), "--data", str(tmp_path / "data"), "digest", "--since", "1h",
                              "--json"], capture_output=True, text=True, check=True)
    assert "\x1b" not in as_json.stdout and "\u202e" not in as_json.stdout and json.loads(as_json.stdout)
