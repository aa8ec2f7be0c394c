"""``claimdesk check``: damage that leaves files readable — an article's text changed under
its checksum, a claim no longer at its offsets, a garbled index segment, a damaged
database page — is found, named, and given a remedy that works. Real files are damaged;
the CLI runs as a subprocess. The stories are the fictional ones of test_data_safety.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from test_data_safety import QUERIES, claimdesk, folder_state, garble, live_generation, pristine, segment_files  # noqa: F401

from index.check import check_data_folder
from index.faults import StorageFault
from index.library import Library
from index.query import parse_query


@pytest.fixture
def data(pristine, tmp_path) -> Path:  # noqa: F811 (pristine is the imported fixture)
    copy = tmp_path / "data"
    shutil.copytree(pristine, copy)
    return copy


def damaged_parts(data: Path) -> dict[str, str]:
    return {f.part: f"{f.what} | {f.remedy}" for f in check_data_folder(data).findings if f.damaged}


def stored(data: Path) -> dict[str, bytes]:
    """The folder's files but SQLite's own -wal/-shm, which any reader may create."""
    return {name: content for name, content in folder_state(data).items() if not name.endswith(("-wal", "-shm"))}


def test_a_sound_folder_checks_out_and_nothing_is_written(data: Path) -> None:
    before = stored(data)
    result = claimdesk(data, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["ok"] * 4
    assert "the text of all 5 articles matches its checksum" in result.stdout
    assert stored(data) == before


def test_an_article_changed_under_its_checksum_is_named_and_ingesting_it_again_mends_it(data: Path,
                                                                                         tmp_path: Path) -> None:
    # Silent damage: SQLite is sound, but a figure in one article's text is not what was ingested.
    with sqlite3.connect(data / "claimdesk.sqlite3") as db:
        db.execute("UPDATE articles SET text = replace(text, '2,300', '9,300') WHERE id = 'flood'")
    result = claimdesk(data, "check")
    assert result.returncode == 4 and "Traceback" not in result.stderr
    assert "DAMAGED  articles: 1 of 5 articles' text no longer matches" in result.stdout
    assert "default/flood" in result.stdout and "claimdesk ingest" in result.stdout
    assert "DAMAGED  claims:" in result.stdout  # its claim no longer quotes the text at its offsets

    stories = tmp_path / "again"
    stories.mkdir()
    (stories / "flood.txt").write_text(
        "Rivers burst their banks in Tarnholm\n\nAbout 2,300 residents were evacuated from Tarnholm on Monday after "
        "the Velka rose four metres overnight, the regional emergency office said.\n", encoding="utf-8")
    assert claimdesk(data, "ingest", str(stories)).returncode == 0
    assert damaged_parts(data) == {}


def test_a_claim_moved_off_its_text_is_named_and_re_extraction_mends_it(data: Path) -> None:
    with sqlite3.connect(data / "claimdesk.sqlite3") as db:
        db.execute("UPDATE claims SET data = json_set(data, '$.start', json_extract(data, '$.start') + 3) "
                   "WHERE article_id = 'budget' AND seq = (SELECT min(seq) FROM claims WHERE article_id = 'budget')")
    damaged = damaged_parts(data)
    assert set(damaged) == {"claims"}
    assert "1 of" in damaged["claims"] and "default/budget claim" in damaged["claims"]
    assert f"claimdesk --data {data} reindex --re-extract" in damaged["claims"]
    assert claimdesk(data, "reindex", "--re-extract").returncode == 0
    assert damaged_parts(data) == {}


def test_every_garbled_segment_a_query_would_hit_is_found_first(pristine, tmp_path: Path) -> None:  # noqa: F811
    caught_before_any_query = 0
    for seed in range(8):
        data = tmp_path / f"data-{seed}"
        shutil.copytree(pristine, data)
        rng = random.Random(seed)
        for segment in segment_files(data):
            garble(segment, rng)
        damaged = damaged_parts(data)  # before anything opens the folder and rebuilds the index
        assert set(damaged) <= {"search index"}
        if damaged:
            assert f"claimdesk --data {data} reindex" in damaged["search index"]
            caught_before_any_query += "cannot be read" in damaged["search index"]
            continue
        with Library(data, readonly=True) as reader:  # the check found nothing: no query may fail
            for query in QUERIES:
                for search in (reader.search.search_articles, reader.search.search_claims):
                    try:
                        search(parse_query(query), ["default"])
                    except StorageFault:
                        pytest.fail(f"seed {seed}: /{search.__name__} {query} hit damage the check missed")
    assert caught_before_any_query, "some garbling leaves the index openable; the check must read it all"


def test_a_damaged_database_page_is_found_and_the_remedy_is_a_backup(data: Path) -> None:
    database = data / "claimdesk.sqlite3"
    with sqlite3.connect(database) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    content = bytearray(database.read_bytes())
    for page in range(2, len(content) // page_size):  # the schema page stays, so the file still opens
        content[page * page_size + 8 : page * page_size + 72] = b"\xff" * 64
    database.write_bytes(bytes(content))
    result = claimdesk(data, "check")
    assert result.returncode == 4 and "Traceback" not in result.stderr, result.stderr
    assert "DAMAGED  database:" in result.stdout and "restore claimdesk.sqlite3 from a backup" in result.stdout


def test_a_folder_with_nothing_stored_is_said_to_be_empty(tmp_path: Path) -> None:
    result = claimdesk(tmp_path / "nothing-here", "check", "--json")
    assert result.returncode == 0 and '"damaged": false' in result.stdout
    assert not (tmp_path / "nothing-here").exists()
