"""Grouping on a FICTIONAL story: every country, outlet, agency and person here is
invented (Velmora sending troops to Kessa, spring 2031).

The known answer:
* the Velmoran Defence Bureau (via the Pellam Press Agency wire, relayed by all four
  outlets) says 6,000 troops will be sent;
* Governor Ilse Várga (spelled "Varga" by one outlet) says about 4,000: a conflict;
* "about 800 transported in the first phase" and "some 5,500 being trained" are
  other quantities, not conflicts;
* a spokesman calls the deployment a hoax;
* an unrelated story (Ostrel, 3,000 troops) must not be linked to any of it.
"""

from datetime import date

import pytest

from commands.grouping import ClaimGroup, ClaimHit, group_claims, paginate, rank_groups
from index.models import Article, Claim, Entity, Figure

# (text, value, low, high, unit, approx)
FigureSpec = tuple[str, float, float, float, str | None, bool]


class Story:
    """Fictional articles whose claims carry true offsets into the article text."""

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        self.hits: list[ClaimHit] = []

    def article(self, article_id: str, outlet: str, published: date, sentences: list[str]) -> None:
        self.articles[article_id] = Article(
            id=article_id,
            source=f"fictional/{article_id}.txt",
            outlet=outlet,
            title=f"Fictional report {article_id}",
            published=published,
            text="\n".join(sentences),
        )

    def claim(
        self,
        article_id: str,
        sentence: str,
        score: float,
        speaker: str | None = None,
        via: tuple[str, ...] = (),
        cue: str | None = None,
        figures: tuple[FigureSpec, ...] = (),
        entities: tuple[str, ...] = (),
    ) -> Claim:
        article = self.articles[article_id]
        start = article.text.index(sentence)
        claim = Claim(
            article_id=article_id,
            seq=sum(h.claim.article_id == article_id for h in self.hits),
            text=sentence,
            start=start,
            end=start + len(sentence),
            speaker=speaker,
            cue=cue,
            via=list(via),
            figures=[
                Figure(
                    value=value,
                    low=low,
                    high=high,
                    unit=unit,
                    approx=approx,
                    text=text,
                    start=start + sentence.index(text),
                    end=start + sentence.index(text) + len(text),
                )
                for text, value, low, high, unit, approx in figures
            ],
            entities=[
                Entity(
                    text=name,
                    label="place" if name in PLACES else "organisation",
                    start=start + sentence.index(name),
                    end=start + sentence.index(name) + len(name),
                )
                for name in entities
            ],
        )
        self.hits.append(ClaimHit.from_article(claim, article, score))
        return claim


PLACES = {"Velmora", "Kessa", "Tollin", "Ostrel", "Brannock"}
BUREAU = "Velmoran Defence Bureau"
WIRE = "Pellam Press Agency"

# Article A (Harbor Ledger)
A_TOTAL = (
    "Velmora will send a total of 6,000 troops to Kessa, the Velmoran Defence Bureau said, "
    "according to the Pellam Press Agency."
)
A_PHASE = "About 800 troops were transported to Kessa in the first phase, the bureau added."
A_GOVERNOR = "Governor Ilse Várga said about 4,000 soldiers are being sent to the region."
A_BORDER = (
    "Governor Ilse Várga said the  border crossings at Tollin will remain closed until "
    "further notice."
)
# Article B (Northgate Times)
B_TOTAL = "Velmora plans to deploy 6,000 soldiers to Kessa, the Pellam Press Agency reported."
B_GOVERNOR = "Governor Ilse Varga put the figure at about 4,000 troops being sent."
B_TRAINING = "Colonel Tamsin Orrick said some 5,500 soldiers were being trained near Kessa."
# Article C (Coastline Daily)
C_TOTAL = (
    "“The Velmoran Defence Bureau said 6,000 troops would be deployed,” the Pellam Press "
    "Agency reported."
)
C_TRAINING = (
    "Some 5,500 Velmoran infantry are being trained near Kessa, Colonel Tamsin Orrick said."
)
C_DENIAL = (
    "Velmora’s foreign ministry spokesman Dario Quell called reports that Velmora sent troops "
    "to Kessa a hoax."
)
# Article D (The Marrow Post)
D_RANGE = (
    "Between 4,000 and 6,000 troops are to be sent to Kessa, the Pellam Press Agency reported, "
    "citing the Velmoran Defence Bureau."
)
D_BORDER = "Ilse Varga said the border crossings at Tollin would stay closed."
# Article E (Brannock Herald): another story altogether
E_OSTREL = "Ostrel deployed 3,000 troops to Brannock, its army chief Pell Dunmore said."
E_FLOOD = "Floods killed 12 people in northern Ostrel on Sunday."


