"""Load benchmark: a full audit of N accounts x M posts read through a local fake Mastodon API with latency.

    .venv/bin/python benchmarks/scale.py [--sizes 10,100,500] [--posts 200] [--latency 0.1] [--workers 32]
    .venv/bin/python benchmarks/scale.py --smallest          # the size CI runs: 3 accounts x 20 posts

Each size runs in a fresh child process, so its peak memory (max RSS of the whole auditor process) is its own. The
child starts the fake platform in a process of its own, as a remote service would be (it must not share the auditor's
interpreter lock): a Mastodon API over HTTP and the sites the posts link to over HTTPS (a throwaway self-signed
certificate for *.bench.example, made with the openssl command), both on 127.0.0.1 and both answering every request
after `--latency` seconds. Then it runs `auditor run --all --since <before the oldest post> --no-email` in-process,
reports included, so every one of the M posts of every account is read with its replies (one request a post: the
Mastodon API has no cheaper way) and every check runs.

Test-only wiring, done here and nowhere else: the Mastodon connector is given the fake server as its base URL, and the
link engine maps *.bench.example to 127.0.0.1 with the explicit `allow_private_hosts=True` (off by default: a real
audit never connects to 127.0.0.1), as benchmarks/links.py does.

Each post: text (a pupil's name from the synthetic evaluation roster in one post in 25, a phone number in one in 40),
one link to one of `--urls` pages on 20 hosts, a photo in one post in four, and two replies (one abusive reply in 50
posts). Photos are not downloaded by the live connectors, so the photo check reports them as not verified.

Prints per size: wall time, requests (API and link sites), posts per second, peak memory, and the floor the latency
alone sets (each account's requests are made one after another, `--workers` accounts at a time); then the goals of
issue 18: 500 accounts in under 5 minutes at 100 ms latency, peak memory under 250 MB, memory flat in the number of
accounts from 100 accounts on (at most 0.1 MB more for each account added), wall time no worse than linear in N.
With 32 workers the latency floor of 500 accounts is 5 min 23 s, so the 5 minutes need `--workers` of 36 or more.

Distributed mode (issue 16), the accounts read and checked by `auditor worker` processes through Redis:

    .venv/bin/python benchmarks/scale.py --distributed [--sizes 200] [--processes 1,2,4] [--posts 10] [--latency 0.1]

For each size and each number of worker processes, everything fresh: a Redis server on 127.0.0.1 (a free port, no
persistence; redis-server from the OS packages), the same fake platform, one `auditor worker` with that many pool
processes (wired to the fake platform as above, in the worker only), and `auditor run --all` as the coordinator in a
process of its own, which sends the accounts, collects them, stores them and writes the reports. Prints the wall
time, accounts per second in all and per worker process, the peak memory of each worker process (the highest of
them) and of the coordinator; then the goal of issue 16: 4 processes at least 3x the throughput of one (N processes
at least 0.75 x N); the one-process row of the same size is the base, else the largest one-process size measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import json
import multiprocessing
import resource
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ROSTER = REPO / "tests" / "data" / "eval" / "safeguarding.roster.csv"
MARK = "SCALE-RESULT "
PAGE = 40  # statuses a page, as the connector asks for
HOSTS = 20
GOAL_SECONDS = 300.0
GOAL_MB = 250.0
FLAT_FROM = 100  # memory is judged flat between sizes of at least this many accounts
FLAT_MB = 0.1  # MB of peak memory each account added may cost at most (the findings kept for the reports)
LINEAR_SLACK = 1.25  # seconds per account at the largest size may exceed the next size's by this factor
SCALING = 0.75  # distributed: N worker processes give at least 0.75 x N the throughput of one (3x with 4)
TEXTS = (
    "Year 9 historians visited Big Pit today and learnt how coal was mined in the Valleys.",
    "Revision session for GCSE History on Thursday at 3.30pm in room H4. All welcome.",
    "Well done to everyone who took part in the debating competition this week!",
    "Homework for Year 7: read chapter 3 and write a paragraph about the Norman conquest.",
    "Our school trip to the Senedd was a great success; thank you to all the staff involved.",
)


# -- the fake platform ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class World:
    """Every answer is computed from the request: nothing is held per account, so the server stays small."""

    accounts: int
    posts: int
    urls: int
    link_port: int
    now: dt.datetime
    pupils: tuple[str, ...]

    def answer(self, path: str, query: dict[str, list[str]]) -> Any:
        parts = path.strip("/").split("/")
        if path == "/api/v1/accounts/lookup":
            number = _number(query.get("acct", [""])[0].removeprefix("Dept").removesuffix("IHS"))
            return self._account(number) if number is not None and number < self.accounts else None
        if parts[:3] == ["api", "v1", "accounts"] and len(parts) == 5 and parts[4] == "statuses":
            number = _number(parts[3])
            if number is None or number >= self.accounts:
                return None
            max_id = _number(query.get("max_id", [""])[0])
            first = 0 if max_id is None else self._index(number, max_id) + 1
            return [self._status(number, k) for k in range(first, min(first + PAGE, self.posts))]
        if parts[:3] == ["api", "v1", "statuses"] and len(parts) == 5 and parts[4] == "context":
            post_id = _number(parts[3])
            if post_id is None:
                return None
            number, k = divmod(post_id, 10_000_000)
            return {"ancestors": [], "descendants": self._replies(number - 1, self.posts - k)}
        return None

    def _account(self, number: int) -> dict[str, Any]:
        return {
            "id": str(number),
            "username": f"Dept{number}IHS",
            "acct": f"Dept{number}IHS",
            "display_name": f"Department {number} at Bench High School",
            "url": f"https://bench.example/@Dept{number}IHS",
            "note": '<p>Official account. <a href="https://www.school.example/aup">Acceptable use policy</a></p>',
            "fields": [{"name": "Website", "value": '<a href="https://www.school.example/">school.example</a>'}],
        }

    def _post_id(self, number: int, k: int) -> int:
        return (number + 1) * 10_000_000 + (self.posts - k)  # newest first: k = 0 has the largest id

    def _index(self, number: int, post_id: int) -> int:
        return self.posts - (post_id - (number + 1) * 10_000_000)

    def _status(self, number: int, k: int) -> dict[str, Any]:
        post_id = str(self._post_id(number, k))
        serial = number * self.posts + k
        text = TEXTS[serial % len(TEXTS)]
        if serial % 25 == 0:
            text += f" Congratulations to {self.pupils[serial % len(self.pupils)]} on the prize."
        if serial % 40 == 0:
            text += " Call Mr Jones on 07700 900123 for details."
        page = serial % self.urls
        link = f"https://h{page % HOSTS}.bench.example:{self.link_port}/page/{page}"
        media = []
        if k % 4 == 0:
            media.append(
                {"id": f"m{post_id}", "type": "image", "url": f"https://files.bench.example/{post_id}.jpg",
                 "description": "Pupils at work in the classroom"}
            )  # fmt: skip
        return {
            "id": post_id,
            "created_at": (self.now - dt.timedelta(days=k, hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "url": f"https://bench.example/@Dept{number}IHS/{post_id}",
            "content": f'<p>{text} <a href="{link}">Read more</a></p>',
            "spoiler_text": "",
            "media_attachments": media,
            "reblog": None,
            "in_reply_to_id": None,
            "account": {"id": str(number), "acct": f"Dept{number}IHS"},
        }

    def _replies(self, number: int, k: int) -> list[dict[str, Any]]:
        post_id = self._post_id(number, k)
        serial = number * self.posts + k
        texts = ["Well done everyone!", "you are all idiots" if serial % 50 == 0 else "Great work, thank you."]
        return [
            {
                "id": f"{post_id}{n}",
                "created_at": (self.now - dt.timedelta(days=k)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "url": f"https://bench.example/@parent{n}/{post_id}{n}",
                "content": f"<p>{text}</p>",
                "in_reply_to_id": str(post_id),
                "account": {"id": f"9{n}", "acct": f"parent{n}@bench.example"},
            }
            for n, text in enumerate(texts)
        ]


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API: one connection an account
    # Headers and body go out in two writes; with Nagle's algorithm the body would wait for the client's delayed ACK,
    # adding 40 ms to every answer that a real API does not have.
    disable_nagle_algorithm = True
    server: FakeServer

    def do_GET(self) -> None:
        time.sleep(self.server.delay)
        if self.server.world is None:  # a linked site: an empty page is a good one
            self._send(200, b"", "text/html")
            return
        url = urlsplit(self.path)
        body = self.server.world.answer(url.path, parse_qs(url.query))
        if body is None:
            self._send(404, b'{"error": "Record not found"}', "application/json")
        else:
            self._send(200, json.dumps(body).encode(), "application/json")

    do_HEAD = do_GET

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, delay: float, world: World | None, tls: tuple[Path, Path] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.delay, self.world = delay, world
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.socket = context.wrap_socket(self.socket, server_side=True)


def serve(args: dict[str, Any], tls: tuple[Path, Path], ports: multiprocessing.Queue[int]) -> None:
    """The platform, in its own process: the sites first (the API's posts name their port), then the API."""
    sites = FakeServer(args["latency"], None, tls)
    threading.Thread(target=sites.serve_forever, daemon=True).start()
    pupils = tuple(" ".join(line.split(",")[:2]) for line in ROSTER.read_text(encoding="utf-8").splitlines()[1:60])
    world = World(args["accounts"], args["posts"], args["urls"], sites.server_address[1], args["now"], pupils)
    api = FakeServer(args["latency"], world)
    ports.put(api.server_address[1])
    api.serve_forever()


def make_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bench.example",
         "-addext", "subjectAltName=DNS:*.bench.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


# -- one size, in a child process ----------------------------------------------------------------------------------


def config_text(accounts: int, workers: int) -> str:
    blocks = [
        f'[[accounts]]\nhandle = "@Dept{n}IHS@bench.example"\nplatform = "mastodon"\ndepartment = "Dept{n % 12}"\n'
        f'owner = "dept{n}@school.example"\nnotified = 2024-09-02\ncredentials_shared = true\n'
        for n in range(accounts)
    ]
    departments = [f'[departments.Dept{d}]\nhead_email = "head{d}@school.example"\n' for d in range(12)]
    return (
        '[school]\nname = "Bench High School"\nwebsite = "https://www.school.example"\n'
        'aup_url = "https://www.school.example/aup"\nemail_domain = "school.example"\n\n'
        f'[safeguarding]\nroster = "{ROSTER.as_posix()}"\n\n[connectors]\nworkers = {workers}\n\n'
        + "\n".join(blocks + departments)
    )


def bench_services(tls: tuple[Path, Path], engines: list[Any]) -> Callable[..., Any]:
    """The services of a benchmark run: the link engine reaches the fake sites on 127.0.0.1 (test-only wiring)."""
    from auditor.config import Config
    from auditor.links.engine import LinkEngine
    from auditor.services import Services
    from auditor.text.names import Roster

    def services(config: Config, *, offline: bool, link_engine: object = None) -> Services:
        session = requests.Session()
        session.verify = str(tls[0])
        settings = dataclasses.replace(config.links, allow_private_hosts=True)  # explicit, test-only
        engine = LinkEngine(settings, offline=offline, resolver=lambda host: ["127.0.0.1"], session=session)
        engines.append(engine)
        return Services(roster=Roster.load(ROSTER), links=engine)

    return services


def run_one(accounts: int, posts: int, latency: float, workers: int, urls: int) -> dict[str, Any]:
    from auditor import cli
    from auditor import runner as runner_mod
    from auditor.connectors import _FACTORIES, Connector
    from auditor.connectors.mastodon import MastodonConnector
    from auditor.links.engine import LinkEngine

    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        folder = Path(tmp)
        tls = make_cert(folder)
        ports: multiprocessing.Queue[int] = multiprocessing.Queue()
        spec = {"accounts": accounts, "posts": posts, "urls": urls, "latency": latency, "now": now}
        server = multiprocessing.Process(target=serve, args=(spec, tls, ports), daemon=True)
        server.start()
        try:
            api = f"http://127.0.0.1:{ports.get(timeout=30)}"
            api_requests = 0
            lock = threading.Lock()

            def mastodon() -> Connector:
                connector = MastodonConnector(base_url=api)
                fetch = connector.fetch

                def counted(account: Any, ctx: Any) -> Any:
                    nonlocal api_requests
                    try:
                        return fetch(account, ctx)
                    finally:
                        if connector.client is not None:
                            with lock:
                                api_requests += connector.client.requests_made
                            connector.client.session.close()

                connector.fetch = counted  # type: ignore[method-assign]
                return connector

            engines: list[LinkEngine] = []
            _FACTORIES["mastodon"] = mastodon
            runner_mod.build_services = bench_services(tls, engines)  # type: ignore[attr-defined]
            config_path = folder / "config.toml"
            config_path.write_text(config_text(accounts, workers), encoding="utf-8")
            since = (now - dt.timedelta(days=posts + 1)).date().isoformat()
            out = folder / "out"
            argv = ["run", "--all", "--config", str(config_path), "--out", str(out), "--since", since, "--no-email"]
            started = time.perf_counter()
            code = _quietly(lambda: cli.main(argv))
            wall = time.perf_counter() - started
            peak = peak_mb()  # the audit's, before this benchmark reads findings.json back to count its rows
        finally:
            server.terminate()
            server.join(timeout=10)
        report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    rows = report["accounts"]
    examined = sum(a["posts_examined"] for a in rows)
    return {
        "accounts": accounts,
        "posts": posts,
        "workers": workers,
        "latency": latency,
        "exit": code,
        "errors": sum(1 for a in rows if a["status"] != "ok"),
        "wall": wall,
        "api_requests": api_requests,
        "link_requests": sum(e.requests_made for e in engines),
        "posts_examined": examined,
        "comments_examined": sum(a["comments_examined"] for a in rows),
        "findings": len(report["findings"]),
        "peak_mb": peak,
    }


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ru_maxrss: ru_maxrss keeps the peak of the process
    this one was started from (a test runner of 500 MB), which exec does not reset."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _quietly(work: Callable[[], int]) -> int:
    """The CLI's own summary goes to stderr here: stdout carries the result line the parent reads."""
    stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        return work()
    finally:
        sys.stdout = stdout


# -- the table -----------------------------------------------------------------------------------------------------


def measure(size: int, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", str(size), "--posts", str(args.posts), "--latency",
               str(args.latency), "--workers", str(args.workers), "--urls", str(args.urls)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith(MARK)), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"the run of {size} accounts failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(line.removeprefix(MARK))
    return result


def goals(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    met = [
        ("every account read (no ERROR)", all(r["errors"] == 0 and r["exit"] in (0, 1) for r in rows)),
        (f"peak memory under {GOAL_MB:.0f} MB", all(r["peak_mb"] < GOAL_MB for r in rows)),
    ]
    big = [r for r in rows if r["accounts"] >= 500]
    for r in big:
        met.append((f"{r['accounts']} accounts in under {GOAL_SECONDS / 60:.0f} minutes", r["wall"] < GOAL_SECONDS))
    ordered = sorted(rows, key=lambda r: r["accounts"])
    sized = [r for r in ordered if r["accounts"] >= FLAT_FROM]
    for small, large in itertools.pairwise(sized):
        if large["accounts"] == small["accounts"]:
            continue
        each = (large["peak_mb"] - small["peak_mb"]) / (large["accounts"] - small["accounts"])
        met.append(
            (
                f"memory flat from {small['accounts']} to {large['accounts']} accounts "
                f"({each:+.3f} MB an account added, at most {FLAT_MB})",
                each <= FLAT_MB,
            )
        )
    for small, large in itertools.pairwise(ordered):
        ratio = (large["wall"] / large["accounts"]) / (small["wall"] / small["accounts"])
        met.append(
            (
                f"linear from {small['accounts']} to {large['accounts']} accounts "
                f"(seconds an account x{ratio:.2f}, at most x{LINEAR_SLACK})",
                ratio <= LINEAR_SLACK,
            )
        )
    return met


# -- distributed mode: auditor worker processes through Redis ------------------------------------------------------


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    import shutil
    import socket

    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server): the distributed mode needs it")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    with redis.Redis(host="127.0.0.1", port=port) as client:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
    return proc, f"redis://127.0.0.1:{port}/0"


def serve_worker(api: str, cert: Path, config_path: Path, processes: int) -> int:
    """`auditor worker`, wired to the fake platform (in this process only: the coordinator reads nothing itself)."""
    from auditor import trust, worker
    from auditor.connectors import _FACTORIES
    from auditor.connectors.mastodon import MastodonConnector

    _FACTORIES["mastodon"] = lambda: MastodonConnector(base_url=api)
    worker.build_services = bench_services((cert, cert), [])  # type: ignore[attr-defined]
    return worker.serve(trust.load_deployment(config_path), concurrency=processes, name=None, loglevel="WARNING")


def coordinate(config_path: Path, out: Path, since: str) -> dict[str, Any]:
    """The coordinator's run, in this process: its wall time and peak memory."""
    from auditor import cli

    argv = ["run", "--all", "--config", str(config_path), "--out", str(out), "--since", since, "--no-email"]
    started = time.perf_counter()
    code = _quietly(lambda: cli.main(argv))
    return {"exit": code, "wall": time.perf_counter() - started, "peak_mb": peak_mb()}


def pool_peaks(parent: int) -> list[float]:
    """Peak memory (VmHWM) of each pool process of a worker, in MB."""
    try:
        children = Path(f"/proc/{parent}/task/{parent}/children").read_text(encoding="ascii").split()
    except OSError:
        return []
    peaks = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        except OSError:
            continue
        line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
        if line:
            peaks.append(int(line.split()[1]) / 1024)
    return peaks


def run_distributed(accounts: int, processes: int, args: argparse.Namespace) -> dict[str, Any]:
    import os
    import signal

    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="scale-dist-") as tmp:
        folder = Path(tmp)
        tls = make_cert(folder)
        redis_proc, url = start_redis(folder)
        ports: multiprocessing.Queue[int] = multiprocessing.Queue()
        spec = {"accounts": accounts, "posts": args.posts, "urls": args.urls, "latency": args.latency, "now": now}
        server = multiprocessing.Process(target=serve, args=(spec, tls, ports), daemon=True)
        server.start()
        worker = None
        try:
            api = f"http://127.0.0.1:{ports.get(timeout=30)}"
            config_path = folder / "config.toml"
            text = config_text(accounts, args.workers)
            text += f'\n[workers]\nbroker = "{url}"\nconcurrency = {processes}\nrun_timeout = 86400\n'
            config_path.write_text(text, encoding="utf-8")
            log = folder / "worker.log"
            with log.open("w") as handle:
                worker = subprocess.Popen(
                    [sys.executable, __file__, "--serve-worker", api, "--cert", str(tls[0]), "--config",
                     str(config_path), "--processes", str(processes)],
                    stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            deadline = time.monotonic() + 120
            while len(pool_peaks(worker.pid)) < processes and time.monotonic() < deadline:
                if worker.poll() is not None:
                    raise SystemExit(f"the worker stopped at start-up:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            time.sleep(1.0)  # the pool processes are up; let the worker finish connecting to the broker
            since = (now - dt.timedelta(days=args.posts + 1)).date().isoformat()
            command = [sys.executable, __file__, "--coordinate", str(config_path), "--out", str(folder / "out"),
                       "--since", since]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            line = next((x for x in done.stdout.splitlines() if x.startswith(MARK)), None)
            if done.returncode != 0 or line is None:
                raise SystemExit(f"the coordinator failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
            result: dict[str, Any] = json.loads(line.removeprefix(MARK))
            peaks = pool_peaks(worker.pid)
            report = json.loads((folder / "out" / "findings.json").read_text(encoding="utf-8"))
        finally:
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
            server.terminate()
            server.join(timeout=10)
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
    rows = report["accounts"]
    return {
        "accounts": accounts,
        "processes": processes,
        "exit": result["exit"],
        "errors": sum(1 for a in rows if a["status"] != "ok"),
        "wall": result["wall"],
        "posts_examined": sum(a["posts_examined"] for a in rows),
        "findings": len(report["findings"]),
        "worker_peak_mb": max(peaks) if peaks else float("nan"),
        "coordinator_peak_mb": result["peak_mb"],
    }


def distributed_goals(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    met = [("every account read (no ERROR)", all(r["errors"] == 0 and r["exit"] in (0, 1) for r in rows))]
    ones = [r for r in rows if r["processes"] == 1]
    if not ones:
        return met
    most = max(r["processes"] for r in rows)
    for r in rows:
        if r["processes"] != most or most == 1:
            continue
        # The one-process row of the same size, else of the largest size measured with one process.
        base = next((b for b in ones if b["accounts"] == r["accounts"]), max(ones, key=lambda b: b["accounts"]))
        ratio = (r["accounts"] / r["wall"]) / (base["accounts"] / base["wall"])
        wanted = SCALING * most  # 3x with 4 processes
        met.append(
            (
                f"{r['accounts']} accounts with {most} processes at least {wanted:g}x the throughput of one process "
                f"({base['accounts']} accounts): x{ratio:.2f}",
                ratio >= wanted,
            )
        )
    return met


def main_distributed(args: argparse.Namespace, sizes: list[int]) -> int:
    try:
        counts = [int(p) for p in args.processes.split(",") if p.strip()]
    except ValueError:
        raise SystemExit(
            f"--processes expects numbers separated by commas, like 1,2,4; found {args.processes!r}"
        ) from None
    if not counts or min(counts) < 1 or max(counts) > 64:
        raise SystemExit("--processes must be from 1 to 64")
    print(f"distributed: {args.posts} posts an account, 2 replies a post; API and link latency "
          f"{args.latency * 1000:.0f} ms; each worker process reads one account at a time")  # fmt: skip
    head = ("accounts", "processes", "wall s", "acc/s", "acc/s/proc", "posts", "findings", "worker MB", "coord MB")
    print(" ".join(f"{h:>10}" for h in head))
    rows = []
    for size in sizes:
        for count in counts:
            r = run_distributed(size, count, args)
            rows.append(r)
            rate = r["accounts"] / r["wall"]
            cells = (r["accounts"], r["processes"], f"{r['wall']:.1f}", f"{rate:.2f}", f"{rate / count:.3f}",
                     r["posts_examined"], r["findings"], f"{r['worker_peak_mb']:.0f}",
                     f"{r['coordinator_peak_mb']:.0f}")  # fmt: skip
            print(" ".join(f"{c:>10}" for c in cells), flush=True)
    met = distributed_goals(rows)
    for name, ok in met:
        print(f"goal: {name}: {'met' if ok else 'NOT MET'}")
    print("RESULT:", "goals met" if all(ok for _, ok in met) else "GOALS NOT MET")
    return 0 if all(ok for _, ok in met) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,500", help="numbers of accounts, comma-separated")
    parser.add_argument("--posts", type=int, default=200, help="posts per account")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the fake API waits before each answer")
    parser.add_argument("--workers", type=int, default=32, help="accounts fetched at once ([connectors] workers)")
    parser.add_argument("--urls", type=int, default=1000, help="distinct linked pages over all posts")
    parser.add_argument("--smallest", action="store_true", help="the CI size: 3 accounts x 20 posts, 20 ms latency")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, in this process
    parser.add_argument("--distributed", action="store_true", help="accounts read by auditor worker processes")
    parser.add_argument("--processes", default="1,2,4", help="distributed: worker processes, comma-separated")
    # internal: the worker and the coordinator of a distributed run, each in a process of its own
    parser.add_argument("--serve-worker", metavar="API", help=argparse.SUPPRESS)
    parser.add_argument("--cert", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--coordinate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--since", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_worker:
        return serve_worker(args.serve_worker, args.cert, args.config, int(args.processes))
    if args.coordinate:
        print(MARK + json.dumps(coordinate(args.coordinate, args.out, args.since)), flush=True)
        return 0
    if args.smallest:
        args.sizes, args.posts, args.latency, args.urls = "3", 20, 0.02, 20
    if args.one is not None:
        print(MARK + json.dumps(run_one(args.one, args.posts, args.latency, args.workers, args.urls)), flush=True)
        return 0
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes expects numbers separated by commas, like 10,100,500; found {args.sizes!r}")
    if not sizes or min(sizes) < 1 or args.posts < 1 or args.latency < 0 or args.workers < 1 or args.urls < 1:
        parser.error("sizes, --posts, --workers and --urls must be at least 1, and --latency not negative")
    if args.distributed:
        return main_distributed(args, sizes)

    print(f"{args.posts} posts an account, 2 replies a post; API and link latency {args.latency * 1000:.0f} ms; "
          f"{args.workers} fetch workers; {args.urls} distinct linked pages on {HOSTS} hosts")  # fmt: skip
    head = ("accounts", "wall s", "s/account", "API req", "link req", "posts", "posts/s", "findings", "peak MB")
    print(" ".join(f"{h:>10}" for h in head))
    rows = []
    for size in sizes:
        r = measure(size, args)
        rows.append(r)
        cells = (r["accounts"], f"{r['wall']:.1f}", f"{r['wall'] / r['accounts']:.3f}", r["api_requests"],
                 r["link_requests"], r["posts_examined"], f"{r['posts_examined'] / r['wall']:.0f}", r["findings"],
                 f"{r['peak_mb']:.0f}")  # fmt: skip
        print(" ".join(f"{c:>10}" for c in cells), flush=True)
    for r in rows:
        floor = r["api_requests"] * args.latency / args.workers
        print(f"latency floor at {r['accounts']} accounts: {r['api_requests']:,} requests x "
              f"{args.latency * 1000:.0f} ms / {args.workers} workers = {floor:.0f} s")  # fmt: skip
    met = goals(rows)
    for name, ok in met:
        print(f"goal: {name}: {'met' if ok else 'NOT MET'}")
    print("RESULT:", "goals met" if all(ok for _, ok in met) else "GOALS NOT MET")
    return 0 if all(ok for _, ok in met) else 1


if __name__ == "__main__":
    sys.exit(main())
