"""geoloc.read.metadata: EXIF GPS, IPTC and XMP read as exiftool reads them.

Two halves: small files written here byte by byte (every GPS edge case, each container format,
hostile metadata) and the real camera files in ../shared/realdata, checked against exiftool 12.57.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, PngImagePlugin

from geoloc.errors import PhotoError, PhotoIOError
from geoloc.read.metadata import read_metadata
from tests.conftest import PACKAGES_STEP, require

REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata"
CORPORA = ("exif-mdx", "exif-py", "exiftool-t", "pillow-iptc")

# --------------------------------------------------------------------------- EXIF writer
# A TIFF/EXIF structure built by hand, so that tests can write what cameras and hostile files
# write (zero denominators, wrong types, huge counts) and not only what Pillow would produce.

BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL, DOUBLE = 1, 2, 3, 4, 5, 7, 10, 12


class Raw:
    """An entry whose 4-byte value field is written as given (e.g. an offset out of range)."""

    def __init__(self, value4: bytes, count: int) -> None:
        self.value4, self.count = value4, count


def _pack(typ: int, values: Any, bo: str) -> tuple[int, bytes]:
    if isinstance(values, Raw):
        return values.count, values.value4
    if typ == ASCII:
        b = (values.encode() if isinstance(values, str) else values) + b"\x00"
        return len(b), b
    if typ in (BYTE, UNDEFINED):
        return len(values), bytes(values)
    if typ in (RATIONAL, SRATIONAL):
        f = bo + ("II" if typ == RATIONAL else "ii")
        return len(values), b"".join(struct.pack(f, n, d) for n, d in values)
    f = {SHORT: "H", LONG: "I", DOUBLE: "d"}[typ]
    return len(values), b"".join(struct.pack(bo + f, v) for v in values)


def _ifd(entries: list[tuple[int, int, Any]], start: int, bo: str) -> bytes:
    n = len(entries)
    data_at = start + 2 + 12 * n + 4
    head, data = struct.pack(bo + "H", n), b""
    for tag, typ, values in sorted(entries, key=lambda e: e[0]):
        count, payload = _pack(typ, values, bo)
        if isinstance(values, Raw) or len(payload) <= 4:
            field = payload.ljust(4, b"\x00")
        else:
            field = struct.pack(bo + "I", data_at + len(data))
            data += payload + b"\x00" * (len(payload) % 2)
        head += struct.pack(bo + "HHI", tag, typ, count) + field
    return head + b"\x00\x00\x00\x00" + data


def build_tiff(
    ifd0: list | None = None, gps: list | None = None, exif: list | None = None, bo: str = "<", prefix: bytes = b""
) -> bytes:
    """A TIFF structure: IFD0 (+ pointers to an Exif and a GPS IFD); ``prefix`` sits at offset 8."""
    ifd0 = list(ifd0 or [])
    subs = [(0x8769, exif), (0x8825, gps)]
    ptrs = [(tag, LONG, [0]) for tag, e in subs if e is not None]
    start = 8 + len(prefix)
    first = _ifd(ifd0 + ptrs, start, bo)
    at, blobs, real = start + len(first), [], []
    for tag, e in subs:
        if e is not None:
            blob = _ifd(e, at, bo)
            real.append((tag, LONG, [at]))
            blobs.append(blob)
            at += len(blob)
    header = (b"II*\x00" if bo == "<" else b"MM\x00*") + struct.pack(bo + "I", start)
    return header + prefix + _ifd(ifd0 + real, start, bo) + b"".join(blobs)


def dms(deg: float, minutes: float = 0, seconds: float = 0, scale: int = 1000) -> list[tuple[int, int]]:
    return [(round(deg * scale), scale), (round(minutes * scale), scale), (round(seconds * scale), scale)]


def gps_ifd(lat: Any = None, lat_ref: Any = "N", lon: Any = None, lon_ref: Any = "E", **extra: Any) -> list:
    """GPS IFD entries; ``lat``/``lon`` are rational lists; extra: tag=(type, values)."""
    entries = []
    if lat_ref is not None:
        entries.append((1, ASCII, lat_ref))
    if lat is not None:
        entries.append((2, RATIONAL, lat))
    if lon_ref is not None:
        entries.append((3, ASCII, lon_ref))
    if lon is not None:
        entries.append((4, RATIONAL, lon))
    names = {"alt_ref": 5, "alt": 6, "time": 7, "status": 9, "dir_ref": 16, "dir": 17, "datum": 18, "date": 29}
    for name, (typ, values) in extra.items():
        entries.append((names[name], typ, values))
    return entries


def jpeg_bytes(*segments: bytes) -> bytes:
    """A real 8x8 JPEG from Pillow with the given APPn segments inserted after SOI."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 30, 200)).save(buf, "JPEG")
    data = buf.getvalue()
    return data[:2] + b"".join(segments) + data[2:]


