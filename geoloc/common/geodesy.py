"""Distances on the Earth for evidence at the scale of a region (a few hundred km).

A local equirectangular projection about a reference latitude keeps errors under 1% within
~300 km of its centre, which is all a grid over road-sign rings needs, and avoids a projection
library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_KM = 6371.0088

KM_PER_MILE = 1.609344
"""The international mile, in which some countries sign road distances and English captions give them."""
ROAD_FACTOR_MIN = 0.6
"""A road distance d puts the destination at least 0.6 d away in a straight line (winding roads)."""
BUFFER_PIECE_DEG = 5.0
"""A shape is buffered in pieces at most this many degrees across, each in a projection centred on
it: a piece's corners are then under ~400 km from its centre, where that projection stretches
distances across by under 0.2%, so a band along a whole continent keeps its width everywhere."""
POLAR_LIMIT_DEG = 85.0
"""Buffers are built up to this latitude: a web map ends at 85.05°, and past the pole a projection
about a piece would wrap its longitudes round (see ``MAX_BUFFER_KM``)."""
MAX_BUFFER_KM = 500.0
"""The widest buffer: from ``POLAR_LIMIT_DEG`` it stays short of the pole (555 km away), so no
piece wraps round it; a band wider than this says nothing about a border anyway."""
SIMPLIFY_RUN = 500
"""Lines and rings are simplified in runs of at most this many vertices. Douglas-Peucker takes time
quadratic in a run's length on a comb-like outline (12 s for one of 100,000 vertices) and is
linear in the number of runs; keeping every run's ends costs nothing visible at this length."""
BUFFER_RUN = 8
"""Lines are grown in runs of at most this many vertices, merged pairwise afterwards: growing a
long wiggly line at once crosses every tooth's offset with every other's (a 50,000-tooth comb
runs out of memory), a short run's only with its own. Real outlines grow as fast in long runs."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_array(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Great-circle distances in km from arrays of points to one point."""
    p1, p2 = np.radians(lat), math.radians(lat0)
    dp, dl = p2 - p1, np.radians(lon0 - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular km coordinates about (lat0, lon0): x east, y north."""

    lat0: float
    lon0: float

    @property
    def _kx(self) -> float:
        return math.radians(1) * EARTH_RADIUS_KM * math.cos(math.radians(self.lat0))

    @property
    def _ky(self) -> float:
        return math.radians(1) * EARTH_RADIUS_KM

    def to_km(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.lon0) * self._kx, (lat - self.lat0) * self._ky

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return self.lon0 + x / self._kx, self.lat0 + y / self._ky


# Azimuthal equidistant projection about a point: distances from that point are exact on the
# sphere, so "46 km from Belarus" means 46 km. Used for distances to areas, bands and rings.


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
    """Longitudes come out within 180° of ``lon0``, beyond ±180° if need be (see ``from_km``)."""
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
        return np.column_stack([np.degrees(lam), np.degrees(phi)])

    return f


def offset_km(lat: float, lon: float, km: float, bearing_deg: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) towards ``bearing_deg`` (clockwise from north), as (lat, lon)."""
    b = math.radians(bearing_deg)
    ((lon2, lat2),) = _aeqd_inverse(lat, lon)(np.array([[km * math.sin(b), km * math.cos(b)]]))
    return float(lat2), float((lon2 + 180.0) % 360.0 - 180.0)


def to_km(geom: BaseGeometry, lat0: float, lon0: float) -> BaseGeometry:
    """Project a lon/lat geometry to km about (lat0, lon0); distances from that point are exact."""
    return shapely.transform(geom, _aeqd_forward(lat0, lon0))


def from_km(geom: BaseGeometry, lat0: float, lon0: float) -> BaseGeometry:
    """Inverse of ``to_km``, with longitudes in [-180, 180]: a shape across the 180th meridian
    comes back as its parts on either side (see ``wrap_longitudes``)."""
    return wrap_longitudes(shapely.transform(geom, _aeqd_inverse(lat0, lon0)))


def wrap_longitudes(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` with longitudes past ±180° brought back round the globe.

    Points are simply moved. A line or polygon is cut at the meridian and each side moved whole:
    moving its vertices one by one would join Fiji's two halves by an edge across the world,
    which crosses the rest of the shape (the invalid polygon GEOS then refuses to subtract).
    """
    west, _, east, _ = geom.bounds
    if geom.is_empty or (west >= -180.0 and east <= 180.0):
        return geom
    if shapely.get_dimensions(geom) == 0:
        return shapely.transform(geom, lambda c: np.column_stack([(c[:, 0] + 180.0) % 360.0 - 180.0, c[:, 1]]))
    sides = []
    for shift in (-360.0, 0.0, 360.0):
        side = shapely.intersection(geom, box(-180.0 - shift, -90.0, 180.0 - shift, 90.0))
        if not side.is_empty:
            sides.append(shapely.transform(side, lambda c, s=shift: c + (s, 0.0)))
    return shapely.union_all(sides)


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


def simple_parts(geom: BaseGeometry) -> np.ndarray:
    """The points, lines and polygons that make up ``geom``, out of any multi-part or collection."""
    parts = shapely.get_parts(geom)
    while (nested := shapely.get_type_id(parts) >= 4).any():  # multi-parts and collections
        parts = np.concatenate([parts[~nested], shapely.get_parts(parts[nested])])
    return parts


def _numbered(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2... for the runs of equal values in ``keys``, which come grouped (as ``indices`` wants)."""
    return np.cumsum(np.r_[True, keys[1:] != keys[:-1]]) - 1 if len(keys) else keys


def _runs(paths: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``paths`` (lines or rings) cut into lines of at most ``size`` vertices, and the path of each.

    Consecutive runs share their joining vertex, so they cover the path with nothing left out.
    """
    coords, which = shapely.get_coordinates(paths, return_index=True)
    counts = np.bincount(which, minlength=len(paths))
    pos = np.arange(len(coords)) - (np.cumsum(counts) - counts)[which]
    last = counts[which] - 1
    step = size - 1
    run = pos // step
    joint = (pos % step == 0) & (pos > 0)  # ends one run and, unless it ends the path, starts the next
    run = np.where(joint & (pos == last), run - 1, run)
    again = joint & (pos < last)
    order = np.repeat(np.arange(len(coords)), 1 + again)  # a joint twice: end of one run, start of the next
    second = np.r_[False, order[1:] == order[:-1]]
    run = run[order] - (again[order] & ~second)
    which = which[order]
    index = _numbered(which * (len(coords) + 1) + run)
    firsts = np.r_[True, index[1:] != index[:-1]]
    return shapely.linestrings(coords[order], indices=index), which[firsts]


def _simplified_paths(paths: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """The vertices (and the path of each) of ``paths`` simplified run by run (``SIMPLIFY_RUN``)."""
    runs, path = _runs(paths, SIMPLIFY_RUN)
    coords, run = shapely.get_coordinates(shapely.simplify(runs, tolerance, preserve_topology=False), return_index=True)
    opens_path = np.r_[True, path[1:] != path[:-1]]
    first = np.r_[True, run[1:] != run[:-1]]
    keep = ~first | opens_path[run]  # a run's first vertex is the one before it ended on
    return coords[keep], path[run[keep]]


def simplify_in_runs(geom: BaseGeometry, tolerance: float) -> BaseGeometry:
    """``geom`` simplified to ``tolerance`` (Douglas-Peucker) in bounded time, for drawing and buffering.

    Lines and rings are simplified in runs of ``SIMPLIFY_RUN`` vertices, so no outline, however
    made, takes more than linear time; rings that shrink to a line and polygons whose outer ring
    does are dropped, as Douglas-Peucker drops them. Like it, the result may cross itself where
    two edges lie closer than ``tolerance``: it is for the eye and for buffers, not for measuring.
    """
    parts = simple_parts(geom)
    kinds = shapely.get_type_id(parts)
    out = [parts[kinds == 0]]
    lines = parts[(kinds == 1) | (kinds == 2)]
    if len(lines):
        coords, path = _simplified_paths(lines, tolerance)
        counts = np.bincount(path, minlength=len(lines))
        whole = counts[path] >= 2
        out.append(shapely.linestrings(coords[whole], indices=_numbered(path[whole])))
    polygons = parts[kinds == 3]
    if len(polygons):
        rings, owner = shapely.get_rings(polygons, return_index=True)
        coords, path = _simplified_paths(rings, tolerance)
        whole_ring = np.bincount(path, minlength=len(rings)) >= 4
        shell = np.r_[True, owner[1:] != owner[:-1]]
        has_shell = np.zeros(len(polygons), bool)
        has_shell[owner[shell & whole_ring]] = True
        kept = whole_ring & has_shell[owner]
        keep = kept[path]
        if keep.any():
            rings = shapely.linearrings(coords[keep], indices=_numbered(path[keep]))
            out.append(shapely.polygons(rings, indices=_numbered(owner[kept])))
    kept_parts = np.concatenate(out)
    dims = set(shapely.get_dimensions(kept_parts).tolist())
    if dims == {2}:
        return shapely.multipolygons(kept_parts)
    if dims == {1}:
        return shapely.multilinestrings(kept_parts)
    return shapely.geometrycollections(kept_parts)


def _pieces(geom: BaseGeometry, size_deg: float) -> list[BaseGeometry]:
    """``geom`` cut in halves, then halves of halves, until each piece is ``size_deg`` across.

    Halving keeps the work to one pass over the vertices per level, where cutting a fixed grid
    would pass over the whole shape once per cell.
    """
    out, todo = [], [geom]
    while todo:
        g = todo.pop()
        if g.is_empty:
            continue
        x0, y0, x1, y1 = g.bounds
        if x1 - x0 <= size_deg and y1 - y0 <= size_deg:
            out.append(g)
        elif x1 - x0 >= y1 - y0:
            xm = (x0 + x1) / 2
            todo += [shapely.clip_by_rect(g, x0, y0, xm, y1), shapely.clip_by_rect(g, xm, y0, x1, y1)]
        else:
            ym = (y0 + y1) / 2
            todo += [shapely.clip_by_rect(g, x0, y0, x1, ym), shapely.clip_by_rect(g, x0, ym, x1, y1)]
    return out


def buffer_km(geom: BaseGeometry, km: float) -> BaseGeometry:
    """``geom`` grown by ``km`` on the sphere, as a valid lon/lat shape (for bands along borders).

    Each piece of ``BUFFER_PIECE_DEG`` is grown in a projection centred on it, so the width holds
    along a whole country, and a band across the 180th meridian comes back as its two sides.
    Points, polygons and runs of ``BUFFER_RUN`` vertices of each line are grown one by one and
    merged pairwise (``union_all``), which bounds the work for any outline. Only what lies within
    ``POLAR_LIMIT_DEG`` of the equator is grown; ``km`` above ``MAX_BUFFER_KM`` is a ValueError.
    """
    if not 0 < km <= MAX_BUFFER_KM:
        raise ValueError(f"a buffer of {km:g} km (at most {MAX_BUFFER_KM:g} km can be drawn)")
    grown = []
    for piece in _pieces(
        shapely.clip_by_rect(geom, -180.0, -POLAR_LIMIT_DEG, 180.0, POLAR_LIMIT_DEG), BUFFER_PIECE_DEG
    ):
        x0, y0, x1, y1 = piece.bounds
        lat0, lon0 = (y0 + y1) / 2, (x0 + x1) / 2
        parts = simple_parts(to_km(piece, lat0, lon0))
        lines = np.isin(shapely.get_type_id(parts), (1, 2))
        if lines.any():
            parts = np.concatenate([parts[~lines], _runs(parts[lines], BUFFER_RUN)[0]])
        grown.append(from_km(shapely.union_all(shapely.buffer(parts, km, quad_segs=8)), lat0, lon0))
    return shapely.union_all(grown)


def annulus(lat: float, lon: float, inner_km: float, outer_km: float) -> BaseGeometry:
    """The band between two distances from a point, as a lon/lat polygon with a hole."""
    ring = Point(0, 0).buffer(outer_km, quad_segs=32)
    if inner_km > 0:
        ring = ring.difference(Point(0, 0).buffer(inner_km, quad_segs=32))
    return from_km(ring, lat, lon)
