"""Stage timing (index.stages): each stage counts its own time once, workers' figures join
the writer's, and an ingest names every stage it went through.

The articles are fictional, written for these tests. No timing is asserted beyond
"inner time is not counted twice"; speed is measured in bench/.
"""

import time
from pathlib import Path

from index import stages
from index.library import Library

ARTICLES = {
    "harbour-fire.txt": (
        "Fire crews contain warehouse blaze at Pellow harbour\n\n"
        "Fire chief Dana Orrick said 42 firefighters fought the blaze overnight. "
        "Two workers were treated for smoke inhalation, the Pellow Port Authority said."
    ),
    "school-budget.txt": (
        "Tarnfield school board approves budget\n\n"
        "The Tarnfield school board approved a budget of $18.4 million on Tuesday. "
        "Board chair Ines Malvey said 12 teaching posts would be added."
    ),
}


def test_a_stage_inside_another_is_counted_once():
    stages.take()
    with stages.stage("outer"):
        time.sleep(0.02)
        with stages.stage("inner"):
            time.sleep(0.05)
    taken = stages.take()
    assert set(taken) == {"outer", "inner"}
    assert taken["inner"][0] >= 0.05
    assert 0.02 <= taken["outer"][0] < 0.05  # its own time, without the inner stage's
    assert stages.take() == {}  # taking starts again from zero


def test_another_process_figures_add_to_this_one():
    stages.take()
    with stages.stage("Whoosh claims"):
        pass
    stages.add({"spaCy parser": [2.0, 1.5], "Whoosh claims": [1.0, 1.0]})
    stages.add({"spaCy parser": [1.0, 0.5]})
    taken = stages.take()
    assert taken["spaCy parser"] == [3.0, 2.0]
    assert taken["Whoosh claims"][0] >= 1.0


def test_an_ingest_names_every_stage_it_went_through(tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Library(tmp_path / "data") as library:
        stages.take()
        report = library.ingest_paths([folder])
        taken = stages.take()
    assert report.count("ingested") == 2
    expected = {
        "read and decode", "new, updated or copy", "segment", "tokenise", "spaCy parser", "spaCy ner",
        "readings and attribution", "SQLite save", "Whoosh articles", "Whoosh articles commit", "Whoosh claims",
        "Whoosh claims commit", "SQLite mark indexed",
    }
    assert expected <= set(taken)
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in taken.values())
