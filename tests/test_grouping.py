"""The clustering rules over hand-built quantity readings.

Every story, place, outlet and person here is FICTIONAL, written for these tests. The
figures carry the readings the extractor gives (kind, counted, predicate, stage, part,
intervals as in docs/extraction.md), built by hand so that each rule is tested alone;
tests/test_claims_command.py runs the same kinds of story through the real extractor.
"""

from __future__ import annotations

from datetime import date

import pytest

from commands.grouping import (
    ClaimGroup,
    ClaimHit,
    group_claims,
    outlet_label,
    paginate,
    rank_groups,
    reach_text,
    timeline_text,
)
from index import vocabulary
from index.models import Article, Claim, Entity, Figure


def reading(
    text: str,
    value: float,
    *,
    counted: str | None = "person",
    predicate: str | None = None,
    kind: str = "count",
    low: float | None = None,
    high: float | None = None,
    approx: bool = False,
    stage: str = "unknown",
    part: bool = False,
    unit: str | None = None,
    counted_family: str | None = None,
    predicate_family: str | None = None,
) -> dict:
    """A figure's fields as the extractor reads them; families from the real vocabulary
    unless a test gives its own."""
    return dict(text=text, value=value, low=value if low is None else low, high=value if high is None else high,
                approx=approx, kind=kind, counted=counted, predicate=predicate, stage=stage, part=part, unit=unit,
                counted_family=counted_family or vocabulary.counted_family(counted),
                predicate_family=predicate_family or vocabulary.predicate_family(predicate))


# A family key the vocabulary does not have: grouping treats keys as opaque.
DEATH = dict(predicate_family="death")


class Story:
    """Fictional articles whose claims carry true offsets into the article text."""

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        self.hits: list[ClaimHit] = []

    def article(self, article_id: str, outlet: str | None, published: date | None, *sentences: str,
                url: str | None = None) -> None:
        self.articles[article_id] = Article(
            id=article_id, source=f"/srv/newsroom/inbox/{article_id}.txt", outlet=outlet, url=url,
            title=None, published=published, text="\n".join(sentences),
        )

    def claim(self, article_id: str, sentence: str, *figures: dict, score: float = 0.5,
              speaker: str | None = None, speaker_id: int | None = None, via: tuple[str, ...] = (),
              via_ids: tuple[int, ...] = (), entities: tuple[str, ...] = ()) -> None:
        article = self.articles[article_id]
        start = article.text.index(sentence)

        def at(text: str) -> int:
            return start + sentence.index(text)

        claim = Claim(
            article_id=article_id, seq=sum(h.claim.article_id == article_id for h in self.hits),
            text=sentence, start=start, end=start + len(sentence), speaker=speaker, speaker_id=speaker_id,
            cue="said" if speaker else None, via=list(via), via_ids=list(via_ids),
            figures=[Figure(start=at(f["text"]), end=at(f["text"]) + len(f["text"]), **f) for f in figures],
            entities=[Entity(text=e, label="place", start=at(e), end=at(e) + len(e)) for e in entities],
        )
        self.hits.append(ClaimHit.from_article(claim, article, score))


def group_quoting(groups: list[ClaimGroup], text: str) -> ClaimGroup:
    [found] = [g for g in groups if any(q.text == text for q in g.quotes)]
    return found


def quoted(group: ClaimGroup) -> set[str]:
    return {q.text for q in group.quotes}


def headline_words_are_quoted(group: ClaimGroup) -> bool:
    texts = " ".join(q.text for q in group.quotes).casefold()
    return all(word.casefold() in texts for word in (group.counted, group.predicate_word) if word)


# ---------------------------------------------------------------- a shooting: the toll rises over three days

MON = "Police said three people were killed in the shooting at the Dunlow Street market."
MON_2 = "Three people died in Monday's shooting at the Dunlow Street market, police said."
TUE = "The death toll from the Dunlow Street market shooting rose to four, police said."
WED = "Five people have now died after the Dunlow Street market shooting, police said on Wednesday."
WED_PART = "Of the six people who were shot, one died in hospital overnight, the hospital said."
WED_SHOT = "Six people were shot at the market, police said."


