"""/search, /article and /sources through the command layer, on a fictional story."""

import json

import pytest
from conftest import context

from commands import COMMANDS, CommandError
from commands.line import run_line

STORY = [
    {"id": "courier-1", "outlet": "Coastline Post", "published": "2025-04-01",
     "title": "Tolvik bridge closed after crack found",
     "text": "Tolvik bridge closed after crack found\n\nThe Tolvik bridge was closed on Monday after inspectors found "
             "a crack in its main span. The bridge carries 9,000 vehicles a day, the roads office said. "
             "Engineers will inspect the bridge again on Friday."},
    {"id": "register-1", "outlet": "Morning Register", "published": "2025-04-02",
     "text": "Traffic queues stretched for six kilometres around Tolvik as drivers avoided the closed crossing. "
             "A roads office engineer said the bridge might reopen within a month."},
    {"id": "register-2", "outlet": "Morning Register", "published": "2025-05-20",
     "text": "The Tolvik ferry added three crossings a day while the town waits for repairs. "
             "Ferry captains said demand had doubled."},
]


@pytest.fixture
def story(library, write):
    library.ingest_paths([write("story.jsonl", "\n".join(json.dumps(a) for a in STORY))])
    return context(library)


def test_results_are_ranked_with_the_densest_match_first(story):
    response = run_line(story, "/search bridge")
    assert [r.article_id for r in response.results] == ["courier-1", "register-1"]
    assert response.total == 2
    top = response.results[0]
    assert (top.outlet, str(top.published), top.title) == ("Coastline Post", "2025-04-01", "Tolvik bridge closed after crack found")


def test_snippets_highlight_exactly_the_matching_words(story):
    response = run_line(story, "/search crack inspectors")
    snippet = response.results[0].snippet
    marked = [snippet.text[a:b] for a, b in snippet.highlights]
    assert set(marked) == {"crack", "inspectors"}
    assert snippet.text in " ".join(STORY[0]["text"].split())


def test_filters_limit_by_outlet_and_dates(story):
    assert sorted(r.article_id for r in run_line(story, "/search tolvik outlet:register").results) == ["register-1", "register-2"]
    assert [r.article_id for r in run_line(story, "/search tolvik since:2025-04-02 until:2025-04-30").results] == ["register-1"]


def test_pages(story):
    first = run_line(story, "/search tolvik")
    assert first.total == 3 and len(first.results) == 3
    second = run_line(story, "/search tolvik page:2")
    assert second.page == 2 and second.results == []


def test_an_excluded_word_leaves_out_its_articles_and_the_total_counts_the_rest(story):
    # Queries with an excluded word are ranked by Whoosh itself, not block scoring.
    response = run_line(story, "/search tolvik -ferry")
    assert sorted(r.article_id for r in response.results) == ["courier-1", "register-1"]
    assert response.total == 2


@pytest.mark.parametrize(
    "line, message",
    [
        ('/search "bridge', "Unbalanced quote"),
        ("/search (bridge", "Unbalanced parentheses"),
        ("/search *", "Nothing to search for"),
        ("/search " + "bridge " * 2000, "keep it under 500"),
        ("/search bridge\x07", "control or invisible characters"),
        ("/search title:bridge", "Unknown filter `title:`"),
        ("/search the of", "Only very common words"),
        ("/search bridge speaker:Strand", "`speaker:` filters claims"),
        ("/search bridge page:0", "page"),
        ("/nosuch thing", "Unknown command"),
    ],
)
def test_hostile_or_malformed_queries_get_a_clear_message(story, line, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace("*", r"\*")):
        run_line(story, line)


def test_article_shows_metadata_and_head(story):
    response = run_line(story, "/article courier-1")
    assert response.outlet == "Coastline Post" and response.title.startswith("Tolvik bridge closed")
    assert response.head.startswith("Tolvik bridge closed after crack found The Tolvik bridge")
    with pytest.raises(CommandError, match="No article with id `nope`"):
        run_line(story, "/article nope")


def test_article_of_another_corpus_is_not_found(story, library):
    with pytest.raises(CommandError, match="No article"):
        run_line(context(library, "other-newsroom"), "/article courier-1")


def test_sources_counts_outlets(story):
    response = run_line(story, "/sources")
    assert response.articles == 3
    assert [(o.outlet, o.articles) for o in response.outlets] == [("Morning Register", 2), ("Coastline Post", 1)]
    assert str(response.outlets[0].earliest) == "2025-04-02" and str(response.outlets[0].latest) == "2025-05-20"


def test_every_command_declares_described_arguments():
    for command in COMMANDS.values():
        for name, field in command.args.model_fields.items():
            assert field.description, f"/{command.name} {name} needs a description (Discord shows it)"
