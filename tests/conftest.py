import sys
from pathlib import Path

import pytest

from commands import CommandContext
from index.library import Library

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def library(data_dir: Path):
    with Library(data_dir) as lib:
        yield lib


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path/articles and return its path (str content as UTF-8, bytes as is)."""
    root = tmp_path / "articles"

    def _write(name: str, content: str | bytes) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    _write.root = root
    return _write


def context(library: Library, *corpora: str) -> CommandContext:
    return CommandContext(library=library, corpora=list(corpora) or ["default"])


def claimdesk_command() -> list[str]:
    return [sys.executable, "-m", "bot.cli"]
