"""Grouping's own cost: the claim hits of many /claims queries, grouped again and again.

    python -m bench.grouping_speed --data DIR [--corpus guild-1 --corpus shared] [--queries 100] [--rounds 3]

The hits are read once (search and SQLite are not timed); then ``group_claims`` and
``rank_groups`` run over every query's hits, ``--rounds`` times, and the fastest round is
kept. ``--before REV`` also times the grouping code of a git revision in the same run,
alternating with this tree's, and prints the ratio and on how many queries both sides
give the same ranked groups, every field of every group (the revision's ``commands``
package is exported with ``git archive`` and imported under another name).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.claims_stages import sample_records
from bench.machine import REPO, load_average
from bench.query_latency import percentile
from bench.query_mix import Vocabulary
from commands import CommandContext, CommandError
from commands.claim_hits import search_claim_hits
from commands.claims import CLAIM_HITS
from commands.synonyms import expand_terms
from index.library import Library
from index.names import same_speaker
from index.query import QueryError, parse_query


def hit_sets(library: Library, corpora: list[str], count: int) -> list[tuple[list, list[str]]]:
    context = CommandContext(library=library, corpora=corpora)
    sets = []
    for line in Vocabulary(sample_records(library, corpora, 2000)).lines("claims", count, random.Random(17)):
        try:
            query = parse_query(line.removeprefix("/claims "))
            sets.append((search_claim_hits(context, query, limit=CLAIM_HITS, expand=expand_terms), query.positive_terms))
        except (QueryError, CommandError):
            continue
    return sets


def one_round(grouping, sets) -> tuple[list[float], list[str]]:
    """Each query's milliseconds, and its ranked groups as JSON (to compare the sides)."""
    timings, answers = [], []
    for hits, terms in sets:
        started = time.perf_counter()
        ranked = grouping.rank_groups(grouping.group_claims(hits, same_speaker=same_speaker), terms)
        timings.append((time.perf_counter() - started) * 1000)
        answers.append(json.dumps([group.model_dump(mode="json") for group in ranked], sort_keys=True))
    return timings, answers


def exported_grouping(revision: str, into: Path):
    """``commands.grouping`` of another revision, importable beside this tree's."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "commands"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    (into / "commands").rename(into / "commands_before")
    for path in (into / "commands_before").rglob("*.py"):  # its own absolute imports point at itself
        path.write_text(path.read_text().replace("from commands.", "from commands_before."))
    sys.path.insert(0, str(into))
    return importlib.import_module("commands_before.grouping")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--corpus", action="append")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="git revision whose grouping is timed against this tree's")
    args = parser.parse_args()
    corpora = args.corpus or ["guild-1", "shared"]
    load = load_average()
    with Library(args.data, readonly=True) as library:
        sets = hit_sets(library, corpora, args.queries)
    sides = {"after": importlib.import_module("commands.grouping")}
    with tempfile.TemporaryDirectory() as temporary:
        if args.before:
            sides = {"before": exported_grouping(args.before, Path(temporary)), **sides}
        best: dict[str, list[float]] = {}
        answers: dict[str, list[str]] = {}
        for _ in range(args.rounds):
            for side, grouping in sides.items():
                timings, answers[side] = one_round(grouping, sets)
                if side not in best or sum(timings) < sum(best[side]):
                    best[side] = timings
    print(f"{len(sets)} queries' hits ({sum(len(h) for h, _ in sets)} hits); load average {load} -> {load_average()}")
    for side, timings in best.items():
        print(f"{side:<6} grouping + ranking ms: p50 {percentile(timings, 0.5):.1f}  p95 {percentile(timings, 0.95):.1f}  "
              f"total {sum(timings) / 1000:.2f} s")
    if "before" in best:
        print(f"before / after total: {sum(best['before']) / sum(best['after']):.2f}x, "
              f"p95: {percentile(best['before'], 0.95) / percentile(best['after'], 0.95):.2f}x")
        same = sum(a == b for a, b in zip(answers["before"], answers["after"]))
        print(f"queries grouped and ranked identically (every group, every field): {same} of {len(sets)}")


if __name__ == "__main__":
    main()
