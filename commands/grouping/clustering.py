"""Claims side by side: group retrieved claims that state the same fact, and link groups
that disagree, update or deny one another. Pure functions over retrieved hits; no I/O.

Rules (why they are what they are):

* A figure is compared by its quantity reading (``quantities``): the same kind, counted
  thing, predicate and stage with overlapping intervals is one group. A reading that
  lacks its counted thing or its predicate joins a group that has it, but never starts
  a conflict: better to miss a conflict than to invent one.
* The same source giving the same value is one group however the sentences are worded
  ("6,500 displaced" / "the count of displaced people stood at 6,500").
* Two groups of the same quantity with disjoint intervals are a **conflict** when two of
  their claims come from different primary sources published on the same day
  (``CONFLICT_WINDOW_DAYS``), and an **update** otherwise: a toll rising from 3 on
  Monday to 5 on Wednesday is news moving on, not outlets disagreeing; so is one source
  giving two values in two reports of one day (its count moved on between them). Undated claims
  are taken to be contemporary. A part of a whole ("one of the six", "including three
  children") never conflicts or updates: it may be smaller than any total.
* Two figures from clearly different stories are kept apart: when both claims name
  entities (a claim naming none borrows those of its article's other hits), share none,
  and their wording (outside the quantity words) barely overlaps.
* Claims without a usable figure group by wording (content-word overlap), boosted by a
  shared speaker and shared entities.
* A claim that denies ("a hoax", "no evidence", "denied" …) is never support for the
  figure it mentions. It forms its own group, linked through ``contradicts`` only to
  groups whose content it names: a figure group whose counted thing and predicate both
  appear in the denial with enough shared terms or entities, or a figureless group it
  restates.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from commands.synonyms import fold_accents
from index import vocabulary
from index.models import Claim, Figure

from .presentation import excerpt, headline_text
from .quantities import (
    STATED_BOUNDS,
    Quantity,
    comparable,
    overlap,
    read_quantity,
    same_measure,
    terms_of,
    values_meet,
    word_for,
)
from .schemas import ClaimGroup, ClaimHit, GroupFigure, Quote, TimelineEntry, as_number
from .sources import SameSpeaker, SourceRef, primary, primary_sources, same_source

CONFLICT_WINDOW_DAYS = 0  # "about the same time": published on the same day
TOPIC_MIN_OVERLAP = 0.25  # overlap coefficient of wording outside the quantity words
WORDING_MIN_SIMILARITY = 0.5  # figureless claims: jaccard plus speaker/entity bonus
SAME_SPEAKER_BONUS = 0.2
SHARED_ENTITY_BONUS = 0.1  # per shared entity, at most two
DENIAL_LINK_MIN_TERMS = 3  # shared terms or entities, the quantity words included

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


def is_denial(claim: Claim) -> bool:
    """Whether the claim's cue or text rejects something ("a hoax", "no evidence" …)."""
    return any(_DENIAL.search(text) for text in (claim.cue or "", claim.text))


@functools.lru_cache(maxsize=16384)
def _name_key(name: str) -> str:
    return " ".join(re.findall(r"\w+", fold_accents(name)))


def _same_folded(a: str, b: str) -> bool:
    return _name_key(a) == _name_key(b)


# ---------------------------------------------------------------- mentions


@dataclass(frozen=True)
class _Mention:
    """One claim as grouped: by one of its figures, or by its wording if it has none."""

    hit: ClaimHit
    figure: Figure | None
    quantity: Quantity | None
    terms: frozenset[str]
    origin: SourceRef  # the primary source of the claim's relay chain
    entities: frozenset[str]
    # What the claim is about: its own entities other than sources, or when it names
    # none, its article's ("about 4,000 are being sent to the region" is about whatever
    # its article is about).
    subject_entities: frozenset[str]
    # Every entity its article's retrieved claims name: the story it belongs to.
    story_entities: frozenset[str]
    denial: bool

    @property
    def sort_key(self) -> tuple[str, str, int, int, int]:
        claim = self.hit.claim
        return (claim.corpus, claim.article_id, claim.start, claim.end, self.figure.start if self.figure else -1)

    @property
    def id_part(self) -> str:
        claim = self.hit.claim
        figure = f":{self.figure.start}-{self.figure.end}" if self.figure else ""
        return f"{claim.corpus}/{claim.article_id}:{claim.start}-{claim.end}{figure}"

    @property
    def interval(self) -> tuple[float, float]:
        return self.quantity.interval if self.quantity else (0.0, 0.0)

    @property
    def article(self) -> tuple[str, str]:
        return self.hit.claim.corpus, self.hit.claim.article_id


def _entity_keys(claim: Claim) -> frozenset[str]:
    """Named entities other than the speaker, who says nothing about the topic. A place
    in the speaker's name stays: "in Chicago, according to Chicago police" is about Chicago."""
    speaker = _name_key(claim.speaker) if claim.speaker else None
    keys = ((_name_key(entity.text), entity.label) for entity in claim.entities)
    return frozenset(
        key for key, label in keys if not (speaker and key in speaker and (label != "place" or key == speaker))
    )


