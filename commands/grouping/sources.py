"""Who a claim comes from: relay chains, primary sources, outlets.

A claim's chain is its relays (outermost first) then its speaker; without either, it is
the outlet's own reporting. Two links are one source when the store resolved both to
the same speaker id; without ids (old data, unresolved names) the name rules decide.
Ids are trusted over names because the speakers table ties an unnamed description
("the agency") to a named body only where its own article does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .schemas import ClaimHit, SourceLabel

SameSpeaker = Callable[[str, str], bool]


@dataclass(frozen=True)
class SourceRef:
    name: str
    speaker_id: int | None = None


def same_source(a: SourceRef, b: SourceRef, same_speaker: SameSpeaker) -> bool:
    if a.speaker_id is not None and b.speaker_id is not None:
        return a.speaker_id == b.speaker_id
    return same_speaker(a.name, b.name)


def chain(hit: ClaimHit) -> tuple[SourceRef, ...]:
    claim = hit.claim
    ids: list[int | None] = list(claim.via_ids) if len(claim.via_ids) == len(claim.via) else [None] * len(claim.via)
    links = [SourceRef(name, speaker_id) for name, speaker_id in zip(claim.via, ids, strict=True)]
    if claim.speaker:
        links.append(SourceRef(claim.speaker, claim.speaker_id))
    return tuple(links) or (SourceRef(hit.outlet_label),)


def primary(hit: ClaimHit) -> SourceRef:
    return chain(hit)[-1]


def resolved_chains(hits: Sequence[ClaimHit], same_speaker: SameSpeaker) -> list[tuple[SourceRef, ...]]:
    """Each hit's chain, extended when its primary is seen relaying someone else in
    another claim: "via Yonhap" next to "NIS, via Yonhap" is taken to relay the NIS."""
    chains = [chain(hit) for hit in hits]
    resolved: list[tuple[SourceRef, ...]] = []
    for links in chains:
        continuation = next(
            (
                other[index + 1 :]
                for other in chains
                for index, relay in enumerate(other[:-1])
                if same_source(links[-1], relay, same_speaker)
            ),
            (),
        )
        resolved.append(links + continuation)
    return resolved


@dataclass
class Source:
    refs: list[SourceRef] = field(default_factory=list)
    names: Counter[str] = field(default_factory=Counter)
    relays: Counter[str] = field(default_factory=Counter)
    articles: set[tuple[str, str]] = field(default_factory=set)

    @property
    def name(self) -> str:
        return min(self.names, key=lambda name: (-self.names[name], name))

    def label(self) -> SourceLabel:
        relay = min(self.relays, key=lambda name: (-self.relays[name], name)) if self.relays else None
        return SourceLabel(name=self.name, via=relay)


def primary_sources(hits: Sequence[ClaimHit], same_speaker: SameSpeaker) -> list[Source]:
    """Distinct primary sources, the best attested first. An unattributed claim (its
    outlet stands in as the source) adds no source when its own article attributes the
    same fact: a headline "Evacuations rise to 5,100" over "the agency said 5,100" is
    the agency's figure, not a second, independent one."""
    attributed = {(h.claim.corpus, h.claim.article_id) for h in hits if h.claim.speaker or h.claim.via}
    hits = [h for h in hits if h.claim.speaker or h.claim.via or (h.claim.corpus, h.claim.article_id) not in attributed]
    sources: list[Source] = []
    for hit, links in zip(hits, resolved_chains(hits, same_speaker), strict=True):
        origin = links[-1]
        source = next(
            (s for s in sources if any(same_source(origin, ref, same_speaker) for ref in s.refs)), None
        )
        if source is None:
            source = Source()
            sources.append(source)
        source.refs.append(origin)
        source.names[origin.name] += 1
        if len(links) > 1:
            source.relays[links[-2].name] += 1
        source.articles.add((hit.claim.corpus, hit.claim.article_id))
    return sorted(sources, key=lambda s: (-len(s.articles), s.name))
