"""Policy checks: one module per area, one function per check, its metadata beside it.

A check is a pure function from a `CheckContext` (the registered account, the school's settings and what the connector
fetched) to `Result`s. It does no I/O except through the services the context hands it. The runner turns results into
findings: it adds identity, waivers and history.

The check id is the map: `naming.ihs_in_username` is the function `ihs_in_username` in `auditor/checks/naming.py`.
The registry refuses a check whose id does not match its module and function name.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditor.config import Config
from auditor.model import Account, AccountData, Result, Severity
from auditor.policy import CLAUSES
from auditor.services import Services

CHECK_MODULES = ("naming", "registry", "about", "messaging", "safeguarding", "links", "content", "comments")


@dataclass(frozen=True)
class CheckContext:
    account: Account
    config: Config
    # None when the account's platform data could not be fetched: only checks with needs_data=False then run.
    data: AccountData | None
    offline: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    services: Services = field(default_factory=Services)


CheckFunc = Callable[[CheckContext], Iterable[Result]]


@dataclass(frozen=True)
class Check:
    id: str
    clause: str
    severity: Severity
    title: str
    remediation: tuple[str, ...]  # numbered steps a teacher can follow, in the platform's own words
    func: CheckFunc
    # False for checks that read only the registry (config), which still give a verdict when the platform is down.
    needs_data: bool = True

    def run(self, ctx: CheckContext) -> list[Result]:
        return list(self.func(ctx))


_REGISTRY: dict[str, Check] = {}


def check(
    *, clause: str, severity: Severity, title: str, remediation: Iterable[str], needs_data: bool = True
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as the check `<module>.<function>`."""

    def register(func: CheckFunc) -> CheckFunc:
        module = func.__module__.rpartition(".")[2]
        check_id = f"{module}.{func.__name__}"
        if clause not in CLAUSES:
            raise ValueError(f"check {check_id} names unknown clause {clause}")
        if check_id in _REGISTRY:
            raise ValueError(f"check {check_id} is registered twice")
        steps = tuple(remediation)
        if not steps:
            raise ValueError(f"check {check_id} has no remediation steps")
        _REGISTRY[check_id] = Check(check_id, clause, severity, title, steps, func, needs_data)
        return func

    return register


def all_checks() -> dict[str, Check]:
    """Every registered check, by id, in a stable order."""
    for name in CHECK_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return dict(sorted(_REGISTRY.items()))


def checks_for_clause(clause_id: str) -> list[Check]:
    return [c for c in all_checks().values() if c.clause == clause_id]
