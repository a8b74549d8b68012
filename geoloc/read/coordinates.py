"""Coordinates written in a caption or a post: where its author says the photo was taken.

Open-source investigators publish a geolocation as a pair of numbers ("Geolocated: 48.5921,
37.9940", "48°35'31"N 37°59'38"E", a map link "@48.5921,37.9940"). Such a pair is a claim, as a
town the caption names is, but to a point. A pair counts only when it cannot be an everyday
number: decimal degrees with at least ``DECIMAL_PLACES`` digits after the point (a geolocation
is given to about 100 m; "2.5, 3.0" is a score or a price), or degrees with a degree sign or a
hemisphere letter, and both within range.
"""

from __future__ import annotations

import math
import re

from geoloc.read.metadata.gps import dms_degrees

DECIMAL_PLACES = 3
"""Fewest digits after the point of a bare decimal pair taken as coordinates: 0.001 degrees is
about 100 m, the least a geolocation is given to, and prices, scores and measures seldom carry
three decimals in both numbers of a pair."""
MAX_PAIRS = 5
"""Most coordinate pairs taken from one text: a post geolocating a photo gives one or two."""

_HEMI_LAT = r"\s*(?P<{0}>[NSns]|(?:пн|півн|с|пд|півд|ю)\.?\s*ш\.?)?"
_HEMI_LON = r"\s*(?P<{0}>[EWew]|(?:сх|зх|в|з)\.?\s*д\.?)?"
"""Hemisphere letters, Latin or the Ukrainian and Russian abbreviations ("пн. ш.", "сх. д.", "с.ш.",
"в.д."; "пд."/"ю." south, "зх."/"з." west)."""
_SOUTH = ("s", "пд", "півд", "ю")
_WEST = ("w", "зх", "з")
_DECIMAL_RE = re.compile(
    r"(?<![\w.,-])(?P<lat>-?\d{1,2}\.\d+)\s*°?" + _HEMI_LAT.format("ns")
    + r"\s*[,;/ ]\s*"
    + r"(?P<lon>-?\d{1,3}\.\d+)\s*°?" + _HEMI_LON.format("ew") + r"(?![\w.]*\d)"
)  # fmt: skip
"""A decimal pair, latitude first, with optional degree signs and hemisphere letters."""
_DMS = (
    r"(?P<{0}d>\d{{1,3}})\s*°\s*"
    r"(?:(?P<{0}m>\d{{1,2}}(?:\.\d+)?)\s*['′’]\s*)?"
    r"(?:(?P<{0}s>\d{{1,2}}(?:\.\d+)?)\s*(?:\"|″|”|'')\s*)?"
    r"(?P<{0}h>[NSEWnsew])"
)
_DMS_RE = re.compile(_DMS.format("a") + r"[\s,;/]*" + _DMS.format("b"))
"""Degrees with minutes and seconds and a hemisphere letter each ("48°35'31"N 37°59'38"E")."""


def text_coordinates(text: str) -> tuple[tuple[float, float], ...]:
    """The (latitude, longitude) pairs a text gives, in the order written, each once."""
    found: list[tuple[int, float, float]] = []
    taken: list[tuple[int, int]] = []  # text a degree pair was read from, whether in range or not
    for m in _DMS_RE.finditer(text):
        taken.append(m.span())
        pair = _dms_pair(m)
        if pair is not None:
            found.append((m.start(), *pair))
    for m in _DECIMAL_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        pair = _decimal_pair(m)
        if pair is not None:
            found.append((m.start(), *pair))
    out: list[tuple[float, float]] = []
    for _at, lat, lon in sorted(found):
        if (lat, lon) not in out:
            out.append((lat, lon))
    return tuple(out[:MAX_PAIRS])


def _decimal_pair(m: re.Match[str]) -> tuple[float, float] | None:
    """A decimal pair's position, or None when it may be an everyday number or is out of range."""
    lat_s, lon_s, ns, ew = m.group("lat"), m.group("lon"), m.group("ns"), m.group("ew")
    marked = bool(ns and ew) or "°" in m.group(0)
    places = min(len(lat_s.partition(".")[2]), len(lon_s.partition(".")[2]))
    if places < DECIMAL_PLACES and not marked:
        return None
    lat, lon = float(lat_s), float(lon_s)
    if ns and re.split(r"[.\s]", ns.lower())[0] in _SOUTH:
        lat = -abs(lat)
    if ew and re.split(r"[.\s]", ew.lower())[0] in _WEST:
        lon = -abs(lon)
    return _valid(lat, lon)


def _dms_pair(m: re.Match[str]) -> tuple[float, float] | None:
    """A degrees-minutes-seconds pair's position, latitude and longitude by their letters."""
    values = {}
    for k in ("a", "b"):
        parts = [float(m.group(f"{k}{u}")) for u in ("d", "m", "s") if m.group(f"{k}{u}") is not None]
        hemisphere = m.group(f"{k}h").upper()
        degrees = dms_degrees(parts)
        values["lat" if hemisphere in "NS" else "lon"] = -degrees if hemisphere in "SW" else degrees
    if len(values) != 2:
        return None  # two latitudes or two longitudes
    return _valid(values["lat"], values["lon"])


def _valid(lat: float, lon: float) -> tuple[float, float] | None:
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    if lat == 0 and lon == 0:
        return None  # a placeholder, as in metadata
    return lat, lon
