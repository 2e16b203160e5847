"""Face detection on real photographs: the detector in use (libfacedetection, `auditor.faces`) against OpenCV's Haar
cascades (the detector it replaced), on photos that ship inside packages and composites built from them.

    .venv/bin/python benchmarks/faces.py                 # the held-out half: the figures to report
    .venv/bin/python benchmarks/faces.py --split tune    # the half the score threshold was chosen on
    .venv/bin/python benchmarks/faces.py --speed [--photos 6] [--repeats 3]   # photos/s at 1600x1200 and 4000x3000
    .venv/bin/python benchmarks/faces.py --speed --workers 2   # the same through the run's face service, 2 processes
    .venv/bin/python benchmarks/faces.py --levers        # detection with photos shrunk first (reduced decoding)

`--speed` times `auditor.faces.detect_faces` on JPEG files (decoding included) at the two sizes the issue names: a
platform-sized 1600x1200 and a phone's 4000x3000, half with people (faces 40 to 200 pixels wide pasted into the
sample scenes), half without, in the process's CPU time on one core; it prints min, median and max photos per second
of the repeats, with recall (photos with people flagged), false alarms (photos without people flagged) and faces of
40 pixels and more found beside. Run it as `taskset -c 1 ...` for one core.

Nothing is downloaded and no image is committed: every photo is built at run time from scikit-image's and
matplotlib's sample data (in the `test` extra). People: scikit-image's astronaut (Eileen Collins) and cameraman,
matplotlib's Grace Hopper, and the 100 faces of scikit-image's subset of Labeled Faces in the Wild. Scenes without
people: coffee, coins, grass, gravel, brick, a cat, a horse, a rocket, a motorcycle, the Hubble deep field, the moon,
a retina, cells, text and more. Composites paste faces 40 to 200 pixels wide into scenes enlarged to phone-photo
sizes (up to 3,000 pixels), some tilted by up to 30 degrees, some darkened, some mirrored; scenes without people are
shown alone and as mosaics of four. Each item is tune or held-out in turn.

A photo counts as flagged when the detector finds any face in it; a face counts as found when a detection's centre
falls inside it (or its centre inside the detection).
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auditor import faces  # noqa: E402
from benchmarks.accuracy import wilson  # noqa: E402

Rect = tuple[int, int, int, int]  # x, y, width, height
Detector = Callable[[np.ndarray], list[Rect]]
# Faces in the sample photos, found by eye: x, y, width, height.
PEOPLE = {"astronaut.png": (178, 63, 89, 112), "camera.png": (195, 113, 60, 80)}
GRACE_HOPPER = (182, 121, 171, 211)
SCENES = (
    "coffee.png", "coins.png", "grass.png", "gravel.png", "brick.png", "chelsea.png", "horse.png", "rocket.jpg",
    "motorcycle_left.png", "motorcycle_right.png", "hubble_deep_field.jpg", "moon.png", "retina.jpg", "cell.png",
    "ihc.png", "page.png", "text.png", "logo.png", "clock_motion.png", "color.png", "chessboard_RGB.png",
)  # fmt: skip
MIN_FACE = 40


@dataclass
class Photo:
    name: str
    image: np.ndarray
    faces: list[Rect] = field(default_factory=list)  # empty: a scene without people
    split: str = "tune"


def _skimage_data() -> Path:
    import skimage

    return Path(skimage.__file__).parent / "data"


def _read(path: Path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"cannot read the sample photo {path}")
    return image


@functools.cache
def face_crops() -> list[tuple[np.ndarray, Rect]]:
    """Real faces with a margin around them, each with its face's box inside the crop."""
    crops = []
    sources = [(_read(_skimage_data() / name), box) for name, box in PEOPLE.items()]
    import matplotlib

    hopper = Path(matplotlib.__file__).parent / "mpl-data" / "sample_data" / "grace_hopper.jpg"
    sources.append((_read(hopper), GRACE_HOPPER))
    for image, (x, y, w, h) in sources:
        mx, my = w // 2, h // 2
        top, left = max(0, y - my), max(0, x - mx)
        crop = image[top : y + h + my, left : x + w + mx]
        crops.append((crop, (x - left, y - top, w, h)))
    lfw = np.load(_skimage_data() / "lfw_subset.npy")[:100]  # the first 100 are faces, the rest are not
    for face in lfw:
        grey = (face * 255).astype(np.uint8)
        crops.append((cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), (0, 0, grey.shape[1], grey.shape[0])))
    return crops


