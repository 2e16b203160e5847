"""Personal information in published text (SMP-2.4): phone numbers, personal email addresses, home addresses and
postcodes, dates of birth, Unique Pupil Numbers and NHS numbers.

The school's own published contact details are never flagged. Pupil and NHS numbers are validated with their check
digits (python-stdnum), phone numbers by Google's numbering plan (phonenumbers, region GB), so a score, a date or an
order reference that merely looks like a number is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType
from stdnum.gb import nhs, upn

PHONE = "phone number"
EMAIL = "personal email address"
ADDRESS = "home address"
POSTCODE = "postcode"
DATE_OF_BIRTH = "date of birth"
UPN = "Unique Pupil Number"
NHS_NUMBER = "NHS number"


@dataclass(frozen=True)
class Match:
    kind: str
    text: str  # as written in the post
    start: int
    end: int


# Numbers an organisation publishes (freephone, shared-cost, "UAN" 03 numbers): they identify no one.
_ORGANISATION_NUMBER_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
    PhoneNumberType.PREMIUM_RATE,
}
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

_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b")
_WEBMAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "outlook.co.uk",
        "live.com",
        "live.co.uk",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "aol.co.uk",
        "btinternet.com",
        "btopenworld.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "ntlworld.com",
        "blueyonder.co.uk",
        "tiscali.co.uk",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "gmx.co.uk",
        "mail.com",
        "zoho.com",
    ]
)
# Mailboxes of a role rather than a person: on an organisation's own domain they identify no one.
_ROLE_MAILBOXES = frozenset(
    [
        "info",
        "office",
        "admin",
        "administrator",
        "enquiries",
        "enquiry",
        "contact",
        "contactus",
        "hello",
        "bookings",
        "booking",
        "sales",
        "support",
        "reception",
        "help",
        "events",
        "press",
        "media",
        "team",
        "mail",
        "webmaster",
        "noreply",
        "no-reply",
        "head",
        "headteacher",
        "clerk",
        "finance",
        "governors",
        "admissions",
        "attendance",
        "pta",
        "club",
        "secretary",
        "membership",
        "tickets",
        "studio",
        "library",
        "museum",
        "learning",
        "education",
        "schools",
        "customerservices",
        "customer.services",
    ]
)

# Royal Mail's format: outward code (area, district) then inward code (sector, unit). Letters in the inward unit
# exclude C, I, K, M, O and V.
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_STREET_SUFFIX = (
    r"Road|Rd|Street|St|Avenue|Ave|Close|Drive|Lane|Crescent|Way|Terrace|Gardens|Place|Court|Grove|Row|Walk|"
    r"Mews|Square|Rise|Parade|Villas|Heights|Hill|View|Park|Green|Meadows?|Fields?|Cottages?"
)
_WORD = r"[A-Z][a-zA-Z'’ŵŷâêîôû-]+"
# English streets end in a suffix ("Road"); Welsh ones begin with it ("Heol y Coed", "Ffordd Las").
_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Apt)\.? ?\d+[A-Za-z]?,? )?\d{{1,4}}[A-Za-z]?,? "
    rf"(?:(?:{_WORD} (?:(?:y|yr|the|of) )?){{1,3}}(?:{_STREET_SUFFIX})\b\.?"
    rf"|(?:Heol|Ffordd|Stryd|Lôn|Rhodfa|Cilgant|Maes|Clos|Llys|Teras)(?: (?:yr\b|y\b|{_WORD})){{1,3}})"
)
_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?[ -](?:of )?(?:{_MONTHS})[ ,-]+\d{{4}}"
    rf"|(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
)
# A date alone is an event; a date said to be someone's birth date is personal information.
_DATE_OF_BIRTH = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date of birth|birth ?date|born(?: on)?|birthday(?: is| was)?(?: on)?)\s*[:\-–]?\s*({_DATE})",
    re.IGNORECASE,
)
_UPN = re.compile(r"\b[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]\b")
_NHS = re.compile(r"(?<![\d+])[1-9][0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![\d])")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


@dataclass(frozen=True)
class SchoolContacts:
    """What the school publishes about itself: phone numbers, email addresses, email domains and postal details."""

    phones: frozenset[str] = frozenset()  # national significant numbers
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    other: frozenset[str] = frozenset()  # postcodes and addresses, folded

    @classmethod
    def parse(cls, items: Iterable[str], email_domain: str | None = None) -> SchoolContacts:
        """Sort each configured contact into its kind: '@domain' or 'domain' for a whole email domain."""
        phones: set[str] = set()
        emails: set[str] = set()
        domains: set[str] = {email_domain.lower()} if email_domain else set()
        other: set[str] = set()
        for item in items:
            value = item.strip()
            if value.startswith("@"):
                domains.add(value[1:].lower())
            elif "@" in value:
                emails.add(value.lower())
            else:
                number = _parse_phone(value)
                if number is not None:
                    phones.add(number)
                else:
                    other.add(_fold(value))
                    other.add(_fold(value).replace(" ", ""))
        return cls(frozenset(phones), frozenset(emails), frozenset(domains), frozenset(other))


def _parse_phone(value: str) -> str | None:
    if sum(c.isdigit() for c in value) < 7 or re.search(r"[A-Za-z]", value):
        return None
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    return str(number.national_number)


def _is_drama_number(national: str) -> bool:
    for prefix in _DRAMA_PREFIXES:
        if national.startswith(prefix):
            return len(national) == _DRAMA_LENGTHS.get(prefix, 10)
    return False


def _phones(text: str, contacts: SchoolContacts) -> list[Match]:
    found = []
    for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        national = str(m.number.national_number)
        # A UK number is written with its trunk 0 or with +44; bare digit runs are references and totals.
        if not m.raw_string.lstrip("(").startswith(("0", "+")) or national in contacts.phones:
            continue
        if phonenumbers.is_valid_number(m.number):
            if phonenumbers.number_type(m.number) in _ORGANISATION_NUMBER_TYPES:
                continue
        elif not (m.number.country_code == 44 and _is_drama_number(national)):
            continue
        found.append(Match(PHONE, m.raw_string, m.start, m.end))
    return found


def _emails(text: str, contacts: SchoolContacts) -> list[Match]:
    found = []
    for m in _EMAIL.finditer(text):
        local, domain = m.group(1).lower(), m.group(2).lower()
        address = f"{local}@{domain}"
        if address in contacts.emails or any(domain == d or domain.endswith("." + d) for d in contacts.domains):
            continue
        if domain not in _WEBMAIL and local in _ROLE_MAILBOXES:
            continue
        found.append(Match(EMAIL, m.group(0), m.start(), m.end()))
    return found


def _postal(text: str, contacts: SchoolContacts) -> list[Match]:
    found = []
    for m in _ADDRESS.finditer(text):
        if _fold(m.group(0)) not in contacts.other:
            found.append(Match(ADDRESS, m.group(0), m.start(), m.end()))
    for m in _POSTCODE.finditer(text):
        code = _fold(m.group(0))
        # Lower-case text that merely fits the pattern ("m1 4ab" in a URL slug) is rare; a written postcode is upper.
        if not m.group(0).isupper() or code in contacts.other or code.replace(" ", "") in contacts.other:
            continue
        found.append(Match(POSTCODE, m.group(0), m.start(), m.end()))
    return found


def _identifiers(text: str) -> list[Match]:
    found = [Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end()) for m in _DATE_OF_BIRTH.finditer(text)]
    found.extend(Match(UPN, m.group(0), m.start(), m.end()) for m in _UPN.finditer(text) if upn.is_valid(m.group(0)))
    for m in _NHS.finditer(text):
        # One ten-digit number in eleven passes the check digit by chance: it needs the NHS layout or the word NHS.
        said = " " in m.group(0) or "nhs" in text[max(0, m.start() - 40) : m.start()].lower()
        if said and nhs.is_valid(m.group(0)):
            found.append(Match(NHS_NUMBER, m.group(0), m.start(), m.end()))
    return found


def find_personal_info(text: str, school_contacts: SchoolContacts | Iterable[str] = ()) -> list[Match]:
    """Personal information in `text`, in order of appearance; overlapping findings are reported once."""
    contacts = school_contacts if isinstance(school_contacts, SchoolContacts) else SchoolContacts.parse(school_contacts)
    # Identifiers first: an NHS number written "943 476 5919" is also a possible phone number.
    candidates = _identifiers(text)
    if any(c.isdigit() for c in text):
        candidates += _phones(text, contacts)
    if "@" in text:
        candidates += _emails(text, contacts)
    candidates += _postal(text, contacts)
    kept: list[Match] = []
    for match in candidates:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)
