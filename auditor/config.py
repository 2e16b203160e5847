"""Load and validate `config.toml` into the typed settings of `auditor.settings` (re-exported here).

Every problem is reported with the file, the key (`accounts[2].platform`), the line where it can be found and what was
expected, all at once, so a technician fixes the file in one pass. Nothing is audited or written when the config is bad.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import email.errors
import os
import re
import stat
import tomllib
import zoneinfo
from email.headerregistry import Address, HeaderRegistry
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auditor import platforms
from auditor.cron import check_cron
from auditor.links.settings import DEFAULT_BLOCKLIST_URL, DEFAULT_CATEGORIES, LinkSettings
from auditor.model import Account, Exemption
from auditor.platforms import Option, PlatformSpec
from auditor.settings import (
    LANGUAGES,
    Config,
    ConfigError,
    Department,
    Email,
    Logging,
    Output,
    PathProblems,
    Schedule,
    School,
    _bare,
    on_domain,
)
from auditor.urls import host_of
from auditor.waivers import Waiver, WaiverError
from auditor.waivers import load as load_waivers

# A school's config is a few kilobytes; 1 MB holds thousands of accounts. Anything larger is the wrong file.
MAX_CONFIG_BYTES = 1024 * 1024
# Real configs nest three deep ([departments."Design & Tech"], exempt = [{...}]). tomllib recurses once per bracket
# (a RecursionError near 1000) and its cost grows with the square of a dotted key's length, so both are bounded first.
MAX_NESTING = 32
_EMAIL = re.compile(r"^[^@\s<>\"']+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$")
_HANDLE_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")
# Line breaks and other control characters (C0, DEL, C1, the Unicode line and paragraph separators): in a value that
# ends up in a mail header or an SMTP command they would start a new header or command.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_HEADERS = HeaderRegistry()
# Strings and comments (skipped whole, so a bracket inside quotes is not counted) and the characters that nest.
_NESTING_TOKENS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}.=,\n]'
)


class _Lines:
    """Finds the line of a key in the TOML text, for messages: tomllib only gives lines for syntax errors.

    It follows `[table]` and `[[array]]` headers and `key =` lines, which is how config files are written in practice;
    where it cannot tell (inline tables), the message simply has no line number.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, ...], int] = {}
        self.keys: dict[tuple[str, ...], int] = {}
        counts: dict[str, int] = {}
        current: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                parts = tuple(p.strip().strip("\"'") for p in header.group(2).split("."))
                if header.group(1) == "[[":
                    name = ".".join(parts)
                    index = counts.get(name, 0)
                    counts[name] = index + 1
                    current = (*parts, str(index))
                else:
                    current = parts
                self.tables.setdefault(current, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.keys.setdefault((*current, key.group(1).strip("\"'")), number)

    def line(self, path: tuple[str, ...]) -> int | None:
        return self.keys.get(path) or self.tables.get(path)


class _Validator:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)
        self.problems: list[str] = []

    def problem(self, path: tuple[str, ...], message: str) -> None:
        line = None
        # Walk up to the nearest thing we can place: a missing key is reported at its table.
        for depth in range(len(path), 0, -1):
            line = self.lines.line(path[:depth])
            if line:
                break
        where = f"{self.path}:{line}" if line else str(self.path)
        self.problems.append(f"{where}: {_dotted(path)}: {message}")

    # Typed getters: each records a problem and returns None when the value is missing or of the wrong type.

    def table(self, raw: dict[str, Any], key: str, path: tuple[str, ...], required: bool) -> dict[str, Any] | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.problem(path, f"missing section; add a [{_dotted(path)}] table")
            return None
        if not isinstance(value, dict):
            self.problem(path, f"expected a table ([{_dotted(path)}]), found {_type_name(value)}")
            return None
        return value

    def string(
        self, raw: dict[str, Any], key: str, path: tuple[str, ...], required: bool = False, default: str | None = None
    ) -> str | None:
        value = raw.get(key)
        where = (*path, key)
        if value is None:
            if required:
                self.problem(where, "missing; this key is required")
            return default
        if not isinstance(value, str):
            self.problem(where, f"expected text in quotes, found {_type_name(value)}")
            return default
        if required and not value.strip():
            self.problem(where, "must not be empty")
            return default
        return value.strip()

    def boolean(self, raw: dict[str, Any], key: str, path: tuple[str, ...]) -> bool | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem((*path, key), f"expected true or false, found {_type_name(value)}")
            return None
        return value

    def integer(self, raw: dict[str, Any], key: str, path: tuple[str, ...], default: int, lo: int, hi: int) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((*path, key), f"expected a whole number, found {_type_name(value)}")
            return default
        if not lo <= value <= hi:
            self.problem((*path, key), f"expected a number from {lo} to {hi}, found {value}")
            return default
        return value

    def date(self, raw: dict[str, Any], key: str, path: tuple[str, ...]) -> dt.date | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem((*path, key), f"expected a date written like 2024-09-02, found {_show(value)}")
        return None

    def email(self, raw: dict[str, Any], key: str, path: tuple[str, ...], required: bool = False) -> str | None:
        """A bare address (a recipient): it becomes part of a To header, so nothing but the address is allowed."""
        return self.mailbox(self.header_text(raw, key, path, required=required), (*path, key), named=False)

    def mailbox(self, value: object, where: tuple[str, ...], named: bool) -> str | None:
        """An address, checked by the email library's own header parser; `named` also allows a display name
        ("Islwyn High School <auditor@islwynhigh.co.uk>"), as in a From header."""
        if value is None:
            return None
        example = '"Auditor <auditor@school.org>" or ' if named else ""
        expected = f"expected {example}an email address like name@school.org"
        if not isinstance(value, str):
            self.problem(where, f"{expected}, found {_type_name(value)}")
            return None
        if self.control(value, where):
            return None
        problem = _mailbox_problem(value, named)
        if problem:
            self.problem(where, f"{expected}, found {_show(value)} ({problem})")
            return None
        return value

    def control(self, value: str, where: tuple[str, ...]) -> bool:
        """Records a problem (and says True) when a value bound for a mail header or an SMTP command holds a line
        break or another control character: it would let the value add headers of its own."""
        found = _CONTROL.search(value)
        if found is None:
            return False
        self.problem(
            where,
            f"holds a line break or control character ({found.group()!r} at character {found.start() + 1}); "
            "write the value on one line without escapes such as \\n",
        )
        return True

    def header_text(
        self, raw: dict[str, Any], key: str, path: tuple[str, ...], required: bool = False, default: str | None = None
    ) -> str | None:
        """Text that ends up in a mail header, the SMTP conversation or a subject line: one line, no control
        characters."""
        value = self.string(raw, key, path, required=required, default=default)
        original = raw.get(key)  # before stripping: a line break at either end is refused too
        if isinstance(original, str) and self.control(original, (*path, key)):
            return default
        return value

    def url(self, raw: dict[str, Any], key: str, path: tuple[str, ...], required: bool = False) -> str | None:
        value = self.string(raw, key, path, required=required)
        if value is not None and not re.match(r"^https?://[^\s/]+\.[^\s/]+", value, re.IGNORECASE):
            self.problem((*path, key), f"expected a web address starting with https://, found {_show(value)}")
            return None
        return value

    def text_list(self, raw: dict[str, Any], key: str, path: tuple[str, ...], example: str) -> tuple[str, ...] | None:
        """A list of non-empty text values, stripped; None when absent, or (with a problem recorded) when not that."""
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.problem((*path, key), f"expected a list of text in quotes, like {example}")
            return None
        return tuple(item.strip() for item in value)

    def unknown_keys(self, raw: dict[str, Any], allowed: set[str], path: tuple[str, ...]) -> None:
        for key in raw:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                suggestion = f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(sorted(allowed))}"
                self.problem((*path, key), f"unknown key{suggestion}")


