"""The store's lookups on the ingest path use their indexes, however many articles a
corpus holds: a lookup that walks the corpus costs nothing on a test folder and a third
of ingest at 100,000 articles, so the plan SQLite chooses is what is checked.

All article text here is fictional, written for these tests.
"""

import sqlite3


def plan_of(db: sqlite3.Connection, run) -> list[str]:
    """SQLite's plan for each statement ``run`` sends."""
    sent: list[str] = []
    db.set_trace_callback(sent.append)
    try:
        run()
    finally:
        db.set_trace_callback(None)
    # The trace gives each statement with its values bound: explain those.
    return [detail for statement in sent if statement.lstrip().upper().startswith("SELECT")
            for *_, detail in db.execute("EXPLAIN QUERY PLAN " + statement).fetchall()]


def test_a_copy_is_looked_up_by_its_hash_not_by_walking_the_corpus(library, write):
    library.ingest_paths([write(f"council-{n}.txt", f"Ward {n} of Pellam votes on the bus lane budget.\n")
                          for n in range(30)], corpus="pellam-desk")
    article = library.store.get("pellam-desk", "council-7")
    plan = plan_of(library.store._db, lambda: library.store.get_copy(article))
    assert plan and all("articles_by_hash" in step or "TEMP B-TREE" in step for step in plan), plan


def test_a_claim_and_its_speakers_are_read_by_their_keys(library, write):
    library.ingest_paths([write(f"ferry-{n}.txt", f"Harbour master Ilse Varga said {n + 2} ferries were cancelled.\n")
                          for n in range(5)], corpus="pellam-desk")
    key = ("pellam-desk", "ferry-3", 0)
    plan = plan_of(library.store._db, lambda: library.store.claims_at([key]))
    claim = library.store.claims_at([key])[key]
    assert claim.speaker_id is not None and claim.text.startswith("Harbour master")
    searches = [step for step in plan if "TEMP B-TREE" not in step]
    assert len(searches) == 2 and all(step.startswith("SEARCH") and "USING INDEX" in step for step in searches), plan
