"""The error the network layer raises: what went wrong, in plain words a teacher can pass on, never holding a secret.
Light on purpose (no requests), so that anything may import it."""

from __future__ import annotations


class FetchError(Exception):
    """Something could not be read over the network. The message is shown to users: plain words, never a secret.
    Connectors know it as `auditor.connectors.ConnectorError`: an account that could not be read."""

    # What the connector wants kept for the next run although this one could not read the account (a TikTok export
    # requested and not ready yet): the runner stores it as the account's state. None leaves the stored state as it was.
    state: dict[str, object] | None = None
