"""HTML pages: main content, title, date and site name through trafilatura."""

from __future__ import annotations

from typing import Any

import trafilatura

from .errors import IngestError
from .metadata import pick_fields

# Fewer characters than this after extraction means a menu or a cookie wall, not an article.
MIN_ARTICLE_CHARS = 200


def extract_html(html: str, source: str, url: str | None = None) -> tuple[str, dict[str, Any], list[str]]:
    """The article's main text and its metadata; raises IngestError when there is no article."""
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = (document.text if document is not None else "") or ""
    if len(text.strip()) < MIN_ARTICLE_CHARS:
        raise IngestError(
            source, "no article text found in this HTML page (menus, forms or scripts only); save the article page itself"
        )
    raw = {
        "title": document.title,
        "sitename": document.sitename,
        "url": document.url or url,
        "date": document.date,
        "language": document.language,
    }
    fields, warnings = pick_fields({k: v for k, v in raw.items() if v})
    return text, fields, warnings
