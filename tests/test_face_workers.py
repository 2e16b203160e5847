"""Faces found in worker processes (`auditor.services.LocalFaces` with workers): the same answers, and the same
"not verified" words, as in the run's own thread; a worker that dies leaves one file not verified, never a pass."""

from __future__ import annotations

import os
import signal
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from auditor import config as config_mod
from auditor.services import LocalFaces, UnreadableMedia
from auditor.services import build as build_services
from auditor.settings import Config, limits
from benchmarks import faces as bench
from tests.conftest import write_config
from tests.test_config_loader import ACCOUNT

REPO = Path(__file__).resolve().parent.parent


def _png_stating(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    crop = bench.face_crops()[0][0]
    scene = cv2.resize(cv2.imread(str(bench._skimage_data() / "coffee.png")), (1600, 1200))
    people = scene.copy()
    people[400 : 400 + crop.shape[0], 700 : 700 + crop.shape[1]] = crop
    out = {"people": folder / "people.jpg", "scene": folder / "scene.jpg"}
    cv2.imwrite(str(out["people"]), people)
    cv2.imwrite(str(out["scene"]), scene)
    out["tiny"] = folder / "tiny.png"
    cv2.imwrite(str(out["tiny"]), np.zeros((12, 16, 3), np.uint8))
    out["junk"] = folder / "junk.jpg"
    out["junk"].write_bytes(b"<html>not a photo</html>")
    out["huge"] = folder / "huge.png"
    out["huge"].write_bytes(_png_stating(9_000, 9_000))
    out["missing"] = folder / "missing.jpg"
    return out


def answer(faces: LocalFaces, path: Path) -> int | str:
    try:
        return faces.count_faces(path, "photo")
    except UnreadableMedia as exc:
        return f"not verified: {exc}"


def test_workers_give_the_answers_and_words_of_the_run_s_own_thread(files):
    here = LocalFaces(0)
    workers = LocalFaces(2)
    try:
        workers.start((path, "photo") for path in files.values())
        assert len(workers._started) == len(files)  # all handed over before any answer is read
        in_workers = {name: answer(workers, path) for name, path in files.items()}
        assert not workers._started  # each answer collected once
    finally:
        workers.close()
    in_thread = {name: answer(here, path) for name, path in files.items()}
    assert in_workers == in_thread
    assert in_thread["people"] == 1 and in_thread["scene"] == 0
    assert in_thread["tiny"] == "not verified: is only 16x12 pixels, too small to look for faces"
    assert in_thread["junk"] == "not verified: is not an image that can be opened"
    assert in_thread["huge"] == "not verified: is 9000x9000 pixels, too large to examine"
    assert in_thread["missing"] == "not verified: is missing"


def test_a_worker_that_dies_leaves_the_photo_not_verified_and_the_next_is_examined(files, monkeypatch):
    faces = LocalFaces(1)
    try:
        assert faces.count_faces(files["people"], "photo") == 1
        assert faces._pool is not None
        for pid in list(faces._pool._processes):  # as the system would on running out of memory
            os.kill(pid, signal.SIGKILL)
        # The dead worker fails what it held; the file is tried once more in new workers and is examined.
        assert faces.count_faces(files["people"], "photo") == 1
        # A file that stops the workers every time is not verified, and the run goes on.
        killer = faces._submit

        def dying(item):
            future = killer(item)
            assert faces._pool is not None
            for pid in list(faces._pool._processes):
                os.kill(pid, signal.SIGKILL)
            return future

        monkeypatch.setattr(faces, "_submit", dying)
        with pytest.raises(UnreadableMedia, match="could not be examined: the face detector stopped"):
            faces.count_faces(files["scene"], "photo")
        monkeypatch.undo()
        assert faces.count_faces(files["scene"], "photo") == 0
    finally:
        faces.close()
    assert faces._pool is None


def test_face_workers_are_configured_in_the_safeguarding_section(tmp_path):
    default, lo, hi = limits(Config, "face_workers")
    assert (default, lo) == (1, 0)
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT))
    assert cfg.face_workers == 1
    services = build_services(cfg, offline=True)
    assert isinstance(services.faces, LocalFaces) and services.faces.workers == 1
    cfg = config_mod.load(write_config(tmp_path, ACCOUNT + "\n[safeguarding]\nface_workers = 0\n"))
    assert cfg.face_workers == 0
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.load(write_config(tmp_path, ACCOUNT + f"\n[safeguarding]\nface_workers = {hi + 1}\n"))
    [problem] = err.value.problems
    assert f"safeguarding.face_workers: expected a number from {lo} to {hi}, found {hi + 1}" in problem


@pytest.mark.skipif(not os.confstr("CS_GNU_LIBC_VERSION"), reason="glibc only")
def test_a_face_worker_keeps_photo_sized_blocks_for_the_next_photo():
    import subprocess
    import sys

    code = "from auditor import memory, services; services._worker_setup(); print(memory.keep_large_blocks())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "True"
