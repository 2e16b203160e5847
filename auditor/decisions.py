"""Decisions made in the web app, as the runner reads them: each becomes what the same decision made in a file is.

- a false alarm is a waiver (auditor/waivers.py), with the person who made it as its approver, its reason and expiry;
- a photo's written consent adds the post to `photo_consent_confirmed`, as config.toml's list does;
- a confirmed checklist item ("to confirm", e.g. SMP-2.7's private messages) is kept as a finding id with who, when,
  why and until when: a MANUAL result with that id passes with those words (`confirmed_reason`), until the expiry or
  until a run finds a real failure of the same check on the account, which ends the confirmation at once;
- a comment removed and reported changes no result (the comment is gone, so the next run no longer finds it): the
  school report shows how long it stayed up.

A reopened (ended) decision stops applying. Nothing here is written to the run history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
from collections.abc import Iterable

import sqlalchemy as sa

from auditor import appdb
from auditor.errors import StoreError
from auditor.model import Finding, Status
from auditor.schools import school_store
from auditor.settings import Config
from auditor.store import store_error
from auditor.waivers import Waiver

log = logging.getLogger(__name__)


def read(config: Config) -> list[appdb.Decision]:
    """Every decision recorded in the app for this history, or none when the app has never been used with it."""
    path, school = school_store(config)
    if school != appdb.SCHOOL or not path.exists():
        # The app serves one school's config, whose decisions are the 'default' school's; a trust's school has none.
        return []
    engine = appdb.engine_for(path)
    try:
        if not appdb.has_tables(engine):
            return []
        with engine.connect() as conn:
            return appdb.all_decisions(conn)
    except sa.exc.DBAPIError as exc:
        plain = store_error(exc.orig, path.file) if isinstance(exc.orig, sqlite3.Error) and path.file else None
        if plain is not None:
            raise plain from None
        raise StoreError(
            f"the decisions made in the web app could not be read from {path} ({type(exc).__name__}); nothing was "
            "audited. Check the file as for any history database problem"
        ) from None
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(
            f"the decisions made in the web app could not be read from {path} ({type(exc).__name__}); nothing was "
            "audited. Check the file as for any history database problem"
        ) from None
    finally:
        engine.dispose()


def as_waiver(d: appdb.Decision) -> Waiver:
    assert d.expires is not None
    return Waiver(
        account=d.account,
        check=d.check_id,
        reason=d.reason or "not-applicable",
        approved_by=d.made_by,
        expires=d.expires,
        pattern=d.pattern,
        note=d.note,
    )


def describe_confirmation(d: appdb.Decision) -> str:
    until = f", until {d.expires:%d %b %Y}" if d.expires else ""
    return f"confirmed by {d.made_by} on {d.made_at:%d %b %Y}{until}: {d.note}"


def with_decisions(config: Config, today: dt.date | None = None) -> Config:
    """The config with the app's decisions added to the file's: the same objects a file decision makes. Reading it
    twice adds nothing twice."""
    found = read(config)
    if not found:
        return config
    today = today or dt.datetime.now(dt.UTC).date()
    # An expired waiver is kept, as one in waivers.toml is: the reports list it as expired so someone renews it.
    waivers = [as_waiver(d) for d in found if d.kind == "false_alarm" and d.ended_at is None and d.expires]
    consent = {d.post_id for d in found if d.kind == "consent" and d.live(today) and d.post_id}
    confirmed = {d.finding_id: describe_confirmation(d) for d in found if d.kind == "confirm" and d.live(today)}
    merged = tuple(dict.fromkeys([*config.waivers, *waivers]))
    return dataclasses.replace(
        config,
        waivers=merged,
        photo_consent_confirmed=config.photo_consent_confirmed | consent,
        checklist_confirmed={**config.checklist_confirmed, **confirmed},
    )


def confirmed_reason(description: str, reason: str) -> str:
    return f"Confirmed ({description}). What was asked: {reason}"


def end_on_failure(config: Config, findings: Iterable[Finding], run_id: str) -> list[int]:
    """A run found a real failure (FAIL) of a check whose checklist item was confirmed on the same account: the
    confirmation ends at once, so the item is asked again. Returns the ids of the decisions ended."""
    failing = {(f.account_key, f.check) for f in findings if f.status is Status.FAIL}
    if not failing:
        return []
    live = [d for d in read(config) if d.kind == "confirm" and d.ended_at is None]
    hit = [d for d in live if (d.account_key, d.check_id) in failing]
    if not hit:
        return []
    engine = appdb.engine_for(school_store(config)[0])
    try:
        with engine.begin() as conn:
            for d in hit:
                appdb.end_decision(conn, d.id, "auditor", f"run {run_id} found a real failure of {d.check_id}")
    finally:
        engine.dispose()
    for d in hit:
        log.warning("the confirmation of %s on %s ended: run %s found a real failure", d.check_id, d.account, run_id)
    return [d.id for d in hit]


SCHOOL_SCRUTINY = "school:SMP-2.9"  # the finding id of SLT's confirmation of SMP-2.9, which concerns the whole school
REPORT_REMOVALS_DAYS = 31


def duration(delta: dt.timedelta | None) -> str:
    """A time to removal in plain words: '45 min', '3 h 10 min', '2 days 4 h'."""
    if delta is None:
        return "unknown"
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days {hours % 24} h"


def for_school_report(config: Config, now: dt.datetime) -> dict[str, object]:
    """What the school report shows of the app's decisions: SLT's live confirmations of SMP-2.9 (their scrutiny of
    the posts), and the abusive comments removed in the last month with how long each stayed up (SMP-2.6 asks for
    "immediately")."""
    found = read(config)
    today = now.date()
    scrutiny = [describe_confirmation(d) for d in found if d.finding_id == SCHOOL_SCRUTINY and d.live(today)]
    since = now - dt.timedelta(days=REPORT_REMOVALS_DAYS)
    removals = [
        {
            "account": d.account,
            "found": d.seen_at,
            "removed": d.removed_at,
            "took": duration(d.time_to_removal),
            "reported_to": d.reported_to or "",
            "by": d.made_by,
        }
        for d in found
        if d.kind == "removed" and d.ended_at is None and d.removed_at is not None and d.removed_at >= since
    ]
    return {"scrutiny": scrutiny, "removals": removals}
