"""Lemmas for the few words a figure reading keeps (the counted noun, the predicate).

The pipeline does not run the lemmatizer over sentences (see ``nlp.py``); its rule tables
are applied here to one token at a time, with the coarse part of speech taken from the
tagger's fine tag (the attribute ruler that would map it is not run either).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from index.extract.nlp import LEMMATIZER_PIPE, get_nlp

_COARSE = {"NN": "NOUN", "NNS": "NOUN", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ"}
# Tags of words written in their dictionary form (base verb, present non-3rd person,
# singular noun, plain adjective); irregular ones are in the exception table first.
_BASE_FORM_TAGS = frozenset({"VB", "VBP", "NN", "JJ"})


def coarse_tag(tag: str) -> str | None:
    if tag.startswith("VB"):
        return "VERB"
    return _COARSE.get(tag)


_cache: dict[tuple[str, str], str] = {}
_CACHE_LIMIT = 50_000


def lemma(token: Token) -> str:
    """The dictionary form of a noun, verb or adjective token; other tokens lowercased."""
    key = (token.lower_, token.tag_)
    found = _cache.get(key)
    if found is None:
        found = _lemmatise(token)
        if len(_cache) < _CACHE_LIMIT:
            _cache[key] = found
    return found


def lemma_of(word: str, tag: str) -> str:
    """The lemma of a word given its fine tag, outside any sentence."""
    probe = get_nlp().make_doc(word)
    if len(probe) != 1:
        return word
    probe[0].tag_ = tag
    return lemma(probe[0])


def _lemmatise(token: Token) -> str:
    pos = coarse_tag(token.tag_)
    word = token.lower_
    if pos is None:
        return word
    exceptions, known, rules = _tables(pos.lower())
    if word in exceptions:
        return exceptions[word][0]
    if token.tag_ in _BASE_FORM_TAGS:
        return word  # already the dictionary form: the rules would cut "surpass" to "surpas"
    # The model's suffix rules, in order: the first result that is a known word wins,
    # else the first result at all, else the word itself.
    guesses = []
    for old, new in rules:
        if word.endswith(old) and len(word) > len(old) - len(new):
            form = word[: len(word) - len(old)] + new
            if form and (form in known or not form.isalpha()):
                return form
            if form:
                guesses.append(form)
    return guesses[0] if guesses else word


@lru_cache(maxsize=4)
def _tables(pos: str) -> tuple[dict[str, list[str]], frozenset[str], list[tuple[str, str]]]:
    """The rule lemmatizer's tables for one part of speech, with its word index as a set
    (the lemmatizer scans it as a list, about a millisecond a word)."""
    lookups = get_nlp().get_pipe(LEMMATIZER_PIPE).lookups
    exceptions = lookups.get_table("lemma_exc", {}).get(pos, {})
    known = frozenset(lookups.get_table("lemma_index", {}).get(pos, []))
    rules = [tuple(rule) for rule in lookups.get_table("lemma_rules", {}).get(pos, [])]
    return exceptions, known, rules  # type: ignore[return-value]
