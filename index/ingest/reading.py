"""Reading article files: regular files only, and never more bytes than the size limit.

A FIFO would block the reader (and the writer lock) until someone writes to it; a
device such as ``/dev/zero`` never ends and reports a size of 0. So the kind of file is
checked on the opened descriptor (a path can be swapped after a check by name), the file
is opened without blocking, and the limit bounds what is read rather than trusting
what ``stat`` says. A symlink to a regular file is a regular file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import IngestError

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)
_CHUNK = 1 << 16


def special_kind(mode: int) -> str | None:
    """What a file of this mode is, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _SPECIAL_KINDS if test(mode)), "not a regular file")


def open_regular(path: Path) -> BinaryIO:
    """The file opened for reading, or an IngestError saying why it cannot be read."""
    source = str(path)
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is None:
            descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            kind = special_kind(os.fstat(descriptor).st_mode)
            if kind is None:
                return os.fdopen(descriptor, "rb")
            os.close(descriptor)
    except OSError as exc:
        raise IngestError(source, f"cannot read the file: {exc.strerror or exc}") from None
    raise IngestError(source, f"this is {kind}, not a regular file; give article files or folders")


def read_limited(path: Path, max_bytes: int) -> bytes:
    """All of a regular file's bytes, refused when there are more than ``max_bytes``."""
    with open_regular(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(max_bytes + 1) if size <= max_bytes else b""
        except OSError as exc:
            raise IngestError(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    if size > max_bytes or len(data) > max_bytes:
        shown = f"{size:,} bytes" if size > max_bytes else f"over {max_bytes:,} bytes"
        raise IngestError(str(path), f"file is {shown}, over the {max_bytes:,}-byte limit; "
                                     "split it or raise --max-bytes")
    return data


def bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """Each line (newline included) and its length; a line over ``max_bytes`` comes as
    ``None`` with its full length, read past in chunks rather than held in memory."""
    while line := handle.readline(max_bytes + 1):
        if len(line) <= max_bytes:
            yield line, len(line)
            continue
        length = len(line)
        while not line.endswith(b"\n") and (line := handle.readline(_CHUNK)):
            length += len(line)
        yield None, length
