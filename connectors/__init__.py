"""Platform connectors: each turns one platform's data into the shared model (`auditor.model`), and nothing else.

A connector knows nothing of checks. It raises `ConnectorError` with a plain-English reason when an account cannot be
read; the runner records that account as ERROR and goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from auditor.model import Account, AccountData
from auditor.net.errors import FetchError

if TYPE_CHECKING:
    from auditor.net.guard import Guard

# The platforms a config may name, in the order messages list them; each has a factory in _FACTORIES below.
PLATFORMS = ("x", "x-archive", "facebook", "instagram", "youtube", "mastodon", "bluesky", "feed")


# An account could not be read: the network layer's error under the name connectors and the runner use. The message
# is shown to users: plain words, never a secret.
ConnectorError = FetchError


@dataclass
class FetchContext:
    """What a connector is given besides the account: options of this run and a scratch folder it may use.

    The scratch folder is deleted when the run has finished with the account, so a connector that extracts files (an
    archive's photos) never leaves them behind and never writes anywhere else.
    """

    since: dt.date | None = None
    offline: bool = False
    # What this connector saved for the account at the end of its last successful run (`AccountData.state`), so a
    # nightly run fetches only what is new: e.g. the newest post id and the recent posts whose comments are watched.
    state: Mapping[str, Any] = field(default_factory=dict)
    # Comments are re-read on posts no older than this (SMP-2.6: abuse can arrive on an old post).
    comment_window: dt.timedelta = dt.timedelta(days=14)
    # Only comments, for the frequent comment sweep: the connector may skip profile and new posts it does not need.
    comments_only: bool = False
    # Where set, photos the connector gives only as addresses are downloaded through this SSRF guard after the fetch
    # (connectors/media.py), so the photo checks can look at them.
    photo_guard: Guard | None = None
    _scratch: Path | None = field(default=None, repr=False)

    def scratch(self) -> Path:
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="auditor-"))
        return self._scratch

    def cleanup(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


class Connector(Protocol):
    def fetch(self, account: Account, ctx: FetchContext) -> AccountData: ...


def _x_archive() -> Connector:
    from connectors.x_archive import XArchiveConnector

    return XArchiveConnector()


def _x() -> Connector:
    from connectors.x import XConnector

    return XConnector()


def _youtube() -> Connector:
    from connectors.youtube import YouTubeConnector

    return YouTubeConnector()


def _mastodon() -> Connector:
    from connectors.mastodon import MastodonConnector

    return MastodonConnector()


def _bluesky() -> Connector:
    from connectors.bluesky import BlueskyConnector

    return BlueskyConnector()


def _feed() -> Connector:
    from connectors.feed import FeedConnector

    return FeedConnector()


def _facebook() -> Connector:
    from connectors.facebook import FacebookConnector

    return FacebookConnector()


def _instagram() -> Connector:
    from connectors.instagram import InstagramConnector

    return InstagramConnector()


_FACTORIES: dict[str, Callable[[], Connector]] = {
    "x-archive": _x_archive,
    "x": _x,
    "facebook": _facebook,
    "instagram": _instagram,
    "youtube": _youtube,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "feed": _feed,
}


def get_connector(platform: str) -> Connector:
    """A new connector for one account (connectors keep per-account state, so accounts never share one)."""
    factory = _FACTORIES.get(platform)
    if factory is None:  # the config accepts only PLATFORMS, so only a caller's bug gets here
        raise ConnectorError(f"there is no connector for the platform {platform!r}")
    return factory()
