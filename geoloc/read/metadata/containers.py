"""Walk each file format's segments, chunks or boxes and hand on its raw metadata blocks, bounds-checked.

JPEG (APP1 Exif / XMP / extended XMP, APP13 Photoshop IPTC), PNG (eXIf, iTXt XMP, ImageMagick raw
profiles), TIFF, WebP (EXIF / XMP chunks), HEIF / HEIC / AVIF (ISO-BMFF items) and the JPEG XL
container (Exif / xml boxes). Only the metadata bytes are touched; pixels are never decoded.
Movies in the same box format (MP4, MOV, 3GP: ``collect_movie``) give their position tags (QuickTime
``©xyz``, Apple's ``com.apple.quicktime.location.ISO6709`` key, 3GPP ``loci``), dates, camera
names and XMP.
"""

from __future__ import annotations

import re
import struct
import warnings as pywarnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from PIL import Image, UnidentifiedImageError

from geoloc.common.photo import MAX_CHUNKS
from geoloc.errors import PhotoError
from geoloc.read.metadata.malformed import PARSE_ERRORS, Malformed, OverBudget, why
from geoloc.read.metadata.text import clean

MAX_METADATA_BYTES = 16 * 1024 * 1024
"""Most metadata read from one file, over all its blocks and counted after decompression. Photos
carry kilobytes (the largest, a phone's depth map in extended XMP or a long Photoshop history, a
few megabytes); without a cap per file, 12 compressed PNG chunks of 16 MB XMP in 400 kB took 44 s
and 2 GB to parse."""

_HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"heim",
    b"heis",
    b"hevc",
    b"hevx",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
    b"mif2",
    b"avif",
    b"avis",
    b"avio",
    b"MiHE",
    b"MiHB",
    b"MiAF",
    b"miaf",
    b"MiHA",
    b"MiA1",
}
_JXL_CONTAINER = b"\x00\x00\x00\x0cJXL \r\n\x87\n"


@dataclass
class Raw:
    """The metadata blocks found in one file, before interpretation."""

    fmt: str = ""
    tiff: list[bytes] = field(default_factory=list)  # EXIF TIFF structures (first is primary)
    xmp: list[bytes] = field(default_factory=list)
    irb: list[bytes] = field(default_factory=list)  # Photoshop image resource blocks
    iptc: list[bytes] = field(default_factory=list)  # bare IPTC IIM streams
    warnings: list[str] = field(default_factory=list)
    spent: int = 0  # metadata bytes taken so far, against MAX_METADATA_BYTES
    iso6709: list[tuple[str, str]] = field(default_factory=list)  # a movie's positions: (tag, ISO 6709 text)
    tags: dict[str, str] = field(default_factory=dict)  # a movie's make, model, software, creation_date, created_utc
    boxes: int = 0  # ISO-BMFF boxes walked in a movie, against MAX_CHUNKS

    def take(self, size: int) -> None:
        """Count ``size`` more bytes of metadata, or raise OverBudget if the file's share is spent."""
        if self.spent + size > MAX_METADATA_BYTES:
            self.spent = MAX_METADATA_BYTES
            raise OverBudget(f"metadata larger than {MAX_METADATA_BYTES // 2**20} MB in all; what follows was not read")
        self.spent += size


def collect(data: Any, shown: str) -> Raw:
    """Sniff the format from its magic bytes and pull out the raw metadata blocks."""
    head = bytes(data[:32])
    raw = Raw()
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
            except OverBudget as exc:
                raw.warnings.append(str(exc))
            except PARSE_ERRORS as exc:
                raw.warnings.append(f"{fmt} structure is malformed ({why(exc)}); read what came before it")
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


_FILL = re.compile(rb"\xff+")
"""Fill bytes before a JPEG marker (skipped at C speed: a file may hold millions)."""


