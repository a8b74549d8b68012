"""Open a photo safely: check the path, refuse hostile files, apply EXIF orientation, bound the size.

Every stage that needs pixels goes through ``load_image`` so that a hostile or broken file fails
here, once, with a one-line ``PhotoError`` naming the file and the problem. What a file may cost
is decided from its header before any pixel is decoded: the pixel count, the shape, the file size
for that many pixels, and for JPEG and PNG the number of segments, chunks and scans the decoders
would walk. Photos above ``MAX_LOAD_PIXELS`` are read at a reduced size (see ``photo_scale``).
"""

from __future__ import annotations

import math
import os
import re
import struct
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from geoloc.errors import PhotoError, PhotoIOError

MAX_PIXELS = 200_000_000
"""Refuse images declaring more pixels than this: the largest camera sensors make 200 MP (phones)
and 150 MP (medium format); beyond that lie stitched panoramas and decompression bombs (a
60000x60000 bomb declares 3.6e9)."""

CHECKED_PIXELS = 89_478_485
"""Above this pixel count (Pillow's own bomb warning level) an image must also bring
``MIN_BYTES_PER_MEGAPIXEL`` of file: below it decoding is cheap enough to accept any file."""

MIN_BYTES_PER_MEGAPIXEL = 10_000
"""Bytes of file per million declared pixels for images above ``CHECKED_PIXELS``. A camera JPEG
of a uniform grey wall still takes 15 kB per megapixel (a DC difference and an end-of-block code
per 8x8 block) and real photos take 100-500 kB; a bomb is a small file declaring a huge canvas."""

MAX_LOAD_PIXELS = 64_000_000
"""Larger photos are read reduced by a power of two to at most this many pixels: JPEGs are scaled
in the decoder (no full-size buffer ever exists), other formats are decoded and then reduced.
Full-frame cameras (up to 61 MP) stay whole; 108 and 200 MP phone modes come from binned sensors
whose detail fits half the side, and 100-150 MP medium format keeps 25-37 MP, ample for signs."""

MAX_ASPECT = 100
"""Refuse images whose long side is more than this many times the short one. Photographs, even
stitched 360-degree panoramas, rarely pass 20:1; text detection sees the photo at 1600 px on its
long side, where a 100:1 image is a 16 px strip (too low for a line of text) and 1600:1 nothing."""

MAX_JPEG_SCANS = 100
"""Refuse JPEGs with more scans than this. libjpeg decodes every scan over the whole image, even
a scan of a few bytes of end-of-band runs, so 6,000 empty scans in 450 kB cost a minute. Standard
progressive scripts write 6-18 scans and mozjpeg's scan search picks among 64 candidates."""

MAX_JPEG_COEFFICIENT_BYTES = 640 * 2**20
"""Refuse multi-scan (progressive) JPEGs needing a larger coefficient buffer: libjpeg keeps every
DCT coefficient of such a file (2 bytes a sample) until the last scan, whatever size it outputs.
A 200 MP photo in the usual 4:2:0 sampling needs 600 MB; 4:4:4 colour needs twice that, and no
camera writes 200 MP progressive 4:4:4."""

MAX_CHUNKS = 65_536
"""Refuse JPEGs with more marker segments (and padding bytes between them), and PNGs with more
chunks, than this: Pillow reads each in Python, padding a byte at a time (1,000,000 empty PNG
chunks in 12 MB took 5 s, 10 MB of JPEG padding 3.4 s). A JPEG has tens of segments (an ICC
profile splits into at most 255); libpng writes pixels in 8 kB chunks, so a 400 MB PNG has 51,200."""

SCALE_KEY = "geoloc.scale"
"""``image.info`` key set by ``load_image``: pixels of the photo per pixel of the image read."""

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow checks this as it opens a file (its own level is 89 MP)

try:  # HEIC/HEIF support when pillow-heif is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    pass


