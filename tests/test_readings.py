"""Quantity readings from the parse: counted thing, predicate, kind, stage, part, bounds.

Every sentence here is fictional, written for these tests (places and people invented),
about many kinds of story: shootings, floods, budgets, elections, courts, polls, health.
"""

import pytest

from index.extract import extract_claims
from index.models import Article, Figure


def figures_of(sentence: str) -> list[Figure]:
    article = Article(id="r", source="fixture", text=sentence)
    figures = [f for c in extract_claims(article) for f in c.figures]
    for figure in figures:
        assert sentence[figure.start : figure.end] == figure.text
    return figures


def figure_for(sentence: str, text: str) -> Figure:
    matches = [f for f in figures_of(sentence) if f.text == text]
    assert len(matches) == 1, figures_of(sentence)
    return matches[0]


# ------------------------------------------------------------ small counts in words


@pytest.mark.parametrize(
    ("sentence", "text", "value", "counted", "predicate_family"),
    [
        ("One person is dead after a fire at a Marlow bakery.", "One", 1, "person", "killed"),
        ("Two men were wounded outside the Tillery arcade on Friday.", "Two", 2, "man", "injured"),
        ("Three children were rescued from the flooded Brenn school.", "Three", 3, "child", "rescued"),
        ("Two dozen protesters were arrested outside Caldor city hall.", "Two dozen", 24, "protester", "arrested"),
        ("A dozen homes were destroyed when the Orla river burst its banks.", "A dozen", 12, "home", "destroyed"),
    ],
)
def test_small_counts_in_words_are_figures(sentence, text, value, counted, predicate_family):
    figure = figure_for(sentence, text)
    assert (figure.value, figure.kind, figure.counted, figure.predicate_family) == (
        value, "count", counted, predicate_family,
    )  # fmt: skip
    assert figure.groupable


def test_dozens_of_is_vague_and_not_groupable():
    figure = figure_for("Dozens of residents were evacuated from Pellow Street overnight.", "Dozens")
    assert figure.vague and not figure.groupable
    assert (figure.counted, figure.predicate_family) == ("resident", "evacuated")


# ------------------------------------------------------ predicate from the parse


def test_a_shooting_that_left_people_dead_reads_killed_not_evacuated():
    sentence = "A shooting in Harwick that left four people dead and two others injured is under investigation."
    dead, injured = figure_for(sentence, "four"), figure_for(sentence, "two")
    assert (dead.counted, dead.predicate, dead.predicate_family) == ("people", "dead", "killed")
    assert (injured.counted, injured.predicate_family, injured.part) == ("other", "injured", True)


def test_a_reward_leading_to_an_arrest_is_the_size_of_a_reward_not_arrests():
    # The amount modifies "reward": it measures the reward, whatever was done with it.
    figure = figure_for("Police offered a $10,000 reward for information leading to an arrest.", "$10,000")
    assert figure.kind == "money"
    assert figure.predicate_family != "arrested"
    assert (figure.counted, figure.unit, figure.predicate) == (None, "dollars", "reward")


def test_of_the_six_who_were_shot_one_died():
    sentence = "Of the six men who were shot in Dunmore, one was pronounced dead at the scene."
    six, one = figure_for(sentence, "six"), figure_for(sentence, "one")
    assert (six.counted, six.predicate_family) == ("man", "shot")
    assert (one.predicate_family, one.part, one.whole) == ("killed", True, 6)


def test_left_one_dead_and_two_others_injured():
    sentence = "The crash on the Fenwick bypass left one man dead and two others injured."
    one, two = figure_for(sentence, "one"), figure_for(sentence, "two")
    assert (one.counted, one.predicate_family) == ("man", "killed")
    assert (two.predicate_family, two.part) == ("injured", True)