def _jpeg(data: Any, raw: Raw) -> None:
    """Walk the JPEG markers up to the first scan and keep APP1/APP13 payloads."""
    pos, n = 2, len(data)
    photoshop: list[bytes] = []
    extended: dict[bytes, dict[int, bytes]] = {}
    for _ in range(MAX_CHUNKS):
        if pos >= n:
            break
        if data[pos] != 0xFF:  # a segment length that lies: resynchronise on the next marker
            found = data.find(b"\xff", pos)
            if found < 0:
                raise Malformed(f"no JPEG marker after byte {pos}")
            raw.warnings.append(f"JPEG has {found - pos} stray bytes at byte {pos}; skipped")
            pos = found
        pos = _FILL.match(data, pos).end()  # data[pos] is 0xFF here, so this always matches
        if pos >= n:
            break
        marker = data[pos]
        pos += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan: metadata comes before
            break
        if pos + 2 > n:
            raise Malformed("JPEG segment header cut off")
        length = struct.unpack_from(">H", data, pos)[0]
        if length < 2:
            raise Malformed(f"JPEG segment of length {length}")
        if pos + length > n:
            raw.warnings.append("JPEG file is truncated inside a metadata segment")
        if marker in (0xE1, 0xED):  # the others are skipped
            raw.take(length)
        seg = bytes(data[pos + 2 : pos + length]) if marker in (0xE1, 0xED) else b""
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
    else:
        raw.warnings.append(f"JPEG has more than {MAX_CHUNKS:,} segments before its image; the rest was not read")
    if photoshop:
        raw.irb.append(b"".join(photoshop))
    for parts in extended.values():
        raw.xmp.append(b"".join(parts[k] for k in sorted(parts)))


def _png(data: Any, raw: Raw) -> None:
    """Walk PNG chunks (all of them: eXIf may follow the image data)."""
    pos, n = 8, len(data)
    for _ in range(MAX_CHUNKS):
        if pos + 8 > n:
            return
        length, ctype = struct.unpack_from(">I4s", data, pos)
        text = ctype in (b"iTXt", b"tEXt", b"zTXt") and _wanted_text(bytes(data[pos + 8 : pos + 8 + min(length, 80)]))
        if ctype == b"eXIf":
            raw.take(length)
        body = bytes(data[pos + 8 : pos + 8 + length]) if ctype == b"eXIf" or text else b""  # others: not copied
        if pos + 8 + length > n:
            raw.warnings.append(f"PNG {ctype.decode('latin-1')} chunk is truncated")
        pos += 12 + length
        if ctype == b"eXIf":
            raw.tiff.append(body[6:] if body.startswith(b"Exif\x00") else body)
        elif text:
            try:  # one broken text chunk must not hide the chunks after it
                _png_text(ctype, body, raw)
            except PARSE_ERRORS as exc:
                raw.warnings.append(f"PNG {ctype.decode()} chunk is malformed ({why(exc)}); ignored")
        elif ctype == b"IEND":
            return
    raw.warnings.append(f"PNG has more than {MAX_CHUNKS:,} chunks; the rest was not read")


def _wanted_text(head: bytes) -> bool:
    """Whether a PNG text chunk starting with ``head`` holds XMP or a raw metadata profile."""
    keyword, sep, _ = head.partition(b"\x00")
    return bool(sep) and (keyword == b"XML:com.adobe.xmp" or keyword.lower().startswith(b"raw profile type "))


def _png_text(ctype: bytes, body: bytes, raw: Raw) -> None:
    """An XMP or raw-profile text chunk (``_wanted_text``), inflated within the file's budget."""
    keyword, _, rest = body.partition(b"\x00")
    key = keyword.decode("latin-1")
    if ctype == b"tEXt":
        raw.take(len(rest))
        text = rest
    elif ctype == b"zTXt":
        text = _inflate(rest[1:], raw)
    else:  # iTXt: compression flag, method, language\0, translated keyword\0, text
        if len(rest) < 2:
            raise Malformed("iTXt chunk cut off")
        flag, tail = rest[0], rest[2:]
        _lang, _, tail = tail.partition(b"\x00")
        _trans, _, text = tail.partition(b"\x00")
        if flag:
            text = _inflate(text, raw)
        else:
            raw.take(len(text))
    if key == "XML:com.adobe.xmp":
        raw.xmp.append(text)
        return
    profile = key.lower()[len("raw profile type ") :]
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


def _inflate(blob: bytes, raw: Raw) -> bytes:
    """Inflate compressed PNG text, never past what is left of the file's metadata budget."""
    room = MAX_METADATA_BYTES - raw.spent
    d = zlib.decompressobj()
    out = d.decompress(blob, room) if room else b""
    if d.unconsumed_tail or (not room and blob):
        raw.spent = MAX_METADATA_BYTES
        raise OverBudget(
            f"compressed PNG text inflates beyond the {MAX_METADATA_BYTES // 2**20} MB of metadata read "
            "from one file; it and what follows were not read"
        )
    raw.take(len(out))
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


