"""Cron expressions, read the way cron reads them (cronsim): checked here for the config, turned into fire times by
the scheduler's trigger. A leaf: the config loader uses it without loading the scheduler."""

from __future__ import annotations

import datetime as dt

from cronsim import CronSim, CronSimError

_FIELDS = {
    "minute": "the minute (0-59)",
    "hour": "the hour (0-23)",
    "day-of-month": "the day of the month (1-31)",
    "month": "the month (1-12 or jan-dec)",
    "day-of-week": "the day of the week (0-7, where 0 and 7 are Sunday, or mon-sun)",
}


def check_cron(expr: str) -> str:
    """The expression with its fields one space apart, or a ValueError saying which field is wrong."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields, got {len(fields)}")
    normal = " ".join(fields)
    try:
        CronSim(normal, dt.datetime.now(dt.UTC))
    except CronSimError as exc:
        field = str(exc).removeprefix("Bad ").strip()
        raise ValueError(f"{_FIELDS[field]} is wrong" if field in _FIELDS else str(exc)) from None
    return normal
