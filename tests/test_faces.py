import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from auditor.faces import FaceError, detect_faces

EVAL = Path(__file__).resolve().parent / "data" / "eval"
FACE = EVAL / "photos" / "face-00.jpg"  # one drawn face
GROUP = EVAL / "photos" / "face-14.jpg"  # three drawn faces
SCENE = EVAL / "photos" / "scene-00.jpg"


def test_finds_faces_in_a_photo():
    assert detect_faces(FACE).count == 1
    assert detect_faces(GROUP).count >= 2


def test_finds_no_face_in_a_scene():
    faces = detect_faces(SCENE)
    assert faces.count == 0 and (faces.width, faces.height) > (0, 0)


def test_large_photo_is_scaled_down_and_still_examined(tmp_path):
    big = cv2.resize(cv2.imread(str(FACE)), None, fx=6, fy=6)
    path = tmp_path / "big.png"
    cv2.imwrite(str(path), big)
    assert detect_faces(path).count == 1


def video(tmp_path: Path, frame: np.ndarray) -> Path:
    path = tmp_path / "clip.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 5, (frame.shape[1], frame.shape[0]))
    for _ in range(10):
        writer.write(frame)
    writer.release()
    return path


def test_finds_faces_in_video_frames(tmp_path):
    assert detect_faces(video(tmp_path, cv2.imread(str(FACE))), "video").count == 1
    assert detect_faces(video(tmp_path, cv2.imread(str(SCENE))), "video").count == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "is missing"),
        (b"", "is not an image"),
        (b"<html>not a photo</html>", "is not an image"),
    ],
)
def test_unreadable_files_are_errors_not_no_faces(tmp_path, content, message):
    path = tmp_path / "photo.jpg"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(FaceError, match=message):
        detect_faces(path)


def test_tiny_image_is_too_small_to_check(tmp_path):
    path = tmp_path / "tiny.png"
    cv2.imwrite(str(path), np.zeros((12, 16, 3), np.uint8))
    with pytest.raises(FaceError, match="only 16x12 pixels, too small"):
        detect_faces(path)


def test_unreadable_video_is_an_error(tmp_path):
    path = tmp_path / "clip.mp4"
    shutil.copy(SCENE, path)
    with pytest.raises(FaceError):
        detect_faces(path, "video")


def test_tuning_half_of_evaluation_photos_is_all_correct():
    rows = [json.loads(line) for line in (EVAL / "safeguarding.child_photo_consent.jsonl").read_text().splitlines()]
    assert sum(r["label"] for r in rows) >= 20 and sum(not r["label"] for r in rows) >= 20
    wrong = [
        r["file"] for r in rows if r["split"] == "tune" and bool(detect_faces(EVAL / r["file"]).count) != r["label"]
    ]
    assert wrong == []
