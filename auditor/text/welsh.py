"""Welsh swearing, insults, threats and unprofessional themes, with the mutations Welsh grammar puts on them.

A Welsh word changes its first letter after certain words: "twp" (stupid) is "yn dwp" (soft mutation), "fy nhwp"
(nasal), "a thwp" (aspirate); "lladd" (kill) is "dy ladd di". A word list that holds only the dictionary form misses
most real uses, so every entry here is expanded to its mutated forms when the detector is compiled (`mutations`).
Phrases are written as they are said, already mutated ("dy ladd di"); only one-word entries are expanded.

The lists were written from general knowledge of colloquial Welsh, not copied from any source. Entries marked
"uncertain" are regional or less sure in meaning; they stay because a miss costs more than a review.

Some Welsh words are also ordinary English words or abbreviations ("ast" is a bitch, "coc" a cock, "hurt" silly):
those are in `WELSH_ONLY` and count only when the language step (`auditor.text.lang`) reads the text as Welsh or
bilingual, so "hurt" in an English post is never an insult.
"""

from __future__ import annotations

# Soft, nasal and aspirate mutation of a word's first consonant. Two-letter consonants come first: "ll" is not "l".
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"), ("d", "dd"), ("g", ""), ("m", "f"))
_NASAL = (("p", "mh"), ("t", "nh"), ("c", "ngh"), ("b", "m"), ("d", "n"), ("g", "ng"))
_ASPIRATE = (("p", "ph"), ("t", "th"), ("c", "ch"))
# A mutated form that is a common English word would match English text: never generated.
# Letters that never mutate further ("ch", "ff", "th" are already mutated or fixed).
_UNMUTATED = ("ch", "ph", "th", "ff", "dd", "ng", "mh", "nh")
_ENGLISH_CLASHES = frozenset({"lad", "dull", "god", "ran", "on", "fool", "bach", "doc", "nag", "mad", "then"})


def mutations(word: str) -> list[str]:
    """The word and its mutated forms: "twp" -> ["twp", "dwp", "nhwp", "thwp"]."""
    out = [word]
    if word.startswith(_UNMUTATED):
        return out
    for table in (_SOFT, _NASAL, _ASPIRATE):
        for radical, mutated in table:
            if word.startswith(radical):
                form = mutated + word[len(radical) :]
                if len(form) > 2 and form not in _ENGLISH_CLASHES:
                    out.append(form)
                break
    return list(dict.fromkeys(out))


# fmt: off
LEXICON: dict[str, tuple[str, ...]] = {
    "profanity": (
        "cachu", "cach", "cachlyd", "ffycin", "ffycin hel", "ffwcin", "ffwcio", "ffycar", "ffycars", "basdad",
        "basdads", "bastad", "twll dy din", "twll din", "twll tin", "twll dy dîn", "coc oen", "cont",
        "pidyn",  # penis; uncertain as an insult, but never for a school account
        "hen ast",  # "ast" (a bitch) alone is also a dog's word; "hen ast" is said of a woman
    ),
    "mild-profanity": (
        "blydi", "blydi hel", "uffern", "uffernol", "diawl o",  # "diawl o beth": a hell of a thing
    ),
    "mockery": (
        "twp", "twpsyn", "twpsod", "dwl", "ffŵl", "ffwl", "ffyliaid", "lembo",  # lembo: uncertain, North Walian
        "cachgi", "cachgwn", "sglyfaeth", "pwdryn", "penbwl",  # penbwl: blockhead, uncertain
        "cer i grafu", "cerwch i grafu", "cer o ma", "cau dy geg", "cau dy ben", "cau dy hen geg", "ddim yn gall",
        "cer i r diawl", "cerwch i r diawl", "dos i r diawl", "cer i uffern", "dan din",  # go to hell; underhand
    ),
    "threat": (
        "dy ladd di", "ei ladd e", "ei ladd o", "ei lladd hi", "eu lladd nhw", "dy guro di", "dy gicio di",
        "gwybod lle ti n byw", "gwybod ble ti n byw", "gwybod ble rwyt ti n byw", "gwybod lle wyt ti n byw",
        "gwybod pa gar", "gwylia dy gefn", "gwyliwch eich cefn", "gwylia dy hun", "gwyliwch eich hunain",
        "torri dy goesau", "torri dy drwyn", "torri dy ben", "dorri dy goesau", "dorri dy drwyn", "llosgi r ysgol",
        "bydd yn edifar gen ti", "aros amdanat ti", "haeddu cweir", "rhoi cweir i {ti|chi|ti|e|hi|nhw}",
    ),
    "hate": (
        "saeson cachu", "sais cachu", "saeson allan", "saeson ewch adre", "ewch adre saeson",
    ),
    "alcohol": (
        "meddw", "meddw gaib", "chwil", "chwil gaib", "pen mawr", "cwrw", "peint", "peints", "gwin", "fodca",
    ),
    "sexual": (
        "secsi", "rhywiol iawn",
    ),
    "political": (
        "pleidleisiwch dros", "pleidleisia dros", "pleidleisio dros {blaid|lafur|y ceidwadwyr|reform|y democratiaid}",
        "cefnogwch {blaid|lafur|y ceidwadwyr}",
    ),
}

# Welsh words that are also English words or abbreviations: counted only in Welsh or bilingual text.
WELSH_ONLY: dict[str, tuple[str, ...]] = {
    "profanity": ("cont", "coc", "ast"),
    "mockery": ("hurt", "llo"),  # llo: a calf, said of an oaf
    "alcohol": ("gwin", "cwrw"),
}

# Words whose mutations are not generated: their mutated forms are other Welsh words ("gwin" -> "win").
NO_MUTATION = frozenset({"gwin", "cont", "cach", "pen mawr", "secsi", "pleidleisiwch dros", "pleidleisia dros"})
# fmt: on
