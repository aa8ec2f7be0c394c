"""/claims: the same fact side by side across outlets, with conflicts and corroboration."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from index.names import same_speaker
from index.query import QueryError, parse_query

from .base import Command, CommandContext, CommandError, QueryText, Response
from .claim_hits import search_claim_hits
from .grouping import ClaimGroup, RankedGroups, last_page, paginate
from .synonyms import search_terms

PER_PAGE = 5
# Claims read from the index per query: enough for every outlet's version of the top
# facts; grouping cost grows with it.
CLAIM_HITS = 150


class ClaimsArgs(BaseModel):
    query: QueryText = Field(description='What to look for, e.g. troops; "phrases", speaker:, outlet:, since:, until:')
    page: int = Field(default=1, ge=1, le=100, description="Page of groups")


class ClaimsResponse(Response):
    command: str = "claims"
    query: str
    page: int
    per_page: int = PER_PAGE
    total_groups: int
    total_is_lower_bound: bool = Field(
        False, description="The search read its maximum of claims: there may be more groups than counted."
    )
    groups: list[ClaimGroup]


def search_groups(context: CommandContext, query_text: str) -> tuple[Sequence[ClaimGroup], bool]:
    """Ranked claim groups for a query, and whether the claims read hit the cap (then
    more claims match than were grouped). Kept in the library's answer cache until the
    index changes, so that the query's other pages cost no search; a group is built
    when a page first shows it (``RankedGroups``)."""
    try:
        query = parse_query(query_text)
    except QueryError as exc:
        raise CommandError(str(exc)) from None
    key = ("claims", CLAIM_HITS, tuple(sorted(set(context.corpora))), query.model_dump_json())

    def grouped() -> tuple[RankedGroups, bool]:
        hits = search_claim_hits(context, query, limit=CLAIM_HITS, expand=search_terms)
        return RankedGroups(hits, query.positive_terms, same_speaker), len(hits) >= CLAIM_HITS

    return context.library.answers.get_or_compute(key, context.library.search.version(), grouped)


def run(context: CommandContext, args: ClaimsArgs) -> ClaimsResponse:
    groups, capped = search_groups(context, args.query)
    page, total = paginate(groups, args.page, PER_PAGE)
    if total and not page:
        last = last_page(total, PER_PAGE)
        more = "at least " if capped else ""
        raise CommandError(
            f"There is no page {args.page}: {more}{total} groups fill {last} page{'s' if last > 1 else ''}"
            f" of {PER_PAGE}. The last page is page:{last}."
        )
    return ClaimsResponse(
        query=args.query, page=args.page, total_groups=total, total_is_lower_bound=capped, groups=page
    )


COMMAND = Command(
    name="claims",
    description="What has been claimed about something, by whom, in which outlets, and where they disagree",
    args=ClaimsArgs,
    run=run,
    rest="query",
)
