"""/who: what a person or body is quoted as saying, across outlets, under any spelling."""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.names import same_speaker

from .base import Command, CommandContext, CommandError, Response
from .claims import find_groups
from .grouping import ClaimGroup, paginate

PER_PAGE = 5


class WhoArgs(BaseModel):
    name: str = Field(min_length=1, max_length=120, description="A person or body, e.g. Dovnar or NIS")
    about: str = Field(default="", max_length=300, description="Only claims about this, e.g. evacuated")
    page: int = Field(default=1, ge=1, le=100, description="Page of groups")


class WhoResponse(Response):
    command: str = "who"
    name: str
    about: str
    names_seen: list[str] = Field(description="Every spelling of the name the articles use")
    outlets: int
    page: int
    per_page: int = PER_PAGE
    total_groups: int
    groups: list[ClaimGroup]


def run(context: CommandContext, args: WhoArgs) -> WhoResponse:
    name = " ".join(args.name.replace('"', " ").split())
    if not name:
        raise CommandError("Give a name, e.g. /who Dovnar")
    groups = find_groups(context, f'speaker:"{name}" {args.about}')
    quotes = [q for g in groups for q in g.quotes]
    page, total = paginate(groups, args.page, PER_PAGE)
    return WhoResponse(
        name=name, about=args.about, page=args.page, total_groups=total, groups=page,
        names_seen=sorted({n for q in quotes for n in (q.speaker, q.via) if n and same_speaker(name, n)}),
        outlets=len({q.outlet or q.source for q in quotes}),
    )


COMMAND = Command(name="who", description="What a person or body is quoted as saying", args=WhoArgs, run=run, rest="name")
