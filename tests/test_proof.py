"""The proof renderer (``geoloc.render.proof``) on reports and photos built here: the picture, the static
map, the page, the record, the label languages, and hostile text drawn as text everywhere."""

from __future__ import annotations

import ast
import io
import json
import string
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from defusedxml import ElementTree
from PIL import Image

from geoloc.areas import map_geography, measure, resolve_areas
from geoloc.errors import GeolocError
from geoloc.model import GPS, Alternative, Candidate, Estimate, Evidence, Location, Metadata, PhotoReport, Place, Report
from geoloc.render.map.style import AREA_STYLE, RING_COLOR, SCORE_COLORS
from geoloc.render.proof import InputFile, Options, Provenance, make_proof, parse_record
from geoloc.render.proof.figure import BOX_COLOR, PAD_PX, PHOTO_PX, TITLE_PX, WIDTH_PX
from geoloc.render.proof.i18n import CATALOGUE, translator
from geoloc.render.proof.statement import MAX_SHOWN_CHARS, RULE_SENTENCES
from tests.support.scenes import SignLine, SignSpec, render_scene

PROOF_SOURCES = Path(__file__).resolve().parents[1] / "geoloc" / "render" / "proof"
CHERNIHIV = Place(710735, "Chernihiv", 51.50541, 31.28656, "UA", "Chernihiv Oblast", "02", 282747)
KYIV = Place(703448, "Kyiv", 50.45466, 30.5238, "UA", "Kyiv City", "12", 2952301)

SCRIPT = "<script>window.__pwned=1</script>"
MATH = r"$\frac{}$ $x^2$"  # mathtext would fail on the first and raise the second
TEMPLATE = "{{ 7*7 }} ${7*7}"
ANSI = "\x1b[31mRED\x1b]0;title\x07"
RTL = "\u202eevil.exe"
LONG = "A" * 100_000
SAME_IN_EVERY_LANGUAGE = {"GPS {lat}, {lon} ({source})"}


def _scene(tmp_path: Path, name: str, lines: tuple[SignLine, ...], seed: int) -> tuple[Path, list]:
    """A road scene with one Ukrainian direction sign, saved as a JPEG; returns its path and truth."""
    image, truth = render_scene(
        [SignSpec("ua_direction", lines, cap_px=28, position=(0.62, 0.35), angle_deg=0, tilt=0)],
        seed=seed,
        lighting="day",
        blur=0.3,
    )
    path = tmp_path / name
    image.save(path, "JPEG", quality=90)
    return path, truth


def _report(path: Path, truth: list, *, texts: dict[str, str] | None = None) -> PhotoReport:
    """The report geoloc would give for the two-destination scene: both names as evidence, with
    their boxes and distances, and an estimate where the rings meet. ``texts`` replaces what was read."""
    texts = texts or {}
    places = [t for t in truth if t.role == "place" and t.script == "cyr"]
    evidence = [
        Evidence("ocr", texts.get(t.text, t.text), 91.0, t.box, str(path), distance_km=km)
        for t, km in zip(places, (25.0, 140.0), strict=True)
    ]
    estimate = Estimate(
        51.32,
        31.2,
        14.0,
        0.83,
        "distance",
        "2 distance signs: Chernihiv 25 km, Kyiv 140 km -> region of 14 km radius",
        probability=0.6,
        alternatives=(Alternative(51.0, 31.9, 18.0, 0.3, "the distance signs also meet here"),),
        rule="distance_signs",
    )
    return PhotoReport(
        path=str(path),
        estimate=estimate,
        candidates=[
            Candidate(
                CHERNIHIV, 0.92, (evidence[0], Evidence("context", texts.get("caption", "Chernihiv"), source="c"))
            ),
            Candidate(KYIV, 0.45, (evidence[1],)),
        ],
        metadata=Metadata(camera={"make": "Canon"}),
    )


@pytest.fixture(scope="module")
def areas():
    return resolve_areas(regions=["Belarus", "Bryansk Oblast"], borders=["BY"], home_country="UA")


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> tuple[Path, list]:
    return _scene(
        tmp_path_factory.mktemp("scene"),
        "sign.jpg",
        (SignLine("Чернігів", "Chernihiv", 25), SignLine("Київ", "Kyiv", 140)),
        seed=181,
    )


def _provenance(path: Path, lang_ui: str = "en", within_km: float | None = 20.0) -> Provenance:
    return Provenance(
        inputs=(InputFile("photo", str(path), "ab" * 32, path.stat().st_size),),
        options=Options(lang="eng+ukr", lang_ui=lang_ui, within_km=within_km, borders=("BY",)),
        software={"geoloc": "test", "tesseract": "5"},
        data={"gazetteer": {"builder": "9"}},
        created_utc="2024-04-19T10:00:00Z",
    )


