"""/article: one article's metadata, the head of its text, and how many claims it holds."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from index.models import TextSpan

from .base import ArticleSummary, Command, CommandContext, Response, find_article

HEAD_CHARS = 600


class ArticleArgs(BaseModel):
    id: str = Field(min_length=1, max_length=200, description="Article id, as /search shows it")


class ArticleResponse(Response, ArticleSummary):
    command: str = "article"
    language: str | None
    ingested_at: datetime | None
    chars: int
    claims: int
    head: str
    truncated: bool
    marked: list[TextSpan] = Field(description="Metadata, headline and boilerplate spans of the text")


def run(context: CommandContext, args: ArticleArgs) -> ArticleResponse:
    article = find_article(context, args.id)
    body = " ".join(article.body_text().split())
    head = body if len(body) <= HEAD_CHARS else body[:HEAD_CHARS].rsplit(" ", 1)[0]
    return ArticleResponse(
        **ArticleSummary.of(article).model_dump(), language=article.language, ingested_at=article.ingested_at,
        chars=len(article.text), claims=len(context.library.store.claims(article.corpus, article.id)),
        head=head, truncated=len(head) < len(body), marked=article.spans,
    )


COMMAND = Command(name="article", description="Show one article by id", args=ArticleArgs, run=run, rest="id")
