"""One writer per data folder, across processes.

The lock is an ``flock`` on a file: the kernel drops it when its holder exits, however it
exits, so a lock left by a killed process is free again at once, and a lock held by a
live writer is never taken from it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path


log = logging.getLogger(__name__)


class WriterBusy(Exception):
    """Another live process is writing to this data folder."""


@contextmanager
def writer_lock(path: Path, timeout: float = 60.0) -> Iterator[None]:
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting and timeout > 0:
                    waiting = True
                    # Silence for up to a minute looks like a hang: say who holds the lock.
                    log.warning("another claimdesk process (%s) is writing to %s; waiting up to %.0f s for it to "
                                "finish", _holder(fd), path.parent, timeout)
                if time.monotonic() >= deadline:
                    raise WriterBusy(
                        f"another claimdesk process is writing to {path.parent} (waited {timeout:.0f} s); "
                        "wait for it to finish and try again"
                    ) from None
                time.sleep(0.1)
        if waiting:
            log.info("the other writer finished; going on with %s", path.parent)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_is_free(path: Path) -> bool:
    try:
        with writer_lock(path, timeout=0):
            return True
    except WriterBusy:
        return False


def _holder(fd: int) -> str:
    """The holder's pid, which it writes into the lock file once it has the lock."""
    pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"pid {pid}" if pid.isdigit() else "starting up"
