"""Tenant isolation (issue 16's acceptance): two schools of one trust, each with its own name, accounts, departments,
recipients and roster, every string of each holding a marker of its own inside hostile-looking text. After a run of
the trust, nothing of one school is in the other's pages, findings, CSV, history database, `auditor history` output or
email (delivered to a real SMTP server on 127.0.0.1); and `--school` runs that school alone."""

from __future__ import annotations

import email.message
import json
import textwrap
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.schools import open_store
from auditor.settings import Config
from auditor.trust import load_deployment
from tests.conftest import write_archive, write_config
from tests.reports.conftest import Inbox, inbox

__all__ = ["inbox"]  # the SMTP server fixture

# Each school's marker: in its name, handles, departments, addresses, pupils, posts and links. Plain letters, so the
# marker survives HTML escaping, quoted-printable and base64 (a message's parts are decoded before they are searched).
MARK = {"alpha": "qxalpha", "beta": "zvbeta"}


def _school_file(folder: Path, slug: str) -> Path:
    mark = MARK[slug]
    domain = f"{mark}.sch.uk"
    tag = mark.upper()
    pupil = f"{mark.capitalize()}ina"
    (folder / f"{slug}-roster.csv").write_text(
        f"forename,surname,photo_consent\n{pupil},Prydderch,no\n", encoding="utf-8"
    )
    tweets = [
        {
            "id_str": f"19{n}0000000000000{len(mark)}",
            "created_at": "Tue Oct 14 09:30:00 +0000 2025",
            "full_text": text,
            "entities": {"urls": [], "user_mentions": [], "hashtags": []},
        }
        for n, text in enumerate(
            [
                f"Well done {pupil} Prydderch, ring 07700 900{len(mark)}12 <script>alert('{mark}')</script>",
                f"Damn {mark} results are crap this year \"><img src=x onerror=alert('{mark}')>",
                f"Read about {mark} at https://{mark}-news.example/story?x=<{mark}>",
            ]
        )
    ]
    write_archive(
        folder / f"{slug}-hist",
        f"Hist{tag}",
        bio=f"History of {mark} <b onmouseover=alert('{mark}')>",
        tweets=tweets,
    )
    write_archive(folder / f"{slug}-art", f"{mark}_art", bio=f"Art {mark} &amp; <i>{mark}</i>")
    path = folder / "schools" / f"{slug}.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        textwrap.dedent(
            f"""\
            [school]
            name = "Ysgol {mark.capitalize()} <script>alert('{mark}')</script> & Co"
            aup_url = "https://www.{domain}/aup-{mark}"
            account_tag = "{tag}"
            email_domain = "{domain}"
            monitoring_lead = "Lead {mark}"
            monitoring_lead_email = "lead.{mark}@{domain}"

            [[accounts]]
            handle = "@Hist{tag}"
            platform = "x-archive"
            department = "Hanes {mark} <b>"
            owner = "hanes.{mark}@{domain}"
            credentials_shared = true
            source = "../{slug}-hist"

            [[accounts]]
            handle = "@{mark}_art"
            platform = "x-archive"
            department = "Celf {mark}\\"'"
            owner = "{mark}.art@gmail.com"
            notified = 2024-09-02
            credentials_shared = false
            source = "../{slug}-art"

            [departments."Hanes {mark} <b>"]
            head_email = "head.hanes.{mark}@{domain}"

            [departments."Celf {mark}\\"'"]
            head_email = "head.celf.{mark}@{domain}"

            [safeguarding]
            roster = "../{slug}-roster.csv"

            [email]
            slt = ["slt.{mark}@{domain}"]
            """
        ),
        encoding="utf-8",
    )
    return path


def _trust(folder: Path, port: int) -> Path:
    for slug in MARK:
        _school_file(folder, slug)
    path = folder / "trust.toml"
    path.write_text(
        textwrap.dedent(
            f"""\
            [trust]
            name = "Cwm Trust"
            schools = ["schools/alpha.toml", "schools/beta.toml"]

            [output]
            dir = "reports"
            store = "history.sqlite3"

            [email]
            host = "127.0.0.1"
            port = {port}
            starttls = false
            sender = "Auditor <auditor@trust.example>"
            retries = 0
            timeout = 10
            """
        ),
        encoding="utf-8",
    )
    return path


def _config(trust: Path, slug: str) -> Config:
    [config] = [c for c in load_deployment(trust).schools if c.school_id == slug]
    return config


