"""Attribution on fictional articles: cues, speakers, relays, pronouns, roles, quotations."""

import pytest

from fixtures.extract.articles import fixture_article
from index.extract import extract_claims, same_speaker
from index.models import Article, Claim


@pytest.fixture(scope="module")
def deployment() -> list[Claim]:
    return extract_claims(fixture_article("varnia_deployment"))


@pytest.fixture(scope="module")
def outlet() -> list[Claim]:
    return extract_claims(fixture_article("halden_outlet"))


def claim_with(claims: list[Claim], words: str) -> Claim:
    found = [c for c in claims if words in c.text]
    assert len(found) == 1, f"{words!r} in {[c.text for c in claims]}"
    return found[0]


def speaker_words(article: Article, claim: Claim) -> str:
    assert claim.speaker_start is not None and claim.speaker_end is not None
    return article.text[claim.speaker_start : claim.speaker_end]


def test_according_to_with_citing_separates_speaker_and_relay(deployment):
    claim = claim_with(deployment, "14,000 soldiers in all")
    assert claim.speaker == "Central Security Bureau"
    assert claim.cue == "according to"
    assert claim.via == ["Kestrel"]


def test_speaker_after_quote_and_cited_by_relay(deployment):
    claim = claim_with(deployment, "drawn from four separate brigades")
    assert claim.cue == "explained"
    assert claim.via == ["Kestrel"]
    assert claim.speaker == "Central Security Bureau"  # "the aforementioned source"
    assert speaker_words(fixture_article("varnia_deployment"), claim) == "the aforementioned source"


def test_acronym_resolves_to_the_organisation_named_in_full(deployment):
    claim = claim_with(deployment, "close to 1 700")
    assert (claim.speaker, claim.cue) == ("Central Security Bureau", "said")
    assert speaker_words(fixture_article("varnia_deployment"), claim) == "CSB"


def test_title_is_stripped_and_surname_resolves_to_full_name(deployment):
    article = fixture_article("varnia_deployment")
    full = claim_with(deployment, "nearly 13,500")
    assert full.speaker == "Kyrylo Marchenko"
    later = claim_with(deployment, "battle-ready by the 2nd of December")
    assert later.speaker == "Kyrylo Marchenko"
    assert speaker_words(article, later) == "Marchenko"


def test_pronoun_resolves_to_the_last_person_who_spoke(deployment):
    claim = claim_with(deployment, "He said the first group")
    assert (claim.speaker, claim.cue) == ("Kyrylo Marchenko", "said")
    assert speaker_words(fixture_article("varnia_deployment"), claim) == "He"


def test_role_reference_resolves_to_a_named_agency(deployment):
    claim = claim_with(deployment, "The agency reports")
    assert claim.speaker == "Kestrel"
    assert claim.cue == "reports"


def test_told_reporters_is_the_cue(deployment):
    claim = claim_with(deployment, "between 13,000 and 15,000 Ostrian")
    assert (claim.speaker, claim.cue) == ("Bohdan Zorenkyy", "told reporters")


def test_description_stays_a_description(deployment, outlet):
    claim = claim_with(deployment, "about 9,000 troops")
    assert (claim.speaker, claim.cue) == ("Varnia's spy agency", "confirmed")
    untied = claim_with(outlet, "said nothing")
    assert untied.speaker == "Brennmark's spy agency"


def test_relative_clause_claims_keeps_the_person(deployment):
    claim = claim_with(deployment, "who claims to have seen the orders")
    assert claim.speaker == "Anika Sollberg"
    assert any(f.value == 14000 for f in claim.figures)


def test_apposition_ties_a_description_to_the_named_body(outlet):
    claim = claim_with(outlet, "Halden's spy agency, the Central Security Bureau")
    assert claim.speaker == "Central Security Bureau"
    assert claim.via == ["Kestrel"]
    bureau = claim_with(outlet, "The bureau said")
    assert bureau.speaker == "Central Security Bureau"


def test_quotation_continued_in_a_new_sentence_keeps_its_speaker(outlet):
    first = claim_with(outlet, "We count about 9 000 soldiers")
    second = claim_with(outlet, "It is a serious escalation")
    assert first.speaker == second.speaker == "Bohdan Zorenky"
    assert second.speaker_start == first.speaker_start


def test_claims_cue_and_added_pronoun(outlet):
    claims = claim_with(outlet, "almost 13,500")
    assert (claims.speaker, claims.cue) == ("Kirilo Marchénko", "claims")
    added = claim_with(outlet, "He added")
    assert (added.speaker, added.cue) == ("Kirilo Marchénko", "added")


def test_headline_attribution(outlet):
    headline = claim_with(outlet, "Halden says Ostrian troops")
    assert (headline.speaker, headline.cue) == ("Halden", "says")


def test_same_people_across_outlets_match_by_spelling_rules(deployment, outlet):
    assert same_speaker(claim_with(deployment, "told reporters").speaker, claim_with(outlet, "9 000").speaker)
    assert same_speaker(claim_with(deployment, "nearly 13,500").speaker, claim_with(outlet, "almost 13,500").speaker)


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("Ostria will strike again, Kestrel reported.", "Kestrel", "reported"),
        ("Ostria is ready, the envoy Ada Lind stated.", "Ada Lind", "stated"),
        ("Ada Lind noted that the border was closed.", "Ada Lind", "noted"),
        ("Kestrel reports, citing the Central Security Bureau, that the border was closed.", "Central Security Bureau", "reports"),
    ],
)
def test_verb_cues(text, speaker, cue):
    claims = extract_claims(Article(id="v", source="fixture", text=text))
    assert len(claims) == 1
    assert (claims[0].speaker, claims[0].cue) == (speaker, cue)


def test_citing_relay_order_is_outermost_first():
    text = "Kestrel reports, citing the Central Security Bureau, that the border was closed."
    claim = extract_claims(Article(id="r", source="fixture", text=text))[0]
    assert claim.via == ["Kestrel"]


def test_a_source_cited_between_reporter_and_speaker_is_a_relay_not_the_speaker():
    text = ("The Pellham Wire reported, citing the Dunmore Herald, that county clerk Ana Whitcombe said "
            "212 ballots were rejected.")  # fictional
    claim = extract_claims(Article(id="c", source="fixture", text=text))[0]
    assert claim.speaker == "Ana Whitcombe"
    assert claim.via == ["Pellham Wire", "Dunmore Herald"]


def test_a_reported_clause_hung_on_citing_still_makes_a_cue():
    text = "Kestrel reported, citing two officials, that the Lenn plant would close in June."  # fictional
    claim = extract_claims(Article(id="o", source="fixture", text=text))[0]
    assert (claim.speaker, claim.cue, claim.via) == ("two officials", "reported", ["Kestrel"])


def test_unattributed_statement_has_no_speaker_or_cue():
    claim = extract_claims(Article(id="u", source="fixture", text="Ostria closed the border with Halden on Friday."))[0]
    assert (claim.speaker, claim.cue, claim.via) == (None, None, [])
