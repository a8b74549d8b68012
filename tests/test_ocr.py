"""OCR of road signs: the bundled samples, every sign kind, boxes in original pixels, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geoloc.common.photo import load_image
from geoloc.errors import OCRError
from geoloc.read.ocr import reader as ocr
from geoloc.read.ocr.reader import DEFAULT_LANGS, read_text
from tests.conftest import MODEL_STEP, require
from tests.support.scenes import SignLine, SignSpec, render_scene

IMAGES = Path(__file__).resolve().parents[1] / "images"


def _texts(spans):
    return {s.text.casefold() for s in spans}


def _iou(a, b):
    ix = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    iy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def test_default_languages():
    assert DEFAULT_LANGS == "eng+ukr+rus+bel"
    assert ocr.split_passes(["eng", "ukr", "rus", "bel"]) == ["ukr+rus+bel", "eng"]


def test_chernihiv_sample_reads_both_names_and_the_distance_on_their_line():
    spans = read_text(load_image(IMAGES / "chernihiv_sign.jpg"))
    by_text = {s.text: s for s in spans}
    assert "Чернігів" in by_text and "Chernihiv" in by_text
    assert "Київ" in by_text and "Kyiv" in by_text
    cyr, lat = by_text["Чернігів"], by_text["Chernihiv"]
    assert cyr.lang == "ukr+rus+bel" and lat.lang == "eng"
    assert cyr.confidence > 80
    same_line = [s.text for s in spans if s.line == cyr.line]
    assert "14" in same_line and "157" not in same_line  # each distance with its own name
    assert cyr.region == lat.region  # one sign
    assert cyr.line != lat.line and cyr.box[1] < lat.box[1]  # Latin name on the line below
    # the sign stands right of the road in the upper half of the 1600x1200 frame
    x, y, w, h = cyr.box
    assert 900 < x < 1300 and 250 < y < 500 and 100 < w < 250 and 20 < h < 60


def test_shop_sample_reads_the_shop_word():
    spans = read_text(load_image(IMAGES / "shop_apteka.jpg"))
    assert "аптека" in _texts(spans)


def test_photo_without_text_gives_no_confident_words():
    spans = read_text(load_image(IMAGES / "no_text.jpg"))
    assert not [s for s in spans if s.confidence >= 70 and sum(c.isalpha() for c in s.text) >= 4]


CASES = [
    SignSpec("ua_direction", (SignLine("Ніжин", "Nizhyn", 40), SignLine("Прилуки", "Pryluky", 87)), cap_px=24),
    SignSpec("ua_city_limit", (SignLine("Бахмач", "Bakhmach"),), cap_px=26),
    SignSpec("ru_direction", (SignLine("Брянск", None, 73), SignLine("Новозыбков", None, 21)), cap_px=24),
    SignSpec("eu_direction", (SignLine(None, "Frankfurt", 12), SignLine(None, "Darmstadt", 38)), cap_px=22),
    SignSpec("shop", (SignLine("ПРОДУКТИ", None),), cap_px=30),
    SignSpec("warning", (SignLine("ОБЕРЕЖНО", None),), cap_px=22),
]


@pytest.mark.parametrize("spec", CASES, ids=[c.kind for c in CASES])
def test_generated_scene_of_each_kind_reads_its_names_with_boxes_on_them(spec):
    image, truth = render_scene([spec], seed=42)
    spans = read_text(image)
    for t in truth:
        hits = [s for s in spans if s.text.casefold() == t.text.casefold()]
        assert hits, f"{t.text!r} not read; read {[s.text for s in spans]}"
        assert max(_iou(s.box, t.box) for s in hits) > 0.5, (t, hits)


def _sign_scene():
    spec = SignSpec("ua_direction", (SignLine("Чернігів", "Chernihiv", 25),), cap_px=26, position=(0.3, 0.3))
    return render_scene([spec], seed=9)


def test_boxes_are_in_original_pixels_for_an_exif_rotated_photo(tmp_path):
    upright, truth = _sign_scene()
    # the camera stored the pixels turned 90 degrees and says so in EXIF Orientation = 6
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.jpg"
    stored.save(path, quality=92, exif=exif.tobytes())
    image = load_image(path)
    assert image.size == upright.size
    spans = read_text(image)
    want = next(t for t in truth if t.text == "Чернігів")
    got = [s for s in spans if s.text == "Чернігів"]
    assert got and _iou(got[0].box, want.box) > 0.5


@pytest.mark.slow
def test_a_very_large_photo_is_read_with_boxes_in_its_own_pixels():
    image, truth = _sign_scene()
    big = image.resize((image.width * 3, image.height * 3), Image.Resampling.BICUBIC)
    spans = read_text(big)
    want = next(t for t in truth if t.text == "Chernihiv")
    got = [s for s in spans if s.text == "Chernihiv"]
    assert got
    scaled = tuple(3 * v for v in want.box)
    assert _iou(got[0].box, scaled) > 0.5


def test_missing_language_pack_raises_ocr_error():
    image, _ = _sign_scene()
    with pytest.raises(OCRError, match="not installed: xyz"):
        read_text(image, "eng+xyz")


def test_missing_tesseract_raises_ocr_error(monkeypatch):
    image, _ = _sign_scene()
    monkeypatch.setattr(ocr.pytesseract.pytesseract, "tesseract_cmd", "no-such-tesseract")
    ocr._available_langs.cache_clear()
    try:
        with pytest.raises(OCRError, match="tesseract is not installed"):
            read_text(image)
    finally:
        ocr._available_langs.cache_clear()


def test_debug_dir_gets_regions_and_crops(tmp_path):
    image, _ = _sign_scene()
    read_text(image, debug_dir=tmp_path / "dbg")
    files = sorted(p.name for p in (tmp_path / "dbg").iterdir())
    assert "regions.jpg" in files and "page.png" in files
    crops = [f for f in files if f.startswith("crop_")]
    assert crops
    crop = Image.open(tmp_path / "dbg" / crops[0])
    assert crop.mode == "L" and set(np.unique(np.asarray(crop)).tolist()) <= {0, 255}  # binarised


def test_text_line_detector_finds_each_line_of_the_sample():
    from geoloc.read.ocr.detect import detect_text_lines

    require(ocr.DET_MODEL.is_file(), f"text-line model {ocr.DET_MODEL.name}", MODEL_STEP)
    rgb = np.asarray(load_image(IMAGES / "chernihiv_sign.jpg"))
    spans = {s.text: s for s in read_text(Image.fromarray(rgb))}
    lines = detect_text_lines(rgb, ocr.DET_MODEL)
    for name in ("Чернігів", "Chernihiv", "Київ", "Kyiv"):
        x, y, w, h = spans[name].box
        centre = (x + w / 2, y + h / 2)
        assert any(
            abs(r.rect[0][0] - centre[0]) < r.rect[1][0] / 2 and abs(r.rect[0][1] - centre[1]) < r.rect[1][1] / 2
            for r in lines
        ), name


def test_without_the_detector_model_sign_panels_are_still_read(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(ocr, "DET_MODEL", tmp_path / "absent.onnx")
    ocr._line_detector_ready.cache_clear()
    try:
        spans = read_text(load_image(IMAGES / "chernihiv_sign.jpg"))
    finally:
        ocr._line_detector_ready.cache_clear()
    assert {"Чернігів", "Chernihiv"} <= {s.text for s in spans}
    assert "detector model missing" in caplog.text


REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata" / "exif-mdx" / "images"


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name,expected", [("Sony DSC-HX5V (2).jpg", {"Alt Hammoor"}), ("FujiFilm FinePixS1Pro (5).jpg", {"104", "Poole"})]
)
def test_real_photos_with_place_text(name, expected):
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{name} not available (shared real data absent)")
    # these texts are not on colour panels: only the text-line model finds them
    require(ocr.DET_MODEL.is_file(), f"text-line model {ocr.DET_MODEL.name}", MODEL_STEP)
    assert expected <= {s.text for s in read_text(load_image(path))}
