"""Check figure readings on real local news against official killed / injured counts.

    python bench/readings.py [--data DIR] [--processes N] [--misses N]

For each incident of ``gva_dev`` (folders of articles plus ``gold.json``), every article
is loaded as ingest loads it and run through the extractor. An official nonzero count is
*found* when some article of the incident has a figure whose interval contains the count
and whose ``predicate_family`` is ``killed`` (resp. ``injured``). Also printed: how many
count figures got a predicate at all, and one with a known family. ``--misses N`` prints
the sentences stating the first N missed counts' numbers, to find failure classes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.extract import extract_many  # noqa: E402
from index.ingest.loaders import load_paths  # noqa: E402
from index.models import Article, Claim, Figure  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gva_dev"
FAMILIES = {"killed": "killed", "injured": "injured"}


def load_incidents(folder: Path) -> list[tuple[str, dict, list[Article]]]:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    incidents = []
    for incident_id, counts in sorted(gold.items()):
        articles = [item.article for item in load_paths([folder / incident_id]) if hasattr(item, "article")]
        incidents.append((incident_id, counts, articles))
    return incidents


def found(count: int, family: str, figures: list[Figure]) -> bool:
    return any(f.predicate_family == family and f.low <= count <= f.high for f in figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--misses", type=int, default=0, help="print sentences of the first N misses")
    args = parser.parse_args()
    if not (args.data / "gold.json").is_file():
        print(f"skipped: no gva_dev data at {args.data}")
        return 0

    started = time.perf_counter()
    incidents = load_incidents(args.data)
    articles = [a for _, _, batch in incidents for a in batch]
    claims_by_article = dict(zip((a.id for a in articles), extract_many(articles, n_process=args.processes)))
    elapsed = time.perf_counter() - started

    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    counts = with_predicate = with_family = 0
    misses: list[tuple[str, str, int, list[Claim]]] = []
    for incident_id, gold, batch in incidents:
        claims = [c for a in batch for c in claims_by_article[a.id]]
        figures = [f for c in claims for f in c.figures]
        for figure in figures:
            kinds[figure.kind] += 1
            if figure.kind == "count":
                counts += 1
                with_predicate += figure.predicate is not None
                with_family += figure.predicate_family is not None
        for key, family in FAMILIES.items():
            count = int(gold.get(key) or 0)
            if count <= 0:
                continue
            totals[key] += 1
            if found(count, family, figures):
                hits[key] += 1
            else:
                misses.append((incident_id, key, count, claims))

    print(f"gva_dev: {len(incidents)} incidents, {len(articles)} articles in {elapsed:.1f} s")
    for key in FAMILIES:
        share = hits[key] / totals[key] if totals[key] else 0.0
        print(f"official {key:<8} found with predicate {key:<8} {share:.3f}  ({hits[key]}/{totals[key]})")
    both = sum(hits.values()) / max(1, sum(totals.values()))
    print(f"both together                                   {both:.3f}  ({sum(hits.values())}/{sum(totals.values())})")
    print(f"count figures {counts}: with a predicate {with_predicate} ({with_predicate / max(1, counts):.3f}), "
          f"with a predicate family {with_family} ({with_family / max(1, counts):.3f})")
    print("figures by kind: " + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()))
    for incident_id, key, count, claims in misses[: args.misses]:
        print(f"\n--- {incident_id}: official {key} {count}")
        for claim in claims:
            for figure in claim.figures:
                if figure.low <= count <= figure.high and figure.kind == "count":
                    reading = f"{figure.counted}/{figure.predicate}/{figure.predicate_family}"
                    print(f"  [{figure.text} -> {reading}] {' '.join(claim.text.split())[:220]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
