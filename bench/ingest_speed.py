"""Articles per second for ingestion (load, extract, store, index), and what it leaves on disk.

    python -m bench.ingest_speed PATH... [--data DIR] [--corpus NAME]

Ingests into a fresh temporary data folder (or DIR) as ``claimdesk ingest`` does
(``Library.ingest_paths`` in batches, extraction in one worker per core, no optimize)
and prints articles/s, the SQLite and Whoosh sizes, and the article and claim counts.
``python -m bench`` runs it in a child process (``ingest_in_child``) to read that
process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from index.library import Library
from index.models import DEFAULT_CORPUS
from index.search import POINTER

Plan = dict[str, list[str]]  # corpus -> the files and folders ingested into it, in order


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def disk_usage(data: Path) -> dict:
    whoosh = data / "whoosh"
    pointer = whoosh / POINTER  # the live generation; older folders keep the kinds at the top
    live = whoosh / pointer.read_text(encoding="utf-8").strip() if pointer.exists() else whoosh
    return {"sqlite_mb": round((data / "claimdesk.sqlite3").stat().st_size / 1e6, 2),
            "whoosh_articles_mb": round(folder_bytes(live / "articles") / 1e6, 2),
            "whoosh_claims_mb": round(folder_bytes(live / "claims") / 1e6, 2),
            "total_mb": round(folder_bytes(data) / 1e6, 2)}


def interleaved(plan: Plan) -> list[tuple[str, str]]:
    """(corpus, path) in the order servers side by side would ingest them: one file of
    each corpus in turn, so that a run cut short leaves every corpus partly filled."""
    queues = [[(corpus, path) for path in paths] for corpus, paths in plan.items()]
    longest = max((len(queue) for queue in queues), default=0)
    return [queue[i] for i in range(longest) for queue in queues if i < len(queue)]


def ingest(data: Path, plan: Plan, *, budget_s: float | None = None, progress: bool = False) -> dict:
    """Ingests the plan's files one ``ingest_paths`` call each, corpora interleaved;
    counts and seconds. With ``budget_s``, no file is started once that many seconds have
    passed: ``files_done`` says which were ingested whole."""
    started = time.perf_counter()
    counts = {"ingested": 0, "updated": 0, "unchanged": 0, "failed": 0}
    done: list[str] = []
    order = interleaved(plan)
    with Library(data, extract_processes=os.cpu_count() or 1) as library:
        opened = time.perf_counter()
        for corpus, path in order:
            if budget_s is not None and time.perf_counter() - started >= budget_s:
                break
            report = library.ingest_paths([path], corpus=corpus)
            for status in counts:
                counts[status] += report.count(status)
            done.append(path)
            if progress:
                elapsed = time.perf_counter() - opened
                print(f"ingest: {len(done)}/{len(order)} files, {counts['ingested'] + counts['updated']} articles "
                      f"in {elapsed:.0f} s ({(counts['ingested'] + counts['updated']) / elapsed:.1f}/s), "
                      f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB", file=sys.stderr,
                      flush=True)
        finished = time.perf_counter()
        claims = library.store.count_claims()
        articles_in_index = library.store.count()
    return {"articles": counts["ingested"] + counts["updated"], **counts, "claims": claims,
            "articles_in_index": articles_in_index, "files_done": done,
            "seconds": round(finished - started, 2), "seconds_in_ingest_paths": round(finished - opened, 2)}


def ingest_in_child(data: Path, plan: Plan, *, budget_s: float | None = None) -> dict:
    """``ingest`` in a fresh interpreter: adds its wall time with start-up and its peak RSS.
    The child reports its progress on stderr, file by file."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
    started = time.perf_counter()
    budget = ["--budget", str(budget_s)] if budget_s is not None else []
    child = subprocess.Popen([sys.executable, "-m", "bench.ingest_speed", "--data", str(data), "--plan", handle.name,
                              "--json", "--progress", *budget], stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    # wait4 gives this child's own usage (its extraction workers included, as it waits for
    # them); RUSAGE_CHILDREN would mix in every earlier child.
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    os.unlink(handle.name)
    if code != 0:
        raise RuntimeError(f"ingest child failed with exit code {code}")
    result = json.loads(output)
    return {**result, "wall_seconds_with_startup": round(wall, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--plan", type=Path, help="JSON {corpus: [paths]} instead of PATH... and --corpus")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    parser.add_argument("--progress", action="store_true", help="a line on stderr after each file")
    parser.add_argument("--budget", type=float, help="start no file after this many seconds")
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text()) if args.plan else {args.corpus: [str(p) for p in args.paths]}
    missing = [p for paths in plan.values() for p in paths if not Path(p).exists()]
    if missing or not any(plan.values()):
        print(f"skipped: {', '.join(missing) or 'no paths given'} not found")
        return
    data = args.data or Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    result = {**ingest(data, plan, budget_s=args.budget, progress=args.progress), **disk_usage(data)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"articles: {result['articles']} ingested ({result['failed']} failed, {result['unchanged']} unchanged)")
    print(f"claims: {result['claims']}")
    print(f"time: {result['seconds']:.2f} s (including model load) -> {result['articles'] / result['seconds']:.1f} articles/s")
    print(f"sqlite: {result['sqlite_mb']:.2f} MB")
    print(f"whoosh: {result['whoosh_articles_mb'] + result['whoosh_claims_mb']:.2f} MB "
          f"(articles {result['whoosh_articles_mb']:.2f}, claims {result['whoosh_claims_mb']:.2f})")
    print(f"data folder: {data}")


if __name__ == "__main__":
    main()
