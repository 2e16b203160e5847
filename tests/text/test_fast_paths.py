"""The text checks' fast paths (issue 18) change no judgement: each cheap gate passes every text its pattern can
match, the folding table folds as the character-by-character rule did, and the per-text caches hand back what a
fresh computation would."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.text import abuse, names, normalise, pii
from auditor.text.pii import _common, births, emails, identifiers, phones, places

# Letters, digits and marks the patterns care about, with the characters Python's case-insensitive matching reads
# as ASCII letters (dotless i, long s, dotted capital I, the Kelvin sign) and some emoji and dashes.
_ALPHABET = (
    "abdeghinorstwyABDGINORSTWY0123456789 ,.-+()[]@#*/:\n\u0131\u017f\u0130\u212a\u2014\u2013\U0001f92c\U0001f389"
    "\u00e2\u0175\u00e9\u200b\uff10"
)
_WORDS = [
    "born",
    "birth",
    "DOB",
    "d.o.b",
    "geni",
    "ganwyd",
    "birthday",
    "bday",
    "today",
    "heddiw",
    "blwydd",
    "at",
    "AT",
    "[at]",
    "dot",
    "seven",
    "oh",
    "double",
    "saith",
    "dim",
    "Flat",
    "Heol",
    "Blackwood",
    "Road",
    "NP12",
    "2BB",
    "07700",
    "900123",
    "+44",
    "01495",
    "QQ",
    "123456",
    "C",
    "943 476 5919",
    "f",
    "u",
    "c",
    "k",
    "F🤬ck",
    "f—",
    "O77OO",
    "9OO123",
    "nine",
    "hundred",
    "cant",
    "turns 12 on",
    "born on",
    "Christmas Day",
    "3 May",
    "happy 11th",
    "yn naw oed",
    "g a r e t h",
    "[ a t ]",
    "g m a i l . c o m",
    "D.O.B.",
    "dob:",
    "b-day",
    "ces fy ngeni ar",
    "12/03/2013",
    "sweet sixteen",
    "lives on",
    "number 12",
    "no. 3",
    "on the 3rd of June",
    # batch 8's forms: an age on a day said with "is", "'s", "'ll be", "turn", "troi'n"; Welsh days and months
    "is ten on",
    "She's 12 on",
    "'ll be 15 on",
    "turn 12",
    "next Tuesday",
    "tomorrow",
    "troi'n 14 ar",
    "oed ddydd Sadwrn",
    "yw'r",
    "ugeinfed o Dachwedd",
    "y 3ydd o fis Rhagfyr",
    "Orffennaf",
    "Ganed",
    "Cafodd Tomos ei eni",
    "birthday's the",
    "byw yn",
    "rhif 12",
    "jo.b @ gmail . com",
    "jo_b at hotmail",
    "Bydd hi'n 15 ar",
    "twenty-thirteen",
    "is 12 on",
    "'n 13",
    "the 5th",
    "Sadwrn",
    "the house",
    "flat 3",
    "Heol y Graig",
    "Station Road,",
    "Markham",
    "we're number 4",
    "Bryn Awel",
    "House",
    "Mr Rhys",
    "Evan Price 03/02/12",
]
texts = st.lists(st.one_of(st.sampled_from(_WORDS), st.text(_ALPHABET, max_size=6)), max_size=14).map(" ".join)


def _old_fold(text: str) -> str:
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        stripped = "".join(c for c in base if not unicodedata.combining(c)).lower()
        out.append(stripped if len(stripped) == 1 else ch.lower()[:1] or " ")
    return "".join(out)


def test_the_folding_table_folds_every_character_as_before():
    sample = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    sample += "İıſK🎉🏴\U000e0067ﬁß"
    assert names.fold(sample) == _old_fold(sample)
    assert len(names.fold(sample)) == len(sample)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_gates_pass_every_text_the_patterns_match(text):
    low = _common._lowered(text)
    if births._DATE_OF_BIRTH.search(text):
        assert births._DOB_GATE.search(low)
    if births._AGE_TODAY.search(text):
        assert births._AGE_GATE.search(low)
    words = _common._words_of(low)
    if births._AGE_TODAY.search(text) or births._AGE_ON_A_DAY.search(text) or births._BORN_ON_A_DAY.search(text):
        assert not births._BIRTHDAY_WORDS.isdisjoint(words)
    if births._DATE_OF_BIRTH.search(text):
        assert not births._DOB_WORDS.isdisjoint(words)
    if phones._read_spoken_phones(text, low, pii.SchoolContacts()):
        assert phones._may_speak_a_number(low)
    if births._AGE_ON_A_DAY.search(text):
        assert births._AGE_DAY_GATE.search(low)
    if births._IS_AN_AGE_ON_A_DATE.search(text):
        assert births._IS_AN_AGE_GATE.search(low)
    if births._ages_with_a_day(text):
        assert not births._DAY_WORDS.isdisjoint(words) and births._AN_AGE_GATE.search(low)
    for gate, pattern in places._HOMES_DESCRIBED:
        if pattern.search(text):
            assert places._needs(gate, low, set(words))
    if places._FLAT_ON_A_STREET.search(text):
        assert not places._FLAT_WORDS.isdisjoint(words)
    if places._AT_NUMBER.search(text):
        assert places._A_NUMBER_SAID.search(low)
    if births._NAME_THEN_DATE.search(text):
        assert births._A_DATE_IN_FIGURES.search(text)
    if births._BORN_ON_A_DAY.search(text):
        assert births._BORN_GATE.search(low)
    if emails._OBFUSCATED_EMAIL.search(text) or _emails_ungated(text):
        assert "@" in text or emails._AT_SPELT.search(text)
    if places._HOUSE.search(text):
        assert places._MAY_NAME_A_HOUSE.search(text) or "flat " in text  # as `_postal` reads it
    if places._ADDRESS.search(text):
        assert places._MAY_NUMBER_A_HOUSE.search(text)
    if births._SWEET_SIXTEEN.search(text):
        assert "sweet" in words and not births._BIRTHDAY_WORDS.isdisjoint(words)
    if places._LIVES_ON.search(text):
        assert places._may_say_where_one_lives(text)
    if places._POSTCODE.search(text):
        assert places._MAY_BE_A_POSTCODE.search(low)
    if identifiers._NI.search(text):
        assert identifiers._SIX_DIGITS.search(text)
    if abuse._SYMBOL_MASK.search(text):
        assert abuse._letter_then_mask(text)


def test_gates_read_letters_as_case_insensitive_patterns_do():
    # The long s and the dotless i match "s" and "i" in a case-insensitive pattern: the gates must see them too.
    spoken = "ring oh ſeven ſeven double oh nine oh oh ſix five four"
    assert [m.text for m in pii.find_personal_info(spoken)] == [spoken[5:]]
    assert phones._may_speak_a_number(_common._lowered(spoken))
    assert births._AGE_GATE.search(_common._lowered("happy 9th bırthday"))
    found = pii.find_personal_info("Happy 9th bırthday Cerys")
    assert [m.kind for m in found] == [pii.DATE_OF_BIRTH]


def _emails_ungated(text: str) -> bool:
    contacts = pii.SchoolContacts()
    closed_up = emails._closed_up(text)
    return bool(emails._emails_in(text, contacts) or (closed_up and emails._emails_in(closed_up[0], contacts)))


def test_spoken_numbers_in_words_and_figures_pass_their_gate():
    # A number word gives at most three digits ("thousand"), so few words need the digits to be written.
    for text in [
        "07700 nine hundred, seven one four",
        "O seven seven double oh 900 one two three",
        "dim saith saith dim dim naw cant pedwar pump chwech",
        "call 0 7 7 0 0 nine 0 0 1 2 3",
    ]:
        low = _common._lowered(text)
        assert phones._read_spoken_phones(text, low, pii.SchoolContacts()), text
        assert phones._may_speak_a_number(low), text
    assert not phones._may_speak_a_number("one of 3 teams won 24-12")
    for text in ["g a r e t h [ a t ] g m a i l . c o m", "j o b l o g g s @ g m a i l . c o m"]:
        assert _emails_ungated(text)
        assert "@" in text or emails._AT_SPELT.search(text)


def test_a_phone_number_is_still_found_behind_its_gate():
    for text, number in [
        ("ring 07700 900123 tonight", "07700 900123"),
        ("ring O77OO 9OO123 tonight", "O77OO 9OO123"),
        ("ring (07700) 900-123", "(07700) 900-123"),
        ("mob +44 7700 900123", "+44 7700 900123"),
    ]:
        assert phones._MAY_BE_A_PHONE.search(text)
        assert [m.text for m in pii.find_personal_info(text)] == [number]
    assert not phones._MAY_BE_A_PHONE.search("Year 9 won 24-12 and raised £1,200")


def test_tokens_are_cached_per_text_and_equal_a_fresh_reading():
    text = "Well done Y9 \u2014 f u c k, $h!t and ki11 @HistoryIHS 🎉"
    first = normalise.tokens(text)
    assert normalise.tokens(text) is first
    assert first == tuple(normalise._tokens(text))
    assert [t.text for t in first] == ["well", "done", "y9", "fuck", "shit", "and", "kiii", "historyihs"]
    assert first[3].start == text.index("f u") and first[3].end == text.index(",")


def test_the_token_pattern_splits_as_one_character_at_a_time_did():
    old = re.compile(r"[$@*]*[^\W_](?:[^\W_$@*|]|[$@*|]|!(?=[^\W_]))*")
    for text in ["sh!t", "$h!t!", "f**k|n", "a_b", "wow!!", "@@x*y", "café—naïve", "1|2|3", "x!y!z!", "é\u0301"]:
        assert [m.span() for m in normalise._TOKEN.finditer(text)] == [m.span() for m in old.finditer(text)]
