"""How long `claimdesk ingest` takes to stop after Ctrl-C or SIGTERM lands mid-batch.

    python bench/stop_latency.py [--count 400] [--runs 3]

Each run ingests a generated fictional corpus (bench/fictional_corpus.py) into a fresh
data folder, in its own process group, and sends the signal as soon as the first batch
is committed, while the extraction workers are busy with the next. It prints, per way
of stopping, the median seconds from the signal to the exit, the exit status, and
whether anything but the one clean line reached stderr.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STOPS = {
    "Ctrl-C (SIGINT to the group)": (signal.SIGINT, True),
    "docker stop (SIGTERM to the main process)": (signal.SIGTERM, False),
    "systemctl stop (SIGTERM to the group)": (signal.SIGTERM, True),
}


def committed(data: Path) -> int:
    try:
        with sqlite3.connect(data / "claimdesk.sqlite3", timeout=5) as db:
            return db.execute("SELECT count(*) FROM articles WHERE indexed = 1").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def stop_once(corpus: Path, data: Path, signum: int, whole_group: bool) -> tuple[float, int, list[str]]:
    child = subprocess.Popen([sys.executable, "-m", "bot.cli", "--data", str(data), "ingest", str(corpus)],
                             cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    while committed(data) == 0:
        if child.poll() is not None:
            raise SystemExit("the ingest ended before the first commit was seen; raise --count")
        time.sleep(0.02)
    sent = time.monotonic()
    if whole_group:
        os.killpg(child.pid, signum)
    else:
        child.send_signal(signum)
    _, stderr = child.communicate(timeout=300)
    return time.monotonic() - sent, child.returncode, stderr.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=400, help="generated articles (100 to a batch)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdesk-stop-") as folder:
        corpus = Path(folder) / "corpus"
        subprocess.run([sys.executable, str(REPO / "bench" / "fictional_corpus.py"), str(corpus),
                        "--count", str(args.count), "--format", "jsonl"], check=True)
        for how, (signum, whole_group) in STOPS.items():
            seconds, statuses, extra = [], set(), 0
            for run in range(args.runs):
                took, status, lines = stop_once(corpus / "generated.jsonl", Path(folder) / f"data-{how[:6]}-{run}",
                                                signum, whole_group)
                seconds.append(took)
                statuses.add(status)
                extra += len(lines) - 1
            print(f"{how}: median {statistics.median(seconds):.2f} s to exit (max {max(seconds):.2f}), "
                  f"exit status {sorted(statuses)}, {extra} stderr line(s) beyond the one clean line")


if __name__ == "__main__":
    main()
