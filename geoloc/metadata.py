"""Read where and when a photo was taken from its metadata (EXIF GPS, IPTC IIM, XMP), as exiftool does.

Metadata is the strongest location evidence a photo can carry and the most often misread, so this
module parses the containers itself instead of trusting a general image library:

* JPEG (APP1 Exif / XMP / extended XMP, APP13 Photoshop IPTC), PNG (eXIf, iTXt XMP, ImageMagick raw
  profiles), TIFF, WebP (EXIF / XMP chunks), HEIF / HEIC / AVIF (ISO-BMFF items) and the JPEG XL
  container (Exif / xml boxes). Only the metadata bytes are touched; pixels are never decoded.
* Every offset and count is bounds-checked before use, so a hostile file can only produce a warning.
* EXIF GPS follows exiftool's arithmetic (degrees + minutes/60 + seconds/3600, sign from the N/S/E/W
  reference); values exiftool would show as undefined (0/0, n/0) and placeholders (0/0 position,
  4294967295) are reported in ``Metadata.warnings`` and never used as a position.
* Written locations follow the Metadata Working Group rules: XMP wins over IPTC IIM unless a stored
  IPTC digest shows the IIM block was edited after the XMP was written.
* XMP is parsed with defusedxml: entity declarations (billion laughs) and external entities are
  refused with a warning.

``read_metadata(path)`` raises only when the file itself cannot be read (see ``geoloc.photo.check_path``)
or is not an image at all; everything wrong inside the metadata becomes a warning.
"""

from __future__ import annotations

import hashlib
import math
import mmap
import os
import re
import struct
import warnings as pywarnings
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from PIL import Image, UnidentifiedImageError
from defusedxml.ElementTree import fromstring as xml_fromstring

from .errors import PhotoError, PhotoIOError
from .photo import check_path
from .report import GPS, Location, Metadata

__all__ = ["read_metadata"]

MAX_TEXT = 2000
"""Longest metadata string kept; longer values are cut (no camera writes a 2000-character city)."""

MAX_BLOCK = 16 * 1024 * 1024
"""Largest metadata block read: a tiny zTXt chunk or HEIF item must not turn into gigabytes."""

MAP_ABOVE = 32 * 1024 * 1024
"""Files larger than this are memory-mapped instead of read whole."""

PLACEHOLDER_32 = 0xFFFFFFFF
"""4294967295: written by some firmware into GPS rationals when no fix was available."""

_TIFF_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}

# TIFF / EXIF tags used here
_T_MAKE, _T_MODEL, _T_SOFTWARE = 0x010F, 0x0110, 0x0131
_T_XMP, _T_IPTC, _T_PHOTOSHOP = 0x02BC, 0x83BB, 0x8649
_T_EXIF_IFD, _T_GPS_IFD = 0x8769, 0x8825
_T_DTO, _T_OFFSET_DTO = 0x9003, 0x9011
_WANT_IFD0 = frozenset({_T_MAKE, _T_MODEL, _T_SOFTWARE, _T_XMP, _T_IPTC, _T_PHOTOSHOP, _T_EXIF_IFD, _T_GPS_IFD})
_WANT_EXIF = frozenset({_T_MAKE, _T_MODEL, _T_SOFTWARE, _T_DTO, _T_OFFSET_DTO})
_WANT_GPS = frozenset(range(32))

# IPTC IIM record 2 datasets -> MWG field, with the IIM length limits used to recover truncated values
_IIM_FIELDS = {90: "city", 92: "sublocation", 95: "state", 100: "country_code", 101: "country"}
_IIM_LIMITS = {"city": 32, "sublocation": 32, "state": 32, "country_code": 3, "country": 64}
_LOC_FIELDS = ("city", "state", "country", "country_code", "sublocation")

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "exifEX": "http://cipa.jp/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
_XMP_LEGACY = {"city": ("photoshop", "City"), "state": ("photoshop", "State"),
               "country": ("photoshop", "Country"), "country_code": ("Iptc4xmpCore", "CountryCode"),
               "sublocation": ("Iptc4xmpCore", "Location")}
_XMP_EXT = {"city": "City", "state": "ProvinceState", "country": "CountryName",
            "country_code": "CountryCode", "sublocation": "Sublocation"}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1",
                b"msf1", b"mif2", b"avif", b"avis", b"avio", b"MiHE", b"MiHB", b"MiAF", b"miaf",
                b"MiHA", b"MiA1"}
_JXL_CONTAINER = b"\x00\x00\x00\x0cJXL \r\n\x87\n"


class _Malformed(Exception):
    """Internal: the metadata at hand is broken; its message becomes a warning."""


_PARSE_ERRORS = (_Malformed, struct.error, ValueError, IndexError, OverflowError, zlib.error,
                 UnicodeError, ParseError, RecursionError)


@dataclass
class _Raw:
    """The metadata blocks found in one file, before interpretation."""

    fmt: str = ""
    tiff: list[bytes] = field(default_factory=list)  # EXIF TIFF structures (first is primary)
    xmp: list[bytes] = field(default_factory=list)
    irb: list[bytes] = field(default_factory=list)  # Photoshop image resource blocks
    iptc: list[bytes] = field(default_factory=list)  # bare IPTC IIM streams
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- public API


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
                return _interpret(_collect(data, shown))
            finally:
                if isinstance(data, mmap.mmap):
                    data.close()
    except PermissionError:
        raise PhotoIOError("permission denied", path=shown) from None
    except IsADirectoryError:
        raise PhotoIOError("is a directory, not a photo", path=shown) from None
    except OSError as exc:
        raise PhotoIOError(exc.strerror or str(exc), path=shown) from None


# --------------------------------------------------------------------------- containers


