"""A real PostgreSQL server for the tests, started in a temporary folder on 127.0.0.1 and stopped afterwards.

The binaries are looked for on PATH and in /usr/lib/postgresql/*/bin (where Debian's `postgresql` package puts them;
.ci/run installs it). initdb and postgres refuse to run as root, so when the tests run as root the server runs as the
unprivileged user `nobody` (subprocess's user/group switch, which needs no runuser, su or sudo): its folder is made
and handed to that user first. The superuser `postgres` (password in `SUPERUSER_PASSWORD`) creates an ordinary login
`auditor` (no superuser, no BYPASSRLS: row-level security binds it) that owns each test's database."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER_PASSWORD = "pg-super-Secret-1"
AUDITOR_PASSWORD = "audit-Secret-2"


def find_binaries() -> Path | None:
    """The folder holding initdb and postgres, or None where PostgreSQL is not installed."""
    found = shutil.which("initdb")
    candidates = [Path(found).parent] if found else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    folder: Path
    process: subprocess.Popen[bytes]

    def url(self, database: str, user: str = "auditor", password: str | None = AUDITOR_PASSWORD) -> str:
        login = f"{user}:{password}" if password is not None else user
        return f"postgresql://{login}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement as the superuser (autocommit: CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", password=SUPERUSER_PASSWORD, dbname=database,
            autocommit=True,
        ) as conn:  # fmt: skip
            cur = conn.execute(sql.encode())
            return list(cur.fetchall()) if cur.description else []

    def new_database(self, name: str) -> str:
        self.admin(f'CREATE DATABASE "{name}" OWNER auditor')
        return self.url(name)


def _as_postgres_user() -> dict[str, object]:
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}


@contextlib.contextmanager
def running_server(binaries: Path) -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="auditor-pg-"))
    switch = _as_postgres_user()
    try:
        if switch:
            os.chown(folder, int(str(switch["user"])), int(str(switch["group"])))
        (folder / "pw").write_text(SUPERUSER_PASSWORD + "\n", encoding="utf-8")
        (folder / "sock").mkdir()
        if switch:
            for p in (folder / "pw", folder / "sock"):
                os.chown(p, int(str(switch["user"])), int(str(switch["group"])))
        subprocess.run(
            [
                str(binaries / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "--pwfile", str(folder / "pw"),
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--no-locale", "-E", "UTF8", "--no-sync",
            ],
            capture_output=True, check=True, cwd=folder, **switch,  # type: ignore[arg-type]
        )  # fmt: skip
        port = free_port()
        log = (folder / "server.log").open("wb")
        process = subprocess.Popen(
            [
                str(binaries / "postgres"), "-D", str(folder / "data"), "-h", "127.0.0.1", "-p", str(port),
                "-k", str(folder / "sock"), "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "shared_buffers=16MB", "-c", "max_connections=40",
            ],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder, **switch,  # type: ignore[arg-type]
        )  # fmt: skip
        server = Server(port, folder, process)
        deadline = time.monotonic() + 30
        while True:
            try:
                server.admin("SELECT 1")
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(
                        "the test PostgreSQL server did not start: "
                        + (folder / "server.log").read_text(errors="replace")[-2000:]
                    ) from None
                time.sleep(0.2)
        server.admin(f"CREATE ROLE auditor LOGIN PASSWORD '{AUDITOR_PASSWORD}' NOSUPERUSER NOBYPASSRLS")
        try:
            yield server
        finally:
            process.send_signal(2)  # SIGINT: PostgreSQL's fast shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
