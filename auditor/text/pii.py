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

import datetime as dt
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


def _words(text: str) -> list[str]:
    return text.split()


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
# More roles, English and Welsh: accounts, sport, volunteers, jobs, safeguarding, hire, secretary, chair, treasurer,
# youth, shop, orders, news, box office, fundraising, community, exams, applications.
_ROLE_MAILBOXES |= frozenset(
    _words("""
    accounts cyfrifon sport sports chwaraeon volunteer volunteers gwirfoddoli marketing hr jobs swyddi careers
    safeguarding diogelu lettings hire llogi ysgrifennydd chair cadeirydd treasurer trysorydd welfare lles youth
    ieuenctid juniors junior section shop siop orders archebion news newyddion box boxoffice tocynnau digwyddiadau
    cymorth general hq partnerships fundraising codi arian community cymuned cymunedol exams arholiadau cais ceisiadau
    applications recruitment customer services reply helo eisteddfod steddfod gwersyll camp camps aelodaeth
    competitions cystadlaethau mabolgampau
    """)
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
# The same, as a house's name begins: not "Heol" or "Ffordd", which begin a street's ("Heol y Felin, Blackwood" is a
# street and its town, with no house on it).
_HOUSE_ELEMENT = _WELSH_ELEMENT.replace("|Heol|Ffordd|", "|")
_TOWN = "|".join(sorted((re.escape(p) for p in LOCAL_PLACES), key=len, reverse=True))
_HOUSE_SUFFIX = (
    r"(?:Cottage|Cottages|House|Farm|Lodge|Barn|Villa|Bungalow|Manor|Farmhouse|Vicarage|Rectory|Grange|Mill|Stables|"
    r"Orchard|Croft)"
)
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
# Where someone lives, with the house's number said after the street: "he lives on Bryn Road in Oakdale, number 12
# with the blue door", "mae hi'n byw yn Heol y Coed, rhif 12". The street alone ("lives on Bryn Road") is not
# reported: many people live on a street.
_LIVES_ON = _compiled_on_use(
    rf"\b(?:lives|live|living|byw) (?:on|in|at|up|yn|ar) (?:(?:{_WORD} (?:(?:y|yr|the|of) )?){{1,3}}"
    rf"(?:{_STREET_SUFFIX})\b|{_WELSH_STREET}(?:[ -](?:{_WELSH_LINK}\b|{_WORD})){{1,3}})"
    rf"[^.!?\n]{{0,40}}?\b(?:number|no\.?|rhif) \d{{1,4}}[A-Za-z]?\b"
)
# A street named in English after a house's name: "Rose Cottage, Church Lane", "Min y Coed, Twyn Road".
_ENGLISH_STREET = rf"{_WORD}(?: {_WORD})? (?:{_STREET_SUFFIX})\b"
# A house named, then a street or a town: "Tŷ Gwyn, Heol y Coed", "Rose Cottage, Argoed", "Flat 4, Llys Celyn".
_HOUSE = _compiled_on_use(
    rf"\b(?:(?:[Ff]lat|[Ff]flat|Apartment|Apt)\.? ?\d+[A-Za-z]?,? {_WORD}(?: (?:{_WELSH_LINK} )?{_WORD})?"
    # (after a house number it is a street: `_ADDRESS` reports "12 Ael-y-Bryn")
    rf"|(?<![0-9] )(?<![0-9], ){_HOUSE_ELEMENT}(?:[ -]{_WELSH_LINK})?[ -]{_WORD}(?: {_WORD})?, "
    rf"(?:{_WELSH_STREET} |(?:{_TOWN})\b|{_ENGLISH_STREET})"
    rf"|{_WORD} {_HOUSE_SUFFIX}, (?:{_WELSH_STREET} |(?:{_TOWN})\b|{_ENGLISH_STREET}))"
)
# A home described, not numbered: a house's name with a street or a town, said to be where someone lives.
# "Bryn Teg, the house at the top of Pandy Road", "they live in Bryn Awel on Heol y Graig", "her house The Willows,
# Church Lane", "y ty gwyn ar ffordd Argoed"; a flat with its street ("flat 6 above the bookies on High Street"); a
# house number said of a home ("were number 31 with the camper van") where the post names the street or the estate.
_A_HOUSE_NAME = (
    rf"(?:{_HOUSE_ELEMENT}(?:['’]r)?(?:[ -](?:{_WELSH_LINK})[ -]|[ -])[A-Z][\w'’-]+(?: {_HOUSE_SUFFIX})?"
    rf"|The [A-Z][a-z]+(?: {_HOUSE_SUFFIX})?|{_WORD} {_HOUSE_SUFFIX})"
)
_A_STREET_OR_TOWN = (
    rf"(?:{_ENGLISH_STREET}|(?i:{_WELSH_STREET})(?:[ -](?:{_WELSH_LINK}\b|[A-Z][\w'’-]*)){{1,3}}|(?i:{_TOWN})\b)"
)
_A_DWELLING = r"(?:house|farmhouse|cottage|bungalow|t[ŷy]|d[ŷy]|th[ŷy]|cartref|fferm|farm)"
# Within the same sentence after a house's name: what it is, or its street.
_NEAR_A_HOME = (
    r"(?=[^.!?\n]{0,80}\b(?:house|farmhouse|cottage|bungalow|t[ŷy]|d[ŷy]|th[ŷy]|fferm|farm|one|ffermdy|road|lane|"
    r"street|st|close|drive|avenue|terrace|way|hill|heol|ffordd|lôn|lon|stryd|rhodfa|cilgant)\b)"
)
# Each way of describing a home, with what it needs of the lowered text (most posts have none of it).
_HOMES_DESCRIBED: tuple[tuple[list[str] | re.Pattern[str], re.Pattern[str]], ...] = (
    # the name, then what it is: "Maes Gwyn, the house on the corner of ...", "Hafod Wen the farmhouse past ..."
    (
        _words("house farmhouse cottage bungalow ty t dy d thy th cartref fferm farm one ffermdy"),  # ("tŷ": "t")
        _compiled_on_use(
            rf"\b(?:{_A_HOUSE_NAME}|(?-i:[A-Z][a-z]+(?: [A-Z][a-z]+){{0,2}})),? (?:the|y|yr)(?: [a-z]+)? "
            rf"(?:{_A_DWELLING}|bungalow|one|ffermdy)\b(?=[^.!?\n]{{0,60}}{_A_STREET_OR_TOWN})"
        ),
    ),
    # where someone lives, by the house's name, and its street or town: "live in Bryn Awel on Heol y Graig"
    (
        _words("live lives living lived byw moved moving staying symud"),
        _compiled_on_use(
            rf"\b(?:lives?|living|lived|moved|moving|staying|byw|symud)(?: in| at| to| into| yn| i| ym)? "
            rf"{_A_HOUSE_NAME}(?=[^.!?\n]{{0,40}}{_A_STREET_OR_TOWN})"
        ),
    ),
    # "new house is Ty'r Ywen on Pen-y-lan Road", "at her house The Willows, Church Lane"
    (
        _words("house home place ty t cartref"),
        _compiled_on_use(
            rf"\b(?:house|home|place|tŷ|ty|cartref)(?: is| yw| called| named|,)? {_A_HOUSE_NAME}"
            rf"(?=[^.!?\n]{{0,40}}{_A_STREET_OR_TOWN})"
        ),
    ),
    # "Pen-y-Bryn House Argoed": a house with its suffix, then the town without a comma
    (
        _words(_HOUSE_SUFFIX.lower()[3:-1].replace("|", " ")),
        _compiled_on_use(rf"\b{_WORD} {_HOUSE_SUFFIX} (?i:{_TOWN})\b"),
    ),
    # a house's name, its street, its town: "Ty'r Ywen, Heol Gelli, Markham", "'Hafod', Heol Cefn, Markham"
    (
        re.compile(r", [^,\n]{2,30}, "),
        _compiled_on_use(
            rf"(?:['‘’][A-Z][^'‘’\n]{{1,20}}['’]|\b(?-i:[A-Z][\w'’-]+(?: (?:y|yr|r|[A-Z][\w'’-]+)){{0,2}})), "
            rf"(?:{_ENGLISH_STREET}|(?i:{_WELSH_STREET})(?:[ -](?:{_WELSH_LINK}\b|[A-Z][\w'’-]*)){{1,3}}), "
            rf"(?i:{_TOWN})\b"
        ),
    ),
    # a house's name in quotation marks, with what it is or its street near: "'Dolwen', the end house on Woodfield
    # Road", "\"Hafod Wen\", y ffermdy ar y ffordd i Manmoel", "\"Ty Canol\" farm" (the gate: an opening mark, not
    # the apostrophe of "it's")
    (
        re.compile(r"['‘’\"“](?<![^\s(]['‘’\"“])[^\W\d_]"),
        _compiled_on_use(
            rf"(?<![\w'’])['‘’\"“](?-i:[A-Z])[^'‘’\"“”\n]{{1,28}}['’\"”](?![\w'’]){_NEAR_A_HOME}", re.IGNORECASE
        ),
    ),
    # "we're the house called Greenacres on Hall Street"
    (
        _words("called named enw"),
        _compiled_on_use(
            rf"\b(?:house|home|bungalow|cottage|farm|t[ŷy]|fferm) (?:called|named|o['’]r enw) (?-i:[A-Z])[\w'’-]+"
            rf"{_NEAR_A_HOME}",
            re.IGNORECASE,
        ),
    ),
    # "flat 6 above the bookies on High Street Newbridge", "fflat 3 uwchben y siop ar Heol y Bont"
    (
        _words("flat fflat apartment"),
        _compiled_on_use(rf"\b(?i:flat|fflat|apartment)\s?\d+[A-Za-z]?\b(?=[^.!?\n]{{0,60}}{_A_STREET_OR_TOWN})"),
    ),
)
# A house number said of a home ("we're number 31", "she's at no. 4"), where the post names a street or an estate.
_AT_NUMBER = _compiled_on_use(
    r"\b(?:we['’]?re|were|we are|i['’]?m|im|i am|they['’]?re|theyre|she['’]?s|shes|he['’]?s|hes|lives? at|live at"
    r"|ni yn|ni['’]n|dw i yn|rydyn ni yn|rydyn ni['’]n)(?: at| in| yn)? (?:number|no\.?|rhif) ?\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
_A_STREET_OR_ESTATE = _compiled_on_use(
    rf"{_A_STREET_OR_TOWN}|(?<![0-9] )[A-Z][a-zâêîôûŵŷ]+-{_WELSH_LINK}-[A-Z][\w’'-]*"
)
# A visit, a trip or an event at a named farm or house is a venue's name, not anyone's home.
_A_VENUE_VISITED = _compiled_on_use(
    r"\b(?:visit(?:ed|ing|s)?|trip|tour|day out|field ?work|field ?trip|went to|ymweld|ymweliad|taith|"
    r"venue|event|hosted|host|held|open day|wedding|reception|caf[eé]|shop|siop)\b[^.!?\n]{0,30}$",
    re.IGNORECASE,
)


def _needs(gate: list[str] | re.Pattern[str], low: str, words: set[str]) -> bool:
    """Whether the lowered text has what a pattern needs: one of some words (`words`: the text's own), or a match of
    a cheap pattern."""
    if isinstance(gate, list):
        return not words.isdisjoint(gate)
    return gate.search(low) is not None


def _homes_described(text: str, low: str, words: list[str]) -> list[Match]:
    found = []
    said = set(words)
    matches = [m for gate, pattern in _HOMES_DESCRIBED if _needs(gate, low, said) for m in pattern.finditer(text)]
    for m in matches:
        flat = m.group(0)[:1] in "fFaA"
        lead = text[max(0, m.start() - 40) : m.start()]
        named = m.group(0)[:1].isupper()
        if not flat and (_A_VENUE_VISITED.search(lead) or (named and lead.endswith((" the ", " y ", " yr ")))):
            continue  # "visited Brook Farm, ...", "at the Red Lion, Main Road, Bedwas": a venue
        if _AN_ORGANISATIONS_NAME.search(lead + m.group(0).split(",")[0] + ","):
            continue  # "Ysgol Bryn Awel, Heol Fawr, Oakdale": an organisation's address
        found.append(Match(ADDRESS, m.group(0), m.start(), m.end()))
    for m in _AT_NUMBER.finditer(text) if _A_NUMBER_SAID.search(low) else ():
        if _A_RANKING.match(text, m.end()):
            continue  # "we're number 1 in the league"
        if _A_STREET_OR_ESTATE.search(text[max(0, m.start() - 100) : m.end() + 100]):
            found.append(Match(ADDRESS, m.group(0), m.start(), m.end()))
    return found


# After "we're number 1": a place in a ranking, not a house.
_A_RANKING = _compiled_on_use(
    r"[^.!?\n]{0,30}\b(?:league|table|rank\w*|chart\w*|leaderboard|top|seed\w*|in (?:wales|the uk|the country|the "
    r"world|britain|europe|the county|the valleys|cymru)|for|yn y (?:gynghrair|tabl|byd)|fan|fans|choice)\b",
    re.IGNORECASE,
)


_MONTHS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?"
)
# Welsh months, with the soft mutation they take after "o" ("3 o Fai", "o Orffennaf", "o Ragfyr").
_MISOEDD = r"Ionawr|Chwefror|[MF]awrth|Ebrill|[MF]ai|[MF]ehefin|G?orffennaf|Awst|[MF]edi|Hydref|[TD]achwedd|Rh?agfyr"
# What may come between a day and its month: "of", "o", "o fis" ("on the 3rd of March", "y 23ain o fis Rhagfyr").
_OF_MONTH = r"(?:of |o (?:fis )?|fis )?"
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[ -]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
# Welsh ordinals for the days of a month: "y trydydd o Fai", "yr unfed ar ddeg o Fehefin".
_TREFNOLION = (
    r"(?:cyntaf|cynta['’]?|ail|trydydd|pedwerydd|pumed|chweched|seithfed|wythfed|nawfed|degfed|unfed|deuddegfed|"
    r"pymthegfed|deunawfed|ugeinfed)(?: ar (?:ddeg|bymtheg|hugain)){0,2}"
)
# A day of the week by name, English or Welsh ("Monday", "dydd Llun", "ddydd Llun").
_DYDD = r"d?dydd (?:llun|mawrth|mercher|iau|gwener|sadwrn|sul)"
_WEEKDAY = rf"(?:mon|tues|wednes|thurs|fri|satur|sun)day|{_DYDD}"
# A day of a month, in figures or words, English or Welsh, with or without its article: "3", "3rd", "the 3rd", "the
# third", "3ydd", "y 3ydd", "y trydydd", "yr unfed ar ddeg", "(yw)'r ugeinfed".
_DAY = (
    rf"(?:(?:the |y |yr |['’]r ))?(?:\d{{1,2}}(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)?|{_ORDINAL_WORD}"
    rf"|{_TREFNOLION})"
)
# A year in figures ("2013", "'13"), or in words, English or Welsh ("twenty thirteen", "two thousand and twelve",
# "dwy fil a thair ar ddeg", "dwy fil un deg tri").
_YEAR = (
    r"(?:\d{4}|['’]\d{2}\b|two thousand(?: and)? [a-z]+|(?:twenty|nineteen)[ -][a-z]+(?:[ -][a-z]+)?"
    r"|dwy fil(?: ac?)?(?: [^\W\d_]+){1,3})"
)
# Days with a name: "Christmas Day", "Dydd Gŵyl Dewi" ("born on Christmas Day 2012"; with an age, below).
_NAMED_DAY = (
    r"christmas(?: day| eve)?|boxing day|new year['’]?s (?:day|eve)|(?:st\.? |saint )?valentine['’]?s day"
    r"|hallowe['’]?en|bonfire night|guy fawkes night|(?:st\.? |saint )(?:david|patrick|george|andrew)['’]?s day"
    r"|easter (?:sunday|monday|day)|leap day|mother['’]?s day|father['’]?s day|april fools['’]? day"
    r"|d?dydd (?:nadolig|calan|san steffan|g[ŵw]yl dewi|santes dwynwen|sant ffolant)|noswyl nadolig|nos galan"
    r"|g[ŵw]yl (?:san steffan|dewi)|calan gaeaf"
)
_DATE = (
    rf"(?:{_DAY}[ -]{_OF_MONTH}(?:(?:{_MONTHS})\.?|{_MISOEDD})[ ,-]+{_YEAR}"
    rf"|(?:{_MONTHS})\.? {_DAY},? {_YEAR}"
    # "the 1st of the 9th 2013": the month by its number
    rf"|{_DAY} of the (?:1[0-2]|0?[1-9])(?:st|nd|rd|th)[ ,]+{_YEAR}"
    # "3/3/2013", "03.03.13", "11-04-2013"; year first: "2013-03-03", "2012/07/19"
    r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}(?:-\d{1,2}-|/\d{1,2}/|\.\d{1,2}\.)\d{1,2}(?!\d)"
    rf"|(?:{_NAMED_DAY}),? {_YEAR})"
)
# A date alone is an event; a date said to be someone's birth date is personal information.
_DATE_OF_BIRTH = _compiled_on_use(
    r"\b(?:d\.?o\.?b\.?|date of birth|birth ?date|born(?: on)?|birthday(?:['’]s| is| was)?(?: on)?"
    # "b. 3/3/2013" (lower case, a figure after), "born in Nevill Hall on the 7th Nov 2012"
    r"|(?-i:b)\.(?= ?\d)|born (?:in|at)(?: [^\W\d_]++){1,4} on"
    # "Pen-blwydd Gethin yw 17 Ionawr 2013", "Penblwydd Ffion: 23.05.2012" (a whole date with its year)
    r"|(?:p|b|mh|ph)en-?blwydd"
    # "Ganwyd Tomos ar 3 Mai 2013", "Ganed Megan ar ...", "Cafodd Tomos ei eni ar ...": Welsh puts who was born
    # between the verb and the date.
    # (mutated after "ei", "fy": "ei ddyddiad geni", "fy nyddiad geni")
    # ("dyddiad geni hi 14/11/2012": whose, after it; "geni ar yr ail o Orffennaf ...": born on)
    r"|(?:dd?|n)yddiad geni(?: (?:hi|e|o|fe|fi|nhw|ef))?|(?:dd?|n)yddiad ei (?:geni|eni)|(?:a )?aned(?: hi| e| o| ef)?"
    r"(?: ar)?|(?:n?geni|eni) ar"
    # ("Ganwyd Alys Morgan (Bl 7) ar ...": a year group or a form in brackets after the name)
    r"|gan(?:wyd|ed)(?:(?: [^\W\d_]+){1,3}(?: \([^()\n]{1,16}\))? ar|(?: (?:hi|e|o|ef|fi))?(?: ar)?)"
    r"|(?:cafodd|ces|cefais|cawson|cawsom|cafwyd)(?: [^\W\d_]++){0,2}? (?:(?:ei|eu|fy|dy|ein|eich) )?(?:n?geni|eni)"
    r"(?: ar)?)(?![^\W\d_])"
    # "Dyddiad geni Elis: 14/02/2013", "Date of birth (Cerys): ...", "Dyddiad geni Cai yw'r ...": a name between,
    # then a colon or "is"
    # (each word taken whole, possessively: "birthday is birthday is ..." must not try every split of each word)
    r"(?:\s*\(?(?: ?[^\W\d_]++){1,2}\)?(?=\s*[:\-–—]|\s+(?:is|was|yw|ydi|ydy|oedd)(?![^\W\d_])))?"
    r"(?:\s*\([^()\d]{1,16}\)(?=\s*:))?"
    # "date of birth is ...", "dyddiad geni Nia yw'r ...", then a colon, a dash or a row of dots ("DOB .... 3/3/13")
    r"(?:\s+(?:is|was|yw|ydi|ydy|oedd|as|given as|shows|says)(?![^\W\d_]))?"
    # and the day of the week, if it is named first: "born on Monday 4th September 2011", "ar ddydd Llun 4ydd Medi"
    rf"[\s:;.,\-–—=…]{{0,12}}(?:(?:{_WEEKDAY}),?\s+)?({_DATE})",
    re.IGNORECASE,
)
# An age with "today" or a birthday gives the birth date from the post's own date: "Happy 11th birthday Cerys!".
# A pupil's age, in figures or words (a school's "50 years old on 3 May" is its history, not a birth date).
_AGE_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen"
)
_AGE = rf"(?:(?:1[0-9]|[1-9])(?![0-9])|{_AGE_WORD})"
# Welsh, as said before "oed" (years of age), mutated after "yn": "yn ddeg oed", "yn un ar ddeg oed".
_OED = (
    r"(?:(?:1[0-9]|[1-9])(?![0-9])|(?:un|dwy|ddwy|dau|ddau|tair|dair|tri|dri|pedair|bedair|pedwar|bedwar|pymtheg|"
    r"bymtheg)(?: ar (?:ddeg|bymtheg))?|pump|bump|chwech|saith|wyth|naw|deg|ddeg|deuddeg|ddeuddeg|deunaw|ddeunaw)"
)
_NTH = (
    r"(?:(?:1[0-9]|[1-9])(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)"
)
_AGE_TODAY = _compiled_on_use(
    rf"\b(?:happy (?:\d{{1,2}}(?:st|nd|rd|th)|{_NTH}) (?:birthday|bday)"
    rf"|(?:turns|turned|is|was) (?:\d{{1,2}}|{_AGE_WORD}) (?:years old )?(?:today|tomorrow)"
    rf"|happy {_NTH}(?= (?:to|i)\b|\s*[,!])"
    r"|pen-?blwydd hapus (?:yn )?\d{1,2}(?:ain|fed|ed|eg|af|il|ydd)?(?: oed)?"
    rf"|pen-?blwydd hapus yn {_OED} oed"
    rf"|(?:yn|['’]n) (?:\d{{1,2}}|{_OED}) (?:mlwydd |mlynedd )?oed heddiw)\b",
    re.IGNORECASE,
)
# A birthday on a day with no year, named, of the week or of a month: with an age it is a date of birth ("turns 12
# on Christmas Day", "Happy 16th ..., born on Valentine's Day").
_DAY_OF_MONTH = rf"{_DAY}[ -]{_OF_MONTH}(?:{_MONTHS}|{_MISOEDD})\b|(?:{_MONTHS}) {_DAY}\b"
# A day of this month, by its ordinal in figures alone: "on the 3rd", "on the 21st of this month", "ar y 10fed".
_NTH_DAY = r"(?:the |y |yr |['’]r )?\d{1,2}(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)\b(?: of this month| o['’]r mis)?"
_A_DAY = rf"(?:(?:{_WEEKDAY}),? )?(?:(?:the )?(?:{_NAMED_DAY})|{_DAY_OF_MONTH}|{_NTH_DAY})"
# When, after an age: "on the 3rd of May", "on Friday", "next Tuesday", "tomorrow"; Welsh "ar 5 Mehefin", "ddydd
# Sadwrn", "yfory".
_ON_A_DAY = rf"(?:on (?:{_A_DAY}|{_WEEKDAY})|(?:next|this|this coming) (?:{_WEEKDAY})|tomorrow)"
_AR_DDYDD = (
    rf"(?:ar (?:{_A_DAY}|{_WEEKDAY})|{_DYDD}(?:,? {_DAY_OF_MONTH})?"
    r"|yfory)"
)
_AGE_ON_A_DAY = _compiled_on_use(
    rf"\b(?:(?:turns|turn|turned|turning|will turn|['’]ll turn) {_AGE}(?: years? old)? {_ON_A_DAY}"
    rf"|(?:will be|['’]ll be|becomes|became) {_AGE}(?: years? old)? on {_A_DAY}"
    rf"|(?:yn|['’]n) {_OED} (?:mlwydd |mlynedd )?oed {_AR_DDYDD}"
    # "Mae Elin yn troi'n 14 ar y 9fed o Fai", "Bydd Osian yn ddeuddeg ar 5 Mehefin", "bydd hi'n 15 ar 28 Chwefror"
    rf"|(?:troi|throi|droi|trodd)(?:['’]n| yn) {_OED}(?: oed)? {_AR_DDYDD}"
    # (said of a person or a pronoun, not of a thing with its article: "Bydd y daith yn ...")
    rf"|[bf]ydd(?: (?!yr?\b)[^\W\d_]+){{0,2}}?(?: yn|['’]n) {_OED}(?: oed)? {_AR_DDYDD}"
    # "celebrates her 12th birthday on Friday", "dathlu ei ben-blwydd yn 10 ddydd Sadwrn"
    rf"|{_NTH} (?:birthday|bday) (?:is |was |falls )?(?:on (?:{_A_DAY}|{_WEEKDAY})|today|tomorrow)"
    # (with whose it is between: "pen-blwydd Jac yn 15 ar 30ain Tachwedd", "ei phen-blwydd hi'n 12 ddydd Sul")
    rf"|(?:p|b|mh|ph)en-?blwydd(?: (?-i:[A-Z])[^\W\d_]+| hi| e| o)?(?: yn |['’]n | ){_OED}(?: oed)? "
    rf"(?:(?:ar )?(?:{_A_DAY}|{_WEEKDAY})|yfory|heddiw))\b",
    re.IGNORECASE,
)
# "Lily-Mae is ten on Saturday the 14th of June", "she's 12 on the 3rd of May": said of a person ("he", "she" or a
# name, written with its capital), and on a day of a month, not a weekday alone (read only when " on " and a month's
# name are in the text).
_PRONOUN = r"(?:he|she|(?:my|our) (?:son|daughter|boy|girl|little one|eldest|youngest|middle one))"
# (not a pronoun, nor an event with its time: "Tea's 5 on Friday", "Mass is eleven this Sunday")
_NAME = (
    r"(?!(?:it|that|this|there|here|what|which|who|where|when|tea|lunch|dinner|breakfast|mass|service|practice|"
    r"training|registration|assembly|rehearsal|party|disco|match|game|kick|club|class|school|pickup|drop)\b)"
    r"(?-i:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
)
_ON_A_WEEKDAY = rf"(?:on|this|next|this coming) (?:{_WEEKDAY})"
_IS_AN_AGE_ON_A_DATE = _compiled_on_use(
    rf"\b(?:(?:{_PRONOUN}|{_NAME})(?: is|['’]s) {_AGE}(?: years? old)? on "
    rf"(?:(?:{_WEEKDAY}),? )?(?:{_DAY_OF_MONTH}|{_NTH_DAY})"
    # on a weekday alone, of a person ("Isla's 11 on Friday", "Noah is fourteen this Sunday"), not a time ("Training
    # is 6 on Tuesday": a name with "is" needs the age in words)
    rf"|{_PRONOUN}(?: is|['’]s) {_AGE}(?: years? old)? {_ON_A_WEEKDAY}"
    rf"|{_NAME}['’]s {_AGE}(?: years? old)? {_ON_A_WEEKDAY}"
    rf"|{_NAME} is (?:{_AGE_WORD})(?: years? old)? {_ON_A_WEEKDAY})\b",
    re.IGNORECASE,
)
# What `_IS_AN_AGE_ON_A_DATE` needs: "is" or "'s", an age, then "on", "this" or "next".
# What `_AN_AGE` needs: a verb, "yn" or "'n", then a figure or a number's word.
_AN_AGE_GATE = re.compile(
    rf"(?:is|s|was|be|turns?|turned|turning|becomes|yn|n) (?:troi['’]?n? |troi yn )?(?:\d|{_AGE_WORD}|{_OED})"
)
# What `_A_DATE_AHEAD` or `_A_WEEKDAY_AHEAD` needs, as words of the lowered text (runs of a to z): an ordinal's
# ending ("5th", "9fed"), a day's or a month's name (whole or shortened), a named day's first word.
_DAY_WORDS = frozenset(
    _words("""
    st nd rd th af il ydd ed fed eg ain monday tuesday wednesday thursday friday saturday sunday mon tues wednes thurs
    fri satur sun dydd ddydd tomorrow yfory jan january feb february mar march apr april may jun june jul july aug
    august sep sept september oct october nov november dec december ionawr chwefror mawrth fawrth ebrill mai fai
    mehefin fehefin gorffennaf orffennaf awst medi fedi hydref tachwedd dachwedd rhagfyr ragfyr christmas boxing new
    valentine valentines halloween hallowe en bonfire guy easter leap mother mothers father fathers april nadolig
    calan noswyl nos gwyl santes sant st saint david patrick george andrew
    """)
)
_IS_AN_AGE_GATE = re.compile(rf"(?:is|['’]s) (?:[0-9]+|{_AGE_WORD}) (?:years? old )?(?:on|this|next) ")
# "Sweet sixteen for our captain Elin on the 3rd of June": an age and its day, with a few words between (read only
# when "sweet" is a word of the text).
_SWEET_SIXTEEN = _compiled_on_use(
    rf"\bsweet (?:sixteen|16)(?! (?:wins|games|matches|points|goals|tries|runs|in a row))"
    rf"(?: [^\W\d_]+){{0,5}}? on (?:{_A_DAY}|{_WEEKDAY})\b",
    re.IGNORECASE,
)
# "birthday is on the 3rd of May", "birthday's the 17th of March", "ei phen-blwydd hi ar y pedwerydd o Orffennaf",
# "Pen-blwydd Efa yw'r ugeinfed o Dachwedd": a day with no year, a date of birth where an age is said too.
_BORN_ON_A_DAY = _compiled_on_use(
    r"\b(?:born|birthday|bday|b-day|(?:p|b|mh|ph)en-?blwydd|aned|gan(?:wyd|ed)"
    r"|(?:cafodd|ces) (?:ei |fy )?(?:n?geni|eni))"
    rf"(?:['’]s(?: on| ar)?|(?: [^\W\d_]+){{0,3}}?(?: (?:is|was|falls|yw|oedd|ydi|ydy)(?: on| ar)?| on| ar))"
    rf"(?: |(?=['’]r ))(?:{_A_DAY})",
    re.IGNORECASE,
)
_AGE_NOW = _compiled_on_use(
    rf"\b(?:{_AGE}(?: years? old)? today|{_OED} (?:mlwydd |mlynedd )?oed heddiw)\b", re.IGNORECASE
)
_BIRTHDAY_SAID = frozenset(_words("birthday bday blwydd penblwydd"))
_AGE_SAID = _compiled_on_use(
    rf"\b(?:happy {_NTH}|{_NTH} (?:birthday|bday)|(?:aged?|turns|turned|turning) {_AGE}"
    rf"|{_AGE} (?:years? old|today)|{_OED} (?:oed|mlwydd)\b|(?:1[0-9]|[1-9])(?:ain|fed|ed|eg|af|il|ydd) pen-?blwydd"
    # "he'll be twelve", "bydd hi'n dair ar ddeg" (not "mae'n naw o'r gloch", nine o'clock)
    rf"|(?:will|['’]ll) be {_AGE}\b(?! (?:minutes|mins|hours|o['’]clock|am|pm|points|goals)\b)"
    rf"|['’]n {_OED}\b(?! (?:o['’]r gloch|munud|awr|pwynt|gôl|cais|mlynedd|diwrnod))(?![-'’]))",
    re.IGNORECASE,
)
# An age said of a person, and, a few words on in the same breath, the day it comes: "our Jac is 12 on Saturday (the
# 5th!!)", "She's 13 next week on the 20th", "Ms Williams is 40 on Friday everyone!! 11th December", "Lewis will be
# 13 this Thursday the 3rd", "mae Guto yn 12 ar y 9fed o Fawrth", "mae Morgan yn troi'n 15, 19eg o Fawrth". With the
# post's own date, either gives the birth date. (`_ages_with_a_day` reads who is that age and what day follows.)
_AN_AGE = _compiled_on_use(
    rf"\b(?:(?:is|['’]s|was|will be|['’]ll be|turns|turned|turning|will turn|['’]ll turn|becomes)"
    rf" (?P<age>\d{{1,2}}|{_AGE_WORD})(?: years? old)?"
    rf"|(?:yn|['’]n) (?:troi(?:['’]n| yn) )?(?P<oed>\d{{1,2}}|{_OED})(?: (?:mlwydd |mlynedd )?oed)?)"
    # (not a time, a score, a price or a count: "is 6:30", "is 12.50", "is 5 o'clock", "is 3 points clear")
    r"(?![\w:'’%£/-]|[.,]\d|\s*(?:am|pm|o['’]clock|o['’]r gloch|points?|pts|goals?|mins?|minutes?|hours?|pounds|quid|"
    r"p|k|km|miles?|metres?|m|runs|tries|wickets|nil|foot|feet|ft|inches|cm|stone|kg|-|–|yn y bore|yn y prynhawn)\b)",
    re.IGNORECASE,
)
# The day that follows: a day of a month, a named day, a weekday, tomorrow.
_A_DATE_AHEAD = _compiled_on_use(
    rf"\b(?:{_DAY_OF_MONTH}|\d{{1,2}}(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)\b|(?:{_NAMED_DAY})\b)", re.IGNORECASE
)
_A_WEEKDAY_AHEAD = _compiled_on_use(rf"\b(?:{_WEEKDAY}|tomorrow|yfory)\b", re.IGNORECASE)
# Who is that age: a pronoun, a name, "our Jac", "my lad", "yr efeilliaid", or a member of staff by title.
_SOMEONE_YOUNG = _compiled_on_use(
    r"(?:\b(?:he|she|hi|e|fe|o|fo|they|nhw|ni)|\b(?:our|my|your|ein|fy|eich|['’]r|yr|y) "
    r"(?:lad|boy|girl|son|daughter|little one|eldest|youngest|middle one|twins|baby|babi|mab|merch|efeilliaid|"
    r"bachgen|un bach|un fach)"
    r"|(?-i:\b[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?))$",
    re.IGNORECASE,
)
_TITLED = _compiled_on_use(r"\b(?:mr|mrs|ms|miss|mx|dr|sir|syr)\.? (?-i:[A-Z])", re.IGNORECASE)
# Capitalised words that begin a clause but are not anyone: events, times, things ("Kick-off is 2 on Saturday the
# 3rd", "Training is 6 on Tuesday the 5th").
_NOT_SOMEONE = frozenset(
    _words("""
    it that this there here what which who where when tea lunch dinner breakfast mass service practice training
    registration assembly rehearsal party disco match game kick off club class school pickup drop entry entrance price
    cost ticket tickets doors start finish deadline term half year week day today tomorrow it's its kickoff meeting
    evening morning afternoon session lesson period fixture trip bus coach fee fees total score result results
    rehearsals parents show concert sale bake raffle
    """)
) | frozenset(d.lower() for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))


