"""A speed-up as a before/after ratio from one run: the same queries on the same data
folder, answered by the product code of two git revisions in turn.

    python -m bench.ab --before REV [--after REV] --data DIR [--before-data DIR] [--command claims] [--queries 200] [--rounds 2]

Each revision's product code is exported with ``git archive`` into a temporary folder
(nothing in the checkout or its git state changes; ``--after`` defaults to the working
tree as it is). The two sides run alternately, ``--rounds`` times each, every time in a
fresh process reading the folder read-only, so that a busy machine weighs on both alike;
each side's fastest round is kept. The CPU time of the thread answering is reported too
(each figure the least of a side's rounds): a busy machine disturbs it far less than the
wall clock. Queries are drawn from the folder's own articles (``bench/query_mix.py``)
and asked as a server asks (its corpus and ``shared``), with the answer cache emptied
before each (first-time questions), rendering included. The two sides' answers are
compared query by query (for /claims, the groups of page 1 with every field but search
scores), and the queries whose answers differ are named.

A change of the index schema cannot be read by the code before it: ``--before-data`` gives
the before side its own folder, the same stored articles indexed by the before revision
(``claimdesk reindex`` run with that revision's code on a copy of the folder).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.machine import REPO, load_average
from bench.query_mix import Vocabulary

CHILD = Path(__file__).with_name("ab_child.py")


def export(revision: str, into: Path) -> Path:
    """The revision's tree, exported (product code and all) into ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def sample_lines(data: Path, command: str, count: int, corpora: list[str]) -> list[str]:
    import sqlite3

    with sqlite3.connect(f"file:{data / 'claimdesk.sqlite3'}?mode=ro", uri=True) as db:
        rows = db.execute(f"SELECT text, outlet FROM articles WHERE corpus IN ({','.join('?' * len(corpora))}) "
                          "ORDER BY id LIMIT 3000", corpora).fetchall()
    return Vocabulary({"text": t, "outlet": o} for t, o in rows).lines(command, count, random.Random(13))


def run_side(tree: Path, data: Path, lines_file: Path, guilds: list[str]) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(CHILD), str(data), str(lines_file), *guilds], env=environment,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="git revision of the code before the change")
    parser.add_argument("--after", help="git revision after it (default: the working tree)")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--before-data", type=Path,
                        help="the before side's folder: the same articles, indexed by the before revision")
    parser.add_argument("--command", default="claims")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--guild", action="append", help="servers' corpora the queries are dealt to (default guild-1..3)")
    args = parser.parse_args()
    guilds = args.guild or ["guild-1", "guild-2", "guild-3"]
    started_load = load_average()
    with tempfile.TemporaryDirectory(prefix="claimdesk-ab-") as temporary:
        work = Path(temporary)
        lines_file = work / "lines.json"
        lines_file_text = json.dumps(sample_lines(args.data, args.command, args.queries, guilds + ["shared"]))
        lines_file.write_text(lines_file_text)
        (work / "before").mkdir()
        before = export(args.before, work / "before")
        if args.after:
            (work / "after").mkdir()
            after = export(args.after, work / "after")
        else:
            after = REPO
        rounds: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(args.rounds):
            for side, tree, data in (("before", before, args.before_data or args.data), ("after", after, args.data)):
                rounds[side].append(run_side(tree, data, lines_file, guilds))
    best = {side: min(results, key=lambda r: r["total_ms"]) for side, results in rounds.items()}
    print(f"/{args.command}, {args.queries} queries on {args.data} ({best['after']['articles']} articles, "
          f"{best['after']['claims']} claims); load average {started_load} -> {load_average()}")
    print(f"before {args.before}, after {args.after or 'working tree'}; fastest of {args.rounds} rounds each"
          + (f"; before read {args.before_data}" if args.before_data else ""))
    for side in ("before", "after"):
        figures = best[side]
        print(f"{side:<6}  p50 {figures['p50']:7.1f}  p95 {figures['p95']:7.1f}  p99 {figures['p99']:7.1f}  "
              f"total {figures['total_ms'] / 1000:6.1f} s  (answered {figures['n']}, failed {figures['failed']})")
    for figure in ("p50", "p95", "total_ms"):
        print(f"before / after {figure}: {best['before'][figure] / best['after'][figure]:.2f}x")
    # CPU time of the answering thread, each side's least over its rounds: on a machine
    # other jobs share, the wall clock says as much about them as about the code.
    cpu = {side: {figure: min(r[figure] for r in results) for figure in ("cpu_p50", "cpu_p95", "cpu_total_ms")}
           for side, results in rounds.items() if all("cpu_total_ms" in r for r in results)}
    if len(cpu) == 2:
        for side in ("before", "after"):
            print(f"{side:<6}  CPU ms  p50 {cpu[side]['cpu_p50']:7.1f}  p95 {cpu[side]['cpu_p95']:7.1f}  "
                  f"total {cpu[side]['cpu_total_ms'] / 1000:6.1f} s")
        print("before / after CPU: " + ", ".join(
            f"{figure.removeprefix('cpu_').removesuffix('_ms')} {cpu['before'][figure] / cpu['after'][figure]:.2f}x"
            for figure in ("cpu_p50", "cpu_p95", "cpu_total_ms")))
    lines = json.loads(lines_file_text)
    before_answers, after_answers = best["before"].get("answers"), best["after"]["answers"]
    if before_answers is None:
        print("answers not compared: the before side's bench/ab_child.py gives none")
        return
    differing = [line for line, a, b in zip(lines, before_answers, after_answers) if a != b]
    print(f"same answer (the page asked, every field but search scores): {len(lines) - len(differing)} of {len(lines)}")
    for line in differing[:10]:
        print(f"  differs: {line}")


if __name__ == "__main__":
    main()
