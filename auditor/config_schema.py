"""The full config loader: `config.toml` declared as pydantic models, validated at once, built into the typed settings
of `auditor.settings`.

Each section is a model with `extra="forbid"` and strict types (TOML already gives true/false, numbers, dates and
text; nothing is coerced). Every field says its type, its rules and its default once: the defaults and numeric ranges
are read from the settings classes (`auditor.settings.limits`), the check ids and platforms are handed in. Rules that
join two keys (an account's `source` and `page_id` follow its platform; `ssl` and `starttls` exclude each other) are a
model's `across` method, run beside the field checks so that every problem is found in one pass.

pydantic's own errors are translated into the auditor's wording ("expected true or false, found a number (1)",
"unknown key; did you mean 'notified'?"), which `auditor.config` places at the file's line. This module is imported
only by `auditor.config.load`: pydantic takes longer to import than the interpreter takes to start, and `auditor
status` and `auditor checks` do not need it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from auditor import platforms
from auditor.config_values import CONTROL, ENV_NAME, mailbox_problem_of, not_regular, secret_bearing, show, type_name
from auditor.cron import check_cron
from auditor.links.settings import DEFAULT_BLOCKLIST_URL, DEFAULT_CATEGORIES, LinkSettings
from auditor.model import Account, Exemption
from auditor.platforms import Option, PlatformSpec
from auditor.settings import (
    BUDGET_PERIODS,
    CATEGORY_NAME,
    DEFAULT_BLOCKLISTS,
    DEFAULT_LINK_CACHE,
    DEFAULT_REPORTS_DIR,
    DEFAULT_STORE,
    LANGUAGES,
    LOG_LEVELS,
    SECTIONS,
    Config,
    Department,
    Email,
    Logging,
    Output,
    Schedule,
    School,
    Workers,
    _bare,
    limits,
    on_domain,
)
from auditor.storeurl import StoreURLError
from auditor.storeurl import parse as parse_store
from auditor.urls import host_of

Loc = tuple[str, ...]


def fail(message: str) -> PydanticCustomError:
    """A problem in the auditor's words: the message is shown as it is, after the file, line and key."""
    return PydanticCustomError("config", "{message}", {"message": message})


# Field rules. Each raises `fail(...)`; the wording is what a technician reads.


def _stripped(value: str) -> str:
    return value.strip()


def _filled(value: str) -> str:
    if not value.strip():
        raise fail("must not be empty")
    return value.strip()


# Said of a key naming where a secret is, when its value is not a variable's name; the value is never repeated.
NOT_AN_ENV_NAME = (
    "expected the name of an environment variable (letters, digits and _, like SMTP_PASSWORD), not the secret "
    "itself; what is written there is not repeated here"
)


def _env_name(value: str) -> str:
    if not ENV_NAME.match(value.strip()):
        raise fail(NOT_AN_ENV_NAME)
    return value.strip()


def _one_line(value: object) -> object:
    """Text bound for a mail header, an SMTP command or a subject line: a line break would start a header of its own."""
    if isinstance(value, str) and (found := CONTROL.search(value)):
        raise fail(
            f"holds a line break or control character ({found.group()!r} at character {found.start() + 1}); "
            "write the value on one line without escapes such as \\n"
        )
    return value


def _address(named: bool) -> Callable[[str], str]:
    """An address, as the email library's header parser reads it; `named` also allows a display name (a From)."""

    def check(value: str) -> str:
        problem = mailbox_problem_of(value, named)
        if problem:
            raise fail(f"{_expected_address(named)}, found {show(value)} ({problem})")
        return value

    return check


def _expected_address(named: bool) -> str:
    example = '"Auditor <auditor@school.org>" or ' if named else ""
    return f"expected {example}an email address like name@school.org"


def _raw_address(value: object) -> str:
    """One recipient of a list (`slt`), as written: not stripped, so a stray space is refused, not hidden."""
    if not isinstance(value, str):
        raise fail(f"{_expected_address(False)}, found {type_name(value)}")
    _one_line(value)
    return _address(False)(value)