def _someone(before: str) -> str | None:
    """Who is said to be an age, from the clause before the verb: "young" (a pupil's pronoun, name or "our Jac"),
    "staff" (a title: "Mr Jenkins in the science dept"), or None (a thing: "Kick-off", "the school")."""
    before = re.sub(r"\([^()\n]*\)", " ", before)  # asides: "Mr Williams (Hanes) yn 45 oed"
    if _TITLED.search(re.split(r"[.!?\n]\s", before)[-1][-40:]) and re.search(
        r"(?i)\b(?:he|she|e|hi|fe)\s*$|[-–—]\s*$", before
    ):
        return "staff"  # "Mr Powell in Design Tech - he's 50 today": the pronoun is the titled person
    clause = re.split(r"[.!?\n;:(]\s*|\s[-–—]\s", before)[-1]
    # (where they work is not who they are: "Mrs Lewis in the office", "Mr Jenkins in the science dept")
    clause = re.sub(r"\s(?:in|at|from|of) (?:the |our |y |yr )?[^\W\d_]+(?: [^\W\d_]+)?\s*$", " ", clause)
    words = clause.split()
    if not words:
        return None
    last = words[-1].strip(",'’\"")
    if _ORGANISATION_CUE.fullmatch(last) or last.lower() in _NOT_SOMEONE:
        return None
    if _TITLED.search(" ".join(words[-8:])):
        return "staff"
    # "mae hi'n 13" and "mae Guto yn 12": the subject comes before "yn", which the age pattern holds
    if _SOMEONE_YOUNG.search(" ".join(words[-3:])):
        return "young"
    return None


