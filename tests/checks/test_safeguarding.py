import csv
import dataclasses
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from auditor import config as config_mod
from auditor.checks.safeguarding import child_photo_consent, personal_info, pupil_named
from auditor.cli import main
from auditor.model import Media, Post, Profile, Severity, Status
from auditor.services import Services
from auditor.services import build as build_services
from auditor.text.names import Pupil, Roster, RosterError
from tests.conftest import context, write_config

REPO = Path(__file__).resolve().parent.parent.parent
PHOTOS = REPO / "tests" / "data" / "eval" / "photos"
FACE, SCENE = REPO / "examples" / "photos" / "history.jpg", PHOTOS / "scene-00.jpg"  # a drawn face; a scene
ROSTER = Roster([Pupil("Megan", "Price-Jones", False), Pupil("Zoë", "Ellis", True)])
PROFILE = Profile(username="ScienceIHS", bio="Science at Islwyn High School.")


@pytest.fixture
def cfg(tmp_path: Path) -> config_mod.Config:
    return config_mod.load(
        write_config(
            tmp_path,
            """
            [[accounts]]
            handle = "@ScienceIHS"
            platform = "x-archive"
            department = "Science"
            source = "archive"

            [safeguarding]
            school_contacts = ["01495 200000", "NP12 2BB"]
            photo_consent_confirmed = ["77", "media-88"]
            """,
        )
    )


def photo(path: Path | None, media_id: str = "m1", kind: str = "photo") -> Media:
    return Media(media_id, kind, url="https://pbs.twimg.com/media/x.jpg", local_path=path)


def run(check, cfg, posts, roster: object = ROSTER, profile: Profile = PROFILE):
    ctx = dataclasses.replace(context(cfg, profile, posts), services=Services(roster=roster))
    return list(check(ctx))


# personal_info


def test_personal_info_fails_on_a_mobile_number(cfg):
    posts = [Post("1", "Minibus: ring Mr Evans on 07700 900123"), Post("2", "Call the office on 01495 200000")]
    [r] = run(personal_info, cfg, posts)
    assert (r.status, r.subject, r.severity) == (Status.FAIL, "post:1", Severity.MEDIUM)
    assert "phone number '07700 900123'" in r.reason and r.evidence.excerpt == "07700 900123"


def test_personal_info_is_high_for_identifiers_and_checks_alt_text(cfg):
    post = Post("3", "Our chess champion!", media=(Media("m", "photo", alt_text="Megan, DOB: 12/03/2013"),))
    [r] = run(personal_info, cfg, [post])
    assert r.status is Status.FAIL and r.severity is None  # the check's own severity: high
    assert "date of birth" in r.reason


def test_personal_info_passes_with_school_contacts_only(cfg):
    [r] = run(personal_info, cfg, [Post("1", "Open evening at NP12 2BB; questions to 01495 200000")])
    assert r.status is Status.PASS and "1 post" in r.reason


def test_personal_info_nothing_to_check(cfg):
    assert run(personal_info, cfg, [], profile=Profile(username="ScienceIHS", bio="")) == []


# pupil_named


def test_pupil_named_fails_high_beside_a_photo(cfg):
    post = Post("5", "Well done to Megan Price-Jones in Year 9!", media=(photo(FACE),))
    [r] = run(pupil_named, cfg, [post])
    assert (r.status, r.severity, r.subject) == (Status.FAIL, Severity.HIGH, "post:5")
    assert r.evidence.excerpt == "Megan Price-Jones"


def test_pupil_named_without_photo_uses_check_severity_and_reads_alt_text(cfg):
    post = Post("6", "Science fair winners", media=(Media("m", "photo", alt_text="#MeganPriceJones with her cup"),))
    [r] = run(pupil_named, cfg, [post])
    assert r.status is Status.FAIL and r.evidence.excerpt == "#MeganPriceJones"
    [r] = run(pupil_named, cfg, [Post("7", "Megan Price-Jones came first")])
    assert r.status is Status.FAIL and r.severity is None


