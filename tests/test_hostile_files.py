"""Hostile files: deep JSON, FIFOs, devices and sockets never stop a batch, never block,
never read without bound; each gets a message naming it and saying why.

All article text here is fictional, written for these tests.
"""

import json
import os
import resource
import socket
import subprocess

import pytest

from commands import ingest
from commands.ingest import IngestArgs, UploadedFile
from index.ingest import IngestError, load_paths
from tests.conftest import REPO, claimdesk_command, context

DEEP = "[" * 100_000 + "]" * 100_000
STORIES = [
    "The Orsk library will open on Sundays from June, the town council said.",
    "Fishermen in Lisk landed 40 tonnes of herring on Tuesday, the harbour master said.",
    "A new footbridge over the Varn river was closed after cracks appeared, engineers said.",
    "The regional choir won first prize at the spring festival in Tolvik.",
    "Bus drivers in Dunmore voted to accept a pay offer of 4 percent, their union said.",
    "Heavy snow cut power to 1,200 homes in Marrow Hill overnight, the grid operator said.",
    "The museum in Callander returned a painting to the family of its first owner.",
]


def story(n: int) -> str:
    return f"{STORIES[n % len(STORIES)]} It was the {n}th report of the week."


def test_one_deeply_nested_json_file_among_49_good_ones(library, write):
    good = [write(f"batch/story{n:02d}.txt", story(n)) for n in range(49)]
    write("batch/brackets.json", DEEP)
    report = library.ingest_paths([write.root / "batch"])
    assert report.count("ingested") == 49
    [failure] = report.failures
    assert failure.source.endswith("brackets.json")
    assert "too deeply" in failure.reason and "fix the file" in failure.reason
    assert {o.article_id for o in report.outcomes if o.status == "ingested"} == {p.stem for p in good}


def test_deep_json_lines_records_and_sidecars_are_each_refused_alone(write):
    lines = [json.dumps({"text": story(1)}), DEEP, '{"text": ' + "[" * 5000 + "]" * 5000 + "}", json.dumps({"text": story(2)})]
    write("feed.jsonl", "\n".join(lines) + "\n")
    write("list.json", json.dumps([{"text": story(3)}])[:-1] + ", " + "{\"a\": " * 3000 + "1" + "}" * 3000 + "]")
    write("flood.txt", story(4))
    write("flood.meta.json", '{"title": ' + "[" * 3000 + "]" * 3000 + "}")
    results = list(load_paths([write.root]))
    errors = {e.source.split("/")[-1]: e.reason for e in results if isinstance(e, IngestError)}
    loaded = sorted(r.article.id for r in results if not isinstance(r, IngestError))
    assert loaded == ["feed-1", "feed-4"]
    assert set(errors) == {"feed.jsonl:2", "feed.jsonl:3", "list.json", "flood.meta.json"}
    assert all("too deeply" in reason for reason in errors.values())
    assert errors["feed.jsonl:2"].startswith("line 2 ")
    assert errors["flood.meta.json"].startswith("metadata sidecar ")


def test_a_deep_upload_beside_a_good_one_through_ingest(library):
    files = [UploadedFile(filename="deep.json", data=DEEP.encode()),
             UploadedFile(filename="bridge.txt", data=story(2).encode())]
    response = ingest.run(context(library), IngestArgs(files=files))
    assert (response.ingested, response.failed) == (1, 1)
    [failure] = [o for o in response.outcomes if o.status == "failed"]
    assert failure.source == "upload:deep.json" and "too deeply" in failure.reason


@pytest.fixture
def special_files(write, tmp_path):
    """A FIFO, a device, a socket and a symlink to a regular file, all named like articles."""
    root = write.root
    write("good.txt", story(5))
    real = write("elsewhere/real.txt", story(6))
    (root / "linked.txt").symlink_to(real)
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "zero.jsonl").symlink_to("/dev/zero")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(root / "sock.md"))
    yield root
    listener.close()


def test_special_files_are_refused_by_kind_without_blocking(special_files):
    names = ["pipe.txt", "zero.txt", "zero.jsonl", "sock.md", "linked.txt", "good.txt"]
    results = list(load_paths([special_files / n for n in names], max_bytes=10_000))
    errors = {e.source.rsplit("/", 1)[-1]: e.reason for e in results if isinstance(e, IngestError)}
    assert "named pipe" in errors["pipe.txt"]
    assert "character device" in errors["zero.txt"] and "character device" in errors["zero.jsonl"]
    assert "socket" in errors["sock.md"]
    assert all("not a regular file" in reason for reason in errors.values())
    assert sorted(r.article.id for r in results if not isinstance(r, IngestError)) == ["good", "linked"]


def test_special_files_inside_a_folder_are_named_too(special_files):
    results = list(load_paths([special_files]))
    errors = {e.source.rsplit("/", 1)[-1]: e.reason for e in results if isinstance(e, IngestError)}
    assert set(errors) == {"pipe.txt", "zero.txt", "zero.jsonl", "sock.md", "linked.txt"}
    assert errors["linked.txt"].startswith("the same file as ")  # a second path to real.txt: read once
    assert sorted(r.article.id for r in results if not isinstance(r, IngestError)) == ["good", "real"]


def _limit_memory() -> None:
    # A reader that trusts st_size would fill memory from /dev/zero; make it fail fast.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_the_cli_refuses_special_files_and_ingests_the_rest(special_files, tmp_path):
    names = ["pipe.txt", "zero.txt", "sock.md", "linked.txt", "good.txt"]
    done = subprocess.run(
        [*claimdesk_command(), "--data", str(tmp_path / "data"), "ingest", *(str(special_files / n) for n in names)],
        capture_output=True, text=True, timeout=180, cwd=REPO, preexec_fn=_limit_memory,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("2 ingested, 0 updated, 0 unchanged, 3 failed")
    for name, kind in (("pipe.txt", "named pipe"), ("zero.txt", "character device"), ("sock.md", "socket")):
        assert f"{name}: this is a {kind}" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_limit_bounds_what_is_read_not_what_stat_says(write):
    write.root.mkdir(parents=True)
    (write.root / "status.txt").symlink_to("/proc/self/status")  # a regular file that says it is empty
    [error] = list(load_paths([write.root / "status.txt"], max_bytes=100))
    assert "over the 100-byte limit" in error.reason
