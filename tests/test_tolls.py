"""Tolls on local crime and disaster news: readings of killed / injured counts, counts
worked out from stated numbers, and how /claims shows them.

Every sentence and article here is fictional, written for these tests (places, people
and outlets invented): shootings, a flood, a crash, a court case, a budget.
"""

import pytest

from commands import CommandContext
from commands.line import run_line
from commands.synonyms import expand_terms, search_terms
from index.extract import extract_claims
from index.extract.figures import find_figures
from index.extract.nlp import get_nlp
from index.library import Library
from index.models import Article, Figure


def figures_of(sentence: str) -> list[Figure]:
    article = Article(id="t", source="fixture", text=sentence)
    figures = [f for c in extract_claims(article) for f in c.figures]
    for figure in figures:
        assert sentence[figure.start : figure.end] == figure.text
        for term in figure.derived_from:
            assert sentence[term.start : term.end] == term.text
    return figures


def stated(sentence: str, text: str) -> Figure:
    matches = [f for f in figures_of(sentence) if f.text == text and f.derived is None]
    assert len(matches) == 1, figures_of(sentence)
    return matches[0]


def derived(sentence: str) -> list[Figure]:
    return [f for f in figures_of(sentence) if f.derived is not None]


# ------------------------------------------------------------ readings


@pytest.mark.parametrize(
    ("sentence", "text", "predicate_family"),
    [
        # an object written between two verbs is the first verb's
        ("The gunman killed four people and injured two others at the Tillery depot.", "four", "killed"),
        ("A blast that killed one worker and injured six others shut the Orla plant.", "one", "killed"),
        # written after both, it is shared: the last verb says how it ended
        ("The man shot and killed two people at the Marlow bakery.", "two", "killed"),
        # an undergoing verb takes its object's meaning
        ("Eight passengers suffered injuries when the Brenn ferry struck the pier.", "Eight", "injured"),
        ("A total of four people received non-life-threatening wounds.", "four", "injured"),
        # "one critically" after "shot": a survivor
        ("Three people were shot, one critically, on Elm Street in Harwick.", "one", "injured"),
        ("Police in Ashby reported two homicides over the weekend.", "two", "killed"),
        # the number counts the possessed plural, not the singular possessor
        ("Two sheriff's deputies were critically wounded in Harwick.", "Two", "injured"),
    ],
)
def test_predicate_of_a_toll(sentence, text, predicate_family):
    assert stated(sentence, text).predicate_family == predicate_family


def test_what_hit_them_says_they_were_shot():
    assert stated("Four people were hit by stray bullets in Harwick.", "Four").predicate_family == "shot"
    assert stated("Two teens were grazed by a bullet outside the Orla rink.", "Two").predicate_family == "shot"
    assert stated("Two pedestrians were struck by a car in Harwick.", "Two").predicate_family is None
    assert stated("Three men were killed by gunfire in Orla.", "Three").predicate_family == "killed"
    (figure,) = derived("Five people were struck by gunfire outside the Tillery bar, one fatally.")
    assert (figure.value, figure.predicate_family) == (4, "injured")
    assert {"gunfire", "bullet"} <= search_terms("injured")


def test_in_critical_condition_is_hurt_and_the_fronted_whole_is_not():
    sentence = "Of the six passengers, two are in critical condition at Harwick General."
    assert stated(sentence, "two").predicate_family == "injured"
    assert stated(sentence, "six").predicate_family is None
    assert stated("Three victims were listed in serious condition.", "Three").predicate_family == "injured"


def test_the_state_of_a_thing_is_not_an_injury():
    assert all(f.predicate_family != "injured" for f in figures_of("The two bridges are in poor condition, the Brenn engineer said."))


def test_a_total_of_is_a_count_not_a_running_total():
    figure = stated("A total of 40 protesters were arrested outside Caldor city hall on Saturday.", "40")
    assert (figure.predicate_family, figure.stage) == ("arrested", "done")


def test_a_number_glued_to_a_name_counts_nothing():
    figures = figures_of("The Orla clinic received 500 COVID-19 vaccines on Monday.")
    assert [f.text for f in figures if f.groupable] == ["500"]


def test_more_than_is_a_bound_not_a_part():
    figure = stated("More than 50 rounds were fired at the Kessock apartment block.", "More than 50")
    assert figure.bound == "lower" and not figure.part


