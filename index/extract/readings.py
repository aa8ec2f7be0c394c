"""What a number in a parsed sentence is about: counted thing, predicate, stage, part.

Everything here is read from the dependency parse, never from words near the number:

* the counted thing is the noun the number modifies ("six young men" -> man), the object
  of its "of" ("dozens of officers" -> officer, "one of the six men" -> man, a part of
  six), or nothing when the number stands alone as subject or object ("one was killed");
* the predicate is what the sentence says of that noun phrase, tried in this order:
  a modifier of the noun that names an event ("two others injured", "the men who were
  shot"); the noun of a measure that the number is the value of ("the death toll rose to
  12", "turnout was 62%"); the complement of a linking or result verb ("four are dead",
  "were found dead", "left four people dead"); the governing verb ("killing three",
  "five were shot", "spent $2 million"); the counted noun itself when it names the event
  ("four deaths were reported");
* the stage, part and negation come from the predicate's auxiliaries, adverbs and
  ancestors.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from index.extract.lemmas import lemma
from index.extract.numbers import number_value
from index.models import Period, Stage
from index.vocabulary import (
    AGENTS,
    DESTINATIONS,
    KIN,
    LOSS_FAMILY,
    LOSS_VERB,
    LOST_LIFE,
    MEASURE_NOUNS,
    MONTH_NAMES,
    ONE_DAY_WORDS,
    OUTCOME_ADVERBS,
    PERIOD_NOUNS,
    RATE_WORDS,
    TALLY_VERBS,
    UNIT_WORDS,
    WORLD_WORDS,
    STATES,
    SURVIVAL_VERBS,
    WOUNDING_ADVERBS,
    counted_family,
    counts_people,
    event_family,
    is_outcome,
    outcome_family,
    predicate_family,
)

_NOUN_TAGS = frozenset({"NN", "NNS"})
_MODIFIER_DEPS = frozenset({"amod", "acl", "relcl"})
_COMPLEMENT_DEPS = frozenset({"acomp", "oprd", "xcomp", "attr"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_DEPS = frozenset({"dobj"})
# Verbs of undergoing whose object names what happened: "suffered injuries", "sustained
# gunshot wounds", "received non-life-threatening wounds".
_UNDERGO_VERBS = frozenset("suffer sustain receive incur".split())
# Measure nouns that say nothing of what they measure: in "a total of four people were
# hurt" the number's predicate is the verb's, not "total".
_BARE_MEASURES = frozenset("total number".split())
# Verbs that link a subject or an object to what is said of it: the complement, not the
# verb, is the predicate ("four are dead", "were found dead", "left four people dead").
_LINKING_VERBS = frozenset(
    """be remain become stay leave find pronounce declare list confirm report believe
    presume fear keep render""".split()
)
# Verbs whose subject is a measure and whose object or "to"-phrase is its value.
_MEASURE_VERBS = frozenset(
    """be stand reach rise climb increase grow jump hit top total exceed fall drop decline
    decrease surpass pass near""".split()
)
_PLAN_VERBS = frozenset(
    "plan propose intend aim want expect seek hope agree decide set schedule pledge vow promise".split()
)
_DENIAL_VERBS = frozenset("deny refute reject dismiss dispute".split())
# Verbs and adjectives that frame their subject's infinitive without saying what happens
# to it: "are expected to attend", "are set to arrive", "are likely to lose".
_FUTURE_FRAMES = frozenset("going due set expected likely scheduled slated poised tipped".split())
_RAISING_VERBS = frozenset("expect set due likely going schedule slate poise tip appear seem".split())
# "a unit made up of 400 men": what is said of the unit is said of the men.
_COMPOSITION_VERBS = frozenset("make compose consist comprise".split())
_FUTURE_AUXILIARIES = frozenset("will would shall 'll could may might".split())
_PAST_AUXILIARIES = frozenset("have has had 've".split())
_CUMULATIVE_ADVERBS = (("so", "far"), ("to", "date"), ("thus", "far"), ("in", "total"), ("in", "all"))
# "total" is not among them: "a total of 40 were arrested" counts, it does not say "so far".
_CUMULATIVE_WORDS = frozenset("overall altogether cumulative cumulatively".split())
_PART_WORDS = frozenset("other more another additional".split())
# Events whose active subject is the one who did it to the object ("the gunman shot two
# people"); not fleeing or evacuating, whose object is the place left ("fled their homes").
_DONE_TO_OTHERS = frozenset("killed injured shot arrested rescued".split())
_REFLEXIVES = frozenset("himself herself themselves itself myself ourselves yourself".split())
# A first or next wave is a part of whatever total is reported for all of them.
_WAVE_WORDS = frozenset("first second third initial next".split())


@dataclass
class Reading:
    counted: str | None = None
    counted_family: str | None = None
    predicate: str | None = None
    predicate_family: str | None = None
    stage: Stage = "unknown"
    period: Period | None = None
    holder: str | None = None
    scoped: bool = False
    part: bool = False
    whole: float | None = None
    negated: bool = False
    counted_token: Token | None = None
    predicate_token: Token | None = None  # the word the predicate was read from

    def figure_fields(self) -> dict:
        """The reading as ``Figure`` fields (everything but the parse token)."""
        return {
            "counted": self.counted, "counted_family": self.counted_family,
            "predicate": self.predicate, "predicate_family": self.predicate_family,
            "stage": self.stage, "period": self.period, "holder": self.holder, "scoped": self.scoped, "part": self.part, "whole": self.whole,
            "negated": self.negated,
        }


def _phrase_root(span: Span) -> Token:
    """The token of the number's words that the rest of the sentence hangs on."""
    inside = range(span.start, span.end)
    for token in reversed(span):
        if token.head.i not in inside or token.head.i == token.i:
            return token
    return span[-1]


