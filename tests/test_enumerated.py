"""Counts stated person by person (``index/extract/enumerated.py``).

Every article and sentence here is fictional, written for these tests: invented people
and places (Harwick, Orla, Brenn, Ashby, Tillery), about several kinds of story —
shootings, a crash, a flood, a court case.
"""

from __future__ import annotations

import pytest

from index.models import Figure
from tests.test_tolls import claims_answers, figures_of


def enumerated(text: str) -> list[Figure]:
    """The article's counts worked out person by person; every offset verbatim."""
    return [f for f in figures_of(text) if f.derived == "enumerated"]


def summary(figures: list[Figure]) -> list[tuple[float, str | None]]:
    return sorted((f.value, f.predicate_family) for f in figures)


# ------------------------------------------------------------------- one sentence


@pytest.mark.parametrize(
    ("sentence", "value", "family", "terms"),
    [
        # a shooting: named victims as subject of a passive fate
        (
            "Tam Oduya, Bel Marsh and Corin Vale were pronounced dead at the scene in Harwick.",
            3, "killed", ["Tam Oduya", "Bel Marsh", "Corin Vale"],
        ),
        # one determiner for two nouns
        ("A woman and toddler died after the shooting on Quarry Lane in Ashby.", 2, "killed", ["A woman", "toddler"]),
        # object of a wounding verb, ages in apposition
        (
            "Police said the gunman critically wounded a toddler and her grandfather outside the Tillery store.",
            2, "injured", ["a toddler", "her grandfather"],
        ),
        # resultative "left ... dead", ages in apposition
        (
            "The blast left Ama Sorrel, 41, and Ivo Brack, 38, dead at the Orla quarry.",
            2, "killed", ["Ama Sorrel", "Ivo Brack"],
        ),
        # a crash: named and described people
        (
            "The driver and his passenger were killed when the van left the road near Brenn.",
            2, "killed", ["The driver", "his passenger"],
        ),
        # a flood
        (
            "A woman and her grandson are missing after the Orla burst its banks.",
            2, "missing", ["A woman", "her grandson"],
        ),
        # a court case
        ("Ras Tolland and his cousin were charged with arson in Brenn.", 2, "charged", ["Ras Tolland", "his cousin"]),
    ],
)  # fmt: skip
def test_people_named_together_are_counted(sentence, value, family, terms):
    (figure,) = enumerated(sentence)
    assert (figure.value, figure.predicate_family, figure.counted_family) == (value, family, "people")
    assert [t.text for t in figure.derived_from] == terms
    assert all(t.value == 1 and t.predicate_family == family for t in figure.derived_from)
    assert figure.predicate is None  # the worked-out count is in no word of the sentence


@pytest.mark.parametrize(
    "sentence",
    [
        # the agents of the shooting are not its victims
        "Tam Oduya and Bel Marsh shot at the crowd outside the Harwick club.",
        # a suspect together with a victim: not a count of victims
        "The gunman and a bystander were killed in the exchange of fire in Tillery.",
        # witnesses and speakers: nothing happened to them
        "A man and a woman who saw the crash told police they heard a bang.",
        # denied
        "The mother and her son were not injured in the Ashby fire.",
        # a conjunct that cannot be counted person by person
        "Two men and some children were hurt when the Kessock stand fell.",
        # a place left behind is not someone who fled
        "The gunman fled Harwick after the shooting.",
    ],
)
def test_people_who_are_not_victims_are_not_counted(sentence):
    assert enumerated(sentence) == []


def test_only_the_one_the_killing_happened_to_is_counted():
    (figure,) = enumerated("Ras Tolland killed his wife, Mara Tolland, before he was arrested in Brenn.")
    assert (figure.value, figure.predicate_family, [t.text for t in figure.derived_from]) == (1, "killed", ["his wife"])


@pytest.mark.parametrize(
    "text",
    [
        # a lone description may be one of people counted elsewhere: only a name counts as one
        "The girl was taken to Harwick General in stable condition.",
        "Ras Tolland killed his wife before he was arrested in Brenn.",
        # "each", "every" pick out no one person
        "Each person was wounded in the legs, police said.",
        # a headline or transcript in capitals: its words are not names
        "THE FATHER OF THE TEEN WHO WAS KILLED SPOKE TO REPORTERS.",
        # a dateline in capitals, a common word opening the sentence
        "HARWICK — Killings across the county are down this year, the sheriff said.",
    ],
)
def test_no_count_of_one_without_a_name(text):
    assert enumerated(text) == []


def test_other_beside_someone_in_the_same_sentence_adds_no_one():
    text = (
        "Dara Brown was killed on Friday outside the Tillery store.\n\n"
        '"My cousin got shot and my other cousin is dead," said a relative.'
    )
    # never 2: the dead cousin may be Brown, and nothing says otherwise, so nothing is counted
    assert enumerated(text) == []


def test_a_description_beside_a_name_with_nothing_between_them_is_refused():
    text = (
        "Officer Dara Quill was shot and killed on Saturday in Brenn.\n\n"
        "The man at the home had murdered his wife before the officers arrived."
    )
    # his wife and the officer are two people, but nothing in the article says so: refused
    assert enumerated(text) == []


def test_numbers_already_counting_the_people_are_not_counted_again():
    # "a man and a woman" is read whole (2), "his wife and two daughters" adds up (sum):
    # neither is counted once more person by person
    assert enumerated("A man and a woman were found dead in Ashby.") == []
    assert enumerated("The man killed his wife and two daughters before fleeing Harwick.") == []
    assert enumerated("The two brothers and their cousin were charged with arson after the Brenn fire.") == []


