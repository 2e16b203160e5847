"""Judgement by pattern: who a text is aimed at, and what it says about them.

A word list knows "idiot"; it cannot know that "the parents at the meeting were absolutely clueless" insults people
while "the parking app is useless" is a fair complaint, or that "🙄" after "Year 9's idea of revision" mocks a class.
These rules read the normalised tokens once (`auditor.text.normalise`) and look for a target (a pupil, a parent, a
member of staff, a class, "you") together with what is said of it:

- mockery: a target, a linking verb ("are", "is", "was", "yn") and a derogatory word ("clueless", "a joke"), with no
  thing between (a "parent portal" is not a parent); or a mocking emoji (🙄 🤦 😂 🤡) with a target and a cue of
  derision ("idea of", "trying to", "can't", "bless");
- sexual: an appearance word ("fit", "hot", "peng") joined to a target, or a suggestive emoji with a target;
- hate: a group (the English, the Welsh, immigrants, ...) near a word of contempt ("scum", "go home");
- political: a party's name (capitalised where it is also an ordinary word: Labour, Reform, Green) near a campaign
  word ("vote", "back", "support"), unless the text is about a lesson, a debate, a mock election or a visit;
- alcohol: a drink emoji (🍺 🍻 🍷 🍸 🥃) with a word of the time off ("Friday", "staff", "tonight");
- spam: two or more kinds of spam cue (money promised, crypto, "DM me", "link in my bio", a giveaway).

Insults as noun phrases, hate by exclusion, innuendo, implicit threats, Welsh word order and more kinds of spam are
read by `auditor.text.judgement`, called from `find` with the same words.

Each rule yields (first token, last token, category, evidence), the same shape as a word-list match, so it gets the
same span, excerpt and allowlist treatment. Everything is module-level frozensets: a text costs a few set look-ups a
word, and the emoji and money rules run only when their trigger character is in the text at all.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from auditor.text import judgement
from auditor.text.normalise import Token

Hit = tuple[int, int, str, str]  # first token, last token, category, the words in evidence


def _set(words: str) -> frozenset[str]:
    """A word set written as one string of words: the lists read like the lists they are."""
    return frozenset(words.split())


# fmt: off
_PERSON_NOUNS = _set("""
    teacher teachers staff head headteacher headteachers headmaster headmistress sir miss parents parent mum mums
    mam dad dads kids kid pupils pupil students student class governors slt management referee ref inspector
    inspectors fans people lads girls boys children woman man women men caretaker everyone lot genius geniuses
    athro athrawon athrawes prifathro prifathrawes pennaeth rhieni plant disgyblion dyfarnwr bobl pobl
    sixth formers tutor tutors coach dosbarth dosbarthiadau deputy deputies receptionist receptionists secretary
    assistant assistants cleaner cleaners principal whoever senco dirprwy lad boy girl twins
""")
_PRONOUNS = _set("you u ya ye youse he she they him her them ti chi fe fo nhw")
_HONORIFICS = _set("mr mrs ms miss dr sir mx")
_DECIMAL = re.compile(r"\d+")
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)")
_CLASS_CODE = re.compile(r"(?:y|yr|year|blwyddyn)?\d{1,2}[a-z]{0,2}s?")
# What follows a person noun when the phrase is about a thing: "parent portal", "parents' evening".
_THINGS = _set("""
    portal app apps evening evenings council pay email emails letter letters association group groups car cars park
    parking room system systems website site toilets toilet policy policies rules rule timetable timetables bus
    buses service decision decisions food lunch lunches heating wifi homework uniform shop prices page account
    evening's gate gates handbook meeting's consultation newsletter team's classroom classrooms corridor corridors
    block lockers
""")
_LINK = _set("""
    are is re s was were be being look looks looking seem seems act acting yn ydy yw oedd mae n dresses dressed smells
    sounds talks
""")
# Between a linking verb and an insult, other adjectives of a list: "were rude, ignorant and frankly thick".
_WHERE = _set("at by outside in on near")
# An animal's name is an insult said of a person, not of the class pet or on a farm visit.
_ANIMALS = _set("""
    rat rats pig pigs cow cows snake snakes worm worms slug slugs toad toads donkey donkeys weasel weasels hyena
    hyenas vulture vultures leech leeches maggot maggots goat goats sheep
