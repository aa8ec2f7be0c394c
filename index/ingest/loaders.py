"""Turn files into Articles: one loader per format, each failure an IngestError."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from index.models import DEFAULT_CORPUS, Article

from .decode import decode_bytes
from .errors import IngestError
from .folders import walk
from .html import extract_html
from .metadata import TEXT_FIELDS, guess_language, pick_fields
from .plaintext import parse_plain_text
from .reading import bounded_lines, open_regular, read_limited

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
SIDECAR_SUFFIX = ".meta.json"
DEFAULT_MAX_BYTES = 5_000_000
# Python's JSON parser recurses once per level of nesting and gives up near a thousand.
TOO_DEEP = "nests JSON arrays or objects too deeply (hundreds of levels); an article has a few, fix the file"


@dataclass
class LoadedArticle:
    article: Article
    notes: list[str] = field(default_factory=list)
    # True when no metadata named the article and its id comes from the file name, so two
    # files called alike in different folders are told apart rather than merged.
    id_from_name: bool = False


LoadResult = LoadedArticle | IngestError
Progress = Callable[[int, int], None]  # (files done, files in all)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | IngestError]:
    """Every article file under the given paths, in a stable order; errors for bad paths."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield IngestError(str(path), "no such file or folder; check the path")
        elif path.is_dir():
            # Special files named like articles are listed too: reading refuses them by kind.
            found = list(walk(path, lambda relative: _is_article_file(relative) and not _is_hidden_or_readme(relative)))
            if not any(isinstance(item, Path) for item in found):
                yield IngestError(str(path), f"this folder holds no article files ({', '.join(SUPPORTED_SUFFIXES)})")
            yield from found
        elif path.name.endswith(SIDECAR_SUFFIX):
            yield IngestError(str(path), "this is a metadata sidecar; ingest the article file beside it instead")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield IngestError(str(path), f"unsupported file type {path.suffix or '(none)'}; use {', '.join(SUPPORTED_SUFFIXES)}")
        else:
            yield path


def load_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    corpus: str = DEFAULT_CORPUS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> Iterator[LoadResult]:
    """Every article under the given paths: the paths' own errors first, then each
    file's articles and errors in turn; ``progress`` hears after each file."""
    found = list(discover(paths))
    yield from (item for item in found if isinstance(item, IngestError))
    files = [item for item in found if isinstance(item, Path)]
    for done, path in enumerate(files, start=1):
        yield from _known_by_real_path(load_file(path, corpus=corpus, max_bytes=max_bytes), path)
        if progress:
            progress(done, len(files))


def _known_by_real_path(results: Iterable[LoadResult], path: Path) -> Iterator[LoadResult]:
    """Articles with the file's real path (absolute, links followed) as their source, so
    that the same file reached through another path, relative, absolute or through a
    linked folder, is the same source. Names (ids) and errors keep the path as given."""
    given, real = str(path), str(path.resolve())
    for result in results:
        if isinstance(result, LoadedArticle) and result.article.source.startswith(given):
            result.article.source = real + result.article.source[len(given):]  # keeps a record's ":N"
        yield result


def _is_hidden_or_readme(relative: Path) -> bool:
    """Hidden files and a folder's README describe the folder; they are not articles."""
    return any(part.startswith(".") for part in relative.parts) or relative.stem.upper() == "README"


