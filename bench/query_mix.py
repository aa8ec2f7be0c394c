"""Benchmark queries drawn from a corpus's own vocabulary, as users would type them.

Words and word pairs are sampled across the corpus's most frequent content words, so
queries range from common to rare; some carry ``speaker:`` or ``outlet:`` filters with
names the corpus uses. Nothing here is tied to one story: give it any articles.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

TOP_WORDS = 1000
TOP_PAIRS = 500
TOP_SPEAKERS = 100
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NAME = r"[A-Z][a-z]+(?: [A-Z][a-z]+)+"
# A name next to a reporting verb: how a reader spots who speaks, in any story.
_SPEAKER = re.compile(rf"\b({_NAME}) (?:said|says|told|added)\b|\b(?:said|says|told) ({_NAME})\b")


class Vocabulary:
    def __init__(self, records: Iterable[dict]) -> None:
        words: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        speakers: Counter[str] = Counter()
        outlets: Counter[str] = Counter()
        for record in records:
            text = record.get("text") or ""
            for sentence in _SENTENCE.split(text):
                tokens = [w for w in _WORD.findall(sentence.lower()) if w not in STOP_WORDS]
                words.update(tokens)
                pairs.update(zip(tokens, tokens[1:]))
            speakers.update(a or b for a, b in _SPEAKER.findall(text))
            if record.get("outlet"):
                outlets[record["outlet"]] += 1
        self.words = [w for w, _ in words.most_common(TOP_WORDS)]
        self.pairs = [p for p, _ in pairs.most_common(TOP_PAIRS)]
        self.speakers = [s for s, _ in speakers.most_common(TOP_SPEAKERS)]
        self.outlets = [o for o, _ in outlets.most_common()]

    def text_query(self, rng: random.Random, *, filter_name: str | None) -> str:
        roll = rng.random()
        if roll < 0.55 or not self.pairs:
            query = rng.choice(self.words)
        elif roll < 0.8:
            query = " ".join(rng.choice(self.pairs))
        else:
            query = '"' + " ".join(rng.choice(self.pairs)) + '"'
        if filter_name == "speaker" and self.speakers:
            query += f' speaker:"{rng.choice(self.speakers).split()[-1]}"'
        elif filter_name == "outlet" and self.outlets:
            query += f' outlet:"{rng.choice(self.outlets)}"'
        return query

    def lines(self, command: str, count: int, rng: random.Random) -> list[str]:
        """``count`` typed lines for /search, /claims or /who."""
        if command == "who":
            if not self.speakers:
                return []
            return [f"/who {rng.choice(self.speakers)}" + (f" about:{rng.choice(self.words)}" if rng.random() < 0.3 else "")
                    for _ in range(count)]
        # /search has no speaker filter; /claims takes both.
        filters = ["speaker", "outlet"] if command == "claims" else ["outlet"]
        lines = []
        for _ in range(count):
            roll = rng.random()
            filter_name = filters[int(roll * 10) % len(filters)] if roll < 0.25 else None
            lines.append(f"/{command} {self.text_query(rng, filter_name=filter_name)}")
        return lines
