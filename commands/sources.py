"""/sources: the outlets in this server's corpus, with article counts and date ranges."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from .base import Command, CommandContext, Response


class SourcesArgs(BaseModel):
    pass


class OutletCount(BaseModel):
    outlet: str | None
    articles: int
    earliest: date | None
    latest: date | None


class SourcesResponse(Response):
    command: str = "sources"
    articles: int
    claims: int
    outlets: list[OutletCount]


def run(context: CommandContext, args: SourcesArgs) -> SourcesResponse:
    store = context.library.store
    return SourcesResponse(
        articles=store.count(context.corpora),
        claims=store.count_claims(context.corpora),
        outlets=[
            OutletCount(outlet=o, articles=n, earliest=first, latest=last)
            for o, n, first, last in store.outlets(context.corpora)
        ],
    )


COMMAND = Command(name="sources", description="List the outlets and how many articles each has", args=SourcesArgs, run=run)
