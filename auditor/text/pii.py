"""Personal information in published text (SMP-2.4): phone numbers, personal email addresses, home addresses and
postcodes, dates of birth, Unique Pupil Numbers, NHS numbers and National Insurance numbers, in English and Welsh.

The school's own published contact details are never flagged, nor are the contacts of organisations: role mailboxes
(info@, ymholiadau@), addresses on public bodies' domains (.gov.uk, .sch.uk, .llyw.cymru, ...) and landlines given
for a venue or an organisation. Pupil and NHS numbers are validated with their check digits (python-stdnum; Welsh
local authorities' pupil numbers by the same check letter, see `_upn_valid`), phone numbers by Google's numbering
plan (phonenumbers, region GB), so a score, a date or an order reference that merely looks like a number is not
reported. Details written to slip past a filter are read as a person would: "jo dot bloggs at gmail dot com",
"O77OO 9OO123", "oh seven seven double oh ...".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from auditor.text.names import LOCAL_PLACES

# phonenumbers and python-stdnum are imported where a number is read, not here: together they take longer to import
# than `auditor checks` may take to start (benchmarks/startup.py), and listing the checks reads no number.
if TYPE_CHECKING:
    import phonenumbers

PHONE = "phone number"
EMAIL = "personal email address"
ADDRESS = "home address"
POSTCODE = "postcode"
DATE_OF_BIRTH = "date of birth"
UPN = "Unique Pupil Number"
NHS_NUMBER = "NHS number"
NI_NUMBER = "National Insurance number"


@dataclass(frozen=True)
class Match:
    kind: str
    text: str  # as written in the post
    start: int
    end: int


class _OnUse:
    """A regular expression compiled the first time it is used. The patterns below take about as long to compile as
    the interpreter takes to start, and `auditor checks`, which only lists the checks, uses none of them."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            self._pattern = re.compile(*self._args)
        return getattr(self._pattern, name)


def _compiled_on_use(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _OnUse(pattern, flags))


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
        # Welsh: enquiries, office, welcome, post, information, contact, reception, bookings, head, clerk.
        "ymholiadau",
        "swyddfa",
        "croeso",
        "post",
        "gwybodaeth",
        "cyswllt",
        "derbynfa",
        "archebu",
        "pennaeth",
        "clerc",
        "cyfarchion",
        "addysg",
        "dysgu",
    ]
)
# Public bodies' domains: an address there is someone's work contact, published by the organisation.
_PUBLIC_DOMAINS = (
    ".gov.uk",
    ".gov.wales",
    ".llyw.cymru",
    ".sch.uk",
    ".nhs.uk",
    ".nhs.wales",
    ".police.uk",
    ".ac.uk",
    ".parliament.uk",
    ".senedd.wales",
    ".senedd.cymru",
)