def _ages_with_a_day(text: str) -> list[Match]:
    found = []
    for m in _AN_AGE.finditer(text):
        age = m.group("age") or m.group("oed") or ""
        joined = m.group(0)[0] in "'’"  # "mae hi'n 13": the pronoun is written onto the verb
        who = _someone(text[max(0, m.start() - 80) : m.start()] + (" " if joined else ""))
        if who is None or (age.isdigit() and who == "young" and not 1 <= int(age) <= 19):
            continue
        # the same breath: up to 45 characters on, not past a full stop or a new line ("!!" and brackets may come)
        ahead = re.split(r"\.\s|\n|\?", text[m.end() : m.end() + 45])[0]
        day = _A_DATE_AHEAD.search(ahead)
        weekday_only = day is None
        day = day or _A_WEEKDAY_AHEAD.search(ahead)
        if day is None:
            continue
        # A weekday alone is the birthday of someone plainly a person (a pronoun, "our", "my", a title, "turns", an
        # age in words), not of a capitalised word that may be a thing ("Price is 5 on Friday").
        plainly = who == "staff" or joined or not age.isdigit() or m.group(0).lower().startswith("turn")
        plainly = plainly or bool(_PLAINLY_SOMEONE.search(text[max(0, m.start() - 24) : m.start()]))
        if (weekday_only and not plainly) or (who != "staff" and _an_organisations_birthday(text, m)):
            continue
        end = m.end() + day.end()
        found.append(Match(DATE_OF_BIRTH, text[m.start() : end], m.start(), end))
    return found


