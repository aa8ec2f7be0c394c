"""Query expansion and word comparison over the news vocabulary (``index.vocabulary``).

The families themselves are declared once, in ``index/vocabulary.py``, and serve both
extraction and search. Here they serve two jobs, and a word can be right for one and
wrong for the other:

* query expansion (``expand_terms``) must stay precise, because every added word
  pulls in more hits: "men" or "fire" would drown a search;
* normalisation (``unit_family``, ``predicate_family``) only ever sees a word already
  attached to a figure or a claim, where context has done the disambiguation: "six
  men were shot" counts people.

So each family lists ``members`` (used both ways) and ``noisy`` words (normalised,
never expanded to or from), and a family can opt out of expansion altogether.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from index import vocabulary
from index.names import fold_accents as fold_name_accents

# unit: a thing that is counted ("12,000 troops"); action: what was done to or with
# it ("sent", "trained"); outcome: both at once ("20 dead", "20 were killed").
FamilyRole = Literal["unit", "action", "outcome"]
_ROLES: dict[str, FamilyRole] = {"counted": "unit", "predicate": "action", "outcome": "outcome"}


@dataclass(frozen=True)
class TermFamily:
    key: str
    role: FamilyRole
    members: frozenset[str]
    noisy: frozenset[str] = frozenset()
    expands: bool = True
    covers: tuple[str, ...] = ()


FAMILIES: tuple[TermFamily, ...] = tuple(
    TermFamily(family.key, _ROLES[family.role], family.members, family.noisy, family.expands, family.covers)
    for family in vocabulary.FAMILIES
)
_BY_KEY = {family.key: family for family in FAMILIES}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my no nor not now of off on once only or other
    our ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your s t said says say told according
    reported reports""".split()
)


# Grouping folds and lemmatises the same words thousands of times a query: remembered.
@lru_cache(maxsize=1 << 16)
def fold_accents(text: str) -> str:
    """Lowercase with diacritics removed, so "Budánov" meets "Budanov"."""
    return fold_name_accents(text.casefold())


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """A deliberately crude lemma: enough for "soldiers" to meet "soldier".

    Families list their inflections explicitly; this only catches what they miss. It
    strips few suffixes (no "-es", no "-er") to keep different words apart, but it is
    not a stemmer: "news" and "new" do meet.
    """
    folded = fold_accents(word).replace("’", "'")
    folded = folded[:-2] if folded.endswith("'s") else folded
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 3 and not folded.endswith("ss"):
            return folded[: -len(suffix)] + replacement
    return folded


def words(text: str) -> list[re.Match[str]]:
    """Word matches (letters only, apostrophes kept inside) with their offsets."""
    return list(_WORD.finditer(text))


@dataclass(frozen=True)
class _Entry:
    family: TermFamily
    noisy: bool


def _build_index() -> tuple[dict[str, _Entry], dict[str, _Entry]]:
    exact: dict[str, _Entry] = {}
    by_lemma: dict[str, _Entry] = {}
    for family in FAMILIES:
        for noisy, forms in ((False, family.members), (True, family.noisy)):
            for form in forms:
                entry = _Entry(family, noisy)
                exact[form] = entry
                # A precise member wins a lemma clash ("forces" vs noisy "force").
                current = by_lemma.get(lemma(form))
                if current is None or (current.noisy and not noisy):
                    by_lemma[lemma(form)] = entry
    return exact, by_lemma


_EXACT, _BY_LEMMA = _build_index()


def _lookup(word: str) -> _Entry | None:
    folded = fold_accents(word.strip())
    return _EXACT.get(folded) or _BY_LEMMA.get(lemma(folded))


def family_of(word: str) -> TermFamily | None:
    entry = _lookup(word)
    return entry.family if entry else None


def expand_terms(term: str, narrower: bool = True) -> set[str]:
    """The term plus the words a reporter might have used instead.

    One word at a time (see ``expand_query`` for phrases). The result is lowercase and
    accent-folded; noisy words neither expand nor are added. ``narrower``: also the
    members of the narrower families the term's family covers ("hospitalised" for
    "injured").
    """
    folded = fold_accents(term.strip())
    if not folded:
        return set()
    entry = _lookup(folded)
    if entry is None or entry.noisy or not entry.family.expands:
        return {folded}
    covered = (word for key in entry.family.covers for word in _BY_KEY[key].members) if narrower else ()
    return {folded, *entry.family.members, *covered}


def search_terms(term: str) -> set[str]:
    """``expand_terms``, plus the family's noisy words ("bodies" for killed: "four bodies
    were found") and the words of sentences the term's count can be worked out from
    ("shot" and "fatally" for killed; see ``vocabulary.derivable_words``), and the words
    through which the parse reads the family or one it covers ("taken to the hospital",
    "in stable condition" for injured; ``vocabulary.reading_words``). For finding
    claims only: grouping reads what each figure says, so a claim that comes along
    with a noisy word answers the query only if its reading does; a group of people shot
    does not answer "/claims injured", the injured count worked out from it does."""
    found = expand_terms(term)
    entry = _lookup(fold_accents(term.strip()))
    if entry is not None and not entry.noisy and entry.family.expands:
        key = entry.family.key
        found |= entry.family.noisy | vocabulary.derivable_words(key) | vocabulary.reading_words(key)
    return found


def expand_query(text: str) -> list[set[str]]:
    """One set of alternatives per word of ``text``, in order, for an OR-within/AND-across
    query."""
    return [expand_terms(match.group()) for match in words(text)]


def unit_family(noun: str | None) -> str:
    """The family key of what a figure counts ("soldiers" -> "troops"), or "" if none.

    A unit phrase is read from its head backwards ("North Korean infantry troops"
    -> "troops"); outcomes count too ("20 dead" -> "killed"). Nouns outside every family
    come back as their own lemma, so "tanks" and "tank" still meet.
    """
    if not noun:
        return ""
    tokens = [match.group() for match in words(noun)]
    for token in reversed(tokens):
        family = family_of(token)
        if family is not None and family.role in ("unit", "outcome"):
            return family.key
    return lemma(tokens[-1]) if tokens else ""


def predicate_family(word: str) -> str | None:
    """The family key of what a claim says happened ("dispatched" -> "deploy"), if any."""
    family = family_of(word)
    return family.key if family is not None and family.role in ("action", "outcome") else None


def is_outcome(key: str) -> bool:
    """Whether a family key is both a count and an event ("killed", "injured" …)."""
    return any(family.key == key and family.role == "outcome" for family in FAMILIES)


def content_terms(text: str) -> set[str]:
    """The words that carry meaning, as family keys where they have one, else lemmas.

    Used to compare wording: "soldiers were dispatched" and "troops sent" share
    {"troops", "deploy"}.
    """
    terms: set[str] = set()
    for match in words(text):
        folded = fold_accents(match.group())
        if folded in STOP_WORDS or len(folded) < 2:
            continue
        family = family_of(folded)
        terms.add(family.key if family is not None else lemma(folded))
    return terms
