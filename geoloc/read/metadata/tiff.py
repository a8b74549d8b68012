"""Read the IFDs of a TIFF structure (IFD0, the Exif IFD and the GPS IFD), bounds-checked and lazily.

EXIF is a TIFF structure, so this serves JPEG, PNG, WebP, HEIF and JPEG XL EXIF blocks as well as
TIFF files themselves.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from typing import Any

from geoloc.read.metadata.malformed import Malformed
from geoloc.read.metadata.text import clean

PLACEHOLDER_32 = 0xFFFFFFFF
"""4294967295: written by some firmware into GPS rationals when no fix was available."""

_TIFF_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
"""Bytes per value of each TIFF field type (TIFF 6.0 types 1-12, plus 13 = IFD pointer)."""

# TIFF / EXIF tags used here
T_MAKE, T_MODEL, T_SOFTWARE = 0x010F, 0x0110, 0x0131
T_XMP, T_IPTC, T_PHOTOSHOP = 0x02BC, 0x83BB, 0x8649
_T_EXIF_IFD, _T_GPS_IFD = 0x8769, 0x8825
T_DTO, T_OFFSET_DTO = 0x9003, 0x9011
_WANT_IFD0 = frozenset({T_MAKE, T_MODEL, T_SOFTWARE, T_XMP, T_IPTC, T_PHOTOSHOP, _T_EXIF_IFD, _T_GPS_IFD})
_WANT_EXIF = frozenset({T_MAKE, T_MODEL, T_SOFTWARE, T_DTO, T_OFFSET_DTO})
_WANT_GPS = frozenset(range(32))


@dataclass(frozen=True)
class Entry:
    """One IFD entry, decoded lazily so that a huge declared count costs nothing."""

    tag: int
    type: int
    count: int
    offset: int  # absolute position of the value bytes inside the TIFF data


class Tiff:
    """Bounds-checked reader of a TIFF structure (EXIF is a TIFF structure)."""

    def __init__(self, data: Any, warnings: list[str]) -> None:
        if len(data) < 8 or bytes(data[:4]) not in (b"II*\x00", b"MM\x00*"):
            raise Malformed("EXIF data has no TIFF header")
        self.data = data
        self.bo = "<" if data[0] == 0x49 else ">"
        self.warnings = warnings
        self.seen: set[int] = set()

    def u32(self, pos: int) -> int:
        return struct.unpack_from(self.bo + "I", self.data, pos)[0]

    def ifd(self, offset: int, name: str, wanted: frozenset[int]) -> dict[int, Entry]:
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
        entries: dict[int, Entry] = {}
        block = bytes(self.data[offset + 2 : offset + 2 + 12 * count])
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
                    f"EXIF {name} tag 0x{tag:04x} claims {n} values beyond the end of the data; ignored"
                )
                continue
            entries[tag] = Entry(tag, typ, n, where)
        return entries

    def sub_ifd(self, entries: dict[int, Entry], tag: int, name: str, wanted: frozenset[int]) -> dict[int, Entry]:
        e = entries.get(tag)
        if e is None:
            return {}
        if e.type not in (4, 7, 9, 13) or _TIFF_SIZES[e.type] * e.count < 4:
            self.warnings.append(f"EXIF {name} IFD pointer has the wrong type; ignored")
            return {}
        return self.ifd(self.u32(e.offset), name, wanted)

    def nbytes(self, e: Entry) -> int:
        """Size of an entry's values (``ifd`` kept only entries that lie inside the data)."""
        return _TIFF_SIZES[e.type] * e.count

    def raw(self, e: Entry) -> bytes:
        return bytes(self.data[e.offset : e.offset + self.nbytes(e)])

    def text(self, e: Entry | None) -> str | None:
        """An ASCII (or byte) value as text: to the first NUL, stripped, UTF-8 or Latin-1."""
        if e is None:
            return None
        if e.type in (3, 4, 8, 9):  # a number where text was expected (some firmware)
            nums = self.numbers(e)
            return " ".join(_fmt_num(x) for x in nums) if nums else None
        if e.type not in (1, 2, 7):
            return None
        return clean(self.raw(e).split(b"\x00", 1)[0])

    def numbers(self, e: Entry, limit: int = 8) -> list[float]:
        """Up to ``limit`` numeric values; raises Malformed for 0-denominators and placeholders."""
        count = min(e.count, limit)
        bo, out = self.bo, []
        if e.type in (5, 10):
            fmt = bo + ("II" if e.type == 5 else "ii")
            for i in range(count):
                num, den = struct.unpack_from(fmt, self.data, e.offset + 8 * i)
                if e.type == 5 and PLACEHOLDER_32 in (num, den):
                    raise Malformed("holds the 4294967295 placeholder")
                if den == 0:
                    raise Malformed(f"has a zero denominator ({num}/0)")
                out.append(num / den)
            return out
        fmts = {1: "B", 3: "H", 4: "I", 6: "b", 8: "h", 9: "i", 11: "f", 12: "d"}
        if e.type in fmts:
            size = _TIFF_SIZES[e.type]
            for i in range(count):
                v = float(struct.unpack_from(bo + fmts[e.type], self.data, e.offset + size * i)[0])
                if e.type == 4 and v == PLACEHOLDER_32:
                    raise Malformed("holds the 4294967295 placeholder")
                if not math.isfinite(v):
                    raise Malformed("is not a finite number")
                out.append(v)
            return out
        if e.type == 2:  # degrees written as text, e.g. "51 30 12.5": exiftool reads the numbers
            return [float(x) for x in _NUMBER.findall(self.text(e) or "")[:limit]]
        raise Malformed(f"has TIFF type {e.type}, not a number")


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _fmt_num(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


@dataclass
class Exif:
    """What one EXIF block says."""

    ifd0: dict[int, Entry]
    exif: dict[int, Entry]
    gps: dict[int, Entry]
    tiff: Tiff


def read_exif(blob: Any, warnings: list[str]) -> Exif:
    """The IFD0, Exif and GPS entries of one EXIF block; only the tags interpretation uses are kept."""
    t = Tiff(blob, warnings)
    ifd0 = t.ifd(t.u32(4), "IFD0", _WANT_IFD0)
    return Exif(
        ifd0, t.sub_ifd(ifd0, _T_EXIF_IFD, "Exif", _WANT_EXIF), t.sub_ifd(ifd0, _T_GPS_IFD, "GPS", _WANT_GPS), t
    )
