"""Bad input gets a message naming the file and the reason; the rest goes on; nothing is lost.

All article text here is fictional, written for these tests.
"""

import json

import pytest

from index.query import parse_query

OTHER = "The night bus from Keldt to Orsk will run again from May, the transport office said.\n"
GOOD = "Volunteers planted 3,000 trees along the Bravane canal on Saturday, the city council said.\n"


@pytest.fixture
def stored(library, write):
    """An article already in the library, which no bad batch may lose."""
    library.ingest_paths([write("kept/trees.txt", GOOD)])
    return library


def assert_kept(library):
    assert library.store.get("default", "trees") is not None
    found = library.search.search_articles(parse_query("canal trees"), ["default"])
    assert [h.article_id for h in found.hits] == ["trees"]


def failure(report, source_part: str) -> str:
    reasons = [o.reason for o in report.failures if source_part in o.source]
    assert reasons, f"no failure for {source_part}: {report.outcomes}"
    return reasons[0]


def test_missing_path_and_empty_folder(stored, write, tmp_path):
    (tmp_path / "void").mkdir()
    good = write("new/ok.txt", OTHER)
    report = stored.ingest_paths([tmp_path / "nope.txt", tmp_path / "void", good])
    assert "no such file or folder" in failure(report, "nope.txt")
    assert "holds no article files" in failure(report, "void")
    assert report.count("ingested") == 1
    assert_kept(stored)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("blank.txt", b"", "the file is empty"),
        ("spaces.txt", b"  \n\n ", "the file is empty"),
        ("image.txt", bytes(range(256)) * 4, "binary file"),
        ("zeros.md", b"\x00\x01\x02PK\x03\x04" * 100, "binary file"),
        ("table.csv", b"a,b\n1,2\n", "unsupported file type .csv"),
        ("broken.json", b'{"text": "unterminated', "not valid JSON"),
        ("list.json", b"[]", "JSON list is empty"),
        ("number.json", b"42", "must hold an article object"),
        ("notext.json", b'{"title": "No body here"}', "has no article text"),
        ("menu.html", b"<html><body><nav>Home | News</nav><p>Log in</p></body></html>", "no article text found"),
    ],
)
def test_each_bad_file_is_named_with_its_reason(stored, write, name, content, expected):
    bad = write(f"bad/{name}", content)
    good = write("new/ok.txt", OTHER)
    report = stored.ingest_paths([bad, good])
    assert expected in failure(report, name)
    assert report.count("ingested") == 1
    assert_kept(stored)


def test_malformed_jsonl_lines_are_reported_by_number_and_the_others_kept(stored, write):
    lines = [json.dumps({"id": "l1", "text": OTHER}), "{not json", json.dumps(["a list"]), json.dumps({"id": "l4", "text": OTHER + "More."})]
    report = stored.ingest_paths([write("feed.jsonl", "\n".join(lines))])
    reasons = {o.source.rsplit(":", 1)[1]: o.reason for o in report.failures}
    assert set(reasons) == {"2", "3"}
    assert "line 2 is not valid JSON" in reasons["2"]
    assert "line 3 is not a JSON object" in reasons["3"]
    assert sorted(o.article_id for o in report.outcomes if o.status == "ingested") == ["l1", "l4"]
    assert_kept(stored)


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(stored, write):
    big = write("big.txt", GOOD * 2000)
    report = stored.ingest_paths([big], max_bytes=10_000)
    reason = failure(report, "big.txt")
    assert "over the 10,000-byte limit" in reason and "--max-bytes" in reason
    assert_kept(stored)


def test_another_encoding_is_detected_and_noted(library, write):
    text = "Le maire de Lisk a déclaré que 2 000 maisons étaient privées d'électricité après la tempête de jeudi soir."
    path = write("latin.txt", text.encode("cp1252"))
    report = library.ingest_paths([path])
    assert report.failures == []
    article = library.store.get("default", "latin")
    assert "déclaré" in article.text and "électricité" in article.text
    assert any("not valid UTF-8" in note for note in report.outcomes[0].notes)


def test_a_replacement_character_already_in_the_text_is_kept_verbatim(library, write):
    text = "The ferry to Tolvik left at 06:10 with 212 passengers on board \ufffd the harbour master said.\n"
    library.ingest_paths([write("mojibake.txt", text)])
    assert library.store.get("default", "mojibake").text == text


def test_undecodable_bytes_become_replacement_characters_with_a_note(library, write):
    raw = ("The council said 80 homes were flooded. " * 3).encode() + b"\xff\xfe\xfa" + b" End of report.\n"
    report = library.ingest_paths([write("mixed.txt", raw)])
    assert report.failures == []
    assert report.outcomes[0].notes, "a note must say the bytes were not UTF-8"


def test_jsonl_size_limit_is_per_line_so_large_exports_still_load(library, write):
    lines = [json.dumps({"id": f"n{i}", "text": f"Report number {i}: the Keldt ferry carried {i * 10} cars today."}) for i in range(60)]
    lines.insert(5, json.dumps({"id": "huge", "text": "word " * 5000}))
    lines.insert(9, b"\xff\xfe not utf-8".decode("latin-1"))
    path = write("export.jsonl", "\n".join(lines).encode("utf-8").replace("ÿþ".encode(), b"\xff\xfe"))
    report = library.ingest_paths([path], max_bytes=2_000)
    assert path.stat().st_size > 2_000
    assert report.count("ingested") == 60
    reasons = {o.source.rsplit(":", 1)[1]: o.reason for o in report.failures}
    assert "over the 2,000-byte limit" in reasons["6"]
    assert "not UTF-8" in reasons["10"]
