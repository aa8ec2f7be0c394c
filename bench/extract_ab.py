"""An extraction speed-up as a before/after ratio from one run, and whether it changed
any claim.

    python -m bench.extract_ab --before REV [--after REV] [--limit N] [--chunk 50]

Two child processes, one with each revision's product code (exported with ``git
archive``, as ``bench/ab.py`` does; ``--after`` defaults to the working tree), load the
language model and then extract the same BBC articles in one process each, a chunk at a
time and taking turns, so that a machine whose load drifts over minutes weighs on both
sides alike; neither runs while the other does. Each side's CPU and wall seconds are
summed over the chunks, and every article's claims are compared between the two.
CPU seconds per article are the figure to compare on a shared machine; a side's
throughput with one worker per core is about its single-process rate times the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.ab import export
from bench.machine import REPO, load_average
from bench.real_corpus import DATA

CHILD = Path(__file__).with_name("extract_ab_child.py")


class Side:
    def __init__(self, name: str, tree: Path) -> None:
        self.name = name
        environment = {**os.environ, "PYTHONPATH": str(tree), "OPENBLAS_NUM_THREADS": "1"}
        self.process = subprocess.Popen([sys.executable, str(CHILD)], env=environment, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.cpu = self.wall = 0.0
        self.claims = 0
        self.digests: list[str] = []
        self._ask([])  # the model is loaded and warmed before any chunk is timed

    def extract(self, paths: list[str]) -> None:
        answer = self._ask(paths)
        self.cpu += answer["cpu"]
        self.wall += answer["wall"]
        self.claims += answer["claims"]
        self.digests.extend(answer["digests"])

    def _ask(self, paths: list[str]) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(paths) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision of the code before the change")
    parser.add_argument("--after", help="git revision after it (default: the working tree)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N BBC articles")
    parser.add_argument("--chunk", type=int, default=50, help="articles a side extracts in one turn")
    args = parser.parse_args()
    paths = [str(p) for p in sorted((DATA / "bbc").glob("*/*.txt"))[:args.limit]]
    if not paths:
        print(f"skipped: no BBC data at {DATA / 'bbc'}")
        return 0
    started_load = load_average()
    with tempfile.TemporaryDirectory(prefix="claimdesk-extract-ab-") as temporary:
        trees = {}
        for name, revision in (("before", args.before), ("after", args.after)):
            if revision is None:
                trees[name] = REPO
            else:
                (Path(temporary) / name).mkdir()
                trees[name] = export(revision, Path(temporary) / name)
        sides = [Side(name, tree) for name, tree in trees.items()]
        for turn, start in enumerate(range(0, len(paths), args.chunk)):
            chunk = paths[start:start + args.chunk]
            for side in sides if turn % 2 == 0 else reversed(sides):
                side.extract(chunk)
        for side in sides:
            side.close()
    before, after = sides
    print(f"{len(paths)} BBC articles in chunks of {args.chunk}, one process a side, turns alternating; "
          f"load average {started_load} -> {load_average()}")
    print(f"before {args.before}, after {args.after or 'working tree'}")
    for side in sides:
        print(f"{side.name:<6}  {side.cpu:7.1f} CPU s = {len(paths) / side.cpu:5.1f} articles per CPU second;  "
              f"{side.wall:7.1f} s wall = {len(paths) / side.wall:5.1f} articles/s;  {side.claims} claims")
    print(f"before / after: CPU {before.cpu / after.cpu:.2f}x, wall {before.wall / after.wall:.2f}x")
    changed = sum(b != a for b, a in zip(before.digests, after.digests))
    print(f"articles whose claims differ: {changed} of {len(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