# Royal Mail's format: outward code (area, district) then inward code (sector, unit). Letters in the inward unit
# exclude C, I, K, M, O and V.
_POSTCODE = _compiled_on_use(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_STREET_SUFFIX = (
    r"Road|Rd|Street|St|Avenue|Ave|Close|Drive|Lane|Crescent|Way|Terrace|Gardens|Place|Court|Grove|Row|Walk|"
    r"Mews|Square|Rise|Parade|Villas|Heights|Hill|View|Park|Green|Meadows?|Fields?|Cottages?"
)
_WORD = r"[A-Z][a-zA-Z'’ŵŷâêîôûŴŶ-]+"
_WELSH_LINK = r"(?:y|yr|'r|’r|r|a|ar|dan|uwch|is)"
# Welsh street names begin with their kind ("Heol y Coed", "Ffordd Las", "Rhes Fictoria").
_WELSH_STREET = r"(?:Heol|Ffordd|Stryd|Lôn|Lon|Rhodfa|Cilgant|Maes|Clos|Llys|Teras|Rhes|Cwrt|Gerddi|Parc|Bro|Pant|Erw)"
# Words that begin Welsh place, street and house names: "12 Ael-y-Bryn", "Bryn Awel, Oakdale", "Tŷ Gwyn".
_WELSH_ELEMENT = (
    r"(?:Ael|Bryn|Cae|Pen|Tan|Nant|Coed|Glan|Cefn|Gwaun|Min|Bron|Pant|Llwyn|Dol|Dôl|Hafod|Plas|Tŷ|Ty|Tai|Fferm|"
    r"Bwthyn|Gelli|Pwll|Rhiw|Cwm|Blaen|Llain|Maen|Twyn|Waun|Graig|Craig|Heol|Ffordd|Maes|Llys|Clos|Parc|Bro)"
)
_TOWN = "|".join(sorted((re.escape(p) for p in LOCAL_PLACES), key=len, reverse=True))
_HOUSE_SUFFIX = r"(?:Cottage|House|Farm|Lodge|Barn|Villa|Bungalow|Manor|Farmhouse)"
_ADDRESS = _compiled_on_use(
    rf"\b(?:(?:Flat|Fflat|Apartment|Apt)\.? ?\d+[A-Za-z]?,? )?\d{{1,4}}[A-Za-z]?,? "
    rf"(?:(?:{_WORD} (?:(?:y|yr|the|of) )?){{1,3}}(?:{_STREET_SUFFIX})\b\.?"
    rf"|{_WELSH_STREET}(?:[ -](?:{_WELSH_LINK}\b|{_WORD})){{1,3}}"
    # "12 Ael-y-Bryn", "7 Bryn Celyn", "3 Cae'r Felin": a Welsh name after a house number, no suffix needed.
    rf"|[A-Z][a-zâêîôûŵŷ]+-{_WELSH_LINK}-[A-Z][\w’'-]*"
    rf"|{_WELSH_ELEMENT}(?:'r|’r)?[ -](?:{_WELSH_LINK}[ -])?{_WORD}"
    # "22 Maple Gardens, Blackwood" is above; "22 Ashgrove, Blackwood" names no street kind but a town follows.
    rf"|{_WORD}(?: {_WORD})?, (?:{_TOWN})\b)"
)
# A house named, then a street or a town: "Tŷ Gwyn, Heol y Coed", "Rose Cottage, Argoed", "Flat 4, Llys Celyn".
_HOUSE = _compiled_on_use(
    rf"\b(?:(?:Flat|Fflat|Apartment|Apt)\.? ?\d+[A-Za-z]?,? {_WORD}(?: (?:{_WELSH_LINK} )?{_WORD})?"
    rf"|{_WELSH_ELEMENT} {_WORD}(?: {_WORD})?, (?:{_WELSH_STREET} |(?:{_TOWN})\b)"
    rf"|{_WORD} {_HOUSE_SUFFIX}, (?:{_WELSH_STREET} |(?:{_TOWN})\b))"
)
_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?"
)
# Welsh months, with the soft mutation they take after "o" or "fis" ("3 o Fai").
_MISOEDD = r"Ionawr|Chwefror|[MF]awrth|Ebrill|[MF]ai|[MF]ehefin|Gorffennaf|Awst|[MF]edi|Hydref|[TD]achwedd|R?hagfyr"
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[ -]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)?|(?:the )?(?:{_ORDINAL_WORD}))"
_YEAR = r"(?:\d{4}|two thousand(?: and)? [a-z]+|twenty [a-z]+(?:[ -][a-z]+)?)"
_DATE = (
    rf"(?:{_DAY}[ -](?:of |o )?(?:{_MONTHS}|{_MISOEDD})[ ,-]+{_YEAR}"
    rf"|(?:{_MONTHS}) (?:the )?{_DAY},? {_YEAR}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
)
# A date alone is an event; a date said to be someone's birth date is personal information.
_DATE_OF_BIRTH = _compiled_on_use(
    r"\b(?:d\.?o\.?b\.?|date of birth|birth ?date|born(?: on)?|birthday(?: is| was)?(?: on)?"
    # "Ganwyd Tomos ar 3 Mai 2013": Welsh puts who was born between the verb and the date.
    r"|dyddiad geni|dyddiad ei (?:geni|eni)|ganwyd(?:(?: [^\W\d_]+){1,3} ar|(?: (?:hi|e|o|ef|fi))?(?: ar)?)"
    rf"|(?:cafodd|ces) (?:ei |fy )?(?:geni|eni)(?: ar)?)\s*[:\-–]?\s*({_DATE})",
    re.IGNORECASE,
)
# An age with "today" or a birthday gives the birth date from the post's own date: "Happy 11th birthday Cerys!".
_AGE_TODAY = re.compile(
    r"\b(?:happy \d{1,2}(?:st|nd|rd|th) (?:birthday|bday)|(?:turns|turned|is|was) \d{1,2} (?:years old )?today"
    r"|pen-?blwydd hapus (?:yn )?\d{1,2}(?:ain|fed|ed|eg|af|il|ydd)?(?: oed)?"
    r"|yn \d{1,2} (?:mlwydd |mlynedd )?oed heddiw)\b",
    re.IGNORECASE,
)
# Famous people's birth dates are history, not personal information.
_PUBLIC_FIGURE = _compiled_on_use(
    r"\b(?:author|poet|writer|novelist|scientist|inventor|artist|painter|composer|singer|actor|actress|king|queen|"
    r"prince|princess|president|prime minister|footballer|player|captain|explorer|astronaut|mathematician|saint|"
    r"st\.?|bardd|awdur|arlunydd|canwr|cantores|brenin|brenhines|tywysog|chwaraewr|famous|enwog)\b",
    re.IGNORECASE,
)
_UPN = re.compile(r"\b[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]\b")
# Local authority numbers of Wales (660 Isle of Anglesey to 681 Cardiff; Caerphilly is 676). python-stdnum's list is
# England's only, so a Welsh pupil's number fails its validation although its check letter is right.
_WELSH_LA = range(660, 682)
_NHS = re.compile(r"(?<![\d+])[1-9][0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![\d])")
_NHS_SAID = re.compile(r"\b(?:nhs|gig|health (?:service )?(?:no|number))\b", re.IGNORECASE)
# HMRC's format: two letters (not D, F, I, Q, U, V; the second not O), six digits, a suffix A to D. QQ is HMRC's
# own example prefix, used in made-up data: a reader still sees a number to copy, as with drama phone numbers.
_NI = _compiled_on_use(r"\b(?:QQ|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE)
_NI_SAID = re.compile(r"\b(?:national insurance|ni(?: no| number)?|nino|yswiriant gwladol)\b", re.IGNORECASE)
_NI_NOT_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

# Letters written for digits inside a run of digits: "O77OO 9OO123".
_DIGITS_WITH_O = re.compile(r"\b[\doO]*\d[\doO]*\b")
_NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "dim": "0", "un": "1", "dau": "2", "dwy": "2", "tri": "3", "tair": "3", "pedwar": "4", "pedair": "4",
    "pump": "5", "chwech": "6", "saith": "7", "wyth": "8", "naw": "9",
}  # fmt: skip
_REPEAT_WORDS = {"double": 2, "triple": 3, "treble": 3, "dwbl": 2}
_NUMBER_WORD = "|".join(sorted([*_NUMBER_WORDS, *_REPEAT_WORDS], key=len, reverse=True))
_SPOKEN_NUMBER = _compiled_on_use(rf"\b(?:(?:{_NUMBER_WORD})[\s,-]+){{6,}}(?:{_NUMBER_WORD})\b", re.IGNORECASE)
# A landline given for a place or an organisation is its public number; one given for a person is not.
_ORGANISATION_CUE = _compiled_on_use(
    r"\b(?:centre|center|club|council|surgery|practice|library|theatre|box office|reception|office|school|college|"
    r"hall|church|chapel|museum|leisure|pool|stadium|venue|hotel|restaurant|caf[eé]|shop|store|garage|service|"
    r"services|helpline|desk|trust|charity|society|association|ltd|limited|plc|pharmacy|hospital|clinic|station|"
    r"booking|bookings|tickets|enquiries|canolfan|swyddfa|cyngor|clwb|llyfrgell|theatr|neuadd|capel|eglwys|"
    r"meddygfa|ysgol|coleg|amgueddfa|gwasanaeth|derbynfa|ymholiadau|fferyllfa|ysbyty|archebu|"
    # the same after a mutation: "y ganolfan", "i'r clwb", "yn y gyngor"
    r"ganolfan|nghanolfan|glwb|ngyngor|gyngor|lyfrgell|ddoctor|feddygfa|gwasanaeth)\b",
    re.IGNORECASE,
)
_PERSON_CUE = re.compile(
    r"\b(?:mum|mam|dad|tad|nan|nain|mamgu|gran|grandma|grandad|taid|my|me|his|her|home|mobile|personal|private|"
    r"direct|fy|adref|symudol|ffôn symudol|'s)\b|['’]s\b",
    re.IGNORECASE,
)
_TLD = r"(?:com|net|org|uk|cymru|wales|me|io|info|biz|edu|ie|eu|co|gov|nhs|sch|ac|ltd)"
_AT_WORD = r"(?:\s*(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\))\s*|\s+(?:at|AT)\s+|\s+@\s*|\s*@\s+)"
_DOT_WORD = r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\[\.\])\s*|\s+(?:dot|DOT)\s+|\.)"
# Parts of an address are bounded ({0,4}): a long run of "a dot a dot ..." must not cost quadratic time.
_OBFUSCATED_EMAIL = _compiled_on_use(
    rf"(?<![\w.@-])([A-Za-z0-9_%+-]+(?:{_DOT_WORD}[A-Za-z0-9_%+-]+){{0,4}}){_AT_WORD}"
    rf"([A-Za-z0-9-]+(?:{_DOT_WORD}[A-Za-z0-9-]+){{0,4}}{_DOT_WORD}{_TLD})\b"
)
_UNDOT = re.compile(_DOT_WORD)
# What `_AT_WORD` needs, without "@": " at " or "AT" between spaces, or "at" in brackets.
_AT_SPELT = re.compile(r"\s(?:at|AT)\s|[\[({<]at[\])}>]")

