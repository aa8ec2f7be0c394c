"""The speakers table: resolution at ingest, links, loading, pruning, lookup, migration.

Claims here are built by hand with the speaker references extraction would give them
(name, kind, every wording the article used), so each rule is tested on its own, on a
real SQLite file. Every name, body and outlet is fictional, invented for these tests.
"""

import sqlite3

import pytest

from index.library import Library
from index.models import Article, Claim, Speaker
from index.store import SCHEMA_VERSION, Store


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "claimdesk.sqlite3")
    yield opened
    opened.close()


def ref(name: str, kind: str = "person", *aliases: str) -> Speaker:
    return Speaker(canonical=name, kind=kind, aliases=list(aliases))  # type: ignore[arg-type]


def article(article_id: str, corpus: str = "default") -> Article:
    return Article(id=article_id, corpus=corpus, source=f"{article_id}.txt", text=f"Text of {article_id}.")


def claim(article_id: str, seq: int, speaker: Speaker | None, *relays: Speaker, corpus: str = "default") -> Claim:
    return Claim(
        article_id=article_id, corpus=corpus, seq=seq, text=f"Text of {article_id}.", start=0, end=10,
        speaker=speaker.canonical if speaker else None, speaker_ref=speaker,
        via=[r.canonical for r in relays], via_refs=list(relays),
    )  # fmt: skip


def save(store: Store, article_id: str, *claims_: Claim, corpus: str = "default") -> list[Claim]:
    store.save([(article(article_id, corpus), list(claims_))])
    return list(claims_)


def speaker_of(store: Store, article_id: str, seq: int = 0, corpus: str = "default") -> int | None:
    return store.claims(corpus, article_id)[seq].speaker_id


# --- people ----------------------------------------------------------------------------


def test_one_person_under_accents_transliterations_and_titles_is_one_speaker(store):
    save(store, "a", claim("a", 0, ref("Tomás Halvorsen", "person", "County Sheriff Tomás Halvorsen")))
    save(store, "b", claim("b", 0, ref("Tomasz Khalvorsen")))  # kh/h, a dropped final letter
    save(store, "c", claim("c", 0, ref("Tobias Halvorsen")))
    assert speaker_of(store, "a") == speaker_of(store, "b")
    assert speaker_of(store, "c") != speaker_of(store, "a")
    [sheriff] = store.speakers([speaker_of(store, "a")])
    assert sheriff.kind == "person" and sheriff.canonical == "Tomás Halvorsen"
    assert {"Tomasz Khalvorsen", "County Sheriff Tomás Halvorsen"} <= set(sheriff.aliases)


def test_a_lone_surname_joins_the_one_person_of_that_name(store):
    save(store, "a", claim("a", 0, ref("Priya Raman", "person", "Judge Priya Raman")))
    save(store, "b", claim("b", 0, ref("Raman")))
    assert speaker_of(store, "b") == speaker_of(store, "a")


def test_a_lone_surname_with_two_people_of_that_name_joins_neither(store):
    save(store, "a", claim("a", 0, ref("Luis Ortega")), claim("a", 1, ref("Marta Ortega")))
    save(store, "b", claim("b", 0, ref("Ortega")))
    assert speaker_of(store, "b") not in {speaker_of(store, "a", 0), speaker_of(store, "a", 1)}


def test_a_full_name_never_joins_another_person_through_a_shared_surname(store):
    save(store, "a", claim("a", 0, ref("Luis Ortega", "person", "Ortega")))
    save(store, "b", claim("b", 0, ref("Marta Ortega", "person", "Ortega")))
    assert speaker_of(store, "b") != speaker_of(store, "a")


def test_a_speaker_known_only_by_surname_takes_the_full_name_when_it_comes(store):
    save(store, "a", claim("a", 0, ref("Okafor")))
    save(store, "b", claim("b", 0, ref("Grace Okafor", "person", "Mayor Grace Okafor")))
    assert speaker_of(store, "a") == speaker_of(store, "b")
    assert store.speakers([speaker_of(store, "a")])[0].canonical == "Grace Okafor"


# --- organisations and descriptions ------------------------------------------------------


def test_organisation_names_are_kept_whole(store):
    save(store, "a", claim("a", 0, ref("State Department", "organisation", "the State Department")))
    save(store, "b", claim("b", 0, ref("Justice Department", "organisation", "the Justice Department")))
    save(store, "c", claim("c", 0, ref("Interior Ministry", "organisation")), claim("c", 1, ref("Finance Ministry", "organisation")))
    ids = {speaker_of(store, "a"), speaker_of(store, "b"), speaker_of(store, "c", 0), speaker_of(store, "c", 1)}
    assert len(ids) == 4
    assert store.speakers([speaker_of(store, "a")])[0].canonical == "State Department"


