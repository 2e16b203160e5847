"""Regenerate the synthetic photos of the face-detection evaluation set: drawn faces and scenes, no real people.

Run from the repository root: `python tests/data/eval/make_photos.py`. Output is deterministic.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
SKIN = [(170, 190, 220), (120, 150, 200), (90, 120, 170), (60, 85, 130), (150, 175, 215)]
HAIR = [(40, 40, 60), (20, 30, 40), (60, 110, 160), (30, 60, 110), (10, 10, 10)]


def background(rnd: random.Random, width: int, height: int) -> np.ndarray:
    style = rnd.choice(["flat", "gradient", "noise"])
    if style == "flat":
        return np.full((height, width, 3), rnd.randint(120, 230), np.uint8)
    if style == "gradient":
        column = np.linspace(rnd.randint(60, 140), rnd.randint(160, 240), height, dtype=np.uint8)
        return np.repeat(np.repeat(column[:, None, None], width, axis=1), 3, axis=2)
    base = np.full((height, width, 3), rnd.randint(120, 200), np.int16)
    noise = np.array([rnd.randint(-25, 25) for _ in range(height * width)], np.int16).reshape(height, width, 1)
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def face(img: np.ndarray, rnd: random.Random, cx: int, cy: int, s: int) -> None:
    skin, hair = rnd.choice(SKIN), rnd.choice(HAIR)
    cv2.ellipse(img, (cx, cy), (s, int(s * 1.3)), 0, 0, 360, skin, -1)
    cv2.ellipse(img, (cx, cy - int(s * 1.2)), (int(s * 1.05), int(s * 0.5)), 0, 180, 360, hair, -1)
    for dx in (-1, 1):
        ex, ey = cx + dx * int(s * 0.4), cy - int(s * 0.2)
        brow = (ex, ey - int(s * 0.22))
        cv2.ellipse(img, brow, (int(s * 0.25), int(s * 0.06)), 0, 180, 360, hair, max(1, s // 12))
        cv2.ellipse(img, (ex, ey), (int(s * 0.2), int(s * 0.1)), 0, 0, 360, (255, 255, 255), -1)
        cv2.circle(img, (ex, ey), int(s * 0.09), (40, 30, 20), -1)
    cv2.line(img, (cx, cy - int(s * 0.1)), (cx - int(s * 0.08), cy + int(s * 0.3)), (120, 140, 170), max(1, s // 15))
    cv2.ellipse(img, (cx, cy + int(s * 0.6)), (int(s * 0.3), int(s * 0.1)), 0, 0, 180, (80, 80, 160), max(1, s // 10))


def scene(img: np.ndarray, rnd: random.Random) -> str:
    height, width = img.shape[:2]
    kind = rnd.choice(["hills", "pitch", "poster", "shapes", "trophy"])
    if kind == "hills":
        for _ in range(3):
            cv2.ellipse(img, (rnd.randint(0, width), height), (rnd.randint(80, 200), rnd.randint(40, 120)), 0, 180, 360,
                        (60, rnd.randint(110, 170), 60), -1)  # fmt: skip
    elif kind == "pitch":
        img[:] = (60, 150, 60)
        cv2.rectangle(img, (10, 10), (width - 10, height - 10), (255, 255, 255), 2)
        cv2.line(img, (width // 2, 10), (width // 2, height - 10), (255, 255, 255), 2)
        cv2.circle(img, (width // 2, height // 2), 30, (255, 255, 255), 2)
    elif kind == "poster":
        for n, line in enumerate(["SPORTS DAY", "FRIDAY 3 JULY", "ALL WELCOME"]):
            cv2.putText(img, line, (15, 50 + 45 * n), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 120), 2)
    elif kind == "shapes":
        for _ in range(6):
            colour = (rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(0, 255))
            corners = [(rnd.randint(0, width), rnd.randint(0, height)) for _ in range(2)]
            cv2.rectangle(img, corners[0], corners[1], colour, -1)
    else:
        cv2.rectangle(img, (width // 2 - 15, height - 60), (width // 2 + 15, height - 20), (30, 160, 200), -1)
        cv2.ellipse(img, (width // 2, height // 2 - 10), (45, 55), 0, 0, 180, (30, 180, 220), -1)
    return kind


def main() -> None:
    rnd = random.Random(2026)
    labels = []
    for n in range(24):
        width, height = rnd.choice([(320, 240), (400, 300), (240, 320)])
        img = background(rnd, width, height)
        faces = rnd.choice([1, 1, 2, 3])
        slot = width // faces
        size = rnd.randint(22, min(60, slot // 3))
        for k in range(faces):
            face(img, rnd, slot * k + slot // 2, height // 2 + rnd.randint(-10, 10), size)
        name = f"face-{n:02d}.jpg"
        cv2.imwrite(str(HERE / "photos" / name), img, [cv2.IMWRITE_JPEG_QUALITY, 80])
        split = "heldout" if n % 2 else "tune"
        labels.append({"text": f"photos/{name}", "file": f"photos/{name}", "label": 1, "faces": faces, "split": split})
    for n in range(24):
        width, height = rnd.choice([(320, 240), (400, 300), (240, 320)])
        img = background(rnd, width, height)
        kind = scene(img, rnd)
        name = f"scene-{n:02d}.jpg"
        cv2.imwrite(str(HERE / "photos" / name), img, [cv2.IMWRITE_JPEG_QUALITY, 80])
        split = "heldout" if n % 2 else "tune"
        labels.append({"text": f"photos/{name}", "file": f"photos/{name}", "label": 0, "kind": kind, "split": split})
    with (HERE / "safeguarding.child_photo_consent.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(item) + "\n" for item in labels)


if __name__ == "__main__":
    main()
