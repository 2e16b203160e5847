"""Personal email addresses, plain or written to slip past a filter ("jo dot bloggs at gmail dot com", "g a r e t h
@ ..."); the school's own, role mailboxes and addresses at public bodies are not reported."""

from __future__ import annotations

import re

from auditor.text.pii._common import Match, _compiled_on_use, _words
from auditor.text.pii.contacts import SchoolContacts

EMAIL = "personal email address"

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