@pytest.mark.parametrize(
    ("sentence", "text", "predicate", "predicate_family"),
    [
        ("The death toll from the Lannis floods rose to 14 on Sunday.", "14", "toll", "killed"),
        ("Two were killed and three wounded in the Ashby market attack.", "three", "wound", "injured"),
        ("Four people are dead after the Corran bridge collapse.", "Four", "dead", "killed"),
        ("A man and a woman were found dead, and 30 are missing after the Selby landslide.", "30", "miss", "missing"),
        ("Turnout was 62 percent in the Rook county election.", "62 percent", "turnout", "turnout"),
        ("The gunman opened fire on the Kessock bus, killing three passengers.", "three", "kill", "killed"),
        ("Four deaths were reported at the Vell care home this week.", "Four", "death", "killed"),
    ],
)
def test_predicates_from_the_parse(sentence, text, predicate, predicate_family):
    figure = figure_for(sentence, text)
    assert (figure.predicate, figure.predicate_family) == (predicate, predicate_family)


def test_a_rising_toll_is_cumulative_and_a_planned_cut_is_planned():
    toll = figure_for("The death toll from the Lannis floods rose to 14 on Sunday.", "14")
    cut = figure_for("The Ardley council plans to cut 500 jobs next year.", "500")
    so_far = figure_for("About 1,200 residents have been evacuated so far, the Brenn mayor said.", "About 1,200")
    done = figure_for("Five people were shot outside a Tillery nightclub on Saturday.", "Five")
    assert toll.stage == "cumulative"
    assert (cut.stage, cut.predicate_family, cut.counted_family) == ("planned", "cut", "jobs")
    assert so_far.stage == "cumulative"
    assert done.stage == "done"


def test_including_children_is_a_part():
    figure = figure_for("The fire killed nine people, including three children, in the Orm tower.", "three")
    assert figure.part
    assert figure.counted == "child"


def test_negation_is_read():
    figure = figure_for("The Velden hospital did not admit 40 patients last winter, the audit found.", "40")
    assert figure.negated
    assert not figure.groupable


# --------------------------------------------------------- numbers that are not counts


@pytest.mark.parametrize(
    ("sentence", "text", "kind"),
    [
        ("A 15-year-old was arrested after the Marsh Lane stabbing.", "15", "age"),
        ("Jane Roe, 45, of Ashby, was charged with arson.", "45", "age"),
        ("Police were called at about 1 p.m. to a house in Coldridge.", "about 1", "time"),
        ("The shooting happened on the 2200 block of Fenner Street.", "2200", "address"),
        ("The tornado touched down four miles from the Brackley school.", "four", "distance"),
        ("The Kell family has run the shop since 2002.", "2002", "year"),
        ("The Tarn Rovers won the final 3-1 at home.", "3-1", "score"),
        ("She finished 2nd in the Orla county primary.", "2", "ordinal"),
        ("He was sentenced to 20 years in prison for the Dunmore robbery.", "20", "duration"),
        ("The flood hit on March 4 after a week of rain in Lannis.", "4", "date"),
    ],
)
def test_numbers_that_are_not_counts_get_their_kind(sentence, text, kind):
    figure = figure_for_any(sentence, text)
    assert figure.kind == kind
    assert not figure.groupable


def figure_for_any(sentence: str, text: str) -> Figure:
    """Non-count figures do not make a sentence a claim: read the parse directly."""
    from index.extract.figures import find_figures
    from index.extract.nlp import get_nlp

    matches = [f for f in find_figures(get_nlp()(sentence), 0) if f.text == text]
    assert len(matches) == 1, find_figures(get_nlp()(sentence), 0)
    assert sentence[matches[0].start : matches[0].end] == text
    return matches[0]


def test_years_are_read_so_they_can_be_compared():
    early = figure_for_any("The Kell family has run the shop since 2002.", "2002")
    late = figure_for_any("The Kell family has run the shop since 2003.", "2003")
    assert (early.kind, early.value, late.value) == ("year", 2002, 2003)


