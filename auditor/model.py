"""The shared, typed model: what connectors produce, what checks read and what reports show.

Connectors turn platform data into `Profile`, `Post`, `Comment`, `Media` and `Link`; checks turn those into `Finding`s.
Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from auditor import platforms


class Status(enum.StrEnum):
    """Outcome of one check on one subject. ERROR also covers "could not be verified": it is never a PASS."""

    PASS = "PASS"  # noqa: S105 - a status, not a password
    FAIL = "FAIL"
    MANUAL = "MANUAL"
    ERROR = "ERROR"
    WAIVED = "WAIVED"

    @property
    def word(self) -> str:
        return STATUS_WORDS[self]

    @property
    def rank(self) -> int:
        """Lower needs more attention (to fix, not verified, to confirm, waived, passed): the order reports list
        findings in, and which of two judgements of one problem a merge keeps."""
        return _STATUS_RANK[self]


# The one vocabulary: the word each state is shown as, everywhere a person reads it (the `auditor run` summary, every
# page, the emails and their text parts, the legend). docs/vocabulary.md is the same table; a test holds both to it.
STATUS_WORDS: dict[Status, str] = {
    Status.FAIL: "To fix",
    Status.ERROR: "Not verified",
    Status.MANUAL: "To confirm",
    Status.WAIVED: "Waived",
    Status.PASS: "Passed",
}
STATUS_MEANINGS: dict[Status, str] = {
    Status.FAIL: "the account breaks the policy here; the steps say how to fix it",
    Status.ERROR: "could not be checked, so it is not known; never counted as passed",
    Status.MANUAL: "no program can see this: a person must look and confirm it",
    Status.WAIVED: "a signed-off exception, shown with its reason",
    Status.PASS: "meets the policy",
}


_STATUS_RANK = {Status.FAIL: 0, Status.ERROR: 1, Status.MANUAL: 2, Status.WAIVED: 3, Status.PASS: 4}


class AccountState(enum.StrEnum):
    """One account's state in one run, worst first. Its word is `ACCOUNT_STATE_WORDS[state]`."""

    ERROR = "error"  # the account could not be read at all
    FAILING = "failing"  # at least one problem to fix
    UNVERIFIED = "unverified"  # nothing to fix found, but something could not be verified
    PARTLY = "partly"  # nothing found, but this run did not put every check to it (a partial run)
    CLEAR = "clear"  # every check ran and nothing is to fix or unverified

    @property
    def word(self) -> str:
        return ACCOUNT_STATE_WORDS[self]

    @property
    def kind(self) -> Status:
        """The status whose colour the state's badge borrows."""
        return _STATE_KIND[self]


ACCOUNT_STATE_WORDS: dict[AccountState, str] = {
    AccountState.ERROR: "Could not audit",
    AccountState.FAILING: "To fix",
    AccountState.UNVERIFIED: "Not verified",
    AccountState.PARTLY: "Partly checked",
    AccountState.CLEAR: "All clear",
}
ACCOUNT_STATE_MEANINGS: dict[AccountState, str] = {
    AccountState.ERROR: "the account could not be read, so its posts and profile were not checked",
    AccountState.FAILING: "at least one problem to fix",
    AccountState.UNVERIFIED: "nothing to fix was found, but something could not be verified",
    AccountState.PARTLY: "nothing found by the checks a partial run made; not a full audit",
    AccountState.CLEAR: "every check ran and found nothing to fix or unverified",
}
_STATE_KIND = {
    AccountState.ERROR: Status.ERROR,
    AccountState.FAILING: Status.FAIL,
    AccountState.UNVERIFIED: Status.ERROR,
    AccountState.PARTLY: Status.MANUAL,
    AccountState.CLEAR: Status.PASS,
}


def account_state(could_not_read: bool, failing: bool, unverified: bool, every_check: bool) -> AccountState:
    """The account's state, decided once for the CLI, the pages and the emails. Something unverified is never "All
    clear", which a reader would take as a pass; neither is a partial run that found nothing."""
    if could_not_read:
        return AccountState.ERROR
    if failing:
        return AccountState.FAILING
    if unverified:
        return AccountState.UNVERIFIED
    return AccountState.CLEAR if every_check else AccountState.PARTLY