def _tiff_file(data: Any, raw: Raw) -> None:
    """A TIFF file is itself the EXIF structure; IPTC and XMP sit in IFD0 tags."""
    raw.tiff.append(data)


def _webp(data: Any, raw: Raw) -> None:
    pos, n = 12, len(data)
    for _ in range(MAX_CHUNKS):
        if pos + 8 > n:
            return
        fourcc, size = struct.unpack_from("<4sI", data, pos)
        if fourcc in (b"EXIF", b"XMP "):
            raw.take(size)
            body = bytes(data[pos + 8 : pos + 8 + size])
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
            raise Malformed(f"box '{btype.decode('latin-1')}' has size {size}")
        if pos + size > end:
            raise Malformed(f"box '{btype.decode('latin-1')}' runs past the end of its parent")
        yield btype, pos + header, pos + size
        pos += size


def _is_heif(data: Any) -> bool:
    size = struct.unpack_from(">I", data, 0)[0]
    ftyp = bytes(data[8 : min(max(size, 16), 4096)])
    brands = {ftyp[0:4]} | {ftyp[i : i + 4] for i in range(8, len(ftyp) - 3, 4)}
    return bool(brands & _HEIF_BRANDS)


def _heif(data: Any, raw: Raw) -> None:
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
        chunks = []
        for off, length in extents:
            begin = base + off
            stop = len(data) if length == 0 else begin + length
            if begin > len(data) or stop > len(data):
                raise Malformed(f"HEIF item {item_id} points outside the file")
            raw.take(stop - begin)
            chunks.append(bytes(data[begin:stop]))
        blob = b"".join(chunks)
        if kind == "Exif" and len(blob) >= 4:
            skip = struct.unpack_from(">I", blob, 0)[0]
            tiff = blob[4 + skip :] if 4 + skip < len(blob) else b""
            if tiff[:4] not in (b"II*\x00", b"MM\x00*"):  # tolerate a wrong header offset
                found = re.search(rb"II\*\x00|MM\x00\*", blob[:64])
                tiff = blob[found.start() :] if found else b""
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
        item_type = bytes(data[p + 2 : p + 6])
        rest = bytes(data[p + 6 : be])
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
        raise Malformed(f"iloc version {version}")
    pos = s + 4
    off_size, len_size = data[pos] >> 4, data[pos] & 15
    base_size, idx_size = data[pos + 1] >> 4, data[pos + 1] & 15
    pos += 2
    if any(x not in (0, 4, 8) for x in (off_size, len_size, base_size)) or (version > 0 and idx_size not in (0, 4, 8)):
        raise Malformed("iloc field sizes are not 0, 4 or 8")

    def uint(size: int) -> int:
        nonlocal pos
        if pos + size > e:
            raise Malformed("iloc box cut off")
        value = int.from_bytes(data[pos : pos + size], "big") if size else 0
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
                raise Malformed("iloc box lists too many extents")
            if version > 0:
                uint(idx_size)
            extents.append((base + uint(off_size), uint(len_size)))
        out[item_id] = (method, extents)
    return out


def _jxl(data: Any, raw: Raw) -> None:
    """JPEG XL container: 'Exif' (4-byte offset, then TIFF) and 'xml ' boxes."""
    for btype, s, e in _boxes(data, 0, len(data)):
        if btype in (b"Exif", b"xml "):
            raw.take(e - s)
        if btype == b"Exif" and e - s >= 4:
            skip = struct.unpack_from(">I", data, s)[0]
            if s + 4 + skip < e:
                raw.tiff.append(bytes(data[s + 4 + skip : e]))
        elif btype == b"xml ":
            raw.xmp.append(bytes(data[s:e]))
        elif btype == b"brob":
            inner = bytes(data[s : s + 4]).decode("latin-1")
            raw.warnings.append(f"JPEG XL '{inner}' metadata is Brotli-compressed and was not read")


# ---------------------------------------------------------------------------------------------
# movies: MP4, MOV and 3GP carry their metadata in the same boxes as HEIF

