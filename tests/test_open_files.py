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