# Cheap gates: each pattern below needs what its gate finds, so a text the gate passes over cannot match it and the
# pattern is not run (most posts give none of these details). Gates on words read the text lowered as the
# case-insensitive patterns do: Python's regular expressions also match the dotless i (U+0131), the long s (U+017F),
# the dotted capital I (U+0130) and the Kelvin sign (U+212A) to i, s, i and k.
_AS_REGEX_IGNORES_CASE = str.maketrans({"\u0131": "i", "\u017f": "s", "\u0130": "i", "\u212a": "k"})
# A phone number kept by `_phones` begins with 0 or + (or an O written for 0) and is valid (or Ofcom's drama range):
# at least six digits, counting any country code, with only punctuation, spaces or an "x" between them.
_MAY_BE_A_PHONE = re.compile(r"[0+oO](?:(?:[xX_]|[^\w])*[\doO]){5}")
# `_HOUSE` needs a flat's number or a house name followed by ", " and a capital (a street or a town); `_ADDRESS`
# needs a house number followed by a space and a capital; `_POSTCODE` a digit and two letters (the inward code).
_MAY_NAME_A_HOUSE = re.compile(r"Flat|Fflat|Apartment|Apt|, [A-Z]")
_MAY_NUMBER_A_HOUSE = re.compile(r"\d[A-Za-z]?,? [A-Z]")
_MAY_BE_A_POSTCODE = re.compile(r"[0-9][a-z]{2}")
_READ_AS_ASCII = "\u0131\u017f\u0130\u212a"
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")  # a UPN
_THREE_DIGITS = re.compile(r"[0-9]{3}")  # an NHS number
_SIX_DIGITS = re.compile(r"\d\d ?\d\d ?\d\d")  # a National Insurance number
# "date of birth", "born on", "geni", "eni", "ganwyd", "DOB", "d.o.b."; "birthday", "bday", "today", "blwydd", "heddiw"
_DOB_GATE = re.compile(r"birth|born|eni|ganwyd|d\.?o\.?b")
_AGE_GATE = re.compile(r"b(?:irth)?day|today|blwydd|heddiw")
_LOWER_WORD = re.compile(r"[a-z]+")
_NUMBER_WORD_SET = frozenset([*_NUMBER_WORDS, *_REPEAT_WORDS])


