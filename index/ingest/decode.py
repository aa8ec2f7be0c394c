"""Bytes to text: refuse binaries, prefer UTF-8, detect anything else."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from charset_normalizer import CharsetMatches, from_bytes

from .errors import IngestError

# Control characters other than tab, newline, carriage return and form feed: plenty of
# them means the bytes are not text, whatever a detector might guess.
_CONTROL_BYTES = set(range(0, 32)) - {9, 10, 12, 13}
# Western European code pages, most common first; "mostly ASCII" means at most this
# share of bytes above 0x7F (English or French prose in cp1252 has a few in a hundred).
_WESTERN = ("cp1252", "iso8859_15", "latin_1")
_MOSTLY_ASCII_SHARE = 0.05


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    note: str = ""


def decode_bytes(data: bytes, source: str) -> DecodedText:
    if not data.strip():
        raise IngestError(source, "the file is empty; nothing to ingest")
    sample = data[:8192]
    if b"\x00" in sample and not _looks_like_utf16(sample):
        raise IngestError(source, "this looks like a binary file, not text; give .txt, .md, .html, .json or .jsonl")
    if sum(b in _CONTROL_BYTES for b in sample) > len(sample) * 0.05:
        raise IngestError(source, "this looks like a binary file, not text; give .txt, .md, .html, .json or .jsonl")
    try:
        return DecodedText(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    matches = from_bytes(data)
    best = matches.best()
    if best is not None and best.encoding not in {"utf_8", "utf_8_sig"}:
        western = _western_choice(data, matches, str(best))
        if western is not None:
            encoding, text = western
            note = f"not valid UTF-8 (byte {first_bad}); decoded as {encoding}"
            if text != str(best):
                note += (f" (Western European), preferred to the detector's first guess {best.encoding} "
                         "because the text is mostly ASCII")
            return DecodedText(text, encoding, note=note)
        return DecodedText(
            str(best), best.encoding, note=f"not valid UTF-8 (byte {first_bad}); decoded as {best.encoding}"
        )
    return DecodedText(
        data.decode("utf-8", errors="replace"),
        "utf-8",
        note=f"not valid UTF-8 (byte {first_bad}) and no other encoding fits; bad bytes shown as U+FFFD",
    )


def _western_choice(data: bytes, matches: CharsetMatches, best_text: str) -> tuple[str, str] | None:
    """A Western European decoding of mostly-ASCII bytes, when the detector found it
    plausible and it reads at least as well as the detector's first guess.

    Detectors rank code pages by statistics that a handful of bytes cannot support: one
    "£" in an English article is as likely cp1250's "Ł" or cp932's "｣" to them. Most
    non-UTF-8 news files were saved on Western systems, so for mostly-ASCII text the
    Western pages win whenever they are among the plausible ones.
    """
    if sum(byte >= 0x80 for byte in data) > len(data) * _MOSTLY_ASCII_SHARE:
        return None
    plausible = {name for match in matches for name in match.could_be_from_charset}
    if plausible.isdisjoint(_WESTERN):
        return None
    # They differ in a few symbols only (€ is 0x80 in one, 0xA4 in another): read them all.
    decodings = []
    for rank, encoding in enumerate(_WESTERN):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        decodings.append((_oddities(text), rank, encoding, text))
    if not decodings:
        return None
    oddities, _, encoding, text = min(decodings)
    return (encoding, text) if oddities <= _oddities(best_text) else None


def _oddities(text: str) -> int:
    """Characters outside ASCII that real prose hardly has: controls, unassigned code
    points, the generic currency sign, and symbols wedged between two letters."""
    count = 0
    for i, char in enumerate(text):
        if char < "\x80":
            continue
        category = unicodedata.category(char)
        between_letters = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
        if category in {"Cc", "Cn"} or char == "¤" or (between_letters and not category.startswith("L")):
            count += 1
    return count


def _looks_like_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))
