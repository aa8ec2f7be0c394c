"""/who: what a person or body is quoted as saying, across outlets, under any spelling.

The name is resolved to speakers through the speakers table (every spelling and alias
the articles used), and claims are found by those speakers' ids, as speaker or relay.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from index.names import fold_accents, is_name_like, same_speaker
from index.query import ParsedQuery, QueryError, parse_query

from .base import Command, CommandContext, CommandError, OptionalQueryText, Response
from .claim_hits import search_claim_hits
from .claims import CLAIM_HITS
from .grouping import ClaimGroup, RankedGroups, paginate
from .synonyms import expand_terms

PER_PAGE = 5


class WhoArgs(BaseModel):
    name: str = Field(min_length=1, max_length=120, description="A person or body, e.g. Dovnar or NIS")
    about: OptionalQueryText = Field(default="", max_length=300, description="Only claims about this, e.g. evacuated")
    page: int = Field(default=1, ge=1, le=100, description="Page of groups")


class WhoResponse(Response):
    command: str = "who"
    name: str
    about: str
    names_seen: list[str] = Field(description="Every spelling of the name the articles use")
    outlets: int = Field(description="Named outlets quoting the name (an article without outlet or URL counts in articles only)")
    articles: int = 0
    page: int
    per_page: int = PER_PAGE
    total_groups: int
    groups: list[ClaimGroup]


def run(context: CommandContext, args: WhoArgs) -> WhoResponse:
    name = " ".join(args.name.split())
    if not name.strip('"'):
        raise CommandError("Give a name, e.g. /who Dovnar")
    query = _about_query(args.about)
    key = ("who", CLAIM_HITS, tuple(sorted(set(context.corpora))), name, query.model_dump_json())
    groups, names_seen, outlets, articles = context.library.answers.get_or_compute(
        key, context.library.search.version(), lambda: _quoted(context, name, query)
    )
    page, total = paginate(groups, args.page, PER_PAGE)
    return WhoResponse(
        name=name, about=args.about, page=args.page, total_groups=total, groups=page, names_seen=names_seen,
        outlets=outlets, articles=articles,
    )


def _quoted(context: CommandContext, name: str,
            query: ParsedQuery) -> tuple[RankedGroups, list[str], int, int]:
    """The ranked groups of what the name is quoted as saying, the spellings seen, the
    outlets and articles counted: every page's answer, kept in the library's answer cache."""
    query.speaker = name
    query.speaker_ids = context.library.store.speaker_ids(context.corpora, name)
    hits = search_claim_hits(context, query, limit=CLAIM_HITS, expand=expand_terms)
    groups = RankedGroups(hits, (), same_speaker)  # each group built when a page first shows it
    wanted = set(query.speaker_ids)
    quoted = {i for h in hits for i in (h.claim.speaker_id, *h.claim.via_ids) if i in wanted}
    spellings = {n for s in context.library.store.speakers(quoted) for n in (s.canonical, *s.aliases)}
    return (groups, sorted(n for n in spellings if is_name_like(n)),
            len({fold_accents(outlet).casefold() for h in hits if (outlet := h.real_outlet)}),
            len({(h.claim.corpus, h.claim.article_id) for h in hits}))


def _about_query(about: str) -> ParsedQuery:
    """The ``about`` words as a parsed query; the name is never taken from them."""
    if not about.strip():
        return ParsedQuery()
    try:
        query = parse_query(about)
    except QueryError as exc:
        raise CommandError(f"about: {exc}") from None
    if query.speaker is not None:
        raise CommandError("`about:` takes words to look for; put the person or body in `name`, e.g. /who Dovnar about:evacuated")
    return query


COMMAND = Command(name="who", description="What a person or body is quoted as saying", args=WhoArgs, run=run, rest="name")
