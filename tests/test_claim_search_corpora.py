"""Claim searches see exactly the corpora they are asked for, on a real index, however
the corpus filter is carried out (a set of visible claims kept per searcher).

All article text here is fictional, written for these tests.
"""

from index.query import parse_query

HARBOUR = "The port authority said 14 ferries were idle on Tuesday after the storm.\n"
COURT = "The county court said 9 jurors were dismissed on Tuesday after the hearing.\n"
FLOOD = "The river agency said 300 homes were flooded on Tuesday after the storm.\n"


def claim_articles(library, words, corpora):
    hits = library.search.search_claims(parse_query(words), list(corpora), limit=50)
    return sorted({(h.corpus, h.article_id) for h in hits})


def test_claims_of_corpora_not_asked_for_are_never_found(library, write):
    library.ingest_paths([write("harbour.txt", HARBOUR)], corpus="harbour-desk")
    library.ingest_paths([write("court.txt", COURT)], corpus="court-desk")
    library.ingest_paths([write("flood.txt", FLOOD)], corpus="shared")
    assert claim_articles(library, "said", ["harbour-desk", "shared"]) == [("harbour-desk", "harbour"), ("shared", "flood")]
    assert claim_articles(library, "said", ["court-desk"]) == [("court-desk", "court")]
    assert claim_articles(library, "said", ["court-desk", "harbour-desk", "shared"]) == [
        ("court-desk", "court"), ("harbour-desk", "harbour"), ("shared", "flood")]
    # A corpus holding nothing, or none at all, sees nothing (an empty filter must not
    # read as no filter).
    assert claim_articles(library, "said", ["empty-desk"]) == []
    assert claim_articles(library, "said", []) == []
    library.reindex()  # one merged segment instead of one a batch: the same answers
    assert claim_articles(library, "said", ["harbour-desk", "shared"]) == [("harbour-desk", "harbour"), ("shared", "flood")]
    assert claim_articles(library, "said", ["court-desk"]) == [("court-desk", "court")]
    assert claim_articles(library, "said", ["empty-desk"]) == []


def test_claims_added_after_a_search_are_found_by_the_next(library, write):
    library.ingest_paths([write("harbour.txt", HARBOUR)], corpus="harbour-desk")
    library.ingest_paths([write("court.txt", COURT)], corpus="court-desk")
    assert claim_articles(library, "Tuesday", ["harbour-desk"]) == [("harbour-desk", "harbour")]
    library.ingest_paths([write("flood.txt", FLOOD)], corpus="harbour-desk")
    assert claim_articles(library, "Tuesday", ["harbour-desk"]) == [("harbour-desk", "flood"), ("harbour-desk", "harbour")]
    library.search.delete([("harbour-desk", "harbour")])
    assert claim_articles(library, "Tuesday", ["harbour-desk"]) == [("harbour-desk", "flood")]
    library.ingest_paths([write("court-2.txt", COURT.replace("9 jurors", "11 witnesses"))], corpus="harbour-desk")
    assert claim_articles(library, "Tuesday", ["court-desk"]) == [("court-desk", "court")]
    assert claim_articles(library, "Tuesday", ["harbour-desk"]) == [("harbour-desk", "court-2"), ("harbour-desk", "flood")]


def test_a_claims_score_does_not_depend_on_which_corpora_are_visible(library, write):
    library.ingest_paths([write("harbour.txt", HARBOUR)], corpus="harbour-desk")
    library.ingest_paths([write("court.txt", COURT), write("flood.txt", FLOOD)], corpus="shared")

    def score(corpora):
        hits = library.search.search_claims(parse_query("ferries"), corpora, limit=5)
        assert [(h.corpus, h.article_id) for h in hits] == [("harbour-desk", "harbour")]
        return hits[0].score

    assert score(["harbour-desk"]) == score(["harbour-desk", "shared"])


def with_outlet(outlet: str, text: str) -> str:
    return f"---\noutlet: {outlet}\n---\n{text}"


def test_an_outlet_filter_keeps_to_the_outlet_and_to_the_corpora(library, write):
    library.ingest_paths([write("post.txt", with_outlet("The Marrow Post", HARBOUR)),
                          write("weekly.txt", with_outlet("The Marrow Weekly", COURT))], corpus="harbour-desk")
    library.ingest_paths([write("shared-post.txt", with_outlet("The Marrow Post", FLOOD))], corpus="shared")
    library.ingest_paths([write("other-post.txt", with_outlet("The Marrow Post", COURT))], corpus="court-desk")
    post = 'Tuesday outlet:"The Marrow Post"'
    assert claim_articles(library, post, ["harbour-desk"]) == [("harbour-desk", "post")]
    assert claim_articles(library, post, ["harbour-desk", "shared"]) == [("harbour-desk", "post"), ("shared", "shared-post")]
    assert claim_articles(library, 'Tuesday outlet:"The Marrow Weekly"', ["harbour-desk", "shared"]) == [
        ("harbour-desk", "weekly")]
    assert claim_articles(library, 'Tuesday outlet:"The Marrow Weekly"', ["court-desk"]) == []
    every = ["court-desk", "harbour-desk", "shared"]  # every claim visible: the outlet alone filters
    assert claim_articles(library, post, every) == [
        ("court-desk", "other-post"), ("harbour-desk", "post"), ("shared", "shared-post")]
    library.search.delete([("shared", "shared-post")])  # a deletion inside a segment whose parts are kept
    assert claim_articles(library, post, every) == [("court-desk", "other-post"), ("harbour-desk", "post")]
