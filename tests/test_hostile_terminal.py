"""Untrusted text and paths at the edges: what reaches the terminal, what outputs may replace.

A stranger's photo can carry escape sequences in its file name and metadata; its GPS can hold
numbers JSON cannot spell; a user's output path can name a FIFO, standard output, a device or one
of the inputs; a typo in an option should cost no OCR. Every file is generated here: a photo
named with an OSC 52 clipboard write, IPTC text with ESC, BEL, C1 and bidi characters, a GeoJSON
area named with escapes, XMP and EXIF altitudes that overflow a float, FIFOs read in a thread.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image

from geoloc.batch import BatchResult
from geoloc.cache import ObservationCache
from geoloc.cli.main import cli
from geoloc.cli.options import PrintableFormatter
from geoloc.common.files import atomic_write_text, check_outputs, write_output
from geoloc.common.text import decodable, printable
from geoloc.errors import OutputError
from geoloc.model import Metadata, TextSpan
from geoloc.render.jsontext import dumps
from tests.support.limits import deadline
from tests.test_metadata import ASCII, XMP_APP1, app, build_tiff, dms, gps_ifd, iptc_irb, jpeg_bytes, xmp_packet

EVIL = "\033]0;PWNED\007\033[2J\033]52;c;ZWNobyBwd25lZA==\007"
"""Retitle the window, clear the screen, write the clipboard: what a hostile file name carries."""
ESCAPED_EVIL = printable(EVIL)
GEOLOC = [sys.executable, "-c", "import sys; from geoloc.cli.main import cli; sys.exit(cli())"]
RUN_SECONDS = 120
"""A bound for one geoloc run in a subprocess (a few seconds normally, on a busy 2-core machine)."""
TEST_SECONDS = 180
"""A bound for one test run in this process, so that a blocked FIFO cannot hang the suite."""
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    """End any test of this module that runs past ``TEST_SECONDS``."""
    with deadline(TEST_SECONDS, "test still running"):
        yield


def _geoloc(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """geoloc as a user's shell runs it: the bytes it writes to the terminal, both streams."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run([*GEOLOC, *args], cwd=cwd, capture_output=True, timeout=RUN_SECONDS, env=env)


def _assert_terminal_safe(data: bytes, what: str) -> None:
    """No ESC, BEL, C1 control or bidi override among the bytes a terminal would receive."""
    assert b"\x1b" not in data and b"\x07" not in data, (what, data[:2000])
    text = data.decode("utf-8", "surrogateescape")
    bad = sorted({hex(ord(c)) for c in text if 0x80 <= ord(c) <= 0x9F or c in BIDI})
    assert not bad, (what, bad, text[:2000])


def _gps_jpeg(path: Path, lat: float = 50.45, lon: float = 30.52, *extra: bytes) -> Path:
    """A small JPEG whose EXIF GPS says (lat, lon), plus any other APPn segments."""
    tiff = build_tiff(gps=gps_ifd(dms(lat), "N", dms(lon), "E"))
    path.write_bytes(jpeg_bytes(app(0xE1, b"Exif\x00\x00" + tiff), *extra))
    return path


