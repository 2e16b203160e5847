"""A tiny forward proxy on 127.0.0.1 that records what it is asked and answers itself (it never reaches anything):
absolute-URI GET and HEAD as a filtering proxy forwards them, and CONNECT, which it refuses as such a proxy may."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

PHOTO = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # the start of a JPEG is enough for a download


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RecordingProxy

    def _forward(self) -> None:
        self.server.record(self.command, self.path, self.headers.get("Proxy-Authorization"))
        status, headers, body = 200, {"Content-Type": "text/html"}, b""
        if self.path.endswith("/moved"):
            status, headers = 302, {"Location": "http://169.254.169.254/latest/meta-data/"}
        elif self.path.endswith(".jpg"):
            headers, body = {"Content-Type": "image/jpeg"}, PHOTO
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = _forward
    do_HEAD = _forward

    def do_CONNECT(self) -> None:
        self.server.record("CONNECT", self.path, self.headers.get("Proxy-Authorization"))
        self.send_response(403, "Blocked by the school's filter")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class RecordingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str]] = []
        self.authorizations: list[str | None] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up mid-answer is what these servers are for

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, method: str, target: str, authorization: str | None) -> None:
        with self._lock:
            self.requests.append((method, target))
            self.authorizations.append(authorization)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
