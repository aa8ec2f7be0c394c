"""Who said it: resolving speaker mentions to one canonical name per speaker.

``ArticleSpeakers`` works inside one article (coreference never crosses articles): a
surname, an acronym, a pronoun or a role ("the agency") resolves to a speaker named
earlier. Each claim carries its speaker's record as a ``Speaker`` (canonical name, kind,
every wording the article used); the store resolves those across articles into its
speakers table (``index.speaker_table``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from index.names import (
    ORGANISATION_NOUNS,
    TITLE_WORDS,
    acronym_of,
    better_canonical,
    core_words,
    is_acronym,
    name_words,
    organisation_head,
    same_speaker,
    same_word,
    speaker_key,
    strip_titles,
)
from index.models import Speaker

SpeakerKind = Literal["person", "organisation", "unknown"]
MentionKind = Literal["name", "pronoun", "role", "description"]

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
ORGANISATION_PRONOUNS = frozenset({"it"})
# Role nouns that, after "the", point back to a speaker already named.
PERSON_ROLES = frozenset(
    """president minister secretary general official spokesman spokeswoman spokesperson
    leader chief head commander director governor mayor senator candidate nominee
    ambassador envoy chairman chairwoman premier chancellor officer lawmaker diplomat
    analyst expert researcher author man woman""".split()
)
ORGANISATION_ROLES = ORGANISATION_NOUNS
# Bodies so generic that "the company" after one named company can only mean it; any
# other noun ("the ministry", "the police") must be in a named speaker's name to join it.
_GENERIC_BODY_ROLES = frozenset({"company", "firm", "organisation", "organization"})
SOURCE_ROLES = frozenset({"source", "sources", "report", "statement", "outlet"})
# How long a pronoun may reach back to the last person who spoke, in sentences.
_PRONOUN_REACH = 4


@dataclass
class SpeakerRecord:
    canonical: str
    kind: SpeakerKind
    aliases: list[str] = field(default_factory=list)
    named: bool = True  # False for a description nobody tied to a name
    last_seen: int = -1  # sentence of the latest mention, as speaker or as relay
    last_spoke: int = -1  # sentence of the latest mention as the speaker

    def add_alias(self, alias: str) -> None:
        alias = " ".join(alias.split())
        if alias and alias != self.canonical and alias not in self.aliases:
            self.aliases.append(alias)

    def answers_to(self, name: str) -> bool:
        return any(same_speaker(name, known) for known in (self.canonical, *self.aliases))

    def as_speaker(self) -> Speaker:
        """The record as the store takes it: an untied description is its own kind."""
        kind = self.kind if self.named else "description"
        return Speaker(canonical=self.canonical, kind=kind, aliases=list(self.aliases))


@dataclass(frozen=True)
class SpeakerMention:
    """A speaker as a sentence words it: a name, a pronoun, a role or a description."""

    text: str
    kind: MentionKind
    entity_kind: SpeakerKind = "unknown"
    head: str = ""  # the head noun of a role or description ("agency")
    aliases: tuple[str, ...] = ()  # other wordings in the same phrase (apposition, title)


class ArticleSpeakers:
    """Speakers of one article, in order of appearance."""

    def __init__(self) -> None:
        self.records: list[SpeakerRecord] = []
        self._people_seen: list[SpeakerRecord] = []

    def note_person(self, name: str, position: int) -> None:
        """A person named in the text, not necessarily speaking: a fallback for "he"."""
        record = self._match_name(name, "person") or self._new(name, "person", position)
        self._people_seen.append(record)

    def resolve(
        self, mention: SpeakerMention, position: int, relay: bool = False, relayed: SpeakerRecord | None = None
    ) -> SpeakerRecord | None:
        """The record a mention refers to, registering new names; ``relay`` marks a
        mention that passes a statement on, which does not make it the last to speak.
        ``relayed`` is the speaker a relay passes on: a relay is never that speaker, so
        "the newspaper reported, citing the police" keeps the newspaper apart."""
        if mention.kind == "pronoun":
            found = self._resolve_pronoun(mention.text.lower(), position)
            return None if found is not None and found is relayed else found
        record = None
        if mention.kind == "name":
            record = self._match_name(mention.text, mention.entity_kind)
            if record is None:
                record = self._new(mention.text, mention.entity_kind, position)
            else:
                self._absorb_name(record, mention.text, mention.entity_kind)
        elif mention.kind == "role":
            record = self._resolve_role(mention.head, by_kind=True, exclude=relayed)
        elif mention.text.lower().startswith("the "):
            record = self._resolve_role(mention.head, by_kind=False, exclude=relayed)  # "the South Korean agency"
        if record is not None and record is relayed:
            record = None
        if record is None:
            record = self._match_description(mention) or self._new_description(mention, position)
        for alias in mention.aliases:
            if alias != record.canonical and not _is_pronoun(alias):
                record.add_alias(alias)
        record.last_seen = position
        if not relay:
            record.last_spoke = position
        return record

    def _new(self, name: str, kind: SpeakerKind, position: int) -> SpeakerRecord:
        record = SpeakerRecord(canonical=_canonical_name(name, kind), kind=kind, last_seen=position)
        record.add_alias(name)
        self.records.append(record)
        return record

    def _new_description(self, mention: SpeakerMention, position: int) -> SpeakerRecord:
        record = SpeakerRecord(
            canonical=_without_article(mention.text), kind=mention.entity_kind, named=False, last_seen=position
        )
        self.records.append(record)
        return record

    def _match_name(self, name: str, kind: SpeakerKind) -> SpeakerRecord | None:
        words = core_words(name, kind)
        for record in reversed(self.records):
            if not record.named or not _kinds_agree(record.kind, kind):
                continue
            if record.answers_to(name):
                return record
            if len(words) == 1 and record.kind == "person" and _surname_matches(words[0], record):
                return record
        if is_acronym(name):
            for record in reversed(self.records):
                if record.named and any(
                    acronym_of(known) == name.replace(".", "").upper()
                    for known in (record.canonical, *record.aliases)
                ):
                    return record
        return None

    def _absorb_name(self, record: SpeakerRecord, name: str, kind: SpeakerKind) -> None:
        """Keep the fullest name as canonical: a person's longest, an organisation's core."""
        candidate = _canonical_name(name, kind)
        if record.kind == "unknown" and kind != "unknown":
            record.kind = kind
        if candidate != record.canonical and better_canonical(candidate, record.canonical, record.kind):
            record.add_alias(record.canonical)
            record.canonical = candidate
        record.add_alias(name)

    def _resolve_pronoun(self, pronoun: str, position: int) -> SpeakerRecord | None:
        by_speaking = sorted(self.records, key=lambda r: r.last_spoke, reverse=True)
        if pronoun in PERSON_PRONOUNS:
            for record in by_speaking:
                if record.kind == "person" and record.named and 0 <= position - record.last_spoke <= _PRONOUN_REACH:
                    return record
            if self._people_seen:
                return self._people_seen[-1]
        if pronoun in ORGANISATION_PRONOUNS:
            return next((r for r in by_speaking if r.kind == "organisation" and r.last_spoke >= 0), None)
        return None

    def _resolve_role(self, head: str, by_kind: bool, exclude: SpeakerRecord | None = None) -> SpeakerRecord | None:
        """ "the agency": the last named speaker whose names use that noun; else (``by_kind``,
        for a bare role) the last named speaker of the kind the noun implies; else the last
        description using that noun ("the Seoul intelligence agency")."""
        head = head.lower()
        by_recency = sorted((r for r in self.records if r is not exclude), key=lambda r: r.last_seen, reverse=True)
        using_noun = [r for r in by_recency if _uses_noun(r, head)]
        named = next((r for r in using_noun if r.named), None)
        if named is not None:
            return named
        if by_kind:
            by_kind_match = self._last_speaker_for_role(head, exclude)
            if by_kind_match is not None:
                return by_kind_match
        return using_noun[0] if using_noun else None

    def _last_speaker_for_role(self, head: str, exclude: SpeakerRecord | None) -> SpeakerRecord | None:
        spoke = sorted(
            (r for r in self.records if r.last_spoke >= 0 and r.named and r is not exclude), key=lambda r: -r.last_spoke
        )
        if head in SOURCE_ROLES:  # "the aforementioned source": whoever spoke last
            return spoke[0] if spoke else None
        wanted = "person" if head in PERSON_ROLES else "organisation" if head in _GENERIC_BODY_ROLES else None
        return next((r for r in spoke if r.kind == wanted), None)

    def _match_description(self, mention: SpeakerMention) -> SpeakerRecord | None:
        """A description counts as a name only once the article tied the two together."""
        key = speaker_key(mention.text)
        for record in reversed(self.records):
            if any(speaker_key(known) == key for known in (record.canonical, *record.aliases)):
                return record
        return None


def _canonical_name(name: str, kind: SpeakerKind) -> str:
    """A person's name without titles; an organisation's name without article or acronym."""
    titled = name.split()[0].lower().strip(".") in TITLE_WORDS
    if kind == "person" or (titled and kind != "organisation" and not organisation_head(name_words(name))):
        # Titles go, the original spelling (accents, hyphens) of the name stays; a title
        # alone ("the former Prime Minister") is a description and stays whole.
        stripped = strip_titles(name.split())
        if stripped[-1].lower().strip(".") not in TITLE_WORDS:
            return _without_possessive(" ".join(stripped))
    bare = name.split(" (")[0] if "(" in name else name
    bare = _without_possessive(_without_article(bare.strip()))
    # "Varnia's Kestrel News Agency" is Kestrel's name; the owner stays an alias.
    owner, mark, rest = bare.replace("’s ", "'s ").partition("'s ")
    if mark and rest[:1].isupper() and not all(w.lower() in ORGANISATION_NOUNS for w in name_words(rest)):
        return rest  # but "Dunmore County Sheriff's Office" is not just "Office"
    return bare


def _uses_noun(record: SpeakerRecord, noun: str) -> bool:
    words = {w.lower() for known in (record.canonical, *record.aliases) for w in name_words(known)}
    return noun in words or noun.rstrip("s") in words


def _surname_matches(word: str, record: SpeakerRecord) -> bool:
    names = [core_words(n, "person") for n in (record.canonical, *record.aliases)]
    return any(len(n) >= 2 and (same_word(word, n[-1]) or same_word(word, n[0])) for n in names)


def _kinds_agree(a: SpeakerKind, b: SpeakerKind) -> bool:
    return a == b or "unknown" in (a, b)


def _is_pronoun(text: str) -> bool:
    return text.lower() in PERSON_PRONOUNS | ORGANISATION_PRONOUNS | {"they", "we", "i", "you"}


def _without_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    return rest if first.lower() in ("the", "a", "an") and rest else text


def _without_possessive(text: str) -> str:
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text
