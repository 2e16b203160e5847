"""Policy checks: one module per area, one function per check, its metadata beside it.

A check is a pure function from a `CheckContext` (the registered account, the policy settings checks read, what the
account's data holds and the data the check declared it needs: `auditor/checks/context.py`) to `Result`s. It never
sees the config, and does no I/O except through the services the context hands it. The runner turns results into
findings: it adds identity, waivers and history.

The check id is the map: `naming.ihs_in_username` is the function `ihs_in_username` in `auditor/checks/naming.py`.
The registry refuses a check whose id does not match its module and function name.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from auditor.checks.context import (
    ALL_DATA,
    DATA_KINDS,
    CheckContext,
    CheckSettings,
    DataSource,
    needs_of,
)
from auditor.model import AccountData, Result, Severity
from auditor.policy import CLAUSES

__all__ = [
    "ALL_DATA",
    "DATA_KINDS",
    "Check",
    "CheckContext",
    "CheckSettings",
    "DataSource",
    "Step",
    "all_checks",
    "check",
]

log = logging.getLogger(__name__)

CHECK_MODULES = (
    "naming",
    "registry",
    "about",
    "messaging",
    "safeguarding",
    "links",
    "content",
    "comments",
    # Photo metadata (SMP-2.4) and account settings where a platform reports them (TikTok exports).
    "photos",
    "privacy",
    # Accounts imitating the school's (SMP-2.2), where an account asks for the search.
    "identity",
)


CheckFunc = Callable[[CheckContext], Iterable[Result]]


# A step for X is a step for an X data archive too: the account it came from is on X.
def _family(platform: str) -> str:
    """The platform whose remediation steps apply: its spec says so ("x" for "x-archive")."""
    from auditor import platforms

    spec = platforms.get(platform)
    return spec.steps_family if spec is not None else platform


class Step(str):
    """One remediation step that only some platforms need: a card shows it only to accounts on those platforms. It is
    its text (a `str`), so whatever lists steps without asking about platforms still reads it; a plain string step is
    for every platform."""

    platforms: tuple[str, ...]

    def __new__(cls, text: str, platforms: tuple[str, ...]) -> Step:
        step = super().__new__(cls, text)
        step.platforms = platforms
        return step

    def applies_to(self, platform: str) -> bool:
        return _family(platform) in self.platforms or platform in self.platforms


@dataclass(frozen=True)
class Check:
    id: str
    clause: str
    severity: Severity
    title: str  # what the policy asks, as met: "The username includes IHS"
    remediation: tuple[str, ...]  # numbered steps a teacher can follow, in the platform's own words
    func: CheckFunc
    # The raw data it reads (DATA_KINDS): the check sees only these, and a run downloads photos only when one of its
    # checks needs them. Empty for checks that read only the register (config.toml), which still give a verdict when
    # the platform is down.
    needs: frozenset[str] = ALL_DATA
    failure_title: str = ""  # what is wrong, heading a card of failures: "The username does not include IHS"
    # Every severity a finding of this check can have (the default and any a result may set), most serious first.
    severities: tuple[Severity, ...] = ()

    @property
    def needs_data(self) -> bool:
        """Whether it reads the account's data at all; if not, it gives its verdict even when the account is unread."""
        return bool(self.needs)

    def run(self, ctx: CheckContext) -> list[Result]:
        # The check sees what it declared; each result is dated from the whole data.
        results = [_dated(r, ctx.data) for r in self.func(ctx.seeing(self.needs))]
        for r in results:
            if r.severity is not None and r.severity not in self.severities:
                # `auditor checks` is then wrong about this check: a bug for a developer to fix in its metadata. The
                # result stands as given: a problem found is never hidden over a listing.
                log.warning("check %s gave severity %s, which its metadata does not declare", self.id, r.severity)
        return results

    def steps_for(self, platforms: Iterable[str]) -> list[str]:
        """The steps for accounts on these platforms, in order: every general step, and each platform step that
        applies to one of them, labelled with its platform when the card covers several."""
        wanted = set(platforms)
        steps: list[str] = []
        for step in self.remediation:
            if not isinstance(step, Step):
                steps.append(step)
                continue
            mine = [p for p in sorted(wanted) if step.applies_to(p)]
            if mine:
                families = {_family(p) for p in wanted}
                label = ", ".join(dict.fromkeys(_display(p) for p in step.platforms if p in families))
                steps.append(f"On {label}: {step[:1].lower()}{step[1:]}" if len(families) > 1 else str(step))
        return steps

    @property
    def severity_range(self) -> str:
        """For `auditor checks`: the one severity, or the least to the most serious ("medium to critical")."""
        ranked = sorted(self.severities, key=lambda s: s.rank)
        return str(ranked[0]) if len(ranked) == 1 else f"{ranked[-1]} to {ranked[0]}"


def _dated(result: Result, data: AccountData | None) -> Result:
    """The result with the time its post was published, so a card can say where and when without each check
    repeating it."""
    ev = result.evidence
    if data is None or ev.post_id is None or ev.posted_at is not None:
        return result
    when = next((p.created_at for p in data.posts if p.id == ev.post_id), None)
    return dataclasses.replace(result, evidence=dataclasses.replace(ev, posted_at=when)) if when else result


def _display(platform: str) -> str:
    from auditor.model import platform_name

    return platform_name(platform)


_REGISTRY: dict[str, Check] = {}


def check(
    *,
    clause: str,
    severity: Severity,
    title: str,
    failure_title: str,
    remediation: Iterable[str],
    needs: Iterable[str] | None = None,
    needs_data: bool = True,
    severities: Iterable[Severity] = (),
) -> Callable[[CheckFunc], CheckFunc]:
    """Register the decorated function as the check `<module>.<function>`. `severity` is the default; `severities`
    names every other one a result of the check may carry, so that what `auditor checks` lists is what it gives.
    `needs` names the raw data it reads (DATA_KINDS); undeclared, it is given everything. `needs_data=False` is
    short for `needs=()`: a check of the register alone."""

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
        if not failure_title or failure_title == title:
            raise ValueError(f"check {check_id} needs a failure title that says what is wrong")
        declared = tuple(sorted({severity, *severities}, key=lambda s: s.rank))
        if needs is not None and not needs_data and needs_of(needs, check_id):
            raise ValueError(f"check {check_id} says it needs no data and names data it needs")
        wanted = needs_of(ALL_DATA if needs is None else needs, check_id) if needs_data else frozenset[str]()
        _REGISTRY[check_id] = Check(check_id, clause, severity, title, steps, func, wanted, failure_title, declared)
        return func

    return register


def all_checks() -> dict[str, Check]:
    """Every registered check, by id, in a stable order."""
    for name in CHECK_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return dict(sorted(_REGISTRY.items()))


def checks_for_clause(clause_id: str) -> list[Check]:
    return [c for c in all_checks().values() if c.clause == clause_id]