def _counted_noun(root: Token, glued: bool = False) -> tuple[Token | None, Token | None]:
    """(the counted noun, the number of a stated whole) for a number's root token.

    ``glued``: the number is glued to its noun by a hyphen ("a 48-page indictment"), so
    the noun it modifies is the counted one, not the compound's head."""
    of_object = _of_object(root)
    if of_object is not None:
        if of_object.tag_ in _NOUN_TAGS:
            return _through_compounds(of_object), _number_child(of_object)
        if of_object.tag_ == "CD":
            return None, of_object  # "one of the six"
        return None, None  # "two of them": a part, the counted thing unknown
    head = root.head
    if root.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and head.i != root.i:
        if head.tag_ in _NOUN_TAGS:
            return (head if glued else _through_compounds(_through_possessor(_through_hyphens(head)))), None
    if root.tag_ != "CD":
        return _noun_after_mistagged(root), None
    return None, None


def _noun_after_mistagged(number: Token) -> Token | None:
    """When the tagger did not see a number ("12k" read as a plural noun), the parse
    around it is unreliable: take the noun right after it, past adjectives."""
    for token in number.doc[number.i + 1 : number.i + 4]:
        if token.tag_ in _NOUN_TAGS:
            return _through_compounds(token)
        if token.tag_ not in ("JJ", "VBN"):
            return None
    return None


def _of_object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _number_child(noun: Token) -> Token | None:
    if noun.tag_ == "CD":
        return noun
    return next((c for c in noun.children if c.dep_ == "nummod" and c.tag_ == "CD"), None)


def _through_hyphens(noun: Token) -> Token:
    """From "co" in "co-workers" to "workers": a hyphenated noun's last part is its head."""
    doc = noun.doc
    while noun.i + 2 < len(doc) and doc[noun.i + 1].text == "-" and doc[noun.i + 2].tag_ in _NOUN_TAGS:
        noun = doc[noun.i + 2]
    return noun


def _through_possessor(noun: Token) -> Token:
    """From "sheriff" in "two sheriff's deputies" to "deputies": a number before a
    singular possessor counts the plural noun it possesses."""
    if noun.dep_ == "poss" and noun.tag_ == "NN" and noun.head.tag_ == "NNS":
        return noun.head
    return noun


def _through_compounds(noun: Token) -> Token:
    """From "forces" in "special forces troops" up to the head noun "troops"."""
    while noun.dep_ == "compound" and noun.head.i > noun.i and noun.head.tag_ in _NOUN_TAGS:
        noun = noun.head
    return noun


def read(span: Span, glued: bool = False, amount: bool = False) -> Reading:
    """The reading of the number written in ``span``; ``amount``: it is money or a
    percentage, whose noun is never the thing an event happened to."""
    root = _phrase_root(span)
    noun, whole_token = _counted_noun(root, glued)
    event = None
    if noun is not None and not amount and _of_object(root) is None:
        patient = _patient_of_event(noun)
        if patient is not None:
            event, noun = noun, patient  # "2,000 flight cancellations": flights were cancelled
    return _read_from(root, noun, whole_token, event)


def _patient_of_event(noun: Token) -> Token | None:
    """What a counted noun naming an event happened to, when the noun phrase says so:
    its "of" object ("40 evacuations of coastal villages", "12 deaths of children"), or,
    for an event that is not an outcome for people, the noun compounded onto it ("2,000
    flight cancellations", "300 job cuts"). Not for courts' words, whose compounds name
    the offence or the punishment ("prison sentences"), nor for a proper noun."""
    family = event_family(lemma(noun)) or event_family(noun.lower_)
    if family is None:
        return None
    of_object = _of_object(noun)
    if of_object is not None and of_object.tag_ == "NNS":
        return _through_compounds(of_object)
    if family.role != "predicate" or family.domain == "crime & courts":
        return None
    compound = next((c for c in noun.lefts if c.dep_ == "compound" and c.tag_ in _NOUN_TAGS), None)
    if compound is None or event_family(lemma(compound)) or any(c.dep_ == "compound" for c in compound.children):
        return None
    if lemma(compound) in UNIT_WORDS:
        return None  # "six month losses": a unit says how long or how much, not what
    return compound


