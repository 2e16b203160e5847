"""`auditor blocklists update`: download the blocked categories of the UT1 lists into the data folder.

UT1 publishes one `<category>.tar.gz` a category, holding `<category>/domains` and `<category>/urls`. Only those two
members are taken, by name (never a path from the archive), size-capped, written beside the old list and moved into
place, so a failed download leaves the previous list working. The list's date (the server's Last-Modified, else today)
is recorded in `ut1.json` for reports to show how old the lists are; the lookup index is rebuilt at the end.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import json
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import requests

from auditor.links.blocklists import META_NAME, BlocklistError, Blocklists
from auditor.links.settings import LinkSettings, ut1_name
from auditor.net.guard import use_configured_proxy
from auditor.net.http import USER_AGENT

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # the adult category is about 60 MB compressed
MAX_MEMBER_BYTES = 400 * 1024 * 1024
TIMEOUT = (10.0, 120.0)


@dataclass(frozen=True)
class UpdateResult:
    updated: dict[str, str]  # category -> list date
    failed: dict[str, str]  # category -> why, in words


def update_blocklists(
    settings: LinkSettings, *, session: requests.Session | None = None, today: dt.date | None = None
) -> UpdateResult:
    if settings.blocklists is None:
        raise BlocklistError("no blocklist folder is configured ([links] blocklists)")
    folder = settings.blocklists
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BlocklistError(f"cannot create the blocklist folder {folder} ({exc.strerror})") from None
    session = session or use_configured_proxy(requests.Session(), settings)
    session.headers["User-Agent"] = USER_AGENT
    today = today or dt.date.today()
    categories = tuple(dict.fromkeys(ut1_name(c) for c in settings.blocked_categories))
    updated: dict[str, str] = {}
    failed: dict[str, str] = {}
    for category in categories:
        try:
            updated[category] = _download(session, settings.blocklist_url, category, folder, today)
        except BlocklistError as exc:
            failed[category] = str(exc)
    meta_path = folder / META_NAME
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta.get("categories"), dict):
            raise ValueError
    except (OSError, ValueError, AttributeError):
        meta = {"categories": {}}
    for category, date in updated.items():
        meta["categories"][category] = {"updated": date, "source": settings.blocklist_url}
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    if updated:
        Blocklists(folder, categories).close()  # builds the index now, not during the next audit
    return UpdateResult(updated, failed)


def _download(session: requests.Session, base: str, category: str, folder: Path, today: dt.date) -> str:
    url = f"{base}{category}.tar.gz"
    try:
        response = session.get(url, timeout=TIMEOUT, stream=True)
    except requests.RequestException as exc:
        raise BlocklistError(f"{url} could not be reached ({type(exc).__name__})") from None
    with response:
        if response.status_code != 200:
            raise BlocklistError(f"{url} answered HTTP {response.status_code}")
        data = response.raw.read(MAX_ARCHIVE_BYTES + 1, decode_content=True)
        modified = response.headers.get("Last-Modified")
    if len(data) > MAX_ARCHIVE_BYTES:
        raise BlocklistError(f"{url} is larger than {MAX_ARCHIVE_BYTES // 1024 // 1024} MB")
    wanted = {f"{category}/domains": "domains", f"{category}/urls": "urls"}
    target = folder / category
    target.mkdir(parents=True, exist_ok=True)
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        raise BlocklistError(f"{url} is not a readable .tar.gz archive") from None
    try:
        with archive:
            found = _extract(archive, wanted, target, url)
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        raise BlocklistError(f"{url} is a damaged .tar.gz archive") from None
    if "domains" not in found:
        raise BlocklistError(f"{url} has no {category}/domains list")
    if modified:
        try:
            return email.utils.parsedate_to_datetime(modified).date().isoformat()
        except (TypeError, ValueError):
            pass
    return today.isoformat()


def _extract(archive: tarfile.TarFile, wanted: dict[str, str], target: Path, url: str) -> list[str]:
    """Only the wanted members, by name: a path inside the archive never decides where anything is written."""
    found: list[str] = []
    for member in archive.getmembers():
        name = wanted.get(member.name.removeprefix("./").removeprefix("blacklists/"))
        if name is None or not member.isfile():
            continue
        if member.size > MAX_MEMBER_BYTES:
            raise BlocklistError(f"{url}: {member.name} is implausibly large")
        source = archive.extractfile(member)
        if source is None:
            continue
        tmp = target / f"{name}.tmp"
        tmp.write_bytes(source.read())
        tmp.replace(target / name)
        found.append(name)
    return found
