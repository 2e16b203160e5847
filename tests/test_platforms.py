"""The platform registry: a platform is one module with its spec, and config, model, checks and connectors read it.

The toy platform below is written as ONE module into a temporary folder, with the entry point an installed plug-in
would have; nothing else in the repository is touched, and `auditor run` audits its account.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor import connectors, platforms
from auditor.cli import main
from auditor.connectors import ConnectorError
from auditor.model import Account, platform_name
from auditor.platforms import Option, PlatformSpec
from tests.conftest import write_config

AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"

TOY_MODULE = f'''
"""A toy platform: its spec and its connector, in one module."""

import datetime as dt

from auditor.model import AccountData, Link, Post, Profile
from auditor.platforms import Option, PlatformSpec

SPEC = PlatformSpec(
    name="toyland",
    display_name="Toyland",
    module=__name__,
    connector="ToyConnector",
    source="none",
    options=(Option("board_id", "numeric-id", "the board number Toyland shows", "42"),),
    reads_comments=False,
    credentials=("TOYLAND_TOKEN",),
)
SEEN = []  # what each fetch was given, for the test to read


class ToyConnector:
    def fetch(self, account, ctx):
        SEEN.append((account.handle, dict(account.options)))
        name = account.handle.removeprefix("@")
        profile = Profile(name, display_name="Toy " + name, bio="AUP {AUP}", website=Link("{AUP}"))
        post = Post("1", "Our toy fair is on Friday.", created_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
        return AccountData(profile, [post])
'''

TOY_ACCOUNT = """
[[accounts]]
handle = "@ToysIHS"
platform = "toyland"
department = "Design & Tech"
owner = "dt@islwynhigh.co.uk"
notified = 2024-09-02
credentials_shared = true
board_id = "{board_id}"
"""


@pytest.fixture
def toy_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The toy module and a distribution's metadata naming it in the `auditor.platforms` entry-point group, on
    sys.path as an installed plug-in would be; the registry reads entry points afresh, and forgets them after."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "toy_platform.py").write_text(TOY_MODULE, encoding="utf-8")
    info = site / "toy_platform-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-platform\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[auditor.platforms]\ntoyland = toy_platform:SPEC\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    platforms.rediscover()
    yield site
    sys.modules.pop("toy_platform", None)
    platforms.rediscover()


def findings(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_a_toy_platform_from_one_module_is_audited(toy_plugin, tmp_path, capsys):
    config = write_config(tmp_path, TOY_ACCOUNT.format(board_id="1234"))
    out = tmp_path / "out"
    main(["run", "--all", "--config", str(config), "--out", str(out), "--offline"])
    import toy_platform  # the module the entry point loaded

    # The connector was imported from the spec and given the account, with its option validated and kept.
    assert toy_platform.SEEN == [("@ToysIHS", {"board_id": "1234"})]
    doc = findings(out)
    [account] = doc["accounts"]
    assert (account["handle"], account["status"], account["error"]) == ("@ToysIHS", "ok", None)
    by_check = {f["check"]: f for f in doc["findings"] if f["account"] == "@ToysIHS"}
    assert by_check["about.aup_link"]["status"] == "PASS"
    # The spec says the toy reads no comments, so "none found" is not a pass: a person must look.
    assert by_check["comments.inappropriate"]["status"] == "MANUAL"
    assert platform_name("toyland") == "Toyland"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (TOY_ACCOUNT.format(board_id="forty-two"), "accounts[1].board_id: expected the board number Toyland shows"),
        (TOY_ACCOUNT.format(board_id="42") + 'source = "boards"\n', "accounts[1].source: toyland accounts take no"),
        (
            TOY_ACCOUNT.replace('"toyland"', '"toylnd"').format(board_id="42"),
            "accounts[1].platform: unknown platform 'toylnd'; expected one of x, x-archive, facebook, instagram, "
            "youtube, mastodon, bluesky, feed, facebook-export, instagram-export, tiktok, tiktok-api, threads, "
            "toyland; "
            "did you mean 'toyland'?",
        ),
        (
            TOY_ACCOUNT.format(board_id="42")
            + '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\nboard_id = "42"\n',
            "accounts[2].board_id: only toyland accounts have a board_id",
        ),
    ],
)
def test_the_toy_platforms_options_and_source_are_validated(toy_plugin, tmp_path, capsys, body, expected):
    config = write_config(tmp_path, body)
    assert main(["run", "--all", "--config", str(config), "--out", str(tmp_path / "out"), "--offline"]) == 2
    err = capsys.readouterr().err
    assert "nothing was audited" in err
    assert expected in err
    assert not (tmp_path / "out" / "findings.json").exists()


def test_without_the_plugin_the_platform_is_unknown(tmp_path):
    platforms.rediscover()
    with pytest.raises(config_mod.ConfigError) as caught:
        config_mod.load(write_config(tmp_path, TOY_ACCOUNT.format(board_id="42")))
    text = "\n".join(caught.value.problems)
    assert "unknown platform 'toyland'" in text
    assert "accounts[1].board_id: unknown key" in text


def test_built_in_platforms_alone_never_read_the_entry_points(toy_plugin, sample, monkeypatch):
    def scan():
        raise AssertionError("the entry points were read")

    monkeypatch.setattr(platforms, "_discovered", scan)
    assert {a.platform for a in config_mod.load(sample).accounts} <= set(connectors.PLATFORMS)
    assert platform_name("facebook") == "Facebook"
    with pytest.raises(AssertionError, match="entry points were read"):
        platforms.names()


def test_a_broken_plugin_is_skipped_not_fatal(tmp_path, monkeypatch, sample):
    site = tmp_path / "site"
    info = site / "broken-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[auditor.platforms]\nbroken = no_such_module:SPEC\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    platforms.rediscover()
    try:
        assert "broken" not in platforms.names()
        # The built-in platforms are read as ever.
        assert platforms.names()[: len(connectors.PLATFORMS)] == connectors.PLATFORMS
        assert config_mod.load(sample).accounts
    finally:
        platforms.rediscover()


def test_register_adds_a_platform_and_unregister_removes_it(tmp_path):
    spec = PlatformSpec(
        "wiki",
        "School wiki",
        "tests.test_platforms",
        "NoSuchConnector",
        source="url",
        source_help="the wiki's recent-changes feed",
    )
    platforms.register(spec)
    try:
        assert platforms.get("wiki") is spec and "wiki" in platforms.names()
        path = write_config(
            tmp_path,
            '[[accounts]]\nhandle = "@WikiIHS"\nplatform = "wiki"\ndepartment = "ICT"\nsource = "wiki.xml"\n',
        )
        with pytest.raises(config_mod.ConfigError) as caught:
            config_mod.load(path)
        assert caught.value.problems == [
            f"{path.resolve()}:13: accounts[1].source: "
            "expected the web address (https://...) of the wiki's recent-changes feed"
        ]
        # A web address elsewhere names every platform that takes one.
        other = write_config(
            tmp_path,
            '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\nsource = "https://a.b/c"\n',
        )
        with pytest.raises(config_mod.ConfigError, match="only allowed here for feed, wiki accounts"):
            config_mod.load(other)
        # The class named by the spec does not exist: a plain error for that account, never a traceback.
        with pytest.raises(ConnectorError, match=r"School wiki connector could not be loaded"):
            connectors.get_connector("wiki")
    finally:
        platforms.unregister("wiki")
    assert platforms.get("wiki") is None


def test_built_in_specs_keep_todays_behaviour():
    assert connectors.PLATFORMS[:8] == (
        "x",
        "x-archive",
        "facebook",
        "instagram",
        "youtube",
        "mastodon",
        "bluesky",
        "feed",
    )
    assert connectors.PLATFORMS[8:] == ("facebook-export", "instagram-export", "tiktok", "tiktok-api", "threads")
    assert [platform_name(p) for p in ("x-archive", "feed", "myspace")] == [
        "X (archive)",
        "Blog or news feed",
        "myspace",
    ]
    assert [p for p in connectors.PLATFORMS if not platforms.reads_comments(p)] == [
        "x-archive",
        "facebook-export",
        "instagram-export",
        "tiktok",
        "tiktok-api",
    ]
    assert platforms.get("x-archive").steps_family == "x"
    assert platforms.get("tiktok-api").steps_family == "tiktok"
    assert platforms.get("feed").steps_family == "feed"
    assert platforms.get("facebook").credentials == ("META_ACCESS_TOKEN",)
    for name in connectors.PLATFORMS:  # every built-in names a connector that exists
        assert callable(connectors.get_connector(name).fetch)


def test_a_spec_refuses_a_bad_name_or_a_required_absent_source():
    with pytest.raises(ValueError, match="lower-case"):
        PlatformSpec("Toy Land", "Toy", "m", "C")
    with pytest.raises(ValueError, match="takes no source"):
        PlatformSpec("toy", "Toy", "m", "C", source="none", source_required=True)
    for key in ("handle", "Board Id"):  # an option never shadows a key every account has
        with pytest.raises(ValueError, match="cannot be an option's key"):
            PlatformSpec("toy", "Toy", "m", "C", options=(Option(key, "text", "its board", "b"),))
    with pytest.raises(TypeError):
        platforms.register("toy")  # type: ignore[arg-type]


def test_account_options_keep_the_old_attributes():
    old_style = Account("@HistoryIHS", "facebook", "History", page_id="1234")
    assert old_style.options == {"page_id": "1234"} and old_style.page_id == "1234"
    assert old_style.ig_user_id is None
    new_style = Account("@HistoryIHS", "facebook", "History", options={"page_id": "1234"})
    assert new_style == old_style and hash(new_style) == hash(old_style)
    assert Option("page_id", "numeric-id", "the numeric id Meta shows", "1").problem("12a") is not None


def test_a_numeric_option_may_be_written_as_a_number(tmp_path):
    path = write_config(
        tmp_path, '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "facebook"\ndepartment = "History"\npage_id = 99\n'
    )
    [account] = config_mod.load(path).accounts
    assert account.page_id == "99" and account.options == {"page_id": "99"}


def test_the_registry_is_read_by_the_repository_config(sample):
    # The sample config's accounts all name registered platforms.
    config = config_mod.load(sample)
    assert {a.platform for a in config.accounts} <= set(platforms.names())


def test_the_credentials_a_spec_names_are_the_ones_its_connector_reads():
    # The variables the README and the docs tell a school to set; connectors read them from the spec alone
    # (tests/connectors/test_credentials.py).
    readers = {
        "x": ("X_BEARER_TOKEN",),
        "facebook": ("META_ACCESS_TOKEN",),
        "instagram": ("META_ACCESS_TOKEN", "INSTAGRAM_ACCESS_TOKEN"),  # the Page route's token, Instagram Login's
        "youtube": ("YOUTUBE_API_KEY",),
        "threads": ("THREADS_ACCESS_TOKEN",),
        "tiktok-api": ("TIKTOK_ACCESS_TOKEN",),  # the account holder's user token (Data Portability API)
    }
    for name, variables in readers.items():
        assert platforms.get(name).credentials == variables, name
    assert all(not platforms.get(n).credentials for n in connectors.PLATFORMS if n not in readers)


def test_the_guide_describes_every_field_of_a_spec():
    import dataclasses

    from tests.conftest import REPO

    guide = (REPO / "docs" / "adding-a-platform.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(PlatformSpec):
        assert f"`{field.name}`" in guide, field.name
    assert "auditor.platforms" in guide and "tests/test_platforms.py" in guide
