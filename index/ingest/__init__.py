"""From files to Articles: decoding, per-format loaders, metadata, boilerplate marking."""

from .errors import IngestError, IngestSkip
from .loaders import DEFAULT_MAX_BYTES, LoadedArticle, LoadResult, Progress, discover, load_file, load_paths

__all__ = [
    "DEFAULT_MAX_BYTES", "IngestError", "IngestSkip", "LoadResult", "LoadedArticle", "Progress", "discover", "load_file", "load_paths",
]
