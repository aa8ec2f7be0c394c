"""Fetch a page or a feed over HTTP(S), refusing addresses inside the operator's network.

One code path serves article pages, feeds, ``claimdesk ingest URL`` and the bot's
``/ingest url:``. A URL given to a chat bot is chosen by whoever types it (and a feed
chooses the links it lists), so fetching must not let them reach the machine's own
services or its private network (SSRF). Every hop is checked: the host is resolved,
every address it resolves to must be public, and the connection goes to the address
that was checked (not to a second lookup an attacker's DNS could answer differently).
Redirects are followed by hand so that each target is checked the same way. Operators
who ingest from an intranet turn the check off with ``CLAIMDESK_ALLOW_PRIVATE_FETCH=1``.

A hostile server can also try to hold the fetcher (dripping bytes), to fill memory (a
huge or a compressed-bomb body) or to hand over XML whose entities expand to gigabytes;
the deadline is enforced by closing the socket, the body is counted after
decompression while it streams, and XML with an internal entity declaration is refused.

The standard library is enough here: ``http.client`` lets the connection be pinned to
a vetted address, which urllib's openers do not.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

from .loaders import DEFAULT_MAX_BYTES

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Kind = Literal["page", "feed"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "claimdesk/0.1 (newsroom fact-query bot)"
READ_CHUNK = 64 * 1024

# What each accepted page content type is read as: the suffix picks the loader.
SUFFIX_BY_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/json": ".json",
}
# Feeds: the XML types, and text/plain, which many servers label their feeds with.
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "text/plain",
})
ACCEPT = {
    "page": "text/html, application/xhtml+xml, text/plain, text/markdown, application/json;q=0.9",
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
}
DECOMPRESSORS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}

# "<!ENTITY" as each encoding an XML parser may read it in: an internal entity
# declaration is how "billion laughs" expands a few bytes into gigabytes.
_ENTITY_MARKS = tuple(
    "<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")
)


class FetchError(Exception):
    """The page could not be fetched; the message says why, for the person who asked."""


class RetryLater(FetchError):
    """The server asked to be left alone for a while (429, or 503 with Retry-After)."""

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # seconds, when the server said


class Gone(FetchError):
    """HTTP 410: the server says the address is gone for good."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    timeout: float = 20.0  # seconds for the whole fetch, redirects included
    max_bytes: int = DEFAULT_MAX_BYTES  # of the body after decompression
    max_redirects: int = 5

    def refusal(self, address: IPAddress) -> str | None:
        """Why this address may not be fetched from, or None when it may."""
        if self.allow_private:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        for kind, is_kind in (
            ("loopback", address.is_loopback),
            ("link-local", address.is_link_local),
            ("private", address.is_private),
            ("multicast", address.is_multicast),
            ("reserved", address.is_reserved or address.is_unspecified or not address.is_global),
        ):
            if is_kind:
                return f"{address} is a {kind} address"
        return None


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the server answers 304 when nothing changed."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    content_type: str  # the media type alone, lower-cased
    suffix: str  # the article file suffix its content type reads as
    data: bytes
    status: int = 200  # 304: not modified since the validators given (no data)
    content_type_header: str = ""  # as sent, with its charset
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str, policy: FetchPolicy = FetchPolicy(), *, kind: Kind = "page", validators: Validators | None = None
) -> FetchedPage:
    deadline = _Deadline(policy.timeout)
    current = url.strip()
    try:
        for _ in range(policy.max_redirects + 1):
            response, connection = _request(current, policy, deadline, kind, validators)
            try:
                if response.status in REDIRECTS:
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(f"{current} redirects without saying where to (HTTP {response.status}).")
                    current = urljoin(current, location.strip())
                    continue
                return _read_page(current, response, policy, deadline, kind)
            finally:
                connection.close()
    finally:
        deadline.cancel()
    raise FetchError(f"{url} redirects more than {policy.max_redirects} times; give the final address instead.")


class _Deadline:
    """The whole fetch's time limit, made hard: at the deadline the open socket is shut,
    which wakes any read a slow server is holding, whatever the per-read timeout."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self, url: str) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchError(f"{url} took too long to answer.")
        return left

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._socket = sock

    def _expire(self) -> None:
        with self._lock:
            if self._socket is not None:
                try:
                    self._socket.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed

    def cancel(self) -> None:
        self._timer.cancel()


def _request(
    url: str, policy: FetchPolicy, deadline: _Deadline, kind: Kind, validators: Validators | None
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"Only http and https addresses are fetched, not `{parts.scheme or 'no scheme'}:` ({url}).")
    if not parts.hostname:
        raise FetchError(f"{url} has no host name.")
    if parts.username or parts.password:
        raise FetchError("Addresses with a user name or password are not fetched.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"{url} has an invalid port.") from None
    address = _vetted_address(parts.hostname, port, policy)
    timeout = deadline.left(url)
    connection_type = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_type(parts.hostname, port, address, timeout, deadline)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT[kind], "Accept-Encoding": "gzip, deflate"}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse(), connection
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        if deadline.passed():
            raise FetchError(f"{url} took too long to answer.") from None
        raise FetchError(f"Could not fetch {url}: {_describe(exc)}.") from None


def _vetted_address(host: str, port: int, policy: FetchPolicy) -> str:
    """The first address of ``host``; every address it has must be allowed, so that a
    name resolving to both a public and a private address is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(f"The host {host} could not be found; check the address.") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for address in addresses:
        reason = policy.refusal(address)
        if reason:
            raise FetchError(
                f"Refused to fetch from {host}: {reason}. Fetching private, loopback, link-local and reserved "
                "addresses is turned off; the bot's operator can allow it with CLAIMDESK_ALLOW_PRIVATE_FETCH=1."
            )
    return str(addresses[0])


