"""Feed polling throughput, and /claims latency while a poll runs.

    python bench/feed_poll.py [--feeds 200] [--entries 50] [--processes 2] [--worker-process] [--no-claims]
                              [--teasers] [--data DIR]

A loopback server serves FEEDS generated RSS feeds of ENTRIES fictional articles each
(bench/fictional_corpus.py; a tenth of each feed's entries also appear in the next feed,
as the same story in two feeds). The whole set is polled once, into an empty data
folder (or DIR), while another thread runs /claims queries against the same library
at a steady rate; the poll runs in a thread of this process (as the bot ran it until
issue 9's leftover was fixed), or with ``--worker-process`` in the bot's ingest worker
process (``IngestWorker.poll_feeds``, as the bot runs it now). Then everything is polled
again, which the server answers 304.

Prints: entries per second of the first poll, /claims p50 / p95 / max during it, the
time of the all-304 poll, and peak RSS of this process and of the extraction workers.
With ``--teasers`` the feeds carry only a summary and every article page is fetched.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fictional_corpus import article  # noqa: E402
from query_latency import QUERIES, percentile  # noqa: E402

from bot.discord.worker import IngestWorker  # noqa: E402
from commands import CommandContext, CommandError  # noqa: E402
from commands.ingest import IngestLimits  # noqa: E402
from commands.line import run_line  # noqa: E402
from index.feeds import FeedPollReport, FeedStore, poll_due_feeds  # noqa: E402
from index.library import Library  # noqa: E402

CORPUS = "bench-feeds"
OVERLAP = 0.1


def build_site(base: str, feeds: int, entries: int, teasers: bool,
               seed: int) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Feed XML by path, and article pages by path; links point at ``base``."""
    rng = random.Random(seed)
    stories = [article(rng, n) for n in range(feeds * entries)]
    pages = {f"/story/{s['id']}": _page(s) for s in stories}
    site: dict[str, bytes] = {}
    shared = int(entries * OVERLAP)
    for number in range(feeds):
        own = stories[number * entries:(number + 1) * entries]
        # The first stories of the next feed also run here: the same story in two feeds.
        following = stories[((number + 1) % feeds) * entries:][:shared]
        site[f"/feed/{number}.xml"] = _rss(base, f"Desk {number}", own[: entries - shared] + following, teasers)
    return site, pages


def _rss(base: str, title: str, stories: list[dict], teasers: bool) -> bytes:
    items = []
    for story in stories:
        body = "".join(f"<p>{escape(p)}</p>" for p in story["text"].split("\n\n")[1:])
        content = "" if teasers else f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        published = format_datetime(datetime.fromisoformat(story["published"]).replace(tzinfo=timezone.utc))
        items.append(f"<item><title>{escape(story['title'])}</title><link>{base}/story/{story['id']}</link>"
                     f"<guid>{story['id']}</guid><pubDate>{published}</pubDate>"
                     f"<description>{escape(story['text'][:200])}</description>{content}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{escape(title)}</title>'
            f"<link>{base}/</link><description>fictional, generated</description>{''.join(items)}</channel></rss>"
            ).encode("utf-8")


def _page(story: dict) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in story["text"].split("\n\n")[1:])
    return (f"<html><head><title>{escape(story['title'])}</title></head><body><article><h1>"
            f"{escape(story['title'])}</h1>{body}</article></body></html>").encode("utf-8")


