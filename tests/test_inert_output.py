"""Terminal escape injection: control and bidi characters from article text, titles,
outlets, ids and file names never reach a terminal, a log line or a chat message raw;
the stored text keeps them verbatim.

All article text here is fictional, written for these tests.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path

from bot.discord.render.base import message_text
from bot.discord.text import code, safe
from bot.inert import inert, inert_json
from bot.logs import InertFormatter
from index.library import Library
from tests.conftest import REPO, claimdesk_command

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;owned\x07"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
HIDDEN_LINK = "\x1b]8;;https://evil.example\x1b\\harbour board\x1b]8;;\x1b\\"
C1_CSI = "\x9b31m"
RIGHT_TO_LEFT = "\u202etxt.exe\u202c and \u2066isolated\u2069"
HOSTILE = CLEAR + TITLE + CLIPBOARD + HIDDEN_LINK + C1_CSI + RIGHT_TO_LEFT + "\r\x7f\x08"
# Everything a terminal obeys: C0 but newline and tab, DEL, C1, bidi overrides and isolates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_every_dangerous_character_is_replaced_one_for_one():
    shown = inert(HOSTILE + "\n\tend")
    assert not RAW.search(shown)
    assert len(shown) == len(HOSTILE) + 5  # offsets into the text stay true
    assert shown.endswith("\n\tend") and shown.startswith("␛[2J")
    assert "\n" not in inert("a\nb", layout=False)


def test_json_keeps_the_exact_values_with_the_characters_escaped():
    text = json.dumps({"text": HOSTILE}, ensure_ascii=False, indent=2)
    shown = inert_json(text)
    assert not RAW.search(shown.replace("\n", ""))
    assert json.loads(shown) == {"text": HOSTILE}


def test_log_lines_stay_one_inert_line_and_tracebacks_keep_their_lines():
    formatter = InertFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "no article %s", (HOSTILE + "\nFAKE ERROR",), None)
    line = formatter.format(record)
    assert "\n" not in line and not RAW.search(line) and line.startswith("INFO no article ␛[2J")
    try:
        raise ValueError("bad")
    except ValueError as exc:
        failed = logging.LogRecord("bot", logging.ERROR, __file__, 1, "x", (), (ValueError, exc, exc.__traceback__))
    assert formatter.format(failed).count("\n") >= 2


def test_discord_text_shows_controls_as_visible_stand_ins():
    for shown in (safe(HOSTILE), code("id" + HOSTILE), message_text(f"No article with id `{HOSTILE}` here.")):
        assert not RAW.search(shown)
    assert message_text("@everyone").startswith("@\u200beveryone")


def _run(*args: str, data: Path) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run([*claimdesk_command(), "--data", str(data), *args], capture_output=True, cwd=REPO,
                          timeout=180)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    return done


def test_the_command_line_never_prints_an_articles_control_characters(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    text = (f"Harbour board{TITLE} votes on the pier\n\n"
            f"The harbour board said on Monday that 40 berths would reopen.{CLEAR} "
            f"Its chair, Ilse Marek, said{CLIPBOARD} the vote was close. {HIDDEN_LINK} {RIGHT_TO_LEFT}.{C1_CSI}\n")
    front = f"---\nid: pier{C1_CSI}\ntitle: Pier vote{TITLE}\noutlet: Harbour Post\x07\u202e\n---\n"
    path = folder / f"pier{TITLE}.txt"
    path.write_text(front + text, encoding="utf-8")
    bad = folder / f"broken{CLEAR}.json"
    bad.write_text("{not json", encoding="utf-8")
    data = tmp_path / "data"

    ingested = _run("ingest", str(folder), data=data)
    assert ingested.returncode == 1  # the broken file failed, named in the report
    outputs = [ingested, _run("ingest", str(folder), "--json", data=data)]
    outputs += [_run("ask", line, data=data) for line in ("/search berths", "/claims berths", "/article " + f"pier{C1_CSI}")]
    outputs += [_run("ask", "/article pier" + TITLE, data=data), _run("ask", "/search berths", "--json", data=data)]
    for done in outputs:
        for stream in (done.stdout.decode(), done.stderr.decode()):
            assert not RAW.search(stream.replace("\n", "").replace("\t", "")), stream
    assert "1. Pier vote␛]0;owned␇" in outputs[2].stdout.decode()
    assert "No article with id `pier␛]0;owned␇`" in outputs[5].stderr.decode()
    found = json.loads(outputs[6].stdout)
    assert found["results"][0]["title"] == f"Pier vote{TITLE}"  # JSON keeps the exact value
    with Library(data) as library:
        stored = library.store.get("default", f"pier{C1_CSI}")
    assert stored.text.endswith(text) and stored.outlet == "Harbour Post\x07\u202e"
