"""Files built to be slow or huge, and photos merely big: bounded time and memory per photo.

Every file is generated here, small on disk and costly to decode: a progressive JPEG with
thousands of empty scans, a PNG whose compressed XMP chunks inflate to 200 MB of XML, XMP
nested millions of levels deep or made of millions of empty elements, JPEG padding and PNG chunk
floods, strips of 100000x10 pixels, a progressive JPEG whose header asks for a gigabyte. Each is
read in a child process under an address-space limit and a timer (``run_bounded``), so a
regression fails the test instead of stalling or swapping the machine. Real big photos (a 108 MP
phone frame) must be read, at a bounded resolution, with positions still in the photo's pixels.

The builders and ``run_bounded`` are shared with the fuzz round in ``test_fuzz.py``.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

import geoloc.common.photo
from geoloc.cli.main import cli
from geoloc.common.photo import load_image, photo_scale
from geoloc.errors import PhotoError
from geoloc.read.ocr.reader import find_regions, read_text
from geoloc.render.map.popups import Thumbnails

IMAGES = Path(__file__).resolve().parents[1] / "images"

# --------------------------------------------------------------------------------------- builders


def _jpeg_segments(data: bytes) -> list[bytes]:
    """A JPEG's segments after SOI, each scan with its entropy-coded data, EOI left out."""
    out, pos = [], 2
    while data[pos + 1] != 0xD9:
        end = pos + 2 + struct.unpack_from(">H", data, pos + 2)[0]
        if data[pos + 1] == 0xDA:
            end = next(
                i for i in range(end, len(data) - 1) if data[i] == 0xFF and data[i + 1] not in (0, *range(0xD0, 0xD8))
            )
        out.append(data[pos:end])
        pos = end
    return out


def many_scans_jpeg(side: int, scans: int, mode: str = "RGB") -> bytes:
    """A progressive JPEG of ``side`` x ``side`` whose smallest later scan (an empty band of
    end-of-band runs) is repeated ``scans`` times: each costs the decoder a pass over the image."""
    buf = io.BytesIO()
    Image.new(mode, (side, side), 128 if mode == "L" else (128, 128, 128)).save(
        buf, "JPEG", progressive=True, quality=50
    )
    segs = _jpeg_segments(buf.getvalue())
    first = next(i for i, s in enumerate(segs) if s[1] == 0xDA)
    later = [i for i, s in enumerate(segs) if s[1] == 0xDA and i > first]
    empty = min(later, key=lambda i: len(segs[i]))
    tables = segs[empty - 1] if segs[empty - 1][1] == 0xC4 else b""
    return b"\xff\xd8" + b"".join(segs[: first + 1]) + tables + segs[empty] * scans + b"\xff\xd9"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def small_png(size: tuple[int, int] = (16, 16)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (90, 120, 160)).save(buf, "PNG")
    return buf.getvalue()


def png_with_chunks(chunks: list[bytes]) -> bytes:
    """A small PNG with ``chunks`` (already framed) between its header and its pixels."""
    png = small_png()
    return png[:33] + b"".join(chunks) + png[33:]


def xmp_chunk(xml: bytes, *, compress: bool = True) -> bytes:
    """An iTXt XMP chunk, deflated when ``compress`` (as most writers do for large packets)."""
    body = zlib.compress(xml, 9) if compress else xml
    return png_chunk(
        b"iTXt", b"XML:com.adobe.xmp\x00" + (b"\x01\x00" if compress else b"\x00\x00") + b"\x00\x00" + body
    )


