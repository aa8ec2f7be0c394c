"""Sentence splitting with offsets that index ``Article.text`` exactly.

spaCy's parser-based sentence boundaries stumble on headlines without a full stop and on
prose glued to a metadata marker, and they would force parsing every sentence. A rule
splitter over the regions that are article prose is both faster and more predictable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import Article

# Abbreviations that are always followed by more of the same sentence (titles, "No. 5").
_BINDING_ABBREVIATIONS = frozenset(
    """mr mrs ms dr gen gens lt col sgt capt cpt maj adm cmdr brig gov sen sens rep reps rev
    prof st mt pres sec supt insp det hon fr sr jr no nos vs v cf approx est dept ft fig vol
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Abbreviations that may also end a sentence: a boundary only if a typical sentence opener follows.
_AMBIGUOUS_ABBREVIATIONS = frozenset("inc corp co ltd plc bros etc al a.m p.m".split())
_SENTENCE_OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there
    but and so yet or in on at for after before when while if as since although though
    however meanwhile still then now mr mrs ms dr""".split()
)

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]*)(\S+)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_QUOTE_THEN_SPEAKER = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|asked|added|told|replied|shouted|wrote)\b"
)
_TERMINAL = re.compile(r"[.!?:;…\"'”’)\]]\s*$")


@dataclass(frozen=True)
class Segment:
    """A sentence (or headline) of an article: ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str
    headline: bool
    paragraph: int


def split_article(article: Article) -> list[Segment]:
    """Sentences of the article's prose and headlines, in text order."""
    segments: list[Segment] = []
    paragraph = 0
    for region_start, region_end, headline in _prose_regions(article):
        for block_start, block_end in _blocks(article.text, region_start, region_end):
            for start, end in _sentences(article.text, block_start, block_end):
                segments.append(Segment(start, end, article.text[start:end], headline, paragraph))
            paragraph += 1
    return segments


def _prose_regions(article: Article) -> list[tuple[int, int, bool]]:
    """Stretches of text between span borders, minus excluded spans.

    Every span border is a hard break so that no sentence straddles boilerplate or runs
    from a headline into the body.
    """
    text_length = len(article.text)
    borders = {0, text_length}
    for span in article.spans:
        borders.update((span.start, span.end))
    excluded = article.excluded_spans()
    headlines = [s for s in article.spans if s.kind == "headline"]
    ordered = sorted(borders)
    regions = []
    for start, end in zip(ordered, ordered[1:]):
        if any(s.start <= start and end <= s.end for s in excluded):
            continue
        headline = any(s.start <= start and end <= s.end for s in headlines)
        regions.append((start, end, headline))
    return regions


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs: lines, rejoined where a line was hard-wrapped mid-sentence."""
    blocks: list[tuple[int, int]] = []
    line_start = start
    pending: tuple[int, int] | None = None
    blank_lines = 0
    for line_end in [m.start() for m in re.finditer("\n", text[start:end])] + [end - start]:
        line_end += start
        line = text[line_start:line_end]
        if not line.strip():
            blank_lines += 1
        elif pending and blank_lines == 0 and _continues(text[pending[0] : pending[1]], line):
            pending = (pending[0], line_end)
        else:
            if pending:
                blocks.append(pending)
            pending = (line_start, line_end)
            blank_lines = 0
        line_start = line_end + 1
    if pending:
        blocks.append(pending)
    return blocks


def _continues(previous_line: str, line: str) -> bool:
    stripped = line.lstrip()
    return not _TERMINAL.search(previous_line) and stripped[:1].islower()


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    cuts = [0]
    for match in _BOUNDARY.finditer(block):
        if _is_boundary(block, match):
            cuts.append(match.end())
    cuts.append(len(block))
    sentences = []
    for a, b in zip(cuts, cuts[1:]):
        piece = block[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if piece.strip():
            sentences.append((start + a + lead, start + b - trail))
    return sentences


def _is_boundary(block: str, match: re.Match[str]) -> bool:
    following = _NEXT_START.match(block, match.end())
    if not following:
        return False
    opener, next_word = following.group(1), following.group(2)
    first = next_word[0]
    if not (first.isupper() or first.isdigit() or (opener and first.isalnum())):
        return False
    mark = match.group()
    if mark[0] == "." and len(mark.rstrip("\"'”’)]")) == 1:
        before = _WORD_BEFORE.search(block, 0, match.start())
        if before and not _period_ends_sentence(before.group(1), next_word):
            return False
    if mark[0] in "?!" and mark[-1] in "\"'”’" and _QUOTE_THEN_SPEAKER.match(block, match.end()):
        return False
    return True


def _period_ends_sentence(word_before: str, next_word: str) -> bool:
    key = word_before.lower().rstrip(".")
    opener = next_word.strip("\"'“‘(").lower()
    if key in _BINDING_ABBREVIATIONS:
        return False
    if len(word_before) == 1 and word_before.isupper():
        return False  # an initial: "John F. Kennedy"
    if key in _AMBIGUOUS_ABBREVIATIONS or "." in key:  # dotted acronyms: U.S., U.N.
        return opener in _SENTENCE_OPENERS
    return True
