"""Pupil names from the school's roster, found in published text (SMP-2.4), in English and Welsh.

Each pupil's name is looked for in the forms a post may give it: with or without accents, hyphens (or en dashes) and
apostrophes ("ONeill"), with a middle initial ("Cerys M. Morgan"), surname first in a list ("Morgan, Cerys",
"MORGAN Cerys"), in hashtags and mentions, and with the Welsh initial mutations a name takes after a preposition or
a possessive ("i Gerys", "gyda Wenllian", "fy Nhomos", "a Chatrin"): soft (C->G, P->B, T->D, G dropped, B->F,
D->Dd, Ll->L, M->F, Rh->R), nasal (C->Ngh, P->Mh, T->Nh, G->Ng, B->M, D->N) and aspirate (C->Ch, P->Ph, T->Th).
All forms go into one dictionary keyed by their first word, so a 2,000-pupil roster costs one lookup a word.

Not a pupil: a name after a title (Mr, Mrs, Dr: staff), a name on the `[safeguarding] staff` list, a name that is
part of a place ("Morgan Jones Park", the built-in `LOCAL_PLACES` near the school and `[safeguarding] places`), a
famous namesake spoken of as such ("Dylan Thomas's poem"), and forenames that are ordinary words written in lower
case with a surname that is one too ("we grace hill walking club").

The roster is read into memory only. Nothing in this module logs, prints or stores a name, and a `Roster`'s repr
shows only how many pupils it holds, so a stray log line or traceback cannot copy the roster anywhere.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
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
# Surnames that are ordinary words too: with an ordinary forename, lower case is read as words, not a name.
_ORDINARY_SURNAMES = frozenset(
    [
        "hill", "wood", "woods", "brook", "brooks", "stone", "green", "white", "black", "brown", "young", "rose",
        "hope", "bell", "field", "fields", "king", "little", "long", "may", "price", "hall", "house", "lane", "park",
        "ward", "bird", "fox", "hunter", "baker", "cook", "mason", "rich", "wells", "walker", "turner", "day", "west",
        "north", "south", "march", "best", "hart", "page", "short", "sharp", "gold", "silver", "moss", "lake",
        "marsh", "banks", "ford", "booth", "knight", "love", "rice", "small", "strong", "summer", "winter", "snow",
        "frost", "wall", "way", "smith", "power", "wright", "nash", "moon", "star", "hood", "pool",
    ]
)  # fmt: skip
_TOKEN = re.compile(r"[a-z]+")
# What may stand between the words of one name: spaces, a hyphen or dash, an apostrophe (O'Brien), nothing else.
_JOINER = re.compile(r"[ \t'’\u2010\u2011\u2012\u2013\u2014-]{1,3}")
# Between a middle initial and the next word, a full stop too ("Cerys M. Morgan").
_INITIAL_JOINER = re.compile(r"[ \t.]{1,3}")
# Between a surname and a forename in a list: "Morgan, Cerys".
_COMMA_JOINER = re.compile(r" ?, ?| ")
# Where a surname-first entry may begin and end: a list's edges, not the middle of a sentence ("Thanks Morgan, Cerys
# and Ffion" names three pupils by first name).
_LIST_START = re.compile(r"(?:^|[\n;:•·*(]|\s[-–]|\d[.)])\s*$")
_LIST_END = re.compile(r"^\s*(?:$|[\n;(•·*)]|[-–]\s|\.(?:\s|$)|,\s*(?:[A-Z][A-Za-z'’-]+,|[A-Z]+\b))")
# Words after which a lower-case ordinary word is a name: "well done ruby jones", "diolch i hope evans".
_INTRODUCES = frozenset(
    [
        "to", "done", "congrats", "congratulations", "thanks", "thank", "you", "and", "by", "for", "with", "from",
        "out", "i", "ac", "a", "gan", "gyda", "iawn", "llongyfarchiadau", "diolch", "star", "welcome", "meet",
    ]
)  # fmt: skip
# Initial mutations of Welsh, on the folded first letters: (radical, mutated).
_MUTATIONS = (
    ("ll", "l"), ("rh", "r"),  # soft, digraphs first
    ("c", "g"), ("p", "b"), ("t", "d"), ("g", ""), ("b", "f"), ("d", "dd"), ("m", "f"),  # soft
    ("c", "ngh"), ("p", "mh"), ("t", "nh"), ("g", "ng"), ("b", "m"), ("d", "n"),  # nasal
    ("c", "ch"), ("p", "ph"), ("t", "th"),  # aspirate
)  # fmt: skip
# Welsh words after which a name mutates: prepositions (i, o, ar, gan, gyda ...), "a" (and), possessives (fy, ei,
# dy), and greetings ("Da iawn Wenllian", "Diolch Rodri").
_MUTATES = frozenset(
    [
        "i", "o", "am", "ar", "at", "gan", "dan", "drwy", "trwy", "wrth", "heb", "hyd", "dros", "ei", "dy", "fy",
        "yn", "a", "ac", "gyda", "efo", "tua", "na", "neu", "ond", "sef", "iawn", "diolch", "llongyfarchiadau",
        "annwyl", "hapus", "mae", "roedd", "bydd", "dyma", "dyna", "gweld", "wela", "croeso", "da", "ardderchog",
        "gwych", "ffantastig",
    ]
)  # fmt: skip
# Words that say a name belongs to a pupil ("Year 9", "pupil", "disgybl", "Bl 7"): they overrule a staff or famous
# namesake.
_PUPIL_CUE = re.compile(
    r"\b(?:year ?\d{1,2}|yr ?\d{1,2}|y\d{1,2}|pupils?|students?|disgybl(?:ion)?|[bf]lwyddyn ?\d{1,2}|bl ?\d{1,2}|"
    r"form|class|dosbarth|our|ein)\b",
    re.IGNORECASE,
)
# Words that say a famous person is meant: their work, their fame.
_FAMOUS_CUE = re.compile(
    r"\b(?:poet|poem|poems|poetry|wrote|written|author|novel|book|play|song|songs|singer|sang|album|footballer|"
    r"scored for wales|statue|biography|born in|died|the late|sir|dame|famous|legend|legendary|history|historian|"
    r"bardd|cerdd|awdur|canwr|enwog|chwedl|hanes)\b",
    re.IGNORECASE,
)
# A word for what an adult is known for, written just before a name: "Welsh singer Aled Jones", "snooker legend Mark
# Williams", "y canwr Aled Jones". Any name so introduced is a namesake, listed in `FAMOUS` or not; words a pupil may
# be called too ("star", "champion", "captain", "player") are not here.
_KNOWN_AS = frozenset(
    [
        "singer", "actor", "actress", "poet", "author", "novelist", "writer", "presenter", "broadcaster",
        "comedian", "footballer", "cricketer", "boxer", "olympian", "politician", "minister", "legend", "icon",
        "composer", "rapper", "musician", "guitarist", "drummer", "journalist", "historian", "explorer",
        "canwr", "gantores", "cantores", "actores", "bardd", "fardd", "awdur", "cyflwynydd", "gyflwynydd",
        "digrifwr", "ddigrifwr", "gwleidydd", "wleidydd", "cerddor", "gerddor", "arwr", "chwedl",
    ]
)  # fmt: skip
# Famous people of Wales and beyond whose names pupils may share; only dropped with a famous cue near.
FAMOUS = frozenset(
    [
        "dylan thomas", "tom jones", "gareth bale", "aneurin bevan", "nye bevan", "owain glyndwr", "gareth edwards",
        "shirley bassey", "catherine zeta jones", "roald dahl", "ryan giggs", "alun wyn jones", "leigh halfpenny",
        "sam warburton", "colin jackson", "tanni grey thompson", "nicole cooke", "geraint thomas", "elinor barker",
        "lauren price", "jade jones", "charlotte church", "katherine jenkins", "rhod gilbert", "gavin henson",
        "michael sheen", "ioan gruffudd", "anthony hopkins", "richard burton", "hywel dda", "llywelyn ap gruffudd",
        "henry tudor", "rhys ifans", "kelly jones", "cerys matthews", "bryn terfel", "waldo williams", "ellis evans",
        "hedd wyn", "r s thomas", "ruth jones", "rob brydon", "aaron ramsey", "joe allen", "ben davies",
        "kieffer moore", "harry kane", "david beckham", "lionel messi", "william shakespeare", "charles dickens",
        "martin luther king", "rosa parks", "mary jones", "betsi cadwaladr", "dic penderyn", "tommy cooper",
    ]
)  # fmt: skip
# Places near the school (Caerphilly county borough: Islwyn, the Rhymney and Sirhowy valleys) and nearby towns; a
# name inside one is a place ("Morgan Jones Park") and the address rules of auditor.text.pii know these towns.
LOCAL_PLACES = (
    "Blackwood", "Pontllanfraith", "Oakdale", "Newbridge", "Crosskeys", "Cross Keys", "Risca", "Pontywaun",
    "Wattsville", "Cwmfelinfach", "Ynysddu", "Wyllie", "Markham", "Argoed", "Cefn Fforest", "Penmaen",
    "Fleur-de-lys", "Fleur de Lys", "Pengam", "Bargoed", "Aberbargoed", "Gelligaer", "Ystrad Mynach", "Hengoed",
    "Maesycwmmer", "Caerphilly", "Caerffili", "Bedwas", "Trethomas", "Machen", "Llanbradach", "Abertridwr",
    "Senghenydd", "Nelson", "Treharris", "Abercarn", "Cwmcarn", "Newport", "Casnewydd", "Cardiff", "Caerdydd",
    "Rhymney", "Tredegar", "New Tredegar", "Pontypool", "Abertillery", "Ebbw Vale", "Crumlin", "Trinant",
    "Pentwynmawr", "Penyrheol", "Rhiw Syr Dafydd", "Cefn Hengoed", "Pontlottyn", "Deri", "Fochriw", "Tir-y-berth",
    "Gilfach", "Brithdir", "Tirphil", "Abertysswg", "Pontypridd", "Merthyr Tydfil", "Brynmawr", "Bryn Mawr",
    "Mynyddislwyn", "Manmoel", "Croespenmaen", "Libanus", "Springfield", "Woodfieldside", "Penllwyn",
    "Morgan Jones Park", "Aneurin Bevan", "Sirhowy Valley", "Islwyn", "Twyn", "Van", "Energlyn", "Rudry",
)  # fmt: skip
# A name followed by one of these is a place or a thing named after someone ("Dylan Thomas Centre", "Nye Bevan Ward").
_NAMED_AFTER = frozenset(
    [
        "park", "field", "fields", "street", "road", "hall", "centre", "center", "stadium", "memorial", "cup",
        "trophy", "award", "ward", "house", "building", "court", "close", "way", "avenue", "lane", "drive",
        "crescent", "terrace", "square", "health", "university", "primary", "comprehensive", "school", "ysgol",
        "theatre", "library", "bridge", "institute", "foundation", "trust", "prize", "medal", "shield", "lecture",
        "gardens", "estate", "heol", "ffordd", "neuadd", "canolfan",
    ]
)  # fmt: skip
# Names run together in a tag are indexed by their first letters (see `Roster._in_tag`).
_JOINED_PREFIX = 3
_TAG = re.compile(r"(?<![\w@#])([#@])(\w{3,})")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")


class RosterError(Exception):
    """The roster cannot be used. The message names the file and line, never a pupil."""


class _FoldTable(dict[int, str]):
    """A `str.translate` table that works out each character's folded form the first time it is met, then keeps it:
    a text costs one C-level pass, and `unicodedata` runs once per distinct character in the process's life."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = unicodedata.normalize("NFKD", ch)
        stripped = "".join(c for c in base if not unicodedata.combining(c)).lower()
        folded = stripped if len(stripped) == 1 else ch.lower()[:1] or " "
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


