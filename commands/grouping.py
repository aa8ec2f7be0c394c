"""Claims side by side: group retrieved claims that state the same fact, flag disagreement.

Pure functions over already-retrieved hits; no I/O.

Rules (why they are what they are):

* A figure is compared as a *quantity*: what is counted (``unit_family``: soldiers,
  troops and men are one thing), what happened to it (the predicate nearest the figure:
  deploy, move, train, killed …) and its interval. Two figures about the same quantity
  with overlapping intervals are one group; with disjoint intervals they are two groups
  flagged as conflicting. Different quantities are never flagged, however different
  the numbers.
* Stage matters. "To send 12,000" (a planned total) and "1,500 were transported in the
  first phase" (movement already done) are different quantities: a deployment verb that
  is already carried out ("has sent", "first phase", "first batch" …) reads as "move",
  unless the wording says "total". Training is its own predicate: "11,000 being trained"
  is a head count at one moment, not the size of the deployment, so it does not
  conflict with "12,000 to be sent". Flagging it would be arguing with the source.
* A figure whose predicate cannot be read ("the number could rise to 12,000") joins a
  compatible group of the same unit (any predicate) but never starts a conflict: better
  to miss a conflict than to invent one. Not for bare "people", though: "20 people
  attended" must not corroborate "20 people were killed".
* Two figures from clearly different stories are kept apart: when both claims name
  entities (a claim naming none borrows those of its article's other hits), share none,
  and their wording (outside the quantity words) barely overlaps, they are not the
  same quantity.
* Claims without a usable figure group by wording (content-word overlap), boosted by a
  shared speaker and shared entities.
* A claim that denies ("a hoax", "no evidence", "denied", "called … false") is never
  counted as support for the figure it mentions. It forms its own group, and is linked
  both ways through ``contradicts`` to every group with a claim whose quantity words
  (unit and predicate families) it uses and with which it shares at least
  ``DENIAL_LINK_MIN_TERMS`` content terms or story entities.
* Sources: a claim's chain is its relays (outermost first) then its speaker; without
  either, it is the outlet's own reporting. A chain ending in a relay that another claim
  of the group shows relaying someone ("via Yonhap" next to "NIS, via Yonhap") is taken
  to relay that someone. Primary sources are then merged with ``same_speaker``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from commands.synonyms import (
    content_terms,
    family_of,
    fold_accents,
    is_outcome,
    predicate_family,
    unit_family,
    words,
)
from index.models import Article, Claim, Figure

SameSpeaker = Callable[[str, str], bool]

WINDOW_WORDS = 10  # words read either side of a figure for its predicate
UNIT_LOOKAHEAD_WORDS = 3  # when the extractor gave no unit: "30 injured"
APPROX_TOLERANCE = 0.05  # "about 10,000" covers 9,500–10,500, not 11,000
TOPIC_MIN_OVERLAP = 0.25  # overlap coefficient of wording outside the quantity words
WORDING_MIN_SIMILARITY = 0.5  # figureless claims: jaccard plus speaker/entity bonus
SAME_SPEAKER_BONUS = 0.2
SHARED_ENTITY_BONUS = 0.1  # per shared entity, at most two
DENIAL_LINK_MIN_TERMS = 3  # shared terms or entities, the quantity words included
HEADLINE_SOURCES = 2
HEADLINE_EXCERPT_CHARS = 80

# Units too general to be joined on the figure alone, without a predicate.
GENERIC_UNITS = frozenset({"people"})

PREDICATE_LABELS = {"deploy": "deployment", "move": "already moved", "train": "in training"}

_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)")
_DONE_AUXILIARIES = frozenset({"has", "have", "had", "was", "were", "been", "already"})
_PARTIAL_STAGE = re.compile(
    r"\b(?:first|initial)\s+(?:phase|batch|wave|cadre|group|contingent|stage|rotation)\b"
    r"|\bso far\b"
)
_TOTAL = re.compile(r"\b(?:total|overall|in all|altogether)\b")
_DENIAL = re.compile(
    r"\bhoax(?:es)?\b|\bno evidence\b|\bnot true\b|\buntrue\b|\bbaseless\b|\bunfounded\b"
    r"|\bfabricat\w*|\brefut\w*"
    r"|\bden(?:y|ying|ial)\b|\bdeni(?:ed|es)\b(?!\s+(?:entry|access|bail|visas?|permission))"
    r"|\breject(?:s|ed)?\s+(?:the\s+|these\s+|those\s+)?(?:claims?|reports?|allegations?)\b"
    # "false"/"fake" alone are too common ("false IDs"); only as a verdict.
    r"|\b(?:is|was|are|were|as|called|labell?ed|branded)\s+(?:\w+\s+)?"
    r"(?:false|fake|a lie|lies)\b",
    re.IGNORECASE,
)


def _same_folded(a: str, b: str) -> bool:
    return _name_key(a) == _name_key(b)


def _name_key(name: str) -> str:
    return " ".join(re.findall(r"\w+", fold_accents(name)))


# ---------------------------------------------------------------- models


Number = int | float


class ClaimHit(BaseModel):
    """A retrieved claim with what is needed to show it."""

    claim: Claim
    source: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    score: float = 0.0

    @classmethod
    def from_article(cls, claim: Claim, article: Article, score: float) -> ClaimHit:
        if claim.article_id != article.id:
            raise ValueError(f"claim of {claim.article_id!r} paired with article {article.id!r}")
        return cls(
            claim=claim,
            source=article.source,
            outlet=article.outlet,
            title=article.title,
            url=article.url,
            published=article.published,
            score=score,
        )


class GroupFigure(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: Number
    low: Number
    high: Number
    unit: str | None = None
    approx: bool = False


class Quote(BaseModel):
    article_id: str
    source: str
    outlet: str | None
    title: str | None
    url: str | None
    published: date | None
    text: str = Field(description="Verbatim claim.text.")
    start: int
    end: int
    speaker: str | None
    cue: str | None
    via: str | None = Field(description="Relays, outermost first, comma-separated.")
    figure: GroupFigure | None = None


class ClaimGroup(BaseModel):
    id: str
    headline: str
    figures: list[GroupFigure]
    quotes: list[Quote]
    outlets: int
    independent_sources: int
    conflicts_with: list[str] = Field(default_factory=list)
    contradicts: list[str] = Field(default_factory=list)
    speakers: list[str] = Field(default_factory=list, description="The primary sources.")
    predicate: str | None = None
    denial: bool = False
    score: float = Field(0.0, description="Best search score among the group's hits.")
    newest: date | None = None


# ---------------------------------------------------------------- reading claims


@dataclass(frozen=True)
class _Mention:
    """One claim as grouped: by one of its figures, or by its wording if it has none."""

    hit: ClaimHit
    figure: Figure | None
    counted: str
    unit_label: str | None
    predicate: str | None
    low: float
    high: float
    terms: frozenset[str]
    entities: frozenset[str]
    # The claim's entities, or when it names none, those of its article's other hits:
    # "about 4,000 are being sent to the region" is about whatever its article is about.
    story_entities: frozenset[str]
    denial: bool

    @property
    def sort_key(self) -> tuple[str, str, int, int, int]:
        claim = self.hit.claim
        figure_start = self.figure.start if self.figure else -1
        return (claim.corpus, claim.article_id, claim.start, claim.end, figure_start)

    @property
    def id_part(self) -> str:
        claim = self.hit.claim
        figure = f":{self.figure.start}-{self.figure.end}" if self.figure else ""
        return f"{claim.corpus}/{claim.article_id}:{claim.start}-{claim.end}{figure}"

    @property
    def quantity_words(self) -> set[str]:
        return {word for word in (self.counted, self.predicate) if word}


def is_denial(claim: Claim) -> bool:
    """Whether the claim's cue or text rejects something ("a hoax", "no evidence" …)."""
    return any(_DENIAL.search(text) for text in (claim.cue or "", claim.text))


