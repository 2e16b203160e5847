"""What the parts of the personal-information reader share: a finding (`Match`; each part names its own kinds),
patterns compiled on first use, the lowered text and its words that the cheap gates read, and the cues that several
parts consult (an organisation named near a number or an age; a code said to be some other kind of number)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast


@dataclass(frozen=True)
class Match:
    kind: str
    text: str  # as written in the post
    start: int
    end: int


class _OnUse:
    """A regular expression compiled the first time it is used. The patterns of this package take about as long to
    compile as the interpreter takes to start, and `auditor checks`, which only lists the checks, uses none of them."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            self._pattern = re.compile(*self._args)
        return getattr(self._pattern, name)


def _words(text: str) -> list[str]:
    return text.split()


def _compiled_on_use(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _OnUse(pattern, flags))


# A code said to be some other kind of number ("part number LA 45 12 09 C", "order ref ...") is not an NI number.
_OTHER_NUMBER_SAID = _compiled_on_use(
    r"\b(?:part|model|serial|order|product|item|stock|sku|ref|reference|code|flight|invoice|catalogue|cat|batch|lot|"
    r"tracking|parcel|reg|registration|licence|ticket|rhan|archeb|cyfeirnod|cod|côd|isbn|issn|barcode|imei|account|"
    r"acc)\b(?:no\.|[^.!?\n]){0,16}$",
    re.IGNORECASE,
)

# A landline given for a place or an organisation is its public number; one given for a person is not.
_ORGANISATION_CUE = _compiled_on_use(
    r"\b(?:centre|center|club|council|surgery|practice|library|theatre|box office|reception|office|school|college|"
    r"hall|church|chapel|museum|leisure|pool|stadium|venue|hotel|restaurant|caf[eé]|shop|store|garage|service|"
    r"services|helpline|desk|trust|charity|society|association|ltd|limited|plc|pharmacy|hospital|clinic|station|"
    r"booking|bookings|tickets|enquiries|canolfan|swyddfa|cyngor|clwb|llyfrgell|theatr|neuadd|capel|eglwys|"
    r"meddygfa|ysgol|coleg|high|comp|primary|cynradd|uwchradd|amgueddfa|gwasanaeth|derbynfa|ymholiadau|fferyllfa|"
    r"ysbyty|archebu|archebion|tocynnau|camp|gym|academy|building|adeilad|department|adran|campus|federation|"
    r"foundation|partnership|rfc|afc|fc|scouts|guides|brownies|cubs|urdd|gwersyll|"
    r"menter|cymdeithas|ymddiriedolaeth|pwll|stiwdio|studio|sinema|cinema|institute|sefydliad|university|"
    r"prifysgol|company|cwmni|band|choir|côr|pub|inn|tafarn|gwesty|siop|bwyty|caffi|stadiwm|"
    # the same after a mutation: "y ganolfan", "i'r clwb", "yn y gyngor"
    r"ganolfan|nghanolfan|glwb|ngyngor|gyngor|lyfrgell|ddoctor|feddygfa|gwasanaeth|"
    # teams and schemes: "the safeguarding team", "y tîm diogelu", "the NHS"
    r"team|tîm|tim|dîm|unit|uned|panel|board|bwrdd|project|prosiect|scheme|cynllun|network|rhwydwaith|nhs|gig|"
    r"clubhouse|hut|cwt|landline|switchboard)\b",
    re.IGNORECASE,
)

# Cheap gates (each beside its pattern, in the part that reads it): each pattern needs what its gate finds, so a text
# the gate passes over cannot match it and the pattern is not run (a gate begins each choice with a letter, not "\b"
# or an optional one: the engine then skips to where it may match) (most posts give none of these details). Gates on
# words read the text lowered as the case-insensitive patterns do: Python's regular expressions also match the dotless
# i (U+0131), the long s (U+017F), the dotted capital I (U+0130) and the Kelvin sign (U+212A) to i, s, i and k.
_AS_REGEX_IGNORES_CASE = str.maketrans({"\u0131": "i", "\u017f": "s", "\u0130": "i", "\u212a": "k"})

_READ_AS_ASCII = "\u0131\u017f\u0130\u212a"

_LOWER_WORD = re.compile(r"[a-z]+")


def _lowered(text: str) -> str:
    """`text` in lower case, with every letter a case-insensitive pattern reads as an ASCII letter made one."""
    if text.isascii() or not any(c in text for c in _READ_AS_ASCII):
        return text.lower()
    return text.translate(_AS_REGEX_IGNORES_CASE).lower()


def _words_of(low: str) -> list[str]:
    """The words of a lowered text, as the word gates read them (runs of a to z). A list, not a set: a gate asks
    `WORDS.isdisjoint(words)`, which reads the list once, and building a set would cost more than that."""
    return _LOWER_WORD.findall(low)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())
