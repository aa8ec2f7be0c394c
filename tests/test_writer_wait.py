"""A second writer says whom it waits for, and for how long, instead of sitting silent."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from conftest import REPO, claimdesk_command

from index.locking import writer_lock


def test_a_second_writer_says_it_waits_for_the_first_and_goes_on_when_it_is_done(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with writer_lock(data / "writer.lock"):  # this test process is the writer now
        child = subprocess.Popen([*claimdesk_command(), "--data", str(data), "reindex"], cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stderr is not None
        notice = child.stderr.readline()  # blocks until the child says something
        assert child.poll() is None, "the second writer must wait, not fail"
        time.sleep(0.3)  # it keeps waiting while the lock is held
        assert child.poll() is None
    out, rest = child.communicate(timeout=120)
    assert "WARNING" in notice and f"another claimdesk process (pid {os.getpid()}) is writing to {data}" in notice
    assert "waiting up to 60 s" in notice
    assert child.returncode == 0, rest
    assert out.startswith("reindexed 0 article(s)")
