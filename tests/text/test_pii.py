import json
from pathlib import Path

import pytest

from auditor.text.pii import (
    ADDRESS,
    DATE_OF_BIRTH,
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
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
    # The held-out half is measured by benchmarks/accuracy.py; the tuning half of tuned batches must stay exactly right.
    config = json.loads((EVAL / "safeguarding.personal_info.contacts.json").read_text("utf-8"))
    contacts = SchoolContacts.parse(config["school_contacts"], config["email_domain"])
    rows = [json.loads(line) for line in (EVAL / "safeguarding.personal_info.jsonl").read_text("utf-8").splitlines()]
    # Batch 3 was written later, without sight of the rules, as the next target: add 3 once they are tuned on it.
    tuned = [r for r in rows if r["split"] == "tune" and r.get("batch", 1) in (1, 2)]
    wrong = [r["text"] for r in tuned if bool(find_personal_info(r["text"], contacts)) != r["label"]]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email jo dot bloggs at gmail dot com", [(EMAIL, "jo dot bloggs at gmail dot com")]),
        ("rhian.davies [at] hotmail [dot] co [dot] uk", [(EMAIL, "rhian.davies [at] hotmail [dot] co [dot] uk")]),
        ("Tickets: gethin{at}icloud{dot}com", [(EMAIL, "gethin{at}icloud{dot}com")]),
        ("Drop it at 12 Ael-y-Bryn, Pontllanfraith", [(ADDRESS, "12 Ael-y-Bryn")]),
        ("Ganwyd Tomos ar 3 Mai 2013 yn Ysbyty Ystrad Fawr.", [(DATE_OF_BIRTH, "Ganwyd Tomos ar 3 Mai 2013")]),
        ("Party at 7 Cae'r Felin, Oakdale", [(ADDRESS, "7 Cae'r Felin")]),
        ("Casglu o 14 Heol y Coed, Pengam", [(ADDRESS, "14 Heol y Coed")]),
        ("Meet at Rose Cottage, Argoed", [(ADDRESS, "Rose Cottage, Argoed")]),
        ("Sleepover at Bryn Awel, Markham", [(ADDRESS, "Bryn Awel, Markham")]),
        ("Collect from Flat 4, Llys Celyn", [(ADDRESS, "Flat 4, Llys Celyn")]),
        ("Sat nav: cf83 1xy", [(POSTCODE, "cf83 1xy")]),
        ("She was born on the third of May 2012", [(DATE_OF_BIRTH, "born on the third of May 2012")]),
        ("Dyddiad geni: 12/03/2013", [(DATE_OF_BIRTH, "Dyddiad geni: 12/03/2013")]),
        ("Ganwyd hi ar 12fed o Fawrth 2013", [(DATE_OF_BIRTH, "Ganwyd hi ar 12fed o Fawrth 2013")]),
        ("Happy 11th birthday to Cerys!", [(DATE_OF_BIRTH, "Happy 11th birthday")]),
        ("Pen-blwydd hapus yn 12 oed Osian", [(DATE_OF_BIRTH, "Pen-blwydd hapus yn 12 oed")]),
        ("Caerphilly pupil UPN Y676200001001", [(UPN, "Y676200001001")]),  # a Welsh local authority (676)
        ("Cardiff UPN G681123422005", [(UPN, "G681123422005")]),
        ("Rhif GIG 9434765919 ar y ffurflen", [(NHS_NUMBER, "9434765919")]),
        ("Ring O77OO 9OO123 tonight", [(PHONE, "O77OO 9OO123")]),
        (
            "oh seven seven double oh nine oh oh one two three",
            [(PHONE, "oh seven seven double oh nine oh oh one two three")],
        ),
        (
            "Ffoniwch dim saith saith dim dim naw dim dim un dau tri",
            [(PHONE, "dim saith saith dim dim naw dim dim un dau tri")],
        ),
        ("NI number QQ 12 34 56 C", [(NI_NUMBER, "QQ 12 34 56 C")]),
        ("Payslip shows AB123456C", [(NI_NUMBER, "AB123456C")]),
        ("Ring Sarah's mum at home on 01495 123456", [(PHONE, "01495 123456")]),
    ],
)
def test_finds_disguised_welsh_and_uk_personal_information(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call Caerphilly Leisure Centre on 01443 863072 to book",  # a venue's landline
        "The library in Newbridge is on 01495 248086",
        "Email ymholiadau@caerffili.gov.uk or swyddfa@ysgolcwm.cymru",  # Welsh role mailboxes, public bodies
        "Register with croeso@visitcaerphilly.cymru",
        "Contact j.smith@caerphilly.gov.uk about the grant",  # a work address at a public body
        "Roald Dahl was born on 13 September 1916 in Llandaff",  # a famous person's birth date
        "The footballer Gareth Bale was born on 16 July 1989",
        "Ganwyd y bardd Hedd Wyn ar 13 Ionawr 1887",
        "Year 7 Netball, Blackwood won the cup",  # a year group, not a house number
        "Exam candidate Y676200001002 on the plan",  # a Welsh number with the wrong check letter
        "Final score: seven nil, then two one",  # numbers in words that are no phone number
        "Flight BA123456 C gate closes early",  # NI-like, but not as an NI number is written
        "Order ref GB123456A has shipped",  # GB is never an NI prefix
        "see islwyn.org/np11-5ab for the map",  # a lower-case postcode-like slug
        "We won 3 Gold Medals, Cardiff",  # a count, then a town
        "Concert at The Big Sing, Cardiff",  # an event at a venue, not a house
    ],
)
def test_ignores_organisations_public_figures_and_lookalikes(text):
    assert kinds(text) == []


def test_welsh_upn_check_letter_is_the_english_algorithm():
    # Every Welsh authority (660 to 681) is accepted with a right check letter and refused with a wrong one.
    from stdnum.gb import upn

    for la in range(660, 682):
        body = f"{la}200001001"
        right = upn.calc_check_digit(body)
        wrong = "A" if right != "A" else "B"
        assert kinds(f"UPN {right}{body}") == [(UPN, f"{right}{body}")]
        assert kinds(f"UPN {wrong}{body}") == []


def test_long_runs_of_disguise_words_cost_linear_time():
    import time

    start = time.perf_counter()
    assert kinds("a dot " * 5000) == []
    assert len(kinds("jo dot bloggs at gmail dot com. " * 200)) == 200
    assert time.perf_counter() - start < 2
