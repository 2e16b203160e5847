"""URL helpers shared by checks: finding links in text, comparing addresses, recognising shorteners."""

from __future__ import annotations

import functools
import re
from urllib.parse import SplitResult, unquote, urlsplit

from linkify_it import LinkifyIt
from linkify_it.tlds import TLDS

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

# Addresses with a scheme or "www." that linkify-it does not take (an IPv6 literal, a name without a public top-level
# domain, such as "http://intranet/"): a reader sees a link, and the link check must see it too.
_SCHEMED = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()]+")
_TRAILING_PUNCT = ".,;:!?»”’"


@functools.cache
def _linkify() -> LinkifyIt:
    """linkify-it (the port of the library markdown-it uses) with the full top-level domain list: it keeps balanced
    parentheses in a path ("Rugby_union_(sport)") and does not take a file name ("notes.txt/x") for an address."""
    return LinkifyIt(options={"fuzzy_email": False}).tlds(TLDS)


def find_urls(text: str) -> list[str]:
    """Web addresses written in text, with or without a scheme, in order, without sentence punctuation stuck to
    their end ("islwynhigh.co.uk/aup" is a link to a reader)."""
    if not text:
        return []
    spans = [(m.index, m.last_index, m.raw) for m in _linkify().match(text) or () if m.schema != "mailto:"]
    for m in _SCHEMED.finditer(text):
        if not any(start < m.end() and m.start() < end for start, end, _ in spans):
            spans.append((m.start(), m.end(), m.group(0)))
    return [raw.rstrip(_TRAILING_PUNCT) for _, _, raw in sorted(spans)]


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
