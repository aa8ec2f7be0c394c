"""Fictional articles for the digest tests, written for them: a flood, a city budget, a
court case and an election count, in invented places with invented outlets and people.
Each is (id, outlet, title, text); ``stored_at`` puts them into a digest window."""

from __future__ import annotations

from datetime import datetime

from index.ingest import LoadedArticle
from index.models import Article

FLOOD_EARLY = ("brenn-flood-1", "Brennmark Courier", "River Alde bursts its banks",
               "River Alde bursts its banks\n\nThe county emergency office said on Monday that 3,000 residents "
               "were evacuated from the river towns overnight. Schools in Lower Alde stay closed, the office said.")
FLOOD_LATE = ("brenn-flood-2", "Alde Valley Post", "Volunteers count the evacuated",
              "Volunteers count the evacuated\n\nAbout 5,000 residents were evacuated from the river towns, "
              "the volunteer fire brigade said on Tuesday. The brigade said 40 boats were still out.")
BUDGET = ("tarvik-budget", "Tarvik Ledger", "Council passes the Tarvik budget",
          "Council passes the Tarvik budget\n\nThe city council approved a budget of 412 million crowns on "
          "Wednesday, the mayor, Ilse Marrow, said. Spending on roads rises by 8 percent, she said.")
COURT = ("osk-court", "Osk Evening Star", "Three charged after warehouse fire",
         "Three charged after warehouse fire\n\nProsecutors in Osk said on Thursday that three men had been "
         "charged with arson after the harbour warehouse fire. The court set bail at 20,000 crowns each.")
ELECTION = ("lenz-vote", "Lenz Morning Wire", "Turnout in the Lenz mayoral vote",
            "Turnout in the Lenz mayoral vote\n\nThe electoral board said 61 percent of registered voters cast "
            "a ballot on Sunday, and that 48,200 votes were counted by midnight.")
PING = ("pier-prank", "Noticeboard *Daily*", "Pier notice @everyone",
        "Pier notice @everyone\n\n@everyone the harbour master, quoted as <@123>, said the pier would close "
        "for 3 days; a reader wrote **bold** in reply.")


def loaded(story: tuple[str, str, str, str], corpus: str, stored_at: datetime) -> LoadedArticle:
    article_id, outlet, title, text = story
    return LoadedArticle(Article(
        id=article_id, corpus=corpus, source=f"fixture:{article_id}", outlet=outlet, title=title, text=text,
        url=f"https://news.example/{article_id}", ingested_at=stored_at,
    ))
