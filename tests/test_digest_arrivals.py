"""What a digest counts as new: it reads a read-only data folder, and an article updated
after an earlier edition is listed as updated, with only the claims the update added.

The stories are fictional, written for these tests (a flood, a council budget, a
warehouse fire); the read-only folder is a real read-only bind mount (as root) or file
modes, and the CLI runs as a subprocess.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO, claimdesk_command, context
from digest_stories import BUDGET, COURT, FLOOD_EARLY, loaded
from test_data_safety import folder_state, read_only_prefix

from bot.terminal import Style, render
from commands.digest import build_digest
from index.arrivals import stamp
from index.digests import DigestBook, Schedule
from index.faults import StorageFault
from index.library import Library

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def _digest(data: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *claimdesk_command(), "--data", str(data), "digest", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


# ----------------------------------------------------------------- a read-only folder


def test_claimdesk_digest_reads_a_read_only_folder_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # Stored a moment before the digest is asked: a window ending "now" holds them.
    stored = datetime.now(timezone.utc)
    with Library(data) as library:
        library.ingest([loaded(story, "default", stored) for story in (BUDGET, COURT)])
    before = folder_state(data)
    prefix = read_only_prefix(data)
    try:
        shown = _digest(data, "--since", "2h", prefix=prefix)
        as_json = _digest(data, "--since", "2h", "--json", prefix=prefix)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(data)], check=True)
    assert shown.returncode == 0, shown.stderr
    assert "Council passes the Tarvik budget" in shown.stdout and "Traceback" not in shown.stderr
    assert as_json.returncode == 0 and '"new_articles": 2' in as_json.stdout, as_json.stderr
    assert folder_state(data) == before  # not even the ledger's tables were created


def test_a_ledger_that_must_be_written_in_a_read_only_folder_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Library(data) as library:
        library.ingest([loaded(BUDGET, "default", T0)])
    prefix = read_only_prefix(data)
    # The bot's ledger: it must create its tables, and cannot.
    opening = "from pathlib import Path; from index.digests import DigestBook; DigestBook(Path(sys.argv[1]))"
    try:
        result = subprocess.run([*prefix, sys.executable, "-c", f"import sys; {opening}",
                                 str(data / "claimdesk.sqlite3")], cwd=REPO, capture_output=True, text=True,
                                timeout=60)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(data)], check=True)
    assert result.returncode != 0
    assert "StorageFault" in result.stderr and f"cannot write to the data folder {data}" in result.stderr


def test_a_read_only_book_reads_an_existing_ledger_and_refuses_writes_in_words(tmp_path: Path) -> None:
    database = tmp_path / "ledger.sqlite3"
    writer = DigestBook(database)
    subscription = writer.subscribe(corpus="desk", channel_id=7, schedule=Schedule.parse("daily 07:00"),
                                    timezone_name="UTC", topics=["flood"], exclude="", now=T0)
    writer.plan(subscription, window_end=T0 + timedelta(days=1), now=T0)
    reader = DigestBook(database, readonly=True)
    assert [s.id for s in reader.subscriptions("desk")] == [subscription.id]
    assert reader.last_end(subscription.id) == T0 + timedelta(days=1)
    with pytest.raises(StorageFault, match="opened for reading only"):
        reader.plan(subscription, window_end=T0 + timedelta(days=2), now=T0)
    assert len(writer.editions(subscription.id)) == 1


def test_a_read_only_book_on_a_folder_without_a_ledger_has_no_subscriptions(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.ingest([loaded(FLOOD_EARLY, "desk", T0)])
        reader = DigestBook(library.store.path, readonly=True)
        assert reader.subscriptions() == [] and reader.planned() == [] and reader.last_end(1) is None
        assert reader.arrivals(["desk"], T0 - timedelta(hours=1), T0 + timedelta(hours=1)) == [
            ("desk", "brenn-flood-1")]
        edition = build_digest(context(library, "desk"), reader, since=T0 - timedelta(hours=1),
                               until=T0 + timedelta(hours=1))
        assert edition.new_articles == 1


# ----------------------------------------------------------------- updated articles

SHOOTING = ("Two killed in Velden market shooting\n\n"
            "Two people were killed in a shooting at the Velden covered market on Monday, police said.\n")
SHOOTING_UPDATED = SHOOTING + ("\nThe death toll rose to three on Tuesday after a wounded stallholder died in "
                               "hospital, the regional coroner said.\n")
FERRY = ("Ferry fares rise in Oskra\n\n"
         "Fares on the Oskra ferry will rise by 6 percent in May, the harbour authority said on Tuesday.\n")
DAM = ("Dam repairs approved\n\n"
       "The water board approved 14 million crowns for repairs to the Lenn dam, its chairwoman said.\n")


def _tick() -> datetime:
    """Now, a moment later: windows must not share an end with the ingest around them."""
    time.sleep(0.01)
    return datetime.now(timezone.utc)


def _quotes(edition) -> list[str]:
    return [q.text for section in edition.sections
            for group in [*section.groups, *(g for d in section.disagreements for g in (d.group, *d.against))]
            for q in group.quotes]


def _listed(outlets) -> set[str]:
    return {a.article_id for outlet in outlets for a in outlet.articles}


def _three_editions(tmp_path: Path, *, forget_arrivals: bool = False):
    """A shooting stored, then updated with a rising toll beside a new ferry story, then
    nothing but an unchanged re-ingest and a re-extraction; the three editions between."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "shooting.txt").write_text(SHOOTING, encoding="utf-8")
    (folder / "dam.txt").write_text(DAM, encoding="utf-8")
    data = tmp_path / "data"
    start = _tick()
    with Library(data) as library:
        assert library.ingest_paths([folder]).count("ingested") == 2
    if forget_arrivals:  # as a folder written before the arrival tables existed
        with sqlite3.connect(data / "claimdesk.sqlite3") as db:
            db.execute("DROP TABLE article_arrivals")
            db.execute("DROP TABLE claim_arrivals")
    first_end = _tick()
    (folder / "shooting.txt").write_text(SHOOTING_UPDATED, encoding="utf-8")
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    with Library(data) as library:
        report = library.ingest_paths([folder])
        assert (report.count("updated"), report.count("ingested"), report.count("unchanged")) == (1, 1, 1)
    second_end = _tick()
    with Library(data) as library:
        assert library.ingest_paths([folder]).count("unchanged") == 3
        library.reindex(re_extract=True)
    third_end = _tick()
    with Library(data, readonly=True) as library:
        book = DigestBook(library.store.path, readonly=True)
        windows = [(start, first_end), (first_end, second_end), (second_end, third_end)]
        return [build_digest(context(library), book, since=a, until=b) for a, b in windows]


