"""The ``claimdesk`` command: the same code the bot runs, one shot at a time."""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Coroutine, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from commands import feeds as feed_commands
from commands.base import CommandContext, CommandError, Response
from commands.feeds import DEFAULT_INTERVAL_MINUTES, FeedLimits
from commands.line import run_line
from index.faults import StorageFault, storage_fault
from index.feeds import FeedStore, poll_due_feeds
from index.ingest import IngestError, IngestSkip, LoadedArticle, load_paths
from index.ingest.fetch import FetchPolicy
from index.ingest.pages import load_url
from index.library import IngestReport, Library
from index.locking import WriterBusy
from index.models import DEFAULT_CORPUS, Claim

from .arguments import corpus_name, positive_int
from .inert import inert, inert_json, inert_model
from .logs import setup_logging
from .settings import Settings
from .stopping import TERMINATED_STATUS, Terminated, stop_on_sigterm
from .terminal import Style, render


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        print(f"claimdesk: a setting in the environment or .env is invalid ({problems}); fix it and retry.",
              file=sys.stderr)
        return 2
    setup_logging(settings.log_level)
    data_dir = args.data or settings.data
    stop_on_sigterm()
    _allow_open_files()
    try:
        return args.handler(args, settings, data_dir)
    except WriterBusy as exc:
        print(f"claimdesk: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into head or less, which closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush is quiet
        return 0
    except (StorageFault, OSError, sqlite3.DatabaseError) as exc:
        # Damage, a read-only folder or a full disk: what is wrong and what to run, no traceback.
        fault = storage_fault(exc, data_dir)
        if fault is None:
            raise
        print(f"claimdesk: {inert(str(fault))}", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        print("claimdesk: interrupted; every batch committed before now is kept.", file=sys.stderr)
        return 130
    except Terminated:
        print("claimdesk: stopped by SIGTERM; every batch committed before now is kept.", file=sys.stderr)
        return TERMINATED_STATUS


def _allow_open_files() -> None:
    """Raise the soft limit on open files to the hard one. Each query thread's searchers
    keep three files open per index segment, so a busy bot on a large index can pass
    the soft limit many systems set (1,024) long before the hard one."""
    try:
        import resource
    except ImportError:  # not on POSIX: nothing to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # some systems refuse an unlimited soft limit: keep what is set
            pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimdesk", description=__doc__.split("\n")[0].strip('`" ').rstrip("."))
    parser.add_argument("--data", type=Path, help="data folder (default: $CLAIMDESK_DATA or a per-user data folder)")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="add article files, folders (.txt .md .html .json .jsonl) or page URLs")
    ingest.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    ingest.add_argument("--corpus", type=corpus_name, default=DEFAULT_CORPUS, help="corpus to add them to (default: %(default)s)")
    ingest.add_argument("--max-bytes", type=positive_int, help="largest file accepted (default: $CLAIMDESK_MAX_BYTES or 5 MB)")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.set_defaults(handler=_ingest)

    ask = sub.add_parser("ask", help='run a slash command as the bot would, e.g. "/search north korea"')
    ask.add_argument("line", metavar='"/COMMAND ARGS"')
    ask.add_argument("--corpus", type=corpus_name, action="append", help="corpus to query (repeatable; default: %s)" % DEFAULT_CORPUS)
    ask.add_argument("--json", action="store_true", help="print the response model as JSON")
    ask.set_defaults(handler=_ask)

    sources = sub.add_parser("sources", help="outlets and article counts")
    sources.add_argument("--corpus", type=corpus_name, action="append", help="corpus to count (repeatable; default: %s)" % DEFAULT_CORPUS)
    sources.add_argument("--json", action="store_true", help="print the response model as JSON")
    sources.set_defaults(handler=_ask, line="/sources")

    extract = sub.add_parser("extract", help="print the claims of article files without storing them")
    extract.add_argument("paths", nargs="+", metavar="FILE")
    extract.add_argument("--json", action="store_true", help="one JSON object per article per line")
    extract.add_argument("--max-bytes", type=positive_int, help="largest file accepted (default: $CLAIMDESK_MAX_BYTES or 5 MB)")
    extract.set_defaults(handler=_extract)

    reindex = sub.add_parser("reindex", help="rebuild the search index from the stored articles")
    reindex.add_argument("--re-extract", action="store_true", help="extract every article's claims again first")
    reindex.set_defaults(handler=_reindex)

    digest = sub.add_parser("digest", help="print a digest: what arrived since a time, disagreements first")
    digest.add_argument("--since", type=_moment, default="24h", metavar="WHEN",
                        help="start of the window: a date, an ISO time, or an age such as 6h or 2d (default: 24h)")
    digest.add_argument("--until", type=_moment, metavar="WHEN", help="end of the window (default: now)")
    digest.add_argument("--corpus", type=corpus_name, action="append",
                        help="corpus to read (repeatable; default: %s)" % DEFAULT_CORPUS)
    digest.add_argument("--topics", default="", help='comma-separated /claims queries, e.g. "flood, budget"')
    digest.add_argument("--exclude", default="", help="leave out claims matching this query")
    digest.add_argument("--json", action="store_true", help="print the edition as JSON")
    digest.set_defaults(handler=_digest)

    check = sub.add_parser("check", help="look for damage in the data folder and say what to do about it")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=_check)

    run = sub.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    run.set_defaults(handler=_run)

    _feeds_parser(sub)

    sync = sub.add_parser("sync", help="register the slash commands with Discord (globally: at most 200 new a day)")
    scope = sync.add_mutually_exclusive_group()
    scope.add_argument("--guild", type=positive_int, metavar="ID",
                       help="register them in this server only, where they appear at once")
    scope.add_argument("--clear-guild", type=positive_int, metavar="ID",
                       help="remove this server's own copies (a server with both lists every command twice)")
    scope.add_argument("--clear-global", action="store_true", help="remove the global commands")
    sync.set_defaults(handler=_sync)
    return parser


