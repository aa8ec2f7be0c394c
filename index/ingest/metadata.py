"""Article metadata from the places newsroom files keep it, normalised to Article fields."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# Names that metadata sources use for each Article field, in order of preference.
_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "guid"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "site", "sitename", "site_name", "publisher", "source_name", "source"),
    "url": ("url", "link", "canonical_url"),
    "published": ("published", "date", "pubdate", "published_at", "datetime"),
    "language": ("language", "lang"),
}
TEXT_FIELDS = ("text", "content", "body", "article")


def pick_fields(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Map a free-form metadata dict to Article fields; return them and any warnings."""
    lowered = {str(k).strip().lower(): v for k, v in raw.items()}
    fields: dict[str, Any] = {}
    warnings: list[str] = []
    for field, names in _FIELD_NAMES.items():
        for name in names:
            value = lowered.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if field == "published":
                parsed = parse_date(value)
                if parsed is None:
                    warnings.append(f"could not read the date {str(value)[:40]!r}; left unset")
                    break
                value = parsed
            elif not isinstance(value, str):
                if field == "outlet" and isinstance(value, dict):
                    continue  # a nested {"source": {...}} object, not an outlet name
                value = str(value)
            fields[field] = value.strip() if isinstance(value, str) else value
            break
    return fields, warnings


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date()  # RFC 822, as feeds write dates
    except (TypeError, ValueError, IndexError):
        return None


_ENGLISH_MARKERS = frozenset(
    "the of and to in is that for on was with said by as at from has have it be are were an".split()
)


def guess_language(text: str) -> str | None:
    """'en' when common English function words are frequent enough; None when unsure."""
    words = re.findall(r"[a-z]+", text[:5000].lower())
    if len(words) < 20:
        return None
    share = sum(w in _ENGLISH_MARKERS for w in words) / len(words)
    return "en" if share > 0.15 else None
