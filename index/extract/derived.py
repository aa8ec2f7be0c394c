"""Counts a sentence implies by arithmetic on the counts it states.

* **The rest of a whole**: "five people were shot, one fatally" states 5 shot and 1
  killed; the other four were shot and lived, so 4 injured. A whole whose family splits
  into outcomes (``vocabulary.SPLITS``: shot, casualties) minus a killed part tied to it
  in the parse (a part of that whole, "one of them", "one of whom", or an outcome adverb
  on an elliptical count, "one fatally") leaves the injured. Nothing is derived when the
  sentence states an injured count itself.
* **Coordinated counts**: "one man and two children were found dead" states 1 and 2 of
  one predicate; together 3. Every conjunct must be countable: a number, a singular
  noun of people with a determiner ("his wife", "a boy"), or a reflexive ("killed his
  two children and himself"). Coordinations of "a"/"an" nouns alone are already
  counted where they are read (``implied.py``).
* **The one who killed himself**: "fatally shot seven people before killing himself"
  states 7 killed and one more death; a toll counting every death is 8. The reflexive
  must be the object of a killing word whose clause hangs on the clause of the count.

A derived figure never stands in for a stated one: it says how it was computed
(``derived``) and from which stated numbers (``derived_from``, each verbatim with its
offsets); its ``text`` spans the stated numbers. Grouping never builds a conflict on it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from index.extract.lemmas import lemma
from index.extract.readings import family_of_token
from index.models import DerivedTerm, Figure
from index.vocabulary import OUTCOME_ADVERBS, SPLITS, happens_to_people, names_people

_REFLEXIVES = frozenset("himself herself themselves themself".split())
_PEOPLE = frozenset({"people", "officers", "suspects"})
_PEOPLE_FAMILIES = _PEOPLE | {None}


def derived_counts(doc: Doc, figures: list[Figure]) -> list[Figure]:
    """Figures implied by ``figures`` (stated in ``doc``, offsets into ``doc.text``)."""
    text = doc.text
    counts = [f for f in figures if f.kind == "count" and not (f.negated or f.vague) and f.low == f.high]
    return _remainders(doc, text, counts) + _self_inflicted(doc, text, counts) + _coordinated(doc, text, counts)


def _term(figure: Figure, family: str) -> DerivedTerm:
    return DerivedTerm(value=figure.value, predicate_family=family, text=figure.text, start=figure.start, end=figure.end)


def _remainders(doc: Doc, text: str, counts: list[Figure]) -> list[Figure]:
    if any(f.predicate_family == "injured" for f in counts):
        return []  # the sentence says how many were hurt: nothing to work out
    wholes = [
        f for f in counts
        if f.predicate_family in SPLITS and not f.part and f.counted_family in _PEOPLE_FAMILIES
    ]  # fmt: skip
    if len(wholes) != 1:
        return []  # two wholes (two shootings in one sentence): which one is split?
    whole = wholes[0]
    rest_family, part_family = SPLITS[whole.predicate_family]
    parts = [
        f for f in counts if f.predicate_family == part_family and f.start > whole.start and _tied(doc, f, whole)
    ]  # fmt: skip
    if len(parts) != 1 or parts[0].value >= whole.value:
        return []
    part = parts[0]
    start, end = whole.start, part.end
    return [
        Figure(
            value=whole.value - part.value,
            low=whole.value - part.value,
            high=whole.value - part.value,
            unit=whole.unit,
            text=text[start:end],
            start=start,
            end=end,
            counted=whole.counted,
            counted_family=whole.counted_family,
            predicate_family=rest_family,
            stage=whole.stage,
            derived="difference",
            derived_from=[_term(whole, whole.predicate_family), _term(part, part_family)],
        )
    ]


def _tied(doc: Doc, part: Figure, whole: Figure) -> bool:
    """Whether the parse made ``part`` a part of ``whole``: "of the six, one died", "one
    of them", "one of whom", "one fatally" said of the same event, or "shot five people,
    killing two" (a count with no noun of its own, so it counts the whole's, in a clause
    hanging on the whole's verb)."""
    if part.whole is not None:
        return part.whole == whole.value
    if part.counted in ("other", "another"):
        return False  # "two others were killed": besides the whole, not out of it
    if part.part or (part.counted is None and part.predicate in OUTCOME_ADVERBS):
        return True
    part_verb = _clause_verb(_token_at(doc, part.start))
    whole_verb = _clause_verb(_token_at(doc, whole.start))
    return part.counted is None and part_verb.dep_ == "advcl" and part_verb.head.i == whole_verb.i


