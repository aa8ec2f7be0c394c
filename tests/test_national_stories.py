"""Number kinds and disagreements on national-style stories, end to end: the real
extractor and the real index on FICTIONAL articles written for these tests (every
country, body, outlet and person is invented).

* a budget given with different roundings and scales ("$1.2 trillion", "$1.2T", "1,200
  billion dollars") by some outlets and as "$1 trillion" by another (a conflict), with a
  part of it ("$550 billion in new spending") that conflicts with nothing;
* an election count with percentages and votes (a rate is never compared with a count;
  two candidates' shares are two quantities);
* a health story with a day's new cases, a daily average and the running total
  (never one quantity), and two sources giving different daily counts (a conflict);
* a company report with years, model numbers and names carrying numbers ("Model
  K-300", "Group of 20", "Route 9") that are not counts.
"""

import json

import pytest
from conftest import context

from commands.line import run_line
from index.extract.figures import find_figures
from index.extract.nlp import get_nlp

ARTICLES = [
    # The budget: one day, four outlets.
    {"id": "budget-a", "outlet": "Calder Ledger", "published": "2036-08-10",
     "text": "Senate unveils $1.2T Varnish transit bill\n\n"
             "Senators in Varnish unveiled a $1.2 trillion transit bill on Sunday, the budget office said."},
    {"id": "budget-b", "outlet": "Orrin Post", "published": "2036-08-10",
     "text": "Varnish transit deal\n\n"
             "The Varnish transit deal is worth 1,200 billion dollars, the budget office said on Sunday."},
    {"id": "budget-c", "outlet": "Tessaly Times", "published": "2036-08-10",
     "text": "Varnish senators reveal transit package\n\n"
             "Senators in Varnish unveiled a $1 trillion transit bill on Sunday, Senator Ilse Marrow said.\n\n"
             "The bill includes $550 billion in new spending on rail and roads, Marrow said."},
    # The election: one night, two sources.
    {"id": "poll-a", "outlet": "Kessel Herald", "published": "2036-11-04",
     "text": "Dorn leads Kessel count\n\n"
             "Anja Dorn received 52% of the vote in the Kessel governor race, the election board said.\n\n"
             "Anja Dorn received 312,400 votes in the Kessel governor race, the election board said.\n\n"
             "Her rival Tomas Vell received 41% of the vote, the election board said."},
    {"id": "poll-b", "outlet": "Kessel Voice", "published": "2036-11-04",
     "text": "Kessel count\n\n"
             "Anja Dorn received 312,400 votes in the Kessel governor race, the election board said on Tuesday."},
    # The health story: one day, two sources, three kinds of count.
    {"id": "flu-a", "outlet": "Marl Gazette", "published": "2037-02-03",
     "text": "Marl flu cases pass 18,000\n\n"
             "The Marl health ministry recorded 412 new flu cases on Tuesday, a ministry spokesman said.\n\n"
             "Marl has recorded 18,300 flu cases since the outbreak began, the ministry said.\n\n"
             "Marl is averaging 380 flu cases a day, the ministry said."},
    {"id": "flu-b", "outlet": "Eastmarl News", "published": "2037-02-03",
     "text": "Marl outbreak\n\n"
             "Hospital doctors counted 520 new flu cases on Tuesday, the Marl doctors' union said."},
    # The company report.
    {"id": "firm-a", "outlet": "Trade Weekly Orr", "published": "2037-05-01",
     "text": "Hollin Motors results\n\n"
             "2036 was the best year for Hollin Motors, its chief executive said.\n\n"
             "Hollin Motors sold 48,000 cars in 2036, the company said.\n\n"
             "The Model K-300 sold best at the Route 9 plant, the company said.\n\n"
             "Trade ministers of the Group of 20 praised the carmaker, the company said."},
]


