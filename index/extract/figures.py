"""Every number stated in a sentence, as a typed reading: value interval, kind, counted
thing, predicate, stage, part of a whole, negation (see ``docs/extraction.md``).

Interval rules (``low``/``high`` of a Figure; ``bound`` says which rule gave them):

* exact number N                      -> [N, N]                        bound "exact"
* N written with a scale word ("$43 million", "1.5 million") or a percentage ("36%") is
  rounded or cut off at its last written digit -> [N - step/2, N + step)  bound "rounded"
  ("$43 million": 42.5 to 44 million, so it agrees with "$43,885,310"); with one
  significant digit, about that figure: "$2bn" -> [1.8bn, 2.2bn], "$1T" -> [0.9T, 1.1T]
* about/around/approximately/roughly/some/an estimated/or so N
                                      -> [0.9 N, 1.1 N]                bound "about"
* nearly/almost/close to/just under N -> [0.9 N, N]                    bound "upper"
* up to/as many as/at most/no more than/fewer than/less than/under N
                                      -> [0.5 N, N]                    bound "upper"
* more than/over/at least/upwards of/in excess of/N-plus/N+
                                      -> [N, 1.5 N]                    bound "lower"
* a range "between A and B", "A to B", "A-B" -> [A, B], value the midpoint, bound "range";
  "10-12,000" borrows the scale of its upper end (10,000-12,000).

A hedge widens the rounding interval, never narrows it. Percentages are hedged in
points, not in proportion: "about 36%" is [35, 37]. Two upper bounds ("up to 1.6
million", "as many as 1.5 million") are compared by their stated values, which is why
``bound`` is kept: their intervals overlap, their claims differ.

Kinds: the surface decides what the parse cannot (a currency sign, "%", "p.m.", a month,
"-year-old", a glued ordinal), then the parse: the counted noun's lemma decides duration,
distance, money and measures; a number after a name is an identifier; a 4-digit number
that counts nothing is a year. Only counts, money and percentages are groupable.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from index.extract.derived import derived_counts
from index.extract.implied import implied_counts
from index.extract.lemmas import lemma
from index.extract.nlp import get_nlp, parse_syntax
from index.extract.numbers import NumberMention, find_numbers
from index.extract.readings import Reading, read
from index.models import Figure, QuantityKind
from index.vocabulary import (
    CURRENCY_NOUNS,
    DISTANCE_UNITS,
    FREQUENCY_NOUNS,
    MEASURE_UNITS,
    STREET_WORDS,
    TIME_UNITS,
    is_outcome,
    names_people,
    predicate_family,
)

_ABOUT = (0.9, 1.1)
_NEARLY = (0.9, 1.0)
_AT_MOST = (0.5, 1.0)
_MORE_THAN = (1.0, 1.5)
# Percentages are hedged in points: "about 36%" is 35-37, not 32.4-39.6.
_PERCENT_POINTS = {_ABOUT: (-1.0, 1.0), _NEARLY: (-1.0, 0.0), _AT_MOST: (-5.0, 0.0), _MORE_THAN: (0.0, 2.0)}
_BOUNDS = {_ABOUT: "about", _NEARLY: "upper", _AT_MOST: "upper", _MORE_THAN: "lower"}

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
_BY = re.compile(r"\bby\s+$", re.IGNORECASE)
# How many times its lower end the upper end of a range may be where a change reads as
# well ("by $3.8m to $4.9m" is a range, "by 296,000 to 28.52 million" a step and a level).
_RANGE_SPREAD = 3
_RANGING_FROM = re.compile(r"\b(?:rang(?:e|es|ed|ing)|anywhere)\s+from\s+$", re.IGNORECASE)

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_MONTH_BEFORE = re.compile(
    r"\b(?:" + "|".join(_MONTHS) + r")\.?\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?$", re.IGNORECASE
)  # "May 5", "5 May", and the year of "November 18, 2016"
_MONTH_AFTER = re.compile(r"^(?:(?:st|nd|rd|th)?(?:\s+of)?)\s+(?:" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"^(?::\d|\.\d\d\s*(?:am|pm)|\s?(?:am|pm|a\.m\.?|p\.m\.?|gmt|bst|utc|est|edt|cst|cdt|pst|pdt|o'clock|hrs)(?![\w]))",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^(?:-|\s)(?:years?|months?|weeks?)[-\s]old\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s+$", re.IGNORECASE)
_GLUED_WORD = re.compile(r"^-(?P<word>[A-Za-z]+)\b")  # "48-page", "35-word", "10-mile"
_GLUED_AFTER = re.compile(r"^(?:[A-Za-z]|/\d|\.\d)")  # "5G", "9/11", "2.30"
_PERCENT_AFTER = re.compile(r"^(?:\s?%|\s+per\s?cent\b|\s+percentage points?\b)", re.IGNORECASE)
_TIMES_AFTER = re.compile(r"^\s+times\b", re.IGNORECASE)
_IDENTIFIER_BEFORE = re.compile(r"(?:\bno\.|\bnumber|#)\s*$", re.IGNORECASE)
# Phone numbers and codes: "1-866-845-TIPS", "555-0134", "4/door".
_CODE_AFTER = re.compile(r"^-(?:\d|[A-Z]{2})")
# A number hyphenated onto a word is part of a name or a model number: "COVID-19",
# "G-7", "F-35", "Route-66".
_NAME_HYPHEN_BEFORE = re.compile(r"[^\W\d_]-$")
_YEAR_PREPOSITIONS = re.compile(
    r"\b(?:in|since|by|from|until|till|before|after|during|of|early|late|mid|around|year|through)\s+$",
    re.IGNORECASE,
)
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
_OPENING_MARKS = " \t\"“‘'(["
_WINDOW = 40  # characters read before a number for the words that qualify it
_LETTER = re.compile(r"[^\W\d_]")
# Characters after which a capitalised word opens a clause: a label's colon, a dateline's
# dash, an opening bracket or quotation mark, or the full stop of a sentence run on
# without a space ("police said.Four people were hurt", as scraped pages have it).
_CLAUSE_OPENERS = frozenset(":;—–-(\"“‘'.!?")


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
    score: bool = False


def find_figures(doc: Doc, offset: int) -> list[Figure]:
    """Figures in a parsed sentence; ``offset`` is where ``doc.text`` starts in the article.

    A title-case headline ("Police: 3 Dead, 2 Hurt In Overnight Shooting") is read from a
    parse of its sentence-case copy, which the small model parses far better; the copy
    keeps every offset, and every text a figure holds is taken from the original. Kinds
    that capitals decide (an address before a street name) are taken from the original."""
    capitals = _all_capitals(doc)
    if not capitals and not _title_case(doc):
        return _figures(doc, offset)
    # The capitals still tell addresses, ages and dates ("Shooting At 8535 Martin Luther
    # King Boulevard"): a number the original reads as one of those stays so.
    as_written = {f.start: f for f in _figures(doc, offset) if f.kind not in ("count", "other")}
    original = doc.text
    return [
        as_written.get(f.start) or _with_text_of(f, original, offset)
        for f in _figures(_sentence_case(doc, capitals), offset)
    ]


def _sentence_case(doc: Doc, capitals: bool = False) -> Doc:
    """The sentence with capitalised words after the first lowercased (acronyms and
    letters whose lowercase is longer kept), parsed afresh. A sentence written all in
    capitals has every word lowercased but the first one's initial (acronyms cannot be
    told apart there)."""

    def cased(i: int, word: str) -> str:
        if len(word.lower()) != len(word):
            return word
        if capitals and word.isupper():
            return word.capitalize() if i == 0 else word.lower()
        return word.lower() if i and word[:1].isupper() and word[1:].islower() else word

    words = [cased(i, t.text) for i, t in enumerate(doc)]
    return parse_syntax(Doc(get_nlp().vocab, words=words, spaces=[bool(t.whitespace_) for t in doc]))


def _with_text_of(figure: Figure, original: str, offset: int) -> Figure:
    def verbatim(start: int, end: int) -> str:
        return original[start - offset : end - offset]

    terms = [t.model_copy(update={"text": verbatim(t.start, t.end)}) for t in figure.derived_from]
    return figure.model_copy(update={"text": verbatim(figure.start, figure.end), "derived_from": terms})


def _figures(doc: Doc, offset: int) -> list[Figure]:
    text = doc.text
    starts = [token.idx for token in doc]
    figures = []
    for quantity in _quantities(text, find_numbers(text)):
        figure = _figure(doc, text, starts, quantity)
        if figure is not None:
            figures.append(figure)
    for start, end, value, reading in implied_counts(doc, text):
        figures.append(_implied_figure(text, start, end, value, reading))
    figures.sort(key=lambda f: f.start)
    figures += derived_counts(doc, figures)
    return [_shifted(f, offset) for f in figures]


def _shifted(figure: Figure, offset: int) -> Figure:
    """The figure with offsets into the article rather than the sentence."""
    terms = [t.model_copy(update={"start": t.start + offset, "end": t.end + offset}) for t in figure.derived_from]
    return figure.model_copy(update={"start": figure.start + offset, "end": figure.end + offset, "derived_from": terms})


def _implied_figure(text: str, start: int, end: int, value: float, reading: Reading) -> Figure:
    return Figure(
        value=value,
        low=value,
        high=value,
        unit=reading.counted_token.lower_ if reading.counted_token is not None else "people",
        text=text[start:end],
        start=start,
        end=end,
        **reading.figure_fields(),
    )


def _tokens(doc: Doc, starts: list[int], start: int, end: int) -> Span | None:
    """The tokens covering ``doc.text[start:end]`` (``Doc.char_span`` with "expand", which
    walks the whole sentence on every call)."""
    first = bisect_right(starts, start) - 1
    last = bisect_left(starts, end)
    return doc[first:last] if 0 <= first < last else None


def _figure(doc: Doc, text: str, starts: list[int], quantity: _Quantity) -> Figure | None:
    # ``text`` is ``doc.text``, passed along: spaCy rebuilds that string on every access.
    span = _tokens(doc, starts, quantity.start, quantity.end)
    if span is None:
        return None
    after = text[quantity.end :]
    glued = _GLUED_WORD.match(after)
    kind = _surface_kind(text, quantity)
    percent = _PERCENT_AFTER.match(after)
    if kind == "percent" and percent:
        # The sign or word is the head of "36% of voters": read from it.
        span = _tokens(doc, starts, quantity.start, quantity.end + percent.end()) or span
    if kind is None and _GLUED_AFTER.match(after) and not _HEDGE_AFTER.match(after):
        return None  # "5G", "9/11", "MH17": not a number in the news sense
    reading = read(span, glued=bool(glued), amount=kind is not None) if kind in (None, "percent", "money") else Reading()
    if kind is None:
        kind = _parsed_kind(doc, text, span, quantity, reading, glued)
    if kind != "percent" and glued is not None and reading.counted is None:
        reading.counted = glued.group("word").lower()
    if kind == "money":
        _size_of_thing(reading)
    if kind == "count" and _too_vague(quantity, reading):
        return None
    if kind == "percent" and reading.counted in ("%", "percent", "per", "cent", "point"):
        reading.counted = reading.counted_family = None
        reading.counted_token = None
    if kind == "percent":
        # "52% of the vote" names the base of a rate, not a whole it is a part of: rates
        # are compared with rates ("52%" against "49% of the vote").
        reading.part, reading.whole = False, None
    start, end, low, high, approx, bound = _interval(text, quantity, kind)
    if kind == "percent" and percent:
        end = max(end, quantity.end + percent.end())
    return Figure(
        value=_tidy(quantity.value),
        low=_tidy(low),
        high=_tidy(high),
        unit=_unit(kind, quantity, reading),
        approx=approx,
        text=text[start:end],
        start=start,
        end=end,
        kind=kind,
        **reading.figure_fields(),
        vague=quantity.first.vague,
        bound=bound,
    )


def _size_of_thing(reading: Reading) -> None:
    """An amount modifying a noun ("a $1.2 trillion package", "a $10,000 reward") counts
    money, and states the size of that thing: the noun is what the amount measures, the
    verb says what happened to the thing ("unveiled", "passed"), not to the money."""
    noun = reading.counted
    if noun is None or noun in CURRENCY_NOUNS:
        return
    reading.predicate, reading.predicate_family = noun, predicate_family(noun)
    reading.counted = reading.counted_family = reading.counted_token = None
    reading.stage = "unknown"


def _unit(kind: QuantityKind, quantity: _Quantity, reading: Reading) -> str | None:
    """The unit as shown: the counted noun as written, a currency, or "percent"."""
    if kind == "percent":
        return "percent"
    if kind == "money":
        return quantity.currency or CURRENCY_NOUNS.get(reading.counted or "")
    if kind == "count" and reading.counted_token is not None:
        return reading.counted_token.lower_
    return None


def _too_vague(quantity: _Quantity, reading: Reading) -> bool:
    """A small or spelled number that counts nothing and of which nothing is said
    ("one of the best", list markers): nothing to check."""
    if reading.counted is not None or reading.predicate_family is not None or reading.part:
        return False
    return (quantity.first.spelled and not quantity.first.has_scale) or quantity.high < 10


def _window(text: str, end: int) -> str:
    """The text just before ``end``: the words that can qualify a number ("no more than",
    "between", "since"), without making every pattern scan the whole sentence."""
    return text[max(0, end - _WINDOW) : end]


def _tidy(number: float) -> float:
    """Drop float noise from the hedge factors: 11,000 * 1.1 is 12100, not 12100.000000000002."""
    return round(number, 6)


def _surface_kind(text: str, quantity: _Quantity) -> QuantityKind | None:
    """Kinds that the characters around the number decide."""
    after = text[quantity.end :]
    before = _window(text, quantity.start)
    if quantity.score:
        return "score"
    if _PERCENT_AFTER.match(after):
        return "percent"
    if quantity.currency:
        return "money"
    if _TIME_AFTER.match(after):
        return "time"
    if _MONTH_AFTER.match(after) or _MONTH_BEFORE.search(before):
        return "date"
    if _ORDINAL_AFTER.match(after):
        return "ordinal"
    if _AGE_AFTER.match(after) or _AGE_BEFORE.search(before):
        return "age"
    if _IDENTIFIER_BEFORE.search(before) or _CODE_AFTER.match(after) or _NAME_HYPHEN_BEFORE.search(before):
        return "other"
    if _TIMES_AFTER.match(after):
        return "other"  # "four times as many vehicles", "shot five times": a multiple or how often
    return None


def _parsed_kind(doc: Doc, text: str, span: Span, quantity: _Quantity, reading: Reading, glued: re.Match[str] | None) -> QuantityKind:
    counted = reading.counted or (glued.group("word").lower() if glued else None)
    number = quantity.first
    if counted in CURRENCY_NOUNS:
        return "money"
    if counted in TIME_UNITS:
        return "duration"
    if counted == "block" or _before_street_name(doc, span):
        return "address"
    if counted in DISTANCE_UNITS:
        return "distance"
    if counted in MEASURE_UNITS or counted in FREQUENCY_NOUNS:
        return "other"
    if _looks_like_year(text, quantity, reading):
        return "year"
    # "Local News One dead": a number followed by what happened to it is no name's part.
    happened = _said_to_have_happened(doc, span, reading)
    if number.spelled and text[quantity.start].isupper() and not _starts_clause(text, quantity.start) and not happened:
        return "other"  # part of a name: "the Six Nations", "Big Four"
    if quantity.value == 1 and _one_of_the_most(reading):
        return "other"  # "one of the most disappointing reports": a ranking, not a count
    if _names_before(span, reading):
        return "other"  # "Flight 17", "Article 5": a count comes before its noun
    if _modifies_a_modifier(span, reading) or _names_after(span, reading, quantity):
        return "other"  # "a 100 day mark", "the two party consensus", "6 Music", "50 Cent"
    if _rank_or_base(doc, span):
        return "other"  # "the top 20", "one in 10 voters"
    if _age_after_name(doc, span, quantity) or _ages_of_people(span, quantity, reading):
        return "age"
    if _follows_a_name(doc, text, span, quantity) and not happened:
        return "other"  # an identifier: "Article 5", "Flight 17", "Route 9"
    return "count"


def _starts_clause(text: str, start: int) -> bool:
    """Whether a capitalised word at ``start`` is capitalised because it opens the text
    or a clause after a label or dateline ("Police: Two dead", "HARWICK -- Four people
    were hurt"), not because it is part of a name."""
    before = text[:start].rstrip()
    return not _LETTER.search(before) or before[-1] in _CLAUSE_OPENERS


def _said_to_have_happened(doc: Doc, span: Span, reading: Reading) -> bool:
    """"Local News One dead, three wounded": a capitalised number word whose very next
    word is what happened to it, an event that happens to people, counts them; a name
    ("the Six Nations") is not followed by its own outcome. (Web pages run a section
    label into the headline without punctuation.)"""
    following = doc[span.end] if span.end < len(doc) else None
    return following is not None and is_outcome(reading.predicate_family) and lemma(following) == reading.predicate


def _before_street_name(doc: Doc, span: Span) -> bool:
    """"300 West Main Street": a number followed by a name that ends in a street word."""
    for token in doc[span.end : span.end + 5]:
        if token.lower_.rstrip(".") in STREET_WORDS and token.text[:1].isupper():
            return token.i > span.end
        if token.tag_ not in _PROPER_TAGS and not _ORDINAL_AFTER.match(token.text.lstrip("0123456789")):
            return False
    return False


def _one_of_the_most(reading: Reading) -> bool:
    """A part of a superlative group ("one of the best players", "one of the most
    disappointing jobs reports") ranks something; it counts nothing."""
    token = reading.counted_token
    if not reading.part or token is None:
        return False
    return any(c.tag_ == "JJS" or any(g.lower_ in ("most", "least") for g in c.children) for c in token.children)


def _modifies_a_modifier(span: Span, reading: Reading) -> bool:
    """A number on a singular noun that itself modifies a singular noun describes the
    thing, it does not count it: "a 100 day mark", "the two party consensus", "four star
    petrol", "the 2016 homicide list". ("2,000 flight cancellations" counts: its noun is
    plural; "80 staff" counts: the number's own noun is the counted one.)"""
    token = reading.counted_token
    root = _number_token(span)
    if token is None or root is None or root.dep_ != "nummod" or root.head.i == token.i:
        return False
    return root.head.tag_ in ("NN", "NNP") and token.tag_ in ("NN", "NNP")


def _names_after(span: Span, reading: Reading, quantity: _Quantity) -> bool:
    """A number right before a singular proper noun it modifies is part of a name: "6
    Music", "50 Cent" (a count of people of a nation is plural: "40 Britons")."""
    root = _number_token(span)
    if root is None or quantity.value == 1 or quantity.currency or reading.counted_token is not None:
        return False
    name = root.head
    if name.dep_ in ("compound", "nmod") and name.head.tag_ in ("NNS", "NNPS") or any(
        t.tag_ in ("NNS", "NNPS") for t in name.subtree
    ):
        return False  # "Five Bank of America subsidiaries" counts subsidiaries
    return root.dep_ == "nummod" and name.tag_ == "NNP" and name.i == root.i + 1


def _rank_or_base(doc: Doc, span: Span) -> bool:
    """A number after "top" ranks ("the top 20", "a top five carmaker"); the number after
    "one in" or "out of" is the base of a rate ("one in 10 voters", "four out of 10"),
    not a count of voters."""
    if span.start == 0:
        return False
    before = doc[span.start - 1]
    if before.lower_ in ("top", "bottom"):
        return True
    if before.lower_ == "the" and span.start >= 3 and [t.lower_ for t in doc[span.start - 3 : span.start - 1]] == ["out", "of"]:
        return True  # "16 out of the 20 titles": the base the part is of
    if before.lower_ == "of" and span.start >= 2 and doc[span.start - 2].lower_ == "out":
        return True  # "four out of 10 voters"
    return before.lower_ == "in" and span.start >= 2 and doc[span.start - 2].tag_ == "CD"


def _number_token(span: Span) -> Token | None:
    return next((t for t in reversed(span) if t.tag_ == "CD"), None)


def _names_before(span: Span, reading: Reading) -> bool:
    """The number is a modifier of a noun that comes before it: an identifier."""
    token = reading.counted_token
    return token is not None and token.i < span.start and any(t.dep_ == "nummod" and t.head.i == token.i for t in span)


def _age_after_name(doc: Doc, span: Span, quantity: _Quantity) -> bool:
    """"Jane Roe, 45, of Springfield": a small number set off by commas after a name."""
    if quantity.first.spelled or quantity.value >= 120 or span.start < 2 or span.end >= len(doc):
        return False
    return doc[span.start - 1].text == "," and doc[span.start - 2].tag_ in _PROPER_TAGS and doc[span.end].text in (",", ".", ";")


def _ages_of_people(span: Span, quantity: _Quantity, reading: Reading) -> bool:
    """"Two men, 26 and 21, were shot": small bare numbers set beside a noun of people
    (in apposition, or joined to one that is) are their ages."""
    if quantity.first.spelled or quantity.value >= 120 or reading.counted is not None:
        return False
    token = span[-1]
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.dep_ == "appos" and names_people(lemma(token.head))


def _follows_a_name(doc: Doc, text: str, span: Span, quantity: _Quantity) -> bool:
    if quantity.currency or _HEDGE_BEFORE.search(_window(text, quantity.start)) or span.start == 0:
        return False
    previous = doc[span.start - 1]
    if _title_case(doc):
        return False  # "Airline Cancels 1,800 Flights": capitals of a headline, not a name
    return previous.tag_ in _PROPER_TAGS and previous.text[:1].isupper()


def _all_capitals(doc: Doc) -> bool:
    """A sentence written in capitals ("POLICE SAY TWO MEN WERE SHOT"), as some
    transcripts and page furniture are: the small model reads every word as a name."""
    words = [t.text for t in doc if t.is_alpha and len(t.text) > 1]
    return len(words) >= 3 and sum(w.isupper() for w in words) >= 0.8 * len(words)


def _title_case(doc: Doc) -> bool:
    """A headline written in title case: nearly every longer word capitalised."""
    words = [t.text for t in doc[1:] if t.is_alpha and len(t.text) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _looks_like_year(text: str, quantity: _Quantity, reading: Reading) -> bool:
    for number in {quantity.first, quantity.last}:
        raw = text[number.start : number.end]
        if number.currency or not (raw.isdigit() and len(raw) == 4 and 1800 <= number.value <= 2100):
            return False
    if not text[: quantity.start].strip(_OPENING_MARKS):
        return True  # news style spells out a count that opens a sentence, never a year
    token = reading.counted_token
    counts_plural = token is not None and token.tag_ == "NNS"
    return not counts_plural or bool(_YEAR_PREPOSITIONS.search(_window(text, quantity.start)))


def _quantities(text: str, numbers: list[NumberMention]) -> list[_Quantity]:
    """Numbers, with ranges ("between A and B", "A-B", "A to B") joined into one."""
    quantities = []
    i = 0
    while i < len(numbers):
        first = numbers[i]
        second = numbers[i + 1] if i + 1 < len(numbers) else None
        if second and not first.vague and not second.vague and _joined_as_range(text, first, second):
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
                quantities.append(
                    _Quantity(
                        first.start, second.end, first.value, first.value, first.value,
                        False, None, first, second, score=True,
                    )
                )  # fmt: skip  a score ("3-1"), not a range and not two counts
                i += 2
                continue
        high = first.vague_high if first.vague_high is not None else first.value
        quantities.append(
            _Quantity(
                first.start, first.end, first.value, first.value, high,
                first.vague, first.currency, first, first,
            )
        )  # fmt: skip
        i += 1
    return quantities


def _joined_as_range(text: str, first: NumberMention, second: NumberMention) -> bool:
    between = text[first.end : second.start]
    percent = _PERCENT_AFTER.match(between)
    if percent and _PERCENT_AFTER.match(text[second.end :]):
        # "50%-52%", "5 percent to 7 percent"; but "edged up 0.1% to 4.7%" is a step
        # to a level: the ends of a range are of one size.
        if between[percent.end() :].strip() == "to" and second.value > _RANGE_SPREAD * first.value:
            return False
        between = between[percent.end() :]
    before = _window(text, first.start)
    if _BETWEEN.search(before):
        return between.strip().lower() == "and"
    if _FROM.search(before) and not _RANGING_FROM.search(before):
        return False  # "rose from 10 to 12" is a change, not an interval
    if _BY.search(before) and between.strip().lower() == "to" and second.value > _RANGE_SPREAD * first.value:
        return False  # "rose by 296,000 to 28.52 million": a step and the level it reached
    return bool(_RANGE_JOINERS.match(between))


def _rescaled_low(first: NumberMention, second: NumberMention) -> float:
    """"10-12,000" means 10,000 to 12,000: the lower end borrows the upper end's scale."""
    if first.multiplier == 1 and second.multiplier > 1 and not first.spelled:
        if first.value <= second.value / second.multiplier:
            return first.value * second.multiplier
    return first.value


def _rounding_step(text: str, quantity: _Quantity, kind: QuantityKind) -> float:
    """The step of the last written digit, for numbers that show they are rounded: a
    scale word ("$43 million", "twelve thousand") or a percentage ("36%", "35.7%")."""
    number = quantity.first
    if number.vague or quantity.first is not quantity.last or quantity.score:
        return 0.0
    if kind == "percent" and not number.spelled:
        decimals = text[number.start : number.end].partition(".")[2]
        return 10.0 ** -len(decimals)
    return number.rounding_step


def _interval(text: str, quantity: _Quantity, kind: QuantityKind) -> tuple[int, int, float, float, bool, str]:
    start, end = quantity.start, quantity.end
    low, high, approx = quantity.low, quantity.high, quantity.approx
    bound = "range" if quantity.first is not quantity.last and not quantity.score else "exact"
    step = _rounding_step(text, quantity, kind)
    if step:
        # Reporters round ("$43.4 million" -> "$43 million") or cut off ("$43.9 million"
        # -> "$43 million"): the interval allows both. With one significant digit the
        # digit's own step would span half the value ("$1 trillion" from 0.5 to 1.5
        # trillion, agreeing with "$1.2 trillion"): a round figure is read as about that
        # figure, within a tenth of it.
        if quantity.value < 10 * step and kind == "percent":
            low, high = quantity.value - step / 2, quantity.value + step / 2  # "4%": 3.5 to 4.5
        elif quantity.value < 10 * step:
            low, high = quantity.value * _ABOUT[0], quantity.value * _ABOUT[1]
        else:
            low, high = quantity.value - step / 2, quantity.value + step
        bound = "rounded"
    window_start = max(0, quantity.start - _WINDOW)
    before = _HEDGE_BEFORE.search(text, window_start, quantity.start)
    after = _HEDGE_AFTER.match(text[quantity.end :])
    factors = None
    if before:
        factors = _HEDGES_BEFORE[before.group(1).lower()]
        start = before.start(1)
    if after:
        factors = _ABOUT if _ABOUT_AFTER.match(after.group()) else _MORE_THAN
        end = quantity.end + after.end()
    between = _BETWEEN.search(text, max(0, start - _WINDOW), start)
    if quantity.first is not quantity.last and between:
        start = between.start()
    if factors and not quantity.first.vague:
        if kind == "percent":
            points = _PERCENT_POINTS[factors]
            hedged = (quantity.low + points[0], quantity.high + points[1])
        else:
            hedged = (quantity.low * factors[0], quantity.high * factors[1])
        if factors in (_NEARLY, _AT_MOST):
            high = quantity.high  # below the stated number, whatever its rounding
        low, high = min(low, hedged[0]), max(high, hedged[1])
        if factors == _MORE_THAN:
            low = quantity.low
        approx = True
        if bound != "range":
            bound = _BOUNDS[factors]
    return start, end, low, high, approx, bound