def _proof(photo: PhotoReport, areas, *, lang_ui: str = "en", within_km: float | None = 20.0, headline=True):
    if photo.estimate is not None:
        photo.areas = [measure(a, photo.estimate.lat, photo.estimate.lon) for a in areas]
    path = Path(photo.path)
    return make_proof(
        photo,
        Image.open(path).convert("RGB"),
        map_geography(Report(photos=[photo]), areas),
        _provenance(path, lang_ui, within_km),
        headline=photo.candidates[0] if headline and photo.candidates else None,
        within_km=within_km,
    )


def _png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _count(pixels: np.ndarray, hex_colour: str, tolerance: int = 12) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb).max(axis=2) <= tolerance).sum())


def _photo_panel(pixels: np.ndarray) -> np.ndarray:
    return pixels[TITLE_PX : TITLE_PX + PHOTO_PX[1], PAD_PX : PAD_PX + PHOTO_PX[0]]


def _map_panel(pixels: np.ndarray) -> np.ndarray:
    return pixels[TITLE_PX : TITLE_PX + PHOTO_PX[1], 2 * PAD_PX + PHOTO_PX[0] : WIDTH_PX - PAD_PX]


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


# ---------------------------------------------------------------------------------------------
# the picture and the map


def test_picture_outlines_the_evidence_beside_a_map_of_the_estimate(scene, areas) -> None:
    path, truth = scene
    proof = _proof(_report(path, truth), areas)
    pixels = _png(proof.png)
    height, width, _ = pixels.shape
    assert width == WIDTH_PX >= 1200 and 900 < height < 1400
    # the evidence boxes are outlined on the photo, where the names were drawn
    photo = _photo_panel(pixels)
    scale = PHOTO_PX[0] / 1600  # the 1600 x 1200 scene fills the 4:3 panel
    yellow = np.abs(photo - np.array([0xFF, 0xD4, 0x00])).max(axis=2) <= 40
    for t in truth:
        if t.role == "place" and t.script == "cyr":
            x, y, w, h = (round(v * scale) for v in t.box)
            left_edge = yellow[max(0, y - 3) : y + h + 3, max(0, x - 4) : x + 2]
            assert left_edge.sum() >= h // 2, t.text
    # the map: the reported border, the region, the country, the rings, the band, each in the map's colours
    panel = _map_panel(pixels)
    for kind in ("border", "admin1", "country"):
        assert _count(panel, AREA_STYLE[kind]["color"], 20) > 100, kind
    assert _count(panel, RING_COLOR, 20) > 100
    assert _count(_png(_proof(_report(path, truth), [], within_km=None).png), AREA_STYLE["border"]["color"], 20) == 0
    # the statement and the legend sit below, in the picture
    block = pixels[TITLE_PX + PHOTO_PX[1] + PAD_PX :]
    assert (block < 80).all(axis=2).sum() > 3000  # dark text
    assert _count(block, SCORE_COLORS[0][1], 10) > 20  # the legend's candidate swatch


def test_picture_without_evidence_outlines_nothing_and_says_so(tmp_path, areas) -> None:
    path, _ = _scene(tmp_path, "empty.jpg", (), seed=7)
    photo = PhotoReport(path=str(path))
    proof = _proof(photo, areas)
    assert _count(_photo_panel(_png(proof.png)), BOX_COLOR, 30) == 0
    assert "No location evidence" in proof.html
    assert json.loads(proof.record)["report"]["estimate"] is None


def test_two_photos_give_two_pictures(scene, tmp_path, areas) -> None:
    path, truth = scene
    other_path, other_truth = _scene(
        tmp_path, "other.jpg", (SignLine("Ніжин", "Nizhyn", 40), SignLine("Прилуки", "Pryluky", 63)), seed=5
    )
    first = _png(_proof(_report(path, truth), areas).png)
    second = _png(_proof(_report(other_path, other_truth), areas).png)
    assert first.shape[1] == second.shape[1] == WIDTH_PX
    changed = np.abs(_photo_panel(first) - _photo_panel(second)).max(axis=2) > 40
    assert changed.mean() > 0.2  # the photos themselves, not a label or two


def test_svg_is_the_picture_with_its_text_as_shapes(scene, areas) -> None:
    path, truth = scene
    proof = _proof(_report(path, truth), areas)
    root = ElementTree.fromstring(proof.svg)
    assert root.tag.endswith("svg") and root.get("width") == f"{WIDTH_PX * 72 / 100:g}pt"
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags and "text" not in tags and "foreignObject" not in tags
    assert "image" in tags and "path" in tags


