"""The data folder survives damage, kills, read-only folders and full disks; the same file
through another path is one article. Real files are damaged, real processes killed.

Every article here is fictional, written for these tests (a flood, a court case, a
budget, an election count, a shooting); bulk corpora come from bench/fictional_corpus.py.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, claimdesk_command
from test_bot_e2e import answer, every_log_line, scenario  # noqa: F401 (every_log_line is a fixture)

from bot.discord.errors import STORAGE_TROUBLE
from index.faults import StorageFault
from index.library import Library
from index.query import parse_query

STORIES = {
    "flood.txt": "Rivers burst their banks in Tarnholm\n\nAbout 2,300 residents were evacuated from Tarnholm on "
                 "Monday after the Velka rose four metres overnight, the regional emergency office said.\n",
    "court.txt": "Three charged over Lisk depot fraud\n\nProsecutors in Lisk charged three former managers of the "
                 "municipal bus depot with fraud on Tuesday, the district court said in a statement.\n",
    "budget.txt": "Council adopts Marrowby budget\n\nMarrowby council adopted a budget of 48 million crowns for next "
                  "year, treasurer Ines Kolbe said, with 6 million set aside for school repairs.\n",
    "election.txt": "Count finished in Osterby\n\nThe electoral commission said 61,204 ballots were counted in the "
                    "Osterby mayoral race and that turnout reached 57 percent.\n",
    "shooting.txt": "Two wounded in Brenner Street shooting\n\nTwo men were wounded in a shooting on Brenner Street "
                    "late on Friday, a police spokeswoman said; nobody has been arrested.\n",
}
QUERIES = ["evacuated", "charged fraud", "budget", "ballots", "wounded", "said", "court OR council", "Tarnholm"]


def no_claims(articles):
    return [[] for _ in articles]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A data folder holding STORIES with their extracted claims, built once and copied."""
    root = tmp_path_factory.mktemp("pristine")
    folder = root / "stories"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Library(root / "data") as library:
        report = library.ingest_paths([folder])
        assert report.count("ingested") == len(STORIES)
        assert library.store.count_claims() >= len(STORIES)
    return root / "data"


@pytest.fixture
def data(pristine, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(pristine, copy)
    return copy


@pytest.fixture(scope="module")
def bulk(tmp_path_factory) -> Path:
    """300 generated articles stored and indexed (without claims, which these tests do
    not need), for tests that need a reindex long enough to interrupt."""
    root = tmp_path_factory.mktemp("bulk")
    subprocess.run([sys.executable, str(REPO / "bench" / "fictional_corpus.py"), str(root / "corpus"),
                    "--count", "300"], check=True, stdout=subprocess.DEVNULL)
    with Library(root / "data", extractor=no_claims) as library:
        assert library.ingest_paths([root / "corpus"]).count("ingested") == 300
    return root / "data"


def answers(library: Library) -> dict[str, list[str]]:
    return {q: sorted(h.article_id for h in library.search.search_articles(parse_query(q), ["default"], limit=50).hits)
            for q in QUERIES}


def live_generation(data: Path) -> Path:
    whoosh = data / "whoosh"
    return whoosh / (whoosh / "CURRENT").read_text()


def segment_files(data: Path) -> list[Path]:
    """Every file of every segment of the live index (postings, terms, stored fields,
    columns; or a compound ``.seg`` from older folders), not its table of contents."""
    return sorted(p for p in live_generation(data).glob("*/MAIN_*") if p.name != "MAIN_WRITELOCK")


def claimdesk(data: Path, *args: str, prefix: tuple[str, ...] = (), **options) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, *claimdesk_command(), "--data", str(data), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300, **options)


def assert_told(result: subprocess.CompletedProcess, *phrases: str) -> None:
    assert result.returncode == 4, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


# ------------------------------------------------- 1. a missing or damaged index is rebuilt


def remove_whoosh(data):
    shutil.rmtree(data / "whoosh")


def remove_pointer(data):
    (data / "whoosh" / "CURRENT").unlink()


def point_nowhere(data):
    (data / "whoosh" / "CURRENT").write_text("gen-0")


def remove_version_file(data):
    (live_generation(data) / "claims.version").unlink()


