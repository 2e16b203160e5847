"""Pupil names from the school's roster, found in published text (SMP-2.4).

The roster is read into memory only. Nothing in this module logs, prints or stores a name, and a `Roster`'s repr
shows only how many pupils it holds, so a stray log line or traceback cannot copy the roster anywhere.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

MAX_ROSTER_BYTES = 10 * 1024 * 1024
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "prof", "professor", "rev", "coach"})
# Forenames that are also ordinary words: matched only when written with capitals ("Grace Hill", not "grace hill").
_ORDINARY = frozenset(
    [
        "amber",
        "angel",
        "april",
        "autumn",
        "bill",
        "bo",
        "bob",
        "brook",
        "brooke",
        "candy",
        "carol",
        "chase",
        "crystal",
        "daisy",
        "dawn",
        "dean",
        "destiny",
        "drew",
        "faith",
        "frank",
        "gene",
        "grace",
        "grant",
        "guy",
        "harmony",
        "hazel",
        "heather",
        "holly",
        "honey",
        "hope",
        "hunter",
        "iris",
        "ivy",
        "jack",
        "jade",
        "joy",
        "june",
        "lily",
        "mark",
        "may",
        "melody",
        "mercy",
        "miles",
        "olive",
        "patience",
        "pearl",
        "poppy",
        "rain",
        "ray",
        "reed",
        "river",
        "robin",
        "rose",
        "rowan",
        "ruby",
        "sage",
        "sky",
        "skye",
        "sonny",
        "star",
        "storm",
        "summer",
        "sunny",
        "violet",
        "will",
        "willow",
        "winter",
    ]
)
_TOKEN = re.compile(r"[a-z]+")
# What may stand between the words of one name: spaces, a hyphen, an apostrophe (O'Brien), nothing else.
_JOINER = re.compile(r"[ \t'’\u2010\u2011-]{1,3}")
_TAG = re.compile(r"(?<![\w@#])([#@])(\w{3,})")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")


class RosterError(Exception):
    """The roster cannot be used. The message names the file and line, never a pupil."""


def fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions in the result are positions in `text`."""
    if text.isascii():
        return text.lower()
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        stripped = "".join(c for c in base if not unicodedata.combining(c)).lower()
        out.append(stripped if len(stripped) == 1 else ch.lower()[:1] or " ")
    return "".join(out)


@dataclass(frozen=True)
class Pupil:
    forename: str = field(repr=False)
    surname: str = field(repr=False)
    photo_consent: bool

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


@dataclass(frozen=True)
class NameMatch:
    pupil: Pupil
    text: str  # the name as written in the text
    start: int
    end: int
    kind: str  # text, hashtag or mention


