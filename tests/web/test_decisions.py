"""A decision made in the app changes the next run's report and findings.json exactly as the same decision made in a
file does (config.toml `photo_consent_confirmed`, waivers.toml), and a confirmed checklist item passes until it
expires, is reopened, or a run finds a real failure."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from auditor import appdb
from auditor.decisions import end_on_failure, with_decisions
from auditor.model import Evidence, Finding, Severity, Status
from tests.web.conftest import Site, csrf_token, get, post, sign_in

EXPIRES = dt.date.today() + dt.timedelta(days=200)


def decide(client, site: Site, name: str, data: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    page = get(client, f"/finding/{site.ids[name]}").get_data(as_text=True)
    response = post(client, f"/finding/{site.ids[name]}/decide", {**data, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert ": recorded." in get(client, f"/finding/{site.ids[name]}").get_data(as_text=True)


def twin(site: Site, tmp_path: Path, edit: Callable[[str], str] = str, waivers: str = "") -> Site:
    """The same school in another folder, with the decisions written in its files instead."""
    folder = tmp_path / "files"
    shutil.copytree(site.folder / "examples", folder / "examples")
    text = site.config_path.read_text(encoding="utf-8")
    if waivers:
        (folder / "waivers.toml").write_text(waivers, encoding="utf-8")
        text = text.replace("[[accounts]]", '[waivers]\nfile = "waivers.toml"\n\n[[accounts]]', 1)
    text = edit(text)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return Site(folder / "config.toml", folder, site.ids)


def same_as_file(app_run: dict[str, dict[str, object]], file_run: dict[str, dict[str, object]], fid: str) -> None:
    for key in ("status", "reason", "severity", "check", "evidence"):
        assert app_run[fid][key] == file_run[fid][key], key


def test_consent_in_the_app_is_consent_in_the_config(site: Site, app_client, tmp_path: Path) -> None:
    assert sign_in(app_client, "head").status_code == 302  # the head of Science
    decide(app_client, site, "consent", {"kind": "consent", "note": "forms in the office, checked by RE"})
    after = site.run("run2")
    fid = site.ids["consent"]
    assert after[fid]["status"] == "PASS"
    post_id = after[fid]["evidence"]["post_id"]  # type: ignore[index]
    listed = 'photo_consent_confirmed = ["'
    assert listed in site.config_path.read_text(encoding="utf-8")  # the sample lists one post already
    files = twin(site, tmp_path, edit=lambda text: text.replace(listed, f'{listed}{post_id}", "', 1))
    assert post_id in files.config.photo_consent_confirmed
    same_as_file(after, files.run("run2"), fid)


def test_false_alarm_in_the_app_is_a_waiver_in_the_file(site: Site, app_client, tmp_path: Path) -> None:
    assert sign_in(app_client, "lead").status_code == 302
    note = "told the head of Science in person in September"
    data = {"kind": "false_alarm", "note": note, "reason": "remediated", "expires": EXPIRES.isoformat()}
    decide(app_client, site, "notified", data)
    after = site.run("run2")
    fid = site.ids["notified"]
    assert after[fid]["status"] == "WAIVED"
    assert "approved by Heather Davies" in str(after[fid]["reason"])
    waiver = f"""
