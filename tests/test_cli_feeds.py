"""``claimdesk feeds ...`` and ``claimdesk ingest URL`` as real processes, feeds on loopback.

The feeds and pages are fictional, written for these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timezone

from conftest import EXAMPLES, REPO, claimdesk_command
from feedserver import HTML_TYPE, RSS_TYPE, Item, Reply, page, rss, serving

FIRE = ("Fire crews fought a blaze at the Brenna sawmill for six hours on Sunday, and 45 workers were sent home "
        "as the night shift was cancelled, the mill's owner, Halvard Ekre, said. No one was injured, the fire "
        "service said, but the main drying hall was destroyed.\n\n"
        "Ekre said the damage would cost at least 30 million crowns and that the mill would restart within three "
        "weeks, using its older hall. The fire service's duty officer, Mona Sletten, said the cause was not yet "
        "known and that an inspector would visit on Monday. The mill employs 210 people and is the largest "
        "employer in the valley, according to the municipality.")
MARKET = ("The weekly farmers' market in Ostby will move from the square to the old rail yard in July, the town "
          "council said on Monday, because the square is to be repaved. About 40 stalls take part each week, the "
          "market's organiser, Britt Hage, said, and all of them have agreed to move. The council said the works "
          "would cost 3 million crowns and take eight weeks.")


def claimdesk(data, *args, check=True, allow_private=True):
    env = {**os.environ, "CLAIMDESK_ALLOW_PRIVATE_FETCH": "1" if allow_private else "0"}
    result = subprocess.run([*claimdesk_command(), "--data", str(data), *args], cwd=REPO, capture_output=True,
                            text=True, timeout=300, env=env)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_feeds_from_the_terminal(tmp_path):
    data = tmp_path / "data"
    with serving() as server:
        server.routes["/mill.xml"] = Reply(rss("Valley Post", [Item(
            title="Fire destroys sawmill hall", text=FIRE, link=server.url("/news/sawmill-fire"), guid="vp-9",
            published=datetime(2025, 7, 6, tzinfo=timezone.utc))]), headers={"Content-Type": RSS_TYPE})
        added = claimdesk(data, "feeds", "add", server.url("/mill.xml"), "--corpus", "valley", "--interval", "20")
        assert added.stdout.startswith("watching #1  Valley Post  " + server.url("/mill.xml"))
        assert "every 20 min" in added.stdout and "holds 1 entries" in added.stdout

        polled = claimdesk(data, "feeds", "poll")
        assert polled.stdout.startswith("polled 1 feed(s): 1 new, 0 updated, 0 already in the library, 0 problem(s)")
        again = json.loads(claimdesk(data, "feeds", "poll", "--all", "--json").stdout)
        assert (again["feeds_polled"], again["entries_new"]) == (1, 0)

    listed = json.loads(claimdesk(data, "feeds", "list", "--json").stdout)
    [feed] = listed["feeds"]
    assert (feed["corpus"], feed["state"], feed["title"]) == ("valley", "active", "Valley Post")
    found = claimdesk(data, "ask", "/search sawmill", "--corpus", "valley")
    assert "Fire destroys sawmill hall" in found.stdout
    removed = claimdesk(data, "feeds", "remove", "1", "--corpus", "valley")
    assert removed.stdout.startswith("removed #1") and "articles stay" in removed.stdout
    assert "No feeds yet" in claimdesk(data, "feeds", "list").stdout


def test_ingest_takes_urls_and_paths_together(tmp_path):
    data = tmp_path / "data"
    with serving() as server:
        server.routes["/market.html"] = Reply(page("Ostby market moves to the rail yard", MARKET),
                                              headers={"Content-Type": HTML_TYPE})
        result = claimdesk(data, "ingest", str(EXAMPLES / "varn-flood" / "nordpress.json"),
                           server.url("/market.html"), server.url("/missing.html"), check=False)
        assert result.returncode == 1
        assert result.stdout.startswith("2 ingested, 0 updated, 0 unchanged, 1 failed")
        assert f"failed: {server.url('/missing.html')}: {server.url('/missing.html')} answered HTTP 404" in result.stdout
        refused = claimdesk(data, "ingest", server.url("/market.html"), check=False, allow_private=False)
        assert "127.0.0.1 is a loopback address" in refused.stdout
    found = claimdesk(data, "ask", "/search farmers market rail yard")
    assert "Ostby market moves to the rail yard" in found.stdout
