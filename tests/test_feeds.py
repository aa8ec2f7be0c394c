"""Feeds end to end against a loopback HTTP server: fetch, parse, identity, baseline, backoff.

Every article here is fictional, written for these tests, about several kinds of story.
Time moves through the ``now`` given to ``poll_due_feeds``, never by sleeping.
"""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from feedserver import ATOM_TYPE, HTML_TYPE, RSS_TYPE, FeedServer, Item, Reply, atom, page, rss, serving

from index.feeds import FeedStore, baseline_article_keys, normalise_link, parse_feed, poll_due_feeds
from index.feeds.links import same_site, site_of
from index.feeds.parse import FeedError
from index.library import Library

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=timezone.utc)
CORPUS = "guild-1"

BUDGET = ("The county council voted 7 to 2 on Tuesday to approve a budget of 48 million crowns for the coming "
          "year, the council clerk, Oona Brask, said after the meeting. Road repairs receive 12 million crowns, "
          "up from 9 million last year, according to the finance committee chair, Ilse Marten.\n\n"
          "Marten said the rest of the money would go to schools, the library and the harbour, and that no "
          "branch library would close. Two councillors voted against the plan, saying it left too little for "
          "flood defences along the Orm river, where 300 homes were flooded in the spring. The opposition leader, "
          "Piet Sandvik, said the council had ignored a report that asked for 5 million crowns for new barriers.")
FLOOD = ("Rescue crews evacuated 140 people from the low streets of Kellby overnight as the Orm river rose "
         "above its banks, the regional fire service said on Wednesday. No one was hurt, a spokesperson, Dag "
         "Elling, told reporters, but 60 houses were without power by morning.\n\n"
         "The river peaked at 4.2 metres at the Kellby gauge, the water authority said, the highest level since "
         "records began in 1961. Elling said crews would stay in the town until the water fell below 3 metres. "
         "The mayor of Kellby, Runa Falk, said the town hall would stay open as a shelter for a second night "
         "and that 35 people had slept there.")
COURT = ("A jury at Varholm district court found the former harbour director, Emil Thorsby, guilty on Thursday "
         "of taking 2.4 million crowns in bribes from a shipping firm over four years. Judge Maren Lund said "
         "sentencing would follow in June.\n\n"
         "Prosecutors said Thorsby had steered 11 berth contracts to the firm. His lawyer, Siv Aamot, said he "
         "would appeal, telling reporters outside the court that the verdict rested on the word of a single "
         "witness. The shipping firm, Nordkyst Lines, has denied wrongdoing and was not charged. The trial "
         "lasted six weeks and heard from 23 witnesses, the court said in a statement.")
POLL = ("The Green Alliance would win 18 percent of the vote if the election were held today, up from 14 percent "
        "in March, according to a survey of 1,200 voters published on Friday by the polling firm Kantor Nord. "
        "The governing Civic Party fell to 27 percent, the firm said.\n\n"
        "The survey's margin of error is 2.8 percentage points, Kantor Nord's head of research, Tove Rask, said. "
        "Rask said housing costs were the issue named most often, by 41 percent of those asked, ahead of health "
        "care. The election is due in September; the Civic Party has led every poll this year, but its lead has "
        "narrowed from 15 points in January to 9 points now.")


def story(server: FeedServer, slug: str, title: str, text: str) -> Item:
    """A full-text entry whose link is on the feed's own site (the loopback server)."""
    return Item(title=title, text=text, link=server.url(f"/news/{slug}"), guid=f"ledger-{slug}",
                published=datetime(2025, 5, 1, 7, 0, tzinfo=timezone.utc))


@pytest.fixture
def library(tmp_path: Path):
    with Library(tmp_path / "data") as lib:
        yield lib


def poll(library: Library, now: datetime, **options):
    settings = {"allow_private": True, "timeout": 5.0, "max_bytes": 200_000} | options
    return poll_due_feeds(library, now=now, **settings)


def add_feed(library: Library, url: str, *, corpus: str = CORPUS, interval: timedelta = timedelta(minutes=30),
             channel_id: int | None = 77):
    feed = FeedStore(library.store).add(corpus, url, title=None, channel_id=channel_id, interval=interval, now=T0)
    assert feed is not None
    return feed


def feed_state(library: Library, feed_id: int, corpus: str = CORPUS):
    return FeedStore(library.store).get(corpus, feed_id)


# ---------------------------------------------------------------- links


