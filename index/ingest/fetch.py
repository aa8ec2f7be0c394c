"""Fetch one article page over HTTP(S), refusing addresses inside the operator's network.

A URL given to a chat bot is chosen by whoever types it, so fetching it must not let
them reach the machine's own services or its private network (SSRF). Every hop is
checked: the host is resolved, every address it resolves to must be public, and the
connection goes to the address that was checked (not to a second lookup an attacker's
DNS could answer differently). Redirects are followed by hand so that each target is
checked the same way. Operators who ingest from an intranet turn the check off with
``CLAIMDESK_ALLOW_PRIVATE_FETCH=1``.

The standard library is enough here: ``http.client`` lets the connection be pinned to
a vetted address, which urllib's openers do not.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .loaders import DEFAULT_MAX_BYTES

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "claimdesk/0.1 (newsroom fact-query bot)"
READ_CHUNK = 64 * 1024

# What each accepted content type is read as: the suffix picks the loader.
SUFFIX_BY_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/json": ".json",
}


class FetchError(Exception):
    """The page could not be fetched; the message says why, for the person who asked."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    timeout: float = 20.0  # seconds for the whole fetch, redirects included
    max_bytes: int = DEFAULT_MAX_BYTES
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
class FetchedPage:
    url: str  # after redirects
    content_type: str
    suffix: str  # the article file suffix its content type reads as
    data: bytes


def fetch(url: str, policy: FetchPolicy = FetchPolicy()) -> FetchedPage:
    deadline = time.monotonic() + policy.timeout
    current = url.strip()
    for _ in range(policy.max_redirects + 1):
        response, connection = _request(current, policy, deadline)
        try:
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{current} redirects without saying where to (HTTP {response.status}).")
                current = urljoin(current, location.strip())
                continue
            return _read_page(current, response, policy, deadline)
        finally:
            connection.close()
    raise FetchError(f"{url} redirects more than {policy.max_redirects} times; give the final address instead.")


def _request(
    url: str, policy: FetchPolicy, deadline: float
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
    timeout = _remaining(deadline, url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(parts.hostname, port, address, timeout)
    else:
        connection = _PinnedHTTPConnection(parts.hostname, port, address, timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html, application/xhtml+xml, text/plain, text/markdown, application/json;q=0.9",
                "Accept-Encoding": "identity",  # http.client does not decompress
            },
        )
        return connection.getresponse(), connection
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
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


def _read_page(url: str, response: http.client.HTTPResponse, policy: FetchPolicy, deadline: float) -> FetchedPage:
    if response.status != 200:
        raise FetchError(f"{url} answered HTTP {response.status} {response.reason}.")
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    suffix = SUFFIX_BY_TYPE.get(content_type) or (".json" if content_type.endswith("+json") else None)
    if suffix is None:
        raise FetchError(
            f"{url} is {content_type or 'of an unknown type'}; "
            "claimdesk reads HTML, plain text, Markdown and JSON pages."
        )
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"{url} is {int(declared):,} bytes, over the {policy.max_bytes:,}-byte limit.")
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read(READ_CHUNK):
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchError(f"{url} is over the {policy.max_bytes:,}-byte limit.")
            chunks.append(chunk)
            # A server dripping bytes slower than the socket timeout must not hold the worker.
            _remaining(deadline, url)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"Could not read {url}: {_describe(exc)}.") from None
    return FetchedPage(url=url, content_type=content_type, suffix=suffix, data=b"".join(chunks))


def _remaining(deadline: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url} took too long to answer.")
    return left


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

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with the certificate checked against the host name, not the address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