def _is_article_file(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.endswith(SIDECAR_SUFFIX)


def load_file(path: Path, corpus: str = DEFAULT_CORPUS, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[LoadResult]:
    source = str(path)
    if path.suffix.lower() == ".jsonl":
        # Exports and feeds grow large: read line by line, the size limit is per article.
        yield from _load_jsonl(path, corpus, max_bytes)
        return
    try:
        decoded = decode_bytes(read_limited(path, max_bytes), source)
    except IngestError as exc:
        yield exc
        return
    notes = [decoded.note] if decoded.note else []
    suffix = path.suffix.lower()
    if suffix == ".json":
        yield from _load_json(decoded.text, path, corpus, notes)
    else:
        sidecar = _read_sidecar(path, max_bytes)
        if isinstance(sidecar, IngestError):
            yield sidecar
            return
        sidecar_fields, sidecar_warnings = sidecar
        try:
            yield _build_document(
                decoded.text, path, corpus, html=suffix in {".html", ".htm"}, markdown=suffix == ".md",
                overrides=sidecar_fields, notes=notes + sidecar_warnings,
            )
        except IngestError as exc:
            yield exc


def _read_sidecar(path: Path, max_bytes: int) -> tuple[dict[str, Any], list[str]] | IngestError:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}, []
    try:
        raw = json.loads(read_limited(sidecar, max_bytes).decode("utf-8"))
    except IngestError as exc:
        return IngestError(exc.source, f"metadata sidecar: {exc.reason}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return IngestError(str(sidecar), f"metadata sidecar is not valid JSON ({exc}); fix or remove it")
    except RecursionError:
        return IngestError(str(sidecar), f"metadata sidecar {TOO_DEEP}")
    if not isinstance(raw, dict):
        return IngestError(str(sidecar), "metadata sidecar must hold one JSON object of fields")
    return pick_fields(raw)


def _build_document(
    text: str, path: Path, corpus: str, *, html: bool, markdown: bool,
    overrides: dict[str, Any], notes: list[str], record_id: str | None = None, source: str | None = None,
) -> LoadedArticle:
    source = source or str(path)
    fields: dict[str, Any] = {}
    if html:
        text, fields, warnings = extract_html(text, source, url=overrides.get("url"))
        notes = notes + warnings
    parsed = parse_plain_text(text, markdown=markdown)
    fields = {**fields, **parsed.fields, **overrides}
    id_from_name = "id" not in fields
    fields.setdefault("id", record_id or path.stem)
    fields.setdefault("language", guess_language(text))
    try:
        article = Article(corpus=corpus, source=source, text=text, spans=parsed.spans, **fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'article'}: {e['msg']}" for e in exc.errors())
        raise IngestError(source, f"invalid article fields ({problems})") from None
    return LoadedArticle(article, notes + parsed.warnings, id_from_name=id_from_name)


def _load_record(
    raw: Any, path: Path, corpus: str, number: int, where: str, notes: list[str], default_id: str | None = None
) -> LoadResult:
    if default_id:
        source = str(path)
    else:
        source = f"{path}:{number}" if where == "line" else f"{path}#{number}"
    if not isinstance(raw, dict):
        return IngestError(source, f"{where} {number} is not a JSON object; give one article object per {where}")
    lowered = {str(k).lower(): v for k, v in raw.items()}
    text = next((lowered[k] for k in TEXT_FIELDS if isinstance(lowered.get(k), str) and lowered[k].strip()), None)
    html = lowered.get("html") if isinstance(lowered.get("html"), str) else None
    if text is None and html is None:
        return IngestError(source, f"{where} {number} has no article text; put it in a \"text\" field")
    fields, warnings = pick_fields(raw)
    try:
        return _build_document(
            text if text is not None else html, path, corpus, html=text is None, markdown=False,
            overrides=fields, notes=notes + warnings, record_id=default_id or f"{path.stem}-{number}", source=source,
        )
    except IngestError as exc:
        return exc


def _load_jsonl(path: Path, corpus: str, max_bytes: int) -> Iterator[LoadResult]:
    seen_any = False
    try:
        handle = open_regular(path)
    except IngestError as exc:
        yield exc
        return
    with handle:
        for number, (raw_line, length) in enumerate(bounded_lines(handle, max_bytes), start=1):
            where = f"{path}:{number}"
            if raw_line is None:
                seen_any = True
                yield IngestError(where, f"line {number} is {length:,} bytes, over the {max_bytes:,}-byte limit")
                continue
            if not raw_line.strip():
                continue
            seen_any = True
            try:
                line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
                record = json.loads(line)
            except UnicodeDecodeError:
                yield IngestError(where, f"line {number} is not UTF-8 text, which JSON lines must be; re-save the file as UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield IngestError(where, f"line {number} is not valid JSON ({exc.msg} at column {exc.colno}); fix or remove it")
                continue
            except RecursionError:
                yield IngestError(where, f"line {number} {TOO_DEEP}")
                continue
            yield _load_record(record, path, corpus, number, "line", [])
    if not seen_any:
        yield IngestError(str(path), "the file is empty; nothing to ingest")


def _load_json(text: str, path: Path, corpus: str, notes: list[str]) -> Iterator[LoadResult]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); fix the file")
        return
    except RecursionError:
        yield IngestError(str(path), f"the file {TOO_DEEP}")
        return
    if isinstance(raw, dict):
        # A single-article JSON file is named like any other file.
        yield _load_record(raw, path, corpus, 1, "record", notes, default_id=path.stem)
    elif isinstance(raw, list):
        if not raw:
            yield IngestError(str(path), "the JSON list is empty; nothing to ingest")
        for number, item in enumerate(raw, start=1):
            yield _load_record(item, path, corpus, number, "record", notes)
    else:
        yield IngestError(str(path), "JSON must hold an article object or a list of them")
