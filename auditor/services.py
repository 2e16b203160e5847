"""Services a run hands to its checks, built once per run: checks do no I/O of their own except through these.

Each service is optional: a check whose service is missing (not configured, or --offline where it needs the network)
reports "not verified", never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.config import Config


@dataclass
class Services:
    links: Any = None  # the link safety engine (SMP-2.5)
    roster: Any = None  # the pupil roster, read into memory only (SMP-2.4)

    def close(self) -> None:
        for service in (self.links, self.roster):
            close = getattr(service, "close", None)
            if callable(close):
                close()


def build(config: Config, *, offline: bool) -> Services:
    """The services this run's checks need, from the config."""
    from auditor.links import build_engine  # imported here: the engine pulls in requests and sqlite3

    return Services(roster=_roster(config), links=build_engine(config, offline=offline))


def _roster(config: Config) -> Any:
    """The pupil roster; a RosterError (saying why, naming no pupil) when it cannot be read; None if not configured."""
    from auditor.text.names import Roster, RosterError

    if config.roster is None:
        return None
    try:
        return Roster.load(config.roster, config.staff, config.places)
    except RosterError as exc:
        return exc
