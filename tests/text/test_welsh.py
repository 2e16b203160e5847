"""Welsh: mutations of lexicon words, the language step, and Welsh abuse found in Welsh and bilingual text."""

import pytest

from auditor.text.abuse import detector
from auditor.text.lang import language
from auditor.text.normalise import tokens
from auditor.text.welsh import LEXICON, NO_MUTATION, mutations


def categories(text: str) -> set[str]:
    return {m.category for m in detector().find(text)}


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("twp", ["twp", "dwp", "nhwp", "thwp"]),  # soft, nasal, aspirate
        ("basdad", ["basdad", "fasdad", "masdad"]),
        ("dwl", ["dwl", "ddwl", "nwl"]),
        ("gwin", ["gwin", "win", "ngwin"]),  # g drops under soft mutation
        ("llo", ["llo"]),  # "lo" is too short to be safe, so it is never generated
        ("ffwl", ["ffwl"]),  # ff never mutates
        ("chwil", ["chwil"]),
    ],
)
def test_mutations(word, forms):
    assert mutations(word) == forms


def test_no_mutated_form_is_a_common_english_word():
    english = {"lad", "dull", "god", "ran", "on", "fool", "bach", "doc", "nag", "mad", "then", "win", "bin", "den"}
    generated = {
        form
        for entries in LEXICON.values()
        for entry in entries
        if " " not in entry and entry not in NO_MUTATION
        for form in mutations(entry)[1:]
    }
    assert generated.isdisjoint(english)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Llongyfarchiadau i dîm rygbi Blwyddyn 9 ar guro Caerdydd ddoe!", "cy"),
        ("Diolch i bawb a ddaeth i'r noson rieni neithiwr.", "cy"),
        ("Well done to all our Year 11s on their mock results, hard work paying off!", "en"),
        ("Da iawn Blwyddyn 7! Well done Year 7 on a fantastic Eisteddfod", "bilingual"),
        ("Noson agored / Open evening: dydd Iau / Thursday 6pm. Croeso i bawb! All welcome!", "bilingual"),
        ("PE 3pm", "unknown"),
    ],
)
def test_language_step(text, expected):
    assert language(tokens(text)) == expected


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mae 9X yn dwp heddiw.", "mockery"),  # twp after "yn": soft mutation
        ("Am wythnos gachu.", "profanity"),  # cachu, soft-mutated
        ("Y twpsyn mwya' welais i erioed.", "mockery"),
        ("Cer i grafu, y ffŵl.", "mockery"),
        ("Mi wna i dy ladd di.", "threat"),  # lladd after "dy": soft mutation
        ("Dwi'n gwybod lle ti'n byw.", "threat"),
        ("Gwylia dy gefn, syr.", "threat"),
        ("Pawb yn feddw gaib erbyn naw.", "alcohol"),  # meddw, soft-mutated
        ("Pleidleisiwch dros Blaid Cymru ddydd Iau!", "political"),
        ("Saeson cachu, ewch adre.", "hate"),
        ("Blydi hel, what a day", "mild-profanity"),
        ("Twll dy din, you absolute idiot.", "profanity"),  # bilingual
    ],
)
def test_welsh_abuse(text, category):
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Llongyfarchiadau i dîm rygbi Blwyddyn 9 ar guro Caerdydd 24-10 ddoe!",  # curo: to beat, in sport
        "Gwyddoniaeth: mae asid yn lladd bacteria, meddai Blwyddyn 7.",
        "ABCh: Blwyddyn 10 yn trafod iechyd rhywiol a chydsyniad gyda nyrs yr ysgol.",
        "Da iawn bois, curo nhw'n rhacs ddydd Sadwrn!",
        "Eisteddfod yr ysgol: da iawn i bawb a gystadlodd ar y llwyfan.",
    ],
)
def test_welsh_school_traps_are_innocent(text):
    assert detector().find(text) == []


def test_a_welsh_word_that_is_also_english_counts_only_as_welsh():
    assert categories("Mae rhai rhieni mor hurt") == {"mockery"}  # "mor hurt": so silly
    assert detector().find("One pupil hurt his knee at netball, da iawn to our first aiders") == []
    assert detector().find("Year 9 hurt their pride but won the replay") == []
