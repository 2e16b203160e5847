"""What a check is handed (auditor/checks/context.py): the policy settings checks read, never the config; what the
account's data holds, never the platform's name; only the data the check declared it needs; and photos looked at by
the FaceDetector service, never opened by a check."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

import auditor.checks as checks_mod
import auditor.runner as runner
from auditor.checks import ALL_DATA, CHECK_MODULES, Check, CheckContext, DataSource, all_checks, check
from auditor.checks.comments import inappropriate
from auditor.model import AccountData, Comment, Media, Post, Profile, Result, Severity, Status
from auditor.services import Services
from auditor.settings import Config
from auditor.store import Store
from tests.conftest import NOW, REPO, context

CHECKS = REPO / "auditor" / "checks"


def _check_sources() -> list[Path]:
    return [CHECKS / "__init__.py", CHECKS / "context.py", *(CHECKS / f"{name}.py" for name in CHECK_MODULES)]


# A check cannot see the config


def test_no_check_imports_or_names_the_config():
    found = []
    for path in _check_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("auditor.config", "auditor.settings"):
                found.append(f"{path.name}: from {node.module} import ...")
            elif isinstance(node, ast.Import) and any(
                a.name in ("auditor.config", "auditor.settings") for a in node.names
            ):
                found.append(f"{path.name}: import {node.names[0].name}")
            elif isinstance(node, ast.Name) and node.id == "Config":
                found.append(f"{path.name}:{node.lineno}: Config")
            elif isinstance(node, ast.Attribute) and node.attr == "config":
                found.append(f"{path.name}:{node.lineno}: .config")
    assert found == []


def test_no_check_branches_on_the_platform():
    # What the data holds comes in the context (`ctx.source`); a check never asks which platform it is on.
    found = []
    for name in CHECK_MODULES:
        path = CHECKS / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "platform":
                found.append(f"{path.name}:{node.lineno}: .platform")
            if isinstance(node, ast.ImportFrom) and (
                node.module == "auditor.platforms" or "platforms" in [a.name for a in node.names]
            ):
                found.append(f"{path.name}: imports the platform registry")
    assert found == []


def _reachable(value: object, seen: set[int] | None = None) -> Iterator[object]:
    """Every object reachable from `value` through dataclass fields, attributes and containers."""
    seen = set() if seen is None else seen
    if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None), Path)):
        return
    seen.add(id(value))
    yield value
    children: list[object] = []
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        children = list(vars(value).values())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        children = [getattr(value, f.name) for f in dataclasses.fields(value)]
    for child in children:
        yield from _reachable(child, seen)


@pytest.fixture
def toy_checks():
    """Register checks for one test and take them out again, so the real registry is as it was."""
    added: list[str] = []

    def register(func, **metadata):
        metadata.setdefault("clause", "SMP-2.4")
        metadata.setdefault("severity", Severity.LOW)
        metadata.setdefault("title", f"Toy check {func.__name__}")
        metadata.setdefault("failure_title", f"Toy check {func.__name__} failed")
        metadata.setdefault("remediation", ("Nothing to do: a test's check.",))
        check(**metadata)(func)
        check_id = f"{func.__module__.rpartition('.')[2]}.{func.__name__}"
        added.append(check_id)
        return check_id

    yield register
    for check_id in added:
        checks_mod._REGISTRY.pop(check_id, None)
    assert not any(c.startswith("test_context.") for c in all_checks())


class Connector:
    """Stands in for a platform: one post with a photo (known only by its address), a link and a comment."""

    def __init__(self, photo: Path | None = None) -> None:
        self.photo = photo
        self.contexts: list[object] = []

    def fetch(self, account, ctx):
        self.contexts.append(ctx)
        media = Media("m1", "photo", url="https://pbs.example/m1.jpg", local_path=self.photo)
        post = Post(
            "1",
            "Sports day, results at https://www.islwynhigh.co.uk/sport",
            NOW,
            "https://x.com/HistoryIHS/status/1",
            media=(media,),
            comments=(Comment("c1", "Well done all!", "@parent", NOW),),
        )
        profile = Profile("HistoryIHS", "History at IHS", "Our history department", url="https://x.com/HistoryIHS")
        return AccountData(profile, [post], complete=True, settings={"who_can_comment": "everyone"})


def _run(config, tmp_path, check_ids, **kwargs):
    store = Store(tmp_path / "history.sqlite3")
    try:
        return runner.run_audit(config, config.accounts, store, check_ids=check_ids, now=NOW, **kwargs)
    finally:
        store.close()


def test_a_check_run_by_the_runner_cannot_reach_the_config(school_config, tmp_path, monkeypatch, toy_checks):
    seen: list[CheckContext] = []

    def spy(ctx: CheckContext) -> Iterator[Result]:
        seen.append(ctx)
        yield Result(Status.PASS, "looked")

    spy_id = toy_checks(spy)
    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector())
    result = _run(school_config, tmp_path, [spy_id], offline=True)
    assert [f.status for f in result.findings] == [Status.PASS]
    [ctx] = seen
    assert not hasattr(ctx, "config")
    reached = list(_reachable(ctx))
    assert len(reached) > 10  # the walk did go through the context: account, settings, data, services
    assert not [type(o).__name__ for o in reached if isinstance(o, Config)]
    # The policy settings it reads are there, as the config gave them.
    assert (ctx.settings.school_name, ctx.settings.aup_url, ctx.settings.email_domain) == (
        school_config.school.name,
        school_config.school.aup_url,
        school_config.school.email_domain,
    )
    assert ctx.source == DataSource("X (archive)", "X", comments_read=False)


def test_the_settings_hold_the_policy_settings_and_nothing_else(school_config):
    settings = runner.check_settings(
        dataclasses.replace(school_config, school_contacts=("01495 200000",), photo_consent_confirmed=frozenset({"77"}))
    )
    assert settings.school_contacts == ("01495 200000",) and settings.photo_consent_confirmed == {"77"}
    assert settings.monitoring_lead == "Heather Davies" and settings.account_tag == "IHS"
    names = {f.name for f in dataclasses.fields(settings)}
    # No paths, secrets, email, schedule, store or roster file: what a check has no business reading.
    assert not names & {"path", "roster", "email", "schedule", "output", "logging", "waivers", "accounts", "links"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.aup_url = "https://example.org"  # type: ignore[misc]


# What the data holds, not which platform


def test_what_the_data_holds_comes_from_the_platform_registry():
    assert runner.data_source("x-archive") == DataSource("X (archive)", "X", comments_read=False)
    assert runner.data_source("facebook") == DataSource("Facebook", "Facebook", comments_read=True)
    assert runner.data_source("no-such-platform").comments_read  # an unknown platform is taken to read comments


def test_the_comments_check_reads_what_the_data_holds_not_the_platform(school_config):
    # The account says Facebook, whose data holds comments; the data source says otherwise, and the check believes it.
    ctx = context(school_config, Profile("HistoryIHS"), [Post("1", "Hello")], platform="facebook")
    assert [r.status for r in inappropriate(ctx)] == [Status.PASS]
    blind = dataclasses.replace(ctx, source=DataSource("Toy feed", "Toy", comments_read=False))
    [r] = inappropriate(blind)
    assert r.status is Status.MANUAL
    assert "read from (Toy feed)" in r.reason and "recent posts on Toy." in r.reason


# Each check sees only the data it declared


def _full_data(photo: Path) -> AccountData:
    return Connector(photo).fetch(None, None)


def test_a_toy_check_sees_only_the_data_it_declares(school_config, toy_checks, tmp_path):
    seen: dict[str, AccountData] = {}

    def profile_only(ctx):
        seen["profile_only"] = ctx.data
        return []

    def posts_only(ctx):
        seen["posts_only"] = ctx.data
        return []

    def posts_and_photos(ctx):
        seen["posts_and_photos"] = ctx.data
        return []

    def undeclared(ctx):
        seen["undeclared"] = ctx.data
        return []

    ids = [
        toy_checks(profile_only, needs=("profile",)),
        toy_checks(posts_only, needs=("posts",)),
        toy_checks(posts_and_photos, needs=("posts", "photos")),
        toy_checks(undeclared),
    ]
    checks = all_checks()
    assert [checks[i].needs for i in ids] == [{"profile"}, {"posts"}, {"posts", "photos"}, ALL_DATA]
    full = _full_data(tmp_path / "m1.jpg")
    ctx = dataclasses.replace(context(school_config), data=full)
    for check_id in ids:
        checks[check_id].run(ctx)

    profile = seen["profile_only"]
    assert profile.posts == [] and profile.settings == {}
    assert profile.profile == full.profile  # the whole About page

    posts = seen["posts_only"]
    [post] = posts.posts
    assert post.text == full.posts[0].text and post.comments == ()  # no comments, not declared
    assert post.media[0].local_path is None and post.media[0].url == "https://pbs.example/m1.jpg"  # no file
    # Only what identifies the account is left of the profile.
    assert posts.profile == Profile("HistoryIHS", url="https://x.com/HistoryIHS")

    [post] = seen["posts_and_photos"].posts
    assert post.media[0].local_path == tmp_path / "m1.jpg" and post.comments == ()

    assert seen["undeclared"] is full  # a check that declares nothing is given everything, as before
    assert full.posts[0].comments and full.posts[0].media[0].local_path  # the run's own data is untouched


def test_checks_with_the_same_needs_share_one_view(school_config, tmp_path):
    ctx = dataclasses.replace(context(school_config), data=_full_data(tmp_path / "m1.jpg"))
    needs = frozenset({"posts"})
    assert ctx.seeing(needs) is ctx.seeing(needs)
    assert ctx.seeing(ALL_DATA) is ctx
    assert context(school_config).seeing(needs).data is None  # nothing was read: nothing to narrow


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"needs": ("posts", "videos")}, "unknown data"),
        ({"needs": ("comments",)}, "needs posts too"),
        ({"needs": ("photos", "profile")}, "needs posts too"),
        ({"needs": ("profile",), "needs_data": False}, "needs no data"),
    ],
)
def test_a_check_that_declares_its_needs_wrongly_is_refused(toy_checks, metadata, message):
    def wrong(ctx):
        return []

    with pytest.raises(ValueError, match=message):
        toy_checks(wrong, **metadata)


def test_every_built_in_check_declares_what_it_reads():
    needs = {check_id: c.needs for check_id, c in all_checks().items()}
    assert all(n != ALL_DATA for n in needs.values()), "a built-in check should declare its needs"
    assert needs["naming.ihs_in_username"] == {"profile"}
    assert needs["comments.inappropriate"] == {"posts", "comments"}
    assert needs["safeguarding.child_photo_consent"] == {"posts", "photos"}
    assert needs["registry.notified"] == frozenset() and not all_checks()["registry.notified"].needs_data
    # Only the photo checks look at photos: a run without them downloads none.
    assert {c for c, n in needs.items() if "photos" in n} == {
        "safeguarding.child_photo_consent",
        "photos.no_location",
        "photos.sensible_resolution",
    }


# The runner fetches what the selected checks need


@pytest.mark.parametrize(
    ("check_ids", "downloads"),
    [
        (["naming.ihs_in_username"], False),
        (["content.professional", "comments.inappropriate"], False),
        (["safeguarding.child_photo_consent"], True),
        (None, True),  # every check
    ],
)
def test_photos_are_downloaded_only_for_a_run_whose_checks_look_at_them(
    school_config, tmp_path, monkeypatch, check_ids, downloads
):
    connector = Connector()
    downloaded: list[str] = []

    def download(data, ctx, guard):
        downloaded.append(data.profile.username)
        return data

    class NoFaces:
        def count_faces(self, path, media_type):
            raise AssertionError("no photo was downloaded, so none is examined")

    monkeypatch.setattr(runner, "get_connector", lambda platform: connector)
    monkeypatch.setattr(runner, "download_photos", download)
    monkeypatch.setattr(runner, "build_services", lambda config, **kw: Services(faces=NoFaces()))
    result = _run(school_config, tmp_path, check_ids, offline=False)
    assert result.outcomes[0].status == "ok"
    assert downloaded == (["HistoryIHS"] if downloads else [])
    assert [c.photo_guard is not None for c in connector.contexts] == [downloads]
    assert runner.data_needed(result.checks.values()) >= ({"photos"} if downloads else set())


def test_the_comment_sweep_needs_no_photos():
    sweep = [all_checks()["comments.inappropriate"]]
    assert runner.data_needed(sweep) == {"posts", "comments"}
    assert runner.data_needed([]) == frozenset()


# Faces come through the FaceDetector service


def test_a_whole_run_counts_faces_through_the_runs_face_service(school_config, tmp_path, monkeypatch):
    photo = tmp_path / "m1.jpg"  # never created: only the service is given its path, and the service is a stand-in
    asked: list[tuple[Path, str]] = []

    class Faces:
        def count_faces(self, path: Path, media_type: str) -> int:
            asked.append((path, media_type))
            return 3

    monkeypatch.setattr(runner, "get_connector", lambda platform: Connector(photo))
    monkeypatch.setattr(runner, "build_services", lambda config, **kw: Services(faces=Faces()))
    result = _run(school_config, tmp_path, ["safeguarding.child_photo_consent"], offline=True)
    assert asked == [(photo, "photo")]
    [finding] = result.findings
    assert finding.status is Status.FAIL and "3 faces" in finding.reason


def test_checks_cannot_swap_the_services_they_are_handed(school_config):
    ctx = context(school_config)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.services.roster = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.settings = None  # type: ignore[misc]


def test_a_check_built_by_hand_still_gets_everything():
    # Check objects made directly (as a few tests do) keep the old meaning: all the data.
    made = Check("naming.x", "SMP-2.1", Severity.LOW, "t", ("s",), lambda ctx: [], failure_title="f")
    assert made.needs == ALL_DATA and made.needs_data