def test_events_are_counted_apart_from_people():
    sentence = "Detectives linked three shootings that left seven people injured in Harwick."
    shootings, people = stated(sentence, "three"), stated(sentence, "seven")
    assert shootings.counted_family == "incidents"
    assert (people.counted_family, people.predicate_family) == ("people", "injured")


# ------------------------------------------------------------ counts worked out


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Five people were shot, one fatally, outside a grocery store in Marlow on Friday.", 4),
        ("Six people were shot, two of them fatally, at a block party in Tillery.", 4),
        ("Four people were shot, one of whom died at Harwick General.", 3),
        ("Of the seven people who were shot at the Orla fair, two died.", 5),
        ("The gunman shot five people at the Tillery depot, killing two, before fleeing.", 3),
    ],
)
def test_injured_of_a_shooting_is_shot_minus_killed(sentence, value):
    (figure,) = derived(sentence)
    assert (figure.value, figure.predicate_family, figure.derived) == (value, "injured", "difference")
    assert [t.predicate_family for t in figure.derived_from] == ["shot", "killed"]
    assert figure.predicate is None  # no word of the sentence says "injured"


def test_casualties_split_the_same_way():
    (figure,) = derived("The Brenn flood left 12 casualties, three of them fatal, the council said.")
    assert (figure.value, figure.predicate_family) == (9, "injured")


@pytest.mark.parametrize(
    "sentence",
    [
        # stated injured count: nothing to work out
        "Four people were shot, one fatally, and two were injured in Ashby.",
        # "others" are besides the five, not out of them
        "Five people were shot and two others were killed in separate attacks in Harwick.",
        # no killed part at all
        "Four people were shot outside a Daytona nightclub.",
        # two clauses joined by "and" may be two events
        "Five people were shot on Monday and two died in a crash on Tuesday in Ashby.",
        # a flood with missing and dead: nothing splits
        "Nine people are missing and three are dead after the Orla burst its banks.",
    ],
)
def test_nothing_is_worked_out_without_a_tied_part(sentence):
    assert derived(sentence) == []


def test_a_toll_counting_the_one_who_killed_himself():
    (figure,) = derived("A gunman fatally shot six people at a Kessock warehouse before killing himself, police said.")
    assert (figure.value, figure.predicate_family, figure.derived) == (7, "killed", "sum")
    assert [t.text for t in figure.derived_from] == ["six", "himself"]


def test_shooting_himself_without_dying_is_not_counted():
    assert derived("The man shot four co-workers and then shot himself in the leg.") == []


@pytest.mark.parametrize(
    ("sentence", "value", "family"),
    [
        ("Deputies found one man and two children dead inside the Orla farmhouse.", 3, "killed"),
        ("A retired guard killed his two sons and himself at their Ashby home.", 3, "killed"),
        ("The man killed his wife and two daughters before fleeing Harwick.", 3, "killed"),
        ("The bus crash left a mother and a grandmother dead, and a boy and two men wounded.", 3, "injured"),
        ("Two officers and a woman were wounded in the exchange of fire in Tillery.", 3, "injured"),
        ("Two men and three women were arrested after the Caldor brawl.", 5, "arrested"),
    ],
)
def test_coordinated_counts_add_up(sentence, value, family):
    (figure,) = derived(sentence)
    assert (figure.value, figure.predicate_family, figure.derived) == (value, family, "sum")


@pytest.mark.parametrize(
    "sentence",
    [
        "The storm destroyed 40 homes and two schools in Brenn.",  # not people
        "A man and a woman were found dead in Ashby.",  # read whole already: 2, not derived
        "Two men and some children were hurt when the Kessock stand fell.",  # "some" is no count
    ],
)
def test_coordinations_that_do_not_add_up(sentence):
    assert derived(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "text", "value", "family"),
    [
        ("Detectives in Ashby are investigating a double murder.", "double murder", 2, "killed"),
        ("The triple homicide shocked the village of Harwick.", "triple homicide", 3, "killed"),
        ("Police responded to a double shooting on Elm Street in Tillery.", "double shooting", 2, "shot"),
    ],
)
def test_a_multiple_of_an_event_counts_people(sentence, text, value, family):
    figure = stated(sentence, text)
    assert (figure.value, figure.counted_family, figure.predicate_family, figure.stage) == (value, "people", family, "done")


def test_a_multiple_of_anything_else_is_no_count():
    assert figures_of("The Orla council approved a double budget for the harbour.") == []


