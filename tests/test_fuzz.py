"""Fuzzing: mutated real and generated photos through read_metadata and load_image.

Photos pulled from the web may be broken or built to attack the reader. Whatever the bytes, both
entry points must either return a sane result or raise a GeolocError (one line for the user);
any other exception is a bug. The default run tries 2,900 cases (1,500 mutated files through
read_metadata, 700 through load_image, 700 random GPS directories), then a round of 12 files
built to be slow or huge (many scans, many chunks, deep or wide XMP, odd aspect ratios, segment
floods) with random sizes, each read in a child process within a time and memory bound; set
GEOLOC_FUZZ_EXAMPLES=N to try N per test in a long run, GEOLOC_FUZZ_SEED to replay a round.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational

import geoloc.common.photo
from geoloc.errors import GeolocError
from geoloc.read.metadata import read_metadata
from tests.test_hostile_files import (
    CITY_XMP,
    flat_xml,
    image_bytes,
    many_scans_jpeg,
    nested_xml,
    padded_jpeg,
    png_chunk,
    png_with_chunks,
    run_bounded,
    xmp_chunk,
)

REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata"
CORPORA = ("exif-mdx", "exif-py", "exiftool-t", "pillow-iptc")
SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heif", ".heic", ".jxl"}
HEAD = 96 * 1024
"""Real photos are cut to their first 96 kB: the metadata lives there, and decoding stays fast."""

_EXTRA = int(os.environ.get("GEOLOC_FUZZ_EXAMPLES", "0") or 0)
META_EXAMPLES = _EXTRA or 1500
IMAGE_EXAMPLES = _EXTRA or 700
GPS_EXAMPLES = _EXTRA or 700
HOSTILE_EXAMPLES = _EXTRA or 12

CASE_SECONDS = 3.0
"""Each hostile file must be read or refused within this, by load_image and by read_metadata
(the slowest legitimate case here, a 16 MB metadata budget inflated and cut, takes 0.3 s)."""
CASE_MEGABYTES = 400
"""...and within this much memory beyond the reader's own (the largest image drawn, 4096x4096,
decodes to 64 MB; the largest XMP kept, 100,000 elements, about 30 MB)."""

XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'photoshop:City="Chernihiv" exif:GPSLatitude="51,29.4N" exif:GPSLongitude="31,17.7E"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _generated() -> dict[str, bytes]:
    """Small images of every format, with EXIF GPS / XMP where the format carries them."""
    im = Image.new("RGB", (24, 16), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Fuzz"
    exif[0x0112] = 6  # orientation: exercises exif_transpose in load_image
    exif.get_ifd(0x8825).update(
        {
            1: "S",
            2: (IFDRational(33, 1), IFDRational(51, 1), IFDRational(545, 10)),
            3: "W",
            4: (IFDRational(70, 1), IFDRational(40, 1), IFDRational(125, 10)),
            5: b"\x01",
            6: IFDRational(4305, 10),
            29: "2021:03:04",
        }
    )
    out: dict[str, bytes] = {}
    for fmt, kwargs in (
        ("JPEG", {"exif": exif, "xmp": XMP.encode()}),
        ("WEBP", {"exif": exif, "xmp": XMP.encode()}),
        ("TIFF", {"exif": exif}),
        ("GIF", {}),
        ("BMP", {}),
    ):
        buf = io.BytesIO()
        im.save(buf, fmt, **kwargs)
        out[f"generated.{fmt.lower()}"] = buf.getvalue()
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP, zip=True)
    buf = io.BytesIO()
    im.save(buf, "PNG", pnginfo=info, exif=exif)
    out["generated.png"] = buf.getvalue()
    buf = io.BytesIO()
    try:
        im.save(buf, "HEIF", exif=exif, quality=30)
        out["generated.heic"] = buf.getvalue()
    except (KeyError, OSError, ValueError):  # no HEIF encoder in this build
        pass
    return out


def _seeds() -> dict[str, bytes]:
    seeds = _generated()
    if REALDATA.is_dir():
        for corpus in CORPORA:
            for p in sorted((REALDATA / corpus).rglob("*")):
                if p.suffix.lower() in SUFFIXES and p.is_file():
                    with open(p, "rb") as fh:
                        seeds[f"{corpus}/{p.relative_to(REALDATA / corpus)}"] = fh.read(HEAD)
    return seeds


SEEDS = _seeds()
NAMES = sorted(SEEDS)

INTERESTING_BYTES = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]
INTERESTING_WORDS = [
    b"\x00\x00\x00\x00",
    b"\xff\xff\xff\xff",
    b"\x7f\xff\xff\xff",
    b"\x00\x00\xff\xff",
    b"\x00\x01\x00\x00",
    b"\xff\xff",
    b"\x00\x00",
    b"\x00\x08",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed with 1-6 mutations, most of them in the first 4 kB where the headers are."""
    name = draw(st.sampled_from(NAMES))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        hot = draw(st.booleans())
        pos = draw(st.integers(0, min(len(data), 4096) - 1 if hot else len(data) - 1))
        kind = draw(st.sampled_from(["flip", "byte", "word", "insert", "delete", "truncate"]))
        if kind == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            data[pos] = draw(st.sampled_from(INTERESTING_BYTES))
        elif kind == "word":
            word = draw(st.sampled_from(INTERESTING_WORDS))
            data[pos : pos + len(word)] = word
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        else:
            del data[pos:]
    return name, bytes(data)