def read_noun_phrase(noun: Token) -> Reading:
    """The reading of a count that a noun phrase implies without a number ("a man and a
    woman were found dead", "both victims died")."""
    return _read_from(noun, noun, None)


def _read_from(root: Token, noun: Token | None, whole_token: Token | None, event: Token | None = None) -> Reading:
    reading = Reading(counted_token=noun)
    if noun is not None:
        reading.counted = lemma(noun)
        # The rule lemmatizer has blind spots ("doses" -> "dos"): the surface form also counts.
        reading.counted_family = counted_family(reading.counted) or counted_family(noun.lower_)
    # "dozens of officers were arrested": the number, not its "of" object, is the subject;
    # in "2,000 flight cancellations" the phrase is the event's.
    phrase = event if event is not None else noun if noun is not None and _of_object(root) is None else root
    _read_part(reading, root, phrase, whole_token)
    predicate, verb = _predicate(phrase, root)
    if event is not None:
        predicate = event  # the event noun says what happened to what it counts
    elif noun is not None and outcome_family(reading.counted) and not (predicate is not None and predicate.i == noun.i):
        # A noun that names the event says what happened, whatever verb reports it:
        # "four deaths were reported", "four bodies were recovered".
        predicate = noun
    if predicate is not None:
        reading.predicate_token = predicate
        reading.predicate, reading.predicate_family = _name_predicate(predicate)
        if _a_death_lost(predicate, phrase):
            reading.predicate_family = LOSS_FAMILY
        elif _doer_of(predicate, phrase):
            # "Two gunmen killed three people": nothing is said to have happened to the two.
            reading.predicate, reading.predicate_family = None, None
        if noun is None and lemma(predicate) in MEASURE_NOUNS and not _change_by(phrase):
            _count_of_measure(reading, predicate)
    clause = verb if verb is not None else predicate
    if clause is not None:
        reading.stage = _stage(clause, phrase, predicate)
        reading.negated = _negated(clause, predicate)
    reading.period = _period(phrase, root, clause)
    if clause is not None:
        reading.holder, reading.scoped = _holder(clause, phrase)
    if any(c.dep_ == "amod" and c.lower_ in WORLD_WORDS for t in (noun, predicate) if t is not None for c in t.children):
        reading.holder, reading.scoped = "the world", False  # "the global tally of cases": not any one country's
    return reading


_PROPER_TAGS = frozenset({"NNP", "NNPS"})
_HOLDER_CLIMB = 4  # "the U.K. is expected to commit to sending 100 million": three verbs up


def _holder(clause: Token, phrase: Token) -> tuple[str | None, bool]:
    """(the name of whoever the count belongs to, whether it is a place the clause is
    set in rather than its subject): "the U.K. is expected to commit to sending 100
    million doses" -> "U.K."; "leaders of the G7 will provide ..." -> "G7"; "In Chicago,
    100 people were struck" -> "Chicago", a place. None when the subject is the counted
    phrase itself, a pronoun or a common noun: the count's owner is then not named in
    the clause."""
    node = clause
    for _ in range(_HOLDER_CLIMB):
        subject = next((c for c in node.children if c.dep_ in _SUBJECT_DEPS), None)
        named = _proper_name(subject) if subject is not None and subject.i != phrase.i else None
        if named is not None:
            return named, False
        place = _place_of(node)
        if place is not None or subject is not None:
            return place, place is not None  # "In Chicago, 100 people were struck": Chicago's count
        if node.dep_ == "pcomp" and node.head.head.i != node.head.i:
            node = node.head.head  # "commit to sending"
        elif node.dep_ in ("xcomp", "conj", "advcl", "acl") and node.head.i != node.i:
            node = _clause_verb(node.head) or node.head  # "... struck by gunfire resulting in 18 deaths"
        else:
            return None, False
    return None, False


