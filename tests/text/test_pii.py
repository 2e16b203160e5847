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
    # Batches 3 and 8 were written later, without sight of the rules; the rules were then tuned on their tune halves
    # too (batch 8: dates of birth in words and in Welsh, spoken and disguised contacts, and their look-alikes; batch
    # 12: ages with the day they come, houses described, flats with their streets, Welsh "ar" in an email address).
    tuned = [r for r in rows if r["split"] == "tune" and r.get("batch", 1) in (1, 2, 3, 8, 12)]
    assert {r.get("batch", 1) for r in tuned} == {1, 2, 3, 8, 12}
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers part in figures, part in words; "hundred" after a digit is two noughts
        ("Text me on 07700 nine double oh, four five six", [(PHONE, "07700 nine double oh, four five six")]),
        (
            "ring oh seven seven hundred, nine hundred, one two three",
            [(PHONE, "oh seven seven hundred, nine hundred, one two three")],
        ),
        (
            "Ffoniwch dim saith saith dim dim naw cant pedwar pump chwech",
            [(PHONE, "dim saith saith dim dim naw cant pedwar pump chwech")],
        ),
        # letters typed one by one
        ("Contact me: j o . b l o g g s @ g m a i l . c o m", [(EMAIL, "j o . b l o g g s @ g m a i l . c o m")]),
        # an age with a birthday on a named day, a day of the week or of a month, in English and Welsh
        ("Ioan turns 12 on Christmas Day!", [(DATE_OF_BIRTH, "turns 12 on Christmas Day")]),
        ("Cerys turns nine on Friday 6th December", [(DATE_OF_BIRTH, "turns nine on Friday 6th December")]),
        ("Mali yn naw oed ar Ddydd Gŵyl Dewi", [(DATE_OF_BIRTH, "yn naw oed ar Ddydd Gŵyl Dewi")]),
        (
            "Happy 16th to Ioan, born on Valentine's Day",
            [(DATE_OF_BIRTH, "Happy 16th"), (DATE_OF_BIRTH, "born on Valentine's Day")],
        ),
        ("Our Ella, born on the 3rd of May, is eleven years old", [(DATE_OF_BIRTH, "born on the 3rd of May")]),
        ("Mae Cerys yn 12 oed. Cafodd ei geni ar 3 Mai.", [(DATE_OF_BIRTH, "Cafodd ei geni ar 3 Mai")]),
        ("Lowri, a aned ar 14 Chwefror 2013!", [(DATE_OF_BIRTH, "a aned ar 14 Chwefror 2013")]),
        ("Dyddiad geni: y trydydd o Fai 2013", [(DATE_OF_BIRTH, "Dyddiad geni: y trydydd o Fai 2013")]),
        ("Happy ninth birthday Cerys", [(DATE_OF_BIRTH, "Happy ninth birthday")]),
        ("Happy birthday Ffion, 14 today!", [(DATE_OF_BIRTH, "14 today")]),
        ("She celebrates her 12th birthday on St David's Day", [(DATE_OF_BIRTH, "12th birthday on St David's Day")]),
        ("Gruff yn dathlu ei ben-blwydd yn 10 ddydd Sadwrn", [(DATE_OF_BIRTH, "ben-blwydd yn 10 ddydd Sadwrn")]),
        ("Ganwyd ar Ddydd Nadolig 2012", [(DATE_OF_BIRTH, "Ganwyd ar Ddydd Nadolig 2012")]),
        ("Party at No. 7 Church Road", [(ADDRESS, "7 Church Road")]),
        ("Dyddiad geni Elis: 14/02/2013", [(DATE_OF_BIRTH, "Dyddiad geni Elis: 14/02/2013")]),
        ("Sleepover at Ael y Bryn, Cefn Hengoed", [(ADDRESS, "Ael y Bryn, Cefn Hengoed")]),
        ("Bags at The Old Vicarage, Bedwas", [(ADDRESS, "Old Vicarage, Bedwas")]),
        # an adult the school knows, born long ago, is still personal
        ("Our caretaker Dai was born on 1 May 1960", [(DATE_OF_BIRTH, "born on 1 May 1960")]),
        ("Rhif YG: ab 12 34 56 c", [(NI_NUMBER, "ab 12 34 56 c")]),
        ("Ring me at home on 01632 960 522", [(PHONE, "01632 960 522")]),
    ],
)
def test_finds_batch_three_kinds(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Blackwood Library is on 01632 960 522 to book the study room",  # a venue's landline in Ofcom's drama range
        "Call Caerphilly Council's admissions line on 01443 864 000",  # an organisation's possessive is no person's
        "Gwersyll yr Urdd Glan-llyn: 01632 960 803 ar gyfer archebion",
        "Replacement charger: part number LA 45 12 09 C",  # another kind of number, written like an NI number
        "ISBN 0 7475 3269 9 is in the library",
        "Email box.office@blackwoodminers.co.uk or junior-bookings@islwynrfc.co.uk",  # roles joined
        "Tanni Grey-Thompson was born on 26 July 1969 in Cardiff",  # an adult no one at school knows
        "Ganwyd Tanni Grey-Thompson ar 26 Gorffennaf 1969.",
        "Pen-blwydd hapus i'r ysgol! 50 years old on 3 May 2025",  # a school's age, not a pupil's
        "Presentation evening is on Wednesday the ninth of December at 6pm",
        "She was born on Christmas Day",  # a birthday with no age or year gives no date of birth
        "Happy 10th anniversary to our breakfast club!",
        "Set 4 English, Blackwood meet on Tuesday",  # a set, not a house number
        "Happy 50th birthday to Islwyn High!",  # an organisation's birthday
        "Our breakfast club turns 10 on Monday!",
        "Kick-off will be 2 on Saturday",  # "will be" a number on a weekday is no birthday
        "Bus no. 7 Heol y Coed",  # a route's number, not a house's
        "Visit from Ysgol Bryn Awel, Oakdale",  # a school's name, not a house's
        "Letters to: Islwyn High School, Pen-y-Fan, Blackwood",  # an organisation's address
        "Order number 943 476 5919 has shipped",  # another kind of number in the NHS layout
        "Final score twenty-four twelve, seven one to us in the second half",
    ],
)
def test_ignores_batch_three_lookalikes(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dates of birth in words: ordinals in words or figures, with or without 'the'; years in figures, "'13", words
        (
            "born on the thirty-first of October two thousand and thirteen",
            [(DATE_OF_BIRTH, "born on the thirty-first of October two thousand and thirteen")],
        ),
        ("DOB: 23rd Feb '13 for the entry form", [(DATE_OF_BIRTH, "DOB: 23rd Feb '13")]),
        ("Her date of birth was 9th of Jan 2014", [(DATE_OF_BIRTH, "date of birth was 9th of Jan 2014")]),
        ("Date of Birth ..... 11th of April 2013", [(DATE_OF_BIRTH, "Date of Birth ..... 11th of April 2013")]),
        ("He was born the twelfth of May 2013", [(DATE_OF_BIRTH, "born the twelfth of May 2013")]),
        ("born on the 1st of the 9th 2013", [(DATE_OF_BIRTH, "born on the 1st of the 9th 2013")]),
        # Welsh: ordinals in figures and words, mutated months after 'o' and 'o fis', other verbs of birth, years
        ("Dyddiad geni: 31ain Awst 2012", [(DATE_OF_BIRTH, "Dyddiad geni: 31ain Awst 2012")]),
        ("Dyddiad geni Cai yw'r 3ydd o Fawrth 2013", [(DATE_OF_BIRTH, "Dyddiad geni Cai yw'r 3ydd o Fawrth 2013")]),
        ("Ganed hi ar 7fed Gorffennaf 2013", [(DATE_OF_BIRTH, "Ganed hi ar 7fed Gorffennaf 2013")]),
        (
            "Ganwyd Lili ar yr ail ar hugain o Fehefin dwy fil a deuddeg",
            [(DATE_OF_BIRTH, "Ganwyd Lili ar yr ail ar hugain o Fehefin dwy fil a deuddeg")],
        ),
        ("Cefais fy ngeni ar 4ydd Ebrill 2011", [(DATE_OF_BIRTH, "Cefais fy ngeni ar 4ydd Ebrill 2011")]),
        (
            "Ganwyd fy mab ar y 23ain o fis Rhagfyr 2012",
            [(DATE_OF_BIRTH, "Ganwyd fy mab ar y 23ain o fis Rhagfyr 2012")],
        ),
        (
            "Dyddiad geni: yr unfed ar ddeg ar hugain o Ragfyr 2012",
            [(DATE_OF_BIRTH, "Dyddiad geni: yr unfed ar ddeg ar hugain o Ragfyr 2012")],
        ),
        # an age on a day: Welsh 'troi'n', 'oed' then a day; a birthday's day with an age said
        ("Mae Jac yn troi'n ddeg ar y 5ed o Fai", [(DATE_OF_BIRTH, "troi'n ddeg ar y 5ed o Fai")]),
        ("Bydd Osian yn ddeuddeg ar 5 Mehefin", [(DATE_OF_BIRTH, "Bydd Osian yn ddeuddeg ar 5 Mehefin")]),
        ("Bydd hi'n 15 ar 28 Chwefror", [(DATE_OF_BIRTH, "Bydd hi'n 15 ar 28 Chwefror")]),
        ("born on 3rd March, twenty-thirteen", [(DATE_OF_BIRTH, "born on 3rd March, twenty-thirteen")]),
        (
            "Mae Alys yn ddeg oed ddydd Sadwrn, yr 8fed o Hydref",
            [(DATE_OF_BIRTH, "yn ddeg oed ddydd Sadwrn, yr 8fed o Hydref")],
        ),
        (
            "Mae ei phen-blwydd ar y pymthegfed o Orffennaf, bydd hi'n ddeuddeg oed",
            [(DATE_OF_BIRTH, "phen-blwydd ar y pymthegfed o Orffennaf")],
        ),
        (
            "Pen-blwydd Efa yw'r ugeinfed o Dachwedd, bydd hi'n dair ar ddeg",
            [(DATE_OF_BIRTH, "Pen-blwydd Efa yw'r ugeinfed o Dachwedd")],
        ),
        # English: 'is', "'s", "'ll be", 'turn' an age on a day of a month, next week, tomorrow
        ("She's 12 on the 5th of March, party at the bowling", [(DATE_OF_BIRTH, "She's 12 on the 5th of March")]),
        (
            "Lily-Mae is ten on Saturday the 14th of June",
            [(DATE_OF_BIRTH, "Lily-Mae is ten on Saturday the 14th of June")],
        ),
        (
            "He will be thirteen on the twenty-second of August",
            [(DATE_OF_BIRTH, "will be thirteen on the twenty-second of August")],
        ),
        ("She'll be 15 on the 28th of February", [(DATE_OF_BIRTH, "'ll be 15 on the 28th of February")]),
        ("My twins turn 12 on the 1st of October", [(DATE_OF_BIRTH, "turn 12 on the 1st of October")]),
        ("He turns eleven next Tuesday", [(DATE_OF_BIRTH, "turns eleven next Tuesday")]),
        ("Cerys is fourteen tomorrow, the 3rd of May", [(DATE_OF_BIRTH, "is fourteen tomorrow")]),
        ("Evan's birthday's the 17th of March, he'll be twelve", [(DATE_OF_BIRTH, "birthday's the 17th of March")]),
        # emails with a spaced dot or no ending, NHS numbers said in Welsh in full, where one lives said in Welsh
        ("email siangriff @ gmail . com", [(EMAIL, "siangriff @ gmail . com")]),
        ("email jo.bloggs@gmail if you can help", [(EMAIL, "jo.bloggs@gmail")]),
        ("jo.bloggs at hotmail, ta", [(EMAIL, "jo.bloggs at hotmail")]),
        ("Rhif y Gwasanaeth Iechyd: 9993453730", [(NHS_NUMBER, "9993453730")]),
        ("Mae hi'n byw yn Heol y Coed, rhif 12", [(ADDRESS, "byw yn Heol y Coed, rhif 12")]),
    ],
)
def test_finds_dates_of_birth_by_their_grammar_and_batch_eight_kinds(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # an organisation's age, an event's day, a number that is no age: the grammar must not read them as birthdays
        "Our school is ten on the 3rd of May!",
        "The trip is 2 on the 4th of June",
        "Mae'r ysgol yn 50 oed ar 1 Medi",
        "Bydd y daith yn 3 ar 5 Mehefin",  # a thing with its article, not a person
        "Kick off is 2pm on the 3rd of May, we'll be 11 players short",
        "Our Year 7s will be 11 or 12 when they start in September",
        "Fixtures: turn up 10 minutes early on Saturday the 3rd of May",
        # a monarch's official birthday, a DOB asked for, a closing date, an event in Welsh, people in history
        "The King's official birthday is on the 14th of June this year",
        "Forms need name, DOB and address by Friday 3rd March 2026",
        "Dyddiad cau: 3ydd Mawrth 2026",
        "Bydd Blwyddyn 6 yn ymweld ar y trydydd o Orffennaf",
        "Ganed y Frenhines Victoria ar y pedwerydd ar hugain o Fai 1819",
        "Roald Dahl was born on 13th September 1916 in Llandaff",
        # "'n naw o'r gloch" is a time; a name at a webmail provider needs a mailbox's dot, underscore or digit
        "Mae'n naw o'r gloch ar ben-blwydd yr ysgol ar 3 Mai",
        "Message Sarah at Hotmail HQ about the sponsorship",
        "The outlook at gmail is that nothing changes",
        # a street with a number that is a bus's, not a house's; 'turning' with no age
        "Heol y Coed is closed for roadworks, bus number 12 diverted",
        "Year 7 are turning the hall into a museum on the 4th of May",
    ],
)
def test_ignores_dates_and_numbers_that_are_no_birth_date(text):
    assert kinds(text) == []


