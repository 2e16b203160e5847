"""Benchmark of the bounds on hostile sites: each case runs a real code path (the link engine, the feed connector, the
photo downloader) against a local server on 127.0.0.1 that misbehaves in one way, and prints the wall time and the
peak of traced Python memory against the documented bound.

Cases: a link whose headers trickle in a byte at a time, a link whose body does, twenty links on one trickling host,
twenty links on a host that answers 429 to everything (a tarpit), a gzip bomb behind a link, a feed that trickles,
a feed and a photo served as gzip bombs, and a photo that trickles. Host names are mapped to 127.0.0.1 by the
injectable resolver, with the explicit, test-only `allow_private_hosts=True` (a real audit never connects there).

    .venv/bin/python benchmarks/bounds.py            # the real defaults: 20 s per link, 60 s back-off per host, ...
    .venv/bin/python benchmarks/bounds.py --quick    # every bound at 1-2 s, a 16 MB bomb: a few seconds in all
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import auditor.connectors.media as media_mod
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.feed import FEED_DEADLINE, MAX_FEED_BYTES, FeedConnector
from auditor.connectors.media import MAX_PHOTO_BYTES, PHOTO_DEADLINE, download_photos
from auditor.links.engine import LinkEngine
from auditor.links.fetcher import SLOW_STRIKES
from auditor.links.hosts import registrable_domain
from auditor.links.settings import LinkSettings
from auditor.model import Account, AccountData, Media, Post, Profile
from auditor.net.guard import Guard
from tests.links.hostile import BOMB_MB, HostileServer

MB = 1024 * 1024
SLACK = 2.0  # seconds over a time bound still counted as within it: thread start-up and a loaded machine


@dataclass
class Case:
    name: str
    bound: str  # as the docs state it
    limit_s: float
    limit_mb: float
    run: Callable[[], str]  # returns what the audit made of it


@dataclass
class Bounds:
    link_deadline: float
    host_budget: float
    feed_deadline: float
    photo_deadline: float
    retry_after: float
    bomb_mb: int


def local(host: str) -> list[str]:
    return ["127.0.0.1"]


def engine(bounds: Bounds) -> LinkEngine:
    settings = LinkSettings(
        link_deadline=bounds.link_deadline,
        host_backoff_budget=bounds.host_budget,
        allow_private_hosts=True,  # explicit, test-only
        host_gap=0.0,
    )
    return LinkEngine(settings, resolver=local)


def judge(server: HostileServer, bounds: Bounds, paths: list[str], host: str) -> str:
    links = engine(bounds)
    try:
        verdicts = links.judge_many(server.url(p, host) for p in paths)
    finally:
        links.close()
    kinds = sorted({str(v.verdict) for v in verdicts.values()})
    first = next(iter(verdicts.values())).reason
    return f"{len(verdicts)} link(s) {'/'.join(kinds)}: {first[:70]}"


def feed(server: HostileServer, bounds: Bounds, path: str) -> str:
    account = Account(handle="@SlowBlogIHS", platform="feed", department="History", source_url=server.url(path))
    try:
        FeedConnector(deadline=bounds.feed_deadline).fetch(account, FetchContext())
    except ConnectorError as exc:
        return f"account ERROR: {str(exc)[:80]}"
    return "account read (NOT BOUNDED)"


def photos(server: HostileServer, bounds: Bounds, paths: list[str]) -> str:
    media_mod.PHOTO_DEADLINE = bounds.photo_deadline
    media = tuple(Media(id=str(n), type="photo", url=server.url(p, "cdn.example")) for n, p in enumerate(paths))
    data = AccountData(profile=Profile(username="HistoryIHS"), posts=[Post(id="1", text="trip", media=media)])
    ctx = FetchContext(_scratch=Path(tempfile.mkdtemp(prefix="bounds-")))
    try:
        kept = [m for m in download_photos(data, ctx, Guard(local, allow_private=True)).posts[0].media if m.local_path]
    finally:
        ctx.cleanup()
    return f"{len(kept)} of {len(paths)} photo(s) kept (the photo check says not verified)"


def cases(server: HostileServer, tarpit: HostileServer, b: Bounds) -> list[Case]:
    twenty = [f"/trickle-headers/{n}" for n in range(20)]
    return [
        Case("link: headers trickled", "link_deadline", b.link_deadline, 2,
             lambda: judge(server, b, ["/trickle-headers"], "slow.example")),
        Case("link: body trickled", "link_deadline", b.link_deadline, 2,
             lambda: judge(server, b, ["/trickle-body"], "slow.example")),
        Case("20 links on one trickling host", f"{SLOW_STRIKES} x link_deadline", SLOW_STRIKES * b.link_deadline, 4,
             lambda: judge(server, b, twenty, "slower.example")),
        Case("20 links on a 429 tarpit", "host_backoff_budget", b.host_budget, 4,
             lambda: judge(tarpit, b, [f"/tarpit/{n}" for n in range(20)], "busy.example")),
        Case("link: gzip bomb", "link_deadline; 16 KB read", b.link_deadline, 2,
             lambda: judge(server, b, ["/bomb"], "bomb.example")),
        Case("feed: trickled", "feed deadline", b.feed_deadline, 2,
             lambda: feed(server, b, "/trickle-body.feed")),
        Case("feed: gzip bomb", f"2 x {MAX_FEED_BYTES // MB} MB cap", b.feed_deadline, 2 * MAX_FEED_BYTES / MB + 2,
             lambda: feed(server, b, "/bomb.feed")),
        Case("photos: 5 trickled from one host", "photo deadline", b.photo_deadline, 2,
             lambda: photos(server, b, [f"/trickle-body/{n}.photo" for n in range(5)])),
        Case("photo: gzip bomb", f"{MAX_PHOTO_BYTES // MB} MB cap, streamed", b.photo_deadline, 2,
             lambda: photos(server, b, ["/bomb.photo"])),
    ]  # fmt: skip


def measure(case: Case) -> tuple[float, float, str]:
    tracemalloc.reset_peak()
    started = time.monotonic()
    outcome = case.run()
    wall = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    return wall, peak / MB, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="every bound at 1-2 s and a 16 MB bomb")
    args = parser.parse_args(argv)
    defaults = LinkSettings()
    if args.quick:
        bounds = Bounds(1.0, 2.0, 1.0, 1.0, retry_after=0.5, bomb_mb=16)
    else:
        bounds = Bounds(
            defaults.link_deadline, defaults.host_backoff_budget, FEED_DEADLINE, PHOTO_DEADLINE,
            retry_after=defaults.host_backoff_budget / 4, bomb_mb=BOMB_MB,
        )  # fmt: skip
    print(
        f"bounds: link_deadline {bounds.link_deadline:g} s, host_backoff_budget {bounds.host_budget:g} s "
        f"(Retry-After {bounds.retry_after:g} s), feed {bounds.feed_deadline:g} s, photo {bounds.photo_deadline:g} s; "
        f"gzip bomb {bounds.bomb_mb} MB inflated"
    )
    # Load once, before measuring, what every run loads once whatever its links (the bundled Public Suffix List):
    # the figures are what one hostile target costs, not the cost of starting up.
    registrable_domain("www.example.org")
    tracemalloc.start()
    rows = []
    with (
        HostileServer(interval=0.05, bomb_mb=bounds.bomb_mb) as server,
        HostileServer(retry_after=bounds.retry_after) as tarpit,
    ):
        for case in cases(server, tarpit, bounds):
            wall, peak, outcome = measure(case)
            within = wall <= case.limit_s + SLACK and peak <= case.limit_mb
            rows.append(within)
            print(
                f"{case.name:<34} bound {case.bound:<26} {wall:7.2f} s (limit {case.limit_s:g} s) "
                f"{peak:7.2f} MB (limit {case.limit_mb:g} MB) {'ok' if within else 'OVER'}  {outcome}"
            )
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the whole process (servers, bombs built, every case): {rss_mb:.0f} MB")
    ok = all(rows)
    print("RESULT:", "every case within its bound" if ok else "A CASE WENT OVER ITS BOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