_PLAINLY_SOMEONE = _compiled_on_use(r"\b(?:he|she|hi|e|fe|o|our|my|your|ein|fy|eich)(?: [^\W\d_]+)?\s*$", re.IGNORECASE)


# A date said to be a birth date after it: "1st of Jan 2011 was her DOB", "14/02/2013 is his date of birth".
_DATE_THEN_BIRTH = _compiled_on_use(
    rf"({_DATE})[\s,]+(?:(?:was|is|=|yw|oedd)\s+)?(?:(?:her|his|my|their|your|ei|fy|the)\s+)?"
    r"(?:d\.?o\.?b\b|date of birth|birth ?date|dyddiad geni)",
    re.IGNORECASE,
)
# A year of birth, and a birthday with no year elsewhere in the post: "Born 2014 ... her birthday on the 3rd March",
# "born in 2012, birthday 3rd March". Together they are the date.
_BORN_IN_A_YEAR = _compiled_on_use(
    r"\b(?:born(?: in)?|ganwyd(?: (?:hi|e|o|fe))?(?: yn)?|b\.)\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
_A_BIRTHDAY_ON = _compiled_on_use(
    r"\b(?:birthday|bday|b-day|(?:p|b|mh|ph)en-?blwydd)(?:['’]s| is| was| falls)?(?: on| ar)?(?: the| y| yr)? "
    rf"(?:{_DAY_OF_MONTH})",
    re.IGNORECASE,
)
# Pupils listed with their dates: "Harvey Lloyd 12/04/15, Ruby Jones 30/10/14" (a first name and a surname, then a
# date whose year makes the person of school age).
_NAME_THEN_DATE = _compiled_on_use(
    r"(?<![\w.])((?-i:(?!(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Year|Yr|Room)\b)[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-zA-Z'’]+"
    r"(?:-[A-Z][a-zA-Z'’]+)?))[ :(–-]{1,3}(\d{1,2}[/.]\d{1,2}[/.](\d{4}|\d{2}))\b"
)
_A_TEAM_OR_A_PLACE = _compiled_on_use(
    rf"\b(?:united|town|city|rovers|athletic|wanderers|albion|county|harlequins|quins|{_TOWN})\b", re.IGNORECASE
)
# A range of dates of birth is an eligibility rule ("born 1 Sept 2011 to 31 Aug 2012"), nobody's birthday.
_A_RANGE_AFTER = _compiled_on_use(rf"\s*(?:to|and|until|till|-|–|i|hyd at|a)\s+(?:{_DATE}|the )", re.IGNORECASE)


def _school_age_year(year: str) -> bool:
    born = int(year) if len(year) == 4 else 2000 + int(year)
    return 4 <= dt.date.today().year - born <= 19


# A birth date said loosely, with asides, dashes or dots between its parts: "born on the ninth of, wait for it,
# February, two thousand and thirteen", "arrived the twentieth of may, two-thousand-and-ten", "Birthday: 7th. July.
# Two-thousand-&-twelve.", "cafodd Nel ei geni ar Fehefin y cyntaf 2014", "Ganwyd Jac ar Ŵyl San Steffan, 26ain o
# Ragfyr dwy fil a deuddeg". Read near a word of birth, in order: a day and a month (either first) or a named day,
# then a year, each within a few words of the last.
_LOOSE_BIRTH_CUE = _compiled_on_use(
    r"\b(?:born|arrived|came into the world|birthday|b-?day|d\.?o\.?b|date of birth|ganwyd|ganed|anwyd|aned|"
    r"(?:n?g|)eni|(?:p|b|mh|ph)en-?blwydd)\b",
    re.IGNORECASE,
)
_LOOSE_DAY = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)?|(?:(?:twenty|thirty)[ -]?)?(?:first|second|third|fourth|"
    rf"fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
    rf"seventeenth|eighteenth|nineteenth|twentieth|thirtieth|{_TREFNOLION})"
)
_LOOSE_MONTH = rf"(?:{_MONTHS}|{_MISOEDD})"
_LOOSE_YEAR = (
    r"(?:(?:19[5-9]|20[0-9])\d|two[\s-]+thousand(?:[\s-]+(?:and|&))?[\s-]+[a-z]+|(?:twenty|nineteen)[\s-]+[a-z]+"
    r"(?:[\s-]+[a-z]+)?|dwy fil(?: ac?)?(?: [^\W\d_]+){1,3})"
)
_GAP = r"[^\n\d]{0,40}?"
_LOOSE_DATE = _compiled_on_use(
    rf"\b(?:{_LOOSE_DAY}\b{_GAP}\b{_LOOSE_MONTH}|{_LOOSE_MONTH}\b{_GAP}\b{_LOOSE_DAY}|{_NAMED_DAY})\b{_GAP}"
    rf"\b({_LOOSE_YEAR})\b",
    re.IGNORECASE,
)


