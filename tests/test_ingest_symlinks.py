"""Symbolic links inside an ingested folder: loops, links to a parent, a second way into
a folder or to a file, links to nothing. Ingest finishes, names what it skipped and why,
and reads every other file once. Real links on disk; the CLI runs as a subprocess.

The articles are fictional, written for these tests.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, claimdesk_command

from index.ingest import IngestError, IngestSkip, discover
from index.library import Library

STORIES = {
    "news/flood.txt": "River Sel floods Harrow\n\nAbout 900 residents of Harrow left their homes on Sunday as the "
                      "Sel rose, the county fire service said.\n",
    "news/court/charges.txt": "Two charged over depot thefts\n\nProsecutors charged two men over thefts from the "
                              "Ridley bus depot, the district court said on Monday.\n",
    "wire/budget.txt": "Ostrow adopts its budget\n\nOstrow council adopted a budget of 95 million crowns, the "
                       "treasurer said, 4 million more than last year.\n",
}


@pytest.fixture
def tangled(tmp_path: Path) -> Path:
    for name, text in STORIES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    news = tmp_path / "news"
    os.symlink("..", news / "court" / "up")  # back to a folder that holds it
    os.symlink(".", news / "self")  # to itself
    os.symlink("loop-b", news / "loop-a")  # a chain of links going round
    os.symlink("loop-a", news / "loop-b")
    os.symlink("nowhere.txt", news / "missing.txt")  # to nothing
    os.symlink("../wire", news / "wire")  # another folder of articles: read
    os.symlink(str(tmp_path / "wire"), news / "wire-again")  # the same folder a second way
    os.symlink("flood.txt", news / "flood-link.txt")  # a second path to a file
    return news


def test_discovery_follows_linked_folders_once_and_names_every_skip(tangled: Path) -> None:
    found = list(discover([tangled]))
    files = [item for item in found if isinstance(item, Path)]
    skipped = {Path(item.source).name: item.reason for item in found if isinstance(item, IngestSkip)}
    assert [f.relative_to(tangled).as_posix() for f in files] == ["court/charges.txt", "flood.txt",
                                                                   "wire/budget.txt"]
    assert not [item for item in found if isinstance(item, IngestError) and not isinstance(item, IngestSkip)]
    assert "a folder that holds it" in skipped["up"] and "a folder that holds it" in skipped["self"]
    assert "loop of links" in skipped["loop-a"] and "loop of links" in skipped["loop-b"]
    assert "does not exist" in skipped["missing.txt"]
    assert "the same folder as" in skipped["wire-again"]
    assert skipped["flood-link.txt"] == f"the same file as {tangled / 'flood.txt'}, which is read once"


def test_claimdesk_ingest_finishes_on_a_tangled_folder_and_stores_each_article_once(tangled: Path,
                                                                                    tmp_path: Path) -> None:
    data = tmp_path / "data"
    command = [*claimdesk_command(), "--data", str(data), "ingest", str(tangled)]
    first = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr  # skipping is not failing
    assert first.stdout.startswith("3 ingested, 0 updated, 0 unchanged, 0 failed, 7 skipped"), first.stdout
    for name in ("up", "self", "loop-a", "loop-b", "missing.txt", "wire-again", "flood-link.txt"):
        assert f"  skipped: {tangled / name}" in first.stdout or f"skipped: {tangled / 'court' / name}" in \
            first.stdout, name
    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert again.stdout.startswith("0 ingested, 0 updated, 3 unchanged, 0 failed, 7 skipped"), again.stdout
    with Library(data, readonly=True) as library:
        assert library.store.count() == 3
        sources = sorted(Path(a.source).name for a in library.store.iter_articles())
    assert sources == ["budget.txt", "charges.txt", "flood.txt"]
