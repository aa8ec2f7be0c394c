"""SIGKILL in the middle of `claimdesk ingest` loses only the batch in flight.

The corpus is generated fiction (bench/fictional_corpus.py).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, claimdesk_command

from index.library import Library
from index.query import parse_query

COUNT = 450


def committed(db_path) -> int:
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(db_path, timeout=5) as db:
            return db.execute("SELECT count(*) FROM articles WHERE indexed = 1").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_mid_ingest_keeps_every_committed_batch_and_resumes_without_duplicates(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench" / "fictional_corpus.py"), str(corpus), "--count", str(COUNT)], check=True)
    data = tmp_path / "data"
    db_path = data / "claimdesk.sqlite3"
    child = subprocess.Popen([*claimdesk_command(), "--data", str(data), "ingest", str(corpus)], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while committed(db_path) < 100:
            assert child.poll() is None, "ingest finished before it could be killed; raise COUNT"
            assert time.monotonic() < deadline, "no batch committed in time"
            time.sleep(0.05)
        workers = children_of(child.pid)
        assert workers, "the ingest extracts in worker processes"
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        child.kill()
    # Workers whose parent was killed outright exit on their own, freeing their memory.
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers), "extraction workers outlived the killed ingest"

    with Library(data) as library:
        stored = library.store.count()
        assert 100 <= stored < COUNT, "the kill must land mid-ingest"
        assert library.store.count(only_unindexed=True) == 0
        assert library.search.doc_counts()[0] == stored
        every = library.search.search_articles(parse_query("said OR called OR seen"), ["default"], limit=COUNT)
        assert every.total == stored

    resumed = subprocess.run([*claimdesk_command(), "--data", str(data), "ingest", str(corpus), "--json"], cwd=REPO,
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    with Library(data) as library:
        assert library.store.count() == COUNT
        assert library.search.doc_counts()[0] == COUNT