def test_a_place_heading_a_line_is_not_a_speaker():
    article = Article(id="p", source="fixture", text="Chicago: Four people were shot outside a bar on Friday night.")
    (claim,) = extract_claims(article)
    assert claim.speaker is None


@pytest.mark.parametrize(
    ("sentence", "text", "family"),
    [
        # a label or a dateline before it: the capital opens a clause, it names nothing
        ("Police: Two dead, two injured in Harwick shooting", "Two", "killed"),
        ("HARWICK -- Four people, including two children, were wounded Sunday in a shooting.", "Four", "injured"),
        ("Sheriff’s office: “Three were hurt when the Orla footbridge gave way.”", "Three", "injured"),
    ],
)
def test_a_capitalised_number_opening_a_clause_is_a_count(sentence, text, family):
    figure = stated(sentence, text)
    assert (figure.kind, figure.predicate_family) == ("count", family)


@pytest.mark.parametrize(
    ("headline", "readings"),
    [
        ("Police: 3 Dead, 2 Hurt In Overnight Shooting", {"3": "killed", "2": "injured"}),
        ("Marlow Party Shooting Leaves 1 Dead, 4 Hospitalized", {"1": "killed", "4": "hospitalised"}),
        ("Two Arrested In Harwick School Shooting", {"Two": "arrested"}),
        ("5 Dead, 6 Wounded In Shooting At Orla Airport", {"5": "killed", "6": "injured"}),
    ],
)
def test_title_case_headlines_are_read_from_a_sentence_case_copy(headline, readings):
    figures = {f.text: f for f in figures_of(headline)}  # texts checked verbatim there
    assert {text: figures[text].predicate_family for text in readings} == readings


@pytest.mark.parametrize(
    ("sentence", "ages"),
    [
        ("Two men, 26 and 21, were taken to Harwick General Hospital, sources said.", ["26", "21"]),
        ("The victims, 19, 22 and 24, were treated at the scene in Orla.", ["19", "22", "24"]),
    ],
)
def test_bare_numbers_beside_people_are_their_ages(sentence, ages):
    figures = figures_of(sentence)
    assert [f.text for f in figures if f.kind == "age"] == ages
    assert not any(f.groupable for f in figures if f.text in ages)  # never a group of "26 hospitalised"


def test_a_number_of_members_beside_a_body_is_still_a_count():
    assert stated("The council, 12 members in all, voted on Monday.", "12").kind == "count"


def test_a_title_case_address_stays_an_address():
    doc = get_nlp()("Investigation Into Shooting At 8535 Tillery Harbour Boulevard")
    assert [(f.text, f.kind) for f in find_figures(doc, 0)] == [("8535", "address")]


def test_a_capitalised_number_inside_a_name_is_still_no_count():
    (figure,) = figures_of("Fans of the Six Nations gathered in Brenn on Saturday.")
    assert figure.kind == "other"


# ------------------------------------------------------------ survivors


def survivors(text: str) -> list[Figure]:
    return [f for f in figures_of(text) if f.derived == "survivors"]


SHOOTING = "Four people were shot outside a bar in Marlow late Saturday, police said.\n\n"


@pytest.mark.parametrize(
    "statement",
    [
        "All four are expected to survive.",
        "The victims were taken to Harwick General in stable condition.",
        "The victims were taken to Harwick General, where they were listed in good condition.",
        "All of the victims are in fair condition, a hospital spokeswoman said.",
        "Detectives said the victims' wounds appeared to be non-life-threatening.",
        "None of the injuries were life-threatening, police said.",
        "The victims suffered non-life-threatening injuries.",
        "They are recovering at Harwick General.",
        "The four victims went to local hospitals and were all expected to recover.",
    ],
)
def test_people_shot_who_all_survived_are_injured(statement):
    text = SHOOTING + "A suspect fled on foot.\n\n" + statement
    (figure,) = survivors(text)
    assert (figure.value, figure.predicate_family, figure.predicate) == (4, "injured", None)
    shot, said = figure.derived_from
    assert (shot.text, shot.predicate_family) == ("Four", "shot")
    assert said.text == statement and said.start == text.index(statement)


def test_survival_said_in_the_same_sentence_counts_too():
    text = "Two men were shot in Tillery on Monday, though both are expected to survive, police said."
    (figure,) = survivors(text)
    assert figure.value == 2