@pytest.fixture(scope="module")
def shooting() -> list[ClaimGroup]:
    story = Story()
    story.article("s1", "Harlow Courier", date(2031, 5, 5), MON)
    story.article("s2", "Valley Evening News", date(2031, 5, 5), MON_2)
    story.article("s3", "Harlow Courier", date(2031, 5, 6), TUE)
    story.article("s4", "Riverside Times", date(2031, 5, 7), WED, WED_PART, WED_SHOT)
    place = ("Dunlow Street",)
    story.claim("s1", MON, reading("three", 3, predicate="kill", **DEATH), speaker="Police", entities=place)
    story.claim("s2", MON_2, reading("Three", 3, predicate="die", **DEATH), speaker="police", entities=place)
    story.claim("s3", TUE, reading("four", 4, counted=None, predicate="toll", **DEATH), speaker="police", entities=place)
    story.claim("s4", WED, reading("Five", 5, predicate="die", **DEATH), speaker="police",
                entities=place)
    story.claim("s4", WED_PART, reading("six", 6, predicate="shoot"), reading("one", 1, predicate="die", part=True, **DEATH),
                speaker="the hospital")
    story.claim("s4", WED_SHOT, reading("Six", 6, predicate="shoot"), speaker="police")
    return group_claims(story.hits)


def test_a_rising_toll_is_an_update_in_date_order_not_a_conflict(shooting):
    monday, wednesday = group_quoting(shooting, MON), group_quoting(shooting, WED)
    assert quoted(monday) == {MON, MON_2}  # "killed" and "died": one quantity, two outlets
    assert (monday.outlets, monday.independent_sources) == (2, 1)
    assert monday.conflicts_with == [] and wednesday.conflicts_with == []
    assert wednesday.id in monday.updates and monday.id in wednesday.updates
    assert [entry.figure.value for entry in monday.timeline] == [3, 5]
    assert timeline_text(monday) == "3 on 2031-05-05 → 5 on 2031-05-07"


def test_a_part_never_conflicts_with_its_whole(shooting):
    shot = group_quoting(shooting, WED_SHOT)
    assert shot.speakers == ["police", "the hospital"] or sorted(shot.speakers) == ["police", "the hospital"]
    [part] = [g for g in shooting if g.part]
    assert part.figure.value == 1 and part.conflicts_with == [] and part.updates == []
    assert shot.conflicts_with == []


def test_a_figure_half_read_joins_its_quantity_without_deciding_it(shooting):
    # "The death toll rose to four": the reading has a predicate but no counted thing.
    toll = group_quoting(shooting, TUE)
    assert toll.conflicts_with == []
    assert headline_words_are_quoted(toll)


AT_LEAST = "At least 150 people were killed in shootings over the holiday weekend, the archive said."
LATER = "The archive said 189 people were killed in shootings over the holiday weekend."


@pytest.mark.parametrize(("second_day", "linked_as"), [(date(2031, 7, 6), "update"), (date(2031, 7, 5), "one group")])
def test_a_lower_bound_and_a_later_count_are_an_update(second_day, linked_as):
    story = Story()
    story.article("w1", "Harlow Courier", date(2031, 7, 5), AT_LEAST)
    story.article("w2", "Riverside Times", second_day, LATER)
    story.claim("w1", AT_LEAST, dict(reading("At least 150", 150, low=150, high=225, approx=True, predicate="kill"),
                                     bound="lower"), speaker="the archive")
    story.claim("w2", LATER, reading("189", 189, predicate="kill"), speaker="The archive")
    groups = group_claims(story.hits)
    if linked_as == "one group":
        assert [quoted(g) for g in groups] == [{AT_LEAST, LATER}]
    else:
        early, late = group_quoting(groups, AT_LEAST), group_quoting(groups, LATER)
        assert early.updates == [late.id] and early.conflicts_with == []
        assert [e.figure.value for e in early.timeline] == [150, 189]


# ---------------------------------------------------------------- an election count: two sources, one day

CLERK = "Marta Oyelaran received 48,210 votes, the county clerk said."
CAMPAIGN = "Oyelaran won 46,900 votes, her campaign said on Tuesday night."
CLERK_AGAIN = "The county clerk put Oyelaran's total at 48,210 votes."
TURNOUT = "Turnout was 61 percent, the county clerk said."
SHARE = "Oyelaran took 52 percent of the vote, the county clerk said."
RIVAL = "Her rival Piet Anselm received 41,300 votes, his party said."


