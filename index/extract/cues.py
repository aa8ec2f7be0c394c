"""Words that attribute a statement to someone, by how much syntax they need to count.

Forms are listed rather than lemmatised: the lemmatizer is switched off for speed, and a
closed list of inflections is both exact and cheap.
"""

from __future__ import annotations

from typing import Literal

CueClass = Literal["speech", "stance", "belief", "evidence"]

# Speech verbs count with a clause, a colon or a quotation.
_SPEECH = """say tell claim confirm report warn note state add indicate explain announce argue
write tweet post ask suggest insist stress emphasise emphasize acknowledge admit deny reveal
allege assure maintain predict promise vow pledge declare recall reply respond urge conclude
contend observe remark testify reiterate concede complain assert affirm disclose mention
comment inform caution repeat underline highlight point""".split()
# Stance verbs attribute a position even with a plain object ("X criticised the plan").
# Common verbs such as "support" or "back" are left out: they mostly report actions.
_STANCE = """criticise criticize praise accuse blame defend dismiss reject condemn denounce
slam applaud dispute describe call""".split()
# Belief verbs attribute a thought only with a clause ("X believes that ...").
# "know" is left out: "you know", "we know how" are far more often filler than attribution.
_BELIEF = """think believe expect fear hope want feel worry doubt suspect agree estimate
reckon assume guess wonder""".split()
# Evidence verbs: a poll or report "shows" or "finds" something.
_EVIDENCE = """show find""".split()

_IRREGULAR = {
    "say": ["say", "says", "said", "saying"],
    "tell": ["tell", "tells", "told", "telling"],
    "write": ["write", "writes", "wrote", "written", "writing"],
    "think": ["think", "thinks", "thought", "thinking"],
    "feel": ["feel", "feels", "felt", "feeling"],
    "know": ["know", "knows", "knew", "known"],
    "find": ["find", "finds", "found", "finding"],
    "show": ["show", "shows", "showed", "shown", "showing"],
    "hope": ["hope", "hopes", "hoped", "hoping"],
}


def _inflections(lemma: str) -> list[str]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    forms = [lemma, lemma + "s", lemma + "ed", lemma + "ing"]
    if lemma in ("admit", "regret", "commit"):
        forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return forms


def _table() -> dict[str, tuple[str, CueClass]]:
    # Later classes win a shared form: "claims" is speech, not belief.
    classes: tuple[tuple[CueClass, list[str]], ...] = (
        ("evidence", _EVIDENCE),
        ("belief", _BELIEF),
        ("stance", _STANCE),
        ("speech", _SPEECH),
    )
    table: dict[str, tuple[str, CueClass]] = {}
    for kind, lemmas in classes:
        for lemma in lemmas:
            for form in _inflections(lemma):
                table[form] = (lemma, kind)
    return table


CUE_FORMS = _table()
# Speech verbs strong enough to count with just a subject: `"...", Smith said.`
STRONG_SPEECH = frozenset({"say", "tell", "add", "write", "tweet", "ask", "reply", "respond"})
# What emergency services respond to when "respond" is a call-out, not an answer:
# "officers responded to the scene", "... to a report of shots fired at a home".
CALL_OUT_NOUNS = frozenset(
    """scene call calls area address block home house residence location neighborhood
    neighbourhood street shooting shootings stabbing fire crash collision incident
    disturbance shots gunfire""".split()
)
# Speech verbs that, with an amount as their object and no clause or quotation, change
# or name the amount instead of reporting words: "the pound added 0.5%", "the seller
# asked $40,000".
AMOUNT_SENSES = frozenset({"add", "ask"})
RELAY_VERBS = frozenset({"citing", "quoting"})
RELAYED_BY = frozenset({"cited", "quoted", "conveyed", "reported", "relayed"})
HEARSAY_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly"})
# Objects of "told" that name an audience rather than content: kept in the cue.
AUDIENCE_NOUNS = frozenset(
    {"reporters", "journalists", "press", "media", "audience", "crowd", "lawmakers", "supporters", "parliament"}
)
# Verbs that are cues only with their particle: "pointed out".
PARTICLE_CUES = {"point": "out"}


def cue_class(word: str) -> CueClass | None:
    entry = CUE_FORMS.get(word.lower())
    return entry[1] if entry else None


def cue_lemma(word: str) -> str | None:
    entry = CUE_FORMS.get(word.lower())
    return entry[0] if entry else None


def mentions_cue(text: str) -> bool:
    """A cheap pre-parse test: could this sentence hold an attribution at all?"""
    lowered = text.lower()
    if "according to" in lowered:
        return True
    return any(word.strip(".,;:!?\"'“”’()") in CUE_FORMS or word in HEARSAY_ADVERBS for word in lowered.split())
