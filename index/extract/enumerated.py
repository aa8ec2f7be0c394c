"""Counts stated person by person: people named one by one, in one sentence or across
an article.

* **In one sentence**: "Roe, Poe and Doe were pronounced dead" names three people
  the same predicate happened to: 3 killed. A coordination of named people, or of
  singular nouns of people with a determiner or possessive ("a woman and toddler", "his
  girlfriend and her son"), as the patient of an event that happens to people (subject
  of "died", "were killed", "are dead"; object of "killed", "wounding", "left … dead")
  counts its conjuncts. An apposition is the same person ("his daughter, Ann Roe").
* **Across an article**: "Jo Roe, 24, died at the scene." … "A second man, identified
  as Al Poe, died at the hospital." Each sentence names one victim of the same fate; the
  article's count is the fewest people those sentences can be. A victim is counted on
  top of those named before only when the sentence says so: an addition word on the
  person ("another man", "the other victim", "a second victim") or on the predicate
  ("was also killed"). Otherwise two mentions may be one person ("A man was killed" and
  "Jo Roe died"), so the count is the largest group any one sentence names. Names
  that nothing ties together (two different people, each named as dying, with no
  addition word) may come from two incidents: the count is refused; so is one when a
  possessive description or a new name stands beside it with nothing saying whether it
  is one of those counted ("Officer Quill was killed" … "the man had murdered his
  wife"). A count of one is kept only from a name ("Jo Roe died at the scene"); "the
  girl" or "his son" alone may be one of people counted elsewhere.

Never counted: a suspect (a noun of the suspects family, or a named person the article
makes the agent of a shooting or killing, or charges or arrests, except when counting
the charged or arrested), the agent of the predicate ("Roe killed his wife": only the
wife), a person in a negated clause ("the mother was not injured"), reflexives ("killed
himself"), pronouns, plural nouns without a number ("the victims"), "each person", words
in capitals (datelines, transcripts), a coordination with any conjunct that is not
counted so ("the gunman and a bystander", "his wife and two daughters", a ``sum`` in
``derived.py``), and, across the article, people in a sentence about another event ("in
a previous shooting", "two years ago", a year).

Any count (a sentence's or the article's) is kept only where the article states no
count of that fate with a number of its own, or one of the same value: there the stated
count is the article's, and people named one by one may be only some of them
(``bench/enumerated.py`` measures how often they would disagree). An article-wide
count is also not repeated where a figure of the same value and fate stands in the
article ("a man was killed" is read as 1 by ``implied.py``).

Each figure is ``derived`` = ``enumerated``; ``derived_from`` holds one term per person
or sentence it counts, verbatim with article offsets (a sentence's people by their own
words, the other sentences whole, so that ``/claims`` quotes them beside the count).
Grouping never builds a conflict on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from index.extract.lemmas import lemma
from index.extract.numbers import find_numbers
from index.extract.readings import family_of_token, read_noun_phrase
from index.extract.survival import ParsedSentence
from index.models import DerivedTerm, Figure
from index.vocabulary import (
    ADDITION_ADVERBS,
    ADDITION_WORDS,
    COURT_FAMILIES,
    ELSEWHEN_ADVERBS,
    ELSEWHEN_WORDS,
    OUTCOME_COUNTS,
    PEOPLE_FAMILIES,
    counted_family,
    happens_to_people,
    mentions_outcome,
    names_people,
    outcome_family,
    predicate_family,
)

_PATIENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
# Verbs whose subject is the one it happened to, and whose object is not: "Roe died",
# "Roe fled the town", unlike "Roe killed his wife".
_UNDERGOING_VERBS = frozenset("die perish drown succumb flee escape survive recover miss disappear".split())
# Words before a noun that belong to the person's phrase: "his 31-year-old girlfriend".
_PHRASE_DEPS = frozenset({"det", "poss", "amod", "compound", "nummod"})
# Determiners that pick out one person ("each person", "no one" do not).
_SINGLE_DETERMINERS = frozenset("a an the this that another".split())
_SUSPECT_FAMILY = "suspects"
_VICTIM_FAMILIES = PEOPLE_FAMILIES - {OUTCOME_COUNTS, _SUSPECT_FAMILY}
_AGENT_FAMILIES = frozenset({"killed", "shot", "injured"})
_ACCUSED_FAMILIES = COURT_FAMILIES | {"arrested"}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*")


@dataclass
class _Victim:
    """One person a predicate happened to, as the sentence names them."""

    token: Token
    start: int  # offsets into the sentence
    end: int
    name: tuple[str, ...] | None  # the words of a named person's name, lowercased
    added: bool  # "another man", "the other victim", "a second victim"
    person: bool = True  # False: a proper noun the recogniser did not call a person
    possessive: bool = False  # "his wife", "Roe's son"


@dataclass
class Mention:
    """The people one predicate of one sentence says an event happened to."""

    sentence: int
    family: str
    stage: str
    victims: list[_Victim] = field(default_factory=list)
    added: bool = False  # the sentence says they are besides people named before


@dataclass
class Tally:
    """An article's count of one fate, worked out from its victims named one by one:
    where it would stand (``sentence``), its figure, and why it is not kept (``refused``,
    None when kept)."""

    family: str
    sentence: int
    figure: Figure
    refused: str | None = None


def enumerated_counts(sentences: Sequence[ParsedSentence]) -> list[list[Figure]]:
    """For each sentence, the counts of people it and the article name one by one."""
    found: list[list[Figure]] = [[] for _ in sentences]
    mentions = people_named(sentences)
    for at, figure in sentence_counts(sentences, mentions):
        stated = stated_values(sentences, figure.predicate_family)
        if stated and figure.value not in stated:
            continue  # a part of the count the article states, or of another event
        found[at].append(figure)
    for tally in article_tallies(sentences, mentions, [f for figures in found for f in figures]):
        if tally.refused is None:
            found[tally.sentence].append(tally.figure)
    return found


def people_named(sentences: Sequence[ParsedSentence]) -> list[list[Mention]]:
    """For each sentence, the people each of its predicates says an event happened to."""
    suspects = _suspect_names(sentences)
    return [_mentions(sentence, at, suspects) for at, sentence in enumerate(sentences)]


def sentence_counts(sentences: Sequence[ParsedSentence], mentions: list[list[Mention]]) -> list[tuple[int, Figure]]:
    """(sentence index, figure) for each group of two or more people one predicate of a
    sentence names, where no figure of the sentence already counts them."""
    counts = []
    for at, sentence in enumerate(sentences):
        seen = set()
        for mention in mentions[at]:
            if len(mention.victims) < 2 or _already_counted(sentence, mention):
                continue
            figure = _sentence_figure(sentence, mention)
            if (figure.start, figure.end, figure.predicate_family) not in seen:  # "were shot and killed"
                seen.add((figure.start, figure.end, figure.predicate_family))
                counts.append((at, figure))
    return counts


def stated_values(sentences: Sequence[ParsedSentence], family: str | None) -> set[float]:
    """The counts of ``family`` the article states with a number of its own."""
    return {f.value for s in sentences for f in s.figures if f.predicate_family == family and _states_count(f)}


def article_tallies(
    sentences: Sequence[ParsedSentence], mentions: list[list[Mention]], enumerated: Sequence[Figure] = ()
) -> list[Tally]:
    """Per fate, the article's count of people named one by one, kept or refused;
    ``enumerated``: the counts kept from single sentences."""
    by_family: dict[str, list[Mention]] = {}
    for at, sentence in enumerate(sentences):
        if _about_another_event(sentence):
            continue
        for mention in mentions[at]:
            by_family.setdefault(mention.family, []).append(mention)
    tallies = []
    for family, mentions in by_family.items():
        tally = _tally(sentences, family, mentions)
        if tally is None:
            continue
        figures = [f for s in sentences for f in s.figures] + list(enumerated)
        stated = stated_values(sentences, family)
        if tally.refused is None and stated and tally.figure.value not in stated:
            tally.refused = "stated"  # the article gives its count itself: these may be some of them
        elif tally.refused is None and any(
            f.predicate_family == family and f.value == tally.figure.value and not f.negated for f in figures
        ):
            tally.refused = "shown"  # already read from one sentence
        tallies.append(tally)
    return tallies


def _tally(sentences: Sequence[ParsedSentence], family: str, mentions: list[Mention]) -> Tally | None:
    """The fewest people the mentions can be: the largest group one sentence names,
    plus those a later sentence says are more ("also", "another", "a second")."""
    count = 0
    names: list[tuple[str, ...]] = []
    used: list[Mention] = []
    unsure = False
    for mention in mentions:
        fresh = [v for v in mention.victims if v.name is None or not any(_same_name(v.name, n) for n in names)]
        added = mention.added or any(v.added for v in mention.victims)
        if count and added:
            if fresh:  # "Al Poe was also killed"; not "Roe was also shot" of Roe named before
                count += len(fresh)
                used.append(mention)
        elif len(mention.victims) > count:
            count, used = len(mention.victims), [mention]
        elif any(v.name is not None or v.possessive for v in fresh) and len(_distinct(names)) >= count:
            # "his wife" or a new name beside people all named already, nothing saying
            # whether it is one of them ("the officer was killed" … "Officer Roe was
            # killed" may be one person; "a man", "the man" are read as one counted)
            unsure = True
        names += [v.name for v in fresh if v.name is not None]
    if not count:
        return None
    figure = _article_figure(sentences, family, count, used)
    refused = None
    if len(_distinct(names)) > count:
        refused = "names"  # different people, more than anything ties together: maybe two incidents
    elif unsure:
        refused = "unsure"
    elif count == 1 and used[0].victims[0].name is None:
        refused = "unnamed"  # "the girl", "his son" alone may be one of people counted elsewhere
    return Tally(family=family, sentence=used[0].sentence, figure=figure, refused=refused)


def _distinct(names: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    people: list[tuple[str, ...]] = []
    for name in names:
        if not any(_same_name(name, other) for other in people):
            people.append(name)
    return people


def _same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """"Roe" and "Jo Roe" may be one person; "Kara Roe" and "Ben Roe" are two."""
    return set(a) <= set(b) or set(b) <= set(a)


def _states_count(figure: Figure) -> bool:
    """A count the article gives with a number of its own: not worked out, not a part
    ("two others"), not vague or denied, and written as a number ("a man was killed" and
    "a 46-year-old woman died" are implied, not stated)."""
    if figure.kind != "count" or figure.derived is not None or figure.part or figure.vague or figure.negated:
        return False
    return _BOTH.search(figure.text) is not None or any(
        figure.low <= n.value <= figure.high for n in find_numbers(figure.text)
    )


_BOTH = re.compile(r"\bboth\b", re.IGNORECASE)


# --------------------------------------------------------------------- one sentence


def _mentions(sentence: ParsedSentence, at: int, suspects: list[tuple[str, ...]]) -> list[Mention]:
    doc = sentence.doc
    if doc is None or not doc.has_annotation("DEP") or not _may_tell_a_fate(sentence.text):
        return []
    names = _names(doc)
    by_predicate: dict[tuple[int, int, str], Mention] = {}
    for token in doc:
        victim = _victim(token, names)
        if victim is None:
            continue
        reading = read_noun_phrase(token)
        predicate, family = reading.predicate_token, reading.predicate_family
        if predicate is None or reading.negated or not happens_to_people(family) or not _patient(token, predicate):
            continue
        if victim.name is not None and not _may_be_named(victim, family, suspects):
            continue
        # One phrase of people: the same role of the same word ("Roe and Poe were killed",
        # and "Roe, Poe were killed" parsed as two subjects), not two phrases one
        # predicate reaches ("mark the spot where her son was killed").
        argument = _argument(token)
        key = (predicate.i, argument.head.i, argument.dep_)
        mention = by_predicate.setdefault(key, Mention(sentence=at, family=family or "", stage=reading.stage))
        mention.victims.append(victim)
        mention.added |= _added_on_predicate(predicate)
    people = [t.i for t in doc if _victim(t, names) is not None]
    for mention in by_predicate.values():
        _add_listed(mention, names)
        for victim in mention.victims:
            # "my cousin got shot and my other cousin is dead": other than the one just named
            victim.added &= not any(i < victim.token.i for i in people)
    return [m for m in by_predicate.values() if _all_determined(m) and _whole_coordination(m)]


def _may_tell_a_fate(text: str) -> bool:
    """Cheap test before a sentence's people are read: a word of an event that happens
    to people, or of a state or place it leaves them in ("in stable condition")."""
    return mentions_outcome(text) or _STATE_HINT.search(text) is not None


@dataclass
class _Name:
    start: int
    end: int
    person: bool  # the recogniser says a person; else a proper noun it labelled otherwise or not at all


# Entity labels that never name a person, however the recogniser errs elsewhere.
_NOT_PEOPLE = frozenset(
    "DATE TIME CARDINAL ORDINAL MONEY PERCENT QUANTITY NORP FAC LOC EVENT LAW PRODUCT WORK_OF_ART LANGUAGE".split()
)
# Outcomes that only people (never a place or a body) suffer: a proper noun they happen
# to is someone's name, whatever the recogniser labelled it ("Castell died").
_BODILY = frozenset({"killed", "injured", "shot"})
# Readings of an injury without an outcome word: "listed in stable condition".
_STATE_HINT = re.compile(r"condition|hospitali", re.IGNORECASE)
_LIST_GAP = re.compile(r"^(?:\s*,\s*\d{1,3}\s*)?\s*(?:,\s*(?:and\s+)?|and\s+)$")


def _names(doc: Doc) -> dict[int, _Name]:
    """Proper names by their head token: the recogniser's people, and proper-noun
    phrases it labelled as something else or missed (small models often take an
    unusual surname for a place or a company)."""
    labels = {t.i: ent.label_ for ent in doc.ents for t in ent}
    found = {ent.root.i: _Name(ent.start_char, ent.end_char, True) for ent in doc.ents if ent.label_ == "PERSON"}
    if _capitalised(doc):
        return found  # a headline or transcript: every word is a proper noun there
    for token in doc:
        if token.i in found or token.tag_ != "NNP" or token.dep_ == "compound" or labels.get(token.i) in _NOT_PEOPLE:
            continue
        if token.text.isupper() or predicate_family(token.lower_) or counted_family(token.lower_):
            continue  # a dateline ("CHICAGO —"), or a common word the tagger took for a name ("Killings")
        if labels.get(token.i) == "PERSON":
            continue  # inside a person's name whose head is another word
        first = token
        while first.i > 0 and _name_part(doc[first.i - 1], token):
            first = doc[first.i - 1]
        found[token.i] = _Name(first.idx, token.idx + len(token), False)
    return found


def _name_part(word: Token, head: Token) -> bool:
    return word.tag_ == "NNP" and word.dep_ == "compound" and word.head.i == head.i


def _capitalised(doc: Doc) -> bool:
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words)


def _may_be_named(victim: _Victim, family: str | None, suspects: list[tuple[str, ...]]) -> bool:
    """A name counts as a victim's unless the article makes them a suspect (for what
    happens to victims), and, when the recogniser did not call it a person, only for
    what happens to bodies."""
    name = victim.name or ()
    if family not in _ACCUSED_FAMILIES and any(_same_name(name, s) for s in suspects):
        return False
    return victim.person or family in _BODILY


def _add_listed(mention: Mention, names: dict[int, _Name]) -> None:
    """Names listed with one of the mention's ("Roe, Poe and Doe were pronounced dead"),
    where the parse did not hang every one on the predicate."""
    ordered = sorted(names.items(), key=lambda item: item[1].start)
    if not ordered:
        return
    doc = mention.victims[0].token.doc
    text = doc.text
    lists: list[list[int]] = [[ordered[0][0]]]
    for (_, before), (head, name) in zip(ordered, ordered[1:]):
        if _LIST_GAP.match(text[before.end : name.start]):
            lists[-1].append(head)
        else:
            lists.append([head])
    have = {v.token.i for v in mention.victims}
    for members in lists:
        if len(members) < 2 or not have.intersection(members):
            continue
        for head in members:
            if head not in have:
                name = names[head]
                words = _name_words(text[name.start : name.end])
                mention.victims.append(_Victim(doc[head], name.start, name.end, words, False, name.person))
                have.add(head)
    mention.victims.sort(key=lambda v: v.start)


def _victim(token: Token, names: dict[int, _Name]) -> _Victim | None:
    """The person ``token`` heads, if it names one: a named person, or a singular noun
    of people. An apposition ("his daughter, Ann Roe") is its head's person."""
    if token.dep_ in ("compound", "poss", "appos"):
        return None
    if token.i in names:
        name = names[token.i]
        text = token.doc.text[name.start : name.end]
        return _Victim(token, name.start, name.end, _name_words(text), added=False, person=name.person)
    if token.tag_ != "NN" or not _names_a_person(lemma(token)):
        return None
    start = min([token.idx] + [c.idx for c in token.children if c.dep_ in _PHRASE_DEPS and c.i < token.i])
    end = token.idx + len(token)
    appositive = next((names[c.i] for c in token.children if c.dep_ == "appos" and c.i in names), None)
    added = any(c.lower_ in ADDITION_WORDS for c in token.children if c.dep_ in ("det", "amod"))
    name = _name_words(token.doc.text[appositive.start : appositive.end]) if appositive is not None else None
    possessive = any(c.dep_ == "poss" for c in token.children)
    return _Victim(token, start, end, name, added=added, person=True, possessive=possessive)


