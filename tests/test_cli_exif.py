"""``geoloc exif``: the real command, driven with click's CliRunner."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from geoloc.cli.main import cli

REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata"


def _photo(path: Path, *, city: bytes | None = None) -> Path:
    """An 8x8 JPEG with EXIF GPS 33.865 S 70.670 W, altitude, direction and camera make."""
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif.get_ifd(0x8825).update(
        {
            1: "S",
            2: (IFDRational(33, 1), IFDRational(51, 1), IFDRational(545, 10)),
            3: "W",
            4: (IFDRational(70, 1), IFDRational(40, 1), IFDRational(125, 10)),
            16: "M",
            17: IFDRational(2475, 10),
        }
    )
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "JPEG", exif=exif)
    data = buf.getvalue()
    if city is not None:  # an APP13 IPTC block with this city
        iim = b"\x1c\x02\x5a" + struct.pack(">H", len(city)) + city
        irb = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) % 2)
        data = data[:2] + b"\xff\xed" + struct.pack(">H", len(irb) + 2) + irb + data[2:]
    path.write_bytes(data)
    return path


def test_json_output(tmp_path: Path) -> None:
    p = _photo(tmp_path / "a.jpg", city=b"Santiago")
    result = CliRunner().invoke(cli, ["exif", "--json", str(p)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (photo,) = doc["photos"]
    assert photo["path"] == str(p)
    assert photo["gps"]["lat"] == pytest.approx(-(33 + 51 / 60 + 54.5 / 3600))
    assert photo["gps"]["lon"] == pytest.approx(-(70 + 40 / 60 + 12.5 / 3600))
    assert (photo["gps"]["direction_deg"], photo["gps"]["direction_ref"]) == (pytest.approx(247.5), "M")
    assert photo["location"]["city"] == "Santiago" and photo["location"]["source"] == "iptc"
    assert photo["camera"]["make"] == "TestCam"
    assert photo["warnings"] == []


def test_human_summary(tmp_path: Path) -> None:
    p = _photo(tmp_path / "a.jpg", city=b"Santiago")
    result = CliRunner().invoke(cli, ["exif", str(p)])
    assert result.exit_code == 0
    assert "-33.865139, -70.670139 (EXIF)" in result.stdout
    assert "facing 247.5° magnetic" in result.stdout
    assert "Santiago" in result.stdout and "TestCam" in result.stdout


def test_bad_files_give_one_line_each_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = _photo(tmp_path / "good.jpg")
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo\n")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.jpg"
    result = CliRunner().invoke(cli, ["exif", "--json", str(text), str(good), str(missing), str(empty)])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"geoloc: {text}: not an image (unknown or unsupported format)",
        f"geoloc: {missing}: no such file",
        f"geoloc: {empty}: not an image (empty file)",
    ]
    assert [ph["path"] for ph in json.loads(result.stdout)["photos"]] == [str(good)]


def test_untrusted_strings_cannot_drive_the_terminal(tmp_path: Path) -> None:
    p = _photo(tmp_path / "evil.jpg", city=b"\x1b[2J\x1b]0;pwned\x07Kyiv")
    result = CliRunner().invoke(cli, ["exif", str(p)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b[2J" in result.stdout and "Kyiv" in result.stdout
    doc = json.loads(CliRunner().invoke(cli, ["exif", "--json", str(p)]).stdout)
    assert doc["photos"][0]["location"]["city"] == "\x1b[2J\x1b]0;pwned\x07Kyiv"  # JSON escapes it


def test_warning_for_placeholder_gps(tmp_path: Path) -> None:
    exif = Image.Exif()
    zero = (IFDRational(0, 1),) * 3
    exif.get_ifd(0x8825).update({1: "N", 2: zero, 3: "E", 4: zero})
    p = tmp_path / "null.jpg"
    Image.new("RGB", (8, 8)).save(p, exif=exif)
    result = CliRunner().invoke(cli, ["exif", str(p)])
    assert result.exit_code == 0
    assert "GPS       none" in result.stdout
    assert "Warning   EXIF GPS 0/0 placeholder ignored" in result.stdout


def test_help_teaches() -> None:
    result = CliRunner().invoke(cli, ["exif", "--help"])
    assert result.exit_code == 0
    assert "geoloc exif photo.jpg" in result.stdout and "--json" in result.stdout


@pytest.mark.realdata
def test_whole_realdata_batch_agrees_with_exiftool() -> None:
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent")
    expected: dict[str, tuple[float, float] | None] = {}
    for corpus in ("exif-mdx", "exif-py", "exiftool-t", "pillow-iptc"):
        for rec in json.loads((REALDATA / corpus / "exiftool-12.57_location.json").read_text()):
            lat, lon = rec.get("Composite:GPSLatitude"), rec.get("Composite:GPSLongitude")
            if not isinstance(lat, (int, float)) or (lat, lon) == (0, 0):
                lat, lon = rec.get("XMP-exif:GPSLatitude"), rec.get("XMP-exif:GPSLongitude")
            path = str(REALDATA / rec["SourceFile"])
            expected[path] = (lat, lon) if isinstance(lat, (int, float)) else None
    result = CliRunner().invoke(cli, ["exif", "--json", *expected])
    assert result.exit_code == 0, result.stderr
    photos = json.loads(result.stdout)["photos"]
    assert len(photos) == len(expected) == 65
    for ph in photos:
        want = expected[ph["path"]]
        if want is None:
            assert ph["gps"] is None, ph["path"]
        else:
            assert ph["gps"]["lat"] == pytest.approx(want[0], abs=1e-6), ph["path"]
            assert ph["gps"]["lon"] == pytest.approx(want[1], abs=1e-6), ph["path"]