# ---------------------------------------------------------------------------------------------
# the page and the record


def test_page_is_self_contained_with_full_resolution_crops(scene, areas) -> None:
    path, truth = scene
    proof = _proof(_report(path, truth), areas)
    page = _elements(proof.html)
    assert not [t for t, _ in page.tags if t in ("script", "link", "iframe", "object", "embed", "base")]
    images = [a["src"] for t, a in page.tags if t == "img"]
    assert images and all(src and src.startswith("data:image/png;base64,") for src in images)
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    # each crop is the photo at full resolution around its box: wider than the box itself
    import base64

    photo = Image.open(path)
    crops = [Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))) for src in images[1:]]
    boxes = [t.box for t in truth if t.role == "place" and t.script == "cyr"]
    assert len(crops) == len(boxes) == 2
    for crop, (x, y, w, h) in zip(crops, boxes, strict=True):
        m = int(0.25 * max(w, h)) + 4  # the margin of context kept around the box
        expected = photo.convert("RGB").crop((max(0, x - m), max(0, y - m), x + w + m, y + h + m))
        assert crop.size == expected.size and np.array_equal(np.asarray(crop.convert("RGB")), np.asarray(expected))
    text = " ".join(page.text)
    assert "Чернігів" in text and "Chernihiv, Chernihiv Oblast, UA" in text
    assert "ab" * 32 in text and "geoloc proof --check record.json" in text


def test_record_reads_back_and_refuses_what_geoloc_did_not_write(scene, areas) -> None:
    path, truth = scene
    photo = _report(path, truth)
    proof = _proof(photo, areas)
    rec = parse_record(proof.record.encode(), "record.json")
    assert rec.estimate == photo.to_dict()["estimate"] and rec.areas == photo.to_dict()["areas"]
    assert rec.options == Options(lang="eng+ukr", lang_ui="en", within_km=20.0, borders=("BY",))
    assert [i.role for i in rec.inputs] == ["photo"] and rec.inputs[0].sha256 == "ab" * 32
    doc = json.loads(proof.record)
    assert doc["report"] == photo.to_dict() and doc["created_utc"] == "2024-04-19T10:00:00Z"
    bad = {
        "not JSON": b"\xff{",
        "schema": json.dumps({**doc, "schema": "x"}).encode(),
        "sha256": json.dumps({**doc, "inputs": [{**doc["inputs"][0], "sha256": "../etc"}]}).encode(),
        "options.lang": json.dumps({**doc, "options": {**doc["options"], "lang": "eng; rm -rf ~"}}).encode(),
        "options.near": json.dumps({**doc, "options": {**doc["options"], "near": [1, 2]}}).encode(),
        "one photo": json.dumps({**doc, "inputs": []}).encode(),
        "over": b" " * (16 * 2**20 + 1),
    }
    for what, data in bad.items():
        with pytest.raises(GeolocError) as err:
            parse_record(data, "record.json")
        assert str(err.value).startswith("record.json: "), what


# ---------------------------------------------------------------------------------------------
# languages and scripts


def _fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


def _messages_in_code() -> set[str]:
    """Every literal message the renderer looks up (``t("...")``), and those it builds from tables."""
    found: set[str] = set(RULE_SENTENCES.values()) | {f"candidate, {label}" for _, _, label in SCORE_COLORS}
    found |= {"reported country", "reported region", "reported border", "reported area"}
    for source in PROOF_SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name == "t" and isinstance(node.args[0].value, str):
                    found.add(node.args[0].value)
    return found


def test_every_label_has_ukrainian_and_russian_with_the_same_fields() -> None:
    used = _messages_in_code()
    assert len(used) > 40
    for lang in ("uk", "ru"):
        missing = used - set(CATALOGUE[lang])
        assert not missing, (lang, sorted(missing))
        for english, translated in CATALOGUE[lang].items():
            assert _fields(english) == _fields(translated), (lang, english)
            assert translated != english or english in SAME_IN_EVERY_LANGUAGE, (lang, english)


def test_translator_fills_fields_without_expanding_them() -> None:
    t = translator("uk")
    assert t("{km} km from {name}", km="50", name="{name} {0}") == "50 км від {name} {0}"
    assert translator("en")("Estimate") == "Estimate"
    with pytest.raises(ValueError):
        translator("de")


def test_ukrainian_and_russian_labels(scene, areas) -> None:
    path, truth = scene
    english = _proof(_report(path, truth), areas)
    for lang, words in {
        "uk": ("Оцінка", "Підстава", "Докази"),
        "ru": ("Оценка", "Основание", "Доказательства"),
    }.items():
        proof = _proof(_report(path, truth), areas, lang_ui=lang)
        assert f'<html lang="{lang}">' in proof.html
        assert all(w in proof.html for w in words)
        assert "Estimate" not in proof.html.split("<h2>")[0]
        assert not np.array_equal(_png(proof.png), _png(english.png))


