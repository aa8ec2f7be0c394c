"""SIGTERM (``systemctl stop``, ``docker stop``) stops a command as cleanly as Ctrl-C.

Python's default for SIGTERM is to die on the spot: no cleanup, worker processes left
behind, semaphores leaked. Raised as an exception instead, it unwinds like
KeyboardInterrupt: the batch in flight is abandoned (its transaction rolls back, or the
next writer indexes what was stored), every committed batch stays, workers are stopped.
"""

from __future__ import annotations

import signal
from types import FrameType

TERMINATED_STATUS = 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, like KeyboardInterrupt, so that ``except Exception``
    in the middle of the work does not swallow it."""


def stop_on_sigterm() -> None:
    """Makes SIGTERM raise ``Terminated`` in the main thread, once: a second SIGTERM while
    the first is unwinding would interrupt the cleanup it is waiting for."""
    stopping = False

    def terminated(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise Terminated

    signal.signal(signal.SIGTERM, terminated)
