"""The arrows of a junction sign: read from the picture, and used to tell two mirror places apart."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from geoloc.common.geodesy import haversine_km
from geoloc.infer.choice import resolve_mentions
from geoloc.model import Mention, TextSpan
from geoloc.places.protocol import Priors
from geoloc.read.mentions import mentions_from_spans
from geoloc.read.ocr.arrows import arrow_left_of, classify_blob, with_arrows
from geoloc.read.ocr.reader import read_text
from tests.support.scenes import ARROWS, SignLine, SignSpec, _draw_arrow, font_file, random_scenes, render_scene
from tests.test_infer import _place, run


def _rgb(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def test_a_junction_sign_photo_reads_a_left_and_a_right_arrow_on_its_rows():
    spec = SignSpec(
        "ua_direction",
        (SignLine("Ніжин", "Nizhyn", 40, "left"), SignLine("Київ", "Kyiv", 150, "right")),
        cap_px=30,
        angle_deg=0,
        tilt=0,
    )
    image, _ = render_scene([spec], seed=3)
    mentions = mentions_from_spans(read_text(image))
    by_km = {m.distance_km: m.arrow for m in mentions if m.distance_km is not None}
    assert by_km == {40.0: "left", 150.0: "right"}, [(m.readings, m.distance_km, m.arrow) for m in mentions]


@pytest.mark.parametrize("kind", ["ua_direction", "ru_direction", "eu_direction"])
def test_each_arrow_direction_is_read_beside_its_row_in_turned_and_tilted_photos(kind):
    # Random turn and perspective per seed; the rows' text boxes are where the scene drew them.
    right = total = 0
    for seed, (first, second) in enumerate([("up", "left"), ("up-left", "right"), ("up-right", "up"), ("left", "up")]):
        rows = (SignLine("Ніжин", "Nizhyn", 40, first), SignLine("Київ", "Kyiv", 150, second))
        image, truth = render_scene([SignSpec(kind, rows, cap_px=26)], seed=100 + seed)
        rgb = _rgb(image)
        first_row = {}
        for t in truth:
            if t.role == "place":
                first_row.setdefault(t.text, t.box)  # a Ukrainian sign's Cyrillic row carries the arrow
        names = [n for n in (rows[0].name_cyr, rows[1].name_cyr) if n in first_row] or [
            n for n in (rows[0].name_lat, rows[1].name_lat) if n in first_row
        ]
        for name, want in zip(names, (first, second), strict=True):
            total += 1
            right += arrow_left_of(rgb, first_row[name]) == want
    assert right >= total - 1, f"{right}/{total}"


def test_the_arrows_of_a_small_far_sign_are_read():
    # Capitals 14 px high: rows of 13-20 px, arrows of 10-15 px, blurred by the scene's turn.
    right = wrong = total = 0
    for seed, arrows in enumerate(
        [("up", "left", "right"), ("left", "up-right", "up"), ("right", "up", "left"), ("up-left", "right", "up")]
    ):
        names = ("Старая Русса", "Тосно", "Гдов")
        rows = tuple(SignLine(n, None, km, a) for n, km, a in zip(names, (187, 64, 196), arrows, strict=True))
        image, truth = render_scene([SignSpec("ru_direction", rows, cap_px=14)], seed=200 + seed)
        rgb = _rgb(image)
        boxes = {t.text: t.box for t in truth if t.role == "place"}
        for name, want in zip(names, arrows, strict=True):
            got = arrow_left_of(rgb, boxes[name])
            total += 1
            right += got == want
            wrong += got is not None and got != want
    assert wrong == 0 and right >= total - 3, f"{right}/{total}, {wrong} wrong"


def test_letters_of_signs_without_arrows_are_not_read_as_arrows():
    seen = 0
    for scene in random_scenes(12, seed=5):
        rgb = _rgb(scene.image)
        for t in scene.texts:
            if any(line.arrow for line in scene.signs[t.sign].lines):
                continue
            seen += 1
            assert arrow_left_of(rgb, t.box) is None, t.text
    assert seen >= 30


@pytest.mark.parametrize("letter", ["Т", "А", "Л", "Ф", "Ж", "У", "V", "Y", "Д", "Ш"])
def test_a_symmetric_capital_is_no_arrow(letter):
    im = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(im).text((20, 10), letter, fill=255, font=ImageFont.truetype(font_file(), 80))
    assert classify_blob(np.asarray(im) > 127) is None


@pytest.mark.parametrize("arrow", sorted(ARROWS))
def test_a_drawn_arrow_blob_is_classified_by_where_its_head_points(arrow):
    shape = ((0.0, -0.5), (0.45, -0.05), (0.15, -0.05), (0.15, 0.5), (-0.15, 0.5), (-0.15, -0.05), (-0.45, -0.05))
    a = math.radians(ARROWS[arrow])
    pts = [
        (60 + 70 * (x * math.cos(a) - y * math.sin(a)), 60 + 70 * (x * math.sin(a) + y * math.cos(a))) for x, y in shape
    ]
    im = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(im).polygon(pts, fill=255)
    assert classify_blob(np.asarray(im) > 127) == arrow
    assert classify_blob(np.asarray(im.rotate(180)) > 127) in (None, _opposite(arrow))


def _opposite(arrow: str) -> str | None:
    return {"left": "right", "right": "left"}.get(arrow)


def test_a_span_that_does_not_start_its_row_is_not_searched():
    spec = SignSpec("ru_direction", (SignLine("Брянск", None, 73, "left"),), cap_px=30, angle_deg=0, tilt=0)
    image, truth = render_scene([spec], seed=4)
    name = next(t for t in truth if t.role == "place")
    x, y, w, h = name.box
    spans = [
        TextSpan("Брянск", 90.0, name.box, line=0, region=0, lang="rus"),
        TextSpan("73", 90.0, (x + w + 2 * h, y, h, h), line=0, region=0, lang="rus"),
    ]
    out = with_arrows(_rgb(image), spans)
    assert [s.arrow for s in out] == ["left", None]
    assert TextSpan.from_dict(out[0].to_dict()).arrow == "left"
    assert "arrow" not in out[1].to_dict()


def _junction(gz, heading: float, names: tuple[str, str], factor: float = 1.4) -> tuple[list[Mention], object]:
    """Two destinations of a junction sign at Nizhyn with road distances, and the arrows a sign
    facing ``heading`` would draw (the five arrows' sectors, as benchmarks/locate_scenes.py draws)."""
    cam = _place(gz, "Nizhyn")
    rows = []
    for i, name in enumerate(names):
        p = _place(gz, name)
        east = (p.lon - cam.lon) * math.cos(math.radians(cam.lat))
        rel = (math.degrees(math.atan2(east, p.lat - cam.lat)) - heading + 180) % 360 - 180
        arrow = "up" if abs(rel) <= 22.5 else ("up-" if abs(rel) <= 67.5 else "") + ("right" if rel > 0 else "left")
        km = float(round(factor * haversine_km(cam.lat, cam.lon, p.lat, p.lon)))
        rows.append(
            Mention(
                readings=(name,),
                kind="ocr",
                distance_km=km,
                box=(10, 10 + 40 * i, 100, 30),
                confidence=90.0,
                region=0,
                arrow=arrow,
            )
        )
    return rows, cam


@pytest.mark.parametrize("heading", [300.0, 110.0])
def test_the_arrows_of_two_rows_pick_the_right_one_of_two_mirror_places(gz, heading):
    rows, cam = _junction(gz, heading, ("Kyiv", "Chernihiv"))
    without = run(gz, [replace(m, arrow=None) for m in rows]).estimate
    assert without is not None and without.alternatives  # "one of two places"
    e = run(gz, rows).estimate
    assert e is not None and e.basis == "distance"
    assert haversine_km(e.lat, e.lon, cam.lat, cam.lon) < 25
    # Sideways arrows (facing away from both towns) allow more of the mirror side, but the place
    # they fit stays at least twice as likely as its mirror image.
    assert e.probability is not None and all(2 * a.probability < e.probability for a in e.alternatives)
    assert e.confidence > without.confidence


def test_arrows_that_fit_only_the_mirror_place_move_the_estimate_there(gz):
    # The same rings, the arrows swapped: now the other place is the one they allow.
    rows, cam = _junction(gz, 300.0, ("Kyiv", "Chernihiv"))
    swapped = [replace(rows[0], arrow=rows[1].arrow), replace(rows[1], arrow=rows[0].arrow)]
    e = run(gz, swapped).estimate
    assert e is not None and haversine_km(e.lat, e.lon, cam.lat, cam.lon) > 25


@pytest.mark.parametrize("bad", ["down", 3, ["left"]])
def test_a_planted_arrow_in_a_saved_span_is_refused(bad):
    d = TextSpan("Брянск", 90.0, (10, 10, 80, 20)).to_dict() | {"arrow": bad}
    with pytest.raises((ValueError, TypeError)):
        TextSpan.from_dict(d)


def test_a_sign_with_columns_reads_each_distance_under_its_name_with_the_arrow_beside_it():
    # Destinations side by side; each distance under its name, its arrow on the side it points to.
    for seed, (first, second) in enumerate([("left", "up"), ("up-left", "right")]):
        lines = (SignLine("Ніжин", "Nizhyn", 40, first), SignLine("Прилуки", "Pryluky", 87, second))
        spec = SignSpec("ua_direction", lines, cap_px=28, angle_deg=0, tilt=0, column_gap=2.5)
        image, _ = render_scene([spec], seed=5 + seed)
        mentions = mentions_from_spans(read_text(image))
        found = {m.distance_km: m.arrow for m in mentions if m.distance_km is not None}
        assert found == {40.0: first, 87.0: second}, [(m.readings, m.distance_km, m.arrow) for m in mentions]


def _row_with_arrow_after(arrow: str | None) -> tuple[Image.Image, list[TextSpan]]:
    """A blue panel row "Київ 150" in white, with ``arrow`` drawn right of the number (or none),
    and the spans an OCR pass would return for it."""
    im = Image.new("RGB", (520, 120), (20, 60, 160))
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(font_file(), 48)
    draw.text((30, 30), "Київ", font=font, fill="white")
    draw.text((260, 30), "150", font=font, fill="white")
    name, number = draw.textbbox((30, 30), "Київ", font=font), draw.textbbox((260, 30), "150", font=font)
    if arrow is not None:
        _draw_arrow(im, arrow, number[2] + 45, (number[1] + number[3]) / 2, 52, (255, 255, 255))

    def box(b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return (b[0], b[1], b[2] - b[0], b[3] - b[1])

    return im, [TextSpan("Київ", 95.0, box(name), 0, 0), TextSpan("150", 95.0, box(number), 0, 0)]


@pytest.mark.parametrize("arrow", ["right", "up-right"])
def test_a_right_turn_arrow_drawn_after_the_distance_is_read_on_the_distance(arrow):
    image, spans = _row_with_arrow_after(arrow)
    found = {s.text: s.arrow for s in with_arrows(_rgb(image), spans)}
    assert found == {"Київ": None, "150": arrow}
    assert mentions_from_spans(with_arrows(_rgb(image), spans))[0].arrow == arrow


@pytest.mark.parametrize("arrow", [None, "left", "up"])
def test_no_arrow_or_one_not_pointing_right_is_taken_from_right_of_a_distance(arrow):
    # a left or up arrow right of a number is the next column's, drawn left of its own text
    image, spans = _row_with_arrow_after(arrow)
    assert [s.arrow for s in with_arrows(_rgb(image), spans)] == [None, None]


def _row(reading: str, y: int, km: float | None = None, arrow: str | None = None, height: int = 50) -> Mention:
    return Mention(
        readings=(reading,),
        kind="ocr",
        distance_km=km,
        box=(140, y, 380, height),
        confidence=90.0,
        region=0,
        arrow=arrow,
    )


def test_an_arrow_beside_a_misread_line_stays_with_its_row(gz):
    # A Ukrainian junction sign writes each destination twice and draws the arrow beside the first
    # (Cyrillic) line. Here that line is misread with the arrow's strokes glued on ("ФЗМирн" for
    # "↑ Мирне 71"), so the Latin line under it names the place: it takes that line's distance, and
    # its arrow too, which tells the two places where the rings meet apart. Camera on the road
    # between Vasylivka and Tokmak, Zaporizhzhia oblast.
    camera = (47.117, 35.491)
    rows = [
        _row("Зеленодольськ", 80, 221, "right"),
        _row("Zelenodolsk", 159),
        _row("ФЗМирн", 257, 71, "up"),
        _row("Myrne", 336),
    ]
    myrne = next(r for r in resolve_mentions(rows, gz, Priors()) if "Myrne" in r.mention.readings)
    assert (myrne.mention.distance_km, myrne.mention.arrow) == (71, "up")
    e = run(gz, rows).estimate
    assert e is not None and e.explanation.startswith("2 distance signs"), e
    assert "one of two places" not in e.explanation and haversine_km(e.lat, e.lon, *camera) <= e.radius_km, e


def test_an_arrow_read_as_a_digit_glued_to_the_name_is_no_part_of_it(gz):
    # "↖ Auce 45" read "4Auce": the arrow as a digit, glued. No place is spelled so; Auce (Latvia,
    # 2,200 people) is, behind it.
    (auce,) = resolve_mentions([_row("4Auce", 158, 45, "up-left")], gz, Priors())
    assert (auce.options[0].name, auce.options[0].country_code) == ("Auce", "LV")
