"""Page 2 of a /claims query just asked comes from the library's answer cache; a commit
(by this library or another writer of the folder) makes it stale; one server's cached
answers never answer another server's corpora. The real extractor and index run on
FICTIONAL articles written for these tests: every place, outlet and person is invented.
"""

import json
from pathlib import Path

import pytest

from commands import CommandContext
from commands.line import run_line
from index.answer_cache import AnswerCache
from index.library import Library

# Seven unrelated local stories, each with one figure "officials said": seven groups,
# two pages of five.
STORIES = [
    ("Harbour dredging resumes in Oskel", "Crews removed 4,100 tonnes of silt from the Oskel harbour, officials said."),
    ("Bus fares rise in Penwick", "Penwick will add 14 new bus routes next spring, officials said."),
    ("Hospital wing opens in Drayford", "The new Drayford wing has 62 beds for children, officials said."),
    ("Wildfire near Kestle contained", "The Kestle wildfire burned 930 hectares of heath, officials said."),
    ("School meals expanded in Lorrow", "Lorrow schools served 7,800 free lunches last week, officials said."),
    ("Bridge repairs in Mintle", "Repairs to the Mintle bridge will cost $3.2 million, officials said."),
    ("Census count in Varby", "The Varby census counted 18,450 households this year, officials said."),
]


