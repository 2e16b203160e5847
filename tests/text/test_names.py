import json
from pathlib import Path

import pytest

from auditor.text.names import Pupil, Roster, RosterError

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"


@pytest.fixture
def roster() -> Roster:
    return Roster(
        [
            Pupil("Megan", "Price-Jones", False),
            Pupil("Zoë", "Ellis", True),
            Pupil("Grace", "Hill", False),
            Pupil("Siân", "O'Brien", False),
            Pupil("Will", "Turner", True),
        ]
    )


def found(roster: Roster, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.kind) for m in roster.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Well done to Megan Price-Jones in Year 9", [("Megan Price-Jones", "text")]),
        ("Megan Price Jones won", [("Megan Price Jones", "text")]),
        ("Megan Price-Jones's project", [("Megan Price-Jones", "text")]),
        ("Megan Price-Jones’ medal", [("Megan Price-Jones", "text")]),
        ("shout out to megan price-jones", [("megan price-jones", "text")]),
        ("Zoe Ellis and Zoë Ellis", [("Zoe Ellis", "text"), ("Zoë Ellis", "text")]),
        ("Sian O'Brien read at assembly", [("Sian O'Brien", "text")]),
        ("Star of the week #MeganPriceJones", [("#MeganPriceJones", "hashtag")]),
        ("#welldonemeganpricejones", [("#welldonemeganpricejones", "hashtag")]),
        ("Thanks @megan_price_jones", [("@megan_price_jones", "mention")]),
        ("Grace Hill won the 100m", [("Grace Hill", "text")]),
    ],
)
def test_finds_full_names_in_every_form(roster, text, expected):
    assert found(roster, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thank you to Mrs Grace Hill for organising the trip",  # staff, by title
        "Dr. Megan Price-Jones spoke to Year 11",
        "Thanks @MrsGraceHill for the coaching",
        "Well done Megan in Year 8!",  # a first name alone
        "The Price-Jones Cup goes to the choir",  # a surname alone
        "we grace hill walking club",  # an ordinary word, not written as a name
        "Thank you Megan. Price-Jones Leisure was a great venue.",  # a sentence break is not a name
        "Megan Evans and Grace Price",  # names of pupils, but not of any one pupil
    ],
)
def test_staff_single_names_and_ordinary_words_are_not_pupils(roster, text):
    assert found(roster, text) == []


def test_match_keeps_consent(roster):
    [consenting] = roster.find("Will Turner scored")
    assert consenting.pupil.photo_consent is True


def test_roster_never_shows_names_in_repr(roster):
    assert repr(roster) == "Roster(5 pupils)"
    assert "Megan" not in repr(roster.find("Megan Price-Jones")[0].pupil)


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "pupils.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_load_reads_csv_with_bom_and_any_column_case(tmp_path):
    path = write(tmp_path, "\ufeffForename,Surname,Photo_Consent\nMegan,Price-Jones,no\n,,\nZoë,Ellis,YES\n")
    roster = Roster.load(path)
    assert len(roster) == 2
    assert [m.pupil.photo_consent for m in roster.find("Megan Price-Jones and Zoe Ellis")] == [False, True]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("forename,surname\nMegan,Price-Jones\n", "has no photo_consent column"),
        ("forename,surname,photo_consent\nMegan,,no\n", "line 2: both forename and surname are needed"),
        ("forename,surname,photo_consent\nMegan,Price-Jones,maybe\n", "line 2: photo_consent must be yes or no"),
        ("forename,surname,photo_consent\n", "lists no pupils"),
    ],
)
def test_bad_roster_is_a_clear_error_naming_no_pupil(tmp_path, text, message):
    with pytest.raises(RosterError, match=message) as exc:
        Roster.load(write(tmp_path, text))
    assert "Megan" not in str(exc.value) and "Price" not in str(exc.value)


def test_missing_folder_and_binary_rosters_are_clear_errors(tmp_path):
    with pytest.raises(RosterError, match="does not exist"):
        Roster.load(tmp_path / "nope.csv")
    with pytest.raises(RosterError, match="is a folder"):
        Roster.load(tmp_path)
    path = tmp_path / "pupils.csv"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(RosterError, match="not UTF-8"):
        Roster.load(path)


def test_tuning_half_of_evaluation_set_is_all_correct():
    context = json.loads((EVAL / "safeguarding.pupil_named.context.json").read_text("utf-8"))
    roster = Roster.load(EVAL / "safeguarding.roster.csv", context["staff"], context["places"])
    assert len(roster) == 306
    rows = [json.loads(line) for line in (EVAL / "safeguarding.pupil_named.jsonl").read_text("utf-8").splitlines()]
    assert sum(r["label"] for r in rows) >= 50 and sum(not r["label"] for r in rows) >= 50
    wrong = [r["text"] for r in rows if r["split"] == "tune" and bool(roster.find(r["text"])) != r["label"]]
    assert wrong == []