@pytest.mark.parametrize(
    ("sentence", "text", "counted"),
    [
        ("Prosecutors filed a 48-page indictment against the Ashby treasurer.", "48", "page"),
        ("The new mayor swore a 35-word oath in the Rook council chamber.", "35", "word"),
    ],
)
def test_compound_modifiers_count_their_noun(sentence, text, counted):
    figure = figure_for(sentence, text)
    assert (figure.kind, figure.counted, figure.value) == ("count", counted, int(text))


# ------------------------------------------------------------------ units stretched


def test_men_are_men_not_troops():
    figure = figure_for("Six young men were shot outside a bar in Harwick.", "Six")
    assert figure.counted == "man"
    assert figure.counted_family == "people"
    assert figure.predicate_family == "shot"


def test_percent_counts_the_of_object():
    figure = figure_for("Roughly 36% of voters in Rook backed the library levy.", "Roughly 36%")
    assert (figure.kind, figure.counted, figure.predicate_family) == ("percent", "voter", "support")
    assert (figure.low, figure.high) == (35, 37)
    exact = figure_for("In Ashby, 35.7% of voters opposed the levy.", "35.7%")
    assert exact.high - exact.low < 0.2


# ------------------------------------------------------- counts without a number


@pytest.mark.parametrize(
    ("sentence", "text", "value", "predicate_family"),
    [
        ("A man and a woman were found dead in a Corran flat on Monday.", "A man and a woman", 2, "killed"),
        ("Both victims died at the scene, police in Ashby said.", "Both victims", 2, "killed"),
        ("A woman was wounded in the Tillery arcade shooting.", "A woman", 1, "injured"),
        ("A teenager was shot and killed outside the Marsh Lane shop.", "A teenager", 1, "killed"),
    ],
)
def test_counts_implied_by_the_noun_phrase(sentence, text, value, predicate_family):
    figure = figure_for(sentence, text)
    assert (figure.value, figure.kind, figure.predicate_family) == (value, "count", predicate_family)
    assert figure.counted_family == "people"


def test_another_is_a_part_and_people_who_only_speak_are_not_counted():
    another = figure_for("Another man was arrested in Dunmore on Sunday.", "Another man")
    assert (another.value, another.part, another.predicate_family) == (1, True, "arrested")
    assert figures_of("A man in Ashby said the storm was the worst he had seen.") == []


def test_an_event_is_not_a_count_of_people():
    # "a shooting" happens to people but is not one of them: no implied count of 1.
    figures = figures_of("Three people were killed in a shooting at the Kessel fairground on Monday.")
    assert [(f.text, f.value) for f in figures] == [("Three", 3)]


@pytest.mark.parametrize(
    ("sentence", "text", "predicate_family"),
    [
        ("Three people were found shot to death inside a car in Brenn.", "Three", "killed"),
        ("The crash sent four teens to the hospital late on Monday.", "four", "hospitalised"),
        ("A fight outside a Caldor bar left five people wounded.", "five", "injured"),
        ("Two people were shot and killed near the Orla bridge.", "Two", "killed"),
        ("Four bodies were recovered from the Lannis river.", "Four", "killed"),
    ],
)
def test_results_and_destinations_say_what_happened(sentence, text, predicate_family):
    assert figure_for(sentence, text).predicate_family == predicate_family


def test_times_is_how_often_not_how_many():
    figure = figure_for_any("The Ashby officer was shot five times in the leg.", "five")
    assert figure.kind == "other"


def test_how_an_event_ended():
    sentence = "Five people were shot, one fatally, during the Ashby street fair."
    assert figure_for(sentence, "Five").predicate_family == "shot"
    assert figure_for(sentence, "one").predicate_family == "killed"
    fatally = figure_for("Two guards were fatally shot at the Orla depot.", "Two")
    assert fatally.predicate_family == "killed"


def test_phone_numbers_and_hyphenated_nouns():
    phone = figure_for_any("Call the Ashby tip line at 1-866-845-TIPS with information.", "845")
    assert phone.kind == "other"
    workers = figure_for("A former driver shot 4 co-workers at the Fenwick depot.", "4")
    assert workers.counted == "worker"