def record(number: int, title: str, sentence: str, outlet: str) -> dict:
    return {"id": f"story-{number}", "title": title, "outlet": outlet, "published": "2031-03-0" + str(1 + number % 9),
            "text": f"{title}\n\n{sentence}\n\nThe work is expected to continue into the summer."}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder with the seven stories in guild-a and two of them in guild-b."""
    root = tmp_path_factory.mktemp("answer-cache")
    with Library(root / "data") as library:
        a = write_jsonl(root / "a.jsonl", [record(n, t, s, "Oskel Mercury") for n, (t, s) in enumerate(STORIES)])
        b = write_jsonl(root / "b.jsonl", [record(n, t, s, "Varby Ledger") for n, (t, s) in enumerate(STORIES[:2])])
        assert library.ingest_paths([a], corpus="guild-a").failures == []
        assert library.ingest_paths([b], corpus="guild-b").failures == []
    return root


@pytest.fixture
def library(folder: Path):
    with Library(folder / "data") as opened:
        yield opened


def ask(library: Library, line: str, *corpora: str):
    return run_line(CommandContext(library=library, corpora=list(corpora)), line)


def test_page_two_of_a_query_just_asked_is_served_from_the_cache(library):
    first = ask(library, "/claims officials", "guild-a", "shared")
    assert first.total_groups == 7 and len(first.groups) == 5
    assert (library.answers.hits, library.answers.misses) == (0, 1)
    # Spacing and corpus order do not make it another question.
    second = ask(library, "/claims   officials page:2", "shared", "guild-a")
    assert (library.answers.hits, library.answers.misses) == (1, 1)
    assert second.page == 2 and len(second.groups) == 2
    shown = [q.article_id for g in (*first.groups, *second.groups) for q in g.quotes]
    assert sorted(shown) == [f"story-{n}" for n in range(7)]  # each story once over both pages


def test_cached_pages_are_the_pages_worked_out_afresh(library, folder):
    ask(library, "/claims officials", "guild-a")
    cached = ask(library, "/claims officials page:2", "guild-a")
    assert library.answers.hits == 1
    with Library(folder / "data") as fresh:
        afresh = ask(fresh, "/claims officials page:2", "guild-a")
        assert fresh.answers.hits == 0
    assert cached.model_dump() == afresh.model_dump()


def test_another_server_asking_the_same_query_never_gets_the_first_servers_answer(library):
    ask(library, "/claims officials", "guild-a", "shared")
    other = ask(library, "/claims officials", "guild-b", "shared")
    assert library.answers.hits == 0 and library.answers.misses == 2
    assert other.total_groups == 2
    assert {q.outlet for g in other.groups for q in g.quotes} == {"Varby Ledger"}


def test_a_commit_by_another_writer_makes_the_kept_answer_stale(library, folder, tmp_path):
    before = ask(library, "/claims officials page:2", "guild-c")
    assert before.total_groups == 0
    # Another process's writer (another Library on the same folder) adds an article.
    extra = write_jsonl(tmp_path / "c.jsonl", [record(9, "Ferry timetable in Quell",
                                                      "The Quell ferry will run 26 crossings a day, officials said.",
                                                      "Quell Tide")])
    with Library(folder / "data") as writer:
        assert writer.ingest_paths([extra], corpus="guild-c").failures == []
    after = ask(library, "/claims officials", "guild-c")
    assert library.answers.hits == 0  # worked out again after the commit
    assert after.total_groups == 1 and after.groups[0].quotes[0].article_id == "story-9"


def test_a_new_article_shows_on_page_two_after_an_ingest_in_the_same_library(folder, tmp_path):
    with Library(folder / "data") as library:
        assert ask(library, "/claims officials page:2", "guild-d").total_groups == 0
        extra = write_jsonl(tmp_path / "d.jsonl", [record(n, t, s, "Lorrow Post") for n, (t, s) in enumerate(STORIES)])
        library.ingest_paths([extra], corpus="guild-d")
        page_two = ask(library, "/claims officials page:2", "guild-d")
        assert page_two.total_groups == 7 and len(page_two.groups) == 2
        assert library.answers.hits == 0


def test_the_cache_keeps_its_capacity_dropping_the_least_recently_used():
    cache = AnswerCache(capacity=3)
    for key in "abc":
        cache.get_or_compute(key, 1, lambda key=key: key.upper())
    assert cache.get_or_compute("a", 1, lambda: "recomputed") == "A"  # a is now the most recent
    cache.get_or_compute("d", 1, lambda: "D")  # b, the least recently used, goes
    assert len(cache) == 3
    assert cache.get_or_compute("b", 1, lambda: "b again") == "b again"
    assert cache.get_or_compute("a", 1, lambda: "recomputed") == "A"


def test_a_new_index_version_drops_every_older_answer():
    cache = AnswerCache()
    cache.get_or_compute("q1", "v1", lambda: 1)
    cache.get_or_compute("q2", "v1", lambda: 2)
    assert cache.get_or_compute("q1", "v2", lambda: 10) == 10
    assert len(cache) == 1  # q2 of v1 is gone, not just ignored
    assert cache.get_or_compute("q1", "v2", lambda: 100) == 10
    assert (cache.hits, cache.misses) == (1, 3)


def test_an_answer_that_fails_is_not_kept():
    cache = AnswerCache()

    def failing():
        raise ValueError("no such thing")

    with pytest.raises(ValueError):
        cache.get_or_compute("q", 1, failing)
    assert len(cache) == 0
    assert cache.get_or_compute("q", 1, lambda: "found") == "found"


def test_who_turns_pages_from_the_cache_and_keeps_servers_apart(folder, tmp_path):
    said = [(title, sentence.replace("officials said", "Mayor Tilda Brannock said")) for title, sentence in STORIES]
    mine = write_jsonl(tmp_path / "e.jsonl", [record(n, t, s, "Kestle Star") for n, (t, s) in enumerate(said)])
    with Library(folder / "data") as library:
        assert library.ingest_paths([mine], corpus="guild-e").failures == []
        first = ask(library, "/who Brannock", "guild-e")
        second = ask(library, "/who Brannock page:2", "guild-e")
        assert first.total_groups == 7 and len(second.groups) == 2
        assert (library.answers.hits, library.answers.misses) == (1, 1)
        assert "Tilda Brannock" in " ".join(second.names_seen) and second.outlets == first.outlets == 1
        assert ask(library, "/who Brannock", "guild-a").total_groups == 0  # another server's answer is its own
        assert library.answers.misses == 2