@functools.cache
def scenes() -> list[np.ndarray]:
    import matplotlib

    out = [_read(_skimage_data() / name) for name in SCENES]
    sample = Path(matplotlib.__file__).parent / "mpl-data" / "sample_data"
    out.append(_read(sample / "Minduka_Present_Blue_Pack.png"))
    return out


def _canvas(rnd: random.Random, long_side: int) -> np.ndarray:
    scene = rnd.choice(scenes())
    height, width = scene.shape[:2]
    scale = long_side / max(height, width)
    return cv2.resize(scene, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_CUBIC)


def _paste(canvas: np.ndarray, rnd: random.Random, crop: np.ndarray, box: Rect, face_width: int) -> Rect | None:
    """Paste a face `face_width` pixels wide at a free random place; maybe tilted, darkened or mirrored."""
    x, y, w, h = box
    scale = face_width / w
    piece = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    fx, fy, fw, fh = round(x * scale), round(y * scale), round(w * scale), round(h * scale)
    if rnd.random() < 0.3:
        piece, fx = cv2.flip(piece, 1), piece.shape[1] - fx - fw
    if rnd.random() < 0.35:
        angle = rnd.uniform(-30, 30)
        centre = (fx + fw / 2, fy + fh / 2)
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        piece = cv2.warpAffine(piece, matrix, (piece.shape[1], piece.shape[0]), borderMode=cv2.BORDER_REFLECT)
    if rnd.random() < 0.25:
        piece = np.clip(piece.astype(np.float32) * rnd.uniform(0.3, 0.5), 0, 255).astype(np.uint8)
    ph, pw = piece.shape[:2]
    height, width = canvas.shape[:2]
    if pw >= width or ph >= height:
        return None
    left, top = rnd.randint(0, width - pw), rnd.randint(0, height - ph)
    canvas[top : top + ph, left : left + pw] = piece
    return (left + fx, top + fy, fw, fh)


def photos(count: int = 60, seed: int = 14) -> list[Photo]:
    """The evaluation photos: the real ones as they are, then `count` composites with people and `count` without."""
    rnd = random.Random(seed)
    out: list[Photo] = []
    for name, box in PEOPLE.items():
        out.append(Photo(name, _read(_skimage_data() / name), [box]))
    for n, scene in enumerate(scenes()):
        out.append(Photo(f"scene-{n:02d}", scene))
    crops = face_crops()
    for n in range(count):
        canvas = _canvas(rnd, rnd.choice([800, 1200, 1600, 2400, 3000]))
        placed = []
        for _ in range(rnd.choice([1, 1, 2, 3])):
            crop, box = rnd.choice(crops[:3]) if rnd.random() < 0.4 else rnd.choice(crops[3:])
            rect = _paste(canvas, rnd, crop, box, rnd.randint(MIN_FACE, 200))
            if rect is not None and not any(_overlaps(rect, other) for other in placed):
                placed.append(rect)
        out.append(Photo(f"people-{n:02d}", canvas, placed))
    for n in range(count):
        if n % 2:
            canvas = _canvas(rnd, rnd.choice([800, 1600, 3000]))
        else:
            quarter = [_canvas(rnd, 800)[:600, :800] for _ in range(4)]
            quarter = [cv2.resize(q, (800, 600)) for q in quarter]
            canvas = np.vstack([np.hstack(quarter[:2]), np.hstack(quarter[2:])])
        out.append(Photo(f"no-people-{n:02d}", canvas))
    for n, photo in enumerate(out):
        photo.split = "tune" if n % 2 == 0 else "heldout"
    return [p for p in out if p.faces or p.name.startswith(("scene", "no-people"))]


def _overlaps(a: Rect, b: Rect) -> bool:
    return not (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1])


def _hit(face: Rect, found: Rect) -> bool:
    fx, fy, fw, fh = face
    dx, dy, dw, dh = found
    inside = fx <= dx + dw / 2 <= fx + fw and fy <= dy + dh / 2 <= fy + fh
    return inside or (dx <= fx + fw / 2 <= dx + dw and dy <= fy + fh / 2 <= dy + dh)


def cnn(min_score: int = faces.MIN_SCORE) -> Detector:
    """The detector in use."""
    return lambda image: [(b.x, b.y, b.width, b.height) for b in faces.find_faces(image, min_score)]


@functools.cache
def _cascades() -> tuple[cv2.CascadeClassifier, ...]:
    folder = Path(cv2.__file__).parent / "data"
    names = ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml")
    return tuple(cv2.CascadeClassifier(str(folder / name)) for name in names)


