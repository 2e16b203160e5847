"""What a photo file says about itself (SMP-2.4): where it was taken (its GPS EXIF block) and its size in pixels.

Read with Pillow from the file's header and EXIF only: the pixels are never decoded, so a huge or hostile file costs
no more than its header. Checks never call this directly; they use the `PhotoMetadata` service (`auditor.services`).
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

GPS_IFD = 0x8825  # the EXIF pointer to the GPS block
_LAT_REF, _LAT, _LON_REF, _LON = 1, 2, 3, 4  # GPS tags: GPSLatitudeRef, GPSLatitude, GPSLongitudeRef, GPSLongitude


class PhotoMetaError(Exception):
    """The file could not be read as a photo; the message says why, in words for a report."""


@dataclass(frozen=True)
class PhotoFacts:
    location: tuple[float, float] | None  # (latitude, longitude) in degrees, when the file records where it was taken
    width: int | None
    height: int | None
    # Why the GPS block's position could not be read, when it holds one that cannot: where it was taken is unknown,
    # which is never the same as "records no place".
    unreadable_location: str | None = None


def read_photo(path: Path) -> PhotoFacts:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # The size is read from the header; a huge photo is a finding of its own, not a reason to stop.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if image.format == "PNG" and "exif" not in image.info:
                    # Pillow's PNG reader decodes every pixel to look for an eXIf chunk after the image data: a small
                    # file can make that hundreds of megabytes. The chunks are walked instead, never decoded.
                    exif = Image.Exif()
                    exif.load(_png_exif_after_data(path) or b"")
                    gps = exif.get_ifd(GPS_IFD)
                else:
                    gps = image.getexif().get_ifd(GPS_IFD)
    except Image.DecompressionBombError as exc:
        raise PhotoMetaError(f"is too large to examine safely ({exc})") from None
    except UnidentifiedImageError:
        raise PhotoMetaError("is not in a photo format this auditor can read") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # SyntaxError: Pillow's word for a corrupt header
        raise PhotoMetaError(f"could not be read ({exc})") from None
    try:
        location = _location(gps)
    except PhotoMetaError as exc:
        return PhotoFacts(None, width or None, height or None, unreadable_location=str(exc))
    return PhotoFacts(location, width or None, height or None)


MAX_PNG_CHUNKS = 100_000
MAX_EXIF_BYTES = 1024 * 1024


def _png_exif_after_data(path: Path) -> bytes | None:
    """The eXIf chunk of a PNG whose EXIF comes after its image data, found by reading chunk headers only."""
    with path.open("rb") as f:
        f.seek(8)  # the signature, which Pillow has checked
        for _ in range(MAX_PNG_CHUNKS):
            header = f.read(8)
            if len(header) < 8:
                return None  # cut short before IEND: Pillow read its header, the rest is lost
            length, kind = struct.unpack(">I4s", header)
            if kind == b"IEND":
                return None
            if kind == b"eXIf":
                if length > MAX_EXIF_BYTES:
                    raise OSError(f"its EXIF block is {length} bytes long, far more than a photo's")
                return f.read(length)
            f.seek(length + 4, 1)  # the chunk's data and its CRC
    raise OSError(f"it has more than {MAX_PNG_CHUNKS} chunks, which no photo has")


def _location(gps: object) -> tuple[float, float] | None:
    """Latitude and longitude from a GPS block, or None when it holds no usable position (only a timestamp, or the
    zeros some tools write when they remove a location)."""
    if not isinstance(gps, dict) or not gps:
        return None
    if gps.get(_LAT) is None or gps.get(_LON) is None:
        return None
    lat = _degrees(gps.get(_LAT), gps.get(_LAT_REF), "S")
    lon = _degrees(gps.get(_LON), gps.get(_LON_REF), "W")
    if lat is None or lon is None:
        # A latitude and longitude are written but one cannot be read (a 0/0 rational for the seconds, a negative
        # part, text): the rest of it may still say where the photo was taken, so it is never taken for no position.
        raise PhotoMetaError("has a GPS position that cannot be read (a broken value such as 0/0)")
    if lat == 0 and lon == 0:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 6), round(lon, 6)


def _degrees(value: object, ref: object, negative: str) -> float | None:
    """Degrees from EXIF's (degrees, minutes, seconds) rationals."""
    if not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(v) for v in value]  # Pillow's IFDRational reads as a float (NaN for 0/0)
    except (ValueError, ZeroDivisionError, TypeError, OverflowError):
        return None
    if any(p != p or p < 0 for p in parts):  # NaN (a 0/0 rational) or negative: not a position
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    south_or_west = isinstance(ref, str) and ref.strip().upper() == negative
    return float(-degrees if south_or_west else degrees)