def test_links_are_normalised_to_one_identity() -> None:
    assert normalise_link("HTTPS://News.Example:443/a/B?id=7&utm_source=rss&utm_medium=feed&fbclid=x#top") == \
        "https://news.example/a/B?id=7"
    assert normalise_link("http://news.example/story?gclid=1&page=2&mc_cid=3") == "http://news.example/story?page=2"
    assert normalise_link("http://news.example:8080") == "http://news.example:8080/"
    assert site_of("https://feeds.ledger.example/rss") == "ledger.example"
    assert site_of("https://www.courier.co.uk/news") == "courier.co.uk"
    assert same_site("https://ledger.example/a", "https://feeds.ledger.example/rss")
    assert not same_site("https://ledger.example/a", "https://gazette.example/a")


# ---------------------------------------------------------------- polling


def test_first_poll_is_the_baseline_and_conditional_gets_cost_nothing(library: Library) -> None:
    with serving() as server:
        items = [story(server, "council-budget", "Council passes budget", BUDGET),
                 story(server, "kellby-flood", "Kellby evacuated as river rises", FLOOD)]
        etag = {"value": '"v1"'}

        def feed(headers: dict[str, str]) -> Reply:
            if headers.get("if-none-match") == etag["value"]:
                return Reply(status=304, headers={"ETag": etag["value"]})
            return Reply(rss("The Valley Ledger", items), headers={"Content-Type": RSS_TYPE, "ETag": etag["value"]})

        server.routes["/feed.xml"] = feed
        record = add_feed(library, server.url("/feed.xml"))

        first = poll(library, T0)
        assert (first.feeds_polled, first.entries_new, first.failures, first.notices) == (1, 2, [], [])
        article = library.store.get(CORPUS, "council-budget")
        assert article is not None and article.url == server.url("/news/council-budget")
        assert article.outlet == "The Valley Ledger" and article.title == "Council passes budget"
        assert "voted 7 to 2 on Tuesday" in article.text and "<p>" not in article.text
        assert baseline_article_keys(library.store, [CORPUS]) == {(CORPUS, "council-budget"), (CORPUS, "kellby-flood")}
        assert library.store.claims(CORPUS, "council-budget")  # extracted like any article

        assert poll(library, T0 + timedelta(minutes=10)).feeds_polled == 0  # not due yet
        unchanged = poll(library, T0 + timedelta(minutes=40))
        assert (unchanged.feeds_polled, unchanged.entries_new) == (1, 0)
        assert server.hits("/feed.xml")[-1]["if-none-match"] == '"v1"'
        assert "if-none-match" not in server.hits("/feed.xml")[0]

        items.insert(0, story(server, "varholm-verdict", "Former harbour director guilty of bribery", COURT))
        etag["value"] = '"v2"'
        later = poll(library, T0 + timedelta(minutes=80))
        assert (later.entries_new, later.entries_updated) == (1, 0)
        assert baseline_article_keys(library.store, [CORPUS]) == {(CORPUS, "council-budget"), (CORPUS, "kellby-flood")}
        assert library.store.count([CORPUS]) == 3
        state = feed_state(library, record.id)
        assert state.state == "active" and state.etag == '"v2"' and state.title == "The Valley Ledger"
        # The next poll is one interval away, spread by up to 10 % jitter.
        delay = state.next_poll_at - (T0 + timedelta(minutes=80))
        assert timedelta(minutes=30) <= delay <= timedelta(minutes=33)


def test_atom_teasers_fetch_their_pages_and_entries_without_guid_keep_their_identity(library: Library) -> None:
    with serving() as server:
        link = server.url("/politics/poll-greens.html")
        server.routes["/politics/poll-greens.html"] = Reply(page("Greens gain in new poll", POLL), headers={
            "Content-Type": HTML_TYPE})
        server.routes["/atom"] = Reply(atom("Ledger politics", [
            Item(title="Greens gain in new poll", link=link + "?utm_source=atom", summary="A new survey.")]),
            headers={"Content-Type": ATOM_TYPE})
        server.routes["/rss"] = Reply(rss("Ledger court", [
            Item(title="Harbour director guilty", text=COURT, link=server.url("/court/verdict"))]),
            headers={"Content-Type": RSS_TYPE})
        server.routes["/court/verdict"] = Reply(page("Harbour director guilty", COURT), headers={
            "Content-Type": HTML_TYPE})
        add_feed(library, server.url("/atom"))
        add_feed(library, server.url("/rss"))
        report = poll(library, T0)
        assert (report.entries_new, report.failures) == (2, [])
        greens = library.store.get(CORPUS, "poll-greens")
        assert greens is not None and "18 percent of the vote" in greens.text and "Home | News" not in greens.text
        assert greens.url == link and greens.outlet == "The Valley Ledger"
        # The feed on this site carried the whole article: no page fetch for it.
        assert server.hits("/court/verdict") == [] and library.store.get(CORPUS, "verdict") is not None

        again = poll(library, T0 + timedelta(hours=1))
        assert (again.feeds_polled, again.entries_new, again.entries_linked) == (2, 0, 0)
        assert len(server.hits("/politics/poll-greens.html")) == 1
        assert library.store.count([CORPUS]) == 2


