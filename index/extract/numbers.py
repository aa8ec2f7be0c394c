"""Finding written numbers in text: digits in any grouping style, scale words, number words,
"a dozen", and the vague plurals ("dozens of", "tens of thousands") that state no value."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_DOZEN = 12
# Fractions that scale a lone scale word: "half a billion", "another half billion",
# "a quarter-million".
_FRACTIONS = {"half": 0.5, "quarter": 0.25}
# "dozens", "hundreds of", "tens of thousands": how many there are, but not a value.
# Each gives a plausible range [2 x scale, 10 x scale) ("dozens": 24 to 120), enough to
# sort and filter by, never to compare: the figure is marked vague.
_VAGUE_SCALES = {"dozens": 12.0, "scores": 20.0, "hundreds": 1e2, **{f"{w}s": v for w, v in _SCALES.items()}}
_VAGUE_MULTIPLIERS = {"tens": 10.0, "hundreds": 100.0, "dozens": 12.0}
VAGUE_NUMBER = re.compile(
    r"\b(?:(?P<outer>tens|hundreds|dozens)\s+of\s+)?(?P<scale>dozens|scores|hundreds|thousands|millions|billions)\b",
    re.IGNORECASE,
)
# Abbreviated scales glued to digits. A bare "m", "b" or "t" is left out: "100m" is
# usually metres and "5t" tonnes, so they count as millions, billions and trillions only
# after a currency sign ("$1T", "£3m"; see CURRENCY_SCALES).
_SHORT_SCALES = {"k": 1e3, "bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trn": 1e12}
CURRENCY_SCALES = {**_SHORT_SCALES, "m": 1e6, "b": 1e9, "t": 1e12}
CURRENCY_UNITS = {"$": "dollars", "us$": "dollars", "£": "pounds", "€": "euros", "¥": "yen"}

_GROUP_SEPARATORS = ",\u00a0\u202f\u2009 "
_DIGITS = (
    r"(?<![\w.,/:])"  # not the tail of a longer token ("MH17", "9/11", "10:30")
    r"(?:\d{1,3}(?:[" + _GROUP_SEPARATORS + r"]\d{3})+(?![\d])|\d+)(?:\.\d+)?"
)
_SCALE_WORDS = "|".join(_SCALES)
_CURRENCY = r"(?:US\$|\$|£|€|¥)"
DIGIT_NUMBER = re.compile(
    rf"(?P<currency>{_CURRENCY}\s?)?(?P<digits>{_DIGITS})"
    rf"(?:(?P<short>k|bn|mn|mln|trn|tn|m|b|t)\b|\s?(?P<scale>{_SCALE_WORDS})\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")


@dataclass(frozen=True)
class NumberMention:
    """A number as written: ``text[start:end]`` is the whole expression, currency included."""

    start: int
    end: int
    value: float
    currency: str | None
    multiplier: float  # scale of the leading digit group: 1000 for "12,000" and "12k"
    spelled: bool  # written in words ("four", "twelve thousand")
    vague_high: float | None = None  # set for "dozens", "thousands of": value is the low end
    # The step of the last written digit when the writing shows rounding: a scale word
    # or suffix ("$43 million": 1 million, "1.5 million": 100,000, "twelve thousand":
    # 1,000); 0 for numbers written out in full ("43,885,310", "250").
    rounding_step: float = 0.0

    @property
    def vague(self) -> bool:
        return self.vague_high is not None

    @property
    def has_scale(self) -> bool:
        return self.multiplier > 1


def find_numbers(text: str) -> list[NumberMention]:
    digit_mentions = _digit_numbers(text)
    word_mentions = [
        w
        for w in _word_numbers(text)
        if not any(d.start <= w.start < d.end for d in digit_mentions)  # "1.5 million"
    ]
    return sorted(digit_mentions + word_mentions + _vague_numbers(text), key=lambda m: m.start)


def number_value(text: str) -> float | None:
    """The value of a number written alone ("six", "1,200"), or None."""
    found = find_numbers(text)
    return found[0].value if found and not found[0].vague else None


def _vague_numbers(text: str) -> list[NumberMention]:
    found = []
    for match in VAGUE_NUMBER.finditer(text):
        scale = _VAGUE_SCALES[match.group("scale").lower()]
        outer = _VAGUE_MULTIPLIERS.get((match.group("outer") or "").lower(), 1.0)
        low = 2 * scale * outer
        found.append(
            NumberMention(
                start=match.start(), end=match.end(), value=low, currency=None,
                multiplier=scale * outer, spelled=True, vague_high=low * 5,
            )
        )  # fmt: skip
    return found


def _digit_numbers(text: str) -> list[NumberMention]:
    found = []
    for match in DIGIT_NUMBER.finditer(text):
        digits = match.group("digits")
        groups = re.split(rf"[{_GROUP_SEPARATORS}]", digits)
        value = float("".join(groups))
        currency = (match.group("currency") or "").strip().lower() or None
        short = (match.group("short") or "").lower()
        scale_word = (match.group("scale") or "").lower()
        end = match.end()
        if short in ("m", "b", "t") and not currency:
            end = match.end("digits")  # "100m": metres, not millions
            short = ""
        scale = _SCALES.get(scale_word) or CURRENCY_SCALES.get(short) or 1.0
        found.append(
            NumberMention(
                start=match.start(),
                end=end,
                value=value * scale,
                currency=CURRENCY_UNITS.get(currency) if currency else None,
                multiplier=scale * 1000.0 ** (len(groups) - 1),
                spelled=False,
                rounding_step=scale / 10 ** len(digits.partition(".")[2]) if scale > 1 else 0.0,
            )
        )
    return found


def _word_numbers(text: str) -> list[NumberMention]:
    """Runs of number words such as "twelve thousand" or "two hundred and fifty"."""
    words = list(_WORD.finditer(text))
    found = []
    i = 0
    while i < len(words):
        run_end = i
        while run_end < len(words) and (_is_number_word(words[run_end].group()) or _and_a_half(words, run_end, i)):
            if run_end > i and text[words[run_end - 1].end() : words[run_end].start()].strip():
                break  # punctuation between words ends the run
            run_end += 1
        while run_end > i and words[run_end - 1].group().lower() in ("and", "a"):
            run_end -= 1
        while run_end > i and words[i].group().lower() == "and":
            i += 1
        if run_end > i:
            tokens = [w.group().lower() for w in words[i:run_end]]
            value = _words_value(tokens)
            start = words[i].start()
            fraction = _fraction_before(text, words, i, tokens)
            if value is not None and fraction:
                # "half a dozen" is 6, "half a million" and "another half billion" 500,000,000
                value, start = value * fraction[0], fraction[1]
            if value is not None:
                top_scale = max([_SCALES[t.split("-")[-1]] for t in tokens if t.split("-")[-1] in _SCALES], default=1.0)
                found.append(
                    NumberMention(
                        start=start,
                        end=words[run_end - 1].end(),
                        value=value,
                        currency=None,
                        multiplier=top_scale,
                        spelled=True,
                        rounding_step=_spelled_step(value, top_scale),
                    )
                )
            i = run_end
        else:
            i += 1
    return found


def _spelled_step(value: float, scale: float) -> float:
    """The rounding a spelled scaled number shows: "twelve thousand" to the thousand,
    "half a million" and "two and a half million" to the half million, "a quarter of a
    million" to the quarter."""
    for step in (scale, scale / 2, scale / 4):
        if scale > 1 and value % step == 0:
            return step
    return 0.0