def _lowered(text: str) -> str:
    """`text` in lower case, with every letter a case-insensitive pattern reads as an ASCII letter made one."""
    if text.isascii() or not any(c in text for c in _READ_AS_ASCII):
        return text.lower()
    return text.translate(_AS_REGEX_IGNORES_CASE).lower()


def _may_speak_a_number(low: str) -> bool:
    """Whether a (lowered) text has the seven number words `_SPOKEN_NUMBER` needs at the least."""
    count = 0
    for word in _LOWER_WORD.findall(low):
        if word in _NUMBER_WORD_SET:
            count += 1
            if count >= 7:
                return True
    return False


# A number after one of these words counts something other than houses.
_NOT_A_HOUSE_NUMBER = _compiled_on_use(
    r"\b(?:year|yr|y|blwyddyn|bl|room|ystafell|form|under|u|class|group|team|week|wythnos|page|chapter|platform|"
    r"bus|route|no|number|rhif|gate|pitch|court|lane|level|stage|top|best|the|won|beat|scored|raised|got|has|have|"
    r"had|over|about|all|only|our|ein|enillodd|sgoriodd)\.? ?$",
    re.IGNORECASE,
)


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
    import phonenumbers

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


def _for_an_organisation(text: str, start: int, end: int) -> bool:
    """A landline introduced by a venue or organisation ("the leisure centre on ..."), with nothing personal near."""
    before = re.split(r"[.!?\n]\s", text[max(0, start - 80) : start])[-1]
    after = re.split(r"[.!?\n]", text[end : end + 30])[0]
    near = f"{before} {after}"
    return bool(_ORGANISATION_CUE.search(near)) and not _PERSON_CUE.search(near)


