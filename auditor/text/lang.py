"""The language step: is a text English, Welsh, or both?

A school in Wales posts in English, in Welsh, and often in both ("Da iawn Blwyddyn 7! Well done Year 7"). The abuse
detector needs to know which, because some Welsh words are English words too ("hurt" is silly, "ast" a bitch): those
count only where the text is Welsh (`auditor.text.welsh.WELSH_ONLY`).

The score is over the text's normalised tokens, so it costs one set look-up per word and no second tokenisation:
Welsh function words and very common Welsh words that are not English words, against English function words, plus
a small bonus for Welsh spelling inside other words ("dd", "ll" at the start, "wy", "ŵ"). lingua-language-detector
was measured as the alternative (docs/content-checks.md): as accurate on these texts but about 96 MB installed and
about 120 microseconds a text, more than half the whole time budget of a post; this is under 2 microseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from auditor.text.normalise import Token

Language = Literal["en", "cy", "bilingual", "unknown"]


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Common Welsh words that are not English words (after folding: "â" is "a", so "â" itself is left out).
_WELSH = _set(
    """
    y yr ac yn mae ei eu ein eich gyda wedi ddim dim dwi dw rwy rydw rydyn ti chi hi fe fo ni nhw hefyd iawn diolch
    croeso bore da dydd nos ysgol blwyddyn disgyblion plant heddiw ddoe yfory llongyfarchiadau pawb bawb am ar i o
    oedd roedd bydd fydd gan gen sy sydd hyn hwn hon yma yno fy dy eto mwy mawr fawr bach pob cofiwch gwaith cartref
    rhieni athro athrawon athrawes pennaeth prifathro dros neu ond achos felly wrth eu heddiw nhw'n yw ydy oes does
    gael cael gwneud mynd dod gweld wnaeth wna fi mi wir hollol llwyr fel gwych wych rhai criw fath neithiwr
    cymru cymraeg ddydd iau gwener sadwrn llun mawrth mercher sul noson agored falch mor cer ewch adre adref twll
    din tin hel blydi teulu darllen thrafod trafod gyda efo tim dîm dysgu wers gwers dwp twp cachu saeson sais
    """
)
# Words that are both ("a", "i", "am", "o", "fel"?) are weak: they count half, and only the distinctive ones decide.
_SHARED = frozenset({"a", "i", "am", "o", "ar", "fe", "fy", "hi", "ni", "da", "y"})
_ENGLISH = _set(
    """
    the and of to is are was were be been have has had this that these those with for on at by from it its you your
    we our they their he she his her them what which who will would can could should not but so if or an as do does
    did just very really today tomorrow yesterday thank thanks well done all about after before into out up
    what how when where why there here every minute loved love great good best week year morning evening night
    welcome open season show gates concert honestly cope absolute useless bunch idiot clowns shit my me us
    time day days than then more some any one two three no yes please sorry still again also
    """
)


def is_welsh_word(word: str) -> bool:
    """A common Welsh word that is not English: "yn", "mor", "iawn"."""
    return word in _WELSH and word not in _SHARED


def language(toks: Sequence[Token]) -> Language:
    """English, Welsh, both, or unknown (too few words to say), from the text's tokens."""
    welsh = english = 0.0
    for tok in toks:
        word = tok.text
        if word in _ENGLISH:
            english += 1
        elif word in _WELSH:
            welsh += 0.5 if word in _SHARED else 1
        elif (len(word) > 3 and word.startswith(("ll", "dd", "rh", "ngh"))) or "wy" in word[1:]:
            welsh += 0.5
    if welsh + english < 1.5:
        return "unknown"
    if welsh >= 1 and english >= 1 and min(welsh, english) >= 0.25 * max(welsh, english):
        return "bilingual"
    return "cy" if welsh > english else "en"
