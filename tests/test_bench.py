"""The benchmark harness's own parts (bench/): queries drawn from a corpus, failed queries
counted apart, the generated corpus's shape, corpora spread as servers hold them.

Every article here is fictional, written for these tests. The figures themselves are
never asserted: ``python -m bench`` prints them.
"""

import json
import random
import re
from pathlib import Path

from bench import real_corpus
from bench.__main__ import MANIFEST, SHARED, _without, generate, read_records, spread
from bench.ingest_speed import interleaved
from bench.query_latency import measure, summary
from bench.query_mix import Vocabulary
from bench.scale_corpus import BigramModel, claim_sentence, write_chunks
from commands import CommandContext
from index.library import Library

# Fictional articles on unrelated kinds of story.
RECORDS = [
    {"outlet": "The Fenwick Gazette", "text": "Council budget vote delayed. Councillor Imra Hollis said the budget "
     "would cut 40 posts. The budget vote was delayed again on Tuesday. Residents said the budget was unfair."},
    {"outlet": "Tarn Valley Radio", "text": "Floodwater reached the old bridge. Engineer Bo Castellane said 300 homes "
     "were flooded overnight. The floodwater receded by Friday, said Bo Castellane."},
    {"outlet": "The Fenwick Gazette", "text": "A court in Fenwick heard the fraud case. Prosecutor Lia Marren told the "
     "court that 12 invoices were forged. The court adjourned the fraud case until March."},
]


def test_vocabulary_draws_content_words_pairs_speakers_and_outlets():
    vocabulary = Vocabulary(RECORDS)
    assert vocabulary.words[0] == "budget"
    assert "the" not in vocabulary.words and "was" not in vocabulary.words
    assert ("fraud", "case") in vocabulary.pairs
    for name in ("Imra Hollis", "Bo Castellane", "Lia Marren"):  # titles may come with them
        assert any(speaker.endswith(name) for speaker in vocabulary.speakers), name
    assert vocabulary.outlets[0] == "The Fenwick Gazette"


def test_query_lines_are_commands_with_some_filters():
    vocabulary = Vocabulary(RECORDS)
    rng = random.Random(1)
    claims = vocabulary.lines("claims", 200, rng)
    assert len(claims) == 200 and all(line.startswith("/claims ") for line in claims)
    assert any("speaker:" in line for line in claims) and any("outlet:" in line for line in claims)
    assert sum(":" not in line for line in claims) > 100  # most queries are plain words
    search = vocabulary.lines("search", 100, rng)
    assert not any("speaker:" in line for line in search)  # /search has no speaker filter
    who = vocabulary.lines("who", 20, rng)
    assert all(line.removeprefix("/who ").split(" about:")[0] in vocabulary.speakers for line in who)


def test_failed_queries_are_counted_apart(tmp_path: Path):
    corpus = write_chunks(tmp_path / "corpus", iter([{**r, "id": f"t{n}", "title": r["text"].split(".")[0]}
                                                     for n, r in enumerate(RECORDS)]))
    with Library(tmp_path / "data", extractor=lambda articles: [[] for _ in articles]) as library:
        library.ingest_paths(corpus, corpus="guild-1")
        contexts = [CommandContext(library=library, corpora=["guild-1", SHARED])]
        result = measure(contexts, ["/search budget", "/search budget page:0", "/search flooded", "/search -budget"])
    assert result["n"] == 2 and result["failed"] == 2
    assert result["p50"] <= result["p95"] <= result["p99"] <= result["max"]


def test_summary_percentiles():
    figures = summary([float(n) for n in range(1, 101)])
    assert (figures["n"], figures["p50"], figures["p95"], figures["p99"], figures["max"]) == (100, 51.0, 95.0, 99.0, 100.0)
    assert summary([]) == {"n": 0}


def test_bigram_model_sentences_end_and_claims_carry_a_speaker_and_a_figure():
    model = BigramModel.train(r["text"] for r in RECORDS)
    assert {"posts", "homes", "invoices"} <= set(model.units)
    rng = random.Random(4)
    for _ in range(50):
        assert re.search(r"[.!?]$", model.sentence(rng))
        sentence = claim_sentence(model, rng, "Orla Venn")
        assert "Orla Venn" in sentence
        assert re.search(r"\d", sentence) or sentence.startswith('"')


def test_corpus_files_are_dealt_to_servers_and_the_shared_corpus(tmp_path: Path):
    files = write_chunks(tmp_path, iter({"id": str(n), "text": "x"} for n in range(10)), chunk=3)
    assert [len(p.read_text().splitlines()) for p in files] == [3, 3, 3, 1]
    assert json.loads(files[3].read_text())["id"] == "9"
    plan = spread(files, guilds=2)
    assert plan == {"guild-1": [str(files[0]), str(files[3])], "guild-2": [str(files[1])], SHARED: [str(files[2])]}


def test_servers_ingest_side_by_side_so_a_run_cut_short_fills_every_corpus():
    plan = {"guild-1": ["a1", "a2", "a3"], "guild-2": ["b1"], SHARED: ["s1", "s2"]}
    assert interleaved(plan) == [("guild-1", "a1"), ("guild-2", "b1"), (SHARED, "s1"),
                                 ("guild-1", "a2"), (SHARED, "s2"), ("guild-1", "a3")]
    assert _without(plan, ["a1", "s1"]) == {"guild-1": ["a2", "a3"], "guild-2": ["b1"], SHARED: ["s2"]}


def test_a_kept_corpus_is_reused_for_a_smaller_run_and_regenerated_for_a_larger_one(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(real_corpus, "DATA", tmp_path / "no-shared-data")  # template fiction: fast, offline
    first, _ = generate(tmp_path / "corpus", 12, files=4, quick=True)
    assert len(first) == 4 and (tmp_path / "corpus" / MANIFEST).exists()
    again, _ = generate(tmp_path / "corpus", 6, files=2, quick=True)  # same chunk of 3: the first two files
    assert again == first[:2]
    larger, _ = generate(tmp_path / "corpus", 24, files=8, quick=True)
    assert sum(len(p.read_text().splitlines()) for p in larger) == 24


def test_the_vocabulary_sample_takes_records_from_every_file(tmp_path: Path):
    files = write_chunks(tmp_path, iter({"id": str(n), "text": "x"} for n in range(40)), chunk=10)
    sampled = [r["id"] for r in read_records(files, limit=8)]
    assert sampled == ["0", "1", "10", "11", "20", "21", "30", "31"]


def test_extraction_ab_child_tells_changed_claims_apart(tmp_path: Path):
    """bench/extract_ab.py's side: the same article twice, the same digest; a changed figure, another."""
    import os
    import subprocess
    import sys

    from bench.machine import REPO

    story = "Flooding closes Tarn Valley road\nEngineer Bo Castellane said 300 homes were flooded overnight.\n"
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    original, changed = tmp_path / "before" / "1.txt", tmp_path / "after" / "1.txt"
    original.write_text(story, encoding="utf-8")
    changed.write_text(story.replace("300", "340"), encoding="utf-8")
    child = subprocess.run([sys.executable, str(REPO / "bench" / "extract_ab_child.py")],
                           input=json.dumps([str(original), str(original), str(changed)]) + "\n",
                           env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120)
    answer = json.loads(child.stdout)
    digests = answer["digests"]
    assert answer["claims"] >= 3 and answer["cpu"] > 0  # a claim or more from each article
    assert digests[0] == digests[1] != digests[2]