def _collect(data: Any, shown: str) -> _Raw:
    """Sniff the format from its magic bytes and pull out the raw metadata blocks."""
    head = bytes(data[:32])
    raw = _Raw()
    readers = [
        (head.startswith(b"\xff\xd8"), "JPEG", _jpeg),
        (head.startswith(b"\x89PNG\r\n\x1a\n"), "PNG", _png),
        (head[:4] in (b"II*\x00", b"MM\x00*"), "TIFF", _tiff_file),
        (head[:4] == b"RIFF" and head[8:12] == b"WEBP", "WebP", _webp),
        (head.startswith(_JXL_CONTAINER), "JPEG XL", _jxl),
        (head[4:8] == b"ftyp", "HEIF", _heif),
    ]
    for matched, fmt, reader in readers:
        if matched and len(data) >= 8:
            raw.fmt = fmt
            if fmt == "HEIF" and not _is_heif(data):
                raise PhotoError("not an image (an ISO media file that is not HEIF/AVIF)", path=shown)
            try:
                reader(data, raw)
            except _PARSE_ERRORS as exc:
                raw.warnings.append(f"{fmt} structure is malformed ({_why(exc)}); read what came before it")
            return raw
    if head.startswith(b"\xff\x0a"):
        raw.fmt = "JPEG XL"
        raw.warnings.append("bare JPEG XL codestream: it has no container, so no metadata")
        return raw
    if head[:6] in (b"GIF87a", b"GIF89a") or head[:2] == b"BM":
        raw.fmt = "GIF" if head[:3] == b"GIF" else "BMP"
        return raw
    fmt = _pillow_format(shown)
    if fmt is None:
        raise PhotoError("not an image (unknown or unsupported format)", path=shown)
    raw.fmt = fmt
    raw.warnings.append(f"metadata of {fmt} files is not read")
    return raw


def _pillow_format(path: str) -> str | None:
    """The format name if Pillow recognises the file (so load_image may decode it), else None."""
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            with Image.open(path) as im:
                return str(im.format or "image")
    except Image.DecompressionBombError:
        return "image"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error):
        return None


def _why(exc: BaseException) -> str:
    if isinstance(exc, struct.error):
        return "data ends early"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc) or type(exc).__name__


def _jpeg(data: Any, raw: _Raw) -> None:
    """Walk the JPEG markers up to the first scan and keep APP1/APP13 payloads."""
    pos, n = 2, len(data)
    photoshop: list[bytes] = []
    extended: dict[bytes, dict[int, bytes]] = {}
    while pos < n:
        if data[pos] != 0xFF:  # a segment length that lies: resynchronise on the next marker
            found = data.find(b"\xff", pos)
            if found < 0:
                raise _Malformed(f"no JPEG marker after byte {pos}")
            raw.warnings.append(f"JPEG has {found - pos} stray bytes at byte {pos}; skipped")
            pos = found
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            break
        marker = data[pos]
        pos += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan: metadata comes before
            break
        if pos + 2 > n:
            raise _Malformed("JPEG segment header cut off")
        length = struct.unpack_from(">H", data, pos)[0]
        if length < 2:
            raise _Malformed(f"JPEG segment of length {length}")
        if pos + length > n:
            raw.warnings.append("JPEG file is truncated inside a metadata segment")
        seg = bytes(data[pos + 2:pos + length]) if marker in (0xE1, 0xED) else b""  # others: skipped
        pos += length
        if marker == 0xE1:
            if seg.startswith(b"Exif\x00"):
                raw.tiff.append(seg[6:])
            elif seg.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
                raw.xmp.append(seg[29:])
            elif seg.startswith(b"http://ns.adobe.com/xmp/extension/\x00") and len(seg) >= 75:
                guid, off = seg[35:67], struct.unpack_from(">I", seg, 71)[0]
                extended.setdefault(guid, {})[off] = seg[75:]
        elif marker == 0xED and seg.startswith(b"Photoshop 3.0\x00"):
            photoshop.append(seg[14:])
    if photoshop:
        raw.irb.append(b"".join(photoshop))
    for parts in extended.values():
        raw.xmp.append(b"".join(parts[k] for k in sorted(parts)))


def _png(data: Any, raw: _Raw) -> None:
    """Walk PNG chunks (all of them: eXIf may follow the image data)."""
    pos, n = 8, len(data)
    while pos + 8 <= n:
        length, ctype = struct.unpack_from(">I4s", data, pos)
        body = bytes(data[pos + 8:pos + 8 + length]) if ctype in (b"eXIf", b"iTXt", b"tEXt", b"zTXt") else b""
        if pos + 8 + length > n:
            raw.warnings.append(f"PNG {ctype.decode('latin-1')} chunk is truncated")
        pos += 12 + length
        if ctype == b"eXIf":
            raw.tiff.append(body[6:] if body.startswith(b"Exif\x00") else body)
        elif ctype in (b"iTXt", b"tEXt", b"zTXt"):
            try:  # one broken text chunk must not hide the chunks after it
                _png_text(ctype, body, raw)
            except _PARSE_ERRORS as exc:
                raw.warnings.append(f"PNG {ctype.decode()} chunk is malformed ({_why(exc)}); ignored")
        elif ctype == b"IEND":
            break


def _png_text(ctype: bytes, body: bytes, raw: _Raw) -> None:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep:
        return
    key = keyword.decode("latin-1")
    wanted = key == "XML:com.adobe.xmp" or key.lower().startswith("raw profile type ")
    if not wanted:
        return
    if ctype == b"tEXt":
        text = rest
    elif ctype == b"zTXt":
        text = _inflate(rest[1:])
    else:  # iTXt: compression flag, method, language\0, translated keyword\0, text
        if len(rest) < 2:
            raise _Malformed("iTXt chunk cut off")
        flag, tail = rest[0], rest[2:]
        _lang, _, tail = tail.partition(b"\x00")
        _trans, _, text = tail.partition(b"\x00")
        if flag:
            text = _inflate(text)
    if key == "XML:com.adobe.xmp":
        raw.xmp.append(text)
        return
    profile = key.lower()[len("raw profile type "):]
    blob = _raw_profile(text)
    if blob is None:
        raw.warnings.append(f"PNG raw {profile} profile is not valid hex")
    elif profile in ("exif", "app1"):
        if blob.startswith(b"Exif\x00"):
            raw.tiff.append(blob[6:])
        elif blob[:4] in (b"II*\x00", b"MM\x00*"):
            raw.tiff.append(blob)
    elif profile == "xmp":
        raw.xmp.append(blob)
    elif profile in ("iptc", "8bim"):
        (raw.irb if blob.startswith(b"8BIM") else raw.iptc).append(blob)