def velmora_story() -> Story:
    story = Story()
    story.article("a", "Harbor Ledger", date(2031, 3, 4), [A_TOTAL, A_PHASE, A_GOVERNOR, A_BORDER])
    story.article("b", "Northgate Times", date(2031, 3, 5), [B_TOTAL, B_GOVERNOR, B_TRAINING])
    story.article("c", "Coastline Daily", date(2031, 3, 5), [C_TOTAL, C_TRAINING, C_DENIAL])
    story.article("d", "The Marrow Post", date(2031, 3, 6), [D_RANGE, D_BORDER])
    story.article("e", "Brannock Herald", date(2031, 2, 1), [E_OSTREL, E_FLOOD])

    troops_6000 = ("6,000", 6000, 6000, 6000, "troops", False)
    story.claim("a", A_TOTAL, 0.90, speaker=BUREAU, via=(WIRE,), cue="said",
                figures=(troops_6000,), entities=("Velmora", "Kessa", BUREAU, WIRE))
    story.claim("a", A_PHASE, 0.60, speaker="the bureau", via=(WIRE,), cue="added",
                figures=(("About 800", 800, 800, 800, "troops", True),), entities=("Kessa",))
    story.claim("a", A_GOVERNOR, 0.70, speaker="Ilse Várga", cue="said",
                figures=(("about 4,000", 4000, 4000, 4000, "soldiers", True),))
    story.claim("a", A_BORDER, 0.40, speaker="Ilse Várga", cue="said", entities=("Tollin",))
    story.claim("b", B_TOTAL, 0.85, via=(WIRE,), cue="reported",
                figures=(("6,000", 6000, 6000, 6000, "soldiers", False),),
                entities=("Velmora", "Kessa", WIRE))
    story.claim("b", B_GOVERNOR, 0.65, speaker="Ilse Varga", cue="put the figure at",
                figures=(("about 4,000", 4000, 4000, 4000, "troops", True),))
    story.claim("b", B_TRAINING, 0.50, speaker="Tamsin Orrick", cue="said",
                figures=(("some 5,500", 5500, 5500, 5500, "soldiers", True),), entities=("Kessa",))
    story.claim("c", C_TOTAL, 0.80, speaker=BUREAU, via=(WIRE,), cue="said",
                figures=(troops_6000,), entities=(BUREAU, WIRE))
    story.claim("c", C_TRAINING, 0.55, speaker="Tamsin Orrick", cue="said",
                figures=(("Some 5,500", 5500, 5500, 5500, "Velmoran infantry", True),),
                entities=("Kessa",))
    story.claim("c", C_DENIAL, 0.75, speaker="Dario Quell", cue="called",
                entities=("Velmora", "Kessa"))
    story.claim("d", D_RANGE, 0.70, speaker=BUREAU, via=(WIRE,), cue="reported",
                figures=(("Between 4,000 and 6,000", 5000, 4000, 6000, "troops", False),),
                entities=("Kessa", WIRE, BUREAU))
    story.claim("d", D_BORDER, 0.45, speaker="Ilse Varga", cue="said", entities=("Tollin",))
    story.claim("e", E_OSTREL, 0.88, speaker="Pell Dunmore", cue="said",
                figures=(("3,000", 3000, 3000, 3000, "troops", False),),
                entities=("Ostrel", "Brannock"))
    story.claim("e", E_FLOOD, 0.30, figures=(("12", 12, 12, 12, "people", False),),
                entities=("Ostrel",))
    return story


@pytest.fixture(scope="module")
def story() -> Story:
    return velmora_story()


@pytest.fixture(scope="module")
def groups(story: Story) -> list[ClaimGroup]:
    return group_claims(story.hits)


def group_quoting(groups: list[ClaimGroup], text: str) -> ClaimGroup:
    [found] = [g for g in groups if any(q.text == text for q in g.quotes)]
    return found


