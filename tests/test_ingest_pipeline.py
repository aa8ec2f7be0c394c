"""Ingest indexes one batch while it extracts the next, and loses nothing for it; worker
processes share a batch evenly and extract exactly what one process extracts.

Every article here is fictional, written for these tests, on several kinds of story.
"""

import threading
import time
from pathlib import Path

import pytest

from index.extract import ExtractorPool, extract_many
from index.ingest import LoadedArticle
from index.library import Library
from index.models import Article, Claim
from index.query import parse_query

STORIES = [
    ("Tarnfield council passes a budget of $18.4 million", "Council leader Ines Malvey said 12 posts would go."),
    ("Floodwater forces 300 families from homes in Lower Ebb", "The river authority said 40 streets were closed."),
    ("Two hurt in a crash on the Pellow bypass", "Police said a van hit a lorry at 7.40 a.m. on Friday."),
    ("Court jails Corvin Hale for a £2m fraud", "Judge Maud Ellery said he had forged 31 invoices."),
    ("Poll puts the Green Alliance on 34 per cent", "The pollster Norrell said it asked 1,200 voters."),
    ("Hospital in Brackwater adds 60 beds", "Its director Oona Pike said waiting lists had grown by 9%."),
    ("Striking rail staff reject a 4% offer", "Union secretary Abel Quist said members voted 71% against."),
]


def articles(count: int) -> list[Article]:
    made = []
    for n in range(count):
        headline, body = STORIES[n % len(STORIES)]
        text = f"{headline}\n\n{body} Report {n} of the day."
        made.append(Article(id=f"story-{n}", source=f"fiction/story-{n}.txt", text=text, title=headline))
    return made


def one_claim_each(batch) -> list[list[Claim]]:
    return [[Claim(article_id=a.id, corpus=a.corpus, seq=0, text=a.title, start=0, end=len(a.title))] for a in batch]


def searchable(library: Library) -> int:
    return library.search.search_articles(parse_query("report"), ["default"], limit=100).total


def test_every_batch_is_stored_indexed_and_flagged_when_ingest_returns(tmp_path: Path):
    with Library(tmp_path / "data", extractor=one_claim_each) as library:
        report = library.ingest((LoadedArticle(a) for a in articles(10)), batch_size=3)
        assert report.count("ingested") == 10
        assert library.store.count(only_unindexed=True) == 0
        assert searchable(library) == 10
        assert library.search.doc_counts() == (10, 10)


def test_a_batch_is_indexed_while_the_next_is_extracted(tmp_path: Path):
    events: list[str] = []

    def extractor(batch):
        events.append(f"extract {batch[0].id}")
        time.sleep(0.3)  # long enough for the batch before to be indexed meanwhile
        return one_claim_each(batch)

    with Library(tmp_path / "data", extractor=extractor) as library:
        write = library.search.write

        def slow_write(batch):
            time.sleep(0.5)
            write(batch)
            events.append(f"index {batch[0][0].id} ends")

        library.search.write = slow_write
        library.ingest((LoadedArticle(a) for a in articles(6)), batch_size=3)
        assert library.store.count(only_unindexed=True) == 0
    # One after the other, batch 0 would be indexed before batch 3 is extracted.
    assert events.index("extract story-3") < events.index("index story-0 ends")
    assert events[-1] == "index story-3 ends"  # ingest returns once the last batch is indexed


def test_an_indexing_failure_stops_the_ingest_and_the_next_writer_indexes_that_batch(tmp_path: Path):
    data = tmp_path / "data"
    with Library(data, extractor=one_claim_each) as library:
        write = library.search.write

        def failing_write(batch):
            if batch[0][0].id == "story-3":
                raise OSError("simulated failure while writing the index")
            write(batch)

        library.search.write = failing_write
        with pytest.raises(OSError, match="simulated"):
            library.ingest((LoadedArticle(a) for a in articles(9)), batch_size=3)
        # Stored: the first batch and the one whose indexing failed; the third never was.
        assert library.store.count() == 6
        assert library.store.count(only_unindexed=True) == 3
    with Library(data, extractor=one_claim_each) as library:  # a writer catches up on opening
        assert library.store.count(only_unindexed=True) == 0
        assert searchable(library) == 6


def test_ctrl_c_while_a_batch_is_indexed_waits_for_it_and_keeps_it(tmp_path: Path):
    data = tmp_path / "data"
    indexing = threading.Event()

    def extractor(batch):
        if batch[0].id == "story-3":
            assert indexing.wait(5)
            raise KeyboardInterrupt
        return one_claim_each(batch)

    with Library(data, extractor=extractor) as library:
        write = library.search.write

        def slow_write(batch):
            indexing.set()
            time.sleep(0.3)  # still writing when Ctrl-C lands
            write(batch)

        library.search.write = slow_write
        with pytest.raises(KeyboardInterrupt):
            library.ingest((LoadedArticle(a) for a in articles(9)), batch_size=3)
        assert library.store.count() == 3
        assert library.store.count(only_unindexed=True) == 0  # waited for, and flagged
        assert searchable(library) == 3
    with Library(data, extractor=one_claim_each) as library:
        with library.writing(timeout=1):  # the lock was let go
            pass


@pytest.mark.parametrize(("count", "chunk", "workers", "sizes"), [
    (100, 32, 2, [25, 25, 25, 25]),
    (50, 32, 2, [25, 25]),
    (33, 32, 2, [17, 16]),
    (70, 32, 3, [24, 24, 22]),
    (5, 2, 2, [2, 2, 1]),
])
def test_workers_get_even_shares_of_a_batch(count, chunk, workers, sizes):
    pool = ExtractorPool(workers, chunk=chunk)
    size = pool._chunk_size(count)
    assert [min(size, count - start) for start in range(0, count, size)] == sizes


def test_two_worker_processes_extract_what_one_process_extracts():
    batch = articles(7)
    pool = ExtractorPool(2, chunk=2)  # four chunks over two workers
    try:
        assert pool(batch) == list(extract_many(batch))
    finally:
        pool.close()
