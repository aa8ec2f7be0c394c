"""Articles from fetched pages and from HTML that arrived some other way (a feed's content).

They go through the same loaders as files on disk: the bytes are written to a private
temporary folder under a readable name (which becomes the article id), with the
metadata we already know as a sidecar ``NAME.meta.json``, and the loaded article's
source is then renamed to where it really came from (the URL), so that fetching the
same page again is ``unchanged`` rather than ``updated``.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import IngestError
from .fetch import FetchError, FetchedPage, FetchPolicy, fetch
from .loaders import SIDECAR_SUFFIX, LoadResult, load_file


def load_url(url: str, policy: FetchPolicy, *, corpus: str) -> list[LoadResult]:
    """The article at ``url``, fetched safely; a refusal or failure is an IngestError."""
    try:
        page = fetch(url, policy)
    except FetchError as exc:
        return [IngestError(url, str(exc))]
    return load_page(page, corpus=corpus, max_bytes=policy.max_bytes, fields={"url": page.url})


def load_page(
    page: FetchedPage, *, corpus: str, max_bytes: int, fields: dict[str, Any] | None = None, name: str | None = None
) -> list[LoadResult]:
    """The articles in a fetched page; ``fields`` are metadata known beforehand (they win
    over what the page says), ``name`` the article id when the page names none."""
    return _load(page.data, page.suffix, source=page.url, corpus=corpus, max_bytes=max_bytes,
                 fields=fields or {}, name=name or slug(page.url))


def load_html(
    html: str, *, source: str, corpus: str, max_bytes: int, fields: dict[str, Any], name: str
) -> list[LoadResult]:
    """An article from an HTML fragment, such as the full text a feed entry carries."""
    title = fields.get("title") or ""
    document = (f"<html><head><title>{_escape(title)}</title></head>"
                f"<body><article>{html}</article></body></html>")
    return _load(document.encode("utf-8"), ".html", source=source, corpus=corpus, max_bytes=max_bytes,
                 fields=fields, name=name)


def slug(url: str) -> str:
    """A readable article id from a URL: its last path segment, else its host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    base = re.sub(r"\.\w{1,5}$", "", segments[-1]) if segments else (parts.hostname or "page")
    return _slugify(base) or "page"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _load(
    data: bytes, suffix: str, *, source: str, corpus: str, max_bytes: int, fields: dict[str, Any], name: str
) -> list[LoadResult]:
    with tempfile.TemporaryDirectory(prefix="claimdesk-page-") as folder:
        path = Path(folder) / f"{_slugify(name) or 'page'}{suffix}"
        path.write_bytes(data)
        if suffix != ".json" and fields:
            # JSON records carry their own metadata; everything else gets the sidecar.
            metadata = {key: str(value) for key, value in fields.items() if value is not None}
            path.with_name(path.stem + SIDECAR_SUFFIX).write_text(json.dumps(metadata), encoding="utf-8")
        return list(renamed(load_file(path, corpus=corpus, max_bytes=max_bytes), str(path), source))


def renamed(results: Iterable[LoadResult], temporary: str, given: str) -> Iterator[LoadResult]:
    """Sources as the user knows them, instead of the temporary path."""
    for result in results:
        if isinstance(result, IngestError):
            yield IngestError(result.source.replace(temporary, given, 1), result.reason)
        else:
            result.article.source = result.article.source.replace(temporary, given, 1)
            yield result