@pytest.fixture(scope="module")
def election() -> list[ClaimGroup]:
    story = Story()
    story.article("e1", "Tollbridge Gazette", date(2032, 11, 3), CLERK, TURNOUT)
    story.article("e2", "North Fen Herald", date(2032, 11, 3), CAMPAIGN, RIVAL)
    story.article("e3", None, date(2032, 11, 3), CLERK_AGAIN, SHARE, url="https://www.fenlandvoice.example/count")
    story.claim("e1", CLERK, reading("48,210", 48210, counted="vote", predicate="receive"), speaker="the county clerk",
                entities=("Marta Oyelaran",))
    story.claim("e1", TURNOUT, reading("61 percent", 61, kind="percent", counted="turnout", predicate="be"),
                speaker="the county clerk")
    story.claim("e2", CAMPAIGN, reading("46,900", 46900, counted="vote", predicate="receive"),
                speaker="her campaign", entities=("Oyelaran",))
    story.claim("e2", RIVAL, reading("41,300", 41300, counted="vote", predicate="receive"),
                speaker="his party", entities=("Piet Anselm",))
    story.claim("e3", CLERK_AGAIN, reading("48,210", 48210, counted="vote", predicate="total"),
                speaker="The county clerk", entities=("Oyelaran",))
    story.claim("e3", SHARE, reading("52 percent", 52, kind="percent", counted="vote", predicate="take"),
                speaker="the county clerk")
    return group_claims(story.hits)


def test_two_sources_disagreeing_on_the_same_day_conflict(election):
    clerk, campaign = group_quoting(election, CLERK), group_quoting(election, CAMPAIGN)
    assert campaign.id in clerk.conflicts_with and clerk.id in campaign.conflicts_with
    assert clerk.updates == []


def test_totals_of_different_named_subjects_do_not_conflict(election):
    rival = group_quoting(election, RIVAL)
    assert rival.conflicts_with == [] and rival.id not in group_quoting(election, CLERK).conflicts_with


def test_the_same_source_and_value_in_other_words_is_one_group(election):
    assert quoted(group_quoting(election, CLERK)) == {CLERK, CLERK_AGAIN}


def test_a_percentage_is_not_a_vote_count(election):
    share = group_quoting(election, SHARE)
    assert share.kind == "percent" and share.conflicts_with == []
    assert group_quoting(election, TURNOUT).conflicts_with == []


def test_outlets_are_named_by_metadata_or_url_never_by_path(election):
    clerk = group_quoting(election, CLERK)
    labels = {q.outlet_label for q in clerk.quotes}
    assert labels == {"Tollbridge Gazette", "fenlandvoice.example"}
    assert clerk.outlets == 2
    assert not any("/srv/" in label for g in election for label in (q.outlet_label for q in g.quotes))


def test_articles_without_any_outlet_count_as_articles():
    story = Story()
    story.article("n1", None, None, CLERK)
    story.article("n2", None, None, CLERK_AGAIN)
    story.claim("n1", CLERK, reading("48,210", 48210, counted="vote", predicate="receive"), speaker="the county clerk")
    story.claim("n2", CLERK_AGAIN, reading("48,210", 48210, counted="vote", predicate="receive"),
                speaker="the county clerk")
    [group] = group_claims(story.hits)
    assert (group.outlets, group.articles) == (0, 2)
    assert reach_text(group) == "2 articles · 1 independent source"
    assert {q.outlet_label for q in group.quotes} == {"n1", "n2"}


# ---------------------------------------------------------------- a budget: rounding

ROUNDED = "The council approved a budget of $43 million for the new library."
EXACT = "Councillors approved the $43,885,310 library budget on Thursday."
PAGES = "The 48-page budget document was published on the council's website."