""")
_ANIMAL_CONTEXT = _set("pet pets farm zoo cage hamster species wildlife vet rspca habitat minibeasts called named")
# "ur a joke", "your a disgrace", "youre so thick": "you are" written as one word, person and verb at once.
_FUSED_YOU_ARE = _set("ur youre ure your yer")
_FUSED_NEXT = _set("a an so such absolute absolutely total totally complete completely utter actually literally proper")
_LIST_ON = _set("and or frankly honestly rude ac a")
_FILLER = _set("""
    a an the so such absolutely totally utterly completely proper right really just too very most bit of bunch
    lot little old massive pure complete total utter hollol llwyr mor fel rhy y all quite rather actually
    genuinely truly being well dead an even absolute like wet walking living jumped up two faced stuck sly slimy
    snivelling greasy horrible
    nasty creepy smug spineless gutless miserable fat old hen llwyr
""")
_DEROGATORY = _set("""
    useless clueless incompetent pathetic thick dim dense stupid dumb brainless spineless lazy laziest arrogant
    ignorant hopeless gormless vile nasty ugly fat cringe joke disgrace embarrassment fools fool coward cowards
    witch dinosaur dinosaurs sheep clowns liars liar spineless deluded twp dwp diog ddiog dwl ddwl anobeithiol
    ffyliaid lembo jokers amateurs feral smug pompous creepy obnoxious repulsive hideous senile deranged unhinged
    gutless slimy madam tramp scarecrow
""") | judgement.INSULT_NOUNS | judgement.welsh_forms("sinach gwrach buwch hwch cnaf")
# Verdicts on a person that can stand after a comma, and the words that may follow them there.
_APPOSITIVE = _set("clueless useless incompetent pathetic hopeless spineless gutless")
_APPOSITIVE_NEXT = _set("from as all again throughout and start to finish")
_EAGER = frozenset({"can t", "cant", "couldn t", "couldnt"})
_WAITING = frozenset({("t", "wait"), ("cant", "wait"), ("couldnt", "wait")})
_THINGS_TOO = _set("them they fe fo nhw")  # pronouns that stand for things as often as for people
# 🙄 🤦 😂 🤣 🤡, and disgust (🤢 🤮) at a person: "the state of the year 7s hair 🤢"
_MOCKING_EMOJI = ("\U0001f644", "\U0001f926", "\U0001f602", "\U0001f923", "\U0001f921", "\U0001f922", "\U0001f92e")
_DERISION = _set("""
    dragged
    idea think thinks thought clearly still genius bless despair strength dinosaur cringe state imagine acting
    painful apparently seriously suggestion funny laughing attempting embarrassing hopeless useless
    cant couldnt baby crybaby fat ugly smelly stinks stink stinky greasy spotty minging ginger
""")
_DERISION_PAIRS = frozenset({
    ("trying", "to"), ("can", "t"), ("couldn", "t"), ("can", "not"), ("try", "to"),
    # batch 5: a child laughed at for crying, for how they look, or for why they come to school
    ("crying", "cos"), ("crying", "because"), ("cried", "cos"), ("must", "hate"), ("only", "thing"),
    # a child laughed at for how they look: "looks like a thumb with a wig 😂"
    ("looks", "like"), ("look", "like"),
    # or for an accident of the body: "the kid who wet himself in assembly 🤣"
    ("wet", "himself"), ("wet", "herself"), ("wet", "themselves"), ("pissed", "himself"), ("threw", "up"),
    ("my", "ears"),
})
# Eye-rolling and face-palming at a person mock them whatever the words; laughing needs a cue of derision too.
_PRIDE_IN_THEM = _set("proud legend legends hero heroes brilliant amazing congratulations congrats")
_SCORNFUL_EMOJI = ("\U0001f644", "\U0001f926")
_LAUGHING_EMOJI = ("\U0001f602", "\U0001f923")
# A parent laughing about their own family ("my son thinks he can diagnose the whole family 😂"): fond, not mockery.
_OWN_FAMILY = frozenset(
    itertools.product(
        ("my", "our", "fy", "ein"),
        _set("son sons daughter daughters boy boys girl girls lad lads kids kid children husband wife hubby mam dad "
             "youngest eldest oldest little one lot mab merch plant gwr"),
    )
)
# Praise undone by a count: "remembered their homework. All three of them 😂", "dim ond hanner y dosbarth".
# A word put in scare quotes after "well": "Well, 'notes'.", "Well, 'revision'".
_SCARE_QUOTES = re.compile(r"\bwell,? ['\u2018\"\u201c]\w+['\u2019\"\u201d]", re.IGNORECASE)
_SARCASTIC_COUNT = re.compile(
    r"\b(?:all|only|just) (?:one|two|three|four|five|six|\d) of (?:them|you|us)\b|\b(?:only|dim ond) (?:half|hanner)\b",
    re.IGNORECASE,
)

_APPEARANCE = _set("fit hot sexy peng buff fittie hottie stunner stunners lush tasty fanciable doable foxy")
_NOT_APPEARANCE_NEXT = _set("""
    for and chocolate dog dogs day days weather water food meal meals lunch drinks drink seat seats topic spot
    potato potatoes tub summer sun spell dinner snacks cross