@functools.lru_cache(maxsize=1024)  # an account's posts and comments: checks share them
def fold(text: str) -> str:
    """Lower case without accents, one character for one, so positions in the result are positions in `text`.

    Cached per text: a post's text is folded once for every check that reads it."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


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


@dataclass(frozen=True)
class _Form:
    """One way a pupil's name may be written, as folded words; `split` words come before the second part."""

    words: tuple[str, ...]
    split: int
    pupil: Pupil
    mutated: bool = False
    surname_first: bool = False


def _words(name: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(name)))


def _mutations(word: str) -> list[str]:
    """The word's Welsh initial mutations (soft, nasal, aspirate): "cerys" -> "gerys", "ngherys", "cherys"."""
    out = []
    for radical, mutated in _MUTATIONS:
        if not word.startswith(radical) or (len(radical) == 1 and word[:2] in ("ch", "ph", "th", "dd")):
            continue
        form = mutated + word[len(radical) :]
        if len(form) >= 3 and form != word:
            out.append(form)
    return list(dict.fromkeys(out))


def _forms(pupil: Pupil) -> list[_Form]:
    fore, sur = _words(pupil.forename), _words(pupil.surname)
    if not fore or not sur:
        return []
    surnames = [sur, ("".join(sur),)] if len(sur) > 1 else [sur]  # "O'Neill" also as "ONeill"
    forms = []
    for surname in surnames:
        forms.append(_Form(fore + surname, len(fore), pupil))
        forms.extend(_Form((m, *fore[1:], *surname), len(fore), pupil, mutated=True) for m in _mutations(fore[0]))
        forms.append(_Form(surname + fore, len(surname), pupil, surname_first=True))
    return forms


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n")
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


