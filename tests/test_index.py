"""The search index: analysis, tenancy, rebuilds and locks, on real files (damage: test_data_safety.py).

All article text here is fictional, written for these tests.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import index.library as library_module
import index.search as search_module
from index.library import Library
from index.locking import WriterBusy, writer_lock
from index.query import parse_query

ARTICLES = {
    "accent.txt": "Colonel Dragan Petrovíc said the convoy was running two days late.\n",
    "plain.txt": "The harbour board runs the ferries; its chair said 12 boats were idle.\n",
}


def found(library, words, corpora=("default",)):
    return sorted(h.article_id for h in library.search.search_articles(parse_query(words), list(corpora)).hits)


@pytest.fixture
def filled(library, write):
    library.ingest_paths([write(name, text) for name, text in ARTICLES.items()])
    return library


def test_accents_fold_both_ways(filled):
    assert found(filled, "Petrovic") == ["accent"]
    assert found(filled, "Petróvic") == ["accent"]


def test_porter2_stemming_meets_word_forms(filled):
    assert found(filled, "run") == ["accent", "plain"]  # running, runs
    assert found(filled, "running") == ["accent", "plain"]


def test_phrases_or_and_exclusion(filled):
    assert found(filled, '"harbour board"') == ["plain"]
    assert found(filled, '"board harbour"') == []
    assert found(filled, "convoy OR ferries") == ["accent", "plain"]
    assert found(filled, "run -convoy") == ["plain"]


def test_a_corpus_never_sees_another(library, write):
    library.ingest_paths([write("a.txt", ARTICLES["plain.txt"])], corpus="north-desk")
    library.ingest_paths([write("b.txt", ARTICLES["accent.txt"])], corpus="south-desk")
    assert found(library, "said", ["north-desk"]) == ["a"]
    assert found(library, "said", ["south-desk"]) == ["b"]
    assert found(library, "said", []) == []
    assert library.search.count(["north-desk"]) == (1, library.store.count_claims(["north-desk"]))


def test_reindex_rebuilds_the_same_answers(filled):
    before = found(filled, "said")
    assert filled.reindex() == 2
    assert found(filled, "said") == before


def test_a_rebuild_writes_every_article_once_in_commits_of_many(library, write, monkeypatch):
    library.ingest_paths([write(f"ward-{n}.txt", f"Ward {n} councillor Ines Marl said the bus lane cost "
                                f"{n + 1} million crowns.\n") for n in range(7)])
    before = (found(library, "councillor"), sorted((h.article_id, h.seq) for h in
                                                  library.search.search_claims(parse_query("crowns"), ["default"])))
    counts = library.search.doc_counts()
    commits = []
    writing = search_module._writing

    class Counted(writing):
        def __exit__(self, *exc):
            commits.append(exc[0])
            return super().__exit__(*exc)

    monkeypatch.setattr(search_module, "_writing", Counted)
    monkeypatch.setattr(search_module, "BUILD_COMMIT_ARTICLES", 3)
    monkeypatch.setattr(library_module, "BATCH_SIZE", 2)  # read from the store 2, 2, 2 and 1 at a time
    assert library.reindex() == 7
    # Committed 4 and 3 at a time, each in both indexes, then the build's merge of each.
    assert commits == [None] * (2 * 2 + 2)
    assert library.search.doc_counts() == counts
    after = (found(library, "councillor"), sorted((h.article_id, h.seq) for h in
                                                 library.search.search_claims(parse_query("crowns"), ["default"])))
    assert after == before and len(before[0]) == 7 and len(before[1]) == 7


def test_articles_stored_but_not_indexed_are_indexed_on_next_open(filled, data_dir):
    filled.store.mark_all_unindexed()  # as if the process died between the two commits
    filled.close()
    with Library(data_dir) as reopened:
        assert reopened.store.count(only_unindexed=True) == 0
        assert reopened.search.doc_counts()[0] == 2


def hold_lock_in_child(data_dir, ready):
    live = data_dir / "whoosh" / (data_dir / "whoosh" / "CURRENT").read_text()
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from index.locking import writer_lock
        from whoosh import index
        with writer_lock(Path({str(data_dir / 'writer.lock')!r})):
            w = index.open_dir({str(live / 'articles')!r}).writer()
            Path({str(ready)!r}).touch()
            time.sleep(60)
    """)
    return subprocess.Popen([sys.executable, "-c", code])


def wait_for(path, seconds=20):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "child never took the lock"
        time.sleep(0.05)


def test_a_live_writer_keeps_its_lock_and_a_killed_ones_is_recovered(filled, data_dir, tmp_path, write):
    ready = tmp_path / "ready"
    child = hold_lock_in_child(data_dir, ready)
    try:
        wait_for(ready)
        with pytest.raises(WriterBusy, match="another claimdesk process is writing"):
            with writer_lock(data_dir / "writer.lock", timeout=0.3):
                pass
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        child.kill()
    assert (data_dir / "writer.lock").exists()  # the file stays; the kernel dropped the lock
    report = filled.ingest_paths([write("after.txt", "The Lisk tram will stop at midnight, the city said.\n")])
    assert report.count("ingested") == 1
    assert found(filled, "tram") == ["after"]
