"""Figures: number formats, scales, ranges, hedges as intervals, units, and non-counts."""

import pytest

from index.extract import extract_claims
from index.models import Article, Figure


def figures_of(sentence: str) -> list[Figure]:
    article = Article(id="f", source="fixture", text=sentence)
    claims = extract_claims(article)
    figures = [f for c in claims for f in c.figures]
    for figure in figures:
        assert sentence[figure.start : figure.end] == figure.text
    return figures


def only_figure(sentence: str) -> Figure:
    figures = figures_of(sentence)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("Officials said 12,000 soldiers left Ostria.", 12000, "soldiers"),
        ("Officials said 12 000 soldiers left Ostria.", 12000, "soldiers"),
        ("Officials said 12\u00a0000 soldiers left Ostria.", 12000, "soldiers"),
        ("Officials said 1,500 soldiers left Ostria.", 1500, "soldiers"),
        ("Officials said 1.5 million people left Ostria.", 1_500_000, "people"),
        ("Officials said 12k people marched in Ostria.", 12000, "people"),
        ("Officials said twelve thousand people marched in Ostria.", 12000, "people"),
        ("Officials said Ostria sent four brigades north.", 4, "brigades"),
        ("Ostria spent $2bn on the war, officials said.", 2e9, "dollars"),
        ("Ostria spent £5m on the war, officials said.", 5e6, "pounds"),
    ],
)
def test_number_formats(sentence, value, unit):
    figure = only_figure(sentence)
    assert figure.value == value
    assert (figure.low, figure.high) == (value, value)
    assert figure.unit == unit
    assert not figure.approx


def test_unit_skips_adjectives_and_noun_modifiers():
    figures = figures_of("Ostria moved 13,500 North Ostrian infantry troops and 1,700 special forces troops.")
    assert [(f.value, f.unit) for f in figures] == [(13500, "troops"), (1700, "troops")]


@pytest.mark.parametrize(
    ("sentence", "text", "low", "high"),
    [
        ("Ostria sent between 13,000 and 15,000 troops.", "between 13,000 and 15,000", 13000, 15000),
        ("Ostria sent 13-15,000 troops.", "13-15,000", 13000, 15000),
        ("Ostria sent 13,000 to 15,000 troops.", "13,000 to 15,000", 13000, 15000),
    ],
)
def test_ranges(sentence, text, low, high):
    figure = only_figure(sentence)
    assert figure.text == text
    assert (figure.low, figure.high, figure.value) == (low, high, (low + high) / 2)
    assert figure.unit == "troops"
    assert figure.approx


@pytest.mark.parametrize(
    ("hedge", "low", "high"),
    [
        ("about", 900, 1100),
        ("around", 900, 1100),
        ("approximately", 900, 1100),
        ("some", 900, 1100),
        ("an estimated", 900, 1100),
        ("nearly", 900, 1000),
        ("almost", 900, 1000),
        ("close to", 900, 1000),
        ("up to", 0, 1000),
        ("more than", 1000, 1500),
        ("at least", 1000, 1500),
    ],
)
def test_hedges_become_intervals(hedge, low, high):
    figure = only_figure(f"Ostria sent {hedge} 1,000 troops north.")
    assert figure.text == f"{hedge} 1,000"
    assert figure.value == 1000
    assert (figure.low, figure.high) == (pytest.approx(low), pytest.approx(high))
    assert figure.approx
    assert figure.unit == "troops"


def test_hedge_at_sentence_start_and_spaced_thousands():
    figure = only_figure("About 13 500 Ostrian infantry are drilling, officials said.")
    assert (figure.text, figure.value, figure.unit, figure.approx) == ("About 13 500", 13500, "infantry", True)


def test_a_count_of_soldiers_is_kept():
    figure = only_figure("Officials counted an estimated 21 Ostrian soldiers who deserted.")
    assert (figure.value, figure.unit) == (21, "soldiers")


@pytest.mark.parametrize(
    "sentence",
    [
        "It was the first deployment since the Border War in 1950.",
        "Ostria moved its units from October 8 to 13, officials said.",
        "The envoy returned to Halden after 31 years away.",
        "The units must be in place by the 2nd of December, Ostria said.",
        "The pact has a clause modelled on Article 5 of the charter.",
        "The 18-year-old recruit met the council at 10:30, officials said.",
        "One day ago one of the envoys left Halden.",
        "The Border War (1950-1953) ended in a truce, Ostria said.",
    ],
)
def test_dates_years_ages_times_ordinals_and_identifiers_are_not_counts(sentence):
    assert figures_of(sentence) == []


def test_percentages_are_kept_with_unit_percent():
    figure = only_figure("Approximately 46% of voters in Halden backed the plan.")
    assert (figure.text, figure.value, figure.unit, figure.approx) == ("Approximately 46%", 46, "percent", True)


def test_from_to_is_a_change_unless_it_states_a_range():
    change = figures_of("Ostria raised its force from 10,000 to 12,000 troops.")
    assert [(f.value, f.approx) for f in change] == [(10000, False), (12000, False)]
    ranging = only_figure("Ostria said fares ranging from £17 to £23 applied.")
    assert (ranging.low, ranging.high, ranging.unit) == (17, 23, "pounds")


def test_spelled_number_inside_a_name_is_not_a_count():
    assert figures_of("Ostria lost to Halden in the Six Nations final.") == []
