"""A figure's quantity reading, made comparable across claims.

The extractor reads each number from the sentence's parse (``index.models.Figure``):
its kind, what it counts, what happened to it, the stage, whether it is part of a
whole. Here those fields become one ``Quantity`` with normalised keys, and the rules say
when two quantities are the same thing. Intervals are used exactly as the extractor
gives them (hedges, bounds and rounding are its job), with no tolerance added here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from commands.synonyms import content_terms, fold_accents, lemma
from index.models import Figure
from index.vocabulary import DONE_FAMILIES, IRREGULAR_FORMS

# A counted thing too general to join a group on the figure alone, without knowing
# what happened to it: "20 people attended" must not corroborate "20 people were killed".
GENERIC_COUNTED = frozenset({"people"})


@dataclass(frozen=True)
class Quantity:
    """What a figure measures (kind, counted, predicate, stage, part) and its interval."""

    kind: str
    counted: str | None  # the vocabulary's family, else the lemma: "troops", "people", "car"
    predicate: str | None  # the vocabulary's family, else the lemma: "killed", "deploy", "receive"
    stage: str
    period: str | None  # a rate or one day's count ("a day", "new cases Sunday"); None for totals
    part: bool
    value: float
    low: float
    high: float
    bound: str  # how the interval was found: exact, rounded, about, upper, lower, range
    predicate_known: bool  # the predicate is a family of the vocabulary, not a bare lemma
    counted_generic: bool  # "people", or a unit standing for the counted thing
    # The extractor's own words, to find them again in the quotes for a headline.
    counted_lemma: str | None
    predicate_lemma: str | None
    # Worked out from stated numbers ("five shot, one fatally" -> 4 injured), not stated.
    derived: bool = False

    @property
    def interval(self) -> tuple[float, float]:
        return self.low, self.high

    @cached_property
    def terms(self) -> frozenset[str]:
        """The quantity as content terms, comparable with ``content_terms`` of a text."""
        words = " ".join(w for w in (self.counted_lemma, self.predicate_lemma) if w)
        keys = {k for k in (self.counted, self.predicate) if k}
        return terms_of(words) | keys


@lru_cache(maxsize=8192)
def terms_of(text: str) -> frozenset[str]:
    """``content_terms`` of a text, remembered: the same claims come back query after query."""
    return frozenset(content_terms(text))


def read_quantity(figure: Figure) -> Quantity | None:
    """The figure as a comparable quantity, or None when it is not one: a kind that is not
    grouped (an age, a time, an address …), a vague or negated number, or a count of
    nothing recognisable."""
    if not figure.groupable:
        return None
    # An amount or a rate of nothing named is counted in its unit ("30%", "$2 million"):
    # a unit, like "people", says too little to join a group without a predicate.
    counted = figure.counted_family or figure.counted
    generic = counted in GENERIC_COUNTED
    if counted is None and figure.kind in ("money", "percent") and figure.unit:
        counted, generic = figure.unit, True
    predicate = figure.predicate_family or figure.predicate
    if figure.stage == "done" and figure.predicate_family in DONE_FAMILIES:
        predicate = DONE_FAMILIES[figure.predicate_family]  # "sent 1,500" is "1,500 moved"
    if counted is None and predicate is None:
        return None
    low, high = sorted((figure.low, figure.high))
    return Quantity(
        kind=figure.kind,
        counted=counted,
        predicate=predicate,
        stage=figure.stage,
        period=figure.period,
        part=figure.part,
        value=figure.value,
        low=low,
        high=high,
        bound=figure.bound,
        predicate_known=figure.predicate_family is not None,
        counted_generic=generic,
        counted_lemma=figure.counted,
        predicate_lemma=figure.predicate,
        derived=figure.derived is not None,
    )


# Bounds compared by the value stated: "up to 1.6 million" and "as many as 1.5 million"
# have overlapping intervals but say different things.
STATED_BOUNDS = frozenset({"upper", "lower"})


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def values_meet(a: Quantity, b: Quantity) -> bool:
    """Whether two figures can state the same value: their intervals meet, and two
    bounds of the same sense state the same number."""
    if a.bound == b.bound and a.bound in STATED_BOUNDS:
        return a.value == b.value
    return overlap(a.interval, b.interval)


# A total "so far" counts what was done: "three were killed" and "the toll rose to four"
# measure one thing at two moments.
_SAME_STAGES = (frozenset({"done", "cumulative"}),)


def stages_compatible(a: str, b: str) -> bool:
    """A stage not read joins any; read stages must agree ("to send" is not "has sent")."""
    return a == b or "unknown" in (a, b) or any({a, b} <= same for same in _SAME_STAGES)


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities can measure the same thing (values aside). A missing counted
    thing or predicate is filled in by the other side, and so is a predicate the
    vocabulary does not know ("know", "total"), except that a bare count of people needs
    a predicate to say which people. Two known predicates must agree."""
    if a.kind != b.kind or a.period != b.period:
        return False  # a day's new cases are not the running total, nor a daily rate
    if a.predicate_known and b.predicate_known and not stages_compatible(a.stage, b.stage):
        # A stage belongs to its predicate: one read from a vague word ("a total of")
        # says as little as that word.
        return False
    if a.counted and b.counted and a.counted != b.counted:
        return False
    if not (a.counted and b.counted):
        # One side says only what happened: it must say the same thing happened.
        return bool(a.predicate and a.predicate == b.predicate)
    if a.predicate and a.predicate == b.predicate:
        return True
    if a.predicate_known and b.predicate_known:
        return False
    return not (a.counted_generic or b.counted_generic)


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two values of these quantities may disagree: the same counted thing and the
    same predicate, both read. Better to miss a conflict than to invent one from half a
    reading. A derived value is never one side of a disagreement: only what a source
    states can disagree with another source."""
    return (
        not (a.derived or b.derived)
        and bool(a.counted and a.predicate)
        and (a.counted, a.predicate) == (b.counted, b.predicate)
        and stages_compatible(a.stage, b.stage)
        and same_measure(a, b)
    )


def word_for(
    names: Iterable[str | None],
    texts: Iterable[str],
    family: str | None = None,
    family_of: Callable[[str], str | None] | None = None,
) -> str | None:
    """The word of the quotes that states a counted thing or a predicate, verbatim, or None
    when no quote words it (then no headline may name it). A word matches one of
    ``names`` (lemmas and keys it was read as, in any regular inflection) or, given
    ``family_of``, belongs to the vocabulary ``family``: "shot" for "shoot", "men" for
    "man", "died" for a death."""
    texts = list(texts)
    for name in dict.fromkeys(fold_accents(name) for name in names if name):
        # The names in the order given: the group's own reading before other members'.
        # In each text, the first word that is the name, shares its lemma or inflects it.
        forms, stem = _forms(name), lemma(name)
        for text in texts:
            by_folded, by_stem = _first_words(text)
            found = [by_folded[form] for form in forms if form in by_folded]
            if stem in by_stem:
                found.append(by_stem[stem])
            if found:
                return min(found)[1]
    if family and family_of is not None:
        for text in texts:
            for word, folded, stem in _words(text):
                if family_of(folded) == family or family_of(stem) == family:
                    return word
    # Last, an irregular form of a name ("lost" for "lose" read as a death): the
    # family's own word, when a quote has one, says more ("shot to death": "death").
    irregular = {form: name for name in names if name for form in IRREGULAR_FORMS.get(fold_accents(name), ())}
    for text in texts:
        for word, folded, _ in _words(text):
            if folded in irregular:
                return word
    return None


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[tuple[str, str, str], ...]:
    """Each word of a text as written, folded, and as a crude lemma (quotes are read over
    and over while groups are built)."""
    found = []
    for token in text.replace("’", "'").split():
        word = token.strip(".,;:!?\"'()[]“”‘’-—")
        folded = fold_accents(word)
        if folded:
            found.append((word, folded, lemma(folded)))
    return tuple(found)


@lru_cache(maxsize=4096)
def _first_words(text: str) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str]]]:
    """Where each folded word and each lemma first occurs in a text, with the word as
    written: finding a name's word is then a few lookups, not a walk of every word."""
    by_folded: dict[str, tuple[int, str]] = {}
    by_stem: dict[str, tuple[int, str]] = {}
    for position, (word, folded, stem) in enumerate(_words(text)):
        by_folded.setdefault(folded, (position, word))
        by_stem.setdefault(stem, (position, word))
    return by_folded, by_stem


_INFLECTIONS = ("s", "es", "d", "ed", "ing", "ment", "ments")


@lru_cache(maxsize=4096)
def _forms(base: str) -> frozenset[str]:
    """``base`` and the words that are ``base`` with a regular ending ("die" → "died",
    "evacuate" → "evacuating", "deploy" → "deployment"); irregular forms are not guessed,
    and a base under three letters takes no ending."""
    if len(base) < 3:
        return frozenset({base})
    stems = (base, base[:-1]) if base.endswith("e") else (base,)
    return frozenset({base, *(stem + ending for stem in stems for ending in _INFLECTIONS)})
