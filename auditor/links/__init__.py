"""The external link safety engine (SMP-2.5): every link gets a verdict with its evidence.

`LinkEngine.judge_many` is what the check calls; the modules beside it hold one concern each: `verdicts` (the result
model), `hosts` (URL normalisation and host analysis), `fetcher` (manual redirects, politeness), `cache` (SQLite
verdict cache), `blocklists` (UT1 lists), `threatintel` (Safe Browsing, URLhaus), `settings` (the `[links]` options).
The SSRF guard and the HTTP client are the network layer's (`auditor.net`).

The engine is imported when first asked for, not with the package: reading the `[links]` settings must not load
requests, sqlite3 and the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor.links.verdicts import LinkVerdict, Verdict

if TYPE_CHECKING:
    from auditor.links.engine import LinkEngine, build_engine

__all__ = ["LinkEngine", "LinkVerdict", "Verdict", "build_engine"]


def __getattr__(name: str) -> Any:
    if name in ("LinkEngine", "build_engine"):
        from auditor.links import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