def remove_toc(data):
    for toc in (live_generation(data) / "articles").glob("*.toc"):
        toc.unlink()


def garble_toc(data):
    for toc in (live_generation(data) / "claims").glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 20)


def empty_index_in_place(data):
    """What opening used to do: a fresh empty index where the full one was."""
    from whoosh import index as whoosh_index

    from index.search import ARTICLE_SCHEMA

    folder = live_generation(data) / "articles"
    shutil.rmtree(folder)
    folder.mkdir()
    whoosh_index.create_in(folder, ARTICLE_SCHEMA)


@pytest.mark.parametrize("damage", [remove_whoosh, remove_pointer, point_nowhere, remove_version_file, remove_toc,
                                    garble_toc, empty_index_in_place])
def test_a_reader_rebuilds_a_missing_or_damaged_index_with_a_notice(pristine, data, damage):
    with Library(pristine, readonly=True) as intact:
        expected = answers(intact)
    damage(data)
    with Library(data, readonly=True) as reader:
        assert [n for n in reader.notices if f"rebuilt it from the store ({len(STORIES)} articles)" in n], reader.notices
        assert reader.search.doc_counts() == reader.store.indexed_counts() == (len(STORIES), reader.store.count_claims())
        assert answers(reader) == expected
    with Library(data, readonly=True) as again:
        assert again.notices == []


def test_the_cli_says_it_rebuilt_a_missing_index_and_answers(data):
    shutil.rmtree(data / "whoosh")
    result = claimdesk(data, "ask", "/search evacuated")
    assert result.returncode == 0, result.stderr
    assert "rebuilt it from the store (5 articles)" in result.stderr and "Traceback" not in result.stderr
    assert "Tarnholm" in result.stdout


def test_reindex_of_a_damaged_index_rebuilds_it_once(data):
    remove_toc(data)
    with Library(data) as writer:
        assert writer.notices, "opening rebuilt it"
        rebuilt = live_generation(data)
        assert writer.reindex() == len(STORIES)
        assert live_generation(data) == rebuilt
        assert writer.reindex() == len(STORIES)  # asked again: rebuilt again
        assert live_generation(data) != rebuilt


def test_an_empty_folder_gets_an_empty_index_quietly(tmp_path):
    with Library(tmp_path / "fresh", readonly=True) as reader:
        assert reader.notices == [] and reader.search.doc_counts() == (0, 0)


def test_a_folder_from_before_generations_is_read_as_is_and_moved_by_reindex(pristine, data):
    whoosh = data / "whoosh"
    live = live_generation(data)
    for part in live.iterdir():  # the layout folders had before: indexes right under whoosh/
        part.rename(whoosh / part.name)
    live.rmdir()
    (whoosh / "CURRENT").unlink()
    with Library(pristine, readonly=True) as intact, Library(data, readonly=True) as reader:
        assert reader.notices == [] and answers(reader) == answers(intact)
    assert claimdesk(data, "reindex").returncode == 0
    assert claimdesk(data, "reindex").returncode == 0
    assert sorted(p.name for p in whoosh.iterdir() if not p.name.startswith("gen-")) == ["CURRENT"]
    with Library(data, readonly=True) as reader:
        assert reader.notices == [] and reader.search.doc_counts() == reader.store.indexed_counts()


# ------------------------------------------------- 2. reindex swaps a whole index in