def _self_inflicted(doc: Doc, text: str, counts: list[Figure]) -> list[Figure]:
    killed = [f for f in counts if f.predicate_family == "killed" and not f.part]
    if len(killed) != 1:
        return []
    count = killed[0]
    verb = _clause_verb(_token_at(doc, count.start))
    reflexive = next((t for t in doc if t.lower_ in _REFLEXIVES and t.i > verb.i and _kills_self(t, verb)), None)
    if reflexive is None:
        return []
    self_term = DerivedTerm(
        value=1, predicate_family="killed", text=reflexive.text, start=reflexive.idx, end=reflexive.idx + len(reflexive)
    )
    start, end = count.start, self_term.end
    return [
        Figure(
            value=count.value + 1,
            low=count.value + 1,
            high=count.value + 1,
            unit="people",
            text=text[start:end],
            start=start,
            end=end,
            counted_family="people",
            predicate_family="killed",
            stage=count.stage,
            derived="sum",
            derived_from=[_term(count, "killed"), self_term],
        )
    ]


def _token_at(doc: Doc, start: int) -> Token:
    return next((t for t in doc if t.idx <= start < t.idx + len(t)), doc[-1])


def _clause_verb(token: Token) -> Token:
    node = token
    while not node.tag_.startswith("VB") and node.head.i != node.i:
        node = node.head
    return node


def _kills_self(reflexive: Token, verb: Token) -> bool:
    """The reflexive is the object of a killing word ("before killing himself", "then
    fatally shot herself") whose clause hangs on ``verb``, the count's own verb."""
    killer = reflexive.head
    return reflexive.dep_ == "dobj" and family_of_token(killer) == "killed" and verb in killer.ancestors


def _coordinated(doc: Doc, text: str, counts: list[Figure]) -> list[Figure]:
    by_noun = {_noun_of(_token_at(doc, f.start)).i: f for f in counts if f.predicate_family}
    found = []
    for first in doc:
        if first.dep_ == "conj" or not any(c.dep_ == "conj" for c in first.children):
            continue
        chain = _conjuncts(first)
        stated = [by_noun[n.i] for n in chain if n.i in by_noun]
        if not stated or any(f.end > first.idx + len(first) and f.start <= first.idx for f in stated):
            continue  # no number, or "a man and a woman", read whole already
        family = stated[0].predicate_family
        if not happens_to_people(family) or any(
            f.predicate_family != family or f.counted_family not in _PEOPLE for f in stated
        ):
            continue  # only people an event happened to add up: not "40 homes and two schools"
        terms = [_member(doc, noun, by_noun.get(noun.i), family) for noun in chain]
        if None in terms:
            continue  # a conjunct that cannot be counted ("two men and some children")
        total = sum(t.value for t in terms)
        start, end = terms[0].start, chain[-1].idx + len(chain[-1])
        found.append(
            Figure(
                value=total, low=total, high=total, unit="people", text=text[start:end], start=start, end=end,
                counted_family="people", predicate_family=family, stage=stated[0].stage,
                derived="sum", derived_from=terms,
            )
        )  # fmt: skip
    return found


def _noun_of(token: Token) -> Token:
    """The noun a count's first word belongs to: "two" -> "children", "a" -> "boy"."""
    while token.dep_ in ("nummod", "det", "predet", "quantmod", "compound", "amod", "poss") and token.head.i != token.i:
        token = token.head
    return token


def _conjuncts(noun: Token) -> list[Token]:
    chain = [noun]
    while (follower := next((c for c in chain[-1].children if c.dep_ == "conj"), None)) is not None:
        chain.append(follower)
    return chain


def _member(doc: Doc, noun: Token, figure: Figure | None, family: str | None) -> DerivedTerm | None:
    """One conjunct as a term of the sum, or None when it cannot be counted."""
    if figure is not None:
        return _term(figure, figure.predicate_family or "")
    if noun.lower_ in _REFLEXIVES:
        return DerivedTerm(value=1, predicate_family=family or "", text=noun.text, start=noun.idx, end=noun.idx + len(noun))
    determiner = next((c for c in noun.children if c.dep_ in ("det", "poss")), None)
    if noun.tag_ == "NN" and determiner is not None and names_people(lemma(noun)):
        start = determiner.idx
        return DerivedTerm(value=1, predicate_family=family or "", text=doc.text[start : noun.idx + len(noun)], start=start, end=noun.idx + len(noun))
    return None
