"""Walking an ingested folder: every article file once, whatever symbolic links do.

A linked folder is read too (a desk may link another folder of articles in), after the
folder's own subfolders. A link to a folder that is read already — a link back to a
folder that holds it, which would loop for ever, or a second way into the same folder —
is skipped and named, and so is a second path to a file read already. A link that
leads nowhere (a chain of links that loops, a missing target) is named as well.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import IngestError, IngestSkip

FileKey = tuple[int, int]  # (device, inode): one file or folder, whatever path leads to it


def walk(root: Path, wanted: Callable[[Path], bool]) -> Iterator[Path | IngestError]:
    """The files under ``root`` that ``wanted`` accepts (given their path relative to
    ``root``), in a stable order, each file once; hidden folders are not entered. What was
    skipped, and folders that could not be read, come as errors before the files."""
    seen_folders: dict[FileKey, Path] = {}
    found: dict[FileKey, list[tuple[bool, Path]]] = {}  # a file's paths, each marked: through a link?
    problems: list[IngestError] = []
    pending: list[tuple[Path, bool]] = [(root, False)]
    linked: list[Path] = []  # linked folders, read after every real subfolder
    while pending or linked:
        folder, through_link = pending.pop() if pending else (linked.pop(0), True)
        try:
            key = _key(folder.stat())
            if key in seen_folders:
                problems.append(_folder_seen_already(folder, seen_folders[key]))
                continue
            seen_folders[key] = folder
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(IngestError(str(folder), f"this folder cannot be read ({exc.strerror}); its articles "
                                                     "were left out — check its permissions"))
            continue
        for entry in entries:
            path = Path(entry.path)
            relative = path.relative_to(root)
            if relative.parts[-1].startswith("."):
                continue  # hidden files and folders describe the folder; they are not articles
            try:
                info = entry.stat()  # follows links
            except OSError as exc:
                if entry.is_symlink():
                    problems.append(_broken_link(path, exc))
                continue
            if entry.is_dir():
                if entry.is_symlink():
                    linked.append(path)
                else:
                    pending.append((path, through_link))
            elif wanted(relative):
                found.setdefault(_key(info), []).append((through_link or entry.is_symlink(), path))
    files = []
    for paths in found.values():
        # The file's own path is read; a path through a link to it is the copy left out.
        (_, first), *others = sorted(paths)
        files.append(first)
        problems += [IngestSkip(str(other), f"the same file as {first}, which is read once") for _, other in others]
    yield from problems
    yield from sorted(files)


def _key(info: os.stat_result) -> FileKey:
    return info.st_dev, info.st_ino


def _folder_seen_already(folder: Path, first: Path) -> IngestSkip:
    real = folder.resolve()
    if folder.is_symlink() and folder.parent.resolve().is_relative_to(real):
        return IngestSkip(str(folder), f"a link back to {real}, a folder that holds it (following it would "
                                       "read the same files for ever)")
    return IngestSkip(str(folder), f"the same folder as {first}, whose files are read once")


def _broken_link(path: Path, error: OSError) -> IngestSkip:
    if error.errno == errno.ELOOP:
        return IngestSkip(str(path), "a symbolic link that leads round in a loop of links")
    return IngestSkip(str(path), f"a symbolic link to {os.readlink(path)}, which does not exist")