def _write(tmp_path_factory: pytest.TempPathFactory, name: str, data: bytes) -> Path:
    folder = tmp_path_factory.getbasetemp() / "fuzz"
    folder.mkdir(exist_ok=True)
    p = folder / ("case" + Path(name).suffix)
    p.write_bytes(data)
    return p


@settings(
    max_examples=META_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(case=mutated())
def test_read_metadata_survives_mutations(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]) -> None:
    name, data = case
    p = _write(tmp_path_factory, name, data)
    try:
        md = read_metadata(p)
    except GeolocError as err:
        assert str(p) in str(err)
        return
    finally:
        p.unlink(missing_ok=True)
    json.dumps(md.to_dict())  # whatever was read must serialise
    if md.gps is not None:
        assert math.isfinite(md.gps.lat) and abs(md.gps.lat) <= 90
        assert math.isfinite(md.gps.lon) and abs(md.gps.lon) <= 180
        assert not (md.gps.lat == 0 and md.gps.lon == 0)
    assert all(isinstance(w, str) and w for w in md.warnings)


@settings(
    max_examples=IMAGE_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(case=mutated())
@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on corrupt TIFF tags
def test_load_image_survives_mutations(tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes]) -> None:
    name, data = case
    p = _write(tmp_path_factory, name, data)
    try:
        im = geoloc.common.photo.load_image(p)
    except GeolocError as err:
        assert str(p) in str(err)
        return
    finally:
        p.unlink(missing_ok=True)
    assert im.mode == "RGB" and im.width > 0 and im.height > 0


@st.composite
def random_gps_exif(draw: st.DrawFn) -> bytes:
    """A JPEG whose EXIF GPS IFD holds random entries: any tag, type, count and value bytes."""
    bo = draw(st.sampled_from(["<", ">"]))
    entries = draw(
        st.lists(
            st.tuples(
                st.integers(0, 31),
                st.integers(0, 14),
                st.one_of(st.integers(0, 8), st.sampled_from([0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF])),
                st.binary(min_size=4, max_size=4),
            ),
            max_size=14,
        )
    )
    tail = draw(st.binary(max_size=160))
    gps_at = 8 + 2 + 12 + 4
    ifd0 = struct.pack(bo + "H", 1) + struct.pack(bo + "HHII", 0x8825, 4, 1, gps_at) + b"\x00" * 4
    gps = (
        struct.pack(bo + "H", len(entries))
        + b"".join(struct.pack(bo + "HHI", tag, typ, count) + value for tag, typ, count, value in entries)
        + b"\x00" * 4
    )
    tiff = (b"II*\x00" if bo == "<" else b"MM\x00*") + struct.pack(bo + "I", 8) + ifd0 + gps + tail
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + b"\xff\xd9"


@settings(
    max_examples=GPS_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=random_gps_exif())
