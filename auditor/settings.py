"""The settings a run works with, as typed, frozen values: what `config.toml` says once the loader (`auditor.config`)
has read and checked it. This module is a leaf: it imports nothing heavy and nothing of the project above the model,
so checks, reports, the scheduler and the network layer can all depend on it without depending on each other."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from auditor.links.settings import LinkSettings
from auditor.storeurl import StoreTarget

if TYPE_CHECKING:  # annotations only: the waivers module reads TOML, which listing the checks does not need
    from auditor.model import Account
    from auditor.waivers import Waiver

_T = TypeVar("_T")


class ConfigError(Exception):
    """The config cannot be used. `problems` holds one line per problem, each naming file, line and key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class PathProblems(Exception):
    """Files or folders the config names cannot be used (auditor/preflight.py): one line per path in `problems`,
    each with the path, the key that names it and how to fix it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# The report languages: English, Welsh, and both (Welsh first).
LANGUAGES = ("en", "cy", "en+cy")
LOG_LEVELS = ("debug", "info", "warning", "error")
# The sections a config file may have, in the order the loader reads them.
SECTIONS = (
    "school", "departments", "accounts", "output", "safeguarding", "email", "schedule", "links", "logging",
    "connectors", "waivers", "workers",
)  # fmt: skip
# What the config's own keys default to where the setting is a path: relative to the config file's folder.
DEFAULT_REPORTS_DIR = "audit-reports"
DEFAULT_STORE = "auditor.sqlite3"
DEFAULT_BLOCKLISTS = "data/blocklists"
DEFAULT_LINK_CACHE = "links-cache.sqlite3"
# A [links] blocked_categories name: a UT1 folder name or one of its friendly aliases.
CATEGORY_NAME = r"[a-z0-9_-]{1,40}"


def bounded(default: _T, lo: float, hi: float) -> _T:
    """A setting's default and the range the config may set it in, written once, on the field: the loader
    (auditor/config_schema.py) and the fast read of `auditor status` both read them from here (`limits`)."""
    value: _T = field(default=default, metadata={"range": (lo, hi)})
    return value


def limits(settings: type, name: str) -> tuple[Any, float, float]:
    """The default, lowest and highest value of a `bounded` field of a settings class."""
    for item in fields(settings):
        if item.name == name:
            lo, hi = item.metadata["range"]
            return item.default, lo, hi
    raise KeyError(f"{settings.__name__} has no bounded setting {name!r}")


@dataclass(frozen=True, kw_only=True)
class School:
    name: str
    aup_url: str
    email_domain: str
    account_tag: str = "IHS"
    website: str | None = None
    monitoring_lead: str = "the safeguarding and monitoring lead"
    # Who receives urgent alerts besides SLT and the department's head: the monitoring lead (SMP-2.2) and the
    # Designated Safeguarding Lead, who must hear of a pupil named or pictured without consent the same day.
    monitoring_lead_email: str | None = None
    safeguarding_lead_email: str | None = None
    # The language of the reports and emails: "en", "cy" (Welsh) or "en+cy" (bilingual, Welsh first, as the Welsh
    # Language Standards ask of a public body in Wales).
    language: str = "en"

    @property
    def alert_recipients(self) -> tuple[str, ...]:
        return tuple(a for a in (self.monitoring_lead_email, self.safeguarding_lead_email) if a)


@dataclass(frozen=True, kw_only=True)
class Department:
    name: str
    head_email: str | None = None


@dataclass(frozen=True, kw_only=True)
class Output:
    dir: Path
    # The history: a SQLite file, or a PostgreSQL server (`str()` of it never shows the password).
    store: StoreTarget
    keep_days: int | None = bounded(
        None, 1, 36500
    )  # prune runs and dated report folders older than this; None keeps everything
    # Where the school shares `dir` for readers (an intranet address): emails then link each account and department
    # name to its page there. None: names in emails are plain text, since the pages are not in the email.
    public_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Email:
    host: str
    port: int = bounded(587, 1, 65535)
    sender: str
    starttls: bool = True
    username: str | None = None
    password_env: str = "SMTP_PASSWORD"  # noqa: S105 - the name of a variable, not a secret
    slt: tuple[str, ...] = ()
    ssl: bool = False  # implicit TLS (usually port 465) instead of STARTTLS
    send_when_unchanged: bool = False
    retries: int = bounded(3, 0, 10)  # further attempts after a failed delivery
    retry_delay: float = bounded(30.0, 0, 3600)  # seconds before the first retry; doubled each time
    timeout: float = bounded(30.0, 1, 600)
    max_kb: int = bounded(100, 10, 10_000)  # larger HTML bodies are cut to a summary with the full report attached
    # A department with something open, to confirm or not verified hears of it at least this often, even when
    # nothing changed; a change (a new problem, a fixed one) is emailed at once.
    remind_every_days: int = bounded(7, 1, 366)
    copy_owners: bool = False  # each account's owner is copied (Cc) on its department's report
    # A critical or high problem still open this many days after it was first seen is escalated to SLT, once.
    escalate_after_days: int = bounded(14, 1, 366)


@dataclass(frozen=True, kw_only=True)
class Schedule:
    audit: str = "0 2 * * *"
    comment_sweep: str | None = None
    timezone: str = "Europe/London"
    misfire_grace_minutes: int = bounded(
        60, 1, 24 * 60
    )  # a job the scheduler missed (server asleep, busy) still runs this late, once
    max_age_hours: int = bounded(
        26, 1, 24 * 366
    )  # `auditor status` fails when the last complete audit is older than this
    lock_wait_seconds: int = bounded(
        60, 0, 24 * 3600
    )  # how long a scheduled run waits for another run to finish before skipping


@dataclass(frozen=True, kw_only=True)
class Logging:
    file: Path | None = None  # None: stderr (cron mails it, journald keeps it)
    level: str | None = None  # None: the command's own default (warning for a run, info for the scheduler)
    max_bytes: int = bounded(5 * 1024 * 1024, 10_000, 10 * 1024**3)
    backups: int = bounded(5, 0, 1000)


# A shared budget's period, as `[workers.budgets]` writes it ("10000/day"), in seconds.
BUDGET_PERIODS = {"second": 1.0, "minute": 60.0, "15 minutes": 900.0, "hour": 3600.0, "day": 86400.0}


@dataclass(frozen=True, kw_only=True)
class Workers:
    """[workers]: accounts read and checked by worker processes through a broker (docs/scale.md). Absent, or without
    a broker: the run does everything in its own process, as it always has (its budgets then count in that process)."""

    broker: str | None = None  # redis://host:port/db; it also holds each account's result until the run collects it
    password_env: str | None = None  # the environment variable holding the broker's password, if it has one
    concurrency: int = bounded(2, 1, 64)  # accounts one `auditor worker` reads and checks at once (processes)
    max_tasks_per_child: int = bounded(200, 1, 1_000_000)  # a worker process is replaced after this many accounts
    max_memory_per_child_mb: int = bounded(1024, 64, 65_536)  # ... or once it holds more than this
    account_time_limit: int = bounded(1800, 10, 86_400)  # seconds one account may take before its process is stopped
    run_timeout: int = bounded(6 * 3600, 60, 7 * 86_400)  # the run waits no longer than this for the workers
    # Budgets that belong to one app or key, shared by every worker: name -> (amount, period in seconds).
    budgets: tuple[tuple[str, int, float], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Config:
    path: Path
    school: School
    accounts: tuple[Account, ...]
    departments: dict[str, Department]
    output: Output
    roster: Path | None = None
    # SMP-2.4: phone numbers, emails, '@domains' and postal details the school publishes; never flagged as personal.
    school_contacts: tuple[str, ...] = ()
    # SMP-2.4: post or media ids whose photos the owner has confirmed have written parental consent.
    photo_consent_confirmed: frozenset[str] = frozenset()
    # SMP-2.4: staff names (a pupil who shares one is not reported unless the post says it means a pupil) and place
    # names near the school beyond the built-in list (a pupil's name inside one is the place).
    staff: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    email: Email | None = None
    schedule: Schedule = field(default_factory=Schedule)
    logging: Logging = field(default_factory=Logging)
    links: LinkSettings = field(default_factory=LinkSettings)
    warnings: tuple[str, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    waivers_file: Path | None = None
    # Checklist items ("to confirm") confirmed in the web app: finding id -> who confirmed it, when, until when and why
    # (auditor/decisions.py). A MANUAL result with that id passes with those words.
    checklist_confirmed: dict[str, str] = field(default_factory=dict)
    # Accounts fetched at once ([connectors] workers): fetching is waiting on the network, so a few at a time keeps a
    # run of hundreds of accounts short; 1 reads them one after another.
    fetch_workers: int = bounded(8, 1, 64)
    # A school of a trust config (auditor/trust.py): its id, which names its report folder and its share of the
    # history (auditor/schools.py). None: a single school's config.toml, as before trusts existed.
    school_id: str | None = None
    # [workers]: None reads and checks every account in this process (the default, and the single-machine path).
    workers: Workers | None = None

    @property
    def broker(self) -> str | None:
        """The broker that hands accounts to workers; None: this process reads and checks every account."""
        return self.workers.broker if self.workers is not None else None

    # Processes that look for faces in photos ([safeguarding] face_workers): the detector keeps one processor busy
    # for a quarter to a half second a photo, so a second worker on a second core about doubles photos per second;
    # 0 examines photos in the run's own thread, holding it (and the fetches) while it does.
    face_workers: int = bounded(1, 0, 16)

    def find_accounts(self, handle: str) -> list[Account]:
        """Registered accounts with this handle (any platform); '@' and letter case do not matter."""
        wanted = _bare(handle)
        return [a for a in self.accounts if _bare(a.handle) == wanted]


@dataclass(frozen=True, kw_only=True)
class Deployment:
    """What one config file describes: a single school (`config.toml`, as before) or the schools of a trust (a config
    with a [trust] section; auditor/trust.py), each school's settings complete and its own."""

    path: Path
    schools: tuple[Config, ...]
    trust_name: str | None = None  # None: a single school's config

    @property
    def is_trust(self) -> bool:
        return self.trust_name is not None