def _inflate(blob: bytes) -> bytes:
    d = zlib.decompressobj()
    out = d.decompress(blob, MAX_BLOCK)
    if d.unconsumed_tail:
        raise _Malformed(f"compressed PNG text inflates beyond {MAX_BLOCK // 2**20} MB")
    return out


def _raw_profile(text: bytes) -> bytes | None:
    """Decode ImageMagick's 'Raw profile type X' text: newline, name, length, hex digits."""
    parts = text.split(None, 2)
    if len(parts) < 3:
        return None
    try:
        return bytes.fromhex(parts[2].decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None


def _tiff_file(data: Any, raw: _Raw) -> None:
    """A TIFF file is itself the EXIF structure; IPTC and XMP sit in IFD0 tags."""
    raw.tiff.append(data)


def _webp(data: Any, raw: _Raw) -> None:
    pos, n = 12, len(data)
    while pos + 8 <= n:
        fourcc, size = struct.unpack_from("<4sI", data, pos)
        if fourcc in (b"EXIF", b"XMP "):
            body = bytes(data[pos + 8:pos + 8 + size])
            if fourcc == b"EXIF":
                raw.tiff.append(body[6:] if body.startswith(b"Exif\x00") else body)
            else:
                raw.xmp.append(body)
        pos += 8 + size + (size & 1)


def _boxes(data: Any, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO-BMFF boxes between ``start`` and ``end``: (type, payload start, payload end)."""
    pos = start
    while pos + 8 <= end:
        size, btype = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            raise _Malformed(f"box '{btype.decode('latin-1')}' has size {size}")
        if pos + size > end:
            raise _Malformed(f"box '{btype.decode('latin-1')}' runs past the end of its parent")
        yield btype, pos + header, pos + size
        pos += size


def _is_heif(data: Any) -> bool:
    size = struct.unpack_from(">I", data, 0)[0]
    ftyp = bytes(data[8:min(max(size, 16), 4096)])
    brands = {ftyp[0:4]} | {ftyp[i:i + 4] for i in range(8, len(ftyp) - 3, 4)}
    return bool(brands & _HEIF_BRANDS)


def _heif(data: Any, raw: _Raw) -> None:
    """HEIF/AVIF: find the Exif and XMP items in the meta box and read them via iloc."""
    meta = next(((s, e) for t, s, e in _boxes(data, 0, len(data)) if t == b"meta"), None)
    if meta is None:
        raw.warnings.append("HEIF file has no meta box")
        return
    items: dict[int, str] = {}
    locations: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    idat: tuple[int, int] | None = None
    for btype, s, e in _boxes(data, meta[0] + 4, meta[1]):
        if btype == b"iinf":
            items = _heif_iinf(data, s, e)
        elif btype == b"iloc":
            locations = _heif_iloc(data, s, e)
        elif btype == b"idat":
            idat = (s, e)
    for item_id, kind in sorted(items.items()):
        if item_id not in locations:
            continue
        method, extents = locations[item_id]
        if method == 1 and idat is None:
            continue
        base = idat[0] if method == 1 and idat else 0
        chunks, total = [], 0
        for off, length in extents:
            begin = base + off
            stop = len(data) if length == 0 else begin + length
            if begin > len(data) or stop > len(data):
                raise _Malformed(f"HEIF item {item_id} points outside the file")
            total += stop - begin
            if total > MAX_BLOCK:
                raise _Malformed(f"HEIF {kind} item is larger than {MAX_BLOCK // 2**20} MB")
            chunks.append(bytes(data[begin:stop]))
        blob = b"".join(chunks)
        if kind == "Exif" and len(blob) >= 4:
            skip = struct.unpack_from(">I", blob, 0)[0]
            tiff = blob[4 + skip:] if 4 + skip < len(blob) else b""
            if tiff[:4] not in (b"II*\x00", b"MM\x00*"):  # tolerate a wrong header offset
                found = re.search(rb"II\*\x00|MM\x00\*", blob[:64])
                tiff = blob[found.start():] if found else b""
            if tiff:
                raw.tiff.append(tiff)
        elif kind == "xmp":
            raw.xmp.append(blob)


def _heif_iinf(data: Any, s: int, e: int) -> dict[int, str]:
    version = data[s]
    pos = s + 4 + (2 if version == 0 else 4)
    items: dict[int, str] = {}
    for btype, bs, be in _boxes(data, pos, e):
        if btype != b"infe":
            continue
        v = data[bs]
        if v < 2:
            continue
        p = bs + 4
        if v == 2:
            item_id = struct.unpack_from(">H", data, p)[0]
            p += 2
        else:
            item_id = struct.unpack_from(">I", data, p)[0]
            p += 4
        item_type = bytes(data[p + 2:p + 6])
        rest = bytes(data[p + 6:be])
        if item_type == b"Exif":
            items[item_id] = "Exif"
        elif item_type == b"mime":
            _name, _, tail = rest.partition(b"\x00")
            content_type = tail.partition(b"\x00")[0]
            if content_type.strip() == b"application/rdf+xml":
                items[item_id] = "xmp"
    return items


def _heif_iloc(data: Any, s: int, e: int) -> dict[int, tuple[int, list[tuple[int, int]]]]:
    version = data[s]
    if version > 2:
        raise _Malformed(f"iloc version {version}")
    pos = s + 4
    off_size, len_size = data[pos] >> 4, data[pos] & 15
    base_size, idx_size = data[pos + 1] >> 4, data[pos + 1] & 15
    pos += 2
    if any(x not in (0, 4, 8) for x in (off_size, len_size, base_size)) or \
            (version > 0 and idx_size not in (0, 4, 8)):
        raise _Malformed("iloc field sizes are not 0, 4 or 8")

    def uint(size: int) -> int:
        nonlocal pos
        if pos + size > e:
            raise _Malformed("iloc box cut off")
        value = int.from_bytes(data[pos:pos + size], "big") if size else 0
        pos += size
        return value

    count = uint(2 if version < 2 else 4)
    out: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    budget = 4096  # extents in all; real files have a handful, a hostile one could loop for ever
    for _ in range(count):
        item_id = uint(2 if version < 2 else 4)
        method = uint(2) & 15 if version > 0 else 0
        uint(2)  # data reference index
        base = uint(base_size)
        extents = []
        for _ in range(uint(2)):
            budget -= 1
            if budget < 0:
                raise _Malformed("iloc box lists too many extents")
            if version > 0:
                uint(idx_size)
            extents.append((base + uint(off_size), uint(len_size)))
        out[item_id] = (method, extents)
    return out


def _jxl(data: Any, raw: _Raw) -> None:
    """JPEG XL container: 'Exif' (4-byte offset, then TIFF) and 'xml ' boxes."""
    for btype, s, e in _boxes(data, 0, len(data)):
        if btype == b"Exif" and e - s >= 4:
            skip = struct.unpack_from(">I", data, s)[0]
            if s + 4 + skip < e:
                raw.tiff.append(bytes(data[s + 4 + skip:e]))
        elif btype == b"xml ":
            raw.xmp.append(bytes(data[s:e]))
        elif btype == b"brob":
            inner = bytes(data[s:s + 4]).decode("latin-1")
            raw.warnings.append(f"JPEG XL '{inner}' metadata is Brotli-compressed and was not read")


# --------------------------------------------------------------------------- TIFF / EXIF


@dataclass(frozen=True)
class _Entry:
    """One IFD entry, decoded lazily so that a huge declared count costs nothing."""

    tag: int
    type: int
    count: int
    offset: int  # absolute position of the value bytes inside the TIFF data


class _Tiff:
    """Bounds-checked reader of a TIFF structure (EXIF is a TIFF structure)."""

    def __init__(self, data: Any, warnings: list[str]) -> None:
        if len(data) < 8 or bytes(data[:4]) not in (b"II*\x00", b"MM\x00*"):
            raise _Malformed("EXIF data has no TIFF header")
        self.data = data
        self.bo = "<" if data[0] == 0x49 else ">"
        self.warnings = warnings
        self.seen: set[int] = set()

    def u32(self, pos: int) -> int:
        return struct.unpack_from(self.bo + "I", self.data, pos)[0]

    def ifd(self, offset: int, name: str, wanted: frozenset[int]) -> dict[int, _Entry]:
        """The ``wanted`` entries of the IFD at ``offset``; a loop or bad offset gives a warning.

        Only wanted tags are decoded: a maker's 60-entry Exif IFD costs one unpack per entry.
        """
        if offset in self.seen:
            self.warnings.append(f"EXIF {name} IFD loops back on itself; ignored")
            return {}
        self.seen.add(offset)
        if offset < 8 or offset + 2 > len(self.data):
            self.warnings.append(f"EXIF {name} IFD points outside the data; ignored")
            return {}
        count = struct.unpack_from(self.bo + "H", self.data, offset)[0]
        room = (len(self.data) - offset - 2) // 12
        if count > room:
            self.warnings.append(f"EXIF {name} IFD declares {count} entries but holds {room}")
            count = room
        entries: dict[int, _Entry] = {}
        block = bytes(self.data[offset + 2:offset + 2 + 12 * count])
        for i, (tag, typ, n, value) in enumerate(struct.iter_unpack(self.bo + "HHII", block)):
            if tag not in wanted or tag in entries:
                continue
            size = _TIFF_SIZES.get(typ)
            if size is None:
                continue
            nbytes = size * n
            where = offset + 2 + 12 * i + 8 if nbytes <= 4 else value
            if where + nbytes > len(self.data):
                self.warnings.append(
                    f"EXIF {name} tag 0x{tag:04x} claims {n} values beyond the end of the data; ignored")
                continue
            entries[tag] = _Entry(tag, typ, n, where)
        return entries

    def sub_ifd(self, entries: dict[int, _Entry], tag: int, name: str,
                wanted: frozenset[int]) -> dict[int, _Entry]:
        e = entries.get(tag)
        if e is None:
            return {}
        if e.type not in (4, 7, 9, 13) or _TIFF_SIZES[e.type] * e.count < 4:
            self.warnings.append(f"EXIF {name} IFD pointer has the wrong type; ignored")
            return {}
        return self.ifd(self.u32(e.offset), name, wanted)

    def raw(self, e: _Entry) -> bytes:
        return bytes(self.data[e.offset:e.offset + _TIFF_SIZES[e.type] * e.count])

    def text(self, e: _Entry | None) -> str | None:
        """An ASCII (or byte) value as text: to the first NUL, stripped, UTF-8 or Latin-1."""
        if e is None:
            return None
        if e.type in (3, 4, 8, 9):  # a number where text was expected (some firmware)
            nums = self.numbers(e)
            return " ".join(_fmt_num(x) for x in nums) if nums else None
        if e.type not in (1, 2, 7):
            return None
        return _clean(self.raw(e).split(b"\x00", 1)[0])

    def numbers(self, e: _Entry, limit: int = 8) -> list[float]:
        """Up to ``limit`` numeric values; raises _Malformed for 0-denominators and placeholders."""
        count = min(e.count, limit)
        bo, out = self.bo, []
        if e.type in (5, 10):
            fmt = bo + ("II" if e.type == 5 else "ii")
            for i in range(count):
                num, den = struct.unpack_from(fmt, self.data, e.offset + 8 * i)
                if e.type == 5 and PLACEHOLDER_32 in (num, den):
                    raise _Malformed("holds the 4294967295 placeholder")
                if den == 0:
                    raise _Malformed(f"has a zero denominator ({num}/0)")
                out.append(num / den)
            return out
        fmts = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 11: "f", 12: "d"}
        if e.type in fmts:
            size = _TIFF_SIZES[e.type]
            for i in range(count):
                v = float(struct.unpack_from(bo + fmts[e.type], self.data, e.offset + size * i)[0])
                if e.type == 4 and v == PLACEHOLDER_32:
                    raise _Malformed("holds the 4294967295 placeholder")
                if not math.isfinite(v):
                    raise _Malformed("is not a finite number")
                out.append(v)
            return out
        if e.type == 2:  # degrees written as text, e.g. "51 30 12.5": exiftool reads the numbers
            return [float(x) for x in _NUMBER.findall(self.text(e) or "")[:limit]]
        raise _Malformed(f"has TIFF type {e.type}, not a number")


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _fmt_num(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


def _clean(b: bytes) -> str | None:
    """Decode a metadata string: UTF-8 when valid, else Latin-1; strip padding; cap its length."""
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        s = b.decode("latin-1")
    s = s.replace("\x00", "").strip()
    return s[:MAX_TEXT] or None


@dataclass
class _Exif:
    """What one EXIF block says."""

    ifd0: dict[int, _Entry]
    exif: dict[int, _Entry]
    gps: dict[int, _Entry]
    tiff: _Tiff


def _read_exif(blob: Any, warnings: list[str]) -> _Exif:
    t = _Tiff(blob, warnings)
    ifd0 = t.ifd(t.u32(4), "IFD0", _WANT_IFD0)
    return _Exif(ifd0, t.sub_ifd(ifd0, _T_EXIF_IFD, "Exif", _WANT_EXIF),
                 t.sub_ifd(ifd0, _T_GPS_IFD, "GPS", _WANT_GPS), t)


def _exif_gps(x: _Exif, warnings: list[str]) -> GPS | None:
    """The GPS IFD as exiftool's Composite tags read it, or None with a warning saying why."""
    g, t = x.gps, x.tiff
    if not g:
        return None
    if 2 not in g and 4 not in g:
        return None
    coords = []
    for tag, ref_tag, axis, negative, limit in ((2, 1, "latitude", "S", 90.0), (4, 3, "longitude", "W", 180.0)):
        e = g.get(tag)
        if e is None:
            warnings.append(f"EXIF GPS {axis} missing; position ignored")
            return None
        try:
            parts = t.numbers(e, 3)
        except _Malformed as exc:
            warnings.append(f"EXIF GPS {axis} {exc}; position ignored")
            return None
        if not parts:
            warnings.append(f"EXIF GPS {axis} is empty; position ignored")
            return None
        if any(p < 0 for p in parts[1:]):
            warnings.append(f"EXIF GPS {axis} has negative minutes or seconds; position ignored")
            return None
        value = _dms(parts)
        ref = (t.text(g.get(ref_tag)) or "").upper()[:1]
        if ref in ("N", "S", "E", "W"):
            value = -abs(value) if ref == negative else abs(value)
        else:
            warnings.append(f"EXIF GPS {axis} has no N/S/E/W reference; sign taken from the value")
        if abs(value) > limit:
            warnings.append(f"EXIF GPS {axis} {value:g} is out of range; position ignored")
            return None
        coords.append(value)
    lat, lon = coords
    if lat == 0 and lon == 0:
        warnings.append("EXIF GPS 0/0 placeholder ignored")
        return None
    status = t.text(g.get(9))
    if status and status.upper().startswith("V"):
        warnings.append("EXIF GPS status is 'V' (measurement void): the receiver had no fix")
    return GPS(lat=lat, lon=lon, altitude_m=_exif_altitude(t, g, warnings),
               direction_deg=_exif_direction(t, g, warnings),
               timestamp=_exif_gps_time(t, g, warnings), datum=_datum(t.text(g.get(18)), warnings),
               source="exif", direction_ref=_direction_ref(t.text(g.get(16))))


def _dms(parts: list[float]) -> float:
    """Degrees, minutes, seconds (any of them fractional) to degrees; a negative degree keeps its sign."""
    value = sum(abs(p) / scale for p, scale in zip(parts, (1.0, 60.0, 3600.0), strict=False))
    return -value if parts[0] < 0 else value


def _exif_altitude(t: _Tiff, g: dict[int, _Entry], warnings: list[str]) -> float | None:
    e = g.get(6)
    if e is None:
        return None
    try:
        nums = t.numbers(e, 1)
    except _Malformed as exc:
        warnings.append(f"EXIF GPS altitude {exc}; altitude ignored")
        return None
    if not nums:
        return None
    alt = nums[0]
    ref = g.get(5)
    if ref is not None:
        try:
            below = (t.numbers(ref, 1) if ref.type not in (2, 7) else [float(t.raw(ref)[:1] in (b"\x01", b"1"))])
        except _Malformed:
            below = []
        if below and below[0] == 1:
            alt = -abs(alt)
    return alt


def _exif_direction(t: _Tiff, g: dict[int, _Entry], warnings: list[str]) -> float | None:
    e = g.get(17)
    if e is None:
        return None
    try:
        nums = t.numbers(e, 1)
    except _Malformed as exc:
        warnings.append(f"EXIF GPS image direction {exc}; direction ignored")
        return None
    if not nums:
        return None
    if not 0 <= nums[0] <= 360:
        warnings.append(f"EXIF GPS image direction {nums[0]:g} is outside 0-360; direction ignored")
        return None
    return nums[0] % 360


def _direction_ref(ref: str | None) -> str | None:
    r = (ref or "").upper()[:1]
    return r if r in ("T", "M") else None


def _exif_gps_time(t: _Tiff, g: dict[int, _Entry], warnings: list[str]) -> str | None:
    """GPSDateStamp + GPSTimeStamp as ISO 8601 UTC (exiftool's Composite:GPSDateTime)."""
    date_s = t.text(g.get(29))
    if not date_s:
        return None
    m = re.fullmatch(r"(\d{4})[:\-](\d{2})[:\-](\d{2})", date_s.strip())
    try:
        day = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        day = None
    if day is None:
        warnings.append(f"EXIF GPS date {date_s!r} is not a valid date; GPS time ignored")
        return None
    iso_day = day.strftime("%Y-%m-%d")
    e = g.get(7)
    if e is None:
        return iso_day
    try:
        hms = t.numbers(e, 3)
    except _Malformed as exc:
        warnings.append(f"EXIF GPS time {exc}; only the date kept")
        return iso_day
    hms = (hms + [0.0, 0.0, 0.0])[:3]
    h, mi, s = hms
    if not (0 <= h < 24 and 0 <= mi < 60 and 0 <= s < 61 and h == int(h) and mi == int(mi)):
        warnings.append("EXIF GPS time is out of range; only the date kept")
        return iso_day
    sec = f"{s:06.3f}".rstrip("0").rstrip(".") if s != int(s) else f"{int(s):02d}"
    return f"{iso_day}T{int(h):02d}:{int(mi):02d}:{sec}Z"


def _datum(datum: str | None, warnings: list[str]) -> str | None:
    if not datum:
        return None
    if re.sub(r"[^A-Z0-9]", "", datum.upper()) not in ("WGS84", "WGS1984"):
        warnings.append(f"GPS map datum is {datum!r}, not WGS-84: the position may be off by up to "
                        "a few hundred metres")
    return datum


def _exif_camera(x: _Exif, camera: dict[str, str], warnings: list[str]) -> None:
    t = x.tiff
    for key, tag in (("make", _T_MAKE), ("model", _T_MODEL), ("software", _T_SOFTWARE)):
        value = t.text(x.ifd0.get(tag)) or t.text(x.exif.get(tag))
        if value and key not in camera:
            camera[key] = value
    dto = t.text(x.exif.get(_T_DTO))
    if dto and "datetime_original" not in camera:
        iso = _exif_datetime(dto, t.text(x.exif.get(_T_OFFSET_DTO)))
        if iso:
            camera["datetime_original"] = iso
        elif dto.strip(" 0:"):
            warnings.append(f"EXIF DateTimeOriginal {dto!r} is not a valid date")


def _exif_datetime(value: str, offset: str | None) -> str | None:
    m = re.fullmatch(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?", value.strip())
    if not m:
        return None
    try:
        dt = datetime(*(int(m.group(i)) for i in range(1, 7)))
    except ValueError:
        return None
    iso = dt.strftime("%Y-%m-%dT%H:%M:%S") + (m.group(7) or "")
    if offset and re.fullmatch(r"[+-]\d{2}:\d{2}", offset.strip()):
        iso += offset.strip()
    return iso


# --------------------------------------------------------------------------- IPTC IIM


def _irb_resources(blob: bytes) -> Iterator[tuple[int, bytes]]:
    """Photoshop image resource blocks: (resource id, data)."""
    pos, n = 0, len(blob)
    while pos + 12 <= n:
        if blob[pos:pos + 4] not in (b"8BIM", b"PHUT", b"DCSR", b"AgHg", b"MeSa"):
            raise _Malformed("Photoshop resource block lost its signature")
        rid = struct.unpack_from(">H", blob, pos + 4)[0]
        name_len = blob[pos + 6]
        pos += 6 + ((name_len + 2) & ~1)
        size = struct.unpack_from(">I", blob, pos)[0]
        pos += 4
        if pos + size > n:
            raise _Malformed(f"Photoshop resource 0x{rid:04x} runs past its segment")
        yield rid, blob[pos:pos + size]
        pos += size + (size & 1)


def _iim_records(blob: bytes) -> dict[tuple[int, int], list[bytes]]:
    """IPTC IIM datasets: (record, dataset) -> values, in file order."""
    out: dict[tuple[int, int], list[bytes]] = {}
    pos, n = 0, len(blob)
    while pos + 5 <= n and blob[pos] == 0x1C:
        record, dataset, length = blob[pos + 1], blob[pos + 2], struct.unpack_from(">H", blob, pos + 3)[0]
        pos += 5
        if length & 0x8000:  # extended dataset: the low bits give the size of the length field
            nbytes = length & 0x7FFF
            if nbytes > 8 or pos + nbytes > n:
                raise _Malformed("IPTC extended dataset length is invalid")
            length = int.from_bytes(blob[pos:pos + nbytes], "big")
            pos += nbytes
        if pos + length > n:
            raise _Malformed(f"IPTC dataset {record}:{dataset} runs past the end of the block")
        out.setdefault((record, dataset), []).append(blob[pos:pos + length])
        pos += length
    return out


def _iim_location(blocks: list[bytes]) -> dict[str, str]:
    """IPTC IIM location fields (the first non-blank value of each, as exiftool lists them)."""
    fields: dict[str, str] = {}
    for block in blocks:
        recs = _iim_records(block)
        for dataset, name in _IIM_FIELDS.items():
            for v in recs.get((2, dataset), []):
                if name in fields:
                    break
                text = _clean(v)  # UTF-8 when it decodes (declared by 1:90 or not), else Latin-1
                if text:
                    fields[name] = text
    return fields


# --------------------------------------------------------------------------- XMP


class _XmpDoc:
    """Lookup of simple and structured properties across one or more XMP packets."""

    def __init__(self, roots: list[Element]) -> None:
        self.descriptions = [d for r in roots for d in r.iter(f"{{{_NS['rdf']}}}Description")]

    def get(self, prefix: str, name: str) -> str | None:
        key = f"{{{_NS[prefix]}}}{name}"
        for d in self.descriptions:
            if key in d.attrib:
                v = _clean(d.attrib[key].encode("utf-8"))
                if v:
                    return v
            for child in d.findall(key):
                v = _xmp_text(child)
                if v:
                    return v
        return None

    def structs(self, prefix: str, name: str) -> list[dict[str, str]]:
        """Instances of a struct (or a bag/seq of structs) as local-name -> text dicts."""
        key = f"{{{_NS[prefix]}}}{name}"
        found: list[dict[str, str]] = []
        for d in self.descriptions:
            nodes: list[Element] = []
            for child in d.findall(key):
                items = [li for c in child for li in c if c.tag.endswith(("}Bag", "}Seq", "}Alt"))]
                nodes.extend(items or [child])
            for node in nodes:
                found.append(_struct_fields(node))
        return [f for f in found if f]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _struct_fields(node: Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    holders = [node] + [c for c in node if _local(c.tag) == "Description"]
    for h in holders:
        for k, v in h.attrib.items():
            text = _clean(v.encode("utf-8"))
            if text and not k.startswith(f"{{{_NS['rdf']}}}"):
                fields.setdefault(_local(k), text)
        for c in h:
            if _local(c.tag) == "Description":
                continue
            text = _xmp_text(c)
            if text:
                fields.setdefault(_local(c.tag), text)
    return fields


def _xmp_text(el: Element) -> str | None:
    """Text of a simple property, or of the first item of an Alt/Bag/Seq."""
    if el.text and el.text.strip():
        return _clean(el.text.encode("utf-8"))
    for container in el:
        if _local(container.tag) in ("Alt", "Bag", "Seq"):
            for li in container:
                if li.text and li.text.strip():
                    return _clean(li.text.encode("utf-8"))
    return None


_XMP_ENCODINGS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                  (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
                  (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"))


def _xmp_text_of(blob: bytes) -> str:
    """XMP packets may be UTF-8, UTF-16 or UTF-32 (XMP spec part 3); decode to text."""
    head = blob.lstrip(b" \t\r\n")[:4]
    for prefix, encoding in _XMP_ENCODINGS:
        if head.startswith(prefix):
            return blob.decode(encoding, errors="replace")
    return blob.decode("utf-8", errors="replace")


def _parse_xmp(blob: bytes, warnings: list[str]) -> Element | None:
    text = _xmp_text_of(blob).strip("\x00 \t\r\n\ufeff")
    if not text:
        return None
    start = text.find("<")
    if start < 0:
        warnings.append("XMP packet holds no XML; ignored")
        return None
    body = re.sub(r"^<\?xml[^>]*\?>", "", text[start:text.rfind(">") + 1].replace("\x00", ""))
    try:
        return xml_fromstring(body.encode("utf-8"))
    except DefusedXmlException as exc:
        warnings.append(f"XMP rejected: {type(exc).__name__} (entity declarations and external "
                        "references are not allowed in metadata)")
    except (ParseError, ValueError, UnicodeError) as exc:
        warnings.append(f"XMP is not well-formed XML ({str(exc)[:80]}); ignored")
    return None


def _xmp_location_fields(doc: _XmpDoc) -> dict[str, str]:
    """Legacy photoshop/Iptc4xmpCore fields, else the first LocationCreated, else LocationShown."""
    legacy = {k: v for k, (prefix, name) in _XMP_LEGACY.items() if (v := doc.get(prefix, name))}
    if any(k in legacy for k in ("city", "state", "country", "sublocation")):
        return legacy
    for struct_name in ("LocationCreated", "LocationShown"):
        for s in doc.structs("Iptc4xmpExt", struct_name):
            fields = {k: s[name] for k, name in _XMP_EXT.items() if name in s}
            if fields:
                return fields
    return legacy


def _xmp_coord(value: str | None, axis: str, warnings: list[str]) -> float | None:
    """XMP GPS coordinate 'DDD,MM,SSk' or 'DDD,MM.mmk' (k = N/S/E/W), or a signed decimal."""
    if not value:
        return None
    v = value.strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEWnsew])", v)
    if m:
        parts = [float(x) for x in m.groups()[:3] if x is not None]
        out = _dms(parts)
        if m.group(4).upper() in ("S", "W"):
            out = -out
    else:
        try:
            out = float(v)
        except ValueError:
            warnings.append(f"XMP GPS {axis} {v[:40]!r} is not a coordinate; ignored")
            return None
    if not math.isfinite(out) or abs(out) > (90 if axis == "latitude" else 180):
        warnings.append(f"XMP GPS {axis} {v[:40]!r} is out of range; ignored")
        return None
    return out


def _xmp_rational(value: str | None) -> float | None:
    if not value:
        return None
    m = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)(?:/(\d+))?\s*", value)
    if not m:
        return None
    num, den = float(m.group(1)), float(m.group(2) or 1)
    return num / den if den else None


def _xmp_gps(doc: _XmpDoc, warnings: list[str]) -> GPS | None:
    raw_lat, raw_lon = doc.get("exif", "GPSLatitude"), doc.get("exif", "GPSLongitude")
    if not raw_lat and not raw_lon:
        return None
    lat = _xmp_coord(raw_lat, "latitude", warnings)
    lon = _xmp_coord(raw_lon, "longitude", warnings)
    if lat is None or lon is None:
        if not (raw_lat and raw_lon):  # otherwise _xmp_coord has said what is wrong
            warnings.append("XMP GPS has only one coordinate; ignored")
        return None
    if lat == 0 and lon == 0:
        warnings.append("XMP GPS 0/0 placeholder ignored")
        return None
    alt = _xmp_rational(doc.get("exif", "GPSAltitude"))
    if alt is not None and (doc.get("exif", "GPSAltitudeRef") or "").strip() == "1":
        alt = -abs(alt)
    direction = _xmp_rational(doc.get("exif", "GPSImgDirection"))
    if direction is not None and not 0 <= direction <= 360:
        direction = None
    stamp = doc.get("exif", "GPSTimeStamp")
    return GPS(lat=lat, lon=lon, altitude_m=alt,
               direction_deg=direction % 360 if direction is not None else None,
               timestamp=_iso(stamp), datum=_datum(doc.get("exif", "GPSMapDatum"), warnings),
               source="xmp", direction_ref=_direction_ref(doc.get("exif", "GPSImgDirectionRef")))


def _iso(value: str | None) -> str | None:
    """An XMP date as ISO 8601 if it is one (XMP dates already are); None otherwise."""
    if not value:
        return None
    v = value.strip()
    try:
        datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return v


# --------------------------------------------------------------------------- interpretation


def _interpret(raw: _Raw) -> Metadata:
    warnings = list(raw.warnings)
    camera: dict[str, str] = {}
    gps: GPS | None = None

    exif_blocks: list[_Exif] = []
    for blob in raw.tiff:
        try:
            x = _read_exif(blob, warnings)
        except _PARSE_ERRORS as exc:
            warnings.append(f"EXIF is malformed ({_why(exc)}); ignored")
            continue
        exif_blocks.append(x)
        if raw.fmt == "TIFF":  # IFD0 of a TIFF file carries XMP and IPTC as tags
            _tiff_embedded(x, raw, warnings)
    for x in exif_blocks:
        try:
            if gps is None:
                gps = _exif_gps(x, warnings)
            _exif_camera(x, camera, warnings)
        except _PARSE_ERRORS as exc:
            warnings.append(f"EXIF GPS is malformed ({_why(exc)}); ignored")

    roots = [r for blob in raw.xmp if (r := _parse_xmp(blob, warnings)) is not None]
    doc = _XmpDoc(roots)
    try:
        xmp_gps = _xmp_gps(doc, warnings) if roots else None
    except _PARSE_ERRORS as exc:
        warnings.append(f"XMP GPS is malformed ({_why(exc)}); ignored")
        xmp_gps = None
    if gps is None:
        gps = xmp_gps
    elif xmp_gps is not None and max(abs(gps.lat - xmp_gps.lat), abs(gps.lon - xmp_gps.lon)) > 0.001:
        warnings.append(f"XMP GPS ({xmp_gps.lat:.6f}, {xmp_gps.lon:.6f}) differs from EXIF GPS "
                        f"({gps.lat:.6f}, {gps.lon:.6f}); EXIF used")
    if roots:
        for key, (prefix, name) in (("make", ("tiff", "Make")), ("model", ("tiff", "Model")),
                                    ("datetime_original", ("exif", "DateTimeOriginal")),
                                    ("datetime_original", ("photoshop", "DateCreated")),
                                    ("software", ("xmp", "CreatorTool"))):
            value = doc.get(prefix, name)
            if value and key not in camera:
                value = _iso(value) if key == "datetime_original" else value
                if value:
                    camera[key] = value

    location = _location(raw, doc if roots else None, warnings)
    return Metadata(gps=gps, location=location, camera=camera, warnings=tuple(dict.fromkeys(warnings)))


def _tiff_embedded(x: _Exif, raw: _Raw, warnings: list[str]) -> None:
    t = x.tiff
    if (e := x.ifd0.get(_T_XMP)) is not None:
        raw.xmp.append(t.raw(e))
    if (e := x.ifd0.get(_T_IPTC)) is not None:
        raw.iptc.append(t.raw(e).rstrip(b"\x00"))
    if (e := x.ifd0.get(_T_PHOTOSHOP)) is not None:
        raw.irb.append(t.raw(e))


def _location(raw: _Raw, doc: _XmpDoc | None, warnings: list[str]) -> Location | None:
    """Merge IPTC IIM and XMP location fields by the Metadata Working Group rules (as exiftool's MWG)."""
    iim_blocks = list(raw.iptc)
    stored_digest: bytes | None = None
    for irb in raw.irb:
        try:
            for rid, blob in _irb_resources(irb):
                if rid == 0x0404:
                    iim_blocks.append(blob)
                elif rid == 0x0425 and len(blob) == 16:
                    stored_digest = blob
        except _PARSE_ERRORS as exc:
            warnings.append(f"Photoshop/IPTC block is malformed ({_why(exc)}); read what came before it")
    try:
        iim = _iim_location(iim_blocks)
    except _PARSE_ERRORS as exc:
        warnings.append(f"IPTC IIM is malformed ({_why(exc)}); ignored")
        iim = {}
    xmp = _xmp_location_fields(doc) if doc is not None else {}
    if not iim and not xmp:
        return None
    current = hashlib.md5(iim_blocks[0]).digest() if iim_blocks else None
    iim_newer = stored_digest is not None and current is not None and stored_digest != current
    merged: dict[str, str] = {}
    sources: set[str] = set()
    for key in _LOC_FIELDS:
        i, x = iim.get(key), xmp.get(key)
        if x is not None and (i is None or not iim_newer or _truncated(i, x, key)):
            merged[key], src = x, "xmp"
        elif i is not None:
            merged[key], src = i, "iptc"
        else:
            continue
        sources.add(src)
        if i is not None and x is not None and i != x and not _truncated(i, x, key):
            loser = "IPTC" if src == "xmp" else "XMP"
            warnings.append(f"IPTC and XMP {key.replace('_', ' ')} differ ({i!r} vs {x!r}); "
                            f"{loser} ignored by Metadata Working Group precedence")
    return _location_from(merged, "+".join(sorted(sources, reverse=True)))


def _truncated(iim: str, xmp: str, key: str) -> bool:
    """True when the IIM value is the XMP value cut at the IIM length limit (MWG recovery)."""
    limit = _IIM_LIMITS[key]
    return len(iim.encode("utf-8")) >= limit and xmp.startswith(iim) and len(xmp) > len(iim)


def _location_from(fields: dict[str, str], source: str) -> Location | None:
    if not fields:
        return None
    return Location(city=fields.get("city"), state=fields.get("state"), country=fields.get("country"),
                    country_code=fields.get("country_code"), sublocation=fields.get("sublocation"),
                    source=source)