def quoted(group: ClaimGroup) -> set[str]:
    return {q.text for q in group.quotes}


def test_the_story_falls_into_the_expected_groups(groups):
    assert sorted(sorted(quoted(g)) for g in groups) == sorted(
        sorted(texts)
        for texts in [
            {A_TOTAL, B_TOTAL, C_TOTAL, D_RANGE},
            {A_GOVERNOR, B_GOVERNOR},
            {A_PHASE},
            {B_TRAINING, C_TRAINING},
            {C_DENIAL},
            {A_BORDER, D_BORDER},
            {E_OSTREL},
            {E_FLOOD},
        ]
    )


def test_wire_relayed_by_every_outlet_is_one_source(groups):
    total = group_quoting(groups, A_TOTAL)
    assert total.outlets == 4
    assert total.independent_sources == 1
    assert total.speakers == [BUREAU]
    assert total.predicate == "deploy"


def test_spellings_of_one_speaker_are_one_source(groups):
    governor = group_quoting(groups, A_GOVERNOR)
    assert (governor.outlets, governor.independent_sources) == (2, 1)
    border = group_quoting(groups, A_BORDER)
    assert (border.outlets, border.independent_sources) == (2, 1)


def test_disjoint_figures_of_one_quantity_conflict_both_ways(groups):
    total = group_quoting(groups, A_TOTAL)
    governor = group_quoting(groups, A_GOVERNOR)
    assert total.conflicts_with == [governor.id]
    assert governor.conflicts_with == [total.id]


def test_other_quantities_and_other_stories_are_not_conflicts(groups):
    for text in (A_PHASE, B_TRAINING, E_OSTREL, E_FLOOD, A_BORDER, C_DENIAL):
        assert group_quoting(groups, text).conflicts_with == [], text
    assert group_quoting(groups, A_PHASE).predicate == "move"
    assert group_quoting(groups, B_TRAINING).predicate == "train"
    assert group_quoting(groups, E_FLOOD).predicate == "killed"


def test_a_range_joins_the_group_of_its_own_source(groups):
    total = group_quoting(groups, A_TOTAL)
    assert D_RANGE in quoted(total)
    figures = [(f.value, f.low, f.high) for f in total.figures]
    assert figures == [(6000, 6000, 6000), (5000, 4000, 6000)]


def test_a_denial_is_its_own_group_linked_to_what_it_denies(groups):
    denial = group_quoting(groups, C_DENIAL)
    total = group_quoting(groups, A_TOTAL)
    governor = group_quoting(groups, A_GOVERNOR)
    assert denial.denial is True
    assert denial.contradicts == sorted([total.id, governor.id])
    assert total.contradicts == [denial.id]
    assert governor.contradicts == [denial.id]
    # Not what it does not name ("transported", "trained"), nor another story.
    for text in (A_PHASE, B_TRAINING, E_OSTREL, A_BORDER):
        assert group_quoting(groups, text).contradicts == [], text


def test_one_verbatim_quote_per_article(groups, story):
    for group in groups:
        article_ids = [q.article_id for q in group.quotes]
        assert len(article_ids) == len(set(article_ids))
        for quote in group.quotes:
            assert story.articles[quote.article_id].text[quote.start : quote.end] == quote.text
    border = group_quoting(groups, A_BORDER)
    assert A_BORDER in quoted(border)  # double space kept as written


def test_quotes_carry_who_where_when(groups):
    total = group_quoting(groups, A_TOTAL)
    by_article = {q.article_id: q for q in total.quotes}
    assert by_article["a"].via == WIRE
    assert by_article["a"].speaker == BUREAU
    assert by_article["a"].outlet == "Harbor Ledger"
    assert by_article["a"].published == date(2031, 3, 4)
    assert by_article["b"].speaker is None
    assert by_article["d"].figure.model_dump() == {
        "value": 5000, "low": 4000, "high": 6000, "unit": "troops", "approx": False
    }
    assert [q.article_id for q in total.quotes] == ["a", "b", "c", "d"]  # by score


