"""Faces in photos and videos, detected offline with OpenCV's Haar cascades (shipped inside the opencv wheel).

Used by `safeguarding.child_photo_consent` (SMP-2.4): a photo with faces needs the owner to confirm written parental
consent. A file that cannot be read, or is too small to hold a recognisable face, is "not verified", never "no faces".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

# The cascade's own window is 24x24 pixels: a smaller image cannot be searched at all.
MIN_SIDE = 24
# Large photos are scaled down first: faces stay far above the window size and detection takes milliseconds.
MAX_SIDE = 800
VIDEO_FRAMES = 5


class FaceError(Exception):
    """The file could not be examined. The message completes "the photo ...": "is only 16x12 pixels, ..."."""


@dataclass(frozen=True)
class Faces:
    count: int
    width: int
    height: int


# Two frontal-face cascades trained differently: each finds faces the other misses.
CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml")


@functools.cache
def _cascades() -> tuple[cv2.CascadeClassifier, ...]:
    loaded = []
    for name in CASCADES:
        # cv2.data.haarcascades names this folder; it has no type stubs, so the path is built from the package itself.
        path = Path(cv2.__file__).parent / "data" / name
        cascade = cv2.CascadeClassifier(str(path))
        if cascade.empty():
            raise FaceError(f"the face detector could not be loaded from {path}")
        loaded.append(cascade)
    return tuple(loaded)


def _count(image: np.ndarray) -> int:
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    height, width = grey.shape[:2]
    scale = MAX_SIDE / max(height, width)
    if scale < 1:
        grey = cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    # A light blur removes JPEG block edges, which break up the cascades' light/dark features. The blur, the finer
    # scale step and 4 neighbours were chosen on the tuning half of tests/data/eval (docs/safeguarding-checks.md): the
    # most faces found with no false alarm on scenes.
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    counts = [
        len(c.detectMultiScale(grey, scaleFactor=1.05, minNeighbors=4, minSize=(MIN_SIDE, MIN_SIDE)))
        for c in _cascades()
    ]
    return max(counts)  # the same face is usually found by both: the larger count, not the sum


def detect_faces(path: Path, media_type: str = "photo") -> Faces:
    """Count faces in an image, or in a few frames spread through a video (the most found in one frame)."""
    if not path.is_file():
        raise FaceError("is missing")
    if media_type in ("video", "animated_gif"):
        return _video(path)
    data = np.fromfile(str(path), dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise FaceError("is not an image that can be opened")
    height, width = image.shape[:2]
    if min(height, width) < MIN_SIDE:
        raise FaceError(f"is only {width}x{height} pixels, too small to look for faces")
    return Faces(_count(image), width, height)


def _video(path: Path) -> Faces:
    capture = cv2.VideoCapture(str(path))
    try:
        total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if not capture.isOpened() or total <= 0:
            raise FaceError("cannot be opened as a video")
        most, size = 0, (0, 0)
        for n in range(VIDEO_FRAMES):
            capture.set(cv2.CAP_PROP_POS_FRAMES, n * total // VIDEO_FRAMES)
            ok, frame = capture.read()
            if not ok:
                continue
            size = (frame.shape[1], frame.shape[0])
            if min(size) >= MIN_SIDE:
                most = max(most, _count(frame))
        if size == (0, 0):
            raise FaceError("has no frame that can be read")
        if min(size) < MIN_SIDE:
            raise FaceError(f"is only {size[0]}x{size[1]} pixels, too small to look for faces")
        return Faces(most, *size)
    finally:
        capture.release()
