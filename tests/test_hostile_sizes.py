"""Freak-sized articles: splitting and snippets take linear time and bounded work, the
whole text stays stored and searchable, and the ingest report says what was bounded.

All article text here is fictional, generated for these tests. Timings are asserted
only as generous ceilings that the quadratic code missed by orders of magnitude
(bench/hostile_inputs.py measures them); the bounds themselves are asserted by counting.
"""

import time

from commands import search
from commands.search import SearchArgs
from index.analysis import prose_terms
from index.extract.segment import bounds_note, split_article
from index.limits import (
    MAX_EXTRACTED_CHARS,
    MAX_EXTRACTED_SENTENCES,
    MAX_SENTENCE_CHARS,
    MAX_SNIPPET_MATCHES,
)
from index.models import Article, TextSpan
from index.snippets import SNIPPET_CHARS, make_snippet
from tests.conftest import context

# Sentences without figures, cues or names beyond their first word, so that claim
# extraction stays cheap and the test measures splitting, storing and searching.
PLAIN = [
    "The ferry to the islands ran late again this week.",
    "The harbour office blamed the wind and the old engines.",
    "Traders on the quay said the delays cost them custom.",
    "The new timetable starts when the repairs are done.",
]


def one_line(chars: int, sentence_length: int = 1) -> str:
    """One paragraph of about ``chars`` characters; each sentence joins ``sentence_length``
    of the plain ones."""
    rotations = [PLAIN[i:] + PLAIN[:i] for i in range(len(PLAIN))]
    joined = [", and ".join(s.rstrip(".") for s in r[:sentence_length]) + "." for r in rotations]
    sentences, size, n = [], 0, 0
    while size < chars:
        sentence = joined[n % len(joined)]
        sentences.append(sentence)
        size += len(sentence) + 1
        n += 1
    return " ".join(sentences)


def test_a_multi_megabyte_paragraph_is_split_in_bounded_linear_work():
    text = one_line(3_000_000)
    article = Article(id="big", source="fixture", text=text)
    started = time.perf_counter()
    segments = split_article(article)
    elapsed = time.perf_counter() - started
    assert len(segments) == MAX_EXTRACTED_SENTENCES
    assert all(article.text[s.start : s.end] == s.text for s in segments)
    assert segments[-1].end <= MAX_EXTRACTED_CHARS
    assert elapsed < 20  # quadratic splitting took hours on this paragraph
    assert "first 1,000 sentences" in bounds_note(article)


def test_the_character_bound_stops_splitting_at_a_whole_sentence():
    text = one_line(MAX_EXTRACTED_CHARS * 2, sentence_length=4)  # fewer sentences than their bound
    article = Article(id="big", source="fixture", text=text)
    segments = split_article(article)
    assert len(segments) < MAX_EXTRACTED_SENTENCES
    assert MAX_EXTRACTED_CHARS - 300 < segments[-1].end <= MAX_EXTRACTED_CHARS
    assert segments[-1].text.count(", and ") == 3  # never a sentence cut short by the bound
    assert "first 100,000 of 200," in bounds_note(article)


def test_a_passage_without_sentence_ends_yields_no_sentence_but_the_rest_does():
    endless = "and the water kept rising " * (MAX_SENTENCE_CHARS // 20)
    text = f"The levee held overnight.\n\n{endless}\n\nThe shelters closed on Sunday."
    article = Article(id="long", source="fixture", text=text)
    assert [s.text for s in split_article(article)] == ["The levee held overnight.", "The shelters closed on Sunday."]
    assert "1 passage(s) of over 3,000 characters" in bounds_note(article)


def test_an_ordinary_article_has_no_bounds_note():
    assert bounds_note(Article(id="a", source="f", text=" ".join(PLAIN))) == ""


def test_runs_of_marks_and_many_lines_and_spans_stay_linear():
    dots = "." * 400_000 + "x"  # a run of marks with no space after it
    wrapped = "\n".join(["the committee met again and"] * 40_000)  # hard-wrapped, lowercase lines
    lines = "\n".join(f"Share this {n}" for n in range(40_000))
    junk = [TextSpan(start=m, end=m + 10, kind="boilerplate") for m in range(0, len(lines) - 10, 40)]
    started = time.perf_counter()
    split_article(Article(id="d", source="f", text=dots))
    split_article(Article(id="w", source="f", text=wrapped), max_chars=10**9, max_sentence_chars=10**9)
    split_article(Article(id="j", source="f", text=lines, spans=junk))
    assert time.perf_counter() - started < 20  # each took minutes when quadratic


def test_a_snippet_among_100000_matching_lines_is_fast_and_small():
    body = "".join(f"gauge {n} reads high at the weir\n" for n in range(100_000))
    started = time.perf_counter()
    snippet = make_snippet(body, set(prose_terms("gauge high")))
    assert time.perf_counter() - started < 20  # the quadratic scan took minutes
    assert len(snippet.text) <= SNIPPET_CHARS
    assert snippet.highlights and len(snippet.highlights) <= MAX_SNIPPET_MATCHES


def test_the_snippet_window_holds_the_most_distinct_terms():
    body = ("the tide rose " * 40) + "then the dam gates opened as the tide rose " + ("the dam held " * 40)
    snippet = make_snippet(body, set(prose_terms("tide gates dam")))
    marked = {snippet.text[a:b] for a, b in snippet.highlights}
    assert marked == {"tide", "gates", "dam"}
    assert body[snippet.start :].startswith(snippet.text.split(" ")[0])


def test_a_huge_one_line_article_is_stored_searchable_and_noted(library, write):
    ending = " The ferry finally sailed for Lantern Point at dawn."
    path = write("ferry.txt", one_line(1_000_000) + ending)
    report = library.ingest_paths([path])
    [outcome] = report.outcomes
    assert outcome.status == "ingested"
    assert any("first 1,000 sentences" in note for note in outcome.notes)
    assert library.store.get("default", "ferry").text.endswith(ending)
    # Words only past every extraction bound are found, with a snippet.
    response = search.run(context(library), SearchArgs(query="lantern point"))
    assert [r.article_id for r in response.results] == ["ferry"]
