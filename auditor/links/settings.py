"""The `[links]` section of config.toml, as the engine uses it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

# Friendly names the config accepts, mapped to UT1's folder names (UT1 is maintained in French).
CATEGORY_ALIASES = {"drugs": "drogue", "violence": "agressif"}
DEFAULT_CATEGORIES = ("adult", "gambling", "drugs", "violence", "dating", "malware", "phishing")
# Categories whose match means danger to the reader, not just unsuitable content.
UNSAFE_CATEGORIES = frozenset({"malware", "phishing", "cryptojacking", "stalkerware", "ddos"})
DEFAULT_BLOCKLIST_URL = "https://dsi.ut-capitole.fr/blacklists/download/"


def ut1_name(category: str) -> str:
    return CATEGORY_ALIASES.get(category.lower(), category.lower())


def _bounded(default: _T, lo: float, hi: float) -> _T:
    """A default and the range `[links]` may set it in, read by the config loader (auditor.settings.limits)."""
    value: _T = field(default=default, metadata={"range": (lo, hi)})
    return value


@dataclass(frozen=True)
class LinkSettings:
    trusted_domains: tuple[str, ...] = ()
    blocked_categories: tuple[str, ...] = DEFAULT_CATEGORIES
    blocklists: Path | None = None  # folder of UT1 lists, one folder a category
    blocklist_url: str = DEFAULT_BLOCKLIST_URL  # `auditor blocklists update` fetches <url><category>.tar.gz
    # `auditor status` fails when an installed category list is older than this: UT1 adds sites every day.
    blocklists_max_age_days: int = _bounded(14, 1, 366)
    cache: Path | None = None  # SQLite verdict cache; None keeps verdicts for this run only
    cache_max_age_hours: float = _bounded(24.0, 0, 24 * 30)
    workers: int = _bounded(16, 1, 64)
    per_host: int = _bounded(2, 1, 8)  # requests at once to one host
    host_gap: float = 0.05  # seconds between the starts of two requests to one host
    connect_timeout: float = 5.0
    read_timeout: float = _bounded(10.0, 1, 120)
    max_bytes: int = 16 * 1024  # a GET reads at most this much of the body
    max_retry_wait: float = 30.0  # a 429 asking for longer than this leaves the link unverified
    # The most one link may spend on the network, every hop, retry and wait together (connect, headers and body): a
    # site that trickles its answer a byte at a time is cut off here and the link is not verified.
    link_deadline: float = _bounded(20.0, 1, 600)
    # The most one host may make this run wait in all (429 back-offs summed over its links); after that its further
    # links are not verified ("the site limited our requests") without being requested.
    host_backoff_budget: float = _bounded(60.0, 0, 3600)
    # The school's filtering proxy ("http://proxy.school:3128"), without credentials; they come from the environment
    # variable `proxy_credentials_env` names ("user:password"). Or, with `proxy_from_environment`, the standard
    # HTTPS_PROXY/HTTP_PROXY/NO_PROXY variables. The SSRF rules apply to each target either way.
    proxy: str | None = None
    proxy_credentials_env: str | None = None
    proxy_from_environment: bool = False
    safe_browsing_key_env: str = "SAFE_BROWSING_API_KEY"
    urlhaus_key_env: str = "URLHAUS_AUTH_KEY"
    # Test-only: lets the engine connect to private and loopback addresses (benchmarks against 127.0.0.1). Never set
    # this for a real audit: it removes the protection against server-side request forgery.
    allow_private_hosts: bool = False
