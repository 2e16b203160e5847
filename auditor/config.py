"""Load and validate `config.toml` into the typed settings of `auditor.settings` (re-exported here).

Every problem is reported with the file, the key (`accounts[2].platform`), the line where it can be found and what was
expected, all at once, so a technician fixes the file in one pass. Nothing is audited or written when the config is bad.

This module reads the file (bounded, without blocking, nesting checked before the TOML parser sees it) and places
problems at their lines. The rules are pydantic models in `auditor.config_schema`, imported only by `load`: pydantic
takes longer to import than the interpreter takes to start. `status_settings` is the fast read `auditor status` uses:
the few keys it needs, checked by the same limits, and the full loader whenever it has any doubt.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.config_values import CONTROL, ENV_NAME, mailbox_problem, mailbox_problem_of, not_regular, show, type_name
from auditor.links.settings import LinkSettings
from auditor.settings import (
    CATEGORY_NAME,
    DEFAULT_BLOCKLISTS,
    DEFAULT_STORE,
    SECTIONS,
    Config,
    ConfigError,
    Department,
    Email,
    Logging,
    Output,
    PathProblems,
    Schedule,
    School,
    StatusSettings,
    limits,
    on_domain,
)
from auditor.storeurl import StoreURLError
from auditor.storeurl import parse as parse_store

__all__ = ["CONTROL", "ENV_NAME", "mailbox_problem", "mailbox_problem_of", "not_regular", "show", "type_name"]

# A school's config is a few kilobytes; 1 MB holds thousands of accounts. Anything larger is the wrong file.
MAX_CONFIG_BYTES = 1024 * 1024
# Real configs nest three deep ([departments."Design & Tech"], exempt = [{...}]). tomllib recurses once per bracket
# (a RecursionError near 1000) and its cost grows with the square of a dotted key's length, so both are bounded first.
MAX_NESTING = 32
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


def _dotted(path: tuple[str, ...]) -> str:
    out = ""
    for part in path:
        if part.isdigit():
            out += f"[{int(part) + 1}]"  # people count accounts from 1
        else:
            out += f".{part}" if out else part
    return out


def load(path: Path | str, checks: Iterable[str] | None = None) -> Config:
    """Read and validate a config file. Raises ConfigError listing every problem found.

    `checks` are the check ids an `exempt` entry or a waiver may name; by default, every registered check."""
    path, text, raw = read(path)
    if "trust" in raw:
        raise ConfigError(
            [
                f"{path}: this is a trust's config ([trust] lists several schools); this command reads one school's "
                "config: give --school with the school's id, or --config with that school's own file"
            ]
        )
    return _validate(path.resolve(), text, raw, checks_or_all(checks))


def checks_or_all(checks: Iterable[str] | None) -> frozenset[str]:
    if checks is None:
        from auditor.checks import all_checks

        checks = all_checks()
    return frozenset(checks)


def read(path: Path | str) -> tuple[Path, str, dict[str, Any]]:
    """The file's path, text and parsed TOML; a ConfigError when it cannot be read as a config file at all."""
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
    return path, text, raw


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


@dataclass(frozen=True)
class Inherited:
    """A trust's shared sections ([output], [email]...), which each school's file is read with (auditor/trust.py):
    the school's own keys of a section come first, the trust's fill in the rest. A problem with a key that came from
    the trust is placed in the trust's file, at its line."""

    path: Path
    text: str
    sections: dict[str, dict[str, Any]]

    def merged(self, raw: dict[str, Any]) -> dict[str, Any]:
        out = dict(raw)
        for name, table in self.sections.items():
            own = raw.get(name)
            if own is None:
                out[name] = dict(table)
            elif isinstance(own, dict):
                out[name] = {**table, **own}
        return out

    def owns(self, raw: dict[str, Any], where: tuple[str, ...]) -> bool:
        """Whether the problem at `where` in the merged file is the trust's: its key, or its section, came from
        there (a key neither file writes is the school's to add when the school writes the section)."""
        if not where or where[0] not in self.sections:
            return False
        own = raw.get(where[0])
        if not isinstance(own, dict):
            return True
        return len(where) > 1 and where[1] not in own and where[1] in self.sections[where[0]]


