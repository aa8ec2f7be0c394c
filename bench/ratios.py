"""What claimdesk adds to the engines it stands on, as ratios taken within one run.

    python -m bench.ratios PATH... [--limit 200]

- extraction against a bare parse of the same texts by the same spaCy model (``nlp.pipe``);
- index writes (``SearchIndex.write``, batches as ingest commits them) against a bare
  Whoosh ``add_document`` loop with the same schemas, documents and batches.

On a shared machine absolute times drift from minute to minute; the two sides of each
ratio are run alternately, ROUNDS times, and the fastest of each side is kept.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from whoosh import index as whoosh_index

from index.extract import extract_many
from index.extract.nlp import get_nlp
from index.ingest import LoadedArticle, load_paths
from index.library import BATCH_SIZE
from index.models import Article, Claim
from index.search import ARTICLE_SCHEMA, CLAIM_SCHEMA, SearchIndex, _article_document, _claim_document

ROUNDS = 2


def load_articles(paths: Sequence[Path], limit: int) -> list[Article]:
    loaded = (item.article for item in load_paths(paths) if isinstance(item, LoadedArticle))
    return list(itertools.islice(loaded, limit))


def fastest(first: Callable[[], object], second: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for side, run in enumerate((first, second)):
            started = time.perf_counter()
            run()
            best[side] = min(best[side], time.perf_counter() - started)
    return best[0], best[1]


def extraction_vs_parse(articles: Sequence[Article]) -> dict:
    nlp = get_nlp()
    list(extract_many(articles[:1]))  # loads and warms the model outside the clock
    texts = [article.text for article in articles]
    extract, parse = fastest(lambda: list(extract_many(articles)), lambda: list(nlp.pipe(texts, batch_size=32)))
    return {"articles": len(articles), "extract_s": round(extract, 2), "bare_parse_s": round(parse, 2),
            "extract_articles_per_s": round(len(articles) / extract, 1), "ratio": round(extract / parse, 2)}


def _batches(batch: Sequence[tuple[Article, list[Claim]]]) -> list[Sequence[tuple[Article, list[Claim]]]]:
    return [batch[i:i + BATCH_SIZE] for i in range(0, len(batch), BATCH_SIZE)]


def _product_write(batch: Sequence[tuple[Article, list[Claim]]]) -> None:
    with tempfile.TemporaryDirectory(prefix="claimdesk-ratio-") as folder:
        index = SearchIndex.build(Path(folder), fill=lambda _: None)  # opening never creates an index
        for part in _batches(batch):
            index.write(part)
        index.close()


def _bare_write(documents: list[tuple[list[dict], list[dict]]]) -> None:
    with tempfile.TemporaryDirectory(prefix="claimdesk-bare-") as folder:
        for name, schema, side in (("articles", ARTICLE_SCHEMA, 0), ("claims", CLAIM_SCHEMA, 1)):
            (Path(folder) / name).mkdir()
            ix = whoosh_index.create_in(Path(folder) / name, schema)
            for part in documents:
                writer = ix.writer()
                for document in part[side]:
                    writer.add_document(**document)
                writer.commit()
            ix.close()


def index_vs_bare_whoosh(batch: Sequence[tuple[Article, list[Claim]]]) -> dict:
    # The bare loop is given its documents ready-made: the ratio includes building them.
    documents = [([_article_document(a) for a, _ in part], [_claim_document(a, c) for a, claims in part for c in claims])
                 for part in _batches(batch)]
    product, bare = fastest(lambda: _product_write(batch), lambda: _bare_write(documents))
    return {"articles": len(batch), "claims": sum(len(c) for _, c in batch), "claimdesk_write_s": round(product, 2),
            "bare_whoosh_s": round(bare, 2), "ratio": round(product / bare, 2)}


def run(paths: Sequence[Path], limit: int) -> dict:
    articles = load_articles(paths, limit)
    extraction = extraction_vs_parse(articles)
    claims = list(extract_many(articles))
    return {"extraction_vs_bare_parse": extraction, "index_write_vs_bare_whoosh": index_vs_bare_whoosh(list(zip(articles, claims)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(args.paths, args.limit), indent=2))


if __name__ == "__main__":
    main()