def test_an_acronym_joins_a_full_name_only_where_an_article_tied_them(store):
    save(store, "a", claim("a", 0, ref("Coastal Flood Authority", "organisation", "CFA")))
    save(store, "b", claim("b", 0, ref("CFA", "organisation")))
    save(store, "c", claim("c", 0, ref("Regional Water Board", "organisation")))
    save(store, "d", claim("d", 0, ref("RWB", "organisation")))  # nobody tied these two
    assert speaker_of(store, "b") == speaker_of(store, "a")
    assert speaker_of(store, "d") != speaker_of(store, "c")
    assert store.speakers([speaker_of(store, "a")])[0].canonical == "Coastal Flood Authority"


def test_a_brand_joins_the_brand_with_generic_words(store):
    save(store, "a", claim("a", 0, ref("Pellham News Agency", "organisation")))
    save(store, "b", claim("b", 0, ref("Pellham", "organisation")))
    assert speaker_of(store, "a") == speaker_of(store, "b")


def test_a_shorter_organisation_name_joins_only_an_unambiguous_longer_one(store):
    save(store, "a", claim("a", 0, ref("Eastmark Board of Elections", "organisation")))
    save(store, "b", claim("b", 0, ref("Board of Elections", "organisation")))
    assert speaker_of(store, "b") == speaker_of(store, "a")
    save(store, "c", claim("c", 0, ref("Westmark Board of Elections", "organisation")))
    assert speaker_of(store, "c") != speaker_of(store, "a")  # never through the shorter alias


def test_descriptions_never_join_named_speakers(store):
    save(store, "a", claim("a", 0, ref("Health Ministry", "organisation")))
    save(store, "b", claim("b", 0, ref("ministry", "description")))
    save(store, "c", claim("c", 0, ref("the ministry", "description")))
    assert speaker_of(store, "b") != speaker_of(store, "a")
    assert speaker_of(store, "b") == speaker_of(store, "c")  # worded alike: one description
    assert store.speakers([speaker_of(store, "b")])[0].kind == "description"


def test_a_name_tied_to_a_description_in_its_article_keeps_it_as_alias(store):
    save(store, "a", claim("a", 0, ref("Dunmore County Clerk's Office", "organisation", "the county clerk's office")))
    save(store, "b", claim("b", 0, ref("county clerk's office", "description")))
    assert speaker_of(store, "b") != speaker_of(store, "a")  # article b did not tie them
    assert "county clerk's office" in store.speakers([speaker_of(store, "a")])[0].aliases


def test_person_and_organisation_of_one_name_stay_apart(store):
    save(store, "a", claim("a", 0, ref("Harlan Reed", "person")))
    save(store, "b", claim("b", 0, ref("Harlan Reed", "organisation")))
    save(store, "c", claim("c", 0, ref("Harlan Reed", "unknown")))
    assert speaker_of(store, "a") != speaker_of(store, "b")
    assert speaker_of(store, "c") == speaker_of(store, "a")  # unknown joins the first known


# --- links, relays, loading ----------------------------------------------------------------


def test_relays_are_linked_in_order_and_never_the_speaker_they_relay(store):
    police = ref("Lakeside Police Department", "organisation")
    wire = ref("Pellham News Agency", "organisation")
    paper = ref("Lakeside Courier", "organisation")
    [relayed, self_relayed] = save(store, "a", claim("a", 0, police, paper, wire), claim("a", 1, police, police))
    assert relayed.speaker_id is not None and len(relayed.via_ids) == 2  # filled on the claims saved
    loaded = store.claims("default", "a")
    assert loaded[0].speaker_id == relayed.speaker_id and loaded[0].via_ids == relayed.via_ids
    assert [s.canonical for s in store.speakers(loaded[0].via_ids)] == ["Lakeside Courier", "Pellham News Agency"]
    assert loaded[1].via_ids == []
    at = store.claims_at([("default", "a", 0)])[("default", "a", 0)]
    assert (at.speaker_id, at.via_ids) == (loaded[0].speaker_id, loaded[0].via_ids)


def test_a_pronoun_nobody_was_named_for_is_not_a_speaker(store):
    [relayed] = save(store, "a", claim("a", 0, ref("Nadia Brook"), ref("it", "unknown")))
    assert relayed.speaker_id is not None and relayed.via_ids == []


def test_claims_without_references_resolve_by_their_names(store):
    plain = Claim(article_id="a", seq=0, text="x", start=0, end=1, speaker="Nadia Brook", via=["Lakeside Courier"])
    save(store, "a", plain)
    assert plain.speaker_id is not None and len(plain.via_ids) == 1


def test_the_claims_json_does_not_duplicate_the_table(store, tmp_path):
    save(store, "a", claim("a", 0, ref("Nadia Brook")))
    data = sqlite3.connect(tmp_path / "claimdesk.sqlite3").execute("SELECT data FROM claims").fetchone()[0]
    assert "speaker_id" not in data and "speaker_ref" not in data and '"speaker":"Nadia Brook"' in data


