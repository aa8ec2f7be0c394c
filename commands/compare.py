"""/compare: two articles' claims aligned — what both say, where they differ, what only one says."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from index.names import same_speaker
from index.models import Article
from index.search import IndexHit

from .base import ArticleSummary, Command, CommandContext, CommandError, Response, find_article
from .claim_hits import load_claim_hits
from .grouping import ClaimGroup, group_claims


class CompareArgs(BaseModel):
    first: str = Field(min_length=1, max_length=200, description="Id of the first article")
    second: str = Field(min_length=1, max_length=200, description="Id of the second article")


class Disagreement(BaseModel):
    first: ClaimGroup
    second: ClaimGroup
    kind: Literal["conflict", "update"] = Field(
        "conflict", description="Different sources at the same time, or the figure changed between the articles' dates"
    )


class CompareResponse(Response):
    command: str = "compare"
    first: ArticleSummary
    second: ArticleSummary
    shared: list[ClaimGroup] = Field(description="Facts both articles state")
    differing: list[Disagreement] = Field(description="The same quantity with figures that disagree or changed")
    only_first: list[ClaimGroup]
    only_second: list[ClaimGroup]


def run(context: CommandContext, args: CompareArgs) -> CompareResponse:
    first, second = find_article(context, args.first), find_article(context, args.second)
    if (first.corpus, first.id) == (second.corpus, second.id):
        raise CommandError("Give two different articles to compare.")
    store = context.library.store
    hits = [
        IndexHit(corpus=a.corpus, article_id=a.id, seq=c.seq, score=0.0)
        for a in (first, second)
        for c in store.claims(a.corpus, a.id)
    ]
    groups = group_claims(load_claim_hits(store, hits), same_speaker=same_speaker)
    by_id = {g.id: g for g in groups}

    def holds(group: ClaimGroup, article: Article) -> bool:
        return any(q.article_id == article.id for q in group.quotes)

    shared = [g for g in groups if holds(g, first) and holds(g, second)]
    differing, paired = [], set()
    for group in groups:
        if holds(group, first) and not holds(group, second):
            links = [(i, "conflict") for i in group.conflicts_with] + [(i, "update") for i in group.updates]
            for other_id, kind in links:
                other = by_id.get(other_id)
                if other is not None and holds(other, second) and not holds(other, first):
                    differing.append(Disagreement(first=group, second=other, kind=kind))
                    paired |= {group.id, other.id}
    return CompareResponse(
        first=ArticleSummary.of(first),
        second=ArticleSummary.of(second),
        shared=shared,
        differing=differing,
        only_first=[g for g in groups if holds(g, first) and not holds(g, second) and g.id not in paired],
        only_second=[g for g in groups if holds(g, second) and not holds(g, first) and g.id not in paired],
    )


COMMAND = Command(name="compare", description="Line up two articles' claims side by side", args=CompareArgs, run=run)
