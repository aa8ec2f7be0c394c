"""Claim hits read their articles without the text (``Store.heads``) and show the same
fields as the whole article. The article is FICTIONAL, written for this test."""

import json

from commands.claim_hits import load_claim_hits
from index.query import parse_query

RECORD = {"id": "ferry", "outlet": "Quell Tide", "url": "https://quell-tide.example/ferry", "published": "2031-04-07",
          "title": "Ferry timetable in Quell", "text": "Ferry timetable in Quell\n\nThe Quell ferry will run 26 "
          "crossings a day from June, the harbour office said."}


def test_heads_hold_the_articles_fields_without_the_text(library, tmp_path):
    path = tmp_path / "ferry.jsonl"
    path.write_text(json.dumps(RECORD), encoding="utf-8")
    assert library.ingest_paths([path], corpus="desk").failures == []
    article = library.store.get("desk", "ferry")
    heads = library.store.heads([("desk", "ferry"), ("desk", "missing"), ("other", "ferry")])
    assert list(heads) == [("desk", "ferry")]
    head = heads[("desk", "ferry")]
    fields = ("id", "corpus", "source", "outlet", "title", "url", "published")
    assert {f: getattr(head, f) for f in fields} == {f: getattr(article, f) for f in fields}
    assert not hasattr(head, "text")
    hits = load_claim_hits(library.store, library.search.search_claims(parse_query("crossings"), ["desk"]))
    assert [(h.outlet, h.url, h.title, h.published, h.source) for h in hits] == [
        (article.outlet, article.url, article.title, article.published, article.source)]
    assert hits[0].claim.text in article.text
