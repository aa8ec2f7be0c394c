"""A feed poll fetches at most a budget of teaser pages (a count and a time, over all its
feeds); the entries left wait for the next poll, which comes at once, and the poll's
report says so. Against the loopback feed server; every story is fictional.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO, claimdesk_command
from feedserver import HTML_TYPE, RSS_TYPE, FeedServer, Item, Reply, page, rss, serving

from index.feeds import FeedStore, PageBudget, baseline_article_keys, poll_due_feeds
from index.library import Library

T0 = datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc)
CORPUS = "guild-9"
STORIES = [
    ("ferry-fares", "Ferry fares rise", "Fares on the Orsund ferry rise by 6 percent in May, the operator said."),
    ("school-roof", "School roof repaired", "Repairs to the Tallby school roof cost 210,000 crowns, the board said."),
    ("bridge-vote", "Bridge vote delayed", "The council delayed its vote on the Lisk bridge by two weeks, its "
                                           "chairman said."),
    ("clinic-hours", "Clinic hours cut", "The Harrow clinic will open 4 hours less a week from June, the health "
                                         "trust said."),
    ("dock-strike", "Dock workers strike", "About 300 dock workers walked out in Varby on Monday, their union "
                                           "said."),
]

DETAIL = ("The notice was posted at the town hall on Monday morning, and officials said residents could ask "
          "questions at an open meeting on Thursday evening in the library hall.")
MORE = ("A spokeswoman for the town said the decision followed months of talks with local groups, and that the "
        "full minutes of the meeting would be published on the town's website within a week. Several residents "
        "who spoke at the last meeting said they had not been told early enough, and asked for a second hearing "
        "before the summer.")


def teaser_feed(server: FeedServer) -> None:
    """A feed of five teasers (a title and a line), each article on its own page."""
    items = []
    for slug, title, text in STORIES:
        path = f"/local/{slug}.html"
        server.routes[path] = Reply(page(title, f"{text} {DETAIL}\n\n{MORE}"), headers={"Content-Type": HTML_TYPE})
        items.append(Item(title=title, link=server.url(path), guid=f"teaser-{slug}", summary=text[:40]))
    server.routes["/feed.xml"] = lambda headers: (
        Reply(status=304, headers={"ETag": '"one"'}) if headers.get("if-none-match") == '"one"' else
        Reply(rss("Orsund Local", items), headers={"Content-Type": RSS_TYPE, "ETag": '"one"'}))


def page_requests(server: FeedServer) -> int:
    return sum(path.startswith("/local/") for path, _ in server.requests)


def poll(library: Library, now: datetime, budget: PageBudget):
    return poll_due_feeds(library, allow_private=True, timeout=5.0, max_bytes=200_000, now=now, page_budget=budget)


@pytest.fixture
def library(tmp_path: Path):
    with Library(tmp_path / "data") as lib:
        yield lib


def test_teaser_pages_beyond_the_count_wait_for_the_next_poll(library: Library) -> None:
    with serving() as server:
        teaser_feed(server)
        feed = FeedStore(library.store).add(CORPUS, server.url("/feed.xml"), title=None, channel_id=None,
                                            interval=timedelta(minutes=30), now=T0)
        first = poll(library, T0, PageBudget(pages=2))
        assert (first.entries_new, first.entries_deferred, first.failures) == (2, 3, [])
        assert page_requests(server) == 2
        assert first.notes == [f"{feed.url}: 3 entries left for the next poll (teaser pages to fetch; this poll's "
                               "budget is 2 pages or 120 s a poll)"]
        state = FeedStore(library.store).get(CORPUS, feed.id)
        assert state.next_poll_at == T0 and not state.baseline_done and state.etag is None  # due again at once

        second = poll(library, T0 + timedelta(minutes=1), PageBudget(pages=2))
        assert (second.entries_new, second.entries_deferred) == (2, 1)
        assert "if-none-match" not in server.hits("/feed.xml")[-1]  # read whole while entries wait
        third = poll(library, T0 + timedelta(minutes=2), PageBudget(pages=2))
        assert (third.entries_new, third.entries_deferred, third.notes) == (1, 0, [])

        assert page_requests(server) == 5  # each page fetched once
        assert library.store.count([CORPUS]) == 5
        # What the feed held when it was added is its baseline, however many polls it took.
        assert len(baseline_article_keys(library.store, [CORPUS])) == 5
        state = FeedStore(library.store).get(CORPUS, feed.id)
        assert state.baseline_done and state.etag == '"one"' and state.next_poll_at > T0 + timedelta(minutes=30)
        quiet = poll(library, state.next_poll_at, PageBudget(pages=2))
        assert (quiet.entries_new, quiet.entries_deferred) == (0, 0)
        assert server.hits("/feed.xml")[-1].get("if-none-match") == '"one"'


def test_no_teaser_page_is_fetched_once_the_polls_time_is_spent(library: Library) -> None:
    with serving() as server:
        teaser_feed(server)
        # A clock that moves 40 s with every page the server has answered: the third page
        # starts at 80 s, within 100 s; the fourth would start at 120 s.
        budget = PageBudget(pages=30, seconds=100, clock=lambda: 40.0 * page_requests(server))
        FeedStore(library.store).add(CORPUS, server.url("/feed.xml"), title=None, channel_id=None,
                                     interval=timedelta(minutes=30), now=T0)
        report = poll(library, T0, budget)
        assert (report.entries_new, report.entries_deferred) == (3, 2)
        assert "budget is 30 pages or 100 s a poll" in report.notes[0]
        rest = poll(library, T0 + timedelta(minutes=1), PageBudget())
        assert (rest.entries_new, rest.entries_deferred) == (2, 0) and library.store.count([CORPUS]) == 5


def test_the_budget_comes_from_the_settings_and_the_poll_report_says_what_waits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serving() as server:
        teaser_feed(server)
        with Library(data) as library:
            FeedStore(library.store).add("default", server.url("/feed.xml"), title=None, channel_id=None,
                                         interval=timedelta(minutes=30), now=T0)
        env = {**os.environ, "CLAIMDESK_ALLOW_PRIVATE_FETCH": "1", "CLAIMDESK_FEED_PAGES_PER_POLL": "1"}
        command = [*claimdesk_command(), "--data", str(data), "feeds", "poll", "--all"]
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 0, result.stderr
        assert "1 new" in result.stdout and "4 left for the next poll" in result.stdout
        assert "4 entries left for the next poll" in result.stdout and "budget is 1 pages" in result.stdout
        refused = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                                 env={**env, "CLAIMDESK_FEED_PAGES_PER_POLL": "0"})
        assert refused.returncode == 2 and "FEED_PAGES_PER_POLL" in refused.stderr