def test_an_entry_with_neither_guid_nor_link_is_known_by_title_and_date(library: Library) -> None:
    with serving() as server:
        server.routes["/feed"] = Reply(rss("Notices", [Item(title="Kellby flood update", text=FLOOD,
                                                            published=datetime(2025, 5, 1, tzinfo=timezone.utc))]),
                                       headers={"Content-Type": RSS_TYPE})
        add_feed(library, server.url("/feed"))
        assert poll(library, T0).entries_new == 1
        assert poll(library, T0 + timedelta(hours=1)).entries_new == 0
        [article] = list(library.store.iter_articles())
        assert article.source.startswith(server.url("/feed") + "#hash:") and article.url is None


def test_the_same_story_in_two_feeds_is_one_article(library: Library) -> None:
    with serving() as server:
        server.routes["/top"] = Reply(rss("Ledger top stories", [
            story(server, "council-budget", "Council passes budget", BUDGET),
            Item(title="Flood: Kellby evacuated", text=FLOOD, link=server.url("/a/123"))]),
            headers={"Content-Type": RSS_TYPE})
        server.routes["/local"] = Reply(rss("Ledger local", [
            Item(title="Council passes budget", text=BUDGET, guid="local-77",
                 link=server.url("/news/council-budget?utm_source=local&fbclid=abc#comments").replace("http:", "HTTP:")),
            # The same text under another address of the same site: still one story.
            Item(title="Kellby evacuated", text=FLOOD, link=server.url("/local/kellby?id=9"))]),
            headers={"Content-Type": RSS_TYPE})
        add_feed(library, server.url("/top"))
        add_feed(library, server.url("/local"))
        report = poll(library, T0)
        assert (report.entries_new, report.entries_linked, report.failures) == (2, 2, [])
        assert library.store.count([CORPUS]) == 2
        # Each feed knows its entries, and they point at the same articles.
        feeds = FeedStore(library.store)
        local = feeds.find(CORPUS, server.url("/local"))
        entries = feeds.entries(local.id)
        assert {e.article_id for e in entries.values()} == {"council-budget", "123"}
        assert not any(e.owns for e in entries.values())


def test_a_flapping_entry_is_re_extracted_at_most_once_per_six_hours(library: Library) -> None:
    with serving() as server:
        versions = [COURT, COURT.replace("23 witnesses", "24 witnesses")]
        turn = {"n": 0}

        def feed(headers: dict[str, str]) -> Reply:
            text = versions[turn["n"] % 2]
            return Reply(rss("Ledger court", [story(server, "thorsby-verdict", "Thorsby guilty", text)]),
                         headers={"Content-Type": RSS_TYPE})

        server.routes["/court"] = feed
        add_feed(library, server.url("/court"), interval=timedelta(minutes=60))
        assert poll(library, T0).entries_new == 1
        updated_at = []
        for hour in range(1, 15):
            turn["n"] += 1
            report = poll(library, T0 + timedelta(hours=hour), only_due=False)
            if report.entries_updated:
                updated_at.append(hour)
        # Even hours show the stored version again; a change is taken once 6 hours have
        # passed since the last extraction: hours 7 (second version) and 14 (first again).
        assert updated_at == [7, 14]
        article = library.store.get(CORPUS, "thorsby-verdict")
        assert "23 witnesses" in article.text
        # A changed story is news: it leaves the baseline.
        assert baseline_article_keys(library.store, [CORPUS]) == set()