def _place_of(verb: Token) -> str | None:
    """A place the clause is set in, "in" a proper name: "In Chicago, ... were struck";
    never a time ("in January", "in May 2004")."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None and target.tag_ in _PROPER_TAGS and not _names_a_time(target):
                return _proper_name(target)
    return None


def _names_a_time(noun: Token) -> bool:
    return noun.lower_ in MONTH_NAMES or noun.lower_ in ONE_DAY_WORDS or noun.ent_type_ in ("DATE", "TIME")


def _proper_name(noun: Token) -> str | None:
    if noun.tag_ in _PROPER_TAGS:
        doc, subtree = noun.doc, {t.i for t in noun.subtree}
        start, end = noun.i, noun.i + 1
        while start - 1 in subtree and doc[start - 1].tag_ in _PROPER_TAGS:
            start -= 1
        while end in subtree and doc[end].tag_ in _PROPER_TAGS:
            end += 1
        return doc[start:end].text  # "Marta Oyelaran", "U.K."
    of_object = _of_object(noun)  # "leaders of the G7"
    if noun.tag_ in _NOUN_TAGS and of_object is not None and of_object.tag_ in _PROPER_TAGS:
        return _proper_name(of_object)
    return None


def _period(phrase: Token, root: Token, clause: Token | None) -> Period | None:
    """The stretch of time the count covers, when the parse says so: a rate ("1,500
    deaths a day", "300 doses per day", "137,000 daily cases", "100 flights weekly"), or
    one day's new count ("35,355 new cases Sunday", "412 new infections on Tuesday")."""
    holders = [t for t in (phrase, root, clause) if t is not None]
    for token in holders:
        for child in token.children:
            if child.dep_ in ("amod", "advmod", "npadvmod") and child.lower_ in RATE_WORDS:
                return RATE_WORDS[child.lower_]  # "daily cases", "weekly"
            if child.dep_ == "npadvmod" and lemma(child) in PERIOD_NOUNS and _per(child):
                return PERIOD_NOUNS[lemma(child)]  # "deaths a day"
            if child.dep_ == "prep" and child.lower_ in ("per", "a", "an", "each"):
                period = next((PERIOD_NOUNS.get(lemma(c)) for c in child.children if c.dep_ == "pobj"), None)
                if period:
                    return period  # "doses per day"
    if clause is None or not any(_names_one_day(c) for c in clause.children):
        return None
    nouns = [phrase, *([phrase.head] if phrase.dep_ == "conj" else [])]
    if any(c.lower_ == "new" and c.dep_ == "amod" for n in nouns for c in n.children):
        return "day"  # "35,355 new cases Sunday"
    if lemma(clause) in TALLY_VERBS and any(n.dep_ == "dobj" and n.head.i == clause.i for n in nouns):
        return "day"  # "recorded 279 deaths Sunday", not "recorded a milestone Tuesday with 600,000"
    return None


def _per(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "each", "every", "per") for c in noun.children)


def _names_one_day(token: Token) -> bool:
    """"Sunday", "yesterday", "on Tuesday" as a modifier of a verb."""
    if token.dep_ == "npadvmod" or token.dep_ == "advmod":
        return token.lower_ in ONE_DAY_WORDS
    if token.dep_ == "prep" and token.lower_ == "on":
        return any(c.dep_ == "pobj" and c.lower_ in ONE_DAY_WORDS for c in token.children)
    return False


def _a_death_lost(verb: Token, phrase: Token) -> bool:
    """Whether "lose" says that the counted people died: their lives were lost ("three
    people lost their lives", "twelve lives were lost"), or they are the relatives lost
    ("he lost two brothers"). Other losses stay losses ("lost two seats", "lost their
    jobs", "two families lost sons": the families did not die)."""
    if lemma(verb) != LOSS_VERB or not verb.tag_.startswith("VB"):
        return False
    if phrase.head.i != verb.i:
        return False
    if phrase.dep_ == "nsubj":
        return any(c.dep_ == "dobj" and lemma(c) == LOST_LIFE for c in verb.children)
    if phrase.dep_ == "nsubjpass":
        return lemma(phrase) == LOST_LIFE
    return phrase.dep_ == "dobj" and lemma(phrase) in KIN


def _doer_of(verb: Token, phrase: Token) -> bool:
    """Whether the counted phrase is the active subject of an event it did to someone
    else: "two gunmen killed three people", "a man shot his girlfriend". The people it
    happened to are the object; an object that is the subject itself ("killed
    themselves") or a thing of its own ("injured their knees", "fled their homes") leaves
    the subject the one it happened to."""
    if phrase.dep_ != "nsubj" or phrase.head.i != verb.i or not verb.tag_.startswith("VB"):
        return False
    if family_of_token(verb) not in _DONE_TO_OTHERS:
        return False
    victim = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if victim is None or victim.lower_ in _REFLEXIVES:
        return False
    owned = any(c.dep_ == "poss" for c in victim.children)
    return not owned or victim.tag_ in _PROPER_TAGS or counts_people(lemma(victim))


def _change_by(phrase: Token) -> bool:
    """"jumped by 30 percent", "fell 4%": the number is a change in the measure, not its value."""
    return phrase.dep_ == "npadvmod" or phrase.dep_ == "pobj" and phrase.head.lower_ == "by"


def _count_of_measure(reading: Reading, measure: Token) -> None:
    """"The number of evacuated residents rose to 5,100": the number counts residents."""
    of_object = _of_object(measure)
    if of_object is not None and of_object.tag_ in _NOUN_TAGS:
        noun = _through_compounds(of_object)
        reading.counted_token, reading.counted = noun, lemma(noun)
        reading.counted_family = counted_family(reading.counted) or counted_family(noun.lower_)