def _names_a_person(word: str) -> bool:
    """"woman", "cousin", "officer", "student"; never "suspect" or "gunman", nor an
    event that happens to people ("death")."""
    return names_people(word) or counted_family(word) in _VICTIM_FAMILIES


def _name_words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _NAME_WORD.findall(text))


def _determined(victim: _Victim) -> bool:
    """A named person, or a noun with a determiner, possessive or ordinal of its own."""
    token = victim.token
    return victim.name is not None or victim.added or any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _SINGLE_DETERMINERS) for c in token.children
    )


def _all_determined(mention: Mention) -> bool:
    """Every person is a definite someone; in a coordination one determiner may serve
    all ("a woman and toddler", "wounding girlfriend and her son")."""
    if len(mention.victims) == 1:
        return _determined(mention.victims[0])
    return any(_determined(v) for v in mention.victims) and all(
        _determined(v) or v.token.dep_ == "conj" or any(c.dep_ == "conj" for c in v.token.children)
        for v in mention.victims
    )


def _whole_coordination(mention: Mention) -> bool:
    """Every conjunct of the people's coordinations is one of them: "his wife and two
    daughters" or "two men and some children" are not counted person by person."""
    spans = [(v.start, v.end) for v in mention.victims]
    for victim in mention.victims:
        argument = _argument(victim.token)
        chain = [argument, *(t for t in argument.subtree if t.dep_ == "conj" and _argument(t).i == argument.i)]
        if any(not any(start <= t.idx < end for start, end in spans) for t in chain):
            return False
    return True