_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
"""The first bytes of a Matroska or WebM file (an EBML header)."""
_BARE_QUICKTIME = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
"""Boxes an old QuickTime movie may begin with, before ``ftyp`` existed."""
_XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
"""The ``uuid`` box type under which MP4 files carry an XMP packet."""
_UDTA_TAGS = {b"\xa9day": "creation_date", b"\xa9mak": "make", b"\xa9mod": "model", b"\xa9swr": "software"}
"""QuickTime user-data texts read besides ``©xyz``, by the name ``Metadata.camera`` gives them."""
_APPLE_KEYS = {
    "com.apple.quicktime.creationdate": "creation_date",
    "com.apple.quicktime.make": "make",
    "com.apple.quicktime.model": "model",
    "com.apple.quicktime.software": "software",
}
"""Apple's ``mdta`` keys read besides the location, by the name ``Metadata.camera`` gives them."""
APPLE_LOCATION_KEY = "com.apple.quicktime.location.ISO6709"
"""The ``mdta`` key an iPhone writes its position under, as ISO 6709 text."""
_MAC_EPOCH_TO_UNIX = 2_082_844_800
"""Seconds from 1904-01-01, where QuickTime counts time from, to 1970-01-01."""


def movie_container(head: bytes) -> str | None:
    """The container a file's first bytes (4 kB is ample) announce: "quicktime" (MP4, MOV, 3GP),
    "matroska" (MKV, WebM), or None for anything else, HEIF photos included."""
    if head.startswith(_EBML_MAGIC):
        return "matroska"
    if len(head) >= 16 and head[4:8] == b"ftyp":
        return None if _is_heif(head) else "quicktime"
    if len(head) >= 8 and head[4:8] in _BARE_QUICKTIME:
        return "quicktime"
    return None


def collect_movie(data: Any) -> Raw:
    """A QuickTime / MP4 movie's metadata: positions, dates, camera names and XMP, bounds-checked.

    Only ``moov`` and its ``udta`` and ``meta`` boxes are walked (a top-level ``uuid`` box may hold
    XMP): the sample tables and the media data are skipped by their sizes, so a movie of gigabytes
    costs a few box headers. At most ``MAX_CHUNKS`` boxes are walked; what is broken or beyond the
    caps becomes a warning, and what was read before it is kept.
    """
    raw = Raw(fmt="QuickTime")
    try:
        for btype, s, e in _movie_boxes(data, 0, len(data), raw):
            if btype == b"moov":
                _moov(data, s, e, raw)
            elif btype == b"uuid" and bytes(data[s : s + 16]) == _XMP_UUID:
                raw.take(e - s - 16)
                raw.xmp.append(bytes(data[s + 16 : e]))
    except OverBudget as exc:
        raw.warnings.append(str(exc))
    except PARSE_ERRORS as exc:
        raw.warnings.append(f"QuickTime structure is malformed ({why(exc)}); read what came before it")
    return raw


def _movie_boxes(data: Any, start: int, end: int, raw: Raw) -> Iterator[tuple[bytes, int, int]]:
    """``_boxes``, counted against ``MAX_CHUNKS`` for the whole movie: a tree of millions of empty
    boxes would otherwise cost a Python step each."""
    for box in _boxes(data, start, end):
        raw.boxes += 1
        if raw.boxes > MAX_CHUNKS:
            raise Malformed(f"more than {MAX_CHUNKS:,} boxes")
        yield box


def _moov(data: Any, s: int, e: int, raw: Raw) -> None:
    """The movie box: its header's creation time, its user data and its metadata."""
    for btype, bs, be in _movie_boxes(data, s, e, raw):
        if btype == b"mvhd":
            _mvhd(data, bs, be, raw)
        elif btype == b"udta":
            _udta(data, bs, be, raw)
        elif btype == b"meta":
            _meta(data, bs, be, raw)


