"""Home addresses and postcodes: numbered ("12 Heol y Coed"), named ("Tŷ Gwyn, Heol y Coed"), or a home described
("Bryn Awel, the house at the top of Pandy Road"), in English and Welsh."""

from __future__ import annotations

import re

from auditor.text.names import LOCAL_PLACES
from auditor.text.pii._common import Match, _compiled_on_use, _fold, _lowered, _words, _words_of
from auditor.text.pii.contacts import SchoolContacts

ADDRESS = "home address"
POSTCODE = "postcode"

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
)
# A flat with its street: "flat 6 above the bookies on High Street Newbridge", "fflat 3 uwchben y siop ar Heol y
# Bont" (a number, not a name: never a venue's).
_FLAT_WORDS = frozenset(_words("flat fflat apartment"))
_FLAT_ON_A_STREET = _compiled_on_use(
    rf"\b(?i:flat|fflat|apartment)\s?\d+[A-Za-z]?\b(?=[^.!?\n]{{0,60}}{_A_STREET_OR_TOWN})"
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
    # each with whether it names the house (a name may be a venue's; a flat's number is not)
    matches = [
        (m, True) for gate, pattern in _HOMES_DESCRIBED if _needs(gate, low, said) for m in pattern.finditer(text)
    ]
    if not said.isdisjoint(_FLAT_WORDS):
        matches += [(m, False) for m in _FLAT_ON_A_STREET.finditer(text)]
    for m, named in matches:
        lead = text[max(0, m.start() - 40) : m.start()]
        capital = m.group(0)[:1].isupper()
        if named and (_A_VENUE_VISITED.search(lead) or (capital and lead.endswith((" the ", " y ", " yr ")))):
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

# `_HOUSE` needs a flat's number or a house name followed by ", " and a capital (a street or a town); `_ADDRESS`
# needs a house number followed by a space and a capital; `_POSTCODE` a digit and two letters (the inward code).
_MAY_NAME_A_HOUSE = re.compile(r"Flat|Fflat|Apartment|Apt|, [A-Z]")  # (or "flat " in lower case: see `_postal`)
_MAY_NUMBER_A_HOUSE = re.compile(r"\d[A-Za-z]?,? [A-Z]")
_A_NUMBER_SAID = re.compile(r"(?:number|no\.?|rhif) ?\d")  # `_AT_NUMBER`, in the lowered text
_MAY_BE_A_POSTCODE = re.compile(r"[0-9][a-z]{2}")

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
