"""Normalisation reads text as a person does: case, accents, leetspeak, masks, drawn-out and spelt-out letters."""

import pytest

from auditor.text.normalise import fold, mask_pattern, tokens


def forms(text: str) -> list[tuple[str, ...]]:
    return [t.forms for t in tokens(text)]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("SHIT", "shit"),
        ("Fück", "fuck"),
        ("sh1t", "shit"),
        ("$h!t", "shit"),
        ("tw@t", "twat"),
        ("b1tch", "bitch"),
        ("f\u200bu\u200dck", "fuck"),  # zero-width characters inside the word
        ("sh\u00adit", "shit"),  # soft hyphen
        ("\u0455hit", "shit"),  # Cyrillic dze looks like s
        ("\u0410rse", "arse"),  # capital Cyrillic A
    ],
)
def test_canonical_spelling(written, read):
    [token] = tokens(written)
    assert token.text == read


def test_drawn_out_letters_fold_to_one_or_two_but_double_letters_stay():
    [token] = tokens("Fuuuuck")
    assert "fuck" in token.forms
    [token] = tokens("kiiiill")
    assert "kill" in token.forms
    [token] = tokens("shoots")
    assert token.forms == ("shoots",)


def test_one_read_as_l_as_well_as_i():
    [token] = tokens("ki11")
    assert "kill" in token.forms


def test_spelt_out_letters_are_joined():
    assert forms("F U C K I N G brilliant") == [("fucking",), ("brilliant",)]
    assert forms("S.h.i.t. attendance") == [("shit",), ("attendance",)]
    assert forms("a b") == [("a",), ("b",)]  # two letters are not a spelt-out word


def test_numbers_stay_numbers_and_spans_point_into_the_original():
    text = "Won 24-12, f\u200buck yes"
    toks = tokens(text)
    assert [t.text for t in toks] == ["won", "24", "12", "fuck", "yes"]
    assert text[toks[3].start : toks[3].end] == "f\u200buck"


def test_mentions_and_hashtags_read_as_words():
    assert [t.text for t in tokens("@HistoryIHS #Idiots")] == ["historyihs", "idiots"]


def test_masks_keep_their_place_for_the_word_lists():
    [token] = tokens("f*cking")
    assert token.text == "f*cking"
    pattern = mask_pattern("f**k")
    assert pattern is not None and pattern.fullmatch("fuck") and not pattern.fullmatch("fk")
    assert mask_pattern("***") is None and mask_pattern("**") is None


def test_fold():
    assert fold("Ésta ÇA") == "esta ca"
