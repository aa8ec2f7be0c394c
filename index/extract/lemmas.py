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


def coarse_tag(tag: str) -> str | None:
    if tag.startswith("VB"):
        return "VERB"
    return _COARSE.get(tag)


def lemma(token: Token) -> str:
    """The dictionary form of a noun, verb or adjective token; other tokens lowercased."""
    return lemma_of(token.lower_, token.tag_)


@lru_cache(maxsize=20_000)
def lemma_of(word: str, tag: str) -> str:
    pos = coarse_tag(tag)
    if pos is None:
        return word
    nlp = get_nlp()
    probe = nlp.make_doc(word)
    if len(probe) != 1:
        return word
    probe[0].pos_ = pos
    return nlp.get_pipe(LEMMATIZER_PIPE).rule_lemmatize(probe[0])[0]
