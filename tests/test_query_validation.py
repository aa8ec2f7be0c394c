"""Every argument is checked once, where it enters: query syntax in the query parser,
command-line values by their argparse types. A bad one gets a message saying what to
change, never a traceback and never a silently different search.

All article text here is fictional, written for these tests.
"""

import pytest

from bot.cli import main
from commands import CommandError
from commands.line import run_line
from index.query import QueryError, parse_query
from tests.conftest import context

STORY = ("The Keldt water board said on Monday that 300 homes had no water after a pipe burst, "
         "and engineers expected to restore supply by Wednesday.\n")


@pytest.fixture
def story(library, write):
    library.ingest_paths([write("water.txt", STORY)])
    return context(library)


@pytest.mark.parametrize(
    "query, message",
    [
        ("outlet:%", "`outlet:%` has no letters or digits"),
        ("outlet:-", "`outlet:-` has no letters or digits"),
        ('pipe outlet:"--"', "`outlet:--` has no letters or digits"),
        ("speaker:-", "`speaker:-` holds no name"),
        ("speaker: Keldt", "`speaker:` needs its value right after the colon"),
        ("outlet: ledger water", "`outlet:` needs its value right after the colon"),
        ("water since:", "`since:` needs its value right after the colon"),
        ("water -until:", "`until:` needs its value right after the colon"),
        ('water speaker:""', "`speaker:` needs a value"),
        ("%", "Only very common words"),
        ("the outlet:ledger", "Only very common words"),
    ],
)
def test_the_parser_refuses_filters_without_something_to_match(query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        parse_query(query)


def test_a_colon_after_an_ordinary_word_is_still_just_a_word():
    query = parse_query("Update: water -pipe: %")
    assert [c.alternatives for c in query.clauses] == [["Update"], ["water"], ["pipe"], ["%"]]
    assert query.speaker is None and query.outlet is None


@pytest.mark.parametrize("command", ["/search", "/claims", "/who Keldt about:"])
@pytest.mark.parametrize("query", ["outlet:%", "outlet:-", "outlet:'", "speaker:", "outlet:"])
def test_each_query_command_answers_a_bad_filter_with_a_message(story, command, query):
    separator = "" if command.endswith(":") else " "
    with pytest.raises(CommandError, match="outlet:|speaker:"):
        run_line(story, f"{command}{separator}{query}")


def test_punctuation_beside_words_is_ignored_as_before(story):
    assert [r.article_id for r in run_line(story, "/search water %").results] == ["water"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["ingest", "x.txt", "--corpus", ""], "argument --corpus: '' is not a corpus name"),
        (["ingest", "x.txt", "--corpus", "two words"], "is not a corpus name; use 1 to 100 letters"),
        (["ingest", "x.txt", "--max-bytes", "-5"], "argument --max-bytes: '-5' is not a whole number above 0"),
        (["ingest", "x.txt", "--max-bytes", "0"], "is not a whole number above 0"),
        (["extract", "x.txt", "--max-bytes", "lots"], "'lots' is not a whole number above 0"),
        (["ask", "/sources", "--corpus", " "], "is not a corpus name"),
        (["sources", "--corpus=-x"], "is not a corpus name"),
        (["sync", "--guild", "-1"], "is not a whole number above 0"),
    ],
)
def test_bad_command_line_values_stop_before_anything_runs(argv, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        main(["--data", str(tmp_path / "data"), *argv])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_a_bad_shared_corpus_setting_is_named(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("CLAIMDESK_SHARED_CORPUS", "two words")
    assert main(["--data", str(tmp_path / "data"), "sources"]) == 2
    assert "SHARED_CORPUS: Value error, a corpus name is 1 to 100 letters" in capsys.readouterr().err