def _read_page(
    url: str, response: http.client.HTTPResponse, policy: FetchPolicy, deadline: _Deadline, kind: Kind
) -> FetchedPage:
    validators = Validators(etag=response.getheader("ETag"), last_modified=response.getheader("Last-Modified"))
    if response.status == 304:
        return FetchedPage(url=url, content_type="", suffix="", data=b"", status=304, validators=validators)
    _refuse_status(url, response)
    header = response.getheader("Content-Type") or ""
    content_type = header.split(";")[0].strip().lower()
    suffix = _suffix(url, content_type, kind)
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"{url} is {int(declared):,} bytes, over the {policy.max_bytes:,}-byte limit.")
    data = _read_body(url, response, policy.max_bytes, deadline)
    if "xml" in content_type:
        refuse_entity_declarations(url, data)
    return FetchedPage(url=url, content_type=content_type, suffix=suffix, data=data,
                       content_type_header=header, validators=validators)


def _refuse_status(url: str, response: http.client.HTTPResponse) -> None:
    if response.status == 200:
        return
    if response.status == 410:
        raise Gone(f"{url} is gone (HTTP 410): the server says it will not come back.")
    retry_after = _retry_after(response.getheader("Retry-After"))
    if response.status == 429 or (response.status == 503 and retry_after is not None):
        when = f"in {retry_after:,.0f} seconds" if retry_after is not None else "later"
        raise RetryLater(f"{url} asks to be fetched less often (HTTP {response.status}); trying again {when}.",
                         retry_after)
    raise FetchError(f"{url} answered HTTP {response.status} {response.reason}.")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a Retry-After header (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _suffix(url: str, content_type: str, kind: Kind) -> str:
    if kind == "feed":
        if content_type in FEED_TYPES or content_type.endswith("+xml"):
            return ".xml"
        if content_type in ("text/html", "application/xhtml+xml"):
            raise FetchError(f"{url} is a web page, not a feed; give the address of the site's RSS or Atom feed.")
        raise FetchError(f"{url} is {content_type or 'of an unknown type'}; claimdesk reads RSS and Atom feeds.")
    suffix = SUFFIX_BY_TYPE.get(content_type) or (".json" if content_type.endswith("+json") else None)
    if suffix is None:
        raise FetchError(
            f"{url} is {content_type or 'of an unknown type'}; "
            "claimdesk reads HTML, plain text, Markdown and JSON pages."
        )
    return suffix


def _read_body(url: str, response: http.client.HTTPResponse, limit: int, deadline: _Deadline) -> bytes:
    """The body, decompressed while it streams and cut as soon as it passes ``limit``:
    a few kilobytes of gzip can expand to gigabytes, so the decompressed size counts."""
    coding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if coding not in ("identity", "", *DECOMPRESSORS):
        raise FetchError(f"{url} is sent with {coding} compression, which claimdesk does not read.")
    decompressor = zlib.decompressobj(DECOMPRESSORS[coding]) if coding in DECOMPRESSORS else None
    body = bytearray()
    too_big = FetchError(f"{url} is over the {limit:,}-byte limit.")
    try:
        while True:
            chunk = response.read1(READ_CHUNK)
            if not chunk:
                break
            if decompressor is None:
                body += chunk
            else:
                # At most one byte over the limit comes out, however much the chunk expands.
                body += decompressor.decompress(chunk, limit - len(body) + 1)
                if decompressor.unconsumed_tail:
                    raise too_big
            if len(body) > limit:
                raise too_big
        if decompressor is not None:
            body += decompressor.flush()
    except zlib.error:
        raise FetchError(f"{url} sent a body that is not valid {coding} data.") from None
    except (OSError, http.client.HTTPException) as exc:
        if deadline.passed():
            raise FetchError(f"{url} took too long to answer.") from None
        raise FetchError(f"Could not read {url}: {_describe(exc)}.") from None
    if deadline.passed():  # the deadline shut the socket: what came is not the whole body
        raise FetchError(f"{url} took too long to answer.")
    if len(body) > limit:
        raise too_big
    return bytes(body)


def refuse_entity_declarations(url: str, data: bytes) -> None:
    """XML that declares its own entities is refused: that is how "billion laughs"
    expands a small document into gigabytes, and news feeds never need it."""
    if any(mark in data for mark in _ENTITY_MARKS):
        raise FetchError(f"{url} declares XML entities (<!ENTITY …>), which claimdesk refuses as unsafe; "
                         "news feeds do not need them.")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
        return "it took too long to answer"
    if isinstance(exc, ssl.SSLError):
        return f"its TLS certificate or connection is not valid ({exc.reason or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    return str(exc) or exc.__class__.__name__


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted address while naming the host in the request."""

    def __init__(self, host: str, port: int, address: str, timeout: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self._deadline.watch(self.sock)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with the certificate checked against the host name, not the address."""

    def __init__(self, host: str, port: int, address: str, timeout: float, deadline: _Deadline) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self._deadline.watch(sock)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