""")
_FITNESS = _set("run runs running marathon race charity training gym triathlon miles fitness cycle swim 10k 5k")
_NOT_APPEARANCE_BEFORE = _set("keep get getting stay staying physically fitness very")
_BODY = _set("legs bum bums arse ass boobs chest lips dress tracksuit leggings body figure grown assets curves")
_GENDERED = _set("girls boys girl boy lads lad ladies")
_SUGGESTIVE_EMOJI = ("\U0001f60f", "\U0001f975", "\U0001f351", "\U0001f346", "\U0001f445", "\U0001f4a6")
_ADMIRING_EMOJI = ("\U0001f60d", "\U0001f609", "\U0001f525", "\U0001f618")

_GROUPS = _set("""
    english welsh saeson sais immigrants immigrant foreigners foreigner polish poles romanians pakistanis muslims
    jews gypsies travellers gays asians africans refugees migrants blacks taffs hoyw
""")
_CONTEMPT = _set("""
    scum vermin filth animals parasites inbred dirty thieving nicking ruining ruin ruined flooding swamped bloody
    cachu allan
""")
_CONTEMPT_PAIRS = frozenset({
    ("go", "home"), ("go", "back"), ("too", "many"), ("over", "here"), ("taking", "over"), ("send", "them"),
    ("ewch", "adre"), ("ewch", "adref"), ("getting", "all"), ("taking", "all"), ("ych", "a"), ("dim", "lle"),
})

_PARTIES = _set("""
    labour tory tories conservative conservatives conservative's plaid blaid reform lib libdem libdems liberal green
    greens ukip snp llafur lafur ceidwadwyr geidwadwyr
""")
# A party's name that is also an ordinary word counts only when written with a capital.
_PARTY_NEEDS_CAPITAL = _set("labour conservative conservatives plaid reform liberal green greens lib")
_CAMPAIGN = _set("""
    vote voting votes back backing support supporting elect out campaign campaigning pleidleisiwch pleidleisio
    cefnogwch fight
""")
_CIVIC_EDUCATION = _set("""
    mock debate debated debating debates hustings lesson lessons visited visit met polling register registered
    curriculum politics council election's results result age sixteen 16
""")

_SPAM_GROUPS: tuple[frozenset[str], ...] = (
    _set("crypto bitcoin btc forex nft trading trader investment invest investing returns"),
    _set("dm dms inbox whatsapp telegram"),
    _set("giveaway voucher guaranteed singles followers promo cheap claim"),
)
_SPAM_PAIRS = frozenset({
    ("message", "me"), ("my", "bio"), ("my", "page"), ("my", "profile"), ("bit", "ly"), ("click", "the"),
    ("passive", "income"), ("work", "from"),
})
_EARN = _set("earn earned earning earnings made make profit income")
_DRINK_EMOJI = ("\U0001f37a", "\U0001f37b", "\U0001f377", "\U0001f378", "\U0001f943")
_TIME_OFF = _set("staff friday weekend night tonight after ready cheers pub finally home evening do earned deserved")
_MONEY = re.compile(r"[£$€]\s?\d")
# "We know where the head parks", "I know where you live": someone telling a person they are watched.
_KNOWERS = _set("i we they ive weve")
_ASKERS = _set("who anyone anybody nobody noone one everyone somebody someone body")
_KNOW = _set("know knows gwybod no kno knw gwbod")  # "i no where u live": text-speak spells "know" "no"
_WHERE_WORDS = _set("where ble lle")
_ROUTINE = _set("""
    live lives living park parks parked drive drives sleep sleeps work works walk walks go goes leave leaves shop
    shops drink drinks train trains byw parcio gweithio cysgu cerdded mynd