def _name_predicate(token: Token) -> tuple[str, str | None]:
    word = lemma(token)
    if word in MEASURE_NOUNS:
        return word, _measure_family(token) or predicate_family(word)
    return word, family_of_token(token)


def family_of_token(token: Token) -> str | None:
    """The predicate family of a word: from how it ended ("fatally shot"), from where it
    sends its object ("shot to death", "sent to the hospital"), else by its lemma, else by
    its surface form (the tagger reads "30 are missing" as the verb "miss"), else by what
    hit its object ("struck by gunfire")."""
    return (
        OUTCOME_ADVERBS.get(token.lower_)
        or WOUNDING_ADVERBS.get(token.lower_)
        or _adverb_family(token)
        or _destination_family(token)
        or (STATES.get(lemma(token)) if token.dep_ == "pobj" and token.head.lower_ == "in" else None)
        or predicate_family(lemma(token))
        or predicate_family(token.lower_)
        or _agent_family(token)
    )


def _adverb_family(token: Token) -> str | None:
    return next(
        (OUTCOME_ADVERBS[c.lower_] for c in token.children
         if c.dep_ == "advmod" and c.lower_ in OUTCOME_ADVERBS and _elliptical_number(c) is None),
        None,
    )  # fmt: skip


def _elliptical_number(adverb: Token) -> Token | None:
    """The number an outcome adverb ends an elliptical count of, when the parser hung
    both on the verb: in "shot three officers - one fatally" the adverb is the one's, not
    the verb's (the three were shot, one of them fatally)."""
    previous = adverb.doc[adverb.i - 1] if adverb.i > 0 else None
    if previous is not None and previous.tag_ == "CD" and previous.head.i == adverb.head.i:
        return previous
    return None


def _agent_family(token: Token) -> str | None:
    """ "Struck by gunfire", "hit by stray bullets": the agent says what happened."""
    if not token.tag_.startswith("VB"):
        return None
    for child in token.children:
        if child.dep_ == "agent":
            for target in child.children:
                if target.dep_ == "pobj" and (family := AGENTS.get(lemma(target))):
                    return family
    return None


def _destination_family(token: Token) -> str | None:
    if not token.tag_.startswith("VB"):
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "into"):
            for target in child.children:
                if target.dep_ == "pobj" and (family := DESTINATIONS.get(lemma(target))):
                    return family
    return None


def _measure_family(measure: Token) -> str | None:
    """The family a measure noun counts: "death toll", "the number of injured"."""
    for child in measure.children:
        if child.dep_ in ("compound", "amod") and (family := predicate_family(lemma(child))):
            return family
    of_object = _of_object(measure)
    if of_object is not None:
        if family := predicate_family(lemma(of_object)):
            return family
        for child in of_object.children:
            if child.dep_ in _MODIFIER_DEPS and (family := predicate_family(lemma(child))):
                return family
    return None


def _predicate(phrase: Token, root: Token) -> tuple[Token | None, Token | None]:
    """(the predicate token, the verb whose clause it is in) for a noun phrase."""
    for token in (root, phrase):
        adverb = next((c for c in token.children if c.dep_ == "advmod" and c.lower_ in OUTCOME_ADVERBS), None)
        if adverb is not None:
            return adverb, token.head  # "five were shot, one fatally"
    following = root.doc[root.i + 1] if root.i + 1 < len(root.doc) else None
    if following is not None and following.dep_ == "advmod" and following.lower_ in OUTCOME_ADVERBS:
        number = _elliptical_number(following)
        if number is not None and number.i == root.i:
            return following, root.head  # "shot three officers - one fatally", both hung on "shot"
    wounding = next((c for c in root.children if c.dep_ == "advmod" and c.lower_ in WOUNDING_ADVERBS), None)
    if wounding is not None and family_of_token(root.head) in ("shot", "injured"):
        return wounding, root.head  # "three were shot, one critically": that one survived
    modifier = _event_modifier(phrase)
    if modifier is not None:
        return modifier, modifier
    if phrase is root and root.tag_ == "CD" and root.dep_ == "nummod" and root.head.tag_ in ("JJ", "VBN", "VBD"):
        return root.head, root.head  # "30 injured"
    node = phrase
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head  # "four killed and two injured": the first conjunct's role
    dep = node.dep_
    if dep == "pobj":
        return _through_preposition(node)
    if dep in _SUBJECT_DEPS or dep in ("dobj", "attr", "oprd") or dep == "npadvmod" and node.head.tag_.startswith("VB"):
        verb = node.head  # npadvmod: "rose 4%", "fell 12 points"
        while verb.dep_ in ("aux", "auxpass") and verb.head.i != verb.i:
            verb = verb.head  # "30 are missing" parsed with "are" as the head
        if dep in _SUBJECT_DEPS:
            verb = _through_raising(verb)
        survived = _survived(verb) if dep in _SUBJECT_DEPS else None
        if survived is not None:
            return survived, survived  # "four people are recovering after being shot": shot
        return _from_verb(verb, node), verb
    return None, None


