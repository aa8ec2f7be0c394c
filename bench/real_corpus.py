"""The public research corpora in ../shared/data as claimdesk JSON-lines articles.

    python -m bench.real_corpus OUT.jsonl [--only bbc|polnear|allsides]

Measuring only: the texts are their publishers' and never go into the project. Prints
how many articles it wrote; writes nothing and says so when the data folder is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

# ../shared/data next to the checkout; CLAIMDESK_BENCH_DATA names it elsewhere (e.g. from a worktree).
DATA = Path(os.environ.get("CLAIMDESK_BENCH_DATA") or Path(__file__).resolve().parent.parent.parent / "shared" / "data")


def bbc() -> Iterator[dict]:
    for path in sorted((DATA / "bbc").glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # one file of the 2,225 is Latin-1; the rest are UTF-8
            text = raw.decode("latin-1")
        yield {"id": f"bbc-{path.parent.name}-{path.stem}", "outlet": "BBC News", "text": text,
               "title": text.split("\n", 1)[0].strip()}


def polnear() -> Iterator[dict]:
    meta = {}
    with open(DATA / "polnear" / "metadata.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            meta[row["filename"]] = row
    for path in sorted((DATA / "polnear").glob("*/text/*.txt")):
        row = meta.get(path.stem, {})
        yield {"id": f"polnear-{path.stem}", "outlet": row.get("publisher"), "title": row.get("title"),
               "published": row.get("publication_date"), "text": path.read_text(encoding="utf-8")}


def allsides() -> Iterator[dict]:
    with open(DATA / "allsides" / "stories.jsonl", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            for side, item in (story.get("news") or {}).items():
                body = "\n\n".join(item.get("newBody") or [])
                if not body.strip():
                    continue
                yield {"id": f"allsides-{story['id']}-{side}", "outlet": item.get("newsSource"),
                       "title": item.get("newsTitle"), "url": item.get("newsLink"), "published": story.get("date"),
                       "text": f"{item.get('newsTitle', '')}\n\n{body}", "story": story["id"]}


SOURCES = {"bbc": bbc, "polnear": polnear, "allsides": allsides}


def write(out: Path, only: list[str] | None = None) -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    count = 0
    with open(out, "w", encoding="utf-8") as handle:
        for name in only or list(SOURCES):
            for record in SOURCES[name]():
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--only", action="append", choices=list(SOURCES))
    args = parser.parse_args()
    print(f"wrote {write(args.out, args.only)} articles to {args.out}")


if __name__ == "__main__":
    main()