""")
# fmt: on
_APPEARANCE_OR_BODY = _APPEARANCE | _BODY
# Each emoji set as one character class: one scan of a post, not one per emoji (half of all posts have emoji).
_MOCKING_EMOJI_RE = re.compile("[" + "".join(_MOCKING_EMOJI) + "]")
_SUGGESTIVE_EMOJI_RE = re.compile("[" + "".join(_SUGGESTIVE_EMOJI) + "]")
_DRINK_EMOJI_RE = re.compile("[" + "".join(_DRINK_EMOJI) + "]")
_SPAM_TRIGGERS = frozenset().union(*_SPAM_GROUPS, _EARN, (first for first, _ in _SPAM_PAIRS))
# A party's name, or a hashtag made of "vote" and one ("#VoteLabour" is the one word "votelabour"): the words
# `_political` can start from, so a post with none of them costs one set look-up, not a lower-cased copy of itself.
_PARTIES_OR_VOTE = _PARTIES | {"vote" + party for party in _PARTIES}

_REACH = 6  # tokens between a target and the linking verb, or a group and a word of contempt
_SENTENCE_BREAK = re.compile(r"[.!?;\n]")


def find(toks: Sequence[Token], text: str) -> list[Hit]:
    """Every pattern match in the text's tokens (see the module docstring)."""
    # Leet reading turns "7B" into "tb": class codes are read from the text as written.
    words = [t.text for t in toks]
    if _DECIMAL.search(text):
        # Only a token with a digit where it is written can be a class code (`_CLASS_CODE` needs one); a run of
        # digits lies inside one token.
        # Each token is read once, however many digits it holds (a run of spaced digits joined into one spelt-out
        # token is read once, not once per digit: a stranger's long comment of digits must not cost its square).
        starts = [t.start for t in toks]
        read: set[int] = set()
        for digit in _DECIMAL.finditer(text):
            i = bisect.bisect_right(starts, digit.start()) - 1
            if i >= 0 and i not in read and digit.start() < toks[i].end:
                read.add(i)
                words[i] = _class_code(text, toks[i]) or words[i]
    vocabulary = frozenset(words)
    # A shape is quoted as it was published ("dy gar di'n llosgi"), not in its normalised words ("dy gar di n llosgi").
    hits: list[Hit] = [
        (
            first,
            last,
            category,
            text[toks[first].start : toks[last].end] if term == " ".join(words[first : last + 1]) else term,
        )
        for first, last, category, term in judgement.find(words, text, vocabulary)
    ]
    # Each rule runs only when its trigger is in the text: most posts trigger none, and cost a few set look-ups.
    if not vocabulary.isdisjoint(_DEROGATORY):
        hits += _insults(toks, words, text)
    emoji = not text.isascii()  # every emoji rule needs one
    if emoji and _MOCKING_EMOJI_RE.search(text):
        hits += _mocking_emoji(words, text)
    if not vocabulary.isdisjoint(_APPEARANCE_OR_BODY) or (emoji and _SUGGESTIVE_EMOJI_RE.search(text)):
        hits += _sexualising(toks, words, text)
    if not vocabulary.isdisjoint(_GROUPS):
        hits += _hate(words)
    if not vocabulary.isdisjoint(_PARTIES_OR_VOTE):
        hits += _political(toks, words, text, vocabulary)
    if emoji and not vocabulary.isdisjoint(_TIME_OFF) and _DRINK_EMOJI_RE.search(text):
        cue = next(i for i, w in enumerate(words) if w in _TIME_OFF)
        hits.append((cue, cue, "alcohol", f"{next(e for e in _DRINK_EMOJI if e in text)} ({words[cue]})"))
    if not vocabulary.isdisjoint(_KNOW) and not vocabulary.isdisjoint(_WHERE_WORDS):
        hits += _watched(words)
    if not vocabulary.isdisjoint(_SPAM_TRIGGERS):
        hits += _spam(words, text, vocabulary)
    return hits


def _class_code(text: str, tok: Token) -> str | None:
    """ "7B" as written, where the normalised token reads it as leet ("tb")."""
    raw = text[tok.start : tok.end].lower()
    return raw if raw != tok.text and _CLASS_CODE.fullmatch(raw) else None


