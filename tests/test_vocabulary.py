"""Every family of the news vocabulary, read from one fictional sentence each.

The sentences are invented for this table (places and people are fictional). Each row
asserts the family the extractor gives the figure's counted thing or predicate, so a
vocabulary entry that the parse cannot reach fails here.
"""

import pytest

from index.extract.figures import find_figures
from index.extract.nlp import get_nlp
from index.vocabulary import (
    FAMILIES,
    IRREGULAR_FORMS,
    KIN,
    LOSS_VERB,
    counted_family,
    family_named_by,
    names_people,
    predicate_family,
    reading_words,
)

# (family key, sentence, figure text, which field)
COUNTED = "counted_family"
PREDICATE = "predicate_family"
TABLE = [
    ("people", "Some 300 residents of Brenn signed the petition.", "Some 300", COUNTED),
    ("troops", "Ostmark sent 2,000 soldiers to the Varl border.", "2,000", COUNTED),
    ("officers", "Forty officers searched the Hallam estate.", "Forty", COUNTED),
    ("suspects", "Two suspects fled the Kessock bank on foot.", "Two", COUNTED),
    ("missiles", "The Varl army fired 12 rockets at the depot.", "12", COUNTED),
    ("drones", "Defences downed 30 drones over Ostmark overnight.", "30", COUNTED),
    ("protesters", "About 5,000 demonstrators marched through Caldor.", "About 5,000", COUNTED),
    ("hostages", "The group still holds 14 hostages in the Orm hills.", "14", COUNTED),
    ("homes", "The storm damaged 210 houses in Lannis.", "210", COUNTED),
    ("weapons", "Detectives seized nine firearms from the Fenner Street flat.", "nine", COUNTED),
    ("rounds", "Witnesses heard 20 rounds fired near the Tillery arcade.", "20", COUNTED),
    ("charges", "The Ashby treasurer faces six counts of fraud.", "six", COUNTED),
    ("votes", "The challenger received 4,812 votes in Rook county.", "4,812", COUNTED),
    ("seats", "The Green list took 14 seats on the Rook council.", "14", COUNTED),
    ("voters", "The survey asked 1,024 voters in Ardley about the levy.", "1,024", COUNTED),
    ("jobs", "The Marlow mill will shed 350 jobs by spring.", "350", COUNTED),
    ("dollars", "The Orla county fair lost 20,000 dollars last year.", "20,000", COUNTED),
    ("pounds", "The Hallam club owes 3,000 pounds in rent.", "3,000", COUNTED),
    ("euros", "Brenn pledged 500,000 euros for the dyke.", "500,000", COUNTED),
    ("cases", "Health officials confirmed 86 cases of measles in Vell.", "86", COUNTED),
    ("doses", "The Vell clinic gave out 1,200 doses on Saturday.", "1,200", COUNTED),
    ("patients", "The Velden ward moved 35 patients overnight.", "35", COUNTED),
    ("beds", "The Orm hospital opened 40 beds for flu cases.", "40", COUNTED),
    ("students", "About 600 students missed classes at Ashby High.", "About 600", COUNTED),
    ("incidents", "Detectives linked three shootings in Tillery to one pistol.", "three", COUNTED),
    ("killed", "The Lannis floods killed 14 people this week.", "14", PREDICATE),
    ("injured", "Eleven people were injured when the Corran stand collapsed.", "Eleven", PREDICATE),
    ("shot", "Five people were shot outside a Tillery nightclub.", "Five", PREDICATE),
    ("casualties", "The Varl army reported 300 casualties after the assault.", "300", PREDICATE),
    ("missing", "Nine climbers are missing on the Orm glacier.", "Nine", PREDICATE),
    ("evacuated", "Crews evacuated 1,500 residents from low-lying Brenn.", "1,500", PREDICATE),
    ("displaced", "The fighting has displaced 40,000 people in the Varl valley.", "40,000", PREDICATE),
    ("rescued", "Coastguards rescued 23 fishermen off Kessock.", "23", PREDICATE),
    ("destroyed", "The wildfire destroyed 87 homes near Ardley.", "87", PREDICATE),
    ("deploy", "Ostmark will deploy 800 troops to the Varl border.", "800", PREDICATE),
    ("move", "About 400 soldiers arrived in Varl on Monday.", "About 400", PREDICATE),
    ("train", "Ostmark has trained 900 recruits this winter.", "900", PREDICATE),
    ("cancelled", "Fog forced 140 flight cancellations at Orla airport.", "140", PREDICATE),
    ("dismissed", "The Marlow board dismissed 12 managers after the audit.", "12", PREDICATE),
    ("arrested", "Police arrested 17 people after the Caldor match.", "17", PREDICATE),
    ("charged", "Prosecutors charged four men over the Dunmore robbery.", "four", PREDICATE),
    ("convicted", "The Ashby jury convicted three defendants on Friday.", "three", PREDICATE),
    ("acquitted", "The Rook court acquitted two officers of assault.", "two", PREDICATE),
    ("sentenced", "The Hallam judge sentenced five gang members on Tuesday.", "five", PREDICATE),
    ("stolen", "Thieves stole $40,000 from the Fenwick credit union.", "$40,000", PREDICATE),
    ("fined", "The Orla regulator fined the mill $250,000 for the spill.", "$250,000", PREDICATE),
    ("voted", "In Ardley, 12,400 residents voted on Tuesday.", "12,400", PREDICATE),
    ("won", "The mayor won 61% of the vote in Rook.", "61%", PREDICATE),
    ("lost", "The Green list lost three seats on the council.", "three", PREDICATE),
    ("turnout", "Turnout was 48 percent in the Caldor primary.", "48 percent", PREDICATE),
    ("polled", "The institute polled 1,500 adults across Varl.", "1,500", PREDICATE),
    ("support", "About 54% of voters support the Brenn levy.", "About 54%", PREDICATE),
    ("oppose", "Nearly 40% of residents oppose the Marlow bypass.", "Nearly 40%", PREDICATE),
    ("spent", "The Ardley council spent $3.2 million on road repairs.", "$3.2 million", PREDICATE),
    ("budgeted", "The city budgeted $18 million for the new library.", "$18 million", PREDICATE),
    ("raised", "The Kessock appeal raised $65,000 in a week.", "$65,000", PREDICATE),
    ("cut", "The board cut $2 million from the Orla school budget.", "$2 million", PREDICATE),
    ("cost", "The Fenwick bridge repairs cost $7 million.", "$7 million", PREDICATE),
    ("paid", "The county paid $90,000 to settle the Dunmore claim.", "$90,000", PREDICATE),
    ("package", "The Rook assembly passed a $4.5 billion transit bill.", "$4.5 billion", PREDICATE),
    ("recorded", "The Vell clinic logged 74 flu cases last week.", "74", PREDICATE),
    ("owed", "The Hallam club owed $300,000 to its players.", "$300,000", PREDICATE),
    ("earned", "The Marlow mill earned $12 million last year.", "$12 million", PREDICATE),
    ("increased", "Property taxes in Rook rose 4% this year.", "4%", PREDICATE),
    ("decreased", "Ridership on the Caldor trams fell 12% in March.", "12%", PREDICATE),
    ("hired", "The Vell hospital hired 120 nurses this spring.", "120", PREDICATE),
    ("infected", "The outbreak has infected 230 people in Lannis.", "230", PREDICATE),
    ("hospitalised", "Eight children were hospitalized after the Orm fair.", "Eight", PREDICATE),
    ("vaccinated", "Clinics vaccinated 9,000 people in Brenn last week.", "9,000", PREDICATE),
    ("tested", "The Vell lab tested 4,000 samples on Monday.", "4,000", PREDICATE),
    ("recovered", "Some 150 patients have recovered in Velden.", "Some 150", PREDICATE),
    ("sickened", "Tainted cheese sickened 64 people in Ardley.", "64", PREDICATE),
]


