import itertools
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from auditor import faces
from auditor.faces import FaceError, detect_faces
from benchmarks import faces as bench

REPO = Path(__file__).resolve().parent.parent
DRAWING = REPO / "examples" / "photos" / "history.jpg"  # a drawing of one person
SCENE = Path(__file__).resolve().parent / "data" / "eval" / "photos" / "scene-00.jpg"


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    """A real photograph of one person, shipped inside scikit-image."""
    return bench.face_crops()[0][0]


def write(tmp_path: Path, image: np.ndarray, name: str = "photo.png") -> Path:
    path = tmp_path / name
    cv2.imwrite(str(path), image)
    return path


def test_finds_a_face_in_a_real_photograph_and_in_a_drawing(tmp_path, astronaut):
    assert detect_faces(write(tmp_path, astronaut)).count == 1
    assert detect_faces(DRAWING).count == 1


def test_finds_no_face_in_scenes_that_fooled_the_cascades(tmp_path):
    # Coffee, coins, grass and gravel: the old Haar cascades found "faces" in each.
    for n, name in enumerate(("coffee.png", "coins.png", "grass.png", "gravel.png")):
        image = cv2.imread(str(bench._skimage_data() / name))
        faces_found = detect_faces(write(tmp_path, image, f"{n}.png"))
        assert faces_found.count == 0, name
        assert (faces_found.width, faces_found.height) == (image.shape[1], image.shape[0])


def test_small_face_in_a_large_photo_is_found_in_tiles_not_shrunk_away(tmp_path, astronaut):
    # A 3,000-pixel photo with a face 48 pixels wide: shrunk to 800 pixels the face would be 13 pixels.
    crop, (_, _, w, _) = bench.face_crops()[0]
    scale = 48 / w
    face = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    grass = cv2.resize(cv2.imread(str(bench._skimage_data() / "grass.png")), (3000, 2000))
    grass[1500 : 1500 + face.shape[0], 2100 : 2100 + face.shape[1]] = face
    [box] = faces.find_faces(grass)
    assert 2100 <= box.x + box.width / 2 <= 2100 + face.shape[1] and 1500 <= box.y + box.height / 2 <= 1600
    assert detect_faces(write(tmp_path, grass, "big.jpg")).count == 1


def test_a_face_on_a_tile_edge_is_counted_once(astronaut):
    crop = cv2.resize(astronaut, None, fx=0.8, fy=0.8)
    canvas = cv2.resize(cv2.imread(str(bench._skimage_data() / "gravel.png")), (1400, 1000))
    (_, first_end), (second_start, _), *_ = faces._spans(canvas.shape[1])
    left = (first_end + second_start) // 2 - crop.shape[1] // 2  # in the overlap: whole in both of the first two tiles
    assert second_start <= left and left + crop.shape[1] <= first_end
    canvas[300 : 300 + crop.shape[0], left : left + crop.shape[1]] = crop
    assert len(faces.find_faces(canvas)) == 1


def video(tmp_path: Path, frame: np.ndarray) -> Path:
    path = tmp_path / "clip.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 5, (frame.shape[1], frame.shape[0]))
    for _ in range(10):
        writer.write(frame)
    writer.release()
    return path


def test_finds_faces_in_video_frames(tmp_path, astronaut):
    frame = cv2.resize(astronaut, (320, 240))
    assert detect_faces(video(tmp_path, frame), "video").count == 1
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


def test_tuning_half_of_real_photographs_has_no_false_alarm_and_misses_no_photo_with_people():
    items = [p for p in bench.photos(count=10) if p.split == "tune"]
    assert sum(bool(p.faces) for p in items) >= 5 and sum(not p.faces for p in items) >= 10
    result = bench.measure(bench.cnn(), items)
    assert result.flagged_without_people == 0
    assert result.flagged_with_people == result.with_people
    assert result.faces_found >= 0.9 * result.faces


def test_the_detector_in_use_beats_the_cascades_it_replaced_on_scenes_without_people():
    items = [p for p in bench.photos(count=4) if not p.faces]
    assert (
        bench.measure(bench.cnn(), items).flagged_without_people
        < bench.measure(bench.haar, items).flagged_without_people
    )


def test_benchmark_prints_both_detectors(capsys):
    bench.main(["--composites", "2", "--split", "all"])
    out = capsys.readouterr().out
    assert "libfacedetection   photos with people flagged" in out and "Haar cascades      photos with" in out
    assert "goal: precision and recall >= 0.95 on faces of 40 px and more:" in out