# ------------------------------------------------------------------ across an article


def test_a_victim_said_to_be_one_more_is_added():
    text = (
        "Jory Pell, 24, died at the scene on Elm Street in Tillery, police said.\n\n"
        "A second man, identified as Sam Ruddock, 30, died at the hospital.\n\n"
        "Detectives have not named a suspect."
    )
    (figure,) = enumerated(text)
    assert (figure.value, figure.predicate_family) == (2, "killed")
    first, second = figure.derived_from
    assert first.text == "Jory Pell"
    assert second.text == "A second man, identified as Sam Ruddock, 30, died at the hospital."
    assert figure.text == "Jory Pell"  # stands in the first sentence


def test_also_killed_adds_a_victim_to_one_described_before():
    text = (
        "A 46-year-old woman died on Saturday after a drive-by shooting in Harwick.\n\n"
        "Gino Tamsin, 24, was also killed in the shooting.\n\n"
        "Four others were shot, but their injuries were not life-threatening."
    )
    assert summary(enumerated(text)) == [(2, "killed")]


def test_a_single_named_victim_is_a_count_of_one():
    text = (
        "Rigo Castell was at a food truck on North Lamar in Ashby when the shooting began.\n\n"
        "Castell died at the scene, police said."
    )
    (figure,) = enumerated(text)
    assert (figure.value, figure.predicate_family, figure.text) == (1, "killed", "Castell")


def test_a_person_named_twice_is_one_person():
    text = (
        "Lia Corran, 31, died at the scene on Elm Street in Ashby.\n\n"
        "Neighbours said Corran died shielding her son from the gunfire."
    )
    assert summary(enumerated(text)) == [(1, "killed")]


def test_a_description_and_a_name_may_be_one_person():
    text = (
        "A man was killed in a shooting on Quarry Lane in Brenn on Sunday.\n\n"
        "Police said Abe Tull, 22, died at the scene."
    )
    # "a man was killed" is already 1 (implied); Tull may be that man: nothing to add
    assert enumerated(text) == []


def test_a_description_then_a_name_may_be_one_person():
    text = (
        "The officer was killed while answering a call on Lashmere Court in Tillery.\n\n"
        "Police said Officer Dara Quill, 28, was shot and killed on her first shift.\n\n"
        "A woman was also killed in the shooting."
    )
    assert summary(enumerated(text)) == [(2, "killed")]


def test_two_phrases_one_predicate_reaches_are_not_a_coordination():
    text = "Flowers mark the spot by the son where her son was killed in Ashby."
    assert [f for f in enumerated(text) if f.value == 2] == []


def test_different_names_with_nothing_tying_them_are_refused():
    text = "Lia Corran died at the scene in Ashby.\n\nAbe Tull died at the hospital in Harwick."
    assert enumerated(text) == []


@pytest.mark.parametrize(
    "context",
    [
        "In a separate shooting, Abe Tull was also killed in Harwick.",
        "Two years ago, Abe Tull was also killed at the same corner.",
        "In 2019, Abe Tull was also killed in a crash on the same road.",
    ],
)
def test_people_of_another_event_are_not_added(context):
    text = f"Lia Corran, 31, died at the scene on Elm Street in Ashby.\n\n{context}"
    assert summary(enumerated(text)) == [(1, "killed")]


def test_an_article_that_states_its_count_is_not_recounted():
    text = (
        "Three people were killed in the crash on the Orla road.\n\n"
        "Jory Pell, 24, died at the scene. Sam Ruddock was also killed."
    )
    assert enumerated(text) == []


def test_a_suspect_named_as_shot_is_not_a_victim():
    text = (
        "Officers said Dex Harlan shot two deputies outside the Tillery casino.\n\n"
        "Harlan was wounded when the deputies returned fire."
    )
    assert [f for f in enumerated(text) if f.predicate_family == "injured"] == []


# --------------------------------------------------------------------- /claims


STORY = {
    "herald.txt": (
        "Gunfire on Elm Street\n\n"
        "Jory Pell, 24, died at the scene on Elm Street in Harwick on Friday night, police said.\n\n"
        "A second man, identified as Sam Ruddock, 30, died at Harwick General.\n\n"
        "Police have not named a suspect.\n"
    ),
    "courier.txt": (
        "Harwick shooting leaves two dead\n\n"
        "Sam Ruddock and Jory Pell were pronounced dead after the Friday shooting on Elm Street, police said.\n\n"
        "Neighbours described hearing six shots.\n"
    ),
}


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    return claims_answers(tmp_path_factory, STORY, ("killed",))["killed"]


def test_claims_shows_people_counted_one_by_one_with_their_sentences(killed):
    group = next(g for g in killed["groups"] if g["figure"] and g["figure"]["value"] == 2)
    assert group["predicate"] is None or group["predicate_word"]
    texts = [q["text"] for q in group["quotes"]]
    # the article-wide count quotes the sentence it adds, verbatim
    assert "A second man, identified as Sam Ruddock, 30, died at Harwick General." in texts
    if group["derivation"] == "enumerated":
        assert "named one by one" in group["headline"] or group["predicate_word"]
        assert all(any(t["text"] in text for text in texts) for t in group["derived_from"])
    assert not group["conflicts_with"]