def _validate(
    path: Path, text: str, raw: dict[str, Any], checks: frozenset[str], inherited: Inherited | None = None
) -> Config:
    import dataclasses

    from auditor import config_schema
    from auditor.waivers import Waiver, WaiverError
    from auditor.waivers import load as load_waivers

    if not raw:
        raise ConfigError(
            [f"{path}: the config file is empty; it needs a [school] section and at least one [[accounts]]"]
        )
    lines = _Lines(text)
    own = raw
    if inherited is not None:
        raw = inherited.merged(raw)
        trust_lines = _Lines(inherited.text)
    context = config_schema.context_for(path.parent, raw, checks, lines.line)
    model, found = config_schema.validate(raw, context)
    problems = [
        _placed(inherited.path, trust_lines, where, message)
        if inherited is not None and inherited.owns(own, where)
        else _placed(path, lines, where, message)
        for where, message in found
    ]
    waivers: tuple[Waiver, ...] = ()
    w = raw.get("waivers")
    file = w.get("file") if isinstance(w, dict) else None
    if isinstance(file, str) and file.strip() and not not_regular(path.parent / file.strip()):
        try:
            waivers = load_waivers(path.parent / file.strip(), checks)
        except WaiverError as exc:
            problems.extend(exc.problems)
    if problems or model is None:
        raise ConfigError(problems or [f"{path}: [school] is incomplete"])
    config, notes = config_schema.build(path, model, context)
    warnings = []
    for where, message in notes:
        line = lines.line(where) if where else None
        warnings.append(f"{path}:{line}: {message}" if line else f"{path}: {message}")
    return dataclasses.replace(config, warnings=tuple(warnings), waivers=waivers)


def _placed(path: Path, lines: _Lines, where: tuple[str, ...], message: str) -> str:
    """`config.toml:11: accounts[1].platform: message`. A key that is missing is placed at its table."""
    line = None
    for depth in range(len(where), 0, -1):
        line = lines.line(where[:depth])
        if line:
            break
    return f"{path}:{line}: {_dotted(where)}: {message}" if line else f"{path}: {_dotted(where)}: {message}"


def status_settings(path: Path | str) -> StatusSettings:
    """What `auditor status` needs, read without the full loader when the file leaves no doubt about it.

    The fast read takes the history's path, `[schedule] max_age_hours` and the `[links]` category lists from the
    TOML, with the defaults and limits of `auditor.settings`. Any doubt (a key it does not know at the top, a missing
    [school] or [[accounts]], a value of the wrong kind or out of range, a store that is not a file path) and the
    full loader reads the file instead, so every problem is reported as `auditor config check` reports it.
    Problems elsewhere in a file it can read (an unknown platform, a bad address) are left to the commands that use
    those keys: the nightly run stops on them, and `auditor status` reports the audit it then misses."""
    try:
        found, _, raw = read(path)
    except ConfigError:
        found, raw = Path(path), {}
    quick = _quick_status(found.resolve(), raw)
    return quick if quick is not None else StatusSettings.of(load(path))


def _quick_status(path: Path, raw: dict[str, Any]) -> StatusSettings | None:
    if not raw or set(raw) - set(SECTIONS):
        return None
    accounts = raw.get("accounts")
    if not isinstance(raw.get("school"), dict) or not isinstance(accounts, list) or not accounts:
        return None
    output, schedule, links = (raw.get(name, {}) for name in ("output", "schedule", "links"))
    if not all(isinstance(section, dict) for section in (output, schedule, links)):
        return None
    base = path.parent
    store = _quick_text(output, "store", DEFAULT_STORE)
    folder = _quick_text(links, "blocklists", DEFAULT_BLOCKLISTS)
    max_age = _quick_number(schedule, "max_age_hours", Schedule)
    lists_age = _quick_number(links, "blocklists_max_age_days", LinkSettings)
    categories = links.get("blocked_categories", LinkSettings().blocked_categories)
    if store is None or folder is None or max_age is None or lists_age is None:
        return None
    try:
        target = parse_store(store, base)
    except StoreURLError:
        return None
    if not isinstance(categories, list | tuple) or not all(isinstance(c, str) and c.strip() for c in categories):
        return None
    names = tuple(dict.fromkeys(c.strip().lower() for c in categories))
    if not all(re.fullmatch(CATEGORY_NAME, name) for name in names):
        return None
    return StatusSettings(
        path=path,
        store=target,
        max_age_hours=max_age,
        blocklists=base / folder,
        blocked_categories=names,
        blocklists_max_age_days=lists_age,
    )


def _quick_text(section: dict[str, Any], key: str, default: str) -> str | None:
    value = section.get(key, default)
    return (value.strip() or default) if isinstance(value, str) else None


def _quick_number(section: dict[str, Any], key: str, settings: type) -> int | None:
    default, lo, hi = limits(settings, key)
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        return None
    return value


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
    "StatusSettings",
    "load",
    "mailbox_problem",
    "on_domain",
    "status_settings",
]
