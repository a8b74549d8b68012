"""Coordinates written in a caption or a post: where its author says the photo was taken.

Open-source investigators publish a geolocation as a pair of numbers ("Geolocated: 48.5921,
37.9940", "48°35'31"N 37°59'38"E", a map link "@48.5921,37.9940"), and armies and the posts
quoting them as an MGRS grid reference ("37U DQ 05842 01947"). Such a pair is a claim, as a
town the caption names is, but to a point. A pair counts only when it cannot be an everyday
number: decimal degrees with at least ``DECIMAL_PLACES`` digits after the point (a geolocation
is given to about 100 m; "2.5, 3.0" is a score or a price), or degrees with a degree sign or a
hemisphere letter, and both within range; a grid reference to ``MGRS_MIN_DIGITS`` digits at least,
whose zone, band and square the ``mgrs`` library (GeoTrans' conversion) accepts.
"""

from __future__ import annotations

import math
import re
import urllib.parse

import mgrs

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
_MGRS_RE = re.compile(
    r"(?<![\w.,])(?P<zone>[1-9]|[1-5]\d|60)\s?(?P<band>[C-HJ-NP-X])\s?(?P<square>[A-HJ-NP-Z]{2})\s?"
    r"(?P<digits>\d{2,5}\s\d{2,5}|\d{4,10})(?![\w.,]*\d)"
)
"""An MGRS grid reference: zone, latitude band, 100 km square, then easting and northing of equal
length, written together or apart ("37U DQ 05842 01947", "37UDQ0584201947"); capitals only, as
it is written, so that ordinary words and numbers are not read as one."""
MGRS_MIN_DIGITS = 4
"""Fewest digits of a grid reference taken as coordinates: four give a 1 km square, as coarse as a
spot a photo shows can be given; two name a 10 km square, no spot."""


_URL_RE = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)
"""A link, up to the space, quote or bracket after it."""
LON_FIRST_MAPS = ("yandex.", "2gis.")
"""Map services whose links write longitude first: Yandex ("?ll=37.994,48.592", "pt=", "whatshere")
and 2GIS ("?m=37.994,48.592/16"). Read as latitude first, such a link near Bakhmut is a point in
Iran; the general reader never reads them."""
LON_FIRST_KEYS = ("pt", "whatshere[point]", "m", "ll")
"""Their parameters giving a point, the placemark first, then the map's middle."""
TILDE_MAPS = ("bing.",)
"""Map services writing latitude and longitude apart by a tilde ("?cp=48.5921~37.9940")."""


def _map_link_pairs(text: str) -> tuple[list[tuple[int, float, float]], list[tuple[int, int]]]:
    """The points of map links that write them otherwise than latitude, comma, longitude, each
    with where it was written; and the links of the services that write longitude first, which
    the general reader must not read."""
    found: list[tuple[int, float, float]] = []
    taken: list[tuple[int, int]] = []
    for m in _URL_RE.finditer(text):
        parts = urllib.parse.urlsplit(m.group(0))
        host = (parts.hostname or "").lower()
        query = {**urllib.parse.parse_qs(parts.fragment), **urllib.parse.parse_qs(parts.query)}
        if _served_by(host, LON_FIRST_MAPS):
            taken.append(m.span())
            value = next((query[k][0] for k in LON_FIRST_KEYS if k in query), "")
            numbers = re.findall(r"-?\d{1,3}(?:\.\d+)?", value)
            pair = _valid(float(numbers[1]), float(numbers[0])) if len(numbers) >= 2 else None
        elif _served_by(host, TILDE_MAPS) and "cp" in query:
            lat, _, lon = query["cp"][0].partition("~")
            try:
                pair = _valid(float(lat), float(lon))
            except ValueError:
                pair = None
        else:
            continue
        if pair is not None:
            found.append((m.start(), *pair))
    return found, taken


def _served_by(host: str, services: tuple[str, ...]) -> bool:
    """Whether a link's host is one of ``services``' ("yandex." for yandex.ru, maps.yandex.ua)."""
    return any(host.startswith(h) or f".{h}" in host for h in services)


def text_coordinates(text: str) -> tuple[tuple[float, float], ...]:
    """The (latitude, longitude) pairs a text gives, in the order written, each once."""
    found, taken = _map_link_pairs(text)  # ``taken``: text a pair was read from, whether in range or not
    for m in _DMS_RE.finditer(text):
        taken.append(m.span())
        pair = _dms_pair(m)
        if pair is not None:
            found.append((m.start(), *pair))
    for m in _MGRS_RE.finditer(text):
        taken.append(m.span())
        pair = _mgrs_pair(m)
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


def _mgrs_pair(m: re.Match[str]) -> tuple[float, float] | None:
    """A grid reference's position: the middle of the square its digits give (the library gives
    its south-west corner), or None when its parts do not make a square on Earth."""
    digits = m.group("digits").split()
    if len(digits) == 1:
        half = len(digits[0]) // 2
        digits = [digits[0][:half], digits[0][half:]]
    easting, northing = digits
    if len(easting) != len(northing) or len(easting) + len(northing) < MGRS_MIN_DIGITS:
        return None
    if len(easting) < MGRS_MAX_PRECISION:  # one more digit, 5, is the middle of the square
        easting, northing = easting + "5", northing + "5"
    reference = f"{int(m.group('zone')):02d}{m.group('band')}{m.group('square')}{easting}{northing}"
    try:
        lat, lon = mgrs.MGRS().toLatLon(reference)
    except (mgrs.core.MGRSError, ValueError):
        return None
    return _valid(lat, lon)


MGRS_MAX_PRECISION = 5
"""Digits of an easting at 1 m, the finest a grid reference gives: its corner is its middle."""


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
