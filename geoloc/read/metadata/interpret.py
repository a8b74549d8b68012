"""Build the ``Metadata`` record from a file's raw blocks: GPS (EXIF before XMP), camera details, location."""

from __future__ import annotations

import re
from datetime import datetime

from geoloc.model import GPS, Metadata
from geoloc.read.metadata.containers import Raw
from geoloc.read.metadata.gps import gps_from_exif, gps_from_xmp
from geoloc.read.metadata.location import merge_location
from geoloc.read.metadata.malformed import PARSE_ERRORS, OverBudget, why
from geoloc.read.metadata.tiff import (
    T_DTO,
    T_IPTC,
    T_MAKE,
    T_MODEL,
    T_OFFSET_DTO,
    T_PHOTOSHOP,
    T_SOFTWARE,
    T_XMP,
    Exif,
    read_exif,
)
from geoloc.read.metadata.xmp import XmpDoc, iso_date, parse_xmp

_GPS_AGREE_DEG = 0.001
"""EXIF and XMP positions closer than this (about 100 m) are the same fix; a wider gap is reported."""


def build_metadata(raw: Raw) -> Metadata:
    """Interpret the raw blocks; everything wrong inside them ends up in ``Metadata.warnings``."""
    warnings = list(raw.warnings)
    camera: dict[str, str] = {}
    gps: GPS | None = None

    exif_blocks: list[Exif] = []
    for blob in raw.tiff:
        try:
            x = read_exif(blob, warnings)
        except PARSE_ERRORS as exc:
            warnings.append(f"EXIF is malformed ({why(exc)}); ignored")
            continue
        exif_blocks.append(x)
        if raw.fmt == "TIFF":  # IFD0 of a TIFF file carries XMP and IPTC as tags
            try:
                _tiff_embedded(x, raw)
            except OverBudget as exc:
                warnings.append(str(exc))
    for x in exif_blocks:
        try:
            if gps is None:
                gps = gps_from_exif(x, warnings)
            _exif_camera(x, camera, warnings)
        except PARSE_ERRORS as exc:
            warnings.append(f"EXIF GPS is malformed ({why(exc)}); ignored")

    roots = parse_xmp(raw.xmp, warnings)
    doc = XmpDoc(roots)
    try:
        xmp_gps = gps_from_xmp(doc, warnings) if roots else None
    except PARSE_ERRORS as exc:
        warnings.append(f"XMP GPS is malformed ({why(exc)}); ignored")
        xmp_gps = None
    if gps is None:
        gps = xmp_gps
    elif xmp_gps is not None and max(abs(gps.lat - xmp_gps.lat), abs(gps.lon - xmp_gps.lon)) > _GPS_AGREE_DEG:
        warnings.append(
            f"XMP GPS ({xmp_gps.lat:.6f}, {xmp_gps.lon:.6f}) differs from EXIF GPS "
            f"({gps.lat:.6f}, {gps.lon:.6f}); EXIF used"
        )
    if roots:
        for key, (prefix, name) in (
            ("make", ("tiff", "Make")),
            ("model", ("tiff", "Model")),
            ("datetime_original", ("exif", "DateTimeOriginal")),
            ("datetime_original", ("photoshop", "DateCreated")),
            ("software", ("xmp", "CreatorTool")),
        ):
            value = doc.get(prefix, name)
            if value and key not in camera:
                value = iso_date(value) if key == "datetime_original" else value
                if value:
                    camera[key] = value

    location = merge_location(raw, doc if roots else None, warnings)
    return Metadata(gps=gps, location=location, camera=camera, warnings=tuple(dict.fromkeys(warnings)))


def _tiff_embedded(x: Exif, raw: Raw) -> None:
    """XMP, IPTC and Photoshop blocks held in a TIFF file's IFD0, counted against the file's budget."""
    t = x.tiff
    for tag, blocks in ((T_XMP, raw.xmp), (T_IPTC, raw.iptc), (T_PHOTOSHOP, raw.irb)):
        if (e := x.ifd0.get(tag)) is not None:
            raw.take(t.nbytes(e))
            blob = t.raw(e)
            blocks.append(blob.rstrip(b"\x00") if tag == T_IPTC else blob)


def _exif_camera(x: Exif, camera: dict[str, str], warnings: list[str]) -> None:
    t = x.tiff
    for key, tag in (("make", T_MAKE), ("model", T_MODEL), ("software", T_SOFTWARE)):
        value = t.text(x.ifd0.get(tag)) or t.text(x.exif.get(tag))
        if value and key not in camera:
            camera[key] = value
    dto = t.text(x.exif.get(T_DTO))
    if dto and "datetime_original" not in camera:
        iso = _exif_datetime(dto, t.text(x.exif.get(T_OFFSET_DTO)))
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