def test_headlines_are_built_from_parts(groups):
    assert group_quoting(groups, A_TOTAL).headline == (
        "6,000 troops (deployment) — Velmoran Defence Bureau (via Pellam Press Agency)"
    )
    governor = group_quoting(groups, A_GOVERNOR)
    assert governor.headline == "about 4,000 troops (deployment) — Ilse Varga"
    assert group_quoting(groups, A_PHASE).headline == (
        "about 800 troops (already moved) — the bureau (via Pellam Press Agency)"
    )
    assert group_quoting(groups, E_FLOOD).headline == "12 people killed — Brannock Herald"
    assert group_quoting(groups, D_BORDER).headline == f"Ilse Varga — “{D_BORDER}”"


def test_json_shape(groups):
    dumped = group_quoting(groups, A_TOTAL).model_dump(mode="json")
    assert {"id", "headline", "figures", "quotes", "outlets", "independent_sources",
            "conflicts_with"} <= dumped.keys()
    assert dumped["figures"][0] == {
        "value": 6000, "low": 6000, "high": 6000, "unit": "troops", "approx": False
    }
    assert {"article_id", "source", "outlet", "title", "url", "published", "text", "start",
            "end", "speaker", "cue", "via"} <= dumped["quotes"][0].keys()
    assert dumped["quotes"][0]["published"] == "2031-03-04"


def test_ids_are_stable_whatever_the_hit_order(story, groups):
    again = group_claims(list(reversed(story.hits)))
    assert [g.model_dump() for g in again] == [g.model_dump() for g in groups]
    assert len({g.id for g in groups}) == len(groups)


def test_ranking_by_score_then_sources_then_recency(groups):
    ranked = rank_groups(groups)
    assert [g.quotes[0].text for g in ranked[:3]] == [A_TOTAL, E_OSTREL, C_DENIAL]


def _bare(group_id: str, score: float, sources: int, newest: date | None) -> ClaimGroup:
    return ClaimGroup(id=group_id, headline=group_id, figures=[], quotes=[], outlets=1,
                      independent_sources=sources, score=score, newest=newest)


def test_ranking_tie_breaks():
    ranked = rank_groups([
        _bare("g-old", 0.5, 2, date(2031, 1, 1)),
        _bare("g-undated", 0.5, 2, None),
        _bare("g-new", 0.5, 2, date(2031, 2, 1)),
        _bare("g-more-sources", 0.5, 3, None),
        _bare("g-best", 0.9, 1, None),
        _bare("g-new-twin", 0.5, 2, date(2031, 2, 1)),
    ])
    assert [g.id for g in ranked] == [
        "g-best", "g-more-sources", "g-new", "g-new-twin", "g-old", "g-undated"
    ]


def test_pagination(groups):
    ranked = rank_groups(groups)
    first, total = paginate(ranked, 1, 3)
    last, _ = paginate(ranked, 3, 3)
    assert total == 8
    assert [g.id for g in first] == [g.id for g in ranked[:3]]
    assert [g.id for g in last] == [g.id for g in ranked[6:]]
    assert paginate(ranked, 4, 3) == ([], 8)
    with pytest.raises(ValueError):
        paginate(ranked, 0, 3)


def test_a_pluggable_speaker_matcher_merges_sources():
    story = velmora_story()
    everyone_is_the_bureau = lambda a, b: True  # noqa: E731 - a deliberately blunt matcher
    total = group_quoting(group_claims(story.hits, same_speaker=everyone_is_the_bureau), A_TOTAL)
    assert total.independent_sources == 1
    strict = group_quoting(group_claims(story.hits, same_speaker=lambda a, b: a == b), A_GOVERNOR)
    assert strict.independent_sources == 2  # "Várga" and "Varga" apart without folding


def test_no_hits_no_groups():
    assert group_claims([]) == []


# A second FICTIONAL story, for how figures are read: a depot blast in Tollin and a
# troop movement reported as already done.
F_BLAST = "Officials said 20 people were killed and 30 injured in the Tollin depot blast."
G_DEAD = "The Tollin depot blast left 20 dead, the fire brigade said."
G_DIED = "Hospital director Mira Oakes said 25 people died in the Tollin depot blast."
G_VIGIL = "On Monday 20 people attended a vigil for the Tollin victims."
H_SENT = "Velmora has already sent 900 troops to Kessa, Colonel Brisk Annan said."
H_MOVED = "Colonel Brisk Annan said 850 soldiers were transported to Kessa."
H_TOTAL = "Velmora has sent a total of 6,000 troops to Kessa, Annan added."


