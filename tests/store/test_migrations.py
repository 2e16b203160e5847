"""The schema is versioned by Alembic: a database made by auditor before that (tests/data/store/schema1.sql, the
store's own DDL of that version) is upgraded with all its history; one from a newer auditor is refused and left as
it was; the revisions shipped are the ones the store knows."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from auditor import store as store_mod
from auditor.cli import main
from auditor.store import Store, StoreError
from tests.conftest import REPO

SCHEMA_1 = REPO / "tests" / "data" / "store" / "schema1.sql"
RUN_A, RUN_B, SWEEP = "20261101T020000Z-aaaaaa", "20261102T020000Z-bbbbbb", "20261102T021500Z-cccccc"


def old_database(path: Path, sql: str | None = None) -> Path:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(sql if sql is not None else SCHEMA_1.read_text(encoding="utf-8"))
        db.commit()
    return path


def table(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def test_the_revisions_shipped_are_the_ones_the_store_knows():
    config = Config()
    config.set_main_option("script_location", str(store_mod.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    walked = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(walked) == store_mod.REVISIONS
    assert script.get_current_head() == store_mod.HEAD_REVISION


def test_a_database_from_before_versioned_schemas_is_upgraded_with_its_history(tmp_path):
    db = old_database(tmp_path / "auditor.sqlite3")
    before = {t: table(db, f"SELECT * FROM {t}") for t in ("runs", "account_runs", "findings", "outbox")}
    store = Store(db)
    try:
        assert store.revision() == store_mod.HEAD_REVISION
        runs = store.runs()
        assert [r.id for r in runs] == [SWEEP, RUN_B, RUN_A]
        assert (runs[1].accounts, runs[1].account_errors, runs[1].failing, runs[1].findings) == (2, 1, 1, 2)
        assert runs[0].status == "running" and not runs[0].announced and runs[0].kind == "comment_sweep"
        assert store.last_full_audit() is not None and store.last_full_audit().id == RUN_A  # B was partial
        priors = store.priors("x:@historyihs")
        assert priors["f-links-1"].run_id == RUN_B and priors["f-links-1"].told
        assert priors["f-links-1"].finding.first_seen == dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
        assert store.connector_state("x:@historyihs") == {"since_id": "41"}
        # The order emails were tried in survives (SQLite's rowid becomes deliveries.seq), not the order of `at`.
        assert [d[0] for d in store.deliveries(RUN_A)] == ["department:History", "school"]
        assert store.alert_sent("f-links-1") and store.escalation_sent("f-links-1")
        [queued] = store.queued_email()
        assert queued.message.startswith(b"From: auditor") and queued.attempts == 2
        assert store.undelivered()[0] == 1
        assert store.open_by_department()[-1] == (
            RUN_B,
            dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC),
            {"History": 1, "Music": 0},
        )
        # New history is written beside the old, and retention still removes a run with its accounts and findings.
        store.begin_run("20261103T020000Z-dddddd", dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC), "0.2.0")
        store.finish_run("20261103T020000Z-dddddd", dt.datetime(2026, 11, 3, 2, 1, tzinfo=dt.UTC), "complete", [], [])
        assert store.prune(dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)) == 1
    finally:
        store.close()
    assert table(db, "SELECT COUNT(*) FROM findings WHERE run_id = ?".replace("?", f"'{RUN_A}'")) == [(0,)]
    # Every row kept its values and became the default school's.
    for name in ("account_runs", "findings", "outbox"):
        after = table(db, f"SELECT * FROM {name}")
        kept = [row[:-1] for row in after if row[-1] == "default"]
        assert set(before[name]) - {r for r in before[name] if RUN_A in r} <= set(kept)
    assert table(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(store_mod.SCHEMA_VERSION),)]
    assert table(db, "PRAGMA foreign_key_check") == []
    assert table(db, "PRAGMA integrity_check") == [("ok",)]


def test_an_upgraded_database_is_read_by_auditor_history(tmp_path, capsys):
    old_database(tmp_path / "auditor.sqlite3")
    (tmp_path / "config.toml").write_text((REPO / "config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["history", "--config", str(tmp_path / "config.toml")]) == 0
    out = capsys.readouterr().out
    assert RUN_A in out and RUN_B in out and "did not finish" in out


def test_a_database_older_still_gets_the_added_columns(tmp_path):
    # Schema 1 as first shipped, before `runs` gained kind, scope, scope_note and announced.
    sql = SCHEMA_1.read_text(encoding="utf-8")
    lines = [line for line in sql.splitlines() if not line.startswith("ALTER TABLE") and not line.startswith("INSERT")]
    db = old_database(tmp_path / "h.sqlite3", "\n".join(lines))
    with contextlib.closing(sqlite3.connect(db)) as con:
        con.execute(f"INSERT INTO runs VALUES ('{RUN_A}', '2026-11-01T02:00:00+00:00', NULL, 'complete', '0.0.9')")
        con.commit()
    store = Store(db)
    try:
        [run] = store.runs()
        assert (run.id, run.kind, run.scope, run.announced) == (RUN_A, "audit", "full", True)
    finally:
        store.close()


@pytest.mark.parametrize(
    "newer",
    [
        "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);"
        "INSERT INTO alembic_version VALUES ('0099');",
        "UPDATE meta SET value = '7' WHERE key = 'schema_version';",
    ],
    ids=["alembic revision unknown", "schema_version above 1 without alembic"],
)
def test_a_database_from_a_newer_auditor_is_refused_and_left_as_it_was(tmp_path, newer):
    db = old_database(tmp_path / "h.sqlite3", SCHEMA_1.read_text(encoding="utf-8") + newer)
    with contextlib.closing(sqlite3.connect(db)) as con:
        con.execute("PRAGMA wal_checkpoint")
    data = db.read_bytes()
    with pytest.raises(StoreError, match=r"was written by a newer version of auditor \(schema (0099|7)\); upgrade"):
        Store(db)
    assert db.read_bytes() == data


def test_an_upgrade_that_fails_half_way_changes_nothing(tmp_path, monkeypatch):
    db = old_database(tmp_path / "h.sqlite3")
    from alembic import command

    real = command.upgrade

    def failing(config, revision):
        real(config, revision)
        raise RuntimeError("power cut")

    monkeypatch.setattr(command, "upgrade", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        Store(db)
    # Rolled back whole: no revision recorded, no table rebuilt, every row as it was.
    assert table(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'alembic_version'") == [(0,)]
    assert "school" not in {row[1] for row in table(db, "PRAGMA table_info(runs)")}
    assert table(db, "SELECT COUNT(*) FROM findings") == [(5,)]
    assert table(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("1",)]
    monkeypatch.setattr(command, "upgrade", real)
    store = Store(db)
    try:
        assert len(store.runs()) == 3
    finally:
        store.close()


def test_postgresql_upgrades_from_revision_1_with_its_rows(pg_url):
    # A PostgreSQL history made at revision 0001 (as by an auditor that knew only it) gets the school column, keyed
    # tables and row-level security, keeping its rows as the default school's.
    from alembic import command

    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", str(store_mod.MIGRATIONS))
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.execute(
                sa.text(
                    f"INSERT INTO runs (id, started_at, finished_at, status, version) VALUES ('{RUN_A}', "
                    "'2026-11-01T02:00:00+00:00', '2026-11-01T02:01:00+00:00', 'complete', '0.1.0')"
                )
            )
            conn.execute(sa.text(
                f"INSERT INTO findings VALUES ('{RUN_A}', 'f1', 'x:@h', '@H', 'x', 'History', 'about.aup_link', "
                "'SMP-3.1', 'FAIL', 'low', 'No AUP link.', '{}', 'new', NULL)"
            ))  # fmt: skip
            conn.execute(
                sa.text(
                    "INSERT INTO outbox (run_id, kind, recipients, subject, message, status, queued_at) "
                    f"VALUES ('{RUN_A}', 'school', 'a@b.c', 's', :m, 'pending', '2026-11-01T02:01:00+00:00')"
                ),
                {"m": b"body"},
            )
    finally:
        engine.dispose()
    store = Store(pg_url)
    try:
        assert store.revision() == store_mod.HEAD_REVISION
        [run] = store.runs()
        assert (run.id, run.findings, run.failing, run.announced) == (RUN_A, 1, 1, True)
        assert "f1" in store.priors("x:@h")
        assert [q.message for q in store.queued_email()] == [b"body"]
    finally:
        store.close()
    other = Store(pg_url, school="another")
    try:
        assert other.runs() == [] and other.queued_email() == []
    finally:
        other.close()


def columns_of(engine: sa.Engine, name: str) -> dict[str, tuple[str, bool]]:
    return {c["name"]: (type(c["type"]).__name__, bool(c["nullable"])) for c in sa.inspect(engine).get_columns(name)}


def test_the_web_apps_tables_are_made_by_the_migrations_as_the_app_defines_them(tmp_path):
    """Revision 0003 makes the app's tables (users, decisions, sign-in attempts) in an upgraded history, with the
    columns auditor/appdb.py reads and writes: the two definitions cannot drift apart unnoticed."""
    from auditor import appdb

    db = old_database(tmp_path / "auditor.sqlite3")
    Store(db).close()
    migrated = sa.create_engine(f"sqlite:///{db}")
    declared = sa.create_engine(f"sqlite:///{tmp_path / 'declared.sqlite3'}")
    try:
        appdb.metadata.create_all(declared)
        for name in ("users", "decisions", "signin_attempts"):
            assert columns_of(migrated, name) == columns_of(declared, name), name
        # The upgrade kept the history as it was, and the app reads it with its own engine.
        with appdb.engine_for(store_mod.StoreTarget(db, anchor=db)).connect() as conn:
            assert appdb.all_decisions(conn) == []
    finally:
        migrated.dispose()
        declared.dispose()


def test_postgresql_keeps_the_web_apps_tables_per_school(pg_url):
    """On PostgreSQL the app's tables are under the same row-level security as the history's: a decision recorded
    for one school cannot be read through a connection bound to another."""
    from auditor import appdb
    from auditor.storeurl import parse

    target = parse(pg_url, Path("."))
    appdb.create(target)
    engine = appdb.engine_for(target)  # bound to the app's school, 'default'
    other = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with appdb.begin(engine) as conn:
            appdb.add_decision(
                conn, kind="removed", finding_id="f1", account="@HistoryIHS", account_key="x:@historyihs",
                department="History", check_id="comments.inappropriate", note="removed at 09:10",
                made_by="Lead", made_at="2026-11-29T09:10:00+00:00",
            )  # fmt: skip
        with engine.connect() as conn:
            assert [d.finding_id for d in appdb.all_decisions(conn)] == ["f1"]
        with other.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM decisions")).scalar() == 0  # no school named
            conn.execute(sa.text("SELECT set_config('app.school', 'another-school', false)"))
            assert conn.execute(sa.text("SELECT COUNT(*) FROM decisions")).scalar() == 0
            for name in ("users", "decisions", "signin_attempts"):
                forced = conn.execute(
                    sa.text("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = :t"),
                    {"t": name},
                ).scalar()
                assert forced, name
    finally:
        engine.dispose()
        other.dispose()
