"""Counts that a sentence states without a number: "a man and a woman were found dead"
(2), "both victims died" (2), "a woman was wounded" (1), "another man was shot" (1),
"a double murder" (2 killed), "a triple shooting" (3 shot).

Only people, and only when the parse ties them to an event that happens to people
(killed, injured, shot, arrested …): "a man said" or "a woman in a red coat" count
nothing worth checking. The figure's text is the noun phrase itself, verbatim.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from index.extract.lemmas import lemma
from index.extract.readings import Reading, read_noun_phrase
from index.vocabulary import OUTCOME_COUNTS, is_outcome, mentions_outcome, names_people, outcome_family

_SINGULAR_DETERMINERS = frozenset({"a", "an", "another"})
_DETERMINERS = _SINGULAR_DETERMINERS | {"both"}


def implied_counts(doc: Doc, text: str) -> list[tuple[int, int, float, Reading]]:
    """(start, end, value, reading) of each implied count; ``text`` is ``doc.text``."""
    # "Both are in critical condition" names no event word: its state says what happened.
    found: list[tuple[int, int, float, Reading]] = _pronoun_counts(doc)
    if not mentions_outcome(text):
        return found
    found += _multiples(doc)
    for determiner in doc:
        word = determiner.lower_
        if word not in _DETERMINERS or determiner.dep_ not in ("det", "predet"):
            continue
        noun = determiner.head
        if noun.i < determiner.i or _in_counted_coordination(noun) or not _is_people(noun) or _has_number(noun):
            continue
        if word == "both" and noun.tag_ == "NNS":
            value, last = 2, noun
        elif word in _SINGULAR_DETERMINERS and noun.tag_ == "NN":
            members = _coordinated(noun)
            if members is None:
                continue
            value, last = len(members), members[-1]
        else:
            continue
        reading = read_noun_phrase(noun)
        if not is_outcome(reading.predicate_family):
            continue
        if value > 1 and len({lemma(m) for m in _coordinated(noun) or [noun]}) > 1:
            reading.counted, reading.counted_token = None, None  # "a man and a woman"
        if word == "another":
            reading.part = True
        found.append((determiner.idx, last.idx + len(last.text), float(value), reading))
    return found


def _in_counted_coordination(noun: Token) -> bool:
    """Whether ``noun`` follows another conjunct that counts the coordination ("a man
    and a woman" is counted from "a man"). After a plural or a number ("left three dead
    and a girl wounded", "women ... and a wounded girl") it stands for itself."""
    if noun.dep_ != "conj":
        return False
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    return first.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in _SINGULAR_DETERMINERS for c in first.children)


def _is_people(noun: Token) -> bool:
    return noun.tag_ in ("NN", "NNS") and names_people(lemma(noun))


def _has_number(noun: Token) -> bool:
    return any(c.dep_ == "nummod" or c.tag_ == "CD" for c in noun.children)


def _coordinated(noun: Token) -> list[Token] | None:
    """The noun and its coordinated singular people ("a man and a woman"), or None when
    the coordination holds anything else (then the count is not clear)."""
    members = [noun]
    node = noun
    while True:
        follower = next((c for c in node.children if c.dep_ == "conj"), None)
        if follower is None:
            return members
        determiner = next((c for c in follower.children if c.dep_ == "det"), None)
        if not _is_people(follower) or follower.tag_ != "NN" or determiner is None or determiner.lower_ not in ("a", "an"):
            return None
        members.append(follower)
        node = follower


_CLAUSE_ROLES = frozenset({"nsubj", "nsubjpass", "dobj"})


def _pronoun_counts(doc: Doc) -> list[tuple[int, int, float, Reading]]:
    """"Both are listed in critical condition", "both of them were killed": "both"
    standing as the subject or object of an event that happens to people counts two of
    them; "the other" standing so counts one, a part ("one died and the other was
    wounded", "injured one of his daughters and killed the other"). The event, read from
    the parse, must be one that happens to people."""
    found = []
    for word in doc:
        if word.dep_ not in _CLAUSE_ROLES:
            continue
        if word.lower_ == "both" and word.tag_ == "DT":
            value, part, start = 2.0, False, word.idx
        elif word.lower_ == "other" and (article := _the(word)) is not None:
            value, part, start = 1.0, True, article.idx
        else:
            continue
        reading = read_noun_phrase(word)
        if not is_outcome(reading.predicate_family):
            continue
        # "both of them" names the two, it is no part of them; what is counted is not named.
        reading.counted, reading.counted_token, reading.counted_family = None, None, OUTCOME_COUNTS
        reading.part, reading.whole = part, None
        found.append((start, word.idx + len(word.text), value, reading))
    return found


def _the(word: Token) -> Token | None:
    return next((c for c in word.children if c.dep_ == "det" and c.lower_ == "the"), None)


# "a double murder", "a triple shooting": the multiple counts the people the event
# happened to, not events.
_MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}


def _multiples(doc: Doc) -> list[tuple[int, int, float, Reading]]:
    found = []
    for multiple in doc:
        value = _MULTIPLES.get(multiple.lower_)
        event = multiple.head
        if value is None or multiple.dep_ not in ("amod", "compound", "nmod") or event.i <= multiple.i:
            continue
        if not is_outcome(outcome_family(lemma(event))):
            continue
        reading = read_noun_phrase(event)
        reading.counted, reading.counted_family, reading.counted_token = None, OUTCOME_COUNTS, None
        reading.stage = "done"  # the event named happened, whatever is said of it now
        found.append((multiple.idx, event.idx + len(event.text), float(value), reading))
    return found