@pytest.fixture(scope="module")
def blast_groups() -> list[ClaimGroup]:
    story = Story()
    story.article("f", "Ridgeway Courier", date(2031, 4, 2), [F_BLAST])
    story.article("g", "Saltmarsh Gazette", date(2031, 4, 2), [G_DEAD, G_DIED, G_VIGIL])
    story.article("h", "Ferrow Observer", date(2031, 4, 3), [H_SENT, H_MOVED, H_TOTAL])
    story.claim("f", F_BLAST, 0.9, speaker="Officials", cue="said", entities=("Tollin",),
                figures=(("20", 20, 20, 20, "people", False), ("30", 30, 30, 30, None, False)))
    story.claim("g", G_DEAD, 0.8, speaker="the fire brigade", cue="said", entities=("Tollin",),
                figures=(("20", 20, 20, 20, "dead", False),))
    story.claim("g", G_DIED, 0.7, speaker="Mira Oakes", cue="said", entities=("Tollin",),
                figures=(("25", 25, 25, 25, "people", False),))
    story.claim("g", G_VIGIL, 0.5, entities=("Tollin",),
                figures=(("20", 20, 20, 20, "people", False),))
    story.claim("h", H_SENT, 0.6, speaker="Brisk Annan", cue="said", entities=("Velmora", "Kessa"),
                figures=(("900", 900, 900, 900, "troops", False),))
    story.claim("h", H_MOVED, 0.6, speaker="Brisk Annan", cue="said", entities=("Kessa",),
                figures=(("850", 850, 850, 850, "soldiers", False),))
    story.claim("h", H_TOTAL, 0.6, speaker="Annan", cue="added", entities=("Velmora", "Kessa"),
                figures=(("6,000", 6000, 6000, 6000, "troops", False),))
    return group_claims(story.hits)


def test_dead_and_people_killed_are_one_quantity(blast_groups):
    killed = [g for g in blast_groups if g.predicate == "killed"]
    expected = sorted([sorted([F_BLAST, G_DEAD]), [G_DIED]])
    assert sorted(sorted(quoted(g)) for g in killed) == expected
    twenty = group_quoting(killed, G_DEAD)
    twenty_five = group_quoting(killed, G_DIED)
    assert twenty.conflicts_with == [twenty_five.id]
    assert twenty_five.conflicts_with == [twenty.id]
    assert twenty.headline == "20 people killed — Officials, the fire brigade"
    assert twenty.independent_sources == 2


def test_people_without_a_predicate_do_not_corroborate_a_death_toll(blast_groups):
    vigil = group_quoting(blast_groups, G_VIGIL)
    assert quoted(vigil) == {G_VIGIL}
    assert vigil.predicate is None
    assert vigil.conflicts_with == []


def test_a_figure_without_unit_reads_the_word_after_it(blast_groups):
    [injured] = [g for g in blast_groups if g.predicate == "injured"]
    assert quoted(injured) == {F_BLAST}
    assert injured.figures[0].value == 30
    assert injured.conflicts_with == []


def test_movement_already_done_is_not_the_planned_total(blast_groups):
    moved = [g for g in blast_groups if g.predicate == "move"]
    assert sorted(sorted(quoted(g)) for g in moved) == sorted([[H_MOVED], [H_SENT]])
    assert {g.conflicts_with[0] for g in moved} == {g.id for g in moved}
    total = group_quoting(blast_groups, H_TOTAL)
    assert total.predicate == "deploy"  # "total" outweighs "has sent"
    assert total.conflicts_with == []


def test_figure_offsets_that_miss_the_text_fall_back_to_the_text():
    story = Story()
    story.article("k", "Ferrow Observer", date(2031, 4, 3), [H_MOVED])
    claim = story.claim("k", H_MOVED, 0.5, speaker="Brisk Annan",
                        figures=(("850", 850, 850, 850, "soldiers", False),))
    misplaced = claim.figures[0].model_copy(update={"start": 0, "end": 3})
    broken = claim.model_copy(update={"figures": [misplaced]})
    [group] = group_claims([story.hits[0].model_copy(update={"claim": broken})])
    assert group.predicate == "move"
    assert group.quotes[0].text == H_MOVED
