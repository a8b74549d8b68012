"""OCR of road signs: the bundled samples, every sign kind, boxes in original pixels, errors."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from geoloc.common.photo import load_image
from geoloc.errors import OCRError
from geoloc.model import TextSpan
from geoloc.read.ocr import reader as ocr
from geoloc.read.ocr import recognise
from geoloc.read.ocr.reader import DEFAULT_LANGS, read_text
from tests.conftest import MODEL_STEP, require
from tests.support.scenes import SignLine, SignSpec, font_file, render_scene

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
    assert cyr.lang == "ukr+rus+bel" and lat.lang in ("eng", ocr.REC_LANG)  # a Latin reader read it
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


def _require_recogniser():
    require(recognise.recogniser_ready(recognise.REC_MODEL), f"text-line model {recognise.REC_MODEL.name}", MODEL_STEP)


def _line_image(text: str, cap_px: int, blur: float = 0.0) -> np.ndarray:
    """One dark line of text on a light plate, as a detector line crop would give it."""
    font = ImageFont.truetype(font_file(False), int(cap_px / 0.73))
    x0, y0, x1, y1 = font.getbbox(text)
    pad = cap_px // 2
    img = Image.new("RGB", (x1 - x0 + 2 * pad, y1 - y0 + 2 * pad), (236, 236, 228))
    ImageDraw.Draw(img).text((pad - x0, pad - y0), text, font=font, fill=(25, 25, 30))
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(img)


def test_recogniser_reads_a_small_blurred_line_word_by_word():
    _require_recogniser()
    (reading,) = recognise.read_lines([_line_image("Half Moon Bay 42", 11, blur=0.8)], recognise.REC_MODEL)
    words = [w[0] for w in reading.words]
    assert words == ["Half", "Moon", "Bay", "42"], words
    xs = [(w[2], w[3]) for w in reading.words]
    assert all(a[1] <= b[0] + 2 for a, b in itertools.pairwise(xs))  # left to right, not overlapping


@pytest.mark.parametrize(
    "before,after,split",
    [("Bryant", "P", True), ("42", "S", True), ("Mc", "C", False), ("88", "t", False), ("MOTTE", "D", False)],
)
def test_words_the_network_ran_together_are_split_where_the_letters_show_a_boundary(before, after, split):
    assert recognise._case_break(before, after) is split


def test_a_small_sign_in_a_4k_frame_is_read():
    spec = SignSpec("eu_direction", (SignLine(None, "Darmstadt", 38), SignLine(None, "Heppenheim", 12)), cap_px=16)
    image, truth = render_scene([spec], seed=5, size=(3840, 2160), blur=0.6)
    spans = read_text(image)
    read = _texts(spans)
    assert {"darmstadt", "heppenheim"} <= read, read
    want = next(t for t in truth if t.text == "Darmstadt")
    assert max(_iou(s.box, want.box) for s in spans if s.text.casefold() == "darmstadt") > 0.4


def test_distances_are_read_as_digits_on_their_names_line():
    spec = SignSpec("ua_direction", (SignLine("Прилуки", "Pryluky", 87), SignLine("Ромни", "Romny", 143)), cap_px=18)
    image, truth = render_scene([spec], seed=21, blur=0.7)
    spans = read_text(image)
    for t in truth:
        if t.role != "distance":
            continue
        hits = [s for s in spans if _iou(s.box, t.box) > 0.3]
        assert hits and all(s.text.isdigit() for s in hits), (t.text, [s.text for s in hits])
        assert t.text in {s.text for s in hits}


def test_without_the_recognition_model_tesseract_still_reads(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(recognise, "REC_MODEL", tmp_path / "absent.onnx")
    ocr._recogniser_ready.cache_clear()
    try:
        spans = read_text(load_image(IMAGES / "chernihiv_sign.jpg"))
    finally:
        ocr._recogniser_ready.cache_clear()
    assert {"Чернігів", "Chernihiv"} <= {s.text for s in spans}
    assert all(s.lang != ocr.REC_LANG for s in spans)
    assert "recognition model missing" in caplog.text


def test_a_decimal_distance_stays_one_number():
    _require_recogniser()
    (reading,) = recognise.read_lines([_line_image("Lacs de Cristol 1.3 km", 10, blur=0.8)], recognise.REC_MODEL)
    words = [w[0] for w in reading.words]
    assert "1.3" in words, words


@pytest.mark.parametrize("bad", ["purple", 3, ["blue"]])
def test_a_planted_panel_colour_in_a_saved_span_is_refused(bad):
    d = TextSpan("Брянск", 90.0, (10, 10, 80, 20)).to_dict() | {"panel": bad}
    with pytest.raises((ValueError, TypeError)):
        TextSpan.from_dict(d)


@pytest.mark.parametrize(
    ("kind", "colour"),
    [("ua_direction", "green"), ("ru_direction", "blue"), ("ua_city_limit", "white"), ("eu_direction", "yellow")],
)
def test_a_sign_is_read_with_its_panels_colour(kind, colour):
    # The reader finds sign panels by colour, and says which colour each name was read on: a
    # direction sign's blue or green, a town's own white or yellow (geoloc.infer.estimate).
    line = SignLine(None, "Dortmund") if kind == "eu_direction" else SignLine("Житомир", "Zhytomyr")
    spec = SignSpec(kind, (line,), cap_px=30, angle_deg=0, tilt=0, colour=colour)
    image, _ = render_scene([spec], seed=3)
    spans = read_text(image)
    named = [s for s in spans if s.text.casefold() in {"житомир", "zhytomyr", "dortmund"}]
    assert named and all(s.panel == colour for s in named), [(s.text, s.panel) for s in spans]
    assert TextSpan.from_dict(named[0].to_dict()).panel == colour
