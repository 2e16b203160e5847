"""Property-based tests: whatever the input, the parsers answer with a result or their own clear error, never a crash,
and names from outside never become paths outside the output folder."""

from __future__ import annotations

import contextlib
import json
import re
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor import config as config_mod
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.x_archive import XArchiveConnector
from auditor.model import Account
from auditor.reports.paths import inside, safe_name, unique_names
from auditor.urls import comparable, find_urls, host_of

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# TOML-looking text: keys the loader knows, plausible and hostile values, table headers, and noise.
_KEYS = [
    "name",
    "aup_url",
    "email_domain",
    "handle",
    "platform",
    "department",
    "owner",
    "notified",
    "credentials_shared",
    "source",
    "exempt",
    "head_email",
    "dir",
    "store",
    "timezone",
    "audit",
    "x",
]
_VALUES = st.one_of(
    st.sampled_from(
        [
            '"IHS"',
            '"x-archive"',
            "true",
            "2024-09-02",
            '"https://a.example/aup"',
            "[]",
            "{}",
            "1",
            '"@HistoryIHS"',
            '"a@b.example"',
            '[{check = "x", reason = "y"}]',
            '"Europe/London"',
        ]
    ),
    st.text(max_size=12).map(json.dumps),
    st.integers().map(str),
)
_LINES = st.one_of(
    st.sampled_from(["[school]", "[[accounts]]", "[departments.History]", "[output]", "[schedule]", "[email]", ""]),
    st.tuples(st.sampled_from(_KEYS), _VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    st.text(alphabet=string.printable, max_size=20),
)


@FAST
@given(st.lists(_LINES, max_size=25))
def test_config_loader_never_crashes(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            cfg = config_mod.load(path)
        except config_mod.ConfigError as exc:
            assert exc.problems and all(str(path) in p for p in exc.problems)
        else:
            assert cfg.accounts and cfg.school.aup_url


@FAST
@given(st.binary(max_size=300))
def test_config_loader_survives_arbitrary_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_bytes(data)
        with contextlib.suppress(config_mod.ConfigError):
            config_mod.load(path)


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20,
)
_TWEET = st.fixed_dictionaries(
    {
        "tweet": st.fixed_dictionaries(
            {},
            optional={
                "id_str": st.one_of(st.from_regex(r"\d{1,19}", fullmatch=True), _JSON),
                "full_text": st.one_of(st.text(max_size=40), _JSON),
                "created_at": st.one_of(st.just("Tue Jun 18 12:02:00 +0000 2019"), st.text(max_size=30)),
                "entities": _JSON,
                "extended_entities": _JSON,
                "in_reply_to_status_id_str": _JSON,
            },
        )
    }
)


def _archive(folder: Path, tweets_js: str) -> Account:
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"username": "HistoryIHS"}}]', encoding="utf-8"
    )
    (data / "profile.js").write_text(
        'window.YTD.profile.part0 = [{"profile": {"description": {"bio": "", "website": ""}}}]', encoding="utf-8"
    )
    (data / "tweets.js").write_text(tweets_js, encoding="utf-8")
    return Account(handle="@HistoryIHS", platform="x-archive", department="History", source=folder)


def _fetch(account: Account) -> None:
    ctx = FetchContext()
    try:
        data = XArchiveConnector().fetch(account, ctx)
        assert all(p.url and p.url.startswith("https://x.com/HistoryIHS/status/") for p in data.posts)
    except ConnectorError as exc:
        assert str(exc)
    finally:
        ctx.cleanup()


@FAST
@given(st.lists(st.one_of(_TWEET, _JSON), max_size=5))
def test_archive_parser_answers_or_refuses_clearly(entries: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _fetch(_archive(Path(folder), "window.YTD.tweets.part0 = " + json.dumps(entries)))


@FAST
@given(st.text(max_size=200))
def test_archive_parser_survives_any_tweets_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _fetch(_archive(Path(folder), text))


@FAST
@given(st.text(max_size=60))
def test_safe_names_stay_inside_the_output_folder(name: str) -> None:
    stem = safe_name(name)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", stem)
    with tempfile.TemporaryDirectory() as folder:
        target = inside(Path(folder), "accounts", f"{stem}.html")
        assert Path(folder).resolve() in target.parents


@FAST
@given(st.lists(st.text(max_size=20), max_size=8))
def test_unique_names_never_collide(names: list[str]) -> None:
    mapping = unique_names(((str(i), n) for i, n in enumerate(names)), "account")
    assert len({v.lower() for v in mapping.values()}) == len(names)


@FAST
@given(st.text(max_size=120))
def test_url_helpers_never_crash(text: str) -> None:
    for url in find_urls(text):
        assert url
        host_of(url)
        comparable(url)
    comparable(text)
    host_of(text)
