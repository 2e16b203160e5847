"""auditor.memory: the C library's arenas capped and free memory given back on Linux with glibc, nothing elsewhere."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from auditor import memory


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    memory._glibc.cache_clear()
    yield
    memory._glibc.cache_clear()  # the patched platform's answer must not outlive the test


def _has_glibc() -> bool:
    try:
        return sys.platform.startswith("linux") and bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not _has_glibc(), reason="glibc only")
def test_on_glibc_arenas_are_capped_and_memory_is_given_back() -> None:
    assert memory.limit_arenas() is True
    # A large block freed in the middle of the heap: malloc_trim returns its pages, so it answers 1.
    blocks = [bytearray(64 * 1024) for _ in range(200)]
    del blocks[:150]
    assert isinstance(memory.give_back(), bool)
    del blocks


def test_elsewhere_both_do_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert memory.limit_arenas() is False
    assert memory.give_back() is False


def test_without_glibc_on_linux_both_do_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "confstr", lambda name: None)  # as musl answers
    assert memory.limit_arenas() is False
    assert memory.give_back() is False
