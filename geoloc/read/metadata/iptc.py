"""Split Photoshop image resource blocks and the IPTC IIM datasets inside them."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from geoloc.read.metadata.malformed import Malformed

IRB_IIM = 0x0404
"""Photoshop resource id of the IPTC IIM block (IPTC-NAA record)."""

IRB_IIM_DIGEST = 0x0425
"""Photoshop resource id of the MD5 digest of the IIM block as last synchronised with the XMP."""


def irb_resources(blob: bytes) -> Iterator[tuple[int, bytes]]:
    """Photoshop image resource blocks: (resource id, data)."""
    pos, n = 0, len(blob)
    while pos + 12 <= n:
        if blob[pos : pos + 4] not in (b"8BIM", b"PHUT", b"DCSR", b"AgHg", b"MeSa"):
            raise Malformed("Photoshop resource block lost its signature")
        rid = struct.unpack_from(">H", blob, pos + 4)[0]
        name_len = blob[pos + 6]
        pos += 6 + ((name_len + 2) & ~1)
        size = struct.unpack_from(">I", blob, pos)[0]
        pos += 4
        if pos + size > n:
            raise Malformed(f"Photoshop resource 0x{rid:04x} runs past its segment")
        yield rid, blob[pos : pos + size]
        pos += size + (size & 1)


def iim_records(blob: bytes) -> dict[tuple[int, int], list[bytes]]:
    """IPTC IIM datasets: (record, dataset) -> values, in file order."""
    out: dict[tuple[int, int], list[bytes]] = {}
    pos, n = 0, len(blob)
    while pos + 5 <= n and blob[pos] == 0x1C:
        record, dataset, length = blob[pos + 1], blob[pos + 2], struct.unpack_from(">H", blob, pos + 3)[0]
        pos += 5
        if length & 0x8000:  # extended dataset: the low bits give the size of the length field
            nbytes = length & 0x7FFF
            if nbytes > 8 or pos + nbytes > n:
                raise Malformed("IPTC extended dataset length is invalid")
            length = int.from_bytes(blob[pos : pos + nbytes], "big")
            pos += nbytes
        if pos + length > n:
            raise Malformed(f"IPTC dataset {record}:{dataset} runs past the end of the block")
        out.setdefault((record, dataset), []).append(blob[pos : pos + length])
        pos += length
    return out