def _open(data_dir: Path, *, readonly: bool, extract_processes: int = 1) -> Library:
    library = Library(data_dir, readonly=readonly, extract_processes=extract_processes)
    for notice in library.notices:
        print(f"claimdesk: {inert(notice)}", file=sys.stderr)
    return library


def _ingest(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    max_bytes = args.max_bytes or settings.max_bytes
    progress = _ProgressBar() if sys.stderr.isatty() and not args.json else None
    with _open(data_dir, readonly=False, extract_processes=os.cpu_count() or 1) as library:
        report = library.ingest(_paths_and_urls(args.paths, args.corpus, max_bytes, progress, settings))
    if progress:
        progress.finish()
    if args.json:
        print(inert_json(report.model_dump_json(indent=2)))
    else:
        print(_summary(report, data_dir))
    return 1 if report.failures else 0


def _paths_and_urls(given: Sequence[str], corpus: str, max_bytes: int, progress: _ProgressBar | None,
                    settings: Settings) -> Iterator[IngestError | LoadedArticle]:
    """Files and folders as always, then each http(s) address, fetched as safely as the bot does."""
    urls = [item for item in given if item.lower().startswith(("http://", "https://"))]
    yield from load_paths([item for item in given if item not in urls], corpus=corpus, max_bytes=max_bytes,
                          progress=progress)
    policy = FetchPolicy(allow_private=settings.allow_private_fetch, timeout=settings.fetch_timeout,
                         max_bytes=max_bytes)
    for url in urls:
        yield from load_url(url, policy, corpus=corpus)


def _feeds_parser(sub: Any) -> None:
    feeds = sub.add_parser("feeds", help="RSS and Atom feeds: add, list, remove, poll")
    actions = feeds.add_subparsers(required=True, metavar="ACTION")
    add = actions.add_parser("add", help="watch a feed (it is fetched once to check it)")
    add.add_argument("url", metavar="URL")
    add.add_argument("--corpus", type=corpus_name, default=DEFAULT_CORPUS,
                     help="corpus its articles go to (default: %(default)s)")
    add.add_argument("--interval", type=positive_int, default=DEFAULT_INTERVAL_MINUTES, metavar="MINUTES",
                     help="minutes between polls, 5 to 1440 (default: %(default)s)")
    add.add_argument("--channel", type=positive_int, metavar="ID", help="Discord channel id for notices about this feed")
    add.set_defaults(handler=_feeds_add)
    listing = actions.add_parser("list", help="feeds with their state")
    listing.add_argument("--corpus", type=corpus_name, action="append",
                         help="only this corpus (repeatable; default: every corpus)")
    listing.set_defaults(handler=_feeds_list)
    remove = actions.add_parser("remove", help="stop watching a feed; its articles stay")
    remove.add_argument("feed", metavar="NUMBER_OR_URL")
    remove.add_argument("--corpus", type=corpus_name, default=DEFAULT_CORPUS,
                        help="the feed's corpus (default: %(default)s)")
    remove.set_defaults(handler=_feeds_remove)
    poll = actions.add_parser("poll", help="poll the feeds that are due now (with --all: every feed)")
    poll.add_argument("--all", action="store_true", help="poll every feed that is not gone, due or not")
    poll.set_defaults(handler=_feeds_poll)
    for action in (add, listing, remove, poll):
        action.add_argument("--json", action="store_true", help="print the response as JSON")


def _feeds_add(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    limits = FeedLimits(allow_private_fetch=settings.allow_private_fetch, fetch_timeout=settings.fetch_timeout,
                        max_bytes=settings.max_bytes)
    return _feeds_answer(args, data_dir, [args.corpus], lambda context: feed_commands.add(
        context, feed_commands.FeedAddArgs(url=args.url, interval_minutes=args.interval), channel_id=args.channel,
        limits=limits))


def _feeds_list(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    return _feeds_answer(args, data_dir, args.corpus, feed_commands.list_feeds)


def _feeds_remove(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    return _feeds_answer(args, data_dir, [args.corpus], lambda context: feed_commands.remove(
        context, feed_commands.FeedRemoveArgs(feed=args.feed)))


def _feeds_answer(args: argparse.Namespace, data_dir: Path, corpora: list[str] | None,
                  command: Callable[[CommandContext], Response]) -> int:
    from . import terminal_feeds  # noqa: F401  (registers the feed renderers)

    with _open(data_dir, readonly=False) as library:  # feed commands keep their tables in the store
        context = CommandContext(library=library, corpora=corpora or FeedStore(library.store).corpora())
        return _print_answer(args, lambda: command(context))


def _feeds_poll(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    from .terminal_feeds import poll_summary

    with _open(data_dir, readonly=False, extract_processes=os.cpu_count() or 1) as library:
        report = poll_due_feeds(library, allow_private=settings.allow_private_fetch, timeout=settings.fetch_timeout,
                                max_bytes=settings.max_bytes, only_due=not args.all, page_budget=settings.page_budget())
    print(inert_json(report.model_dump_json(indent=2)) if args.json else poll_summary(inert_model(report)))
    return 1 if report.failures else 0


def _summary(report: IngestReport, data_dir: Path) -> str:
    shown = ("ingested", "updated", "unchanged", "failed") + (("skipped",) if report.count("skipped") else ())
    counts = ", ".join(f"{report.count(s)} {s}" for s in shown)
    lines = [f"{counts} — data in {data_dir}"]
    for outcome in report.outcomes:
        # File names and reasons may hold any character; each stays on its own line.
        source = inert(outcome.source, layout=False)
        if outcome.status in {"failed", "skipped"}:
            lines.append(f"  {outcome.status}: {source}: {inert(outcome.reason, layout=False)}")
        lines += [f"  note: {source}: {inert(note, layout=False)}" for note in outcome.notes]
    return "\n".join(lines)


def _ask(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    with _open(data_dir, readonly=True) as library:
        context = CommandContext(library=library, corpora=args.corpus or [DEFAULT_CORPUS])
        return _print_answer(args, lambda: run_line(context, args.line))


def _print_answer(args: argparse.Namespace, answer: Callable[[], Response]) -> int:
    """Prints a command's response, or what was wrong with the request (exit status 2),
    for a terminal or as JSON; what reaches the terminal is made inert."""
    try:
        response = answer()
    except (CommandError, ValidationError) as exc:
        problem = str(exc) if isinstance(exc, CommandError) else "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        if args.json:
            print(json.dumps({"error": problem}))  # ASCII-only: every control is escaped
        else:
            print(f"claimdesk: {inert(problem)}", file=sys.stderr)
        return 2
    if args.json:
        print(inert_json(response.model_dump_json(indent=2)))
    else:
        print(render(inert_model(response), Style(color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)))
    return 0


def _extract(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    from index.extract import extract_many  # loads spaCy; only this command needs it up front

    failed = 0
    loaded: list[LoadedArticle] = []
    for result in load_paths(args.paths, max_bytes=args.max_bytes or settings.max_bytes):
        if isinstance(result, IngestSkip):
            print(json.dumps({"source": result.source, "skipped": result.reason}) if args.json
                  else inert(f"skipped: {result.source}: {result.reason}"), file=sys.stdout if args.json else sys.stderr)
        elif isinstance(result, IngestError):
            failed += 1
            print(json.dumps({"source": result.source, "error": result.reason}) if args.json
                  else inert(f"failed: {result.source}: {result.reason}"), file=sys.stdout if args.json else sys.stderr)
        else:
            loaded.append(result)
    for item, claims in zip(loaded, extract_many([x.article for x in loaded])):
        article = item.article
        if args.json:
            record = {"source": article.source, "article_id": article.id,
                      "claims": [c.model_dump(mode="json", exclude={"corpus", "article_id"}) for c in claims]}
            print(inert_json(json.dumps(record, ensure_ascii=False)))
        else:
            print(inert(_claims_text(article.source, claims)))
    return 1 if failed else 0


def _claims_text(source: str, claims: list[Claim]) -> str:
    lines = [f"{source}: {len(claims)} claim(s)"]
    for claim in claims:
        who = f"{claim.speaker} ({claim.cue})" if claim.speaker else (claim.cue or "unattributed")
        via = f" via {', '.join(claim.via)}" if claim.via else ""
        figures = "; ".join(f.text + (f" [{f.unit}]" if f.unit else "") for f in claim.figures)
        lines.append(f"  [{claim.start}:{claim.end}] {who}{via}" + (f" — {figures}" if figures else ""))
        lines.append(f"      {claim.text}")
    return "\n".join(lines)


def _reindex(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    with _open(data_dir, readonly=False) as library:
        count = library.reindex(re_extract=args.re_extract)
    print(f"reindexed {count} article(s) in {data_dir}")
    return 0


def _moment(text: str) -> datetime:
    """An argparse type: ``6h`` / ``2d`` ago, a date (its midnight UTC), or an ISO time (UTC if no zone)."""
    now = datetime.now(timezone.utc)
    if age := re.fullmatch(r"(\d{1,4})\s*([hd])", text.strip().lower()):
        amount = int(age.group(1))
        return now - (timedelta(hours=amount) if age.group(2) == "h" else timedelta(days=amount))
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time; write 6h or 2d (ago), 2025-03-01, or 2025-03-01T08:00+01:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _digest(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    from commands.digest import build_digest
    from index.digests import DigestBook, split_topics

    # A reader: articles and the digest ledger are only read, so a read-only folder will do.
    with _open(data_dir, readonly=True) as library:
        context = CommandContext(library=library, corpora=args.corpus or [DEFAULT_CORPUS])
        return _print_answer(args, lambda: build_digest(
            context, DigestBook(library.store.path, readonly=True), since=args.since, until=args.until or datetime.now(timezone.utc),
            topics=split_topics(args.topics), exclude=args.exclude))


def _check(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    """Exit status 4 when something is damaged, as for damage any command finds."""
    from index.check import check_data_folder

    report = check_data_folder(data_dir)
    if args.json:
        print(inert_json(report.model_dump_json(indent=2)))
    else:
        for finding in report.findings:
            line = f"{'DAMAGED' if finding.damaged else 'ok':8} {finding.part}: {finding.what}"
            print(inert(line + (f"\n         remedy: {finding.remedy}" if finding.remedy else "")))
    return 4 if report.damaged else 0


def _run(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    from .discord.runner import run_bot  # discord.py loads only for the bot's commands

    return _with_discord(lambda: run_bot(settings.model_copy(update={"data": data_dir})))


def _sync(args: argparse.Namespace, settings: Settings, data_dir: Path) -> int:
    from .discord.runner import sync

    clear = args.clear_guild is not None or args.clear_global
    guild = args.clear_guild if clear else args.guild

    async def register() -> None:
        count = await sync(settings.model_copy(update={"data": data_dir}), guild, clear=clear)
        if clear:
            print(f"removed {count} slash commands " + (f"from server {guild}" if guild else "registered globally"))
        else:
            where = f"in server {guild}" if guild else "globally (they can take a few minutes to show)"
            print(f"registered {count} slash commands {where}")

    return _with_discord(register)


def _with_discord(start: Callable[[], Coroutine[Any, Any, None]]) -> int:
    import asyncio

    import aiohttp
    import discord

    from .discord.runner import BAD_TOKEN, NoToken

    try:
        asyncio.run(start())
    except NoToken as exc:
        print(f"claimdesk: {exc}", file=sys.stderr)
        return 2
    except discord.LoginFailure:
        print(f"claimdesk: {BAD_TOKEN}", file=sys.stderr)
        return 2
    except (aiohttp.ClientError, OSError) as exc:
        print(f"claimdesk: could not reach Discord ({exc}); check the network and try again.", file=sys.stderr)
        return 1
    return 0


class _ProgressBar:
    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        filled = int(30 * done / total) if total else 30
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} files")
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


if __name__ == "__main__":
    raise SystemExit(main())
