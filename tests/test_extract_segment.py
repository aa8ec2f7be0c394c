"""Sentence splitting: exact offsets, abbreviations, quotes, headlines, glued metadata."""

from index.extract.segment import split_article
from index.models import Article, TextSpan


def sentences(text: str, spans: list[TextSpan] | None = None) -> list[str]:
    article = Article(id="s", source="fixture", text=text, spans=spans or [])
    segments = split_article(article)
    for segment in segments:
        assert article.text[segment.start : segment.end] == segment.text
    return [s.text for s in segments]


def test_abbreviations_do_not_end_sentences():
    text = "Gen. Ana Varga and Lt. Col. Ivo Sand met Mr. Dunn of the U.S. Navy on Jan. 5. They talked."
    assert sentences(text) == [
        "Gen. Ana Varga and Lt. Col. Ivo Sand met Mr. Dunn of the U.S. Navy on Jan. 5.",
        "They talked.",
    ]


def test_dotted_acronym_can_end_a_sentence_before_an_opener():
    assert sentences("Talks moved to the U.S. The envoy left.") == ["Talks moved to the U.S.", "The envoy left."]


def test_initials_stay_inside_the_name():
    assert sentences("John F. Kennedy spoke. Crowds cheered.") == ["John F. Kennedy spoke.", "Crowds cheered."]


def test_question_in_quotes_followed_by_speaker_is_one_sentence():
    text = "“Is it over?” Varga asked. “Yes!” Ivo Sand said. He left."
    assert sentences(text) == ["“Is it over?” Varga asked.", "“Yes!” Ivo Sand said.", "He left."]


def test_headline_without_full_stop_is_its_own_sentence():
    text = "Ostria sends troops north\nThe move came on Friday. Officials confirmed it."
    headline = TextSpan(start=0, end=25, kind="headline")
    assert sentences(text, [headline]) == ["Ostria sends troops north", "The move came on Friday.", "Officials confirmed it."]


def test_line_without_stop_ends_a_sentence_but_a_wrapped_line_does_not():
    text = "Ostria sends troops north\nThe envoy said the move\nwas planned. Nobody denied it."
    assert sentences(text) == ["Ostria sends troops north", "The envoy said the move\nwas planned.", "Nobody denied it."]


def test_prose_glued_to_metadata_is_a_sentence_and_the_marker_is_not():
    text = " date 2031-03-14 On March 14, the bureau confirmed the move. It said more."
    marker = TextSpan(start=0, end=16, kind="metadata")
    assert sentences(text, [marker]) == ["On March 14, the bureau confirmed the move.", "It said more."]


def test_boilerplate_is_never_part_of_a_sentence():
    text = "The bureau confirmed the move. Share this story The envoy agreed."
    junk_start = text.index("Share")
    junk = TextSpan(start=junk_start, end=junk_start + len("Share this story"), kind="boilerplate")
    result = sentences(text, [junk])
    assert result == ["The bureau confirmed the move.", "The envoy agreed."]
    assert all("Share" not in s for s in result)
