"""An index written with the fuller claims schema of earlier versions (names, entities,
units and figure values indexed too, the outlet as words with their positions) keeps
working with this version's code, and both answer claim searches alike: outlets matched
by their words there and by their whole names here.

All article text here is fictional, written for these tests.
"""

from pathlib import Path

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema

import index.search as search_module
from index.analysis import NAMES, PROSE
from index.library import Library
from index.query import parse_query

# The claims schema as version 2 indexes were first written (before the lean one).
FULLER_CLAIM_SCHEMA = Schema(
    key=ID(unique=True), article_key=ID, corpus=ID(stored=True), article_id=ID(stored=True),
    seq=NUMERIC(int, stored=True), text=TEXT(analyzer=PROSE), speaker=TEXT(analyzer=NAMES), speaker_id=ID,
    relay_ids=KEYWORD, entities=TEXT(analyzer=NAMES), unit=KEYWORD(lowercase=True, commas=True),
    figure=NUMERIC(float), outlet=TEXT(analyzer=NAMES), published=DATETIME(stored=True, sortable=True),
)

FIRST = """---
outlet: Brackwater Courier
published: 2026-03-02
---
Ferry strike halts crossings to Ennis Isle

Union organiser Petra Vollan said 140 crew members had walked out over pay.
"""
SECOND = """---
outlet: Ennis Isle Radio
published: 2026-03-03
---
Ferry strike ends after two days

The ferry operator said 140 crew members returned after a 6% pay offer, Petra Vollan said.
"""


def answers(library: Library) -> list[tuple[str, int | None]]:
    hits = []
    for line in ("crew", "speaker:Vollan", "pay outlet:\"Ennis Isle Radio\"", "crew since:2026-03-03",
                 '"crew members"', '"140 crew members"', '"members crew"', "crew outlet:isle", "crew outlet:ISLE",
                 'crew outlet:"radio isle"', "crew outlet:Ennis-Radio", "crew outlet:Courier", "crew outlet:Isl"):
        found = library.search.search_claims(parse_query(line), ["default"])
        hits.append(sorted((h.article_id, h.seq) for h in found))
    return hits


def test_claim_searches_answer_the_same_from_a_fuller_older_index(tmp_path: Path, monkeypatch, write):
    paths = [write("strike-1.md", FIRST), write("strike-2.md", SECOND)]
    with Library(tmp_path / "lean") as library:
        library.ingest_paths(paths)
        lean = answers(library)
    with monkeypatch.context() as patched:
        patched.setitem(search_module.KINDS, "claims", FULLER_CLAIM_SCHEMA)
        with Library(tmp_path / "older") as library:
            library.ingest_paths(paths[:1])
    # The code of this version writes into the older index and reads from it.
    with Library(tmp_path / "older") as library:
        library.ingest_paths(paths[1:])
        assert library.search.doc_counts()[0] == 2
        older = answers(library)
    assert lean == older
    # Both outlets hold both phrases; the words in the other order are in neither; an
    # outlet's name words in any order and case; a part of a word is not a word.
    both, first, second = [("strike-1", 1), ("strike-2", 1)], [("strike-1", 1)], [("strike-2", 1)]
    assert lean[4:] == [both, both, [], second, second, second, second, first, []], lean
    assert all(lean[:4]), lean  # every search found something

