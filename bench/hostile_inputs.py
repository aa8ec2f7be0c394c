"""Time and memory of ingesting and querying freak-sized fictional articles.

    python bench/hostile_inputs.py [--megabytes 4.9] [--lines 100000]

Writes two generated, fictional files into a temporary folder: one paragraph of
MEGABYTES on a single line, and a file of LINES short lines that all match the query
word. Each is ingested by ``python -m bot.cli`` in a fresh data folder, then searched
and compared; every step prints its wall time and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.fictional_corpus import article  # noqa: E402


def one_line_paragraph(path: Path, megabytes: float) -> None:
    rng = random.Random(11)
    limit, parts, size, number = int(megabytes * 1_000_000), [], 0, 0
    while size < limit:
        sentences = article(rng, number)["text"].split("\n\n", 1)[1].replace("\n\n", " ")
        parts.append(sentences)
        size += len(sentences) + 1
        number += 1
    path.write_text("(Fictional, generated.) " + " ".join(parts)[:limit], encoding="utf-8")


def many_matching_lines(path: Path, lines: int) -> None:
    path.write_text("".join(f"Flood gauge {n} read high\n" for n in range(lines)), encoding="utf-8")


def claimdesk(data: Path, *args: str) -> tuple[float, int, str]:
    """Wall seconds, peak resident MiB of the child and its last output line."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot.cli", "--data", str(data), *args],
                          capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    output = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return elapsed, peak, (output[0] if output else "")[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=4.9)
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdesk-hostile-") as folder:
        root = Path(folder)
        paragraph, lines = root / "paragraph.txt", root / "lines.txt"
        one_line_paragraph(paragraph, args.megabytes)
        many_matching_lines(lines, args.lines)
        data = root / "data"
        steps = [
            (f"ingest a {args.megabytes} MB one-line paragraph", ("ingest", str(paragraph))),
            (f"ingest {args.lines:,} matching lines", ("ingest", str(lines), "--max-bytes", "50000000")),
            ("/search flood", ("ask", "/search flood")),
            ("/search gauge high", ("ask", "/search gauge high")),
            ("/compare lines paragraph", ("ask", "/compare lines paragraph")),
            ("/article lines", ("ask", "/article lines")),
        ]
        for label, step in steps:
            elapsed, peak, first_line = claimdesk(data, *step)
            print(f"{label:45s} {elapsed:7.2f} s  peak of any step so far {peak:5d} MiB  | {first_line}")


if __name__ == "__main__":
    main()