def _is_person(words: Sequence[str], i: int) -> bool:
    word = words[i]
    if word in _PERSON_NOUNS or word in _PRONOUNS:
        return True
    if i > 0 and words[i - 1] in _HONORIFICS and word.isalpha():
        return True  # "Mr Hughes"
    return bool(_CLASS_CODE.fullmatch(word)) and any(ch.isdigit() for ch in word) and _is_class(words, i)


def _is_class(words: Sequence[str], i: int) -> bool:
    """ "9X", "Y9", "Year 9" and "Year 9s" are a class; a bare "24" or "2024" is a number."""
    word = words[i]
    if i > 0 and words[i - 1] in ("year", "blwyddyn"):
        return True
    return not word.isdigit() and not _ORDINAL.fullmatch(word)  # "the 14th" is a date


def _same_sentence(toks: Sequence[Token], text: str, i: int, j: int) -> bool:
    return not _SENTENCE_BREAK.search(text, toks[i].end, toks[j].start)


def _insults(toks: Sequence[Token], words: Sequence[str], text: str) -> list[Hit]:
    """ "Teachers here are useless", "the parents ... were absolutely clueless", "you lot are a disgrace"."""
    hits: list[Hit] = []
    animals_as_animals = not _ANIMAL_CONTEXT.isdisjoint(words)
    for j, word in enumerate(words):
        if word not in _DEROGATORY:
            continue
        if animals_as_animals and word in _ANIMALS:
            continue  # "the Year 3 class pet is a rat called Dai"
        c = j - 1
        while c >= 0 and (words[c] in _FILLER or words[c] in _LIST_ON or words[c] in _DEROGATORY) and j - c <= 6:
            c -= 1
        if c >= 0 and words[c] in _FUSED_YOU_ARE and c + 1 < j and words[c + 1] in _FUSED_NEXT:
            if not (j + 1 < len(words) and words[j + 1] == "if"):  # "your a joke if you think ..." answers a policy
                hits.append((c, j, "mockery", " ".join(words[c : j + 1])))
            continue
        if (c < 0 or words[c] not in _LINK) and word in _APPOSITIVE:
            hit = _said_after_a_comma(toks, words, text, j)
            if hit:
                hits.append(hit)
            continue
        if c < 0 or words[c] not in _LINK:
            continue
        for i in range(c - 1, max(-1, c - 1 - _REACH), -1):
            if words[i] in _THINGS and not (i > 1 and words[i - 1] == "the" and words[i - 2] in _WHERE):
                # "whoever runs this page is a proper gimp": the thing belongs to a person's clause
                w = next((k for k in range(i - 1, max(-1, i - 4), -1) if words[k] == "whoever"), None)
                if w is not None and _same_sentence(toks, text, w, j):
                    hits.append((w, j, "mockery", " ".join(words[w : j + 1])))
                break  # "the parent portal is useless"; but "parents at the gate were rude" is about the parents
            if _is_person(words, i) and _same_sentence(toks, text, i, j):
                if i + 1 < len(words) and words[i + 1] in _THINGS:
                    break
                hits.append((i, j, "mockery", " ".join(words[i : j + 1])))
                break
    return hits


def _said_after_a_comma(toks: Sequence[Token], words: Sequence[str], text: str, j: int) -> Hit | None:
    """ "The ref at Tuesday's match should be ashamed of himself, clueless from start to finish": a verdict on the
    person the sentence is about, added after a comma (not "the app crashed, useless", which names no person)."""
    if j == 0 or "," not in text[toks[j - 1].end : toks[j].start]:
        return None
    after = words[j + 1] if j + 1 < len(words) else ""
    if after and after not in _APPOSITIVE_NEXT and _SENTENCE_BREAK.match(text, toks[j].end) is None:
        return None  # "..., useless weather": an adjective of the next noun
    for i in range(j - 1, max(-1, j - 13), -1):
        if words[i] in _THINGS:
            return None
        if _is_person(words, i) and words[i] not in _PRONOUNS and _same_sentence(toks, text, i, j):
            if i + 1 < len(words) and words[i + 1] in _THINGS:
                return None
            return (i, j, "mockery", f"{words[i]} ... {words[j]}")
    return None


