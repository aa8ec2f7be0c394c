"""What a user types into a search box, checked and parsed before it reaches an index.

The grammar is deliberately small, so that nothing a user types can make the engine
expand wildcards, read other fields or run unbounded:

    words            all must match (stemmed, accents folded)
    "a phrase"       the words in this order
    a OR b           either word; OR binds tighter than the implied AND
    -word            must not match
    speaker:NAME  outlet:NAME  since:YYYY-MM-DD  until:YYYY-MM-DD   filters (NAME may be "quoted")

Parentheses may group words but change nothing; anything else is a QueryError whose
message says what was wrong and what to type instead.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from pydantic import BaseModel, Field

from index.analysis import name_terms, prose_terms
from index.names import name_words, strip_titles

MAX_QUERY_CHARS = 500
MAX_TERMS = 30
FILTERS = ("speaker", "outlet", "since", "until")


class QueryError(ValueError):
    """A query that cannot be run; the message is meant for the person who typed it."""


class Clause(BaseModel):
    """Alternatives that satisfy one part of the query; each is a word or a phrase."""

    alternatives: list[str]
    negated: bool = False


class ParsedQuery(BaseModel):
    clauses: list[Clause] = Field(default_factory=list)
    speaker: str | None = None
    # The speakers table's ids for ``speaker``, when the caller resolved the name itself.
    speaker_ids: list[int] | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def positive_terms(self) -> list[str]:
        return [alt for clause in self.clauses if not clause.negated for alt in clause.alternatives]

    def has_filters(self) -> bool:
        return any(v is not None for v in (self.speaker, self.outlet, self.since, self.until))


_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"|([^\s"()]+))|([()])|(")')
_TERM_JUNK = re.compile(r"[*?~^\[\]{}<>\\:]+")
# A filter name and colon with nothing after it: "speaker: Dovnar" is the word "speaker:".
_BARE_FILTER = re.compile(r"(\w+):")


def parse_query(raw: str, *, speakers: bool = True) -> ParsedQuery:
    """A checked query: words to find, filters, or both (filters alone list what they admit).
    ``speakers=False`` for a search of articles, which have no speakers (claims do)."""
    text = _clean(raw)
    if text.count('"') % 2:
        raise QueryError('Unbalanced quote: close the phrase with a second " or remove the quote.')
    _check_parentheses(text)
    query = ParsedQuery()
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, field, phrase, word, paren, _ = match.groups()
        if paren:
            continue
        if field is not None:
            if field.lower() not in FILTERS:
                raise QueryError(
                    f"Unknown filter `{field}:`. Filters are speaker:, outlet:, since: and until: "
                    "(dates as YYYY-MM-DD)."
                )
            if field.lower() == "speaker" and not speakers:
                raise QueryError("`speaker:` filters claims; use it with /claims or /who.")
            _set_filter(query, field.lower(), phrase if phrase is not None else word)
            continue
        value = phrase if phrase is not None else word
        bare_filter = _BARE_FILTER.fullmatch(value) if phrase is None else None
        if bare_filter and bare_filter.group(1).lower() in FILTERS:
            name = bare_filter.group(1).lower()
            raise QueryError(f"`{name}:` needs its value right after the colon, with no space: {_example(name)}.")
        if phrase is None and value == "OR":
            pending_or = bool(query.clauses) and not query.clauses[-1].negated
            continue
        term = " ".join(_TERM_JUNK.sub(" ", value).split())
        if not term:
            continue
        if pending_or and not minus:
            query.clauses[-1].alternatives.append(term)
        else:
            query.clauses.append(Clause(alternatives=[term], negated=bool(minus)))
        pending_or = False
    if sum(len(c.alternatives) for c in query.clauses) > MAX_TERMS:
        raise QueryError(f"Too many words: use at most {MAX_TERMS}.")
    if query.positive_terms and not any(prose_terms(term) for term in query.positive_terms):
        raise QueryError("Only very common words in this query (like 'the' or 'of'); add a more specific word.")
    if not query.positive_terms and not query.has_filters():
        if query.clauses:
            raise QueryError("Add a word to look for besides the excluded ones, or a filter such as outlet:NAME.")
        raise QueryError("Nothing to search for: type one or more words, e.g. `troops`.")
    return query


def _clean(raw: str) -> str:
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is {len(raw):,} characters long; keep it under {MAX_QUERY_CHARS}.")
    text = re.sub(r"[\t\r\n]", " ", raw)
    text = text.replace("“", '"').replace("”", '"')
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in text):
        raise QueryError("The query holds control or invisible characters; retype it as plain text.")
    return text.strip()


def _example(name: str) -> str:
    if name in {"since", "until"}:
        return f"e.g. {name}:2024-10-01"
    return f"e.g. {name}:{'Dovnar' if name == 'speaker' else 'Reuters'}, or {name}:\"two words\" for more"


def _check_parentheses(text: str) -> None:
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", text):
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            raise QueryError("Unbalanced parentheses: a `)` has no matching `(`.")
    if depth:
        raise QueryError("Unbalanced parentheses: a `(` is never closed.")


def _set_filter(query: ParsedQuery, name: str, value: str) -> None:
    value = value.strip()
    if not value:
        raise QueryError(f"`{name}:` needs a value: {_example(name)}.")
    if name == "outlet" and not name_terms(value):
        raise QueryError(f"`outlet:{value}` has no letters or digits to match; give a word of the outlet's name: "
                         f"{_example(name)}.")
    if name == "speaker" and not strip_titles(name_words(value)):
        raise QueryError(f"`speaker:{value}` holds no name to match (a title alone is not one); give a name: "
                         f"{_example(name)}.")
    if name in {"since", "until"}:
        try:
            setattr(query, name, date.fromisoformat(value))
        except ValueError:
            raise QueryError(f"`{name}:{value}` is not a date; write it as YYYY-MM-DD.") from None
        if query.since and query.until and query.since > query.until:
            raise QueryError("`since:` is after `until:`; nothing can match.")
    else:
        setattr(query, name, value)