@pytest.fixture
def welsh() -> Roster:
    return Roster(
        [
            Pupil("Cerys", "Morgan", False),
            Pupil("Gwenllian", "Prosser", False),
            Pupil("Rhodri", "Owen", False),
            Pupil("Tomos", "Price", False),
            Pupil("Dafydd", "Llewellyn", False),
            Pupil("Llŷr", "Parry", False),
            Pupil("Bethan", "Pugh", False),
            Pupil("Ruby", "Jenkins", False),
            Pupil("Ruby", "Hill", False),
            Pupil("Summer", "Price-Jones", False),
            Pupil("Liam", "O'Neill", False),
            Pupil("Dylan", "Thomas", False),
            Pupil("Morgan", "Jones", False),
            Pupil("Catrin", "Evans", False),
            Pupil("Megan", "Nelson", False),
        ],
        staff=["Mrs Catrin Evans"],
        places=["Parc Penallta"],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Llongyfarchiadau i Gerys Morgan!", "Gerys Morgan"),  # soft: C -> G
        ("Da iawn Wenllian Prosser", "Wenllian Prosser"),  # soft: G dropped
        ("Diolch i Rodri Owen", "Rodri Owen"),  # soft: Rh -> R
        ("Diolch i Lŷr Parry", "Lŷr Parry"),  # soft: Ll -> L
        ("Tlws i Fethan Pugh", "Fethan Pugh"),  # soft: B -> F
        ("gyda Ddafydd Llewellyn", "Ddafydd Llewellyn"),  # soft: D -> Dd
        ("fy Ngherys Morgan", "Ngherys Morgan"),  # nasal: C -> Ngh
        ("fy Nhomos Price", "Nhomos Price"),  # nasal: T -> Nh
        ("Siôn a Chatrin Evans o Flwyddyn 9", "Chatrin Evans"),  # aspirate: C -> Ch (and a pupil cue beats staff)
        ("Results: Morgan, Cerys; Owen, Rhodri", "Morgan, Cerys"),  # surname first, in a list
        ("Cast:\nMORGAN Cerys", "MORGAN Cerys"),
        ("well done ruby jenkins", "ruby jenkins"),  # lower case, ordinary forename, introduced as a person
        ("Summer Price–Jones won", "Summer Price–Jones"),  # en dash
        ("Liam ONeill scored", "Liam ONeill"),  # apostrophe dropped
        ("Cerys M. Morgan read the lesson", "Cerys M. Morgan"),  # middle initial
        ("Year 9's Dylan Thomas won the poetry prize", "Dylan Thomas"),  # a namesake who is said to be a pupil
    ],
)
def test_finds_welsh_mutations_lists_and_variant_spellings(welsh, text, expected):
    assert [m.text for m in welsh.find(text)][:1] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks Morgan, Cerys and Ffion for tidying up",  # three first names, not surname first
        "Gerys Morgan is not someone we know",  # a mutated form with nothing to mutate it
        "the race morgan",  # lower case: no mutation
        "Catrin Evans runs the staff quiz",  # on the staff list
        "We read Dylan Thomas's poem Fern Hill",  # a famous namesake
        "Football at Morgan Jones Park",  # a place named after someone
        "The walk goes past Parc Penallta",
        "the ruby hill walk is lovely",  # ordinary words, in lower case
        "we ruby jenkins walking club",  # not introduced as a person
        "Welsh singer Dylan Thomas plays the Miners' Institute",  # known for a job no pupil has: a namesake
        "Y canwr Tomos Price ar S4C heno",  # the same in Welsh
        "Diolch i Gatrin Evans am drefnu'r eisteddfod",  # a member of staff, mutated
    ],
)
def test_staff_places_namesakes_and_lookalikes_are_not_pupils(welsh, text):
    assert welsh.find(text) == []


def test_variants_of_many_pupils_keep_the_roster_private():
    # 600 pupils with all their variants: one dictionary lookup a word, and still nothing of a name in repr.
    letters = [a + b + c for a in "abcdefghij" for b in "klmnopqrst" for c in "uvwxyz"][:2000]
    names = [Pupil(f"Cerys{s}", f"Morgan{s}", False) for s in letters]
    roster = Roster(names, staff=["Mr Tomos Price"])
    assert repr(roster) == "Roster(600 pupils)"
    assert [m.text for m in roster.find("i Gerysbmv Morganbmv")] == ["Gerysbmv Morganbmv"]


def test_load_takes_staff_and_places(tmp_path):
    path = write(tmp_path, "forename,surname,photo_consent\nCatrin,Evans,no\nMorgan,Jones,no\n")
    roster = Roster.load(path, staff=["Catrin Evans"], places=["Jones Fields"])
    assert roster.find("Catrin Evans ran the quiz") == []
    assert [m.text for m in roster.find("Year 8 pupil Catrin Evans ran the quiz")] == ["Catrin Evans"]


def test_a_pupil_cue_beats_a_word_of_fame(welsh):
    # "singer" alone would make a namesake; "Year 9" says a pupil is meant.
    assert [m.text for m in welsh.find("Year 9 singer Dylan Thomas wins the Urdd solo")] == ["Dylan Thomas"]
