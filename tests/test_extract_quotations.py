"""Quotations over several sentences and paragraphs, colons, labels and hearsay."""

import pytest

from fixtures.extract.articles import fixture_article
from index.extract import extract_claims
from index.models import Article, Claim


@pytest.fixture(scope="module")
def quotations() -> tuple[Article, list[Claim]]:
    article = fixture_article("quotations")
    return article, extract_claims(article)


def claim_with(claims: list[Claim], words: str) -> Claim:
    found = [c for c in claims if words in c.text]
    assert len(found) == 1, f"{words!r} in {[c.text for c in claims]}"
    return found[0]


def test_sentences_inside_a_quotation_share_its_speaker(quotations):
    article, claims = quotations
    closing = claim_with(claims, "Every school stays open")
    for words in ("We have balanced the books", "Nobody will lose a job"):
        inside = claim_with(claims, words)
        assert (inside.speaker, inside.cue) == ("Ada Lind", "said")
        assert (inside.speaker_start, inside.speaker_end) == (closing.speaker_start, closing.speaker_end)
    assert article.text[closing.speaker_start : closing.speaker_end] == "Lind"


def test_new_quotation_after_an_attributed_one_continues_the_speaker(quotations):
    _, claims = quotations
    assert claim_with(claims, "she added").speaker == "Ada Lind"
    follow_up = claim_with(claims, "After that we will borrow")
    assert (follow_up.speaker, follow_up.cue) == ("Ada Lind", "added")


def test_quotation_reopened_in_the_next_paragraph_is_one_run(quotations):
    article, claims = quotations
    opening = claim_with(claims, "Taxes will not rise this year")
    assert (opening.speaker, opening.cue) == ("Ada Lind", "told")
    assert article.text[opening.speaker_start : opening.speaker_end] == "the mayor"


def test_text_after_an_attributed_colon_is_attributed(quotations):
    _, claims = quotations
    statement = claim_with(claims, "owes 40 million crowns")
    assert (statement.speaker, statement.cue) == ("Ivo Sand", "wrote")
    assert [(f.value, f.unit) for f in statement.figures] == [(40_000_000, "crowns")]


def test_hearsay_adverb_is_a_cue_without_speaker(quotations):
    _, claims = quotations
    claim = claim_with(claims, "reportedly drafted")
    assert (claim.cue, claim.speaker, claim.speaker_start) == ("reportedly", None, None)


def test_sentence_without_attribution_stays_unattributed(quotations):
    _, claims = quotations
    claim = claim_with(claims, "spoke to the council on Tuesday")
    assert (claim.speaker, claim.cue) == (None, None)


def single_claim(text: str, headline: bool = False) -> Claim:
    claims = extract_claims(Article(id="one", source="fixture", text=text))
    assert len(claims) == 1, claims
    return claims[0]


def test_speaker_label_before_a_colon():
    claim = single_claim("SAND: The city will not raise taxes in Lindmark.")
    assert (claim.speaker, claim.cue) == ("SAND", ":")


def test_site_label_before_a_colon_is_not_a_speaker():
    claim = single_claim("Update: The city of Lindmark will not raise taxes.")
    assert claim.cue is None


def test_passive_with_agent_names_the_speaker():
    claim = single_claim("The figure of 11,000 troops was confirmed by the Central Security Bureau on Friday.")
    assert (claim.speaker, claim.cue) == ("Central Security Bureau", "confirmed")


def test_relative_clause_claims_is_an_attribution():
    text = "The data matches the account of Ivo Sand, the Varnian spy chief, who claims to hold proof that nearly 13,500 soldiers are drilling."
    claim = single_claim(text)
    assert (claim.speaker, claim.cue) == ("Ivo Sand", "claims")
    assert claim.figures[0].high == 13500


def test_inverted_speaker_after_a_quotation():
    claim = single_claim("“The movement has begun,” indicated the CSB source in Lindmark.")
    assert claim.cue == "indicated"
    assert claim.speaker == "CSB"


def test_citing_a_reason_is_not_a_relay():
    claim = single_claim("Ada Lind said taxes would stay flat, citing rising costs in Lindmark.")
    assert (claim.speaker, claim.via) == ("Ada Lind", [])
