"""From files to Articles: decoding, per-format loaders, metadata, boilerplate marking."""

from .errors import IngestError
from .loaders import DEFAULT_MAX_BYTES, LoadedArticle, LoadResult, discover, load_file

__all__ = ["DEFAULT_MAX_BYTES", "IngestError", "LoadResult", "LoadedArticle", "discover", "load_file"]
