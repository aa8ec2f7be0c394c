"""Stored data that cannot be read or written, said in words an operator can act on.

Damage (a garbled search index, a corrupt database) and an unwritable data folder (read
only, full, not ours) reach the user as a ``StorageFault``: its message names the data
folder, the cause and what to run; its ``summary`` says what is wrong without any path,
for chat users who cannot act on the server themselves.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "claimdesk.sqlite3"
REINDEX = "claimdesk --data {folder} reindex"
LOW_SPACE = 1_000_000  # bytes free below which a failed write is put down to a full disk


class StorageFault(Exception):
    """Stored data cannot be read or written; ``str()`` tells the operator what to do."""

    def __init__(self, message: str, summary: str) -> None:
        super().__init__(message, summary)  # both in args, so the fault crosses process pools
        self.message = message
        self.summary = summary

    def __str__(self) -> str:
        return self.message


class IndexDamaged(StorageFault):
    """The search index is missing or cannot be read; it is rebuilt from the store."""

    def __init__(self, message: str, summary: str = "the search index is damaged") -> None:
        super().__init__(message, summary)


def index_damaged(index_folder: Path, cause: str) -> IndexDamaged:
    """``index_folder`` is the data folder's ``whoosh`` folder."""
    return IndexDamaged(
        f"the search index in {index_folder} is damaged ({cause}); "
        f"run `{REINDEX.format(folder=index_folder.parent)}` to rebuild it from the stored articles "
        "(nothing stored is lost)"
    )


def store_damaged(database: Path, cause: str) -> StorageFault:
    return StorageFault(
        f"the database {database} is damaged ({cause}); restore it from a backup (stop claimdesk first), "
        f"then run `{REINDEX.format(folder=database.parent)}`",
        "the article database is damaged",
    )


def folder_unwritable(folder: Path, cause: str) -> StorageFault:
    return StorageFault(
        f"cannot write to the data folder {folder} ({cause}); nothing stored was lost — "
        "make the folder writable or free space, then run the command again",
        "the data folder cannot be written",
    )


_UNWRITABLE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_SQLITE_DAMAGE = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_SQLITE_UNWRITABLE = {"SQLITE_READONLY", "SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR"}


def storage_fault(error: BaseException, folder: Path) -> StorageFault | None:
    """The storage fault behind an error raised while reading or writing ``folder``, or
    None when the error is something else (a bug, which deserves its traceback)."""
    if isinstance(error, StorageFault):
        return error
    if isinstance(error, sqlite3.DatabaseError):
        # Python 3.11 names SQLite's primary error code ("SQLITE_CORRUPT", "SQLITE_IOERR_WRITE").
        code = getattr(error, "sqlite_errorname", "") or ""
        primary = "_".join(code.split("_")[:2])
        if primary in _SQLITE_DAMAGE:
            return store_damaged(folder / DATABASE_NAME, str(error))
        if primary in _SQLITE_UNWRITABLE:
            return folder_unwritable(folder, "; ".join([str(error), *_likely_causes(folder)]))
        return None
    if isinstance(error, OSError) and error.errno in _UNWRITABLE_ERRNOS:
        return folder_unwritable(folder, error.strerror or str(error))
    return None


def _likely_causes(folder: Path) -> list[str]:
    """SQLite reports "disk I/O error" or "unable to open database file" without the
    system's reason; these are the usual ones."""
    causes = []
    if folder.exists() and not os.access(folder, os.W_OK):
        causes.append("the folder is read-only for this user")
    try:
        if shutil.disk_usage(folder).free < LOW_SPACE:
            causes.append("the disk holding it is full")
    except OSError:
        pass
    return causes


@contextmanager
def faults_named(folder: Path) -> Iterator[None]:
    """Raise storage errors from inside the block as StorageFaults about ``folder``."""
    try:
        yield
    except StorageFault:
        raise
    except (OSError, sqlite3.DatabaseError) as error:
        fault = storage_fault(error, folder)
        if fault is None:
            raise
        raise fault from error

