"""People shot who, the article states elsewhere, survived: a count of the injured.

"Four people were shot" says nothing of how it ended, and silence is never read as
survival. But an article that also states that those victims lived ("all four are
expected to survive", "the victims were taken to hospital in stable condition", "none of
the injuries were life-threatening") ties the count of people shot to a count of people
hurt. That count is ``derived`` ("survivors"): ``derived_from`` names the stated count of
people shot and the sentence that states their survival, each verbatim with its offsets
into the article, and grouping never builds a conflict on it.

The survival statement is read from the parse and must be about those victims, all of
them: its subject is a plural of people with a definite or universal determiner ("the
victims", "all four", "both men", "they"), or their injuries ("the victims' injuries",
"none of the injuries"); never one person ("the man is in stable condition") or a part
("the three other victims"). A number in the subject must be the count it ties to.
When the article reports a death, only a statement that gives its number ("all four
are expected to survive") or that stands in the very sentence of the count is tied to
it: elsewhere "all are expected to survive" may then be about the survivors only (the
split is read where a sentence states it, ``derived.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index.extract.lemmas import lemma
from index.extract.nlp import get_nlp, parse_syntax
from index.extract.numbers import number_value
from index.models import DerivedTerm, Figure
from index.vocabulary import SURVIVAL_STATES, SURVIVAL_VERBS, names_people

# Cheap test before a sentence the pipeline did not parse is parsed for this.
_HINT = re.compile(r"surviv|recover|condition|life-threatening", re.IGNORECASE)
_LIFE_THREATENING = re.compile(r"(?P<non>non-?\s*)?life-threatening$", re.IGNORECASE)
_WHOLE_WORDS = frozenset("all both each every everyone everybody none".split())
_DEFINITE = frozenset("the these those their all both".split())
_PLURAL_PRONOUNS = frozenset({"they", "them"})
_PART_WORDS = frozenset("other others another remaining rest".split())
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class ParsedSentence:
    """A sentence of the article: its text, where it starts, its parse (None when the
    pipeline did not parse it), and the figures read from it."""

    text: str
    start: int
    doc: Doc | None
    figures: list[Figure]


def survivor_counts(sentences: Sequence[ParsedSentence]) -> list[list[Figure]]:
    """For each sentence, the injured counts worked out from a count of people shot in it
    and a statement elsewhere in the article that they all survived."""
    found: list[list[Figure]] = [[] for _ in sentences]
    wholes = [(i, f) for i, s in enumerate(sentences) for f in s.figures if _is_whole(f)]
    if not wholes:
        return found
    deaths = any(_reports_death(f) for s in sentences for f in s.figures)
    statements = [(i, said) for i, s in enumerate(sentences) if (said := _survival(s)) is not None]
    done: set[float] = set()
    for at, said in statements:
        sentence, number = sentences[at], said.number
        if any(_reports_death(f) for f in sentence.figures):
            continue  # "four were shot and one died; the rest are expected to survive"
        # A statement in the very sentence of a count is about that count ("four men were
        # shot …, though all are believed to have survived"), whatever else the article reports.
        own = [(i, f) for i, f in wholes if i == at]
        candidates = own or wholes
        if number is None and (len({f.value for _, f in candidates}) != 1 or (deaths and not own)):
            continue  # "all survived", but all of whom: everyone shot, or those who lived?
        for i, whole in candidates:
            if whole.value in done or whole.value != (number or whole.value) or whole.value < 2:
                continue  # a plural subject ("they", "the victims") is never one person shot
            done.add(whole.value)
            found[i].append(_derived(whole, sentence))
    return found


def _is_whole(figure: Figure) -> bool:
    return (
        figure.predicate_family == "shot" and figure.kind == "count" and figure.derived is None
        and not (figure.part or figure.negated or figure.vague) and figure.low == figure.high
        and figure.counted_family in (None, "people", "officers")
    )  # fmt: skip


def _reports_death(figure: Figure) -> bool:
    return figure.predicate_family == "killed" and not figure.negated and figure.value >= 1


def _derived(whole: Figure, sentence: ParsedSentence) -> Figure:
    statement = DerivedTerm(
        value=whole.value, predicate_family="survived", text=sentence.text, start=sentence.start,
        end=sentence.start + len(sentence.text),
    )
    shot = DerivedTerm(value=whole.value, predicate_family="shot", text=whole.text, start=whole.start, end=whole.end)
    return whole.model_copy(
        update={
            "predicate": None, "predicate_family": "injured", "derived": "survivors",
            "derived_from": [shot, statement],
        }
    )


@dataclass
class _Survival:
    """A sentence's statement that all the victims survived; ``number``: how many its
    subject says they are ("all four"), or None ("the victims")."""

    number: float | None


def _survival(sentence: ParsedSentence) -> _Survival | None:
    """The sentence's statement that all the victims survived, if it makes one; parsed
    here when the pipeline had no reason to parse it (no number, cue or event word)."""
    if not _HINT.search(sentence.text):
        return None
    doc = sentence.doc if sentence.doc is not None and sentence.doc.has_annotation("DEP") else _parse(sentence.text)
    for token in doc:
        clause = _surviving_clause(token)
        if clause is None:
            continue
        subject = _subject(clause)
        if subject is not None and (whole := _all_victims(subject)) is not None:
            return _Survival(whole[1])
    return None


def _parse(text: str) -> Doc:
    return parse_syntax(get_nlp().make_doc(text))


def _surviving_clause(token: Token) -> Token | None:
    """The verb whose subject is said to have survived, when ``token`` says so:
    "survived", "are recovering", "in stable condition", "non-life-threatening injuries",
    "the injuries were not life-threatening"."""
    word = lemma(token)
    if token.tag_.startswith("VB") and word in SURVIVAL_VERBS and not _negated(token):
        return token
    if word == "condition" and token.dep_ == "pobj" and any(c.lower_ in SURVIVAL_STATES for c in token.children):
        return token.head.head  # "taken to hospital in stable condition": the verb "in" hangs on
    threat = _LIFE_THREATENING.search(token.doc.text, max(0, token.idx - 20), token.idx + len(token))
    if token.lower_ != "threatening" or threat is None:
        return None
    if threat.group("non"):
        if token.dep_ != "amod":
            return token.head  # "the injuries appear to be non-life-threatening"
        noun = token.head  # "with non-life-threatening injuries", "suffered non-… injuries"
        return noun.head.head if noun.dep_ == "pobj" else noun.head
    if _negated(token) or _negated(token.head):
        return token.head  # "the injuries were not life-threatening"
    return None


def _negated(token: Token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    return any(c.dep_ in _SUBJECT_DEPS and c.lower_ == "none" for c in token.children)


def _subject(verb: Token) -> Token | None:
    """The subject of ``verb``, or of the verb it completes ("expected to survive"); None
    when a verb on the way is negated ("were not expected to survive")."""
    node = verb
    while True:
        if node.i != verb.i and any(c.dep_ == "neg" for c in node.children):
            return None
        subject = next((c for c in node.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        if node.dep_ in ("xcomp", "conj", "acomp") and node.head.i != node.i:
            node = node.head
            continue
        return None


def _all_victims(subject: Token) -> tuple[Token, float | None] | None:
    """(the noun, the number it gives) when the subject names all the victims."""
    if subject.lower_ in _PLURAL_PRONOUNS:
        # "they were both taken to hospital": "both" beside the pronoun says they are two
        both = any(c.lower_ == "both" and c.dep_ != "preconj" for t in (subject, subject.head) for c in t.children)
        return subject, (2 if both else None)
    noun, number = subject, None
    if subject.lower_ in _WHOLE_WORDS:
        of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if target is None:
            if subject.lower_ == "both":
                return subject, 2
            return (subject, None) if subject.lower_ in ("all", "everyone", "everybody") else None
        noun = target
    if any(c.lower_ == "both" for c in noun.children) or subject.lower_ == "both":
        number = 2  # "both victims", "both of the men"
    elif subject.tag_ == "CD":
        number = number_value(subject.text)
        if number is None:
            return None
        return subject, number  # "all four are expected to survive" reads "four" as subject
    if noun.tag_ != "NNS" or noun.lower_ in _PART_WORDS or any(c.lower_ in _PART_WORDS for c in noun.children):
        return None  # "two others were hospitalised", "the three other victims": a part
    for child in noun.children:
        if child.tag_ == "CD":
            number = number_value(child.text)
    if lemma(noun) in ("injury", "wound"):
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is not None and not (owner.lower_ == "their" or (owner.tag_ == "NNS" and names_people(lemma(owner)))):
            return None
        return noun, number
    if not names_people(lemma(noun)):
        return None
    determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "predet", "poss")}
    if number is None and not determiners & _DEFINITE and noun.head.lower_ not in _WHOLE_WORDS:
        return None  # "victims were hospitalised" without "the": which victims?
    return noun, number