_A_RANGE_BEFORE = _compiled_on_use(rf"(?:{_DATE})\s*(?:to|and|until|till|-|–|i|hyd at|a)\s+$", re.IGNORECASE)
_FOUNDED = _compiled_on_use(
    r"\b(?:opened|founded|established|built|formed|sefydlwyd|agorwyd|adeiladwyd|ffurfiwyd)\b", re.IGNORECASE
)


def _loose_births(text: str) -> list[Match]:
    found: list[Match] = []
    for cue in _LOOSE_BIRTH_CUE.finditer(text):
        if _an_organisations_birthday(text, cue) or _FOUNDED.search(text[max(0, cue.start() - 80) : cue.end() + 80]):
            continue  # "happy 50th birthday to our school", "Sefydlwyd yr ysgol ar ..."
        start = max(0, cue.start() - 60)
        window = text[start : cue.end() + 130].split("\n")[0] if "\n" not in text[start : cue.start()] else ""
        for m in _LOOSE_DATE.finditer(window):
            begin, end = start + m.start(), start + m.end()
            year = m.group(1)
            figures = re.match(r"\d{4}", year)
            if (figures and int(year) > dt.date.today().year - 2) or _A_RANGE_AFTER.match(text, end):
                continue
            if _A_RANGE_BEFORE.search(text[max(0, begin - 40) : begin]) or _FOUNDED.search(
                text[max(0, begin - 40) : begin]
            ):
                continue  # "born 1 Sept 2011 to 31 Aug 2012"; "the team was founded 30 November 2021"
            if _historical(text, min(begin, cue.start()), end, year):
                continue
            found.append(Match(DATE_OF_BIRTH, text[begin:end], begin, end))
    return found


def _dates_said_to_be_births(text: str) -> list[Match]:
    found = [
        Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
        for m in _DATE_THEN_BIRTH.finditer(text)
        if not _historical(text, m.start(), m.end(), m.group(1)) and not _to_come(m.group(1))
    ]
    found.extend(_loose_births(text))
    year = _BORN_IN_A_YEAR.search(text)
    if year and int(year.group(1)) >= 1950 and not _to_come(year.group(1)):
        days = [Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end()) for m in _A_BIRTHDAY_ON.finditer(text)]
        if days:  # the year and the day together
            found += [*days, Match(DATE_OF_BIRTH, year.group(0), year.start(), year.end())]
    return found


def _pupils_listed_with_dates(text: str) -> list[Match]:
    """Two or more people, each with a date of a school-age birth (one name and a date may be a club and an old
    fixture's: "Risca United 12/04/15")."""
    listed = [
        m
        for m in _NAME_THEN_DATE.finditer(text)
        if _school_age_year(m.group(3)) and not _A_TEAM_OR_A_PLACE.search(m.group(1))
    ]
    if len(listed) < 2:
        return []
    return [Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end()) for m in listed]


