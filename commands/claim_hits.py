"""From index hits to ClaimHits: one place that loads claims with their articles."""

from __future__ import annotations

from collections.abc import Sequence

from index.query import ParsedQuery, QueryError
from index.search import Expander, IndexHit
from index.store import Store

from .base import CommandContext, CommandError
from .grouping import ClaimHit


def search_claim_hits(
    context: CommandContext, query: ParsedQuery, *, limit: int, expand: Expander | None = None
) -> list[ClaimHit]:
    """The claims a parsed query finds in the caller's corpora, loaded with their articles."""
    try:
        hits = context.library.search.search_claims(query, context.corpora, limit=limit, expand=expand)
    except QueryError as exc:
        raise CommandError(str(exc)) from None
    return load_claim_hits(context.library.store, hits)


def load_claim_hits(store: Store, hits: Sequence[IndexHit]) -> list[ClaimHit]:
    """The claims behind index hits, paired with their articles; vanished rows are skipped.
    Each claim comes with its ``speaker_id`` and ``via_ids`` from the speakers table."""
    claims = store.claims_at([(h.corpus, h.article_id, h.seq) for h in hits if h.seq is not None])
    articles = store.heads(sorted({(h.corpus, h.article_id) for h in hits}))
    loaded = []
    for hit in hits:
        claim = claims.get((hit.corpus, hit.article_id, hit.seq))
        article = articles.get((hit.corpus, hit.article_id))
        if claim is not None and article is not None:
            loaded.append(ClaimHit.from_article(claim, article, hit.score))
    return loaded
