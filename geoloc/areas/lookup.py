"""Turns the areas a user reports into shapes, and measures a point against them.

A country or region is found by name in any script or by code, a border as the line two
countries share, and a user's file or a caption's named places are added; ``measure`` then gives
each area's distance from a photo. Distances are measured in an azimuthal equidistant projection
centred on the point, which keeps distances from that point exact on the sphere: "46 km from
Belarus" means 46 km, not 46 km of degrees.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geoloc.areas.boundaries import Boundaries, load
from geoloc.common.geodesy import distance_km
from geoloc.common.text import LEADING_REGION_WORDS, is_region_word, normalise
from geoloc.errors import RegionError
from geoloc.model import Area, Place

log = logging.getLogger(__name__)

BORDER_SNAP_DEG = 0.01
"""Neighbours simplified separately no longer share vertices: edges this close count as shared."""
BORDER_MARGIN_DEG = 0.05
"""The border is sought where the two outlines' boxes overlap, grown by this (~5 km) for the snap."""


def _has_region_word(folded: str) -> bool:
    """True when a name says it is a region: "bryansk oblast", "republic of dagestan"."""
    words = folded.split()
    return bool(words) and (is_region_word(words[-1]) or words[0] in LEADING_REGION_WORDS - {"the", "of"})


def _find(reg: Boundaries, name: str, *, home_country: str | None, countries_only: bool = False) -> int:
    """Index of the country or region called ``name`` (in any script), or raise RegionError."""
    raw = name.strip()
    if not raw:
        raise RegionError("empty region name")
    if raw in reg.by_code and (not countries_only or reg.records[reg.by_code[raw]].kind == "country"):
        return reg.by_code[raw]
    key = normalise(raw)
    hits = reg.named(key)
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


def _border(reg: Boundaries, a: int, b: int) -> Area:
    """The line countries ``a`` and ``b`` share, or RegionError when they share none."""
    ra, rb = reg.records[a], reg.records[b]
    ga, gb = reg.geometries[a], reg.geometries[b]
    ax0, ay0, ax1, ay1 = ga.bounds
    bx0, by0, bx1, by1 = gb.bounds
    m = BORDER_MARGIN_DEG
    rect = (max(ax0, bx0) - m, max(ay0, by0) - m, min(ax1, bx1) + m, min(ay1, by1) + m)
    line: BaseGeometry | None = None
    if rect[0] < rect[2] and rect[1] < rect[3]:
        ca, cb = shapely.clip_by_rect(ga, *rect), shapely.clip_by_rect(gb, *rect)
    else:
        ca = cb = shapely.GeometryCollection()
    if not (ca.is_empty or cb.is_empty):  # an empty clip has no boundary at all
        shared = ca.boundary.intersection(cb.buffer(BORDER_SNAP_DEG, quad_segs=2))
        shared = shapely.line_merge(
            shapely.union_all([g for g in shapely.get_parts(shared) if g.geom_type in ("LineString", "LinearRing")])
        )
        if not shared.is_empty and shared.length > 0:
            line = shared
    if line is None:
        raise RegionError(f"{ra.name} and {rb.name} share no land border")
    return Area(name=f"{ra.name}–{rb.name} border", kind="border", geometry=line, code=f"{ra.code}-{rb.code}")


def _parse_border(reg: Boundaries, spec: str, home_country: str | None) -> tuple[int, int]:
    """The two countries of a border: "BY" (with the photo's country) or "UA-BY"."""
    try:
        other = _find(reg, spec, home_country=None, countries_only=True)
        if not home_country:
            raise RegionError(
                f'border "{spec}": the photo\'s country is unknown; '
                f"name both countries, e.g. XX-{reg.records[other].code}"
            )
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


def _place_index(reg: Boundaries, place: Place, home_country: str | None) -> int | None:
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


def resolve_areas(
    *,
    borders: Sequence[str] = (),
    regions: Sequence[str] = (),
    user_areas: Sequence[Area] = (),
    named: Sequence[Place] = (),
    home_country: str | None = None,
    reported_borders: Sequence[Place] = (),
) -> list[Area]:
    """The reported areas as polygons and lines, in the order given, without duplicates.

    ``borders``: "BY" (the border between ``home_country`` and Belarus) or "UA-BY";
    ``regions``: any country or admin-1 name in any script, or a code ("BY", "RU.10", "RU-BRY");
    ``user_areas``: the areas of the user's files (``load_area_file``, read once per run);
    ``named``: the countries and regions a caption named;
    ``reported_borders``: countries a caption says the photo is near the border with.
    An unknown name the user typed raises RegionError with a one-line message. What a caption
    says never does: a border the estimate's country does not share (the estimate may be wrong,
    or the caption) is reported as the other country itself, with its distance.
    """
    reg = load()
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
        add(reg.area(_find(reg, name, home_country=home_country)))
    for area in user_areas:
        add(area)
    for place in named:
        i = _place_index(reg, place, home_country)
        if i is not None:
            add(reg.area(i))
    for place in reported_borders:
        other = _place_index(reg, place, home_country)
        if other is None:
            continue
        home = reg.by_code.get(home_country or "")
        try:
            if home is None or home == other:
                raise RegionError("no border to draw")
            add(_border(reg, home, other))
        except RegionError:
            add(reg.area(other))
    return out


def measure(area: Area, lat: float, lon: float) -> dict[str, Any]:
    """How far (lat, lon) is from ``area`` and whether it lies inside: one entry of a report's areas."""
    inside = area.kind != "border" and area.geometry.covers(Point(lon, lat))
    d = 0.0 if inside else distance_km(area.geometry, lat, lon)
    return {"name": area.name, "kind": area.kind, "code": area.code, "distance_km": round(d, 1), "inside": bool(inside)}
