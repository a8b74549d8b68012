"""How the passes' readings are merged (which one a vote drops, which lines form one sign); dim photos."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from geoloc.model import TextSpan, shared_extent
from geoloc.read.mentions import mentions_from_spans
from geoloc.read.ocr import reader as ocr
from geoloc.read.ocr import recognise
from geoloc.read.ocr.reader import read_text
from tests.conftest import MODEL_STEP, require
from tests.support.scenes import SignLine, SignSpec, font_file, render_scene


def test_two_boxes_share_an_extent_along_either_axis_and_a_gap_counts_negative():
    """The one measure every layout rule builds on: rows of a panel share columns, words of a row
    share height, and a gap between boxes is a negative overlap."""
    upper, lower = (10, 0, 100, 20), (60, 30, 100, 20)  # x 10-110 over x 60-160, 10 px apart
    assert shared_extent(upper, lower, 0) == 50 == shared_extent(lower, upper, 0)
    assert shared_extent(upper, lower, 1) == -10 == shared_extent(lower, upper, 1)
    assert shared_extent(upper, upper, 1) == 20
    assert shared_extent((0, 0, 10, 10), (30, 0, 10, 10), 0) == -20


def test_another_scripts_reading_outvotes_a_span_only_when_it_covers_half_of_it():
    """A surer reading in another script replaces a span when it is a reading of the same words,
    not when it is a fragment of them: the Cyrillic pass's "па" (95) over the last letters of
    "Sakhnovshchyna" (86) leaves the name; the network's "299" (100) over the number of "299a"
    (87, an arrow read as a letter) outvotes it; two surer pieces count together."""
    name = TextSpan("Sakhnovshchyna", 86.0, (100, 50, 280, 30), 1, 0, "eng")
    tail = TextSpan("па", 95.0, (340, 52, 40, 28), 1, 0, "ukr+rus+bel")
    assert ocr._outvoted(name, [name, tail]) is None
    number = TextSpan("299a", 87.0, (1222, 357, 95, 27), 1, 0, "eng")
    network = TextSpan("299", 100.0, (1226, 357, 57, 27), 1, 0, "rec")
    assert ocr._outvoted(number, [number, network]) is network
    head = TextSpan("Sakh", 97.0, (100, 50, 90, 30), 1, 0, "rec")
    middle = TextSpan("novsh", 97.0, (190, 50, 80, 30), 1, 0, "rec")
    assert ocr._outvoted(name, [name, head]) is None  # 32% of its width
    assert ocr._outvoted(name, [name, head, middle]) is not None  # 61% together
    below = TextSpan("Sakhnovshchyna", 99.0, (100, 120, 280, 30), 2, 0, "rec")
    assert ocr._outvoted(name, [name, below]) is None  # another line, however sure


def _plate_photo(text: str, cap_px: int, quality: int) -> Image.Image:
    """A light plate with one dark line on a noisy wall, as a messenger re-compresses it."""
    rng = np.random.default_rng(3)
    wall = np.clip(np.full((500, 900, 3), (120, 110, 100), float) + rng.normal(0, 6, (500, 900, 3)), 0, 255)
    img = Image.fromarray(wall.astype(np.uint8))
    font = ImageFont.truetype(font_file(False), int(cap_px / 0.73))
    x0, y0, x1, _ = font.getbbox(text)
    draw = ImageDraw.Draw(img)
    draw.rectangle((150, 150, 150 + x1 - x0 + 2 * cap_px, 150 + int(2.6 * cap_px)), fill=(236, 236, 228))
    draw.text((150 + cap_px - x0, 150 + cap_px // 2 - y0), text, font=font, fill=(25, 25, 30))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


@pytest.mark.parametrize(
    "name,cap_px,quality",
    [("Musée du Louvre", 11, 25), ("Évreux Vélizy", 11, 30), ("Évreux Vélizy", 13, 25), ("Évreux Vélizy", 13, 30)],
)
def test_an_accented_reading_stays_beside_the_networks_unaccented_one(name, cap_px, quality):
    word = next(w for w in name.split() if not w.isascii() and w[0].isascii())  # Tesseract drops "É"'s accent
    # the network reads the line without its accents at 96-99, Tesseract the exact name at 73-82:
    # two readings in one script that share most letters are two opinions, not a wrong script,
    # and the accented one is the name
    require(ocr.DET_MODEL.is_file(), f"text-line model {ocr.DET_MODEL.name}", MODEL_STEP)
    require(recognise.recogniser_ready(recognise.REC_MODEL), f"text-line model {recognise.REC_MODEL.name}", MODEL_STEP)
    spans = read_text(_plate_photo(name, cap_px, quality))
    texts = {s.text for s in spans}
    exact = next((s for s in spans if word in s.text.split()), None)
    assert exact is not None, texts
    unaccented = [s for s in spans if s.lang == ocr.REC_LANG and ocr._box_overlap(s.box, exact.box) > 0.6]
    assert unaccented and all(s.text.isascii() for s in unaccented), [s.text for s in unaccented]


def _word_boxes(rows: list[str], cap_px: int, left: int = 100, top: int = 80) -> list[tuple[int, int, int, int]]:
    """Where each row of a guidepost board lands when drawn: its ink box, as a pass reads it."""
    font = ImageFont.truetype(font_file(True), int(cap_px / 0.73))
    img = Image.new("L", (900, 80 + len(rows) * 2 * cap_px + 80), 255)
    draw = ImageDraw.Draw(img)
    boxes = []
    for i, row in enumerate(rows):
        x0, y0, x1, y1 = draw.textbbox((left, top + i * int(1.5 * cap_px)), row, font=font)
        draw.text((left, top + i * int(1.5 * cap_px)), row, font=font, fill=0)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
    ink = np.asarray(img) < 128
    assert ink.any()  # the rows were drawn where their boxes say
    return boxes


def test_lines_stacked_by_any_passes_box_are_one_sign():
    # "CHEMIN" / "DES 23" / "PRATS" on a wooden board (no colour panel): the first box a pass
    # drew on the middle line is that of the small "23" beside "DES"; the network's box on "DES"
    # shows the three lines are stacked, so they are one sign and "Chemin des Prats" one name
    chemin, des, prats, number = _word_boxes(["CHEMIN", "DES", "PRATS", "23"], 30)
    number = (des[0] + des[2] + 30, des[1] + des[3] - 12, 20, 12)  # small print at the row's foot
    lines = [(0, chemin), (1, number), (2, prats)]
    readings = [[chemin], [number, des], [prats]]
    grouped = ocr._group_lines(lines, 0, readings)
    assert {region for region, _ in grouped} == {0}, grouped
    # judged by the first box alone, the middle line is not stacked with the others
    assert len({region for region, _ in ocr._group_lines(lines, 0)}) == 3


@pytest.mark.parametrize("contrast,light", [(0.5, 0.6), (0.45, 0.55)])
def test_a_dim_low_contrast_photo_is_stretched_and_its_sign_read(contrast, light, tmp_path):
    # dusk or haze: the whole frame in a narrow band of dark greys, where the detector found no
    # line and the panel finder no panel; stretched to the full range, the sign is read
    require(ocr.DET_MODEL.is_file(), f"text-line model {ocr.DET_MODEL.name}", MODEL_STEP)
    lines = (SignLine("Теребовля", "Terebovlia", 8), SignLine("Сахновщина", "Sakhnovshchyna", 4))
    spec = SignSpec("ua_direction", lines, cap_px=16, tilt=0.2, angle_deg=2)
    image, _ = render_scene([spec], seed=4, lighting="overcast", blur=1.2)
    arr = np.asarray(image, np.float32)
    arr = (arr.mean() + (arr - arr.mean()) * contrast) * light
    buf = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=60)
    dim = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    assert np.percentile(np.asarray(dim), 99) < 150  # the photo is dim: no pixel near white
    texts = {s.text for s in read_text(dim, debug_dir=tmp_path)}
    assert {"Теребовля", "Сахновщина", "Sakhnovshchyna", "8", "4"} <= texts, texts
    levels = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["levels"]
    assert levels["white"] - levels["black"] < 150  # the debug report says the levels were stretched


def test_a_photo_using_the_full_range_is_read_as_it_is():
    rgb = np.zeros((60, 80, 3), np.uint8)
    rgb[:, 40:] = 255
    rgb[20:40, 10:30] = (30, 90, 200)
    out, levels = ocr._stretched(rgb)
    assert levels is None and out is rgb
    dim = (rgb.astype(np.float32) * 0.4 + 40).astype(np.uint8)
    out, levels = ocr._stretched(dim)
    assert levels == (40.0, 142.0)
    assert out.min() == 0 and out.max() == 255
    # one curve for all three channels: the blue panel stays blue
    r, g, b = (int(v) for v in out[30, 20])
    assert b > g > r


def _words(*items: tuple[str, tuple[int, int, int, int], int]) -> list[ocr._Word]:
    """Words one pass read on panel 0: (text, box, line within its crop)."""
    return [ocr._Word(text, 90.0, box, 0, (0, 1, 1, line), 0) for text, box, line in items]


def test_on_a_turned_sign_a_distance_read_alone_joins_the_row_it_stands_on():
    """A sign "Backnang 158 / Hirschthal 35" turned 6.7 degrees, its right end higher: the lower
    row's "35" stands as high as the upper row's name. One pass reads "35" alone before any pass
    has read "Hirschthal"; it must still be Hirschthal's distance, as across the turned panel it
    is, and as the pass that read "Hirschthal 35" together says."""
    cyrillic = _words(
        ("Васкпапд", (291, 455, 102, 28), 1),
        ("158", (416, 444, 41, 20), 1),
        ("35", (431, 472, 28, 18), 2),
        ("хНігьспепа", (295, 476, 107, 38), 3),
    )
    latin = _words(
        ("158", (416, 444, 41, 20), 1), ("RHirschthal", (295, 478, 106, 27), 2), ("35", (431, 472, 28, 18), 2)
    )
    spans = ocr._merge_passes([("ukr+rus+bel", cyrillic), ("eng", latin)], [-6.7])
    line = {s.text: s.line for s in spans}
    assert line["35"] == line["RHirschthal"] == line["хНігьспепа"] != line["158"] == line["Васкпапд"]


def test_a_turned_direction_sign_keeps_each_distance_on_its_own_row():
    require(ocr.DET_MODEL.is_file(), f"text-line model {ocr.DET_MODEL.name}", MODEL_STEP)
    require(recognise.recogniser_ready(recognise.REC_MODEL), f"text-line model {recognise.REC_MODEL.name}", MODEL_STEP)
    sign = SignSpec(
        "eu_direction",
        (
            SignLine("Backnang", "Backnang", 158, arrow="right"),
            SignLine("Hirschthal", "Hirschthal", 35, arrow="up-left"),
        ),
        cap_px=22,
        position=(0.5, 0.45),
        angle_deg=-8,
        tilt=0,
    )
    image, _ = render_scene([sign], seed=15, size=(1600, 1200))
    spans = read_text(image)
    rows: dict[int, set[str]] = {}
    for s in spans:
        rows.setdefault(s.line, set()).update(s.text.split())
    assert any({"Hirschthal", "35"} <= words for words in rows.values()), rows
    assert not any({"Backnang", "35"} <= words for words in rows.values()), rows


def test_a_distance_far_right_on_a_turned_panel_joins_its_own_row():
    """A junction sign turned about 8 degrees, Ukrainian rows "Гавиноси 13 / Одеса 184 / Кривий
    Ріг 335", each with its Latin line under it. The distances are right-aligned 300-400 px from
    the short names, so each stands 40 px higher than its name, level with the Latin line of the
    row above; read by line crops of their own, "184" joined "Havynosy" and gave Havynosy 184 km."""
    words = [
        ocr._Word("Гавиноси", 90.0, (651, 277, 252, 72), 0, (0, 1, 1, 1), 0),
        ocr._Word("Havynosy", 90.0, (655, 337, 215, 64), 0, (0, 1, 1, 2), 0),
        ocr._Word("Одеса", 90.0, (657, 405, 175, 68), 0, (0, 1, 1, 3), 0),
        ocr._Word("Odesa", 90.0, (672, 465, 128, 47), 0, (0, 1, 1, 4), 0),
        ocr._Word("Кривий Ріг", 90.0, (628, 508, 360, 93), 0, (0, 1, 1, 5), 0),
        ocr._Word("Kryvyi Rih", 90.0, (688, 574, 228, 65), 0, (0, 1, 1, 6), 0),
        ocr._Word("13", 90.0, (1046, 229, 59, 51), 5, (5, 1, 1, 1), 0),
        ocr._Word("184", 90.0, (1026, 361, 96, 55), 6, (6, 1, 1, 1), 0),
        ocr._Word("335", 90.0, (1042, 492, 104, 53), 7, (7, 1, 1, 1), 0),
    ]
    spans = ocr._merge_passes([("ukr+rus+bel", words)], [-7.8])
    line = {s.text: s.line for s in spans}
    assert line["184"] != line["Havynosy"] and line["13"] == line["Гавиноси"], line
    rows = {m.text: m.distance_km for m in mentions_from_spans(spans)}
    assert rows == {
        "Гавиноси": 13.0,
        "Havynosy": None,
        "Одеса": 184.0,
        "Odesa": None,
        "Кривий Ріг": 335.0,
        "Kryvyi Rih": None,
    }, rows


def test_fragments_read_off_arrows_make_no_line_that_a_sign_row_then_misses():
    """A junction sign with its two destinations side by side, "Heddesheim / Geisingen", each
    distance under its name with an arrow beside it ("73", "169"), turned 6.6 degrees. A line crop
    reads the up arrow as "4" beside "169", another the left arrow glued to "73" ("е73"). The
    distances' row is the one the panel crop reads as "73 2169"; a fragment must not anchor a
    line of its own that leaves "4 169" on the names' row, where "4" becomes Heddesheim's distance."""
    cyrillic = [
        ocr._Word("Неддезпеіт", 90.0, (161, 299, 122, 28), 0, (0, 1, 1, 1), 0),
        ocr._Word("Сеівіпдеп", 90.0, (331, 280, 106, 31), 0, (0, 1, 1, 1), 0),
        ocr._Word("73", 90.0, (164, 330, 41, 19), 0, (0, 1, 1, 2), 0),
        ocr._Word("2169", 90.0, (335, 309, 57, 22), 0, (0, 1, 1, 2), 0),
        ocr._Word("4", 90.0, (336, 314, 14, 17), 6, (6, 1, 4, 1), 0),
        ocr._Word("169", 90.0, (354, 309, 38, 19), 6, (6, 1, 4, 1), 0),
        ocr._Word("е73", 90.0, (164, 330, 41, 19), 7, (7, 1, 5, 1), 0),
    ]
    spans = ocr._merge_passes([("ukr+rus+bel", cyrillic)], [-6.6])
    line = {s.text: s.line for s in spans}
    assert line["4"] == line["73"] == line["2169"] != line["Неддезпеіт"] == line["Сеівіпдеп"], line
