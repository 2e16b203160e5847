"""The Instagram connector's second route, Instagram Login (graph.instagram.com), replayed with `responses`.

The fixtures follow Meta's Instagram Platform documentation for "Instagram API with Instagram Login": the IG User
reference (host graph.instagram.com, `GET /me?fields=user_id,username,...` answered with the app-scoped `id` and the
professional account's `user_id`), the IG Media edge (`/{ig-user-id}/media` with `caption`, `media_type`, `media_url`,
`permalink`, `timestamp`, `children`) and the IG Comment fields (`id`, `text`, `username`, `timestamp`, `replies`),
paged by `paging.cursors` and `paging.next`. Errors follow Graph's `{"error": {"message", "type", "code"}}`. Ids, names
and texts are our own.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from auditor import config as config_mod
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.instagram import InstagramConnector
from auditor.model import Account
from auditor.net.http import AuthFailed
from tests.conftest import write_config

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
TOKEN = "IGAAFakeInstagramUserToken0123456789"
PAGE_TOKEN = "EAAGFakePageTokenThatMustNotBeUsed00"
API = "https://graph.instagram.com/v26.0"
IG = "17841400000000007"
ACCOUNT = Account(
    handle="@historyihs", platform="instagram", department="History", options={"route": "instagram-login"}
)


def when(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+0000")


ME = {
    "id": "9912345678901234",  # the id scoped to the app
    "user_id": IG,
    "username": "historyihs",
    "name": "History at Islwyn High",
    "biography": "AUP: https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
    "website": "https://www.islwynhigh.co.uk/",
}
MEDIA = {
    "data": [
        {
            "id": "18100000000000002",
            "caption": "Museum visit https://museum.example/visit",
            "media_type": "IMAGE",
            "media_url": "https://scontent.cdninstagram.com/2.jpg",
            "permalink": "https://www.instagram.com/p/AbC2/",
            "timestamp": when(1),
            "comments": {
                "data": [
                    {
                        "id": "17950000000000001",
                        "text": "you lot are useless",
                        "username": "angryperson",
                        "timestamp": when(0.5),
                        "replies": {
                            "data": [
                                {
                                    "id": "17950000000000002",
                                    "text": "Please contact the school office.",
                                    "username": "historyihs",
                                    "timestamp": when(0.4),
                                }
                            ]
                        },
                    }
                ],
                "paging": {"cursors": {"before": "QVFIa", "after": "QVFIb"}},
            },
        }
    ],
    "paging": {"cursors": {"before": "QVFIc", "after": "QVFId"}},
}


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv("INSTAGRAM_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("META_ACCESS_TOKEN", PAGE_TOKEN)
    monkeypatch.delenv("META_GRAPH_VERSION", raising=False)
    return TOKEN


def fetch(ctx: FetchContext | None = None, account: Account = ACCOUNT):
    slept: list[float] = []
    ig = InstagramConnector(sleep=slept.append, now=lambda: NOW)
    return ig.fetch(account, ctx or FetchContext()), ig


@responses.activate
def test_instagram_login_reads_the_tokens_own_account_without_a_page(token):
    responses.get(f"{API}/me", json=ME)
    responses.get(f"{API}/{IG}/media", json=MEDIA)
    data, ig = fetch()
    assert (data.profile.username, data.profile.display_name) == ("historyihs", "History at Islwyn High")
    assert data.profile.website is not None and data.profile.website.url == "https://www.islwynhigh.co.uk/"
    (post,) = data.posts
    assert [link.url for link in post.links] == ["https://museum.example/visit"]
    assert [(c.id, c.author) for c in post.comments] == [("17950000000000001", "angryperson")]
    assert ig.requests_made == 2
    first = parse_qs(urlsplit(responses.calls[0].request.url).query)
    assert "user_id" in first["fields"][0].split(",")
    # Only the Instagram user token is sent, in the header, and only to graph.instagram.com: never the Page token.
    assert all(urlsplit(c.request.url).hostname == "graph.instagram.com" for c in responses.calls)
    assert all(c.request.headers["Authorization"] == f"Bearer {TOKEN}" for c in responses.calls)
    assert all(TOKEN not in c.request.url for c in responses.calls)


@responses.activate
def test_a_next_page_on_another_host_is_not_sent_the_token(token):
    responses.get(f"{API}/me", json=ME)
    page = {**MEDIA, "paging": {"next": f"https://graph.facebook.com/v26.0/{IG}/media?after=X&access_token={TOKEN}"}}
    responses.get(f"{API}/{IG}/media", json=page)
    data, ig = fetch()
    assert len(data.posts) == 1 and ig.requests_made == 2


@responses.activate
def test_the_token_of_another_account_is_refused(token):
    responses.get(f"{API}/me", json={**ME, "username": "someoneelse"})
    with pytest.raises(ConnectorError, match="is @someoneelse, not the registered @historyihs; set INSTAGRAM_ACCESS"):
        fetch()


@responses.activate
def test_expired_token_names_the_instagram_variable(token):
    body = {"error": {"message": "Error validating access token", "type": "OAuthException", "code": 190}}
    responses.get(f"{API}/me", status=400, json=body)
    with pytest.raises(AuthFailed, match="INSTAGRAM_ACCESS_TOKEN to an Instagram user access token") as info:
        fetch()
    assert TOKEN not in str(info.value) and "META_ACCESS_TOKEN" not in str(info.value)


@responses.activate
def test_missing_comment_permission(token):
    responses.get(f"{API}/me", json=ME)
    body = {
        "error": {
            "message": "(#10) Application does not have permission for this action",
            "type": "OAuthException",
            "code": 10,
        }
    }
    responses.get(f"{API}/{IG}/media", status=400, json=body)
    with pytest.raises(AuthFailed, match="lacks a permission this needs"):
        fetch()


def test_missing_token(monkeypatch):
    monkeypatch.delenv("INSTAGRAM_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("META_ACCESS_TOKEN", PAGE_TOKEN)
    with pytest.raises(ConnectorError, match=r"^set INSTAGRAM_ACCESS_TOKEN"):
        fetch()


@responses.activate
def test_me_without_an_id_is_an_unexpected_shape(token):
    responses.get(f"{API}/me", json={"username": "historyihs"})
    with pytest.raises(ConnectorError, match="unexpected shape"):
        fetch()


def test_the_route_is_a_checked_option_in_the_config(tmp_path):
    base = '[[accounts]]\nhandle = "@historyihs"\nplatform = "instagram"\ndepartment = "History"\n'
    [account] = config_mod.load(write_config(tmp_path, base + 'route = "instagram-login"\n')).accounts
    assert account.options == {"route": "instagram-login"}
    with pytest.raises(config_mod.ConfigError) as info:
        config_mod.load(write_config(tmp_path, base + 'route = "instagram"\n'))
    assert "].route: expected how the account is read: one of 'facebook-login', 'instagram-login'" in str(info.value)
    other = '[[accounts]]\nhandle = "@HistoryIHS"\nplatform = "x"\ndepartment = "History"\nroute = "instagram-login"\n'
    with pytest.raises(config_mod.ConfigError, match="only instagram accounts have a route"):
        config_mod.load(write_config(tmp_path, other))