def test_random_gps_ifds_never_crash(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """Structure-aware fuzzing of the GPS interpretation (types, counts, refs, dates, placeholders)."""
    p = _write(tmp_path_factory, "gps.jpg", data)
    md = read_metadata(p)
    p.unlink()
    g = md.gps
    if g is not None:
        assert abs(g.lat) <= 90 and abs(g.lon) <= 180 and not (g.lat == 0 and g.lon == 0)
        assert g.altitude_m is None or math.isfinite(g.altitude_m)
        assert g.direction_deg is None or 0 <= g.direction_deg < 360
        assert g.direction_ref in (None, "T", "M")
    json.dumps(md.to_dict())


def test_seeds_cover_every_format(tmp_path: Path) -> None:
    """The corpus must hold each container the readers handle, and unmutated seeds read cleanly."""
    suffixes = {Path(n).suffix for n in NAMES}
    assert {".jpeg", ".png", ".tiff", ".webp", ".gif", ".bmp"} <= suffixes
    for name in NAMES:
        p = tmp_path / ("seed" + Path(name).suffix)
        p.write_bytes(SEEDS[name])
        md = read_metadata(p)
        if name in ("generated.tiff",):  # Pillow writes no GPS IFD into TIFF files
            assert md.camera.get("make") == "Fuzz"
        elif name.startswith("generated.") and name not in ("generated.gif", "generated.bmp"):
            assert md.gps is not None, name
            assert (md.gps.lat, md.gps.lon) == pytest.approx(
                (-(33 + 51 / 60 + 54.5 / 3600), -(70 + 40 / 60 + 12.5 / 3600))
            ), name
            assert md.gps.altitude_m == pytest.approx(-430.5), name


# --------------------------------------------------------------------------------------- hostile shapes


def _app1_xmp(xml: bytes) -> bytes:
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + xml[:65_000]
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _scans(rng: random.Random) -> tuple[str, bytes]:
    return ".jpg", many_scans_jpeg(rng.choice([64, 512, 2048, 4096]), rng.randint(1, 3000), rng.choice(["RGB", "L"]))


def _xmp_flood(rng: random.Random) -> tuple[str, bytes]:
    """Many XMP packets: compressed PNG chunks, or 64 kB JPEG segments, flat, nested or blank."""
    size = rng.randint(1, 16) * 2**20
    xml = rng.choice([flat_xml(size), nested_xml(size // 7), b" " * size + CITY_XMP])
    if rng.random() < 0.5:
        return ".png", png_with_chunks([xmp_chunk(CITY_XMP)] + [xmp_chunk(xml)] * rng.randint(1, 16))
    return ".jpg", padded_jpeg(_app1_xmp(CITY_XMP) + _app1_xmp(xml[:65_000]) * rng.randint(1, 400))


def _deep(rng: random.Random) -> tuple[str, bytes]:
    depth = int(10 ** rng.uniform(1.5, 6.4))
    if depth < 9000 and rng.random() < 0.5:  # a JPEG segment holds 64 kB
        return ".jpg", padded_jpeg(_app1_xmp(nested_xml(depth)))
    return ".png", png_with_chunks([xmp_chunk(nested_xml(depth), compress=rng.random() < 0.9)])


def _odd_aspect(rng: random.Random) -> tuple[str, bytes]:
    fmt = rng.choice(["PNG", "JPEG", "GIF", "WEBP"])
    short, long = rng.randint(1, 24), rng.randint(200, 16_000 if fmt == "WEBP" else 65_000)
    size = (long, short) if rng.random() < 0.5 else (short, long)
    return "." + fmt.lower(), image_bytes(size, fmt)


def _floods(rng: random.Random) -> tuple[str, bytes]:
    """Padding, comment segments or empty chunks by the hundred thousand."""
    count = int(10 ** rng.uniform(3, 5.7))
    kind = rng.choice(["fill", "comments", "chunks"])
    if kind == "fill":
        return ".jpg", padded_jpeg(b"\xff" * count * 8)
    if kind == "comments":
        return ".jpg", padded_jpeg(b"\xff\xfe\x00\x02" * count)
    return ".png", png_with_chunks([png_chunk(b"teSt", b"")] * count)


SHAPES: tuple[Callable[[random.Random], tuple[str, bytes]], ...] = (_scans, _xmp_flood, _deep, _odd_aspect, _floods)


def test_hostile_shapes_are_read_or_refused_within_bounds(tmp_path: Path) -> None:
    """Files built to be slow or huge, of random sizes: each is read or refused with one line, by
    load_image and by read_metadata, in under CASE_SECONDS and CASE_MEGABYTES."""
    seed = int(os.environ.get("GEOLOC_FUZZ_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    jobs: list[tuple[str, Path]] = []
    for i in range(HOSTILE_EXAMPLES):
        shape = SHAPES[i % len(SHAPES)]
        suffix, data = shape(rng)
        path = tmp_path / f"{i:02d}-{shape.__name__.strip('_')}{suffix}"
        path.write_bytes(data)
        jobs += [("image", path), ("meta", path)]
    for (kind, path), got in zip(jobs, run_bounded(jobs, CASE_SECONDS, CASE_MEGABYTES), strict=True):
        case = f"{path.name} ({path.stat().st_size:,} bytes) through {kind}, GEOLOC_FUZZ_SEED={seed}: {got}"
        assert got["said"].startswith(("ok ", f"refused {path}: ")), case
        assert "\n" not in got["said"], case
        assert got["seconds"] < CASE_SECONDS and got["mb"] < CASE_MEGABYTES, case
