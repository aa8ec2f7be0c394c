"""Counts stated in a sentence: value, interval, hedge and the counted noun.

Interval rules (``low``/``high`` of a Figure):

* exact number N                      -> [N, N], approx False
* about/around/approximately/roughly/some/an estimated/or so N
                                      -> [0.9 N, 1.1 N]
* nearly/almost/close to/just under N -> [0.9 N, N]
* up to/as many as/at most/no more than/fewer than/less than/under N
                                      -> [0, N]
* more than/over/at least/upwards of/in excess of/N-plus/N+
                                      -> [N, 1.5 N]
* a range "between A and B", "A to B", "A-B" -> [A, B], value the midpoint, approx True;
  "10-12,000" borrows the scale of its upper end (10,000-12,000).

Not counts: years, dates, times, ordinals, durations and ages ("24 years",
"18-year-old"), identifiers after a proper noun ("Article 5", "Flight 17"), and a bare
"one". Percentages are kept with unit "percent" because they are checkable figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from index.extract.numbers import NumberMention, find_numbers
from index.models import Figure

_ABOUT = (0.9, 1.1)
_NEARLY = (0.9, 1.0)
_AT_MOST = (0.0, 1.0)
_MORE_THAN = (1.0, 1.5)

_HEDGES_BEFORE: dict[str, tuple[float, float]] = {
    "about": _ABOUT, "around": _ABOUT, "approximately": _ABOUT, "roughly": _ABOUT,
    "some": _ABOUT, "an estimated": _ABOUT, "estimated": _ABOUT, "approx.": _ABOUT,
    "nearly": _NEARLY, "almost": _NEARLY, "close to": _NEARLY, "just under": _NEARLY,
    "up to": _AT_MOST, "as many as": _AT_MOST, "at most": _AT_MOST, "no more than": _AT_MOST,
    "fewer than": _AT_MOST, "less than": _AT_MOST, "under": _AT_MOST,
    "more than": _MORE_THAN, "over": _MORE_THAN, "at least": _MORE_THAN,
    "upwards of": _MORE_THAN, "in excess of": _MORE_THAN, "just over": _MORE_THAN,
    "well over": _MORE_THAN, "no fewer than": _MORE_THAN, "no less than": _MORE_THAN,
}  # fmt: skip
_HEDGE_BEFORE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _HEDGES_BEFORE), key=len, reverse=True)) + r")\s+$",
    re.IGNORECASE,
)
_HEDGE_AFTER = re.compile(r"^(?:\s+or so\b|-plus\b|\+)")
_ABOUT_AFTER = re.compile(r"^\s+or so\b")

_RANGE_JOINERS = re.compile(r"^(?:\s*[-–—]\s*|\s+to\s+)$")
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_RANGING_FROM = re.compile(r"\b(?:rang(?:e|es|ed|ing)|anywhere)\s+from\s+$", re.IGNORECASE)

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s+(?:the\s+)?$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^(?:\s+of)?\s+(?:" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"^(?::\d|\.\d\d\s*(?:am|pm)|\s?(?:am|pm|a\.m\.|p\.m\.|gmt|bst|utc|est|edt|pst|o'clock|hrs)\b)",
    re.IGNORECASE,
)
_GLUED_AFTER = re.compile(r"^(?:[A-Za-z]|-[A-Za-z]|/\d|\.\d)")
_PERCENT_AFTER = re.compile(r"^(?:\s?%|\s+per\s?cent\b|\s+percentage points?\b)", re.IGNORECASE)
_YEAR_PREPOSITIONS = re.compile(
    r"\b(?:in|since|by|from|until|till|before|after|during|of|early|late|mid|around|year)\s+$",
    re.IGNORECASE,
)
_TIME_UNITS = frozenset(
    """year years month months week weeks day days hour hours minute minutes second seconds
    decade decades century centuries night nights weekend weekends term terms season seasons
    yr yrs mins secs""".split()
)
_NOUN_TAGS = frozenset({"NN", "NNS", "NNPS"})
_SKIPPABLE_BEFORE_NOUN = frozenset({"JJ", "JJR", "JJS", "NNP", "HYPH", "VBN", "VBG", "CD", "RB"})


@dataclass(frozen=True)
class _Quantity:
    start: int
    end: int
    value: float
    low: float
    high: float
    approx: bool
    currency: str | None
    first: NumberMention
    last: NumberMention


def find_figures(doc: Doc, offset: int) -> list[Figure]:
    """Figures in a parsed sentence; ``offset`` is where ``doc.text`` starts in the article."""
    text = doc.text
    figures = []
    for quantity in _quantities(text, find_numbers(text)):
        if _is_not_a_count(text, quantity) or _follows_a_name(doc, quantity):
            continue
        percent = _PERCENT_AFTER.match(text[quantity.end :])
        unit = "percent" if percent else quantity.currency or _counted_noun(doc, quantity)
        if unit in _TIME_UNITS:
            continue
        if _looks_like_year(text, doc, quantity, unit):
            continue
        if unit is None and ((quantity.first.spelled and not quantity.first.has_scale) or quantity.high < 10):
            continue  # "two of them", list markers: too vague to check
        start, end, low, high, approx = _apply_hedges(text, quantity)
        between = _BETWEEN.search(text[:start])
        if quantity.first is not quantity.last and between:
            start = between.start()
        if percent:
            end = max(end, quantity.end + percent.end())
        figures.append(
            Figure(
                value=_tidy(quantity.value),
                low=_tidy(low),
                high=_tidy(high),
                unit=unit,
                approx=approx,
                text=text[start:end],
                start=offset + start,
                end=offset + end,
            )
        )
    return figures


def _tidy(number: float) -> float:
    """Drop float noise from the hedge factors: 11,000 * 1.1 is 12100, not 12100.000000000002."""
    return round(number, 6)


def _quantities(text: str, numbers: list[NumberMention]) -> list[_Quantity]:
    """Numbers, with ranges ("between A and B", "A-B", "A to B") joined into one."""
    quantities = []
    i = 0
    while i < len(numbers):
        first = numbers[i]
        second = numbers[i + 1] if i + 1 < len(numbers) else None
        if second and _joined_as_range(text, first, second):
            low = _rescaled_low(first, second)
            if low < second.value:
                quantities.append(
                    _Quantity(
                        first.start, second.end, (low + second.value) / 2, low, second.value,
                        True, first.currency or second.currency, first, second,
                    )
                )  # fmt: skip
                i += 2
                continue
            if text[first.end : second.start].strip() in "-–—":
                i += 2  # a score ("3-1"), not a range and not two counts
                continue
        quantities.append(
            _Quantity(
                first.start, first.end, first.value, first.value, first.value,
                False, first.currency, first, first,
            )
        )  # fmt: skip
        i += 1
    return quantities


def _joined_as_range(text: str, first: NumberMention, second: NumberMention) -> bool:
    between = text[first.end : second.start]
    before = text[: first.start]
    if _BETWEEN.search(before):
        return between.strip().lower() == "and"
    if _FROM.search(before) and not _RANGING_FROM.search(before):
        return False  # "rose from 10 to 12" is a change, not an interval
    return bool(_RANGE_JOINERS.match(between))


def _rescaled_low(first: NumberMention, second: NumberMention) -> float:
    """"10-12,000" means 10,000 to 12,000: the lower end borrows the upper end's scale."""
    if first.multiplier == 1 and second.multiplier > 1 and not first.spelled:
        if first.value <= second.value / second.multiplier:
            return first.value * second.multiplier
    return first.value


