"""A line in each script geoloc reads, rendered with a font Debian ships, is read back.

The sign names are drawn white on a blue panel in a plain scene, as a direction sign shows them;
``make setup`` installs the fonts (fonts-dejavu-core, fonts-wqy-zenhei) and the Tesseract models.
Thai is not in the list: geoloc reads only fragments of a Thai line ("เพ ชร" for "เพชรบุรี").
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

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
