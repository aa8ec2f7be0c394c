"""How groups are put before a reader: the headline from its structured fields, ranking
and pages.

A headline's own words are limited to the figure, words the quotes themselves use for
what is counted and what happened, a stage label and source names; anything a source
said appears only verbatim inside quotation marks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from commands.synonyms import expand_terms, fold_accents, lemma

from index.models import Figure

from .schemas import ClaimGroup, GroupFigure, SourceLabel, as_number

HEADLINE_SOURCES = 2
HEADLINE_EXCERPT_CHARS = 80
STAGE_LABELS = {"planned": "planned", "done": "done", "ongoing": "ongoing", "cumulative": "so far"}
PERIOD_LABELS = {"day": "in a day", "week": "in a week", "month": "in a month", "year": "in a year"}
CURRENCY_SIGNS = {"dollars": "$", "pounds": "£", "euros": "€", "yen": "¥"}
_SCALE_NAMES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))

# Ranking weights. Answering the query's words matters most: "/claims injured" is asked
# for injury counts, not for every number in the same articles. Then a fact confirmed
# across outlets, and one that disagrees with, updates or denies another (what a
# fact-checker is looking for); the search score orders the rest.
ANSWERS_WEIGHT = 3.0
DIRECT_WEIGHT = 1.0  # the query's own family, not only a narrower one it covers
SPREAD_WEIGHT = 1.5  # at full weight from SPREAD_FULL outlets up
SPREAD_FULL = 4
DISAGREES_WEIGHT = 1.0
SCORE_WEIGHT = 1.0


# ---------------------------------------------------------------- headlines


def headline_text(
    figure: GroupFigure | None,
    counted: str | None,
    predicate_word: str | None,
    stage: str,
    part: bool,
    sources: Sequence[SourceLabel],
    excerpt: str | None,
    period: str | None = None,
    derivation: Figure | None = None,
) -> str:
    """``derivation``: the figure is worked out, not stated (``Figure.derived``); its
    predicate family is named with the stated numbers it comes from."""
    attribution = attribution_text(sources)
    if figure is None:
        return f"{attribution} — “{excerpt or ''}”"
    of = " of" if counted and figure.unit == "percent" else ""  # "28% of flights"
    what = figure_text(figure) + (f"{of} {counted}" if counted else "")
    worked_out = None
    if derivation is not None:
        predicate_word = predicate_word or derivation.predicate_family
        worked_out = f"worked out from {derivation_text(derivation)}"
    notes = [
        n
        for n in (
            predicate_word, STAGE_LABELS.get(stage), PERIOD_LABELS.get(period or ""),
            "part of a larger total" if part else None, worked_out,
        )
        if n
    ]  # fmt: skip
    if notes:
        what += f" ({', '.join(notes)})"
    return f"{what} — {attribution}"


def derivation_text(figure: Figure) -> str:
    """"5 shot − 1 killed": the stated numbers a derived figure comes from; "4 shot, all
    survived" when a sentence of the article states that those shot lived; "3 killed,
    named one by one" for people a sentence or the article names person by person."""
    if figure.derived == "survivors":
        return f"{number_text(as_number(figure.value))} shot, all survived"
    if figure.derived == "enumerated":
        return f"{number_text(as_number(figure.value))} {figure.predicate_family}, named one by one"
    joiner = " − " if figure.derived == "difference" else " + "
    return joiner.join(f"{number_text(as_number(t.value))} {t.predicate_family}" for t in figure.derived_from)


def attribution_text(sources: Sequence[SourceLabel]) -> str:
    shown = ", ".join(
        f"{s.name} (via {s.via})" if s.via else s.name for s in sources[:HEADLINE_SOURCES]
    )
    hidden = len(sources) - HEADLINE_SOURCES
    return f"{shown} +{hidden} more" if hidden > 0 else shown


def figure_text(figure: GroupFigure) -> str:
    """The stated figure with its hedge, read back from the interval the extractor gave
    it (see docs/extraction.md): "up to N" is [0, N], "more than N" [N, …], "nearly N"
    […, N], "about N" [0.9 N, 1.1 N], a range "A to B" [A, B]; an unhedged number with a
    rounding interval ("$43 million") is shown as written. Amounts carry their currency
    and scale ("$1.2 trillion"), rates their sign ("29.4%")."""

    def number_text(value: int | float) -> str:
        return amount_text(value, figure.unit)

    value = number_text(figure.value)
    low, high = figure.low, figure.high
    if low == high:
        return f"about {value}" if figure.approx else value
    if not figure.approx:
        return value
    if low == 0:
        return f"up to {value}"
    if low == figure.value < high:
        return f"{value}+"
    if low < figure.value == high:
        return f"nearly {value}"
    if math.isclose(low, 0.9 * figure.value) and math.isclose(high, 1.1 * figure.value):
        return f"about {value}"
    return f"{number_text(low)}–{number_text(high)}"


