"""Sentence splitting with offsets that index ``Article.text`` exactly.

spaCy's parser-based sentence boundaries stumble on headlines without a full stop and on
prose glued to a metadata marker, and they would force parsing every sentence. A rule
splitter over the regions that are article prose is both faster and more predictable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from index.limits import MAX_EXTRACTED_CHARS, MAX_EXTRACTED_SENTENCES, MAX_SENTENCE_CHARS
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

# Possessive runs that start only at the first mark of a run: a long run of marks (or of
# closing quotes) is read once, never retried from each of its characters.
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]*)(\S+)")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_QUOTE_THEN_SPEAKER = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|asked|added|told|replied|shouted|wrote)\b"
)
_TERMINAL_MARKS = frozenset(".!?:;…\"'”’)]")


@dataclass(frozen=True)
class Segment:
    """A sentence (or headline) of an article: ``article.text[start:end] == text``."""

    start: int
    end: int
    text: str
    headline: bool
    paragraph: int


def split_article(
    article: Article,
    max_chars: int = MAX_EXTRACTED_CHARS,
    max_sentences: int = MAX_EXTRACTED_SENTENCES,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
) -> list[Segment]:
    """Sentences of the article's prose and headlines, in text order: the first
    ``max_sentences`` of those that end within ``max_chars`` characters of the start and
    are at most ``max_sentence_chars`` long.

    Every step reads the text a bounded number of times, so the work grows linearly
    with the article, and stops at whichever bound comes first.
    """
    kept = (
        Segment(start, end, article.text[start:end], headline, paragraph)
        for start, end, headline, paragraph in _spans(article, max_chars)
        if end - start <= max_sentence_chars
    )
    return list(islice(kept, max_sentences))


def bounds_note(article: Article) -> str:
    """What the bounds of ``split_article`` leave out of claim extraction, for the
    ingest report ('' when nothing)."""
    kept = 0
    too_long = 0
    for start, end, _, _ in _spans(article, MAX_EXTRACTED_CHARS):
        if end - start > MAX_SENTENCE_CHARS:
            too_long += 1
        elif kept == MAX_EXTRACTED_SENTENCES:
            return (f"claims were extracted from the first {MAX_EXTRACTED_SENTENCES:,} sentences only; "
                    "the whole text is stored and searchable")
        else:
            kept += 1
    notes = []
    if len(article.text) > MAX_EXTRACTED_CHARS:
        notes.append(f"claims were extracted from the first {MAX_EXTRACTED_CHARS:,} of "
                     f"{len(article.text):,} characters only; the whole text is stored and searchable")
    if too_long:
        notes.append(f"{too_long:,} passage(s) of over {MAX_SENTENCE_CHARS:,} characters without a "
                     "sentence end yield no claims")
    return "; ".join(notes)


def _spans(article: Article, max_chars: int) -> Iterator[tuple[int, int, bool, int]]:
    """(start, end, headline, paragraph) of every sentence that ends within ``max_chars``."""
    paragraph = 0
    for region_start, region_end, headline in _prose_regions(article):
        if region_start >= max_chars:
            return
        for block_start, block_end in _blocks(article.text, region_start, region_end, max_chars):
            for start, end in _sentences(article.text, block_start, block_end, max_chars):
                yield start, end, headline, paragraph
            paragraph += 1


def _prose_regions(article: Article) -> list[tuple[int, int, bool]]:
    """Stretches of text between span borders, minus excluded spans.

    Every span border is a hard break so that no sentence straddles boilerplate or runs
    from a headline into the body. Borders include every span's ends, so each stretch
    lies wholly inside or wholly outside any span: a running count of the spans open at
    a border says which, in one sweep however many spans there are.
    """
    borders = {0, len(article.text)}
    excluded_delta: dict[int, int] = {}
    headline_delta: dict[int, int] = {}
    for span in article.spans:
        borders.update((span.start, span.end))
        delta = headline_delta if span.kind == "headline" else excluded_delta
        delta[span.start] = delta.get(span.start, 0) + 1
        delta[span.end] = delta.get(span.end, 0) - 1
    ordered = sorted(borders)
    regions = []
    excluded_open = headlines_open = 0
    for start, end in zip(ordered, ordered[1:]):
        excluded_open += excluded_delta.get(start, 0)
        headlines_open += headline_delta.get(start, 0)
        if not excluded_open:
            regions.append((start, end, headlines_open > 0))
    return regions


def _blocks(text: str, start: int, end: int, stop: int) -> list[tuple[int, int]]:
    """Paragraphs: lines, rejoined where a line was hard-wrapped mid-sentence; none
    starting at or after ``stop``."""
    blocks: list[tuple[int, int]] = []
    line_start = start
    pending: tuple[int, int] | None = None
    previous_line = ""
    blank_lines = 0
    while line_start <= end and line_start < stop:
        line_end = text.find("\n", line_start, end)
        if line_end == -1:
            line_end = end
        line = text[line_start:line_end]
        if not line.strip():
            blank_lines += 1
        elif pending and blank_lines == 0 and _continues(previous_line, line):
            pending = (pending[0], line_end)
        else:
            if pending:
                blocks.append(pending)
            pending = (line_start, line_end)
            blank_lines = 0
        if line.strip():
            previous_line = line
        line_start = line_end + 1
    if pending:
        blocks.append(pending)
    return blocks


def _continues(previous_line: str, line: str) -> bool:
    stripped = line.lstrip()
    return previous_line.rstrip()[-1:] not in _TERMINAL_MARKS and stripped[:1].islower()


def _sentences(text: str, start: int, end: int, stop: int) -> list[tuple[int, int]]:
    """Sentences of one block that end by ``stop``; boundaries past it are never read."""
    block = text[start:end]
    cuts = [0]
    for match in _BOUNDARY.finditer(block):
        if start + match.end() > stop:
            break
        if _is_boundary(block, match):
            cuts.append(match.end())
    if end <= stop:
        cuts.append(end - start)
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
        before = _word_before(block, match.start())
        if before and not _period_ends_sentence(before, next_word):
            return False
    if mark[0] in "?!" and mark[-1] in "\"'”’" and _QUOTE_THEN_SPEAKER.match(block, match.end()):
        return False
    return True


def _word_before(block: str, end: int) -> str:
    """The run of letters and dots that ends at ``end``, from its first letter on
    (``U.S`` in "the U.S."), read backwards so that only the run itself is scanned."""
    start = end
    while start > 0 and block[start - 1] in _WORD_CHARS:
        start -= 1
    while start < end and block[start] == ".":
        start += 1
    return block[start:end]


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
