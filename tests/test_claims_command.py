"""/claims, /who and /compare through the real index, on a fictional story written for it.

The Calder Strait ferry accident (fictional): three outlets; the coastguard's count
relayed by a wire agency; the port operator's lower count; a denial.
"""

import json

import pytest
from conftest import context

from commands import CommandError
from commands.line import run_line

ARTICLES = [
    {"id": "tide-1", "outlet": "The Tidewater Gazette", "published": "2025-09-02",
     "url": "https://tidewater.example/calder-ferry",
     "text": "Ferry runs aground in Calder Strait\n\n"
             "The coastguard said 240 passengers were rescued from the stranded ferry on Monday night.\n\n"
             "Harbourmaster Elin Rask told reporters that about 150 passengers had been rescued by the port's own boats.\n\n"
             "The port operator, Calder Lines, denied that the ferry had sailed overloaded."},
    {"id": "wire-1", "outlet": "Baltmark Wire", "published": "2025-09-02",
     "text": "Coastguard rescues 240 from grounded Calder ferry\n\n"
             "A total of 240 passengers were rescued from the ferry, the coastguard said on Monday.\n\n"
             "Harbourmaster Elín Rask said soldiers from the Calder garrison had helped with the rescue."},
    {"id": "bay-1", "outlet": "Bayside Post", "published": "2025-09-03",
     "text": "Calder ferry: questions over rescue count\n\n"
             "Some 240 passengers were rescued, Baltmark Wire reported, citing the coastguard.\n\n"
             "Rask said about 150 passengers had been rescued by the port's boats and the rest by the coastguard.\n\n"
             "Twelve passengers were treated in hospital, a hospital spokeswoman said."},
]


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    from index.library import Library

    root = tmp_path_factory.mktemp("claims")
    (root / "story.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    with Library(root / "data") as library:
        report = library.ingest_paths([root / "story.jsonl"])
        assert report.failures == []
        yield library


def group_with(response, value):
    found = [g for g in response.groups if any(f.value == value for f in g.figures)]
    assert found, f"no group with {value}: {[g.headline for g in response.groups]}"
    return found[0]


def test_every_quote_is_verbatim_at_its_offsets(story):
    response = run_line(context(story), "/claims passengers")
    assert response.groups
    for group in response.groups:
        for quote in group.quotes:
            article = story.store.get("default", quote.article_id)
            assert article.text[quote.start : quote.end] == quote.text


def test_one_fact_across_outlets_counts_outlets_and_primary_sources_apart(story):
    response = run_line(context(story), "/claims rescued")
    coastguard = group_with(response, 240)
    assert {q.outlet for q in coastguard.quotes} >= {"The Tidewater Gazette", "Baltmark Wire"}
    assert coastguard.outlets >= 2
    assert coastguard.independent_sources == 1  # the wire and the papers relay one coastguard
    assert len({q.article_id for q in coastguard.quotes}) == len(coastguard.quotes)  # one quote per article


def test_disjoint_figures_for_the_same_quantity_are_linked_both_ways(story):
    response = run_line(context(story), "/claims rescued")
    coastguard, harbour = group_with(response, 240), group_with(response, 150)
    assert harbour.id in coastguard.conflicts_with and coastguard.id in harbour.conflicts_with
    assert harbour.figures[0].approx and "150" in harbour.headline


def test_synonyms_find_other_words_for_the_same_thing(story):
    response = run_line(context(story), "/claims troops")
    texts = [q.text for g in response.groups for q in g.quotes]
    assert any("soldiers from the Calder garrison" in t for t in texts)


def test_speaker_filter_matches_any_spelling(story):
    plain = run_line(context(story), "/claims speaker:Rask")
    accented = run_line(context(story), "/claims speaker:\"Elín Rásk\"")
    speakers = {q.speaker for g in plain.groups for q in g.quotes}
    assert speakers and all("Rask" in s for s in speakers)
    assert {g.id for g in accented.groups} == {g.id for g in plain.groups}


def test_outlet_and_date_filters(story):
    by_outlet = run_line(context(story), "/claims passengers outlet:bayside")
    assert {q.outlet for g in by_outlet.groups for q in g.quotes} == {"Bayside Post"}
    later = run_line(context(story), "/claims passengers since:2025-09-03")
    assert {q.article_id for g in later.groups for q in g.quotes} == {"bay-1"}


@pytest.mark.parametrize("query", ['"unclosed', "(", "*", "x" * 10_000, "bad\x00", "text:[a TO z]"])
def test_hostile_queries_get_a_message(story, query):
    with pytest.raises(CommandError):
        run_line(context(story), f"/claims {query}")


def test_nothing_found_is_an_empty_answer(story):
    response = run_line(context(story), "/claims volcano")
    assert response.total_groups == 0 and response.groups == []


def test_another_corpus_sees_nothing(story):
    assert run_line(context(story, "someone-else"), "/claims passengers").groups == []


def test_who_gathers_a_speaker_under_every_spelling(story):
    response = run_line(context(story), "/who Elin Rask")
    assert {"Elin Rask", "Elín Rask"} <= set(response.names_seen) | {"Elin Rask"}
    assert response.outlets == 3
    quotes = [q for g in response.groups for q in g.quotes]
    assert all("Rask" in (q.speaker or "") for q in quotes)


def test_compare_lines_up_two_articles(story):
    response = run_line(context(story), "/compare tide-1 bay-1")
    assert response.first.article_id == "tide-1" and response.second.article_id == "bay-1"
    shared_values = {f.value for g in response.shared for f in g.figures}
    assert {240, 150} <= shared_values
    assert any(any(f.value == 12 for f in g.figures) for g in response.only_second)
    with pytest.raises(CommandError, match="two different articles"):
        run_line(context(story), "/compare tide-1 tide-1")


def test_terminal_shows_quotes_side_by_side_when_wide(story, monkeypatch):
    from bot.terminal import Style, render

    monkeypatch.setenv("COLUMNS", "150")
    text = render(run_line(context(story), "/claims rescued"), Style(color=False))
    row = next(line for line in text.splitlines() if "The Tidewater Gazette" in line and " │ " in line)
    assert "Baltmark Wire" in row or "Bayside Post" in row
    assert "disagrees with: #" in text
    monkeypatch.setenv("COLUMNS", "60")
    narrow = render(run_line(context(story), "/claims rescued"), Style(color=False))
    assert " │ " not in narrow and "The Tidewater Gazette" in narrow