def _source_keys(hits: Iterable[ClaimHit]) -> frozenset[str]:
    """Every name that speaks, relays or publishes among the hits: "data compiled by the
    archive, reviewed by NPR" names its sources, not what the figure is about."""
    names = {name for hit in hits for name in (hit.claim.speaker, *hit.claim.via, hit.real_outlet) if name}
    # An outlet's label may carry a qualifier its reporters never write: "NPR (Online News)".
    return frozenset(_name_key(name.split("(")[0]) for name in names)


def _mentions(
    hit: ClaimHit, entities: frozenset[str], article_entities: frozenset[str], sources: frozenset[str]
) -> list[_Mention]:
    """The claim once per groupable figure, or once by its wording; ``entities`` are its
    ``_entity_keys``."""
    claim = hit.claim
    subjects, article_subjects = entities - sources, article_entities - sources
    by_wording = _Mention(
        hit=hit,
        figure=None,
        quantity=None,
        terms=terms_of(claim.text),
        origin=primary(hit),
        entities=entities,
        subject_entities=subjects or article_subjects,
        story_entities=article_entities,
        denial=is_denial(claim),
    )
    if by_wording.denial:
        # A denial mentioning a figure is not support for it.
        return [by_wording]
    mentions = [
        replace(by_wording, figure=figure, quantity=quantity)
        for figure in sorted(claim.figures, key=lambda f: f.start)
        if (quantity := read_quantity(figure)) is not None
    ]
    return mentions or [by_wording]


def _topic_compatible(a: _Mention, b: _Mention) -> bool:
    """False only on evidence that two claims are about different stories: both articles
    name entities, none in common, and the claims' wording barely overlaps. Articles, not
    claims: one outlet's "FlightAware" and another's "COVID-19" are incidental names in
    one story."""
    if not (a.story_entities and b.story_entities) or a.story_entities & b.story_entities:
        return True
    a_terms = a.terms - (a.quantity.terms if a.quantity else frozenset())
    b_terms = b.terms - (b.quantity.terms if b.quantity else frozenset())
    if not (a_terms and b_terms):
        return True
    return len(a_terms & b_terms) / min(len(a_terms), len(b_terms)) >= TOPIC_MIN_OVERLAP


def _wording_similarity(a: _Mention, b: _Mention, same_speaker: SameSpeaker) -> float:
    shared = len(a.terms & b.terms)
    union = len(a.terms) + len(b.terms) - shared
    similarity = shared / union if union else 0.0
    speaker_a, speaker_b = a.hit.claim.speaker, b.hit.claim.speaker
    if speaker_a and speaker_b and same_speaker(speaker_a, speaker_b):
        similarity += SAME_SPEAKER_BONUS
    return similarity + SHARED_ENTITY_BONUS * min(2, len(a.entities & b.entities))


# ---------------------------------------------------------------- drafts


def _majority(readings: list[Quantity], name: str) -> str | None:
    """The most common value of a reading field, "unknown" and None aside; ``max`` keeps
    the earliest on a tie."""
    values = [v for q in readings if (v := getattr(q, name)) and v != "unknown"]
    if not values:
        return None
    counts = Counter(values)
    return max(values, key=lambda v: counts[v])


@dataclass
class _Draft:
    members: list[_Mention]
    interval: tuple[float, float]
    denial: bool = False
    _lead: Quantity | None = field(default=None, init=False, repr=False)

    @property
    def lead(self) -> Quantity | None:
        if self._lead is None:
            self._lead = self._read_lead()
        return self._lead

    def _read_lead(self) -> Quantity | None:
        """The group's quantity as its members read it: each field by majority (the
        earliest member breaks a tie), a predicate of the vocabulary before a bare lemma,
        and the stage as read with that predicate — so that one figure read from a vaguer
        word ("stood at", "a total of") does not decide what the group measures."""
        readings = [m.quantity for m in self.members if m.quantity is not None]
        if not readings:
            return None
        known = [q for q in readings if q.predicate_known] or readings
        predicate = _majority(known, "predicate")
        with_predicate = [q for q in readings if q.predicate == predicate] or readings
        counted = _majority(readings, "counted")
        return replace(
            readings[0],
            counted=counted,
            counted_generic=next((q.counted_generic for q in readings if q.counted == counted), False),
            counted_lemma=_majority(readings, "counted_lemma"),
            predicate=predicate,
            predicate_lemma=_majority(with_predicate, "predicate_lemma"),
            predicate_known=with_predicate[0].predicate_known,
            stage=_majority(with_predicate, "stage") or "unknown",
            low=self.interval[0],
            high=self.interval[1],
            derived=all(q.derived for q in readings),
        )

    @property
    def part(self) -> bool:
        """Every figure of the group is a part of some whole."""
        return all(m.quantity is not None and m.quantity.part for m in self.members)

    def admit(self, mention: _Mention) -> None:
        self.members.append(mention)
        self._lead = None
        if mention.quantity is not None:
            # The group stands for what all its figures allow, so that a range
            # ("10,000 to 12,000") joining 12,000 does not hide a conflict with 10,000.
            low, high = mention.interval
            self.interval = (max(self.interval[0], low), min(self.interval[1], high))


