"""Waivers file: fixed reasons, approver, expiry; waived findings stay visible, expired ones count again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor import config as config_mod
from auditor.cli import main
from tests.conftest import write_archive, write_config


def setup(tmp_path: Path, waivers: str) -> Path:
    write_archive(tmp_path / "pe", "islwyn_pe", bio="PE at Islwyn High")
    (tmp_path / "waivers.toml").write_text(waivers, encoding="utf-8")
    return write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@islwyn_pe"
        platform = "x-archive"
        department = "PE"
        owner = "pe@islwynhigh.co.uk"
        notified = 2025-01-13
        credentials_shared = true
        source = "pe"

        [waivers]
        file = "waivers.toml"
        """,
    )


def findings(out: Path) -> dict[str, dict]:
    return {f["check"]: f for f in json.loads((out / "findings.json").read_text())["findings"]}


def test_active_waiver_marks_waived_with_reason_and_approver(tmp_path):
    cfg = setup(
        tmp_path,
        """
        [[waiver]]
        account = "@islwyn_pe"
        check = "naming.ihs_in_username"
        reason = "accepted-risk"
        approved_by = "J. Morgan (Deputy Head)"
        expires = 2099-07-31
        """,
    )
    out = tmp_path / "r"
    main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline", "--no-email"])
    naming = findings(out)["naming.ihs_in_username"]
    assert naming["status"] == "WAIVED"
    assert "accepted-risk, approved by J. Morgan (Deputy Head), until 31 Jul 2099" in naming["reason"]
    assert "does not include IHS" in naming["reason"]  # what it would have said stays visible
    page = BeautifulSoup((out / "departments/PE.html").read_text(), "html.parser")
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert "Waived" in headings
    assert "J. Morgan (Deputy Head)" in page.get_text()


def test_expired_waiver_stops_applying_and_is_reported(tmp_path, capsys):
    cfg = setup(
        tmp_path,
        """
        [[waiver]]
        account = "@islwyn_pe"
        check = "naming.ihs_in_username"
        reason = "not-applicable"
        approved_by = "J. Morgan"
        expires = 2020-01-31
        """,
    )
    out = tmp_path / "r"
    code = main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline", "--no-email"])
    assert code == 1
    assert findings(out)["naming.ihs_in_username"]["status"] == "FAIL"
    assert "waiver for @islwyn_pe naming.ihs_in_username expired on 2020-01-31" in capsys.readouterr().err
    for page in ("index.html", "departments/PE.html", "accounts/islwyn_pe.html"):
        text = BeautifulSoup((out / page).read_text(), "html.parser").get_text(" ", strip=True)
        assert "1 waiver expired" in text and "expired 31 Jan 2020" in text, page


def test_pattern_limits_a_waiver_to_matching_findings(tmp_path):
    cfg = setup(
        tmp_path,
        """
        [[waiver]]
        account = "@islwyn_pe"
        check = "naming.ihs_in_username"
        pattern = "something else entirely"
        reason = "remediated"
        approved_by = "J. Morgan"
        expires = 2099-01-01
        """,
    )
    out = tmp_path / "r"
    main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline", "--no-email"])
    assert findings(out)["naming.ihs_in_username"]["status"] == "FAIL"
    (tmp_path / "waivers.toml").write_text(
        (tmp_path / "waivers.toml").read_text().replace("something else entirely", "@ISLWYN_PE does not")
    )
    main(["run", "--all", "--config", str(cfg), "--out", str(out), "--offline", "--no-email"])
    assert findings(out)["naming.ihs_in_username"]["status"] == "WAIVED"


def test_bad_waivers_are_config_errors_listed_at_once(tmp_path, capsys):
    cfg = setup(
        tmp_path,
        """
        [[waiver]]
        account = "@islwyn_pe"
        check = "naming.ihs_in_usrename"
        reason = "because"
        expires = "soon"
        """,
    )
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(cfg)
    text = "\n".join(err.value.problems)
    assert "waiver[1].check: unknown check 'naming.ihs_in_usrename'" in text
    assert (
        "waiver[1].reason: 'because' is not one of not-applicable, remediated, accepted-risk, consent-confirmed" in text
    )
    assert "waiver[1].approved_by: missing" in text
    assert "waiver[1].expires: expected a date" in text
    assert main(["run", "--all", "--config", str(cfg), "--offline"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_waivers_file_is_a_config_error(tmp_path):
    cfg = setup(tmp_path, "")
    (tmp_path / "waivers.toml").unlink()
    with pytest.raises(config_mod.ConfigError, match="waivers file not found"):
        config_mod.load(cfg)