def app(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def exif_jpeg(tmp_path: Path, tiff: bytes, name: str = "photo.jpg") -> Path:
    p = tmp_path / name
    p.write_bytes(jpeg_bytes(app(0xE1, b"Exif\x00\x00" + tiff)))
    return p


def iptc_irb(fields: dict[int, bytes], digest: bytes | None = None, utf8: bool = True) -> tuple[bytes, bytes]:
    """(APP13 payload, IIM block) for IPTC datasets 2:<n>; optionally with a stored IPTC digest."""
    iim = b""
    if utf8:
        iim += b"\x1c\x01\x5a" + struct.pack(">H", 3) + b"\x1b%G"
    for ds, value in fields.items():
        iim += b"\x1c\x02" + bytes([ds]) + struct.pack(">H", len(value)) + value
    res = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    res += b"\x00" * (len(iim) % 2)
    if digest is not None:
        res += b"8BIM" + struct.pack(">H", 0x0425) + b"\x00\x00" + struct.pack(">I", 16) + digest
    return b"Photoshop 3.0\x00" + res, iim


def xmp_packet(description_attrs: str = "", body: str = "") -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'{description_attrs}>{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"

# --------------------------------------------------------------------------- GPS edge cases


@pytest.mark.parametrize(
    "lat_ref,lon_ref,sign_lat,sign_lon", [("N", "E", 1, 1), ("S", "E", -1, 1), ("N", "W", 1, -1), ("S", "W", -1, -1)]
)
def test_hemisphere_refs_give_signs(tmp_path: Path, lat_ref: str, lon_ref: str, sign_lat: int, sign_lon: int) -> None:
    tiff = build_tiff(gps=gps_ifd(dms(33, 51, 54.5), lat_ref, dms(151, 12, 35.6), lon_ref))
    md = read_metadata(exif_jpeg(tmp_path, tiff))
    assert md.gps is not None and md.gps.source == "exif"
    assert md.gps.lat == pytest.approx(sign_lat * (33 + 51 / 60 + 54.5 / 3600), abs=1e-9)
    assert md.gps.lon == pytest.approx(sign_lon * (151 + 12 / 60 + 35.6 / 3600), abs=1e-9)
    assert md.warnings == ()


def test_west_longitude_under_one_degree_keeps_its_sign(tmp_path: Path) -> None:
    # the Nexus 4 case: 0 deg 4' 38.4" W must be -0.0773, not +0.0773
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps_ifd(dms(51, 33, 44.88), "N", dms(0, 4, 38.4), "W"))))
    assert md.gps is not None
    assert md.gps.lon == pytest.approx(-(4 / 60 + 38.4 / 3600), abs=1e-9)


def test_fractional_minutes_and_degrees_only(tmp_path: Path) -> None:
    # Kodak writes 0 deg 22.278 min 0 sec; some writers store only fractional degrees (count 1)
    frac = build_tiff(gps=gps_ifd([(0, 1), (22278, 1000), (0, 1)], "S", [(36, 1), (338500, 100000), (0, 1)], "E"))
    md = read_metadata(exif_jpeg(tmp_path, frac, "kodak.jpg"))
    assert md.gps is not None
    assert md.gps.lat == pytest.approx(-0.3713, abs=1e-9)
    assert md.gps.lon == pytest.approx(36 + 3.385 / 60, abs=1e-9)
    one = build_tiff(gps=gps_ifd([(440603785, 10**7)], "N", [(121314136, 10**6)], "W"))
    md = read_metadata(exif_jpeg(tmp_path, one, "deg.jpg"))
    assert md.gps is not None
    assert (md.gps.lat, md.gps.lon) == pytest.approx((44.0603785, -121.314136), abs=1e-9)


def test_big_endian_exif(tmp_path: Path) -> None:
    tiff = build_tiff(ifd0=[(0x010F, ASCII, "Canon")], gps=gps_ifd(dms(50, 27), "N", dms(30, 31), "E"), bo=">")
    md = read_metadata(exif_jpeg(tmp_path, tiff))
    assert md.gps is not None
    assert (md.gps.lat, md.gps.lon) == pytest.approx((50.45, 30.516667), abs=1e-6)
    assert md.camera["make"] == "Canon"


