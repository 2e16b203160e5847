"""TikTok accounts through TikTok's Data Portability API: the account's own data export, requested and downloaded by
the auditor instead of by a person.

The API (developers.tiktok.com, "Data Portability API") hands over the same "Download your data" archive the account
holder can ask for in the app, so the archive is parsed by `connectors/tiktok_export.py`, and what is audited is what
docs/connectors-tiktok.md lists for exports. Its three calls, each a POST with the account holder's user access token:

- `/v2/user/data/add/?fields=request_id` with `{"data_format": "json", "category_selection_list": [...]}` asks TikTok
  to prepare an export and answers with its `request_id`;
- `/v2/user/data/check/?fields=request_id,status,apply_time,collect_time` with `{"request_id": ...}` says how it is
  going: `pending` (being prepared), `downloading` (ready to download), `expired` or `cancelled`;
- `/v2/user/data/download/` with `{"request_id": ...}` streams the archive itself, a zip.

Every answer but the archive is `{"data": {...}, "error": {"code": "ok", "message": "", "log_id": "..."}}`; a refusal
carries another `error.code` (TikTok API v2, "Error handling": access_token_invalid, scope_not_authorized,
rate_limit_exceeded, invalid_params, internal_error...).

An export takes from seconds to hours to prepare, so one run cannot always wait for it. The request's id is kept in the
account's connector state between runs: a run downloads the export an earlier run asked for when it is ready, and asks
for the next one at once, so the following run finds it waiting. When the export is still being prepared the account is
ERROR with "not ready yet" (never an empty success), with the request kept so the next run picks it up.

The token is read through the platform's spec from its environment variable, sent in the Authorization header only,
and never logged, stored or quoted: TikTok's access tokens last hours, not months, and refreshing one rotates the
refresh token, which the auditor would then have to store. The school's own secret store refreshes it before the run
(docs/connectors-tiktok.md says how).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from auditor import platforms
from auditor.connectors import ConnectorError, FetchContext
from auditor.connectors.incremental import credential, credential_name, require_network
from auditor.connectors.tiktok_export import TikTokExportConnector
from auditor.model import Account, AccountData
from auditor.net.guard import Blocked, Guard, HostNotFound, PinnedAdapter
from auditor.net.http import (
    USER_AGENT,
    AuthFailed,
    BoundedAdapter,
    Deadline,
    TooLarge,
    gave_up,
    log_retry,
    read_capped,
    redact,
    retry_again,
    transport_again,
)
from auditor.net.retry import Again, GaveUp, RetryPolicy

log = logging.getLogger(__name__)

SPEC = "tiktok-api"
PLATFORM = "TikTok"
API = "https://open.tiktokapis.com/v2/user/data/"
# The account's profile (with its settings) and its posts: what the audit reads, and nothing more (no messages, no
# activity). The `portability.postsandprofile.*` scopes cover them, as do the `portability.all.*` ones.
CATEGORIES = ("profile", "video")
CHECK_FIELDS = "request_id,status,apply_time,collect_time"
READY = "downloading"  # TikTok's word for an export that is ready to download
PENDING = "pending"
GONE = frozenset({"expired", "cancelled"})
# The archive of a school account's profile and posts is a few megabytes; one far bigger is not downloaded.
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
DOWNLOAD_DEADLINE = 300.0  # seconds for the whole download, every hop and the whole body
MAX_REDIRECTS = 3
TIMEOUT = (5.0, 30.0)
_CHUNK = 1024 * 1024
WHAT = (
    "a TikTok user access token for the school's account, from a TikTok app approved for the Data Portability API, "
    "with the portability.postsandprofile.ongoing (or portability.all.ongoing) scope"
)


class TikTokPortabilityConnector:
    """Audits a TikTok account from the data export the Data Portability API prepares for it."""

    def __init__(self) -> None:
        self.sleep: Callable[[float], None] = time.sleep
        self.retries = 3
        self.backoff = 1.0
        self.max_wait = 60.0
        self.max_archive_bytes = MAX_ARCHIVE_BYTES
        self.guard: Guard | None = None  # the download's SSRF guard; the run's photo guard, or one of its own
        self.now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.requests_made = 0
        self._variable = ""
        self._token = ""
        self._session = requests.Session()

    def fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        handle = account.handle
        require_network(ctx, PLATFORM, handle)
        if ctx.comments_only:
            raise ConnectorError(
                f"{handle} is read from TikTok's data export, which holds no comments by other people: the comment "
                "sweep does not request one; the nightly audit reads the account"
            )
        if ctx.since is not None:
            # A --since run neither reads nor keeps the nightly run's state: it would lose track of the export the
            # nightly run asked for, or ask for one nobody downloads.
            raise ConnectorError(
                f"{handle} is read from an export requested through TikTok's Data Portability API, which a run limited "
                "by --since cannot follow; audit it in a run without --since"
            )
        spec = platforms.require(SPEC)
        self._variable = credential_name(spec)
        self._token = credential(spec, WHAT)
        self._session.headers["User-Agent"] = USER_AGENT
        adapter = BoundedAdapter()
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        try:
            return self._fetch(account, ctx)
        finally:
            self._session.close()

    # --- the request's life: add, check, download --------------------------------------------------------------------

    def _fetch(self, account: Account, ctx: FetchContext) -> AccountData:
        request_id = _stored_id(ctx.state)
        status: str | None = None
        applied: dt.datetime | None = None
        if request_id is not None:
            status, applied = self._check(request_id)
            if status in GONE:
                log.info("%s: TikTok export request %s is %s; asking for a new one", account.handle, request_id, status)
                request_id = None
        if request_id is None:
            request_id = self._add()
            try:
                status, applied = self._check(request_id)
            except ConnectorError as exc:  # the new request is kept all the same, for the next run to check
                raise _keeping(exc, _state(request_id, self.now())) from None
        state = _state(request_id, applied or self.now())
        if status == PENDING:
            raise _not_ready(account, state)
        if status != READY:
            shown = status if status is not None and len(status) <= 40 else "(none)"
            raise _keeping(
                ConnectorError(
                    f"TikTok gave the export request for {account.handle} a status the auditor does not know "
                    f"({shown!r}); it was not audited, and the next run checks the request again"
                ),
                state,
            )
        try:
            data = self._download_and_parse(request_id, account, ctx)
        except ConnectorError as exc:
            raise _keeping(exc, state) from None
        # Ask for the next export now, so that the next run finds it ready. Should TikTok refuse (a one-time scope
        # allows one export only), this run's findings stand and the next run says why.
        kept: dict[str, object] = {"last_export": state["requested_at"]}
        try:
            following = self._add()
        except ConnectorError as exc:
            log.info("%s: the next TikTok export could not be requested yet: %s", account.handle, exc)
        else:
            kept.update(_state(following, self.now()))
        data.state = kept
        return data

    def _add(self) -> str:
        body = {"data_format": "json", "category_selection_list": list(CATEGORIES)}
        # Not retried after a failure that may have reached TikTok: a second request could be refused (a one-time
        # scope allows one) or leave two exports being prepared. A rate limit was not acted on, so it is retried.
        data = self._call("add", {"fields": "request_id"}, body, idempotent=False)
        request_id = _id(data.get("request_id"))
        if request_id is None:
            raise ConnectorError(
                "TikTok accepted the export request but gave no request id; the service may have changed"
            )
        return request_id

    def _check(self, request_id: str) -> tuple[str | None, dt.datetime | None]:
        try:
            data = self._call("check", {"fields": CHECK_FIELDS}, {"request_id": int(request_id)})
        except _UnknownRequest:
            # TikTok no longer knows the request (it was withdrawn in the app, or is long gone): ask for a new one.
            return "expired", None
        status = data.get("status")
        applied = data.get("apply_time")
        when = (
            dt.datetime.fromtimestamp(applied, dt.UTC)
            if isinstance(applied, int) and not isinstance(applied, bool) and 0 < applied < 2**40
            else None
        )
        return (status.strip().lower() if isinstance(status, str) else None), when

    def _call(
        self,
        name: str,
        params: Mapping[str, str],
        body: Mapping[str, Any],
        *,
        idempotent: bool = True,
    ) -> dict[str, Any]:
        """POST one call and give its `data` object, or raise a ConnectorError in plain words; retried under the
        product's retry policy (rate limits always, other passing failures only where the call is `idempotent`)."""
        url = f"{API}{name}/"

        def attempt() -> dict[str, Any]:
            try:
                response = self._post(url, params, body)
            except Again as failed:
                if not idempotent:
                    raise ConnectorError(
                        f"TikTok {failed.what} when asked to prepare an export; the next run asks again"
                    ) from None
                raise
            with response:
                payload = _json(response)
            code, message = _error(payload)
            again = retry_again(response, payload, throttled=code == "rate_limit_exceeded")
            if again is not None:
                if again.kind == "failed" and not idempotent:
                    raise ConnectorError(
                        f"TikTok failed when asked to prepare an export (HTTP {response.status_code}"
                        f"{_code(code)}); the next run asks again"
                    )
                raise again
            if response.status_code == 200 and code == "ok":
                data = payload.get("data") if isinstance(payload, dict) else None
                if not isinstance(data, dict):
                    raise ConnectorError(
                        f"TikTok's answer to {_CALLS[name]} holds no data object; the service may have changed"
                    )
                return data
            raise self._refusal(name, response.status_code, code, message, payload)

        try:
            return RetryPolicy(self.retries, self.backoff, self.max_wait, self.sleep).call(
                attempt, on_retry=log_retry(PLATFORM)
            )
        except GaveUp as stop:
            raise gave_up(PLATFORM, stop, self.max_wait) from None

    def _post(self, url: str, params: Mapping[str, str] | None, body: Mapping[str, Any]) -> requests.Response:
        self.requests_made += 1
        try:
            return self._session.post(
                url,
                params=params,
                json=body,
                headers=self._headers(),
                timeout=TIMEOUT,
                stream=True,
                allow_redirects=False,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise transport_again(exc) from None
        except requests.RequestException as exc:
            raise ConnectorError(f"{PLATFORM} request failed: {type(exc).__name__}") from None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"}

    def _refusal(self, name: str, status: int, code: str, message: str, payload: Any) -> ConnectorError:
        said = self._clean(message)[:200]
        detail = f" ({code}{': ' + said if said else ''})" if code else f" (HTTP {status})"
        if code == "access_token_invalid" or (status == 401 and not code):
            return AuthFailed(
                f"TikTok refused the access token in {self._variable}{detail}: it has expired or been revoked. "
                "TikTok's access tokens last hours, not months: refresh it before each run "
                f"(docs/connectors-tiktok.md). Set {self._variable} to {WHAT}"
            )
        if code in ("scope_not_authorized", "scope_permission_missed") or status in (401, 403):
            return AuthFailed(
                f"TikTok refused the export request{detail}: the account holder has not granted, or the app is not "
                f"approved for, the Data Portability scope it needs. Set {self._variable} to {WHAT}"
            )
        if name == "check" and code == "invalid_params":
            return _UnknownRequest(f"TikTok does not know the export request{detail}")
        if name == "add" and code == "invalid_params":
            return ConnectorError(
                f"TikTok refused to prepare a new export{detail}. A one-time scope (portability.*.single) allows one "
                "export only: the account holder must grant ongoing access (portability.postsandprofile.ongoing)"
            )
        if payload is _NOT_JSON:
            return ConnectorError(
                f"TikTok answered {_CALLS[name]} with HTTP {status} and something that is not JSON; the service may be "
                "down or have changed"
            )
        if status == 200 and not code:
            return ConnectorError(
                f"TikTok's answer to {_CALLS[name]} has no error object, as every answer should; the service may have "
                "changed"
            )
        said = f": {said}" if said else ""
        return ConnectorError(f"TikTok rejected {_CALLS[name]} (HTTP {status}){_code(code)}{said}")

    def _clean(self, text: str) -> str:
        return redact(text, (self._token,))

    # --- the archive -------------------------------------------------------------------------------------------------

    def _download_and_parse(self, request_id: str, account: Account, ctx: FetchContext) -> AccountData:
        folder = ctx.scratch()
        path = folder / "tiktok-data-export.zip"
        self._download(request_id, path, ctx)
        try:
            return TikTokExportConnector().fetch(replace(account, source=path), ctx)
        except ConnectorError as exc:
            # The parser names the file; the scratch path means nothing to the reader.
            raise ConnectorError(str(exc).replace(str(path), "the export TikTok sent")) from None

    def _download(self, request_id: str, path: Path, ctx: FetchContext) -> None:
        """The archive, written to `path` (in the run's scratch folder), within the size and time bounds."""
        guard = self.guard or ctx.photo_guard or Guard(proxy_from_environment=True)
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        session.trust_env = False  # proxies come from the guard, chosen per hop after its check
        adapter = PinnedAdapter(guard)
        session.mount("https://", adapter)
        session.mount("http://", adapter)

        def attempt() -> None:
            with Deadline(DOWNLOAD_DEADLINE) as deadline:
                try:
                    self._download_once(session, guard, request_id, path)
                except (Again, ConnectorError):
                    if deadline.expired:
                        raise _too_slow() from None
                    raise
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                    if deadline.expired:
                        raise _too_slow() from None
                    raise Again("failed", f"stopped sending the export part-way ({type(exc).__name__})") from None
                if deadline.expired:
                    raise _too_slow()

        try:
            RetryPolicy(self.retries, self.backoff, self.max_wait, self.sleep).call(
                attempt, on_retry=log_retry(PLATFORM)
            )
        except GaveUp as stop:
            raise gave_up(PLATFORM, stop, self.max_wait) from None
        finally:
            session.close()
        if not zipfile.is_zipfile(path):
            raise ConnectorError(
                "what TikTok sent as the export is not a zip file; it may be damaged, or the service may have "
                "changed; the next run tries again"
            )

    def _download_once(self, session: requests.Session, guard: Guard, request_id: str, path: Path) -> None:
        url = f"{API}download/"
        self.requests_made += 1
        try:
            response = session.post(
                url,
                json={"request_id": int(request_id)},
                headers=self._headers(),
                timeout=TIMEOUT,
                stream=True,
                allow_redirects=False,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise transport_again(exc) from None
        for _ in range(MAX_REDIRECTS + 1):
            with response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                else:
                    self._save(response, path)
                    return
            parts = urlsplit(url)
            if parts.scheme != "https" or not parts.hostname:
                raise ConnectorError("TikTok sent the export's download elsewhere than a secure web address; refused")
            try:
                guard.address_for(parts.hostname)
            except (Blocked, HostNotFound) as exc:
                raise ConnectorError(f"the export's download address was refused: {exc}") from None
            # Another host gets no token: the redirect itself is the permission to fetch the file.
            self.requests_made += 1
            try:
                response = session.get(url, timeout=TIMEOUT, stream=True, allow_redirects=False)
            except (requests.Timeout, requests.ConnectionError) as exc:
                raise transport_again(exc) from None
        raise ConnectorError(f"TikTok redirected the export's download more than {MAX_REDIRECTS} times; refused")

    def _save(self, response: requests.Response, path: Path) -> None:
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if response.status_code != 200 or kind == "application/json":
            try:
                payload: Any = response.json() if kind == "application/json" else _NOT_JSON
            except (ValueError, RecursionError):
                payload = _NOT_JSON
            code, message = _error(payload)
            again = retry_again(response, payload, throttled=code == "rate_limit_exceeded")
            if again is not None:
                raise again
            if response.status_code == 200 and code in ("", "ok"):
                raise ConnectorError(
                    "TikTok answered the export's download with JSON, not the export's zip file; the service may have "
                    "changed; the next run tries again"
                )
            raise self._refusal("download", response.status_code, code, message, payload)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_archive_bytes:
            raise _too_big(self.max_archive_bytes)
        size = 0
        with path.open("wb") as out:
            while True:
                # Decompressed as the server's Content-Encoding says (urllib3 inflates at most one chunk a read), and
                # counted once decompressed: a small body that would inflate to gigabytes stops at the cap.
                chunk = response.raw.read(_CHUNK, decode_content=True)
                if not chunk:
                    return
                size += len(chunk)
                if size > self.max_archive_bytes:
                    out.close()
                    path.unlink(missing_ok=True)
                    raise _too_big(self.max_archive_bytes)
                out.write(chunk)


# How each call is named in messages.
_CALLS = {
    "add": "the request for an export",
    "check": "the check on the export's progress",
    "download": "the export's download",
}


class _UnknownRequest(ConnectorError):
    """TikTok does not know the request id the state holds."""


_NOT_JSON = object()


def _json(response: requests.Response) -> Any:
    try:
        body = read_capped(response, 1024 * 1024)
    except (TooLarge, requests.RequestException, urllib3.exceptions.HTTPError, OSError):
        return _NOT_JSON
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _error(payload: Any) -> tuple[str, str]:
    """TikTok's `error.code` and `error.message` ("" where missing)."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return "", ""
    code, message = error.get("code"), error.get("message")
    return (
        code.strip()[:60] if isinstance(code, str) else "",
        message.strip() if isinstance(message, str) else "",
    )


def _code(code: str) -> str:
    return f", {code}" if code else ""


def _id(value: object) -> str | None:
    """A request id as TikTok gives it (an int64), kept as text so no JSON reader rounds it."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 < value < 2**63:
        return str(value)
    if isinstance(value, str) and value.isdigit() and 0 < len(value) <= 19 and 0 < int(value) < 2**63:
        return value
    return None


def _stored_id(state: Mapping[str, Any]) -> str | None:
    return _id(state.get("request_id"))


def _state(request_id: str, requested_at: dt.datetime) -> dict[str, object]:
    return {"request_id": request_id, "requested_at": requested_at.isoformat(timespec="seconds")}


def _keeping(exc: ConnectorError, state: dict[str, object]) -> ConnectorError:
    """The error, with the request to keep for the next run."""
    exc.state = state
    return exc


def _not_ready(account: Account, state: dict[str, object]) -> ConnectorError:
    when = str(state.get("requested_at", ""))
    with contextlib.suppress(ValueError):
        when = f"{dt.datetime.fromisoformat(when):%Y-%m-%d %H:%M} UTC"
    return _keeping(
        ConnectorError(
            f"not ready yet: TikTok is still preparing the data export of {account.handle} (requested {when}), so it "
            "was not audited this time; the next run downloads it once it is ready"
        ),
        state,
    )


def _too_big(cap: int) -> ConnectorError:
    return ConnectorError(
        f"the export TikTok sent is larger than the {cap // (1024 * 1024)} MB this audit downloads (counted once "
        "decompressed); it is not a normal export of a school account's profile and posts"
    )


def _too_slow() -> ConnectorError:
    return ConnectorError(
        f"TikTok was too slow: the export's download was not complete after {DOWNLOAD_DEADLINE:.0f} s; the next run "
        "tries again"
    )