def test_pupil_with_consent_and_staff_pass(cfg):
    posts = [Post("1", "Zoe Ellis won the cup"), Post("2", "Thanks to Mrs Megan Price-Jones")]
    [r] = run(pupil_named, cfg, posts)
    assert r.status is Status.PASS and "roster of 2 pupils" in r.reason


def test_pupil_named_nothing_to_check(cfg):
    assert run(pupil_named, cfg, [], roster=None, profile=Profile(username="ScienceIHS", bio="")) == []


def test_missing_roster_is_not_verified_never_pass(cfg, tmp_path):
    [r] = run(pupil_named, cfg, [Post("1", "Hello")], roster=None)
    assert r.status is Status.ERROR and "no pupil roster is configured" in r.reason
    error = RosterError(f"the pupil roster {tmp_path / 'pupils.csv'} does not exist")
    [r] = run(pupil_named, cfg, [Post("1", "Hello")], roster=error)
    assert (
        r.status is Status.ERROR
        and r.reason.startswith("Not verified: the pupil roster")
        and "does not exist" in r.reason
    )


def test_services_build_reads_roster_or_keeps_the_reason(tmp_path, cfg):
    assert build_services(cfg, offline=True).roster is None
    missing = dataclasses.replace(cfg, roster=tmp_path / "nope.csv")
    assert isinstance(build_services(missing, offline=True).roster, RosterError)
    (tmp_path / "ok.csv").write_text("forename,surname,photo_consent\nMegan,Price-Jones,no\n", encoding="utf-8")
    assert isinstance(build_services(dataclasses.replace(cfg, roster=tmp_path / "ok.csv"), offline=True).roster, Roster)


def test_staff_and_places_from_the_config_reach_the_roster_through_services(tmp_path):
    roster_csv = tmp_path / "pupils.csv"
    roster_csv.write_text("forename,surname,photo_consent\nCatrin,Evans,no\nMorgan,Jones,no\n", encoding="utf-8")
    cfg = config_mod.load(
        write_config(
            tmp_path,
            f"""
            [[accounts]]
            handle = "@ScienceIHS"
            platform = "x-archive"
            department = "Science"
            source = "archive"

            [safeguarding]
            roster = "{roster_csv.name}"
            staff = ["Mrs Catrin Evans"]
            places = ["Jones Fields"]
            """,
        )
    )
    assert (cfg.staff, cfg.places) == (("Mrs Catrin Evans",), ("Jones Fields",))
    roster = build_services(cfg, offline=True).roster
    posts = [Post("1", "Catrin Evans ran the staff quiz"), Post("2", "Match at Morgan Jones Fields")]
    [r] = run(pupil_named, cfg, posts, roster=roster)
    assert r.status is Status.PASS
    [r] = run(pupil_named, cfg, [Post("3", "Diolch i Gatrin Evans o Flwyddyn 8")], roster=roster)
    assert r.status is Status.FAIL and r.evidence.excerpt == "Gatrin Evans"


def test_staff_and_places_must_be_lists_of_text(tmp_path):
    with pytest.raises(config_mod.ConfigError, match=r"staff.*expected a list of text"):
        config_mod.load(
            write_config(
                tmp_path,
                """
                [[accounts]]
                handle = "@ScienceIHS"
                platform = "x-archive"
                department = "Science"
                source = "archive"

                [safeguarding]
                staff = "Mrs Catrin Evans"
                """,
            )
        )


def test_personal_info_reads_welsh_and_disguised_details(cfg):
    posts = [
        Post("1", "Ganwyd hi ar 12fed o Fawrth 2013"),
        Post("2", "Email jo dot bloggs at gmail dot com"),
        Post("3", "Ymholiadau@caerffili.gov.uk, neu ffoniwch y ganolfan hamdden ar 01443 863072"),
    ]
    results = run(personal_info, cfg, posts)
    assert [(r.status, r.subject) for r in results] == [(Status.FAIL, "post:1"), (Status.FAIL, "post:2")]
    assert results[0].severity is None and results[1].severity is Severity.MEDIUM


# child_photo_consent


def test_photo_with_faces_asks_for_consent(cfg):
    [r] = run(child_photo_consent, cfg, [Post("9", "Science fair", media=(photo(FACE),))])
    assert (r.status, r.subject) == (Status.FAIL, "post:9")
    assert "1 face" in r.reason and "consent" in r.reason


