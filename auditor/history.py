"""Comparing a run's findings with history: one finding per id, each marked new, persisting or resolved, and the
problems this run did not look at again carried forward as still open. Pure: the priors come from the store."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from auditor.checks import Check
from auditor.model import Account, Change, Evidence, Finding, Seen, Status
from auditor.store import Prior

NOT_RECHECKED = " [Not re-checked in this run; last confirmed earlier.]"


def merge_duplicates(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per id, in first-seen order. Two results can share an id when one problem is met twice in one
    run (a stranger's reply shown under two posts of a thread, one address written two ways); the merged finding
    keeps the worst status and severity and every place it was seen, so nothing is lost and nothing is stored twice."""
    merged: dict[str, Finding] = {}
    for f in findings:
        kept = merged.get(f.id)
        if kept is None:
            merged[f.id] = f
            continue
        worse, other = (f, kept) if f.status.rank < kept.status.rank else (kept, f)
        places = [e for e in (other.evidence, *other.evidence.also, *worse.evidence.also) if e != worse.evidence]
        evidence = dataclasses.replace(worse.evidence, also=tuple(dict.fromkeys(_bare(e) for e in places)))
        severity = min(worse.severity, other.severity, key=lambda s: s.rank)
        merged[f.id] = dataclasses.replace(worse, severity=severity, evidence=evidence)
    return list(merged.values())


def _bare(evidence: Evidence) -> Evidence:
    return dataclasses.replace(evidence, also=())


def with_history(
    account: Account,
    findings: list[Finding],
    checks: dict[str, Check],
    seen: Seen | None,
    priors: dict[str, Prior],
    now: dt.datetime,
) -> list[Finding]:
    """Mark each finding new, persisting or resolved, and account for earlier problems this run did not see again.
    `seen`: what was read of the account (`Seen.of` its data), None when it could not be read."""
    for f in findings:
        prior = priors.get(f.id)
        was_open = prior is not None and prior.finding.status is Status.FAIL
        if f.is_open:
            # "Persisting" only once someone was told: a run whose reports or email failed told no one.
            f.change = Change.PERSISTING if was_open and prior and prior.told else Change.NEW
            f.first_seen = prior.finding.first_seen if was_open and prior else now
        elif f.status is Status.ERROR:
            # Not verified this time: the earlier problem is neither confirmed nor resolved.
            f.change = Change.PERSISTING if prior else Change.NEW
            f.first_seen = prior.finding.first_seen if prior else now
        else:
            f.change = Change.RESOLVED if was_open else (Change.PERSISTING if prior else Change.NEW)
            f.first_seen = prior.finding.first_seen if prior else now

    found = {f.id for f in findings}
    examined = seen.post_ids if seen is not None else frozenset()
    for fid, prior in priors.items():
        old = prior.finding
        if fid in found or old.status is not Status.FAIL or old.check not in checks:
            continue
        post_id = old.evidence.post_id
        # The account was read and the check looked at the same thing (the profile, a post it examined, or the whole
        # history in which the post no longer exists): the problem is gone.
        if seen is not None and (post_id is None or post_id in examined or seen.complete):
            gone = "the post is no longer there" if post_id and post_id not in examined else "the problem is fixed"
            findings.append(
                dataclasses.replace(
                    old,
                    status=Status.PASS,
                    change=Change.RESOLVED,
                    reason=f"Resolved: {gone}. It was: {_strip_note(old.reason)}",
                )
            )
        else:
            # Not looked at this time (the account could not be read, or the post is outside this run's window): the
            # problem is still believed to be there, and stays on the report until a run sees that it is gone.
            change = Change.PERSISTING if prior.told else Change.NEW
            findings.append(dataclasses.replace(old, change=change, reason=_strip_note(old.reason) + NOT_RECHECKED))
    return findings


def _strip_note(reason: str) -> str:
    return reason.removesuffix(NOT_RECHECKED)
