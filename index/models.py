"""The records that flow from ingestion to the commands.

Every offset in these models indexes ``Article.text`` exactly as stored (the decoded
original), so ``article.text[start:end]`` reproduces any quoted span.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_CORPUS = "default"
# Corpus names become index terms and appear in commands and reports: plain and short.
CORPUS_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
CORPUS_NAME_RULE = "1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. guild-123, shared)"

SpanKind = Literal["metadata", "headline", "boilerplate"]


class TextSpan(BaseModel):
    """A marked region of an article's text: metadata, a headline, or site boilerplate.

    Metadata and boilerplate spans never yield claims and are left out of the search
    text; the stored text keeps them so that offsets stay true.
    """

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: SpanKind
    reason: str = ""


class ArticleHead(BaseModel):
    """An article without its text: what a claim's hit shows of the article it comes from
    (reading whole articles, text and spans checked, cost three times as much)."""

    id: str
    corpus: str
    source: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None


class Article(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    corpus: str = DEFAULT_CORPUS
    source: str = Field(description="The file path or URL the article was read from.")
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    text: str
    spans: list[TextSpan] = Field(default_factory=list)
    content_hash: str = ""
    ingested_at: datetime | None = None

    @field_validator("ingested_at")
    @classmethod
    def _stored_in_utc(cls, value: datetime | None) -> datetime | None:
        # The store writes UTC; a folder of an early version wrote it without an offset.
        return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value

    @model_validator(mode="after")
    def _hash_and_check_spans(self) -> "Article":
        if not self.content_hash:
            self.content_hash = content_hash(self.text)
        for span in self.spans:
            if span.end > len(self.text) or span.start > span.end:
                raise ValueError(f"span {span.start}-{span.end} lies outside the text")
        return self

    def excluded_spans(self) -> list[TextSpan]:
        """Spans that are not article prose (metadata markers, site junk)."""
        return [s for s in self.spans if s.kind != "headline"]

    def body_text(self) -> str:
        """The text with excluded spans blanked out by spaces, so offsets are unchanged."""
        chars = list(self.text)
        for span in self.excluded_spans():
            chars[span.start : span.end] = " " * (span.end - span.start)
        return "".join(chars)

    def display_title(self, width: int = 90) -> str:
        if self.title:
            return self.title
        body = " ".join(self.body_text().split())
        return body if len(body) <= width else body[: width - 1].rsplit(" ", 1)[0] + "…"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


QuantityKind = Literal[
    "count", "money", "percent", "age", "time", "date", "year", "ordinal",
    "duration", "distance", "address", "score", "other",
]  # fmt: skip
Stage = Literal["planned", "done", "ongoing", "cumulative", "unknown"]
# The stretch of time a count covers when the sentence says so: a rate ("1,500 deaths a
# day", "daily cases") or one day's new count ("35,355 new cases Sunday"). None: not said,
# which is how running totals and one-off counts read.
Period = Literal["day", "week", "month", "year"]
# How ``low``/``high`` were found: as written, from rounding ("$43 million"), a hedge
# ("about"), a bound ("up to", "more than") or a stated range.
Bound = Literal["exact", "rounded", "about", "upper", "lower", "range"]

# Only these kinds say how many or how much of something there is; the others
# (ages, times, addresses, ordinals …) are read so that they are *not* grouped.
GROUPABLE_KINDS: frozenset[str] = frozenset({"count", "money", "percent"})


# difference: "five shot, one fatally" -> 4 injured; sum: "a man and two children were
# found dead" -> 3; survivors: "four were shot" and "all are expected to survive" -> 4 injured;
# enumerated: people named one by one ("Roe, Poe and Doe were pronounced dead") -> 3 killed.
Derivation = Literal["difference", "sum", "survivors", "enumerated"]


class DerivedTerm(BaseModel):
    """One stated number a derived figure is computed from: its value, what happened to
    it (a predicate family), and where the sentence states it (``text`` is verbatim
    ``article.text[start:end]``)."""

    value: float
    predicate_family: str
    text: str
    start: int
    end: int


class Figure(BaseModel):
    """A number stated in a claim, with its quantity reading.

    ``low``/``high`` bound the value (hedges, bounds, rounding); ``approx`` marks a hedge.
    The reading fields say what the number is about, as read from the sentence's parse:
    ``kind`` (only counts, amounts and rates are grouped), ``counted`` (the lemma of the
    counted thing's head noun, "person", "troop", "dollar") and its vocabulary family
    ``counted_family``; ``predicate`` (the lemma of the governing verb, adjective or noun,
    "kill", "dead", "toll") and its family ``predicate_family``; ``stage``; whether the
    number is a ``part`` of a larger whole stated in the sentence (``whole`` its value,
    when stated); ``period``, when the count is a rate or one day's new count ("a day",
    "daily", "new cases Sunday"); ``holder``, the name the clause's subject gives the one
    whose count it is ("the U.K. will send 100 million doses": "U.K."), or the place the
    clause is set in ("In Ohio, 12 people died": "Ohio"), which ``scoped`` marks; ``negated``; ``vague`` for "dozens of", which has no value to compare
    (``value`` is then the low end of the word's plausible range); and ``bound``, how the
    interval was found, so that two upper bounds can be compared by their stated values.

    A figure the sentence implies by arithmetic rather than states ("five people were
    shot, one fatally": four survived) has ``derived`` set to how it was computed and
    ``derived_from`` the stated numbers, first minus (or plus) the rest; its ``text``
    spans the stated numbers, and its value appears nowhere in the text.
    """

    value: float
    low: float
    high: float
    unit: str | None = None
    approx: bool = False
    text: str
    start: int
    end: int
    kind: QuantityKind = "count"
    counted: str | None = None
    counted_family: str | None = None
    predicate: str | None = None
    predicate_family: str | None = None
    stage: Stage = "unknown"
    period: Period | None = None
    holder: str | None = None
    scoped: bool = False
    part: bool = False
    whole: float | None = None
    negated: bool = False
    vague: bool = False
    bound: Bound = "exact"
    derived: Derivation | None = None
    derived_from: list[DerivedTerm] = Field(default_factory=list)

    @property
    def groupable(self) -> bool:
        return self.kind in GROUPABLE_KINDS and not self.vague and not self.negated


EntityLabel = Literal["person", "organisation", "place", "other"]


class Entity(BaseModel):
    text: str
    label: EntityLabel
    start: int
    end: int


class Speaker(BaseModel):
    """A person, body or unnamed description that claims are attributed to, with every
    name it goes by. ``id`` is the store's; a description ("the ministry") is its own
    speaker unless its article ties it to a named one."""

    id: int | None = None
    corpus: str = DEFAULT_CORPUS
    canonical: str
    kind: Literal["person", "organisation", "description", "unknown"] = "unknown"
    aliases: list[str] = Field(default_factory=list)


class Claim(BaseModel):
    """A checkable statement: a verbatim span of an article plus its annotations."""

    article_id: str
    corpus: str = DEFAULT_CORPUS
    seq: int = Field(ge=0, description="Position of the claim within its article.")
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    via: list[str] = Field(default_factory=list)
    # Ids into the store's speakers table, filled when the claim is stored or loaded:
    # the speaker's and each relay's (outermost first, as in ``via``). None: not resolved.
    speaker_id: int | None = None
    via_ids: list[int] = Field(default_factory=list)
    # Who the speaker and each relay are as the article names them (kind, every wording
    # it used), set by extraction for the store to resolve; not stored with the claim,
    # as the speakers table holds it from then on.
    speaker_ref: Speaker | None = None
    via_refs: list[Speaker] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
