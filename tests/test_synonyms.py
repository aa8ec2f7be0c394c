from commands.synonyms import (
    content_terms,
    expand_query,
    expand_terms,
    fold_accents,
    lemma,
    predicate_family,
    unit_family,
)


def test_troops_expand_to_their_family_but_not_to_men():
    expanded = expand_terms("troops")
    assert {"troops", "soldiers", "soldier", "servicemen", "infantry", "personnel"} <= expanded
    assert "men" not in expanded
    assert "force" not in expanded


def test_expansion_is_symmetric_and_case_and_number_insensitive():
    assert expand_terms("Soldier") == expand_terms("troops")
    assert expand_terms("servicemen") == expand_terms("troops")


def test_noisy_words_neither_expand_nor_are_added():
    assert expand_terms("men") == {"men"}
    assert expand_terms("fired") == {"fired"}
    assert "fired" not in expand_terms("sacked")
    assert {"dismissed", "ousted", "sacked"} <= expand_terms("sacked")


def test_outcome_families():
    assert {"killed", "dead", "deaths", "died", "killing"} <= expand_terms("killed")
    assert {"injured", "wounded", "hurt"} <= expand_terms("wounded")
    assert {"arrested", "detained"} <= expand_terms("detained")
    assert "wounded" not in expand_terms("killed")


def test_stages_of_a_deployment_do_not_expand():
    assert expand_terms("transported") == {"transported"}
    assert expand_terms("training") == {"training"}
    assert {"sent", "deployed", "dispatched"} <= expand_terms("deploy")


def test_unknown_words_come_back_folded():
    assert expand_terms("Ólafsvík") == {"olafsvik"}
    assert expand_terms("  ") == set()


def test_expand_query_gives_alternatives_per_word():
    alternatives = expand_query("Troops killed")
    assert len(alternatives) == 2
    assert "soldiers" in alternatives[0]
    assert "dead" in alternatives[1]


def test_unit_family_reads_the_head_of_the_unit_phrase():
    assert unit_family("Velmoran infantry troops") == "troops"
    assert unit_family("soldiers") == "troops"
    assert unit_family("men") == "people"  # men are people, not troops: noisy for search
    assert unit_family("contingent") == "troops"
    assert unit_family("dead") == "killed"
    assert unit_family("deaths") == "killed"
    assert unit_family("wounded") == "injured"
    assert unit_family("rockets") == unit_family("missiles") == "missiles"


def test_unit_family_outside_the_families_uses_the_lemma():
    assert unit_family("tanks") == unit_family("tank") == "tank"
    assert unit_family(None) == ""
    assert unit_family("") == ""


def test_predicate_family():
    assert predicate_family("dispatched") == "deploy"
    assert predicate_family("fighting") == "deploy"
    assert predicate_family("transported") == "move"
    assert predicate_family("arrival") == "move"
    assert predicate_family("trained") == "train"
    assert predicate_family("killed") == "killed"
    assert predicate_family("said") is None
    assert predicate_family("soldiers") is None  # a unit, not something that happened


def test_folding_and_lemmas():
    assert fold_accents("Ilse Várga") == "ilse varga"
    assert lemma("soldiers") == lemma("soldier") == "soldier"
    assert lemma("Kessa’s") == "kessa"
    assert lemma("press") == "press"


def test_content_terms_meet_across_wording():
    shared = content_terms("Soldiers were dispatched to Kessa") & content_terms(
        "the army sent troops to Kessa"
    )
    assert shared == {"troops", "deploy", "kessa"}
