"""Figures: number formats, scales, ranges, hedges and rounding as intervals, units, and
the kinds of numbers that are not counts. (Fictional sentences.)"""

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
        ("Officials said Ostria sent four brigades north.", 4, "brigades"),
        ("The county paid $43,885,310 for the bridge.", 43_885_310, "dollars"),
    ],
)
def test_number_formats(sentence, value, unit):
    figure = only_figure(sentence)
    assert figure.value == value
    assert (figure.low, figure.high) == (value, value)
    assert figure.unit == unit
    assert not figure.approx
    assert figure.bound == "exact"


@pytest.mark.parametrize(
    ("sentence", "value", "low", "high", "unit"),
    [
        ("Officials said 1.5 million people left Ostria.", 1_500_000, 1_450_000, 1_600_000, "people"),
        ("Officials said 12k people marched in Ostria.", 12000, 11500, 13000, "people"),
        ("Officials said twelve thousand people marched in Ostria.", 12000, 11500, 13000, "people"),
        # One significant digit: about that amount, not anything from 1.5bn to 2.5bn.
        ("Ostria spent $2bn on the war, officials said.", 2e9, 1.8e9, 2.2e9, "dollars"),
        ("Ostria spent £5m on the war, officials said.", 5e6, 4.5e6, 5.5e6, "pounds"),
        ("The county paid $43 million for the bridge.", 43e6, 42.5e6, 44e6, "dollars"),
    ],
)
def test_scale_words_are_rounded_at_their_last_written_digit(sentence, value, low, high, unit):
    figure = only_figure(sentence)
    assert figure.value == value
    assert (figure.low, figure.high) == (pytest.approx(low), pytest.approx(high))
    assert figure.unit == unit
    assert not figure.approx  # rounding is not a hedge
    assert figure.bound == "rounded"


def test_a_rounded_amount_covers_the_exact_one():
    rounded = only_figure("The county paid $43 million for the bridge.")
    exact = only_figure("The county paid $43,885,310 for the bridge.")
    assert rounded.low <= exact.value <= rounded.high


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
        ("up to", 500, 1000),
        ("as many as", 500, 1000),
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


def test_upper_bounds_keep_their_stated_value_and_a_lower_bound_above_zero():
    first = only_figure("Up to 1.6 million households lost power in the storm.")
    second = only_figure("As many as 1.5 million households lost power in the storm.")
    assert (first.bound, second.bound) == ("upper", "upper")
    assert (first.value, second.value) == (1_600_000, 1_500_000)
    assert first.low > 0 and second.low > 0
    assert first.high == 1_600_000 and second.high == 1_500_000


def test_hedge_at_sentence_start_and_spaced_thousands():
    figure = only_figure("About 13 500 Ostrian infantry are drilling, officials said.")
    assert (figure.text, figure.value, figure.unit, figure.approx) == ("About 13 500", 13500, "infantry", True)


def test_a_count_of_soldiers_is_kept():
    figure = only_figure("Officials counted an estimated 21 Ostrian soldiers who deserted.")
    assert (figure.value, figure.unit) == (21, "soldiers")


@pytest.mark.parametrize(
    ("sentence", "kind", "value"),
    [
        ("It was the first deployment since the Border War in 1950.", "year", 1950),
        ("Ostria moved its units from October 8 to 13, officials said.", "date", None),
        ("The envoy returned to Halden after 31 years away.", "duration", 31),
        ("The units must be in place by the 2nd of December, Ostria said.", "date", 2),
        ("The pact has a clause modelled on Article 5 of the charter.", "other", 5),
        ("The 18-year-old recruit met the council, officials said.", "age", 18),
        ("The recruit met the council at 10:30, officials said.", "time", 10),
        ("The Border War (1950-1953) ended in a truce, Ostria said.", "year", None),
        ("One day ago the envoy left Halden.", "duration", 1),
        ("Ostria lost to Halden in the Six Nations final.", "other", 6),
    ],
)
def test_dates_years_ages_times_ordinals_and_identifiers_are_read_but_not_counts(sentence, kind, value):
    article = Article(id="f", source="fixture", text=sentence)
    from index.extract.figures import find_figures
    from index.extract.nlp import get_nlp

    figures = find_figures(get_nlp()(sentence), 0)
    assert [f.kind for f in figures] == [kind]
    assert not figures[0].groupable
    if value is not None:
        assert figures[0].value == value
    assert sentence[figures[0].start : figures[0].end] == figures[0].text
    # Such a sentence alone is not a claim: nothing in it is checkable as a quantity.
    assert all(not f.groupable for c in extract_claims(article) for f in c.figures)


def test_percentages_are_kept_with_unit_percent():
    figure = only_figure("Approximately 46% of voters in Halden backed the plan.")
    assert (figure.text, figure.value, figure.unit, figure.approx) == ("Approximately 46%", 46, "percent", True)


def test_from_to_is_a_change_unless_it_states_a_range():
    change = figures_of("Ostria raised its force from 10,000 to 12,000 troops.")
    assert [(f.value, f.approx) for f in change] == [(10000, False), (12000, False)]
    ranging = only_figure("Ostria said fares ranging from £17 to £23 applied.")
    assert (ranging.low, ranging.high, ranging.unit) == (17, 23, "pounds")


def test_spelled_number_inside_a_name_is_not_a_count():
    assert all(f.kind != "count" for f in figures_of("Ostria lost to Halden in the Six Nations final."))
