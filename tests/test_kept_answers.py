"""Answers with page buttons are kept in SQLite, expire after KEEP_DAYS, and a folder they
cannot be kept in only turns the buttons off."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.discord.kept_answers import FILE_NAME, KEEP_DAYS, AnswerKeeper, KeptAnswer

ANSWER = KeptAnswer(guild_id=7, owner_id=42, command="claims", args={"query": "flood", "page": 2}, per_command_page=5)


def test_an_answer_is_recalled_by_its_key_from_another_keeper(tmp_path: Path) -> None:
    first = AnswerKeeper(tmp_path)
    key = first.keep(ANSWER)
    first.close()
    again = AnswerKeeper(tmp_path)  # as after a restart
    assert again.recall(key) == ANSWER
    assert again.recall(key + 1) is None
    again.close()


def test_answers_older_than_the_keeping_time_go_when_another_is_kept(tmp_path: Path) -> None:
    keeper = AnswerKeeper(tmp_path)
    old = keeper.keep(ANSWER)
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("UPDATE answers SET created = ? WHERE key = ?", (time.time() - KEEP_DAYS * 86400 - 1, old))
    fresh = keeper.keep(ANSWER.model_copy(update={"command": "who"}))
    assert keeper.recall(old) is None and keeper.recall(fresh).command == "who"
    keeper.close()


def test_a_folder_that_cannot_hold_them_turns_page_buttons_off_with_a_warning(tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    keeper = AnswerKeeper(blocker / "data")
    assert "page buttons are off" in caplog.text
    with pytest.raises(sqlite3.Error):
        keeper.keep(ANSWER)
    assert keeper.recall(1) is None
    keeper.close()