def _survived(verb: Token) -> Token | None:
    """What the subject of a verb of surviving lived through, when the verb names it:
    "are recovering after being shot" -> shot, "recovering from gunshot wounds" ->
    wounds. The count is then of the people it happened to; that they survived it is
    for ``survival.py`` to read, with its provenance, never folded into the predicate."""
    if lemma(verb) not in SURVIVAL_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("after", "from"):
            for target in child.children:
                family = family_of_token(target) if target.dep_ in ("pcomp", "pobj") else None
                if is_outcome(family) and family != predicate_family(lemma(verb)):
                    return target
    return None


def _undergone(verb: Token) -> Token | None:
    """What a verb of undergoing says happened: its object ("suffered gunshot wounds")
    or what it is from ("suffering from gunshot wounds")."""
    if lemma(verb) not in _UNDERGO_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and outcome_family(lemma(child)):
            return child
        if child.dep_ == "prep" and child.lower_ == "from":
            target = next((c for c in child.children if c.dep_ == "pobj" and outcome_family(lemma(c))), None)
            if target is not None:
                return target
    return None


def _through_raising(verb: Token) -> Token:
    """From a verb that only frames what will or may happen to its subject down to the
    verb that says it: "120,000 people are expected to attend" -> attend, "300 jobs are
    set to go", "four people appear to have died"."""
    while True:
        if lemma(verb) == "be":  # "are likely to be evacuated"
            framing = next((c for c in verb.children if c.dep_ == "acomp" and c.lower_ in _RAISING_VERBS), None)
            if framing is None:
                return verb
            verb = framing
        if lemma(verb) not in _RAISING_VERBS and verb.lower_ not in _RAISING_VERBS:
            return verb
        complement = next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_.startswith("VB")), None)
        if complement is None:
            return verb
        verb = complement


def _event_modifier(noun: Token) -> Token | None:
    """A modifier of the noun that names an event: "two others injured", "people who died".

    The word right after the noun counts too when it is a participle or adjective of an
    event however the parser attached it: the small model often hangs "injured" in
    "two others injured" on a noun further back."""
    candidates = [c for c in noun.children if c.dep_ in _MODIFIER_DEPS]
    following = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if following is not None and following.dep_ in ("acl", "amod", "oprd") and following.tag_ in ("VBN", "JJ"):
        candidates.append(following)
    for child in candidates:
        target = child
        if child.dep_ in ("relcl", "acl") and lemma(child) in _LINKING_VERBS:
            target = _complement(child) or child  # "people who were found dead", "reported injured"
        elif child.dep_ in ("relcl", "acl"):
            target = _undergone(child) or child  # "four men suffering from gunshot wounds"
        if target is child and _done_by_the_noun(child):
            continue  # "the two men who shot the officer": the men did it
        if family_of_token(target):
            return target
    return None


def _done_by_the_noun(clause: Token) -> bool:
    """A relative or participle clause in which the noun does the event to someone else
    ("the two men who shot the officer"), not one that says what happened to the noun
    ("the people who were shot"): its subject is the relative pronoun (or left out), its
    verb an event done to others, and its object someone other than the noun itself."""
    if family_of_token(clause) not in _DONE_TO_OTHERS:
        return False
    subject = next((c for c in clause.children if c.dep_ in _SUBJECT_DEPS), None)
    if subject is not None and (subject.dep_ != "nsubj" or subject.lower_ not in ("who", "that", "which")):
        return False
    victim = next((c for c in clause.children if c.dep_ == "dobj"), None)
    return victim is not None and victim.lower_ not in _REFLEXIVES and victim.lower_ not in ("whom", "who", "that")


