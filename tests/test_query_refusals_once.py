"""Query refusals live in one place, the query parser, and run before the bot answers.

The search layer once repeated two of them (only common words; ``speaker:`` in an
article search). These tests show that no parsed query reaches the search layer's old
"only common words" branch, and that ``speaker:`` in ``/search`` is refused with the
other arguments, privately, before the bot defers. All article text is fictional.
"""

from __future__ import annotations

import itertools

import pytest
from pydantic import ValidationError
from whoosh.query import Every

from commands import CommandError
from commands.claims import ClaimsArgs
from commands.line import run_line
from commands.search import SearchArgs
from index.analysis import prose_terms
from index.query import QueryError, parse_query
from index.search import _text_query
from tests.conftest import context

COMMON = ["the", "of", "and", '"of the"']
WORDS = ["flood", '"river bank"', "budget"]
FILTERS = ["", "outlet:ledger", "since:2025-01-01"]


def _queries():
    """Every mix of common words, real words, OR, exclusion and a filter, up to four words."""
    pieces = [*COMMON, *WORDS, *(f"-{w}" for w in WORDS[:1] + COMMON[:1])]
    for size in (1, 2, 3):
        for words in itertools.product(pieces, repeat=size):
            for joiner in (" ", " OR "):
                for extra in FILTERS:
                    yield " ".join([joiner.join(words), extra]).strip()


def test_no_parsed_query_reaches_an_all_common_words_text_query() -> None:
    accepted = refused = 0
    for text in _queries():
        try:
            query = parse_query(text)
        except QueryError as exc:
            refused += 1
            assert "common words" in str(exc) or "besides the excluded" in str(exc), (text, str(exc))
            continue
        accepted += 1
        built = _text_query(query, ("text",), prose_terms)
        # Words that survived the parser always make a text query; only filters alone
        # (no words to look for) admit everything.
        assert any(isinstance(leaf, Every) for leaf in built.leaves()) == (not query.positive_terms), text
    assert accepted > 100 and refused > 20  # both sides were exercised


@pytest.mark.parametrize("text", ["the of", '"of the" OR and', "the outlet:ledger"])
def test_only_common_words_are_refused_with_the_arguments(text: str) -> None:
    for args in (SearchArgs, ClaimsArgs):
        with pytest.raises(ValidationError, match="Only very common words"):
            args(query=text)


def test_speaker_in_a_search_of_articles_is_refused_with_the_arguments() -> None:
    with pytest.raises(ValidationError, match="`speaker:` filters claims; use it with /claims or /who"):
        SearchArgs(query='bridge speaker:"Ada Morrow"')
    assert ClaimsArgs(query='bridge speaker:"Ada Morrow"').query  # claims have speakers


def test_speaker_in_search_gets_the_message_from_the_command_line_too(library, write) -> None:
    library.ingest_paths([write("bridge.txt", "Tolvik bridge closed\n\nThe Tolvik bridge will close for "
                                              "repairs in May, the harbour office said on Monday.\n")])
    with pytest.raises(CommandError, match="`speaker:` filters claims"):
        run_line(context(library), "/search bridge speaker:office")
    assert run_line(context(library), "/search bridge").total == 1
