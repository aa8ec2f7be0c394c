"""One writer per data folder, across processes.

The lock is an ``flock`` on a file: the kernel drops it when its holder exits, however it
exits, so a lock left by a killed process is free again at once, and a lock held by a
live writer is never taken from it.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path


class WriterBusy(Exception):
    """Another live process is writing to this data folder."""


@contextmanager
def writer_lock(path: Path, timeout: float = 60.0) -> Iterator[None]:
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriterBusy(
                        f"another claimdesk process is writing to {path.parent}; wait for it to finish and try again"
                    ) from None
                time.sleep(0.1)
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