@pytest.fixture(scope="module")
def budget() -> list[ClaimGroup]:
    story = Story()
    story.article("b1", "Wexmoor Standard", date(2033, 2, 10), ROUNDED, PAGES)
    story.article("b2", "Wexmoor Bulletin", date(2033, 2, 10), EXACT)
    money = dict(kind="money", counted="dollar", predicate="approve", unit="dollars")
    # A round amount covers what rounds or truncates to it: $43 million is 42.5 to 44 million.
    story.claim("b1", ROUNDED, reading("$43 million", 43_000_000, low=42_500_000, high=44_000_000, **money))
    story.claim("b1", PAGES, reading("48-page", 48, kind="other", counted="page"))
    story.claim("b2", EXACT, reading("$43,885,310", 43_885_310, **money))
    return group_claims(story.hits)


def test_a_rounded_amount_joins_the_exact_one(budget):
    library = group_quoting(budget, ROUNDED)
    assert quoted(library) == {ROUNDED, EXACT}
    assert library.kind == "money" and library.figure.value in (43_000_000, 43_885_310)


def test_a_number_that_is_not_an_amount_forms_no_figure_group(budget):
    pages = group_quoting(budget, PAGES)
    assert pages.figure is None and pages.figures == []


# ---------------------------------------------------------------- a flood: different quantities

EVAC = "About 1,200 residents were evacuated from Lower Ashby, the fire service said."
EVAC_2 = "Some 1,150 people had been evacuated by Saturday evening, the council said."
MISSING = "Fourteen people are missing after the river burst its banks at Lower Ashby."
DEAD = "Three people died in the floods, the fire service said."
DISPLACED = "The fire service's count of displaced people stood at 1,200."


@pytest.fixture(scope="module")
def flood() -> list[ClaimGroup]:
    story = Story()
    story.article("f1", "Ashby Chronicle", date(2034, 1, 14), EVAC, MISSING, DEAD)
    story.article("f2", "Westdale Post", date(2034, 1, 14), EVAC_2)
    story.article("f3", "Ashby Radio News", date(2034, 1, 14), DISPLACED)
    story.claim("f1", EVAC, reading("About 1,200", 1200, low=1080, high=1320, approx=True, counted="resident",
                                    predicate="evacuate", predicate_family="evacuated"), speaker="the fire service")
    story.claim("f1", MISSING, reading("Fourteen", 14, predicate="missing", predicate_family="missing"))
    story.claim("f1", DEAD, reading("Three", 3, predicate="die", **DEATH), speaker="the fire service")
    story.claim("f2", EVAC_2, reading("Some 1,150", 1150, low=1035, high=1265, approx=True, predicate="evacuate",
                                      predicate_family="evacuated"),
                speaker="the council")
    story.claim("f3", DISPLACED, reading("1,200", 1200, predicate="stand"), speaker="The fire service")
    return group_claims(story.hits)


def test_different_quantities_of_one_disaster_never_conflict(flood):
    for text in (EVAC, MISSING, DEAD):
        assert group_quoting(flood, text).conflicts_with == [], text
    assert len({group_quoting(flood, t).id for t in (EVAC, MISSING, DEAD)}) == 3


def test_hedged_figures_whose_intervals_meet_are_one_group(flood):
    evacuated = group_quoting(flood, EVAC)
    assert {EVAC, EVAC_2} <= quoted(evacuated)
    assert evacuated.independent_sources == 2


def test_the_same_figure_from_the_same_source_in_other_words_is_not_split(flood):
    assert DISPLACED in quoted(group_quoting(flood, EVAC))


def test_headlines_name_only_words_the_quotes_contain(flood, shooting, election, budget):
    for group in [*flood, *shooting, *election, *budget]:
        assert headline_words_are_quoted(group), group.headline
        for word in filter(None, (group.counted, group.predicate_word)):
            assert word in group.headline


UP_TO = "Up to 1,600 homes were destroyed in Lower Ashby, the council said."
AS_MANY = "As many as 1,500 homes were destroyed in Lower Ashby, the fire service said."
UP_TO_AGAIN = "The council said up to 1,600 homes in Lower Ashby were destroyed."


