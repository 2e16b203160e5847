"""What the engine says about one link: a verdict and the evidence for it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Verdict(enum.StrEnum):
    """From worst to best. `UNVERIFIED` is never counted as safe."""

    UNSAFE = "unsafe"
    INAPPROPRIATE = "inappropriate"
    SUSPICIOUS = "suspicious"
    BROKEN = "broken"
    INSECURE = "insecure"
    UNVERIFIED = "unverified"
    OK = "ok"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)


@dataclass(frozen=True)
class LinkVerdict:
    """`source` names who decided (scheme, host, lookalike, blocklist:adult, safebrowsing, urlhaus, fetch, trusted,
    cache, network: there was no network to open it with); `list_version` is the list's date where a list decided;
    `entry` the matched entry; `chain` every address the link passed through, the link itself first."""

    url: str
    verdict: Verdict
    reason: str
    source: str
    entry: str | None = None
    list_version: str | None = None
    chain: tuple[str, ...] = ()
    status_code: int | None = None
    cached: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "verdict": str(self.verdict),
            "reason": self.reason,
            "source": self.source,
            "entry": self.entry,
            "list_version": self.list_version,
            "chain": list(self.chain),
            "status_code": self.status_code,
            "extra": self.extra,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, cached: bool = False) -> LinkVerdict:
        return cls(
            url=str(data["url"]),
            verdict=Verdict(data["verdict"]),
            reason=str(data["reason"]),
            source=str(data["source"]),
            entry=data.get("entry"),
            list_version=data.get("list_version"),
            chain=tuple(data.get("chain") or ()),
            status_code=data.get("status_code"),
            cached=cached,
            extra=dict(data.get("extra") or {}),
        )