def _entity_keys(claim: Claim) -> frozenset[str]:
    """Named entities other than the speaker, who says nothing about the topic."""
    speaker = _name_key(claim.speaker) if claim.speaker else None
    keys = (_name_key(entity.text) for entity in claim.entities)
    return frozenset(key for key in keys if not (speaker and key in speaker))


def _mentions(hit: ClaimHit, article_entities: frozenset[str]) -> list[_Mention]:
    """The claim once per usable figure, or once by its wording."""
    claim = hit.claim
    entities = _entity_keys(claim)
    by_wording = _Mention(
        hit=hit,
        figure=None,
        counted="",
        unit_label=None,
        predicate=None,
        low=0.0,
        high=0.0,
        terms=frozenset(content_terms(claim.text)),
        entities=entities,
        story_entities=entities or article_entities,
        denial=is_denial(claim),
    )
    if by_wording.denial:
        # A denial mentioning a figure is not support for it.
        return [by_wording]
    mentions: list[_Mention] = []
    spans = _figure_spans(claim)
    for figure, span in spans:
        reading = _read_quantity(claim, figure, span, spans)
        if reading is not None:
            counted, label, predicate = reading
            low, high = _interval(figure)
            mentions.append(
                replace(
                    by_wording,
                    figure=figure,
                    counted=counted,
                    unit_label=label,
                    predicate=predicate,
                    low=low,
                    high=high,
                )
            )
    return mentions or [by_wording]