def _argument(token: Token) -> Token:
    """The conjunct a coordination hangs on the sentence by."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def _patient(token: Token, predicate: Token) -> bool:
    """Whether the person is the one the predicate happened to, not its agent."""
    argument = _argument(token)
    if argument.dep_ not in _PATIENT_DEPS:
        return False
    if not predicate.tag_.startswith("VB") or argument.dep_ == "nsubjpass":
        return True
    # "Roe died" undergoes; "Roe killed his wife" acts, and the wife undergoes.
    return (argument.dep_ == "nsubj") == (lemma(predicate) in _UNDERGOING_VERBS)


def _added_on_predicate(predicate: Token) -> bool:
    """"was also killed", "died too"."""
    node: Token | None = predicate
    for _ in range(2):
        if node is None:
            break
        if any(c.dep_ == "advmod" and c.lower_ in ADDITION_ADVERBS for c in node.children):
            return True
        node = node.head if node.head.i != node.i else None
    return False


def _already_counted(sentence: ParsedSentence, mention: Mention) -> bool:
    """A figure of the sentence counts these people already ("a man and a woman",
    "one man and two children")."""
    offset = sentence.start
    first, last = mention.victims[0], mention.victims[-1]
    return any(
        f.kind == "count" and f.predicate_family == mention.family
        and f.start < offset + last.end and offset + first.start < f.end
        for f in sentence.figures
    )


def _about_another_event(sentence: ParsedSentence) -> bool:
    """A sentence that places an event before or beside the one reported: "in a
    previous shooting", "an unrelated attack", "two years ago", or any year."""
    doc = sentence.doc
    if doc is None:
        return False
    if any(f.kind == "year" for f in sentence.figures) or _YEAR.search(sentence.text):
        return True
    for token in doc:
        if token.lower_ in ELSEWHEN_ADVERBS:
            return True
        if token.lower_ in ELSEWHEN_WORDS and token.dep_ in ("amod", "det"):
            head = lemma(token.head)
            if outcome_family(head) or counted_family(head) == "incidents":
                return True
    return False


