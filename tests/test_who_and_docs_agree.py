"""Issue 8, item 5: /who takes its name literally (a parsed query, never a query string
built around the name); names_seen lists names, never a relay chain; the number formats
docs/extraction.md promises are read as it says; and a damaged search index is set aside,
as index/search.py says, until the next rebuild removes it.

Every article is fictional, written for these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from commands.line import run_line
from commands.who import WhoArgs, run
from index.extract.numbers import find_numbers
from index.library import Library
from tests.conftest import REPO, context

ARTICLES = [
    {"id": "wire-1", "outlet": "Pellham Wire", "published": "2025-05-06",
     "text": "Tarn flood update\n\n"
             "The Coastal Flood Authority (CFA) said 300 homes had been flooded along the Tarn."},
    {"id": "ledger-1", "outlet": "The Valley Ledger", "published": "2025-05-07",
     "text": "Count goes on in Dunmore\n\n"
             "The Pellham Wire reported, citing the Dunmore Herald, that county clerk Ana Whitcombe said 48,210 "
             "ballots had been counted."},
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    root = tmp_path_factory.mktemp("who-literal")
    (root / "desk.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    with Library(root / "data") as library:
        assert library.ingest_paths([root / "desk.jsonl"]).failures == []
        yield library


@pytest.mark.parametrize("name", ['x" OR speaker:CFA', 'Other" OR speaker:x', 'Nobody" outlet:ledger',
                                  'CFA" -homes', 'homes" OR "flooded'])
def test_who_takes_quotes_and_colons_in_a_name_literally(desk, name: str) -> None:
    # Built into a query string, each of these would find claims; as a name, nobody has it.
    response = run(context(desk), WhoArgs(name=name))
    assert (response.name, response.groups, response.names_seen) == (name, [], [])


def test_who_still_finds_the_name_itself_quoted_or_not(desk) -> None:
    for name in ("CFA", '"CFA"', "Coastal Flood Authority"):
        response = run(context(desk), WhoArgs(name=name))
        assert [q.article_id for g in response.groups for q in g.quotes] == ["wire-1"], name
        assert response.names_seen == ["CFA", "Coastal Flood Authority"]


def test_names_seen_never_holds_a_comma_joined_relay_chain(desk) -> None:
    relayed = [c for c in desk.store.claims("default", "ledger-1") if len(c.via) >= 2]
    assert relayed, "the fixture needs a claim passed on by two relays"
    quote = run_line(context(desk), "/who Pellham Wire").groups[0].quotes[0]
    assert "," in quote.via  # the chain as shown beside the quote
    assert run_line(context(desk), "/who Pellham Wire").names_seen == ["Pellham Wire"]


def _documented_formats() -> list[tuple[str, float]]:
    """Every number written in words with its value in docs/extraction.md's list of formats,
    e.g. `a dozen` (12)."""
    docs = (REPO / "docs" / "extraction.md").read_text(encoding="utf-8")
    formats = docs[docs.index("Formats:"):docs.index("are vague")]
    return [(" ".join(text.split()), float(value.replace(",", "")))
            for text, value in re.findall(r"`([^`]+)` \(([\d,]+)\)", formats)]


def test_the_documented_number_words_are_read_as_documented() -> None:
    promised = _documented_formats()
    assert {"a dozen", "two dozen", "half a dozen"} <= {text for text, _ in promised}
    for text, value in promised:
        sentence = f"Officials said {text} homes were flooded."
        [number] = find_numbers(sentence)
        assert (sentence[number.start:number.end], number.value) == (text, value)


def test_a_damaged_index_is_set_aside_until_the_next_rebuild(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "dam.txt").write_text("Dam repairs approved\n\nThe water board approved 14 million crowns for the "
                                    "Lenn dam, its chairwoman said.\n", encoding="utf-8")
    data = tmp_path / "data"
    with Library(data) as library:
        library.ingest_paths([folder])
    whoosh = data / "whoosh"
    damaged = whoosh / (whoosh / "CURRENT").read_text()
    for toc in (damaged / "claims").glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 20)
    with Library(data) as library:  # rebuilt on opening, beside the damaged one
        assert any("rebuilt it from the store" in notice for notice in library.notices)
        assert damaged.exists() and (whoosh / "CURRENT").read_text() != damaged.name
    with Library(data) as library:
        library.reindex()
    assert not damaged.exists()  # the next rebuild removes it
