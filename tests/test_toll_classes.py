"""Toll readings that the parse gives through a verb of surviving, of losing or of
undergoing, counts of two said with "both", and how /claims ranks narrower counts that
disagree.

Every sentence and article here is fictional, written for these tests (places, people
and outlets invented): shootings, a crash, a ferry sinking, a flood, an election, a
budget, a court case and an outbreak.
"""

import pytest

from tests.test_tolls import claims_answers, figures_of, stated, survivors


# ------------------------------------------------------------ what they survived


def test_recovering_after_being_shot_counts_people_shot_who_survived():
    sentence = "Four men are still recovering after being shot by a stranger outside the Orla hall early Sunday."
    figure = stated(sentence, "Four")
    assert (figure.predicate, figure.predicate_family, figure.stage) == ("shoot", "shot", "done")
    # that they survived is read from the same sentence, with both statements as sources
    (injured,) = survivors(sentence)
    assert (injured.value, injured.predicate_family) == (4, "injured")
    assert [t.text for t in injured.derived_from] == ["Four", sentence]


def test_recovering_from_wounds_names_the_wounds():
    figure = stated("Two men are recovering from gunshot wounds at Harwick General.", "Two")
    assert (figure.predicate, figure.predicate_family) == ("wound", "injured")


@pytest.mark.parametrize(
    "sentence",
    [
        "Three patients are recovering from the flu at Harwick General.",  # an illness, no event
        "Ninety residents have recovered since the Tillery outbreak began.",  # recoveries counted
    ],
)
def test_recovering_from_an_illness_stays_a_recovery(sentence):
    (figure,) = [f for f in figures_of(sentence) if f.kind == "count"]
    assert figure.predicate_family == "recovered"
    assert survivors(sentence) == []


def test_recovering_after_being_shot_beside_a_death_ties_only_itself():
    text = (
        "A man was killed in Ashby on Friday.\n\n"
        "Three women are slowly recovering after being shot at a Tillery wedding, the constable said."
    )
    (figure,) = survivors(text)
    assert figure.value == 3


# ------------------------------------------------------------ losses that are deaths


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Three people lost their lives when the Brenn bus left the road.", "Three"),  # crash
        ("Twelve lives were lost when the Orla ferry sank in the storm.", "Twelve"),  # disaster
        ('"He just lost two brothers," the Harwick sheriff said.', "two"),  # kin lost
        ("A grandmother in Tillery who lost three grandsons in the flood spoke at the vigil.", "three"),
    ],
)
def test_a_life_or_a_relative_lost_is_a_death(text, written):
    figure = stated(text, written)
    assert (figure.predicate, figure.predicate_family) == ("lose", "killed")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("The Green Party lost two seats on the Ashby council.", "two"),  # election
        ("The Marlow plant lost 300 jobs last year.", "300"),  # economy
        ("The council lost $2 million on the Orla bridge deal.", "$2 million"),  # budget
        ("Two families lost sons in the Caldor fire.", "Two"),  # the families did not die
        ("Three workers lost their jobs after the audit.", "Three"),  # not their lives
    ],
)
def test_other_losses_stay_losses(text, written):
    figure = stated(text, written)
    assert figure.predicate_family == "lost"


# ------------------------------------------------------------ people in police wording


def test_a_male_and_females_are_people():
    text = "A male was killed and two females were wounded in the Harwick shooting, police said."
    killed = stated(text, "A male")
    assert (killed.value, killed.counted_family, killed.predicate_family) == (1, "people", "killed")
    wounded = stated(text, "two")
    assert (wounded.counted, wounded.counted_family, wounded.predicate_family) == ("female", "people", "injured")


def test_people_found_suffering_from_wounds_are_hurt():
    figure = stated("Officers arrived to find four men suffering from gunshot wounds.", "four")
    assert figure.predicate_family == "injured"
    other = stated("Firefighters found five residents suffering from exhaustion.", "five")
    assert other.predicate_family != "injured"


