"""Phone numbers, written in figures (with an O for a 0: "O77OO 9OO123") or said in words ("oh seven seven double
oh ..."), English or Welsh; landlines given for a venue or an organisation are not reported."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from auditor.text.pii._common import (
    _ORGANISATION_CUE,
    _OTHER_NUMBER_SAID,
    Match,
    _compiled_on_use,
    _lowered,
    _words,
    _words_of,
)
from auditor.text.pii.contacts import SchoolContacts

# phonenumbers and python-stdnum are imported where a number is read, not here: together they take longer to import
# than `auditor checks` may take to start (benchmarks/startup.py), and listing the checks reads no number.
if TYPE_CHECKING:
    import phonenumbers

PHONE = "phone number"


@functools.cache
def _organisation_number_types() -> frozenset[int]:
    """Numbers an organisation publishes (freephone, shared-cost, "UAN" 03 numbers): they identify no one."""
    from phonenumbers import PhoneNumberType as T

    return frozenset({T.TOLL_FREE, T.SHARED_COST, T.UAN, T.PREMIUM_RATE})


@functools.cache
def _landline_types() -> frozenset[int]:
    from phonenumbers import PhoneNumberType as T

    return frozenset({T.FIXED_LINE, T.FIXED_LINE_OR_MOBILE})


# Ofcom's ranges reserved for drama and examples. The numbering plan calls them invalid, but a reader sees a phone
# number and would ring it, so a post that prints one shows the same lapse as a real one (synthetic data uses them).
_DRAMA_PREFIXES = (
    "7700900",
    "2079460",
    "1134960",
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "1632960",
    "2896496",
    "2920180",
    "1914980",
)
_DRAMA_LENGTHS = {"7700900": 10, "1632960": 10}

# Words that say a number is one to ring or text.
_PHONE_SAID = _compiled_on_use(
    r"\b(?:ring|call|text|phone|mobile|mob|tel|telephone|whatsapp|line|ffonio|ffoniwch|ffôn|ffon|tecstiwch|galwch|"
    r"llinell|rhif ffôn)\b",
    re.IGNORECASE,
)

# Letters written for digits inside a run of digits: "O77OO 9OO123".
_DIGITS_WITH_O = re.compile(r"\b[\doO]*\d[\doO]*\b")
_NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "dim": "0", "sero": "0", "un": "1", "dau": "2", "dwy": "2", "tri": "3", "tair": "3", "pedwar": "4", "pedair": "4",
    "pump": "5", "chwech": "6", "saith": "7", "wyth": "8", "naw": "9",
}  # fmt: skip
_REPEAT_WORDS = {"double": 2, "triple": 3, "treble": 3, "dwbl": 2}
# Said after a digit: "nine hundred" is 900, "naw cant" too.
_ZEROS_WORDS = {"hundred": "00", "thousand": "000", "cant": "00", "mil": "000"}
# A run of a spoken number: words, digit groups and the separators between them (spaces, commas, hyphens, brackets);
# any other character ends the run.
_RUN_PIECE = re.compile(r"[^\W\d_]+|[0-9]+|[^\s,()\-\u2013]")

_POSSESSIVE = re.compile(r"([^\W\d_]+)['’]s\b")
# (family, in English, Welsh and Wenglish, with the possessive often written without its apostrophe: "bampis number")
_PERSON_CUE = re.compile(
    r"\b(?:(?:mum|mam|mami|dad|tad|dadi|nan|nana|nanna|nain|mamgu|tadcu|bampi|bamps|gramps|grampy|gran|granny|"
    r"grandma|grandad|grandpa|taid|aunty|auntie|anti|modryb|uncle|wncwl|ewythr|brother|sister|brawd|chwaer|husband|"
    r"wife|gwr|gŵr|gwraig|son|daughter|mab|merch|boyfriend|girlfriend|cariad)(?:['’]?s)?"
    r"|my|me|his|her|home|mobile|personal|private|direct|fy|adref|symudol|ffôn symudol)\b",
    re.IGNORECASE,
)

# A phone number kept by `_phones` begins with 0 or + (or an O written for 0) and is valid (or Ofcom's drama range):
# at least six digits, counting any country code, with only punctuation, spaces or an "x" between them.
_MAY_BE_A_PHONE = re.compile(r"[0+oO](?:(?:[xX_]|[^\w])*[\doO]){5}")

# (and runs of the letter o, read as zeros: "7oo", "nine-oo")
_NUMBER_WORD_SET = frozenset([*_NUMBER_WORDS, *_REPEAT_WORDS, *_ZEROS_WORDS, "oo", "ooo", "oooo"])


def _may_speak_a_number(low: str, words: list[str] | None = None) -> bool:
    """Whether a (lowered) text has enough number words and digits for `_read_spoken_phones` to find a number.

    A UK number has ten digits after its 0; a number word gives at most three ("thousand", or "triple" with the word
    after it), a digit one, and a spoken number has at least one word.
    """
    words = _words_of(low) if words is None else words
    if _NUMBER_WORD_SET.isdisjoint(words):
        return False
    count = 0
    for word in words:
        if word in _NUMBER_WORD_SET:
            count += 1
            if count >= 4:
                return True
    return sum(map(low.count, "0123456789")) + 3 * count >= 10


def _is_drama_number(national: str) -> bool:
    for prefix in _DRAMA_PREFIXES:
        if national.startswith(prefix):
            return len(national) == _DRAMA_LENGTHS.get(prefix, 10)
    return False


def _for_an_organisation(text: str, start: int, end: int) -> bool:
    """A landline introduced by a venue or organisation ("the leisure centre on ..."), with nothing personal near."""
    before = re.split(r"[.!?\n]\s", text[max(0, start - 80) : start])[-1]
    after = re.split(r"[.!?\n]", text[end : end + 30])[0]
    near = f"{before} {after}"
    if _PERSON_CUE.search(near):
        return False
    # The organisation may be named a sentence earlier, when the post begins with it: "Llyfrgell Coed Duon: oriau
    # agor newydd ... Ffôn: ..." (nothing personal said between).
    if not _ORGANISATION_CUE.search(near):
        opening = text[: min(start, 60)]
        if not _ORGANISATION_CUE.search(opening) or _PERSON_CUE.search(text[:start]):
            return False
    # "Sarah's number" is a person's; "the council's admissions line" and "the club secretary's line" are the
    # organisation's.
    return all(
        _ORGANISATION_CUE.fullmatch(m.group(1)) or m.group(1).lower() in _OFFICERS for m in _POSSESSIVE.finditer(near)
    )


# Officers of an organisation: "the club secretary's line".
_OFFICERS = frozenset(
    _words("secretary treasurer chair chairman chairperson coach manager organiser warden clerk ysgrifennydd trysorydd")
)


def _personal_number(number: phonenumbers.PhoneNumber, contacts: SchoolContacts) -> bool | None:
    """True for a number that identifies a person, False for one that does not, None for one that is no number."""
    import phonenumbers

    national = str(number.national_number)
    if national in contacts.phones:
        return False
    if phonenumbers.is_valid_number(number):
        return phonenumbers.number_type(number) not in _organisation_number_types()
    return True if number.country_code == 44 and _is_drama_number(national) else None


def _is_landline(number: phonenumbers.PhoneNumber) -> bool:
    """A fixed line by the numbering plan, or one of Ofcom's drama landline ranges (01, 02: not mobiles)."""
    import phonenumbers

    if phonenumbers.number_type(number) in _landline_types():
        return True
    national = str(number.national_number)
    return number.country_code == 44 and national[:1] in ("1", "2") and _is_drama_number(national)