def test_429_pushes_the_next_poll_and_410_stops_polling_with_one_notice(library: Library) -> None:
    with serving() as server:
        server.routes["/busy"] = Reply(b"slow down", 429, {"Retry-After": "7200", "Content-Type": "text/plain"})
        server.routes["/gone"] = Reply(b"", 410)
        busy = add_feed(library, server.url("/busy"))
        gone = add_feed(library, server.url("/gone"))
        report = poll(library, T0)
        assert report.feeds_polled == 2 and len(report.failures) == 2
        assert any("HTTP 429" in f and "7,200 seconds" in f for f in report.failures)
        busy_state = feed_state(library, busy.id)
        assert busy_state.next_poll_at == T0 + timedelta(hours=2)
        assert (busy_state.state, busy_state.failures) == ("active", 0)  # asking for patience is not failing
        [notice] = report.notices
        assert notice.corpus == CORPUS and notice.channel_id == 77
        assert "is gone (HTTP 410)" in notice.text and "/feed remove" in notice.text
        assert feed_state(library, gone.id).state == "gone"

        later = poll(library, T0 + timedelta(hours=3))
        assert later.feeds_polled == 1 and later.notices == []  # only the busy feed, and no repeat
        assert len(server.hits("/gone")) == 1


def test_repeated_failures_mark_the_feed_failing_and_managers_are_told_once(library: Library) -> None:
    with serving() as server:
        server.routes["/feed"] = Reply(b"oops", 500, {"Content-Type": "text/plain"})
        record = add_feed(library, server.url("/feed"), interval=timedelta(minutes=30))
        notices = []
        now = T0
        for _ in range(6):
            report = poll(library, now)
            assert report.feeds_polled == 1 and "HTTP 500" in report.failures[0]
            notices += report.notices
            now = feed_state(library, record.id).next_poll_at
        state = feed_state(library, record.id)
        assert (state.state, state.failures, state.notified) == ("failing", 6, True)
        [notice] = notices
        assert "failed 3 polls in a row" in notice.text and "HTTP 500" in notice.text
        # Backing off: 30 min, 1 h, 2 h, ... capped at a day.
        assert now - state.last_polled_at == timedelta(hours=16)

        server.routes["/feed"] = Reply(rss("Recovered desk", [story(server, "poll", "Greens gain", POLL)]),
                                       headers={"Content-Type": RSS_TYPE})
        recovered = poll(library, now)
        assert [n.text for n in recovered.notices] == [f"The feed {server.url('/feed')} is working again."]
        assert feed_state(library, record.id).state == "active"


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("reply, reason", [
    (Reply(b"<rss><channel><title>Broken", headers={"Content-Type": RSS_TYPE}), "not an RSS or Atom feed"),
    (Reply(b"<html><body>Home</body></html>", headers={"Content-Type": HTML_TYPE}), "is a web page, not a feed"),
    (Reply(b"\x89PNG....", headers={"Content-Type": "image/png"}), "image/png; claimdesk reads RSS and Atom"),
    (Reply(b"x" * 300_000, headers={"Content-Type": RSS_TYPE}, chunked=True), "over the 200,000-byte limit"),
    (Reply(gzip.compress(b"<rss>" + b" " * 50_000_000), headers={"Content-Type": RSS_TYPE,
                                                                 "Content-Encoding": "gzip"}),
     "over the 200,000-byte limit"),
    (Reply(rss("Slow", [Item(title="Kellby flood", text=FLOOD * 3)]), headers={"Content-Type": RSS_TYPE}, drip=0.6),
     "took too long"),
])
def test_bad_feeds_are_refused_with_the_reason(library: Library, reply: Reply, reason: str) -> None:
    with serving() as server:
        server.routes["/feed"] = reply
        record = add_feed(library, server.url("/feed"))
        report = poll(library, T0, timeout=1.0)
    assert len(report.failures) == 1 and reason in report.failures[0], report.failures
    assert feed_state(library, record.id).failures == 1 and library.store.count() == 0


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>&lol3;</title>'
          b"<item><title>&lol3;</title><link>https://laughs.example/a</link></item></channel></rss>")


@pytest.mark.parametrize("body, content_type", [
    (LAUGHS, RSS_TYPE),
    (LAUGHS, "text/plain"),
    (LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16"), RSS_TYPE),
])
def test_xml_that_declares_entities_is_refused(library: Library, body: bytes, content_type: str) -> None:
    with serving() as server:
        server.routes["/feed"] = Reply(body, headers={"Content-Type": content_type})
        add_feed(library, server.url("/feed"))
        report = poll(library, T0)
    assert "declares XML entities" in report.failures[0] and library.store.count() == 0


def test_feedparser_never_reads_a_path_or_url_it_is_handed() -> None:
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"/etc/passwd", url="https://x.example/feed")
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"http://127.0.0.1:9/feed", url="https://x.example/feed")


