"""URL normalisation and host analysis, all offline: dangerous schemes, IP-literal hosts in every form a browser
accepts (dotted, decimal `2130706433`, hex `0x7f000001`, octal `0177.0.0.1`, short `127.1`, IPv6 and IPv4-mapped IPv6),
forbidden address ranges, and mixed-script look-alike host names (punycode decoded)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

import idna
from publicsuffixlist import PublicSuffixList

from auditor.net.addresses import IPAddress, forbidden_reason, parse_ip_literal
from auditor.urls import browser_form

__all__ = ["IPAddress", "forbidden_reason", "parse_ip_literal"]  # kept here too: the link engine's vocabulary

DANGEROUS_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
WEB_SCHEMES = frozenset({"http", "https"})
# Links that leave the web without reaching an external site: judged harmless, never fetched.
NON_WEB_SCHEMES = frozenset({"mailto", "tel", "sms"})


# WHATWG URL's forbidden domain code points, checked after percent-decoding (brackets are IPv6 literals, kept).
_FORBIDDEN_HOST_CHARS = re.compile(r"[\x00-\x20#%/:<>?@\\^|\x7f]")


class BadUrl(ValueError):
    """The text cannot be read as an address; the message says why in plain words."""


@dataclass(frozen=True)
class ParsedUrl:
    url: str  # normalised: lower-case scheme and host, host in ASCII (punycode), no default port, no #fragment
    scheme: str
    host: str  # ASCII form, no brackets for IPv6
    display_host: str  # what a reader sees: punycode decoded
    port: int | None
    ip: IPAddress | None  # set when the host is an IP literal in any form


def normalise(raw: str) -> ParsedUrl:
    """Read a link as a browser would. Scheme-less text ("www.x.org/a", "x.org/a") is taken as https."""
    # Tabs and newlines are dropped and backslashes read as slashes first, as browsers do: "java\nscript:" is a
    # javascript: link, and "https://evil.example\\@school.org/" opens evil.example.
    text = browser_form(raw)
    if not text:
        raise BadUrl("the link is empty")
    scheme_match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", text)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme in DANGEROUS_SCHEMES or scheme in NON_WEB_SCHEMES:
        return ParsedUrl(text, scheme, "", "", None, None)
    if not scheme or (scheme not in WEB_SCHEMES and not text[len(scheme) + 1 :].startswith("//")):
        # "example.org:8080/x" parses as scheme "example.org"; a reader sees a web address.
        text, scheme = browser_form(f"https://{text}"), "https"
    if scheme not in WEB_SCHEMES:
        return ParsedUrl(text, scheme, "", "", None, None)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"the address cannot be read ({exc})") from None
    # Browsers percent-decode the host before looking it up (WHATWG URL), so "bad%73ite.example" is "badsite.example":
    # undecoded, it would slip past the blocklists.
    host = unquote(parts.hostname or "").rstrip(".")
    if not host:
        raise BadUrl("the address has no host name")
    ip = parse_ip_literal(host)
    if ip is None:
        ascii_host = to_ascii(host)
        if not ascii_host.strip("."):  # only characters the mapping ignores (a variation selector, a soft hyphen)
            raise BadUrl("the address has no host name")
        # As browsers do (WHATWG URL), the number forms are recognised after IDNA mapping too: a superscript two maps
        # to "2" and full-width digits to ASCII ones, giving IP addresses, not names.
        ip = parse_ip_literal(ascii_host)
    if ip is not None:
        ascii_host = display = str(ip)
    else:
        # Checked after IDNA mapping too: "¨" maps to a space and a combining mark, which no host name may hold.
        if _FORBIDDEN_HOST_CHARS.search(ascii_host):
            raise BadUrl("the host name contains characters no web address may have")
        display = to_unicode(ascii_host)
    netloc = f"[{ascii_host}]" if ip is not None and ip.version == 6 else ascii_host
    if port is not None and not (scheme == "http" and port == 80) and not (scheme == "https" and port == 443):
        netloc = f"{netloc}:{port}"
    else:
        port = None
    # Browsers send a space in the path or query as %20: kept raw, a trailing one would not survive a second reading.
    path, query = (parts.path or "/").replace(" ", "%20"), parts.query.replace(" ", "%20")
    url = urlunsplit((scheme, netloc, path, query, ""))
    return ParsedUrl(url, scheme, ascii_host, display, port, ip)


def to_ascii(host: str) -> str:
    """A host name as a browser sends it: UTS #46 mapping, non-transitional, as the WHATWG URL standard asks (so
    "faß.de" stays "xn--fa-hia.de", where IDNA 2003 made it "fass.de", another site)."""
    try:
        return idna.encode(host, uts46=True, std3_rules=False, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        pass
    # Browsers accept names idna refuses (an underscore in a label, say): map and encode label by label instead.
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except (idna.IDNAError, UnicodeError, ValueError):
        mapped = host.lower()
    labels = []
    for label in mapped.split("."):
        if label.isascii():
            labels.append(label.lower())
            continue
        try:
            labels.append(idna.alabel(label).decode("ascii"))
        except (idna.IDNAError, UnicodeError, ValueError):
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
    return ".".join(labels)


def to_unicode(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                labels.append(label[4:].encode("ascii").decode("punycode"))
                continue
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


def _script(char: str) -> str:
    """The Unicode script of a letter, from its name's first word (LATIN, CYRILLIC, GREEK ...); "" for digits,
    hyphens and other characters that every script shares."""
    if not char.isalpha():
        return ""
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


# Letters of other scripts that readers take for Latin ones: a label made only of these, with no real Latin letters,
# spells a Latin word in disguise ("apple" written in Cyrillic).
_LATIN_LOOKALIKES = frozenset("аеорсухіјѕԁɡһӏпмтвкԛԝԜαορτυνκιεχВЕКМНОРСТХАΑΒΕΗΙΚΜΝΟΡΤΥΧΖ")


# Scripts whose letters pass for one another. Mixing others is normal (Japanese mixes Han, Hiragana and Katakana).
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})


def lookalike_reason(display_host: str) -> str | None:
    """Why a host name may imitate another (mixed scripts in one label, or a non-Latin label spelled only with
    letters that look Latin), or None."""
    for label in display_host.split("."):
        if label.isascii():
            continue
        scripts = {s for s in map(_script, label) if s}
        if len(scripts & _CONFUSABLE_SCRIPTS) > 1:
            return f"the name {display_host!r} mixes {' and '.join(sorted(s.title() for s in scripts))} letters"
        letters = [c for c in label if c.isalpha()]
        if letters and all(c in _LATIN_LOOKALIKES for c in letters):
            return f"the name {display_host!r} is written in {scripts.pop().title()} letters that look like Latin ones"
    return None


def registrable_domain(host: str) -> str:
    """The part of a host name that one owner registers, by the Public Suffix List bundled with publicsuffixlist (no
    download): "news.bbc.co.uk" -> "bbc.co.uk", and, from its private section, "school.blogspot.com" stays apart from
    "evil.blogspot.com", as two schools under "caerphilly.sch.uk" do. An address, or a name that is itself a public
    suffix, is its own."""
    host = host.lower().rstrip(".")
    if parse_ip_literal(host) is not None:
        return host
    return _suffix_list().privatesuffix(host) or host


@functools.cache
def _suffix_list() -> PublicSuffixList:
    return PublicSuffixList()


def in_domain(host: str, domain: str) -> bool:
    host, domain = host.lower().rstrip("."), domain.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)
