"""Recognise the site junk that copied news text carries, line by line.

Lines are marked, never removed: the stored text stays the decoded original, so every
offset into it stays true. Marked lines are left out of search text and never yield claims.
"""

from __future__ import annotations

import re

from index.models import TextSpan

# Each pattern must match a whole stripped line; the label is the reason shown to users.
_JUNK_LINES: list[tuple[str, re.Pattern[str]]] = [
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in [
        ("site navigation", r"exit mobile version|skip to (main )?content|back to top|menu"),
        ("link to source", r"source link|source:? link|original (article|source)"),
        ("comment form", r"leave a (reply|comment)|post a comment|\d+ comments?|comments"),
        ("comment form", r"your email address will not be published\.?.*|required fields are marked \*?"),
        ("view counter", r"(visited|viewed) \d[\d,]* times?(, \d[\d,]* visits?(\(s\))? today)?|\d[\d,]* views?"),
        ("share buttons", r"share( this( article| story| post)?)?:?|click to share on .*|share on (facebook|twitter|x|whatsapp)"),
        ("related links", r"(related|recommended|more)( articles| posts| stories| news)?:?|read more:?"),
        ("advertising", r"advertisement|sponsored( content)?|ad"),
        ("newsletter prompt", r"(subscribe|sign up)( now)?( to| for)? .{0,60}newsletter.*|follow us on .{1,60}"),
        ("copyright line", r"(©|\(c\)|copyright)\s.{0,120}|all rights reserved\.?"),
        ("tag list", r"(tags?|topics?|filed under):\s.{0,200}"),
        ("photo credit", r"(photo|image|picture)s?( credit)?:\s.{0,120}|(ap|afp|reuters|getty images|epa|shutterstock)( photo)?"),
        ("photo caption", r"(in )?this (photo|image|picture) .{0,300}"),
    ]
]

_HASHTAG = re.compile(r"#\w+")


def junk_reason(line: str) -> str | None:
    """Why a line is site junk rather than article prose, or None when it is prose."""
    stripped = line.strip()
    if not stripped or len(stripped) > 400:
        return None
    for label, pattern in _JUNK_LINES:
        if pattern.fullmatch(stripped):
            return label
    words = stripped.split()
    if len(words) >= 2 and sum(bool(_HASHTAG.fullmatch(w)) for w in words) >= 0.6 * len(words):
        return "hashtag row"
    return None


def mark_boilerplate(text: str, skip: list[TextSpan]) -> list[TextSpan]:
    """Spans of junk lines and of lines that repeat an earlier line word for word.

    ``skip`` holds spans already marked (metadata, headline); their lines still count as
    seen, so a headline pasted twice marks its second copy.
    """
    spans: list[TextSpan] = []
    seen: set[str] = set()
    offset = 0
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        content = line.rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            continue
        begin = start + (len(content) - len(content.lstrip()))
        end = begin + len(stripped)
        already = any(s.start <= begin and end <= s.end for s in skip)
        key = " ".join(stripped.split()).casefold()
        if not already:
            reason = junk_reason(stripped)
            if reason is None and key in seen and len(key) >= 12:
                reason = "repeated line"
            if reason is not None:
                spans.append(TextSpan(start=begin, end=end, kind="boilerplate", reason=reason))
        seen.add(key)
    return spans