def _phones(text: str, contacts: SchoolContacts) -> list[Match]:
    import phonenumbers

    found = []
    # Same length as the text, so a match's position is its position in the post.
    digits = _DIGITS_WITH_O.sub(lambda m: m.group(0).replace("o", "0").replace("O", "0"), text)
    for m in phonenumbers.PhoneNumberMatcher(digits, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        # A UK number is written with its trunk 0 or with +44; bare digit runs are references and totals.
        if not m.raw_string.lstrip("(").startswith(("0", "+")) or not _personal_number(m.number, contacts):
            continue
        if _is_landline(m.number) and _for_an_organisation(text, m.start, m.end):
            continue
        before = text[max(0, m.start - 40) : m.start]
        if _OTHER_NUMBER_SAID.search(before) and not _PHONE_SAID.search(before):
            continue  # "ISBN 0 7475 3269 9", "order ref 07700 900123": a code, not a number to ring
        found.append(Match(PHONE, text[m.start : m.end], m.start, m.end))
    return found


def _spoken_phones(
    text: str, contacts: SchoolContacts, low: str | None = None, words: list[str] | None = None
) -> list[Match]:
    """Numbers written in words, wholly or in part, English or Welsh: "oh seven seven double oh, nine oh oh ...",
    "07700 nine hundred, seven one four", "dim saith saith ..."."""
    low = _lowered(text) if low is None else low
    return _read_spoken_phones(text, low, contacts) if _may_speak_a_number(low, words) else []


def _read_spoken_phones(text: str, low: str, contacts: SchoolContacts) -> list[Match]:
    found: list[Match] = []
    run: list[tuple[int, int, str, bool]] = []  # start, end, digits, whether said in words
    repeat: tuple[int, int] | None = None  # "double" or "triple" waiting for its digit: start, times
    for m in _RUN_PIECE.finditer(low):
        piece = m.group(0)
        if piece.isascii() and piece.isdigit():
            start, times = repeat or (m.start(), 1)
            run.append((start, m.end(), piece * times, repeat is not None))
        elif piece in _NUMBER_WORDS:
            start, times = repeat or (m.start(), 1)
            run.append((start, m.end(), _NUMBER_WORDS[piece] * times, True))
        elif len(piece) > 1 and not piece.strip("o"):  # "7oo", "nine-oo": each o a 0
            start, times = repeat or (m.start(), 1)
            run.append((start, m.end(), "0" * len(piece) * times, True))
        elif piece in _ZEROS_WORDS and run and repeat is None:
            run.append((m.start(), m.end(), _ZEROS_WORDS[piece], True))
        elif piece in _REPEAT_WORDS and repeat is None:
            repeat = (m.start(), _REPEAT_WORDS[piece])
            continue
        else:
            found += _phones_in_run(text, run, contacts)
            run = []
        repeat = None
    found += _phones_in_run(text, run, contacts)
    return found


def _phones_in_run(text: str, run: list[tuple[int, int, str, bool]], contacts: SchoolContacts) -> list[Match]:
    """UK numbers (a 0 and ten or nine more digits) in a run of digits and number words, at least one a word."""
    found: list[Match] = []
    if run and run[0][2].startswith("7") and all(spoken for *_, spoken in run):
        # A mobile number said wholly in words often drops its 0: "saith saith dim dim naw ...", "seven seven double
        # oh nine ..." (the whole run: ten digits, a mobile's 7 first).
        digits = "".join(piece for *_, piece, _ in run)
        if len(digits) == 10 and _spoken_is_personal("0" + digits, contacts):
            return [Match(PHONE, text[run[0][0] : run[-1][1]], run[0][0], run[-1][1])]
    i = 0
    while i < len(run):
        if not run[i][2].startswith("0"):
            i += 1
            continue
        digits, ends = "", {}
        for j in range(i, len(run)):
            digits += run[j][2]
            if len(digits) in (10, 11):
                ends[len(digits)] = j
            if len(digits) >= 11:
                break
        for length in (11, 10):
            j = ends.get(length, -1)
            if (
                j >= 0
                and any(spoken for *_, spoken in run[i : j + 1])
                and _spoken_is_personal(digits[:length], contacts)
                and not (digits[:2] in ("01", "02") and _for_an_organisation(text, run[i][0], run[j][1]))
            ):
                found.append(Match(PHONE, text[run[i][0] : run[j][1]], run[i][0], run[j][1]))
                i = j
                break
        i += 1
    return found


def _spoken_is_personal(number: str, contacts: SchoolContacts) -> bool:
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return False
    return bool(_personal_number(parsed, contacts))