@pytest.mark.parametrize(
    "lat,expected_warning",
    [
        ([(51, 1), (30, 0), (0, 1)], "zero denominator (30/0)"),
        ([(51, 1), (0, 0), (0, 1)], "zero denominator (0/0)"),
        ([(4294967295, 1), (0, 1), (0, 1)], "4294967295"),
        ([(51, 1), (0, 4294967295), (0, 1)], "4294967295"),
        ([(95, 1), (0, 1), (0, 1)], "out of range"),
    ],
)
def test_invalid_gps_is_flagged_not_used(tmp_path: Path, lat: list, expected_warning: str) -> None:
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps_ifd(lat, "N", dms(10, 0), "E"))))
    assert md.gps is None
    assert any(expected_warning in w and "latitude" in w for w in md.warnings), md.warnings


def test_zero_zero_placeholder(tmp_path: Path) -> None:
    zero = [(0, 1), (0, 1), (0, 1)]
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps_ifd(zero, "S", zero, "W"))))
    assert md.gps is None
    assert "EXIF GPS 0/0 placeholder ignored" in md.warnings


def test_altitude_below_sea_level_direction_and_time(tmp_path: Path) -> None:
    gps = gps_ifd(
        dms(31, 30),
        "N",
        dms(35, 30),
        "E",
        alt_ref=(BYTE, [1]),
        alt=(RATIONAL, [(4305, 10)]),
        dir_ref=(ASCII, "M"),
        dir=(RATIONAL, [(2475, 10)]),
        date=(ASCII, "2021:03:04"),
        time=(RATIONAL, [(13, 1), (5, 1), (765, 100)]),
        datum=(ASCII, "WGS-84"),
    )
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps)))
    g = md.gps
    assert g is not None
    assert g.altitude_m == pytest.approx(-430.5)  # the Dead Sea shore
    assert (g.direction_deg, g.direction_ref) == (pytest.approx(247.5), "M")
    assert g.timestamp == "2021-03-04T13:05:07.65Z"
    assert g.datum == "WGS-84"
    assert md.warnings == ()


def test_altitude_above_sea_level_true_north(tmp_path: Path) -> None:
    gps = gps_ifd(
        dms(46, 33),
        "N",
        dms(7, 58),
        "E",
        alt_ref=(BYTE, [0]),
        alt=(RATIONAL, [(3454, 1)]),
        dir_ref=(ASCII, "T"),
        dir=(RATIONAL, [(90, 1)]),
    )
    g = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps))).gps
    assert g is not None and g.altitude_m == 3454 and (g.direction_deg, g.direction_ref) == (90, "T")


@pytest.mark.parametrize("date,warning", [("2014:09:259", "not a valid date"), ("0000:00:00", "not a valid date")])
def test_bad_gps_date_keeps_position(tmp_path: Path, date: str, warning: str) -> None:
    gps = gps_ifd(dms(51, 45), "N", dms(0, 19), "W", date=(ASCII, date), time=(RATIONAL, [(13, 1), (5, 1), (12, 1)]))
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps)))
    assert md.gps is not None and md.gps.timestamp is None
    assert any(warning in w for w in md.warnings)


def test_other_datum_is_warned(tmp_path: Path) -> None:
    md = read_metadata(
        exif_jpeg(tmp_path, build_tiff(gps=gps_ifd(dms(35, 41), "N", dms(139, 41), "E", datum=(ASCII, "TOKYO"))))
    )
    assert md.gps is not None and md.gps.datum == "TOKYO"
    assert any("not WGS-84" in w for w in md.warnings)


def test_camera_fields(tmp_path: Path) -> None:
    tiff = build_tiff(
        ifd0=[(0x010F, ASCII, "Apple"), (0x0110, ASCII, "iPhone 7  "), (0x0131, ASCII, "10.0.2")],
        exif=[(0x9003, ASCII, "2016:09:28 18:18:05"), (0x9011, ASCII, "+01:00")],
    )
    md = read_metadata(exif_jpeg(tmp_path, tiff))
    assert md.camera == {
        "make": "Apple",
        "model": "iPhone 7",
        "software": "10.0.2",
        "datetime_original": "2016-09-28T18:18:05+01:00",
    }
    assert md.gps is None and md.location is None


# --------------------------------------------------------------------------- malformed EXIF