def _suspect_names(sentences: Sequence[ParsedSentence]) -> list[tuple[str, ...]]:
    """Names the article makes the agent of a shooting or killing ("Roe shot four
    people"), or charges, arrests or calls a suspect."""
    names = []
    for sentence in sentences:
        doc = sentence.doc
        if doc is None or not doc.has_annotation("DEP"):
            continue
        for head, name in _names(doc).items():
            if _is_suspect(doc[head]):
                names.append(_name_words(doc.text[name.start : name.end]))
    return names


def _is_suspect(token: Token) -> bool:
    head = token.head
    for child in token.children:
        if child.dep_ in ("appos", "compound") and counted_family(lemma(child)) == _SUSPECT_FAMILY:
            return True
    if token.dep_ in ("appos", "compound") and counted_family(lemma(head)) == _SUSPECT_FAMILY:
        return True
    reading = read_noun_phrase(token)
    predicate = reading.predicate_token
    if predicate is None or reading.negated:
        return False
    # The reading names no family for a shooter's verb ("Roe shot two deputies" is read
    # for the deputies); the verb's own word says what Roe did.
    family = reading.predicate_family or family_of_token(predicate)
    if family in _ACCUSED_FAMILIES:
        return _patient(token, predicate)
    return family in _AGENT_FAMILIES and _argument(token).dep_ == "nsubj" and not _patient(token, predicate)


