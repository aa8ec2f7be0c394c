"""Each input format becomes an Article with the right metadata and exact text.

All article text here is fictional, written for these tests.
"""

import json
from datetime import date

from index.library import Library

STORY = (
    "Ferry workers in Lisk walked out on Monday, the dockers' union said.\n"
    "About 1,200 workers joined the strike, according to the port authority.\n"
)


def ingest_one(library: Library, path):
    report = library.ingest_paths([path])
    assert report.failures == [], report.failures
    (outcome,) = report.outcomes
    return library.store.get("default", outcome.article_id)


def test_plain_text_takes_its_id_from_the_file_name_and_keeps_text_exact(library, write):
    path = write("lisk-ferry.txt", STORY)
    article = ingest_one(library, path)
    assert article.id == "lisk-ferry"
    assert article.text == STORY
    assert article.source == str(path)
    assert article.title is None  # the first line is a sentence, not a headline
    assert article.language == "en" or article.language is None


def test_headline_line_becomes_the_title_and_a_headline_span(library, write):
    text = "Lisk ferry strike spreads to second port\n\n" + STORY
    article = ingest_one(library, write("strike.txt", text))
    assert article.title == "Lisk ferry strike spreads to second port"
    (headline,) = [s for s in article.spans if s.kind == "headline"]
    assert article.text[headline.start : headline.end] == article.title


def test_front_matter_gives_metadata_and_is_marked_not_removed(library, write):
    text = (
        "---\ntitle: Strike in Lisk\noutlet: Coastline Post\ndate: 2025-05-02\n"
        "url: https://coastline.example/strike\nid: cp-strike-1\n---\n" + STORY
    )
    article = ingest_one(library, write("whatever.txt", text))
    assert (article.id, article.title, article.outlet) == ("cp-strike-1", "Strike in Lisk", "Coastline Post")
    assert article.published == date(2025, 5, 2)
    assert article.url == "https://coastline.example/strike"
    assert article.text == text
    meta = [s for s in article.spans if s.kind == "metadata"]
    assert meta and article.text[meta[0].start : meta[0].end].startswith("---")
    assert "outlet" not in article.body_text()


def test_date_marker_glued_to_the_first_line_is_metadata(library, write):
    text = " date 2025-02-11 On Tuesday, the port authority said 40 ships were waiting.\nMore text follows here.\n"
    article = ingest_one(library, write("glued.txt", text))
    assert article.published == date(2025, 2, 11)
    (meta,) = [s for s in article.spans if s.kind == "metadata"]
    assert article.text[meta.start : meta.end] == " date 2025-02-11 "
    assert article.body_text().lstrip().startswith("On Tuesday")


def test_sidecar_meta_json_supplies_metadata(library, write):
    path = write("ledger.md", "# Lisk strike ends\n\n" + STORY)
    write("ledger.meta.json", json.dumps({"outlet": "The Valley Ledger", "published": "2025-06-01", "url": "https://l.example/1"}))
    article = ingest_one(library, path)
    assert article.outlet == "The Valley Ledger"
    assert article.published == date(2025, 6, 1)
    assert article.title == "Lisk strike ends"  # Markdown heading marks stripped from the title only
    assert article.text.startswith("# Lisk strike ends")


def test_html_goes_through_the_main_content_extractor(library, write):
    html = """<html><head><title>Strike ends | Coastline Post</title>
    <meta property="og:site_name" content="Coastline Post">
    <meta property="article:published_time" content="2025-04-03T10:00:00Z"></head>
    <body><nav>Home | Sport | Weather | Subscribe</nav><article><h1>Lisk ferry strike ends after nine days</h1>
    <p>The dockers' union said on Thursday that its members would return to work after the port authority
    agreed to hire 150 more crew for the winter timetable.</p>
    <p>"This is what we asked for from the first day," said union leader Hedda Strand outside the terminal.</p>
    </article><footer>Cookie settings</footer></body></html>"""
    article = ingest_one(library, write("strike-ends.html", html))
    assert article.title == "Lisk ferry strike ends after nine days"
    assert article.outlet == "Coastline Post"
    assert article.published == date(2025, 4, 3)
    assert "150 more crew" in article.text
    assert "Cookie settings" not in article.text and "Subscribe" not in article.text


def test_json_file_with_one_article_and_with_a_list(library, write):
    one = write("single.json", json.dumps({"title": "One", "outlet": "Nordpress", "text": STORY}))
    many = write("many.json", json.dumps([{"id": "a1", "text": STORY}, {"id": "a2", "content": STORY + "Extra."}]))
    report = library.ingest_paths([one, many])
    assert [(o.status, o.article_id) for o in report.outcomes] == [
        ("ingested", "single"), ("ingested", "a1"), ("ingested", "a2"),
    ]
    assert library.store.get("default", "single").outlet == "Nordpress"
    assert library.store.get("default", "a2").text.endswith("Extra.")


def test_jsonl_lines_get_ids_from_the_file_and_line_unless_given(library, write):
    lines = [
        {"text": STORY, "outlet": "Morning Register", "date": "Tue, 04 Mar 2025 09:00:00 GMT"},
        {"id": "given", "text": STORY + "Second."},
    ]
    path = write("feed.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    report = library.ingest_paths([path])
    assert [o.article_id for o in report.outcomes] == ["feed-1", "given"]
    first = library.store.get("default", "feed-1")
    assert first.published == date(2025, 3, 4)  # RFC 822 dates, as feeds write them
    assert first.source == f"{path}:1"


def test_a_folder_is_walked_recursively_skipping_readmes_and_hidden_files(library, write):
    write("a/one.txt", STORY)
    write("a/b/two.md", STORY + "Two.")
    write("a/README.md", "This folder holds the fictional test articles.")
    write("a/.hidden.txt", STORY + "Hidden.")
    write("a/notes.csv", "x,y")
    report = library.ingest_paths([write.root / "a"])
    assert sorted(o.article_id for o in report.outcomes) == ["one", "two"]


def test_the_examples_corpus_ingests_cleanly(library, data_dir):
    from conftest import EXAMPLES

    report = library.ingest_paths([EXAMPLES])
    assert report.failures == []
    assert report.count("ingested") == 6
    outlets = {o for o, *_ in library.store.outlets(["default"])}
    assert outlets == {
        "The Harbour Courier", "Lowland Daily", "Eskarian Broadcasting Service", "Nordpress", "The Valley Ledger",
    }


def test_markdown_heading_marks_are_not_part_of_the_headline(library, write):
    article = ingest_one(library, write("marks.md", "## Lisk strike ends\n\n" + STORY))
    (headline,) = [s for s in article.spans if s.kind == "headline"]
    assert article.text[headline.start : headline.end] == "Lisk strike ends"
    assert article.body_text().startswith("   Lisk strike ends")
    claims = library.store.claims("default", "marks")
    assert claims and not any(c.text.startswith("#") for c in claims)