def _joins(draft: _Draft, mention: _Mention, same_speaker: SameSpeaker) -> bool:
    quantity = mention.quantity
    assert quantity is not None
    if not overlap(draft.interval, quantity.interval):
        return False  # the cheap test first: most groups are of other values
    if any(m.hit is mention.hit for m in draft.members):
        return False  # two numbers of one sentence are two facts ("3 killed and 3 injured")
    if not (_measures(draft, mention, same_speaker) and _values_meet(draft, [mention])):
        return False
    return any(_topic_compatible(mention, member) for member in draft.members)


def _measures(draft: _Draft, mention: _Mention, same_speaker: SameSpeaker) -> bool:
    """Whether the mention's figure measures what the group measures: compared with the
    group as a whole, not any one member, so that a member read with a vague word cannot
    chain other quantities into the group."""
    quantity = mention.quantity
    assert quantity is not None
    lead = draft.lead
    if lead is not None and same_measure(lead, quantity):
        return True
    # The same value said without a predicate ("nearly 30%" in a headline), or by the
    # same source in vaguer words ("the count stood at 6,500"): one fact, not two. Two
    # predicates the vocabulary knows apart stay apart.
    return any(
        m.quantity is not None
        and m.quantity.kind == quantity.kind
        and m.quantity.counted is not None
        and m.quantity.counted == quantity.counted
        and not (m.quantity.predicate_known and quantity.predicate_known)
        and (
            (m.quantity.value == quantity.value and None in (m.quantity.predicate, quantity.predicate))
            or same_source(mention.origin, m.origin, same_speaker)
        )
        for m in draft.members
    )


def _values_meet(draft: _Draft, mentions: list[_Mention]) -> bool:
    """The mentions' figures fit the group's interval and agree with every member's."""
    low = max(m.interval[0] for m in mentions)
    high = min(m.interval[1] for m in mentions)
    return overlap(draft.interval, (low, high)) and all(
        _agree(m, n) for m in draft.members for n in mentions if m.quantity is not None and n.quantity is not None
    )


def _agree(a: _Mention, b: _Mention) -> bool:
    """Two figures whose intervals meet state one value, unless a bound is involved: two
    bounds of the same sense must state the same number ("up to 1,600" is not "as many as
    1,500"), and a bound reported on another day than a figure stating another number
    is a count moving on ("at least 150 killed" on Monday, "189 killed" on Tuesday)."""
    x, y = a.quantity, b.quantity
    assert x is not None and y is not None
    if not values_meet(x, y):
        return False
    bounded = x.bound in STATED_BOUNDS or y.bound in STATED_BOUNDS
    return not bounded or x.value == y.value or _same_time(a.hit.published, b.hit.published)


def _figure_drafts(mentions: list[_Mention], same_speaker: SameSpeaker) -> list[_Draft]:
    # Fully read, exact figures first, so that half-read figures, ranges and hedges join
    # the groups they allow rather than deciding the groups themselves.
    def order(m: _Mention) -> tuple[bool, float, float, tuple[str, str, int, int, int]]:
        assert m.quantity is not None
        read = m.quantity.counted is not None and m.quantity.predicate_known
        return (not read, m.quantity.high - m.quantity.low, m.quantity.low, m.sort_key)

    drafts: list[_Draft] = []
    for mention in sorted(mentions, key=order):
        candidates = [draft for draft in drafts if _joins(draft, mention, same_speaker)]
        if candidates:
            max(candidates, key=lambda d: _affinity(d, mention, same_speaker)).admit(mention)
        else:
            drafts.append(_Draft([mention], mention.interval))
    return _merged(drafts)


def _merged(drafts: list[_Draft]) -> list[_Draft]:
    """Drafts that turned out to measure the same quantity with meeting intervals, as one.
    Which draft a figure joins depends on the order figures come in; a group joined
    through a same-source rewording can overlap another group of its quantity."""
    merged: list[_Draft] = []
    for draft in drafts:
        target = next(
            (
                kept
                for kept in merged
                if overlap(kept.interval, draft.interval)
                and kept.lead is not None
                and draft.lead is not None
                and same_measure(kept.lead, draft.lead)
                and _values_meet(kept, draft.members)
                and any(_topic_compatible(a, b) for a in kept.members for b in draft.members)
            ),
            None,
        )
        if target is None:
            merged.append(draft)
        else:
            for member in draft.members:
                target.admit(member)
    return merged


