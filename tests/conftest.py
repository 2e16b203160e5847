"""Shared test helpers: a school config built in a temporary folder, and model objects for check tests."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor.checks import CheckContext
from auditor.model import Account, AccountData, Post, Profile

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)

SCHOOL = """\
[school]
name = "Islwyn High School"
website = "https://www.islwynhigh.co.uk"
aup_url = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"
account_tag = "IHS"
email_domain = "islwynhigh.co.uk"
monitoring_lead = "Heather Davies"
"""


def write_config(folder: Path, body: str, school: str = SCHOOL) -> Path:
    path = folder / "config.toml"
    path.write_text(school + "\n" + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def school_config(tmp_path: Path) -> config_mod.Config:
    path = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@HistoryIHS"
        platform = "x-archive"
        department = "History"
        source = "archive"
        """,
    )
    return config_mod.load(path)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the repository's sample config and archives, so runs write their history and reports in tmp."""
    shutil.copy(REPO / "config.toml", tmp_path / "config.toml")
    shutil.copytree(REPO / "examples" / "archives", tmp_path / "examples" / "archives")
    shutil.copy(REPO / "examples" / "roster.csv", tmp_path / "examples" / "roster.csv")
    return tmp_path / "config.toml"


def account(**overrides: object) -> Account:
    values: dict[str, object] = {
        "handle": "@HistoryIHS",
        "platform": "x-archive",
        "department": "History",
        "owner": "history@islwynhigh.co.uk",
        "notified": dt.date(2024, 9, 2),
        "credentials_shared": True,
    }
    values.update(overrides)
    return Account(**values)  # type: ignore[arg-type]


def context(
    config: config_mod.Config,
    profile: Profile | None = None,
    posts: list[Post] | None = None,
    offline: bool = True,
    **account_overrides: object,
) -> CheckContext:
    from auditor.runner import check_settings, data_source

    data = None if profile is None else AccountData(profile=profile, posts=posts or [], complete=True)
    acc = account(**account_overrides)
    return CheckContext(
        account=acc,
        settings=check_settings(config),
        data=data,
        source=data_source(acc.platform),
        offline=offline,
        now=NOW,
    )


def write_archive(
    folder: Path, username: str, bio: str = "", website: str = "", tweets: list[dict] | None = None
) -> Path:
    """A minimal X data archive in the real export format (window.YTD wrappers), for end-to-end tests."""
    import json

    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)

    def js(name: str, payload: object) -> None:
        (data / f"{name}.js").write_text(f"window.YTD.{name}.part0 = {json.dumps(payload, indent=2)}", encoding="utf-8")

    js(
        "account",
        [
            {
                "account": {
                    "username": username,
                    "accountId": "42",
                    "accountDisplayName": username,
                    "createdAt": "2020-01-01T00:00:00.000Z",
                    "createdVia": "web",
                }
            }
        ],
    )
    js("profile", [{"profile": {"description": {"bio": bio, "website": website, "location": ""}}}])
    js("tweets", [{"tweet": t} for t in (tweets or [])])
    return folder