def test_confirmed_consent_clears_the_photo(cfg):
    posts = [Post("77", "Choir", media=(photo(FACE),)), Post("8", "Band", media=(photo(FACE, "media-88"),))]
    results = run(child_photo_consent, cfg, posts)
    assert [r.status for r in results] == [Status.PASS, Status.PASS]
    assert "confirmed" in results[0].reason


def test_photos_without_faces_pass(cfg):
    [r] = run(child_photo_consent, cfg, [Post("9", "The new lab", media=(photo(SCENE),)), Post("10", "text only")])
    assert r.status is Status.PASS and "1 post" in r.reason


def test_unfetched_or_unreadable_photo_is_not_verified(cfg, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not a jpeg")
    posts = [Post("1", "a", media=(photo(None),)), Post("2", "b", media=(photo(bad),))]
    results = run(child_photo_consent, cfg, posts)
    assert [r.status for r in results] == [Status.ERROR, Status.ERROR]
    assert "could not be fetched" in results[0].reason and "not an image" in results[1].reason


def test_faces_in_one_photo_fail_even_if_another_is_unreadable(cfg):
    [r] = run(child_photo_consent, cfg, [Post("1", "a", media=(photo(FACE), photo(None, "m2")))])
    assert r.status is Status.FAIL and "photo 2 could not be fetched" in r.reason


def test_no_photos_nothing_to_check(cfg):
    assert run(child_photo_consent, cfg, [Post("1", "Text only")]) == []


def test_config_rejects_bad_safeguarding_lists(tmp_path):
    path = write_config(
        tmp_path,
        """
        [[accounts]]
        handle = "@ScienceIHS"
        platform = "x-archive"
        department = "Science"
        source = "archive"

        [safeguarding]
        school_contacts = "01495 200000"
        photo_consent_confirmed = [123]
        """,
    )
    with pytest.raises(config_mod.ConfigError) as exc:
        config_mod.load(path)
    text = str(exc.value)
    assert "safeguarding.school_contacts: expected a list of text" in text
    assert "safeguarding.photo_consent_confirmed: expected a list of text" in text


# The roster never leaves memory


def test_roster_never_reaches_database_reports_or_logs(sample, tmp_path, caplog, capsys):
    roster_file = sample.parent / "examples" / "roster.csv"
    with roster_file.open(encoding="utf-8") as fh:
        pupils = [(r["forename"], r["surname"]) for r in csv.DictReader(fh)]
    assert len(pupils) == 300
    out = tmp_path / "report"
    caplog.set_level(logging.DEBUG)
    assert main(["run", "--all", "--config", str(sample), "--out", str(out), "--offline", "--no-email"]) == 1

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    named = [f for f in doc["findings"] if f["check"] == "safeguarding.pupil_named" and f["status"] == "FAIL"]
    # The samples name two pupils without consent: on X (@ScienceIHS) and in a TikTok video's title (@DramaIHS).
    assert sorted(f["evidence"]["excerpt"] for f in named) == ["Megan Price-Jones", "Oscar Gruffydd"]
    matched = {("Megan", "Price-Jones"), ("Oscar", "Gruffydd")}

    outputs = [p for p in tmp_path.rglob("*") if p.is_file() and p != roster_file and "archives" not in p.parts]
    assert any(p.suffix == ".sqlite3" for p in outputs) and any(p.suffix == ".html" for p in outputs)
    printed = capsys.readouterr()
    texts = {str(p): p.read_bytes().decode("utf-8", "replace") for p in outputs if p.name != "config.toml"}
    texts["log records"] = "\n".join(r.getMessage() for r in caplog.records)
    texts["stdout and stderr"] = printed.out + printed.err
    with sqlite3.connect(sample.parent / "auditor.sqlite3") as db:
        texts["database rows"] = "\n".join(str(row) for t in ("findings",) for row in db.execute(f"SELECT * FROM {t}"))
    for where, text in texts.items():
        for forename, surname in pupils:
            if (forename, surname) in matched:
                continue
            assert f"{forename} {surname}" not in text, where
            assert f"{forename},{surname}" not in text, where
        assert "forename,surname,photo_consent" not in text, where
    # The roster file itself is the only copy on disk.
    copies = [p for p in tmp_path.rglob("*") if p.is_file() and b"forename,surname,photo_consent" in p.read_bytes()]
    assert copies == [roster_file]


def test_config_check_warns_about_the_roster_without_naming_pupils(sample, tmp_path, capsys):
    assert main(["config", "check", "--config", str(sample)]) == 0
    assert "roster" not in capsys.readouterr().out  # the samples' roster loads
    roster = sample.parent / "examples" / "roster.csv"
    roster.write_text("forename,surname,photo_consent\nMegan,Price-Jones,maybe\n", encoding="utf-8")
    assert main(["config", "check", "--config", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "line 2: photo_consent must be yes or no; pupil names will be reported as not verified" in out
    assert "Megan" not in out


class CountingFaces:
    """A face detector service standing in for the real one: the check asks it, and never opens a file itself."""

    def __init__(self, counts: dict[str, int | str]) -> None:
        self.counts = counts
        self.asked: list[tuple[str, str]] = []

    def count_faces(self, path: Path, media_type: str) -> int:
        from auditor.services import UnreadableMedia

        self.asked.append((path.name, media_type))
        answer = self.counts[path.name]
        if isinstance(answer, str):
            raise UnreadableMedia(answer)
        return answer


def test_the_photo_check_asks_the_face_service_and_opens_no_file(cfg, tmp_path):
    faces = CountingFaces({"group.jpg": 2, "broken.jpg": "could not be decoded", "empty.jpg": 0})
    posts = [
        Post("1", "Sports day", media=(photo(tmp_path / "group.jpg", "m1"),)),  # files that do not exist: never opened
        Post("2", "Our new lab", media=(photo(tmp_path / "broken.jpg", "m2"),)),
        Post("3", "The hall", media=(photo(tmp_path / "empty.jpg", "m3"),)),
    ]
    ctx = dataclasses.replace(context(cfg, PROFILE, posts), services=Services(roster=ROSTER, faces=faces))
    results = {r.subject: r for r in child_photo_consent(ctx)}
    assert faces.asked == [("group.jpg", "photo"), ("broken.jpg", "photo"), ("empty.jpg", "photo")]
    assert results["post:1"].status is Status.FAIL and "2 faces" in results["post:1"].reason
    assert results["post:2"].status is Status.ERROR and "could not be decoded" in results["post:2"].reason
    assert "post:3" not in results  # no face: nothing to confirm


class StartedFaces(CountingFaces):
    """A detector service that can work ahead, as the one with worker processes does."""

    def __init__(self, counts: dict[str, int | str]) -> None:
        super().__init__(counts)
        self.started: list[tuple[str, str]] = []

    def start(self, files) -> None:
        assert not self.asked, "every file is handed over before the first answer is read"
        self.started.extend((path.name, kind) for path, kind in files)


def test_the_photo_check_hands_every_file_to_the_detector_before_reading_an_answer(cfg, tmp_path):
    faces = StartedFaces({"a.jpg": 1, "b.mp4": 0, "c.jpg": 0})
    posts = [
        Post("1", "Sports day", media=(photo(tmp_path / "a.jpg", "m1"), photo(tmp_path / "b.mp4", "m2", "video"))),
        Post("77", "Consent confirmed for this post", media=(photo(tmp_path / "x.jpg", "m3"),)),
        Post("2", "Not downloaded", media=(photo(None, "m4"), photo(tmp_path / "c.jpg", "m5"))),
    ]
    ctx = dataclasses.replace(context(cfg, PROFILE, posts), services=Services(roster=ROSTER, faces=faces))
    results = {r.subject: r for r in child_photo_consent(ctx)}
    assert faces.started == [("a.jpg", "photo"), ("b.mp4", "video"), ("c.jpg", "photo")]
    assert faces.asked == faces.started  # answers read in the same order, each once
    assert results["post:1"].status is Status.FAIL
    assert results["post:2"].status is Status.ERROR and "could not be fetched" in results["post:2"].reason
