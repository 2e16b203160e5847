"""The history database's own cost in a large run: what a run of N accounts with M findings each spends in the store.

    .venv/bin/python benchmarks/store.py [--accounts 500] [--findings 70] [--store PATH_OR_URL]

With no --store, a new SQLite file in a temporary folder; give a `postgresql://` URL of an empty database to measure a
server (the database is written to: use a throwaway one). Two runs are stored, as a nightly audit would: each reads
every account's earlier findings (`priors`, once an account) and then stores all its findings in one transaction;
then the history is read as the reports read it (`open_by_department`, `runs`). Prints the seconds each part took in
the second run, and opening the new database (creating its tables by the migrations).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from auditor.model import Change, Evidence, Finding, Severity, Status
from auditor.store import AccountRun, Store
from auditor.storeurl import mask


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--findings", type=int, default=70, help="findings an account (about 70 for 200 posts)")
    parser.add_argument("--store", help="a database path or postgresql:// URL (default: a new SQLite file)")
    args = parser.parse_args()
    target: str | Path = args.store or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    n, m = args.accounts, args.findings
    accounts = [AccountRun(f"k{a}", f"@a{a}", "mastodon", f"D{a % 10}", "ok", None, 200, 400) for a in range(n)]
    findings = [
        (
            f"k{a}",
            Finding(
                id=f"f{a}-{i}", account=f"@a{a}", platform="mastodon", department=f"D{a % 10}",
                check="links.external_safe", clause="SMP-2.5", status=Status.FAIL if i % 5 == 0 else Status.PASS,
                severity=Severity.HIGH, reason="r" * 80,
                evidence=Evidence(url="https://m.example/@a/1", post_id=str(i), excerpt="e" * 120, link=None),
                change=Change.NEW, first_seen=None,
            ),
        )
        for a in range(n)
        for i in range(m)
    ]  # fmt: skip
    started = time.perf_counter()
    store = Store(target)
    opened = time.perf_counter() - started
    try:
        for day in (20, 21):
            run_id = f"202611{day}T020000Z-bench"
            store.begin_run(run_id, dt.datetime(2026, 11, day, 2, tzinfo=dt.UTC), "bench")
            started = time.perf_counter()
            for a in accounts:
                store.priors(a.key)
            priors = time.perf_counter() - started
            started = time.perf_counter()
            store.finish_run(run_id, dt.datetime(2026, 11, day, 3, tzinfo=dt.UTC), "complete", accounts, findings)
            stored = time.perf_counter() - started
        started = time.perf_counter()
        store.open_by_department(12)
        store.runs()
        reads = time.perf_counter() - started
    finally:
        store.close()
    where = mask(target) if isinstance(target, str) else str(target)
    print(f"store: {where}")
    print(f"opening the new database: {opened:.2f} s")
    print(f"second run: earlier findings of {n} accounts {priors:.2f} s; storing {n * m} findings {stored:.2f} s")
    print(f"history read by the reports: {reads:.2f} s")


if __name__ == "__main__":
    main()