def _complement(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in _COMPLEMENT_DEPS and child.tag_ not in ("CD", "PRP"):
            return child
    if lemma(verb) in _LINKING_VERBS:
        for child in verb.children:  # "left four people wounded", parsed as an adverbial
            if child.dep_ == "advcl" and child.tag_ in ("VBN", "JJ") and family_of_token(child):
                return child
    return None


def _last_shared_conjunct(verb: Token, node: Token) -> Token:
    """"was shot and killed", "were arrested and charged": verbs that share the subject
    report one sequence of events; the last one is where it ended. A conjunct with its
    own word in ``node``'s role says something of another phrase: in "killed four
    people and injured two others" the four were killed. An object written before the
    conjunct is the first verb's ("killed one teen and wounded ..."); one written after
    both is shared ("shot and killed two people")."""
    is_object = node.dep_ in _OBJECT_DEPS
    roles = _OBJECT_DEPS if is_object else _SUBJECT_DEPS
    while True:
        follower = next(
            (
                c for c in verb.children
                if c.dep_ == "conj" and c.tag_.startswith("VB") and family_of_token(c)
                and not any(g.dep_ in roles for g in c.children)
                and not (is_object and node.i < c.i)
            ),
            None,
        )  # fmt: skip
        if follower is None:
            return verb
        verb = follower


def _through_preposition(obj: Token) -> tuple[Token | None, Token | None]:
    """"rose to 12", "sentenced to 20 years", "charged with four counts", "a toll of 12"."""
    preposition = obj.head
    governor = preposition.head
    if governor.i == preposition.i:
        return None, None
    if governor.tag_ in _NOUN_TAGS:
        if (
            preposition.lower_ == "of"
            and lemma(governor) in _BARE_MEASURES
            and _measure_family(governor) is None
            and governor.dep_ in (*_SUBJECT_DEPS, *_OBJECT_DEPS)
        ):
            return _predicate(governor, governor)  # "a total of four people were hurt"
        if lemma(governor) in MEASURE_NOUNS or predicate_family(lemma(governor)):
            return governor, _clause_verb(governor)  # "a death toll of 12", "spending of $5m"
        if preposition.lower_ == "of":
            return _predicate(governor, governor)  # "a convoy of 40 trucks was attacked"
        return None, None
    if governor.tag_.startswith("VB"):
        if preposition.lower_ == "of" and governor.dep_ == "acl" and lemma(governor) in _COMPOSITION_VERBS:
            return _predicate(governor.head, governor.head)  # "a cadre made of 2,600 soldiers, sent to Kursk"
        if preposition.lower_ == "of" and any(c.dep_ in _SUBJECT_DEPS and c.i > preposition.i for c in governor.children):
            return None, None  # "Of the five men, two are ...": the whole, not what happened to it
        return _from_verb(governor, obj), governor
    return None, None


def _clause_verb(token: Token) -> Token | None:
    node = token
    while node.head.i != node.i and not node.tag_.startswith("VB"):
        node = node.head
    return node if node.tag_.startswith("VB") else None


def _from_verb(verb: Token, node: Token) -> Token:
    """What a verb says of its subject or object ``node``."""
    verb = _last_shared_conjunct(verb, node)
    word = lemma(verb)
    subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c is not node), None)
    if word in _MEASURE_VERBS and subject is not None and subject.tag_ in _NOUN_TAGS:
        if lemma(subject) in MEASURE_NOUNS or predicate_family(lemma(subject)):
            return subject  # "the death toll rose to 12", "turnout was 62%"
    undergone = _undergone(verb)
    if undergone is not None:
        return undergone  # "four people suffered gunshot wounds", "suffered from burns"
    if word in _LINKING_VERBS or not family_of_token(verb):
        complement = _complement(verb)
        if complement is not None and (family_of_token(complement) or word in _LINKING_VERBS):
            return complement  # "are dead", "were found dead", "left four people dead"
        # Only people are in a condition that says they were hurt: not "bridges in poor condition".
        person = node.tag_ == "CD" or not node.tag_.startswith("NN") or counts_people(lemma(node))
        state = _state(verb) if word in _LINKING_VERBS and person else None
        if state is not None:
            return state  # "two are in critical condition", "listed in stable condition"
    return verb


