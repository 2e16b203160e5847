"""The store's tests: a real PostgreSQL server for the session (tests/store/pgserver.py), skipped with the reason
where PostgreSQL is not installed."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import pytest

from tests.store.pgserver import Server, find_binaries, running_server

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL is not installed (no initdb and postgres on PATH or in /usr/lib/postgresql/*/bin); "
            "`apt-get install postgresql` (as .ci/run does) to run the PostgreSQL store tests"
        )
    with running_server(binaries) as server:
        yield server


@pytest.fixture
def pg_url(postgres: Server) -> str:
    """A new, empty database owned by the ordinary login `auditor`, for one test."""
    return postgres.new_database(f"t{next(_numbers)}_{uuid.uuid4().hex[:8]}")