# ------------------------------------------------------------------------ figures


def _sentence_figure(sentence: ParsedSentence, mention: Mention) -> Figure:
    offset = sentence.start
    terms = [
        DerivedTerm(
            value=1, predicate_family=mention.family, text=sentence.text[v.start : v.end], start=offset + v.start,
            end=offset + v.end,
        )
        for v in mention.victims
    ]  # fmt: skip
    start, end = min(t.start for t in terms), max(t.end for t in terms)
    text = sentence.text[start - offset : end - offset]
    return _figure(len(terms), mention.family, mention.stage, text, start, end, terms)


def _article_figure(sentences: Sequence[ParsedSentence], family: str, count: int, used: list[Mention]) -> Figure:
    first = used[0]
    sentence = sentences[first.sentence]
    offset = sentence.start
    terms = []
    for mention in used:
        if mention is first:
            terms += [
                DerivedTerm(
                    value=1, predicate_family=family, text=sentence.text[v.start : v.end], start=offset + v.start,
                    end=offset + v.end,
                )
                for v in mention.victims
            ]  # fmt: skip
            continue
        other = sentences[mention.sentence]
        terms.append(
            DerivedTerm(
                value=len(mention.victims), predicate_family=family, text=other.text, start=other.start,
                end=other.start + len(other.text),
            )
        )  # fmt: skip
    own = [t for t in terms if offset <= t.start and t.end <= offset + len(sentence.text)]
    start, end = min(t.start for t in own), max(t.end for t in own)
    return _figure(count, family, first.stage, sentence.text[start - offset : end - offset], start, end, terms)


def _figure(value: int, family: str, stage: str, text: str, start: int, end: int, terms: list[DerivedTerm]) -> Figure:
    return Figure(
        value=value, low=value, high=value, unit="people", text=text, start=start, end=end,
        counted_family="people", predicate_family=family, stage=stage,  # type: ignore[arg-type]
        derived="enumerated", derived_from=terms,
    )  # fmt: skip
