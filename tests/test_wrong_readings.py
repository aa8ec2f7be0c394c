"""Known classes of wrong readings, each refused or read right.

Every sentence here is fictional, written for these tests (places, people and outlets
invented), about many kinds of story: floods, budgets, courts, markets, elections,
vaccines, transport. Each test asserts the reading the parse gives, or that a number or
a speaker that is not one is refused.
"""

import pytest

from index.extract import extract_claims
from index.models import Article, Claim, Figure


def claims_of(text: str) -> list[Claim]:
    article = Article(id="w", source="fixture", text=text)
    claims = extract_claims(article)
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        for figure in claim.figures:
            assert text[figure.start : figure.end] == figure.text
    return claims


def figure_for(text: str, written: str) -> Figure:
    matches = [f for c in claims_of(text) for f in c.figures if f.text == written]
    assert len(matches) == 1, [f.text for c in claims_of(text) for f in c.figures]
    return matches[0]


def claim_with(text: str, words: str) -> Claim:
    return next(c for c in claims_of(text) if words in c.text)


# ------------------------------------------------------------------ fractions of scales


@pytest.mark.parametrize(
    ("sentence", "written", "low", "high"),
    [
        ("Ostvale will donate another half billion vaccine doses to Varn.", "half billion", 4.5e8, 5.5e8),
        ("The Orla dam will cost a half-billion dollars, the board said.", "a half-billion", 4.5e8, 5.5e8),
        ("A quarter-million voters signed the Brenn petition.", "A quarter-million", 2.25e5, 2.75e5),
        ("The Rook fund lost a quarter of a million dollars in May.", "quarter of a million", 2.25e5, 2.75e5),
        ("Two and a half million people live along the Lannis coast.", "Two and a half million", 2.25e6, 2.75e6),
        ("One and a half million tickets were sold for the Caldor fair.", "One and a half million", 1.35e6, 1.65e6),
    ],
)
def test_fractions_of_a_scale_word_are_read_as_that_fraction(sentence, written, low, high):
    figure = figure_for(sentence, written)
    assert (figure.low, figure.high) == pytest.approx((low, high))


def test_a_lone_scale_word_after_half_is_not_one_of_it():
    figure = figure_for("Ostvale will donate another half billion vaccine doses to Varn.", "half billion")
    assert figure.value == 5e8 and not figure.low <= 1e9 <= figure.high


# ---------------------------------------------------------------- whose count it is


@pytest.mark.parametrize(
    ("sentence", "written"),
    [
        ("Exports from Ostvale reached $4.5bn in January.", "$4.5bn"),
        ("Orla's jobless rate hit 6% in October, the bureau said.", "6%"),
        ("The clinic recorded 412 flu cases in May 2031.", "412"),
    ],
)
def test_a_month_is_never_whose_count_it_is(sentence, written):
    assert figure_for(sentence, written).holder is None


def test_a_place_the_clause_is_set_in_still_holds_the_count():
    figure = figure_for("In Lannis, 12 people died in the floods, officials said.", "12")
    assert figure.holder == "Lannis"
