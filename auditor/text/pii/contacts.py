"""The school's own published contacts (`SchoolContacts`), which are never reported."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.text.pii._common import _fold


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
