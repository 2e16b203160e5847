"""File names for report pages. Handles and department names come from the outside world: they are reduced to a safe
set of characters and every path is checked to stay inside the output folder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_name(text: str, fallback: str = "page") -> str:
    """A file name stem made only of letters, digits, '-' and '_' (accents dropped, anything else becomes '_')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("_", ascii_text.lstrip("@")).strip("_-")[:80] or fallback
    return f"{stem}_" if stem.lower() in _RESERVED else stem


def unique_names(items: Iterable[tuple[str, str]], fallback: str) -> dict[str, str]:
    """Map each (key, text) to a safe stem made from the text, unique per key without regard to letter case (Windows
    and macOS folders ignore case): the same handle on two platforms gets two files."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key, text in items:
        if key in names:
            continue
        stem = safe_name(text, fallback)
        candidate, n = stem, 2
        while candidate.lower() in used:
            candidate, n = f"{stem}-{n}", n + 1
        used.add(candidate.lower())
        names[key] = candidate
    return names


def inside(folder: Path, *parts: str) -> Path:
    """`folder/parts...`, refusing anything that would land outside `folder`."""
    root = folder.resolve()
    target = root.joinpath(*parts).resolve()
    if target != root and root not in target.parents:
        raise ValueError(f"refusing to write outside the output folder: {'/'.join(parts)!r}")
    return target
