"""URL helpers shared by checks: finding links in text, comparing addresses, recognising shorteners."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Link shorteners whose target is unknown until the link is followed. A link on one of these hosts proves nothing
# about where it goes until it has been expanded.
SHORTENERS = frozenset(
    {
        "t.co",
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "ow.ly",
        "buff.ly",
        "goo.gl",
        "is.gd",
        "lnkd.in",
        "rebrand.ly",
        "shorturl.at",
        "tiny.cc",
        "cutt.ly",
        "dlvr.it",
        "fb.me",
        "ift.tt",
        "t.ly",
        "rb.gy",
        "s.id",
        "linktr.ee",
        "bl.ink",
        "short.io",
        "v.gd",
        "trib.al",
        "youtu.be",
        "instagr.am",
        "spoti.fi",
        "amzn.to",
        "qrco.de",
    }
)

# Web addresses in free text, with or without a scheme ("islwynhigh.co.uk/aup" is a link to a reader).
_URL_IN_TEXT = re.compile(
    r"(?i)\b((?:https?://|www\.)[^\s<>\"'()]+|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,24})/[^\s<>\"'()]*)"
)
_TRAILING_PUNCT = ".,;:!?»”’"


def find_urls(text: str) -> list[str]:
    """Web addresses written in text, in order, without sentence punctuation stuck to their end."""
    return [m.group(1).rstrip(_TRAILING_PUNCT) for m in _URL_IN_TEXT.finditer(text or "")]


def host_of(url: str) -> str:
    """The lower-case host of an address, with or without a scheme; "" when there is none."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        return (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def is_shortener(url: str) -> bool:
    return host_of(url) in SHORTENERS


def comparable(url: str) -> str:
    """A form of an address that ignores what readers ignore: scheme, `www.`, letter case, a trailing slash, the
    default port and the #fragment. Two addresses with the same comparable form lead to the same page."""
    url = url.strip()
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError:
        return url.lower()
    host = host.removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = unquote(parts.path).rstrip("/").lower()
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}".lower()


def same_page(a: str, b: str) -> bool:
    return comparable(a) == comparable(b)