def _mvhd(data: Any, s: int, e: int, raw: Raw) -> None:
    """The movie's creation time: seconds since 1904 in UTC (0 when the writer left it unset)."""
    version = data[s]
    created = struct.unpack_from(">Q" if version == 1 else ">I", data, s + 4)[0]
    if created:
        try:
            when = datetime.fromtimestamp(created - _MAC_EPOCH_TO_UNIX, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            raw.warnings.append(f"QuickTime creation time {created} is out of range; ignored")
            return
        raw.tags.setdefault("created_utc", when.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _udta(data: Any, s: int, e: int, raw: Raw) -> None:
    """QuickTime user data: ``©xyz`` and other texts, 3GPP ``loci``, ``XMP_``, an iTunes ``meta``."""
    for btype, bs, be in _movie_boxes(data, s, e, raw):
        if btype == b"\xa9xyz" or btype in _UDTA_TAGS:
            value = _udta_text(data, bs, be)
            if value and btype == b"\xa9xyz":
                raw.iso6709.append(("QuickTime ©xyz", value))
            elif value:
                raw.tags.setdefault(_UDTA_TAGS[btype], value)
        elif btype == b"loci":
            value = _loci(data, bs, be)
            if value:
                raw.iso6709.append(("3GPP loci", value))
        elif btype == b"XMP_":
            raw.take(be - bs)
            raw.xmp.append(bytes(data[bs:be]))
        elif btype == b"meta":
            _meta(data, bs, be, raw)


def _udta_text(data: Any, s: int, e: int) -> str | None:
    """A QuickTime user-data text: a 16-bit length and language, then the text (some writers put
    an iTunes-style ``data`` box there instead)."""
    if e - s >= 16 and bytes(data[s + 4 : s + 8]) == b"data":
        return clean(bytes(data[s + 16 : e]))
    if e - s < 4:
        return None
    length = struct.unpack_from(">H", data, s)[0]
    return clean(bytes(data[s + 4 : min(e, s + 4 + length)]))


def _loci(data: Any, s: int, e: int) -> str | None:
    """A 3GPP location box (TS 26.244) as ISO 6709 text: after a name, a role byte, then longitude,
    latitude and altitude as signed 16.16 fixed-point numbers."""
    name_end = bytes(data[s + 6 : e]).find(b"\x00")
    if name_end < 0:
        raise Malformed("3GPP loci box has no end to its place name")
    pos = s + 6 + name_end + 2  # the name's terminator, then the role
    if pos + 12 > e:
        raise Malformed("3GPP loci box cut off")
    lon, lat, alt = (v / 65536 for v in struct.unpack_from(">iii", data, pos))
    return f"{lat:+.5f}{lon:+.5f}{alt:+.1f}/"


def _meta(data: Any, s: int, e: int, raw: Raw) -> None:
    """A ``meta`` box: Apple's ``mdta`` keys with their ``ilst`` values, or an iTunes ``ilst``.

    Apple writes ``meta`` as a plain box, ISO as a full box (4 more bytes of version and flags):
    which one it is shows in where the ``hdlr`` box starts.
    """
    start = s if bytes(data[s + 4 : s + 8]) == b"hdlr" else s + 4
    keys: list[str] = []
    for btype, bs, be in _movie_boxes(data, start, e, raw):
        if btype == b"keys":
            keys = _keys(data, bs, be, raw)
        elif btype == b"ilst":
            _ilst(data, bs, be, keys, raw)


def _keys(data: Any, s: int, e: int, raw: Raw) -> list[str]:
    """The names of an ``mdta`` key table, in order (an ``ilst`` item names its key by position)."""
    pos, keys = s + 8, []  # version, flags and the entry count, which the box size bounds anyway
    while pos + 8 <= e:
        size = struct.unpack_from(">I", data, pos)[0]
        if size < 8 or pos + size > e:
            raise Malformed(f"metadata key of size {size}")
        raw.boxes += 1
        if raw.boxes > MAX_CHUNKS:
            raise Malformed(f"more than {MAX_CHUNKS:,} boxes")
        keys.append(bytes(data[pos + 8 : pos + size]).decode("utf-8", "replace"))
        pos += size
    return keys


def _ilst(data: Any, s: int, e: int, keys: list[str], raw: Raw) -> None:
    """Metadata items: each names its key (a position in ``keys``, or a four-letter iTunes code)
    and holds its value in a ``data`` box (type, locale, then UTF-8 text for the keys read here)."""
    for btype, bs, be in _movie_boxes(data, s, e, raw):
        index = struct.unpack(">I", btype)[0]
        key = keys[index - 1] if 0 < index <= len(keys) else btype.decode("latin-1")
        for dtype, ds, de in _movie_boxes(data, bs, be, raw):
            if dtype != b"data" or de - ds < 8:
                continue
            value = clean(bytes(data[ds + 8 : de]))
            if not value:
                continue
            if key == APPLE_LOCATION_KEY:
                raw.iso6709.append(("QuickTime location key", value))
            elif key == "©xyz":
                raw.iso6709.append(("QuickTime ©xyz", value))
            elif key in _APPLE_KEYS:
                raw.tags.setdefault(_APPLE_KEYS[key], value)
            elif btype in _UDTA_TAGS:
                raw.tags.setdefault(_UDTA_TAGS[btype], value)
            break
