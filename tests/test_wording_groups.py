"""Claims without a figure group by wording: the share of words two claims have in common,
lifted by a shared speaker and shared places. Grouping scores only the pairs that can
reach the joining similarity; these tests hold the answers at that boundary.

Every place, outlet and person here is FICTIONAL, written for these tests.
"""

from __future__ import annotations

from datetime import date

from commands.grouping import ClaimHit, group_claims
from index.models import Article, Claim, Entity
from index.names import same_speaker

# Two claims sharing only their two places (2 of 13 words): too little alone, enough with
# the same speaker and both places in common.
FERRY = "Dunmore and Keswold will share the ferry timetable next spring."
BRIDGE = "Dunmore and Keswold councils reject the bridge toll plan outright."
PLACES = ("Dunmore", "Keswold")


def hit(article_id: str, outlet: str, sentence: str, speaker: str | None, places: tuple[str, ...] = PLACES) -> ClaimHit:
    article = Article(id=article_id, source=f"/srv/inbox/{article_id}.txt", outlet=outlet, title=None,
                      published=date(2033, 4, 2), text=sentence)
    claim = Claim(article_id=article_id, seq=0, text=sentence, start=0, end=len(sentence), speaker=speaker,
                  cue="said" if speaker else None,
                  entities=[Entity(text=p, label="place", start=sentence.index(p), end=sentence.index(p) + len(p))
                            for p in places])
    return ClaimHit.from_article(claim, article, 1.0)


def groups_of(*hits: ClaimHit) -> list[set[str]]:
    return sorted(({q.article_id for q in group.quotes} for group in group_claims(hits)), key=sorted)


def test_few_shared_words_join_when_the_same_speaker_names_the_same_places():
    together = groups_of(hit("a", "Tarn Gazette", FERRY, "Mayor Ilsa Varn"),
                         hit("b", "Weir Valley News", BRIDGE, "Mayor Ilsa Varn"))
    assert together == [{"a", "b"}]


def test_few_shared_words_stay_apart_without_the_speaker_or_the_places():
    assert groups_of(hit("a", "Tarn Gazette", FERRY, "Mayor Ilsa Varn"),
                     hit("b", "Weir Valley News", BRIDGE, "Councillor Abe Lund")) == [{"a"}, {"b"}]
    assert groups_of(hit("a", "Tarn Gazette", FERRY, "Mayor Ilsa Varn", places=()),
                     hit("b", "Weir Valley News", BRIDGE, "Mayor Ilsa Varn", places=())) == [{"a"}, {"b"}]


def test_a_claim_joins_the_group_of_its_most_similar_claim():
    # "c" shares a word with the ferry claim only through "Dunmore"; it restates the bridge claim.
    restated = "Dunmore and Keswold councils reject the bridge toll plan."
    grouped = groups_of(hit("a", "Tarn Gazette", FERRY, None, places=()),
                        hit("b", "Weir Valley News", BRIDGE, None, places=()),
                        hit("c", "Fenby Herald", restated, None, places=()))
    assert grouped == [{"a"}, {"b", "c"}]


def test_a_claim_as_like_two_groups_joins_the_earlier_one():
    # "c" shares half its words with "a" and half with "b", which share none.
    grouped = groups_of(hit("a", "Tarn Gazette", "Wardens closed the harbour.", None, places=()),
                        hit("b", "Weir Valley News", "Ferries resume sailing.", None, places=()),
                        hit("c", "Fenby Herald", "Wardens closed the harbour as ferries resume sailing.", None, places=()))
    assert grouped == [{"a", "c"}, {"b"}]


def test_the_speaker_bonus_holds_across_spellings_of_one_name():
    # The bot compares names with ``index.names.same_speaker`` (a title dropped, accents).
    together = group_claims([hit("a", "Tarn Gazette", FERRY, "Mayor Ilsa Varn"),
                             hit("b", "Weir Valley News", BRIDGE, "Ilsa Várn")], same_speaker)
    assert [{q.article_id for q in g.quotes} for g in together] == [{"a", "b"}]