@dataclass(frozen=True, kw_only=True)
class StatusSettings:
    """What `auditor status` reads of the config: where the history is, how old the last complete audit may be, and
    the link category lists whose age it reports. `auditor.config.status_settings` reads these few keys without the
    full loader (which needs pydantic, about three times the interpreter's own start-up) and leaves anything it has a
    doubt about to the full loader, so its messages are the loader's."""

    path: Path
    store: StoreTarget
    lock: Path | None = None  # None: beside the store (auditor/lock.py); a trust's school has its own
    school: str = "default"  # the school whose history `store` is (auditor/schools.py)
    max_age_hours: int = limits(Schedule, "max_age_hours")[0]
    blocklists: Path | None = None
    blocked_categories: tuple[str, ...] = ()
    blocklists_max_age_days: int = limits(LinkSettings, "blocklists_max_age_days")[0]

    @classmethod
    def of(cls, config: Config) -> StatusSettings:
        links = config.links
        return cls(
            path=config.path,
            store=config.output.store,
            max_age_hours=config.schedule.max_age_hours,
            blocklists=links.blocklists,
            blocked_categories=links.blocked_categories,
            blocklists_max_age_days=links.blocklists_max_age_days,
        )


def _bare(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def on_domain(address: str, domain: str) -> bool:
    """Whether an address is at the school's email domain or one of its subdomains."""
    host = address.rpartition("@")[2].lower()
    return host == domain.lower() or host.endswith("." + domain.lower())