def serve(site: dict[str, bytes], pages: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.get(self.path)
            kind = "application/rss+xml"
            if body is None:
                body, kind = pages.get(self.path), "text/html; charset=utf-8"
            if body is None:
                self.send_error(404)
                return
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def query_until(library: Library, done: threading.Event, timings: list[float], per_second: float) -> None:
    """/claims at a steady rate, as a busy newsroom would ask, until the poll is over."""
    context = CommandContext(library=library, corpora=[CORPUS])
    while not done.is_set():
        for query in QUERIES:
            if done.is_set():
                return
            started = time.perf_counter()
            try:
                run_line(context, f"/claims {query}")
            except CommandError:
                pass
            took = time.perf_counter() - started
            timings.append(took)
            if len(timings) % 300 == 0:  # partial figures, in case a long run is stopped
                print(f"  … {len(timings)} queries, p95 so far {percentile(timings, 0.95) * 1000:.0f} ms, "
                      f"{library.store.count([CORPUS])} articles stored", file=sys.stderr, flush=True)
            done.wait(max(0.0, 1 / per_second - took))


def poll_in_worker(folder: Path, now: datetime) -> FeedPollReport:
    """The poll as the bot runs it: ``IngestWorker.poll_feeds``, in the bot's ingest worker
    process (claims extracted there, in that one process), not beside the queries."""
    async def poll() -> FeedPollReport:
        worker = IngestWorker(folder, IngestLimits(max_bytes=5_000_000, allow_private_fetch=True, fetch_timeout=20),
                              "WARNING")
        try:
            return await worker.poll_feeds(now=now)
        finally:
            await worker.close()

    return asyncio.run(poll())


def _no_claims(articles: list) -> list[list]:
    return [[] for _ in articles]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--processes", type=int, default=2, help="claim extraction processes")
    parser.add_argument("--teasers", action="store_true", help="feeds carry summaries; pages are fetched")
    parser.add_argument("--data", type=Path, help="data folder (default: a new temporary one)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries-per-second", type=float, default=5.0)
    parser.add_argument("--worker-process", action="store_true",
                        help="poll in the bot's ingest worker process (IngestWorker.poll_feeds), as the bot does "
                             "(default: a thread beside the queries, as the bot did before; --processes 1 compares "
                             "like with like, since the worker extracts in one process)")
    parser.add_argument("--no-claims", action="store_true",
                        help="store articles without extracting claims: the cost of polling alone")
    args = parser.parse_args()
    if args.worker_process and args.no_claims:
        parser.error("--worker-process polls as the bot does, claims included; drop --no-claims")

    site: dict[str, bytes] = {}
    pages: dict[str, bytes] = {}
    server, base = serve(site, pages)
    feeds_xml, article_pages = build_site(base, args.feeds, args.entries, args.teasers, args.seed)
    site.update(feeds_xml)
    pages.update(article_pages)
    folder = args.data or Path(tempfile.mkdtemp(prefix="claimdesk-feedbench-"))
    with Library(folder, extract_processes=args.processes, extractor=_no_claims if args.no_claims else None) as library:
        feeds = FeedStore(library.store)
        now = datetime.now(timezone.utc)
        for number in range(args.feeds):
            feeds.add(CORPUS, f"{base}/feed/{number}.xml", title=None, channel_id=None,
                      interval=timedelta(minutes=30), now=now)
        timings: list[float] = []
        done = threading.Event()
        querier = threading.Thread(target=query_until, args=(library, done, timings, args.queries_per_second))
        querier.start()
        started = time.perf_counter()
        if args.worker_process:
            report = poll_in_worker(folder, now)
        else:
            report = poll_due_feeds(library, allow_private=True, timeout=20, max_bytes=5_000_000)
        elapsed = time.perf_counter() - started
        done.set()
        querier.join()
        started = time.perf_counter()
        again = poll_due_feeds(library, allow_private=True, timeout=20, max_bytes=5_000_000, only_due=False)
        unchanged = time.perf_counter() - started
        articles = library.store.count([CORPUS])
    server.shutdown()
    entries = report.entries_new + report.entries_linked
    extraction = "no claim extraction" if args.no_claims else f"{args.processes} extraction process(es)"
    extraction += ", polled in a worker process" if args.worker_process else ", polled beside the queries"
    kind = "teasers, pages fetched" if args.teasers else "full text"
    print(f"feeds {args.feeds} × {args.entries} entries ({kind}), {extraction}, data in {folder}")
    print(f"first poll: {report.feeds_polled} feeds, {report.entries_new} new + {report.entries_linked} linked "
          f"entries → {articles} articles in {elapsed:.1f} s = {entries / elapsed:.1f} entries/s; "
          f"{len(report.failures)} failures")
    if timings:
        print(f"/claims during the poll ({args.queries_per_second:g}/s): {len(timings)} queries, "
              f"p50 {percentile(timings, 0.5) * 1000:.0f} ms, p95 {percentile(timings, 0.95) * 1000:.0f} ms, "
              f"max {max(timings) * 1000:.0f} ms")
    print(f"second poll (all 304): {again.feeds_polled} feeds in {unchanged:.2f} s, {again.entries_new} new")
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(usage.ru_utime + usage.ru_stime for usage in (own, workers))
    print(f"CPU: {cpu:.0f} s in all = {entries / cpu:.1f} entries per CPU second (a shared machine's wall clock "
          "depends on its other jobs; this does not)")
    print(f"peak RSS: {own.ru_maxrss / 1024:.0f} MiB this process, {workers.ru_maxrss / 1024:.0f} MiB largest "
          "extraction worker")


if __name__ == "__main__":
    main()
