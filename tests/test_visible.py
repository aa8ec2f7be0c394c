"""Visible sets (``index/visible.py``) on a real Whoosh index: the documents of a
caller's corpora and of the outlets an ``outlet:`` filter names, and what is kept for
them. The outlets are made up."""

from whoosh import index as whoosh_index
from whoosh.query import And, Or, Term

from index.analysis import outlet_key
from index.search import CLAIM_SCHEMA
from index.visible import VisibleDocuments

GAZETTES = [f"The {town} Gazette" for town in ("Amberly", "Brannock", "Corvel", "Dunmere", "Elsdon", "Farrow")]
OTHERS = ["Harbour Radio", "Valley Ledger"]


def build(folder):
    ix = whoosh_index.create_in(folder, CLAIM_SCHEMA)
    with ix.writer() as writer:
        number = 0
        for corpus in ("desk-a", "desk-b"):
            for outlet in GAZETTES + OTHERS:
                for seq in range(3):
                    writer.add_document(key=str(number), corpus=corpus, article_id=f"{outlet}-{corpus}", seq=seq,
                                        text="council vote", outlet_words=outlet_key(outlet))
                    number += 1
    return ix


def members(searcher, documents):
    return {searcher.stored_fields(n)["article_id"] for n in range(searcher.doc_count_all()) if n in documents}


def test_an_outlet_filter_naming_many_outlets_is_one_part_a_segment(tmp_path):
    ix = build(tmp_path)
    visible = VisibleDocuments()
    gazettes = Or([Term("outlet_words", outlet_key(name)) for name in GAZETTES])
    with ix.searcher() as searcher:
        found = visible.of(searcher, ["desk-a"], gazettes)
        assert members(searcher, found) == {f"{name}-desk-a" for name in GAZETTES}
        assert visible.kept_count == 2  # the corpus's part and the six outlets' together
        # Both corpora are every document: the outlets' part alone, kept already.
        found = visible.of(searcher, ["desk-a", "desk-b"], gazettes)
        assert members(searcher, found) == {f"{name}-{corpus}" for name in GAZETTES for corpus in ("desk-a", "desk-b")}
        assert visible.kept_count == 2
        found = visible.of(searcher, ["desk-b"], gazettes)
        assert members(searcher, found) == {f"{name}-desk-b" for name in GAZETTES}
        assert visible.kept_count == 3


def test_an_older_indexs_outlet_words_are_parts_shared_word_by_word(tmp_path):
    ix = build(tmp_path)
    visible = VisibleDocuments()
    with ix.searcher() as searcher:
        # An And of terms stands for an outlet's words; here the terms are whole names,
        # which no document has two of: nothing matches, and each term is a part.
        both = And([Term("outlet_words", outlet_key(GAZETTES[0])), Term("outlet_words", outlet_key(OTHERS[0]))])
        assert not visible.of(searcher, ["desk-a"], both)
        assert visible.kept_count == 3