def _no_constants(text: str) -> Any:
    """json.loads as JSON.parse reads: NaN and Infinity are not JSON."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _locate(*args: str) -> Any:
    return CliRunner().invoke(cli, ["locate", *args], catch_exceptions=False)


# --------------------------------------------------------------------------- item 1: the terminal


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    assert printable("Київ, Chernihiv № 5 — 12 km") == "Київ, Chernihiv № 5 — 12 km"
    assert printable(EVIL) == "\\x1b]0;PWNED\\x07\\x1b[2J\\x1b]52;c;ZWNobyBwd25lZA==\\x07"
    assert printable("a\u009b2Jb\u202egpj.exe\x7f") == "a\\x9b2Jb\\u202egpj.exe\\x7f"
    assert printable("line\nnext\ttab") == "line\\x0anext\\x09tab"
    assert printable("tag\U000e0041 zw\u200b") == "tag\\U000e0041 zw\\u200b"
    undecodable = os.fsdecode(b"caf\xe9-\xff.jpg")  # a Latin-1 name on a UTF-8 system
    assert printable(undecodable) == decodable(undecodable) == "caf\\xe9-\\xff.jpg"
    assert printable("\ud800x") == "\\ud800x"  # a lone surrogate from elsewhere: no crash
    assert printable("a\u00a0b") == "a\u00a0b"  # a no-break space is drawn as a space
    assert printable(Path("x\x1by")) == "x\\x1by"


def test_log_lines_are_escaped_and_keep_their_numbers() -> None:
    formatter = PrintableFormatter("geoloc: %(levelname)s: %(message)s")
    record = logging.LogRecord("geoloc", logging.WARNING, __file__, 1, "%s: %d photos, %.1f s", (EVIL, 3, 2.5), None)
    assert formatter.format(record) == f"geoloc: WARNING: {ESCAPED_EVIL}: 3 photos, 2.5 s"
    assert record.args == (EVIL, 3, 2.5)  # other handlers still see the record as logged
    trace = logging.LogRecord("geoloc", logging.DEBUG, __file__, 1, "internal error:\n%s", ("a\x1b\nb",), None)
    assert formatter.format(trace) == "geoloc: DEBUG: internal error:\na\\x1b\\x0ab"


def test_a_hostile_file_name_never_reaches_the_terminal(tmp_path: Path) -> None:
    photo = _gps_jpeg(tmp_path / f"evil{EVIL}x.jpg")
    broken = tmp_path / f"bad{EVIL}.jpg"
    broken.write_text("not a photo", encoding="utf-8")
    runs = {
        "locate": _geoloc(
            "locate", photo.name, broken.name, "--no-cache", "--jobs", "1", "--map", "m.html", cwd=tmp_path
        ),
        "locate --jsonl": _geoloc(
            "locate", photo.name, broken.name, "--no-cache", "--jobs", "1", "--jsonl", "--map", "m.html", cwd=tmp_path
        ),
        "ocr": _geoloc("ocr", photo.name, broken.name, cwd=tmp_path),
        "exif": _geoloc("exif", photo.name, broken.name, cwd=tmp_path),
        "geocode": _geoloc("geocode", f"Kyiv{EVIL}", "--exact", cwd=tmp_path),
        "usage error": _geoloc("locate", photo.name, "--context", f"missing{EVIL}.txt", cwd=tmp_path),
    }
    for what, run in runs.items():
        _assert_terminal_safe(run.stdout, f"{what} stdout")
        _assert_terminal_safe(run.stderr, f"{what} stderr")
    for what in ("locate", "locate --jsonl", "ocr", "exif"):
        err = runs[what].stderr.decode()
        assert runs[what].returncode == 1 and f"geoloc: bad{ESCAPED_EVIL}.jpg: not an image" in err, (what, err)
    assert f"evil{ESCAPED_EVIL}x.jpg: " in runs["locate"].stdout.decode()
    assert f"evil{ESCAPED_EVIL}x.jpg" in runs["ocr"].stdout.decode() + runs["exif"].stdout.decode()
    lines = [json.loads(line) for line in runs["locate --jsonl"].stdout.decode().splitlines()]
    assert [line["path"] for line in lines] == [photo.name, broken.name]  # the names as they are, JSON-escaped
    assert f"Kyiv{ESCAPED_EVIL}: no match" in runs["geocode"].stdout.decode()
    assert runs["usage error"].returncode == 2 and f"missing{ESCAPED_EVIL}.txt" in runs["usage error"].stderr.decode()


def test_metadata_text_and_area_names_reach_the_summary_escaped(tmp_path: Path) -> None:
    """An IPTC city holding ESC, BEL, a C1 CSI and a bidi override still names Kyiv, and is
    quoted in the basis line escaped; a GeoJSON area's name is escaped in its distance line."""
    city = "\u202eKyiv\u009b\x1b\x07"
    app13, _ = iptc_irb({90: city.encode()})
    photo = tmp_path / "kyiv.jpg"
    photo.write_bytes(jpeg_bytes(app(0xED, app13)))
    area = tmp_path / "zone.geojson"
    ring = [[30.3, 50.3], [30.8, 50.3], [30.8, 50.6], [30.3, 50.6], [30.3, 50.3]]
    feature = {
        "type": "Feature",
        "properties": {"name": f"Zone{EVIL}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    run = _geoloc(
        "locate", photo.name, "--area", area.name, "--no-cache", "--jobs", "1", "--map", "m.html", cwd=tmp_path
    )
    _assert_terminal_safe(run.stdout, "stdout")
    _assert_terminal_safe(run.stderr, "stderr")
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert "basis: IPTC location '\\u202eKyiv\\x9b\\x1b\\x07' -> Kyiv (UA)" in out, out
    assert f"inside Zone{ESCAPED_EVIL}" in out, out


# --------------------------------------------------------------------------- item 2: output paths


def _read_fifo_in_thread(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, got


def _release(fifo: Path, reader: threading.Thread) -> None:
    """Unblock a reader still waiting for a writer (the test failed), so no thread is left."""
    if reader.is_alive():
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
        reader.join(5)


def test_report_into_a_fifo_and_to_stdout(tmp_path: Path) -> None:
    photo = _gps_jpeg(tmp_path / "kyiv.jpg")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader, got = _read_fifo_in_thread(fifo)
    try:
        result = _locate(
            str(photo), "--no-cache", "--jobs", "1", "--map", str(tmp_path / "m.html"), "--report", str(fifo)
        )
        reader.join(30)
    finally:
        _release(fifo, reader)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a FIFO, not replaced by a file
    report = _no_constants(got[0].decode())
    assert report["photos"][0]["estimate"]["basis"] == "gps"

    result = _locate(str(photo), "--no-cache", "--jobs", "1", "--map", str(tmp_path / "m.html"), "--report", "-")
    assert result.exit_code == 0, result.stderr
    assert _no_constants(result.stdout)["photos"][0]["path"] == str(photo)  # stdout holds the report alone
    assert "kyiv.jpg: " in result.stderr and "wrote -" in result.stderr  # the summary moved to stderr


def test_write_output_writes_into_devices_and_fifos_and_replaces_files(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link.fifo"
    link.symlink_to(fifo.name)
    reader, got = _read_fifo_in_thread(fifo)
    try:
        assert write_output(link, b"through the link") == link
        reader.join(10)
    finally:
        _release(fifo, reader)
    assert got == [b"through the link"] and link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)
    with pytest.raises(OutputError, match="not a regular file"):
        atomic_write_text(fifo, "would replace the FIFO")
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    alias = tmp_path / "alias.json"
    alias.symlink_to(target.name)
    write_output(alias, b"new")
    assert alias.is_symlink() and target.read_text(encoding="utf-8") == "new"  # the link is kept
    write_output(os.devnull, b"discarded")  # a character device is written into, never replaced
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    with pytest.raises(OutputError, match="not a file, terminal, device or FIFO"):
        write_output(tmp_path, b"a folder")


def test_outputs_that_would_replace_an_input_or_each_other_are_refused(tmp_path: Path) -> None:
    photo = _gps_jpeg(tmp_path / "photo.jpg")
    before = photo.read_bytes()
    (tmp_path / "link.jpg").symlink_to("photo.jpg")
    os.link(photo, tmp_path / "hard.jpg")
    caption = tmp_path / "caption.txt"
    caption.write_text("Kyiv.", encoding="utf-8")
    base = [str(photo), "--no-cache", "--jobs", "1", "--context", str(caption)]
    map_file = ["--map", str(tmp_path / "m.html")]
    for args in [
        ["--report", str(photo), *map_file],
        ["--report", str(tmp_path / "link.jpg"), *map_file],
        ["--geojson", str(tmp_path / "hard.jpg"), *map_file],
        ["--map", str(caption)],
    ]:
        result = _locate(*base, *args)
        assert result.exit_code == 2 and "would overwrite this input" in result.stderr, (args, result.stderr)
    assert photo.read_bytes() == before and (tmp_path / "link.jpg").is_symlink()
    assert caption.read_text(encoding="utf-8") == "Kyiv."
    out = tmp_path / "out.json"
    for report, geojson in [(out, out), (out, tmp_path / "sub" / ".." / "out.json")]:
        result = _locate(*base, *map_file, "--report", str(report), "--geojson", str(geojson))
        assert result.exit_code == 2 and "named for both --geojson and --report" in result.stderr, result.stderr
    result = _locate(*base, *map_file, "--report", "-", "--json")
    assert result.exit_code == 2 and "--json" in result.stderr
    assert not out.exists() and not (tmp_path / "m.html").exists()
    check_outputs({"--map": os.devnull, "--report": os.devnull}, [photo])  # /dev/null twice loses nothing


# --------------------------------------------------------------------------- item 5: numbers


def test_non_finite_altitudes_are_written_as_null(tmp_path: Path) -> None:
    xmp = xmp_packet(f'exif:GPSLatitude="50,27.0N" exif:GPSLongitude="30,31.0E" exif:GPSAltitude="1{"0" * 400}/1"')
    from_xmp = tmp_path / "xmp.jpg"
    from_xmp.write_bytes(jpeg_bytes(app(0xE1, XMP_APP1 + xmp)))
    tiff = build_tiff(gps=gps_ifd(dms(50.45), "N", dms(30.52), "E", alt=(ASCII, "1e999")))
    from_exif = tmp_path / "exif.jpg"
    from_exif.write_bytes(jpeg_bytes(app(0xE1, b"Exif\x00\x00" + tiff)))
    report, geojson = tmp_path / "r.json", tmp_path / "g.geojson"
    photos = [str(from_xmp), str(from_exif)]
    result = _locate(
        *photos,
        "--no-cache",
        "--jobs",
        "1",
        "--json",
        "--map",
        str(tmp_path / "m.html"),
        "--report",
        str(report),
        "--geojson",
        str(geojson),
    )
    assert result.exit_code == 0, result.stderr
    for text in (result.stdout, report.read_text(encoding="utf-8"), geojson.read_text(encoding="utf-8")):
        _no_constants(text)
    data = _no_constants(result.stdout)
    assert [p["metadata"]["gps"]["altitude_m"] for p in data["photos"]] == [None, None]
    exif = CliRunner().invoke(cli, ["exif", *photos, "--json"])
    assert [p["gps"]["altitude_m"] for p in _no_constants(exif.stdout)["photos"]] == [None, None]
    jsonl = _locate(*photos, "--no-cache", "--jobs", "1", "--jsonl", "--map", str(tmp_path / "m.html"))
    assert all(_no_constants(line) for line in jsonl.stdout.splitlines())


def test_json_text_is_finite_and_terminal_safe(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        text = dumps(
            {"gps": {"alt": float("inf"), "lat": 50.5}, "n": [float("nan")], "t": "Київ\u009b\u202e\x1b\udcff"}
        )
    assert text == '{"gps": {"alt": null, "lat": 50.5}, "n": [null], "t": "Київ\\u009b\\u202e\\u001b\\udcff"}'
    assert "gps.alt is inf" in caplog.text and "n[0] is nan" in caplog.text
    text.encode("utf-8")  # no lone surrogate left to break the encoding


@pytest.mark.parametrize(
    "args",
    [
        ["--near", "48.5,35,nan"],
        ["--near", "1,2,0"],
        ["--near", "1,2,-5"],
        ["--near", "1,2,inf"],
        ["--within-km", "nan"],
        ["--within-km", "inf"],
    ],
)
def test_non_finite_or_empty_distances_are_bad_usage(tmp_path: Path, args: list[str]) -> None:
    photo = _gps_jpeg(tmp_path / "p.jpg")
    result = _locate(str(photo), "--no-cache", *args, "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 2, result.stderr
    assert not (tmp_path / "m.html").exists()
    if args[0] == "--near":
        assert CliRunner().invoke(cli, ["geocode", "Kyiv", *args]).exit_code == 2


# --------------------------------------------------------------------------- item 13: options first


@pytest.fixture
def three_photos(tmp_path: Path) -> list[str]:
    folder = tmp_path / "photos"
    folder.mkdir()
    return [str(_gps_jpeg(folder / f"{i}.jpg", 50.0 + i / 10)) for i in range(3)]


@pytest.fixture
def no_reading(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Replace the batch: record the settings it was given, read nothing, return no report."""
    calls: list[Any] = []

    def fake_batch(paths: list[str], settings: Any, **kwargs: Any) -> BatchResult:
        calls.append((list(paths), settings))
        return BatchResult()

    monkeypatch.setattr("geoloc.locate.run_batch", fake_batch)
    return calls


@pytest.mark.parametrize(
    "args,words",
    [
        (["--country", "ZZ"], 'unknown country "ZZ"'),
        (["--region", "Nowhereland"], 'unknown country or region "Nowhereland"'),
    ],
)
def test_bad_country_or_region_is_refused_before_any_photo_is_read(
    three_photos: list[str], no_reading: list[Any], args: list[str], words: str
) -> None:
    started = time.monotonic()
    result = _locate(str(Path(three_photos[0]).parent), "--no-cache", *args)
    assert result.exit_code == 2 and words in result.stderr, result.stderr
    assert no_reading == [] and time.monotonic() - started < 10


def test_country_by_name_is_its_iso_code(three_photos: list[str], no_reading: list[Any]) -> None:
    _locate(*three_photos, "--no-cache", "--country", "Ukraine")
    assert no_reading[0][1].country == "UA"
    geocode = CliRunner().invoke(cli, ["geocode", "Kharkiv", "--country", "Ukraine", "--json"])
    assert geocode.exit_code == 0 and json.loads(geocode.stdout)["queries"][0]["candidates"][0]["country_code"] == "UA"
    assert CliRunner().invoke(cli, ["geocode", "Kharkiv", "--country", "ZZ"]).exit_code == 2


def test_an_empty_folder_is_named_and_no_photo_at_all_is_bad_usage(
    tmp_path: Path, three_photos: list[str], no_reading: list[Any]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no photo here", encoding="utf-8")
    result = _locate(str(empty), three_photos[0], "--no-cache")
    assert f"geoloc: {empty}: no photos in this folder; skipped" in result.stderr
    assert no_reading[0][0] == [three_photos[0]]
    result = _locate(str(empty), "--no-cache")
    assert result.exit_code == 2 and "no photos found" in result.stderr


def test_cache_info_counts_only_entries(tmp_path: Path) -> None:
    cache = ObservationCache(tmp_path / "observations")
    key = cache.key("0" * 64, "eng")
    cache.put(key, [TextSpan(text="Kyiv", confidence=90.0, box=(0, 0, 10, 10))], Metadata())
    folder = cache.directory / key[:2]
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not a key
    (cache.directory / "zz").mkdir()
    (cache.directory / "zz" / f"{'a' * 64}.json").write_text("{}", encoding="utf-8")  # wrong folder
    (folder / f"{key[:2]}{'b' * 62}.json").symlink_to(f"{key}.json")  # a link, not an entry
    os.mkfifo(folder / f"{key[:2]}{'c' * 62}.json")
    (folder / f".{key}.json.1234.part").write_bytes(b"half")
    info = cache.info()
    assert info.entries == 1 and info.size_bytes == (folder / f"{key}.json").stat().st_size


def test_pillow_warnings_stay_off_stderr(tmp_path: Path) -> None:
    """A TIFF whose 3000 tags each claim more data than the file holds: Pillow warns once per
    tag, in the worker processes of a batch as in a single run."""
    from io import BytesIO

    buf = BytesIO()
    Image.new("RGB", (32, 24), (90, 120, 200)).save(buf, "TIFF")
    data = bytearray(buf.getvalue())
    (first,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, first)
    entries = [bytes(data[first + 2 + 12 * i : first + 14 + 12 * i]) for i in range(count)]
    entries += [struct.pack("<HHII", tag, 2, 1 << 20, 8) for tag in range(40000, 43000)]
    entries.sort(key=lambda e: struct.unpack_from("<H", e)[0])
    struct.pack_into("<I", data, 4, len(data))
    data += struct.pack("<H", len(entries)) + b"".join(entries) + b"\0\0\0\0"
    (tmp_path / "a.tif").write_bytes(bytes(data))
    (tmp_path / "b.tif").write_bytes(bytes(data) + b"\0")  # other bytes: read, not taken from a copy
    batch = _geoloc("locate", "a.tif", "b.tif", "--no-cache", "--jobs", "2", "--map", "m.html", cwd=tmp_path)
    single = _geoloc("ocr", "a.tif", cwd=tmp_path)
    for run in (batch, single):
        assert run.returncode == 0, run.stderr.decode()[-2000:]
        assert run.stderr.decode().count("\n") <= 2 and b"Warning" not in run.stderr, run.stderr.decode()[:2000]
