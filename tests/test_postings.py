"""Whoosh's posting walks done a block at a time (``index/postings.py``) stop where
Whoosh's own stop, and every search finds the same documents with the same scores, on
a real index whose posting lists span many blocks and several segments.

The documents are made-up words, no story."""

import random

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import And, Or, Phrase, Term

from index import postings
from index.search import _raised_in_whoosh

FREQUENT, COMMON, RARE = "often", "sometimes", "seldom"


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    folder = tmp_path_factory.mktemp("postings")
    ix = whoosh_index.create_in(folder, Schema(key=ID(stored=True), text=TEXT))
    rng = random.Random(5)
    number = 0
    for _ in range(3):  # three segments
        with ix.writer() as writer:
            for _ in range(700):
                words = [rng.choice(["plain", "words", "here", "there"]) for _ in range(rng.randint(2, 9))]
                if rng.random() < 0.8:
                    words.insert(rng.randrange(len(words) + 1), FREQUENT)
                if rng.random() < 0.2:
                    words.insert(rng.randrange(len(words) + 1), COMMON)
                if rng.random() < 0.02:
                    words.append(RARE)
                writer.add_document(key=str(number), text=" ".join(words))
                number += 1
    with ix.searcher() as searcher:
        assert searcher.doc_frequency("text", FREQUENT) > 5 * 128  # many blocks per segment
    yield ix
    postings.install()


def stops(ix, word, targets):
    """Where a leaf matcher of ``word`` stands after each skip, segment by segment."""
    found = []
    with ix.searcher() as searcher:
        for leaf, _ in searcher.leaf_searchers():
            matcher = leaf.reader().postings("text", word)
            for target in targets:
                if not matcher.is_active():
                    break
                matcher.skip_to(target)
                found.append(matcher.id() if matcher.is_active() else None)
    return found


def test_skip_to_stops_where_whooshs_own_stops(ix):
    rng = random.Random(9)
    targets = sorted(rng.sample(range(700), 120)) + [699, 700, 5000]
    for word in (FREQUENT, COMMON, RARE):
        postings.uninstall()
        expected = stops(ix, word, targets)
        postings.install()
        assert stops(ix, word, targets) == expected


def test_all_ids_yields_every_posting_as_whooshs_own(ix):
    def every(word):
        with ix.searcher() as searcher:
            return [list(leaf.reader().postings("text", word).all_ids()) for leaf, _ in searcher.leaf_searchers()]

    for word in (FREQUENT, COMMON, RARE):
        postings.uninstall()
        expected = every(word)
        postings.install()
        assert every(word) == expected and sum(map(len, expected)) > 0


@pytest.mark.parametrize(
    "query",
    [
        And([Term("text", FREQUENT), Term("text", RARE)]),
        And([Term("text", FREQUENT), Term("text", COMMON)]),
        And([Or([Term("text", FREQUENT), Term("text", "plain")]), Or([Term("text", RARE), Term("text", COMMON)])]),
        Phrase("text", [FREQUENT, COMMON]),
    ],
    ids=str,
)
def test_searches_find_the_same_documents_with_the_same_scores(ix, query):
    def hits(limit):
        with ix.searcher() as searcher:
            found = [(hit["key"], hit.score) for hit in searcher.search(query, limit=limit)]
            matched = sorted(searcher.docs_for_query(query))
        return found, matched

    for limit in (10, 150, None):
        postings.uninstall()
        expected = hits(limit)
        postings.install()
        assert hits(limit) == expected and expected[1]


def test_an_error_inside_the_block_walks_is_named_as_whooshs(ix):
    """Garbled blocks can fail inside these walks rather than in Whoosh's own frames:
    they must still be told apart from a bug as a damaged index (``index.faults``)."""

    class Garbled:
        _ids, _i = None, 0

        def is_active(self):
            return True

        def _read_ids(self):
            self._ids = 7  # what a garbled block might decode to

    with pytest.raises(TypeError) as raised:
        postings._skip_to(Garbled(), 3)
    assert _raised_in_whoosh(raised.value)
    with pytest.raises(TypeError) as elsewhere:
        len(7)
    assert not _raised_in_whoosh(elsewhere.value)
