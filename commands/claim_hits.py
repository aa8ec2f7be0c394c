"""From index hits to ClaimHits: one place that loads claims with their articles."""

from __future__ import annotations

from collections.abc import Sequence

from index.search import IndexHit
from index.store import Store

from .grouping import ClaimHit


def load_claim_hits(store: Store, hits: Sequence[IndexHit]) -> list[ClaimHit]:
    """The claims behind index hits, paired with their articles; vanished rows are skipped."""
    claims = store.claims_at([(h.corpus, h.article_id, h.seq) for h in hits if h.seq is not None])
    articles = store.get_many(sorted({(h.corpus, h.article_id) for h in hits}))
    loaded = []
    for hit in hits:
        claim = claims.get((hit.corpus, hit.article_id, hit.seq))
        article = articles.get((hit.corpus, hit.article_id))
        if claim is not None and article is not None:
            loaded.append(ClaimHit.from_article(claim, article, hit.score))
    return loaded