def number_text(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def amount_text(value: int | float, unit: str | None) -> str:
    """A number as a reader writes it with its unit: "29.4%", "$1.2 trillion", "£350,000"."""
    if unit == "percent":
        return number_text(value) + "%"
    sign = CURRENCY_SIGNS.get(unit or "")
    if sign is None:
        return number_text(value)
    for size, name in _SCALE_NAMES:
        if abs(value) >= size:
            return f"{sign}{number_text(round(value / size, 3))} {name}"
    return sign + number_text(value)


def excerpt(text: str) -> str:
    """A verbatim prefix of the text, cut at a word boundary."""
    text = text.strip()
    if len(text) <= HEADLINE_EXCERPT_CHARS:
        return text
    return text[:HEADLINE_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def reach_text(group: ClaimGroup) -> str:
    """How widely a group is reported: named outlets (articles without an outlet or URL
    are counted as articles, never as outlets) and independent sources."""
    if group.outlets and group.articles > group.outlets:
        spread = f"{_plural(group.outlets, 'outlet')} · {_plural(group.articles, 'article')}"
    elif group.outlets:
        spread = _plural(group.outlets, "outlet")
    else:
        spread = _plural(group.articles or len(group.quotes), "article")
    return f"{spread} · {_plural(group.independent_sources, 'independent source')}"


def timeline_text(group: ClaimGroup) -> str | None:
    """The quantity's values in date order ("3 on 2031-03-02 → 5 on 2031-03-04"), when it
    changed between reports."""
    if len(group.timeline) < 2:
        return None
    return " → ".join(
        figure_text(entry.figure) + (f" on {entry.published.isoformat()}" if entry.published else "")
        for entry in group.timeline
    )


def total_text(total: int, lower_bound: bool) -> str:
    return ("at least " if lower_bound else "") + _plural(total, "group")


# ---------------------------------------------------------------- ranking


def query_stems(terms: Iterable[str], narrower: bool = True) -> frozenset[str]:
    """The query's words with their news synonyms, as crude lemmas; ``narrower``: with
    the narrower families their families cover ("hospitalised" for "injured")."""
    return frozenset(
        lemma(word) for term in terms for part in term.split() for word in expand_terms(part, narrower)
    )


def answers(group: ClaimGroup, stems: frozenset[str]) -> bool:
    """Whether what the group counts or says happened is one of the query's words."""
    words = (group.counted, group.predicate_word, group.predicate)
    return any(word and lemma(fold_accents(word)) in stems for word in words)


def rank_groups(groups: Iterable[ClaimGroup], query_terms: Iterable[str] = ()) -> list[ClaimGroup]:
    """Groups for display: those whose figure answers the query, spans outlets or takes
    part in a disagreement first; a lone quote without a figure after every figure group.
    The id breaks remaining ties so that paging is stable. Marks ``answers_query``.
    Reads only the fields a ``clustering.LoneStandIn`` carries: a group not yet built
    is ranked as it will be (``grouping.ranked``)."""
    query_terms = list(query_terms)
    stems = query_stems(query_terms)
    own_stems = query_stems(query_terms, narrower=False)
    groups = list(groups)
    best_score = max((g.score for g in groups), default=0.0) or 1.0
    for group in groups:
        group.answers_query = group.figure is not None and answers(group, stems)

    def weight(group: ClaimGroup) -> float:
        spread = min(max(group.outlets, group.independent_sources) - 1, SPREAD_FULL - 1) / (SPREAD_FULL - 1)
        # Asked "injured", a group saying "wounded" answers before one saying "hospitalised";
        # and two narrower counts disagreeing (hospitalised, treated) do not push the
        # query's own count off the page: their disagreement is not about what was asked.
        directly = group.answers_query and answers(group, own_stems)
        narrower_only = group.answers_query and not directly
        disagrees = bool(group.conflicts_with or group.contradicts or group.updates) and not narrower_only
        return (
            ANSWERS_WEIGHT * group.answers_query
            + DIRECT_WEIGHT * directly
            + SPREAD_WEIGHT * spread
            + DISAGREES_WEIGHT * disagrees
            + SCORE_WEIGHT * group.score / best_score
        )

    def lone(group: ClaimGroup) -> bool:
        return group.figure is None and len(group.quotes) == 1 and not group.contradicts

    return sorted(
        groups,
        key=lambda g: (
            lone(g),
            -weight(g),
            -g.independent_sources,
            -(g.newest.toordinal() if g.newest else 0),
            g.id,
        ),
    )


def paginate(groups: Sequence[ClaimGroup], page: int, per_page: int) -> tuple[list[ClaimGroup], int]:
    """The groups of a 1-based ``page``, and the total count; past the end, no groups."""
    if page < 1 or per_page < 1:
        raise ValueError(f"page and per_page must be at least 1, got {page} and {per_page}")
    start = (page - 1) * per_page
    return list(groups[start : start + per_page]), len(groups)


def last_page(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))