def test_long_runs_of_birth_date_cues_cost_linear_time():
    # A name may stand between a cue and its date ("Dyddiad geni Cai yw'r ..."): its words are read whole, so a
    # long run of cues and words does not try every split of each word.
    import time

    start = time.perf_counter()
    assert kinds("birthday is " * 5000) == []
    assert kinds("dyddiad geni Cai yw " * 4000) == []
    assert len(kinds("Cerys yn ddeg oed ddydd Sadwrn. " * 1000)) == 1000
    assert time.perf_counter() - start < 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dates of birth: a year first, a month's abbreviation with its dot, "b.", a format hint, a birthplace between
        ("dob: 2014.05.03 for the gala", [(DATE_OF_BIRTH, "dob: 2014.05.03")]),
        ("Date of birth 2013/11/02, Year 7", [(DATE_OF_BIRTH, "Date of birth 2013/11/02")]),
        ("Born on 5 Jan. 2013, Jac is our youngest", [(DATE_OF_BIRTH, "Born on 5 Jan. 2013")]),
        ("DOB Sept. 9, 2012 (Ceri)", [(DATE_OF_BIRTH, "DOB Sept. 9, 2012")]),
        ("Lily b. 05/06/2014, U11s", [(DATE_OF_BIRTH, "b. 05/06/2014")]),
        ("Dyddiad geni (DD/MM/BBBB): 02/03/2013", [(DATE_OF_BIRTH, "Dyddiad geni (DD/MM/BBBB): 02/03/2013")]),
        ("Tomos was born at the Heath on 3rd May 2013", [(DATE_OF_BIRTH, "born at the Heath on 3rd May 2013")]),
        ("Penblwydd Twm yw 03/05/2014", [(DATE_OF_BIRTH, "Penblwydd Twm yw 03/05/2014")]),
        ("Pen-blwydd: 9 Ebrill 2013", [(DATE_OF_BIRTH, "Pen-blwydd: 9 Ebrill 2013")]),
        # an age on a day of this month, or on a weekday said of a person
        ("Amira's 10 on the 19th and she's invited everyone", [(DATE_OF_BIRTH, "Amira's 10 on the 19th")]),
        ("he'll be eleven on the 2nd, cake on Monday", [(DATE_OF_BIRTH, "'ll be eleven on the 2nd")]),
        ("Jude turns 9 on the 30th of this month", [(DATE_OF_BIRTH, "turns 9 on the 30th of this month")]),
        ("My son is 11 on Monday, can he wear own clothes?", [(DATE_OF_BIRTH, "My son is 11 on Monday")]),
        ("Dafydd is twelve next Saturday", [(DATE_OF_BIRTH, "Dafydd is twelve next Saturday")]),
        ("Mae hi'n 10 oed ar y 3ydd", [(DATE_OF_BIRTH, "'n 10 oed ar y 3ydd")]),
        ("Bydd Cai yn 9 oed ar y 25ain", [(DATE_OF_BIRTH, "Bydd Cai yn 9 oed ar y 25ain")]),
        # a mobile said wholly in words, its 0 dropped
        (
            "ffonia fi: saith saith dim dim naw dim dim dau dau dau",
            [(PHONE, "saith saith dim dim naw dim dim dau dau dau")],
        ),
        (
            "call seven seven double oh nine double oh one two three",
            [(PHONE, "seven seven double oh nine double oh one two three")],
        ),
        # a flat in lower case; a house name before an English street
        ("flat 2b, Maes Glas, Bargod", [(ADDRESS, "flat 2b, Maes Glas")]),
        ("Drop it at Ivy Cottage, Station Road please", [(ADDRESS, "Ivy Cottage, Station Road")]),
        ("Parcel at Bryn Hyfryd, Woodland Terrace", [(ADDRESS, "Bryn Hyfryd, Woodland Terrace")]),
        # NI numbers in lower case or mixed, said to be one
        ("NI number: jt 12 34 56 a", [(NI_NUMBER, "jt 12 34 56 a")]),
    ],
)
def test_finds_batch_ten_kinds(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # events, times and ages that are no one's birth date
        "Training is 6 on Tuesday in the sports hall",
        "Tea's 5 on Friday, bring a plate",
        "Mass is eleven this Sunday",
        "Pen-blwydd yr ysgol: 12/03/2099 - dathlu mawr!",
        "Trip payments due 2026/03/03, £12.50",
        "Sports day: 3 Jan. 2026 on the field",
        "Our school is 50 on the 3rd of May",
        "Year 6 counting: seven, seven, eight, nine",
        "Sgôr: saith - dim i'r merched",
        # public figures with their birthplace; a school's own address
        "Happy birthday to Gareth Bale, born 16 July 1989 in Cardiff!",
        "Colin Jackson, born in Cardiff on 18 February 1967, visited our sports day",
        "Tanni Grey-Thompson, born 26/07/1969, visited our PE department",
        "Y Cwm Primary, Heol Fawr, Caerphilly - drop off point",
        "Ysgol y Cwm, Heol y Ysgol, Caerphilly",
        "Our new building turns 10 next Thursday",
        # a flat that is not a home
        "Flat 3 of the storyboard needs colouring",
        "The netball court is flat, at last, Caerphilly council says",
    ],
)
def test_ignores_batch_ten_lookalikes(text):
    assert kinds(text) == []