def _personal_number(number: phonenumbers.PhoneNumber, contacts: SchoolContacts) -> bool | None:
    """True for a number that identifies a person, False for one that does not, None for one that is no number."""
    import phonenumbers

    national = str(number.national_number)
    if national in contacts.phones:
        return False
    if phonenumbers.is_valid_number(number):
        return phonenumbers.number_type(number) not in _organisation_number_types()
    return True if number.country_code == 44 and _is_drama_number(national) else None


def _phones(text: str, contacts: SchoolContacts) -> list[Match]:
    import phonenumbers

    found = []
    # Same length as the text, so a match's position is its position in the post.
    digits = _DIGITS_WITH_O.sub(lambda m: m.group(0).replace("o", "0").replace("O", "0"), text)
    for m in phonenumbers.PhoneNumberMatcher(digits, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        # A UK number is written with its trunk 0 or with +44; bare digit runs are references and totals.
        if not m.raw_string.lstrip("(").startswith(("0", "+")) or not _personal_number(m.number, contacts):
            continue
        if phonenumbers.number_type(m.number) in _landline_types() and _for_an_organisation(text, m.start, m.end):
            continue
        found.append(Match(PHONE, text[m.start : m.end], m.start, m.end))
    return found


def _spoken_phones(text: str, contacts: SchoolContacts, low: str | None = None) -> list[Match]:
    """Numbers written in words, English or Welsh: "oh seven seven double oh, nine oh oh ...", "dim saith saith ..."."""
    found: list[Match] = []
    if not _may_speak_a_number(_lowered(text) if low is None else low):
        return found
    for m in _SPOKEN_NUMBER.finditer(text):
        digits, repeat = [], 1
        for word in re.findall(r"[a-z]+", m.group(0).lower()):
            if word in _REPEAT_WORDS:
                repeat = _REPEAT_WORDS[word]
                continue
            digits.append(_NUMBER_WORDS[word] * repeat)
            repeat = 1
        number = "".join(digits)
        if len(number) < 10 or not number.startswith("0"):
            continue
        import phonenumbers

        try:
            parsed = phonenumbers.parse(number, "GB")
        except phonenumbers.NumberParseException:
            continue
        if _personal_number(parsed, contacts):
            found.append(Match(PHONE, m.group(0), m.start(), m.end()))
    return found


def _email_allowed(local: str, domain: str, contacts: SchoolContacts) -> bool:
    """The school's own addresses, role mailboxes of organisations and work addresses at public bodies."""
    if f"{local}@{domain}" in contacts.emails or any(domain == d or domain.endswith("." + d) for d in contacts.domains):
        return True
    if domain in _WEBMAIL:
        return False
    return local in _ROLE_MAILBOXES or ("." + domain).endswith(_PUBLIC_DOMAINS)


def _emails(text: str, contacts: SchoolContacts) -> list[Match]:
    found = []
    if "@" in text:  # the plain pattern needs one
        for m in _EMAIL.finditer(text):
            if not _email_allowed(m.group(1).lower(), m.group(2).lower(), contacts):
                found.append(Match(EMAIL, m.group(0), m.start(), m.end()))
    if "@" not in text and not _AT_SPELT.search(text):  # the disguised pattern needs an "at" written some way
        return found
    for m in _OBFUSCATED_EMAIL.finditer(text):
        if "@" in m.group(0) and not re.search(r"\s|\[|\(|\{|<", m.group(0)):
            continue  # a plain address: judged above
        local, domain = (_UNDOT.sub(".", g).lower() for g in m.groups())
        if not _email_allowed(local, domain, contacts):
            found.append(Match(EMAIL, m.group(0), m.start(), m.end()))
    return found


def _postal(text: str, contacts: SchoolContacts, low: str | None = None) -> list[Match]:
    found: list[Match] = []
    patterns = []
    if _MAY_NAME_A_HOUSE.search(text):
        patterns.append(_HOUSE)
    if _MAY_NUMBER_A_HOUSE.search(text):
        patterns.append(_ADDRESS)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if _NOT_A_HOUSE_NUMBER.search(text[max(0, m.start() - 12) : m.start()]):
                continue  # "Year 7 Netball, Blackwood": a year group, a room, a route
            if _fold(m.group(0)) not in contacts.other:
                found.append(Match(ADDRESS, m.group(0), m.start(), m.end()))
    if not _MAY_BE_A_POSTCODE.search(_lowered(text) if low is None else low):
        return found
    for m in _POSTCODE.finditer(text):
        code = _fold(m.group(0))
        if code in contacts.other or code.replace(" ", "") in contacts.other:
            continue
        # Lower case is a postcode only written as one, with its space, and not part of a link or a handle.
        outside = text[m.start() - 1 : m.start()] + text[m.end() : m.end() + 1]
        if not m.group(0).isupper() and (" " not in m.group(0) or any(c in "/-_.@#=" for c in outside)):
            continue
        found.append(Match(POSTCODE, m.group(0), m.start(), m.end()))
    return found


def _historical(text: str, start: int, date: str) -> bool:
    """A birth date of a famous or historical person: a year long past, or a public role named just before."""
    year = re.search(r"\b(1[0-9]{3})\b", date)
    if year and int(year.group(1)) < 1950:
        return True
    sentence = re.split(r"[.!?\n]\s", text[max(0, start - 100) : start])[-1]
    return bool(_PUBLIC_FIGURE.search(sentence))


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
        if written[:2].upper() in _NI_NOT_PREFIXES:
            continue
        # As printed on letters and payslips (upper case, unspaced or in pairs); written otherwise ("BA123456 C", a
        # flight) only where the text says what it is.
        printed = written.isupper() and (" " not in written or written.count(" ") == 4)
        if not printed and not _NI_SAID.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        found.append(Match(NI_NUMBER, written, m.start(), m.end()))
    return found


def _identifiers(text: str, low: str | None = None) -> list[Match]:
    low = _lowered(text) if low is None else low
    found: list[Match] = []
    if _DOB_GATE.search(low):
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in _DATE_OF_BIRTH.finditer(text)
            if not _historical(text, m.start(), m.group(1))
        )
    if _AGE_GATE.search(low):
        found.extend(Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end()) for m in _AGE_TODAY.finditer(text))
    three = _THREE_DIGITS.search(text)
    if three and _ELEVEN_DIGITS.search(text, three.start()):
        found.extend(Match(UPN, m.group(0), m.start(), m.end()) for m in _UPN.finditer(text) if _upn_valid(m.group(0)))
    for m in _NHS.finditer(text) if three else ():
        # One ten-digit number in eleven passes the check digit by chance: it needs the NHS layout or the word NHS
        # (GIG in Welsh).
        said = " " in m.group(0) or _NHS_SAID.search(text[max(0, m.start() - 40) : m.start()])
        if said and _nhs_valid(m.group(0)):
            found.append(Match(NHS_NUMBER, m.group(0), m.start(), m.end()))
    found.extend(_ni_numbers(text))
    return found


def find_personal_info(text: str, school_contacts: SchoolContacts | Iterable[str] = ()) -> list[Match]:
    """Personal information in `text`, in order of appearance; overlapping findings are reported once."""
    contacts = school_contacts if isinstance(school_contacts, SchoolContacts) else SchoolContacts.parse(school_contacts)
    # Identifiers first: an NHS number written "943 476 5919" is also a possible phone number.
    low = _lowered(text)
    candidates = _identifiers(text, low)
    if _MAY_BE_A_PHONE.search(text):
        candidates += _phones(text, contacts)
    candidates += _spoken_phones(text, contacts, low)
    candidates += _emails(text, contacts)
    candidates += _postal(text, contacts, low)
    kept: list[Match] = []
    for match in candidates:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)
