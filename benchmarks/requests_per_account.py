"""Requests per account for the first and the second (nightly) run of 20 simulated live accounts.

Offline: X and Graph answers are simulated with `responses` (7 X, 7 Facebook and 6 Instagram accounts, each with 30
posts over the last 60 days, comments on the recent ones). Both runs go through `run_audit` with a temporary store, so
the second run uses the crawl state the first one stored, as a nightly run does.

    .venv/bin/python benchmarks/requests_per_account.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
import responses

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import auditor.runner as runner
from auditor import config as config_mod
from auditor.connectors import get_connector
from auditor.store import Store

NOW = dt.datetime.now(dt.UTC)
POSTS, DAYS = 30, 60
PLATFORMS = ["x"] * 7 + ["facebook"] * 7 + ["instagram"] * 6
GRAPH = re.compile(r"https://graph\.facebook\.com/v[\d.]+/(.*)")
X_API = "https://api.twitter.com/2"


def when(n: int) -> dt.datetime:
    return NOW - dt.timedelta(days=DAYS * n / POSTS, hours=1)


def x_posts(user: int) -> list[dict[str, Any]]:
    return [
        {
            "id": str(1_900_000_000_000_000_000 + user * 1000 + POSTS - n),
            "text": f"Post {n}",
            "edit_history_tweet_ids": [],
            "created_at": when(n).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": str(1_900_000_000_000_000_000 + user * 1000 + POSTS - n),
            "author_id": str(user),
        }
        for n in range(POSTS)
    ]


def x_handler(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    url = urlsplit(request.url or "")
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    if m := re.fullmatch(r"/2/users/by/username/XAcct(\d+)", url.path):
        user = int(m.group(1))
        body: dict[str, Any] = {"data": {"id": str(user), "name": f"X {user}", "username": f"XAcct{user}"}}
    elif m := re.fullmatch(r"/2/users/(\d+)/tweets", url.path):
        start = q.get("start_time", "")
        posts = [
            p
            for p in x_posts(int(m.group(1)))
            if int(p["id"]) > int(q.get("since_id", 0)) and p["created_at"][:19] >= start[:19]
        ]
        body = {"data": posts[: int(q["max_results"])], "meta": {"result_count": len(posts)}}
    elif url.path == "/2/tweets":
        ids = set(q["ids"].split(","))
        body = {"data": [p for u in range(1, 21) for p in x_posts(u) if p["id"] in ids]}
    else:  # recent search: one reply on each post in the query
        ids = re.findall(r"conversation_id:(\d+)", q["query"])
        body = {
            "data": [{"id": str(int(i) + 500), "text": "Nice", "conversation_id": i, "author_id": "999"} for i in ids],
            "includes": {"users": [{"id": "999", "username": "parent"}]},
        }
    return 200, {}, json.dumps(body)


def graph_posts(owner: str, instagram: bool) -> list[dict[str, Any]]:
    out = []
    for n in range(POSTS):
        post: dict[str, Any] = {"id": f"{owner}_{POSTS - n}" if not instagram else f"{owner}{POSTS - n:04d}"}
        stamp = when(n).strftime("%Y-%m-%dT%H:%M:%S+0000")
        post["timestamp" if instagram else "created_time"] = stamp
        post["caption" if instagram else "message"] = f"Post {n}"
        post["comments"] = {"data": [{"id": f"c{post['id']}", "text": "Nice", "message": "Nice", "username": "p"}]}
        out.append(post)
    return out


def graph_handler(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
    url = urlsplit(request.url or "")
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    path = GRAPH.fullmatch(f"{url.scheme}://{url.netloc}{url.path}")
    assert path is not None
    tail = path.group(1)
    if tail == "":
        ids = set(q["ids"].split(","))
        everything = [p for o in range(1, 21) for ig in (False, True) for p in graph_posts(f"9{o:03d}", ig)]
        body: dict[str, Any] = {p["id"]: p for p in everything if p["id"] in ids}
    elif m := re.fullmatch(r"(9\d{3})/(posts|media)", tail):
        body = {"data": graph_posts(m.group(1), m.group(2) == "media")[: int(q["limit"])]}
    else:
        number = int(tail[1:])
        body = {"id": tail, "username": f"fb{number}" if "about" in q["fields"] else f"ig{number}"}
    return 200, {}, json.dumps(body)


def config_file(folder: Path) -> Path:
    blocks = []
    for n, platform in enumerate(PLATFORMS, 1):
        handle = {"x": f"XAcct{n}", "facebook": f"fb{n}", "instagram": f"ig{n}"}[platform]
        key = {"x": "", "facebook": f'page_id = "9{n:03d}"', "instagram": f'ig_user_id = "9{n:03d}"'}[platform]
        blocks.append(f'[[accounts]]\nhandle = "@{handle}"\nplatform = "{platform}"\ndepartment = "D"\n{key}\n')
    school = textwrap.dedent(
        """\
        [school]
        name = "Benchmark School"
        aup_url = "https://school.example/aup"
        email_domain = "school.example"
        """
    )
    path = folder / "config.toml"
    path.write_text(school + "\n" + "\n".join(blocks), encoding="utf-8")
    return path


def main() -> None:
    counts: dict[str, list[int]] = {}
    posts: dict[str, list[int]] = {}

    def counting(platform: str) -> Any:
        connector = get_connector(platform)
        fetch = connector.fetch

        def wrapped(account: Any, ctx: Any) -> Any:
            try:
                return fetch(account, ctx)
            finally:
                counts.setdefault(account.handle, []).append(connector.requests_made)  # type: ignore[attr-defined]

        connector.fetch = wrapped  # type: ignore[method-assign]
        return connector

    runner.get_connector = counting  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp, responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        os.environ["X_BEARER_TOKEN"] = "benchmark-x-token"  # a fake, for the simulated API
        os.environ["META_ACCESS_TOKEN"] = "benchmark-meta-token"
        mock.add_callback(responses.GET, re.compile(re.escape(X_API) + r"/.*"), callback=x_handler)
        mock.add_callback(responses.GET, GRAPH, callback=graph_handler)
        config = config_mod.load(config_file(Path(tmp)))
        store = Store(Path(tmp) / "bench.sqlite3")
        try:
            for _ in range(2):
                result = runner.run_audit(config, config.accounts, store, check_ids=[], now=NOW)
                for outcome in result.outcomes:
                    posts.setdefault(outcome.account.handle, []).append(outcome.posts_examined)
                errors = [o for o in result.outcomes if o.status != "ok"]
                if errors:
                    raise SystemExit(f"benchmark account failed: {errors[0].account.handle}: {errors[0].error}")
        finally:
            store.close()

    print(f"{len(counts)} simulated accounts, {POSTS} posts each over {DAYS} days, 14-day comment window")
    heads = ("requests run 1", "requests run 2", "posts run 1", "posts run 2")
    print(f"{'platform':<10} {'accounts':>8} " + " ".join(f"{h:>15}" for h in heads))
    groups = [(p, [a.handle for a in config.accounts if a.platform == p]) for p in ("x", "facebook", "instagram")]
    groups.append(("all", list(counts)))
    for name, handles in groups:
        req = [statistics.mean(counts[h][i] for h in handles) for i in (0, 1)]
        read = [statistics.mean(posts[h][i] for h in handles) for i in (0, 1)]
        print(f"{name:<10} {len(handles):>8} " + " ".join(f"{v:>15.1f}" for v in (*req, *read)))
    totals = [sum(c[i] for c in counts.values()) for i in (0, 1)]
    print(f"total requests: first run {totals[0]}, second run {totals[1]}")


if __name__ == "__main__":
    main()
