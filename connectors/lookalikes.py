"""Searching a platform's public account search for accounts that look like the school's (impersonation).

Where a platform lets anyone search its accounts, the school's names and each registered handle are searched once per
run and platform, and every account found whose name looks like one of them (`auditor.text.lookalike`) and is not
registered is listed, under the registered account it looks most like, for the monitoring lead to check:

- Mastodon: `GET /api/v2/search?type=accounts` on each server the school's Mastodon accounts are on (public without
  `resolve` or `offset`); accounts of other servers that server knows of are found too.
- Bluesky: `app.bsky.actor.searchActors` on the public AppView.
- YouTube: `search?type=channel` of the YouTube Data API with YOUTUBE_API_KEY; each search costs 100 units of the
  project's 10,000 a day.

Other platforms offer no search the auditor may use, so the check asks a person to search there.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from auditor import platforms
from auditor.connectors import ConnectorError
from auditor.connectors.incremental import credential
from auditor.model import Account
from auditor.net.http import HttpClient
from auditor.text.lookalike import Lookalike, judge

SEARCHABLE = ("mastodon", "bluesky", "youtube")
BLUESKY_SEARCH = "https://public.api.bsky.app/xrpc/app.bsky.actor.searchActors"
YOUTUBE_SEARCH = "https://www.googleapis.com/youtube/v3/search"
YOUTUBE_CHANNELS = "https://www.googleapis.com/youtube/v3/channels"
MAX_TERMS = 12  # searches per platform and run, whatever the config holds
_MASTODON_HANDLE = re.compile(
    r"^@?([A-Za-z0-9_]{1,30})@([A-Za-z0-9](?:[A-Za-z0-9.-]{0,250}[A-Za-z0-9])?\.[A-Za-z]{2,63})$"
)


# A found account: what identifies it on the platform, its handle as shown, its display name and its address.
_Candidate = tuple[str, str, str, str | None]


def school_names(name: str) -> list[str]:
    """The school's names worth searching for: 'Islwyn High School' and 'Islwyn High'."""
    names = [name.strip()]
    for suffix in (" School", " school"):
        if name.strip().endswith(suffix):
            names.append(name.strip()[: -len(suffix)])
    return [n for n in dict.fromkeys(names) if n]


