"""What a digest counts as new: it reads a read-only data folder, and an article updated
after an earlier edition is listed as updated, with only the claims the update added.

The stories are fictional, written for these tests (a flood, a council budget, a
warehouse fire); the read-only folder is a real read-only bind mount (as root) or file
modes, and the CLI runs as a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO, claimdesk_command, context
from digest_stories import BUDGET, COURT, FLOOD_EARLY, loaded
from test_data_safety import folder_state, read_only_prefix

from commands.digest import build_digest
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
    with Library(data) as library:  # stored now, so the default window (the last 24 h) holds them
        library.ingest([loaded(story, "default", datetime.now(timezone.utc)) for story in (BUDGET, COURT)])
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