def _figure_spans(claim: Claim) -> list[tuple[Figure, tuple[int, int]]]:
    """Each figure with its offsets inside ``claim.text``, in reading order."""
    spans: list[tuple[Figure, tuple[int, int]]] = []
    for figure in claim.figures:
        local = figure.start - claim.start
        if claim.text[local : local + len(figure.text)] != figure.text:
            # Offsets that do not match the text: trust the text, not the numbers.
            local = claim.text.find(figure.text)
            if local < 0:
                continue
        spans.append((figure, (local, local + len(figure.text))))
    return sorted(spans, key=lambda item: item[1])


def _read_quantity(
    claim: Claim,
    figure: Figure,
    span: tuple[int, int],
    spans: list[tuple[Figure, tuple[int, int]]],
) -> tuple[str, str | None, str | None] | None:
    """(counted family, unit as shown, predicate family) of a figure, or None if it counts
    nothing recognisable. The words read stop at the neighbouring figures and the
    sentence, so that "1,500 arrived … could rise to 12,000" reads each figure apart."""
    start, end = span
    text = claim.text
    left_bound = max([e for _, (_, e) in spans if e <= start] + [_sentence_start(text, start)])
    right_bound = min([s for _, (s, _) in spans if s >= end] + [_sentence_end(text, end)])
    tokens = words(text)
    left = [t.group() for t in tokens if t.start() >= left_bound and t.end() <= start]
    right = [t.group() for t in tokens if t.start() >= end and t.end() <= right_bound]
    left, right = left[-WINDOW_WORDS:], right[:WINDOW_WORDS]

    counted = unit_family(figure.unit) or next(
        (unit_family(word) for word in right[:UNIT_LOOKAHEAD_WORDS] if _is_unit(word)), ""
    )
    if not counted:
        return None
    if is_outcome(counted):
        # "20 dead" and "20 people were killed" count the same thing.
        return "people", "people", counted
    label = counted if family_of(counted) is not None else figure.unit
    return counted, label, _predicate(left, right)


def _is_unit(word: str) -> bool:
    family = family_of(word)
    return family is not None and family.role in ("unit", "outcome")


def _sentence_start(text: str, offset: int) -> int:
    ends = [match.end() for match in _SENTENCE_END.finditer(text, 0, offset)]
    return ends[-1] if ends else 0


def _sentence_end(text: str, offset: int) -> int:
    found = _SENTENCE_END.search(text, offset)
    return found.start() if found else len(text)


def _predicate(left: list[str], right: list[str]) -> str | None:
    """The family of the predicate word nearest the figure (left wins a tie: English puts
    the verb first, "send 12,000")."""
    # (distance, side, the word just before the predicate, family)
    candidates = [
        (len(left) - i, 0, left[i - 1] if i else "", key)
        for i, word in enumerate(left)
        if (key := predicate_family(word))
    ] + [
        (i + 1, 1, right[i - 1] if i else "", key)
        for i, word in enumerate(right)
        if (key := predicate_family(word))
    ]
    if not candidates:
        return None
    _, _, before, key = min(candidates)
    if key == "deploy" and _already_done(left + right, before):
        return "move"
    return key


