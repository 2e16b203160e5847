"""The platform registry: what the config, the model, the checks and the connectors need to know about each platform.

A platform is described once, by a `PlatformSpec`: its config name and the name people read, where its connector lives,
what its accounts' `source` is, the per-account options it takes, whether it reads other people's comments and which
environment variables hold its credentials. Config validation, display names, the comments check and `get_connector`
all read the spec, so adding a platform is one connector module with its spec (docs/adding-a-platform.md).

This module is a leaf that imports nothing heavy and nothing of the project: the config loader reads it, and the
connector named by a spec is imported only when an account of that platform is fetched. Built-in platforms are listed
here; others come from `register()` or from the `auditor.platforms` entry-point group, read once on first use.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

# The entry-point group an installed distribution names its platforms in: each entry point is a module-level SPEC.
ENTRY_POINT_GROUP = "auditor.platforms"

SourceKind = Literal["path", "url", "none"]
OptionKind = Literal["numeric-id", "text", "choice", "env-name"]

_NUMERIC_ID = re.compile(r"[0-9]{1,30}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")  # the name of an environment variable, never its value
_NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
# The keys every [[accounts]] table has; a platform's options are its own keys besides these.
ACCOUNT_KEYS = frozenset(
    {"handle", "platform", "department", "owner", "notified", "credentials_shared", "source", "exempt"}
)


@dataclass(frozen=True)
class Option:
    """A per-account key a platform takes in the config (`page_id = "..."`), checked by its kind."""

    name: str
    kind: OptionKind
    # What is expected, worded to follow "expected": 'the numeric id Meta shows'.
    help: str
    example: str
    choices: tuple[str, ...] = ()  # kind "choice": the values it may take, the first being the default

    def __post_init__(self) -> None:
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"option {self.name!r}: choices are given for, and only for, an option of kind 'choice'")

    def problem(self, value: str) -> str | None:
        """Why `value` is not fit for this option (None when it is)."""
        if self.kind == "numeric-id" and not _NUMERIC_ID.fullmatch(value):
            return f'expected {self.help}, such as "{self.example}"'
        if self.kind == "env-name" and not _ENV_NAME.fullmatch(value):
            return f'expected {self.help}: the name of an environment variable, such as "{self.example}"'
        if self.kind == "choice" and value not in self.choices:
            return f"expected {self.help}: one of {', '.join(repr(c) for c in self.choices)}"
        if self.kind == "text" and not value.strip():
            return "must not be empty"
        return None


@dataclass(frozen=True)
class PlatformSpec:
    """One platform, as every part of the auditor needs to know it."""

    name: str  # as the config writes it: "x-archive"
    display_name: str  # as people read it: "X (archive)"
    module: str  # where the connector class lives, imported only when an account is fetched
    connector: str  # the class's name in `module`; it is built with no arguments, once per account
    source: SourceKind = "path"  # what an account's `source` is: a file or folder, a web address, or nothing
    source_required: bool = False
    # What the source is, worded to follow "needs" or "the web address of": "the folder or .zip of its X data archive".
    source_help: str = ""
    options: tuple[Option, ...] = ()
    reads_comments: bool = True  # False: "no comments" means "not looked at", never "none there"
    credentials: tuple[str, ...] = ()  # environment variables holding its secrets (names only, never values)
    family: str = ""  # the platform whose remediation steps apply ("x" for "x-archive"); empty: its own name

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"a platform name is lower-case letters, digits and dashes, not {self.name!r}")
        if self.source == "none" and self.source_required:
            raise ValueError(f"platform {self.name!r} takes no source, so it cannot require one")
        for option in self.options:
            if not _KEY.fullmatch(option.name) or option.name in ACCOUNT_KEYS:
                raise ValueError(f"platform {self.name!r}: {option.name!r} cannot be an option's key")

    @property
    def steps_family(self) -> str:
        return self.family or self.name


_META_TOKEN = "META_ACCESS_TOKEN"  # noqa: S105 - the name of a variable, not a secret

BUILT_IN: tuple[PlatformSpec, ...] = (
    PlatformSpec(
        "x",
        "X",
        "auditor.connectors.x",
        "XConnector",
        # Owned reads (issue 15): the variable holding the account's own OAuth 2.0 user token, read instead.
        options=(
            Option("user_token_env", "env-name", "where the account's own X user token is", "X_TOKEN_HISTORYIHS"),
        ),
        credentials=("X_BEARER_TOKEN",),
    ),
    PlatformSpec(
        "x-archive",
        "X (archive)",
        "auditor.connectors.x_archive",
        "XArchiveConnector",
        source_required=True,
        source_help="the folder or .zip of its X data archive",
        reads_comments=False,  # an archive holds only the account's own posts
        family="x",
    ),
    PlatformSpec(
        "facebook",
        "Facebook",
        "auditor.connectors.facebook",
        "FacebookConnector",
        options=(Option("page_id", "numeric-id", "the numeric id Meta shows", "1784140000000000"),),
        credentials=(_META_TOKEN,),
    ),
    PlatformSpec(
        "instagram",
        "Instagram",
        "auditor.connectors.instagram",
        "InstagramConnector",
        options=(
            Option("ig_user_id", "numeric-id", "the numeric id Meta shows", "1784140000000000"),
            # Instagram Login (issue 15): read through graph.instagram.com with an Instagram user token, no Page.
            Option(
                "route",
                "choice",
                "how the account is read",
                "instagram-login",
                choices=("facebook-login", "instagram-login"),
            ),
        ),
        credentials=(_META_TOKEN, "INSTAGRAM_ACCESS_TOKEN"),
    ),
    PlatformSpec(
        "youtube", "YouTube", "auditor.connectors.youtube", "YouTubeConnector", credentials=("YOUTUBE_API_KEY",)
    ),
    PlatformSpec("mastodon", "Mastodon", "auditor.connectors.mastodon", "MastodonConnector"),
    PlatformSpec("bluesky", "Bluesky", "auditor.connectors.bluesky", "BlueskyConnector"),
    PlatformSpec(
        "feed",
        "Blog or news feed",
        "auditor.connectors.feed",
        "FeedConnector",
        source="url",
        source_required=True,
        source_help="the account's RSS or Atom feed",
    ),
    *(
        # Meta's "Download your information" exports (JSON), for schools with no Meta app: the account's own posts
        # and profile, read offline. The exports hold no comments by other people (connectors/meta_export.py).
        PlatformSpec(
            "facebook-export",
            "Facebook (export)",
            "auditor.connectors.meta_export",
            "FacebookExportConnector",
            source_required=True,
            source_help="the folder or .zip of its Facebook 'Download your information' export, in JSON format",
            reads_comments=False,
            family="facebook",
        ),
        PlatformSpec(
            "instagram-export",
            "Instagram (export)",
            "auditor.connectors.meta_export",
            "InstagramExportConnector",
            source_required=True,
            source_help="the folder or .zip of its Instagram 'Download your information' export, in JSON format",
            reads_comments=False,
            family="instagram",
        ),
    ),
    # TikTok: the account's own "Download your data" export (JSON), for schools without a TikTok developer app.
    PlatformSpec(
        "tiktok",
        "TikTok (data export)",
        "auditor.connectors.tiktok_export",
        "TikTokExportConnector",
        source_required=True,
        source_help="the .zip, folder or user_data_tiktok.json of its TikTok data export (JSON format)",
        reads_comments=False,  # the export holds the account's own videos, never other people's comments
    ),
    # TikTok's Data Portability API (issue 15): the same export, requested and downloaded by the auditor with the
    # account holder's user token, from an app TikTok has approved (connectors/tiktok_portability.py).
    PlatformSpec(
        "tiktok-api",
        "TikTok (Data Portability API)",
        "auditor.connectors.tiktok_portability",
        "TikTokPortabilityConnector",
        source="none",
        reads_comments=False,  # the export holds the account's own videos, never other people's comments
        credentials=("TIKTOK_ACCESS_TOKEN",),
        family="tiktok",
    ),
    # Threads (issue 15): Meta's Threads API with the school account's own token.
    PlatformSpec(
        "threads",
        "Threads",
        "auditor.connectors.threads",
        "ThreadsConnector",
        credentials=("THREADS_ACCESS_TOKEN",),
    ),
)

# Impersonation (issue 15): each live platform's accounts may ask for accounts imitating them to be looked for. Added
# here, apart from the specs above, so that a platform's spec and this option can change without touching each other.
LOOKALIKES = Option(
    "lookalikes",
    "choice",
    "whether to look for accounts imitating this one",
    "search",
    choices=("off", "search"),
)
_LOOKALIKE_PLATFORMS = frozenset({"x", "facebook", "instagram", "threads", "youtube", "mastodon", "bluesky"})
BUILT_IN = tuple(
    dataclasses.replace(spec, options=(*spec.options, LOOKALIKES)) if spec.name in _LOOKALIKE_PLATFORMS else spec
    for spec in BUILT_IN
)

# Routes the issue tracker has asked for that are not built: the config refuses an account naming one with this
# reason, instead of "unknown platform". (None at present: TikTok's Data Portability API, once listed here, is built.)
NOT_BUILT: dict[str, str] = {}

_registered: dict[str, PlatformSpec] = {spec.name: spec for spec in BUILT_IN}
# Specs found through the entry-point group, read on first use (None: not read yet). A registered name wins.
_plugins: dict[str, PlatformSpec] | None = None


def register(spec: PlatformSpec) -> PlatformSpec:
    """Add a platform (or replace one of the same name, so a test or plug-in can stand in for a built-in)."""
    if not isinstance(spec, PlatformSpec):
        raise TypeError(f"expected a PlatformSpec, found {type(spec).__name__}")
    _registered[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a platform added by `register` (tests tidy up with it); a built-in of that name comes back as it was."""
    _registered.pop(name, None)
    for spec in BUILT_IN:
        if spec.name == name:
            _registered[name] = spec