def test_every_family_has_a_row():
    assert {row[0] for row in TABLE} == {family.key for family in FAMILIES}


@pytest.mark.parametrize(("key", "sentence", "text", "field"), TABLE, ids=[row[0] for row in TABLE])
def test_family_is_read_from_a_sentence(key, sentence, text, field):
    figures = [f for f in find_figures(get_nlp()(sentence), 0) if f.text == text]
    assert len(figures) == 1, find_figures(get_nlp()(sentence), 0)
    assert getattr(figures[0], field) == key, figures[0]


def test_lookups_are_by_lemma_and_role():
    assert counted_family("man") == "people"
    assert counted_family("death") == "people"  # an outcome noun counts people
    assert counted_family("troop") == "troops"
    assert predicate_family("wound") == "injured"
    assert predicate_family("troop") is None
    assert predicate_family("leave") is None  # "left four dead": the result, not the verb


def test_words_a_quote_names_a_family_through():
    assert family_named_by("hospital") == "hospitalised"  # "taken to the hospital"
    assert family_named_by("custody") == "arrested"  # "taken into custody"
    assert family_named_by("condition") == "injured"  # "in stable condition"
    assert family_named_by("wounded") == "injured"
    assert family_named_by("bridge") is None


def test_reading_words_follow_what_a_family_covers():
    # injured covers hospitalised: its destination and its noisy words come along
    assert {"hospital", "condition", "treated", "admitted"} <= reading_words("injured")
    # "shot to death"; "lost two brothers" (a loss is a death only where the parse says so)
    assert reading_words("killed") == {"death", "lose", "loses", "losing", "lost"}
    assert not {"lost", "lose"} & reading_words("injured")
    assert reading_words("arrested") == {"custody"}


def test_kin_and_police_wording_name_people():
    # kin are people ("his two sons were killed") and what "lost" can be read through
    assert all(names_people(word) for word in KIN)
    assert {"brother", "daughters", "grandson", "cousin"} <= KIN
    assert not {"man", "victim", "seat"} & KIN
    assert names_people("male") and names_people("females")  # "a male was killed"
    assert counted_family("male") == "people"


def test_irregular_forms_are_of_verbs_the_readings_use():
    assert IRREGULAR_FORMS[LOSS_VERB] == ("lost",)
    assert predicate_family(LOSS_VERB) == "lost"  # a death only where the parse says so