def _already_done(window_words: list[str], before_predicate: str) -> bool:
    """Whether a deployment verb reports movement carried out ("has sent", "were
    deployed", "in the first phase") rather than a plan or a total."""
    window = " ".join(fold_accents(word) for word in window_words)
    if _TOTAL.search(window):
        return False
    if _PARTIAL_STAGE.search(window):
        return True
    return fold_accents(before_predicate) in _DONE_AUXILIARIES


def _interval(figure: Figure) -> tuple[float, float]:
    low, high = sorted((figure.low, figure.high))
    if figure.approx and low == high:
        margin = abs(figure.value) * APPROX_TOLERANCE
        return low - margin, high + margin
    return low, high


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _topic_compatible(a: _Mention, b: _Mention) -> bool:
    """False only on evidence that two claims are about different stories: both name
    entities (their own or their article's), none in common, and their wording barely
    overlaps."""
    if not (a.story_entities and b.story_entities) or a.story_entities & b.story_entities:
        return True
    a_terms = a.terms - a.quantity_words
    b_terms = b.terms - b.quantity_words
    if not (a_terms and b_terms):
        return True
    return len(a_terms & b_terms) / min(len(a_terms), len(b_terms)) >= TOPIC_MIN_OVERLAP


def _wording_similarity(a: _Mention, b: _Mention, same_speaker: SameSpeaker) -> float:
    union = a.terms | b.terms
    similarity = len(a.terms & b.terms) / len(union) if union else 0.0
    speaker_a, speaker_b = a.hit.claim.speaker, b.hit.claim.speaker
    if speaker_a and speaker_b and same_speaker(speaker_a, speaker_b):
        similarity += SAME_SPEAKER_BONUS
    return similarity + SHARED_ENTITY_BONUS * min(2, len(a.entities & b.entities))


# ---------------------------------------------------------------- sources


def _outlet(hit: ClaimHit) -> str:
    """The outlet's name, or for an article without one, the article itself: its own
    reporting counts once, and its id reads better than a file path."""
    return hit.outlet or hit.claim.article_id


def _chain(hit: ClaimHit) -> tuple[str, ...]:
    claim = hit.claim
    chain = (*claim.via, *([claim.speaker] if claim.speaker else []))
    return chain or (_outlet(hit),)


def _resolved_chains(
    mentions: Sequence[_Mention], same_speaker: SameSpeaker
) -> list[tuple[str, ...]]:
    """Each mention's chain, extended when its primary is seen relaying someone else."""
    chains = [_chain(m.hit) for m in mentions]
    resolved: list[tuple[str, ...]] = []
    for chain in chains:
        primary = chain[-1]
        continuation = next(
            (
                other[index + 1 :]
                for other in chains
                for index, relay in enumerate(other[:-1])
                if same_speaker(primary, relay)
            ),
            (),
        )
        resolved.append(chain + continuation)
    return resolved


@dataclass
class _Source:
    names: Counter[str] = field(default_factory=Counter)
    relays: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return min(self.names, key=lambda name: (-self.names[name], name))

    def label(self) -> str:
        if not self.relays:
            return self.name
        relay = min(self.relays, key=lambda name: (-self.relays[name], name))
        return f"{self.name} (via {relay})"


def _primary_sources(mentions: Sequence[_Mention], same_speaker: SameSpeaker) -> list[_Source]:
    """Distinct primary sources, the best attested first."""
    sources: list[_Source] = []
    for mention, chain in zip(mentions, _resolved_chains(mentions, same_speaker), strict=True):
        primary = chain[-1]
        source = next(
            (s for s in sources if any(same_speaker(primary, name) for name in s.names)), None
        )
        if source is None:
            source = _Source()
            sources.append(source)
        source.names[primary] += 1
        if len(chain) > 1:
            source.relays[chain[-2]] += 1
        source.articles.add(mention.hit.claim.article_id)
    return sorted(sources, key=lambda s: (-len(s.articles), s.name))


# ---------------------------------------------------------------- clustering


