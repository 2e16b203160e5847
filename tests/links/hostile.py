"""Hostile web servers on 127.0.0.1 for the bounds tests and `benchmarks/bounds.py`: each path misbehaves in one way a
real site can (a trickle of bytes, a 429 tarpit, a gzip bomb), and stops when the server is stopped."""

from __future__ import annotations

import functools
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

# A gzip bomb of about 256 KB that inflates to 256 MB of zeros.
BOMB_MB = 256


@functools.cache
def gzip_bomb(megabytes: int = BOMB_MB) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip wrapper
    zeros = bytes(1024 * 1024)
    parts = [packer.compress(zeros) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


FEED_START = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow blog</title>'

# path -> the Content-Type each kind of download expects
KINDS = {"page": "text/html", "feed": "application/rss+xml", "photo": "image/jpeg"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileServer

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _route(self, head: bool) -> None:
        self.server.record(self.command, self.path)
        kind = self.path.rsplit(".", 1)[-1] if "." in self.path else "page"
        content_type = KINDS.get(kind, "text/html")
        if self.path.startswith("/trickle-headers"):
            self._trickle_headers()
        elif self.path.startswith("/trickle-body"):
            if head:  # many servers refuse HEAD; the GET that follows is the one that trickles
                self._plain(405)
            else:
                self._trickle_body(content_type)
        elif self.path.startswith("/tarpit"):
            self._plain(429, {"Retry-After": f"{self.server.retry_after:g}"})
        elif self.path.startswith("/bomb"):
            body = gzip_bomb(self.server.bomb_mb)
            if head:
                self._plain(405)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self._write(body)
        else:
            self._plain(200)

    def _plain(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _trickle_headers(self) -> None:
        self._write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        while self._write(b"a"):
            self.server.pause()

    def _trickle_body(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(10 * 1024 * 1024))
        self.end_headers()
        if not self._write(FEED_START if content_type == KINDS["feed"] else b"<"):
            return
        while self._write(b" "):
            self.server.pause()

    def _write(self, data: bytes) -> bool:
        """Send, and say whether to go on: not once the client has gone or the server is stopping."""
        if self.server.stopping.is_set():
            return False
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            return False
        return True

    def log_message(self, format: str, *args: object) -> None:
        pass


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, *, interval: float = 0.05, retry_after: float = 30, bomb_mb: int = BOMB_MB) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.interval = interval  # seconds between two trickled bytes
        self.retry_after = retry_after
        self.bomb_mb = bomb_mb
        self.stopping = threading.Event()
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-answer is what these servers are for

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path))

    def pause(self) -> None:
        self.stopping.wait(self.interval)

    def __enter__(self) -> HostileServer:
        gzip_bomb(self.bomb_mb)  # built before the clock starts
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)


def elapsed(since: float) -> float:
    return time.monotonic() - since