def test_replacing_an_article_relinks_its_claims_and_forgets_speakers_nobody_quotes(store):
    save(store, "a", claim("a", 0, ref("Nadia Brook")))
    save(store, "b", claim("b", 0, ref("Nadia Brook")), claim("b", 1, ref("Owen Pike")))
    owen = speaker_of(store, "b", 1)
    save(store, "b", claim("b", 0, ref("Nadia Brook")))  # the update drops Owen Pike's claim
    assert store.speakers([owen]) == []
    assert store.speaker_ids(["default"], "Owen Pike") == []
    assert speaker_of(store, "b") == speaker_of(store, "a")


def test_corpora_have_their_own_speakers(store):
    save(store, "a", claim("a", 0, ref("Nadia Brook"), corpus="guild-1"), corpus="guild-1")
    save(store, "a", claim("a", 0, ref("Nadia Brook"), corpus="guild-2"), corpus="guild-2")
    one, two = store.speaker_ids(["guild-1"], "Nadia Brook"), store.speaker_ids(["guild-2"], "Nadia Brook")
    assert len(one) == len(two) == 1 and one != two
    assert store.speaker_ids([], "Nadia Brook") == []
    assert store.speaker_names(["guild-1"], "Nad", 25) == ["Nadia Brook"]
    assert store.speaker_names(["guild-3"], "Nad", 25) == []


# --- lookup (the query side) -------------------------------------------------------------


def test_a_typed_name_finds_speakers_under_any_spelling(store):
    save(store, "a", claim("a", 0, ref("Coastal Flood Authority", "organisation", "CFA")))
    save(store, "b", claim("b", 0, ref("Dr. Ilse Marek", "person")), claim("b", 1, ref("Justice Department", "organisation")))
    save(store, "c", claim("c", 0, ref("police", "description")))
    authority = speaker_of(store, "a")
    assert store.speaker_ids(["default"], "CFA") == [authority]
    assert store.speaker_ids(["default"], "coastal flood authority") == [authority]
    assert store.speaker_ids(["default"], "Ilse Márek") == [speaker_of(store, "b")]
    assert store.speaker_ids(["default"], "Marek") == [speaker_of(store, "b")]
    assert store.speaker_ids(["default"], "State Department") == []
    assert store.speaker_ids(["default"], "Police") == [speaker_of(store, "c")]
    assert store.speaker_ids(["default"], "Department") == []  # a bare head noun names no one


def test_autocomplete_reads_the_table_most_quoted_first(store):
    save(store, "a", claim("a", 0, ref("Coastal Flood Authority", "organisation", "CFA")), claim("a", 1, ref("Corinne Fayed")))
    save(store, "b", claim("b", 0, ref("Corinne Fayed")))
    assert store.speaker_names(["default"], "c", 25) == ["Corinne Fayed", "Coastal Flood Authority"]
    assert store.speaker_names(["default"], "flood", 25) == ["Coastal Flood Authority"]
    assert store.speaker_names(["default"], "cfa", 25) == ["Coastal Flood Authority"]  # by alias
    assert store.speaker_names(["default"], "c", 1) == ["Corinne Fayed"]


# --- schema version and migration ----------------------------------------------------------

_VERSION_1 = """
CREATE TABLE articles (corpus TEXT NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL, outlet TEXT, title TEXT,
    url TEXT, published TEXT, language TEXT, text TEXT NOT NULL, spans TEXT NOT NULL, content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL, indexed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (corpus, id));
CREATE TABLE claims (corpus TEXT NOT NULL, article_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (corpus, article_id, seq));
"""


def test_a_new_store_records_its_schema_version(store, tmp_path):
    assert store.migrated_from is None
    assert sqlite3.connect(tmp_path / "claimdesk.sqlite3").execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_1_folder_is_migrated_and_told_to_re_extract(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    old = sqlite3.connect(data / "claimdesk.sqlite3")
    old.executescript(_VERSION_1 + "PRAGMA user_version=1;")
    text = "The county clerk said 48,210 ballots were counted."
    old.execute(
        "INSERT INTO articles VALUES ('default','v1','v1.txt',NULL,NULL,NULL,NULL,NULL,?, '[]', 'h', '2025-01-01', 1)",
        (text,),
    )
    stored = Claim(article_id="v1", seq=0, text=text, start=0, end=len(text), speaker="Elsa Varga")
    old.execute("INSERT INTO claims VALUES ('default','v1',0,?)", (stored.model_dump_json(exclude={"speaker_ref", "via_refs", "speaker_id", "via_ids"}),))
    old.commit()
    old.close()

    def extractor(articles):
        return [[stored.model_copy(update={"speaker_ref": ref("Elsa Varga")})] for _ in articles]

    with Library(data, extractor=extractor) as library:
        assert library.store.migrated_from == 1
        assert any("reindex --re-extract" in notice for notice in library.notices)
        assert library.store.claims("default", "v1")[0].speaker_id is None  # nothing resolved yet
        library.reindex(re_extract=True)
        assert library.store.claims("default", "v1")[0].speaker_id == library.store.speaker_ids(["default"], "Varga")[0]
    with Library(data) as reopened:
        assert reopened.store.migrated_from is None and reopened.notices == []
