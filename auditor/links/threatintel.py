"""Threat-intelligence look-ups: Google Safe Browsing v4 Lookup API and abuse.ch URLhaus.

Keys come from environment variables named in the config; they are sent only to their service and never appear in a
message, log or report (request errors are reported by kind, never with the URL that carries the key).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from auditor import __version__

SAFE_BROWSING_URL = "https://safebrowsing.googleapis.com/v4/threatMatches:find"
URLHAUS_URL = "https://urlhaus-api.abuse.ch/v1/url/"
THREAT_TYPES = ("MALWARE", "SOCIAL_ENGINEERING", "UNWANTED_SOFTWARE", "POTENTIALLY_HARMFUL_APPLICATION")
TIMEOUT = (5.0, 10.0)
SAFE_BROWSING_BATCH = 500  # the Lookup API's limit of threat entries per request


class ThreatIntelError(Exception):
    """The service could not give an answer; the link stays unverified."""


@dataclass(frozen=True)
class ThreatMatch:
    url: str
    service: str  # "Google Safe Browsing" or "URLhaus"
    threat: str  # e.g. SOCIAL_ENGINEERING, malware_download
    reference: str | None = None
    cache_seconds: float = 0.0  # how long the service allows the match to be kept


def _duration(value: object) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)s", str(value or ""))
    return float(match.group(1)) if match else 0.0


class SafeBrowsing:
    name = "Google Safe Browsing"

    def __init__(self, key: str, session: requests.Session | None = None) -> None:
        self._key = key
        self.session = session or requests.Session()

    def lookup(self, urls: Sequence[str]) -> list[ThreatMatch]:
        matches: list[ThreatMatch] = []
        for start in range(0, len(urls), SAFE_BROWSING_BATCH):
            matches.extend(self._lookup(urls[start : start + SAFE_BROWSING_BATCH]))
        return matches

    def _lookup(self, urls: Sequence[str]) -> list[ThreatMatch]:
        body = {
            "client": {"clientId": "ihs-social-auditor", "clientVersion": __version__},
            "threatInfo": {
                "threatTypes": list(THREAT_TYPES),
                "platformTypes": ["ANY_PLATFORM"],
                "threatEntryTypes": ["URL"],
                "threatEntries": [{"url": u} for u in urls],
            },
        }
        try:
            # The key goes in a header, not the query string, so that urllib3's debug log of the URL cannot show it.
            response = self.session.post(
                SAFE_BROWSING_URL, headers={"X-Goog-Api-Key": self._key}, json=body, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise ThreatIntelError(f"{self.name} could not be reached ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise ThreatIntelError(f"{self.name} refused the look-up (HTTP {response.status_code})")
        try:
            data: Any = response.json()
        except ValueError:
            raise ThreatIntelError(f"{self.name} answered with something that is not JSON") from None
        out = []
        for match in (data or {}).get("matches") or []:
            threat = match.get("threat") or {}
            if isinstance(threat.get("url"), str):
                out.append(
                    ThreatMatch(
                        threat["url"],
                        self.name,
                        str(match.get("threatType") or "THREAT"),
                        None,
                        _duration(match.get("cacheDuration")),
                    )
                )
        return out


class URLhaus:
    name = "URLhaus"

    def __init__(self, key: str, session: requests.Session | None = None) -> None:
        self._key = key
        self.session = session or requests.Session()

    def lookup(self, url: str) -> ThreatMatch | None:
        try:
            response = self.session.post(
                URLHAUS_URL, data={"url": url}, headers={"Auth-Key": self._key}, timeout=TIMEOUT
            )
        except requests.RequestException as exc:
            raise ThreatIntelError(f"{self.name} could not be reached ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise ThreatIntelError(f"{self.name} refused the look-up (HTTP {response.status_code})")
        try:
            data: Any = response.json()
        except ValueError:
            raise ThreatIntelError(f"{self.name} answered with something that is not JSON") from None
        status = (data or {}).get("query_status")
        if status in ("no_results", "invalid_url"):
            return None
        if status != "ok":
            raise ThreatIntelError(f"{self.name} could not answer (query_status {str(status)[:40]!r})")
        threat = str(data.get("threat") or "malware")
        state = data.get("url_status")
        if state:
            threat = f"{threat}, {state}"
        return ThreatMatch(url, self.name, threat, data.get("urlhaus_reference"))
