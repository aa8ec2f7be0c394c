"""Bytes to text: refuse binaries, prefer UTF-8, detect anything else."""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

from .errors import IngestError

# Control characters other than tab, newline, carriage return and form feed: plenty of
# them means the bytes are not text, whatever a detector might guess.
_CONTROL_BYTES = set(range(0, 32)) - {9, 10, 12, 13}


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
    best = from_bytes(data).best()
    if best is not None and best.encoding not in {"utf_8", "utf_8_sig"}:
        return DecodedText(
            str(best), best.encoding, note=f"not valid UTF-8 (byte {first_bad}); decoded as {best.encoding}"
        )
    return DecodedText(
        data.decode("utf-8", errors="replace"),
        "utf-8",
        note=f"not valid UTF-8 (byte {first_bad}) and no other encoding fits; bad bytes shown as U+FFFD",
    )


def _looks_like_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))