# Famous people's birth dates are history, not personal information.
_PUBLIC_FIGURE = _compiled_on_use(
    r"\b(?:author|poet|writer|novelist|scientist|inventor|artist|painter|composer|singer|actor|actress|king|queen|"
    r"prince|princess|president|prime minister|footballer|player|captain|explorer|astronaut|mathematician|saint|"
    r"st\.?|bardd|awdur|arlunydd|canwr|cantores|brenin|brenhines|tywysog|chwaraewr|famous|enwog|athlete|olympian|"
    r"paralympian|boxer|cyclist|swimmer|politician|presenter|comedian|musician|rapper|broadcaster|legend|"
    r"athletwr|athletwraig|cyflwynydd|gwleidydd|cerddor|nofiwr|nofwraig|seiclwr|paffiwr|chwedl)\b",
    re.IGNORECASE,
)
# Words that make a person one of the school's own: staff, a parent, a pupil ("our caretaker", "Mrs Evans").
_KNOWN_TO_THE_SCHOOL = _compiled_on_use(
    r"\b(?:our|my|your|mr|mrs|ms|miss|mx|sir|staff|teacher|head|caretaker|governor|parent|mum|dad|pupil|student|"
    r"colleague|happy|retire\w*|ein|fy|dy|ein|athro|athrawes|pennaeth|disgybl|pen-?blwydd|mam|tad)\b",
    re.IGNORECASE,
)
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
# Words that say a number is one to ring or text.
_PHONE_SAID = _compiled_on_use(
    r"\b(?:ring|call|text|phone|mobile|mob|tel|telephone|whatsapp|line|ffonio|ffoniwch|ffôn|ffon|tecstiwch|galwch|"
    r"llinell|rhif ffôn)\b",
    re.IGNORECASE,
)
_AN_EXAMPLE = _compiled_on_use(
    r"\b(?:example|e\.g\.|eg|sample|format|looks like|enghraifft|er enghraifft)\b", re.IGNORECASE
)
_NI_NOT_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
# A code said to be some other kind of number ("part number LA 45 12 09 C", "order ref ...") is not an NI number.
_OTHER_NUMBER_SAID = _compiled_on_use(
    r"\b(?:part|model|serial|order|product|item|stock|sku|ref|reference|code|flight|invoice|catalogue|cat|batch|lot|"
    r"tracking|parcel|reg|registration|licence|ticket|rhan|archeb|cyfeirnod|cod|côd|isbn|issn|barcode|imei|account|"
    r"acc)\b(?:no\.|[^.!?\n]){0,16}$",
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
_POSSESSIVE = re.compile(r"([^\W\d_]+)['’]s\b")
# (family, in English, Welsh and Wenglish, with the possessive often written without its apostrophe: "bampis number")
_PERSON_CUE = re.compile(
    r"\b(?:(?:mum|mam|mami|dad|tad|dadi|nan|nana|nanna|nain|mamgu|tadcu|bampi|bamps|gramps|grampy|gran|granny|"
    r"grandma|grandad|grandpa|taid|aunty|auntie|anti|modryb|uncle|wncwl|ewythr|brother|sister|brawd|chwaer|husband|"
    r"wife|gwr|gŵr|gwraig|son|daughter|mab|merch|boyfriend|girlfriend|cariad)(?:['’]?s)?"
    r"|my|me|his|her|home|mobile|personal|private|direct|fy|adref|symudol|ffôn symudol)\b",
    re.IGNORECASE,
)
_TLD = r"(?:com|net|org|uk|cymru|wales|me|io|info|biz|edu|ie|eu|co|gov|nhs|sch|ac|ltd)"
# ("ar" is Welsh for "at": "rhian dot pritchard ar gmail dot com"; said so, the name before it must look like a
# mailbox, see `_emails_in`: "cliciwch ar bbc.co.uk" is a link)
_AT_WORD = r"(?:\s*(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\))\s*|\s+(?:at|AT|ar|AR)\s+|\s+@\s*|\s*@\s+)"
_DOT_WORD = r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\[\.\])\s*|\s+(?:dot|DOT)\s+|\s?\.\s?)"
# Parts of an address are bounded ({0,4}): a long run of "a dot a dot ..." must not cost quadratic time.
_OBFUSCATED_EMAIL = _compiled_on_use(
    rf"(?<![\w.@-])([A-Za-z0-9_%+-]+(?:{_DOT_WORD}[A-Za-z0-9_%+-]+){{0,4}}){_AT_WORD}"
    rf"([A-Za-z0-9-]+(?:{_DOT_WORD}[A-Za-z0-9-]+){{0,4}}{_DOT_WORD}{_TLD})\b"
)
_UNDOT = re.compile(_DOT_WORD)
# An address at a webmail provider written without its ending: "jo.bloggs@gmail", "jo.bloggs at hotmail". Said with
# "at" in words, the name before it must look like a mailbox (a dot, an underscore or a digit: not "Sarah at Hotmail").
_WEBMAIL_NAMES = r"(?:gmail|googlemail|hotmail|yahoo|ymail|icloud|btinternet|outlook|protonmail)"
# What each of those names has ("mail", "yah", "icl", "bti", "outl"), read as the pattern reads case.
_MAY_NAME_A_WEBMAIL = re.compile(r"mail|yah|icl|bti|outl", re.IGNORECASE)
_WEBMAIL_NO_ENDING = _compiled_on_use(
    rf"(?<![\w.@-])(?:([A-Za-z0-9][A-Za-z0-9._%+-]*)\s?@\s?|([A-Za-z0-9]*[._\d][A-Za-z0-9._%+-]*){_AT_WORD})"
    # (and no ending after it: ".com", " dot co"; a full stop and a space end the sentence, not the address)
    rf"({_WEBMAIL_NAMES})\b(?!(?:\.|\s*(?:\[dot\]|\(dot\)|\{{dot\}}|<dot>|\[\.\])\s*|\s+(?:dot|DOT)\s+)[A-Za-z])",
    re.IGNORECASE,
)
# Letters typed one by one with a space between: "g a r e t h . b e v a n @ g m a i l . c o m".
_SPACED_OUT = _compiled_on_use(r"(?<!\S)\S(?: \S(?!\S)){4,}")
# What `_AT_WORD` needs, without "@": " at " or "AT" between spaces, or "at" in brackets (spaced out too: "[ a t ]").
# (Welsh "ar" is a common word: only with a dot after the name that follows: "ar gmail dot com", "ar bbc.co.uk")
_AT_SPELT = re.compile(r"\s(?:at|AT)\s|[\[({<] ?a ?t ?[\])}>]|\s(?:ar|AR)\s(?=[\w-]*(?:\.\w|\s+(?:dot|DOT)\s))")