def test_private_addresses_are_refused_unless_allowed(library: Library) -> None:
    with serving() as server:
        server.routes["/feed"] = Reply(rss("Desk", [story(server, "poll", "Greens gain", POLL)]),
                                       headers={"Content-Type": RSS_TYPE})
        server.routes["/hop1"] = Reply(status=302, headers={"Location": "/hop2"})
        server.routes["/hop2"] = Reply(status=301, headers={"Location": server.url("/hop3")})
        server.routes["/hop3"] = Reply(status=307, headers={"Location": "/feed"})
        server.routes["/loop"] = Reply(status=302, headers={"Location": "/loop"})
        refused = add_feed(library, server.url("/hop1"))
        report = poll(library, T0, allow_private=False)
        assert "127.0.0.1 is a loopback address" in report.failures[0]
        assert "CLAIMDESK_ALLOW_PRIVATE_FETCH=1" in report.failures[0] and server.requests == []
        # Allowed, the redirect chain is followed to the feed; a loop is not.
        add_feed(library, server.url("/loop"))
        allowed = poll(library, feed_state(library, refused.id).next_poll_at)
        assert allowed.entries_new == 1 and len(allowed.failures) == 1
        assert "redirects more than 5 times" in allowed.failures[0]


def test_a_feed_cannot_put_words_on_another_sites_page(library: Library) -> None:
    with serving() as server:
        # The feed (on 127.0.0.1) claims a full text for a page on another host name.
        other = server.url("/story").replace("127.0.0.1", "localhost")
        server.routes["/story"] = Reply(page("Greens gain in new poll", POLL), headers={"Content-Type": HTML_TYPE})
        server.routes["/feed"] = Reply(rss("Impostor", [Item(title="Greens gain", text=BUDGET, link=other)]),
                                       headers={"Content-Type": RSS_TYPE})
        add_feed(library, server.url("/feed"))
        assert poll(library, T0).entries_new == 1
    [article] = list(library.store.iter_articles())
    assert "18 percent" in article.text and "county council" not in article.text


def test_gzip_feeds_are_read(library: Library) -> None:
    with serving() as server:
        server.routes["/feed"] = Reply(gzip.compress(rss("Desk", [story(server, "kellby", "Kellby flood", FLOOD)])),
                                       headers={"Content-Type": RSS_TYPE, "Content-Encoding": "gzip"})
        add_feed(library, server.url("/feed"))
        assert poll(library, T0).entries_new == 1
        assert server.hits("/feed")[0]["accept-encoding"] == "gzip, deflate"


def test_a_poll_that_dies_before_recording_its_entries_duplicates_nothing(library: Library, monkeypatch) -> None:
    with serving() as server:
        server.routes["/feed"] = Reply(rss("Ledger", [story(server, "council-budget", "Council passes budget", BUDGET),
                                                      story(server, "kellby-flood", "Kellby flood", FLOOD)]),
                                       headers={"Content-Type": RSS_TYPE})
        record = add_feed(library, server.url("/feed"))

        def dies(*args, **kwargs):
            raise OSError("disk unplugged")

        with monkeypatch.context() as patch:
            patch.setattr(FeedStore, "record_entries", dies)
            crashed = poll(library, T0)
        assert crashed.failures == ["internal error (OSError)"] and library.store.count() == 2
        state = feed_state(library, record.id)
        assert (state.baseline_done, state.failures) == (False, 1)

        again = poll(library, state.next_poll_at)
        assert (again.entries_new, again.entries_linked, again.failures) == (0, 2, [])
        assert library.store.count() == 2
        entries = FeedStore(library.store).entries(record.id)
        assert all(e.owns and e.article_id for e in entries.values())
        # Still the first successful poll: what it found is the baseline.
        assert baseline_article_keys(library.store, [CORPUS]) == {(CORPUS, "council-budget"), (CORPUS, "kellby-flood")}


def test_last_modified_alone_also_makes_polls_conditional(library: Library) -> None:
    stamp = "Thu, 01 May 2025 07:00:00 GMT"
    with serving() as server:
        def feed(headers: dict[str, str]) -> Reply:
            if headers.get("if-modified-since") == stamp:
                return Reply(status=304)
            return Reply(rss("Ledger", [story(server, "poll", "Greens gain", POLL)]),
                         headers={"Content-Type": RSS_TYPE, "Last-Modified": stamp})

        server.routes["/feed"] = feed
        record = add_feed(library, server.url("/feed"))
        assert poll(library, T0).entries_new == 1
        second = poll(library, T0 + timedelta(hours=1))
        assert (second.feeds_polled, second.entries_new, second.failures) == (1, 0, [])
        assert server.hits("/feed")[-1]["if-modified-since"] == stamp
        assert feed_state(library, record.id).last_modified == stamp  # kept across the 304
