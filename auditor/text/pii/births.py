"""Dates of birth: a date said to be someone's birth ("DOB 3/3/2013", "Ganwyd Tomos ar 3 Mai 2013"), pupils listed
with their dates, and an age with a birthday or a day ("Happy 11th birthday Cerys!", "turns 12 on Christmas Day"),
which with the post's own date gives the birth date."""

from __future__ import annotations

import datetime as dt
import re

from auditor.text.pii._common import _ORGANISATION_CUE, Match, _compiled_on_use, _words
from auditor.text.pii.places import _TOWN

DATE_OF_BIRTH = "date of birth"

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
        if _someones_birth(text, m)
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

_A_DATE_IN_FIGURES = re.compile(r"\d[/.]\d\d?[/.]\d\d")  # `_NAME_THEN_DATE`

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


def _someones_birth(text: str, m: re.Match[str]) -> bool:
    """Whether a date said to be a birth date (the match's first group) is someone's the school may know: not a famous
    or historical person's, nor in a year still to come."""
    return not _historical(text, m.start(), m.end(), m.group(1)) and not _to_come(m.group(1))


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
