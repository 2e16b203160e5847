"""Helpers for link engine tests: an injectable resolver (tests never use real DNS) and engines built around it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.links.blocklists import Blocklists
from auditor.links.cache import VerdictCache
from auditor.links.engine import LinkEngine
from auditor.links.settings import LinkSettings

PUBLIC = "93.184.215.14"  # a public address; `responses` answers before any connection is made


class FakeDNS:
    """Every name resolves to a public address unless told otherwise; NXDOMAIN for names mapped to None."""

    def __init__(self, table: dict[str, list[str] | None] | None = None) -> None:
        self.table = table or {}
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        answer = self.table.get(host, [PUBLIC])
        if answer is None:
            raise OSError(f"no such host {host}")
        return answer


def write_lists(folder: Path, lists: dict[str, dict[str, list[str]]]) -> Path:
    for category, files in lists.items():
        (folder / category).mkdir(parents=True, exist_ok=True)
        for name, lines in files.items():
            (folder / category / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def make_engine(tmp_path: Path) -> Callable[..., LinkEngine]:
    engines: list[LinkEngine] = []

    def make(
        *,
        dns: FakeDNS | None = None,
        sleeps: list[float] | None = None,
        lists: dict[str, dict[str, list[str]]] | None = None,
        cache: Path | None = None,
        offline: bool = False,
        **settings: object,
    ) -> LinkEngine:
        values: dict[str, object] = {"trusted_domains": ("islwynhigh.co.uk",), "host_gap": 0.0}
        values.update(settings)
        blocklists = None
        if lists is not None:
            folder = write_lists(tmp_path / "lists", lists)
            blocklists = Blocklists(folder, [c for c in lists])
        engine = LinkEngine(
            LinkSettings(**values),  # type: ignore[arg-type]
            resolver=dns or FakeDNS(),
            sleep=(sleeps.append if sleeps is not None else (lambda s: None)),
            blocklists=blocklists,
            cache=VerdictCache(cache) if cache is not None else None,
            offline=offline,
        )
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.close()
