"""Worker processes that leave stopping to the process that started them.

Ctrl-C sends SIGINT to every process of the terminal's foreground group. A worker that
took it would raise KeyboardInterrupt wherever it was, print a traceback, and leave a
pool waiting forever for the task it dropped. Workers therefore ignore SIGINT, and the
parent — the one process that knows what has been committed — stops them.

A process started while SIGINT is ignored inherits that across exec, and Python then
never installs its KeyboardInterrupt handler: the worker is deaf to Ctrl-C from its first
instruction, not only once its initializer runs.

SIGTERM keeps its default action in workers: it is how a parent stops a worker, and a
worker's death is survived by the pools claimdesk uses (``ProcessPoolExecutor``).

A parent killed outright (SIGKILL, the out-of-memory killer) cannot stop its workers, and
an idle worker waiting for its next task never notices: each worker therefore watches
its parent and exits once it is gone, rather than holding a language model's memory
forever.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def starting_workers() -> Iterator[None]:
    """Processes started inside this block ignore SIGINT from the start.

    Only the main thread may change signal handling; elsewhere the workers' initializer
    (``prepare_worker``) has to do. A Ctrl-C in the few milliseconds the block lasts
    is lost, which beats a traceback from every worker.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def prepare_worker() -> None:
    """A worker's initializer: deaf to Ctrl-C (covering workers a pool starts later from a
    helper thread), and gone once its parent is."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_WATCH_SECONDS)
    os._exit(1)


_PARENT_WATCH_SECONDS = 1.0