def _dotted(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        if part.isdigit():
            out += f"[{int(part) + 1}]"  # people count accounts from 1
        else:
            out += f".{part}" if out else part
    return out


def _type_name(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a table"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return f"{name} ({_show(value)})" if kind in (bool, int, float, str) else name
    if isinstance(value, (dt.date, dt.time)):
        return f"a date/time ({value})"
    return type(value).__name__


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _not_regular(path: Path) -> str | None:
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
    found = _CONTROL.search(value)
    if found is not None:
        return f"it holds a line break or control character ({found.group()!r})"
    return _mailbox_problem(value, named)


def _mailbox_problem(value: str, named: bool) -> str | None:
    """Why `value` is not one mailbox (None when it is), as the email library reads a From or To header."""
    try:
        header = _HEADERS("From", value)
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


def load(path: Path | str) -> Config:
    """Read and validate a config file. Raises ConfigError listing every problem found."""
    path = Path(path)
    text = _text(path, _read_bounded(path))
    _check_nesting(path, text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message already says "(at line N, column M)".
        raise ConfigError([f"{path}: TOML syntax error: {exc}"]) from None
    except RecursionError:  # nesting the scan above missed (it is rough on purpose); never a traceback
        raise ConfigError([f"{path}: nested too deeply to be a config file; a TOML file was expected"]) from None
    return _validate(path.resolve(), text, raw)


def _read_bounded(path: Path) -> bytes:
    """At most MAX_CONFIG_BYTES + 1 bytes of a regular file. The file is opened without blocking and its kind checked
    on the open file, so /dev/zero, a named pipe with no writer or a terminal never hang or fill memory."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ConfigError([f"{path}: config file not found"]) from None
    except NotADirectoryError:
        raise ConfigError([f"{path}: config file not found (a part of the path is a file, not a folder)"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the config file ({exc.strerror}); check its permissions"]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ConfigError([f"{path}: is a folder, not a config file"])
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError([f"{path}: is a device, pipe or socket, not a config file; give the path of a TOML file"])
        if info.st_size > MAX_CONFIG_BYTES:
            raise ConfigError([f"{path}: {_too_large()}"])
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_CONFIG_BYTES:
            chunk = os.read(fd, MAX_CONFIG_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the config file ({exc.strerror})"]) from None
    finally:
        os.close(fd)
    if size > MAX_CONFIG_BYTES:  # the file grew while it was read
        raise ConfigError([f"{path}: {_too_large()}"])
    return b"".join(chunks)


def _too_large() -> str:
    return f"config file is larger than {MAX_CONFIG_BYTES // 1024 // 1024} MB; is this the right file?"


def _text(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [f"{path}: not a text file (invalid UTF-8 at byte {exc.start}); a TOML file was expected"]
        ) from None
    if "\x00" in text:
        raise ConfigError([f"{path}: not a text file (it contains NUL bytes); a TOML file was expected"])
    return text


def _check_nesting(path: Path, text: str) -> None:
    """Refuses brackets or dotted keys nested deeper than MAX_NESTING, naming the line, before tomllib sees them.

    A rough scan: strings and comments are skipped, brackets counted, and dots counted since the last `=`, `,`,
    bracket or line end (a number such as 1.5 has one). It only has to tell a config from an attack, so it need not
    follow every rule of TOML; whatever it lets through is still parsed by tomllib.
    """
    depth = dots = 0
    line = 1
    for token in _NESTING_TOKENS.finditer(text):
        kind = token.group()
        if kind in "[{":
            depth, dots = depth + 1, 0
        elif kind in "]}":
            depth, dots = max(0, depth - 1), 0
        elif kind == ".":
            dots += 1
        elif kind in "=,\n":
            dots = 0
        line += kind.count("\n")
        if depth > MAX_NESTING or dots >= MAX_NESTING:
            what = "brackets" if depth > MAX_NESTING else "a dotted key"
            raise ConfigError(
                [
                    f"{path}:{line}: {what} nested more than {MAX_NESTING} levels deep; a config file needs no more "
                    "than a few (is this the right file?)"
                ]
            )


def _validate(path: Path, text: str, raw: dict[str, Any]) -> Config:
    from auditor.checks import all_checks  # the checks import this module for Config

    v = _Validator(path, text)
    base = path.parent
    known_checks = set(all_checks())
    if not raw:
        raise ConfigError(
            [f"{path}: the config file is empty; it needs a [school] section and at least one [[accounts]]"]
        )
    v.unknown_keys(
        raw,
        {"school", "accounts", "departments", "safeguarding", "output", "email", "schedule", "waivers"}
        | {"logging"}
        | {"links"}
        | {"connectors"},
        (),
    )

    school = None
    s = v.table(raw, "school", ("school",), required=True)
    if s is not None:
        p = ("school",)
        v.unknown_keys(
            s,
            {"name", "website", "aup_url", "account_tag", "email_domain", "monitoring_lead"}
            | {"monitoring_lead_email", "safeguarding_lead_email", "language"},
            p,
        )
        name = v.header_text(s, "name", p, required=True)  # in every email's subject
        aup = v.url(s, "aup_url", p, required=True)
        domain = v.string(s, "email_domain", p, required=True)
        if domain is not None and not re.match(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$", domain):
            v.problem((*p, "email_domain"), f"expected a domain like islwynhigh.co.uk, found {_show(domain)}")
            domain = None
        tag = v.string(s, "account_tag", p, default="IHS")
        if tag is not None and not re.fullmatch(r"[A-Za-z0-9_]{1,15}", tag):
            v.problem((*p, "account_tag"), f'expected letters or digits such as "IHS", found {_show(tag)}')
        website = v.url(s, "website", p)
        lead = v.header_text(s, "monitoring_lead", p, default="the safeguarding and monitoring lead")
        lead_email = v.email(s, "monitoring_lead_email", p)  # in the To header of urgent alerts
        dsl_email = v.email(s, "safeguarding_lead_email", p)
        language = v.string(s, "language", p, default="en")
        if language is not None and language not in LANGUAGES:
            choices = ", ".join(f'"{c}"' for c in LANGUAGES)
            v.problem((*p, "language"), f"expected one of {choices} (English, Welsh, both), found {_show(language)}")
            language = None
        if name and aup and domain and tag:
            school = School(
                name,
                aup,
                domain.lower(),
                tag,
                website,
                lead or "the safeguarding and monitoring lead",
                lead_email,
                dsl_email,
                language or "en",
            )

    departments = _departments(v, raw)
    accounts, warnings = _same_department_spelling(v, _accounts(v, raw, base, known_checks), departments)
    warnings += [
        f"{path}: department {a.department!r} of {a.handle} has no [departments.{a.department}] table with a "
        "head_email, so no head of department will receive its report"
        for a in accounts
        if a.department not in departments
    ]

    out = v.table(raw, "output", ("output",), required=False) or {}
    v.unknown_keys(out, {"dir", "store", "keep_days", "public_url"}, ("output",))
    public_url = v.url(out, "public_url", ("output",))
    keep_days = v.integer(out, "keep_days", ("output",), default=0, lo=1, hi=36500) if "keep_days" in out else None
    out_dir = v.string(out, "dir", ("output",), default="audit-reports") or "audit-reports"
    store = _store_path(v, v.string(out, "store", ("output",), default="auditor.sqlite3") or "auditor.sqlite3", base)

    roster = None
    contacts: tuple[str, ...] = ()
    confirmed: frozenset[str] = frozenset()
    staff: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    sg = v.table(raw, "safeguarding", ("safeguarding",), required=False)
    if sg is not None:
        v.unknown_keys(
            sg, {"roster", "school_contacts", "photo_consent_confirmed", "staff", "places"}, ("safeguarding",)
        )
        roster_str = v.string(sg, "roster", ("safeguarding",))
        roster = base / roster_str if roster_str else None
        if roster is not None and (why := _not_regular(roster)):
            v.problem(("safeguarding", "roster"), f"{roster} {why}; give the path of the roster CSV file")
        p = ("safeguarding",)
        example = '["01495 200000", "office@islwynhigh.co.uk", "NP12 2BB"]'
        contacts = v.text_list(sg, "school_contacts", p, example) or ()
        confirmed = frozenset(v.text_list(sg, "photo_consent_confirmed", p, '["1999230207394755672"]') or ())
        staff = v.text_list(sg, "staff", p, '["Megan Price-Jones", "Rhodri Morgan"]') or ()
        places = v.text_list(sg, "places", p, '["Penllwyn", "Morgan Jones Park"]') or ()

    email = _email(v, raw)
    warnings += _owner_copies(v, raw, email, school)
    schedule = _schedule(v, raw)
    links = _links(v, raw, base, school)
    logging_ = _logging(v, raw, base)
    conn = v.table(raw, "connectors", ("connectors",), required=False) or {}
    v.unknown_keys(conn, {"workers"}, ("connectors",))
    fetch_workers = v.integer(conn, "workers", ("connectors",), default=8, lo=1, hi=64)
    waivers: tuple[Waiver, ...] = ()
    waivers_path = None
    w = v.table(raw, "waivers", ("waivers",), required=False)
    if w is not None:
        v.unknown_keys(w, {"file"}, ("waivers",))
        waivers_file = v.string(w, "file", ("waivers",), required=True)
        if waivers_file:
            waivers_path = base / waivers_file
            if why := _not_regular(waivers_path):
                v.problem(("waivers", "file"), f"{waivers_path} {why}; give the path of the waivers TOML file")
            else:
                try:
                    waivers = load_waivers(waivers_path, known_checks)
                except WaiverError as exc:
                    v.problems.extend(exc.problems)

    if v.problems or school is None:
        raise ConfigError(v.problems or [f"{path}: [school] is incomplete"])
    return Config(
        path=path,
        school=school,
        accounts=tuple(accounts),
        departments=departments,
        output=Output(dir=base / out_dir, store=store, keep_days=keep_days or None, public_url=public_url),
        roster=roster,
        school_contacts=contacts,
        photo_consent_confirmed=confirmed,
        staff=staff,
        places=places,
        email=email,
        schedule=schedule,
        links=links,
        logging=logging_,
        warnings=tuple(warnings),
        waivers=waivers,
        waivers_file=waivers_path,
        fetch_workers=fetch_workers,
    )


def _departments(v: _Validator, raw: dict[str, Any]) -> dict[str, Department]:
    """[departments.NAME] tables. Two names differing only in letter case are refused: the school would mean one
    department, and which head of department should then receive its report cannot be guessed."""
    departments: dict[str, Department] = {}
    by_folded: dict[str, str] = {}
    d = v.table(raw, "departments", ("departments",), required=False) or {}
    for dept_name, body in d.items():
        where = ("departments", dept_name)
        if not isinstance(body, dict):
            v.problem(where, f"expected a table [departments.{dept_name}], found {_type_name(body)}")
            continue
        other = by_folded.setdefault(dept_name.casefold(), dept_name)
        if other != dept_name:
            line = v.lines.line(("departments", other))
            at = f" (line {line})" if line else ""
            v.problem(
                where,
                f"[departments.{dept_name}] and [departments.{other}]{at} differ only in letter case; departments are "
                "matched without regard to case, so merge them into one section",
            )
            continue
        v.unknown_keys(body, {"head_email"}, where)
        departments[dept_name] = Department(dept_name, v.email(body, "head_email", where))
    return departments


def _same_department_spelling(
    v: _Validator, accounts: list[Account], departments: dict[str, Department]
) -> tuple[list[Account], list[str]]:
    """Accounts whose department differs from a section's name (or from another account's) only in letter case are
    put in that one department, spelled as its section (else as the first account) spells it, with a warning: the
    school means one department, and reports, emails and trend lines must not split it in two."""
    spelling = {name.casefold(): name for name in departments}
    out: list[Account] = []
    warnings: list[str] = []
    for index, account in enumerate(accounts):
        name = spelling.setdefault(account.department.casefold(), account.department)
        if name != account.department:
            line = v.lines.line(("accounts", str(index), "department"))
            where = f"{v.path}:{line}" if line else str(v.path)
            warnings.append(
                f"{where}: accounts[{index + 1}].department: {account.department!r} of {account.handle} is counted "
                f"as department {name!r} (letter case is ignored); write it as {name!r} to silence this warning"
            )
            account = dataclasses.replace(account, department=name)
        out.append(account)
    return out, warnings


def _accounts(v: _Validator, raw: dict[str, Any], base: Path, known_checks: set[str]) -> list[Account]:
    items = raw.get("accounts")
    if items is None:
        v.problem(("accounts",), "no accounts registered; add at least one [[accounts]] table")
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        v.problem(("accounts",), "expected [[accounts]] tables, one per account")
        return []
    if not items:
        v.problem(("accounts",), "no accounts registered; add at least one [[accounts]] table")
    accounts: list[Account] = []
    seen: dict[tuple[str, str], int] = {}
    allowed = set(platforms.ACCOUNT_KEYS)
    named = (item.get("platform") for item in items)
    known = {spec.name: spec for spec in platforms.specs(naming=[n for n in named if isinstance(n, str)])}
    # Each platform's own keys (a Facebook Page's page_id), from the registry: all are known keys, each valid only on
    # the platforms whose spec names it.
    options: dict[str, list[tuple[str, Option]]] = {}
    for spec in known.values():
        for option in spec.options:
            options.setdefault(option.name, []).append((spec.name, option))
    allowed |= set(options)
    for index, item in enumerate(items):
        p = ("accounts", str(index))
        v.unknown_keys(item, allowed, p)
        handle = v.string(item, "handle", p, required=True)
        if handle is not None and (_HANDLE_FORBIDDEN.search(handle) or len(handle) > 200 or handle.strip("@") == ""):
            v.problem((*p, "handle"), f'expected an account handle such as "@HistoryIHS", found {_show(handle)}')
            handle = None
        platform = v.string(item, "platform", p, required=True)
        if platform is not None and platform not in known and platform in platforms.NOT_BUILT:
            v.problem((*p, "platform"), f"platform {platform!r} is not available: {platforms.NOT_BUILT[platform]}")
            platform = None
        elif platform is not None and platform not in known:
            hint = difflib.get_close_matches(platform, list(known), n=1)
            more = f"; did you mean {hint[0]!r}?" if hint else ""
            v.problem((*p, "platform"), f"unknown platform {platform!r}; expected one of {', '.join(known)}{more}")
            platform = None
        department = v.string(item, "department", p, required=True)
        owner = v.string(item, "owner", p)
        notified = v.date(item, "notified", p)
        shared = v.boolean(item, "credentials_shared", p)
        source_str, source_url = _source(v, item, p, known.get(platform or ""), known)
        account_options: dict[str, str] = {}
        for name, holders in options.items():
            value = _option(v, item, name, holders, platform, p)
            if value is not None:
                account_options[name] = value
        exempt = _exemptions(v, item, p, known_checks)
        if handle and platform:
            key = (_bare(handle), platform)
            if key in seen:
                v.problem((*p, "handle"), f"{handle} on {platform} is registered twice (also account {seen[key] + 1})")
                continue
            seen[key] = index
        if handle and platform and department:
            accounts.append(
                Account(
                    handle=handle,
                    platform=platform,
                    department=department,
                    owner=owner,
                    notified=notified,
                    credentials_shared=shared,
                    source=(base / source_str) if source_str else None,
                    source_url=source_url,
                    exempt=exempt,
                    options=account_options,
                )
            )
    return accounts


def _source(
    v: _Validator, item: dict[str, Any], p: tuple[str, ...], spec: PlatformSpec | None, known: dict[str, PlatformSpec]
) -> tuple[str | None, str | None]:
    """The account's `source` as its platform's spec asks: a file or folder next to the config, or a web address
    (which must not be joined to the config's folder). Says (path, web address); at most one is set."""
    source_str = v.string(item, "source", p)
    if spec is not None and spec.source == "none":
        if source_str:
            v.problem((*p, "source"), f"{spec.name} accounts take no source; remove it")
        return None, None
    if source_str and re.match(r"^https?://", source_str, re.IGNORECASE):
        if spec is not None and spec.source == "url":
            return None, v.url(item, "source", p)
        takers = ", ".join(name for name, other in known.items() if other.source == "url")
        v.problem((*p, "source"), f"a web address is only allowed here for {takers} accounts")
        return None, None
    if spec is not None and spec.source == "url":
        if source_str or spec.source_required:
            v.problem((*p, "source"), f"expected the web address (https://...) of {spec.source_help}")
        return None, None
    if spec is not None and spec.source_required and not source_str:
        v.problem((*p, "source"), f"missing; each {spec.name} account needs {spec.source_help}")
    return source_str, None


def _option(
    v: _Validator,
    item: dict[str, Any],
    key: str,
    holders: list[tuple[str, Option]],
    platform: str | None,
    p: tuple[str, ...],
) -> str | None:
    """One platform's own key (`page_id`), checked by the option's kind as the first platform that takes it says;
    given on another platform's account, it is refused by name."""
    raw = item.get(key)
    value = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else v.string(item, key, p)
    if value is None:
        return None
    option = next((o for name, o in holders if name == platform), holders[0][1])
    problem = option.problem(value)
    if problem is not None:
        v.problem((*p, key), f"{problem}, found {_show(value)}")
        return None
    if platform is not None and all(name != platform for name, _ in holders):
        v.problem((*p, key), f"only {', '.join(name for name, _ in holders)} accounts have a {key}")
        return None
    return value


def _exemptions(v: _Validator, item: dict[str, Any], p: tuple[str, ...], known: set[str]) -> tuple[Exemption, ...]:
    raw = item.get("exempt", [])
    if not isinstance(raw, list):
        v.problem((*p, "exempt"), 'expected a list like [{check = "naming.ihs_in_username", reason = "..."}]')
        return ()
    out = []
    for n, entry in enumerate(raw):
        where = (*p, "exempt", str(n))
        if not isinstance(entry, dict):
            v.problem(where, 'expected {check = "...", reason = "..."}')
            continue
        v.unknown_keys(entry, {"check", "reason"}, where)
        check_id = v.string(entry, "check", where, required=True)
        reason = v.string(entry, "reason", where, required=True)
        if check_id and check_id not in known:
            hint = difflib.get_close_matches(check_id, sorted(known), n=1)
            more = f"; did you mean {hint[0]!r}?" if hint else "; `auditor checks` lists them"
            v.problem((*where, "check"), f"unknown check {check_id!r}{more}")
            continue
        if check_id and reason:
            out.append(Exemption(check_id, reason))
    return tuple(out)


def _store_path(v: _Validator, value: str, base: Path) -> Path:
    if value.startswith("sqlite:///"):
        return base / value.removeprefix("sqlite:///")
    if "://" in value:
        scheme = value.split("://", 1)[0]
        v.problem(
            ("output", "store"), f"{scheme}:// stores are not supported in this version; use a file path (SQLite)"
        )
    return base / value


def _email(v: _Validator, raw: dict[str, Any]) -> Email | None:
    e = v.table(raw, "email", ("email",), required=False)
    if e is None:
        return None
    p = ("email",)
    v.unknown_keys(
        e,
        {"host", "port", "starttls", "ssl", "username", "password_env", "sender", "slt", "send_when_unchanged"}
        | {"retries", "retry_delay", "timeout", "max_kb"}
        | {"remind_every_days", "copy_owners", "escalate_after_days"},
        p,
    )
    host = v.header_text(e, "host", p, required=True)
    port = v.integer(e, "port", p, default=587, lo=1, hi=65535)
    starttls = v.boolean(e, "starttls", p)
    username = v.header_text(e, "username", p)  # sent in the SMTP AUTH command
    password_env = v.string(e, "password_env", p, default="SMTP_PASSWORD") or "SMTP_PASSWORD"
    sender = v.mailbox(v.header_text(e, "sender", p, required=True), (*p, "sender"), named=True)
    slt_raw = e.get("slt", [])
    slt: list[str] = []
    if not isinstance(slt_raw, list):
        v.problem((*p, "slt"), 'expected a list of email addresses, like ["slt@school.org"]')
    else:
        for n, addr in enumerate(slt_raw):
            checked = v.mailbox(addr, (*p, "slt", str(n)), named=False)
            if checked is not None:
                slt.append(checked)
    ssl = bool(v.boolean(e, "ssl", p))
    if ssl and starttls:
        v.problem((*p, "ssl"), "choose one: ssl = true (implicit TLS, port 465) or starttls = true (port 587)")
    retries = v.integer(e, "retries", p, default=3, lo=0, hi=10)
    retry_delay = v.integer(e, "retry_delay", p, default=30, lo=0, hi=3600)
    timeout = v.integer(e, "timeout", p, default=30, lo=1, hi=600)
    max_kb = v.integer(e, "max_kb", p, default=100, lo=10, hi=10_000)
    remind = v.integer(e, "remind_every_days", p, default=7, lo=1, hi=366)
    escalate = v.integer(e, "escalate_after_days", p, default=14, lo=1, hi=366)
    if host and sender:
        return Email(
            host,
            port,
            sender,
            not ssl if starttls is None else starttls,
            username,
            password_env,
            tuple(slt),
            ssl=ssl,
            send_when_unchanged=bool(v.boolean(e, "send_when_unchanged", p)),
            retries=retries,
            retry_delay=float(retry_delay),
            timeout=float(timeout),
            max_kb=max_kb,
            remind_every_days=remind,
            copy_owners=bool(v.boolean(e, "copy_owners", p)),
            escalate_after_days=escalate,
        )
    return None


def _owner_copies(v: _Validator, raw: dict[str, Any], email: Email | None, school: School | None) -> list[str]:
    """With `[email] copy_owners`, each account's owner goes into the Cc header of its department's report: it must
    be one bare address (checked like every recipient). An owner outside the school's email domain is not copied
    (a warning says so): the report names pupils' posts and must not go to a personal mailbox."""
    if email is None or not email.copy_owners:
        return []
    items = raw.get("accounts")
    warnings = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        owner = item.get("owner") if isinstance(item, dict) else None
        if not isinstance(owner, str):
            continue
        where = ("accounts", str(index), "owner")
        address = v.mailbox(owner.strip(), where, named=False) if not v.control(owner, where) else None
        if address is not None and school is not None and not on_domain(address, school.email_domain):
            line = v.lines.line(where)
            at = f"{v.path}:{line}" if line else str(v.path)
            warnings.append(
                f"{at}: accounts[{index + 1}].owner: {address} is not on {school.email_domain}, so it is not copied "
                "on the department's report ([email] copy_owners)"
            )
    return warnings


def _schedule(v: _Validator, raw: dict[str, Any]) -> Schedule:
    s = v.table(raw, "schedule", ("schedule",), required=False)
    if s is None:
        return Schedule()
    p = ("schedule",)
    v.unknown_keys(
        s,
        {"audit", "comment_sweep", "timezone", "misfire_grace_minutes", "max_age_hours", "lock_wait_seconds"},
        p,
    )
    audit = v.string(s, "audit", p, default="0 2 * * *") or "0 2 * * *"
    sweep = v.string(s, "comment_sweep", p)
    for key, expr in (("audit", audit), ("comment_sweep", sweep)):
        if expr is None:
            continue
        if len(expr.split()) != 5:
            v.problem((*p, key), f'expected a cron expression with 5 fields like "0 2 * * *", found {_show(expr)}')
            continue

        try:
            check_cron(expr)
        except ValueError as exc:
            v.problem((*p, key), f"not a valid cron expression ({exc}), found {_show(expr)}")
    tz = v.string(s, "timezone", p, default="Europe/London") or "Europe/London"
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        v.problem((*p, "timezone"), f'unknown time zone {tz!r}; expected a name like "Europe/London"')
    grace = v.integer(s, "misfire_grace_minutes", p, default=60, lo=1, hi=24 * 60)
    max_age = v.integer(s, "max_age_hours", p, default=26, lo=1, hi=24 * 366)
    wait = v.integer(s, "lock_wait_seconds", p, default=60, lo=0, hi=24 * 3600)
    return Schedule(audit, sweep, tz, grace, max_age, wait)


_LOG_LEVELS = ("debug", "info", "warning", "error")


def _logging(v: _Validator, raw: dict[str, Any], base: Path) -> Logging:
    section = v.table(raw, "logging", ("logging",), required=False)
    if section is None:
        return Logging()
    p = ("logging",)
    v.unknown_keys(section, {"file", "level", "max_bytes", "backups"}, p)
    file = v.string(section, "file", p)
    level = v.string(section, "level", p)
    if level is not None and level.lower() not in _LOG_LEVELS:
        v.problem((*p, "level"), f"expected one of {', '.join(_LOG_LEVELS)}, found {_show(level)}")
        level = None
    max_bytes = v.integer(section, "max_bytes", p, default=5 * 1024 * 1024, lo=10_000, hi=10 * 1024**3)
    backups = v.integer(section, "backups", p, default=5, lo=0, hi=1000)
    return Logging(base / file if file else None, level.lower() if level else None, max_bytes, backups)


def _links(v: _Validator, raw: dict[str, Any], base: Path, school: School | None) -> LinkSettings:
    """[links] (SMP-2.5). The school's own domains are trusted unless the section names others."""
    own = []
    if school is not None:
        for url in (school.website, school.aup_url):
            host = host_of(url or "")
            if host:
                own.append(host.removeprefix("www."))
        own.append(school.email_domain)
    section = v.table(raw, "links", ("links",), required=False) or {}
    p = ("links",)
    allowed = {
        "trusted_domains", "blocked_categories", "blocklists", "blocklist_url", "cache", "cache_max_age_hours",
        "workers", "per_host", "timeout", "safe_browsing_key_env", "urlhaus_key_env", "allow_private_hosts",
        "link_deadline", "host_backoff_budget", "proxy", "proxy_from_environment", "proxy_credentials_env",
        "blocklists_max_age_days",
    }  # fmt: skip
    v.unknown_keys(section, allowed, p)

    def names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = v.text_list(section, key, p, '["adult", "gambling"]')
        return default if value is None else tuple(dict.fromkeys(i.lower() for i in value))

    trusted = names("trusted_domains", tuple(dict.fromkeys(own)))
    categories = names("blocked_categories", DEFAULT_CATEGORIES)
    for n, category in enumerate(categories):
        if not re.fullmatch(r"[a-z0-9_-]{1,40}", category):
            v.problem((*p, "blocked_categories", str(n)), f"expected a UT1 category name, found {_show(category)}")
    folder = v.string(section, "blocklists", p, default="data/blocklists") or "data/blocklists"
    list_url = v.url(section, "blocklist_url", p) or DEFAULT_BLOCKLIST_URL
    lists_max_age = v.integer(section, "blocklists_max_age_days", p, default=14, lo=1, hi=366)
    cache = v.string(section, "cache", p, default="links-cache.sqlite3") or "links-cache.sqlite3"
    max_age = v.integer(section, "cache_max_age_hours", p, default=24, lo=0, hi=24 * 30)
    workers = v.integer(section, "workers", p, default=16, lo=1, hi=64)
    per_host = v.integer(section, "per_host", p, default=2, lo=1, hi=8)
    timeout = v.integer(section, "timeout", p, default=10, lo=1, hi=120)
    sb_env = v.string(section, "safe_browsing_key_env", p, default="SAFE_BROWSING_API_KEY") or "SAFE_BROWSING_API_KEY"
    uh_env = v.string(section, "urlhaus_key_env", p, default="URLHAUS_AUTH_KEY") or "URLHAUS_AUTH_KEY"
    allow_private = v.boolean(section, "allow_private_hosts", p) or False
    deadline = v.integer(section, "link_deadline", p, default=20, lo=1, hi=600)
    backoff_budget = v.integer(section, "host_backoff_budget", p, default=60, lo=0, hi=3600)
    proxy, from_env, credentials_env = _proxy(v, section, p)
    return LinkSettings(
        trusted_domains=trusted,
        blocked_categories=categories,
        blocklists=base / folder,
        blocklist_url=list_url if list_url.endswith("/") else list_url + "/",
        blocklists_max_age_days=lists_max_age,
        cache=base / cache,
        cache_max_age_hours=float(max_age),
        workers=workers,
        per_host=per_host,
        read_timeout=float(timeout),
        safe_browsing_key_env=sb_env,
        urlhaus_key_env=uh_env,
        allow_private_hosts=allow_private,
        link_deadline=float(deadline),
        host_backoff_budget=float(backoff_budget),
        proxy=proxy,
        proxy_from_environment=from_env,
        proxy_credentials_env=credentials_env,
    )


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _proxy(v: _Validator, section: dict[str, Any], p: tuple[str, ...]) -> tuple[str | None, bool, str | None]:
    """[links] proxy, proxy_from_environment and proxy_credentials_env. A proxy address holding a password is refused
    without repeating it: credentials belong in the environment variable that proxy_credentials_env names."""
    proxy = v.string(section, "proxy", p) or None
    from_env = v.boolean(section, "proxy_from_environment", p) or False
    credentials_env = v.string(section, "proxy_credentials_env", p) or None
    if proxy is not None:
        try:
            parts = urlsplit(proxy)
            parts.port  # noqa: B018 - reading it checks the port is a number in range
        except ValueError:
            v.problem((*p, "proxy"), 'expected a proxy address like "http://proxy.school:3128"; its port is not valid')
            return None, from_env, credentials_env
        if "@" in proxy or parts.username is not None or parts.password is not None:
            v.problem(
                (*p, "proxy"),
                "must not hold a user name or password (it would sit in the file in plain text); put "
                '"user:password" in an environment variable and name it in proxy_credentials_env',
            )
            proxy = None
        elif parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            v.problem(
                (*p, "proxy"),
                f'expected a proxy address starting with http:// or https://, like "http://proxy.school:3128", '
                f"found {_show(proxy)}",
            )
            proxy = None
        if proxy is not None and from_env:
            v.problem((*p, "proxy_from_environment"), "set either proxy or proxy_from_environment = true, not both")
    if credentials_env is not None:
        if not _ENV_NAME.match(credentials_env):
            v.problem(
                (*p, "proxy_credentials_env"),
                f"expected the name of an environment variable, found {_show(credentials_env)}",
            )
            credentials_env = None
        elif "proxy" not in section:
            v.problem((*p, "proxy_credentials_env"), "is only used with proxy; set proxy to the proxy's address")
    return proxy, from_env, credentials_env


__all__ = [
    "Config",
    "ConfigError",
    "Department",
    "Email",
    "Logging",
    "Output",
    "PathProblems",
    "Schedule",
    "School",
    "load",
    "mailbox_problem",
    "on_domain",
]