# Cheap gates: each pattern below needs what its gate finds, so a text the gate passes over cannot match it and the
# pattern is not run (a gate begins each choice with a letter, not "\b" or an optional one: the engine then skips to
# where it may match) (most posts give none of these details). Gates on words read the text lowered as the
# case-insensitive patterns do: Python's regular expressions also match the dotless i (U+0131), the long s (U+017F),
# the dotted capital I (U+0130) and the Kelvin sign (U+212A) to i, s, i and k.
_AS_REGEX_IGNORES_CASE = str.maketrans({"\u0131": "i", "\u017f": "s", "\u0130": "i", "\u212a": "k"})
# A phone number kept by `_phones` begins with 0 or + (or an O written for 0) and is valid (or Ofcom's drama range):
# at least six digits, counting any country code, with only punctuation, spaces or an "x" between them.
_MAY_BE_A_PHONE = re.compile(r"[0+oO](?:(?:[xX_]|[^\w])*[\doO]){5}")
# `_HOUSE` needs a flat's number or a house name followed by ", " and a capital (a street or a town); `_ADDRESS`
# needs a house number followed by a space and a capital; `_POSTCODE` a digit and two letters (the inward code).
_MAY_NAME_A_HOUSE = re.compile(r"Flat|Fflat|Apartment|Apt|, [A-Z]")  # (or "flat " in lower case: see `_postal`)
_MAY_NUMBER_A_HOUSE = re.compile(r"\d[A-Za-z]?,? [A-Z]")
_A_NUMBER_SAID = re.compile(r"(?:number|no\.?|rhif) ?\d")  # `_AT_NUMBER`, in the lowered text
_MAY_BE_A_POSTCODE = re.compile(r"[0-9][a-z]{2}")
_READ_AS_ASCII = "\u0131\u017f\u0130\u212a"
_A_DATE_IN_FIGURES = re.compile(r"\d[/.]\d\d?[/.]\d\d")  # `_NAME_THEN_DATE`
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")  # a UPN
_THREE_DIGITS = re.compile(r"[0-9]{3}")  # an NHS number
_SIX_DIGITS = re.compile(r"\d\d ?\d\d ?\d\d")  # a National Insurance number
# "date of birth", "born on", "geni" or "eni" as a word (not "rhieni", parents), "aned", "ganwyd", "DOB", "d.o.b."
_DOB_GATE = re.compile(
    r"birth|born|(?: |n)g?eni\b|aned|anwyd|ganwyd|d\.?o\.?b|blwydd(?!yn)|b\. ?\d|arrived|into the world|b-?day"
)
# `_AGE_TODAY`: "birthday", "bday", "blwydd" (not "Blwyddyn", a year group), "today" after an age ("turns 12 today",
# "is ten today", "years old today"), "oed heddiw", or "happy" before an age ("happy 16th", "happy ninth")
_AGE_GATE = re.compile(
    r"b(?:irth)?day|blwydd(?!yn)|old today|(?:turn(?:s|ed)|is|was) \S+ (?:today|tomorrow)|oed heddiw"
    r"|happy (?:\d|[a-z]+(?:st|nd|rd|th)\b)"
)
# `_AGE_ON_A_DAY`: "turns", "will be", "becomes", "became", "oed" before "on", "ar" or "yfory", "birthday", "bday" or
# "blwydd" ("pen-blwydd", mutated "ben-blwydd", "mhen-blwydd", "phen-blwydd")
# ("troi", "throi", "droi", "trodd": Welsh "turn"; "bydd", "fydd": will be)
_AGE_DAY_GATE = re.compile(
    r"turn|will be|ll be|becom|became|oed (?:on|ar|yfory|d?dydd)\b|birthday|bday|blwydd(?!yn)|troi|throi|droi|trodd"
    r"|bydd|fydd"
)
# `_BORN_ON_A_DAY`: "born", "birthday", "bday", "b-day", "blwydd", "aned", "ganwyd", "geni" or "eni" as a word
_BORN_GATE = re.compile(r"born|b(?:irth|-)?day|blwydd(?!yn)|aned|ganwyd|(?: |n)g?eni\b")
# Words (runs of a to z in the lowered text) one of `_DATE_OF_BIRTH` (with "d.o.b" read by `_DOB_GATE`) or the three
# birthday patterns above needs: most posts have none, and are passed over with one pass over their words. Each pattern
# begins its word at a word boundary and ends it before anything but a letter, so the word is whole in the text.
_DOB_WORDS = frozenset(
    _words(
        "birth birthdate birthday born geni ngeni eni aned anwyd ganwyd ganed dob d do b blwydd penblwydd benblwydd "
        "arrived world bday"
    )
)
_BIRTHDAY_WORDS = frozenset(
    _words("""
    birthday bday b blwydd penblwydd benblwydd mhenblwydd phenblwydd today heddiw happy turns turned turning will
    becomes became oed born aned ganwyd ganed geni ngeni eni sweet tomorrow turn ll troi throi droi trodd bydd fydd
    """)
)
_LOWER_WORD = re.compile(r"[a-z]+")
# (and runs of the letter o, read as zeros: "7oo", "nine-oo")
_NUMBER_WORD_SET = frozenset([*_NUMBER_WORDS, *_REPEAT_WORDS, *_ZEROS_WORDS, "oo", "ooo", "oooo"])


def _lowered(text: str) -> str:
    """`text` in lower case, with every letter a case-insensitive pattern reads as an ASCII letter made one."""
    if text.isascii() or not any(c in text for c in _READ_AS_ASCII):
        return text.lower()
    return text.translate(_AS_REGEX_IGNORES_CASE).lower()


def _words_of(low: str) -> list[str]:
    """The words of a lowered text, as the word gates read them (runs of a to z). A list, not a set: a gate asks
    `WORDS.isdisjoint(words)`, which reads the list once, and building a set would cost more than that."""
    return _LOWER_WORD.findall(low)


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


