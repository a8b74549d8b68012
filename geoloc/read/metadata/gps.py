"""Turn EXIF and XMP GPS tags into a ``GPS`` record with exiftool's arithmetic, refusing invalid values.

Degrees + minutes/60 + seconds/3600 with the sign from the N/S/E/W reference; values exiftool would
show as undefined (0/0, n/0) and placeholders (0/0 position, 4294967295) become warnings and are
never used as a position.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from geoloc.model import GPS
from geoloc.read.metadata.malformed import Malformed
from geoloc.read.metadata.tiff import Entry, Exif, Tiff
from geoloc.read.metadata.xmp import XmpDoc, iso_date


def gps_from_exif(x: Exif, warnings: list[str]) -> GPS | None:
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
        except Malformed as exc:
            warnings.append(f"EXIF GPS {axis} {exc}; position ignored")
            return None
        if not parts:
            warnings.append(f"EXIF GPS {axis} is empty; position ignored")
            return None
        if any(p < 0 for p in parts[1:]):
            warnings.append(f"EXIF GPS {axis} has negative minutes or seconds; position ignored")
            return None
        value = dms_degrees(parts)
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
    return GPS(
        lat=lat,
        lon=lon,
        altitude_m=_exif_altitude(t, g, warnings),
        direction_deg=_exif_direction(t, g, warnings),
        timestamp=_exif_gps_time(t, g, warnings),
        datum=_datum(t.text(g.get(18)), warnings),
        source="exif",
        direction_ref=_direction_ref(t.text(g.get(16))),
    )


def dms_degrees(parts: list[float]) -> float:
    """Degrees, minutes, seconds (any of them fractional) to degrees; a negative degree keeps its sign."""
    value = sum(abs(p) / scale for p, scale in zip(parts, (1.0, 60.0, 3600.0), strict=False))
    return -value if parts[0] < 0 else value


def _exif_altitude(t: Tiff, g: dict[int, Entry], warnings: list[str]) -> float | None:
    e = g.get(6)
    if e is None:
        return None
    try:
        nums = t.numbers(e, 1)
    except Malformed as exc:
        warnings.append(f"EXIF GPS altitude {exc}; altitude ignored")
        return None
    if not nums:
        return None
    alt = nums[0]
    ref = g.get(5)
    if ref is not None:
        try:
            below = t.numbers(ref, 1) if ref.type not in (2, 7) else [float(t.raw(ref)[:1] in (b"\x01", b"1"))]
        except Malformed:
            below = []
        if below and below[0] == 1:
            alt = -abs(alt)
    return alt


def _exif_direction(t: Tiff, g: dict[int, Entry], warnings: list[str]) -> float | None:
    e = g.get(17)
    if e is None:
        return None
    try:
        nums = t.numbers(e, 1)
    except Malformed as exc:
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


def _exif_gps_time(t: Tiff, g: dict[int, Entry], warnings: list[str]) -> str | None:
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
    except Malformed as exc:
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
        warnings.append(
            f"GPS map datum is {datum!r}, not WGS-84: the position may be off by up to a few hundred metres"
        )
    return datum


def _xmp_coord(value: str | None, axis: str, warnings: list[str]) -> float | None:
    """XMP GPS coordinate 'DDD,MM,SSk' or 'DDD,MM.mmk' (k = N/S/E/W), or a signed decimal."""
    if not value:
        return None
    v = value.strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?\s*([NSEWnsew])", v)
    if m:
        parts = [float(x) for x in m.groups()[:3] if x is not None]
        out = dms_degrees(parts)
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


def gps_from_xmp(doc: XmpDoc, warnings: list[str]) -> GPS | None:
    """The exif:GPS* properties of the XMP as a GPS record, or None with a warning saying why."""
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
    return GPS(
        lat=lat,
        lon=lon,
        altitude_m=alt,
        direction_deg=direction % 360 if direction is not None else None,
        timestamp=iso_date(stamp),
        datum=_datum(doc.get("exif", "GPSMapDatum"), warnings),
        source="xmp",
        direction_ref=_direction_ref(doc.get("exif", "GPSImgDirectionRef")),
    )
