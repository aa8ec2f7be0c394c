"""Speaker names: matching keys, transliteration variants, acronyms, in-article resolution."""

import pytest

from index.extract import ArticleSpeakers, same_speaker, speaker_key
from index.extract.speakers import SpeakerMention


def test_speaker_key_folds_accents_case_and_titles():
    assert speaker_key("Lieutenant General Kyrylo Marchénko") == "kyrylo marchenko"
    assert speaker_key("Varnian President Bohdan Zorenkyy") == "bohdan zorenkyy"
    assert speaker_key("NATO Secretary General Ada Lind") == "ada lind"
    assert speaker_key("Dr. Anika Sollberg") == "anika sollberg"
    assert speaker_key("the Central Security Bureau") == "central security bureau"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zorenky", "Zorenkyy"),
        ("Bohdan Zorenkyy", "Bohdan Zorenkiy"),
        ("Volodymyr Sarenko", "Volodimir Sarenko"),
        ("Kirilo Marchénko", "Lieutenant General Kyrylo Marchenko"),
        ("Kyril Marchenko", "Kyrylo Marchenko"),
        ("Usurova", "Ussurova"),
        ("CSB", "Central Security Bureau"),
        ("Varnian Central Security Bureau", "Central Security Bureau (CSB)"),
        ("Marchenko", "Kyrylo Marchenko"),
        ("Ana Li-Park", "Ana Li Park"),
        ("Kestrel", "Kestrel news agency"),
    ],
)
def test_same_speaker_accepts_spelling_variants(a, b):
    assert same_speaker(a, b)
    assert same_speaker(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ivan Sarenko", "Ivana Sarenko"),
        ("Mario Lind", "Maria Lind"),
        ("Kim Jae-won", "Kim Sun Ho"),
        ("Ostrian Ministry of Defence", "Varnian Ministry of Defence"),
        ("CSB", "Central Intelligence Office"),
    ],
)
def test_same_speaker_keeps_different_people_apart(a, b):
    assert not same_speaker(a, b)


def name(text: str, kind: str = "person", aliases: tuple[str, ...] = ()) -> SpeakerMention:
    return SpeakerMention(text, "name", kind, text.split()[-1].lower(), aliases)  # type: ignore[arg-type]


def test_surname_alone_resolves_to_the_full_name_mentioned_earlier():
    speakers = ArticleSpeakers()
    first = speakers.resolve(name("Lieutenant General Kyrylo Marchenko"), 0)
    later = speakers.resolve(name("Marchenko"), 3)
    assert first is later
    assert later.canonical == "Kyrylo Marchenko"
    assert "Lieutenant General Kyrylo Marchenko" in later.aliases


def test_organisation_long_short_and_acronym_forms_are_one_speaker():
    speakers = ArticleSpeakers()
    full = speakers.resolve(name("the Varnian Central Security Bureau", "organisation", ("CSB",)), 0)
    short = speakers.resolve(name("Central Security Bureau", "organisation"), 1)
    acronym = speakers.resolve(name("CSB", "organisation"), 2)
    assert full is short is acronym
    assert full.canonical == "Central Security Bureau"
    assert "CSB" in full.aliases


def test_description_stays_a_description_unless_tied_by_apposition():
    speakers = ArticleSpeakers()
    bureau = speakers.resolve(name("Central Security Bureau", "organisation", ("Halden's spy agency",)), 0)
    tied = speakers.resolve(SpeakerMention("Halden's spy agency", "description", "organisation", "agency"), 1)
    untied = speakers.resolve(SpeakerMention("Brennmark's spy agency", "description", "organisation", "agency"), 2)
    assert tied is bureau
    assert untied is not bureau
    assert untied.canonical == "Brennmark's spy agency"
    assert not untied.named


def test_pronouns_and_roles_resolve_to_the_right_earlier_speaker():
    speakers = ArticleSpeakers()
    speakers.resolve(name("Kestrel news agency", "organisation"), 0)
    speakers.resolve(name("Bohdan Zorenkyy"), 1)
    assert speakers.resolve(SpeakerMention("He", "pronoun", "person", "he"), 2).canonical == "Bohdan Zorenkyy"
    assert speakers.resolve(SpeakerMention("the agency", "role", "organisation", "agency"), 3).canonical == "Kestrel news agency"
    assert speakers.resolve(SpeakerMention("it", "pronoun", "organisation", "it"), 4).canonical == "Kestrel news agency"


def test_pronoun_without_anyone_named_stays_unresolved():
    assert ArticleSpeakers().resolve(SpeakerMention("She", "pronoun", "person", "she"), 0) is None


def test_brand_alone_matches_brand_with_generic_words():
    assert same_speaker("Kestrel", "Kestrel News Agency")
    assert not same_speaker("Kestrel", "Kestrel Ministry of Defence")


def test_a_title_without_a_name_is_kept_whole():
    record = ArticleSpeakers().resolve(name("the former Prime Minister", "unknown"), 0)
    assert record.canonical == "former Prime Minister"


def test_titled_name_of_unknown_kind_loses_its_title():
    record = ArticleSpeakers().resolve(name("Lieutenant General Ivo Sand", "unknown"), 0)
    assert record.canonical == "Ivo Sand"