def _affinity(draft: _Draft, mention: _Mention, same_speaker: SameSpeaker) -> tuple[bool, bool, int]:
    """Prefer the group stating the same number ("about 10,000" fits both "nearly 11,000"
    and "10,000"), then the one already quoting the same source, then the best supported
    one; ``max`` keeps the earliest draft on a tie."""
    assert mention.quantity is not None
    value = mention.quantity.value
    same_value = any(m.quantity is not None and m.quantity.value == value for m in draft.members)
    shares_source = any(same_source(mention.origin, m.origin, same_speaker) for m in draft.members)
    return same_value, shares_source, len(draft.members)


# The share of words (jaccard) a pair needs before the bonuses can lift it to the joining
# similarity: a pair below it is not scored. Every claim a query finds shares the query's
# words, so sharing a word says little; most pairs fall below this.
_WORDING_MIN_JACCARD = WORDING_MIN_SIMILARITY - SAME_SPEAKER_BONUS - 2 * SHARED_ENTITY_BONUS
# Floats: a pair this close under the bound is scored anyway.
_JACCARD_SLACK = 1e-9


def _wording_drafts(mentions: list[_Mention], same_speaker: SameSpeaker) -> list[_Draft]:
    """Figureless claims grouped by wording: each joins the draft holding its most similar
    claim, if that is similar enough (the earliest draft on a tie), or starts a draft.

    The similarity of every pair (``_wording_similarity``, float for float) is worked out
    at once, but for the speaker bonus: names are compared only for the pairs that bonus
    could lift over the bar, best first, until no pair left can beat the best found."""
    ordered = sorted(mentions, key=lambda m: m.sort_key)
    if not ordered:
        return []
    shared = _shared_counts([m.terms for m in ordered])
    sizes = np.array([len(m.terms) for m in ordered], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - shared
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(union > 0, shared / union, 0.0)
    entity_bonus = SHARED_ENTITY_BONUS * np.minimum(2.0, _shared_counts([m.entities for m in ordered]))
    apart = jaccard + entity_bonus  # as ``_wording_similarity`` adds it up without the speaker bonus
    spoken = np.array([bool(m.hit.claim.speaker) for m in ordered])
    both_spoken = spoken[:, None] & spoken[None, :]
    at_most = np.where(both_spoken, (jaccard + SAME_SPEAKER_BONUS) + entity_bonus, apart)
    denial = np.array([m.denial for m in ordered])
    candidate = (at_most >= WORDING_MIN_SIMILARITY) & (denial[:, None] == denial[None, :])
    if _WORDING_MIN_JACCARD > 0:
        candidate &= jaccard >= _WORDING_MIN_JACCARD - _JACCARD_SLACK
    candidate = np.tril(candidate, k=-1)  # each mention against those placed before it

    drafts: list[_Draft] = []
    draft_of: list[int] = []  # every mention so far, its draft's index
    for i, mention in enumerate(ordered):
        best: tuple[float, int] | None = None  # (similarity, -draft index)
        for j in sorted(np.flatnonzero(candidate[i]).tolist(), key=lambda j: -at_most[i, j]):
            if best is not None and at_most[i, j] < best[0]:
                break
            speakers = mention.hit.claim.speaker, ordered[j].hit.claim.speaker
            similarity = float(at_most[i, j] if both_spoken[i, j] and same_speaker(*speakers) else apart[i, j])
            if similarity >= WORDING_MIN_SIMILARITY and (best is None or (similarity, -draft_of[j]) > best):
                best = (similarity, -draft_of[j])
        if best is not None:
            index = -best[1]
            drafts[index].admit(mention)
        else:
            index = len(drafts)
            drafts.append(_Draft([mention], (0.0, 0.0), mention.denial))
        draft_of.append(index)
    return drafts


def _shared_counts(keys: list[frozenset[str]]) -> np.ndarray:
    """How many keys each pair of sets shares, as floats (exact: far below 2**24). A
    matrix of sets by distinct keys: grouping takes a few hundred claims at most (a
    query's ``CLAIM_HITS``, a digest's ``NEW_CLAIMS`` and context)."""
    columns: dict[str, int] = {}
    rows = [[columns.setdefault(key, len(columns)) for key in some] for some in keys]
    held = np.zeros((len(keys), max(len(columns), 1)), dtype=np.float32)
    for row, found in enumerate(rows):
        held[row, found] = 1.0
    return (held @ held.T).astype(np.float64)


# ---------------------------------------------------------------- relations between drafts


def _same_time(a: date | None, b: date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= CONFLICT_WINDOW_DAYS


def _disjoint_same_quantity(a: _Draft, b: _Draft) -> bool:
    return (
        a.lead is not None
        and b.lead is not None
        and comparable(a.lead, b.lead)
        and not (a.part or b.part)
        and not _values_meet(a, b.members)
        and any(_topic_compatible(x, y) for x in a.members for y in b.members)
    )


def _same_subject(a: _Mention, b: _Mention, same_speaker: SameSpeaker) -> bool:
    """False when the two claims are about differently named things: "Oyelaran received
    48,210 votes" and "Anselm received 41,300 votes" are two candidates' totals, and "18
    deaths in Chicago" is not the nationwide toll. A claim naming nothing is taken to be
    about what its article names. When the parse names whose count it is (the clause's
    subject, ``Figure.holder``: "the U.K. will send 100 million doses"), that name decides:
    two holders must be one name, and one holder must be among the other claim's names.
    A place the clause is set in ("In Ohio, 12 people died") must be named by the other
    claim itself: a count scoped to a place is not a placeless total, which may cover
    more places, whatever else its article names."""
    holders = [m.figure.holder for m in (a, b) if m.figure is not None and m.figure.holder]
    if len(holders) == 2:
        return same_speaker(holders[0], holders[1])
    if holders:
        held, other = (a, b) if a.figure is not None and a.figure.holder else (b, a)
        if held.figure is not None and held.figure.scoped:
            return any(same_speaker(_name_key(holders[0]), name) for name in other.entities)
        if other.subject_entities:
            return any(same_speaker(_name_key(holders[0]), name) for name in other.subject_entities)
    if not (a.subject_entities and b.subject_entities):
        return True
    return any(same_speaker(x, y) for x in a.subject_entities for y in b.subject_entities)


def _disagree(a: _Draft, b: _Draft, same_speaker: SameSpeaker) -> bool:
    """Different sources about the same subject at about the same time: a conflict. Each
    side's own reading must be comparable with the other's: a member that joined its
    group with a predicate the vocabulary does not know ("delayed another 1,500 flights"
    beside "cancelled more than 1,000") is no evidence of a disagreement, and neither is
    a lower bound that the other figure meets."""
    return any(
        _same_time(x.hit.published, y.hit.published)
        and x.article != y.article  # an article giving two values gives two different scopes
        and not same_source(x.origin, y.origin, same_speaker)
        and _same_subject(x, y, same_speaker)
        and _readings_may_disagree(x, y)
        and not (_bound_holds(x, y) or _bound_holds(y, x))
        for x in a.members
        for y in b.members
    )


def _readings_may_disagree(a: _Mention, b: _Mention) -> bool:
    """Whether two members' own readings say the same thing happened: one predicate, or
    one of them says only that a number was given ("put the total at 48,210")."""
    x, y = a.quantity, b.quantity
    if x is None or y is None:
        return False
    if x.predicate == y.predicate or None in (x.predicate, y.predicate):
        return True
    return any(not q.predicate_known and q.predicate_lemma in vocabulary.MEASURE_NOUNS for q in (x, y))


def _bound_holds(bound: _Mention, other: _Mention) -> bool:
    """A lower bound that the other figure satisfies: "more than 1,000 flights" is true
    of "1,800 flights", so the two do not disagree (though they are not one value)."""
    x, y = bound.quantity, other.quantity
    return x is not None and y is not None and x.bound == "lower" and y.low >= x.low


def _moved_past(a: _Draft, b: _Draft, same_speaker: SameSpeaker) -> bool:
    """Another source's count at about the same time that meets or passes a lower bound
    ("at least 150 killed", "189 killed"; "more than 1,000 flights cancelled", "1,800"):
    the count moving on, shown as an update rather than a conflict."""
    return any(
        _same_time(x.hit.published, y.hit.published)
        and x.article != y.article
        and _same_subject(x, y, same_speaker)
        and (_bound_holds(x, y) or _bound_holds(y, x))
        for x in a.members
        for y in b.members
    )


def _changed(a: _Draft, b: _Draft, same_speaker: SameSpeaker) -> bool:
    """Reported on different days about the same subject: the figure changed. Two values
    in reports of one day from one source are neither (a different victim's count, a
    sub-total) and stay unlinked."""
    return any(
        x.hit.published is not None
        and y.hit.published is not None
        and x.hit.published != y.hit.published
        and _same_subject(x, y, same_speaker)
        for x in a.members
        for y in b.members
    )


def _revised(a: _Draft, b: _Draft, same_speaker: SameSpeaker) -> bool:
    """One source giving two values of one quantity in two reports of a day: its count
    moved on between them ("at least 150 killed, the archive said" in the morning, "more
    than 180" at night). Within one article two values are two scopes, not a revision."""
    return any(
        x.article != y.article
        and same_source(x.origin, y.origin, same_speaker)
        and _same_subject(x, y, same_speaker)
        for x in a.members
        for y in b.members
    )


def _relations(drafts: list[_Draft], same_speaker: SameSpeaker) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(conflicting pairs, update pairs) of draft indexes."""
    conflicts, updates = [], []
    # Only groups of one counted thing and predicate can disagree: compare within those.
    by_quantity: dict[tuple[str, str | None, str | None], list[int]] = {}
    for index, draft in enumerate(drafts):
        if (lead := draft.lead) is not None and lead.counted and lead.predicate:
            by_quantity.setdefault((lead.kind, lead.counted, lead.predicate), []).append(index)
    for i, j in (pair for indexes in by_quantity.values() for pair in itertools.combinations(indexes, 2)):
        a, b = drafts[i], drafts[j]
        if not _disjoint_same_quantity(a, b):
            continue
        if _disagree(a, b, same_speaker):
            conflicts.append((i, j))
        elif _changed(a, b, same_speaker) or _revised(a, b, same_speaker) or _moved_past(a, b, same_speaker):
            updates.append((i, j))
    return conflicts, updates


def _contradicting_pairs(drafts: list[_Draft], same_speaker: SameSpeaker) -> list[tuple[int, int]]:
    """Index pairs (denial group, group it denies)."""
    return [
        (i, j)
        for i, denial in enumerate(drafts)
        if denial.denial
        for j, target in enumerate(drafts)
        if not target.denial and any(_denies(d, t, same_speaker) for d in denial.members for t in target.members)
    ]


def _denies(denial: _Mention, target: _Mention, same_speaker: SameSpeaker) -> bool:
    """A denial denies a figure when it names what the figure counts and what happened to
    it ("sent troops" for a deployment) and shares enough words or story entities with
    its claim; it denies a figureless claim only by restating it. A denial of "the
    information" or "the reports" without saying what they were cannot be linked."""
    quantity = target.quantity
    if quantity is None:
        return _wording_similarity(denial, target, same_speaker) >= WORDING_MIN_SIMILARITY
    if not (quantity.counted and quantity.predicate):
        return False
    said = [denial.hit.claim.text]
    names_counted = word_for(
        (quantity.counted_lemma, quantity.counted), said, quantity.counted, _counted_family
    ) or terms_of(quantity.counted_lemma or "") & denial.terms
    family = quantity.predicate if quantity.predicate_known else None
    names_predicate = word_for(
        (quantity.predicate_lemma, quantity.predicate), said, family, vocabulary.predicate_family
    ) or terms_of(quantity.predicate_lemma or "") & denial.terms
    if not (names_counted and names_predicate):
        return False
    shared = (denial.terms | denial.story_entities) & (target.terms | target.story_entities)
    return len(shared) >= DENIAL_LINK_MIN_TERMS


# ---------------------------------------------------------------- building groups


def _counted_family(word: str) -> str | None:
    """The counted family of a word that names a counted thing. An outcome word ("dead",
    "arrested") also counts people, but it names what happened, not who."""
    return None if vocabulary.outcome_family(word) else vocabulary.counted_family(word)


def group_claims(hits: Iterable[ClaimHit], same_speaker: SameSpeaker = _same_folded) -> list[ClaimGroup]:
    """Group hits that state the same fact; link conflicts, updates and denials.

    Groups come out in a deterministic order (by id); use ``rank_groups`` to order them
    for display. ``same_speaker`` decides whether two names are one source when the
    store has not resolved both to speaker ids (default: equal once accent-folded).
    """
    grouping = Grouping(hits, same_speaker)
    return sorted((grouping.group(index) for index in range(len(grouping))), key=lambda g: g.id)


class Grouping:
    """One set of hits grouped: which claims state the same fact and how the groups are
    linked, worked out at once; each group's response model built when first asked for
    (``group``), since a page shows five of a query's groups. Not shared between threads
    while groups are being built (``grouping.ranked`` builds under a lock)."""

    def __init__(self, hits: Iterable[ClaimHit], same_speaker: SameSpeaker = _same_folded) -> None:
        # Grouping compares names pairwise, the same pairs over and over: remember answers.
        same_speaker = self._same_speaker = functools.lru_cache(maxsize=None)(same_speaker)
        unique = _unique(hits)
        entities = [_entity_keys(hit.claim) for hit in unique]
        article_entities: dict[tuple[str, str], frozenset[str]] = {}
        for hit, keys in zip(unique, entities):
            key = (hit.claim.corpus, hit.claim.article_id)
            article_entities[key] = article_entities.get(key, frozenset()) | keys
        sources = _source_keys(unique)
        mentions = [
            mention
            for hit, keys in zip(unique, entities)
            for mention in _mentions(hit, keys, article_entities[(hit.claim.corpus, hit.claim.article_id)], sources)
        ]
        drafts = self._drafts = _figure_drafts([m for m in mentions if m.quantity], same_speaker) + _wording_drafts(
            [m for m in mentions if not m.quantity], same_speaker
        )
        conflicts, updates = _relations(drafts, same_speaker)
        self._links: list[dict[str, set[int]]] = [
            {"conflicts_with": set(), "updates": set(), "contradicts": set()} for _ in drafts
        ]
        for field_name, pairs in (
            ("conflicts_with", conflicts),
            ("updates", updates),
            ("contradicts", _contradicting_pairs(drafts, same_speaker)),
        ):
            for i, j in pairs:
                self._links[i][field_name].add(j)
                self._links[j][field_name].add(i)
        # Groups linked by updates carry the whole chain's values in date order.
        self._chains: dict[int, set[int]] = {}
        for i, j in updates:
            chain = self._chains.get(i, {i}) | self._chains.get(j, {j})
            for member in chain:
                self._chains[member] = chain
        self._ids = [_group_id(draft.members) for draft in drafts]
        self._plain: dict[int, ClaimGroup] = {}
        self._linked: dict[int, ClaimGroup] = {}

    def __len__(self) -> int:
        return len(self._drafts)

    def group(self, index: int) -> ClaimGroup:
        """The group of draft ``index``, built once, with its links and timeline."""
        group = self._linked.get(index)
        if group is None:
            group = self._built(index)
            for field_name, others in self._links[index].items():
                setattr(group, field_name, sorted({self._ids[j] for j in others}))
            if (chain := self._chains.get(index)) is not None:
                entries = [
                    TimelineEntry(
                        published=min((m.hit.published for m in self._drafts[k].members if m.hit.published), default=None),
                        figure=self._built(k).figure,
                        group_id=self._ids[k],
                    )
                    for k in chain
                    if self._built(k).figure is not None
                ]
                group.timeline = sorted(entries, key=lambda e: (e.published or date.max, e.figure.value))
            self._linked[index] = group
        return group

    def _built(self, index: int) -> ClaimGroup:
        group = self._plain.get(index)
        if group is None:
            group = self._plain[index] = _build(self._drafts[index], self._same_speaker)
        return group

    def stand_in(self, index: int) -> ClaimGroup | LoneStandIn:
        """What ranking reads of group ``index``: a ``LoneStandIn`` for a group that is a
        single article's figureless quote, linked to nothing (most of a query's groups,
        and ranked after every other), which is then built only if a page shows it;
        the built group for every other."""
        draft = self._drafts[index]
        if draft.members[0].quantity is not None or any(self._links[index].values()):
            return self.group(index)
        if len({m.article for m in draft.members}) > 1:
            return self.group(index)
        members = draft.members
        return LoneStandIn(
            index=index,
            id=self._ids[index],
            outlets=len({_name_key(outlet) for m in members if (outlet := m.hit.real_outlet)}),
            # One quote is one source (``primary_sources`` of a single hit).
            independent_sources=1 if len(members) == 1 else len(primary_sources([m.hit for m in members], self._same_speaker)),
            score=max(m.hit.score for m in members),
            newest=max((m.hit.published for m in members if m.hit.published), default=None),
        )


@dataclass
class LoneStandIn:
    """The fields ``rank_groups`` reads of a group with one quote, no figure and no
    links, as its built ``ClaimGroup`` would hold them (``Grouping.stand_in``)."""

    index: int
    id: str
    outlets: int
    independent_sources: int
    score: float
    newest: date | None
    figure: None = None
    counted: None = None
    predicate_word: None = None
    predicate: None = None
    quotes: tuple[None] = (None,)  # one quote: only its count is read
    conflicts_with: tuple[()] = ()
    updates: tuple[()] = ()
    contradicts: tuple[()] = ()
    answers_query: bool = False


def _unique(hits: Iterable[ClaimHit]) -> list[ClaimHit]:
    """One hit per claim (the best scored), so a claim retrieved twice counts once."""
    best: dict[tuple[str, str, int, int], ClaimHit] = {}
    for hit in hits:
        claim = hit.claim
        key = (claim.corpus, claim.article_id, claim.start, claim.end)
        if key not in best or hit.score > best[key].score:
            best[key] = hit
    return [best[key] for key in sorted(best)]


def _build(draft: _Draft, same_speaker: SameSpeaker) -> ClaimGroup:
    members = draft.members
    quotes = _quotes(members, draft.lead)
    # A figure some quote implies rather than states says how it was worked out; when no
    # quote words the predicate, it is named only together with that.
    worked_out = next((m for m in members if m.figure is not None and m.figure.derived), None)
    derivation = worked_out.figure if worked_out is not None else None
    for mention in members:
        if mention.figure is not None and mention.figure.derived:
            quotes += _statements_elsewhere(mention, quotes)
    figures = _group_figures(quotes)
    sources = primary_sources([m.hit for m in members], same_speaker)
    labels = [s.label() for s in sources]
    texts = [q.text for q in quotes]
    figure = figures[0] if figures else None
    lead = draft.lead
    counted = predicate_word = None
    if lead is not None:
        # Any member's reading of the group's counted thing or predicate may be the one a
        # shown quote words: "pronounced three dead" stands for "three died" too.
        readings = [m.quantity for m in members if m.quantity is not None]
        counted = word_for(
            [lead.counted_lemma, lead.counted, *(q.counted_lemma for q in readings if q.counted == lead.counted)],
            texts,
            lead.counted,
            _counted_family,
        )
        # A measure noun ("the number of evacuated residents") names the predicate last:
        # the family's own word ("evacuated") says what happened.
        names = [lead.predicate_lemma, lead.predicate, *(q.predicate_lemma for q in readings if q.predicate == lead.predicate)]
        names.sort(key=lambda word: word in vocabulary.MEASURE_NOUNS)
        predicate_word = word_for(
            names,
            texts,
            lead.predicate if lead.predicate_known else None,
            vocabulary.family_named_by,
        )
    stage = lead.stage if lead else "unknown"
    period = lead.period if lead else None
    shortest = min(quotes, key=lambda q: (len(q.text), q.article_id))
    heading = None if figure else excerpt(shortest.text)
    if counted and predicate_word and counted.casefold() == predicate_word.casefold():
        counted = None  # "24 murders": one word says both
    if lead is not None and lead.kind in ("money", "percent") and lead.counted_generic:
        counted = None  # the unit ("percent", "dollars") is shown with the figure itself
    real_outlets = {_name_key(outlet) for m in members if (outlet := m.hit.real_outlet)}
    return ClaimGroup(
        id=_group_id(members),
        headline=headline_text(figure, counted, predicate_word, stage, draft.part, labels, heading, period, derivation),
        figures=figures,
        quotes=quotes,
        outlets=len(real_outlets),
        articles=len({m.article for m in members}),
        independent_sources=len(sources),
        speakers=[s.name for s in sources],
        sources=labels,
        # Named only when a quote words it: the structured fields say nothing the quotes do not.
        predicate=lead.predicate if lead and (predicate_word or derivation) else None,
        figure=figure,
        kind=lead.kind if lead else None,
        counted=counted,
        predicate_word=predicate_word,
        stage=stage,  # type: ignore[arg-type]
        period=period,  # type: ignore[arg-type]
        part=bool(lead) and draft.part,
        excerpt=heading,
        derived_from=derivation.derived_from if derivation else [],
        derivation=derivation.derived if derivation else None,
        denial=draft.denial,
        score=max(m.hit.score for m in members),
        newest=max((m.hit.published for m in members if m.hit.published), default=None),
    )


def _group_id(members: Sequence[_Mention]) -> str:
    digest = hashlib.sha1("|".join(sorted(m.id_part for m in members)).encode("utf-8"))
    return "g" + digest.hexdigest()[:12]


def _quotes(members: Sequence[_Mention], lead: Quantity | None) -> list[Quote]:
    by_article: dict[tuple[str, str], list[_Mention]] = {}
    for mention in members:
        claim = mention.hit.claim
        by_article.setdefault((claim.corpus, claim.article_id), []).append(mention)
    chosen = [
        min(group, key=lambda m: (not _states_lead(m, lead), not _words_predicate(m, lead), *_specificity(m)))
        if len(group) > 1 else group[0]
        for group in by_article.values()
    ]  # fmt: skip
    chosen.sort(key=lambda m: (-m.hit.score, m.hit.published or date.max, m.sort_key))
    return [_quote(m) for m in chosen]


def _states_lead(mention: _Mention, lead: Quantity | None) -> bool:
    """Whether the claim's figure states the group's own value (a rounded "1 billion"
    may meet a "500 million" group; the article's "500 million" is the quote to show)."""
    return lead is None or (mention.quantity is not None and mention.quantity.value == lead.value)


def _words_predicate(mention: _Mention, lead: Quantity | None) -> bool:
    """Whether the claim words what the group says happened: an article's quote should
    be the one that states the group's fact, so that its headline can name it."""
    if lead is None or not lead.predicate:
        return True
    family = lead.predicate if lead.predicate_known else None
    texts = [mention.hit.claim.text]
    return word_for((lead.predicate_lemma, lead.predicate), texts, family, vocabulary.family_named_by) is not None


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
        outlet_label=hit.outlet_label,
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


def _statements_elsewhere(mention: _Mention | None, quotes: Sequence[Quote]) -> list[Quote]:
    """The sentences outside the claim that a derived figure rests on ("all four are
    expected to survive", "a second man … died"), quoted verbatim beside it: the group
    shows every statement each of its worked-out figures comes from."""
    if mention is None or mention.figure is None:
        return []
    claim = mention.hit.claim
    shown = {(q.article_id, q.start) for q in quotes}
    found = []
    for term in mention.figure.derived_from:
        if claim.start <= term.start and term.end <= claim.end or (claim.article_id, term.start) in shown:
            continue
        shown.add((claim.article_id, term.start))
        quote = _quote(mention).model_copy(
            update={"text": term.text, "start": term.start, "end": term.end, "speaker": None, "cue": None,
                    "via": None, "figure": None}
        )  # fmt: skip
        found.append(quote)
    return found


def _group_figure(mention: _Mention) -> GroupFigure | None:
    figure = mention.figure
    if figure is None:
        return None
    return GroupFigure(
        value=as_number(figure.value),
        low=as_number(min(figure.low, figure.high)),
        high=as_number(max(figure.low, figure.high)),
        unit=figure.unit,
        approx=figure.approx,
    )


def _group_figures(quotes: Sequence[Quote]) -> list[GroupFigure]:
    """Distinct figures quoted, the most quoted first, then the most precise."""
    counts = Counter(q.figure for q in quotes if q.figure)
    return sorted(counts, key=lambda f: (-counts[f], f.approx, f.high - f.low, f.value))
