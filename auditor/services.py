"""Services a run hands to its checks, built once per run: checks do no I/O of their own except through these.

Each service is a protocol, so a test hands a check a stand-in: `LinkJudge` (the link safety engine), `Roster` (the
pupils, read into memory) and `FaceDetector` (faces in a photo or video). Each is optional: a check whose service is
missing (not configured, or --offline where it needs the network) reports "not verified", never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from auditor.links.verdicts import LinkVerdict
    from auditor.model import Account
    from auditor.photometa import PhotoFacts
    from auditor.settings import Config
    from auditor.text.lookalike import Lookalike
    from auditor.text.names import NameMatch


class LinkJudge(Protocol):
    """Judges links (SMP-2.5): the link safety engine, or a stand-in in tests."""

    def judge_many(self, urls: Iterable[str]) -> Mapping[str, LinkVerdict]: ...


class Roster(Protocol):
    """The school's pupils and whether their parents consented (SMP-2.4), read into memory: `auditor.text.names`."""

    def find(self, text: str) -> list[NameMatch]:
        """Every pupil named in the text, as written there."""
        ...

    def __len__(self) -> int: ...


class UnreadableMedia(Exception):
    """A photo or video could not be examined; the message says why, in words for the report."""


class FaceDetector(Protocol):
    """Counts faces in a downloaded photo or video (SMP-2.4), so the check itself never opens a file."""

    def count_faces(self, path: Path, media_type: str) -> int:
        """How many faces the file shows; UnreadableMedia when it cannot be examined."""
        ...


class LocalFaces:
    """The face detector that runs here (`auditor.faces`), loaded the first time a photo is examined, so listing the
    checks or reading the config never pays for OpenCV and the detector's model."""

    def count_faces(self, path: Path, media_type: str) -> int:
        from auditor import faces

        try:
            return faces.detect_faces(path, media_type).count
        except faces.FaceError as exc:
            raise UnreadableMedia(str(exc)) from None


class PhotoMetadata(Protocol):
    """Reads what a downloaded photo says about itself (SMP-2.4): where it was taken and its size in pixels."""

    def read(self, path: Path) -> PhotoFacts:
        """The photo's facts; UnreadableMedia when the file cannot be read as a photo."""
        ...


class LocalPhotoMetadata:
    """The photo reader that runs here (`auditor.photometa`, Pillow), loaded the first time a photo is examined."""

    def read(self, path: Path) -> PhotoFacts:
        from auditor import photometa

        try:
            return photometa.read_photo(path)
        except photometa.PhotoMetaError as exc:
            raise UnreadableMedia(str(exc)) from None


class LookalikeFinder(Protocol):
    """Searches a platform's public account search for accounts that look like the school's (connectors/lookalikes.py).

    `lookalikes` raises `auditor.net.errors.FetchError` with a plain reason when the platform's search failed."""

    def searchable(self, account: Account) -> bool: ...

    def lookalikes(self, account: Account) -> Sequence[Lookalike]: ...


@dataclass(frozen=True)
class Services:
    links: LinkJudge | None = None  # the link safety engine (SMP-2.5)
    # The pupil roster, read into memory only (SMP-2.4), or the error saying why it could not be read (naming no
    # pupil); None when none is configured. Checks ask `pupils` and `roster_problem` rather than look at its type.
    roster: Roster | Exception | None = None
    faces: FaceDetector = field(default_factory=LocalFaces)  # photos and videos (SMP-2.4)
    photos: PhotoMetadata = field(default_factory=LocalPhotoMetadata)  # photos' location and size (SMP-2.4)

    # Impersonation: set only in a live run where an account asks for it (`lookalikes = "search"`).
    lookalikes: LookalikeFinder | None = None

    @property
    def pupils(self) -> Roster | None:
        """The roster, when one is configured and could be read."""
        return None if isinstance(self.roster, Exception) else self.roster

    @property
    def roster_problem(self) -> str | None:
        """Why pupils' names cannot be looked for, in words for a finding; None when the roster is there."""
        if self.roster is None:
            return "no pupil roster is configured ([safeguarding] roster in config.toml)"
        if isinstance(self.roster, Exception):
            return str(self.roster)
        return None

    def close(self) -> None:
        for service in (self.links, self.roster):
            close = getattr(service, "close", None)
            if callable(close):
                close()


def build(config: Config, *, offline: bool, link_engine: Callable[..., Any] | None = None) -> Services:
    """The services this run's checks need, from the config. The runner hands in the link engine's factory
    (`auditor.links.build_engine`), so that checks, which import this module for `Services`, never load the engine,
    the network layer and requests; without one, links are "not verified". The lookalike search is added by the
    runner, for the same reason, only in a live run where an account asks for it."""
    links = link_engine(config, offline=offline) if link_engine is not None else None
    return Services(roster=_roster(config), links=links)


def _roster(config: Config) -> Roster | Exception | None:
    """The pupil roster; a RosterError (saying why, naming no pupil) when it cannot be read; None if not configured."""
    from auditor.text import names

    if config.roster is None:
        return None
    try:
        return names.Roster.load(config.roster, config.staff, config.places)
    except names.RosterError as exc:
        return exc