# ------------------------------------------------------------ who did it, who it happened to


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Two gunmen killed three people at the Orla depot, police said.", "Two"),
        ("Two deputies shot the suspect outside the Tillery motel.", "Two"),
        ("A man shot his girlfriend in Ashby on Friday, police said.", None),  # no count of the man
        ("Three firefighters rescued a boy from the Brenn river.", "Three"),
    ],
)
def test_the_one_who_did_it_is_not_counted_as_the_one_it_happened_to(text, written):
    if written is None:
        assert not [f for f in figures_of(text) if f.text.startswith("A man")]
        return
    figure = stated(text, written)
    assert (figure.predicate, figure.predicate_family) == (None, None)


@pytest.mark.parametrize(
    ("text", "written", "family"),
    [
        ("Two gunmen killed three people at the Orla depot, police said.", "three", "killed"),
        ("Three men killed themselves in the Marlow jail last year.", "Three", "killed"),  # reflexive
        ("Two players injured their knees in the Caldor final.", "Two", "injured"),  # their own
        ("About 3,000 residents fled their homes as the Orla rose.", "About 3,000", "displaced"),
    ],
)
def test_the_ones_it_happened_to_keep_the_event(text, written, family):
    assert stated(text, written).predicate_family == family


def test_a_relative_clause_of_what_the_noun_did_is_not_what_happened_to_it():
    figure = stated("The two men who shot the officer were arrested in Marlow on Friday.", "two")
    assert figure.predicate_family == "arrested"
    assert stated("The four people who were shot are in Harwick General.", "four").predicate_family == "shot"


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("One man died and the other was wounded in the Harwick crash.", "injured"),
        ("The blast seriously injured one of the brothers and killed the other.", "killed"),
    ],
)
def test_the_other_of_two_is_one_person(text, family):
    figure = stated(text, "the other")
    assert (figure.value, figure.predicate_family, figure.part) == (1, family, True)
    assert not [f for f in figures_of("One car was towed and the other was destroyed.") if f.text == "the other"]


def test_an_outcome_adverb_after_a_dash_is_the_elliptical_count_own():
    text = "A man shot three police officers - one fatally - in Harwick on Saturday."
    assert stated(text, "three").predicate_family == "shot"
    assert stated(text, "one").predicate_family == "killed"
    (injured,) = [f for f in figures_of(text) if f.derived == "difference"]
    assert (injured.value, injured.predicate_family) == (2, "injured")
    assert stated("The gunman fatally shot two people in Orla.", "two").predicate_family == "killed"


# ------------------------------------------------------------ run-on labels, coordinations


@pytest.mark.parametrize(
    ("text", "written", "family"),
    [
        # a web page runs its section label into the headline without punctuation
        ("Local News One dead, three wounded in Harwick bar shooting", "One", "killed"),
        ("Valley Sport Two injured as Orla stand gives way", "Two", "injured"),
    ],
)
def test_a_capitalised_number_followed_by_what_happened_is_a_count(text, written, family):
    figure = stated(text, written)
    assert (figure.kind, figure.predicate_family) == ("count", family)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Fans of the Big Four were hurt in Harwick on Sunday, the club said.", "Four"),
        ("Flight 17 was delayed at Orla airport, the airline said.", "17"),
    ],
)
def test_a_number_in_a_name_stays_no_count(text, written):
    assert stated(text, written).kind == "other"


def test_a_person_after_a_plural_in_a_coordination_is_counted_alone():
    text = "The blast left three workers dead and a wounded delivery driver trapped, the fire chief said."
    assert stated(text, "a wounded delivery driver").predicate_family == "injured"
    # "a man and a woman" is still counted once, from its first conjunct
    figures = figures_of("A man and a woman were found dead in the Brenn flood.")
    assert [(f.text, f.value) for f in figures] == [("A man and a woman", 2)]