@dataclass
class _Draft:
    members: list[_Mention]
    counted: str
    predicate: str | None
    interval: tuple[float, float]
    denial: bool = False

    def admit(self, mention: _Mention) -> None:
        self.members.append(mention)
        if mention.figure is not None:
            # The group stands for what all its figures allow, so that a range
            # ("10,000 to 12,000") joining 12,000 does not hide a conflict with 10,000.
            self.interval = (
                max(self.interval[0], mention.low),
                min(self.interval[1], mention.high),
            )


def _figure_drafts(mentions: list[_Mention], same_speaker: SameSpeaker) -> list[_Draft]:
    # Exact figures first, so that ranges and hedges join the groups they allow rather
    # than deciding the groups themselves.
    def order(m: _Mention) -> tuple[bool, float, float, tuple[str, str, int, int, int]]:
        return (m.predicate is None, m.high - m.low, m.low, m.sort_key)

    drafts: list[_Draft] = []
    for mention in sorted(mentions, key=order):
        candidates = [
            draft
            for draft in drafts
            if draft.counted == mention.counted
            and (
                draft.predicate == mention.predicate
                or (mention.predicate is None and mention.counted not in GENERIC_UNITS)
            )
            and _overlap(draft.interval, (mention.low, mention.high))
            and any(_topic_compatible(mention, member) for member in draft.members)
        ]
        if candidates:
            max(candidates, key=lambda d: _affinity(d, mention, same_speaker)).admit(mention)
        else:
            drafts.append(
                _Draft([mention], mention.counted, mention.predicate, (mention.low, mention.high))
            )
    return drafts


def _affinity(draft: _Draft, mention: _Mention, same_speaker: SameSpeaker) -> tuple[bool, int]:
    """Prefer the group already quoting the same source, then the best supported one;
    ``max`` keeps the earliest draft on a tie."""
    primary = _chain(mention.hit)[-1]
    shares_source = any(same_speaker(primary, _chain(m.hit)[-1]) for m in draft.members)
    return shares_source, len(draft.members)


def _wording_drafts(mentions: list[_Mention], same_speaker: SameSpeaker) -> list[_Draft]:
    drafts: list[_Draft] = []
    for mention in sorted(mentions, key=lambda m: m.sort_key):
        scored = [
            (max(_wording_similarity(mention, m, same_speaker) for m in draft.members), -i, draft)
            for i, draft in enumerate(drafts)
            if draft.denial == mention.denial
        ]
        best = max(scored, key=lambda item: item[:2], default=None)
        if best is not None and best[0] >= WORDING_MIN_SIMILARITY:
            best[2].admit(mention)
        else:
            drafts.append(_Draft([mention], "", None, (0.0, 0.0), mention.denial))
    return drafts


# ---------------------------------------------------------------- building groups


def group_claims(
    hits: Iterable[ClaimHit], same_speaker: SameSpeaker = _same_folded
) -> list[ClaimGroup]:
    """Group hits that state the same fact; link conflicting figures and denials.

    Groups come out in a deterministic order (by id); use ``rank_groups`` to order them
    for display. ``same_speaker`` decides whether two names are one source (default:
    equal once accent-folded and lowercased).
    """
    # Grouping compares names pairwise, the same pairs over and over: remember answers.
    same_speaker = functools.lru_cache(maxsize=None)(same_speaker)
    unique = _unique(hits)
    article_entities: dict[tuple[str, str], frozenset[str]] = {}
    for hit in unique:
        key = (hit.claim.corpus, hit.claim.article_id)
        article_entities[key] = article_entities.get(key, frozenset()) | _entity_keys(hit.claim)
    mentions = [
        mention
        for hit in unique
        for mention in _mentions(hit, article_entities[(hit.claim.corpus, hit.claim.article_id)])
    ]
    figure_drafts = _figure_drafts([m for m in mentions if m.figure], same_speaker)
    wording_drafts = _wording_drafts([m for m in mentions if not m.figure], same_speaker)
    drafts = figure_drafts + wording_drafts
    groups = [_build(draft, same_speaker) for draft in drafts]
    for i, j in _conflicting_pairs(drafts):
        groups[i].conflicts_with.append(groups[j].id)
        groups[j].conflicts_with.append(groups[i].id)
    for i, j in _contradicting_pairs(drafts):
        groups[i].contradicts.append(groups[j].id)
        groups[j].contradicts.append(groups[i].id)
    for group in groups:
        group.conflicts_with.sort()
        group.contradicts.sort()
    return sorted(groups, key=lambda g: g.id)


