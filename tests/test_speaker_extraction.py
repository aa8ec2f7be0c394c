"""Speakers as extraction reads them, on fictional sentences from many kinds of story
(police, county elections, ministries, health agencies, courts, campaigns, newsrooms).

Every name, body, place and outlet here is invented for these tests.
"""

import pytest

from index.extract import extract_claims
from index.models import Article, Claim
from index.names import same_speaker, speaker_key


def claims_of(text: str) -> list[Claim]:
    return extract_claims(Article(id="t", source="fixture", text=text))


def only_claim(text: str) -> Claim:
    [claim] = claims_of(text)
    return claim


def spoken(article: str, claim: Claim) -> str:
    assert claim.speaker_start is not None and claim.speaker_end is not None
    return article[claim.speaker_start : claim.speaker_end]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The State Department said the consulate in Varrow would stay open.", "State Department"),
        ("The Justice Department said 12 people had been charged over the scheme.", "Justice Department"),
        ("The Interior Ministry said 40 protesters were detained overnight.", "Interior Ministry"),
        ("The Marlow County Health Department reported 31 new measles cases on Friday.", "Marlow County Health Department"),
    ],
)
def test_organisation_names_keep_their_leading_words(text, speaker):
    claim = only_claim(text)
    assert claim.speaker == speaker
    assert claim.speaker_ref is not None and claim.speaker_ref.kind == "organisation"


def test_titles_are_stripped_from_people_only():
    text = "Police Chief Maria Ortiz said two officers were hurt. Ortiz said the suspect was in custody."
    first, second = claims_of(text)
    assert first.speaker == second.speaker == "Maria Ortiz"
    assert spoken(text, second) == "Ortiz"
    assert first.speaker_ref.kind == "person"
    assert "Police Chief Maria Ortiz" in first.speaker_ref.aliases


def test_a_role_joins_the_named_body_whose_name_uses_it():
    text = (
        "The Marlow County Health Department reported 31 new measles cases on Friday. "
        "The department said two children had been admitted to hospital."
    )
    first, second = claims_of(text)
    assert second.speaker == first.speaker == "Marlow County Health Department"


def test_a_role_the_article_never_tied_stays_a_description():
    text = (
        "The Brennford Water Company said 3,000 homes had no water on Sunday. "
        "The ministry said 14 towns were affected."
    )
    company, ministry = claims_of(text)
    assert company.speaker == "Brennford Water Company"
    assert ministry.speaker == "ministry"
    assert ministry.speaker_ref.kind == "description"


def test_a_role_noun_relay_is_the_outlet_and_the_cited_source_speaks():
    text = "The newspaper reported, citing police, that three men had been arrested after the raid."
    claim = only_claim(text)
    assert claim.speaker == "police"
    assert claim.via == ["newspaper"]
    assert claim.via_refs[0].kind == "description"


def test_a_relay_never_resolves_to_the_speaker_it_relays():
    text = (
        "The Dunmore County Sheriff's Office said deputies were searching the river. "
        "The paper reported, citing the sheriff's office, that two people were missing."
    )
    _, relayed = claims_of(text)
    assert relayed.speaker == "Dunmore County Sheriff's Office"
    assert relayed.via and relayed.via[0] != relayed.speaker


def test_the_outlet_that_reports_a_statement_relays_it():
    text = "The county clerk's office said 48,210 ballots had been counted, the Dunmore Herald reported."
    claim = only_claim(text)
    assert spoken(text, claim) == "The county clerk's office"
    assert claim.cue == "said"
    assert claim.via == ["Dunmore Herald"]


def test_a_closing_agency_report_with_a_cited_source():
    text = (
        "About 600 patients were moved from the Eastfield clinic, the Pellham news agency reported "
        "on Tuesday, citing the Regional Health Authority."
    )
    claim = only_claim(text)
    assert claim.speaker == "Regional Health Authority"
    assert claim.via == ["Pellham news agency"]
    assert claim.via_refs[0].kind == "organisation"  # a brand before "news agency" is a name


def test_a_campaign_statement_relayed_by_a_wire():
    text = "The campaign of Senator Ruth Adler said it had raised $4.1 million, Reuters reported."
    claim = only_claim(text)
    assert claim.via == ["Reuters"]
    assert claim.speaker is not None and "campaign" in claim.speaker


def test_a_court_is_a_body_and_a_judge_a_person():
    text = (
        "Judge Anita Verhoef told the Harwick District Court that the trial would resume on Monday. "
        "The court said four defendants had been released on bail."
    )
    judge, court = claims_of(text)
    assert judge.speaker == "Anita Verhoef" and judge.speaker_ref.kind == "person"
    assert court.speaker_ref is not None and court.speaker_ref.kind in ("organisation", "description")
    assert court.speaker != judge.speaker


def test_name_rules_keep_bodies_with_one_head_noun_apart():
    assert not same_speaker("State Department", "Justice Department")
    assert not same_speaker("Interior Ministry", "Finance Ministry")
    assert not same_speaker("the agency", "Regional Health Authority")
    assert not same_speaker("the department", "Marlow County Health Department")
    assert same_speaker("US State Department", "State Department")
    assert speaker_key("the State Department") == "state department"
    assert speaker_key("Chief of Police Maria Ortiz") == "maria ortiz"