@pytest.mark.parametrize(
    "statement",
    [
        "",  # silence is never survival
        "The man is in stable condition.",  # one person, not the victims
        "The three other victims are expected to survive.",  # a part
        "Two of the victims are expected to survive.",  # a part
        "Two others were taken to hospital with non-life-threatening injuries.",  # besides them
        "One victim died at Harwick General. All are expected to survive.",  # a death: all of whom?
        "Police recovered a handgun near the bar.",  # a thing recovered
        "The victims are in critical condition.",  # people in critical condition can die
        "Officials said the victims were not expected to survive.",  # negated
        "All three are expected to survive.",  # three is not the four shot
    ],
)
def test_no_survivors_without_a_statement_about_all_the_victims(statement):
    assert survivors(SHOOTING + statement) == []


def test_a_plural_statement_never_ties_to_one_person_shot():
    text = "A man was shot in Ashby on Friday.\n\nBoth victims survived, police said."
    assert survivors(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a crash: the count says it was hurt already, nothing to work out
        "Six passengers were hurt when the Brenn bus overturned.\n\nAll six are expected to recover.",
        # a flood: missing people are not people shot
        "Nine people are missing after the Orla burst its banks.\n\nRescuers hope all nine survive.",
        # a court case: counts of a charge
        "The Caldor man was charged with four counts of assault.\n\nAll four victims are recovering.",
    ],
)
def test_survival_ties_only_to_people_shot(text):
    assert survivors(text) == []


def test_two_shootings_in_one_article_leave_an_unnumbered_statement_untied():
    text = (
        "Three people were shot in Ashby on Friday.\n\nIn a separate attack, five people were shot in "
        "Tillery on Saturday.\n\nThe victims are expected to survive, police said."
    )
    assert survivors(text) == []


def test_a_numbered_statement_picks_its_count_even_beside_a_death():
    text = (
        "Three people were shot in Ashby on Friday.\n\nIn Tillery, a man was killed on Saturday.\n\n"
        "All three Ashby victims are expected to survive, police said."
    )
    (figure,) = survivors(text)
    assert figure.value == 3


# ------------------------------------------------------------ query side


def test_injured_covers_hospitalised_but_not_shot():
    assert {"hospitalised", "hospitalized"} <= expand_terms("injured")
    assert "shot" not in expand_terms("injured")
    assert {"shot", "fatally", "bodies"} <= search_terms("killed")
    assert "bodies" not in expand_terms("killed")
    assert "shot" in search_terms("injured")


def test_injured_finds_the_words_the_parse_reads_it_through():
    assert {"hospital", "condition", "treated"} <= search_terms("injured")
    assert "custody" in search_terms("arrested")
    assert not {"hospital", "condition"} & search_terms("killed")
    assert not {"hospital", "condition"} & expand_terms("injured")  # never widens /search


def test_killed_does_not_answer_with_hospitalised():
    assert not {"hospitalised", "hospitalized"} & expand_terms("killed")


# ------------------------------------------------------------ /claims end to end


STORY = {
    # A shooting reported by three outlets in different words (fictional).
    "harwick-herald.txt": "Five shot at Harwick fair\n\n"
    "Five people were shot, one fatally, at the Harwick summer fair on Saturday night, police said.\n",
    "valley-post.txt": "Fair shooting leaves one dead\n\n"
    "One man was killed and four people were wounded when gunfire broke out at the Harwick fair on "
    "Saturday, police said.\n",
    "orla-news.txt": "Harwick fair gunfire\n\n"
    "Three of the wounded were taken to Harwick General and one was hospitalised in Orla, a hospital "
    "spokeswoman said.\n",
}


def claims_answers(tmp_path_factory, story: dict[str, str], queries: tuple[str, ...]) -> dict[str, dict]:
    """The story's files ingested into a fresh data folder; each `/claims QUERY` answer as JSON."""
    folder = tmp_path_factory.mktemp("story")
    for name, text in story.items():
        (folder / name).write_text(text, encoding="utf-8")
    with Library(tmp_path_factory.mktemp("data")) as library:
        library.ingest_paths(sorted(folder.glob("*.txt")), corpus="default")
        context = CommandContext(library=library, corpora=["default"])
        return {q: run_line(context, f"/claims {q}").model_dump(mode="json") for q in queries}


