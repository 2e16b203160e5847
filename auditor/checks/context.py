"""What a check is handed, and nothing more: the account, the school's policy settings that checks read, what the
account's data holds, the data itself (only the kinds the check declared it needs) and the run's services.

A check never sees the config: the runner builds a `CheckSettings` from it once per run. It never sees the platform's
name to branch on either: `DataSource` says what the data holds (`comments_read`), as the platform registry states it.
It opens no file and makes no network call: faces, pupils' names and links are judged by the services
(`auditor.services`), which tests replace with stand-ins.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.model import Account, AccountData, Post, Profile
from auditor.services import Services

# The raw data a check may declare it needs (Scorecard's "probes declare their raw data"). Each check sees only the
# kinds it declared, and a run downloads photos only when one of its checks needs them:
#   profile           the account's page: its bio, website, links and title (its username and address always come)
#   posts             the posts in this run's window: text, links, image descriptions, the media's own details
#   comments          other people's comments and replies on those posts
#   photos            local copies of the posts' photos and videos (downloaded from live platforms for this)
#   account_settings  the settings the platform reports for the account (who may comment, and the like)
DATA_KINDS: tuple[str, ...] = ("profile", "posts", "comments", "photos", "account_settings")
ALL_DATA: frozenset[str] = frozenset(DATA_KINDS)


def needs_of(kinds: Iterable[str], check_id: str) -> frozenset[str]:
    """The kinds a check declared, checked: each one known, and comments or photos only with the posts they are on."""
    needs = frozenset(kinds)
    unknown = sorted(needs - ALL_DATA)
    if unknown:
        raise ValueError(f"check {check_id} needs unknown data {unknown}; the kinds are {', '.join(DATA_KINDS)}")
    if needs & {"comments", "photos"} and "posts" not in needs:
        raise ValueError(f"check {check_id}: comments and photos come on their posts, so it needs posts too")
    return needs


@dataclass(frozen=True)
class CheckSettings:
    """The policy settings checks read, built by the runner from the config once per run: nothing else of it (no
    paths, no secrets, no email or schedule) reaches a check."""

    school_name: str
    email_domain: str  # the school's email domain: owners' addresses and the school's own contacts are on it
    aup_url: str  # SMP-2.8: the ICT Acceptable Use Policy every About page links to
    account_tag: str = "IHS"  # SMP-2.1: what every username includes
    website: str | None = None
    monitoring_lead: str = "the safeguarding and monitoring lead"
    # SMP-2.4: phone numbers, emails, '@domains' and postal details the school publishes; never personal information.
    school_contacts: tuple[str, ...] = ()
    # SMP-2.4: post or media ids whose photos the owner has confirmed have written parental consent.
    photo_consent_confirmed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DataSource:
    """What the account's data is read from and what it holds, from the platform registry, so that a check words
    its findings and judges "nothing found" without ever branching on a platform's name."""

    name: str  # what the data is read from, as people name it: "X (archive)"
    site: str  # where a person looks at the account, as people name it: "X"
    # Whether the data holds other people's comments: when it does not, "no comments" means "not looked at".
    comments_read: bool = True


@dataclass(frozen=True)
class CheckContext:
    account: Account
    settings: CheckSettings
    # None when the account's platform data could not be fetched: only checks that need no data then run.
    data: AccountData | None
    source: DataSource
    offline: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    services: Services = field(default_factory=Services)
    # The narrowed views made so far for this account, by the kinds they hold: checks with the same needs share one.
    _views: dict[frozenset[str], CheckContext] = field(default_factory=dict, init=False, repr=False, compare=False)

    def seeing(self, needs: frozenset[str]) -> CheckContext:
        """This context with only the data `needs` names: what a check declared is all it gets."""
        if self.data is None or needs >= ALL_DATA:
            return self
        view = self._views.get(needs)
        if view is None:
            view = dataclasses.replace(self, data=only(self.data, needs))
            self._views[needs] = view
        return view


def only(data: AccountData, needs: frozenset[str]) -> AccountData:
    """The account's data with only the kinds in `needs` (DATA_KINDS); the account's username and address stay, as
    what identifies it."""
    profile = data.profile
    if "profile" not in needs:
        profile = Profile(username=profile.username, url=profile.url)
    posts: list[Post] = []
    if "posts" in needs:
        posts = data.posts if {"comments", "photos"} <= needs else [_post_only(p, needs) for p in data.posts]
    return AccountData(
        profile=profile,
        posts=posts,
        complete=data.complete,
        settings=dict(data.settings) if "account_settings" in needs else {},
    )


def _post_only(post: Post, needs: frozenset[str]) -> Post:
    comments = post.comments if "comments" in needs else ()
    media = post.media
    if "photos" not in needs and any(m.local_path is not None for m in media):
        media = tuple(dataclasses.replace(m, local_path=None) for m in media)
    if comments is post.comments and media is post.media:
        return post
    return dataclasses.replace(post, comments=comments, media=media)
