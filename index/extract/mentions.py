"""Reading a speaker phrase: a name, a pronoun, a role ("the agency") or a description."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from index.names import GENERIC_ORGANISATION_WORDS, TITLE_WORDS, name_words, organisation_head
from index.extract.speakers import (
    ORGANISATION_PRONOUNS,
    ORGANISATION_ROLES,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    SOURCE_ROLES,
    MentionKind,
    SpeakerKind,
    SpeakerMention,
)

ENTITY_KINDS: dict[str, SpeakerKind] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "organisation",  # "Ostria said": a state speaking
    "NORP": "organisation",
    "FAC": "organisation",
}
_NOUN_PHRASE_LEFT = frozenset(
    {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "predet", "advmod"}
)
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_ANAPHORIC_ADJECTIVES = frozenset({"aforementioned", "same", "said", "latter", "former", "above"})
_BODY_PREPOSITIONS = frozenset({"from", "at", "in", "within", "with", "of", "for"})
# Nouns that stand for the body they come from: "a source from the NIS", "insights from ...".
SPEAKING_FOR = SOURCE_ROLES | {
    "official", "officials", "spokesman", "spokeswoman", "spokesperson", "representative",
    "officer", "aide", "member", "members", "insights", "information", "data", "intelligence",
    "findings", "assessment", "estimates", "figures", "documents", "briefing",
}  # fmt: skip


@dataclass(frozen=True)
class MentionSpan:
    """A speaker mention and where its words are, offsets local to the sentence."""

    start: int
    end: int
    mention: SpeakerMention


def mention_at(doc: Doc, head: Token) -> MentionSpan:
    """The speaker phrase headed by ``head``."""
    if head.tag_ in ("PRP", "PRP$"):
        pronoun = SpeakerMention(head.text, "pronoun", _pronoun_kind(head.lower_), head.lower_)
        return MentionSpan(head.idx, head.idx + len(head), pronoun)
    phrase = _noun_phrase(doc, head)
    aliases = _apposition_texts(doc, head)
    entity = _entity_covering(doc, head)
    entity = _whole_proper_name(doc, entity, head) if entity is not None else _body_behind(doc, head)
    if entity is not None:
        name = _clean_text(entity)
        extra = tuple(a for a in (phrase.text, *aliases) if a != name)
        acronym = _bracketed_acronym(doc, entity)
        if acronym:
            extra += (acronym,)
        if entity.start <= head.i < entity.end:
            start, end = _trimmed_bounds(entity)
        else:  # "a source from the NIS": the words are the whole phrase
            start, end = phrase.start_char, max(phrase.end_char, entity.end_char)
        return MentionSpan(start, end, _name(name, entity, head, extra))
    apposition = _named_apposition(doc, head)
    if apposition is not None:  # "Varnia's spy agency, the Central Security Bureau"
        start, end = _trimmed_bounds(apposition)
        return MentionSpan(start, end, _name(_clean_text(apposition), apposition, head, (phrase.text,)))
    brand = _brand_before(doc, head)
    if brand is not None:  # "South Korea's Yonhap news agency": the brand names the body
        mention = SpeakerMention(doc.text[brand.idx : head.idx + len(head)], "name", "organisation", head.lower_,
                                 (phrase.text, *aliases))  # fmt: skip
        return MentionSpan(brand.idx, head.idx + len(head), mention)
    if head.tag_ in ("NNP", "NNPS"):  # a name the recogniser missed
        kind: SpeakerKind = (
            "person" if _titled(phrase) else "organisation" if organisation_head(name_words(phrase.text)) else "unknown"
        )
        mention = SpeakerMention(_clean_text(phrase), "name", kind, head.lower_, tuple(aliases))
        return MentionSpan(phrase.start_char, phrase.end_char, mention)
    reference: MentionKind = "role" if _is_bare_role(phrase, head) else "description"
    mention = SpeakerMention(phrase.text, reference, _described_kind(head.lower_), head.lower_, tuple(aliases))
    return MentionSpan(phrase.start_char, phrase.end_char, mention)


def label_mention(doc: Doc, start: int, end: int) -> MentionSpan:
    """A speaker label such as "SMITH" in "SMITH: ...", taken as a name."""
    span = doc.char_span(start, end, alignment_mode="expand")
    entity = _entity_covering(doc, span.root) if span is not None else None
    kind = ENTITY_KINDS[entity.label_] if entity is not None else "unknown"
    label = doc.text[start:end]
    return MentionSpan(start, end, SpeakerMention(label, "name", kind, label.split()[-1].lower()))


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def names_a_place(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc.text[start:end]`` is wholly a place's name: "Marlow:" heading a
    headline or a dateline says where, not who."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return any(e.label_ in _PLACE_LABELS and e.start <= span.start and span.end <= e.end for e in doc.ents)


def can_speak(mention: SpeakerMention) -> bool:
    """Whether a cited thing is a source ("citing the NIS") rather than a reason
    ("citing rising costs")."""
    if mention.kind in ("name", "pronoun"):
        return True
    return mention.head in SPEAKING_FOR | ORGANISATION_ROLES | PERSON_ROLES


def _name(text: str, entity: Span, head: Token, aliases: tuple[str, ...]) -> SpeakerMention:
    kind = ENTITY_KINDS.get(entity.label_, "unknown")
    if kind == "unknown" and _titled(entity):
        kind = "person"
    return SpeakerMention(text, "name", kind, head.lower_, aliases)


def _titled(phrase: Span) -> bool:
    """ "Lieutenant General Kyrylo Budanov": a title before capitalised words is a person's."""
    words = [t for t in phrase if t.is_alpha]
    return len(words) >= 2 and words[0].lower_.strip(".") in TITLE_WORDS and words[-1].text[:1].isupper()