def test_long_runs_of_new_cues_cost_linear_time():
    import time

    start = time.perf_counter()
    assert kinds("Isla's 11 on " * 3000) == []
    assert kinds("born in Nevill Hall Nevill Hall " * 3000) == []
    assert kinds("seven " * 5000) == []
    assert time.perf_counter() - start < 3


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # the Welsh cue mutated after "ei" and "fy"
        ("Ei ddyddiad geni yw 01/09/2012", "ddyddiad geni yw 01/09/2012"),
        ("fy nyddiad geni: 3/3/2012", "nyddiad geni: 3/3/2012"),
        # a name, then a dash
        ("Dyddiad geni Lowri - 14.02.2012", "Dyddiad geni Lowri - 14.02.2012"),
        # the day of the week named before the date
        ("Ganed Gruffudd ar ddydd Llun 4ydd Medi 2011 yn Ysbyty Gwent", "Ganed Gruffudd ar ddydd Llun 4ydd Medi 2011"),
        ("born on Monday 4th September 2011", "born on Monday 4th September 2011"),
        # whose birthday it is, between "pen-blwydd" and the age
        ("pen-blwydd Jac yn 15 ar 30ain Tachwedd", "pen-blwydd Jac yn 15 ar 30ain Tachwedd"),
        ("ei phen-blwydd hi'n 12 ddydd Sul", "phen-blwydd hi'n 12 ddydd Sul"),
    ],
)
def test_welsh_cues_mutated_a_dash_a_weekday_and_whose_birthday(text, found):
    [match] = find_personal_info(text, SCHOOL)
    assert match.kind == DATE_OF_BIRTH and text[match.start : match.end] == found


