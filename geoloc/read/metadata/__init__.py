"""Read where and when a photo was taken from its metadata (EXIF GPS, IPTC IIM, XMP), as exiftool does.

Metadata is the strongest location evidence a photo can carry and the most often misread, so this
package parses the containers itself instead of trusting a general image library. The flow:

1. ``containers`` sniffs the format (JPEG, PNG, TIFF, WebP, HEIF / HEIC / AVIF, JPEG XL) and pulls
   out the raw EXIF, XMP, Photoshop and IPTC blocks; only the metadata bytes are touched, pixels are
   never decoded, and every offset and count is bounds-checked, so a hostile file can only produce
   a warning (``malformed``); one file yields at most ``MAX_METADATA_BYTES``, counted after
   decompression.
2. ``interpret`` reads those blocks: ``tiff`` walks the EXIF IFDs, ``xmp`` parses XMP with
   defusedxml (entity declarations and external entities, nesting deeper than ``MAX_XMP_DEPTH``
   and more than ``MAX_XMP_ELEMENTS`` elements are refused with a warning), ``iptc`` splits the
   IIM datasets.
3. ``gps`` follows exiftool's arithmetic (degrees + minutes/60 + seconds/3600, sign from the
   N/S/E/W reference); values exiftool would show as undefined (0/0, n/0) and placeholders (0/0
   position, 4294967295) are reported in ``Metadata.warnings`` and never used as a position.
4. ``location`` merges written locations by the Metadata Working Group rules: XMP wins over IPTC
   IIM unless a stored IPTC digest shows the IIM block was edited after the XMP was written.

``read_metadata(path)`` raises only when the file itself cannot be read (see ``geoloc.common.photo.check_path``)
or is not an image at all; everything wrong inside the metadata becomes a warning.
"""

from __future__ import annotations

import mmap
import os
from typing import Any

from geoloc.common.photo import check_path
from geoloc.errors import PhotoIOError
from geoloc.model import Metadata
from geoloc.read.metadata.containers import collect
from geoloc.read.metadata.interpret import build_metadata

__all__ = ["read_metadata"]

MAP_ABOVE = 32 * 1024 * 1024
"""Files larger than this are memory-mapped instead of read whole."""


def read_metadata(path: str | os.PathLike[str]) -> Metadata:
    """Read GPS, written location and camera details from a photo's metadata.

    Raises PhotoIOError / PhotoError only when the file cannot be read or is not an image;
    problems inside the metadata are returned as ``Metadata.warnings`` instead, because a broken
    tag should never stop an analyst from seeing the rest of the evidence.
    """
    p = check_path(path)
    shown = os.fsdecode(p)
    try:
        with open(p, "rb") as fh:
            # Photos are read whole; only very large files (multi-page TIFF scans) are mapped, as a
            # mapped file truncated by another process would kill this one with SIGBUS.
            data: Any = None
            if os.fstat(fh.fileno()).st_size > MAP_ABOVE:
                try:
                    data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):  # filesystems without mmap
                    data = None
            if data is None:
                data = fh.read()
            try:  # interpret while the map is open: a TIFF file's EXIF is the mapped file itself
                return build_metadata(collect(data, shown))
            finally:
                if isinstance(data, mmap.mmap):
                    data.close()
    except PermissionError:
        raise PhotoIOError("permission denied", path=shown) from None
    except IsADirectoryError:
        raise PhotoIOError("is a directory, not a photo", path=shown) from None
    except OSError as exc:
        raise PhotoIOError(exc.strerror or str(exc), path=shown) from None
