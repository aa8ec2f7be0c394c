"""Digests: what arrived in a window of time, as a desk wants to read it.

An edition covers the articles first stored in its window, and the claims that articles
stored earlier gained from an update in the window (such an article is listed as
updated, never as new, and the claims it had before are not shown again). For each topic the subscription
follows (a /claims query; no topic means everything new) it shows first the **new
disagreements** (claim groups whose figures conflict, where at least one side has new
reporting), then the most important new claim groups, then the new articles by outlet;
at most ``MAX_ITEMS`` disagreements and groups a topic, with a count of the rest.

New claims are grouped together with older reporting on the same topic, so that a new
figure that disagrees with last week's is caught: for a topic, the best older hits of
its query (as /claims reads them); for everything new, the claims with figures of the
articles stored in the days before the window.

Subscribing, listing, unsubscribing and previewing are plain functions too; the Discord
extension and the CLI call them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from index.arrivals import text_key
from index.digests import (
    DigestBook,
    Schedule,
    ScheduleError,
    Subscription,
    check_timezone,
    split_topics,
    window_start,
)
from index.models import Article
from index.names import same_speaker
from index.query import ParsedQuery, QueryError, parse_query

from .base import ArticleSummary, CommandContext, CommandError, Response
from .claim_hits import load_claim_hits
from .claims import CLAIM_HITS
from .grouping import ClaimGroup, ClaimHit, group_claims, rank_groups
from .synonyms import expand_terms

MAX_ITEMS = 5  # disagreements and claim groups shown per topic
MAX_ARTICLES = 10  # new articles listed per topic
TOPIC_HITS = 5000  # claims read per topic query: the new ones must not fall off the end
# Grouping cost grows faster than the claims grouped: an edition groups at most this many
# new claims a section (the best-ranked for a topic; those with figures first otherwise)
# with at most CLAIM_HITS older ones.
NEW_CLAIMS = 300
CONTEXT_DAYS = timedelta(days=3)  # older reporting a new figure is compared with, when no topic is set
CONTEXT_ARTICLES = 300
MAX_TOPICS = 5
MAX_SUBSCRIPTIONS = 10  # per server


class Disagreement(BaseModel):
    """A group with new reporting and the groups whose figures it conflicts with."""

    group: ClaimGroup
    against: list[ClaimGroup]


class OutletArticles(BaseModel):
    outlet: str
    articles: list[ArticleSummary]


class DigestSection(BaseModel):
    topic: str | None = Field(description="The /claims query of this section; None: everything new")
    disagreements: list[Disagreement] = Field(default_factory=list)
    groups: list[ClaimGroup] = Field(default_factory=list)
    outlets: list[OutletArticles] = Field(default_factory=list)
    updated: list[OutletArticles] = Field(
        default_factory=list, description="Articles stored before the window whose update added claims shown here")
    more: int = Field(0, description="Disagreements and groups left out")
    more_articles: int = 0
    more_updated: int = 0

    @property
    def empty(self) -> bool:
        return not (self.disagreements or self.groups or self.outlets or self.updated)


class DigestResponse(Response):
    command: str = "digest"
    since: datetime
    until: datetime
    exclude: str = ""
    new_articles: int = Field(description="Articles first stored in the window, on any topic")
    updated_articles: int = Field(0, description="Articles stored earlier and updated in the window, on any topic")
    sections: list[DigestSection]

    @property
    def empty(self) -> bool:
        return all(section.empty for section in self.sections)


def build_digest(context: CommandContext, book: DigestBook, *, since: datetime, until: datetime,
                 topics: Sequence[str] = (), exclude: str = "") -> DigestResponse:
    """The edition for ``[since, until)``: empty sections when nothing new matches."""
    if since >= until:
        raise CommandError("The digest window is empty: its start must come before its end.")
    queries = [_parse(topic, "topic") for topic in topics]
    excluded = _excluded_claims(context, _parse(exclude, "exclude") if exclude.strip() else None)
    store = context.library.store
    updated_keys = book.updates(context.corpora, since, until)
    arrived = Arrived(articles=store.get_many(book.arrivals(context.corpora, since, until)),
                      updated=store.get_many(updated_keys), earlier=book.earlier_claims(updated_keys, since))
    if queries:
        sections = [_topic_section(context, topic, query, arrived, excluded)
                    for topic, query in zip(topics, queries, strict=True)]
    else:
        sections = [_everything_section(context, book, since, arrived, excluded, exclude)]
    return DigestResponse(since=since, until=until, exclude=exclude, new_articles=len(arrived.articles),
                          updated_articles=len(arrived.updated), sections=[s for s in sections if not s.empty])


def _parse(text: str, what: str) -> ParsedQuery:
    try:
        return parse_query(text)
    except QueryError as exc:
        raise CommandError(f"The {what} `{text}` cannot be searched: {exc}") from None


ClaimKey = tuple[str, str, int]
ArticleKey = tuple[str, str]


@dataclass(frozen=True)
class Arrived:
    """What the window brought: articles first stored in it, articles stored earlier and
    updated in it, and the claims those updated articles already had before it."""

    articles: dict[ArticleKey, Article]
    updated: dict[ArticleKey, Article]
    earlier: set[tuple[str, str, str]]  # (corpus, article id, claim text key)

    def touched(self, key: ArticleKey) -> bool:
        return key in self.articles or key in self.updated

    def is_new(self, hit: ClaimHit) -> bool:
        key = (hit.claim.corpus, hit.claim.article_id)
        return key in self.articles or (
            key in self.updated and (*key, text_key(hit.claim.text)) not in self.earlier)


def _excluded_claims(context: CommandContext, query: ParsedQuery | None) -> set[ClaimKey]:
    if query is None:
        return set()
    hits = context.library.search.search_claims(query, context.corpora, limit=TOPIC_HITS, expand=expand_terms)
    return {(h.corpus, h.article_id, h.seq) for h in hits if h.seq is not None}


def _topic_section(context: CommandContext, topic: str, query: ParsedQuery, arrived: Arrived,
                   excluded: set[ClaimKey]) -> DigestSection:
    try:
        found = context.library.search.search_claims(query, context.corpora, limit=TOPIC_HITS, expand=expand_terms)
    except QueryError as exc:
        raise CommandError(f"The topic `{topic}` cannot be searched: {exc}") from None
    hits = [h for h in found if (h.corpus, h.article_id, h.seq) not in excluded]
    in_window = load_claim_hits(context.library.store,
                                [h for h in hits if arrived.touched((h.corpus, h.article_id))][:NEW_CLAIMS])
    new_hits = [h for h in in_window if arrived.is_new(h)]
    if not new_hits:
        return DigestSection(topic=topic)
    # An updated article's earlier claims are older reporting, like any other.
    older = [h for h in in_window if not arrived.is_new(h)] + load_claim_hits(
        context.library.store, [h for h in hits if not arrived.touched((h.corpus, h.article_id))][:CLAIM_HITS])
    matching = dict.fromkeys((h.corpus, h.article_id) for h in hits if (h.corpus, h.article_id) in arrived.articles)
    shown = _ShownArticles(new=[arrived.articles[key] for key in matching],
                           updated=_ShownArticles.with_new_claims(arrived, new_hits).updated)
    return _section(topic, new_hits, older[:CLAIM_HITS], shown)


def _everything_section(context: CommandContext, book: DigestBook, since: datetime, arrived: Arrived,
                        excluded: set[ClaimKey], exclude: str) -> DigestSection:
    store = context.library.store
    in_window = [
        ClaimHit.from_article(claim, article, 0.0)
        for article in [*arrived.articles.values(), *arrived.updated.values()]
        for claim in store.claims(article.corpus, article.id)
        if (claim.corpus, claim.article_id, claim.seq) not in excluded
    ]
    new_hits = [h for h in in_window if arrived.is_new(h)]
    if not new_hits:
        return DigestSection(topic=None)
    # Figures make disagreements and attributed claims make news: those first.
    new_hits.sort(key=lambda h: (not h.claim.figures, h.claim.speaker is None))
    # Only figures can conflict, so only older claims with figures are worth grouping with;
    # the most recent articles first, after what the updated articles said before.
    older_keys = book.arrivals(context.corpora, since - CONTEXT_DAYS, since)[-CONTEXT_ARTICLES:]
    older = [h for h in in_window if h.claim.figures and not arrived.is_new(h)] + [
        ClaimHit.from_article(claim, article, 0.0)
        for article in reversed(store.get_many(older_keys).values())
        for claim in store.claims(article.corpus, article.id)
        if claim.figures and (claim.corpus, claim.article_id, claim.seq) not in excluded
    ]
    # An article of which every claim is excluded is about what the desk does not follow.
    shown = _ShownArticles.everything(arrived, new_hits, listed_all_new=not exclude)
    return _section(None, new_hits[:NEW_CLAIMS], older[:CLAIM_HITS], shown)


@dataclass(frozen=True)
class _ShownArticles:
    new: list[Article]
    updated: list[Article]

    @classmethod
    def with_new_claims(cls, arrived: Arrived, new_hits: Sequence[ClaimHit]) -> "_ShownArticles":
        keys = dict.fromkeys((h.claim.corpus, h.claim.article_id) for h in new_hits)
        return cls(new=[arrived.articles[k] for k in keys if k in arrived.articles],
                   updated=[arrived.updated[k] for k in keys if k in arrived.updated])

    @classmethod
    def everything(cls, arrived: Arrived, new_hits: Sequence[ClaimHit], *, listed_all_new: bool) -> "_ShownArticles":
        """Every new article (unless some claims are excluded: then those with a claim
        left), and the updated articles that brought a new claim."""
        with_claims = cls.with_new_claims(arrived, new_hits)
        return cls(new=list(arrived.articles.values()) if listed_all_new else with_claims.new,
                   updated=with_claims.updated)


def _section(topic: str | None, new_hits: list[ClaimHit], older: list[ClaimHit],
             shown: _ShownArticles) -> DigestSection:
    """Groups the new claims with older ones; a group is new when one of its quotes is a
    new claim (a quote is the verbatim text of its claim, at its offsets)."""
    new_quotes = {(h.claim.article_id, h.claim.start, h.claim.end) for h in new_hits}
    groups = rank_groups(group_claims(new_hits + older, same_speaker=same_speaker))
    by_id = {g.id: g for g in groups}

    def is_new(group: ClaimGroup) -> bool:
        return any((q.article_id, q.start, q.end) in new_quotes for q in group.quotes)

    disagreements: list[Disagreement] = []
    in_disagreement: set[str] = set()
    seen_pairs: set[frozenset[str]] = set()
    for group in groups:
        if not is_new(group):
            continue
        pairs = {frozenset((group.id, other)) for other in group.conflicts_with if other in by_id}
        if pairs and not pairs <= seen_pairs:
            against = [by_id[other] for other in group.conflicts_with
                       if other in by_id and frozenset((group.id, other)) not in seen_pairs]
            disagreements.append(Disagreement(group=group, against=against))
            seen_pairs |= pairs
            in_disagreement |= {group.id, *(g.id for g in against)}
    new_groups = [g for g in groups if is_new(g) and g.id not in in_disagreement]
    shown_disagreements = disagreements[:MAX_ITEMS]
    shown_groups = new_groups[: MAX_ITEMS - len(shown_disagreements)]
    outlets, more_articles = _by_outlet(shown.new)
    updated, more_updated = _by_outlet(shown.updated)
    return DigestSection(
        topic=topic, disagreements=shown_disagreements, groups=shown_groups, outlets=outlets, updated=updated,
        more=len(disagreements) + len(new_groups) - len(shown_disagreements) - len(shown_groups),
        more_articles=more_articles, more_updated=more_updated,
    )


def _by_outlet(articles: Iterable[Article]) -> tuple[list[OutletArticles], int]:
    """The first ``MAX_ARTICLES`` articles under their outlets (most articles first), and
    how many were left out."""
    listed = list(articles)
    by_outlet: dict[str, list[ArticleSummary]] = {}
    for article in listed[:MAX_ARTICLES]:
        summary = ArticleSummary.of(article)
        by_outlet.setdefault(article.outlet or "Outlet not named", []).append(summary)
    ordered = sorted(by_outlet.items(), key=lambda item: (-len(item[1]), item[0]))
    return [OutletArticles(outlet=o, articles=a) for o, a in ordered], max(0, len(listed) - MAX_ARTICLES)


# --- subscriptions ------------------------------------------------------------------


class SubscribeArgs(BaseModel):
    channel_id: int = Field(description="The channel the digest is posted in")
    schedule: str = Field(max_length=40, description="daily HH:MM, or every N hours")
    timezone: str = Field(max_length=64, description="IANA time zone, e.g. Europe/Berlin")
    topics: str = Field(default="", max_length=500, description="Comma-separated /claims queries; none: everything")
    exclude: str = Field(default="", max_length=300, description="Leave out claims matching this query")


class SubscriptionsResponse(Response):
    command: str = "digest list"
    message: str = ""
    subscriptions: list[Subscription]
    last_editions: dict[int, datetime] = Field(default_factory=dict, description="Subscription id → last window end")


def subscribe(context: CommandContext, book: DigestBook, corpus: str, args: SubscribeArgs,
              now: datetime) -> SubscriptionsResponse:
    """A new subscription of ``corpus`` (the server's own), after checking every argument."""
    try:
        schedule = Schedule.parse(args.schedule)
        check_timezone(args.timezone)
    except ScheduleError as exc:
        raise CommandError(str(exc)) from None
    topics = split_topics(args.topics)
    if len(topics) > MAX_TOPICS:
        raise CommandError(f"{len(topics)} topics given; a digest follows at most {MAX_TOPICS}. "
                           "Subscribe another channel for more.")
    for topic in topics:
        _parse(topic, "topic")
    if args.exclude.strip():
        _parse(args.exclude, "exclude")
    existing = book.subscriptions(corpus)
    twin = next((s for s in existing if (s.channel_id, s.schedule, s.timezone, s.topics, s.exclude) == (
        args.channel_id, schedule.text(), args.timezone.strip(), topics, args.exclude.strip())), None)
    if twin is not None:
        raise CommandError(f"Digest {twin.id} already posts exactly this in that channel; nothing was added.")
    if len(existing) >= MAX_SUBSCRIPTIONS:
        raise CommandError(f"This server has {MAX_SUBSCRIPTIONS} digests already; "
                           "unsubscribe one (`/digest unsubscribe`) first.")
    created = book.subscribe(corpus=corpus, channel_id=args.channel_id, schedule=schedule,
                             timezone_name=args.timezone, topics=topics, exclude=args.exclude, now=now)
    return SubscriptionsResponse(
        message=f"Subscribed: digest {created.id}, {schedule.text()} ({created.timezone}).",
        subscriptions=[created],
    )


def list_subscriptions(book: DigestBook, corpus: str) -> SubscriptionsResponse:
    subscriptions = book.subscriptions(corpus)
    last = {s.id: end for s in subscriptions if (end := book.last_end(s.id)) is not None}
    message = "" if subscriptions else "No digests yet: `/digest subscribe` sets one up."
    return SubscriptionsResponse(message=message, subscriptions=subscriptions, last_editions=last)


def unsubscribe(book: DigestBook, corpus: str, subscription_id: int) -> SubscriptionsResponse:
    if not book.unsubscribe(corpus, subscription_id):
        raise CommandError(f"This server has no digest {subscription_id}; `/digest list` shows its digests.")
    return SubscriptionsResponse(message=f"Unsubscribed digest {subscription_id}.", subscriptions=[])


def owned_subscription(book: DigestBook, corpus: str, subscription_id: int) -> Subscription:
    subscription = book.subscription(subscription_id)
    if subscription is None or subscription.corpus != corpus:
        raise CommandError(f"This server has no digest {subscription_id}; `/digest list` shows its digests.")
    return subscription


def preview(context: CommandContext, book: DigestBook, subscription: Subscription, now: datetime) -> DigestResponse:
    """The edition the subscription would get if it were due now; nothing is written."""
    since = window_start(book.last_end(subscription.id), now, subscription.parsed_schedule)
    return build_digest(context, book, since=since, until=now, topics=subscription.topics,
                        exclude=subscription.exclude)
