"""Re-ingesting is a no-op; new content under a known id or URL updates; names never collide.

All article text here is fictional, written for these tests.
"""

import json

from index.query import parse_query

TEXT = "The Orsk lighthouse was switched off on Sunday after 140 years, the harbour board said.\n"


def hits(library, words: str) -> list[str]:
    return [h.article_id for h in library.search.search_articles(parse_query(words), ["default"]).hits]


def test_ingesting_the_same_files_again_changes_nothing(library, write):
    path = write("lighthouse.txt", TEXT)
    assert library.ingest_paths([path]).count("ingested") == 1
    again = library.ingest_paths([path])
    assert [o.status for o in again.outcomes] == ["unchanged"]
    assert library.store.count() == 1
    assert library.search.doc_counts()[0] == 1


def test_new_content_under_the_same_id_updates_the_article_and_its_index_entry(library, write):
    path = write("lighthouse.txt", TEXT)
    library.ingest_paths([path])
    path.write_text(TEXT.replace("Sunday", "Monday").replace("lighthouse", "beacon"), encoding="utf-8")
    report = library.ingest_paths([path])
    assert [o.status for o in report.outcomes] == ["updated"]
    assert "Monday" in library.store.get("default", "lighthouse").text
    assert hits(library, "beacon") == ["lighthouse"]
    assert hits(library, "lighthouse") == []  # the old text is gone from the index, not left beside it
    assert library.search.doc_counts()[0] == 1


def test_the_same_url_in_another_file_updates_the_article_it_names(library, write):
    first = write("a.json", json.dumps({"url": "https://harbour.example/light", "text": TEXT}))
    second = write("b.json", json.dumps({"url": "https://harbour.example/light", "text": TEXT + "Corrected."}))
    library.ingest_paths([first])
    report = library.ingest_paths([second])
    assert [(o.status, o.article_id) for o in report.outcomes] == [("updated", "a")]
    assert library.store.count() == 1


def test_a_copy_of_a_file_under_another_name_is_not_stored_twice(library, write):
    library.ingest_paths([write("one.txt", TEXT)])
    report = library.ingest_paths([write("copy-of-one.txt", TEXT)])
    assert report.outcomes[0].status == "unchanged"
    assert "one" in report.outcomes[0].notes[0]
    assert library.store.count() == 1


def test_the_same_wire_text_from_two_outlets_is_two_articles(library, write):
    rows = [{"id": "p1", "outlet": "Coastline Post", "text": TEXT}, {"id": "r1", "outlet": "Morning Register", "text": TEXT}]
    report = library.ingest_paths([write("wire.jsonl", "\n".join(map(json.dumps, rows)))])
    assert [o.status for o in report.outcomes] == ["ingested", "ingested"]
    assert sorted(hits(library, "lighthouse")) == ["p1", "r1"]


def test_files_with_the_same_name_in_two_folders_are_both_kept(library, write):
    a = write("north/report.txt", TEXT)
    b = write("south/report.txt", "Fishing boats stayed in port at Tolvik for a third day, the coastguard said.\n")
    report = library.ingest_paths([a, b])
    ids = [o.article_id for o in report.outcomes]
    assert ids[0] == "report" and ids[1].startswith("report-") and len(set(ids)) == 2
    # ...and stay apart when ingested again.
    assert [o.status for o in library.ingest_paths([a, b]).outcomes] == ["unchanged", "unchanged"]
