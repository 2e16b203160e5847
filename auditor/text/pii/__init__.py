"""Personal information in published text (SMP-2.4): phone numbers, personal email addresses, home addresses and
postcodes, dates of birth, Unique Pupil Numbers, NHS numbers and National Insurance numbers, in English and Welsh.

The school's own published contact details are never flagged, nor are the contacts of organisations: role mailboxes
(info@, ymholiadau@), addresses on public bodies' domains (.gov.uk, .sch.uk, .llyw.cymru, ...) and landlines given
for a venue or an organisation. Pupil and NHS numbers are validated with their check digits (python-stdnum; Welsh
local authorities' pupil numbers by the same check letter, see `_upn_valid`), phone numbers by Google's numbering
plan (phonenumbers, region GB), so a score, a date or an order reference that merely looks like a number is not
reported. Details written to slip past a filter are read as a person would: "jo dot bloggs at gmail dot com",
"O77OO 9OO123", "oh seven seven double oh ...".

Each kind is read in its own module: `phones`, `emails`, `places` (addresses, postcodes and homes described),
`births` (dates of birth, and ages that give one), `identifiers` (pupil, NHS and National Insurance numbers, read after
the dates of birth); `contacts` holds the school's own, and `_common` what they all use.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.text.pii._common import Match, _lowered, _words_of
from auditor.text.pii.births import DATE_OF_BIRTH
from auditor.text.pii.contacts import SchoolContacts
from auditor.text.pii.emails import EMAIL, _emails
from auditor.text.pii.identifiers import NHS_NUMBER, NI_NUMBER, UPN, _identifiers
from auditor.text.pii.phones import _MAY_BE_A_PHONE, PHONE, _phones, _spoken_phones
from auditor.text.pii.places import ADDRESS, POSTCODE, _postal

__all__ = [
    "ADDRESS",
    "DATE_OF_BIRTH",
    "EMAIL",
    "NHS_NUMBER",
    "NI_NUMBER",
    "PHONE",
    "POSTCODE",
    "UPN",
    "Match",
    "SchoolContacts",
    "find_personal_info",
]


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
