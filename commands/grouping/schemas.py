"""The response models of claim grouping: what /claims, /who and /compare return.

These are the JSON interface (``claimdesk ask "/claims …" --json``): fields may be
added, never renamed or removed.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

from index.models import Article, ArticleHead, Claim, DerivedTerm, Period, Stage

Number = int | float


def as_number(value: float) -> Number:
    """A whole float as an int, so that 4.0 reads "4"."""
    return int(value) if float(value).is_integer() else value


def outlet_label(outlet: str | None, url: str | None, title: str | None, article_id: str) -> str:
    """How an article's outlet is named to readers: its outlet, else the site of its URL,
    else its title, else its id — never the operator's file path."""
    return named_outlet(outlet, url) or (title.strip() if title and title.strip() else article_id)


def named_outlet(outlet: str | None, url: str | None) -> str | None:
    """The outlet when the article says who published it (metadata, or the site of its
    URL); None for a bare file, which is one article, not an outlet."""
    if outlet and outlet.strip():
        # A site given as an outlet is named as a reader knows it: "ksl.com:80" is ksl.com.
        return _SITE_PORT.sub(r"\1", outlet.strip()).removeprefix("www.")
    site = urlsplit(url).hostname if url else None
    return site.removeprefix("www.") if site else None


_SITE_PORT = re.compile(r"^([\w-]+(?:\.[\w-]+)+):\d+$")


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
    def from_article(cls, claim: Claim, article: Article | ArticleHead, score: float) -> ClaimHit:
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

    @property
    def outlet_label(self) -> str:
        return outlet_label(self.outlet, self.url, self.title, self.claim.article_id)

    @property
    def real_outlet(self) -> str | None:
        return named_outlet(self.outlet, self.url)


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
    outlet_label: str = Field("", description="The outlet as shown: outlet, URL site, title or id, never a path.")
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

    @model_validator(mode="after")
    def _label_outlet(self) -> Quote:
        if not self.outlet_label:
            self.outlet_label = outlet_label(self.outlet, self.url, self.title, self.article_id)
        return self


class SourceLabel(BaseModel):
    """A primary source of a group, and the relay most often seen passing it on."""

    name: str
    via: str | None = None


class TimelineEntry(BaseModel):
    """One value of a quantity that changed between reports, as of a publication date."""

    published: date | None
    figure: GroupFigure
    group_id: str


class ClaimGroup(BaseModel):
    id: str
    headline: str = Field(description="Plain text from the structured fields below, for JSON readers.")
    figures: list[GroupFigure]
    quotes: list[Quote]
    outlets: int = Field(description="Distinct named outlets (metadata or URL site) quoted.")
    independent_sources: int
    conflicts_with: list[str] = Field(default_factory=list)
    contradicts: list[str] = Field(default_factory=list)
    speakers: list[str] = Field(default_factory=list, description="The primary sources.")
    predicate: str | None = Field(
        None, description="The predicate's family key (or lemma), when one of the quotes words it."
    )
    denial: bool = False
    score: float = Field(0.0, description="Best search score among the group's hits.")
    newest: date | None = None
    # The structured headline: each word below occurs in at least one of the quotes.
    figure: GroupFigure | None = Field(None, description="The figure the group stands for.")
    kind: str | None = Field(None, description="count, money or percent; None without a figure.")
    counted: str | None = Field(None, description="What is counted, as a quote words it.")
    predicate_word: str | None = Field(None, description="What happened to it, as a quote words it.")
    stage: Stage = "unknown"
    period: Period | None = Field(None, description="day/week/month/year: a rate or one day's new count.")
    part: bool = Field(False, description="The figure is part of a larger whole (\"including 3 children\").")
    sources: list[SourceLabel] = Field(default_factory=list)
    excerpt: str | None = Field(None, description="Verbatim excerpt heading a group without a figure.")
    articles: int = Field(0, description="Distinct articles quoted.")
    updates: list[str] = Field(
        default_factory=list, description="Groups with the same quantity reported at other dates."
    )
    timeline: list[TimelineEntry] = Field(
        default_factory=list, description="The quantity's values in date order, when it changed."
    )
    derived_from: list[DerivedTerm] = Field(
        default_factory=list,
        description="When no quote states the group's figure but its quotes imply it (\"five shot, one "
        "fatally\" -> 4 injured): the stated numbers it was worked out from, verbatim with offsets.",
    )
    derivation: str | None = Field(None, description="How the figure was worked out: difference or sum.")
    answers_query: bool = Field(
        False, description="What the group counts or says happened matches the query's words."
    )
