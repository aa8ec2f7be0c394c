"""Claim extraction: verbatim, attributed, checkable statements from articles.

``extract_claims`` handles one article, ``extract_many`` a stream of them. The name
helpers are shared with the query side so that both agree on who is the same speaker.
"""

from index.names import same_speaker, speaker_key
from index.extract.pipeline import ExtractorPool, extract_claims, extract_many
from index.extract.speakers import ArticleSpeakers

__all__ = [
    "ArticleSpeakers",
    "ExtractorPool",
    "extract_claims",
    "extract_many",
    "same_speaker",
    "speaker_key",
]
