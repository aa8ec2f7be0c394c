"""Plain text and Markdown articles: front matter, a leading date marker, the headline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from index.models import TextSpan

from .boilerplate import mark_boilerplate
from .metadata import pick_fields

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
# Some scrapers glue a "date YYYY-MM-DD" marker in front of the first line of prose.
_DATE_MARKER = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;,]['\"’”)]?\Z")


@dataclass
class ParsedText:
    fields: dict[str, Any] = field(default_factory=dict)
    spans: list[TextSpan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_plain_text(text: str, markdown: bool = False) -> ParsedText:
    parsed = ParsedText()
    body_start = 0
    front = _FRONT_MATTER.match(text)
    if front:
        raw = {}
        for line in front.group(1).splitlines():
            match = _FRONT_MATTER_LINE.match(line)
            if match:
                raw[match.group(1)] = match.group(2).strip("'\"")
        parsed.fields, parsed.warnings = pick_fields(raw)
        parsed.spans.append(TextSpan(start=0, end=front.end(), kind="metadata", reason="front matter"))
        body_start = front.end()
    marker = _DATE_MARKER.match(text, body_start) if body_start == 0 else _DATE_MARKER.match(text[body_start:])
    if marker:
        end = body_start + marker.end()
        marker_fields, warnings = pick_fields({"published": marker.group(1)})
        parsed.fields = {**marker_fields, **parsed.fields}
        parsed.warnings += warnings
        parsed.spans.append(TextSpan(start=body_start, end=end, kind="metadata", reason="date marker"))
        body_start = end
    headline = _headline_span(text, body_start, markdown)
    if headline is not None:
        parsed.spans.append(headline)
        parsed.fields.setdefault("title", text[headline.start : headline.end])
        line_start = text.rfind("\n", 0, headline.start) + 1
        if text[line_start : headline.start].strip():
            parsed.spans.append(
                TextSpan(start=line_start, end=headline.start, kind="metadata", reason="heading marks")
            )
    parsed.spans += mark_boilerplate(text, parsed.spans)
    parsed.spans.sort(key=lambda s: s.start)
    return parsed


def _headline_span(text: str, start: int, markdown: bool) -> TextSpan | None:
    """The first line is a headline when it is short, unpunctuated and prose follows it."""
    rest = text[start:]
    stripped = rest.lstrip()
    if not stripped:
        return None
    begin = start + (len(rest) - len(stripped))
    line_end = text.find("\n", begin)
    if line_end == -1:
        return None  # a one-line article has no headline apart from its text
    line = text[begin:line_end].rstrip()
    is_markdown_heading = markdown and re.match(r"#{1,2}\s", line) is not None
    words = line.split()
    if not is_markdown_heading and (len(words) > 25 or len(line) > 200 or _SENTENCE_END.search(line)):
        return None
    if not text[line_end:].strip():
        return None
    if is_markdown_heading:
        # The heading marks are markup, not words of the headline a claim may quote.
        marks = len(line) - len(line.lstrip("#").lstrip())
        begin, line = begin + marks, line[marks:]
    return TextSpan(start=begin, end=begin + len(line), kind="headline")
