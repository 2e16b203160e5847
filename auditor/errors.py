"""Errors the command line turns into exit statuses, kept light so that naming them loads nothing of what raises them
(the store's SQLite, the runner's network stack)."""

from __future__ import annotations


class StoreError(Exception):
    """The history database cannot be used; the message says why in plain words and what to do about it."""


class WorkersUnavailable(Exception):
    """Accounts cannot be handed to workers ([workers] broker unreachable, its password unset); the message says what
    to do."""