def _state(verb: Token) -> Token | None:
    """The noun of a state someone is in ("in critical condition"), when it says what
    happened to them."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            for target in child.children:
                if target.dep_ == "pobj" and lemma(target) in STATES:
                    return target
    return None


def _read_part(reading: Reading, root: Token, phrase: Token, whole_token: Token | None) -> None:
    if whole_token is not None:
        reading.part = True
        reading.whole = number_value(whole_token.text)
    elif (of_object := _of_object(root)) is not None and (
        of_object.tag_ in ("PRP", "WP") or any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in of_object.children)
    ):
        reading.part = True  # "two of them", "one of the envoys", "three of its members"
    modifiers = [*phrase.children, *root.children]
    if reading.counted in _PART_WORDS or any(
        c.lower_ in _PART_WORDS and c.dep_ in ("amod", "advmod", "quantmod") and not _comparative(c) for c in modifiers
    ):
        reading.part = True  # "two others", "three more people"; not "more than 180"
    if root.lower_ in _PART_WORDS and not _comparative(root):
        reading.part = True
    for noun in (phrase, _container(phrase)):
        if noun is not None and any(c.dep_ == "amod" and c.lower_ in _WAVE_WORDS for c in noun.children):
            reading.part = True  # "the first 2,600 soldiers", "a first cadre made of 2,600"
    for token in (phrase, phrase.head):
        if token.dep_ == "pobj" and token.head.lower_ in ("including", "among"):
            reading.part = True  # "including three children"
            whole = _number_child(token.head.head) if token.head.head.tag_ in _NOUN_TAGS else None
            if whole is not None:
                reading.whole = number_value(whole.text)
            break
    for child in phrase.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i < phrase.i:
            of_object = next((c for c in child.children if c.dep_ == "pobj"), None)
            number = _number_child(of_object) if of_object is not None else None
            if number is not None:
                reading.part, reading.whole = True, number_value(number.text)  # "of the six, one"
    head = phrase.head
    for child in head.children if phrase.dep_ in _SUBJECT_DEPS else ():
        if child.dep_ == "prep" and child.lower_ == "of" and child.i < phrase.i:
            of_object = next((c for c in child.children if c.dep_ == "pobj"), None)
            number = _number_child(of_object) if of_object is not None else None
            if number is not None:
                reading.part, reading.whole = True, number_value(number.text)  # "Of the six men, one died"


def _container(phrase: Token) -> Token | None:
    """The noun a counted phrase makes up: "a cadre (made) of 2,600 soldiers" -> cadre."""
    if phrase.dep_ != "pobj" or phrase.head.lower_ != "of":
        return None
    governor = phrase.head.head
    if governor.dep_ == "acl" and lemma(governor) in _COMPOSITION_VERBS:
        governor = governor.head
    return governor if governor.tag_ in _NOUN_TAGS else None


def _comparative(token: Token) -> bool:
    """"more than 180": a bound on the number, not a part added to a whole."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and following.lower_ == "than"


def _stage(clause: Token, phrase: Token, predicate: Token | None) -> Stage:
    if predicate is not None and predicate.tag_ in _NOUN_TAGS and lemma(predicate) in MEASURE_NOUNS:
        return "cumulative"  # "the toll", "the count" (the noun, not "counted")
    if predicate is not None and predicate.tag_ in _NOUN_TAGS and lemma(clause) in _MEASURE_VERBS and clause is not predicate:
        return "cumulative"  # "will surpass 600,000 deaths", "deaths hit 600,000": a total reaching a mark
    if _says_cumulative(clause) or _says_cumulative(phrase):
        return "cumulative"
    verb = clause if clause.tag_.startswith("VB") else _clause_verb(clause)
    if verb is None:
        return "unknown"
    for node in (verb, verb.head):
        auxiliaries = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in _FUTURE_AUXILIARIES for a in auxiliaries):
            return "planned"
        if any(a.lower_ == "to" for a in auxiliaries) and (
            lemma(node.head) in _PLAN_VERBS or node.head.lower_ in _FUTURE_FRAMES
        ):
            return "planned"
        if node.dep_ not in ("xcomp", "acl", "relcl"):
            break
    if verb.dep_ == "pcomp" and verb.head.lower_ == "after":
        return "done"  # "recovering after being shot": the event came before
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    adjectival = predicate_family(verb.lower_) and not predicate_family(lemma(verb))  # "are missing"
    if verb.tag_ == "VBG" and not adjectival and any(a.lower_ in ("is", "are", "was", "were", "being", "been", "'s", "'re") for a in auxiliaries):
        return "ongoing"
    if any(a.lower_ == "being" for a in auxiliaries):
        return "ongoing"
    if verb.tag_ == "VBD" or any(a.lower_ in _PAST_AUXILIARIES for a in auxiliaries):
        return "done"
    if verb.tag_ == "VBN" and any(a.lower_ in ("was", "were", "been", "is", "are") for a in auxiliaries):
        return "done"
    if verb.tag_ in ("VBZ", "VBP") and (adjectival or lemma(verb) == "be" and predicate is not None and predicate is not verb):
        return "done"  # "four people are dead"
    if adjectival and any(a.lower_ in ("is", "are", "was", "were") for a in auxiliaries):
        return "done"
    return "unknown"


def _says_cumulative(token: Token) -> bool:
    words = [c for c in token.subtree] if token.dep_ != "ROOT" else list(token.children)
    lowered = [w.lower_ for w in words]
    if any(w in _CUMULATIVE_WORDS for w in lowered):
        return True
    pairs = set(zip(lowered, lowered[1:]))
    return any(pair in pairs for pair in _CUMULATIVE_ADVERBS) or _has_cumulative_adverb(token)


def _has_cumulative_adverb(token: Token) -> bool:
    for child in token.children:
        if child.dep_ in ("advmod", "prep") and " ".join(t.lower_ for t in child.subtree) in (
            "so far", "to date", "thus far", "in total", "in all",
        ):
            return True
    return False


def _negated(clause: Token, predicate: Token | None) -> bool:
    for token in (clause, predicate):
        if token is not None and any(c.dep_ == "neg" for c in token.children):
            return True
    node = clause
    while node.head.i != node.i:
        node = node.head
        if lemma(node) in _DENIAL_VERBS:
            return True
    return False
