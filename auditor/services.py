"""Services a run hands to its checks, built once per run: checks do no I/O of their own except through these.

Each service is optional: a check whose service is missing (not configured, or --offline where it needs the network)
reports "not verified", never a pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.settings import Config


@dataclass
class Services:
    links: Any = None  # the link safety engine (SMP-2.5)
    roster: Any = None  # the pupil roster, read into memory only (SMP-2.4)

    def close(self) -> None:
        for service in (self.links, self.roster):
            close = getattr(service, "close", None)
            if callable(close):
                close()


def build(config: Config, *, offline: bool, link_engine: Callable[..., Any] | None = None) -> Services:
    """The services this run's checks need, from the config. The runner hands in the link engine's factory
    (`auditor.links.build_engine`), so that checks, which import this module for `Services`, never load the engine,
    the network layer and requests; without one, links are "not verified"."""
    links = link_engine(config, offline=offline) if link_engine is not None else None
    return Services(roster=_roster(config), links=links)


def _roster(config: Config) -> Any:
    """The pupil roster; a RosterError (saying why, naming no pupil) when it cannot be read; None if not configured."""
    from auditor.text.names import Roster, RosterError

    if config.roster is None:
        return None
    try:
        return Roster.load(config.roster, config.staff, config.places)
    except RosterError as exc:
        return exc
