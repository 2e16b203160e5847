"""Platform connectors: each turns one platform's data into the shared model (`auditor.model`), and nothing else.

A connector knows nothing of checks. It raises `ConnectorError` with a plain-English reason when an account cannot be
read; the runner records that account as ERROR and goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from auditor import platforms
from auditor.model import Account, AccountData
from auditor.net.errors import FetchError

if TYPE_CHECKING:
    from auditor.net.guard import Guard

# The built-in platforms, in the order messages list them. The registry (`auditor.platforms`) is the one list: it may
# hold more, registered by a plug-in or a test.
PLATFORMS = tuple(spec.name for spec in platforms.BUILT_IN)


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


# Factories that stand in for a platform's connector (a benchmark's counted connector, a test's patched one); every
# other platform's connector is built from its spec in `auditor.platforms`.
_FACTORIES: dict[str, Callable[[], Connector]] = {}


def factory(platform: str) -> Callable[[], Connector]:
    """What builds a new connector for the platform, from its spec: the module is imported only now, when an account of
    that platform is about to be fetched, so reading the config or listing checks never loads a connector."""
    spec = platforms.get(platform)
    if spec is None:  # the config accepts only registered platforms, so only a caller's bug gets here
        raise ConnectorError(f"there is no connector for the platform {platform!r}")
    try:
        made = getattr(importlib.import_module(spec.module), spec.connector)
    except (ImportError, AttributeError) as exc:
        raise ConnectorError(
            f"the {spec.display_name} connector could not be loaded ({spec.module}.{spec.connector}: {exc})"
        ) from None
    return cast("Callable[[], Connector]", made)


def get_connector(platform: str) -> Connector:
    """A new connector for one account (connectors keep per-account state, so accounts never share one)."""
    override = _FACTORIES.get(platform)
    return override() if override is not None else factory(platform)()
