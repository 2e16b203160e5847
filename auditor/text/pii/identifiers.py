"""Identifiers: Unique Pupil Numbers, NHS numbers and National Insurance numbers, validated by their check digits;
`_identifiers` reads the dates of birth (`births`) first, then these."""

from __future__ import annotations

import re

from auditor.text.pii._common import (
    _OTHER_NUMBER_SAID,
    Match,
    _compiled_on_use,
    _lowered,
    _words_of,
)
from auditor.text.pii.births import (
    _A_DATE_IN_FIGURES,
    _A_RANGE_AFTER,
    _AN_AGE_GATE,
    _BIRTHDAY_WORDS,
    _DATE_OF_BIRTH,
    _DAY_WORDS,
    _DOB_GATE,
    _DOB_WORDS,
    _IS_AN_AGE_GATE,
    _IS_AN_AGE_ON_A_DATE,
    DATE_OF_BIRTH,
    _ages_with_a_day,
    _an_organisations_birthday,
    _birthdays,
    _dates_said_to_be_births,
    _pupils_listed_with_dates,
    _someones_birth,
)

UPN = "Unique Pupil Number"
NHS_NUMBER = "NHS number"
NI_NUMBER = "National Insurance number"

_UPN = re.compile(r"\b[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]\b")
# Local authority numbers of Wales (660 Isle of Anglesey to 681 Cardiff; Caerphilly is 676). python-stdnum's list is
# England's only, so a Welsh pupil's number fails its validation although its check letter is right.
_WELSH_LA = range(660, 682)
_NHS = re.compile(r"(?<![\d+])[1-9][0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![\d])")
_TEN_DIGITS_ANY_WAY = re.compile(r"(?<![\d+])(?<!\d[ -])\d(?:[ -]?\d){9}(?![ -]?\d)")
_NHS_SAID = re.compile(
    r"\b(?:nhs|gig|health (?:service )?(?:no|number)|(?:y )?gwasanaeth iechyd(?: gwladol)?|rhif iechyd)\b",
    re.IGNORECASE,
)
# HMRC's format: two letters (not D, F, I, Q, U, V; the second not O), six digits, a suffix A to D. QQ is HMRC's
# own example prefix, used in made-up data: a reader still sees a number to copy, as with drama phone numbers.
_NI = _compiled_on_use(r"\b(?:QQ|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
_NI_SAID = re.compile(r"\b(?:national insurance|ni(?: no| number)?|nino|yswiriant gwladol|rhif yg)\b", re.IGNORECASE)

_AN_EXAMPLE = _compiled_on_use(
    r"\b(?:example|e\.g\.|eg|sample|format|looks like|enghraifft|er enghraifft)\b", re.IGNORECASE
)
_NI_NOT_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")  # a UPN
_THREE_DIGITS = re.compile(r"[0-9]{3}")  # an NHS number
_SIX_DIGITS = re.compile(r"\d\d ?\d\d ?\d\d")  # a National Insurance number


def _nhs_valid(number: str) -> bool:
    from stdnum.gb import nhs

    return bool(nhs.is_valid(number))


def _upn_valid(number: str) -> bool:
    """A UPN with a right check letter, from an English or a Welsh local authority.

    python-stdnum validates the check letter and then an English list of authorities; the check letter is worked out
    the same way for Wales, so a Welsh number is checked with stdnum's own `calc_check_digit`.
    """
    from stdnum.gb import upn

    if upn.is_valid(number):
        return True
    return int(number[1:4]) in _WELSH_LA and upn.calc_check_digit(number[1:]) == number[0]


def _ni_numbers(text: str) -> list[Match]:
    found: list[Match] = []
    if not _SIX_DIGITS.search(text):
        return found
    for m in _NI.finditer(text):
        written = m.group(0)
        if written[:2].upper() in _NI_NOT_PREFIXES or _AN_EXAMPLE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # ("Example format only: QQ 12 34 56 C": HMRC's own example shows the shape, not a person)
        # As printed on letters and payslips (upper case, unspaced or in pairs); written otherwise ("BA123456 C", a
        # flight) only where the text says what it is.
        printed = written.isupper() and (" " not in written or written.count(" ") == 4)
        said = _NI_SAID.search(text[max(0, m.start() - 40) : m.start()])
        if not said and (not printed or _OTHER_NUMBER_SAID.search(text[max(0, m.start() - 40) : m.start()])):
            continue
        found.append(Match(NI_NUMBER, written, m.start(), m.end()))
    return found


def _identifiers(text: str, low: str | None = None, words: list[str] | None = None) -> list[Match]:
    low = _lowered(text) if low is None else low
    words = _words_of(low) if words is None else words
    found: list[Match] = []
    if not _DOB_WORDS.isdisjoint(words) and _DOB_GATE.search(low):
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in _DATE_OF_BIRTH.finditer(text)
            if _someones_birth(text, m) and not _A_RANGE_AFTER.match(text, m.end())
        )
        found.extend(_dates_said_to_be_births(text))
    if _A_DATE_IN_FIGURES.search(text):
        found.extend(_pupils_listed_with_dates(text))
    if not _BIRTHDAY_WORDS.isdisjoint(words):
        found.extend(_birthdays(text, low, words))
    if _IS_AN_AGE_GATE.search(low):
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in _IS_AN_AGE_ON_A_DATE.finditer(text)
            if not _an_organisations_birthday(text, m)
        )
    # (after the patterns above, whose spans are the fuller: "Lily-Mae is ten on ...")
    if not _DAY_WORDS.isdisjoint(words) and _AN_AGE_GATE.search(low):
        found.extend(_ages_with_a_day(text))
    three = _THREE_DIGITS.search(text)
    if three and _ELEVEN_DIGITS.search(text, three.start()):
        found.extend(Match(UPN, m.group(0), m.start(), m.end()) for m in _UPN.finditer(text) if _upn_valid(m.group(0)))
    for m in _NHS.finditer(text) if three else ():
        # One ten-digit number in eleven passes the check digit by chance: it needs the NHS layout or the word NHS
        # (GIG in Welsh).
        before = text[max(0, m.start() - 40) : m.start()]
        said = _NHS_SAID.search(before) or (" " in m.group(0) and not _OTHER_NUMBER_SAID.search(before))
        if said and _nhs_valid(m.group(0)):
            found.append(Match(NHS_NUMBER, m.group(0), m.start(), m.end()))
    if _NHS_SAID.search(text):
        # Said to be an NHS number, its ten digits may be grouped any way ("8664 549 710", "4 4 7 3 3 5 0 0 9 6",
        # "19878 77942") and the words may come a sentence earlier.
        taken = {(f.start, f.end) for f in found}
        for m in _TEN_DIGITS_ANY_WAY.finditer(text):
            if (m.start(), m.end()) in taken or not _NHS_SAID.search(text[max(0, m.start() - 120) : m.start()]):
                continue
            if _nhs_valid(re.sub(r"[ -]", "", m.group(0))):
                found.append(Match(NHS_NUMBER, m.group(0), m.start(), m.end()))
    found.extend(_ni_numbers(text))
    return found