@pytest.fixture(scope="module")
def fair(tmp_path_factory):
    return claims_answers(tmp_path_factory, STORY, ("killed", "injured"))


def test_injured_worked_out_joins_the_stated_count(fair):
    group = next(g for g in fair["injured"]["groups"] if g["figure"] and g["figure"]["value"] == 4)
    assert group["predicate"] == "injured"
    assert group["predicate_word"] == "wounded"  # a quote says it
    assert group["articles"] == 2
    assert group["derivation"] == "difference"
    assert [t["text"] for t in group["derived_from"]] == ["Five", "one"]
    assert "worked out from 5 shot − 1 killed" in group["headline"]
    assert not group["conflicts_with"]
    # every quote is verbatim; the worked-out value 4 is in no quote of the Herald
    herald = next(q for q in group["quotes"] if q["text"].startswith("Five people"))
    assert "4" not in herald["text"] and "four" not in herald["text"].lower()


def test_killed_shows_the_one_death_from_both_outlets(fair):
    first = fair["killed"]["groups"][0]
    assert (first["figure"]["value"], first["predicate"], first["articles"]) == (1, "killed", 2)


def test_hospitalised_answers_injured(fair):
    hospitalised = [g for g in fair["injured"]["groups"] if g["predicate"] == "hospitalised"]
    assert hospitalised and all(g["answers_query"] for g in hospitalised)


# A second shooting story (fictional): one outlet states the survivors, the other the wounded.
SURVIVORS_STORY = {
    "tillery-times.txt": "Four shot outside Tillery bar\n\n"
    "Four people were shot outside the Copper Kettle bar in Tillery early Sunday, police said.\n\n"
    "All four victims were taken to Tillery General Hospital.\n\n"
    "All four are expected to survive, a police spokesman said.\n",
    "ashby-courier.txt": "Gunfire outside Tillery bar\n\n"
    "Four people were wounded when a man opened fire outside a Tillery bar on Sunday, police said.\n",
}


@pytest.fixture(scope="module")
def bar(tmp_path_factory):
    return claims_answers(tmp_path_factory, SURVIVORS_STORY, ("injured",))["injured"]


def test_survivors_join_the_stated_wounded_and_show_the_statement(bar):
    groups = [g for g in bar["groups"] if g["predicate"] == "injured" and g["figure"]["value"] == 4]
    assert len(groups) == 1
    (group,) = groups
    assert group["articles"] == 2 and not group["conflicts_with"]
    texts = [q["text"] for q in group["quotes"]]
    # the statement the count rests on is quoted verbatim beside the count itself
    assert "All four are expected to survive, a police spokesman said." in texts
    assert any(t.startswith("Four people were wounded") for t in texts)


def test_taken_to_hospital_answers_injured_and_the_headline_words_it(bar):
    group = next(g for g in bar["groups"] if g["predicate"] == "hospitalised")
    assert group["predicate_word"] == "Hospital"
    assert group["figure"]["value"] == 4 and group["answers_query"]


def test_the_query_own_family_ranks_before_a_narrower_one(tmp_path_factory):
    # A stand collapse (fictional): two outlets count the hospitalised, one the hurt.
    story = {
        "Brenn Daily": "Six people were taken to Brenn General Hospital after the Orla stand collapsed, officials said.",
        "Orla Echo": "Six people were hospitalised after the Orla stand collapsed on Friday, a council officer said.",
        "Valley Post": "Nine people were hurt when the stand at the Orla fairground collapsed, the fire service said.",
    }
    files = {f"{outlet.split()[0].lower()}.txt": f"---\noutlet: {outlet}\npublished: 2031-06-06\n---\n{text}\n"
             for outlet, text in story.items()}
    groups = claims_answers(tmp_path_factory, files, ("injured",))["injured"]["groups"]
    assert (groups[0]["predicate"], groups[0]["figure"]["value"]) == ("injured", 9)
    hospitalised = next(g for g in groups if g["predicate"] == "hospitalised")
    assert (hospitalised["figure"]["value"], hospitalised["outlets"], hospitalised["answers_query"]) == (6, 2, True)


def test_survival_in_the_sentence_of_the_count_holds_beside_another_death():
    text = (
        "A man was killed in Ashby on Friday.\n\n"
        "Four men were shot in Tillery on Sunday, police said, though all are believed to have survived."
    )
    (figure,) = survivors(text)
    assert figure.value == 4