# ------------------------------------------------------------ "both"


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Both are listed in critical condition at Harwick General.", "injured"),  # shooting
        ("Both were arrested at the Orla depot on Tuesday.", "arrested"),  # court case
        ("Both of them were killed when the Brenn van overturned.", "killed"),  # crash
        ("Both were taken to Tillery General Hospital.", "hospitalised"),
    ],
)
def test_both_alone_counts_two_people(text, family):
    figure = stated(text, text.split()[0])
    assert (figure.value, figure.predicate_family, figure.part, figure.counted) == (2, family, False, None)


@pytest.mark.parametrize(
    "text",
    [
        "Both were charged with fraud at Ashby Crown Court.",  # counts of a charge, no event to people
        "Both said they would appeal the ruling.",
        "Both candidates won 40% of the vote in Caldor.",
        "Both budgets were cut by the Marlow council.",
    ],
)
def test_both_without_an_event_to_people_counts_nothing(text):
    assert not [f for f in figures_of(text) if f.text == "Both"]


def test_they_both_gives_the_survival_statement_its_number_beside_a_death():
    text = (
        "Two people were shot outside a Marlow store on Friday, police said.\n\n"
        "In a separate shooting, a man was killed in Ashby.\n\n"
        "They were both flown to the Harwick trauma unit and are in stable condition tonight."
    )
    (figure,) = survivors(text)
    assert (figure.value, figure.predicate_family) == (2, "injured")
    # without "both" the statement gives no number, and beside a death it ties nothing
    assert survivors(text.replace("They were both flown", "They were flown")) == []


# ------------------------------------------------------------ ranking


def test_narrower_counts_that_disagree_do_not_push_the_asked_count_off_the_page(tmp_path_factory):
    # A stand collapse (fictional): four outlets disagree on the hospitalised, one counts the hurt.
    story = {
        "Brenn Daily": "Six people were hospitalised after the Orla stand collapsed, the council said.",
        "Orla Echo": "Six people were hospitalised after the Orla stand collapsed on Friday, the council said.",
        "Caldor Star": "Eight people were hospitalised after the Orla stand collapsed, a hospital spokeswoman said.",
        "Harwick Herald": "Eight people were hospitalised after the stand collapsed on Friday, a hospital spokeswoman said.",
        "Valley Post": "Nine people were hurt when the stand at the Orla fairground collapsed, the fire service said.",
    }
    files = {
        f"{outlet.split()[0].lower()}.txt": f"---\noutlet: {outlet}\npublished: 2031-06-06\n---\n{text}\n"
        for outlet, text in story.items()
    }
    groups = claims_answers(tmp_path_factory, files, ("injured",))["injured"]["groups"]
    hospitalised = [g for g in groups if g["predicate"] == "hospitalised"]
    assert sorted(g["figure"]["value"] for g in hospitalised) == [6, 8]
    assert all(g["conflicts_with"] and g["outlets"] == 2 for g in hospitalised)  # still flagged
    assert (groups[0]["predicate"], groups[0]["figure"]["value"]) == ("injured", 9)


def test_claims_killed_joins_a_relative_lost_with_the_stated_deaths(tmp_path_factory):
    # A house fire (fictional): one outlet counts the dead, the other quotes the family.
    story = {
        "marlow-gazette.txt": "Two boys died in a house fire on Elm Street in Marlow on Sunday, the fire chief said.\n",
        "ashby-courier.txt": '"She lost two sons in one night," a neighbour of the Marlow family said.\n',
    }
    groups = claims_answers(tmp_path_factory, story, ("killed",))["killed"]["groups"]
    (group,) = [g for g in groups if g["figure"]]
    assert (group["predicate"], group["figure"]["value"], group["articles"]) == ("killed", 2, 2)
    assert not group["conflicts_with"]


def test_a_loss_alone_is_headlined_with_the_word_its_quote_uses(tmp_path_factory):
    story = {"tillery-times.txt": '"He just lost two brothers," the Tillery sheriff said after the shooting.\n'}
    (group,) = [g for g in claims_answers(tmp_path_factory, story, ("killed",))["killed"]["groups"] if g["figure"]]
    assert (group["predicate"], group["predicate_word"], group["answers_query"]) == ("killed", "lost", True)
    assert group["headline"].startswith("2 brothers (lost")