def _web_address(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+\.[^\s/]+", value, re.IGNORECASE):
        raise fail(f"expected a web address starting with https://, found {show(value)}")
    return value


def bounded(settings: type, name: str) -> Any:
    """A whole number's default and range, as the settings class declares them for `name` (auditor.settings.bounded);
    a number out of range is worded by `Table._worded`."""
    default, lo, hi = limits(settings, name)
    return Field(default=default, ge=lo, le=hi)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(f"expected a date written like 2024-09-02, found {show(value)}")


def _text_list(example: str) -> Callable[[object], list[str]]:
    def check(value: object) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise fail(f"expected a list of text in quotes, like {example}")
        return [item.strip() for item in value]

    return check


def _a_list(message: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        if not isinstance(value, list):
            raise fail(message)
        return value

    return check


def _matching(pattern: str, message: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise fail(message.format(found=show(value)))
        return value

    return check


def _one_of(choices: Iterable[str], message: str, any_case: bool = False) -> Callable[[str], str]:
    wanted = tuple(choices)

    def check(value: str) -> str:
        if (value.lower() if any_case else value) not in wanted:
            raise fail(message.format(found=show(value)))
        return value

    return check


def _cron(value: str) -> str:
    if len(value.split()) != 5:
        raise fail(f'expected a cron expression with 5 fields like "0 2 * * *", found {show(value)}')
    try:
        check_cron(value)
    except ValueError as exc:
        raise fail(f"not a valid cron expression ({exc}), found {show(value)}") from None
    return value


def _time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder of zones
        raise fail(f'unknown time zone {show(value)}; expected a name like "Europe/London"') from None
    return value


def _store(value: str) -> str:
    try:
        parse_store(value, Path("."))
    except StoreURLError as exc:
        raise fail(str(exc)) from None
    return value


def _regular_file(what: str) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        if value:
            path = _context(info).base / value
            if why := not_regular(path):
                raise fail(f"{path} {why}; give the path of the {what}")
        return value

    return check


def _handle(value: str) -> str:
    if re.search(r"[\s\x00-\x1f\x7f]", value) or len(value) > 200 or value.strip("@") == "":
        raise fail(f'expected an account handle such as "@HistoryIHS", found {show(value)}')
    return value


def _platform(value: str, info: ValidationInfo) -> str:
    known = _context(info).platforms
    if value not in known and value in platforms.NOT_BUILT:
        raise fail(f"platform {value!r} is not available: {platforms.NOT_BUILT[value]}")
    if value not in known:
        hint = difflib.get_close_matches(value, list(known), n=1)
        more = f"; did you mean {hint[0]!r}?" if hint else ""
        raise fail(f"unknown platform {value!r}; expected one of {', '.join(known)}{more}")
    return value


def _check_id(value: str, info: ValidationInfo) -> str:
    known = _context(info).checks
    if value not in known:
        hint = difflib.get_close_matches(value, sorted(known), n=1)
        more = f"; did you mean {hint[0]!r}?" if hint else "; `auditor checks` lists them"
        raise fail(f"unknown check {value!r}{more}")
    return value


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def _or_default(default: str) -> Callable[[str], str]:
    """An empty value means the default, as if the key were not there."""
    return lambda value: value or default


# The field types, named for what the config holds.
Text = Annotated[StrictStr, AfterValidator(_stripped)]
EnvName = Annotated[StrictStr, AfterValidator(_env_name)]
Filled = Annotated[StrictStr, AfterValidator(_filled)]
HeaderText = Annotated[StrictStr, BeforeValidator(_one_line), AfterValidator(_stripped)]
HeaderFilled = Annotated[StrictStr, BeforeValidator(_one_line), AfterValidator(_filled)]
Recipient = Annotated[HeaderText, AfterValidator(_address(named=False))]
Url = Annotated[Text, AfterValidator(_web_address)]
RequiredUrl = Annotated[Filled, AfterValidator(_web_address)]
Day = Annotated[dt.date, BeforeValidator(_date)]


def _default(settings: type, name: str) -> Any:
    """The default the settings class gives `name`: written there once, read here."""
    return next(f.default for f in dataclasses.fields(settings) if f.name == name)


@dataclasses.dataclass(frozen=True)
class Context:
    """What the loader is given besides the file: its folder, the check ids and the platforms known."""

    base: Path
    checks: frozenset[str]
    platforms: Mapping[str, PlatformSpec]
    options: Mapping[str, tuple[tuple[str, Option], ...]]
    line: Callable[[Loc], int | None] = lambda loc: None  # where a key is in the file, for messages that cite one


def _context(info: ValidationInfo) -> Context:
    context = info.context
    if not isinstance(context, Context):
        raise TypeError("the config models are validated with a Context (auditor.config_schema.context_for)")
    return context


# The models. `Table` gathers every problem of a table (its fields' and its `across` rules') and words them.


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # How this table's keys that hold tables are described when they hold something else.
    not_table: ClassVar[dict[str, str]] = {}
    # Keys whose empty value ("" or spaces) means their default, as if the key were not written.
    blank_is_default: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        errors: list[InitErrorDetails] = []
        result = None
        if isinstance(data, dict) and cls.blank_is_default:
            data = {k: v for k, v in data.items() if not (k in cls.blank_is_default and _blank(v))}
        try:
            result = handler(data)
        except ValidationError as exc:
            errors = [cls._worded(error) for error in exc.errors()]
        if isinstance(data, dict) and isinstance(info.context, Context):  # a default table built in code has none
            failed = {str(e["loc"][0]) for e in errors if e["loc"]}
            errors += [
                InitErrorDetails(type=fail(message), loc=loc, input=None)
                for loc, message in cls.across(data, failed, info.context)
            ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return result

    @classmethod
    def across(cls, data: dict[str, Any], failed: set[str], context: Context) -> Iterator[tuple[Loc, str]]:
        """Problems that join keys of this table: (where, message). `failed` names the keys already refused."""
        return iter(())

    @classmethod
    def _worded(cls, error: Any) -> InitErrorDetails:
        loc = tuple(error["loc"])
        kind, value = error["type"], error.get("input")
        # A store URL may hold a password: what is wrong with it is said without repeating it.
        reveal = not (loc and (secret_bearing(str(loc[-1])) or loc[-2:] == ("output", "store")))
        if kind == "config":  # worded already, by a rule or by a table inside this one
            return InitErrorDetails(type=fail(error["msg"]), loc=loc, input=value)
        if not loc:  # this table is given something else: the table holding it knows its name and words it
            return InitErrorDetails(type=kind, loc=loc, input=value, ctx=error.get("ctx", {}))
        if kind == "missing":
            message = cls.missing_message(str(loc[0]))
        elif kind == "extra_forbidden":
            message = _unknown_key(str(loc[-1]), cls.keys())
        elif kind == "string_type":
            message = f"expected text in quotes, found {type_name(value, reveal=reveal)}"
        elif kind == "bool_type":
            message = f"expected true or false, found {type_name(value)}"
        elif kind in ("int_type", "int_from_float"):
            message = f"expected a whole number, found {type_name(value)}"
        elif kind in ("greater_than_equal", "less_than_equal"):
            message = cls.range_message(str(loc[0]), value)
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = cls.not_table_message(loc, value)
        elif not reveal:
            message = f"{error['msg']}, found {type_name(value, reveal=False)}"
        else:
            message = f"{error['msg']}, found {show(value)}"
        return InitErrorDetails(type=fail(message), loc=loc, input=value)

    @classmethod
    def range_message(cls, key: str, value: object) -> str:
        bounds = {type(m).__name__: getattr(m, type(m).__name__.lower()) for m in cls.model_fields[key].metadata}
        return f"expected a number from {bounds.get('Ge')} to {bounds.get('Le')}, found {value}"

    @classmethod
    def keys(cls) -> list[str]:
        return sorted(cls.model_fields)

    @classmethod
    def missing_message(cls, key: str) -> str:
        return "missing; this key is required"

    @classmethod
    def not_table_message(cls, loc: tuple[Any, ...], value: object) -> str:
        return cls.not_table.get(str(loc[0]), "expected a table, found {found}").format(found=type_name(value))


def _unknown_key(key: str, allowed: list[str]) -> str:
    hint = difflib.get_close_matches(key, allowed, n=1)
    return "unknown key" + (f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(allowed)}")


class SchoolTable(Table):
    name: HeaderFilled  # in every email's subject
    aup_url: RequiredUrl
    email_domain: Annotated[
        Filled,
        AfterValidator(
            _matching(
                r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}",
                "expected a domain like islwynhigh.co.uk, found {found}",
            )
        ),
    ]
    account_tag: Annotated[
        Text,
        AfterValidator(_matching(r"[A-Za-z0-9_]{1,15}", 'expected letters or digits such as "IHS", found {found}')),
    ] = _default(School, "account_tag")
    website: Url | None = None
    monitoring_lead: Annotated[HeaderText, AfterValidator(_or_default(_default(School, "monitoring_lead")))] = _default(
        School, "monitoring_lead"
    )
    monitoring_lead_email: Recipient | None = None  # in the To header of urgent alerts
    safeguarding_lead_email: Recipient | None = None
    language: Annotated[
        Text,
        AfterValidator(
            _one_of(
                LANGUAGES,
                "expected one of " + ", ".join(f'"{c}"' for c in LANGUAGES) + " (English, Welsh, both), found {found}",
            )
        ),
    ] = _default(School, "language")


class ExemptEntry(Table):
    check: Annotated[Filled, AfterValidator(_check_id)]
    reason: Filled


class AccountTable(Table):
    """One [[accounts]] table. A platform's own keys (page_id) are added from the registry for each load."""

    not_table: ClassVar[dict[str, str]] = {"exempt": 'expected {{check = "...", reason = "..."}}'}

    handle: Annotated[Filled, AfterValidator(_handle)]
    platform: Annotated[Filled, AfterValidator(_platform)]
    department: Filled
    owner: Text | None = None
    notified: Day | None = None
    credentials_shared: StrictBool | None = None
    source: Text | None = None
    exempt: Annotated[
        list[ExemptEntry],
        BeforeValidator(_a_list('expected a list like [{check = "naming.ihs_in_username", reason = "..."}]')),
    ] = []

    @classmethod
    def across(cls, data: dict[str, Any], failed: set[str], context: Context) -> Iterator[tuple[Loc, str]]:
        raw_platform = data.get("platform")
        platform = raw_platform.strip() if isinstance(raw_platform, str) and "platform" not in failed else None
        spec = context.platforms.get(platform or "")
        yield from _source(data.get("source"), spec, context.platforms)
        for key, holders in context.options.items():
            yield from _option(data.get(key), key, holders, platform if spec is not None else None)


def _source(raw: object, spec: PlatformSpec | None, known: Mapping[str, PlatformSpec]) -> Iterator[tuple[Loc, str]]:
    """The account's `source` as its platform's spec asks: a file or folder, a web address, or nothing."""
    value = raw.strip() if isinstance(raw, str) else None
    where = ("source",)
    if spec is not None and spec.source == "none":
        if value:
            yield where, f"{spec.name} accounts take no source; remove it"
        return
    if value and re.match(r"^https?://", value, re.IGNORECASE):
        if spec is not None and spec.source == "url":
            try:
                _web_address(value)
            except PydanticCustomError as exc:
                yield where, exc.message()
            return
        takers = ", ".join(name for name, other in known.items() if other.source == "url")
        yield where, f"a web address is only allowed here for {takers} accounts"
        return
    if spec is not None and spec.source == "url":
        if value or spec.source_required:
            yield where, f"expected the web address (https://...) of {spec.source_help}"
        return
    if spec is not None and spec.source_required and not value:
        yield where, f"missing; each {spec.name} account needs {spec.source_help}"


def _option(
    raw: object, key: str, holders: tuple[tuple[str, Option], ...], platform: str | None
) -> Iterator[tuple[Loc, str]]:
    """A platform's own key, checked by the option's kind as the first platform that takes it says; given on another
    platform's account, it is refused by name. A number written without quotes is read as its digits."""
    if raw is None:
        return
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    reveal = not secret_bearing(key)
    if not isinstance(raw, str):
        yield (key,), f"expected text in quotes, found {type_name(raw, reveal=reveal)}"
        return
    value = raw.strip()
    option = next((o for name, o in holders if name == platform), holders[0][1])
    problem = option.problem(value)
    if problem is not None:
        yield (key,), f"{problem}, found {show(value)}" if reveal else f"{problem}; {NOT_AN_ENV_NAME.split('; ')[1]}"
    elif platform is not None and all(name != platform for name, _ in holders):
        yield (key,), f"only {', '.join(name for name, _ in holders)} accounts have a {key}"


def option_values(item: Mapping[str, Any], options: Iterable[str]) -> dict[str, str]:
    out = {}
    for key in options:
        raw = item.get(key)
        if raw is not None:
            out[key] = str(raw).strip()
    return out


class DepartmentTable(Table):
    head_email: Recipient | None = None


class OutputTable(Table):
    blank_is_default = frozenset({"dir", "store"})

    dir: Text = DEFAULT_REPORTS_DIR
    store: Annotated[Text, AfterValidator(_store)] = DEFAULT_STORE
    keep_days: StrictInt | None = bounded(Output, "keep_days")
    public_url: Url | None = None


class SafeguardingTable(Table):
    roster: Annotated[Text, AfterValidator(_regular_file("roster CSV file"))] | None = None
    school_contacts: Annotated[
        list[str] | None, BeforeValidator(_text_list('["01495 200000", "office@islwynhigh.co.uk", "NP12 2BB"]'))
    ] = None
    photo_consent_confirmed: Annotated[list[str] | None, BeforeValidator(_text_list('["1999230207394755672"]'))] = None
    staff: Annotated[list[str] | None, BeforeValidator(_text_list('["Megan Price-Jones", "Rhodri Morgan"]'))] = None
    places: Annotated[list[str] | None, BeforeValidator(_text_list('["Penllwyn", "Morgan Jones Park"]'))] = None
    face_workers: StrictInt = bounded(Config, "face_workers")


class EmailTable(Table):
    blank_is_default = frozenset({"password_env"})

    host: HeaderFilled
    port: StrictInt = bounded(Email, "port")
    starttls: StrictBool | None = None  # None: STARTTLS unless ssl = true
    ssl: StrictBool = _default(Email, "ssl")
    username: HeaderText | None = None  # sent in the SMTP AUTH command
    password_env: EnvName = _default(Email, "password_env")
    sender: Annotated[HeaderFilled, AfterValidator(_address(named=True))]
    slt: Annotated[
        list[Annotated[str, BeforeValidator(_raw_address)]],
        BeforeValidator(_a_list('expected a list of email addresses, like ["slt@school.org"]')),
    ] = []
    send_when_unchanged: StrictBool = _default(Email, "send_when_unchanged")
    retries: StrictInt = bounded(Email, "retries")
    retry_delay: StrictInt = bounded(Email, "retry_delay")
    timeout: StrictInt = bounded(Email, "timeout")
    max_kb: StrictInt = bounded(Email, "max_kb")
    remind_every_days: StrictInt = bounded(Email, "remind_every_days")
    copy_owners: StrictBool = _default(Email, "copy_owners")
    escalate_after_days: StrictInt = bounded(Email, "escalate_after_days")

    @classmethod
    def across(cls, data: dict[str, Any], failed: set[str], context: Context) -> Iterator[tuple[Loc, str]]:
        if data.get("ssl") is True and data.get("starttls") is True:
            yield ("ssl",), "choose one: ssl = true (implicit TLS, port 465) or starttls = true (port 587)"


class ScheduleTable(Table):
    blank_is_default = frozenset({"audit", "timezone"})

    audit: Annotated[Text, AfterValidator(_cron)] = _default(Schedule, "audit")
    comment_sweep: Annotated[Text, AfterValidator(_cron)] | None = None
    timezone: Annotated[Text, AfterValidator(_time_zone)] = _default(Schedule, "timezone")
    misfire_grace_minutes: StrictInt = bounded(Schedule, "misfire_grace_minutes")
    max_age_hours: StrictInt = bounded(Schedule, "max_age_hours")
    lock_wait_seconds: StrictInt = bounded(Schedule, "lock_wait_seconds")


_LEVEL_MESSAGE = f"expected one of {', '.join(LOG_LEVELS)}, found {{found}}"


class LoggingTable(Table):
    file: Text | None = None  # None: stderr
    level: Annotated[Text, AfterValidator(_one_of(LOG_LEVELS, _LEVEL_MESSAGE, any_case=True))] | None = None
    max_bytes: StrictInt = bounded(Logging, "max_bytes")
    backups: StrictInt = bounded(Logging, "backups")


class LinksTable(Table):
    blank_is_default = frozenset({"blocklists", "cache", "safe_browsing_key_env", "urlhaus_key_env"})

    trusted_domains: Annotated[list[str] | None, BeforeValidator(_text_list('["adult", "gambling"]'))] = (
        None  # None: the school's own domains
    )
    blocked_categories: Annotated[list[str] | None, BeforeValidator(_text_list('["adult", "gambling"]'))] = None
    blocklists: Text = DEFAULT_BLOCKLISTS
    blocklist_url: Url | None = None
    blocklists_max_age_days: StrictInt = bounded(LinkSettings, "blocklists_max_age_days")
    cache: Text = DEFAULT_LINK_CACHE
    cache_max_age_hours: StrictInt = bounded(LinkSettings, "cache_max_age_hours")
    workers: StrictInt = bounded(LinkSettings, "workers")
    per_host: StrictInt = bounded(LinkSettings, "per_host")
    timeout: StrictInt = bounded(LinkSettings, "read_timeout")
    safe_browsing_key_env: EnvName = _default(LinkSettings, "safe_browsing_key_env")
    urlhaus_key_env: EnvName = _default(LinkSettings, "urlhaus_key_env")
    allow_private_hosts: StrictBool = _default(LinkSettings, "allow_private_hosts")
    link_deadline: StrictInt = bounded(LinkSettings, "link_deadline")
    host_backoff_budget: StrictInt = bounded(LinkSettings, "host_backoff_budget")
    proxy: Text | None = None
    proxy_from_environment: StrictBool = _default(LinkSettings, "proxy_from_environment")
    proxy_credentials_env: Text | None = None

    @classmethod
    def across(cls, data: dict[str, Any], failed: set[str], context: Context) -> Iterator[tuple[Loc, str]]:
        categories = data.get("blocked_categories")
        if "blocked_categories" not in failed and isinstance(categories, list):
            names = list(dict.fromkeys(str(c).strip().lower() for c in categories))
            for n, category in enumerate(names):
                if not re.fullmatch(CATEGORY_NAME, category):
                    yield ("blocked_categories", str(n)), f"expected a UT1 category name, found {show(category)}"
        yield from _proxy(data, failed)


def _proxy(data: dict[str, Any], failed: set[str]) -> Iterator[tuple[Loc, str]]:
    """A proxy address holding a password is refused without repeating it: credentials belong in the environment
    variable that proxy_credentials_env names."""
    raw = data.get("proxy")
    proxy = raw.strip() if isinstance(raw, str) and raw.strip() else None
    from_env = data.get("proxy_from_environment") is True
    if proxy is not None:
        try:
            parts = urlsplit(proxy)
            parts.port  # noqa: B018 - reading it checks the port is a number in range
        except ValueError:
            yield ("proxy",), 'expected a proxy address like "http://proxy.school:3128"; its port is not valid'
            proxy = None
        else:
            if "@" in proxy or parts.username is not None or parts.password is not None:
                yield (
                    ("proxy",),
                    "must not hold a user name or password (it would sit in the file in plain text); put "
                    '"user:password" in an environment variable and name it in proxy_credentials_env',
                )
                proxy = None
            elif parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                yield (
                    ("proxy",),
                    'expected a proxy address starting with http:// or https://, like "http://proxy.school:3128", '
                    f"found {show(proxy)}",
                )
                proxy = None
            if proxy is not None and from_env:
                yield ("proxy_from_environment",), "set either proxy or proxy_from_environment = true, not both"
    env = data.get("proxy_credentials_env")
    env = env.strip() if isinstance(env, str) and env.strip() else None
    if env is not None:
        if not ENV_NAME.match(env):
            yield ("proxy_credentials_env",), NOT_AN_ENV_NAME
        elif "proxy" not in data:
            yield ("proxy_credentials_env",), "is only used with proxy; set proxy to the proxy's address"


class ConnectorsTable(Table):
    workers: StrictInt = bounded(Config, "fetch_workers")


class WaiversTable(Table):
    file: Annotated[Filled, AfterValidator(_regular_file("waivers TOML file"))]


# The budgets a connector draws on (auditor.net.budget): one per app or key that every worker shares.
BUDGET_NAMES = {
    "youtube": "YouTube Data API quota units (Google's default is 10000/day)",
    "graph": "Meta Graph API calls of the app (Facebook and Instagram)",
    "x": "X API requests of the app's key",
}
_BUDGET = re.compile(r"^\s*(\d{1,12})\s*/\s*(" + "|".join(BUDGET_PERIODS) + r")\s*$")


def _broker(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise fail(f'expected the address of a Redis server like "redis://127.0.0.1:6379/0", found {show(value)}')
    if parts.password or parts.username:
        raise fail(
            "holds a user name or password; put the password in an environment variable and name it in "
            "broker_password_env (what is written there is not repeated here)"
        )
    if parts.path not in ("", "/") and not re.fullmatch(r"/\d{1,2}", parts.path):
        raise fail(f"expected a database number after the port (/0), found {show(parts.path)}")
    return value


def _budget(value: str) -> str:
    if not _BUDGET.match(value):
        periods = ", ".join(BUDGET_PERIODS)
        raise fail(f'expected an amount and a period like "10000/day" (periods: {periods}), found {show(value)}')
    return value


class WorkersTable(Table):
    broker: Annotated[Filled, AfterValidator(_broker)] | None = None
    broker_password_env: EnvName | None = None
    concurrency: StrictInt = bounded(Workers, "concurrency")
    max_tasks_per_child: StrictInt = bounded(Workers, "max_tasks_per_child")
    max_memory_per_child_mb: StrictInt = bounded(Workers, "max_memory_per_child_mb")
    account_time_limit: StrictInt = bounded(Workers, "account_time_limit")
    run_timeout: StrictInt = bounded(Workers, "run_timeout")
    budgets: dict[str, Annotated[Text, AfterValidator(_budget)]] = {}

    @classmethod
    def across(cls, data: dict[str, Any], failed: set[str], context: Context) -> Iterator[tuple[Loc, str]]:
        budgets = data.get("budgets")
        for name in budgets if isinstance(budgets, dict) else ():
            if name not in BUDGET_NAMES:
                known = "; ".join(f"{k}: {v}" for k, v in BUDGET_NAMES.items())
                yield ("budgets", name), f"no connector draws on a budget named {name!r}; known budgets: {known}"


def _workers(section: WorkersTable | None) -> Workers | None:
    if section is None:
        return None
    budgets = []
    for name, text in section.budgets.items():
        match = _BUDGET.match(text)
        assert match is not None  # checked by _budget
        budgets.append((name, int(match.group(1)), BUDGET_PERIODS[match.group(2)]))
    return Workers(
        broker=section.broker,
        password_env=section.broker_password_env,
        concurrency=section.concurrency,
        max_tasks_per_child=section.max_tasks_per_child,
        max_memory_per_child_mb=section.max_memory_per_child_mb,
        account_time_limit=section.account_time_limit,
        run_timeout=section.run_timeout,
        budgets=tuple(budgets),
    )


def _accounts(value: object) -> object:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise fail("expected [[accounts]] tables, one per account")
    if not value:
        raise fail("no accounts registered; add at least one [[accounts]] table")
    return value


class ConfigFile(Table):
    """The whole file. Its fields are the sections, in the order problems are listed."""

    school: SchoolTable
    departments: dict[str, DepartmentTable] = {}
    accounts: Annotated[list[AccountTable], BeforeValidator(_accounts)]
    output: OutputTable = Field(default_factory=OutputTable)
    safeguarding: SafeguardingTable | None = None
    email: EmailTable | None = None
    schedule: ScheduleTable = Field(default_factory=ScheduleTable)
    links: LinksTable = Field(default_factory=LinksTable)
    logging: LoggingTable = Field(default_factory=LoggingTable)
    connectors: ConnectorsTable = Field(default_factory=ConnectorsTable)
    waivers: WaiversTable | None = None
    workers: WorkersTable | None = None

    @classmethod
    def missing_message(cls, key: str) -> str:
        if key == "accounts":
            return "no accounts registered; add at least one [[accounts]] table"
        return f"missing section; add a [{key}] table"

    @classmethod
    def not_table_message(cls, loc: tuple[Any, ...], value: object) -> str:
        if loc[0] == "departments" and len(loc) > 1:
            return f"expected a table [departments.{loc[1]}], found {type_name(value)}"
        return f"expected a table ([{loc[0]}]), found {type_name(value)}"

    @classmethod
    def across(cls, data: dict[str, Any], failed: set[str], context: Context) -> Iterator[tuple[Loc, str]]:
        yield from _department_cases(data, context)
        yield from _registered_twice(data, context)
        yield from _owner_copies(data)


if tuple(ConfigFile.model_fields) != SECTIONS:  # the fast read of `auditor status` knows the sections by SECTIONS
    raise RuntimeError("auditor.settings.SECTIONS must name ConfigFile's fields, in order")


def _department_cases(data: dict[str, Any], context: Context) -> Iterator[tuple[Loc, str]]:
    """Two [departments] differing only in letter case: the school means one, and which head should receive its
    report cannot be guessed."""
    section = data.get("departments")
    by_folded: dict[str, str] = {}
    for name, body in section.items() if isinstance(section, dict) else ():
        if not isinstance(body, dict):
            continue
        other = by_folded.setdefault(name.casefold(), name)
        if other != name:
            line = context.line(("departments", other))
            at = f" (line {line})" if line else ""
            yield (
                ("departments", name),
                f"[departments.{name}] and [departments.{other}]{at} differ only in "
                "letter case; departments are matched without regard to case, so merge them into one section",
            )


def _registered_twice(data: dict[str, Any], context: Context) -> Iterator[tuple[Loc, str]]:
    seen: dict[tuple[str, str], int] = {}
    items = data.get("accounts")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            return
        handle, platform = item.get("handle"), item.get("platform")
        if not (isinstance(handle, str) and isinstance(platform, str)):
            continue
        handle, platform = handle.strip(), platform.strip()
        try:
            _handle(_filled(handle))
        except PydanticCustomError:
            continue
        if platform not in context.platforms:
            continue
        key = (_bare(handle), platform)
        if key in seen:
            yield ("accounts", str(index), "handle"), f"{handle} on {platform} is registered twice (also account {seen[key] + 1})"  # fmt: skip  # noqa: E501
            continue
        seen[key] = index


def _owner_copies(data: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    """With `[email] copy_owners`, each owner goes into a Cc header: one bare address, checked like every recipient."""
    email, items = data.get("email"), data.get("accounts")
    if not isinstance(email, dict) or email.get("copy_owners") is not True or not isinstance(items, list):
        return
    for index, item in enumerate(items):
        owner = item.get("owner") if isinstance(item, dict) else None
        if isinstance(owner, str):
            try:
                _address(False)(str(_one_line(owner)).strip())
            except PydanticCustomError as exc:
                yield ("accounts", str(index), "owner"), exc.message()


# Building the settings from a validated file.


def validate(raw: dict[str, Any], context: Context) -> tuple[ConfigFile | None, list[tuple[Loc, str]]]:
    """The validated file, or None and every problem as (where, message)."""
    model = _file_model(context)
    try:
        return model.model_validate(raw, context=context), []
    except ValidationError as exc:
        return None, [(tuple(str(part) for part in e["loc"]), str(e["msg"])) for e in exc.errors()]


def _file_model(context: Context) -> type[ConfigFile]:
    """The file's model with each platform's own account keys (page_id) added from the registry, so a connector adds
    an option without touching the loader."""
    return _with_options(tuple(sorted(context.options)))


@functools.lru_cache(maxsize=8)
def _with_options(keys: tuple[str, ...]) -> type[ConfigFile]:
    if not keys:
        return ConfigFile
    options: Any = {key: (Any, None) for key in keys}
    account = create_model("AccountTable", __base__=AccountTable, **options)
    accounts: Any = Annotated[list.__class_getitem__(account), BeforeValidator(_accounts)]
    return create_model("ConfigFile", __base__=ConfigFile, accounts=(accounts, ...))


def build(path: Path, model: ConfigFile, context: Context) -> tuple[Config, list[tuple[Loc, str]]]:
    """The settings, with the warnings that do not stop a run: (where, message), where () is the file as a whole."""
    base = context.base
    s = model.school
    school = School(
        name=s.name,
        aup_url=s.aup_url,
        email_domain=s.email_domain.lower(),
        account_tag=s.account_tag,
        website=s.website,
        monitoring_lead=s.monitoring_lead,
        monitoring_lead_email=s.monitoring_lead_email,
        safeguarding_lead_email=s.safeguarding_lead_email,
        language=s.language,
    )
    departments = {name: Department(name=name, head_email=d.head_email) for name, d in model.departments.items()}
    accounts = [_account(a, base, context) for a in model.accounts]
    accounts, warnings = _same_department_spelling(accounts, departments)
    email = _email(model.email) if model.email is not None else None
    if email is not None and email.copy_owners:
        warnings += [
            (
                ("accounts", str(n), "owner"),
                f"accounts[{n + 1}].owner: {a.owner} is not on {school.email_domain}, so it is not copied on "
                "the department's report ([email] copy_owners)",
            )
            for n, a in enumerate(accounts)
            if a.owner and not on_domain(a.owner, school.email_domain)
        ]  # fmt: skip
    sg = model.safeguarding
    o, sch, lg = model.output, model.schedule, model.logging
    config = Config(
        path=path,
        school=school,
        accounts=tuple(accounts),
        departments=departments,
        output=Output(
            dir=base / o.dir,
            store=parse_store(o.store, base),
            keep_days=o.keep_days,
            public_url=o.public_url,
        ),
        roster=base / sg.roster if sg is not None and sg.roster else None,
        school_contacts=tuple(sg.school_contacts or ()) if sg else (),
        photo_consent_confirmed=frozenset(sg.photo_consent_confirmed or ()) if sg else frozenset(),
        staff=tuple(sg.staff or ()) if sg else (),
        places=tuple(sg.places or ()) if sg else (),
        email=email,
        schedule=Schedule(
            audit=sch.audit,
            comment_sweep=sch.comment_sweep,
            timezone=sch.timezone,
            misfire_grace_minutes=sch.misfire_grace_minutes,
            max_age_hours=sch.max_age_hours,
            lock_wait_seconds=sch.lock_wait_seconds,
        ),
        logging=Logging(
            file=base / lg.file if lg.file else None,
            level=lg.level.lower() if lg.level else None,
            max_bytes=lg.max_bytes,
            backups=lg.backups,
        ),
        links=_links(model.links, base, school),
        fetch_workers=model.connectors.workers,
        workers=_workers(model.workers),
        face_workers=sg.face_workers if sg else limits(Config, "face_workers")[0],
        waivers_file=base / model.waivers.file if model.waivers is not None else None,
    )
    return config, warnings


def _account(a: AccountTable, base: Path, context: Context) -> Account:
    spec = context.platforms[a.platform]
    url = spec.source == "url" and bool(a.source)
    return Account(
        handle=a.handle,
        platform=a.platform,
        department=a.department,
        owner=a.owner,
        notified=a.notified,
        credentials_shared=a.credentials_shared,
        source=base / a.source if a.source and not url and spec.source != "none" else None,
        source_url=a.source if url else None,
        exempt=tuple(Exemption(e.check, e.reason) for e in a.exempt),
        options=option_values(a.model_dump(), context.options),
    )


def _same_department_spelling(
    accounts: list[Account], departments: dict[str, Department]
) -> tuple[list[Account], list[tuple[Loc, str]]]:
    """Accounts whose department differs from a section's name (or from another account's) only in letter case are
    put in that one department, spelled as its section (else as the first account) spells it, with a warning: the
    school means one department, and reports, emails and trend lines must not split it in two."""
    spelling = {name.casefold(): name for name in departments}
    out: list[Account] = []
    warnings: list[tuple[Loc, str]] = []
    for index, account in enumerate(accounts):
        name = spelling.setdefault(account.department.casefold(), account.department)
        if name != account.department:
            warnings.append(
                (
                    ("accounts", str(index), "department"),
                    f"accounts[{index + 1}].department: {account.department!r} of {account.handle} is counted "
                    f"as department {name!r} (letter case is ignored); write it as {name!r} to silence this warning",
                )
            )
            account = dataclasses.replace(account, department=name)
        out.append(account)
    warnings += [
        (
            (),
            f"department {a.department!r} of {a.handle} has no [departments.{a.department}] table with a "
            "head_email, so no head of department will receive its report",
        )
        for a in out
        if a.department not in departments
    ]
    return out, warnings


def _email(e: EmailTable) -> Email:
    return Email(
        host=e.host,
        port=e.port,
        sender=e.sender,
        starttls=not e.ssl if e.starttls is None else e.starttls,
        username=e.username,
        password_env=e.password_env,
        slt=tuple(e.slt),
        ssl=e.ssl,
        send_when_unchanged=e.send_when_unchanged,
        retries=e.retries,
        retry_delay=float(e.retry_delay),
        timeout=float(e.timeout),
        max_kb=e.max_kb,
        remind_every_days=e.remind_every_days,
        copy_owners=e.copy_owners,
        escalate_after_days=e.escalate_after_days,
    )


def _links(section: LinksTable, base: Path, school: School) -> LinkSettings:
    """[links] (SMP-2.5). The school's own domains are trusted unless the section names others."""
    own = []
    for url in (school.website, school.aup_url):
        host = host_of(url or "")
        if host:
            own.append(host.removeprefix("www."))
    own.append(school.email_domain)

    def names(value: list[str] | None, default: tuple[str, ...]) -> tuple[str, ...]:
        return default if value is None else tuple(dict.fromkeys(i.lower() for i in value))

    list_url = section.blocklist_url or DEFAULT_BLOCKLIST_URL
    return LinkSettings(
        trusted_domains=names(section.trusted_domains, tuple(dict.fromkeys(own))),
        blocked_categories=names(section.blocked_categories, DEFAULT_CATEGORIES),
        blocklists=base / section.blocklists,
        blocklist_url=list_url if list_url.endswith("/") else list_url + "/",
        blocklists_max_age_days=section.blocklists_max_age_days,
        cache=base / section.cache,
        cache_max_age_hours=float(section.cache_max_age_hours),
        workers=section.workers,
        per_host=section.per_host,
        read_timeout=float(section.timeout),
        safe_browsing_key_env=section.safe_browsing_key_env,
        urlhaus_key_env=section.urlhaus_key_env,
        allow_private_hosts=section.allow_private_hosts,
        link_deadline=float(section.link_deadline),
        host_backoff_budget=float(section.host_backoff_budget),
        proxy=section.proxy or None,
        proxy_from_environment=section.proxy_from_environment,
        proxy_credentials_env=section.proxy_credentials_env or None,
    )


def context_for(
    base: Path, raw: dict[str, Any], checks: Iterable[str], line: Callable[[Loc], int | None] = lambda loc: None
) -> Context:
    items = raw.get("accounts")
    named = [i.get("platform") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    known = {spec.name: spec for spec in platforms.specs(naming=[n for n in named if isinstance(n, str)])}
    options: dict[str, list[tuple[str, Option]]] = {}
    for spec in known.values():
        for option in spec.options:
            options.setdefault(option.name, []).append((spec.name, option))
    return Context(
        base=base,
        checks=frozenset(checks),
        platforms=known,
        options={key: tuple(holders) for key, holders in options.items()},
        line=line,
    )
