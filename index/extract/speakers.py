"""Who said it: resolving speaker mentions to one canonical name per speaker.

``ArticleSpeakers`` works inside one article (coreference never crosses articles): a
surname, an acronym, a pronoun or a role ("the agency") resolves to a speaker named
earlier. ``SpeakerDirectory`` merges the canonical names of many articles for the query
side, where only spelling rules (``same_speaker``) can tell two names apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from index.names import (
    TITLE_WORDS,
    acronym_of,
    is_acronym,
    name_words,
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
ORGANISATION_ROLES = frozenset(
    """agency ministry office service department government administration committee
    company firm group campaign organisation organization institute party directorate
    newspaper outlet network broadcaster channel paper station council court military army
    intelligence bureau body union alliance police coastguard navy authority authorities
    operator regulator board commission""".split()
)
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

    def resolve(self, mention: SpeakerMention, position: int, relay: bool = False) -> SpeakerRecord | None:
        """The record a mention refers to, registering new names; ``relay`` marks a
        mention that passes a statement on, which does not make it the last to speak."""
        if mention.kind == "pronoun":
            return self._resolve_pronoun(mention.text.lower(), position)
        record = None
        if mention.kind == "name":
            record = self._match_name(mention.text, mention.entity_kind)
            if record is None:
                record = self._new(mention.text, mention.entity_kind, position)
            else:
                self._absorb_name(record, mention.text, mention.entity_kind)
        elif mention.kind == "role":
            record = self._resolve_role(mention.head, by_kind=True)
        elif mention.text.lower().startswith("the "):
            record = self._resolve_role(mention.head, by_kind=False)  # "the South Korean agency"
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
        words = strip_titles(name_words(name))
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
        if is_acronym(candidate) or candidate == record.canonical:
            record.add_alias(name)
            return
        if is_acronym(record.canonical) or _better_canonical(candidate, record.canonical, record.kind):
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

    def _resolve_role(self, head: str, by_kind: bool) -> SpeakerRecord | None:
        """ "the agency": the last named speaker whose names use that noun; else (``by_kind``,
        for a bare role) the last named speaker of the kind the noun implies; else the last
        description using that noun ("the Seoul intelligence agency")."""
        head = head.lower()
        by_recency = sorted(self.records, key=lambda r: r.last_seen, reverse=True)
        using_noun = [r for r in by_recency if _uses_noun(r, head)]
        named = next((r for r in using_noun if r.named), None)
        if named is not None:
            return named
        if by_kind:
            by_kind_match = self._last_speaker_for_role(head)
            if by_kind_match is not None:
                return by_kind_match
        return using_noun[0] if using_noun else None

    def _last_speaker_for_role(self, head: str) -> SpeakerRecord | None:
        spoke = sorted((r for r in self.records if r.last_spoke >= 0 and r.named), key=lambda r: -r.last_spoke)
        if head in SOURCE_ROLES:  # "the aforementioned source": whoever spoke last
            return spoke[0] if spoke else None
        wanted = "person" if head in PERSON_ROLES else "organisation" if head in ORGANISATION_ROLES else None
        return next((r for r in spoke if r.kind == wanted), None)

    def _match_description(self, mention: SpeakerMention) -> SpeakerRecord | None:
        """A description counts as a name only once the article tied the two together."""
        key = speaker_key(mention.text)
        for record in reversed(self.records):
            if any(speaker_key(known) == key for known in (record.canonical, *record.aliases)):
                return record
        return None


class SpeakerDirectory:
    """Canonical speakers across articles, merged by spelling rules alone."""

    def __init__(self) -> None:
        self._speakers: list[Speaker] = []
        self._by_key: dict[str, Speaker] = {}

    def add(self, name: str, kind: SpeakerKind = "unknown", aliases: list[str] | None = None) -> Speaker:
        speaker = self.resolve(name)
        if speaker is None:
            speaker = Speaker(canonical=name, kind=kind)
            self._speakers.append(speaker)
        elif speaker.kind == "unknown":
            speaker.kind = kind
        for alias in [name, *(aliases or [])]:
            if alias != speaker.canonical and alias not in speaker.aliases:
                speaker.aliases.append(alias)
            self._by_key[speaker_key(alias)] = speaker
        self._by_key[speaker_key(speaker.canonical)] = speaker
        return speaker

    def resolve(self, name: str) -> Speaker | None:
        exact = self._by_key.get(speaker_key(name))
        if exact is not None:
            return exact
        return next(
            (s for s in self._speakers if any(same_speaker(name, n) for n in (s.canonical, *s.aliases))),
            None,
        )

    def speakers(self) -> list[Speaker]:
        return list(self._speakers)


def _canonical_name(name: str, kind: SpeakerKind) -> str:
    """A person's name without titles; an organisation's name without article or acronym."""
    if kind == "person" or name.split()[0].lower().strip(".") in TITLE_WORDS:
        # Titles go, the original spelling (accents, hyphens) of the name stays; a title
        # alone ("the former Prime Minister") is a description and stays whole.
        stripped = strip_titles(name.split())
        if stripped[-1].lower().strip(".") not in TITLE_WORDS:
            return _without_possessive(" ".join(stripped))
    bare = name.split(" (")[0] if "(" in name else name
    bare = _without_possessive(_without_article(bare.strip()))
    # "Varnia's Kestrel News Agency" is Kestrel's name; the owner stays an alias.
    owner, mark, rest = bare.replace("’s ", "'s ").partition("'s ")
    if mark and rest[:1].isupper():
        return rest
    return bare


def _better_canonical(candidate: str, current: str, kind: SpeakerKind) -> bool:
    candidate_words = strip_titles(name_words(candidate))
    current_words = strip_titles(name_words(current))
    if kind == "person":
        return len(candidate_words) > len(current_words)
    # An organisation's shortest multi-word form drops locative modifiers
    # ("South Korean National Intelligence Service" -> "National Intelligence Service").
    return 2 <= len(candidate_words) < len(current_words)


def _uses_noun(record: SpeakerRecord, noun: str) -> bool:
    words = {w.lower() for known in (record.canonical, *record.aliases) for w in name_words(known)}
    return noun in words or noun.rstrip("s") in words


def _surname_matches(word: str, record: SpeakerRecord) -> bool:
    names = [strip_titles(name_words(n)) for n in (record.canonical, *record.aliases)]
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
