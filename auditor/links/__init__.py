"""The external link safety engine (SMP-2.5): every link gets a verdict with its evidence.

`LinkEngine.judge_many` is what the check calls; the modules beside it hold one concern each: `verdicts` (the result
model), `hosts` (URL normalisation and host analysis), `guard` (the SSRF guard and pinned DNS), `fetcher` (manual
redirects, politeness), `cache` (SQLite verdict cache), `blocklists` (UT1 lists), `threatintel` (Safe
Browsing, URLhaus).
"""

from auditor.links.engine import LinkEngine, build_engine
from auditor.links.verdicts import LinkVerdict, Verdict

__all__ = ["LinkEngine", "LinkVerdict", "Verdict", "build_engine"]
