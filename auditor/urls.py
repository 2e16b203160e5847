"""URL helpers shared by checks: finding links in text, comparing addresses, recognising shorteners."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit

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


# WHATWG URL's "special" schemes, whose addresses browsers read with backslashes as slashes.
_SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def browser_form(url: str) -> str:
    """The address as a browser reads it (WHATWG URL), in a form Python's `urlsplit` splits the same way.

    Browsers drop tabs and newlines anywhere in an address, and in web addresses read every backslash before the
    query as a slash and any run of slashes after the scheme as `//`. So `https://evil.example\\@school.org/` opens
    evil.example (the authority ends at the backslash), while `urlsplit` alone would call its host school.org.
    Text without a scheme is left as it is apart from the dropped characters."""
    text = _TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE)
    match = _SCHEME.match(text)
    if match is None or match.group(1).lower() not in _SPECIAL_SCHEMES:
        return text
    scheme = match.group(1).lower()
    rest = text[match.end() :]
    cut = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    rest = rest[:cut].replace("\\", "/") + rest[cut:]
    return f"{scheme}://{rest.lstrip('/')}"


def _split(url: str) -> SplitResult:
    """`urlsplit` of the browser's reading of the address; scheme-less text is read as a web address."""
    text = browser_form(url)
    return urlsplit(text if _SCHEME.match(text) and "://" in text else browser_form(f"http://{text}"))


def host_of(url: str) -> str:
    """The lower-case host of an address, with or without a scheme, as a browser reads it; "" when there is none."""
    try:
        return (_split(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def is_shortener(url: str) -> bool:
    return host_of(url) in SHORTENERS


def comparable(url: str) -> str:
    """A form of an address that ignores what readers ignore: scheme, `www.`, letter case, a trailing slash, the
    default port and the #fragment. Two addresses with the same comparable form lead to the same page."""
    url = url.strip()
    try:
        parts = _split(url)
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
