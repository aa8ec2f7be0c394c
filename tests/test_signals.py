"""Ctrl-C and SIGTERM during `claimdesk ingest`: one clean line, no worker left, nothing lost.

A real `claimdesk ingest` subprocess, in its own process group as a terminal or a service
manager would start it, gets a real signal while its extraction workers are busy:
SIGINT to the whole group (Ctrl-C), SIGTERM to the main process only (`docker stop`), and
SIGTERM to every process (systemd's default KillMode=control-group). The articles are
fictional: one-line notices, then generated ones (bench/fictional_corpus.py).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, claimdesk_command

from index.library import Library

QUICK = 100  # one batch of one-liners: committed soon after the workers load the model
# Generated articles, 100 a batch: each stop lands while the workers extract one. A stop
# can keep two batches more than the one before (the next run first indexes a batch the
# last one stored but had not indexed), so three stops need room for six after QUICK.
SLOW = 700
INTERRUPTED = "claimdesk: interrupted; every batch committed before now is kept."
TERMINATED = "claimdesk: stopped by SIGTERM; every batch committed before now is kept."
CAUGHT_UP = "stored articles the search index had not committed"
STOPS = [  # in a terminal, `docker stop`, `systemctl stop` (KillMode=control-group)
    ("Ctrl-C", signal.SIGINT, True, 130, INTERRUPTED),
    ("docker stop", signal.SIGTERM, False, 143, TERMINATED),
    ("systemctl stop", signal.SIGTERM, True, 143, TERMINATED),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    quick = folder / "notices.jsonl"
    quick.write_text("".join(
        json.dumps({"id": f"notice-{n}", "outlet": "Fictional Notice Board", "note": "fictional",
                    "text": f"Notice {n}\n\nThe parish clerk said {n} lamps on Brill Lane were mended."}) + "\n"
        for n in range(QUICK)), encoding="utf-8")
    subprocess.run([sys.executable, str(REPO / "bench" / "fictional_corpus.py"), str(folder / "generated"),
                    "--count", str(SLOW), "--format", "jsonl"], check=True)
    return [quick, folder / "generated" / "generated.jsonl"]


def committed(data: Path, only_indexed: bool = True) -> int:
    where = " WHERE indexed = 1" if only_indexed else ""
    try:
        with sqlite3.connect(data / "claimdesk.sqlite3", timeout=5) as db:
            return db.execute(f"SELECT count(*) FROM articles{where}").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def live_members(group: int) -> list[str]:
    """Processes of a process group that are still running (zombies have already exited)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            members.append(stat.parent.name)
    return members


def ingest_until_a_batch_commits_then_stop(command: list[str], data: Path, signum: int, whole_group: bool,
                                           ) -> tuple[int, str, int, int]:
    """Runs an ingest in its own process group and signals it as soon as one more batch is
    committed, while the workers extract the next: exit status, stderr, batches kept, pid."""
    before = committed(data)
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while committed(data) <= before:
            assert child.poll() is None, "the ingest ended before it was stopped; raise SLOW"
            assert time.monotonic() < deadline, "no batch committed in time"
            time.sleep(0.05)
        if whole_group:
            os.killpg(child.pid, signum)
        else:
            child.send_signal(signum)
        _, stderr = child.communicate(timeout=60)  # the pipes close once every process holding them exits
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    return child.returncode, stderr, committed(data), child.pid


def test_ctrl_c_and_sigterm_mid_ingest_stop_cleanly_and_the_next_run_adds_the_rest(
        corpus: list[Path], tmp_path: Path) -> None:
    data = tmp_path / "data"
    command = [*claimdesk_command(), "--data", str(data), "ingest", *map(str, corpus)]
    for how, signum, whole_group, status, line in STOPS:
        before = committed(data)
        returncode, stderr, kept, group = ingest_until_a_batch_commits_then_stop(command, data, signum, whole_group)
        assert returncode == status, (how, stderr)
        # No traceback, KeyboardInterrupt, BrokenPipeError or leaked-semaphore warning from
        # anyone: the stop's own line, after at most the notice that the run first indexed
        # what the last one had stored but not indexed.
        *before_stop, last = stderr.splitlines()
        assert last == line, how
        assert all(CAUGHT_UP in notice for notice in before_stop), (how, before_stop)
        # The pipes close when the last holder exits; a helper without them (multiprocessing's
        # resource tracker) may take a moment longer, but not ten seconds.
        settle = time.monotonic() + 10
        while live_members(group) and time.monotonic() < settle:
            time.sleep(0.1)
        assert live_members(group) == [], f"{how} left processes behind"
        assert before < kept < QUICK + SLOW, f"{how} must land mid-ingest, after a commit"

    # A batch stored while the one before it was being indexed may be stored but not yet
    # indexed: the next writer indexes it, and the next run finds it unchanged.
    stored = committed(data, only_indexed=False)
    assert kept <= stored
    resumed = subprocess.run([*command, "--json"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    statuses = [o["status"] for o in json.loads(resumed.stdout)["outcomes"]]
    assert statuses.count("unchanged") == stored and statuses.count("ingested") == QUICK + SLOW - stored
    with Library(data) as library:
        assert library.store.count() == QUICK + SLOW
        assert library.search.doc_counts()[0] == QUICK + SLOW
