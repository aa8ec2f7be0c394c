"""A loopback HTTP server for feed tests, and builders for the (fictional) feeds it serves.

Routes are set per test and may change between polls; every request is recorded with
its headers, so tests can check what the poller sent (If-None-Match, ...).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the headers
    chunked: bool = False  # streamed without Content-Length
    drip: float = 0.0  # seconds between 1 kB chunks of the body


Route = Reply | Callable[[dict[str, str]], Reply]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.client_ports: list[int] = []  # the client's port of each request, in order
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@contextmanager
def serving() -> Iterator[FeedServer]:
    state = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append((self.path, headers))
            state.client_ports.append(self.client_address[1])
            route = state.routes.get(self.path, Reply(b"not here", 404, {"Content-Type": "text/plain"}))
            reply = route(headers) if callable(route) else route
            time.sleep(reply.delay)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                if reply.chunked or reply.drip:
                    for start in range(0, len(reply.body), 1024):
                        piece = reply.body[start:start + 1024]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if reply.chunked else piece)
                        self.wfile.flush()
                        time.sleep(reply.drip)
                    if reply.chunked:
                        self.wfile.write(b"0\r\n\r\n")
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the fetcher gave up (too slow, too big), as the test means it to

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Item:
    title: str
    text: str = ""  # the full text, as paragraphs separated by blank lines ("" for a teaser-only entry)
    link: str | None = None
    guid: str | None = None
    summary: str = ""
    published: datetime | None = None


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def rss(title: str, items: list[Item], *, site: str = "https://ledger.example/") -> bytes:
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
             f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{escape(title)}</title>'
             f"<link>{escape(site)}</link><description>Fictional test feed</description>"]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.published:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        if item.text:
            parts.append(f"<content:encoded><![CDATA[{_paragraphs(item.text)}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def atom(title: str, items: list[Item]) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
             f"<title>{escape(title)}</title><id>urn:fictional:{escape(title)}</id>"
             "<updated>2025-05-01T08:00:00Z</updated>"]
    for item in items:
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f"<id>{escape(item.guid or item.link or item.title)}</id>")
        if item.link:
            parts.append(f'<link rel="alternate" href="{escape(item.link)}"/>')
        when = (item.published or datetime(2025, 5, 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append(f"<updated>{when}</updated>")
        if item.summary:
            parts.append(f"<summary>{escape(item.summary)}</summary>")
        if item.text:
            parts.append(f'<content type="html">{escape(_paragraphs(item.text))}</content>')
        parts.append("</entry>")
    parts.append("</feed>")
    return "".join(parts).encode("utf-8")


def page(title: str, text: str, *, canonical: str | None = None, site: str = "The Valley Ledger") -> bytes:
    head = f"<title>{escape(title)}</title><meta property=\"og:site_name\" content=\"{escape(site)}\">"
    if canonical:
        head += f'<link rel="canonical" href="{escape(canonical)}">'
    return (f"<html><head>{head}</head><body><nav>Home | News | Sport</nav><article><h1>{escape(title)}</h1>"
            f"{_paragraphs(text)}</article><footer>Contact us</footer></body></html>").encode("utf-8")