def emoji_at(term: str) -> bool:
    """Whether a matched `term` is one of the emoji shapes here, an emoji aimed at a person: "😂 at 8c (thinks)"
    (`_mocking_emoji`), "😏 at her" (`_sexualising`). Every other term begins with a word."""
    return " at " in term and not term[:1].isalnum()


def _mocking_emoji(words: Sequence[str], text: str) -> list[Hit]:
    """A mocking emoji, a target and a cue of derision anywhere in a (short) text: "8C think it's optional 🤦".
    Laughter alone (no eye-roll, facepalm or clown) in a text about the writer's own family is fond."""
    if not _OWN_FAMILY.isdisjoint(itertools.pairwise(words)) and not any(
        e in text for e in _MOCKING_EMOJI if e not in _LAUGHING_EMOJI
    ):
        return []
    target = next((i for i in range(len(words)) if _is_person(words, i) and not _not_a_target(words, i)), None)
    if target is None:
        return []
    pairs = set(itertools.pairwise(words))
    cues = [w for w in words if w in _DERISION] + [" ".join(p) for p in pairs & _DERISION_PAIRS]
    if cues and not pairs.isdisjoint(_WAITING):
        # "can't wait to see their faces 😂" is eagerness, not derision
        cues = [c for c in cues if c not in _EAGER]
    cues += ["really?"] if "really?" in text.lower() else []  # "really? 🙄": disbelief at someone
    count = _SARCASTIC_COUNT.search(text)
    cues += [count.group(0)] if count else []
    quoted = _SCARE_QUOTES.search(text)
    cues += [quoted.group(0)] if quoted else []  # "revision notes. Well, 'notes'. One sentence 😂"
    if not cues and words[target] in _THINGS_TOO:
        # An eye-roll alone needs someone to roll at: "them" and "they" are as often the bibs as the pupils.
        target = next(
            (
                i
                for i in range(target + 1, len(words))
                if _is_person(words, i) and not _not_a_target(words, i) and words[i] not in _THINGS_TOO
            ),
            None,
        )
        if target is None:
            return []
    if any(e in text for e in _SCORNFUL_EMOJI) and (cues or _PRIDE_IN_THEM.isdisjoint(words)):
        cues += ["eye-roll"]  # alone, and not among "proud", "legend", "heroes": those roll their eyes fondly
    if not cues:
        return []
    emoji = next(e for e in _MOCKING_EMOJI if e in text)
    return [(target, target, "mockery", f"{emoji} at {words[target]} ({cues[0]})")]


def _not_a_target(words: Sequence[str], i: int) -> bool:
    """A person word that names no one laughed at: the general "you" ("when you finally find the bibs 🤦"), or the
    readers addressed after a thing of theirs ("... 🙄 bring your wellies kids")."""
    if words[i] in ("you", "u") and i > 0 and words[i - 1] in ("when", "if", "once"):
        return True
    if i + 1 < len(words) and words[i + 1] in _THINGS:
        return True  # "the state of the year 9 classroom 🤢": a room, not the class
    return i == len(words) - 1 and i > 1 and words[i - 2] in ("your", "ur")


def _sexualising(toks: Sequence[Token], words: Sequence[str], text: str) -> list[Hit]:
    """ "The new PE teacher is looking fit", "Year 13 girls looking hot", or a suggestive emoji at a person."""
    hits: list[Hit] = []
    people = [i for i in range(len(words)) if _is_person(words, i)]
    if not people:
        return hits
    for j, word in enumerate(words):
        if word not in _APPEARANCE and word not in _BODY:
            continue
        if word in _APPEARANCE:
            if j + 1 < len(words) and words[j + 1] in _NOT_APPEARANCE_NEXT:
                continue
            if j > 0 and words[j - 1] in _NOT_APPEARANCE_BEFORE:
                continue
            if word == "fit" and not _FITNESS.isdisjoint(words):
                continue  # "well fit after that charity run": fitness, not looks
        elif not any(e in text for e in _SUGGESTIVE_EMOJI + _ADMIRING_EMOJI):
            continue  # "legs" or "dress" alone is an ordinary word
        elif word == "grown" and not any(e in text for e in _SUGGESTIVE_EMOJI) and _GENDERED.isdisjoint(words):
            continue  # "everyone looks so grown up 😍" at a prom is pride; "the girls looking grown up 😍" is not
        near = [i for i in people if abs(i - j) <= 4 and _same_sentence(toks, text, min(i, j), max(i, j))]
        if near:
            first, last = min(near[0], j), max(near[0], j)
            hits.append((first, last, "sexual", " ".join(words[first : last + 1])))
            return hits
    if any(e in text for e in _SUGGESTIVE_EMOJI):
        emoji = next(e for e in _SUGGESTIVE_EMOJI if e in text)
        hits.append((people[0], people[0], "sexual", f"{emoji} at {words[people[0]]}"))
    return hits