class Roster:
    """Every pupil's name and photo consent, indexed for fast matching of full names in text."""

    def __init__(self, pupils: list[Pupil]) -> None:
        self._pupils = pupils
        self._by_first: dict[str, list[tuple[tuple[str, ...], Pupil]]] = {}
        self._joined: dict[str, Pupil] = {}
        for pupil in pupils:
            words = tuple(_TOKEN.findall(fold(pupil.forename))) + tuple(_TOKEN.findall(fold(pupil.surname)))
            if len(words) < 2:
                continue
            self._by_first.setdefault(words[0], []).append((words, pupil))
            self._joined.setdefault("".join(words), pupil)
        self._joined_lengths = sorted({len(k) for k in self._joined}, reverse=True)

    def __repr__(self) -> str:
        return f"Roster({len(self._pupils)} pupils)"

    def __len__(self) -> int:
        return len(self._pupils)

    @classmethod
    def load(cls, path: Path) -> Roster:
        """Read the roster CSV (forename, surname, photo_consent yes/no). Raises RosterError with a clear reason."""
        try:
            data = path.read_bytes()[: MAX_ROSTER_BYTES + 1]
        except FileNotFoundError:
            raise RosterError(f"the pupil roster {path} does not exist") from None
        except IsADirectoryError:
            raise RosterError(f"the pupil roster {path} is a folder, not a CSV file") from None
        except OSError as exc:
            raise RosterError(f"the pupil roster {path} cannot be read ({exc.strerror})") from None
        if len(data) > MAX_ROSTER_BYTES:
            raise RosterError(f"the pupil roster {path} is larger than {MAX_ROSTER_BYTES // 1024 // 1024} MB")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RosterError(f"the pupil roster {path} is not UTF-8 text; save it as CSV UTF-8") from None
        reader = csv.DictReader(io.StringIO(text))
        columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
        missing = [c for c in ("forename", "surname", "photo_consent") if c not in columns]
        if missing:
            raise RosterError(
                f"the pupil roster {path} has no {', '.join(missing)} column (it needs forename, "
                "surname, photo_consent)"
            )
        pupils = []
        for row in reader:
            forename = (row.get(columns["forename"]) or "").strip()
            surname = (row.get(columns["surname"]) or "").strip()
            consent = (row.get(columns["photo_consent"]) or "").strip().lower()
            if not forename and not surname:
                continue
            line = reader.line_num
            if not forename or not surname:
                raise RosterError(f"the pupil roster {path}, line {line}: both forename and surname are needed")
            if consent not in ("yes", "no", "y", "n", "true", "false"):
                raise RosterError(f"the pupil roster {path}, line {line}: photo_consent must be yes or no")
            pupils.append(Pupil(forename, surname, consent in ("yes", "y", "true")))
        if not pupils:
            raise RosterError(f"the pupil roster {path} lists no pupils")
        return cls(pupils)

    def find(self, text: str) -> list[NameMatch]:
        """Full names of pupils in `text`, hashtags (#MeganPriceJones) and mentions (@megan_price_jones) included.

        A name after a title (Mr, Mrs, Ms, Miss, Dr) is a member of staff, not a pupil.
        """
        folded = fold(text)
        tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        found = self._in_tokens(text, folded, tokens, "text")
        if "#" in text or "@" in text:
            for tag in _TAG.finditer(text):
                found.extend(self._in_tag(tag.group(1), tag.group(2), tag.start(), tag.end()))
        found.sort(key=lambda m: m.start)
        return found

    def _in_tokens(self, text: str, folded: str, tokens: list[tuple[str, int, int]], kind: str) -> list[NameMatch]:
        found = []
        for i, (word, start, _) in enumerate(tokens):
            candidates = self._by_first.get(word)
            if not candidates:
                continue
            if start > 0 and folded[start - 1] in "#@_":
                continue  # inside a hashtag or mention: handled with the tag
            if i > 0 and tokens[i - 1][0] in _TITLES and _JOINER_OR_DOT.fullmatch(folded[tokens[i - 1][2] : start]):
                continue
            for words, pupil in candidates:
                n = len(words)
                if i + n > len(tokens) or any(tokens[i + k][0] != words[k] for k in range(n)):
                    continue
                if not all(_JOINER.fullmatch(folded[tokens[i + k][2] : tokens[i + k + 1][1]]) for k in range(n - 1)):
                    continue
                end = tokens[i + n - 1][2]
                if words[0] in _ORDINARY and not (text[start].isupper() and text[tokens[i + n - 1][1]].isupper()):
                    continue
                found.append(NameMatch(pupil, text[start:end], start, end, kind))
                break
        return found

    def _in_tag(self, sign: str, body: str, start: int, end: int) -> list[NameMatch]:
        kind = "hashtag" if sign == "#" else "mention"
        folded_body = fold(body)
        # Words of the tag by its capitals and underscores: #WellDoneMeganPriceJones, @megan_price_jones.
        words: list[tuple[str, int, int]] = []
        for part in re.finditer(r"[^\W\d_]+", body):
            for m in _CAMEL.finditer(part.group(0)) if not part.group(0).islower() else [part]:
                s = part.start() + m.start()
                words.append((folded_body[s : s + len(m.group(0))], s, s + len(m.group(0))))
        spaced = " " * len(body)
        hits = self._in_tokens(body, spaced, words, kind) if len(words) > 1 else []
        if not hits:
            # An all-lower-case tag has no word breaks: look for a whole name run together (#wellDONEmeganpricejones).
            letters = "".join(c for c in folded_body if c.isalpha())
            for i in range(len(letters)):
                for n in self._joined_lengths:
                    pupil = self._joined.get(letters[i : i + n])
                    if pupil is not None and not any(letters[:i].endswith(t) for t in _TITLES):
                        return [NameMatch(pupil, f"{sign}{body}", start, end, kind)]
            return []
        return [NameMatch(h.pupil, f"{sign}{body}", start, end, kind) for h in hits[:1]]


_JOINER_OR_DOT = re.compile(r"[ .]{0,3}")
