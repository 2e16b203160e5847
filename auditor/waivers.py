"""Waivers: signed-off exceptions kept in their own TOML file, each with a reason from a fixed list, who approved it and
when it expires.

A waiver never hides a finding: the runner marks a matching FAIL, ERROR or MANUAL as WAIVED and keeps the original
reason beside the waiver's. An expired waiver stops applying (the finding is open again) and is listed as expired in the
reports and on the command line, so someone renews it or lets it go.

```toml
[[waiver]]
account = "@IslwynHigh"
check = "naming.ihs_in_username"
pattern = "IslwynHigh"            # optional: text that must appear in the finding's reason or evidence
reason = "accepted-risk"          # not-applicable | remediated | accepted-risk | consent-confirmed
approved_by = "J. Morgan (Deputy Head)"
expires = 2027-07-31
note = "whole-school account, named in the policy"   # optional
```
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.model import Account, Result, Status

REASONS = ("not-applicable", "remediated", "accepted-risk", "consent-confirmed")
MAX_BYTES = 1024 * 1024


class WaiverError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Waiver:
    account: str
    check: str
    reason: str
    approved_by: str
    expires: dt.date
    pattern: str | None = None
    note: str | None = None

    def expired(self, today: dt.date) -> bool:
        """A waiver is good up to and including its expiry date."""
        return today > self.expires

    def matches(self, account: Account, check_id: str, result: Result) -> bool:
        if check_id != self.check or _bare(account.handle) != _bare(self.account):
            return False
        if self.pattern is None:
            return True
        ev = result.evidence
        haystack = " ".join(t for t in (result.reason, ev.excerpt, ev.url, ev.link, ev.post_id) if t)
        # Plain text, not a regular expression: the people who approve waivers are not programmers.
        return self.pattern.casefold() in haystack.casefold()

    def describe(self) -> str:
        note = f"; {self.note}" if self.note else ""
        return f"{self.reason}, approved by {self.approved_by}, until {self.expires:%d %b %Y}{note}"


def _bare(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def active_for(
    waivers: Sequence[Waiver], account: Account, check_id: str, result: Result, today: dt.date
) -> Waiver | None:
    return next((w for w in waivers if not w.expired(today) and w.matches(account, check_id, result)), None)


def apply_waivers(
    account: Account, check_id: str, result: Result, waivers: Sequence[Waiver], today: dt.date | None
) -> tuple[Status, str]:
    """The one place where the config's exemptions and the signed waivers meet a result: its status and reason.

    A waiver never hides a result: a FAIL, ERROR or MANUAL it covers becomes WAIVED, with the waiver and what the
    result would have said; a PASS stays a PASS."""
    exempt = next((e.reason for e in account.exempt if e.check == check_id), None)
    signed = active_for(waivers, account, check_id, result, today) if today else None
    waiver = signed.describe() if signed else exempt
    if waiver and result.status in (Status.FAIL, Status.ERROR, Status.MANUAL):
        return Status.WAIVED, f"Waived ({waiver}). Without the waiver: {result.reason}"
    return result.status, result.reason


def expired(waivers: Iterable[Waiver], today: dt.date) -> list[Waiver]:
    return [w for w in waivers if w.expired(today)]


def load(path: Path, known_checks: Iterable[str]) -> tuple[Waiver, ...]:
    """Read and validate a waivers file; every problem is reported at once, naming the entry and the key."""
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except FileNotFoundError:
        raise WaiverError([f"{path}: waivers file not found"]) from None
    except OSError as exc:
        raise WaiverError([f"{path}: cannot read the waivers file ({exc.strerror})"]) from None
    if len(data) > MAX_BYTES:
        raise WaiverError([f"{path}: waivers file is larger than 1 MB"])
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise WaiverError([f"{path}: not a text file; a TOML file was expected"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise WaiverError([f"{path}: TOML syntax error: {exc}"]) from None
    known = set(known_checks)
    problems: list[str] = []
    unknown_top = sorted(set(raw) - {"waiver"})
    if unknown_top:
        problems.append(f"{path}: unknown key(s) {', '.join(unknown_top)}; each waiver is a [[waiver]] table")
    entries = raw.get("waiver", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise WaiverError([*problems, f"{path}: expected [[waiver]] tables"])
    waivers = []
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: waiver[{n}]"
        before = len(problems)
        waiver = _entry(entry, where, known, problems)
        if waiver is not None and len(problems) == before:
            waivers.append(waiver)
    if problems:
        raise WaiverError(problems)
    return tuple(waivers)


def _entry(entry: dict[str, Any], where: str, known: set[str], problems: list[str]) -> Waiver | None:
    allowed = {"account", "check", "pattern", "reason", "approved_by", "expires", "note"}
    for key in sorted(set(entry) - allowed):
        problems.append(f"{where}.{key}: unknown key; known keys: {', '.join(sorted(allowed))}")

    def text(key: str, required: bool) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                problems.append(f"{where}.{key}: missing; this key is required")
            return None
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}.{key}: expected non-empty text in quotes")
            return None
        return value.strip()

    account, check, reason = text("account", True), text("check", True), text("reason", True)
    approved_by, pattern, note = text("approved_by", True), text("pattern", False), text("note", False)
    if check is not None and check not in known:
        problems.append(f"{where}.check: unknown check {check!r}; `auditor checks` lists them")
    if reason is not None and reason not in REASONS:
        problems.append(f"{where}.reason: {reason!r} is not one of {', '.join(REASONS)}")
    expires = entry.get("expires")
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if expires is None:
        problems.append(f"{where}.expires: missing; every waiver needs an expiry date like 2027-07-31")
    elif not isinstance(expires, dt.date):
        problems.append(f"{where}.expires: expected a date written like 2027-07-31 (no quotes)")
        expires = None
    if account and check and reason and approved_by and isinstance(expires, dt.date):
        return Waiver(account, check, reason, approved_by, expires, pattern, note)
    return None