@pytest.mark.parametrize("pair", [("北京", "上海"), ("서울", "부산"), ("Київ", "Сумы")])
def test_cjk_and_cyrillic_signs_are_drawn_in_their_own_glyphs(tmp_path, areas, pair) -> None:
    """Two readings of the same length give different pictures only if their glyphs were drawn:
    characters missing from every font would all be the same empty box."""
    path, truth = _scene(
        tmp_path, "sign.jpg", (SignLine("Чернігів", "Chernihiv", 25), SignLine("Київ", "Kyiv", 140)), 181
    )
    pictures = []
    for reading in pair:
        photo = _report(path, truth, texts={"Чернігів": reading})
        pictures.append(_png(_proof(photo, areas).png))
    assert not np.array_equal(*pictures)


def test_a_script_no_font_has_is_drawn_as_boxes_not_an_error(scene, areas) -> None:
    path, truth = scene
    proof = _proof(_report(path, truth, texts={"Чернігів": "กรุงเทพ ไทย"}), areas)
    assert Image.open(io.BytesIO(proof.png)).width == WIDTH_PX
    assert "กรุงเทพ ไทย" in proof.html


# ---------------------------------------------------------------------------------------------
# hostile text


def test_hostile_text_is_drawn_and_written_as_text(scene, tmp_path, areas) -> None:
    path, truth = scene
    hostile = tmp_path / f"{SCRIPT[:8]}img src=x onerror=alert(1)>.jpg"
    hostile.write_bytes(path.read_bytes())
    payloads = [SCRIPT, MATH, TEMPLATE, ANSI, RTL, LONG]
    photo = _report(hostile, truth, texts={"Чернігів": " ".join(payloads[:5]), "Київ": LONG, "caption": SCRIPT + MATH})
    photo.metadata = Metadata(
        gps=GPS(51.3, 31.2, source=f"exif{ANSI}"),
        location=Location(city=f"{SCRIPT}{RTL}", country=MATH, source="xmp"),
        camera={"make": SCRIPT},
    )
    photo.conflicts = [f"caption says {SCRIPT} {TEMPLATE} {LONG}"]
    photo.texts = []
    evil = Place(1, f"Evil {SCRIPT} {MATH}", 51.4, 31.0, "UA", admin1=TEMPLATE)
    photo.candidates.append(Candidate(evil, 0.7, (Evidence("ocr", f"{RTL}{ANSI}", 50.0, (10, 10, 30, 20)),)))

    proof = _proof(photo, areas)  # mathtext would raise on "$\frac{}$", LaTeX would be needed for usetex

    # PNG: drawn, and no longer than a benign proof with as many lines
    png = Image.open(io.BytesIO(proof.png))
    assert png.width == WIDTH_PX and png.height < 1500
    # SVG: text as shapes only, nothing a viewer runs, no raw control characters
    svg = proof.svg.decode("utf-8")
    root = ElementTree.fromstring(proof.svg)
    assert not {el.tag.rsplit("}", 1)[-1] for el in root.iter()} & {"script", "text", "foreignObject", "a"}
    assert "<script" not in svg and "\x1b" not in svg and "\u202e" not in svg
    # HTML: the payloads are shown as text, made visible, cut, and never elements
    page = _elements(proof.html)
    assert not [t for t, _ in page.tags if t in ("script", "iframe", "object", "embed", "svg", "math")]
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert all((a.get("src") or "").startswith("data:") for t, a in page.tags if t == "img")
    text = "".join(page.text)
    assert SCRIPT in text and "$\\frac{}$" in text and "{{ 7*7 }}" in text and "${7*7}" in text
    assert "\\x1b[31mRED\\x1b]0;title\\x07" in text and "\\u202eevil.exe" in text
    assert "\x1b" not in proof.html and "\u202e" not in proof.html and "\x07" not in proof.html
    assert "A" * (2 * MAX_SHOWN_CHARS + 1) not in proof.html and "A" * 100 in text
    assert len(proof.html) < 3_000_000
    # the record keeps the data as read, escaped for terminals and valid JSON
    assert "\x1b" not in proof.record and "\u202e" not in proof.record
    doc = json.loads(proof.record)
    assert doc["report"]["candidates"][0]["evidence"][0]["text"].startswith(SCRIPT)
    assert doc["report"]["candidates"][1]["evidence"][0]["text"] == LONG