def reindex_in_background(data: Path) -> subprocess.Popen:
    return subprocess.Popen([*claimdesk_command(), "--data", str(data), "reindex"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_readers_see_the_whole_old_index_until_the_swap_then_the_whole_new_one(bulk, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(bulk, data)
    old_generation = live_generation(data).name
    held = Library(data, readonly=True)  # a reader with searchers open before the reindex starts
    try:
        assert held.search.doc_counts() == (300, 0)
        said = held.search.search_articles(parse_query("said"), ["default"], limit=1).total
        child = reindex_in_background(data)
        observed = 0
        deadline = time.monotonic() + 240
        while child.poll() is None:
            assert time.monotonic() < deadline, "reindex did not finish"
            with Library(data, readonly=True) as reader:
                assert reader.notices == []
                assert reader.search.doc_counts() == (300, 0)
            assert held.search.search_articles(parse_query("said"), ["default"], limit=1).total == said
            observed += 1
        out, err = child.communicate()
        assert child.returncode == 0, err
        assert "reindexed 300 article(s)" in out
        assert observed >= 2, "the reindex ended before readers could watch it"
        assert live_generation(data).name != old_generation
        # The held reader follows the pointer to the new generation by itself.
        assert held.search.search_articles(parse_query("said"), ["default"], limit=1).total == said
        assert held.search._live().name == live_generation(data).name
    finally:
        held.close()


def test_sigkill_during_reindex_always_leaves_a_whole_index(bulk, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(bulk, data)
    generations = lambda: {p.name for p in (data / "whoosh").glob("gen-*")}  # noqa: E731
    for delay in (0.0, 0.5, 1.5):
        before = generations()
        child = reindex_in_background(data)
        try:
            deadline = time.monotonic() + 120
            while generations() == before:  # the new generation is being written aside
                assert child.poll() is None, "reindex finished before it could be killed"
                assert time.monotonic() < deadline
                time.sleep(0.01)
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        finally:
            child.kill()
        with Library(data, readonly=True) as reader:
            assert reader.notices == []
            assert reader.search.doc_counts() == (300, 0) == (reader.store.count(), reader.store.count_claims())
    finished = claimdesk(data, "reindex")
    assert finished.returncode == 0, finished.stderr
    assert len(generations()) <= 2, "leftovers of killed builds are removed"
    with Library(data, readonly=True) as reader:
        assert reader.search.doc_counts() == (300, 0)


def test_a_writer_opened_before_a_reindex_writes_into_the_new_index(data, tmp_path):
    (tmp_path / "late.txt").write_text("Late train\n\nThe 22:10 from Keldt ran 40 minutes late, the railway said.\n")
    with Library(data, extractor=no_claims) as writer:
        assert claimdesk(data, "reindex").returncode == 0
        assert writer.ingest_paths([tmp_path / "late.txt"]).count("ingested") == 1
    with Library(data, readonly=True) as reader:
        assert reader.notices == []
        assert [h.article_id for h in reader.search.search_articles(parse_query("railway"), ["default"]).hits] == [
            "late"]


# ------------------------------------------------- 3. damage: a message, never a traceback


def garble(path: Path, rng: random.Random) -> None:
    """Overwrite a few short runs of a file with random bytes, keeping its length."""
    content = bytearray(path.read_bytes())
    run = min(16, len(content))  # a segment's small files (a column of a tiny index) are garbled whole
    for _ in range(4):
        start = rng.randrange(len(content) - run + 1)
        content[start : start + run] = rng.randbytes(run)
    path.write_bytes(bytes(content))


def test_garbled_segments_are_reported_with_what_to_run(pristine, tmp_path):
    """Damage the segments many ways: each is found when opening (and rebuilt) or when
    a query reads it (and reported); none ends in a traceback."""
    failing = []
    for seed in range(12):
        data = tmp_path / f"data-{seed}"
        shutil.copytree(pristine, data)
        rng = random.Random(seed)
        for segment in segment_files(data):
            garble(segment, rng)
        with Library(data, readonly=True) as reader:  # damage found on opening is rebuilt
            for query in QUERIES:
                for search in (reader.search.search_articles, reader.search.search_claims):
                    try:
                        search(parse_query(query), ["default"])
                    except StorageFault as fault:  # anything else escapes and fails the test
                        assert "is damaged" in str(fault) and f"claimdesk --data {data} reindex" in str(fault)
                        failing.append((data, "/search" if search == reader.search.search_articles else "/claims",
                                        query))
    assert failing, "garbled segments that open must fail some query"
    data, command, query = failing[0]
    assert_told(claimdesk(data, "ask", f"{command} {query}"), "search index", "is damaged", "reindex")

    repaired = claimdesk(data, "reindex")
    assert repaired.returncode == 0, repaired.stderr
    with Library(data, readonly=True) as reader:
        for query in QUERIES:
            reader.search.search_articles(parse_query(query), ["default"])
            reader.search.search_claims(parse_query(query), ["default"])
        assert reader.search.doc_counts() == reader.store.indexed_counts()


def test_a_database_that_is_not_one_is_reported_by_every_command(data, tmp_path):
    database = data / "claimdesk.sqlite3"
    content = bytearray(database.read_bytes())
    content[:100] = b"\x5a" * 100  # the header: SQLite no longer knows the file
    database.write_bytes(bytes(content))
    (tmp_path / "new.txt").write_text("Ferry fares rise\n\nFares on the Keldt ferry rise by 5 percent, the operator said.\n")
    for args in (("sources",), ("ask", "/search budget"), ("ingest", str(tmp_path / "new.txt")), ("reindex",)):
        assert_told(claimdesk(data, *args), str(database), "is damaged", "restore it from a backup")


def test_a_damaged_page_inside_the_database_is_reported(data):
    database = data / "claimdesk.sqlite3"
    with sqlite3.connect(database) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    content = bytearray(database.read_bytes())
    assert len(content) >= 3 * page_size
    for page in range(1, len(content) // page_size):  # every page but the first, which holds the schema
        content[page * page_size : page * page_size + 64] = b"\xff" * 64
    database.write_bytes(bytes(content))
    assert_told(claimdesk(data, "ask", "/article flood"), "is damaged", "restore it from a backup")


# ------------------------------------------------- 4. read-only folders and full disks


def read_only_prefix(data: Path) -> tuple[str, ...]:
    """A command prefix that runs a process with ``data`` read-only: a read-only bind mount
    in a private mount namespace as root (chmod binds no root), else file modes."""
    if os.geteuid() != 0:
        subprocess.run(["chmod", "-R", "a-w", str(data)], check=True)
        return ()
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root without mount namespaces: no way to make a folder read-only")
    return ("unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(data))


def folder_state(data: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def test_queries_work_in_a_read_only_folder_and_writers_say_why_they_cannot(data, tmp_path):
    (tmp_path / "new.txt").write_text("Ferry fares rise\n\nFares on the Keldt ferry rise by 5 percent, the operator said.\n")
    before = folder_state(data)
    prefix = read_only_prefix(data)
    try:
        search = claimdesk(data, "ask", "/search evacuated", prefix=prefix)
        assert search.returncode == 0, search.stderr
        assert "Tarnholm" in search.stdout
        claims = claimdesk(data, "ask", "/claims wounded", "--json", prefix=prefix)
        assert claims.returncode == 0 and '"Brenner Street' not in claims.stderr, claims.stderr
        sources = claimdesk(data, "sources", "--json", prefix=prefix)
        assert sources.returncode == 0 and '"articles": 5' in sources.stdout, sources.stderr
        for args in (("ingest", str(tmp_path / "new.txt")), ("reindex",)):
            assert_told(claimdesk(data, *args, prefix=prefix), f"cannot write to the data folder {data}")
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(data)], check=True)
    assert folder_state(data) == before


def test_a_damaged_index_in_a_read_only_folder_says_what_to_run(data):
    shutil.rmtree(data / "whoosh")
    prefix = read_only_prefix(data)
    try:
        result = claimdesk(data, "ask", "/search budget", prefix=prefix)
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(data)], check=True)
    assert_told(result, "search index", "cannot be rebuilt here", f"claimdesk --data {data} reindex")
    assert not (data / "whoosh").exists()


def with_a_file_size_limit(data: Path, tmp_path: Path, *args: str):
    """Runs claimdesk where no file may grow past 40 kB: writes beyond fail with EFBIG, as
    they would with ENOSPC on a full disk (Python ignores SIGXFSZ). Works for any user."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    return claimdesk(data, *args, preexec_fn=limit), data, data


def on_a_full_tmpfs(data: Path, tmp_path: Path, *args: str):
    """Runs claimdesk on a real full disk: the data folder copied onto a tmpfs with about
    64 kB to spare, in a private mount namespace (root only), and copied back out after."""
    if os.geteuid() != 0 or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("a tmpfs of our own needs root and mount namespaces")
    mount, after = tmp_path / "tmpfs", tmp_path / "after"
    mount.mkdir()
    after.mkdir()
    files = [p for p in data.rglob("*") if p.is_file()]
    size_kb = sum(-(-p.stat().st_size // 4096) * 4 for p in files) + 64
    script = (f'mount -t tmpfs -o size={size_kb}k tmpfs "$0" && cp -a "$1/." "$0/" && '
              f'{{ back="$2"; shift 2; "$@"; status=$?; cp -a "$0/." "$back/"; exit $status; }}')
    command = ["unshare", "-m", "sh", "-c", script, str(mount), str(data), str(after),
               *claimdesk_command(), "--data", str(mount), *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300), mount, after


@pytest.mark.parametrize("full_disk", [with_a_file_size_limit, on_a_full_tmpfs])
def test_a_full_disk_stops_reindex_with_a_message_and_the_old_index_stays(bulk, tmp_path, full_disk):
    data = tmp_path / "data"
    shutil.copytree(bulk, data)
    live = live_generation(data).name
    result, named, after = full_disk(data, tmp_path, "reindex")
    assert_told(result, f"cannot write to the data folder {named}", "nothing stored was lost")
    assert live_generation(after).name == live
    with Library(after, readonly=True) as reader:
        assert reader.notices == [] and reader.search.doc_counts() == (300, 0)
    assert claimdesk(after, "reindex").returncode == 0
    assert [p.name for p in (after / "whoosh").glob("gen-*")] != [live]
    assert len(list((after / "whoosh").glob("gen-*"))) == 2, "the half-written generation is removed"


def test_a_full_disk_stops_ingest_with_a_message_and_loses_nothing(data, tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "fictional_corpus.py"), str(corpus), "--count", "15"],
                   check=True, stdout=subprocess.DEVNULL)
    with Library(data, readonly=True) as reader:
        expected = answers(reader)
    full, named, after = with_a_file_size_limit(data, tmp_path, "ingest", str(corpus))
    assert_told(full, f"cannot write to the data folder {named}", "nothing stored was lost")
    with Library(after, readonly=True) as reader:  # what was there is whole and searchable
        assert reader.notices == []
        assert reader.store.count() == len(STORIES) + reader.store.count(only_unindexed=True)
        assert answers(reader) == expected
    with Library(after) as writer:  # space again: the same ingest completes
        writer.ingest_paths([corpus])
        assert writer.store.count() == 20 and writer.store.count(only_unindexed=True) == 0
        assert writer.search.doc_counts()[0] == 20


# ------------------------------------------------- 5. one file, one article, whatever the path


def test_the_same_file_through_another_path_is_the_same_article(tmp_path, monkeypatch):
    news = tmp_path / "news"
    news.mkdir()
    dam = news / "dam.txt"
    dam.write_text("Dam inspection finds cracks\n\nInspectors found 14 cracks in the Orlo dam wall, the water "
                   "board said on Monday.\n")
    (news / "ferry.txt").write_text("Ferry resumes\n\nThe Keldt ferry runs again after 3 weeks, its operator said.\n")
    (tmp_path / "alias").symlink_to(news)
    monkeypatch.chdir(tmp_path)
    with Library(tmp_path / "data") as library:
        assert library.ingest_paths(["news"]).count("ingested") == 2
        dam.write_text("Dam inspection finds cracks\n\nInspectors found 16 cracks in the Orlo dam wall, the water "
                       "board said on Monday.\n")
        report = library.ingest_paths([str(dam.absolute())])
        assert [(o.status, o.article_id) for o in report.outcomes] == [("updated", "dam")]
        assert library.ingest_paths(["alias/dam.txt"]).outcomes[0].status == "unchanged"
        assert library.store.count() == 2
        [claim] = library.store.claims("default", "dam")
        assert "16 cracks" in claim.text
        assert library.store.get("default", "dam").source == str(dam.resolve())


# ------------------------------------------------- the bot says it too


def test_the_bot_answers_a_damaged_index_with_a_sentence_and_logs_the_remedy(tmp_path, every_log_line):
    seen: dict[str, str] = {}

    @scenario()
    async def body(fake, bot) -> None:
        (bot.settings.data / "whoosh" / "CURRENT").write_text("gen-0")  # damaged under the running bot
        seen["content"] = (await answer(fake, "search", {"query": "shelters"})).content

    body(tmp_path)
    assert seen["content"] == STORAGE_TROUBLE.format(summary="the search index is damaged")
    [failure] = [line for line in every_log_line.lines if "/search" in line and "failed" in line]
    assert f"claimdesk --data {tmp_path / 'data'} reindex" in failure and "Traceback" not in failure
