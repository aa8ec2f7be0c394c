"""Score claim attribution against PolNeAR's gold attributions.

    python bench/attribution.py [--split dev|train] [--data DIR]

Precision: attributed claims (a speaker or a cue) whose span covers at least half of the
shorter of itself and some gold content span. Recall: gold attributions matched by some
attributed claim. Speaker accuracy: matched claims whose speaker span overlaps the source
span of a gold attribution they match (matches whose gold has no source are left out).
One annotator per article: the first annotation file in name order.

One-to-one (how attribution is judged from outside): each claim counts for at most one
gold attribution and each gold attribution for at most one claim, by a maximum matching
of claims to the gold attributions they match; speaker accuracy is then taken over the
matched pairs whose gold has a source.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.extract import extract_many  # noqa: E402
from index.models import Article, Claim, TextSpan  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"

Parts = list[tuple[int, int]]


@dataclass(frozen=True)
class GoldAttribution:
    content: Parts
    source: Parts | None


def read_brat(path: Path) -> list[GoldAttribution]:
    spans: dict[str, Parts] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            _, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = [(int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))]
        elif line.startswith("E") and len(fields) >= 2:
            roles = dict(arg.split(":", 1) for arg in fields[1].split())
            events.append(roles)
    gold = []
    for roles in events:
        if "Content" not in roles or roles["Content"] not in spans:
            continue
        source = spans.get(roles.get("Source", ""))
        gold.append(GoldAttribution(spans[roles["Content"]], source))
    return gold


def load_split(folder: Path) -> list[tuple[Article, list[GoldAttribution]]]:
    pairs = []
    for text_path in sorted((folder / "text").glob("*.txt")):
        annotations = sorted((folder / "attributions").glob(text_path.stem + "_*.ann"))
        if not annotations:
            continue
        text = text_path.read_text(encoding="utf-8")
        title_end = text.find("\n")
        spans = [TextSpan(start=0, end=title_end, kind="headline")] if title_end > 0 else []
        article = Article(id=text_path.stem, source=str(text_path), text=text, spans=spans)
        pairs.append((article, read_brat(annotations[0])))
    return pairs


def overlap(start: int, end: int, parts: Parts) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in parts)


def matches(claim: Claim, gold: GoldAttribution) -> bool:
    content_length = sum(b - a for a, b in gold.content)
    shorter = min(claim.end - claim.start, content_length)
    return shorter > 0 and overlap(claim.start, claim.end, gold.content) >= shorter / 2


def speaker_correct(claim: Claim, gold: GoldAttribution) -> bool:
    if claim.speaker_start is None or claim.speaker_end is None or gold.source is None:
        return False
    return overlap(claim.speaker_start, claim.speaker_end, gold.source) > 0


@dataclass
class Score:
    claims: int = 0
    claims_matched: int = 0
    gold: int = 0
    gold_matched: int = 0
    speaker_checked: int = 0
    speaker_right: int = 0

    def add(self, claims: list[Claim], gold: list[GoldAttribution]) -> None:
        attributed = [c for c in claims if c.speaker is not None or c.cue is not None]
        self.claims += len(attributed)
        self.gold += len(gold)
        self.gold_matched += sum(any(matches(c, g) for c in attributed) for g in gold)
        for claim in attributed:
            matched = [g for g in gold if matches(claim, g)]
            if not matched:
                continue
            self.claims_matched += 1
            with_source = [g for g in matched if g.source is not None]
            if with_source:
                self.speaker_checked += 1
                self.speaker_right += any(speaker_correct(claim, g) for g in with_source)

    def add_one_to_one(self, claims: list[Claim], gold: list[GoldAttribution]) -> None:
        attributed = [c for c in claims if c.speaker is not None or c.cue is not None]
        self.claims += len(attributed)
        self.gold += len(gold)
        pairs = one_to_one(attributed, gold)
        self.claims_matched += len(pairs)
        self.gold_matched += len(pairs)
        for claim, attribution in pairs:
            if attribution.source is not None:
                self.speaker_checked += 1
                self.speaker_right += speaker_correct(claim, attribution)

    def report(self) -> str:
        precision = self.claims_matched / self.claims if self.claims else 0.0
        recall = self.gold_matched / self.gold if self.gold else 0.0
        speaker = self.speaker_right / self.speaker_checked if self.speaker_checked else 0.0
        return (
            f"attributed claims {self.claims}, gold attributions {self.gold}\n"
            f"precision        {precision:.3f}  ({self.claims_matched}/{self.claims})\n"
            f"recall           {recall:.3f}  ({self.gold_matched}/{self.gold})\n"
            f"speaker accuracy {speaker:.3f}  ({self.speaker_right}/{self.speaker_checked})"
        )


def one_to_one(claims: list[Claim], gold: list[GoldAttribution]) -> list[tuple[Claim, GoldAttribution]]:
    """A maximum matching of claims to gold attributions (augmenting paths), trying each
    claim's best-overlapping gold first so that ties go to the closer span."""
    options = [
        sorted(
            (j for j, g in enumerate(gold) if matches(claim, g)),
            key=lambda j: -overlap(claim.start, claim.end, gold[j].content),
        )
        for claim in claims
    ]
    owner: dict[int, int] = {}  # gold index -> claim index

    def assign(i: int, visited: set[int]) -> bool:
        for j in options[i]:
            if j in visited:
                continue
            visited.add(j)
            if j not in owner or assign(owner[j], visited):
                owner[j] = i
                return True
        return False

    for i in range(len(claims)):
        assign(i, set())
    return [(claims[i], gold[j]) for j, i in sorted(owner.items())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear folder")
    args = parser.parse_args()
    folder = args.data / args.split
    if not (folder / "text").is_dir():
        print(f"skipped: no PolNeAR data at {folder}")
        return 0
    pairs = load_split(folder)
    score, strict = Score(), Score()
    started = time.perf_counter()
    for (article, gold), claims in zip(pairs, extract_many(a for a, _ in pairs)):
        score.add(claims, gold)
        strict.add_one_to_one(claims, gold)
    elapsed = time.perf_counter() - started
    print(f"PolNeAR {args.split}: {len(pairs)} articles in {elapsed:.1f} s")
    print(score.report())
    print("one-to-one (each claim and each gold attribution matched at most once):")
    print(strict.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
