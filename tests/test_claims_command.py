"""/claims, /who and /compare end to end: the real extractor, the real index, on FICTIONAL
stories written for these tests (every place, outlet and person is invented).

Five kinds of story share one library, each naming its own places so that a figure of
one never meets a figure of another:

* a shooting whose death toll rises over three days (an update, not a conflict);
* an election count on which the county clerk and a campaign disagree the same night
  (a conflict);
* a library budget given rounded by one outlet and exact by another (one group);
* a flood with evacuated, missing and dead (different quantities never conflict);
* a court case with arrests and charges, and a lawyer's denial of the charges.
"""

import json

import pytest
from conftest import context

from commands import CommandError
from commands.line import run_line

ARTICLES = [
    # The shooting, Monday to Wednesday.
    {"id": "shoot-mon", "outlet": "Harlow Courier", "published": "2031-05-05",
     "url": "https://harlowcourier.example/dunlow-shooting",
     "text": "Shooting at Dunlow Street market\n\n"
             "Three people were killed in a shooting at the Dunlow Street market in Harlow on Monday, police said.\n\n"
             "The gunman fled on foot, according to witnesses."},
    {"id": "shoot-mon-2", "outlet": "Valley Evening News", "published": "2031-05-05",
     "text": "Harlow market shooting\n\n"
             "Police said three people were killed when a gunman opened fire at the Dunlow Street market in Harlow."},
    {"id": "shoot-tue", "outlet": "Harlow Courier", "published": "2031-05-06",
     "text": "Dunlow Street toll rises\n\n"
             "Four people have now died after the shooting at the Dunlow Street market in Harlow, police said on Tuesday."},
    {"id": "shoot-wed", "outlet": "Riverside Times", "published": "2031-05-07",
     "text": "Fifth victim dies after Harlow shooting\n\n"
             "Five people have now died after the shooting at the Dunlow Street market in Harlow, police said on Wednesday.\n\n"
             "Of the six people who were shot, one died in hospital overnight, a hospital spokeswoman said."},
    # The election count, one night, two sources.
    {"id": "vote-clerk", "outlet": "Tollbridge Gazette", "published": "2032-11-03",
     "text": "Oyelaran leads Fenmarch count\n\n"
             "Marta Oyelaran received 48,210 votes in the Fenmarch mayoral race, the county clerk said.\n\n"
             "Turnout in Fenmarch was 61 percent, the clerk said."},
    {"id": "vote-campaign", "outlet": "North Fen Herald", "published": "2032-11-03",
     "text": "Fenmarch count disputed\n\n"
             "Marta Oyelaran received 46,900 votes in the Fenmarch mayoral race, her campaign said on Tuesday night."},
    # The budget, rounded and exact.
    {"id": "budget-1", "outlet": "Wexmoor Standard", "published": "2033-02-10",
     "text": "Wexmoor library funded\n\n"
             "The Wexmoor council approved a budget of $43 million for the new Wexmoor library on Thursday."},
    {"id": "budget-2", "outlet": "Wexmoor Bulletin", "published": "2033-02-10",
     "text": "Library budget passes\n\n"
             "Wexmoor councillors approved a budget of $43,885,310 for the new Wexmoor library on Thursday."},
    # The flood.
    {"id": "flood-1", "outlet": "Ashby Chronicle", "published": "2034-01-14",
     "text": "Lower Ashby flooded\n\n"
             "About 1,200 residents were evacuated from Lower Ashby, the fire service said.\n\n"
             "Fourteen people are missing in Lower Ashby, the fire service said.\n\n"
             "Two people died in the Lower Ashby floods, the fire service said."},
    {"id": "flood-2", "outlet": "Westdale Post", "published": "2034-01-14",
     "text": "Evacuations in Lower Ashby\n\n"
             "Some 1,150 people were evacuated from Lower Ashby, the fire service said on Saturday."},
    # The court case; one article without any outlet or URL.
    {"id": "court-1", "outlet": "Carrow Examiner", "published": "2035-06-02",
     "text": "Carrow fraud raids\n\n"
             "Police arrested seven men in dawn raids in Carrow, a police spokesman said.\n\n"
             "Five of the men were charged with fraud, prosecutors said."},
    {"id": "court-2", "published": "2035-06-02",
     "text": "Seven men were arrested in the Carrow raids, a police spokesman said.\n\n"
             "A lawyer for the men denied that they had been charged with fraud."},
]


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    from index.library import Library

    root = tmp_path_factory.mktemp("claims")
    (root / "stories.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    with Library(root / "data") as library:
        report = library.ingest_paths([root / "stories.jsonl"])
        assert report.failures == []
        yield library


def claims(story, query: str):
    return run_line(context(story), f"/claims {query}")


def groups_of(story, query: str):
    """Every group of the query, over all pages."""
    first = claims(story, query)
    found = list(first.groups)
    for page in range(2, -(-first.total_groups // first.per_page) + 1):
        found += claims(story, f"{query} page:{page}").groups
    return found


def group_with(groups, value):
    found = [g for g in groups if g.figure is not None and g.figure.low <= value <= g.figure.high]
    assert found, f"no group with {value}: {[g.headline for g in groups]}"
    return found[0]


def articles_of(group) -> set[str]:
    return {q.article_id for q in group.quotes}


# ---------------------------------------------------------------- the stories


def test_a_rising_toll_is_shown_as_an_update_not_a_conflict(story):
    groups = [g for g in groups_of(story, "killed Harlow") if g.figure is not None]
    monday, wednesday = group_with(groups, 3), group_with(groups, 5)
    assert articles_of(monday) == {"shoot-mon", "shoot-mon-2"}
    assert monday.outlets == 2 and monday.independent_sources == 1
    assert "shoot-wed" in articles_of(wednesday)
    for group in groups:
        assert group.conflicts_with == [], group.headline
    assert wednesday.id in monday.updates
    values = [entry.figure.value for entry in monday.timeline]
    assert values[0] == 3 and values[-1] == 5 and values == sorted(values)


def test_a_part_of_the_wounded_is_not_a_conflicting_toll(story):
    groups = groups_of(story, "died Harlow")
    one = [g for g in groups if g.figure is not None and g.figure.value == 1]
    for group in one:
        assert group.conflicts_with == [] and group.updates == []


def test_two_sources_disagreeing_on_a_vote_total_the_same_night_conflict(story):
    groups = groups_of(story, "votes Oyelaran")
    clerk, campaign = group_with(groups, 48210), group_with(groups, 46900)
    assert clerk.id != campaign.id
    assert campaign.id in clerk.conflicts_with and clerk.id in campaign.conflicts_with
    turnout = [g for g in groups if g.kind == "percent"]
    assert all(g.conflicts_with == [] for g in turnout)


def test_a_rounded_budget_and_the_exact_one_are_one_group(story):
    groups = groups_of(story, "budget library")
    budget = group_with(groups, 43_885_310)
    assert articles_of(budget) == {"budget-1", "budget-2"}
    assert budget.kind == "money" and budget.conflicts_with == []


def test_evacuated_missing_and_dead_never_conflict(story):
    groups = [g for g in groups_of(story, "Lower Ashby") if g.figure is not None]
    evacuated, missing, dead = group_with(groups, 1200), group_with(groups, 14), group_with(groups, 2)
    assert len({evacuated.id, missing.id, dead.id}) == 3
    assert articles_of(evacuated) == {"flood-1", "flood-2"}  # about 1,200 meets some 1,150
    for group in groups:
        assert group.conflicts_with == [], group.headline


def test_arrests_and_charges_are_apart_and_the_denial_names_only_the_charges(story):
    groups = groups_of(story, "arrested OR charged")
    arrested, charged = group_with(groups, 7), group_with(groups, 5)
    assert arrested.id != charged.id
    assert articles_of(arrested) == {"court-1", "court-2"}
    assert arrested.conflicts_with == [] and charged.conflicts_with == []
    [denial] = [g for g in groups if g.denial]
    assert charged.id in denial.contradicts and arrested.id not in denial.contradicts


def test_the_count_answering_the_query_comes_first(story):
    assert group_with(claims(story, "missing").groups[:1], 14)
    first = claims(story, "evacuated").groups[0]
    assert first.figure is not None and first.figure.low <= 1200 <= first.figure.high and first.answers_query


def test_headlines_name_only_what_the_quotes_say(story):
    for query in ("killed", "evacuated", "votes", "budget", "arrested", "missing"):
        for group in groups_of(story, query):
            text = " ".join(q.text for q in group.quotes).casefold()
            for word in filter(None, (group.counted, group.predicate_word)):
                assert word.casefold() in text, (group.headline, word)


def test_an_article_without_outlet_is_named_by_its_id_and_counted_as_an_article(story):
    groups = groups_of(story, "arrested")
    arrested = group_with(groups, 7)
    labels = {q.outlet_label for q in arrested.quotes}
    assert labels == {"Carrow Examiner", "court-2"}
    assert arrested.outlets == 1 and arrested.articles == 2
    for group in groups:
        for quote in group.quotes:
            assert "/" not in quote.outlet_label  # never the operator's file path


# ---------------------------------------------------------------- the command


def test_every_quote_is_verbatim_at_its_offsets(story):
    for query in ("killed", "votes", "evacuated"):
        for group in groups_of(story, query):
            for quote in group.quotes:
                article = story.store.get("default", quote.article_id)
                assert article.text[quote.start : quote.end] == quote.text


def test_a_page_past_the_end_names_the_last_page(story):
    response = claims(story, "Harlow")
    last = -(-response.total_groups // response.per_page)
    with pytest.raises(CommandError, match=f"page:{last}"):
        claims(story, f"Harlow page:{last + 5}")


def test_a_capped_read_says_the_group_count_is_a_lower_bound(story, monkeypatch):
    from commands import claims as claims_command

    assert not claims(story, "Harlow").total_is_lower_bound
    monkeypatch.setattr(claims_command, "CLAIM_HITS", 2)
    capped = claims(story, "Harlow")
    assert capped.total_is_lower_bound


def test_speaker_filter_matches_any_spelling(story):
    response = claims(story, 'speaker:"fire service"')
    speakers = {q.speaker for g in response.groups for q in g.quotes}
    assert speakers and all("fire service" in s.casefold() for s in speakers)


def test_outlet_and_date_filters(story):
    by_outlet = claims(story, "evacuated outlet:westdale")
    assert {q.outlet for g in by_outlet.groups for q in g.quotes} == {"Westdale Post"}
    later = claims(story, "Harlow since:2031-05-07")
    assert {q.article_id for g in later.groups for q in g.quotes} == {"shoot-wed"}


def test_an_excluded_word_leaves_out_the_claims_that_hold_it(story):
    # Queries with an excluded word are ranked by Whoosh itself, not block scoring.
    every = {q.text for g in claims(story, "Harlow").groups for q in g.quotes}
    without = {q.text for g in claims(story, "Harlow -wednesday").groups for q in g.quotes}
    assert without and every - without == {q for q in every if "Wednesday" in q}
    assert any("Wednesday" in q for q in every)


@pytest.mark.parametrize("query", ['"unclosed', "(", "*", "x" * 10_000, "bad\x00", "text:[a TO z]"])
def test_hostile_queries_get_a_message(story, query):
    with pytest.raises(CommandError):
        claims(story, query)


def test_nothing_found_is_an_empty_answer(story):
    response = claims(story, "volcano")
    assert response.total_groups == 0 and response.groups == []


def test_another_corpus_sees_nothing(story):
    assert run_line(context(story, "someone-else"), "/claims Harlow").groups == []


def test_compare_lines_up_two_articles(story):
    response = run_line(context(story), "/compare vote-clerk vote-campaign")
    assert response.first.article_id == "vote-clerk" and response.second.article_id == "vote-campaign"
    [pair] = response.differing
    assert {pair.first.figure.value, pair.second.figure.value} == {48210, 46900}
    assert pair.kind == "conflict"
    with pytest.raises(CommandError, match="two different articles"):
        run_line(context(story), "/compare vote-clerk vote-clerk")


def test_compare_shows_a_toll_that_changed_between_two_days_as_a_change(story):
    response = run_line(context(story), "/compare shoot-mon shoot-wed")
    changes = [d for d in response.differing if d.kind == "update"]
    assert [(d.first.figure.value, d.second.figure.value) for d in changes] == [(3, 5)]


def test_terminal_shows_quotes_side_by_side_when_wide(story, monkeypatch):
    from bot.terminal import Style, render

    monkeypatch.setenv("COLUMNS", "150")
    text = render(claims(story, "evacuated"), Style(color=False))
    row = next(line for line in text.splitlines() if "Ashby Chronicle" in line and " │ " in line)
    assert "Westdale Post" in row
    monkeypatch.setenv("COLUMNS", "60")
    narrow = render(claims(story, "evacuated"), Style(color=False))
    assert " │ " not in narrow and "Ashby Chronicle" in narrow


def test_terminal_prints_every_link_whole_however_narrow_the_columns(story, monkeypatch):
    from bot.terminal import Style, render

    monkeypatch.setenv("COLUMNS", "80")  # two columns of 36 characters: the link is longer
    text = render(claims(story, "killed Harlow"), Style(color=False))
    lines = [line.strip() for line in text.splitlines()]
    assert "Harlow Courier: https://harlowcourier.example/dunlow-shooting" in lines
    assert "Valley Evening News: /article shoot-mon-2" in lines  # no URL: the command that shows it


def test_terminal_shows_updates_and_conflicts(story):
    from bot.terminal import Style, render

    toll = render(claims(story, "killed Harlow"), Style(color=False))
    assert "changed over time: 3 on 2031-05-05" in toll
    votes = render(claims(story, "votes Oyelaran"), Style(color=False))
    assert "disagrees with: #" in votes


def test_who_gathers_a_speaker_across_outlets(story):
    response = run_line(context(story), "/who fire service")
    quotes = [q for g in response.groups for q in g.quotes]
    assert quotes and all("fire service" in (q.speaker or "").casefold() for q in quotes)
    assert response.outlets == 2


def test_who_counts_named_outlets_and_articles_never_paths(story):
    response = run_line(context(story), "/who police spokesman")
    assert {q.article_id for g in response.groups for q in g.quotes} >= {"court-1", "court-2"}
    assert response.outlets == 1  # court-2 has neither outlet nor URL: an article, not an outlet
    assert response.articles >= 2


def test_a_count_revised_upwards_the_next_day_is_an_update_with_its_measure_noun(library):
    # The fictional examples/: "4,200 residents had been evacuated" on the 14th, "the
    # number of evacuated residents rose to 5,100" on the 15th, from the same agency.
    from conftest import EXAMPLES

    library.ingest_paths([EXAMPLES])
    groups = run_line(context(library), "/claims evacuated").groups
    first, later = group_with(groups, 4200), group_with(groups, 5100)
    assert later.id in first.updates and first.conflicts_with == []
    assert later.counted and later.predicate == "evacuated"
    # Its headline "Evacuations rise to 5,100" adds no second source: the article says whose figure it is.
    assert later.independent_sources == 1
