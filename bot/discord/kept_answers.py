"""Answers that have page buttons, kept in SQLite so that the buttons outlive the bot.

A button's custom id carries only a key into this table and the page it leads to; the
row says who asked, where, and how to produce any page again: a paged command's
arguments (the page is fetched by running the command again), or a static answer's
rendered pages. A click after a restart finds everything it needs here.

The table lives in its own file in the data folder (``answers.sqlite3``): it is the bot's
working state, not the library, and losing it only expires old buttons.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

log = logging.getLogger("bot.discord")

KEEP_DAYS = 30  # a click on an answer older than this is told to run the command again
FILE_NAME = "answers.sqlite3"


class KeptAnswer(BaseModel):
    guild_id: int | None
    owner_id: int  # the only user who may turn the pages
    command: str
    args: dict[str, Any] | None = None  # a paged command's arguments, page included
    per_command_page: int = 1  # bot pages per page of the command
    pages: list[list[dict[str, Any]]] | None = None  # a static answer: every page's embeds, as sent


class AnswerKeeper:
    def __init__(self, data_dir: Path) -> None:
        # Written from the query threads, read on the event loop: one connection behind a lock.
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(data_dir / FILE_NAME, timeout=10, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            # AUTOINCREMENT: a key is never reused, so an expired button can never lead to a newer answer.
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key INTEGER PRIMARY KEY AUTOINCREMENT, "
                             "created REAL NOT NULL, answer TEXT NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            # A read-only data folder still answers queries, with first pages only.
            log.warning("page buttons are off: cannot write %s (%s)", data_dir / FILE_NAME, exc)
            self.close()

    def keep(self, answer: KeptAnswer) -> int:
        """Stores an answer and returns its key; answers past ``KEEP_DAYS`` go at the same time."""
        if self._db is None:
            raise sqlite3.OperationalError("answers cannot be kept in this data folder")
        now = time.time()
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM answers WHERE created < ?", (now - KEEP_DAYS * 86400,))
            cursor = self._db.execute("INSERT INTO answers (created, answer) VALUES (?, ?)",
                                      (now, answer.model_dump_json()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def recall(self, key: int) -> KeptAnswer | None:
        """The answer under ``key``; None when it expired or never was (a primary-key read)."""
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return KeptAnswer.model_validate_json(row[0])
        except ValidationError:  # written by a version of claimdesk that kept something else
            return None

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
