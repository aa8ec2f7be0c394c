"""The one place that says how text becomes index terms, for indexing and for queries alike."""

from __future__ import annotations

from functools import lru_cache

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as porter2_stem
from whoosh.support.charset import accent_map


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Porter2, remembered for the life of the process.

    Whoosh stores an index's analyzer in the index and unpickles it for every writer, so
    a cache inside the analyzer (StemFilter's own) starts empty at every commit and most
    words of a batch were stemmed afresh. This function is pickled by name: indexes
    written with it need it to keep this name and module."""
    return porter2_stem(word)


# Porter2 (not Whoosh's default Porter) so that "running" stems to "run", not "runn";
# accent folding before stemming so that "Budánov" and "Budanov" meet.
PROSE = (
    RegexTokenizer(r"\w+(?:[.'’]\w+)*")
    | LowercaseFilter()
    | CharsetFilter(accent_map)
    | StopFilter()
    | StemFilter(stemfn=stem, cachesize=None)
)

# Names (outlets, speakers, entities): folded but not stemmed, and no stop words, so
# that "The Valley Ledger" can be filtered by "ledger" and "Ada" is not dropped.
NAMES = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


def prose_terms(text: str) -> list[str]:
    return [token.text for token in PROSE(text)]


def name_terms(text: str) -> list[str]:
    return [token.text for token in NAMES(text)]


def outlet_key(outlet: str) -> str:
    """An outlet's name as one term: its name words, folded, in order."""
    return " ".join(name_terms(outlet))
