"""Photos from live platforms, downloaded so the photo checks (faces, SMP-2.4) can look at them.

A live connector gives each photo's address; this copies the newest ones into the account's scratch folder (removed
once the account has been audited). Downloads go through the link engine's SSRF guard: the host is resolved once,
a private, loopback or link-local address is refused, and the connection is made to the checked address. A photo
that cannot be downloaded simply keeps no local file, so its check says "not verified", never passed; the account
itself is never failed by a photo.

Each photo has `PHOTO_DEADLINE` seconds in all (connect, headers, body and redirects together) and may inflate to no
more than `MAX_PHOTO_BYTES`; a host that runs out of time once is not asked for the account's other photos, so a slow
host costs an account one deadline, not one per photo. Where the school has a proxy (`[links] proxy`), downloads go
through it, after the same guard check.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from auditor.connectors import FetchContext
from auditor.model import AccountData, Media
from auditor.net.guard import Blocked, Guard, HostNotFound, PinnedAdapter
from auditor.net.http import Deadline

log = logging.getLogger(__name__)

MAX_PHOTOS = 40  # per account per run, newest posts first: a nightly run sees few new photos
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_REDIRECTS = 3
TIMEOUT = (5.0, 15.0)
PHOTO_DEADLINE = 30.0  # seconds for one photo, every hop and the whole body together
_CHUNK = 64 * 1024
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}


def download_photos(data: AccountData, ctx: FetchContext, guard: Guard) -> AccountData:
    """`data` with a local copy of each photo that has an address but no file yet, as far as the budget allows."""
    if ctx.offline:
        return data
    session = requests.Session()
    # Proxies come from the guard (the config, or the environment when the config asks), chosen per target after
    # the guard's check; requests' own reading of the environment would connect on our behalf, past the guard.
    session.trust_env = False
    adapter = PinnedAdapter(guard)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    budget = MAX_PHOTOS
    slow_hosts: set[str] = set()
    posts = []
    try:
        for post in data.posts:
            media: list[Media] = []
            for item in post.media:
                if item.type == "photo" and item.url and item.local_path is None and budget > 0:
                    budget -= 1
                    path = _bounded_download(session, guard, item.url, ctx, slow_hosts)
                    if path is not None:
                        item = dataclasses.replace(item, local_path=path)
                media.append(item)
            posts.append(dataclasses.replace(post, media=tuple(media)) if media != list(post.media) else post)
    finally:
        session.close()
    data.posts = posts
    return data


def _bounded_download(
    session: requests.Session, guard: Guard, url: str, ctx: FetchContext, slow_hosts: set[str]
) -> Path | None:
    """`_download` within `PHOTO_DEADLINE`; a photo cut short is removed and its host remembered as slow."""
    host = urlsplit(url).hostname or ""
    if host in slow_hosts:
        log.debug("photo not downloaded from %s: the host was too slow for an earlier photo", host)
        return None
    with Deadline(PHOTO_DEADLINE) as deadline:
        path = _download(session, guard, url, ctx)
    if deadline.expired:
        slow_hosts.add(host)
        if path is not None:
            path.unlink(missing_ok=True)
        log.debug("photo not downloaded from %s: not complete within %.0f s", host, PHOTO_DEADLINE)
        return None
    return path


def _download(session: requests.Session, guard: Guard, url: str, ctx: FetchContext) -> Path | None:
    """The path of the downloaded photo, or None (the reason is logged at debug level: addresses only, no secrets)."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            log.debug("photo not downloaded: %s is not a web address", url[:200])
            return None
        try:
            guard.address_for(parts.hostname)
            response = session.get(url, stream=True, timeout=TIMEOUT, allow_redirects=False)
        except (Blocked, HostNotFound) as exc:
            log.debug("photo not downloaded from %s: %s", parts.hostname, exc)
            return None
        except requests.RequestException as exc:
            # Only the kind of failure: the text of a proxy's error may hold the proxy's address and credentials.
            log.debug("photo not downloaded from %s: %s", parts.hostname, type(exc).__name__)
            return None
        with response:
            if response.is_redirect and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if response.status_code != 200 or not kind.startswith("image/"):
                log.debug("photo not downloaded from %s: HTTP %s, %s", parts.hostname, response.status_code, kind)
                return None
            target = ctx.scratch() / f"photo-{hashlib.sha256(url.encode()).hexdigest()[:20]}{_EXTENSIONS.get(kind, '')}"
            size = 0
            try:
                with target.open("wb") as out:
                    for chunk in response.iter_content(_CHUNK):
                        size += len(chunk)
                        if size > MAX_PHOTO_BYTES:
                            raise ValueError(f"larger than {MAX_PHOTO_BYTES // 1024 // 1024} MB")
                        out.write(chunk)
            except (ValueError, OSError, requests.RequestException) as exc:
                target.unlink(missing_ok=True)
                log.debug("photo not downloaded from %s: %s", parts.hostname, exc)
                return None
            return target
    log.debug("photo not downloaded: more than %d redirects", MAX_REDIRECTS)
    return None
