"""/who, speaker: and speaker suggestions through the speakers table, on a real index.

A fictional county news week (every name, body and outlet is invented): a fraud case, a
consulate, an election count and a flood, in three outlets; one agency relayed by a wire.
"""

import json

import pytest
from conftest import context

from commands import CommandError
from commands.claim_hits import load_claim_hits
from commands.line import run_line
from index.query import parse_query

ARTICLES = [
    {"id": "tribune-1", "outlet": "The Harlow Tribune", "published": "2025-05-06",
     "text": "County week in brief\n\n"
             "The Justice Department said 12 people had been charged in the bid-rigging scheme.\n\n"
             "The State Department said the consulate in Varrow would stay open through the summer.\n\n"
             "Dunmore County Clerk Ana Whitcombe said 48,210 ballots had been counted by Monday night."},
    {"id": "wire-1", "outlet": "Pellham Wire", "published": "2025-05-06",
     "text": "Flood and count updates\n\n"
             "The Coastal Flood Authority (CFA) said 300 homes had been flooded along the Tarn.\n\n"
             "Whitcombe said the count would be finished on Friday."},
    {"id": "ledger-1", "outlet": "The Valley Ledger", "published": "2025-05-07",
     "text": "Tarn flood: more homes under water\n\n"
             "The CFA said 310 homes were flooded, the Pellham Wire reported.\n\n"
             "Ana Whitcombe told reporters that 48,210 ballots had been counted."},
]


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    from index.library import Library

    root = tmp_path_factory.mktemp("who")
    (root / "week.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
    with Library(root / "data") as library:
        assert library.ingest_paths([root / "week.jsonl"]).failures == []
        yield library


def quotes(response):
    return [q for g in response.groups for q in g.quotes]


def test_who_keeps_departments_with_the_same_head_noun_apart(week):
    state = quotes(run_line(context(week), '/who "State Department"'))
    assert [q.text for q in state] == ["The State Department said the consulate in Varrow would stay open through the summer."]
    justice = quotes(run_line(context(week), "/who Justice Department"))
    assert all("Justice" in q.text for q in justice) and justice


def test_who_finds_an_acronym_tied_in_one_article_in_every_article(week):
    response = run_line(context(week), "/who CFA")
    assert {q.article_id for q in quotes(response)} == {"wire-1", "ledger-1"}
    assert {"Coastal Flood Authority", "CFA"} <= set(response.names_seen)


def test_who_finds_what_a_relay_passed_on(week):
    response = run_line(context(week), "/who Pellham Wire")
    [quote] = quotes(response)
    assert quote.article_id == "ledger-1" and quote.via == "Pellham Wire"
    assert response.names_seen == ["Pellham Wire"]


def test_who_names_seen_are_names_not_relay_lists(week):
    response = run_line(context(week), "/who Whitcombe")
    assert {q.article_id for q in quotes(response)} == {"tribune-1", "wire-1", "ledger-1"}
    assert response.outlets == 3
    assert "Ana Whitcombe" in response.names_seen
    assert not any("," in name for name in response.names_seen)


def test_who_about_narrows_and_never_replaces_the_name(week):
    narrowed = run_line(context(week), "/who Whitcombe about:finished")
    assert [q.article_id for q in quotes(narrowed)] == ["wire-1"]
    from commands.who import WhoArgs, run

    with pytest.raises(CommandError, match="name"):
        run(context(week), WhoArgs(name="Whitcombe", about="speaker:CFA homes"))


def test_who_with_a_name_nobody_has_is_empty(week):
    response = run_line(context(week), "/who Department")
    assert response.groups == [] and response.names_seen == []


def test_speaker_filter_in_claims_goes_through_the_table(week):
    full = run_line(context(week), '/claims homes speaker:"Coastal Flood Authority"')
    short = run_line(context(week), "/claims homes speaker:CFA")
    assert {q.article_id for q in quotes(full)} == {q.article_id for q in quotes(short)} == {"wire-1", "ledger-1"}
    assert quotes(run_line(context(week), '/claims homes speaker:"State Department"')) == []
    assert quotes(run_line(context(week, "another-server"), "/claims homes speaker:CFA")) == []


def test_loaded_claims_carry_speaker_and_relay_ids(week):
    hits = week.search.search_claims(parse_query("homes"), ["default"])
    loaded = load_claim_hits(week.store, hits)
    relayed = next(h.claim for h in loaded if h.claim.article_id == "ledger-1")
    authority = week.store.speaker_ids(["default"], "CFA")
    assert relayed.speaker_id in authority
    assert [s.canonical for s in week.store.speakers(relayed.via_ids)] == ["Pellham Wire"]
    assert all(h.claim.speaker_id is not None for h in loaded if h.claim.speaker)


def test_speaker_suggestions_come_from_the_table(week):
    from bot.discord.suggest import query_filters, speakers

    assert [c.value for c in speakers(week.store, ["default"], "whit")] == ["Ana Whitcombe"]
    assert [c.value for c in speakers(week.store, ["default"], "cfa")] == ["Coastal Flood Authority"]
    assert [c.value for c in query_filters(week.store, ["default"], "homes speaker:Coas")] == [
        'homes speaker:"Coastal Flood Authority"'
    ]
    assert speakers(week.store, ["another-server"], "whit") == []
