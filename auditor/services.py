"""Services a run hands to its checks, built once per run: checks do no I/O of their own except through these.

Each service is a protocol, so a test hands a check a stand-in: `LinkJudge` (the link safety engine), `Roster` (the
pupils, read into memory) and `FaceDetector` (faces in a photo or video). Each is optional: a check whose service is
missing (not configured, or --offline where it needs the network) reports "not verified", never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

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
    """The face detector that runs here (`auditor.faces`), in `workers` separate processes (0: in the run's own thread).

    The detector holds Python's interpreter lock while it works, a quarter to a half second a photo, so in the run's
    own process it would stall the run's thread and every fetch thread with it; in a worker process it holds neither.
    A check that will ask about several files hands them all to `start` first, so that the workers are busy while it
    reads the answers in order. The answers are the same wherever the detector runs, and a file it cannot examine is
    UnreadableMedia with the same words. The workers are started the first time a photo is examined (listing the checks
    or reading the config never pays for OpenCV and the detector's model) and stopped by `close`."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._started: dict[tuple[Path, str], Future[tuple[int, str | None]]] = {}

    def start(self, files: Iterable[tuple[Path, str]]) -> None:
        """Begin examining these (path, media type) pairs in the workers; `count_faces` collects each answer."""
        if self.workers < 1:
            return
        try:
            for item in files:
                if item not in self._started:
                    self._started[item] = self._submit(item)
        except BrokenExecutor:  # a worker died: `count_faces` starts new ones and says which file it was
            self._stop()

    def count_faces(self, path: Path, media_type: str) -> int:
        if self.workers < 1:
            count, problem = _examine(path, media_type)
        else:
            count, problem = self._answer(path, media_type)
        if problem is not None:
            raise UnreadableMedia(problem)
        return count

    def _answer(self, path: Path, media_type: str) -> tuple[int, str | None]:
        future = self._started.pop((path, media_type), None)
        for _ in range(2):
            try:
                return (future or self._submit((path, media_type))).result()
            except BrokenExecutor:
                # A worker died (the system ran out of memory, say), and every file in hand fails with it. New
                # workers try this file once more on its own: if it stops them again, it is this file.
                self._stop()
                future = None
        return 0, "could not be examined: the face detector stopped while reading it"

    def _submit(self, item: tuple[Path, str]) -> Future[tuple[int, str | None]]:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Spawned, not forked: the run has threads (fetches, the link engine), and a fork copies their locks.
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_setup
            )
        return self._pool.submit(_examine, *item)

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        for future in self._started.values():
            future.cancel()
        self._started.clear()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._stop()


def _worker_setup() -> None:
    """In each worker process: OpenCV on one thread, as the detector is (auditor/faces.py), since the workers are the
    parallelism and OpenCV's own threads on top of them only contend for the same cores; and freed photo-sized blocks
    kept for the next photo rather than given back and faulted in again (auditor/memory.py)."""
    import cv2

    from auditor import memory

    cv2.setNumThreads(1)
    memory.keep_large_blocks()


def _examine(path: Path, media_type: str) -> tuple[int, str | None]:
    """Faces in one file, or why it could not be examined (`auditor.faces.FaceError`'s words): run by a worker
    process, or in the run's own thread with no workers."""
    from auditor import faces

    try:
        return faces.detect_faces(path, media_type).count, None
    except faces.FaceError as exc:
        return 0, str(exc)


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
        for service in (self.links, self.roster, self.faces):
            close = getattr(service, "close", None)
            if callable(close):
                close()


def build(config: Config, *, offline: bool, link_engine: Callable[..., Any] | None = None) -> Services:
    """The services this run's checks need, from the config. The runner hands in the link engine's factory
    (`auditor.links.build_engine`), so that checks, which import this module for `Services`, never load the engine,
    the network layer and requests; without one, links are "not verified". The lookalike search is added by the
    runner, for the same reason, only in a live run where an account asks for it."""
    links = link_engine(config, offline=offline) if link_engine is not None else None
    return Services(roster=_roster(config), links=links, faces=LocalFaces(config.face_workers))


def _roster(config: Config) -> Roster | Exception | None:
    """The pupil roster; a RosterError (saying why, naming no pupil) when it cannot be read; None if not configured."""
    from auditor.text import names

    if config.roster is None:
        return None
    try:
        return names.Roster.load(config.roster, config.staff, config.places)
    except names.RosterError as exc:
        return exc
