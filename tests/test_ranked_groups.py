"""A query's groups ranked before most of them are built (``commands/grouping/ranked.py``)
come out exactly as the full path gives them: every page, every field, the same totals,
with lone figureless quotes built only when a page reaches them. The real extractor and
index run on FICTIONAL articles written for these tests: every place, outlet and person
is invented.
"""

import json

import pytest

from commands import CommandContext
from commands.claim_hits import search_claim_hits
from commands.claims import CLAIM_HITS
from commands.grouping import RankedGroups, group_claims, rank_groups
from commands.grouping.clustering import Grouping, LoneStandIn
from commands.line import run_line
from commands.synonyms import search_terms
from index.library import Library
from index.names import same_speaker
from index.query import parse_query

ARTICLES = [
    ("flood-a", "Tarrow Gazette", "2031-05-02", "Flood waters rise in Tarrow",
     "About 1,200 residents were evacuated from Tarrow on Monday, the mayor said. "
     "Residents said the water rose faster than anyone expected. "
     "The mayor said the town would rebuild the footbridge before winter."),
    ("flood-b", "Lenmouth Courier", "2031-05-02", "Tarrow evacuation widens",
     "Fire officials said 1,900 residents were evacuated from Tarrow on Monday. "
     "Residents said they had little warning before the water arrived. "
     "Fire officials denied reports that the footbridge had collapsed."),
    ("flood-c", "Tarrow Gazette", "2031-05-04", "Tarrow counts the cost",
     "The mayor said 2,300 residents had been evacuated from Tarrow by Wednesday. "
     "Shop owners said the water ruined their stock."),
    ("budget", "Oskel Mercury", "2031-05-03", "Council passes school budget",
     "The council approved a budget of $48 million for schools, the finance chair said. "
     "Parents said the new classrooms were long overdue. "
     "Teachers said class sizes would fall next year."),
    ("court", "Varby Ledger", "2031-05-03", "Jury returns verdict in Varby",
     "The jury deliberated for two days before reaching a verdict, the clerk said. "
     "Residents said the trial had divided the town. "
     "The defence lawyer said an appeal was likely."),
    ("fire", "Lenmouth Courier", "2031-05-05", "Warehouse fire in Kestle",
     "Firefighters said 14 crews fought the warehouse blaze in Kestle overnight. "
     "Neighbours said the smoke could be seen from the harbour. "
     "Residents said the warehouse had stood empty for years."),
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("ranked-groups")
    records = [{"id": key, "outlet": outlet, "published": published, "title": title, "text": f"{title}\n\n{text}"}
               for key, outlet, published, title, text in ARTICLES]
    articles = root / "articles.jsonl"
    articles.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with Library(root / "data") as library:
        assert library.ingest_paths([articles], corpus="guild-a").failures == []
    return root / "data"


QUERIES = ["residents", "evacuated", "Tarrow", "water", "said residents", "council"]


def hits_of(library, line):
    query = parse_query(line)
    context = CommandContext(library=library, corpora=["guild-a", "shared"])
    return search_claim_hits(context, query, limit=CLAIM_HITS, expand=search_terms), query.positive_terms


@pytest.mark.parametrize("line", QUERIES)
def test_every_group_in_the_order_and_with_the_fields_of_the_full_path(folder, line):
    with Library(folder, readonly=True) as library:
        hits, terms = hits_of(library, line)
    full = [group.model_dump() for group in rank_groups(group_claims(hits, same_speaker=same_speaker), terms)]
    ranked = RankedGroups(hits, terms, same_speaker)
    assert len(ranked) == len(full) > 0
    assert [group.model_dump() for group in ranked[0:5]] == full[:5]  # page 1 first, as /claims asks
    assert [group.model_dump() for group in ranked] == full
    assert [ranked[number].model_dump() for number in range(-1, -len(full) - 1, -1)] == full[::-1]


def test_lone_quotes_are_ranked_unbuilt_and_built_as_the_full_path_builds_them(folder):
    with Library(folder, readonly=True) as library:
        hits, terms = hits_of(library, "residents")
    grouping = Grouping(hits, same_speaker)
    stand_ins = [grouping.stand_in(index) for index in range(len(grouping))]
    lone = [s for s in stand_ins if isinstance(s, LoneStandIn)]
    assert lone and len(lone) < len(stand_ins)  # the fixture has both kinds
    for stand_in in lone:
        built = grouping.group(stand_in.index)
        assert built.figure is None and len(built.quotes) == 1 and not built.contradicts
        assert (built.id, built.outlets, built.independent_sources, built.score, built.newest) == (
            stand_in.id, stand_in.outlets, stand_in.independent_sources, stand_in.score, stand_in.newest)
    # A figure group, a linked group or one quoting two articles is built to be ranked.
    for stand_in in stand_ins:
        if not isinstance(stand_in, LoneStandIn):
            assert stand_in.figure is not None or len(stand_in.quotes) > 1 or stand_in.contradicts or stand_in.updates


@pytest.mark.parametrize("line", QUERIES)
def test_claims_pages_are_the_pages_of_the_full_path(folder, line):
    with Library(folder, readonly=True) as library:
        hits, terms = hits_of(library, line)
        full = rank_groups(group_claims(hits, same_speaker=same_speaker), terms)
        context = CommandContext(library=library, corpora=["guild-a", "shared"])
        pages = -(-len(full) // 5)
        for page in range(1, pages + 1):
            response = run_line(context, f"/claims {line} page:{page}")
            assert response.total_groups == len(full) and not response.total_is_lower_bound
            assert [g.model_dump() for g in response.groups] == [g.model_dump() for g in full[(page - 1) * 5 : page * 5]]