def test_wrong_types_are_read_or_flagged(tmp_path: Path) -> None:
    # latitude as SHORT integers (readable numbers), ref as a SHORT (not a letter)
    gps = [(1, SHORT, [83]), (2, SHORT, [48, 30, 0]), (3, ASCII, "E"), (4, DOUBLE, [2.5])]
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps)))
    assert md.gps is not None and md.gps.lat == pytest.approx(48.5) and md.gps.lon == pytest.approx(2.5)
    assert any("no N/S/E/W reference" in w for w in md.warnings)
    # latitude as UNDEFINED bytes: not a number
    gps = [(1, ASCII, "N"), (2, UNDEFINED, b"\x01\x02\x03\x04\x05"), (3, ASCII, "E"), (4, RATIONAL, dms(2, 0))]
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(gps=gps), "undef.jpg"))
    assert md.gps is None and any("not a number" in w for w in md.warnings)


def test_huge_counts_and_bad_offsets_are_skipped(tmp_path: Path) -> None:
    gps = gps_ifd(None, "N", dms(10, 0), "E") + [(2, RATIONAL, Raw(struct.pack("<I", 40), 0xFFFFFFF0))]
    md = read_metadata(exif_jpeg(tmp_path, build_tiff(ifd0=[(0x010F, ASCII, Raw(b"\xff\xff\xff\x7f", 4096))], gps=gps)))
    assert md.gps is None
    assert any("beyond the end" in w for w in md.warnings)
    assert "make" not in md.camera


def test_ifd_loop_and_oversized_entry_count(tmp_path: Path) -> None:
    # GPS IFD pointer pointing back at IFD0, and an IFD claiming 65535 entries
    tiff = bytearray(build_tiff(ifd0=[(0x010F, ASCII, "Loop"), (0x8825, LONG, [8])]))
    md = read_metadata(exif_jpeg(tmp_path, bytes(tiff)))
    assert md.camera.get("make") == "Loop" and any("loops" in w for w in md.warnings)
    tiff[8:10] = b"\xff\xff"
    md = read_metadata(exif_jpeg(tmp_path, bytes(tiff), "count.jpg"))
    assert any("declares 65535 entries" in w for w in md.warnings)


def test_truncated_and_garbage_exif(tmp_path: Path) -> None:
    full = build_tiff(gps=gps_ifd(dms(48, 51), "N", dms(2, 21), "E"))
    for cut in (3, 9, 20, len(full) - 10):
        md = read_metadata(exif_jpeg(tmp_path, full[:cut], f"cut{cut}.jpg"))
        assert md.gps is None
    md = read_metadata(exif_jpeg(tmp_path, b"\x00" * 40, "zeros.jpg"))
    assert md.gps is None and any("no TIFF header" in w for w in md.warnings)


def test_truncated_jpeg_file(tmp_path: Path) -> None:
    tiff = build_tiff(gps=gps_ifd(dms(48, 51), "N", dms(2, 21), "E"))
    data = jpeg_bytes(app(0xE1, b"Exif\x00\x00" + tiff))
    p = tmp_path / "cut.jpg"
    p.write_bytes(data[:30])
    md = read_metadata(p)
    assert md.gps is None and any("truncated" in w for w in md.warnings)


# --------------------------------------------------------------------------- containers


def test_tiff_file_with_gps_iptc_and_xmp(tmp_path: Path) -> None:
    """A real, Pillow-readable 1x1 TIFF whose IFD0 also holds GPS, IPTC (33723) and XMP (700)."""
    _app13, iim = iptc_irb({90: "Київ".encode()})
    xmp = xmp_packet('photoshop:Country="Ukraine"')
    ifd0 = [
        (256, SHORT, [1]),
        (257, SHORT, [1]),
        (258, SHORT, [8]),
        (259, SHORT, [1]),
        (262, SHORT, [1]),
        (273, LONG, [8]),
        (277, SHORT, [1]),
        (278, SHORT, [1]),
        (279, LONG, [1]),
        (0x010F, ASCII, "Nikon"),
        (0x83BB, UNDEFINED, iim),
        (0x02BC, BYTE, xmp),
    ]
    p = tmp_path / "scan.tif"
    p.write_bytes(
        build_tiff(
            ifd0=ifd0,
            gps=gps_ifd(dms(50, 27, 0), "N", dms(30, 31, 24), "E"),
            prefix=b"\x80\x00\x00\x00\x00\x00\x00\x00",
        )
    )
    with Image.open(p) as im:  # the file is a valid TIFF, not just bytes our reader accepts
        assert im.size == (1, 1)
    md = read_metadata(p)
    assert md.gps is not None and (md.gps.lat, md.gps.lon) == pytest.approx((50.45, 30.523333), abs=1e-6)
    assert md.location is not None
    assert (md.location.city, md.location.country, md.location.source) == ("Київ", "Ukraine", "xmp+iptc")
    assert md.camera["make"] == "Nikon"


