"""`auditor worker` for the tests, in a process of its own. With AUDITOR_TEST_STUCK set to a handle, the X archive
connector never finishes reading that account (it sleeps), so a test can kill the process reading it."""

from __future__ import annotations

import os
import sys
import time

from auditor import cli
from auditor.connectors import x_archive

STUCK = os.environ.get("AUDITOR_TEST_STUCK")

if STUCK:
    _fetch = x_archive.XArchiveConnector.fetch

    def _stuck(self: x_archive.XArchiveConnector, account: object, ctx: object) -> object:
        if getattr(account, "handle", None) == STUCK:
            time.sleep(600)
        return _fetch(self, account, ctx)  # type: ignore[arg-type]

    x_archive.XArchiveConnector.fetch = _stuck  # type: ignore[assignment,method-assign]

if __name__ == "__main__":
    sys.exit(cli.main(["worker", *sys.argv[1:]]))
