"""Open a photo safely: check the path, refuse decompression bombs, apply EXIF orientation.

Every stage that needs pixels goes through ``load_image`` so that a hostile or broken file fails
here, once, with a one-line ``PhotoError`` naming the file and the problem.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from geoloc.errors import PhotoError, PhotoIOError

MAX_PIXELS = 120_000_000
"""Refuse images declaring more pixels than this (a 60000x60000 bomb declares 3.6e9)."""

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


def load_image(path: str | os.PathLike[str]) -> Image.Image:
    """Decode a photo into an upright RGB image, or raise a PhotoError that says why not."""
    p = check_path(path)
    shown = os.fsdecode(p)
    fmt = "image"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(p) as im:
                fmt = im.format or fmt
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise PhotoError(f"image too large ({w}x{h} pixels; limit {MAX_PIXELS:,})", path=shown)
                if im.format == "PNG":  # decoding skips chunk checksums; libpng would refuse
                    with Image.open(p) as whole:
                        whole.verify()
                im.seek(0)  # first frame of an animated GIF / multi-page TIFF
                im.load()
                upright = _upright(im)
                return _to_rgb(upright)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(f"image too large ({exc})", path=shown) from None
    except UnidentifiedImageError:
        raise PhotoError("not an image (unknown or unsupported format)", path=shown) from None
    except PermissionError:
        raise PhotoIOError("permission denied", path=shown) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        msg = str(exc) or type(exc).__name__
        if "truncated" in msg.lower():
            msg = f"truncated {fmt} data"
        raise PhotoError(f"not an image ({msg})", path=shown) from None


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(im: Image.Image) -> Image.Image:
    """Apply the EXIF orientation without re-serialising the EXIF block.

    Pillow's ImageOps.exif_transpose rewrites the EXIF it read, and a malformed block can make
    that raise TypeError (found by fuzzing); here only the orientation value is read, and a block
    too broken to read means "no rotation": the pixels matter more than a broken tag.
    """
    try:
        orientation = im.getexif().get(0x0112)
    except Exception:  # noqa: BLE001 - any EXIF parse failure just means "orientation unknown"
        return im
    method = _TRANSPOSE.get(orientation) if isinstance(orientation, int) else None
    return im.transpose(method) if method is not None else im


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