def _is_not_a_count(text: str, quantity: _Quantity) -> bool:
    after = text[quantity.end :]
    before = text[: quantity.start]
    if _GLUED_AFTER.match(after) and not _HEDGE_AFTER.match(after):
        return True  # ordinals, "18-year-old", "5G", "9/11", "2.30pm"
    if _TIME_AFTER.match(after) or _MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before):
        return True
    if quantity.first.spelled and quantity.first.value == 1 and not quantity.first.has_scale:
        return True  # "one of", "one day": rarely a count worth checking
    if quantity.first.spelled and quantity.start > 0 and text[quantity.start].isupper():
        return True  # part of a name: "the Six Nations", "Big Four"
    if before.rstrip().endswith(",") and after.startswith(",") and quantity.first.value < 130:
        return True  # an age after a name: "Jane Roe, 45, said"
    return before.rstrip().lower().endswith(("no.", "number", "#", "aged", "age"))


def _follows_a_name(doc: Doc, quantity: _Quantity) -> bool:
    """Identifiers: "Article 5", "Flight 17", "Route 9" number things rather than count them."""
    if quantity.currency or _HEDGE_BEFORE.search(doc.text[: quantity.start]):
        return False
    span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    previous = doc[span.start - 1]
    return previous.tag_ in ("NNP", "NNPS") and previous.text[:1].isupper()


def _looks_like_year(text: str, doc: Doc, quantity: _Quantity, unit: str | None) -> bool:
    number = quantity.first
    if number.has_scale or number.spelled or number.currency:
        return False
    raw = text[number.start : number.end]
    if not (raw.isdigit() and len(raw) == 4 and 1800 <= number.value <= 2100):
        return False
    return unit is None or bool(_YEAR_PREPOSITIONS.search(text[: quantity.start]))


def _apply_hedges(text: str, quantity: _Quantity) -> tuple[int, int, float, float, bool]:
    start, end = quantity.start, quantity.end
    low, high, approx = quantity.low, quantity.high, quantity.approx
    before = _HEDGE_BEFORE.search(text[: quantity.start])
    after = _HEDGE_AFTER.match(text[quantity.end :])
    factors = None
    if before:
        factors = _HEDGES_BEFORE[before.group(1).lower()]
        start = before.start(1)
    if after:
        factors = _ABOUT if _ABOUT_AFTER.match(after.group()) else _MORE_THAN
        end = quantity.end + after.end()
    if factors:
        low, high, approx = low * factors[0], high * factors[1], True
    return start, end, low, high, approx


def _counted_noun(doc: Doc, quantity: _Quantity) -> str | None:
    """The noun being counted, skipping adjectives: "13,500 Ostrian infantry troops"."""
    span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if span is None or span.end >= len(doc):
        return None
    last = span[-1]
    following = doc[span.end]
    if following.lower_ == "of":
        objects = [c for c in following.children if c.dep_ == "pobj"]
        if objects and objects[0].tag_ in _NOUN_TAGS:
            return objects[0].lower_
        return None
    head = last.head
    if head.i > last.i and head.tag_ in _NOUN_TAGS and head.i - last.i <= 6:
        return _through_compounds(head).lower_
    return _scan_for_noun(doc, span.end)


def _through_compounds(noun: Token) -> Token:
    """From "forces" in "special forces troops" up to the head noun "troops"."""
    while noun.dep_ == "compound" and noun.head.i > noun.i and noun.head.tag_ in _NOUN_TAGS:
        noun = noun.head
    return noun


def _scan_for_noun(doc: Doc, index: int) -> str | None:
    last_noun: Token | None = None
    for token in doc[index : index + 7]:
        if token.tag_ in _NOUN_TAGS:
            last_noun = token
        elif last_noun is not None or token.tag_ not in _SKIPPABLE_BEFORE_NOUN:
            break
    return last_noun.lower_ if last_noun is not None else None