def _fraction_before(text: str, words: list[re.Match[str]], i: int, tokens: list[str]) -> tuple[float, int] | None:
    """(the fraction, where it starts) written right before "a dozen", "a million" or a
    lone scale word: "half billion", "a quarter of a million" (a lone "billion" is
    otherwise read as one billion)."""
    if not (tokens[0] == "a" or tokens[0] in _SCALES) or i == 0:
        return None
    before = i - 1
    if words[before].group().lower() == "of" and before > 0 and tokens[0] == "a":
        before -= 1  # "a quarter of a million"
    if text[words[before].end() : words[i].start()].strip(" of"):
        return None
    fraction = _FRACTIONS.get(words[before].group().lower())
    return (fraction, words[before].start()) if fraction else None


def _and_a_half(words: list[re.Match[str]], at: int, run_start: int) -> bool:
    """ "two and a half million": "half" inside a run of number words, before a scale."""
    return (
        at - run_start >= 3
        and words[at].group().lower() == "half"
        and [w.group().lower() for w in words[at - 2 : at]] == ["and", "a"]
        and at + 1 < len(words)
        and words[at + 1].group().lower() in _SCALES
    )


def _is_number_word(word: str) -> bool:
    word = word.lower()
    if word in ("and", "a"):
        return True  # kept only between number words; trimmed at the run's ends
    parts = word.split("-")
    if len(parts) == 2:
        return parts[0] in _TENS and parts[1] in _UNITS or parts[0] in _FRACTIONS and parts[1] in _SCALES
    return word in _UNITS or word in _TENS or word in ("hundred", "dozen") or word in _SCALES


def _words_value(tokens: list[str]) -> float | None:
    if not any(t not in ("and", "a") for t in tokens):
        return None
    if tokens[0] == "a" and (len(tokens) < 2 or tokens[1].split("-")[-1] not in ("hundred", "dozen", *_SCALES)):
        return None
    total = 0.0
    current = 0.0
    for token, next_token in zip(tokens, [*tokens[1:], None]):
        if token == "and":
            continue
        if token == "half":
            current += 0.5  # "two and a half million"
        elif token == "a":
            current = current if next_token == "half" else 1
        elif "-" in token and token.split("-")[0] in _FRACTIONS:
            fraction, scale = token.split("-")
            total += (current or 1) * _FRACTIONS[fraction] * _SCALES[scale]  # "a half-billion"
            current = 0
        elif "-" in token:
            tens, unit = token.split("-")
            current += _TENS[tens] + _UNITS[unit]
        elif token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token == "dozen":
            current = (current or 1) * _DOZEN
        else:
            total += (current or 1) * _SCALES[token]
            current = 0
    return total + current
