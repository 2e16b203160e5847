"""Names that look like the school's accounts: how an impersonating account is told from an unrelated one.

An impersonator copies what a reader sees, not what a computer compares: `HistoryIHS` with a Cyrillic I (U+0406),
`Hist0ryIHS` with a zero, `History_IHS` with an underscore, a display name with a zero-width space, or one written
backwards behind a right-to-left override (U+202E) so that it shows the right way round. `skeleton` reduces a name to
what it looks like (look-alike letters and digits folded, invisible and direction characters removed, separators
dropped); two names whose skeletons are the same or nearly so look alike to a reader.

This module is a leaf: the checks and the platform searches (connectors/lookalikes.py) both read it.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Letters of other scripts drawn like Latin ones (the common cases of Unicode's confusables list), upper and lower case.
_CONFUSABLES = str.maketrans(
    {
        "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t",
        "Х": "x", "І": "i", "Ј": "j", "Ѕ": "s", "У": "y", "Ԁ": "d", "Ԛ": "q", "Ԝ": "w",
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
        "х": "x", "і": "i", "ј": "j", "ѕ": "s", "у": "y", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
        "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
        "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
        "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "ρ": "p", "ϲ": "c",
    }
)  # fmt: skip
# Digits and symbols read as letters in a name; "i", "l" and "1" are one shape, as are "rn" and "m" (below).
_LEET = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "|": "l"}
)
_OVERRIDE = "\u202e"  # right-to-left override: what follows is shown reversed
_POP = "\u202c"
# How near two skeletons must be to look alike (difflib's ratio): one letter changed in a ten-letter handle is 0.9.
NEAR = 0.84


def visible(name: str) -> str:
    """The name as it can be shown safely in a report: invisible, control and direction characters removed."""
    return "".join(ch for ch in name if unicodedata.category(ch) not in {"Cf", "Cc", "Co", "Cs"})


def hidden_characters(name: str) -> bool:
    """Whether the name holds invisible or direction characters (a sign of a disguised name)."""
    return any(unicodedata.category(ch) in {"Cf", "Cc"} for ch in name)


def _as_shown(name: str) -> str:
    """The order a reader sees: the part after a right-to-left override is shown reversed."""
    if _OVERRIDE not in name:
        return name
    before, _, rest = name.partition(_OVERRIDE)
    inside, _, after = rest.partition(_POP)
    return before + inside[::-1] + after


def skeleton(name: str) -> str:
    """What a name looks like, for comparing: 'Hist0ry_IHS' (its I Cyrillic or Latin) and 'historyihs' have one
    skeleton."""
    text = unicodedata.normalize("NFKD", _as_shown(name).translate(_CONFUSABLES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_CONFUSABLES).translate(_LEET)
    text = "".join(ch for ch in text if ch.isalnum() and ch.isascii())
    return text.replace("rn", "m").replace("i", "l")


def similarity(a: str, b: str) -> float:
    """How alike two names look, 0 to 1, by their skeletons."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return 0.0
    return difflib.SequenceMatcher(None, sa, sb).ratio()


@dataclass(frozen=True)
class Lookalike:
    """An account found on a platform whose name looks like the school's or one of its registered accounts."""

    platform: str
    handle: str  # as the platform gives it: may hold look-alike letters, shown through `visible`
    display_name: str
    url: str | None
    resembles: str  # the registered handle it looks most like, or the school's name
    why: str  # in words: "its name looks like @HistoryIHS", "its name contains the school's name"


def judge(
    handle: str, display_name: str, registered: Sequence[str], school_names: Iterable[str]
) -> tuple[str, str] | None:
    """(what it resembles, why) when an account named so looks like a registered account or the school; else None.

    `registered` are the registered handles on the same platform, `school_names` the school's names ("Islwyn High").
    The school's short tag ("IHS") alone is no resemblance: many unrelated names contain it; an account using it is
    found through its likeness to a registered handle ("HistoryIHS2").
    """
    best: tuple[float, str] | None = None
    for reg in registered:
        bare = reg.lstrip("@").split("@")[0]
        for name in (handle, display_name):
            if not name:
                continue
            score = similarity(name, bare)
            if skeleton(bare) and skeleton(bare) in skeleton(name):
                score = max(score, 0.95)
            if score >= NEAR and (best is None or score > best[0]):
                best = (score, reg)
    disguised = hidden_characters(handle) or hidden_characters(display_name)
    if best is not None:
        return best[1], f"its name looks like {best[1]}" + (" (with hidden characters in it)" if disguised else "")
    for school in school_names:
        key = skeleton(school)
        if len(key) >= 6 and any(key in skeleton(n) for n in (handle, display_name) if n):
            return school, f"its name contains the school's name, {school}"
    return None
