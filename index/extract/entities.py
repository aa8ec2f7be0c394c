"""Named people, organisations and places, from spaCy's entity recogniser."""

from __future__ import annotations

from spacy.tokens import Doc

from index.models import Entity, EntityLabel

_LABELS: dict[str, EntityLabel] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "other",
    "EVENT": "other",
    "LAW": "other",
    "PRODUCT": "other",
    "WORK_OF_ART": "other",
    "LANGUAGE": "other",
}  # dates, times, money and counts are figures' business, not entities
_ARTICLES = ("the ", "The ")
# "named actors" of an event claim: those worth checking a sentence for.
ACTOR_LABELS = frozenset({"person", "organisation", "place"})


def find_entities(doc: Doc, offset: int) -> list[Entity]:
    entities = []
    for span in doc.ents:
        label = _LABELS.get(span.label_)
        if label is None:
            continue
        start, text = span.start_char, span.text
        for article in _ARTICLES:
            if text.startswith(article) and len(text) > len(article):
                start, text = start + len(article), text[len(article) :]
        for possessive in ("'s", "’s"):
            if text.endswith(possessive) and len(text) > 2:
                text = text[: -len(possessive)]
        text = text.rstrip()
        entities.append(Entity(text=text, label=label, start=offset + start, end=offset + start + len(text)))
    return entities