class Roster:
    """Every pupil's name and photo consent, indexed for fast matching of full names in text.

    `staff` are names of staff (a pupil may share one); `places` are place names near the school beyond the built-in
    `LOCAL_PLACES`. Both are from `[safeguarding]` in the config.
    """

    def __init__(self, pupils: list[Pupil], staff: Iterable[str] = (), places: Iterable[str] = ()) -> None:
        self._pupils = pupils
        # Every form by its first two words, numbered in roster order: a word of a post costs one look-up, and only
        # the forms whose second word follows it are tried, in the order the roster gives them.
        self._by_pair: dict[tuple[str, str], list[tuple[int, _Form]]] = {}
        self._joined: dict[str, Pupil] = {}
        order = 0
        for pupil in pupils:
            for form in _forms(pupil):
                self._by_pair.setdefault((form.words[0], form.words[1]), []).append((order, form))
                order += 1
                if not form.surname_first and not form.mutated:
                    self._joined.setdefault("".join(form.words), pupil)
        self._firsts = frozenset(first for first, _ in self._by_pair)
        # The run-together search of a tag looks only at the lengths of names that begin with the letters there;
        # names shorter than the prefix ("Jo Li" is "joli") are tried everywhere, after the longer ones.
        by_prefix: dict[str, set[int]] = {}
        for key in self._joined:
            if len(key) >= _JOINED_PREFIX:
                by_prefix.setdefault(key[:_JOINED_PREFIX], set()).add(len(key))
        short = tuple(sorted({len(k) for k in self._joined if len(k) < _JOINED_PREFIX}, reverse=True))
        self._joined_short = short
        self._joined_lengths = {prefix: (*sorted(ns, reverse=True), *short) for prefix, ns in by_prefix.items()}
        self._staff = frozenset(w for w in (tuple(t for t in _words(s) if t not in _TITLES) for s in staff) if w)
        self._places: dict[str, list[tuple[str, ...]]] = {}
        for place in (*LOCAL_PLACES, *places):
            words = _words(place)
            if words:
                self._places.setdefault(words[0], []).append(words)

    def __repr__(self) -> str:
        return f"Roster({len(self._pupils)} pupils)"

    def __len__(self) -> int:
        return len(self._pupils)

    @classmethod
    def load(cls, path: Path, staff: Iterable[str] = (), places: Iterable[str] = ()) -> Roster:
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
        return cls(pupils, staff, places)

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
        after = -1
        by_pair, firsts = self._by_pair, self._firsts
        count = len(tokens)
        for i, (word, start, _) in enumerate(tokens):
            if word not in firsts or i < after or i + 1 >= count:
                continue
            # A form's second word is the next token, or the one after a middle initial ("Cerys M. Morgan").
            second = tokens[i + 1][0]
            candidates = by_pair.get((word, second))
            if len(second) == 1 and i + 2 < count and tokens[i + 2][0] != second:
                beyond = by_pair.get((word, tokens[i + 2][0]))
                if beyond:
                    candidates = sorted((candidates or []) + beyond, key=_first)
            if not candidates:
                continue
            if start > 0 and folded[start - 1] in "#@_":
                continue  # inside a hashtag or mention: handled with the tag
            if i > 0 and tokens[i - 1][0] in _TITLES and _JOINER_OR_DOT.fullmatch(folded[tokens[i - 1][2] : start]):
                continue
            for _, form in candidates:
                stop = _match(folded, text, tokens, i, form)
                if stop is None or not self._is_pupil(text, tokens, i, stop, form):
                    continue
                end = tokens[stop - 1][2]
                found.append(NameMatch(form.pupil, text[start:end], start, end, kind))
                after = stop
                break
        return found

    def _is_pupil(self, text: str, tokens: list[tuple[str, int, int]], i: int, stop: int, form: _Form) -> bool:
        """Whether a name matched at tokens[i:stop] is written as a pupil's name, not a word, a place or a namesake."""
        start, end = tokens[i][1], tokens[stop - 1][2]
        second = tokens[stop - (len(form.words) - form.split)][1]  # where the second part begins
        capitals = text[start].isupper() and text[second].isupper()
        if form.mutated and not (capitals and i > 0 and tokens[i - 1][0] in _MUTATES):
            return False  # "i Gerys": a mutated name keeps its capital and follows a word that mutates it
        if form.surname_first and not _written_as_list(text, start, end, second):
            return False
        if not form.mutated and not form.surname_first and form.words[0] in _ORDINARY and not capitals:
            # In lower case an ordinary word is read as a word ("we grace hill walking club"), unless the words
            # before it introduce a person ("well done ruby jones") and the surname is no ordinary word too.
            surname = form.words[form.split :]
            if any(w in _ORDINARY_SURNAMES or w in _ORDINARY for w in surname):
                return False
            before = tokens[i - 1][0] if i else ""
            if not (i == 0 or before in _INTRODUCES or text[tokens[i - 1][2] : start].strip() in (",", ":", "-")):
                return False
        if stop < len(tokens) and tokens[stop][0] in _NAMED_AFTER and text[tokens[stop][1]].isupper():
            return False  # "Morgan Jones Park", "Dylan Thomas Centre"
        if self._in_place(tokens, i, stop):
            return False
        identity = _words(form.pupil.forename) + _words(form.pupil.surname)
        sentence = _sentence(text, start, end)
        if _PUPIL_CUE.search(sentence):
            return True
        if identity in self._staff:
            return False
        if i > 0 and tokens[i - 1][0] in _KNOWN_AS:
            return False
        return not (" ".join(identity) in FAMOUS and _FAMOUS_CUE.search(sentence))

    def _in_place(self, tokens: list[tuple[str, int, int]], i: int, stop: int) -> bool:
        for k in range(max(0, i - 3), i + 1):
            for place in self._places.get(tokens[k][0], ()):
                if k + len(place) >= stop and tuple(t[0] for t in tokens[k : k + len(place)]) == place:
                    return True
        return False

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
            lengths = self._joined_lengths
            for i in range(len(letters)):
                for n in lengths.get(letters[i : i + _JOINED_PREFIX], self._joined_short):
                    pupil = self._joined.get(letters[i : i + n])
                    if pupil is not None and not any(letters[:i].endswith(t) for t in _TITLES):
                        return [NameMatch(pupil, f"{sign}{body}", start, end, kind)]
            return []
        return [NameMatch(h.pupil, f"{sign}{body}", start, end, kind) for h in hits[:1]]