def check_path(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a Path if it is a readable regular file, else raise PhotoIOError."""
    p = Path(path)
    shown = os.fsdecode(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise PhotoIOError("no such file", path=shown) from None
    except OSError as exc:  # symlink loops (ELOOP), name too long, permission on a parent
        raise PhotoIOError(exc.strerror or str(exc), path=shown) from None
    if p.is_dir():
        raise PhotoIOError("is a directory, not a photo", path=shown)
    if st.st_size == 0:
        raise PhotoError("not an image (empty file)", path=shown)
    if not os.access(p, os.R_OK):
        raise PhotoIOError("permission denied", path=shown)
    return p


def photo_scale(image: Image.Image) -> int:
    """Pixels of the photo per pixel of ``image`` along each side: 1 unless it was read reduced."""
    return int(image.info.get(SCALE_KEY, 1))


def load_image(path: str | os.PathLike[str]) -> Image.Image:
    """Decode a photo into an upright RGB image, or raise a PhotoError that says why not.

    A photo above ``MAX_LOAD_PIXELS`` comes back reduced; ``photo_scale`` says by how much, so
    that positions found in it can be given in the photo's own pixels.
    """
    p = check_path(path)
    shown = os.fsdecode(p)
    fmt = "image"
    try:
        _check_structure(p)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns per odd tag (thousands for one TIFF): noise
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                fmt = im.format or fmt
                factor = _check_size(im, p.stat().st_size)
                if im.format == "PNG":  # decoding skips chunk checksums; libpng would refuse
                    with Image.open(p) as whole:
                        whole.verify()
                im.seek(0)  # first frame of an animated GIF / multi-page TIFF
                turn = _orientation(im)
                size = (math.ceil(im.width / factor), math.ceil(im.height / factor))
                if factor > 1:  # JPEG: scaled while decoding; other formats ignore this
                    im.draft(im.mode, (im.width // factor, im.height // factor))
                im.load()
                read = _reduce(im, factor) if im.size != size else im
                upright = read.transpose(turn) if turn is not None else read
                rgb = _to_rgb(upright)
                rgb.info[SCALE_KEY] = factor
                return rgb
    except PhotoError as err:
        err.path = shown
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"image too large (more than {MAX_PIXELS:,} pixels)", path=shown) from None
    except UnidentifiedImageError:
        raise PhotoError("not an image (unknown or unsupported format)", path=shown) from None
    except PermissionError:
        raise PhotoIOError("permission denied", path=shown) from None
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError) as exc:
        # RuntimeError: pillow-heif's word for libheif's other failures ("Memory allocation error:
        # Security limit exceeded" for a picture size that a corrupt parameter set declares)
        msg = (str(exc) or type(exc).__name__).splitlines()[0]
        if "truncated" in msg.lower():
            msg = f"truncated {fmt} data"
        raise PhotoError(f"not an image ({msg})", path=shown) from None


def _check_size(im: Image.Image, file_bytes: int) -> int:
    """Refuse what the header declares if it is too costly to decode; else the reduction factor.

    Pillow has already refused more than ``MAX_PIXELS`` while opening the file."""
    w, h = im.size
    pixels = w * h
    if max(w, h) > MAX_ASPECT * max(1, min(w, h)):
        raise PhotoError(
            f"image too narrow ({w}x{h} pixels; the long side may be at most {MAX_ASPECT} times the short)"
        )
    if pixels > CHECKED_PIXELS and file_bytes < pixels / 1e6 * MIN_BYTES_PER_MEGAPIXEL:
        raise PhotoError(
            f"image too large for its file ({w}x{h} pixels in {file_bytes:,} bytes; a photo that size "
            f"takes at least {MIN_BYTES_PER_MEGAPIXEL * pixels // 10**6:,})"
        )
    factor = 1
    while pixels / factor**2 > MAX_LOAD_PIXELS:
        factor *= 2
    return factor


_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
"""The next JPEG marker: a 0xFF byte not followed by a stuffed zero, a restart marker or a fill byte."""


def _check_structure(p: Path) -> None:
    """Count what Pillow and libjpeg would walk, before they do: JPEG segments and scans, PNG chunks."""
    with open(p, "rb") as fh:
        magic = fh.read(8)
        if magic.startswith(b"\xff\xd8\xff"):
            _check_jpeg(magic + fh.read())
        elif magic == b"\x89PNG\r\n\x1a\n":
            _check_png(fh)


def _check_jpeg(data: bytes) -> None:
    """Refuse a JPEG whose first image has more scans or segments than any encoder writes, or
    whose scans would make libjpeg hold more coefficients than ``MAX_JPEG_COEFFICIENT_BYTES``."""
    pos, scans, segments, frame = 2, 0, 0, b""
    while (found := _JPEG_MARKER.search(data, pos)) is not None:
        if not scans:  # Pillow reads the header, padding between its segments a byte at a time
            segments += found.start() - pos
        marker, pos = data[found.end() - 1], found.end()
        if marker == 0xD9:  # end of the first image (previews may follow it)
            break
        segments += 1
        scans += marker == 0xDA
        if scans > MAX_JPEG_SCANS:
            raise PhotoError(f"refused: JPEG with more than {MAX_JPEG_SCANS} scans (no encoder writes that many)")
        if segments > MAX_CHUNKS:
            raise PhotoError(
                f"refused: JPEG with more than {MAX_CHUNKS:,} segments or padding bytes (more than a photo needs)"
            )
        if marker in (0x01, 0xD8):  # the only markers without a segment length
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if marker in _SOF and not frame:
            frame = data[pos + 2 : pos + length]
        pos += length
    need = _coefficient_bytes(frame)
    if scans > 1 and need > MAX_JPEG_COEFFICIENT_BYTES:
        raise PhotoError(
            f"refused: this multi-scan JPEG needs {need // 2**20:,} MB to decode "
            f"(limit {MAX_JPEG_COEFFICIENT_BYTES // 2**20} MB)"
        )


_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
"""Start-of-frame markers (every coding process); 0xC4, 0xC8 and 0xCC are tables and a reserved code."""


def _coefficient_bytes(frame: bytes) -> int:
    """Bytes of DCT coefficients in the image a start-of-frame segment declares (0 if it is cut)."""
    if len(frame) < 6:
        return 0
    height, width, count = struct.unpack_from(">HHB", frame, 1)
    comps = [(frame[i] >> 4, frame[i] & 15) for i in range(7, min(len(frame), 6 + 3 * count), 3)]
    if not comps or min(min(c) for c in comps) == 0:
        return 0
    hmax, vmax = max(c[0] for c in comps), max(c[1] for c in comps)
    blocks = sum(math.ceil(width * h / hmax / 8) * math.ceil(height * v / vmax / 8) for h, v in comps)
    return blocks * 64 * 2


def _check_png(fh: BinaryIO) -> None:
    """Refuse a PNG with more chunks than ``MAX_CHUNKS``, reading only the chunk headers."""
    pos = 8
    for _ in range(MAX_CHUNKS):
        fh.seek(pos)
        head = fh.read(8)
        if len(head) < 8 or head[4:] == b"IEND":
            return
        pos += 12 + struct.unpack(">I", head[:4])[0]
    raise PhotoError(f"refused: PNG with more than {MAX_CHUNKS:,} chunks (more than a photo needs)")


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(im: Image.Image) -> Image.Transpose | None:
    """The transpose that makes the photo upright, read from the EXIF orientation alone.

    Pillow's ImageOps.exif_transpose rewrites the EXIF it read, and a malformed block can make
    that raise TypeError (found by fuzzing); here only the orientation value is read, and a block
    too broken to read means "no rotation": the pixels matter more than a broken tag. It is read
    from the opened file, before any reduction, as a reduced copy no longer carries TIFF tags.
    """
    try:
        orientation = im.getexif().get(0x0112)
    except Exception:  # noqa: BLE001 - any EXIF parse failure just means "orientation unknown"
        return None
    return _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None


_AVERAGED = frozenset({"L", "RGB", "RGBX", "CMYK", "YCbCr", "I", "F"})
"""Modes that ``Image.reduce`` averages in one pass, without a premultiplied-alpha copy."""


def _reduce(im: Image.Image, factor: int) -> Image.Image:
    """Shrink a decoded image by ``factor`` without a second full-size buffer: box-averaged where
    Pillow can do it in one pass, else (palette, alpha, 16-bit) by keeping every factor-th pixel."""
    if im.mode in _AVERAGED:
        return im.reduce(factor)
    size = (math.ceil(im.width / factor), math.ceil(im.height / factor))
    return im.resize(size, Image.Resampling.NEAREST)


def _to_rgb(im: Image.Image) -> Image.Image:
    """Convert any mode (CMYK, 16-bit, palette, alpha) to 8-bit RGB."""
    if im.mode == "RGB":
        return im
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        return im.point(lambda v: v / 256).convert("L").convert("RGB")
    if im.mode in ("RGBA", "LA", "P"):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    return im.convert("RGB")