def haar(image: np.ndarray) -> list[Rect]:
    """The detector replaced, as it ran: shrunk to 800 pixels, blurred, two frontal cascades (the larger count)."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    height, width = grey.shape
    scale = min(1.0, 800 / max(height, width))
    if scale < 1:
        grey = cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    best: list[Rect] = []
    for cascade in _cascades():
        found = cascade.detectMultiScale(grey, scaleFactor=1.05, minNeighbors=4, minSize=(24, 24))
        rects = [tuple(round(v / scale) for v in r) for r in found]
        if len(rects) > len(best):
            best = rects  # type: ignore[assignment]
    return best


@dataclass
class Result:
    with_people: int = 0
    flagged_with_people: int = 0
    without_people: int = 0
    flagged_without_people: int = 0
    faces: int = 0
    faces_found: int = 0
    seconds: float = 0.0

    def line(self, label: str) -> str:
        tp, fp = self.flagged_with_people, self.flagged_without_people
        p_lo, p_hi = wilson(tp, tp + fp)
        r_lo, r_hi = wilson(tp, self.with_people)
        f_lo, f_hi = wilson(self.faces_found, self.faces)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / self.with_people if self.with_people else 1.0
        return (
            f"{label:<18} photos with people flagged {tp}/{self.with_people} (recall {recall:.3f} "
            f"[{r_lo:.3f}, {r_hi:.3f}]); scenes without people flagged {fp}/{self.without_people}; "
            f"precision {precision:.3f} [{p_lo:.3f}, {p_hi:.3f}]; faces >= {MIN_FACE} px found "
            f"{self.faces_found}/{self.faces} ({self.faces_found / max(1, self.faces):.3f} [{f_lo:.3f}, {f_hi:.3f}]); "
            f"{self.seconds / max(1, self.with_people + self.without_people) * 1000:.0f} ms a photo"
        )


def measure(detector: Detector, items: list[Photo]) -> Result:
    result = Result()
    for photo in items:
        start = time.perf_counter()
        found = detector(photo.image)
        result.seconds += time.perf_counter() - start
        if photo.faces:
            result.with_people += 1
            result.flagged_with_people += bool(found)
            result.faces += len(photo.faces)
            result.faces_found += sum(any(_hit(face, f) for f in found) for face in photo.faces)
        else:
            result.without_people += 1
            result.flagged_without_people += bool(found)
    return result


SPEED_SIZES = ((1600, 1200, 5.0), (4000, 3000, 2.0))  # width, height, goal in photos per second


def speed_photos(width: int, height: int, count: int, seed: int = 18) -> list[Photo]:
    """`count` natural photographs at exactly width x height: every other one with one to three people in it."""
    rnd = random.Random(seed + width)
    out = []
    crops = face_crops()
    for n in range(count):
        canvas = cv2.resize(_canvas(rnd, width), (width, height), interpolation=cv2.INTER_CUBIC)
        placed: list[Rect] = []
        if n % 2 == 0:
            for _ in range(rnd.choice([1, 2, 3])):
                crop, box = rnd.choice(crops[:3]) if rnd.random() < 0.4 else rnd.choice(crops[3:])
                rect = _paste(canvas, rnd, crop, box, rnd.randint(MIN_FACE, 200))
                if rect is not None and not any(_overlaps(rect, other) for other in placed):
                    placed.append(rect)
        out.append(Photo(f"{width}x{height}-{n:02d}", canvas, placed))
    return out


def speed(count: int, repeats: int, workers: int = 0) -> bool:
    """Photos per second through `detect_faces` in this process (CPU time: one core's worth), or with `workers`
    through the run's face service (`LocalFaces`, worker processes: their CPU time, and the wall time beside)."""
    import statistics
    import tempfile

    from auditor.services import LocalFaces

    met = True
    with tempfile.TemporaryDirectory(prefix="faces-speed-") as folder:
        for width, height, goal in SPEED_SIZES:
            items = speed_photos(width, height, count)
            paths = []
            for photo in items:
                path = Path(folder) / f"{photo.name}.jpg"
                cv2.imwrite(str(path), photo.image, [cv2.IMWRITE_JPEG_QUALITY, 90])
                paths.append(path)
            rates: list[float] = []
            walls: list[float] = []
            counts: list[int] = []
            service = LocalFaces(workers) if workers else None
            if service is not None:
                service.count_faces(paths[0], "photo")  # the workers started before timing, as in a run
            try:
                for _ in range(repeats):
                    if service is None:
                        start = time.process_time()
                        counts = [faces.detect_faces(path).count for path in paths]
                        rates.append(len(paths) / max(time.process_time() - start, 1e-9))
                    else:
                        start, cpu = time.perf_counter(), _workers_cpu(service)
                        service.start((path, "photo") for path in paths)
                        counts = [service.count_faces(path, "photo") for path in paths]
                        walls.append(len(paths) / max(time.perf_counter() - start, 1e-9))
                        rates.append(len(paths) / max(_workers_cpu(service) - cpu, 1e-9))
            finally:
                if service is not None:
                    service.close()
            flagged = [int(c > 0) for c in counts]
            people = [i for i, p in enumerate(items) if p.faces]
            others = [i for i, p in enumerate(items) if not p.faces]
            recall = sum(flagged[i] for i in people) / max(1, len(people))
            alarms = sum(flagged[i] for i in others)
            # Faces found, untimed: the same search on the decoded JPEG, with the boxes.
            face_total = face_hits = 0
            for i in people:
                boxes = faces.find_faces(cv2.imread(str(paths[i]), cv2.IMREAD_COLOR))
                face_total += len(items[i].faces)
                face_hits += sum(any(_hit(f, (b.x, b.y, b.width, b.height)) for b in boxes) for f in items[i].faces)
            mid = statistics.median(rates)
            met = met and mid >= goal
            how = "CPU time, one core"
            if workers:
                how = f"CPU time of {workers} worker process(es); {statistics.median(walls):.2f} photos/s in wall time"
            print(
                f"{width}x{height}: {mid:.2f} photos/s (min {min(rates):.2f}, max {max(rates):.2f}; {repeats} repeats "
                f"of {len(paths)} JPEGs, {how}); photos with people flagged "
                f"{sum(flagged[i] for i in people)}/{len(people)} (recall {recall:.3f}); false alarms "
                f"{alarms}/{len(others)}; faces >= {MIN_FACE} px found {face_hits}/{face_total}; "
                f"goal >= {goal:g} photos/s: {'met' if mid >= goal else 'NOT MET'}"
            )
    return met


def _workers_cpu(service: object) -> float:
    """CPU seconds the face service's worker processes have used so far (Linux: /proc/PID/stat)."""
    import os

    pool = getattr(service, "_pool", None)
    total = 0
    for pid in getattr(pool, "_processes", None) or {}:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def shrunk(scale: float) -> Detector:
    """The detector in use on the photo shrunk first (as a reduced JPEG decode would), boxes in the photo's pixels."""

    def detect(image: np.ndarray) -> list[Rect]:
        height, width = image.shape[:2]
        size = (round(width * scale), round(height * scale))
        small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        return [tuple(round(v / scale) for v in (b.x, b.y, b.width, b.height)) for b in faces.find_faces(small)]  # type: ignore[misc]

    return detect


def levers(items: list[Photo]) -> None:
    """What shrinking photos before the search would cost in detection, beside the search in use."""
    print(measure(cnn(), items).line("in use"))
    for scale in (0.75, 0.5):
        print(measure(shrunk(scale), items).line(f"shrunk to {scale:g}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "tune", "all"), default="heldout")
    parser.add_argument("--composites", type=int, default=60, help="composites with people, and as many without")
    parser.add_argument("--speed", action="store_true", help="photos per second at 1600x1200 and 4000x3000")
    parser.add_argument("--photos", type=int, default=6, help="with --speed: photos of each size")
    parser.add_argument("--repeats", type=int, default=3, help="with --speed: timed passes over them")
    parser.add_argument(
        "--workers", type=int, default=0, help="with --speed: through the run's face service with this many processes"
    )
    parser.add_argument("--levers", action="store_true", help="detection with photos shrunk first, beside the search")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    if args.speed:
        return 0 if speed(args.photos, args.repeats, args.workers) else 1
    items = [p for p in photos(args.composites) if args.split == "all" or p.split == args.split]
    if args.levers:
        levers(items)
        return 0
    people = sum(bool(p.faces) for p in items)
    print(f"split: {args.split}; {people} photos with people, {len(items) - people} without; 95% Wilson intervals")
    new = measure(cnn(), items)
    old = measure(haar, items)
    print(new.line("libfacedetection"))
    print(old.line("Haar cascades"))
    recall = new.flagged_with_people / max(1, new.with_people)
    tp, fp = new.flagged_with_people, new.flagged_without_people
    precision = tp / (tp + fp) if tp + fp else 1.0
    met = recall >= 0.95 and precision >= 0.95
    print(f"goal: precision and recall >= 0.95 on faces of {MIN_FACE} px and more: {'met' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
