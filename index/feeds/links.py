"""Links as identities: the same story's address written the way every feed writes it.

Feeds decorate links with campaign parameters (``utm_source=rss``), click ids and
fragments, and write hosts in any case; none of that changes which page is meant.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that say who sent the reader, never which page they read.
TRACKING_PREFIXES = ("utm_", "mc_", "_hs", "pk_", "piwik_", "matomo_")
TRACKING_NAMES = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
    "_ga", "_gl", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt.mc_id", "ncid", "cmpid", "ocid",
})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Second-level labels under which a country's sites are registered (news.co.uk, abc.net.au).
_SHARED_SECOND_LEVEL = re.compile(r"^(co|com|net|org|gov|ac|edu|ne|or|go|gv)$")


def normalise_link(url: str) -> str:
    """Scheme and host lower-cased, default port, tracking parameters and fragment dropped;
    the path and the remaining parameters (in order) are kept as written."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
             if not _is_tracking(name)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def site_of(url: str) -> str:
    """The registered site a URL belongs to (``feeds.ledger.example`` → ``ledger.example``),
    by the common shapes of domain names; enough to tell one outlet's hosts from another's."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    labels = host.split(".")
    if len(labels) <= 2 or host.replace(".", "").isdigit() or ":" in host:
        return host
    keep = 3 if _SHARED_SECOND_LEVEL.match(labels[-2]) and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def same_site(first: str, second: str) -> bool:
    return bool(site_of(first)) and site_of(first) == site_of(second)