def test_two_upper_bounds_are_compared_by_the_number_they_state():
    story = Story()
    story.article("h1", "Ashby Chronicle", date(2034, 1, 15), UP_TO)
    story.article("h2", "Westdale Post", date(2034, 1, 15), AS_MANY)
    story.article("h3", "Ashby Radio News", date(2034, 1, 15), UP_TO_AGAIN)
    homes = dict(counted="home", counted_family="homes", predicate="destroy", predicate_family="destroyed")
    # As the extractor reads "up to N": [0.5 N, N], bound "upper".
    story.claim("h1", UP_TO, dict(reading("Up to 1,600", 1600, low=800, high=1600, approx=True, **homes),
                                  bound="upper"), speaker="the council")
    story.claim("h2", AS_MANY, dict(reading("As many as 1,500", 1500, low=750, high=1500, approx=True, **homes),
                                    bound="upper"), speaker="the fire service")
    story.claim("h3", UP_TO_AGAIN, dict(reading("up to 1,600", 1600, low=800, high=1600, approx=True, **homes),
                                        bound="upper"), speaker="The council")
    groups = group_claims(story.hits)
    council, service = group_quoting(groups, UP_TO), group_quoting(groups, AS_MANY)
    assert quoted(council) == {UP_TO, UP_TO_AGAIN}
    assert council.conflicts_with == [service.id]


# ---------------------------------------------------------------- a court case: arrests, charges, a denial

ARRESTED = "Detectives arrested seven men in dawn raids across Carrow, police said."
ARRESTED_2 = "Seven men were arrested in the Carrow raids, according to police."
CHARGED = "Five of the men have been charged with fraud, prosecutors said."
LAWYER = "A lawyer for the men denied that they had been charged with fraud in Carrow."
JUDGE = "Judge Anneliese Porro set a trial date for the spring."
JUDGE_2 = "Judge Anneliese Porro set the trial for the spring, a court clerk said."


@pytest.fixture(scope="module")
def court() -> list[ClaimGroup]:
    story = Story()
    story.article("c1", "Carrow Examiner", date(2035, 6, 2), ARRESTED, CHARGED, JUDGE)
    story.article("c2", "Midshire Today", date(2035, 6, 2), ARRESTED_2, LAWYER, JUDGE_2)
    carrow = ("Carrow",)
    story.claim("c1", ARRESTED, reading("seven", 7, counted="man", predicate="arrest", predicate_family="arrested"), speaker="police",
                entities=carrow)
    story.claim("c1", CHARGED, reading("Five", 5, counted="man", predicate="charge", predicate_family="charged", part=True),
                speaker="prosecutors")
    story.claim("c1", JUDGE, speaker=None)
    story.claim("c2", ARRESTED_2, reading("Seven", 7, counted="man", predicate="arrest", predicate_family="arrested"), speaker="police",
                entities=carrow)
    story.claim("c2", LAWYER, speaker="A lawyer for the men", entities=carrow)
    story.claim("c2", JUDGE_2, speaker="a court clerk")
    return group_claims(story.hits)


def test_arrests_and_charges_are_different_quantities(court):
    arrested, charged = group_quoting(court, ARRESTED), group_quoting(court, CHARGED)
    assert quoted(arrested) == {ARRESTED, ARRESTED_2}
    assert arrested.id != charged.id
    assert arrested.conflicts_with == [] and charged.conflicts_with == []


def test_a_denial_is_linked_only_to_what_it_names(court):
    denial = group_quoting(court, LAWYER)
    charged, arrested = group_quoting(court, CHARGED), group_quoting(court, ARRESTED)
    assert denial.denial
    assert denial.contradicts == [charged.id]
    assert arrested.contradicts == [] and group_quoting(court, JUDGE).contradicts == []


def test_figureless_claims_group_by_wording(court):
    assert quoted(group_quoting(court, JUDGE)) == {JUDGE, JUDGE_2}


# ---------------------------------------------------------------- sources by speaker id

NAMED = "The Coastal Safety Agency said 40 boats were damaged."
UNNAMED = "The agency said 40 boats were damaged in the storm."
RELAYED = "Forty boats were damaged, the Lanmark Wire reported, citing the Coastal Safety Agency."