def nested_xml(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def flat_xml(nbytes: int, unit: bytes = b"<a/>") -> bytes:
    return b"<x>" + unit * max(0, (nbytes - 7) // len(unit)) + b"</x>"


CITY_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="Chernihiv" photoshop:Country="Ukraine"/></rdf:RDF></x:xmpmeta>'
)


def padded_jpeg(fill: bytes) -> bytes:
    """A small JPEG with ``fill`` between its SOI and the first segment (fill bytes or segments)."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 120, 160)).save(buf, "JPEG")
    data = buf.getvalue()
    return data[:2] + fill + data[2:]


def image_bytes(size: tuple[int, int], fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buf, fmt)
    return buf.getvalue()


# --------------------------------------------------------------------------------------- the runner

_RUNNER = r"""
import json, os, resource, signal, sys, time
from geoloc.common.photo import load_image, photo_scale
from geoloc.errors import GeolocError
from geoloc.read.metadata import read_metadata

seconds, megabytes = float(sys.argv[1]), int(sys.argv[2])
page = os.sysconf("SC_PAGE_SIZE")

def work(kind, path):
    if kind == "image":
        im = load_image(path)
        return f"ok {im.width}x{im.height} scale {photo_scale(im)}"
    md = read_metadata(path)
    return "ok " + json.dumps({"city": md.location.city if md.location else None, "warnings": md.warnings})

for line in sys.stdin:
    kind, path = line.rstrip("\n").split("\t", 1)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        size, resident = (int(v) * page for v in open("/proc/self/statm").read().split()[:2])
        resource.setrlimit(resource.RLIMIT_AS, (size + megabytes * 2**20,) * 2)
        signal.setitimer(signal.ITIMER_REAL, seconds)  # the default action ends the child
        start = time.perf_counter()
        try:
            said = work(kind, path)
        except GeolocError as exc:
            said = f"refused {exc}"
        except BaseException as exc:
            said = f"crash {type(exc).__name__}: {exc}"
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - resident
        os.write(w, json.dumps({"said": said, "seconds": time.perf_counter() - start, "mb": grown / 2**20}).encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        got = fh.read()
    _, status = os.waitpid(pid, 0)
    if not got:
        said = f"killed by signal {os.WTERMSIG(status)} (over {seconds} s?)"
        got = json.dumps({"said": said, "seconds": seconds, "mb": 0})
    print(got.decode() if isinstance(got, bytes) else got, flush=True)
"""


def run_bounded(jobs: list[tuple[str, Path]], seconds: float, megabytes: int) -> list[dict]:
    """Run each (kind, path) job, ``image`` (load_image) or ``meta`` (read_metadata), in a child
    process allowed ``seconds`` and ``megabytes`` of address space beyond its start; return per job
    what it said ("ok ...", "refused <error line>", "crash ...", "killed ..."), its time and the
    growth of its peak memory."""
    feed = "".join(f"{kind}\t{path}\n" for kind, path in jobs)
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(seconds), str(megabytes)],
        input=feed,
        capture_output=True,
        text=True,
        timeout=30 + len(jobs) * (seconds + 2),
        cwd=Path(__file__).resolve().parents[1],
    )
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == len(jobs), out.stdout
    return results


def _one(kind: str, path: Path, seconds: float, megabytes: int) -> dict:
    return run_bounded([(kind, path)], seconds, megabytes)[0]


# --------------------------------------------------------------------------------------- item 8


def test_a_jpeg_with_thousands_of_empty_scans_is_refused_at_once(tmp_path: Path) -> None:
    """9000x9000, 6,000 empty scans in 450 kB: a minute of decoding before, refused from a pre-scan now."""
    bomb = tmp_path / "scans.jpg"
    bomb.write_bytes(many_scans_jpeg(9000, 6000))
    assert bomb.stat().st_size < 500_000
    got = _one("image", bomb, 3.0, 300)
    assert got["said"] == f"refused {bomb}: refused: JPEG with more than 100 scans (no encoder writes that many)"
    assert got["seconds"] < 1.0 and got["mb"] < 100, got
    limit = geoloc.common.photo.MAX_JPEG_SCANS
    (tmp_path / "at_limit.jpg").write_bytes(many_scans_jpeg(256, limit - 1))  # + the first scan
    (tmp_path / "over_limit.jpg").write_bytes(many_scans_jpeg(256, limit))
    at, over = run_bounded([("image", tmp_path / "at_limit.jpg"), ("image", tmp_path / "over_limit.jpg")], 3.0, 300)
    assert at["said"] == "ok 256x256 scale 1", at
    assert over["said"].startswith("refused"), over


def test_metadata_is_capped_per_file_not_per_chunk(tmp_path: Path) -> None:
    """12 compressed chunks of 16 MB XMP in 490 kB: 44 s and 2 GB before; now what comes first is
    read and the rest is cut with one warning, within a fraction of a second."""
    big = xmp_chunk(flat_xml(16 * 2**20 - 64))
    photo = tmp_path / "chunks.png"
    photo.write_bytes(png_with_chunks([xmp_chunk(CITY_XMP, compress=False)] + [big] * 12))
    assert photo.stat().st_size < 600_000
    got = _one("meta", photo, 3.0, 300)
    assert got["said"].startswith("ok "), got
    read = json.loads(got["said"][3:])
    assert read["city"] == "Chernihiv"  # the packet before the flood still counts
    assert any("16 MB" in w and "not read" in w for w in read["warnings"]), read["warnings"]
    assert got["seconds"] < 1.5 and got["mb"] < 150, got


def test_xmp_nested_millions_of_levels_deep_is_refused_while_parsing(tmp_path: Path) -> None:
    """2.2 million levels in 15 kB: 5.5 s and 700 MB before; the parse now stops at level 101."""
    photo = tmp_path / "deep.png"
    photo.write_bytes(png_with_chunks([xmp_chunk(nested_xml(2_200_000))]))
    assert photo.stat().st_size < 40_000
    got = _one("meta", photo, 3.0, 300)
    assert got["said"].startswith("ok "), got
    assert "XMP nested deeper than 100 levels; ignored" in json.loads(got["said"][3:])["warnings"]
    assert got["seconds"] < 1.0 and got["mb"] < 120, got


def test_xmp_of_millions_of_empty_elements_is_cut_while_parsing(tmp_path: Path) -> None:
    """4 million empty elements in 16 kB of compressed XMP: 3.7 s and 450 MB before."""
    photo = tmp_path / "flat.png"
    photo.write_bytes(png_with_chunks([xmp_chunk(flat_xml(16 * 2**20 - 64))]))
    got = _one("meta", photo, 3.0, 300)
    assert got["said"].startswith("ok "), got
    assert "XMP larger than 100,000 elements in all; ignored" in json.loads(got["said"][3:])["warnings"]
    assert got["seconds"] < 1.0 and got["mb"] < 120, got


def test_jpeg_padding_and_png_chunk_floods_are_refused_before_pillow_walks_them(tmp_path: Path) -> None:
    """Pillow reads JPEG header padding a byte at a time and PNG chunks one by one in Python."""
    (tmp_path / "fill.jpg").write_bytes(padded_jpeg(b"\xff" * 10_000_000))
    (tmp_path / "comments.jpg").write_bytes(padded_jpeg(b"\xff\xfe\x00\x02" * 1_000_000))
    (tmp_path / "chunks.png").write_bytes(png_with_chunks([png_chunk(b"teSt", b"")] * 1_000_000))
    jobs = [
        (kind, tmp_path / name) for name in ("fill.jpg", "comments.jpg", "chunks.png") for kind in ("image", "meta")
    ]
    got = run_bounded(jobs, 3.0, 300)
    for (kind, path), result in zip(jobs, got, strict=True):
        assert result["seconds"] < 1.0, (path.name, kind, result)
        if kind == "image":
            assert result["said"].startswith(f"refused {path}: refused: "), result
            assert "65,536" in result["said"], result
        else:
            assert result["said"].startswith("ok "), result


def test_a_progressive_jpeg_asking_for_a_gigabyte_of_coefficients_is_refused(tmp_path: Path) -> None:
    """A CMYK progressive JPEG declaring 9300x9300 (86 MP, under every pixel limit) makes libjpeg
    hold 8 bytes a pixel of coefficients; its header alone now refuses it."""
    buf = io.BytesIO()
    Image.new("CMYK", (16, 16)).save(buf, "JPEG", progressive=True, subsampling=0)
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc2")
    struct.pack_into(">HH", data, sof + 5, 9300, 9300)
    photo = tmp_path / "coefficients.jpg"
    photo.write_bytes(bytes(data))
    with pytest.raises(PhotoError, match=r"refused: this multi-scan JPEG needs 660 MB to decode \(limit 640 MB\)"):
        load_image(photo)


# --------------------------------------------------------------------------------------- item 10


def test_a_108_mp_phone_photo_is_read_at_half_size_and_a_bomb_that_size_is_not(tmp_path: Path) -> None:
    """12000x9000 was refused as a decompression bomb (Pillow's 89 MP level); it is now read
    reduced in the decoder, in bounded memory. The same canvas declared by a few bytes is refused."""
    im = Image.new("RGB", (12000, 9000), (90, 120, 160))
    draw = ImageDraw.Draw(im)
    for x in range(0, 12000, 500):
        draw.rectangle((x, 1000, x + 250, 8000), fill=(200, 200, 30))
    photo = tmp_path / "phone.jpg"
    im.save(photo, "JPEG", quality=90)
    del im, draw
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 12000, 9000, 8, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 100_000))
        + png_chunk(b"IEND", b"")
    )
    got = run_bounded([("image", photo), ("image", bomb)], 10.0, 800)
    assert got[0]["said"] == "ok 6000x4500 scale 2", got[0]
    assert got[0]["mb"] < 400, got[0]  # 108 MB of RGB pixels at half size; the full frame is 432 MB
    assert got[1]["said"].startswith(f"refused {bomb}: image too large for its file (12000x9000 pixels in "), got[1]


def _with_square(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    im = Image.new("RGB", size, (240, 240, 240))
    x, y, w, h = box
    ImageDraw.Draw(im).rectangle((x, y, x + w - 1, y + h - 1), fill=(200, 30, 30))
    return im


def test_a_reduced_photo_stays_upright_and_thumbnails_find_the_photo_pixels(tmp_path: Path, monkeypatch) -> None:
    """Reduction keeps the EXIF orientation (read before reducing) and records its factor, and the
    map's thumbnails cut the box given in the photo's own pixels out of the reduced image."""
    monkeypatch.setattr(geoloc.common.photo, "MAX_LOAD_PIXELS", 40_000)
    square = (240, 60, 80, 40)  # x, y, w, h in the 400x300 photo
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 270 to make it upright
    stored = _with_square((400, 300), square).transpose(Image.Transpose.ROTATE_90)
    stored.save(tmp_path / "turned.jpg", "JPEG", quality=95, exif=exif)
    _with_square((400, 300), square).save(tmp_path / "flat.png")
    for name in ("turned.jpg", "flat.png"):
        im = load_image(tmp_path / name)
        assert im.size == (200, 150) and photo_scale(im) == 2, name
        red = np.asarray(im)[..., 0] > 150
        ys, xs = np.nonzero(red & (np.asarray(im)[..., 1] < 100))
        assert (xs.min(), ys.min(), xs.max(), ys.max()) == pytest.approx((120, 30, 159, 49), abs=1), name
        uri = Thumbnails(str(tmp_path / name)).crop(square)
        thumb = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))
        h, w = thumb.shape[:2]
        assert thumb[h // 2, w // 2, 0] > 150 and thumb[h // 2, w // 2, 1] < 100, name  # the square, centred


def test_ocr_boxes_of_a_reduced_photo_are_in_the_photo_pixels() -> None:
    image = load_image(IMAGES / "chernihiv_sign.jpg")
    whole = read_text(image)
    assert whole
    image.info[geoloc.common.photo.SCALE_KEY] = 2  # as if the photo had twice the side
    halved = read_text(image)
    assert [s.text for s in halved] == [s.text for s in whole]
    for a, b in zip(halved, whole, strict=True):
        assert a.box == pytest.approx(tuple(2 * v for v in b.box), abs=2)


# --------------------------------------------------------------------------------------- item 6


def test_extreme_aspect_ratios_get_one_line_and_the_limit_fits_the_detector(tmp_path: Path) -> None:
    """100000x10 failed inside OpenCV with a traceback; the widest accepted shape passes detection."""
    Image.new("RGB", (100_000, 10), (250, 250, 250)).save(tmp_path / "strip.png")
    Image.new("RGB", (10, 100_000), (250, 250, 250)).save(tmp_path / "pole.png")
    result = CliRunner().invoke(cli, ["ocr", str(tmp_path / "strip.png"), str(tmp_path / "pole.png")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "image too narrow (100000x10 pixels; the long side may be at most 100 times the short)" in lines[0]
    assert "image too narrow (10x100000 pixels" in lines[1]
    limit = geoloc.common.photo.MAX_ASPECT
    rng = np.random.default_rng(0)
    for size in ((1600 * 2, 32), (32, 1600 * 2), (limit, 1), (1, limit)):
        assert max(size) <= limit * min(size)
        Image.fromarray((rng.random((size[1], size[0], 3)) * 255).astype("uint8")).save(tmp_path / "edge.png")
        find_regions(np.asarray(load_image(tmp_path / "edge.png")))  # no OpenCV error