def test_a_health_number_said_in_welsh_as_rhif_iechyd():
    [match] = find_personal_info("rhif iechyd: 9434765919", SCHOOL)
    assert (match.kind, match.text) == (NHS_NUMBER, "9434765919")
    assert find_personal_info("rhif iechyd: 9434765918", SCHOOL) == []  # its check digit is wrong


@pytest.mark.parametrize(
    "text",
    [
        "Pen-blwydd y clwb yn 10 ar 3 Mai",  # a club's birthday, with its article
        "Pen-blwydd Ysgol Islwyn yn 50 ar 3 Mai",  # no pupil is fifty
        "Eisteddfod on Monday 4th September 2023",  # an event's date, no birth
    ],
)
def test_an_organisations_birthday_and_an_events_weekday_stay_innocent(text):
    assert find_personal_info(text, SCHOOL) == []


# Shapes found in the tune batches 12 and 13 (written blind by two further writers), in sentences of our own: an age
# said of a person with the day it comes a few words on; a date said to be a birth date after it; a year of birth and
# a birthday apart; pupils listed with their dates; a house described by its name, street and town, or as "the house
# on ..."; a flat with its street; "ar" for "at" in a Welsh email address; a relative's landline.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("our Ifan is 11 on Sunday (the 8th!) and wants a cake", DATE_OF_BIRTH),
        ("She's 12 next week on the 14th, shh don't tell her", DATE_OF_BIRTH),
        ("Mrs Lewis in the office is 60 on Thursday!! 4th June, sing loudly", DATE_OF_BIRTH),
        ("Osian will be 14 this Friday the 9th so no detention please", DATE_OF_BIRTH),
        ("mae e'n 12 dydd Sadwrn, parti yn y neuadd", DATE_OF_BIRTH),
        ("mae Elis yn 13 ar y 4ydd o Ebrill", DATE_OF_BIRTH),
        ("2nd of May 2012 is his date of birth, the form says otherwise", DATE_OF_BIRTH),
        ("born in 2013 with a birthday on 9th July, so he's in the right year", DATE_OF_BIRTH),
        ("dyddiad geni e 03/09/2012 os ydych chi angen", DATE_OF_BIRTH),
        ("they typed my son's DOB as 04/04/2013 on the trip form", DATE_OF_BIRTH),
        ("Ganwyd Tomos Price (9R) ar 2 Mai 2012", DATE_OF_BIRTH),
        ("Team sheet: Evan Price 03/02/12, Mali Rees 17/09/11", DATE_OF_BIRTH),
        ("Pen Rhiw, the house at the top of Station Road, Oakdale, thats hers", ADDRESS),
        ("they live in Ty Coch on Heol y Bryn near the shop", ADDRESS),
        ("Meet at her house Ivy Lodge, Mill Lane, Pengam at 7", ADDRESS),
        ("Gwel y Coed, Heol Fawr, Markham is where he lives", ADDRESS),
        ("we're in flat 3 over the chemist on Commercial Street", ADDRESS),
        ("anyone near Cae'r-Ffynnon? were number 22 with the red van", ADDRESS),
        ("e-bost: sion dot bevan ar hotmail dot com", EMAIL),
        ("my nans number is 01632 960111 if I'm at work", PHONE),
    ],
)
def test_finds_shapes_of_the_batch_twelve_and_thirteen_kinds(text, kind):
    assert kind in [k for k, _ in kinds(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Kick-off is 2 on Saturday the 5th at Pontllanfraith",
        "Price is 5 on Friday, bring a plate",
        "He is 6 foot tall on Monday",
        "We won 3-1 on Saturday the 5th",
        "We're number 1 in the league again! Well done Blackwood",
        "Road closed on Heol y Felin, Blackwood from Monday",
        "Year 8 visited Brook Farm, Argoed for the soil study",
        "Meet at the Red Lion, Main Road, Bedwas for the fun run",
        "U13s are boys born 1 Sept 2012 to 31 Aug 2013",
        "Happy 75th birthday to the NHS, born in 1948",
        "Fixtures: Blackwood Town 12/04/15, Risca United 19/04/15",
        "Example format only: QQ 12 34 56 C",
        "cliciwch ar bbc.co.uk am y manylion",
        "ffoniwch y tim diogelu ar 01632 960903 os ydych chi'n poeni",
        "the pta inbox is pta.islwynhigh@gmail.com, the committee one",
    ],
)
def test_passes_look_alikes_of_the_batch_twelve_and_thirteen_kinds(text):
    assert kinds(text) == []


