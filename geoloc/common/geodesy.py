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
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_KM = 6371.0088

ROAD_FACTOR_MIN = 0.6
"""A road distance d puts the destination at least 0.6 d away in a straight line (winding roads)."""


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
