"""``geoloc ocr`` through click's CliRunner: JSON shape, human summary, bad files, debug crops."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from geoloc.cli.main import cli

IMAGES = Path(__file__).resolve().parents[1] / "images"
SAMPLE = str(IMAGES / "chernihiv_sign.jpg")


def test_json_shape_and_the_sign_text():
    result = CliRunner().invoke(cli, ["ocr", SAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == ["photos"] and len(doc["photos"]) == 1
    photo = doc["photos"][0]
    assert photo["path"] == SAMPLE
    texts = {t["text"]: t for t in photo["texts"]}
    assert "Чернігів" in texts and "Chernihiv" in texts
    for t in photo["texts"]:
        assert {"text", "confidence", "box"} <= set(t)
        assert 0 <= t["confidence"] <= 100
        x, y, w, h = t["box"]
        assert 0 <= x < 1600 and 0 <= y < 1200 and w > 0 and h > 0


def test_bad_file_is_one_line_on_stderr_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not a jpeg at all")
    result = CliRunner().invoke(cli, ["ocr", str(bad), SAMPLE, str(tmp_path / "missing.jpg"), "--json"])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "broken.jpg" in errors[0] and "not an image" in errors[0]
    assert "missing.jpg" in errors[1] and "no such file" in errors[1]
    doc = json.loads(result.stdout)
    assert [p["path"] for p in doc["photos"]] == [SAMPLE]


def test_human_summary_groups_a_line_and_its_distance():
    result = CliRunner().invoke(cli, ["ocr", SAMPLE])
    assert result.exit_code == 0
    line = next(ln for ln in result.stdout.splitlines() if "Чернігів" in ln)
    assert "14" in line and "at x=" in line


def test_unknown_language_fails_with_the_pack_to_install():
    result = CliRunner().invoke(cli, ["ocr", SAMPLE, "--lang", "eng+xyz"])
    assert result.exit_code == 1
    assert "tesseract-ocr-xyz" in result.stderr


def test_debug_dir_holds_one_folder_per_photo(tmp_path):
    result = CliRunner().invoke(cli, ["ocr", SAMPLE, "--debug-dir", str(tmp_path / "dbg")])
    assert result.exit_code == 0
    folder = tmp_path / "dbg" / "chernihiv_sign"
    assert (folder / "regions.jpg").is_file()
    assert list(folder.glob("crop_*.png"))


def test_help_teaches_with_examples():
    result = CliRunner().invoke(cli, ["ocr", "--help"])
    assert result.exit_code == 0
    assert "geoloc ocr images/chernihiv_sign.jpg" in result.output
    assert "--debug-dir" in result.output and "--lang" in result.output


def test_debug_dir_shows_where_text_was_looked_for_and_why_readings_were_dropped(tmp_path):
    """A small photo is enlarged for the search; the report says so, lists the regions and the
    readings with why each was kept or dropped, and the page escapes the file name."""
    from PIL import Image, ImageDraw, ImageFont

    from tests.support.scenes import font_file

    im = Image.new("RGB", (640, 420), (90, 120, 90))
    draw = ImageDraw.Draw(im)
    draw.rectangle((120, 130, 520, 290), fill=(30, 90, 170))
    draw.text((320, 210), "Chernihiv", font=ImageFont.truetype(font_file(), 48), fill="white", anchor="mm")
    photo = tmp_path / "<img src=x onerror=alert(1)>.png"
    im.save(photo)
    result = CliRunner().invoke(cli, ["ocr", str(photo), "--debug-dir", str(tmp_path / "dbg")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "dbg" / photo.stem
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    lines = [s for s in report["searches"] if s["finder"].startswith("text lines")]
    assert lines and "enlarged" in lines[0]["finder"] and lines[0]["scale"] > 1
    assert any(r["kind"] == "text" and r["read"] for r in report["regions"])
    kept = [r for r in report["readings"] if r["why"] == "kept"]
    assert any(r["text"] == "Chernihiv" for r in kept)
    assert any(r["why"] != "kept" for r in report["readings"])  # the Cyrillic pass's look-alikes
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<p>Levels: " in page  # whether the photo's levels were stretched before the search
    assert (folder / "regions.jpg").is_file()
