"""Whole-article invariants: verbatim offsets, excluded spans, ordering, entities."""

import pytest

from fixtures.extract.articles import NAMES, fixture_article
from index.extract import extract_claims, extract_many
from index.models import Article, Claim, TextSpan


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[Article, list[Claim]]]:
    articles = [fixture_article(name) for name in NAMES]
    return {a.id: (a, claims) for a, claims in zip(articles, extract_many(articles, batch_size=2))}


@pytest.mark.parametrize("name", NAMES)
def test_every_offset_reproduces_its_text(extracted, name):
    article, claims = extracted[name]
    assert claims
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
        for figure in claim.figures:
            assert article.text[figure.start : figure.end] == figure.text
            assert claim.start <= figure.start < figure.end <= claim.end
        for entity in claim.entities:
            assert article.text[entity.start : entity.end] == entity.text
            assert claim.start <= entity.start < entity.end <= claim.end
        if claim.speaker_start is not None:
            assert claim.speaker_end is not None and claim.speaker_start < claim.speaker_end
            assert article.text[claim.speaker_start : claim.speaker_end].strip()


@pytest.mark.parametrize("name", NAMES)
def test_claims_are_numbered_in_text_order(extracted, name):
    article, claims = extracted[name]
    assert [c.seq for c in claims] == list(range(len(claims)))
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert all(c.article_id == article.id for c in claims)


def test_metadata_and_boilerplate_never_yield_claims(extracted):
    article, claims = extracted["varnia_deployment"]
    excluded = article.excluded_spans()
    assert {s.kind for s in excluded} == {"metadata", "boilerplate"}
    for claim in claims:
        for span in excluded:
            assert claim.end <= span.start or claim.start >= span.end
    assert not any("Visited" in c.text or "Leave a Reply" in c.text or "date 2031" in c.text for c in claims)
    assert claims[0].text.startswith("On March 14,")


def test_junk_becomes_claims_when_not_marked():
    text = "The bureau said 12 soldiers left Halden.\nVisited 3 times, 1 visit(s) today"
    marked = Article(id="m", source="fixture", text=text, spans=[TextSpan(start=41, end=len(text), kind="boilerplate")])
    assert [c.text for c in extract_claims(marked)] == ["The bureau said 12 soldiers left Halden."]


def test_headline_spans_may_yield_claims(extracted):
    article, claims = extracted["varnia_deployment"]
    headline = next(s for s in article.spans if s.kind == "headline")
    in_headline = [c for c in claims if c.start >= headline.start and c.end <= headline.end]
    assert [c.text for c in in_headline] == ["Ostria sends 14,000 soldiers to Halden front"]
    assert in_headline[0].figures[0].value == 14000


def test_extract_many_matches_extract_claims_one_by_one(extracted):
    for name in NAMES:
        article, claims = extracted[name]
        assert extract_claims(article) == claims


def test_extract_many_keeps_order_and_empty_articles():
    articles = [
        Article(id="a", source="fixture", text="Ostria sent 500 troops to Halden, the bureau said."),
        Article(id="empty", source="fixture", text="   "),
        Article(id="b", source="fixture", text="Halden closed its embassy in Ostria on Monday."),
    ]
    results = list(extract_many(articles, batch_size=2))
    assert [[c.article_id for c in claims] for claims in results] == [["a"], [], ["b"]]


def test_entities_are_mapped_to_people_organisations_and_places(extracted):
    _, claims = extracted["varnia_deployment"]
    labels = {(e.text, e.label) for c in claims for e in c.entities}
    assert ("Kyrylo Marchenko", "person") in labels
    assert ("Central Security Bureau", "organisation") in labels
    assert ("Lindmark", "place") in labels
    assert all(label in ("person", "organisation", "place", "other") for _, label in labels)


def test_sentence_without_figure_attribution_or_named_actor_is_no_claim():
    article = Article(id="n", source="fixture", text="It was a cold and rainy morning in the hills.")
    assert extract_claims(article) == []


def test_claim_corpus_follows_the_article():
    article = Article(id="c", corpus="wires", source="fixture", text="Ostria sent 500 troops to Halden.")
    assert [c.corpus for c in extract_claims(article)] == ["wires"]


def test_worker_processes_give_the_same_claims_in_the_same_order(extracted):
    articles = [extracted[name][0] for name in NAMES]
    parallel = list(extract_many(articles, batch_size=1, n_process=2))
    assert parallel == [extracted[name][1] for name in NAMES]
