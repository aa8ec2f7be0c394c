"""URL fetching against a real HTTP server on 127.0.0.1, started by each test.

Loopback is exactly what the fetcher must refuse by default, so these tests show both
sides: refused with a clear message, fetched when the operator allows private fetches.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index.ingest.fetch import FetchError, FetchPolicy, fetch

ARTICLE = (b"<html><head><title>Ferry service resumes on Lake Orven</title></head><body><article>"
           b"<h1>Ferry service resumes on Lake Orven</h1><p>The ferry operator said on Monday that 14 crossings "
           b"a day would run again from April, after repairs to the northern pier.</p></article></body></html>")

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/ferry.html": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/notes.txt": (200, {"Content-Type": "text/plain"}, b"Pier repairs\n\nRepairs took nine weeks, the operator said."),
    "/record.json": (200, {"Content-Type": "application/problem+json"}, b'{"title": "T", "text": "Some text."}'),
    "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"),
    "/big.txt": (200, {"Content-Type": "text/plain"}, b"word " * 2000),
    "/gone": (404, {"Content-Type": "text/plain"}, b"not here"),
    "/moved": (302, {"Location": "/ferry.html"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1)
        status, headers, body = ROUTES.get(self.path, (404, {}, b""))
        if self.path == "/elsewhere":  # a redirect to another loopback address: 127.0.0.2
            status, headers, body = 302, {"Location": f"http://127.0.0.2:{self.server.server_port}/ferry.html"}, b""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher gave up (too slow, too big), as the test means it to

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


ALLOWED = FetchPolicy(allow_private=True, timeout=5)


class OnlyFirstLoopback(FetchPolicy):
    """Trusts 127.0.0.1 and nothing else private, to show that every redirect is checked."""

    def refusal(self, address):
        return None if address == ipaddress.ip_address("127.0.0.1") else super().refusal(address)


def test_loopback_is_refused_by_default_with_a_clear_message() -> None:
    with serving() as base:
        with pytest.raises(FetchError) as refused:
            fetch(f"{base}/ferry.html")
    message = str(refused.value)
    assert "127.0.0.1 is a loopback address" in message and "CLAIMDESK_ALLOW_PRIVATE_FETCH=1" in message


def test_host_names_are_checked_after_they_are_resolved() -> None:
    with serving() as base:
        with pytest.raises(FetchError, match="loopback address"):
            fetch(base.replace("127.0.0.1", "localhost") + "/ferry.html")


@pytest.mark.parametrize("address, reason", [
    ("10.1.2.3", "10.1.2.3 is a private address"), ("192.168.0.1", "192.168.0.1 is a private address"),
    ("169.254.169.254", "169.254.169.254 is a link-local address"), ("::1", "::1 is a loopback address"),
    ("::ffff:127.0.0.1", "127.0.0.1 is a loopback address"), ("fe80::1", "fe80::1 is a link-local address"),
    ("0.0.0.0", "0.0.0.0 is a private address"), ("100.64.0.1", "100.64.0.1 is a reserved address"),
    ("224.0.0.1", "224.0.0.1 is a multicast address"), ("240.0.0.1", "240.0.0.1 is a private address"),
])
def test_private_link_local_and_reserved_addresses_are_refused(address: str, reason: str) -> None:
    assert FetchPolicy().refusal(ipaddress.ip_address(address)) == reason
    assert FetchPolicy().refusal(ipaddress.ip_address("93.184.216.34")) is None
    assert FetchPolicy(allow_private=True).refusal(ipaddress.ip_address(address)) is None


def test_allowed_pages_are_fetched_with_their_type() -> None:
    with serving() as base:
        page = fetch(f"{base}/ferry.html", ALLOWED)
        assert (page.url, page.content_type, page.suffix) == (f"{base}/ferry.html", "text/html", ".html")
        assert page.data == ARTICLE
        assert fetch(f"{base}/notes.txt", ALLOWED).suffix == ".txt"
        assert fetch(f"{base}/record.json", ALLOWED).suffix == ".json"


def test_redirects_are_followed_and_each_target_is_checked() -> None:
    with serving() as base:
        assert fetch(f"{base}/moved", ALLOWED).url == f"{base}/ferry.html"
        assert fetch(f"{base}/moved", OnlyFirstLoopback()).data == ARTICLE
        with pytest.raises(FetchError, match="127.0.0.2 is a loopback address"):
            fetch(f"{base}/elsewhere", OnlyFirstLoopback())
        with pytest.raises(FetchError, match="Only http and https"):
            fetch(f"{base}/to-file", ALLOWED)
        with pytest.raises(FetchError, match="redirects more than 5 times"):
            fetch(f"{base}/loop", ALLOWED)


def test_refusals_name_the_problem() -> None:
    with serving() as base:
        with pytest.raises(FetchError, match="application/pdf; claimdesk reads HTML, plain text"):
            fetch(f"{base}/report.pdf", ALLOWED)
        with pytest.raises(FetchError, match="10,000 bytes, over the 1,000-byte limit"):
            fetch(f"{base}/big.txt", FetchPolicy(allow_private=True, max_bytes=1000))
        with pytest.raises(FetchError, match="HTTP 404"):
            fetch(f"{base}/gone", ALLOWED)
        with pytest.raises(FetchError, match="took too long"):
            fetch(f"{base}/slow", FetchPolicy(allow_private=True, timeout=0.5))
    with pytest.raises(FetchError, match="Only http and https"):
        fetch("ftp://files.example/a.txt")
    with pytest.raises(FetchError, match="user name or password"):
        fetch("https://user:secret@news.example/a")