def test_png_with_xmp_itxt_and_exif(tmp_path: Path) -> None:
    xmp = xmp_packet(
        'photoshop:City="Chernihiv" exif:GPSLatitude="51,29.4N" exif:GPSLongitude="31,17.7E" '
        'exif:GPSAltitude="1370/10" exif:GPSAltitudeRef="0"'
    )
    for compressed in (False, True):
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode(), zip=compressed)
        p = tmp_path / f"xmp{compressed}.png"
        Image.new("RGB", (8, 8)).save(p, pnginfo=info)
        md = read_metadata(p)
        assert md.gps is not None and md.gps.source == "xmp"
        assert (md.gps.lat, md.gps.lon) == pytest.approx((51.49, 31.295), abs=1e-9)
        assert md.gps.altitude_m == pytest.approx(137.0)
        assert md.location is not None and md.location.city == "Chernihiv" and md.location.source == "xmp"
    p = tmp_path / "exif.png"
    Image.new("RGB", (8, 8)).save(p, exif=b"Exif\x00\x00" + build_tiff(gps=gps_ifd(dms(1, 17), "S", dms(36, 49), "E")))
    md = read_metadata(p)
    assert md.gps is not None and md.gps.lat == pytest.approx(-(1 + 17 / 60))


def test_png_imagemagick_raw_profile(tmp_path: Path) -> None:
    blob = b"Exif\x00\x00" + build_tiff(gps=gps_ifd(dms(59, 56), "N", dms(30, 18), "E"))
    hexed = "\n".join(blob.hex()[i : i + 72] for i in range(0, len(blob.hex()), 72))
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type exif", f"\nexif\n{len(blob):8d}\n{hexed}\n", zip=True)
    p = tmp_path / "magick.png"
    Image.new("RGB", (8, 8)).save(p, pnginfo=info)
    md = read_metadata(p)
    assert md.gps is not None and md.gps.lat == pytest.approx(59 + 56 / 60)


def test_webp_with_exif_and_xmp(tmp_path: Path) -> None:
    p = tmp_path / "photo.webp"
    exif = b"Exif\x00\x00" + build_tiff(gps=gps_ifd(dms(34, 36), "S", dms(58, 22), "W"))
    Image.new("RGB", (16, 16), "blue").save(p, "WEBP", exif=exif, xmp=xmp_packet('photoshop:City="Buenos Aires"'))
    md = read_metadata(p)
    assert md.gps is not None and (md.gps.lat, md.gps.lon) == pytest.approx((-34.6, -58.366667), abs=1e-6)
    assert md.location is not None and md.location.city == "Buenos Aires"


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_heif_and_avif_with_exif(tmp_path: Path, fmt: str) -> None:
    import geoloc.common.photo  # noqa: F401  (registers the HEIF opener)

    p = tmp_path / f"photo.{fmt.lower()}"
    ex = Image.Exif()
    ex.load(
        b"Exif\x00\x00"
        + build_tiff(ifd0=[(0x010F, ASCII, "HMD Global")], gps=gps_ifd(dms(40, 39, 46.8), "N", dms(3, 45, 49.5), "W"))
    )
    xmp = xmp_packet('photoshop:City="Madrid" photoshop:Country="Spain"')
    try:
        Image.new("RGB", (64, 64), "green").save(p, fmt, exif=ex, xmp=xmp, quality=50)
        problem = ""
    except (KeyError, OSError, ValueError) as exc:  # no encoder for this format in this build
        problem = f" ({exc})"
    require(not problem, f"{fmt} encoder{problem}", PACKAGES_STEP)  # pillow-heif; AVIF: Pillow's
    md = read_metadata(p)
    assert md.gps is not None
    assert (md.gps.lat, md.gps.lon) == pytest.approx((40.663, -3.76375), abs=1e-6)
    assert md.camera["make"] == "HMD Global"
    assert md.location is not None and (md.location.city, md.location.country) == ("Madrid", "Spain")