def _unique(hits: Iterable[ClaimHit]) -> list[ClaimHit]:
    """One hit per claim (the best scored), so a claim retrieved twice counts once."""
    best: dict[tuple[str, str, int, int], ClaimHit] = {}
    for hit in hits:
        claim = hit.claim
        key = (claim.corpus, claim.article_id, claim.start, claim.end)
        if key not in best or hit.score > best[key].score:
            best[key] = hit
    return [best[key] for key in sorted(best)]


def _conflicting_pairs(drafts: list[_Draft]) -> list[tuple[int, int]]:
    """Index pairs of groups stating the same quantity with disjoint intervals."""
    return [
        (i, j)
        for i, a in enumerate(drafts)
        for j, b in enumerate(drafts[i + 1 :], start=i + 1)
        if a.counted
        and a.predicate is not None
        and (a.counted, a.predicate) == (b.counted, b.predicate)
        and not _overlap(a.interval, b.interval)
        and any(_topic_compatible(x, y) for x in a.members for y in b.members)
    ]


def _contradicting_pairs(drafts: list[_Draft]) -> list[tuple[int, int]]:
    """Index pairs (denial group, group it denies)."""
    return [
        (i, j)
        for i, denial in enumerate(drafts)
        if denial.denial
        for j, target in enumerate(drafts)
        if not target.denial and any(_denies(d, t) for d in denial.members for t in target.members)
    ]


def _denies(denial: _Mention, target: _Mention) -> bool:
    """A denial is taken to deny a claim when it names what the claim counts and what
    happened to it ("sent troops" for a deployment figure) and shares enough words and
    story entities with it. A denial pointing at "the information" or "the reports"
    without saying what they were cannot be linked."""
    if not target.quantity_words <= denial.terms:
        return False
    shared = (denial.terms | denial.story_entities) & (target.terms | target.story_entities)
    return len(shared) >= DENIAL_LINK_MIN_TERMS


def _build(draft: _Draft, same_speaker: SameSpeaker) -> ClaimGroup:
    members = draft.members
    quotes = _quotes(members)
    figures = _group_figures(quotes)
    sources = _primary_sources(members, same_speaker)
    return ClaimGroup(
        id=_group_id(members),
        headline=_headline(draft, figures, quotes, sources),
        figures=figures,
        quotes=quotes,
        outlets=len({_name_key(_outlet(m.hit)) for m in members}),
        independent_sources=len(sources),
        speakers=[s.name for s in sources],
        predicate=draft.predicate,
        denial=draft.denial,
        score=max(m.hit.score for m in members),
        newest=max((m.hit.published for m in members if m.hit.published), default=None),
    )


def _group_id(members: Sequence[_Mention]) -> str:
    digest = hashlib.sha1("|".join(sorted(m.id_part for m in members)).encode("utf-8"))
    return "g" + digest.hexdigest()[:12]


def _quotes(members: Sequence[_Mention]) -> list[Quote]:
    by_article: dict[tuple[str, str], list[_Mention]] = {}
    for mention in members:
        claim = mention.hit.claim
        by_article.setdefault((claim.corpus, claim.article_id), []).append(mention)
    chosen = [min(group, key=_specificity) for group in by_article.values()]
    chosen.sort(key=lambda m: (-m.hit.score, m.hit.published or date.max, m.sort_key))
    return [_quote(m) for m in chosen]


def _specificity(mention: _Mention) -> tuple[bool, bool, int, tuple[str, str, int, int, int]]:
    """Smaller is better: attributed, with a figure, shortest, earliest."""
    claim = mention.hit.claim
    return (claim.speaker is None, mention.figure is None, len(claim.text), mention.sort_key)