@pytest.mark.parametrize("forget_arrivals", [False, True], ids=["recorded", "folder-from-before"])
def test_an_updated_article_is_listed_as_updated_with_only_the_claims_it_added(tmp_path: Path,
                                                                              forget_arrivals: bool) -> None:
    first, second, third = _three_editions(tmp_path, forget_arrivals=forget_arrivals)
    assert (first.new_articles, first.updated_articles) == (2, 0)
    assert any("Two people were killed" in quote for quote in _quotes(first))

    assert (second.new_articles, second.updated_articles) == (1, 1)
    [section] = second.sections
    assert _listed(section.outlets) == {"ferry"}  # the update is not a second new article
    assert _listed(section.updated) == {"shooting"}
    quotes = _quotes(second)
    assert any("death toll rose to three" in quote for quote in quotes)  # what the update added
    assert not any("Two people were killed" in quote for quote in quotes)  # shown in the first edition
    assert len(quotes) == len(set(quotes))
    shown = render(second, Style(color=False))
    assert "1 new article, 1 updated" in shown and "Updated articles" in shown

    assert third.empty and third.new_articles == 0  # re-reading and re-extracting are not news


def test_a_topic_digest_shows_only_the_claims_an_update_added(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "shooting.txt").write_text(SHOOTING, encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.ingest_paths([folder])
        since = _tick()
        (folder / "shooting.txt").write_text(SHOOTING_UPDATED, encoding="utf-8")
        library.ingest_paths([folder])
        edition = build_digest(context(library), DigestBook(library.store.path), since=since, until=_tick(),
                               topics=["killed"])
        quiet = build_digest(context(library), DigestBook(library.store.path), since=since, until=_tick(),
                             topics=["fares"])
    [section] = edition.sections
    assert section.topic == "killed" and section.outlets == [] and _listed(section.updated) == {"shooting"}
    quotes = _quotes(edition)
    assert quotes and all("Two people were killed" not in quote for quote in quotes)
    assert quiet.empty


# ----------------------------------------------------------------- how moments are kept


def test_stamps_sort_as_time_also_against_rows_kept_to_the_second() -> None:
    """Folders written before fractions were kept hold whole-second stamps; mixed with
    fractional ones, text order must still be time order, or a window would miss an
    article stored just before its end."""
    base = datetime(2026, 3, 1, 7, 30, tzinfo=timezone.utc)
    moments = [base - timedelta(microseconds=1), base, base + timedelta(microseconds=250),
               base + timedelta(seconds=1) - timedelta(microseconds=1), base + timedelta(seconds=1)]
    old_row = base.isoformat(timespec="seconds")  # as rows were written before
    stamps = [stamp(m) for m in moments]
    assert stamps[1] == old_row  # a due time on the second reads as it always did
    assert sorted(stamps) == stamps and len(set(stamps)) == len(stamps)  # strictly, to the microsecond
    with pytest.raises(ValueError, match="time zone"):
        stamp(datetime(2026, 3, 1, 7, 30))
