"""A line in each script geoloc reads, rendered with a font Debian ships, is read back.

The sign names are drawn white on a blue panel in a plain scene, as a direction sign shows them;
``make setup`` installs the fonts (fonts-dejavu-core, fonts-wqy-zenhei) and the Tesseract models.
Thai is not in the list: geoloc reads only fragments of a Thai line ("เพ ชร" for "เพชรบุรี").
Armenian is drawn in capitals, as Armenian road signs write names: Debian's Armenian model has no
"և" (the ligature of "Երևան" in lower case), and reads that word as "Երեան" at confidence 44.
Arabic and Hebrew are drawn right to left (Pillow shapes them with libraqm) and compared with the
reading in logical order, as Tesseract returns it.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont, features

from geoloc.common.text import normalise
from geoloc.places.protocol import Gazetteer
from geoloc.read.ocr import reader
from geoloc.read.ocr.reader import read_text
from tests.conftest import MODEL_STEP, require
from tests.support.scenes import font_file

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
SYSTEM_STEP = "`make setup` (scripts/system_packages.sh)"


def _fold(text: str) -> str:
    """Case, accents and spaces folded: the network reads Latin without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())


def _sign(text: str, font: Path) -> Image.Image:
    """A 900x500 scene with one blue panel carrying ``text`` at 64 px."""
    im = Image.new("RGB", (900, 500), (90, 120, 90))
    draw = ImageDraw.Draw(im)
    draw.rectangle((200, 180, 700, 320), fill=(30, 90, 170))
    draw.text((450, 250), text, font=ImageFont.truetype(str(font), 64), fill="white", anchor="mm")
    return im


@pytest.mark.parametrize(
    ("script", "name", "cjk"),
    [
        ("Korean", "서울", True),
        ("Japanese", "東京", True),
        ("Chinese", "北京", True),
        ("Ukrainian Cyrillic", "Чернігів", False),
        ("Russian Cyrillic", "Брянск", False),
        ("accented Latin", "Névache", False),
    ],
)
def test_a_line_of_each_script_is_read(script: str, name: str, cjk: bool) -> None:
    require(CJK_FONT.is_file() or not cjk, "the CJK font (fonts-wqy-zenhei)", SYSTEM_STEP)
    require(Path(font_file()).is_file(), "the DejaVu fonts", SYSTEM_STEP)
    from geoloc.read.ocr import recognise

    require(recognise.REC_MODEL.is_file(), "the text-recognition model", MODEL_STEP)
    spans = read_text(_sign(name, CJK_FONT if cjk else Path(font_file())))
    assert any(_fold(name) in _fold(s.text) for s in spans), (script, [s.text for s in spans])


NEW_SCRIPTS = [
    ("Greek", "Αθήνα", "ell", "GR"),
    ("Georgian", "თბილისი", "kat", "GE"),
    ("Armenian", "ԵՐԵՎԱՆ", "hye", "AM"),
    ("Hebrew", "חיפה", "heb", "IL"),
    ("Arabic", "مراكش", "ara", "MA"),
    ("Bulgarian Cyrillic", "София", "bul", "BG"),
    ("Serbian Cyrillic", "Београд", "srp", "RS"),
]
"""Each script with a place name, the Tesseract model ``make setup`` installs for it, and the
country the name is in. Bulgarian and Serbian names are read by the default Cyrillic pass; their
models are installed for ``--lang``."""


def _read_new_script(name: str, lang: str) -> list:
    require(Path(font_file()).is_file(), "the DejaVu fonts", SYSTEM_STEP)
    require(lang in pytesseract.get_languages(config=""), f"Tesseract's {lang} model", SYSTEM_STEP)
    require(features.check("raqm"), "libraqm with fribidi (right-to-left text for Pillow)", SYSTEM_STEP)
    from geoloc.read.ocr import recognise

    require(recognise.REC_MODEL.is_file(), "the text-recognition model", MODEL_STEP)
    return read_text(_sign(name, Path(font_file())))


@pytest.mark.parametrize(("script", "name", "lang", "country"), NEW_SCRIPTS)
def test_a_line_of_each_new_script_is_read(script: str, name: str, lang: str, country: str) -> None:
    spans = _read_new_script(name, lang)
    assert any(normalise(s.text) == normalise(name) for s in spans), (script, [s.text for s in spans])


@pytest.mark.parametrize(("script", "name", "lang", "country"), NEW_SCRIPTS)
def test_a_reading_in_each_new_script_finds_its_place(
    gz: Gazetteer, script: str, name: str, lang: str, country: str
) -> None:
    """What the reader read is looked up among the names the gazetteer holds in that script."""
    spans = _read_new_script(name, lang)
    reading = next(s.text for s in spans if normalise(s.text) == normalise(name))
    best = gz.search(reading, limit=1)
    assert best and best[0].country_code == country, (script, reading, best)


def test_the_other_scripts_models_read_only_lines_no_pass_is_sure_of(tmp_path: Path) -> None:
    """A clear Cyrillic and Latin sign goes to no other script's model; a Greek one goes to the
    alphabets' call only (the debug report lists every call and its lines)."""
    require(Path(font_file()).is_file(), "the DejaVu fonts", SYSTEM_STEP)
    require(bool(reader._installed(reader.ALPHABET_LANGS)), "Tesseract's ell/kat/hye/heb/ara models", SYSTEM_STEP)
    im = Image.new("RGB", (900, 500), (90, 120, 90))
    draw = ImageDraw.Draw(im)
    draw.rectangle((150, 110, 750, 390), fill=(30, 90, 170))
    for y, text in ((190, "Чернігів"), (310, "Chernihiv")):
        draw.text((450, y), text, font=ImageFont.truetype(font_file(), 64), fill="white", anchor="mm")
    spans = read_text(im, debug_dir=tmp_path / "clear")
    assert {"Чернігів", "Chernihiv"} <= {s.text for s in spans}
    report = json.loads((tmp_path / "clear" / "report.json").read_text(encoding="utf-8"))
    assert report["other_scripts"] == []
    read_text(_sign("Αθήνα", Path(font_file())), debug_dir=tmp_path / "greek")
    report = json.loads((tmp_path / "greek" / "report.json").read_text(encoding="utf-8"))
    assert [call["langs"] for call in report["other_scripts"]] == [reader._installed(reader.ALPHABET_LANGS)]