def _hate(words: Sequence[str]) -> list[Hit]:
    """A group near a word of contempt: "English scum", "too many foreigners", "immigrants ... go home"."""
    for i, word in enumerate(words):
        if word not in _GROUPS:
            continue
        lo, hi = max(0, i - 3), min(len(words), i + 9)
        for k in range(lo, hi):
            if words[k] in _CONTEMPT or (k + 1 < len(words) and (words[k], words[k + 1]) in _CONTEMPT_PAIRS):
                first, last = min(i, k), max(i, k + (0 if words[k] in _CONTEMPT else 1))
                return [(first, last, "hate", " ".join(words[first : last + 1]))]
    return []


def _political(toks: Sequence[Token], words: Sequence[str], text: str, vocabulary: frozenset[str]) -> list[Hit]:
    """A party near a campaign word: "vote Plaid", "proud to back our Labour candidate", "#VoteLabour"."""
    if not vocabulary.isdisjoint(_CIVIC_EDUCATION):
        return []
    for i, word in enumerate(words):
        if word.startswith("vote") and word[4:] in _PARTIES:
            return [(i, i, "political", word)]
        if word not in _PARTIES:
            continue
        if word in _PARTY_NEEDS_CAPITAL and not text[toks[i].start].isupper():
            continue
        # A post is short: a campaign word anywhere in its next sentences counts ("Reform would be a disaster for
        # Welsh schools. Please think of our children when you vote").
        lo, hi = max(0, i - 8), min(len(words), i + 25)
        for k in range(lo, hi):
            if words[k] in _CAMPAIGN:
                first, last = min(i, k), max(i, k)
                return [(first, last, "political", " ".join(words[first : last + 1]))]
    return []


def _watched(words: Sequence[str]) -> list[Hit]:
    """ "I know where you live", "we know where the head parks every morning", "dw i n gwybod ble ti n byw"."""
    for i in range(1, len(words) - 1):
        if words[i] not in _KNOW or words[i + 1] not in _WHERE_WORDS:
            continue
        # "my cousin knows where the PE teacher drinks" watches a person too; "who knows where ...?" asks
        someone_else = words[i] == "knows" and words[i - 1] not in _ASKERS
        if not _KNOWERS.intersection(words[max(0, i - 3) : i]) and not someone_else:
            continue  # "do you know where the hall is?" asks; it does not watch
        if words[i + 2 : i + 4] and words[i + 2] in ("you", "u") and words[i + 3 : i + 4] in (["can"], ["could"]):
            continue  # "I know where you can park": help
        for k in range(i + 2, min(len(words), i + 7)):
            if words[k] in _ROUTINE:
                if someone_else and not any(_is_person(words, m) for m in range(i + 2, k)):
                    break  # "the office knows where the minibus parks": no one watched
                return [(i, k, "threat", " ".join(words[i : k + 1]))]
    return []


def _spam(words: Sequence[str], text: str, vocabulary: frozenset[str]) -> list[Hit]:
    """Two or more kinds of spam cue: money promised, crypto, "DM me", a link to follow, a giveaway."""
    pairs = set(itertools.pairwise(words)) & _SPAM_PAIRS
    kinds = [not vocabulary.isdisjoint(group) for group in _SPAM_GROUPS]
    # "Message me" and "WhatsApp" are one kind of cue, the way to reach someone ("message me to join the Year 3
    # WhatsApp group" is a parent): only with another kind is it spam.
    kinds[1] = kinds[1] or ("message", "me") in pairs
    kinds.append(bool(pairs - {("message", "me")}))
    kinds.append(bool(_MONEY.search(text)) and not vocabulary.isdisjoint(_EARN))
    if sum(kinds) < 2:
        return []
    cue = next((i for i, w in enumerate(words) if any(w in g for g in _SPAM_GROUPS) or w in _EARN), 0)
    return [(cue, cue, "spam", words[cue] if words else "")]
