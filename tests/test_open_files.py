"""The CLI raises the soft limit on open files to the hard one: searchers keep several
files open per index segment in every query thread."""

import resource
import subprocess
import sys

PROBE = """
import resource
from bot.cli import main
resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
main(["--data", {data!r}, "sources"])
print(resource.getrlimit(resource.RLIMIT_NOFILE))
"""


def test_the_cli_raises_the_open_file_limit_to_the_hard_limit(tmp_path):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    done = subprocess.run([sys.executable, "-c", PROBE.format(data=str(tmp_path / "data"))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str((hard, hard))


def test_a_finished_threads_searchers_are_closed_and_close_closes_every_threads(tmp_path):
    import threading

    from index.library import Library
    from index.query import parse_query

    (tmp_path / "story.txt").write_text(  # fictional
        "Harbour fees rise\n\nFees at the Keldmouth harbour rise by 12 percent, the port authority said.\n",
        encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.ingest_paths([tmp_path / "story.txt"])
        search = library.search
        opened_by_thread = []

        def query() -> None:
            search.search_claims(parse_query("harbour"), ["default"])
            opened_by_thread.extend(search._open_searchers)

        worker = threading.Thread(target=query)
        worker.start()
        worker.join()
        [thread_searcher] = opened_by_thread
        assert not thread_searcher.is_closed  # its thread ended, nobody has opened one since
        search.search_claims(parse_query("harbour"), ["default"])  # this thread opens its own
        assert thread_searcher.is_closed
        [own] = search._open_searchers
    assert own.is_closed  # closing the library closed the searcher this thread kept
