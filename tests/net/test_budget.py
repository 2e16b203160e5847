"""Shared budgets (auditor/net/budget.py) counted in this process, and spent by the connectors' requests: a spent
budget refuses the request before it is sent, in plain words, and the account is not verified rather than passed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from auditor.connectors import FetchContext
from auditor.connectors.facebook import FacebookConnector
from auditor.connectors.youtube import YouTubeConnector
from auditor.model import Account
from auditor.net import budget
from auditor.net.http import HttpClient, RateLimited


@pytest.fixture(autouse=True)
def no_budgets() -> Iterator[None]:
    budget.configure([])
    yield
    budget.configure([])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_local_bucket_holds_its_amount_and_refills_evenly():
    clock = Clock()
    bucket = budget.LocalBucket(budget.Spec("youtube", 10_000, 86_400.0), clock)
    assert bucket.take(9_999) == 0.0
    assert bucket.take(1) == 0.0
    wait = bucket.take(1)
    assert wait == pytest.approx(8.64)  # one unit every 86400 / 10000 s
    clock.now += 8.64
    assert bucket.take(1) == 0.0
    clock.now += 10 * 86_400  # never more than the amount is held
    assert bucket.take(10_000) == 0.0
    assert bucket.take(1) > 0


def test_spend_waits_what_the_budget_needs_within_max_wait_and_refuses_longer():
    budget.configure([budget.Spec("graph", 2, 2.0)])  # one call a second, two held
    slept: list[float] = []
    budget.spend("graph", max_wait=5, sleep=slept.append)
    budget.spend("graph", max_wait=5, sleep=slept.append)
    assert slept == []
    with pytest.raises(budget.OverBudget, match="the shared graph budget is spent for now") as caught:
        budget.spend("graph", cost=2, max_wait=0.5, sleep=slept.append)
    assert caught.value.wait is not None and 1.5 < caught.value.wait <= 2.0
    with pytest.raises(budget.OverBudget, match="costs more than the whole budget"):
        budget.spend("graph", cost=3, max_wait=3600)
    budget.spend("x", max_wait=0)  # no budget of that name: nothing counted, nothing held up
    budget.spend(None, max_wait=0)


@responses.activate
def test_the_http_client_spends_before_each_request_and_sends_nothing_once_spent():
    budget.configure([budget.Spec("youtube", 3, 86_400.0)])
    url = "https://www.googleapis.com/youtube/v3/channels"
    responses.get(url, json={"items": []})
    client = HttpClient("YouTube", budget="youtube", max_wait=60, sleep=lambda s: None)
    for _ in range(3):
        client.get_json(url)
    with pytest.raises(RateLimited, match=r"YouTube: the shared youtube budget is spent for now .*about 8\.0 h") as e:
        client.get_json(url)
    assert len(responses.calls) == 3 and client.requests_made == 3
    assert "the next run will try again" in str(e.value)


@responses.activate
def test_a_youtube_search_costs_a_hundred_units():
    budget.configure([budget.Spec("youtube", 150, 86_400.0)])
    url = "https://www.googleapis.com/youtube/v3/search"
    responses.get(url, json={"items": []})
    client = HttpClient("YouTube", budget="youtube", max_wait=0, sleep=lambda s: None)
    client.get_json(url, cost=100)
    with pytest.raises(RateLimited):
        client.get_json(url, cost=100)
    assert len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize(
    ("name", "platform", "variable", "connector"),
    [
        ("youtube", "youtube", "YOUTUBE_API_KEY", YouTubeConnector),
        ("graph", "facebook", "META_ACCESS_TOKEN", FacebookConnector),
    ],
)
def test_the_connectors_draw_on_their_apps_budget(monkeypatch, name, platform, variable, connector):
    monkeypatch.setenv(variable, "FakeSecretValue0123456789abcdef")
    budget.configure([budget.Spec(name, 1, 86_400.0)])
    budget.spend(name, max_wait=0)  # another worker spent it
    with pytest.raises(RateLimited, match=f"the shared {name} budget is spent") as caught:
        connector(sleep=lambda s: None).fetch(
            Account(handle="@HistoryIHS", platform=platform, department="History"), FetchContext()
        )
    assert len(responses.calls) == 0  # refused before anything was sent
    assert "FakeSecretValue" not in str(caught.value)


@responses.activate
def test_x_draws_on_the_x_budget(monkeypatch):
    from auditor.connectors.x import XConnector

    monkeypatch.setenv("X_BEARER_TOKEN", "AAAAAAAAAAAAAAAAAAAAAFakeXBearerToken0123456789")
    budget.configure([budget.Spec("x", 1, 900.0)])
    budget.spend("x", max_wait=0)
    with pytest.raises(Exception, match="the shared x budget is spent"):
        XConnector(sleep=lambda s: None).fetch(
            Account(handle="@HistoryIHS", platform="x", department="History"), FetchContext()
        )
    assert len(responses.calls) == 0
