"""Where ingest spends its time: wall and CPU seconds per named stage.

Stages are coarse (a batch of articles at a time), so timing them always costs nothing
worth measuring. A stage inside another counts only for itself: the outer one gets its
own time without the inner one's, so the stages of a process add up to its time without
counting anything twice. Extraction workers send their own figures back with each chunk
(``take``), and the writer adds them to its own (``add``), so one ingest run can say
which stage is the wall and what share of the total each one holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

# stage name -> [wall seconds, CPU seconds of the thread that ran it]. Thread time rather
# than process time, so that a stage in one thread never counts another thread's work;
# BLAS helper threads of an in-process parse are therefore not counted (workers run
# with one BLAS thread, so theirs is).
Timings = dict[str, list[float]]

_totals: Timings = {}
_open = threading.local()  # per thread, for each open stage the time of the stages inside it


@contextmanager
def stage(name: str) -> Iterator[None]:
    inner: list[list[float]] = _open.__dict__.setdefault("inner", [])
    wall, cpu = time.perf_counter(), time.thread_time()
    inner.append([0.0, 0.0])
    try:
        yield
    finally:
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        inner_wall, inner_cpu = inner.pop()
        spent = _totals.setdefault(name, [0.0, 0.0])
        spent[0] += wall - inner_wall
        spent[1] += cpu - inner_cpu
        if inner:
            inner[-1][0] += wall
            inner[-1][1] += cpu


def add(timings: Mapping[str, list[float]]) -> None:
    """Adds another process's figures (a worker's, from ``take``) to this one's."""
    for name, (wall, cpu) in timings.items():
        spent = _totals.setdefault(name, [0.0, 0.0])
        spent[0] += wall
        spent[1] += cpu


def take() -> Timings:
    """This process's figures since the last ``take``, which starts them again from zero."""
    global _totals
    taken, _totals = _totals, {}
    return taken


def snapshot() -> Timings:
    return {name: list(spent) for name, spent in _totals.items()}