def _text(message: email.message.EmailMessage) -> str:
    """Everything a recipient can read of a message: its headers and every part, decoded."""
    parts = [f"{k}: {v}" for k, v in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        parts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content))
    return "\n".join(parts).lower()


def _files(folder: Path) -> dict[Path, str]:
    return {p: p.read_bytes().decode("utf-8", "replace").lower() for p in folder.rglob("*") if p.is_file()}


def test_a_trust_run_keeps_each_schools_pages_findings_history_and_email_to_itself(tmp_path, inbox: Inbox, capsys):
    trust = _trust(tmp_path, inbox.port)
    code = main(["run", "--all", "--config", str(trust), "--offline"])
    out = capsys.readouterr().out
    assert code == 1, out  # both schools have failing findings (the language, the pupil named, the phone number)

    for mine, other in (("alpha", "beta"), ("beta", "alpha")):
        folder = tmp_path / "reports" / mine
        files = _files(folder)
        names = {p.relative_to(folder).parts[-1] for p in files}
        assert {"index.html", "findings.json", "findings.csv"} <= names
        assert any(p.parent.name == "accounts" for p in files) and any(p.parent.name == "departments" for p in files)
        for path, text in files.items():
            assert MARK[other] not in text, f"{path} holds {other}'s marker"
        # The files do hold this school's own data (so the search above looked at real reports).
        [findings_path] = [p for p in files if p.name == "findings.json"]
        findings = json.loads(findings_path.read_text(encoding="utf-8"))
        assert {a["handle"].lower() for a in findings["accounts"]} == {
            f"@hist{MARK[mine]}",
            f"@{MARK[mine]}_art",
        }
        assert any(f["status"] == "FAIL" and f["check"] == "content.professional" for f in findings["findings"])
        index = files[next(p for p in files if p.name == "index.html" and p.parent.parent == folder)]
        assert f"ysgol {MARK[mine]}" in index and "<script>alert" not in index  # its name, escaped
        # Its history, as the store gives it to this school, holds nothing of the other school either.
        store = open_store(_config(trust, mine))
        try:
            [run] = store.runs()
            departments = {name for _, _, counts in store.open_by_department() for name in counts}
            recipients = {e.recipients + e.subject for e in store.run_email(run.id)}
            priors = {key for account in _config(trust, mine).accounts for key in store.priors(account.key)}
        finally:
            store.close()
        assert run.accounts == 2 and priors
        assert departments == {f"Hanes {MARK[mine]} <b>", f"Celf {MARK[mine]}\"'"}
        assert recipients and all(MARK[mine] in r.lower() and MARK[other] not in r.lower() for r in recipients)

    # Email: every message goes to one school's people only, and holds nothing of the other school.
    assert inbox.received
    sent_to = {slug: 0 for slug in MARK}
    for got in inbox.received:
        domains = {r.rsplit("@", 1)[1] for r in got.rcpt_tos}
        [school] = [s for s in MARK if domains == {f"{MARK[s]}.sch.uk"}]  # one school's domain, never both
        text = _text(got.message)
        other = "beta" if school == "alpha" else "alpha"
        assert MARK[school] in text
        assert MARK[other] not in text, f"a message to {got.rcpt_tos} holds {other}'s marker"
        sent_to[school] += 1
    for slug, mark in MARK.items():
        # Each head of department, SLT (the school summary) and the urgent alert (a pupil named) reached each school.
        assert inbox.to(f"head.hanes.{mark}@{mark}.sch.uk") and inbox.to(f"head.celf.{mark}@{mark}.sch.uk")
        assert inbox.to(f"slt.{mark}@{mark}.sch.uk")
        assert sent_to[slug] >= 3

    # `auditor history` of one school shows its runs and emails only.
    for mine, other in (("alpha", "beta"), ("beta", "alpha")):
        assert main(["history", "--config", str(trust), "--school", mine]) == 0
        listing = capsys.readouterr().out
        run_id = listing.splitlines()[2].split()[0]
        assert main(["history", "--config", str(trust), "--school", mine, "--deliveries", run_id]) == 0
        deliveries = capsys.readouterr().out.lower()
        assert MARK[mine] in deliveries and MARK[other] not in listing.lower() + deliveries
        # The other school's run id is not found in this school's history.
        other_id = (tmp_path / "reports" / other).rglob("findings.json").__next__()
        theirs = json.loads(other_id.read_text(encoding="utf-8"))["run"]["id"]
        assert main(["history", "--config", str(trust), "--school", mine, "--deliveries", theirs]) == 2
        assert "not a run in the history" in capsys.readouterr().err


