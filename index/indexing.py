"""Search-index writes of one stored batch, in a thread, while the writer extracts the next.

Extraction runs in worker processes and the search index is written by the writer
process; done one after the other, the workers sit idle while the index is written and
the writer sits idle while they extract. Here the writer hands a batch it has stored to a
thread that writes it to the search index, and goes on to the next batch at once. Only
one batch is ever being indexed, and batches are indexed in the order they were stored.

Nothing about what survives a crash changes: a batch is flagged as indexed (by the
writer's own thread, in SQLite) only after its index commit, and a batch stored but not
flagged is indexed again by the next writer (``Library._catch_up``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from index import stages
from index.models import Article, Claim

log = logging.getLogger(__name__)

Batch = Sequence[tuple[Article, list[Claim]]]


class IndexingThread:
    """``write`` indexes a batch in the thread; ``on_indexed`` runs in the caller's thread
    once that batch's index commit has succeeded (when the next batch is handed over, or
    at ``finish``)."""

    def __init__(self, write: Callable[[Batch], None], on_indexed: Callable[[Batch], None]) -> None:
        self._write = write
        self._on_indexed = on_indexed
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimdesk-index")
        self._pending: tuple[Future, Batch] | None = None

    def start(self, batch: Batch) -> None:
        """Waits for the batch before (raising what its indexing raised), then hands this one over."""
        self.finish()
        self._pending = (self._executor.submit(self._write, batch), batch)

    def finish(self) -> None:
        """Waits for the batch being indexed and flags it; raises what its indexing raised."""
        if self._pending is None:
            return
        future, batch = self._pending
        self._pending = None
        with stages.stage("writer waiting for the index"):
            future.result()
        self._on_indexed(batch)

    def close(self) -> None:
        """Waits for the thread, also on the way out of an error or a Ctrl-C: the writer
        lock must not be let go while the thread still writes the index. A batch indexed
        by then is flagged; one whose indexing failed is left for the next writer."""
        try:
            if self._pending is not None:
                future, batch = self._pending
                self._pending = None
                if future.exception() is not None:
                    log.error("indexing a stored batch failed; the next writer indexes it",
                              exc_info=future.exception())
                else:
                    try:
                        self._on_indexed(batch)
                    except Exception:  # never hide the error the caller is leaving with
                        log.exception("flagging an indexed batch failed; the next writer indexes it again")
        finally:
            self._executor.shutdown(wait=True)
