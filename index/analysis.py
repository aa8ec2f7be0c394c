"""The one place that says how text becomes index terms, for indexing and for queries alike."""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as porter2_stem
from whoosh.support.charset import accent_map

# Porter2 (not Whoosh's default Porter) so that "running" stems to "run", not "runn";
# accent folding before stemming so that "Budánov" and "Budanov" meet.
PROSE = (
    RegexTokenizer(r"\w+(?:[.'’]\w+)*")
    | LowercaseFilter()
    | CharsetFilter(accent_map)
    | StopFilter()
    | StemFilter(stemfn=porter2_stem, cachesize=100_000)
)

# Names (outlets, speakers, entities): folded but not stemmed, and no stop words, so
# that "The Valley Ledger" can be filtered by "ledger" and "Ada" is not dropped.
NAMES = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


def prose_terms(text: str) -> list[str]:
    return [token.text for token in PROSE(text)]


def name_terms(text: str) -> list[str]:
    return [token.text for token in NAMES(text)]
