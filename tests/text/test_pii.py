import json
from pathlib import Path

import pytest

from auditor.text.pii import (
    ADDRESS,
    DATE_OF_BIRTH,
    EMAIL,
    NHS_NUMBER,
    PHONE,
    POSTCODE,
    UPN,
    SchoolContacts,
    find_personal_info,
)

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"
SCHOOL = SchoolContacts.parse(["01495 200000", "office@islwynhigh.co.uk", "NP12 2BB"], "islwynhigh.co.uk")


def kinds(text: str, contacts: SchoolContacts = SCHOOL) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in find_personal_info(text, contacts)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fixtures update: contact Mr Evans on 07700 900123 for minibus times", [(PHONE, "07700 900123")]),
        ("Ring +44 (0)29 2018 0456 after six", [(PHONE, "+44 (0)29 2018 0456")]),
        ("Lift share from 0121 496 0456", [(PHONE, "0121 496 0456")]),
        ("Email coach.evans.pe@gmail.com with questions", [(EMAIL, "coach.evans.pe@gmail.com")]),
        ("Slips to gareth.owen@blackwoodrugby.org.uk please", [(EMAIL, "gareth.owen@blackwoodrugby.org.uk")]),
        ("Party at 7 Church Road, all welcome", [(ADDRESS, "7 Church Road")]),
        ("Pick-up from 14 Heol y Coed at 8", [(ADDRESS, "14 Heol y Coed")]),
        ("Meet at the car park, CF83 1XY", [(POSTCODE, "CF83 1XY")]),
        ("Lanyard found, DOB: 12/03/2013", [(DATE_OF_BIRTH, "DOB: 12/03/2013")]),
        ("Chess champion (born on 3rd May 2012)", [(DATE_OF_BIRTH, "born on 3rd May 2012")]),
        ("Candidate UPN H801200001001 see the office", [(UPN, "H801200001001")]),
        ("Form returned for NHS number 943 476 5919", [(NHS_NUMBER, "943 476 5919")]),
        ("NHS no. 9434765919 on the medical form", [(NHS_NUMBER, "9434765919")]),
    ],
)
def test_finds_personal_information(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call the school office on 01495 200000",  # the school's own number
        "Absence line: +44 1495 200000",  # the same number, written internationally
        "Email office@islwynhigh.co.uk or j.jenkins@islwynhigh.co.uk",  # the school's own domain
        "Islwyn High School, Blackwood NP12 2BB",  # the school's own postcode
        "Childline is free on 0800 1111; the council on 0300 123 4567",  # organisations' numbers
        "Bookings: info@caerphillyleisure.co.uk",  # a role mailbox of an organisation
        "Year 10 beat Blackwood Comp 24-12 on Saturday 15/11/2025",  # a score and an event date
        "Ticket number 1234567890 wins the raffle",  # bare digits are not a UK phone number
        "Exam candidate H801200001002 on the seating plan",  # fails the UPN check letter
        "Batch 943 476 5918 has arrived",  # fails the NHS check digit
        "Call reference 5555555555 logged with IT",  # passes mod 11 by chance, but nothing says NHS
        "Free bus for pupils in NP12 and NP11",  # outward codes name a town, not a home
        "Charles Dickens was born in 1812",  # a year is not a birth date
        "the np12 bus runs late today",
    ],
)
def test_ignores_school_contacts_and_lookalikes(text):
    assert kinds(text) == []


def test_contacts_may_be_plain_strings_and_overlaps_are_reported_once():
    text = "Call 07700 900123 or 07700 900456"
    assert [m.text for m in find_personal_info(text, ["07700 900123"])] == ["07700 900456"]
    assert [m.kind for m in find_personal_info("NHS number 943 476 5919")] == [NHS_NUMBER]


def test_school_contacts_sort_each_kind():
    contacts = SchoolContacts.parse(["@council.gov.uk", "head@school.org", "01495 200000", "NP12 2BB"])
    assert contacts.domains == {"council.gov.uk"}
    assert contacts.emails == {"head@school.org"}
    assert contacts.phones == {"1495200000"}
    assert "np12 2bb" in contacts.other


def test_evaluation_set_is_large_enough_and_labelled():
    rows = [json.loads(line) for line in (EVAL / "safeguarding.personal_info.jsonl").read_text("utf-8").splitlines()]
    assert sum(r["label"] for r in rows) >= 70
    assert sum(not r["label"] for r in rows) >= 50
    assert {r["split"] for r in rows} == {"tune", "heldout"}


def test_tuning_half_of_evaluation_set_is_all_correct():
    # The held-out half is measured by benchmarks/accuracy.py; the tuning half must stay exactly right.
    config = json.loads((EVAL / "safeguarding.personal_info.contacts.json").read_text("utf-8"))
    contacts = SchoolContacts.parse(config["school_contacts"], config["email_domain"])
    rows = [json.loads(line) for line in (EVAL / "safeguarding.personal_info.jsonl").read_text("utf-8").splitlines()]
    wrong = [
        r["text"] for r in rows if r["split"] == "tune" and bool(find_personal_info(r["text"], contacts)) != r["label"]
    ]
    assert wrong == []
