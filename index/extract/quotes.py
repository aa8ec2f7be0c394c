"""Where quotations open and close, within a sentence and across the sentences of a paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from index.extract.segment import Segment

_OPENING = "“"
_CLOSING = "”"
_STRAIGHT = '"'


@dataclass(frozen=True)
class QuoteState:
    """How a sentence sits relative to quotations in its paragraph."""

    spans: tuple[tuple[int, int], ...]  # quoted stretches, offsets local to the sentence
    starts_inside: bool  # the sentence starts inside a quotation opened earlier
    ends_inside: bool  # the sentence ends inside a quotation that goes on

    def quoted(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.spans)


def quote_states(segments: list[Segment]) -> list[QuoteState]:
    """Quotation state of each sentence, carried across the sentences of one paragraph."""
    states = []
    inside = False
    paragraph = None
    for segment in segments:
        if segment.paragraph != paragraph:
            inside = False  # a quotation running on reopens with a mark in the next paragraph
            paragraph = segment.paragraph
        started_inside = inside
        spans, inside = _scan(segment.text, inside)
        states.append(QuoteState(tuple(spans), started_inside, inside))
    return states


def mostly_quoted(text: str, state: QuoteState) -> bool:
    quoted = sum(b - a for a, b in state.spans)
    return quoted >= 0.5 * len(text.strip())


def quotation_runs(segments: list[Segment], states: list[QuoteState]) -> list[list[int]]:
    """Indices of sentences that belong to one quotation, for runs of two or more sentences.

    News style reopens a quotation at the start of each paragraph it runs over, so a
    quotation left open at a paragraph's end goes on if the next paragraph opens with a mark.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    for i, (segment, state) in enumerate(zip(segments, states)):
        if current and not _continues(segments[i - 1], states[i - 1], segment):
            if len(current) > 1:
                runs.append(current)
            current = []
        if state.spans or state.starts_inside:
            current.append(i)
    if len(current) > 1:
        runs.append(current)
    return runs


def _continues(previous: Segment, previous_state: QuoteState, segment: Segment) -> bool:
    if not previous_state.ends_inside:
        return False
    if segment.paragraph == previous.paragraph:
        return True
    return segment.text.lstrip()[:1] in (_OPENING, _STRAIGHT)


def _scan(text: str, inside: bool) -> tuple[list[tuple[int, int]], bool]:
    """Quoted stretches, with marks read by their context rather than toggled.

    A straight mark after a space opens and one before a space or punctuation closes; an
    opening mark met inside a quotation starts a new one, because news style reopens a
    quotation for each paragraph it runs over and never closes the earlier ones, and
    those paragraphs are often run together on one line.
    """
    text = text.replace("''", '" ')  # typewriter quotes ('' ... ''); same length keeps offsets
    spans: list[tuple[int, int]] = []
    start = 0 if inside else None
    for i, ch in enumerate(text):
        if ch not in (_OPENING, _CLOSING, _STRAIGHT):
            continue
        closes = ch == _CLOSING or (ch == _STRAIGHT and start is not None and _closing_context(text, i))
        if closes and start is not None:
            if i > start:
                spans.append((start, i))
            start = None
        elif ch != _CLOSING:
            if start is not None and i > start:
                spans.append((start, i))
            start = i + 1
    if start is not None and start < len(text):
        spans.append((start, len(text)))
    return spans, start is not None


def _closing_context(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-")
