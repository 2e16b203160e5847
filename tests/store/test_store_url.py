"""`[output] store`: a path, sqlite:///PATH or a postgresql:// URL, whose password is never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.storeurl import StoreURLError, mask, parse, secrets


def test_a_path_is_a_sqlite_file_beside_the_config():
    target = parse("data/history.sqlite3", Path("/srv/auditor"))
    assert target.file == Path("/srv/auditor/data/history.sqlite3") and target.anchor == target.file
    assert str(target) == "/srv/auditor/data/history.sqlite3"


def test_sqlite_url_is_the_same_file():
    assert parse("sqlite:///h.sqlite3", Path("/srv")).file == Path("/srv/h.sqlite3")
    assert parse("sqlite:////var/lib/auditor/h.sqlite3", Path("/srv")).file == Path("/var/lib/auditor/h.sqlite3")


def test_a_postgresql_url_is_shown_with_its_password_masked():
    url = "postgresql://auditor:p%40ss:w0rd@db.trust.example:5433/auditor?sslmode=require"
    target = parse(url, Path("/srv"))
    assert target.file is None and target.url == url and target.exists()
    assert str(target) == "postgresql://auditor:***@db.trust.example:5433/auditor?sslmode=require"
    assert "w0rd" not in repr(target) and "w0rd" not in str(target)
    assert target.anchor == Path("/srv/auditor.store")
    assert set(secrets(url)) == {"p%40ss:w0rd", "p@ss:w0rd"}


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://auditor@db/auditor", "postgresql://auditor@db/auditor"),
        ("postgresql://db/auditor", "postgresql://db/auditor"),
        ("postgresql://u:pw@[::1]:5432/a", "postgresql://u:***@[::1]:5432/a"),
        ("postgresql://u@h/a?password=pw&sslmode=require", "postgresql://u@h/a?password=%2A%2A%2A&sslmode=require"),
        ("postgresql://u:pw@h:notaport/a", "(a database URL that cannot be read)"),
    ],
)
def test_mask(url, shown):
    assert mask(url) == shown
    assert "pw" not in mask(url).replace("postgresql", "")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mysql://u:pw@h/a", "mysql:// stores are not supported"),
        ("postgresql://u:pw@h:5432", "names no database"),
        ("sqlite:///", "needs the path"),
        ("postgresql://u:pw@h/db\nX", "holds a control character"),
        ("postgresql://u:pw\x07@h/db", "holds a control character"),
    ],
)
def test_what_cannot_be_used_is_refused(value, message):
    with pytest.raises(StoreURLError, match=message) as err:
        parse(value, Path("/srv"))
    assert ":pw@" not in str(err.value)