def _described_kind(noun: str) -> SpeakerKind:
    if noun in PERSON_ROLES:
        return "person"
    return "organisation" if noun in ORGANISATION_ROLES else "unknown"


def _pronoun_kind(pronoun: str) -> SpeakerKind:
    if pronoun in PERSON_PRONOUNS:
        return "person"
    return "organisation" if pronoun in ORGANISATION_PRONOUNS else "unknown"


def _is_bare_role(phrase: Span, head: Token) -> bool:
    """ "the agency", "the aforementioned source": pointers back, not descriptions."""
    if phrase[0].lower_ not in _DEFINITE:
        return False
    modifiers = [t for t in phrase if t.i != head.i and t.dep_ != "det"]
    if any(t.lower_ not in _ANAPHORIC_ADJECTIVES for t in modifiers):
        return False
    return not any(c.dep_ in ("prep", "appos", "compound", "poss") for c in head.children)


def _noun_phrase(doc: Doc, head: Token) -> Span:
    """The head with its left modifiers, plus a prepositional complement of a common noun
    ("the head of military intelligence", "a source in Seoul")."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NOUN_PHRASE_LEFT:
            start = min(start, child.left_edge.i)
    end = head.i + 1
    if head.tag_ in ("NN", "NNS"):
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in _BODY_PREPOSITIONS:
                end = max(end, child.right_edge.i + 1)
                break
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text != ")":
        end -= 1
    return doc[start:end]


def _entity_covering(doc: Doc, token: Token) -> Span | None:
    for entity in doc.ents:
        if entity.start <= token.i < entity.end and entity.label_ in ENTITY_KINDS:
            return entity
    return None


def _whole_proper_name(doc: Doc, entity: Span, head: Token) -> Span:
    """The recogniser's entity widened to the proper nouns compounded onto the same head:
    it may tag only "Whitcombe" in "Ana Whitcombe". A widened ORG that is not headed by a
    body's noun is of unknown kind: the recogniser's label was for a part of the name."""
    start = entity.start
    while start > 0 and doc[start - 1].tag_ in ("NNP", "NNPS") and doc[start - 1].dep_ == "compound" \
            and entity.start <= doc[start - 1].head.i <= head.i:  # fmt: skip
        start -= 1
    if start == entity.start:
        return entity
    label = entity.label_
    if label == "ORG" and not organisation_head(name_words(doc[start : entity.end].text)):
        label = "UNKNOWN"
    return Span(doc, start, entity.end, label=label)


def _body_behind(doc: Doc, head: Token) -> Span | None:
    """The organisation behind an anonymous source: "the NIS source", "a source from the NIS"."""
    if head.lower_ not in SPEAKING_FOR:
        return None
    for child in head.children:
        if child.dep_ == "compound" and child.ent_type_ == "ORG":
            return _entity_covering(doc, child)
        if child.dep_ == "prep" and child.lower_ in _BODY_PREPOSITIONS:
            for grandchild in child.children:
                entity = _entity_covering(doc, grandchild) if grandchild.dep_ == "pobj" else None
                # A place stays a description: "a source in Seoul" names no body.
                if entity is not None and entity.label_ == "ORG":
                    return entity
    return None


def _brand_before(doc: Doc, head: Token) -> Token | None:
    """The proper noun in front of a generic word for a body ("Yonhap news agency", "the
    Reuters news agency"); a demonym ("the Ukrainian news agency") is no brand."""
    if head.lower_ not in GENERIC_ORGANISATION_WORDS or head.tag_ not in ("NN", "NNS"):
        return None
    modifiers = [c for c in head.lefts if c.dep_ == "compound"]
    first = next((c for c in modifiers if c.tag_ in ("NNP", "NNPS") and c.ent_type_ != "NORP"), None)
    if first is None or any(t.dep_ not in ("compound",) for t in doc[first.i : head.i]):
        return None
    return first


def _named_apposition(doc: Doc, head: Token) -> Span | None:
    for child in head.children:
        if child.dep_ == "appos":
            entity = _entity_covering(doc, child)
            if entity is not None:
                return entity
    return None


def _apposition_texts(doc: Doc, head: Token) -> list[str]:
    """Descriptions in apposition ("..., head of the directorate,"): aliases of the speaker."""
    return [
        doc[child.left_edge.i : child.right_edge.i + 1].text.strip(" ,")
        for child in head.children
        if child.dep_ == "appos" and _entity_covering(doc, child) is None
    ]


def _bracketed_acronym(doc: Doc, entity: Span) -> str | None:
    """ "National Intelligence Service (NIS)": the acronym is another name for the same body."""
    if entity.end + 2 < len(doc) and doc[entity.end].text == "(" and doc[entity.end + 2].text == ")":
        candidate = doc[entity.end + 1].text
        if candidate.isupper() and candidate.isalpha():
            return candidate
    inner = [t.text for t in entity if t.text.isupper() and t.text.isalpha() and len(t) >= 2]
    if entity.text.endswith(")") and inner:
        return inner[-1]
    return None


def _trimmed_bounds(span: Span) -> tuple[int, int]:
    """Character bounds without a leading article, a possessive or a bracketed acronym."""
    tokens = list(span)
    while tokens and tokens[0].lower_ in ("the", "a", "an"):
        tokens.pop(0)
    while len(tokens) > 1 and _trailing_noise(tokens):
        tokens.pop()
        if tokens and tokens[-1].text == "(":
            tokens.pop()
    if not tokens:
        return span.start_char, span.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _trailing_noise(tokens: list[Token]) -> bool:
    last = tokens[-1]
    bracketed_acronym = last.text.isupper() and tokens[-2].text == "("
    return last.tag_ == "POS" or last.text in (")", "(") or bracketed_acronym


def _clean_text(span: Span) -> str:
    start, end = _trimmed_bounds(span)
    return span.doc.text[start:end]