def test_school_option_runs_only_that_school(tmp_path, inbox: Inbox, capsys):
    trust = _trust(tmp_path, inbox.port)
    assert main(["run", "--all", "--config", str(trust), "--offline", "--school", "beta", "--no-email"]) == 1
    out = capsys.readouterr().out
    assert "school beta" in out and "school alpha" not in out
    assert [p.name for p in (tmp_path / "reports").iterdir()] == ["beta"]
    for slug, runs in (("alpha", 0), ("beta", 1)):
        store = open_store(_config(trust, slug))
        try:
            assert len(store.runs()) == runs
        finally:
            store.close()
    assert inbox.received == []

    # --account finds the school that registered the handle; the others are not run.
    assert main(["run", "--account", "@qxalpha_art", "--config", str(trust), "--offline", "--no-email"]) == 1
    out = capsys.readouterr().out
    assert "school alpha" in out and "school beta" not in out
    assert len(list((tmp_path / "reports" / "alpha").iterdir())) == 1
    assert len(list((tmp_path / "reports" / "beta").iterdir())) == 1

    # --out with a trust: each school's files in a folder of its own under it.
    assert main(["run", "--all", "--config", str(trust), "--offline", "--no-email", "--out", str(tmp_path / "o")]) == 1
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["alpha", "beta"]
    assert "zvbeta" not in (tmp_path / "o" / "alpha" / "findings.json").read_text(encoding="utf-8").lower()

    # status, per school and for one school.
    capsys.readouterr()
    assert main(["status", "--config", str(trust)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["school alpha", "school beta"]
    assert all(" OK: last complete audit" in line for line in lines)
    assert main(["status", "--config", str(trust), "--school", "alpha"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("auditor status: school alpha: OK")


@pytest.mark.parametrize("command", [["run", "--all", "--offline"], ["history"], ["status"], ["config", "check"]])
def test_school_option_is_refused_where_it_means_nothing(tmp_path, inbox: Inbox, capsys, command):
    trust = _trust(tmp_path, inbox.port)
    assert main([*command, "--config", str(trust), "--school", "gamma"]) == 2
    assert "--school 'gamma' is not a school of this trust; its schools: alpha, beta" in capsys.readouterr().err
    (tmp_path / "single").mkdir()
    write_archive(tmp_path / "single" / "hist", "HistoryIHS")
    single = write_config(
        tmp_path / "single",
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "hist"
        """,
    )
    assert main([*command, "--config", str(single), "--school", "alpha"]) == 2
    err = capsys.readouterr().err
    assert "--school is for a trust's config" in err and "Traceback" not in err
    assert not (tmp_path / "single" / "audit-reports").exists()


def test_email_test_schedule_and_blocklists_with_a_trust(tmp_path, inbox: Inbox, capsys, monkeypatch):
    trust = _trust(tmp_path, inbox.port)
    # `email test` says which school's mail settings: the message goes to that school's SLT only.
    assert main(["email", "test", "--config", str(trust)]) == 2
    assert "--school ID" in capsys.readouterr().err
    assert main(["email", "test", "--config", str(trust), "--school", "beta"]) == 0
    [got] = inbox.received
    assert got.rcpt_tos == ["slt.zvbeta@zvbeta.sch.uk"]
    assert "qxalpha" not in _text(got.message) and "zvbeta" in _text(got.message)

    # The scheduler runs the trust's schedule, and its jobs run `auditor run --all` on the trust's file.
    from auditor import scheduler

    seen = []
    monkeypatch.setattr(scheduler, "serve", lambda config: seen.append(config) or 0)
    assert main(["schedule", "--config", str(trust)]) == 0
    [config] = seen
    assert config.path == trust
    [job] = scheduler.jobs_from_config(config, scheduler.Children())
    assert job.name == "audit"

    # The schools share the trust's folder of blocklists: it is downloaded once, not once per school.
    from auditor.links import update

    folders = []

    def fake_update(links):
        folders.append(links.blocklists)
        return update.UpdateResult(updated={}, failed={})

    monkeypatch.setattr(update, "update_blocklists", fake_update)
    assert main(["blocklists", "update", "--config", str(trust)]) == 0
    assert folders == [tmp_path / "data" / "blocklists"]