@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    from index.library import Library

    root = tmp_path_factory.mktemp("national")
    (root / "stories.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    with Library(root / "data") as library:
        report = library.ingest_paths([root / "stories.jsonl"])
        assert report.failures == []
        yield library


def groups_of(library, query: str):
    first = run_line(context(library), f"/claims {query}")
    found = list(first.groups)
    for page in range(2, -(-first.total_groups // first.per_page) + 1):
        found += run_line(context(library), f"/claims {query} page:{page}").groups
    return found


def group_quoting(groups, article_id: str, words: str):
    found = [g for g in groups if any(q.article_id == article_id and words in q.text for q in g.quotes)]
    assert found, f"no group quotes {words!r} of {article_id}: {[g.headline for g in groups]}"
    return found[0]


def figures_of(sentence: str):
    return find_figures(get_nlp()(sentence), 0)


# ---------------------------------------------------------------- the budget


@pytest.mark.parametrize(
    ("sentence", "written"),
    [
        ("Senators unveiled a $1.2 trillion transit bill.", "$1.2 trillion"),
        ("Senators unveiled a $1.2T transit bill.", "$1.2T"),
        ("Senators unveiled a £1.2tn transit bill.", "£1.2tn"),
        ("The transit deal is worth 1,200 billion dollars.", "1,200 billion"),
    ],
)
def test_a_budget_in_any_scale_reads_as_the_same_money(sentence, written):
    (figure,) = figures_of(sentence)
    assert figure.text == written
    assert figure.kind == "money"
    assert figure.low <= 1.2e12 <= figure.high
    assert figure.high - figure.low <= 0.2e12


def test_an_amount_modifying_a_noun_measures_that_thing():
    # "a $1 trillion bill": the bill's size; "unveiled" is what happened to the bill.
    (figure,) = figures_of("Senators unveiled a $1T transit bill on Sunday.")
    assert (figure.value, figure.kind, figure.unit) == (1e12, "money", "dollars")
    assert (figure.counted, figure.predicate, figure.predicate_family) == (None, "bill", "package")
    # A round figure of one digit reads as about that figure, so $1T and $1.2T differ.
    assert figure.high < 1.15e12


def test_the_same_budget_in_other_scales_is_one_group_and_the_round_figure_conflicts(stories):
    groups = groups_of(stories, "transit Varnish")
    exact = group_quoting(groups, "budget-a", "$1.2 trillion")
    assert {q.article_id for q in exact.quotes} >= {"budget-a", "budget-b"}
    rounded = group_quoting(groups, "budget-c", "$1 trillion")
    assert rounded.id != exact.id
    assert rounded.id in exact.conflicts_with and exact.id in rounded.conflicts_with
    assert exact.headline.startswith("$1.2 trillion")


def test_a_part_of_the_budget_conflicts_with_nothing(stories):
    groups = groups_of(stories, "spending")
    part = group_quoting(groups, "budget-c", "$550 billion")
    assert part.conflicts_with == [] and part.updates == []


# ---------------------------------------------------------------- the election


def test_a_share_of_the_vote_is_a_percent_never_a_count():
    share, = figures_of("Anja Dorn received 52% of the vote in the Kessel governor race.")
    assert (share.kind, share.unit, share.value) == ("percent", "percent", 52)
    assert share.holder == "Anja Dorn"


def test_percents_and_votes_are_separate_quantities(stories):
    groups = groups_of(stories, "votes Kessel")
    votes = group_quoting(groups, "poll-a", "312,400")
    assert {q.article_id for q in votes.quotes} == {"poll-a", "poll-b"}
    share = group_quoting(groups, "poll-a", "52%")
    assert share.id != votes.id and share.kind == "percent" and votes.kind == "count"
    assert votes.id not in share.conflicts_with
    assert share.headline.startswith("52%")


def test_two_candidates_shares_do_not_conflict(stories):
    groups = groups_of(stories, "vote")
    dorn, vell = group_quoting(groups, "poll-a", "52%"), group_quoting(groups, "poll-a", "41%")
    assert dorn.id != vell.id
    assert vell.id not in dorn.conflicts_with


# ---------------------------------------------------------------- the health story


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("The ministry recorded 412 new flu cases on Tuesday.", "day"),
        ("Marl is averaging 380 flu cases a day.", "day"),
        ("The clinic gives 300 doses per day.", "day"),
        ("Marl reported 2,100 weekly admissions.", "week"),
        ("Marl has recorded 18,300 flu cases since the outbreak began.", None),
        ("Three people were killed on Sunday.", None),  # when it happened, not a day's tally
    ],
)
def test_a_count_says_when_it_is_a_rate_or_one_days_count(sentence, period):
    (figure,) = [f for f in figures_of(sentence) if f.kind == "count"]
    assert figure.period == period


def test_daily_average_and_running_total_never_conflict(stories):
    groups = groups_of(stories, "cases Marl")
    day = group_quoting(groups, "flu-a", "412 new")
    total = group_quoting(groups, "flu-a", "18,300")
    average = group_quoting(groups, "flu-a", "380")
    assert len({day.id, total.id, average.id}) == 3
    for group in (total, average):
        assert group.conflicts_with == [], group.headline
    assert day.period == "day" and total.period is None
    assert "in a day" in day.headline


def test_two_sources_giving_different_daily_counts_conflict(stories):
    groups = groups_of(stories, "cases Marl")
    ministry, doctors = group_quoting(groups, "flu-a", "412 new"), group_quoting(groups, "flu-b", "520 new")
    assert doctors.id in ministry.conflicts_with and ministry.id in doctors.conflicts_with


# ---------------------------------------------------------------- the company report


@pytest.mark.parametrize(
    ("sentence", "number", "kind"),
    [
        ("2036 was the best year for Hollin Motors.", "2036", "year"),
        ("The Model K-300 sold best at the plant.", "300", "other"),
        ("Trade ministers of the G-20 praised the carmaker.", "20", "other"),
        ("The Route 9 plant made 800 vans.", "9", "other"),
        ("Flight 214 landed safely with 180 passengers.", "214", "other"),
        ("Hollin Motors sold 48,000 cars in 2036.", "48,000", "count"),
    ],
)
def test_numbers_in_names_years_and_models_are_not_counts(sentence, number, kind):
    found = {f.text: f.kind for f in figures_of(sentence)}
    assert found[number] == kind


def test_a_headline_in_title_case_is_not_a_name():
    (figure,) = figures_of("Airline Cancels 1,800 Flights After Storm")
    assert figure.kind == "count"


def test_only_the_sales_count_is_a_figure_of_the_company_report(stories):
    groups = groups_of(stories, "Hollin")
    values = sorted(g.figure.value for g in groups if g.figure is not None)
    assert values == [48000]


# ---------------------------------------------------------------- whose count it is


@pytest.mark.parametrize(
    ("sentence", "number", "holder"),
    [
        ("The Ostrian government is expected to commit to sending 100 million doses.", "100 million", None),
        ("Ostria is set to pledge 30 million vaccine doses to poorer nations.", "30 million", "Ostria"),
        ("Members of the Harbour Group will give over 2 billion doses next year.", "over 2 billion", "Harbour Group"),
        ("In Carrow, 40 people were struck by gunfire resulting in 9 deaths.", "9", "Carrow"),
        ("The worldwide count of recorded infections rose past 480 million.", "480 million", "the world"),
        ("Five people were killed at the Dunlow Street market.", "Five", None),
    ],
)
def test_whose_count_it_is_comes_from_the_clause(sentence, number, holder):
    found = {f.text: f.holder for f in figures_of(sentence)}
    assert found[number] == holder


def test_one_of_the_most_ranks_and_counts_nothing():
    ranking = {f.text: f.kind for f in figures_of('"It is one of the most disappointing jobs reports in years," Ada Marsh said.')}
    assert ranking["one"] == "other"
    counted = {f.text: f.kind for f in figures_of("Two of the largest banks in Orr failed on Monday.")}
    assert counted["Two"] == "count"