# Shapes found in the tune batches 15 and 16 (two more blind writers), in sentences of our own: a date of birth said
# loosely, with asides between its parts or in either order; a birthday said to be someone's; a member of staff's age
# with the day; an NHS number grouped any way once it is said to be one; a phone number with runs of o or Welsh
# "sero"; a house named in quotation marks or as "the bungalow on ...".
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("our Megan was born on the fifth of, believe it or not, March, two thousand and twelve", DATE_OF_BIRTH),
        ("Birthday: 4th. June. Two-thousand-&-thirteen. (Ffion, 8R)", DATE_OF_BIRTH),
        ("cafodd Osian ei eni ar Fai y trydydd 2013 yn Ysbyty'r Faenor", DATE_OF_BIRTH),
        ("twelfth of August 2011 our little Cai arrived, and now he's in Year 10", DATE_OF_BIRTH),
        ("Happy birthday Mr Harris! Born... wait for it... second of May nineteen eighty-one", DATE_OF_BIRTH),
        ("Ei ben-blwydd yw'r 9fed o Fedi, so Dylan will miss the trip", DATE_OF_BIRTH),
        ("Mrs Davies (Maths) is 52 on Monday 7th December, sing for her", DATE_OF_BIRTH),
        ("her NHS number for the trip form is 943 4765 919, sorry for posting it", NHS_NUMBER),
        ("rhif GIG Nia: 9 4 3 4 7 6 5 9 1 9", NHS_NUMBER),
        ("text me on o77oo 9oo 1o1 if you find it", PHONE),
        ("Rhif Mam ydy sero saith saith sero sero, naw sero sero, un dau tri", PHONE),
        ("drop it to 'Brynhyfryd', the bungalow at the end of Pant Road, Newbridge", ADDRESS),
        ('we\'re at "The Larches" on Mill Lane, the one with the trampoline', ADDRESS),
        ("Lift from Cae Mawr, the farmhouse on the Manmoel road, Markham", ADDRESS),
    ],
)
def test_finds_shapes_of_the_batch_fifteen_and_sixteen_kinds(text, kind):
    assert kind in [k for k, _ in kinds(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Our school opened on 1 September 1975 - happy 50th birthday to our school!",
        "Sefydlwyd y clwb ar 5 Medi 1962 - pen-blwydd hapus yn 64 oed i'r clwb!",
        "Penblwydd hapus i'n tîm hoci - 5 mlwydd oed heddiw!",
        "Happy 16th birthday to all our Y11s who celebrated this month",
        "Dylan Thomas was born in Swansea on 27 October 1914; Year 9 are reading his poems",
        "Blackwood Library: new opening hours over Christmas. Phone: o1632 96o 2o2",
        "any questions ring the club secretary's line at the clubhouse o1632 96o 9o9",
        "Year 10 read 'The Crucible' by Arthur Miller; the play is on at the theatre on Friday",
    ],
)
def test_passes_look_alikes_of_the_batch_fifteen_and_sixteen_kinds(text):
    assert kinds(text) == []
