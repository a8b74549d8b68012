"""Merge the IPTC IIM and XMP written-location fields into one ``Location`` by Metadata Working Group precedence.

XMP wins over IPTC IIM unless a stored IPTC digest shows the IIM block was edited after the XMP was
written, as exiftool's MWG module decides.
"""

from __future__ import annotations

import hashlib

from geoloc.model import Location
from geoloc.read.metadata.containers import Raw
from geoloc.read.metadata.iptc import IRB_IIM, IRB_IIM_DIGEST, iim_records, irb_resources
from geoloc.read.metadata.malformed import PARSE_ERRORS, why
from geoloc.read.metadata.text import clean
from geoloc.read.metadata.xmp import XmpDoc

# IPTC IIM record 2 datasets -> MWG field, with the IIM length limits used to recover truncated values
_IIM_FIELDS = {90: "city", 92: "sublocation", 95: "state", 100: "country_code", 101: "country"}
_IIM_LIMITS = {"city": 32, "sublocation": 32, "state": 32, "country_code": 3, "country": 64}
_LOC_FIELDS = ("city", "state", "country", "country_code", "sublocation")
_XMP_LEGACY = {
    "city": ("photoshop", "City"),
    "state": ("photoshop", "State"),
    "country": ("photoshop", "Country"),
    "country_code": ("Iptc4xmpCore", "CountryCode"),
    "sublocation": ("Iptc4xmpCore", "Location"),
}
_XMP_EXT = {
    "city": "City",
    "state": "ProvinceState",
    "country": "CountryName",
    "country_code": "CountryCode",
    "sublocation": "Sublocation",
}


def _iim_location(blocks: list[bytes]) -> dict[str, str]:
    """IPTC IIM location fields (the first non-blank value of each, as exiftool lists them)."""
    fields: dict[str, str] = {}
    for block in blocks:
        recs = iim_records(block)
        for dataset, name in _IIM_FIELDS.items():
            for v in recs.get((2, dataset), []):
                if name in fields:
                    break
                text = clean(v)  # UTF-8 when it decodes (declared by 1:90 or not), else Latin-1
                if text:
                    fields[name] = text
    return fields


def _xmp_location_fields(doc: XmpDoc) -> dict[str, str]:
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


def merge_location(raw: Raw, doc: XmpDoc | None, warnings: list[str]) -> Location | None:
    """Merge IPTC IIM and XMP location fields by the Metadata Working Group rules (as exiftool's MWG)."""
    iim_blocks = list(raw.iptc)
    stored_digest: bytes | None = None
    for irb in raw.irb:
        try:
            for rid, blob in irb_resources(irb):
                if rid == IRB_IIM:
                    iim_blocks.append(blob)
                elif rid == IRB_IIM_DIGEST and len(blob) == 16:
                    stored_digest = blob
        except PARSE_ERRORS as exc:
            warnings.append(f"Photoshop/IPTC block is malformed ({why(exc)}); read what came before it")
    try:
        iim = _iim_location(iim_blocks)
    except PARSE_ERRORS as exc:
        warnings.append(f"IPTC IIM is malformed ({why(exc)}); ignored")
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
            warnings.append(
                f"IPTC and XMP {key.replace('_', ' ')} differ ({i!r} vs {x!r}); "
                f"{loser} ignored by Metadata Working Group precedence"
            )
    return _location_from(merged, "+".join(sorted(sources, reverse=True)))


def _truncated(iim: str, xmp: str, key: str) -> bool:
    """True when the IIM value is the XMP value cut at the IIM length limit (MWG recovery)."""
    limit = _IIM_LIMITS[key]
    return len(iim.encode("utf-8")) >= limit and xmp.startswith(iim) and len(xmp) > len(iim)


def _location_from(fields: dict[str, str], source: str) -> Location | None:
    if not fields:
        return None
    return Location(
        city=fields.get("city"),
        state=fields.get("state"),
        country=fields.get("country"),
        country_code=fields.get("country_code"),
        sublocation=fields.get("sublocation"),
        source=source,
    )
