"""Where log lines go: stderr (cron mails it, journald keeps it) or a file that rotates by size ([logging] in config).

Only one process writes a log file: the scheduler's runs set AUDITOR_LOG_STDERR, log to stderr, and the scheduler
passes their lines on, so two processes never rotate the same file.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from auditor.settings import Logging, PathProblems

LOG_STDERR_ENV = "AUDITOR_LOG_STDERR"
STDERR_FORMAT = "auditor: %(levelname)s: %(message)s"
TIMED_FORMAT = "%(asctime)s auditor[%(process)d]: %(levelname)s: %(message)s"
_OURS = "_auditor_handler"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


def configure(settings: Logging, *, verbose: int = 0, default_level: str = "warning", timed: bool = False) -> None:
    """Replace the root handlers. `-v` lowers the level below the configured one; never raises it.

    `default_level` applies when the config names none (a one-off `auditor run` is quiet, the scheduler reports every
    start and end); `timed` adds timestamps on stderr, for long-running processes.
    """
    level = _LEVELS[settings.level or default_level]
    if verbose:
        level = min(level, (logging.INFO, logging.DEBUG)[min(verbose, 2) - 1])
    handler: logging.Handler
    if settings.file is not None and not os.environ.get(LOG_STDERR_ENV):
        handler = _file_handler(settings.file, settings)
        handler.setFormatter(logging.Formatter(TIMED_FORMAT))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(TIMED_FORMAT if timed else STDERR_FORMAT))
    root = logging.getLogger()
    # Only handlers this module added are replaced: others (a test runner's capture) are not ours to close.
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
        old.close()
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    root.setLevel(level)
    # APScheduler's own INFO lines ("Added job", "Running job") repeat what the scheduler logs in plain words.
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))
    # SQLAlchemy logs every statement with its values at INFO (findings quote posts and name pupils), and Alembic each
    # revision it applies, which the store logs in plain words: warnings only, at any level asked for.
    for name in ("sqlalchemy", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _file_handler(file: Path, settings: Logging) -> logging.Handler:
    """The rotating log file; one that cannot be opened is reported with the path and the fix, not as a bug."""
    import logging.handlers  # only here: it loads the socket layer, which commands logging to stderr do not need

    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        return logging.handlers.RotatingFileHandler(
            file, maxBytes=settings.max_bytes, backupCount=settings.backups, encoding="utf-8"
        )
    except OSError as exc:
        raise PathProblems(
            [
                f"{file}: [logging] file: the log file cannot be opened ({exc.strerror}); let the user that "
                "runs auditor write it and its folder, or change [logging] file (leave it out to log to stderr)"
            ]
        ) from None