def rediscover() -> None:
    """Forget the plug-ins read so far, so the next look-up reads the entry points again (after installing one)."""
    global _plugins
    _plugins = None


def _discovered() -> dict[str, PlatformSpec]:
    """The specs installed distributions name in the `auditor.platforms` entry-point group, read once.

    A plug-in that cannot be loaded, or names something other than a PlatformSpec, is skipped rather than stopping
    every audit: its accounts then fail validation as an unknown platform, which lists the platforms that are known.
    """
    global _plugins
    if _plugins is None:
        from importlib.metadata import entry_points

        found: dict[str, PlatformSpec] = {}
        for entry in entry_points(group=ENTRY_POINT_GROUP):
            try:
                spec = entry.load()
            except Exception:  # noqa: S112 - a broken plug-in must not stop the audit of every other account
                continue
            if isinstance(spec, PlatformSpec):
                found.setdefault(spec.name, spec)
        _plugins = found
    return _plugins


def specs(naming: Iterable[str] | None = None) -> Iterator[PlatformSpec]:
    """Every known platform: built-ins first, in the order messages list them, then registered ones and plug-ins.

    Given the names a config uses (`naming`), the entry points are read only when one of them is not registered: a
    school using built-in platforms only never pays for the scan of installed distributions (about 20 ms, a tenth of
    the command line's start-up).
    """
    merged = dict(_registered)
    if naming is None or any(name not in merged for name in naming):
        for name, spec in _discovered().items():
            merged.setdefault(name, spec)
    return iter(tuple(merged.values()))


def names() -> tuple[str, ...]:
    return tuple(spec.name for spec in specs())


def get(name: str) -> PlatformSpec | None:
    return _registered.get(name) or _discovered().get(name)


def require(name: str) -> PlatformSpec:
    """The spec of a platform that must be known (a connector reading its own spec): KeyError if it is not."""
    spec = get(name)
    if spec is None:
        raise KeyError(f"no platform {name!r} is registered")
    return spec


def display_name(platform: str) -> str:
    """How a platform is named to people; the config's names (`x-archive`) are for the config."""
    spec = get(platform)
    return spec.display_name if spec is not None else platform


def reads_comments(platform: str) -> bool:
    """Whether the platform's data holds other people's comments; an unknown platform is assumed to."""
    spec = get(platform)
    return spec.reads_comments if spec is not None else True
