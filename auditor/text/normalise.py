"""Text normalisation for word-list matching: what a person reads, not how it was typed to slip past a filter.

`tokens` splits a text into word tokens and gives each a canonical spelling: lower case, accents and look-alike letters
folded, leetspeak digits and symbols read as letters (`sh1t`, `$h!t`, `tw@t`), zero-width characters and soft hyphens
removed (`f\u200buck`), and letters spelt out one at a time joined (`f u c k`, `s.h.i.t`). Each token keeps its span in
the original text, so a finding can quote what was really published, and its other plausible readings: "1" as "l"
(`ki11`), and letters drawn out three or more times folded to one or two (`fuuuck`, `kiiill`, `loooosers`). A doubled
letter is left alone: it is ordinary spelling ("shoots" must not read as "shots").

Masked letters (`f*cking`, `f**k`) are kept as `*` in the canonical spelling: only a word list can say what they hide.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

# Invisible characters used to split a word so a filter does not see it; removing them joins the word again.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u034f"))
# Cyrillic and Greek letters that look like Latin ones, a common way round word filters.
_CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "к": "k", "м": "m", "т": "t", "в": "b", "н": "h",
        "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "ρ": "p",
    }
)  # fmt: skip
# Symbols and digits read as letters, only inside a token that also has letters: "Y10" and "24-12" stay numbers.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "i"}
)
# A "1" is as often an "l" ("ki11"); the second reading is tried only where the first finds nothing.
_LEET_L = str.maketrans({"1": "l", "|": "l"})
_MASK = "*"
# A token: letters and digits, with leet symbols and masks inside or at the edges of a word; "!" only inside one.
# Runs of letters and of symbols are taken whole (`+`): the same tokens as one character at a time, a quarter faster.
# A token never starts inside a run of leading symbols (the look-behind): the same tokens, but a run of "@" with no
# letter after it is read once, not again from each of its characters (which cost the square of its length).
_TOKEN = re.compile(r"(?<![$@*])[$@*]*[^\W_](?:[^\W_]+|[$@*|]+|!(?=[^\W_]))*", re.UNICODE)
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")
_LEET_OR_DRAWN_OUT = re.compile(r"[013457@$!|]|([a-z])\1{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_INVISIBLE_RE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")


class Token(NamedTuple):
    """A word of a text: `forms` is its canonical spelling first, then the other readings; `start` and `end` its span
    in the original text; `text` the canonical spelling (`forms[0]`). A tuple, made by `_token` without a Python-level
    constructor: a post makes dozens of tokens, and this is the text checks' hottest path."""

    forms: tuple[str, ...]
    start: int
    end: int
    text: str


_new_tuple = tuple.__new__


def _token(forms: tuple[str, ...], start: int, end: int) -> Token:
    return _new_tuple(Token, (forms, start, end, forms[0]))


def fold(text: str) -> str:
    """Lower case without accents, invisible characters or look-alike letters: "Fück" -> "fuck"."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold().translate(_CONFUSABLES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)
def _forms(raw: str) -> tuple[str, ...]:
    # Cached: most words of a school's posts recur ("year", "team", "well done"), and this is the hot path.
    word = raw.lower() if raw.isascii() else fold(raw)
    if len(word) > 1 and word[0] == "@":
        word = word[1:]  # a mention: the handle is the word
    if not _LETTER.search(word):
        return (word,)
    if not _LEET_OR_DRAWN_OUT.search(word):
        return (word,)
    readings = [word.translate(_LEET)]
    if "1" in word or "|" in word:
        readings.append(word.translate(_LEET_L).translate(_LEET))
    for reading in list(readings):
        if _DRAWN_OUT.search(reading):
            readings.append(_DRAWN_OUT.sub(r"\1", reading))
            readings.append(_DRAWN_OUT.sub(r"\1\1", reading))
    return tuple(dict.fromkeys(readings))


@functools.lru_cache(maxsize=1024)  # an account's posts and comments: checks share them
def tokens(text: str) -> tuple[Token, ...]:
    """The text's word tokens in canonical spelling, with their spans in `text` (see the module docstring).

    Cached per text, so every check that reads a post (or a comment) tokenises it once; the tokens are shared and
    must not be changed."""
    return tuple(_tokens(text))


def _tokens(text: str) -> list[Token]:
    if text.isascii() or not _INVISIBLE_RE.search(text):
        out = [
            _new_tuple(Token, (forms, m.start(), m.end(), forms[0]))
            for m in _TOKEN.finditer(text)
            for forms in (_forms(m.group()),)
        ]
        return _join_spelt_out(out, text)
    # Removing invisible characters changes offsets, so spans are mapped back through `where`.
    where: list[int] = []
    kept: list[str] = []
    for i, ch in enumerate(text):
        if ord(ch) not in _INVISIBLE:
            kept.append(ch)
            where.append(i)
    where.append(len(text))
    visible = "".join(kept)
    out = [_token(_forms(m.group()), where[m.start()], where[m.end() - 1] + 1) for m in _TOKEN.finditer(visible)]
    return _join_spelt_out(out, text)


def _join_spelt_out(toks: list[Token], text: str) -> list[Token]:
    """Join three or more one-letter tokens separated by single spaces or dots ("f u c k", "s.h.i.t") into one word."""
    singles = [i for i, t in enumerate(toks) if len(t.text) == 1]
    if not any(singles[k + 2] == singles[k] + 2 for k in range(len(singles) - 2)):
        return toks  # most texts: no three one-letter words in a row, so nothing spelt out
    out: list[Token] = []
    i = 0
    while i < len(toks):
        j = i
        while (
            j + 1 < len(toks)
            and len(toks[j].text) == 1
            and len(toks[j + 1].text) == 1
            and toks[j + 1].start - toks[j].end <= 2
            and all(not ch.isalnum() for ch in text[toks[j].end : toks[j + 1].start])
        ):
            j += 1
        if j - i >= 2:
            joined = "".join(t.text for t in toks[i : j + 1])
            # "is a t w a t": the article before the spelt-out word is read into it, so the word is read without it too
            forms = (joined, joined[1:]) if joined[0] in "ai" and len(joined) >= 4 else (joined,)
            out.append(_token(forms, toks[i].start, toks[j].end))
            i = j + 1
        else:
            out.append(toks[i])
            i += 1
    return out


def has_mask(word: str) -> bool:
    return _MASK in word


def mask_pattern(word: str) -> re.Pattern[str] | None:
    """A pattern for a masked word, each `*` one hidden letter ("f**k" -> f..k); None unless letters are shown too."""
    letters = sum(ch.isalpha() for ch in word)
    if letters == 0 or len(word) < 3 or letters == len(word):
        return None
    return re.compile("".join("[a-z]" if ch == _MASK else re.escape(ch) for ch in word))