def test_a_huge_photo_is_shrunk_to_a_bounded_number_of_tiles(monkeypatch):
    calls: list[tuple[int, int]] = []
    real = faces._detect

    def counting(image: np.ndarray) -> list[faces.Box]:
        calls.append(image.shape[:2])
        return real(image)

    monkeypatch.setattr(faces, "_detect", counting)
    faces.find_faces(np.full((6000, 9000, 3), 128, np.uint8))
    assert len(calls) <= 1 + 9 * 6  # the whole photo, then tiles of the photo shrunk to 4,096 pixels
    assert all(max(shape) <= faces.TILE for shape in calls)


def test_a_jpeg_s_size_is_read_from_its_header_without_decoding_it():
    image = np.full((300, 500, 3), 128, np.uint8)
    for params in ([], [cv2.IMWRITE_JPEG_PROGRESSIVE, 1]):
        ok, encoded = cv2.imencode(".jpg", image, params)
        assert ok
        assert faces.jpeg_size(encoded.tobytes()) == (500, 300)
    ok, png = cv2.imencode(".png", image)
    assert faces.jpeg_size(png.tobytes()) is None
    assert faces.jpeg_size(b"\xff\xd8\xff\xe0\x00") is None  # cut short: no frame header within the bytes


def test_a_huge_jpeg_is_decoded_reduced_and_reports_its_own_size(tmp_path, monkeypatch):
    monkeypatch.setattr(faces, "MAX_SIDE", 1024)  # the rule at a tenth of the size, so the test stays quick
    photo = tmp_path / "huge.jpg"
    assert cv2.imwrite(str(photo), np.full((1100, 2200, 3), 90, np.uint8))
    data = np.fromfile(str(photo), dtype=np.uint8)
    assert faces._decode_flag(data) == cv2.IMREAD_REDUCED_COLOR_2  # 1,100 wide then: no smaller than MAX_SIDE
    found = faces.detect_faces(photo)
    assert (found.count, found.width, found.height) == (0, 2200, 1100)
    small = tmp_path / "phone.jpg"
    assert cv2.imwrite(str(small), np.full((900, 1600, 3), 90, np.uint8))
    assert faces._decode_flag(np.fromfile(str(small), dtype=np.uint8)) == cv2.IMREAD_COLOR


def test_a_small_file_stating_a_huge_image_is_not_decoded(tmp_path):
    # A PNG header saying 30,000 x 30,000 pixels (2.7 GB decoded) in a file of a few bytes: refused from its header,
    # as "too large to examine" (so the photo is not verified), before any decoding is tried.
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )
    path = tmp_path / "bomb.png"
    path.write_bytes(png)
    with pytest.raises(FaceError, match="too large to examine"):
        detect_faces(path)
    # Within what Pillow opens but beyond the decoding bound: the stated size is given.
    header = struct.pack(">IIBBBBB", 9_000, 9_000, 8, 2, 0, 0, 0)
    path.write_bytes(png.replace(png[8:33], chunk(b"IHDR", header)))
    with pytest.raises(FaceError, match="9000x9000 pixels, too large to examine"):
        detect_faces(path)


@pytest.mark.parametrize("length", [641, 800, 1200, 1600, 2731, 3000, 4000, 4096])
def test_tiles_cover_the_photo_evenly_overlapping_enough_and_no_more_than_needed(length):
    spans = faces._spans(length)
    sizes = {end - start for start, end in spans}
    assert len(sizes) == 1 and max(sizes) <= faces.TILE  # all the same size, none larger than a tile
    assert spans[0][0] == 0 and spans[-1][1] == length  # edge to edge
    overlaps = [end - start for (_, end), (start, _) in itertools.pairwise(spans)]
    assert min(overlaps) >= faces.OVERLAP  # a face up to OVERLAP pixels is whole in one tile
    # The fewest tiles that can: one fewer could not cover the side with that overlap.
    assert (len(spans) - 1) * faces.TILE - (len(spans) - 2) * faces.OVERLAP < length


def test_a_1600x1200_photo_is_searched_in_twelve_even_tiles_not_twelve_full_ones(monkeypatch):
    shapes: list[tuple[int, ...]] = []
    real = faces._detect

    def recording(image: np.ndarray) -> list[faces.Box]:
        shapes.append(image.shape[:2])
        return real(image)

    monkeypatch.setattr(faces, "_detect", recording)
    faces.find_faces(np.full((1200, 1600, 3), 128, np.uint8))
    assert shapes[0] == (480, 640)  # the whole photo, shrunk
    assert shapes[1:] == [(528, 544)] * 12
    assert sum(h * w for h, w in shapes) < 3.8e6  # 5.2 million pixels before