def _match(folded: str, text: str, tokens: list[tuple[str, int, int]], i: int, form: _Form) -> int | None:
    """The index after the last token of `form` written at tokens[i:], or None. A middle initial may stand between
    forename and surname ("Cerys M. Morgan"), a comma between surname and forename ("Morgan, Cerys")."""
    t = i
    for k, word in enumerate(form.words):
        if t >= len(tokens):
            return None
        if k:
            gap = folded[tokens[t - 1][2] : tokens[t][1]]
            if k != form.split:
                ok = bool(_JOINER.fullmatch(gap))
            elif form.surname_first:
                ok = bool(_COMMA_JOINER.fullmatch(gap))
            else:
                ok = bool(_JOINER.fullmatch(gap))
                initial = tokens[t]
                if ok and len(initial[0]) == 1 and initial[0] != word and text[initial[1]].isupper():
                    t += 1
                    if t >= len(tokens) or not _INITIAL_JOINER.fullmatch(folded[initial[2] : tokens[t][1]]):
                        return None
            if not ok:
                return None
        if tokens[t][0] != word:
            return None
        t += 1
    return t


def _written_as_list(text: str, start: int, end: int, second: int) -> bool:
    """A surname-first name as a register or team list writes it: "MORGAN Cerys", or "Morgan, Cerys" at a list's
    edges."""
    surname = text[start:second].rstrip(" ,")
    if surname.isupper() and len(surname) > 1:
        return True
    return "," in text[start:second] and bool(_LIST_START.search(text[:start])) and bool(_LIST_END.match(text[end:]))


_JOINER_OR_DOT = re.compile(r"[ .]{0,3}")


def _first(item: tuple[int, _Form]) -> int:
    return item[0]