def test_jpeg_xl_container_boxes(tmp_path: Path) -> None:
    """JPEG XL keeps EXIF in an 'Exif' box (4-byte offset + TIFF); written here box by box."""

    def box(t: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + t + payload

    tiff = build_tiff(gps=gps_ifd(dms(44, 3, 37.4), "N", dms(121, 18, 50.9), "W"))
    data = (
        b"\x00\x00\x00\x0cJXL \r\n\x87\n"
        + box(b"ftyp", b"jxl \x00\x00\x00\x00jxl ")
        + box(b"Exif", b"\x00\x00\x00\x00" + tiff)
        + box(b"jxlc", b"\xff\x0a" + b"\x00" * 16)
    )
    p = tmp_path / "photo.jxl"
    p.write_bytes(data)
    md = read_metadata(p)
    assert md.gps is not None and md.gps.lon == pytest.approx(-(121 + 18 / 60 + 50.9 / 3600))
    bare = tmp_path / "bare.jxl"
    bare.write_bytes(b"\xff\x0a" + b"\x00" * 32)
    assert any("no container" in w for w in read_metadata(bare).warnings)


def test_gif_and_bmp_carry_no_metadata(tmp_path: Path) -> None:
    for ext in ("gif", "bmp"):
        p = tmp_path / f"a.{ext}"
        Image.new("RGB", (4, 4)).save(p)
        md = read_metadata(p)
        assert md.gps is None and md.location is None and md.warnings == ()


def test_formats_without_a_metadata_reader_still_count_as_images(tmp_path: Path) -> None:
    p = tmp_path / "frame.ppm"
    Image.new("RGB", (4, 4)).save(p)
    md = read_metadata(p)
    assert md.gps is None and md.warnings == ("metadata of PPM files is not read",)


@pytest.mark.parametrize(
    "content,error,message",
    [
        (None, PhotoIOError, "no such file"),
        (b"", PhotoError, "empty"),
        (b"hello, I am text pretending to be a photo\n", PhotoError, "not an image"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", PhotoError, "not HEIF"),
    ],
)
def test_unreadable_files_raise(tmp_path: Path, content: bytes | None, error: type, message: str) -> None:
    p = tmp_path / "x.jpg"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        read_metadata(p)
    assert str(p) in str(info.value)
    with pytest.raises(PhotoIOError, match="directory"):
        read_metadata(tmp_path)


# --------------------------------------------------------------------------- IPTC / XMP


def test_mwg_precedence_xmp_over_iptc(tmp_path: Path) -> None:
    app13, _ = iptc_irb({90: b"WRONG-IPTC-City", 95: b"RIGHT-IPTC-State"})
    xmp = xmp_packet('photoshop:City="RIGHT-XMP-City"')
    p = tmp_path / "mwg.jpg"
    p.write_bytes(jpeg_bytes(app(0xE1, XMP_APP1 + xmp), app(0xED, app13)))
    loc = read_metadata(p).location
    assert loc is not None
    assert (loc.city, loc.state, loc.source) == ("RIGHT-XMP-City", "RIGHT-IPTC-State", "xmp+iptc")


def test_mwg_iptc_wins_when_digest_shows_it_was_edited_later(tmp_path: Path) -> None:
    stale = hashlib.md5(b"the IPTC block before it was edited").digest()
    app13, iim = iptc_irb({90: b"Lviv"}, digest=stale)
    xmp = xmp_packet('photoshop:City="Kyiv"')
    p = tmp_path / "edited.jpg"
    p.write_bytes(jpeg_bytes(app(0xE1, XMP_APP1 + xmp), app(0xED, app13)))
    assert read_metadata(p).location.city == "Lviv"  # type: ignore[union-attr]
    app13, iim = iptc_irb({90: b"Lviv"})
    app13_ok, _ = iptc_irb({90: b"Lviv"}, digest=hashlib.md5(iim).digest())
    p.write_bytes(jpeg_bytes(app(0xE1, XMP_APP1 + xmp), app(0xED, app13_ok)))
    assert read_metadata(p).location.city == "Kyiv"  # type: ignore[union-attr]


def test_iptc_utf8_and_blank_fields(tmp_path: Path) -> None:
    app13, _ = iptc_irb(
        {90: "Чернігів".encode(), 92: b"   ", 95: "Чернігівська".encode(), 100: b"UKR", 101: b"Ukraine"}
    )
    p = tmp_path / "iptc.jpg"
    p.write_bytes(jpeg_bytes(app(0xED, app13)))
    loc = read_metadata(p).location
    assert loc is not None
    assert (loc.city, loc.sublocation, loc.state, loc.country_code, loc.country, loc.source) == (
        "Чернігів",
        None,
        "Чернігівська",
        "UKR",
        "Ukraine",
        "iptc",
    )


def test_xmp_location_created_struct_and_utf16(tmp_path: Path) -> None:
    body = (
        '<Iptc4xmpExt:LocationCreated><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<Iptc4xmpExt:City>Odesa</Iptc4xmpExt:City><Iptc4xmpExt:CountryCode>UA</Iptc4xmpExt:CountryCode>"
        "</rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated>"
    )
    xmp = xmp_packet(body=body)
    for enc in ("utf-8", "utf-16-be"):
        p = tmp_path / f"lc-{enc}.jpg"
        p.write_bytes(jpeg_bytes(app(0xE1, XMP_APP1 + xmp.decode().encode(enc))))
        loc = read_metadata(p).location
        assert loc is not None and (loc.city, loc.country_code) == ("Odesa", "UA"), enc


def test_jpeg_extended_xmp_is_joined(tmp_path: Path) -> None:
    """XMP over 64 kB continues in 'xmp/extension' segments (GUID, full length, offset, chunk)."""
    ext = xmp_packet('photoshop:City="Zaporizhzhia"' + " " * 70000)
    guid = hashlib.md5(ext).hexdigest().upper().encode()
    header = b"http://ns.adobe.com/xmp/extension/\x00" + guid
    half = 40000
    segments = [app(0xE1, header + struct.pack(">II", len(ext), off) + ext[off : off + half]) for off in (half, 0)]
    p = tmp_path / "ext.jpg"
    p.write_bytes(jpeg_bytes(app(0xE1, XMP_APP1 + xmp_packet('photoshop:Country="Ukraine"')), *segments))
    loc = read_metadata(p).location
    assert loc is not None and (loc.city, loc.country) == ("Zaporizhzhia", "Ukraine")


def test_xmp_gps_used_when_exif_gps_is_broken(tmp_path: Path) -> None:
    tiff = build_tiff(gps=gps_ifd([(48, 1), (5332358, 100000), (0, 0)], "N", [(21, 1), (259507, 100000), (0, 0)], "E"))
    xmp = xmp_packet('exif:GPSLatitude="48,53.323582N" exif:GPSLongitude="21,2.595070E"')
    p = tmp_path / "d5000.jpg"
    p.write_bytes(jpeg_bytes(app(0xE1, b"Exif\x00\x00" + tiff), app(0xE1, XMP_APP1 + xmp)))
    md = read_metadata(p)
    assert md.gps is not None and md.gps.source == "xmp"
    assert (md.gps.lat, md.gps.lon) == pytest.approx((48.8887263667, 21.0432511667), abs=1e-9)
    assert any("zero denominator" in w for w in md.warnings)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="&lol9;"/>'
    "</rdf:RDF></x:xmpmeta>"
).encode()

EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="&secret;"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_hostile_xmp_is_rejected(tmp_path: Path, payload: bytes) -> None:
    app13, _ = iptc_irb({90: b"Kharkiv"})
    for name, data in (("x.jpg", jpeg_bytes(app(0xE1, XMP_APP1 + payload), app(0xED, app13))),):
        p = tmp_path / name
        p.write_bytes(data)
        md = read_metadata(p)
        assert any(w.startswith("XMP rejected") for w in md.warnings), md.warnings
        assert md.location is not None and md.location.city == "Kharkiv"  # the IPTC still counts
        assert "root:" not in json.dumps(md.to_dict())


def test_zip_bomb_text_chunk_is_refused(tmp_path: Path) -> None:
    """A zTXt XMP chunk of a few kB inflating to 64 MB is refused, not inflated."""
    bomb = zlib.compress(b" " * (64 * 2**20), 9)
    chunk_data = b"XML:com.adobe.xmp\x00\x00" + bomb
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    png = buf.getvalue()
    chunk = struct.pack(">I", len(chunk_data)) + b"zTXt" + chunk_data
    chunk += struct.pack(">I", zlib.crc32(b"zTXt" + chunk_data))
    p = tmp_path / "bomb.png"
    p.write_bytes(png[:33] + chunk + png[33:])
    md = read_metadata(p)
    assert any("inflates beyond" in w for w in md.warnings)


# --------------------------------------------------------------------------- real camera files


def _realdata_cases() -> list[Any]:
    if not REALDATA.is_dir():
        return [pytest.param(None, None, None, marks=pytest.mark.skip(reason="../shared/realdata is absent"))]
    cases = []
    for corpus in CORPORA:
        for rec in json.loads((REALDATA / corpus / "exiftool-12.57_location.json").read_text()):
            rel = Path(rec["SourceFile"]).relative_to(corpus).as_posix()
            cases.append(pytest.param(corpus, rel, rec, id=f"{corpus}/{rel}"))
    return cases


def exiftool_expectation(rec: dict[str, Any]) -> dict[str, Any]:
    """What exiftool says: GPS (EXIF Composite, else XMP), whether the GPS is a placeholder, city."""

    def num(key: str) -> float | None:
        v = rec.get(key)
        return float(v) if isinstance(v, (int, float)) else None

    lat, lon = num("Composite:GPSLatitude"), num("Composite:GPSLongitude")
    placeholder = lat == 0 and lon == 0
    if lat is None or lon is None or placeholder:
        lat, lon = num("XMP-exif:GPSLatitude"), num("XMP-exif:GPSLongitude")
    city = rec.get("XMP-photoshop:City") or rec.get("IPTC:City")
    return {
        "gps": (lat, lon) if lat is not None and lon is not None else None,
        "placeholder": placeholder and lat is None,
        "city": str(city).strip() or None if city is not None else None,
    }


@pytest.mark.realdata
@pytest.mark.parametrize("corpus,rel,rec", _realdata_cases())
def test_agrees_with_exiftool(corpus: str, rel: str, rec: dict[str, Any]) -> None:
    md = read_metadata(REALDATA / corpus / rel)
    want = exiftool_expectation(rec)
    if want["gps"] is None:
        assert md.gps is None, f"GPS reported where exiftool has none: {md.gps}"
    else:
        assert md.gps is not None, md.warnings
        assert abs(md.gps.lat - want["gps"][0]) <= 1e-6 and abs(md.gps.lon - want["gps"][1]) <= 1e-6
    if want["placeholder"]:
        assert "EXIF GPS 0/0 placeholder ignored" in md.warnings
    got_city = md.location.city if md.location else None
    assert got_city == want["city"]
    for key, tag in (("make", "IFD0:Make"), ("model", "IFD0:Model")):
        if tag in rec and str(rec[tag]).strip():
            assert md.camera.get(key) == str(rec[tag]).strip()
    if isinstance(rec.get("ExifIFD:DateTimeOriginal"), str):
        d, t = rec["ExifIFD:DateTimeOriginal"].split(" ")
        assert md.camera["datetime_original"].startswith(f"{d.replace(':', '-')}T{t}")
    if isinstance(rec.get("GPS:GPSAltitude"), (int, float)) and md.gps and md.gps.source == "exif":
        sign = -1 if rec.get("GPS:GPSAltitudeRef") == 1 else 1
        assert md.gps.altitude_m == pytest.approx(sign * rec["GPS:GPSAltitude"], abs=1e-6)
    if isinstance(rec.get("GPS:GPSImgDirection"), (int, float)):
        assert md.gps is not None and md.gps.direction_deg == pytest.approx(rec["GPS:GPSImgDirection"], abs=1e-6)
        assert md.gps.direction_ref == rec["GPS:GPSImgDirectionRef"]


@pytest.mark.realdata
def test_mwg_reference_file_gives_xmp_city() -> None:
    p = REALDATA / "exiftool-t" / "images" / "MWG.jpg"
    if not p.is_file():
        pytest.skip("../shared/realdata is absent")
    loc = read_metadata(p).location
    assert loc is not None
    assert loc.city == "RIGHT-XMP-City"
    assert all(v is None or v.startswith("RIGHT-") for v in (loc.city, loc.state, loc.country, loc.sublocation))


@pytest.mark.realdata
def test_gold_csv_sign_convention() -> None:
    """The project's gold CSVs combine the unsigned value with its Ref; every signed reading must match."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent")
    checked = 0
    for corpus in CORPORA:
        with open(REALDATA / corpus / "gold_location.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if not row["gps_lat"] or (float(row["gps_lat"]) == 0 and float(row["gps_lon"]) == 0):
                    continue
                md = read_metadata(REALDATA / corpus / row["file"])
                assert md.gps is not None, row["file"]
                assert math.copysign(1, md.gps.lon) == math.copysign(1, float(row["gps_lon"])), row["file"]
                assert abs(md.gps.lat - float(row["gps_lat"])) <= 1e-6, row["file"]
                checked += 1
    assert checked >= 35