class LookalikeSearch:
    """One per run: each platform is searched once, on first use, and its findings shared out by account."""

    def __init__(
        self,
        accounts: Sequence[Account],
        school_name: str,
        account_tag: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = 30.0,
    ) -> None:
        self.accounts = tuple(accounts)
        self.names = school_names(school_name)
        self.tag = account_tag
        self.sleep, self.max_wait = sleep, max_wait
        self._found: dict[str, list[Lookalike] | ConnectorError] = {}
        self.terms_searched: dict[str, tuple[str, ...]] = {}

    def searchable(self, account: Account) -> bool:
        """Whether the account's platform has a public account search the auditor may use."""
        return account.platform in SEARCHABLE

    def lookalikes(self, account: Account) -> list[Lookalike]:
        """The lookalikes listed under this account; ConnectorError when the platform's search failed."""
        if account.platform not in self._found:
            try:
                self._found[account.platform] = self._search(account.platform)
            except ConnectorError as exc:
                self._found[account.platform] = exc
        found = self._found[account.platform]
        if isinstance(found, ConnectorError):
            raise found
        return [f for f in found if f.resembles.casefold() in {account.handle.casefold(), *self._unassigned(account)}]

    def _unassigned(self, account: Account) -> set[str]:
        """A lookalike of the school rather than of one account is listed under the platform's first account."""
        first = next(a for a in self.accounts if a.platform == account.platform)
        return {n.casefold() for n in self.names} if first.handle.casefold() == account.handle.casefold() else set()

    def _search(self, platform: str) -> list[Lookalike]:
        mine = [a for a in self.accounts if a.platform == platform]
        handles = [a.handle for a in mine]
        terms = list(dict.fromkeys([*self.names, self.tag, *(_bare(h) for h in handles)]))[:MAX_TERMS]
        self.terms_searched[platform] = tuple(terms)
        found: dict[str, Lookalike] = {}
        registered, candidates = self._candidates(platform, mine, terms)
        for key, handle, name, url in candidates:
            if key in registered or key in found:
                continue
            verdict = judge(handle, name, handles, self.names)
            if verdict is not None:
                found[key] = Lookalike(platform, handle, name, url, verdict[0], verdict[1])
        return list(found.values())

    def _candidates(self, platform: str, mine: list[Account], terms: list[str]) -> tuple[set[str], list[_Candidate]]:
        """The registered accounts' keys, and every account the searches found: (key, handle, name, address), the
        key being what tells one account from another on the platform (never its look)."""
        out: list[_Candidate] = []
        registered = {a.handle.strip().lstrip("@").casefold() for a in mine}
        if platform == "bluesky":
            client = self._client("Bluesky")
            for term in terms:
                body = client.get_json(BLUESKY_SEARCH, params={"q": term, "limit": 25})
                for actor in _list(body, "actors"):
                    handle = _str(actor.get("handle"))
                    if handle:
                        url = f"https://bsky.app/profile/{handle}"
                        out.append((handle.casefold(), f"@{handle}", _str(actor.get("displayName")), url))
        elif platform == "mastodon":
            servers = dict.fromkeys(m.group(2).lower() for a in mine if (m := _MASTODON_HANDLE.match(a.handle.strip())))
            if not servers:  # nothing searched is not "nothing found"
                raise ConnectorError(
                    "no Mastodon server to search could be told from the handles (written like @name@server.example)"
                )
            for server in servers:
                client = self._client(f"Mastodon ({server})")
                for term in terms:
                    params = {"q": term, "type": "accounts", "limit": 40, "resolve": "false"}
                    body = client.get_json(f"https://{server}/api/v2/search", params=params)
                    for acct in _list(body, "accounts"):
                        name = _str(acct.get("acct"))
                        if name:
                            full = name if "@" in name else f"{name}@{server}"
                            address = _str(acct.get("url")) or None
                            out.append((full.casefold(), f"@{full}", _str(acct.get("display_name")), address))
        elif platform == "youtube":
            key = credential(platforms.require("youtube"), "search YouTube for lookalike channels")
            client = self._client("YouTube", secrets=(key,))
            # Search gives channels by title and id, not handle: the school's own channels are known by their ids.
            registered = set()
            for account in mine:
                params = {"part": "id", "forHandle": account.handle.strip(), "key": key}
                for item in _list(client.get_json(YOUTUBE_CHANNELS, params=params), "items", missing_ok=True):
                    if _str(item.get("id")):
                        registered.add(_str(item.get("id")))
            for term in terms:
                params = {"part": "snippet", "type": "channel", "q": term, "maxResults": 25, "key": key}
                body = client.get_json(YOUTUBE_SEARCH, params=params, cost=100)
                for item in _list(body, "items"):
                    channel = _str(_dict(item.get("id")).get("channelId"))
                    title = _str(_dict(item.get("snippet")).get("title"))
                    if channel:
                        url = f"https://www.youtube.com/channel/{channel}"
                        out.append((channel, title or channel, title, url))
        return registered, out

    def _client(self, platform: str, secrets: tuple[str, ...] = ()) -> HttpClient:
        shared = "youtube" if platform == "YouTube" else None  # the key's daily quota, shared with the connector
        return HttpClient(platform, secrets=secrets, sleep=self.sleep, max_wait=self.max_wait, budget=shared)


def _bare(handle: str) -> str:
    return handle.strip().lstrip("@").split("@")[0]


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(body: object, key: str, *, missing_ok: bool = False) -> list[dict[str, Any]]:
    items = _dict(body).get(key)
    if items is None and missing_ok:  # YouTube leaves out `items` when nothing matches
        return []
    if not isinstance(items, list):
        raise ConnectorError(f"the account search answered without its '{key}' list; the service may have changed")
    return [i for i in items if isinstance(i, dict)]


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
