"""Articles per second for ingestion (load, extract, store, index), where the time goes,
and what it leaves on disk.

    python -m bench.ingest_speed PATH... [--data DIR] [--corpus NAME] [--processes P]
    python -m bench.ingest_speed --bbc [--limit N]

Ingests into a fresh temporary data folder (or DIR) as ``claimdesk ingest`` does
(``Library.ingest_paths`` in batches, extraction in one worker per core, no optimize)
and prints articles/s, the time of each stage (``index.stages``: wall and CPU seconds,
each stage's share of all the CPU time of the writer and its extraction workers), the
SQLite and Whoosh sizes, and the article and claim counts. ``--bbc`` ingests the BBC
corpus of ../shared/data (written as JSON lines first, as ``python -m bench`` does).
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

from bench import real_corpus
from index import stages
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


def ingest(data: Path, plan: Plan, *, processes: int | None = None, budget_s: float | None = None,
           progress: bool = False, record: Path | None = None) -> dict:
    """Ingests the plan's files one ``ingest_paths`` call each, corpora interleaved;
    counts, seconds and the stages' wall and CPU seconds inside ``ingest_paths``. With
    ``budget_s``, no file is started once that many seconds have passed: ``files_done``
    says which were ingested whole. With ``record`` (a JSON list of files), each file is
    added to it as soon as it is ingested, so that a killed run's next one skips it."""
    recorded = json.loads(record.read_text(encoding="utf-8")) if record is not None and record.exists() else []
    started = time.perf_counter()
    counts = {"ingested": 0, "updated": 0, "unchanged": 0, "failed": 0}
    done: list[str] = []
    order = interleaved(plan)
    with Library(data, extract_processes=processes or os.cpu_count() or 1) as library:
        opened = time.perf_counter()
        stages.take()
        cpu_started = _cpu_seconds()
        for corpus, path in order:
            if budget_s is not None and time.perf_counter() - started >= budget_s:
                break
            report = library.ingest_paths([path], corpus=corpus)
            for status in counts:
                counts[status] += report.count(status)
            done.append(path)
            if record is not None:
                recorded.append(path)
                partial = record.with_suffix(".partial")
                partial.write_text(json.dumps(recorded), encoding="utf-8")
                partial.replace(record)
            if progress:
                elapsed = time.perf_counter() - opened
                print(f"ingest: {len(done)}/{len(order)} files, {counts['ingested'] + counts['updated']} articles "
                      f"in {elapsed:.0f} s ({(counts['ingested'] + counts['updated']) / elapsed:.1f}/s), "
                      f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB", file=sys.stderr,
                      flush=True)
        finished = time.perf_counter()
        timings = stages.take()
        claims = library.store.count_claims()
        articles_in_index = library.store.count()
    cpu = _cpu_seconds() - cpu_started  # the workers' share counts once they have exited
    return {"articles": counts["ingested"] + counts["updated"], **counts, "claims": claims,
            "articles_in_index": articles_in_index, "files_done": done,
            "seconds": round(finished - started, 2), "seconds_in_ingest_paths": round(finished - opened, 2),
            "cpu_seconds": round(cpu, 2),
            "stages": {name: {"wall_s": round(wall, 2), "cpu_s": round(cpu_s, 2)}
                       for name, (wall, cpu_s) in timings.items()}}


