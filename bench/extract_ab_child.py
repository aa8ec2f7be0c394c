"""One side of ``bench/extract_ab.py``: run with PYTHONPATH set to the product code under
test. Reads a JSON list of BBC file paths per line, extracts them in this process and
answers with one JSON line: CPU and wall seconds, the claim count, and a digest of each
article's claims (every field, offsets and readings included)."""

import hashlib
import json
import sys
import time
from pathlib import Path

from index.extract import extract_many
from index.models import Article, TextSpan


def article(path: Path) -> Article:
    # As bench/extract_throughput.py reads the corpus: the first line is the headline.
    text = path.read_text(encoding="utf-8", errors="replace")
    headline_end = text.find("\n")
    spans = [TextSpan(start=0, end=headline_end, kind="headline")] if headline_end > 0 else []
    return Article(id=f"{path.parent.name}-{path.stem}", source=str(path), text=text, spans=spans)


def main() -> None:
    warmed = False
    for line in sys.stdin:
        articles = [article(Path(p)) for p in json.loads(line)]
        if not warmed:
            list(extract_many([Article(id="warm", source="warm", text="Two people were hurt, police said.")]))
            warmed = True
        cpu, wall = time.process_time(), time.perf_counter()
        claims = list(extract_many(articles))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        digests = [hashlib.sha256(json.dumps([c.model_dump(mode="json") for c in found], sort_keys=True).encode())
                   .hexdigest() for found in claims]
        print(json.dumps({"cpu": cpu, "wall": wall, "claims": sum(map(len, claims)), "digests": digests}), flush=True)


if __name__ == "__main__":
    main()