def platform_name(platform: str) -> str:
    """How a platform is named to people ("X (archive)"); the config's names (`x-archive`) are for the config."""
    return platforms.display_name(platform)


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Lower is more serious; used to sort findings."""
        return list(Severity).index(self)


class Change(enum.StrEnum):
    NEW = "new"
    PERSISTING = "persisting"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Exemption:
    """A per-account waiver from the config: the check still runs, its failure shows as WAIVED with this reason."""

    check: str
    reason: str


@dataclass(frozen=True, init=False)
class Account:
    """A registered school account, as the config describes it (the registry the policy asks for in SMP-2.2).

    What only one platform needs (a Facebook Page's id) is in `options`, keyed as the config writes it and checked
    against the platform's spec (`auditor.platforms`); `page_id` and `ig_user_id` read it, as they were once fields.
    """

    handle: str
    platform: str
    department: str
    owner: str | None = None
    notified: dt.date | None = None
    credentials_shared: bool | None = None
    source: Path | None = None
    exempt: tuple[Exemption, ...] = ()
    source_url: str | None = None  # feed: the address of its RSS or Atom feed (a `source` that is a web address)
    options: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __init__(
        self,
        handle: str,
        platform: str,
        department: str,
        owner: str | None = None,
        notified: dt.date | None = None,
        credentials_shared: bool | None = None,
        source: Path | None = None,
        exempt: tuple[Exemption, ...] = (),
        source_url: str | None = None,
        page_id: str | None = None,
        ig_user_id: str | None = None,
        *,
        options: Mapping[str, str] | None = None,
    ) -> None:
        merged = dict(options or {})
        for key, value in (("page_id", page_id), ("ig_user_id", ig_user_id)):
            if value is not None:
                merged[key] = value
        values: dict[str, object] = {
            "handle": handle,
            "platform": platform,
            "department": department,
            "owner": owner,
            "notified": notified,
            "credentials_shared": credentials_shared,
            "source": source,
            "exempt": exempt,
            "source_url": source_url,
            "options": merged,
        }
        for name, given in values.items():
            object.__setattr__(self, name, given)

    @property
    def page_id(self) -> str | None:
        """facebook: the Page's numeric id, when its username is not enough."""
        return self.options.get("page_id")

    @property
    def ig_user_id(self) -> str | None:
        """instagram: the professional account's id (else found through the Page token)."""
        return self.options.get("ig_user_id")

    @property
    def key(self) -> str:
        """Identity used for fingerprints and the store: handles are case-insensitive on every platform we audit."""
        return f"{self.platform}:{self.handle.lower()}"


@dataclass(frozen=True)
class Link:
    """A link as published (`url`, often a shortener such as t.co) and, where known, where it really goes."""

    url: str
    expanded_url: str | None = None

    @property
    def target(self) -> str:
        return self.expanded_url or self.url


@dataclass(frozen=True)
class Media:
    id: str
    type: str  # photo, video, animated_gif
    url: str | None = None
    alt_text: str | None = None
    local_path: Path | None = None  # a file readable now (archive media, or a downloaded copy)
    # SMP-2.4: where the platform itself says the photo was taken (an export's EXIF block: latitude, longitude).
    # A photo file's own EXIF is read from `local_path` by the photo metadata service, not by connectors.
    location: tuple[float, float] | None = None
    width: int | None = None  # pixels, where the platform states them
    height: int | None = None


@dataclass(frozen=True)
class Comment:
    """A comment or reply by someone else on one of the account's posts (SMP-2.6)."""

    id: str
    text: str
    author: str | None = None
    created_at: dt.datetime | None = None
    url: str | None = None
    parent_id: str | None = None
    links: tuple[Link, ...] = ()  # links the platform marks in the comment, where it marks them
    # Whether the text may hold addresses missing from `links`, so the links check reads them from the text too. A
    # platform that marks every link and shortens the addresses it shows (Bluesky) sets this to False: the text's
    # "github.com/christopherk…" is display text, not an address.
    links_from_text: bool = True


@dataclass(frozen=True)
class Post:
    id: str
    text: str
    created_at: dt.datetime | None = None
    url: str | None = None
    links: tuple[Link, ...] = ()
    media: tuple[Media, ...] = ()
    comments: tuple[Comment, ...] = ()
    is_repost: bool = False
    in_reply_to: str | None = None
    # SMP-2.4: the place the post is tagged with (a named place or "lat, long"), where the platform has one.
    place: str | None = None
    # As for `Comment.links_from_text`: False when `links` is every link of the post and the text shortens them.
    links_from_text: bool = True


@dataclass(frozen=True)
class Profile:
    """Profile metadata. `None` means the platform has no such field; "" means the field exists and is empty."""

    username: str | None
    display_name: str | None = None
    bio: str | None = None
    website: Link | None = None
    links: tuple[Link, ...] = ()  # links found in the bio or About page, expanded where the platform says
    url: str | None = None


@dataclass
class AccountData:
    """Everything one connector fetched for one account in one run."""

    profile: Profile
    posts: list[Post] = field(default_factory=list)
    # True when `posts` is the account's whole history (a full archive, no --since); findings about posts that are no
    # longer present may then be marked resolved. A recent-posts window from a live API is not complete.
    complete: bool = False
    # JSON-serialisable state the connector wants back next run (`FetchContext.state`); stored per account.
    state: dict[str, object] = field(default_factory=dict)
    # Account settings the platform reports that bear on the policy (TikTok's who-can-comment, comment filter,
    # private account, downloads): setting name -> value as the platform states it. Empty when it reports none.
    settings: dict[str, str] = field(default_factory=dict)
    # What reading the account cost, where the connector counts it (X, billed per resource read): requests made and
    # resources read, by name ("requests", "posts_read", ...). Empty when the connector does not count.
    usage: dict[str, int] = field(default_factory=dict)

    @property
    def comments_examined(self) -> int:
        return sum(len(p.comments) for p in self.posts)


@dataclass(frozen=True)
class Seen:
    """What a run read of an account, as far as history needs it: the posts it examined, and whether they are the
    account's whole history. Small and plain, so a worker that read the account can hand it back to the run."""

    post_ids: frozenset[str]
    complete: bool

    @classmethod
    def of(cls, data: AccountData) -> Seen:
        return cls(frozenset(p.id for p in data.posts), data.complete)


# The account settings a connector may report in `AccountData.settings`, under these names, each with its value in the
# platform's own words ("Everyone", "On"); the `settings` checks read them. A platform reports only those it has.
SETTING_WHO_CAN_COMMENT = "who_can_comment"  # TikTok: "Who Can Post Comments"
SETTING_COMMENT_FILTER = "comment_filter"  # TikTok: "Filter Comments"
SETTING_PRIVATE_ACCOUNT = "private_account"  # TikTok: "Private Account"
SETTING_ALLOW_DOWNLOADS = "allow_downloads"  # TikTok: "Allow DownLoad"
SETTING_WHO_CAN_MESSAGE = "who_can_message"  # TikTok: "Who Can Send Me Message"


def storable(text: str) -> str:
    """Text that can be written anywhere as UTF-8: JSON from a platform may hold a lone surrogate ("\\ud800"), which
    the database, findings.json and email would all refuse; it becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


MAX_EXCERPT = 500  # characters of quoted text a finding keeps
MAX_ALSO = 20  # other places a merged finding lists


@dataclass(frozen=True, slots=True)
class Evidence:
    url: str | None = None
    post_id: str | None = None
    excerpt: str | None = None
    link: str | None = None
    # Where the same problem was also seen in this run (the same reply under two posts of a thread, one link written
    # two ways): one finding, every place kept. Capped, like excerpts.
    also: tuple[Evidence, ...] = ()
    # When the post `post_id` was published, for the reader's "where" (the checks' registry fills it in from the
    # fetched posts). Shown by this run's reports only: findings.json and the store keep the contract's four fields.
    posted_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        for name in ("url", "post_id", "excerpt", "link"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, storable(value))
        # A platform may send a 5 MB post or bio: evidence quotes enough to find it, never the whole text into the
        # findings, the database and every report.
        if self.excerpt is not None and len(self.excerpt) > MAX_EXCERPT:
            object.__setattr__(self, "excerpt", self.excerpt[: MAX_EXCERPT - 1].rstrip() + "…")
        if len(self.also) > MAX_ALSO:
            object.__setattr__(self, "also", self.also[:MAX_ALSO])

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"url": self.url, "post_id": self.post_id, "excerpt": self.excerpt, "link": self.link}
        if self.also:
            out["also"] = [e.as_dict() for e in self.also]
        return out

    @classmethod
    def from_dict(cls, data: object) -> Evidence:
        """Read back what `as_dict` wrote (the store, findings.json); anything unexpected is dropped, never raised."""
        if not isinstance(data, dict):
            return cls()

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        also = data.get("also")
        more = tuple(cls.from_dict(e) for e in also[:MAX_ALSO]) if isinstance(also, list) else ()
        return cls(text("url"), text("post_id"), text("excerpt"), text("link"), more)


@dataclass(frozen=True)
class Result:
    """What a check says about one subject. The runner turns it into a `Finding` (identity, waivers, history).

    `subject` names what was judged ("profile", "registry", "post:123", "post:123:link:2"), so that the same problem
    gets the same finding id run after run.
    """

    status: Status
    reason: str
    subject: str = "account"
    evidence: Evidence = Evidence()
    severity: Severity | None = None  # overrides the check's default where one subject is worse than usual


@dataclass(slots=True)
class Finding:
    id: str
    account: str
    platform: str
    department: str
    check: str
    clause: str
    status: Status
    severity: Severity
    reason: str
    evidence: Evidence = Evidence()
    change: Change = Change.NEW
    first_seen: dt.datetime | None = None

    @property
    def account_key(self) -> str:
        """The `Account.key` of the account this finding is about."""
        return f"{self.platform}:{self.account.lower()}"

    @property
    def is_open(self) -> bool:
        """A problem someone must act on: it counts towards exit status 1."""
        return self.status is Status.FAIL

    @classmethod
    def from_record(cls, record: Mapping[str, object], evidence: Evidence) -> Finding:
        """A finding read back from a stored or sent record: `as_dict`'s keys and a department (the store's row, a
        worker's answer), with its evidence already read, since each keeps that in its own way."""
        first = record["first_seen"]
        return cls(
            id=str(record["id"]),
            account=str(record["account"]),
            platform=str(record["platform"]),
            department=str(record["department"]),
            check=str(record["check"]),
            clause=str(record["clause"]),
            status=Status(str(record["status"])),
            severity=Severity(str(record["severity"])),
            reason=str(record["reason"]),
            evidence=evidence,
            change=Change(str(record["change"])),
            first_seen=dt.datetime.fromisoformat(str(first)) if first else None,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "account": self.account,
            "platform": self.platform,
            "check": self.check,
            "clause": self.clause,
            "status": str(self.status),
            "severity": str(self.severity),
            "reason": self.reason,
            "evidence": self.evidence.as_dict(),
            "change": str(self.change),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
        }