def _cpu_seconds() -> float:
    """User and system time of this process and of its children that have exited."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def stage_table(result: dict) -> list[str]:
    """One line a stage, most CPU first: its wall and CPU seconds (summed over the
    processes that ran it) and its share of the CPU seconds of all the stages."""
    timings = result.get("stages") or {}
    total_cpu = sum(t["cpu_s"] for t in timings.values()) or 1.0
    lines = [f"{'stage':<30} {'wall s':>8} {'CPU s':>8} {'CPU share':>9}"]
    for name, t in sorted(timings.items(), key=lambda item: -item[1]["cpu_s"]):
        lines.append(f"{name:<30} {t['wall_s']:>8.2f} {t['cpu_s']:>8.2f} {t['cpu_s'] / total_cpu:>9.1%}")
    lines.append(f"{'all stages':<30} {'':>8} {total_cpu:>8.2f}")
    if "cpu_seconds" in result:  # model loading in the workers, pools, imports
        lines.append(f"{'outside any stage':<30} {'':>8} {result['cpu_seconds'] - total_cpu:>8.2f}")
    return lines


def ingest_in_child(data: Path, plan: Plan, *, budget_s: float | None = None, record: Path | None = None) -> dict:
    """``ingest`` in a fresh interpreter: adds its wall time with start-up and its peak RSS.
    The child reports its progress on stderr, file by file."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(plan, handle)
    started = time.perf_counter()
    options = ["--budget", str(budget_s)] if budget_s is not None else []
    options += ["--record", str(record)] if record is not None else []
    child = subprocess.Popen([sys.executable, "-m", "bench.ingest_speed", "--data", str(data), "--plan", handle.name,
                              "--json", "--progress", *options], stdout=subprocess.PIPE, text=True)
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
    parser.add_argument("--processes", type=int, help="extraction processes (default: one per core)")
    parser.add_argument("--bbc", action="store_true", help="ingest the BBC corpus of ../shared/data")
    parser.add_argument("--limit", type=int, help="with --bbc: only its first N articles")
    parser.add_argument("--progress", action="store_true", help="a line on stderr after each file")
    parser.add_argument("--budget", type=float, help="start no file after this many seconds")
    parser.add_argument("--record", type=Path, help="a JSON list of files ingested, each added once it is")
    args = parser.parse_args()
    if args.bbc:
        args.paths = [_bbc_jsonl(args.limit)]
        if not args.paths[0]:
            print(f"skipped: no BBC data at {real_corpus.DATA / 'bbc'}")
            return
    plan = json.loads(args.plan.read_text()) if args.plan else {args.corpus: [str(p) for p in args.paths]}
    missing = [p for paths in plan.values() for p in paths if not Path(p).exists()]
    if missing or not any(plan.values()):
        print(f"skipped: {', '.join(missing) or 'no paths given'} not found")
        return
    data = args.data or Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    result = {**ingest(data, plan, processes=args.processes, budget_s=args.budget, progress=args.progress,
                       record=args.record),
              **disk_usage(data)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"articles: {result['articles']} ingested ({result['failed']} failed, {result['unchanged']} unchanged)")
    print(f"claims: {result['claims']}")
    print(f"time: {result['seconds']:.2f} s (including model load) -> {result['articles'] / result['seconds']:.1f} articles/s")
    in_ingest = result["seconds_in_ingest_paths"]
    print(f"in ingest_paths: {in_ingest:.2f} s -> {result['articles'] / in_ingest:.1f} articles/s; "
          f"{result['cpu_seconds']:.1f} CPU s in all processes -> {result['articles'] / result['cpu_seconds']:.1f} "
          "articles per CPU second")
    print("\n".join(stage_table(result)))
    print(f"sqlite: {result['sqlite_mb']:.2f} MB")
    print(f"whoosh: {result['whoosh_articles_mb'] + result['whoosh_claims_mb']:.2f} MB "
          f"(articles {result['whoosh_articles_mb']:.2f}, claims {result['whoosh_claims_mb']:.2f})")
    print(f"data folder: {data}")


def _bbc_jsonl(limit: int | None) -> str | None:
    """The BBC corpus as one JSON-lines file in a temporary folder, or None without it."""
    if not (real_corpus.DATA / "bbc").is_dir():
        return None
    out = Path(tempfile.mkdtemp(prefix="claimdesk-bbc-")) / "bbc.jsonl"
    records = real_corpus.bbc()
    with open(out, "w", encoding="utf-8") as handle:
        for n, record in enumerate(records):
            if limit is not None and n >= limit:
                break
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return str(out)


if __name__ == "__main__":
    main()
