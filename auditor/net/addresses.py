"""IP addresses as a browser reads them, and which ones auditor must never connect to (server-side request forgery).
Pure functions, shared by the SSRF guard and the link engine's host analysis."""

from __future__ import annotations

import ipaddress
import re

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ipv4_part(part: str) -> int | None:
    """One dotted part as WHATWG URL reads it: 0x-hex, 0-octal or decimal, digits only (no sign, no underscore, no
    space, which Python's int() would accept)."""
    if part[:2].lower() == "0x":
        digits = part[2:]
        if not digits:
            return 0  # "0x" alone is zero to a browser
        return int(digits, 16) if _HEX.fullmatch(digits) else None
    if not _DIGITS.fullmatch(part):
        return None
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8) if _OCTAL.fullmatch(part) else None
    return int(part, 10)


_HEX = re.compile(r"[0-9A-Fa-f]+")
_DIGITS = re.compile(r"[0-9]+")
_OCTAL = re.compile(r"[0-7]+")


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a browser would connect to when the host is a number, in any of the forms WHATWG URL parsing (and
    inet_aton) accept: 1 to 4 dotted parts, each decimal, 0x-hex or 0-octal, the last filling the remaining bytes."""
    host = host.strip("[]").rstrip(".")
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return None
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = [_ipv4_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    nums = [v for v in values if v is not None]
    if any(v > 255 for v in nums[:-1]) or nums[-1] >= 256 ** (5 - len(nums)):
        return None
    value = 0
    for n in nums[:-1]:
        value = value * 256 + n
    value = value * 256 ** (5 - len(nums)) + nums[-1]
    return ipaddress.IPv4Address(value)


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why the auditor must never connect to this address (server-side request forgery), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            inner = forbidden_reason(mapped)
            return f"{inner} (inside the IPv6 address {ip})" if inner else None
        if ip.teredo is not None:
            return "a Teredo tunnel address"
    checks = (
        ("is_unspecified", "the unspecified address"),
        ("is_loopback", "a loopback address (this computer)"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private network address"),
    )
    for attribute, words in checks:
        if getattr(ip, attribute):
            return words
    if not ip.is_global:
        return "an address that is not on the public internet"
    return None