# "No. 7", "number 7", "rhif 7": a house's number too (the address is checked for a street kind first).
_HOUSE_NUMBER_SAID = _compiled_on_use(
    r"(?:^|[^\w\s]|\b(?:at|to|from|in|of|is|lives|live|round|by|outside|near|i|o|yn|ger))\s*(?:no|number|rhif)\.? ?$",
    re.IGNORECASE,
)
# A name after one of these is an organisation's or a building's, not a home's.
_AN_ORGANISATIONS_NAME = _compiled_on_use(
    r"\b(?:ysgol|capel|eglwys|canolfan|clwb|neuadd|theatr|meddygfa|cartref gofal|school|chapel|church|centre|club|"
    r"hall|surgery|care home|nursery|meithrinfa|primary|ysgol gynradd|ysgol uwchradd|high|comp|academy|college|"
    r"coleg|library|llyfrgell|institute|theatre|stadium|ltd|limited|council|cyngor)"
    # its name may follow, a word or three ("Ysgol y Cwm, Heol y Ysgol, ...")
    r"(?-i:(?: (?:y|yr|the|of|[A-Z][\w'’-]*)){0,3})\s*,?\s*$",
    re.IGNORECASE,
)
# A number after one of these words counts something other than houses.
_NOT_A_HOUSE_NUMBER = _compiled_on_use(
    r"\b(?:year|yr|y|blwyddyn|bl|room|ystafell|form|under|u|class|group|team|week|wythnos|page|chapter|platform|"
    r"bus|route|no|number|rhif|gate|pitch|court|lane|level|stage|top|best|the|won|beat|scored|raised|got|has|have|"
    r"had|over|about|all|only|our|ein|enillodd|sgoriodd|set|band|table|tabl|unit|uned|section|step|grade|gradd|"
    r"lefel|part|rhan|act|scene|episode|verse|pennod|question|cwestiwn|q|task|tasg|hole|round|race|heat|lôn|"
    r"tîm|grŵp|dosbarth|cam)\.? ?$",
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


def _email_allowed(local: str, domain: str, contacts: SchoolContacts) -> bool:
    """The school's own addresses, role mailboxes of organisations and work addresses at public bodies."""
    if f"{local}@{domain}" in contacts.emails or any(domain == d or domain.endswith("." + d) for d in contacts.domains):
        return True
    # A role, or roles joined: "bookings@", "box.office@", "junior-section@", "ymholiadau2@".
    parts = [part for part in re.split(r"[._+-]+|\d+", local) if part]
    if domain in _WEBMAIL:
        # a school's committee at a webmail provider: "pta.islwynhigh@gmail.com" (a role and the school's own name)
        own = {d.split(".")[0] for d in contacts.domains}
        return bool(own) and any(p in own for p in parts) and all(p in _ROLE_MAILBOXES or p in own for p in parts)
    if ("." + domain).endswith(_PUBLIC_DOMAINS):
        return True
    return local in _ROLE_MAILBOXES or (bool(parts) and all(part in _ROLE_MAILBOXES for part in parts))


def _emails(text: str, contacts: SchoolContacts) -> list[Match]:
    if "@" not in text and not _AT_SPELT.search(text):  # every address needs an "at" written some way
        return []
    found = []
    closed_up = _closed_up(text)
    if closed_up is not None:  # first: the whole address, where its start alone may also read as one
        joined, origin = closed_up
        for m in _emails_in(joined, contacts):
            start, end = origin[m.start], origin[m.end - 1] + 1
            found.append(Match(EMAIL, text[start:end], start, end))
    return found + _emails_in(text, contacts)


def _closed_up(text: str) -> tuple[str, list[int]] | None:
    """The text with letters typed one by one closed up ("g a r e t h" -> "gareth"), and where each of its characters
    is in `text`; None when nothing is typed so."""
    runs = list(_SPACED_OUT.finditer(text))
    if not runs:
        return None
    parts: list[str] = []
    origin: list[int] = []
    last = 0
    for run in runs:
        parts.append(text[last : run.start()])
        origin.extend(range(last, run.start()))
        parts.append(text[run.start() : run.end() : 2])
        origin.extend(range(run.start(), run.end(), 2))
        last = run.end()
    parts.append(text[last:])
    origin.extend(range(last, len(text)))
    return "".join(parts), origin


def _emails_in(text: str, contacts: SchoolContacts) -> list[Match]:
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
        welsh_at = re.match(r"\s+(?:ar|AR)\s", m.group(0)[len(m.group(1)) :])
        if welsh_at and not re.search(r"[._\d]", local):
            continue  # "edrychwch ar bbc.co.uk": "look at" a site
        if not _email_allowed(local, domain, contacts):
            found.append(Match(EMAIL, m.group(0), m.start(), m.end()))
    if _MAY_NAME_A_WEBMAIL.search(text):
        found.extend(Match(EMAIL, m.group(0), m.start(), m.end()) for m in _WEBMAIL_NO_ENDING.finditer(text))
    return found


def _may_say_where_one_lives(text: str) -> bool:
    """The words `_LIVES_ON` needs: "live" or "byw" and a house's number said ("number", "no", "rhif")."""
    return ("liv" in text or "byw " in text) and ("number" in text or "no" in text or "rhif" in text)


def _postal(text: str, contacts: SchoolContacts, low: str | None = None, words: list[str] | None = None) -> list[Match]:
    found: list[Match] = []
    patterns = []
    if _MAY_NAME_A_HOUSE.search(text) or "flat " in text:
        patterns.append(_HOUSE)
    if _MAY_NUMBER_A_HOUSE.search(text):
        patterns.append(_ADDRESS)
    if ("liv" in text or "byw " in text) and _may_say_where_one_lives(text):  # most posts: two looks, no call
        for m in _LIVES_ON.finditer(text):
            if _fold(m.group(0)) not in contacts.other:
                found.append(Match(ADDRESS, m.group(0), m.start(), m.end()))
    for pattern in patterns:
        for m in pattern.finditer(text):
            numbered = pattern is _ADDRESS or m.group(0)[:1].isdigit()  # "The Old Vicarage" has a "the" before
            before = text[max(0, m.start() - 24) : m.start()]
            if numbered and _NOT_A_HOUSE_NUMBER.search(before[-12:]) and not _HOUSE_NUMBER_SAID.search(before):
                continue  # "Year 7 Netball, Blackwood": a year group, a room, a route
            lead = text[max(0, m.start() - 20) : m.start()]
            named = m.group(0).find(",")  # the organisation may be the name itself: "Y Cwm Primary, Heol Fawr"
            if pattern is _HOUSE and not numbered and _A_VENUE_VISITED.search(text[max(0, m.start() - 40) : m.start()]):
                continue  # "Year 9 visited Brook Farm, Argoed": a venue
            if _AN_ORGANISATIONS_NAME.search(lead) or (
                named > 0 and _AN_ORGANISATIONS_NAME.search(lead + m.group(0)[: named + 1])
            ):
                continue  # "Ysgol Bryn Awel, Oakdale", "Islwyn High School, Pen-y-Fan": an organisation's address
            if _fold(m.group(0)) not in contacts.other:
                found.append(Match(ADDRESS, m.group(0), m.start(), m.end()))
    low = _lowered(text) if low is None else low
    found.extend(_homes_described(text, low, _words_of(low) if words is None else words))
    if not _MAY_BE_A_POSTCODE.search(low):
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


_STAFF_BY_TITLE = _compiled_on_use(r"\b(?:mr|mrs|ms|miss|mx|syr|athro|athrawes)\b\.? ?(?-i:[A-Z])", re.IGNORECASE)
# A place of birth, after the date ("born 16 July 1989 in Cardiff") or before it ("born in Cardiff on ...").
_BIRTHPLACE_AFTER = _compiled_on_use(r"\s*,?\s*(?:in|yn|ym|yng)(?: y| yr)? [A-Z]")
_BORN_IN = _compiled_on_use(r"\b(?i:born) (?:in|at) [A-Z]")


def _historical(text: str, start: int, end: int, date: str) -> bool:
    """A birth date of a famous or historical person: a year long past, a public role named just before, or an
    adult's birth (25 years ago or more) said of no one the school knows ("Tanni Grey-Thompson was born on ...") or
    with the place of birth, as a life story gives it ("born 16 July 1989 in Cardiff", "born in Cardiff on ...")."""
    year = re.search(r"\b(1[0-9]{3}|20[0-9]{2})\b", date)
    born = int(year.group(1)) if year else (1970 if date.lower().startswith("nineteen") else None)
    if born is not None and born < 1950:
        return True
    if _STAFF_BY_TITLE.search(text[max(0, start - 100) : start].split("\n")[-1]):
        return False  # "Happy birthday Miss Lewis! Born ... 1993", "Mr Owen! Ganed ... 1979 yn Aberystwyth": staff
    before = re.split(r"[.!?\n]\s", text[max(0, start - 100) : start])[-1]
    if _PUBLIC_FIGURE.search(before):
        return True
    if born is None or born > dt.date.today().year - 25:
        return False
    if _BIRTHPLACE_AFTER.match(text, end) or _BORN_IN.search(text, start, end):
        return True
    # what is said of the person in the same clause ("born 26/07/1969, visited our PE department" says nothing of
    # who they are; "DOB 3/3/1985 for my volunteer form" does)
    sentence = before + " " + re.split(r"[.!?\n,;](?:\s|$)", text[end : end + 100])[0]
    return not _KNOWN_TO_THE_SCHOOL.search(sentence)


def _to_come(date: str) -> bool:
    """A date in a year still to come is an event's ("Pen-blwydd yr ysgol: 12/03/2027"), not anyone's birth."""
    year = re.search(r"\b(20[0-9]{2})\b", date)
    return year is not None and int(year.group(1)) > dt.date.today().year


def _an_organisations_birthday(text: str, m: re.Match[str]) -> bool:
    """ "Happy 50th birthday to our school!", "our breakfast club turns 10 on Monday": an organisation's age, said of
    the organisation named just before the age or just after the greeting (the first four words after "to")."""
    before = re.split(r"[.!?\n]", text[max(0, m.start() - 30) : m.start()])[-1].split()
    # "our School is 50 on ...": the subject may also begin the match
    subjects = [*before[-1:], m.group(0).split()[0]]
    if any(_ORGANISATION_CUE.fullmatch(word.strip(",:;'’")) for word in subjects):
        return True
    after = re.split(r"[.!?\n]", text[m.end() : m.end() + 60])[0].split()
    if after and after[0].lower() in ("to", "i", "i'r", "i’r", "i'n", "i’n"):
        if len(after) > 1 and after[1].lower().strip(",") in ("all", "everyone", "every", "pawb", "bawb", "holl"):
            return True  # "Happy 16th birthday to all our Y11s": a group's birthdays, nobody's date
        # "to the NHS", "i'r Urdd": a name with its article is an organisation's, not a person's
        if (len(after) > 2 and after[1].lower() in ("the", "y", "yr") and after[2][:1].isupper()) or (
            after[0].lower() in ("i'r", "i’r") and len(after) > 1 and after[1][:1].isupper()
        ):
            return True
        return any(_ORGANISATION_CUE.fullmatch(word.strip(",:;'’")) for word in after[1:5])
    return False


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


_WHOSE_BIRTHDAY = _compiled_on_use(
    r"(?:\b(?:his|her|my|their|your|ei|fy|eu|dy)|(?-i:[A-Z])[a-z]+['’]s?)\s+[bpm]", re.IGNORECASE
)
_A_BIRTHDAY_GREETING = _compiled_on_use(r"\b(?:happy (?:[^\W_]+ )?birthday|pen-?blwydd hapus)\b", re.IGNORECASE)


def _birthdays(text: str, low: str, words: list[str]) -> list[Match]:
    """An age with a birthday: today ("Happy 11th birthday"), on a day ("turns 12 on Christmas Day"), or a birthday
    with no year and an age said in the same post ("Happy 16th ..., born on Valentine's Day")."""
    found: list[Match] = []
    if _AGE_GATE.search(low):
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in _AGE_TODAY.finditer(text)
            if not _an_organisations_birthday(text, m)
        )
    if _AGE_DAY_GATE.search(low):
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in _AGE_ON_A_DAY.finditer(text)
            if not _an_organisations_birthday(text, m)
        )
    if "sweet" in low:
        found.extend(Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end()) for m in _SWEET_SIXTEEN.finditer(text))
    greeting = _A_BIRTHDAY_GREETING.search(text)
    if greeting and _an_organisations_birthday(text, greeting):
        pass  # "Penblwydd hapus i'n tîm pêl-droed - 5 mlwydd oed heddiw!": a team's age
    elif not _BIRTHDAY_SAID.isdisjoint(words) and _AGE_NOW.search(text):
        # "Happy birthday Ffion, 14 today!": an age now, in a post about a birthday
        found.extend(Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end()) for m in _AGE_NOW.finditer(text))
    if _BORN_GATE.search(low):
        born = list(_BORN_ON_A_DAY.finditer(text))
        aged = bool(born) and _AGE_SAID.search(text) is not None
        # With no age, a birthday said to be someone's ("her birthday is ...", "ei phen-blwydd yw'r 18fed o
        # Orffennaf", "Efa's birthday's the 3rd") is still that person's birth date, less its year.
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in born
            if aged or _WHOSE_BIRTHDAY.search(text[max(0, m.start() - 16) : m.start() + 1])
        )
    return found


def _identifiers(text: str, low: str | None = None, words: list[str] | None = None) -> list[Match]:
    low = _lowered(text) if low is None else low
    words = _words_of(low) if words is None else words
    found: list[Match] = []
    if not _DOB_WORDS.isdisjoint(words) and _DOB_GATE.search(low):
        found.extend(
            Match(DATE_OF_BIRTH, m.group(0), m.start(), m.end())
            for m in _DATE_OF_BIRTH.finditer(text)
            if not _historical(text, m.start(), m.end(), m.group(1))
            and not _to_come(m.group(1))
            and not _A_RANGE_AFTER.match(text, m.end())
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


def find_personal_info(text: str, school_contacts: SchoolContacts | Iterable[str] = ()) -> list[Match]:
    """Personal information in `text`, in order of appearance; overlapping findings are reported once."""
    contacts = school_contacts if isinstance(school_contacts, SchoolContacts) else SchoolContacts.parse(school_contacts)
    # Identifiers first: an NHS number written "943 476 5919" is also a possible phone number.
    low = _lowered(text)
    words = _words_of(low)
    candidates = _identifiers(text, low, words)
    if _MAY_BE_A_PHONE.search(text):
        candidates += _phones(text, contacts)
    candidates += _spoken_phones(text, contacts, low, words)
    candidates += _emails(text, contacts)
    candidates += _postal(text, contacts, low, words)
    kept: list[Match] = []
    for match in candidates:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)
