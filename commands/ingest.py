"""/ingest: add articles to the caller's own corpus, from a URL or from uploaded files.

Uploads and fetched pages go through the same loaders as files on disk: they are
written to a private temporary folder under a safe name (so a sidecar ``NAME.meta.json``
uploaded with ``NAME.txt`` is read with it) and their source is then renamed to what
the user gave (``upload:NAME`` or the URL, see ``index.ingest.pages``), so that
re-sending the same file is ``unchanged`` rather than ``updated``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from index.ingest import DEFAULT_MAX_BYTES, IngestError, LoadResult, load_paths
from index.ingest.fetch import FetchPolicy
from index.ingest.loaders import SIDECAR_SUFFIX
from index.ingest.pages import load_url, renamed
from index.library import IngestOutcome

from .base import Command, CommandContext, CommandError, Response

MAX_FILES = 10
UPLOAD_PREFIX = "upload:"
NOTHING_TO_INGEST = "Give a `url` or attach article files (.txt .md .html .json .jsonl)."


class UploadedFile(BaseModel):
    filename: str = Field(min_length=1, max_length=255)
    data: bytes


class IngestArgs(BaseModel):
    url: str | None = Field(default=None, min_length=1, max_length=2000,
                            description="Address of an article page to fetch (http or https)")
    files: list[UploadedFile] = Field(default_factory=list, max_length=MAX_FILES,
                                      description="An article file: .txt .md .html .json .jsonl (with NAME.meta.json)")


class IngestResponse(Response):
    command: str = "ingest"
    corpus: str
    ingested: int
    updated: int
    unchanged: int
    failed: int
    outcomes: list[IngestOutcome]


@dataclass(frozen=True)
class IngestLimits:
    max_bytes: int = DEFAULT_MAX_BYTES  # for uploads and fetched pages alike
    allow_private_fetch: bool = False
    fetch_timeout: float = 20.0

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(allow_private=self.allow_private_fetch, timeout=self.fetch_timeout, max_bytes=self.max_bytes)


def run(context: CommandContext, args: IngestArgs, *, limits: IngestLimits = IngestLimits()) -> IngestResponse:
    """Ingest into the caller's one corpus; callers give exactly one, their own."""
    if len(context.corpora) != 1:
        raise ValueError(f"ingest writes into exactly one corpus, got {list(context.corpora)}")
    if not args.url and not args.files:
        raise CommandError(NOTHING_TO_INGEST)
    corpus = context.corpora[0]
    with tempfile.TemporaryDirectory(prefix="claimdesk-ingest-") as temporary:
        folder = Path(temporary).resolve()  # as the loaders name their sources, so that _renamed finds it
        items = load_url(args.url, limits.fetch_policy(), corpus=corpus) if args.url else []
        items += _from_uploads(args.files, folder / "uploads", corpus, limits.max_bytes)
        report = context.library.ingest(items)
    return IngestResponse(
        corpus=corpus,
        ingested=report.count("ingested"),
        updated=report.count("updated"),
        unchanged=report.count("unchanged"),
        failed=report.count("failed"),
        outcomes=report.outcomes,
    )


def _from_uploads(files: list[UploadedFile], folder: Path, corpus: str, max_bytes: int) -> list[LoadResult]:
    folder.mkdir()
    results: list[LoadResult] = []
    written: list[Path] = []
    for upload in files:
        name = Path(upload.filename.replace("\\", "/")).name  # never a path, whatever the client sent
        path = folder / name
        if not name or name.startswith(".") or path in written:
            results.append(IngestError(UPLOAD_PREFIX + upload.filename, "give each file a distinct, visible name"))
            continue
        path.write_bytes(upload.data)
        written.append(path)
    # A sidecar sent with its article is read by the article's loader, not ingested alone.
    articles = [p for p in written
                if not (p.name.endswith(SIDECAR_SUFFIX) and _sidecar_target(p, written) is not None)]
    temporary = f"{folder}{os.sep}"
    results.extend(renamed(load_paths(articles, corpus=corpus, max_bytes=max_bytes), temporary, UPLOAD_PREFIX))
    return results


def _sidecar_target(sidecar: Path, written: list[Path]) -> Path | None:
    stem = sidecar.name[: -len(SIDECAR_SUFFIX)]
    return next((p for p in written if p != sidecar and p.stem == stem), None)


COMMAND = Command(
    name="ingest",
    description="Add articles to this server's library from a URL or attached files (server managers)",
    args=IngestArgs,
    run=run,
    manager_only=True,
)
