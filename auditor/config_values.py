"""Small helpers for reading config values and wording problems with them, shared by the loader (`auditor.config`)
and its rules (`auditor.config_schema`), and by the command line for addresses given outside the config. A leaf: it
imports nothing of the project, so the loader and its rules do not import each other."""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path

_EMAIL = re.compile(r"^[^@\s<>\"']+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$")
# Line breaks and other control characters (C0, DEL, C1, the Unicode line and paragraph separators): in a value that
# ends up in a mail header or an SMTP command they would start a new header or command.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def secret_bearing(key: str) -> bool:
    """Whether a config key names the environment variable a secret is in (password_env, user_token_env...): a value
    written there by mistake may be the secret itself, so no message ever repeats it."""
    return key.endswith("_env")


def type_name(value: object, *, reveal: bool = True) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a table"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return f"{name} ({show(value)})" if reveal and kind in (bool, int, float, str) else name
    if isinstance(value, (dt.date, dt.time)):
        return f"a date/time ({value})"
    return type(value).__name__


def show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def not_regular(path: Path) -> str | None:
    """Why a file the config names to be read is no regular file (a folder, /dev/zero, a pipe that would never end),
    or None. A missing or unreadable file is left to the code that reads it, which says so in its own words."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return None if stat.S_ISREG(mode) else "is a device, pipe or socket, not a file"


def mailbox_problem(value: str, named: bool) -> str | None:
    """Why `value` is not one address fit for a mail header (None when it is), for addresses given outside the config
    (`auditor email test --to`): checked as the config's addresses are, line breaks and control characters first."""
    found = CONTROL.search(value)
    if found is not None:
        return f"it holds a line break or control character ({found.group()!r})"
    return mailbox_problem_of(value, named)


def mailbox_problem_of(value: str, named: bool) -> str | None:
    """Why `value` is not one mailbox (None when it is), as the email library reads a From or To header."""
    import email.errors
    from email.headerregistry import Address, HeaderRegistry

    try:
        header = HeaderRegistry()("From", value)
    except (email.errors.HeaderParseError, IndexError, ValueError):  # the parser raises on some broken input
        return "it cannot be read as an address"
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())  # From is an address header
    if len(addresses) != 1:
        return "give exactly one address" if addresses else "no address in it"
    address = addresses[0]
    if header.defects or not _EMAIL.match(address.addr_spec):
        return "it is not a valid address"
    if address.display_name and not named:
        return "give the address alone, without a name"
    if not named and address.addr_spec != value:
        return "give the address alone"
    return None