def test_speaker_ids_decide_sources_when_present():
    story = Story()
    story.article("p1", "Gullhaven Post", date(2036, 3, 1), NAMED)
    story.article("p2", "Tern Bay Daily", date(2036, 3, 1), UNNAMED)
    story.article("p3", "Saltmarsh Mail", date(2036, 3, 1), RELAYED)
    boats = dict(counted="boat", predicate="damage", predicate_family="destroyed")
    story.claim("p1", NAMED, reading("40", 40, **boats), speaker="The Coastal Safety Agency", speaker_id=1)
    # An unnamed "the agency" its article never tied to a named one is another speaker.
    story.claim("p2", UNNAMED, reading("40", 40, **boats), speaker="The agency", speaker_id=2)
    story.claim("p3", RELAYED, reading("Forty", 40, **boats), speaker="the Coastal Safety Agency", speaker_id=1,
                via=("the Lanmark Wire",), via_ids=(3,))
    [group] = group_claims(story.hits, same_speaker=lambda a, b: True)  # names would merge everything
    assert group.independent_sources == 2
    assert group.sources[0].name.casefold() == "the coastal safety agency"
    assert group.sources[0].via == "the Lanmark Wire"
    assert group.outlets == 3


def test_without_ids_the_name_rules_decide():
    story = Story()
    story.article("q1", "Gullhaven Post", date(2036, 3, 1), NAMED)
    story.article("q2", "Saltmarsh Mail", date(2036, 3, 1), RELAYED)
    boats = dict(counted="boat", predicate="damage", predicate_family="destroyed")
    story.claim("q1", NAMED, reading("40", 40, **boats), speaker="The Coastal Safety Agency")
    story.claim("q2", RELAYED, reading("Forty", 40, **boats), speaker="the Coastal Safety Agency",
                via=("the Lanmark Wire",))
    [group] = group_claims(story.hits)
    assert group.independent_sources == 1


# ---------------------------------------------------------------- ids, ranking, pages


def test_ids_are_stable_whatever_the_hit_order():
    story = Story()
    story.article("s1", "Harlow Courier", date(2031, 5, 5), MON)
    story.article("s2", "Valley Evening News", date(2031, 5, 5), MON_2)
    story.claim("s1", MON, reading("three", 3, predicate="kill", **DEATH), speaker="Police")
    story.claim("s2", MON_2, reading("Three", 3, predicate="die", **DEATH), speaker="police")
    forward = group_claims(story.hits)
    backward = group_claims(list(reversed(story.hits)))
    assert [g.model_dump() for g in forward] == [g.model_dump() for g in backward]


def test_ranking_puts_groups_that_answer_the_query_first(flood):
    ranked = rank_groups(flood, ["missing"])
    assert ranked[0].figure is not None and ranked[0].figure.value == 14
    assert ranked[0].answers_query
    ranked = rank_groups(flood, ["evacuated"])
    assert ranked[0].figure.value in (1200, 1150)


def test_ranking_puts_lone_figureless_quotes_last():
    story = Story()
    story.article("r1", "Ashby Chronicle", date(2034, 1, 14), DEAD, "Residents described the night as terrifying.")
    story.claim("r1", "Residents described the night as terrifying.", score=9.0)
    story.claim("r1", DEAD, reading("Three", 3, predicate="die", **DEATH), speaker="the fire service", score=0.1)
    ranked = rank_groups(group_claims(story.hits), ["floods"])
    assert ranked[0].figure is not None and ranked[-1].figure is None


def test_ranking_prefers_spread_and_disagreement_over_a_lone_figure(election):
    ranked = rank_groups(election, ["votes"])
    top = {g.id for g in ranked[:2]}
    assert {group_quoting(election, CLERK).id, group_quoting(election, CAMPAIGN).id} == top


def test_pagination(flood):
    page, total = paginate(flood, 1, 2)
    assert total == len(flood) and len(page) == 2
    assert paginate(flood, 99, 2) == ([], total)
    with pytest.raises(ValueError):
        paginate(flood, 0, 2)


def test_no_hits_no_groups():
    assert group_claims([]) == []
    assert rank_groups([]) == []


@pytest.mark.parametrize(("outlet", "url", "title", "shown"), [
    ("Harlow Courier", "https://harlow.example/a", None, "Harlow Courier"),
    ("harlowcourier.example:80", None, None, "harlowcourier.example"),  # a site is named without its port
    (None, "https://www.harlowcourier.example/news/1", None, "harlowcourier.example"),
    (None, None, "Market shooting", "Market shooting"),
    (None, None, None, "s1"),
])
def test_outlet_labels_never_show_a_path(outlet, url, title, shown):
    assert outlet_label(outlet, url, title, "s1") == shown
