"""Every row carries its school and a Store reads and writes its own school's rows only, on SQLite and on PostgreSQL;
on PostgreSQL row-level security holds the same line in the server, for a query that forgets the school too."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from auditor.model import Change, Evidence, Finding, Severity, Status
from auditor.store import AccountRun, Skipped, Store

T0 = dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.UTC)
RUN = "20261101T020000Z-abcdef"  # both schools' runs have this id: ids are only unique within a school


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "shared.sqlite3"
    return request.getfixturevalue("pg_url")


def finding(fid: str, account: str, department: str, status: Status = Status.FAIL) -> Finding:
    return Finding(
        id=fid,
        account=account,
        platform="x",
        department=department,
        check="links.external_safe",
        clause="SMP-2.5",
        status=status,
        severity=Severity.HIGH,
        reason=f"{account} links to a blocked site.",
        evidence=Evidence(url=f"https://x.com/{account}/1", post_id="1", excerpt="see", link="http://bad.example"),
        change=Change.NEW,
        first_seen=T0,
    )


def audit(store: Store, account: str, department: str, when: dt.datetime = T0, run_id: str = RUN) -> None:
    key = f"x:{account.lower()}"
    store.begin_run(run_id, when, "test")
    store.finish_run(
        run_id,
        when + dt.timedelta(minutes=1),
        "complete",
        [AccountRun(key, account, "x", department, "ok", None, 5, 1)],
        [(key, finding(f"{account}-links", account, department))],
        states={key: {"since": account}},
    )
    store.announce(
        run_id,
        queued=[(f"report:{account}", [f"head@{account}.example"], f"{account} report", f"body of {account}".encode())],
        skipped=[Skipped("department:" + department, (f"d@{account}.example",), "unchanged", "nothing changed")],
        alerted=[f"{account}-links"],
        escalated=[f"{account}-links"],
        at=when,
    )
    store.record_delivery(run_id, "school", [f"head@{account}.example"], "sent", "sent", 1, None)


def test_two_schools_in_one_database_never_see_each_other(target):
    a = Store(target, school="islwyn-high")
    b = Store(target, school="cwmcarn-high")
    try:
        audit(a, "@HistoryIHS", "History")
        audit(b, "@ScienceCHS", "Science")
        for store, mine, theirs in ((a, "@HistoryIHS", "@ScienceCHS"), (b, "@ScienceCHS", "@HistoryIHS")):
            [run] = store.runs()
            assert (run.id, run.accounts, run.findings, run.failing) == (RUN, 1, 1, 1)
            assert store.run_ids("2026") == [RUN]
            assert list(store.priors(f"x:{mine.lower()}")) == [f"{mine}-links"]
            assert store.priors(f"x:{theirs.lower()}") == {}
            assert store.connector_state(f"x:{theirs.lower()}") == {}
            assert store.connector_state(f"x:{mine.lower()}") == {"since": mine}
            assert store.alert_sent(f"{mine}-links") and not store.alert_sent(f"{theirs}-links")
            assert store.escalation_sent(f"{mine}-links") and not store.escalation_sent(f"{theirs}-links")
            [queued] = store.queued_email()
            assert queued.message == f"body of {mine}".encode()
            assert store.undelivered()[0] == 1
            assert [e.subject for e in store.run_email(RUN)] == [f"{mine} report", "unchanged"]
            assert [d[1] for d in store.deliveries(RUN)] == [f"d@{mine}.example", f"head@{mine}.example"]
            assert store.last_queued(f"report:{mine}") == T0 and store.last_queued(f"report:{theirs}") is None
            [(_, _, counts)] = store.open_by_department()
            assert set(counts) == {"History" if mine == "@HistoryIHS" else "Science"}
            assert store.last_full_audit() is not None

        # A write aimed at the other school's row by its id changes nothing there.
        [theirs_email] = b.queued_email()
        a.email_tried(theirs_email.id, "expired", 9, "not mine")
        assert b.queued_email() == [theirs_email]
        # Pruning one school's history leaves the other's alone (both have only a latest run, so add an older one).
        audit(a, "@HistoryIHS", "History", when=T0 + dt.timedelta(days=1), run_id="20261102T020000Z-abcdef")
        assert a.prune(T0 + dt.timedelta(hours=12)) == 1
        assert [r.id for r in b.runs()] == [RUN]
        assert b.prune(T0 + dt.timedelta(days=5)) == 0  # its latest run is kept, as for one school
    finally:
        a.close()
        b.close()


def test_the_default_school_is_one_school_among_others(target):
    alone = Store(target)
    other = Store(target, school="other")
    try:
        audit(alone, "@HistoryIHS", "History")
        assert alone.school == "default" and len(alone.runs()) == 1
        assert other.runs() == [] and other.last_full_audit() is None
    finally:
        alone.close()
        other.close()


@pytest.mark.parametrize("school", ["", "   ", "x" * 201])
def test_a_school_name_must_be_given(tmp_path, school):
    with pytest.raises(ValueError, match="1 to 200 characters"):
        Store(tmp_path / "h.sqlite3", school=school)


# --- PostgreSQL: row-level security -------------------------------------------------------------------------------


def test_row_level_security_holds_for_a_query_that_forgets_the_school(pg_url):
    a = Store(pg_url, school="islwyn-high")
    b = Store(pg_url, school="cwmcarn-high")
    try:
        audit(a, "@HistoryIHS", "History")
        audit(b, "@ScienceCHS", "Science")
        # No `WHERE school = ...`: the server still returns this school's rows only.
        for table in ("runs", "account_runs", "findings", "connector_state", "deliveries", "alerts_sent",
                      "escalations_sent", "outbox"):  # fmt: skip
            assert {row[0] for row in a._all(f"SELECT school FROM {table}")} == {"islwyn-high"}, table
            assert {row[0] for row in b._all(f"SELECT school FROM {table}")} == {"cwmcarn-high"}, table
        # Nor can it write a row for another school, or change or delete one.
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"), a.transaction():
            a._write(
                sa.text("INSERT INTO runs (school, id, started_at, status, version) "
                        "VALUES ('cwmcarn-high', 'forged', 'x', 'complete', 'x')"),
                {},
            )  # fmt: skip
        with a.transaction():
            assert a._write(sa.text("UPDATE runs SET status = 'forged' WHERE school = 'cwmcarn-high'"), {}) == 0
            assert a._write(sa.text("DELETE FROM findings"), {}) == 1  # its own one finding only
        assert [r.status for r in b.runs()] == ["complete"] and b.runs()[0].findings == 1
    finally:
        a.close()
        b.close()


def test_a_login_that_names_no_school_sees_nothing(pg_url):
    store = Store(pg_url, school="islwyn-high")
    try:
        audit(store, "@HistoryIHS", "History")
    finally:
        store.close()
    # Another program (a report viewer) connecting as the same ordinary login without SET app.school.
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM findings")).scalar() == 0
            conn.execute(sa.text("SELECT set_config('app.school', 'islwyn-high', false)"))
            assert conn.execute(sa.text("SELECT COUNT(*) FROM findings")).scalar() == 1
    finally:
        engine.dispose()


def test_one_account_the_database_refuses_leaves_the_rest_of_the_run_stored(target, monkeypatch):
    # Two findings with one id in one account: the database refuses that account's rows (its savepoint is rolled
    # back), the account is stored as ERROR with the reason, and the other account and the run are kept.
    store = Store(target, school="islwyn-high")
    try:
        store.begin_run(RUN, T0, "test")
        twice = finding("dup", "@MusicIHS", "Music")
        refused = store.finish_run(
            RUN,
            T0,
            "complete",
            [
                AccountRun("x:@musicihs", "@MusicIHS", "x", "Music", "ok", None, 1, 0),
                AccountRun("x:@historyihs", "@HistoryIHS", "x", "History", "ok", None, 1, 0),
            ],
            [
                ("x:@musicihs", twice),
                ("x:@musicihs", twice),
                ("x:@historyihs", finding("h1", "@HistoryIHS", "History")),
            ],
        )
        assert refused == {"x:@musicihs": "its results could not be stored (IntegrityError); please report it"}
        [run] = store.runs()
        assert (run.status, run.accounts, run.account_errors, run.findings) == ("partial", 2, 1, 1)
        assert list(store.priors("x:@historyihs")) == ["h1"] and store.priors("x:@musicihs") == {}
    finally:
        store.close()


def test_a_nul_character_from_outside_is_stored_not_refused(target):
    # Anyone can put a NUL in a reply or a page title. PostgreSQL's text cannot hold one, which once failed the
    # account on PostgreSQL alone; both databases now keep it as U+FFFD and the account's findings are stored.
    store = Store(target, school="islwyn-high")
    try:
        store.begin_run(RUN, T0, "test")
        hostile = dataclasses.replace(
            finding("nul1", "@MusicIHS", "Music"),
            reason="Abusive reply: you \x00idiot",
            evidence=Evidence(url="https://x.com/MusicIHS/1", post_id="1", excerpt="you \x00idiot", link=None),
        )
        refused = store.finish_run(
            RUN,
            T0,
            "complete",
            [AccountRun("x:@musicihs", "@MusicIHS", "x", "Music", "ok", "page title \x00", 1, 1)],
            [("x:@musicihs", hostile)],
            states={"x:@musicihs": {"since": "1\x00"}},
        )
        assert refused == {}
        [run] = store.runs()
        assert (run.status, run.account_errors, run.findings) == ("complete", 0, 1)
        [kept] = [p.finding for p in store.priors("x:@musicihs").values()]
        assert kept.reason == "Abusive reply: you \ufffdidiot"
        assert kept.evidence.excerpt == "you \x00idiot"  # inside the evidence's JSON it is written as \u0000
        assert store.connector_state("x:@musicihs") == {"since": "1\x00"}
    finally:
        store.close()