[[waiver]]
account = "@ScienceIHS"
check = "registry.notified"
reason = "remediated"
approved_by = "Heather Davies"
expires = {EXPIRES.isoformat()}
note = "{note}"
"""
    files = twin(site, tmp_path, waivers=waiver)
    same_as_file(after, files.run("run2"), fid)
    # The report shows it waived, with the approver, as the file's waiver would be.
    pages = [p.read_text(encoding="utf-8") for p in (site.folder / "run2").rglob("*.html")]
    assert any("approved by Heather Davies" in page and note in page for page in pages)


def test_confirmed_checklist_item_passes_until_reopened(site: Site, app_client) -> None:
    assert sign_in(app_client, "owner").status_code == 302
    decide(app_client, site, "dm", {"kind": "confirm", "note": "inbox checked: no pupils", "days": "30"})
    fid = site.ids["dm"]
    after = site.run("run2")
    assert after[fid]["status"] == "PASS"
    assert "Confirmed (confirmed by Cerys Owen on" in str(after[fid]["reason"])
    assert "inbox checked: no pupils" in str(after[fid]["reason"])
    # Another account's item is still to confirm.
    assert after[site.ids["history_dm"]]["status"] == "MANUAL"
    # Reopened: asked again on the next run.
    page = get(app_client, f"/finding/{fid}").get_data(as_text=True)
    with appdb.engine_for(site.config.output.store).connect() as conn:
        (d,) = appdb.all_decisions(conn, fid)
    reopened = post(app_client, f"/decision/{d.id}/reopen", {"note": "new phone", "csrf_token": csrf_token(page)})
    assert reopened.status_code == 302
    assert site.run("run3")[fid]["status"] == "MANUAL"
    shown = get(app_client, f"/finding/{fid}").get_data(as_text=True)
    assert "Ended" in shown and "new phone" in shown and "Cerys Owen" in shown


def test_confirmation_expires_and_ends_on_a_real_failure(site: Site, app_client) -> None:
    assert sign_in(app_client, "lead").status_code == 302
    decide(app_client, site, "dm", {"kind": "confirm", "note": "checked", "days": "1"})
    config = site.config
    later = dt.date.today() + dt.timedelta(days=2)
    assert site.ids["dm"] not in with_decisions(config, today=later).checklist_confirmed
    assert site.ids["dm"] in with_decisions(config).checklist_confirmed
    with appdb.engine_for(config.output.store).connect() as conn:
        (d,) = appdb.all_decisions(conn)
    failure = Finding(
        id="other", account="@ScienceIHS", platform="x-archive", department="Science",
        check="messaging.no_private_dm", clause="SMP-2.7", status=Status.FAIL, severity=Severity.HIGH,
        reason="a private message with a pupil", evidence=Evidence(),
    )  # fmt: skip
    assert end_on_failure(config, [failure], "run-x") == [d.id]
    assert site.ids["dm"] not in with_decisions(config).checklist_confirmed
    with appdb.engine_for(config.output.store).connect() as conn:
        (d,) = appdb.all_decisions(conn)
    assert d.ended_by == "auditor" and "real failure" in str(d.ended_why)


def test_removed_comment_shows_time_to_removal(site: Site, app_client) -> None:
    assert sign_in(app_client, "slt").status_code == 302
    removed = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=0)).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "removed", "note": "deleted and screenshotted", "reported_to": "J. Morgan", "removed_at": removed}
    decide(app_client, site, "comment", data)
    overview = get(app_client, "/overview").get_data(as_text=True)
    assert "J. Morgan" in overview and "min" in overview
    assert "Comment removed and reported" in overview


def test_file_decisions_are_shown_as_decided_in_a_file(site: Site, app_client) -> None:
    assert sign_in(app_client, "lead").status_code == 302
    overview = get(app_client, "/overview").get_data(as_text=True)
    assert "Decisions made in files" in overview
    # The sample config exempts @IslwynHigh from the naming check in config.toml.
    page = get(app_client, "/").get_data(as_text=True)
    assert "@IslwynHigh" in page


def test_school_report_shows_slt_scrutiny_and_time_to_removal(site: Site, app_client) -> None:
    assert sign_in(app_client, "slt").status_code == 302
    page = get(app_client, "/overview").get_data(as_text=True)
    sent = post(
        app_client, "/scrutiny", {"note": "read every post of November", "days": "30", "csrf_token": csrf_token(page)}
    )
    assert sent.status_code == 302
    removed = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "removed", "note": "deleted", "reported_to": "J. Morgan", "removed_at": removed}
    decide(app_client, site, "comment", data)
    # The sweep found the comment two hours before it was removed.
    found = dt.datetime.fromisoformat(removed).replace(tzinfo=dt.UTC) - dt.timedelta(hours=2)
    with appdb.engine_for(site.config.output.store).begin() as conn:
        conn.execute(appdb.decisions.update().values(seen_at=found.isoformat()))
    site.run("run2")
    report = (site.folder / "run2" / "index.html").read_text(encoding="utf-8")
    assert "read every post of November" in report and "J. Morgan" in report
    assert "Abusive comments removed and reported" in report
    assert "2 h 0 min" in report
    # A head of department may not confirm the school-wide item.
    head = app_client.application.test_client()
    assert sign_in(head, "head").status_code == 302
    token = csrf_token(get(head, "/").get_data(as_text=True))
    assert post(head, "/scrutiny", {"note": "x", "csrf_token": token}).status_code == 404


def test_a_trust_schools_run_reads_none_of_the_apps_decisions(site: Site) -> None:
    """The app serves one school's config (the 'default' school of the history); a school of a trust sharing that
    history must never be judged by its decisions."""
    import dataclasses

    from auditor import decisions

    with appdb.begin(appdb.engine_for(site.config.output.store)) as conn:
        appdb.add_decision(
            conn, kind="consent", finding_id=site.ids["consent"], account="@ScienceIHS", account_key="x:@scienceihs",
            department="Science", check_id="safeguarding.child_photo_consent", post_id="1", note="signed forms",
            made_by="Lead",
        )  # fmt: skip
    assert [d.kind for d in decisions.read(site.config)] == ["consent"]
    assert decisions.read(dataclasses.replace(site.config, school_id="ihs")) == []
