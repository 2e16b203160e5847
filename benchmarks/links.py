"""Benchmark of the link safety engine against a local HTTPS server that answers every request after a fixed delay.

1,000 unique URLs over 100 host names. The names are mapped to 127.0.0.1 by the injectable resolver, and the engine
is given the explicit, test-only `allow_private_hosts=True` (off by default: a real audit never connects to 127.0.0.1).
The server speaks TLS with a throwaway self-signed certificate for *.bench.example (made with the openssl command), so
the links are https and the engine makes exactly one request per URL.

Prints: wall time against the ideal (URLs x delay / workers) and against a one-at-a-time baseline (measured on a
sample and scaled, so the run stays short; `--full-baseline` measures all of it); the requests a second run makes
inside the cache age (must be 0); peak memory.

    .venv/bin/python benchmarks/links.py [--urls 1000] [--hosts 100] [--delay 0.1] [--workers 16]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import ssl
import subprocess
import sys
import tempfile
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.links.cache import VerdictCache
from auditor.links.engine import LinkEngine
from auditor.links.settings import LinkSettings
from auditor.links.verdicts import Verdict


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: DelayServer

    def _answer(self) -> None:
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


class DelayServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def __init__(self, delay: float, cert: Path, key: Path) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.delay = delay
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.socket = context.wrap_socket(self.socket, server_side=True)


def serve(delay: float, cert: Path, key: Path, ports: multiprocessing.Queue[int]) -> None:
    """The server runs in its own process, as a remote site would: it must not share the engine's interpreter lock."""
    server = DelayServer(delay, cert, key)
    ports.put(server.server_address[1])
    server.serve_forever()


def make_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bench.example",
         "-addext", "subjectAltName=DNS:*.bench.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def engine_for(settings: LinkSettings, cache: Path, cert: Path) -> LinkEngine:
    session = requests.Session()
    session.verify = str(cert)
    return LinkEngine(settings, resolver=lambda host: ["127.0.0.1"], session=session, cache=VerdictCache(cache))


def timed(engine: LinkEngine, urls: list[str]) -> tuple[float, dict[str, Verdict]]:
    started = time.perf_counter()
    verdicts = engine.judge_many(urls)
    return time.perf_counter() - started, {u: v.verdict for u, v in verdicts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=LinkSettings().workers)
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--full-baseline", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cert, key = make_cert(folder)
        ports: multiprocessing.Queue[int] = multiprocessing.Queue()
        server = multiprocessing.Process(target=serve, args=(args.delay, cert, key, ports), daemon=True)
        server.start()
        port = ports.get(timeout=30)
        urls = [f"https://h{n % args.hosts}.bench.example:{port}/page/{n}" for n in range(args.urls)]
        settings = LinkSettings(workers=args.workers, allow_private_hosts=True)  # explicit, test-only
        try:
            tracemalloc.start()
            engine = engine_for(settings, folder / "cache.sqlite3", cert)
            wall, verdicts = timed(engine, urls)
            first_requests = engine.requests_made
            engine.close()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            bad = {v for v in verdicts.values() if v is not Verdict.OK}

            second = engine_for(settings, folder / "cache.sqlite3", cert)
            wall2, verdicts2 = timed(second, urls)
            second_requests = second.requests_made
            second.close()

            sample = urls if args.full_baseline else urls[: args.baseline_sample]
            one = LinkSettings(workers=1, per_host=1, allow_private_hosts=True)
            baseline_engine = engine_for(one, folder / "baseline.sqlite3", cert)
            base_wall, _ = timed(baseline_engine, sample)
            baseline_engine.close()
            baseline = base_wall * len(urls) / len(sample)
        finally:
            server.terminate()
            server.join(timeout=10)

    ideal = args.urls * args.delay / args.workers
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"URLs: {args.urls} over {args.hosts} host names; server delay {args.delay * 1000:.0f} ms; "
          f"workers {args.workers}; per host {settings.per_host}")  # fmt: skip
    print(f"first run:  {wall:.2f} s wall; {first_requests} requests; verdicts not ok: {sorted(bad) or 'none'}")
    print(f"ideal (URLs x delay / workers): {ideal:.2f} s -> {wall / ideal:.2f}x the ideal (goal <= 1.5x)")
    how = "measured" if args.full_baseline else f"measured on {len(sample)} URLs ({base_wall:.2f} s) and scaled"
    print(f"one-at-a-time baseline: {baseline:.1f} s ({how}) -> {baseline / wall:.1f}x faster (goal >= 10x)")
    print(f"second run inside the cache age: {wall2:.2f} s; {second_requests} requests (must be 0); "
          f"all cached: {all(v is Verdict.OK for v in verdicts2.values())}")  # fmt: skip
    print(f"peak memory: {peak / 1024 / 1024:.1f} MB traced Python allocations (first run); {rss_mb:.0f} MB max RSS")
    ok = wall <= 1.5 * ideal and baseline >= 10 * wall and second_requests == 0 and not bad
    print("RESULT:", "goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
