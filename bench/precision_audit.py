"""Draw random figure claims from real news for a by-hand audit of their readings.

    python bench/precision_audit.py [--claims 60] [--articles 120] [--seed 8] [--json OUT]

Measuring only: prints, for a seeded random sample of groupable figures (count, money,
percent) from BBC and AllSides articles, the sentence and the reading the extractor gave
it (kind, interval, counted thing, predicate, stage, part, speaker), for a person to judge.
Nothing it prints goes into the project's tests or docs. With ``--json`` the sample's
readings are also written (no article text), so that two revisions can be compared
figure by figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from index.extract import extract_many  # noqa: E402
from index.ingest import LoadedArticle, load_paths  # noqa: E402
from index.models import GROUPABLE_KINDS, Article  # noqa: E402
from real_corpus import DATA, allsides, bbc  # noqa: E402


def sample_articles(count: int, rng: random.Random) -> list[Article]:
    """Articles drawn at random, loaded as ``claimdesk ingest`` loads a JSON-lines file."""
    pool = [*bbc(), *allsides()]
    chosen = rng.sample(pool, min(count, len(pool)))
    with tempfile.TemporaryDirectory(prefix="claimdesk-audit-") as folder:
        path = Path(folder) / "sample.jsonl"
        path.write_text("\n".join(json.dumps(item) for item in chosen) + "\n", encoding="utf-8")
        return [item.article for item in load_paths([path]) if isinstance(item, LoadedArticle)]


def reading_line(figure) -> str:
    parts = [
        f"{figure.kind}", f"[{figure.low:g}, {figure.high:g}]", f"counted={figure.counted}/{figure.counted_family}",
        f"pred={figure.predicate}/{figure.predicate_family}", f"stage={figure.stage}",
    ]
    if figure.part:
        parts.append(f"part(whole={figure.whole})")
    if figure.negated:
        parts.append("negated")
    if figure.vague:
        parts.append("vague")
    if figure.holder:
        parts.append(f"holder={figure.holder}")
    return " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=60)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--same-as", type=Path, help="read again the figures a --json file of another revision holds")
    args = parser.parse_args()
    if not (DATA / "bbc").is_dir():
        print(f"skipped: no data at {DATA}")
        return 0
    rng = random.Random(args.seed)
    articles = sample_articles(args.articles, rng)
    found = []
    claims_per_article = list(extract_many(articles))
    for article, claims in zip(articles, claims_per_article, strict=True):
        for claim in claims:
            for figure in claim.figures:
                if figure.kind in GROUPABLE_KINDS and not figure.derived:
                    found.append((article, claim, figure))
    sample = rng.sample(found, min(args.claims, len(found)))
    if args.same_as:
        # The same figures as that run, wherever this revision still reads a figure there
        # (of any kind: a number it no longer groups is a refusal to judge).
        wanted = [json.loads(line) for line in args.same_as.read_text(encoding="utf-8").splitlines() if line]
        every = {(a.id, f.start): (a, c, f) for a, cs in zip(articles, claims_per_article) for c in cs for f in c.figures}
        sample = [every.get((w["article"], w["start"])) or (w["article"], None, None) for w in wanted]
    sample.sort(key=lambda item: (item[0] if isinstance(item[0], str) else item[0].id, item[2].start if item[2] else 0))
    records = []
    for n, (article, claim, figure) in enumerate(sample, 1):
        if figure is None:
            print(f"#{n} {article}: no figure read there any more")
            continue
        via = f" via {claim.via}" if claim.via else ""
        print(f"#{n} {article.id} @{figure.start}")
        print(f"  sentence: {claim.text!r}")
        print(f"  figure:   {figure.text!r} -> {reading_line(figure)}")
        print(f"  speaker:  {claim.speaker!r} cue={claim.cue!r}{via}")
        records.append({"article": article.id, "start": figure.start, "reading": reading_line(figure),
                        "speaker": claim.speaker, "via": claim.via})  # fmt: skip
    print(f"{len(sample)} of {len(found)} groupable figures in {len(articles)} articles")
    if args.json:
        args.json.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
