"""What every slash command is made of, with nothing of Discord in it.

A command is one declaration: its name, a pydantic model of its arguments (the field
descriptions become the option descriptions in Discord and the help in the terminal),
the function that answers it, and the argument that takes free text when the command
is typed as a line (``/search north korea troops``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel
from pydantic_core import PydanticCustomError

from index.library import Library
from index.models import Article
from index.query import QueryError, parse_query


class CommandError(Exception):
    """A problem the user can fix; the message says what was wrong and what to do."""


def _well_formed(text: str, *, speakers: bool = True) -> str:
    """A query's syntax is checked with the other arguments, before any index is touched:
    the bot refuses a mistyped query privately, before it answers in public."""
    try:
        parse_query(text, speakers=speakers)
    except QueryError as exc:
        raise PydanticCustomError("query_syntax", "{reason}", {"reason": str(exc)}) from None
    return text


QueryText = Annotated[str, AfterValidator(_well_formed)]
"""Query text (words, phrases, filters), well formed by the time a command runs."""
ArticleQueryText = Annotated[str, AfterValidator(lambda text: _well_formed(text, speakers=False))]
"""Query text for articles, which have no speakers: ``speaker:`` is refused with the syntax."""
OptionalQueryText = Annotated[str, AfterValidator(lambda text: _well_formed(text) if text.strip() else text)]
"""Query text that may be left empty."""


@dataclass(frozen=True)
class CommandContext:
    library: Library
    corpora: Sequence[str]  # the corpora this caller may see; every query is limited to them


class Response(BaseModel):
    command: str


class ArticleSummary(BaseModel):
    """How a response names an article: enough to show it and to link to it."""

    article_id: str
    title: str
    outlet: str | None
    published: date | None
    url: str | None
    source: str

    @classmethod
    def of(cls, article: Article) -> "ArticleSummary":
        return cls(
            article_id=article.id, title=article.display_title(), outlet=article.outlet,
            published=article.published, url=article.url, source=article.source,
        )


def find_article(context: CommandContext, article_id: str) -> Article:
    """An article of the caller's corpora by id, or a CommandError saying how to find one."""
    wanted = article_id.strip()
    for corpus in context.corpora:
        article = context.library.store.get(corpus, wanted)
        if article is not None:
            return article
    raise CommandError(f"No article with id `{wanted}` here. Use /search to find article ids.")


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[CommandContext, BaseModel], Response]
    rest: str | None = None  # the argument that takes the free text of a typed line
    manager_only: bool = False  # changes stored data: only server managers may run it

    def __call__(self, context: CommandContext, args: BaseModel) -> Response:
        return self.run(context, args)