def _quote(mention: _Mention) -> Quote:
    hit, claim = mention.hit, mention.hit.claim
    return Quote(
        article_id=claim.article_id,
        source=hit.source,
        outlet=hit.outlet,
        title=hit.title,
        url=hit.url,
        published=hit.published,
        text=claim.text,
        start=claim.start,
        end=claim.end,
        speaker=claim.speaker,
        cue=claim.cue,
        via=", ".join(claim.via) or None,
        figure=_group_figure(mention),
    )


def _group_figure(mention: _Mention) -> GroupFigure | None:
    figure = mention.figure
    if figure is None:
        return None
    return GroupFigure(
        value=_number(figure.value),
        low=_number(min(figure.low, figure.high)),
        high=_number(max(figure.low, figure.high)),
        unit=mention.unit_label,
        approx=figure.approx,
    )


def _number(value: float) -> Number:
    return int(value) if float(value).is_integer() else value


def _group_figures(quotes: Sequence[Quote]) -> list[GroupFigure]:
    """Distinct figures quoted, the most quoted first, then the most precise."""
    counts = Counter(q.figure for q in quotes if q.figure)
    return sorted(counts, key=lambda f: (-counts[f], f.approx, f.high - f.low, f.value))


# ---------------------------------------------------------------- headlines


def _headline(
    draft: _Draft,
    figures: Sequence[GroupFigure],
    quotes: Sequence[Quote],
    sources: Sequence[_Source],
) -> str:
    """Our own words are limited to figures, units, a stage label and source names;
    anything a source said appears only verbatim inside quotation marks."""
    attribution = _attribution(sources)
    if figures:
        figure = figures[0]
        what = f"{_figure_text(figure)} {figure.unit}" if figure.unit else _figure_text(figure)
        if draft.predicate and is_outcome(draft.predicate):
            what += f" {draft.predicate}"
        elif draft.predicate in PREDICATE_LABELS:
            what += f" ({PREDICATE_LABELS[draft.predicate]})"
        return f"{what} — {attribution}"
    shortest = min(quotes, key=lambda q: (len(q.text), q.article_id))
    return f"{attribution} — “{_excerpt(shortest.text)}”"


def _attribution(sources: Sequence[_Source]) -> str:
    shown = ", ".join(source.label() for source in sources[:HEADLINE_SOURCES])
    hidden = len(sources) - HEADLINE_SOURCES
    return f"{shown} +{hidden} more" if hidden > 0 else shown


def _figure_text(figure: GroupFigure) -> str:
    """The stated figure with its hedge, read back from the interval extraction gave it
    (see docs/extraction.md): "up to N" is [0, N], "more than N" [N, …], "nearly N"
    […, N], "about N" around N; a range without a hedge is shown as the range."""
    value = _format(figure.value)
    if not figure.approx:
        return f"{_format(figure.low)}–{_format(figure.high)}" if figure.low != figure.high else value
    if figure.low == 0:
        return f"up to {value}"
    if figure.low == figure.value < figure.high:
        return f"{value}+"
    if figure.low < figure.value == figure.high:
        return f"nearly {value}"
    return f"about {value}"


def _format(value: Number) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _excerpt(text: str) -> str:
    """A verbatim prefix of the text, cut at a word boundary."""
    text = text.strip()
    if len(text) <= HEADLINE_EXCERPT_CHARS:
        return text
    return text[:HEADLINE_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- ranking


def rank_groups(groups: Iterable[ClaimGroup]) -> list[ClaimGroup]:
    """Best search score first, then more independent sources, then the newest; the id
    breaks remaining ties so that paging is stable."""
    return sorted(
        groups,
        key=lambda g: (
            -g.score,
            -g.independent_sources,
            -(g.newest.toordinal() if g.newest else 0),
            g.id,
        ),
    )


def paginate(
    groups: Sequence[ClaimGroup], page: int, per_page: int
) -> tuple[list[ClaimGroup], int]:
    """The groups of a 1-based ``page``, and the total count; past the end, no groups."""
    if page < 1 or per_page < 1:
        raise ValueError(f"page and per_page must be at least 1, got {page} and {per_page}")
    start = (page - 1) * per_page
    return list(groups[start : start + per_page]), len(groups)
