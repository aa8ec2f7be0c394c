"""/search: articles ranked by relevance, each with a snippet around the matching words."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.analysis import prose_terms
from index.query import QueryError, parse_query
from index.snippets import Snippet, make_snippet

from .base import ArticleQueryText, ArticleSummary, Command, CommandContext, CommandError, Response

PER_PAGE = 5


class SearchArgs(BaseModel):
    query: ArticleQueryText = Field(description="Words to find; \"quoted phrases\", OR, -exclude, outlet:, since:, until:")
    page: int = Field(default=1, ge=1, le=100, description="Page of results")


class ArticleResult(ArticleSummary):
    score: float
    snippet: Snippet


class SearchResponse(Response):
    command: str = "search"
    query: str
    page: int
    per_page: int
    total: int
    results: list[ArticleResult]


def run(context: CommandContext, args: SearchArgs) -> SearchResponse:
    try:
        query = parse_query(args.query, speakers=False)
        page = context.library.search.search_articles(
            query, context.corpora, limit=PER_PAGE, offset=(args.page - 1) * PER_PAGE
        )
    except QueryError as exc:
        raise CommandError(str(exc)) from None
    terms = {t for word in query.positive_terms for t in prose_terms(word)}
    results = []
    for hit in page.hits:
        article = context.library.store.get(hit.corpus, hit.article_id)
        if article is None:  # deleted between search and fetch
            continue
        results.append(
            ArticleResult(
                **ArticleSummary.of(article).model_dump(), score=round(hit.score, 3),
                snippet=make_snippet(article.body_text(), terms),
            )
        )
    return SearchResponse(query=args.query, page=args.page, per_page=PER_PAGE, total=page.total, results=results)


COMMAND = Command(
    name="search", description="Find articles by words, phrases, outlet and date", args=SearchArgs, run=run, rest="query"
)
