"""The claimdesk command line, run as a real process on the fictional examples."""

import json
import subprocess

from conftest import EXAMPLES, REPO, claimdesk_command


def claimdesk(data, *args, check=True):
    result = subprocess.run([*claimdesk_command(), "--data", str(data), *args], cwd=REPO, capture_output=True,
                            text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_ingest_prints_a_summary_and_ask_answers(tmp_path):
    data = tmp_path / "data"
    first = claimdesk(data, "ingest", str(EXAMPLES))
    assert first.stdout.startswith("6 ingested, 0 updated, 0 unchanged, 0 failed")
    again = claimdesk(data, "ingest", str(EXAMPLES))
    assert again.stdout.startswith("0 ingested, 0 updated, 6 unchanged, 0 failed")
    answer = claimdesk(data, "ask", "/search shelters")
    assert "Eskarian Broadcasting Service" in answer.stdout and "«shelters»" in answer.stdout
    as_json = json.loads(claimdesk(data, "ask", "/search shelters", "--json").stdout)
    assert as_json["command"] == "search" and as_json["total"] >= 2
    sources = json.loads(claimdesk(data, "sources", "--json").stdout)
    assert sources["articles"] == 6


def test_failures_are_listed_with_reasons_and_exit_1(tmp_path):
    (tmp_path / "bad.json").write_text("{oops")
    result = claimdesk(tmp_path / "data", "ingest", str(tmp_path / "bad.json"), str(tmp_path / "missing"), check=False)
    assert result.returncode == 1
    assert "0 ingested, 0 updated, 0 unchanged, 2 failed" in result.stdout
    assert "bad.json: not valid JSON" in result.stdout
    assert "missing: no such file or folder" in result.stdout


def test_a_bad_query_is_a_message_not_a_traceback(tmp_path):
    result = claimdesk(tmp_path / "data", "ask", '/search "unclosed', check=False)
    assert result.returncode == 2
    assert "Unbalanced quote" in result.stderr and "Traceback" not in result.stderr
    as_json = claimdesk(tmp_path / "data", "ask", '/search "unclosed', "--json", check=False)
    assert "Unbalanced quote" in json.loads(as_json.stdout)["error"]


def test_an_invalid_setting_is_a_message_not_a_traceback(tmp_path):
    import os

    env = {**os.environ, "CLAIMDESK_MAX_BYTES": "-5"}
    result = subprocess.run([*claimdesk_command(), "--data", str(tmp_path), "sources"], cwd=REPO,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2
    assert "MAX_BYTES" in result.stderr and "Traceback" not in result.stderr
