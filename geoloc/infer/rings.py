"""Where distance signs put the camera: rings around their destinations, and the region where they meet.

A road distance d puts the camera between ``ROAD_FACTOR_MIN`` d and about d from the destination
in a straight line; the destinations of one sign share one road factor and lie ahead in about one
direction. The likelihood over a grid gives the posterior mean and a 90% region.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

from geoloc.common.geodesy import ROAD_FACTOR_MIN, LocalProjection, haversine_km_array
from geoloc.model import Place

ROAD_FACTOR = (ROAD_FACTOR_MIN, 0.83, 1.02)
"""Straight-line / road distance: lowest plausible, most likely, highest (with reading slack)."""

FACTOR_SIGMA = 0.12
"""How loosely the common road factor of one sign is known about its mode."""
RATIO_SIGMA = 0.05
"""How closely the road factors of one sign's destinations agree (one road network)."""
IMPOSSIBLE_PENALTY = 50.0
"""Log-likelihood lost where some ring's factor is outside the plausible range."""
DIRECTION_PENALTY_CAP = 3.0
"""Most log-likelihood lost for two destinations of one panel pointing apart (arrows may)."""
OUTSIDE_HOME_PENALTY = 3.0
"""Log-likelihood lost outside the country whose alphabet the sign uses."""
REGION_LOGLIK_DROP = 2.3
"""Drop from the best log-likelihood that bounds the region: ~90% of a 2-D Gaussian's mass."""
MIN_RADIUS_KM = 3.0
"""Smallest region radius reported: below it the grid and the road factor are not exact."""


class Ring(NamedTuple):
    """A destination read on a sign with its road distance; ``sign`` groups one panel's lines."""

    place: Place
    road_km: float
    sign: int = 0


SAME_DIRECTION_DEG = 45.0
"""A direction sign without arrows lists places along the road ahead: seen from the camera, its
destinations lie within about this angle of each other."""


def _bearings_deg(lat: np.ndarray, lon: np.ndarray, place: Place) -> np.ndarray:
    dx = (place.lon - lon) * np.cos(np.radians(lat))
    return np.degrees(np.arctan2(dx, place.lat - lat))


def _ring_loglik(lat: np.ndarray, lon: np.ndarray, rings: Sequence[Ring]) -> np.ndarray:
    """Log-likelihood of camera positions given the rings read on signs.

    The destinations of one sign are reached by the same road network, so their straight-line /
    road ratios share one factor: the ratios must agree with each other closely (sigma 0.05),
    while the common factor itself is only loosely known (mode 0.83, sigma 0.12). And the places
    on one panel lie ahead, in about the same direction. Together these turn two nearly
    concentric rings into a point rather than a long arc.
    """
    lo, mode, hi = ROAD_FACTOR
    ratios = np.stack([haversine_km_array(lat, lon, r.place.lat, r.place.lon) / r.road_km for r in rings])
    common = ratios.mean(axis=0)
    total = -0.5 * ((common - mode) / FACTOR_SIGMA) ** 2
    total -= 0.5 * (((ratios - common) / RATIO_SIGMA) ** 2).sum(axis=0)
    total -= IMPOSSIBLE_PENALTY * ((ratios < lo - 0.1) | (ratios > hi + 0.05)).any(axis=0)
    for sign in {r.sign for r in rings}:
        panel = [r for r in rings if r.sign == sign]
        for a, b in itertools.combinations(panel, 2):
            diff = np.abs((_bearings_deg(lat, lon, a.place) - _bearings_deg(lat, lon, b.place) + 180) % 360 - 180)
            # soft and capped: a sign with arrows may point both ways, and rings still rule
            total -= np.minimum(DIRECTION_PENALTY_CAP, 0.5 * (np.maximum(0.0, diff - SAME_DIRECTION_DEG) / 30.0) ** 2)
    return total


def _grid(rings: Sequence[Ring], steps: int = 121) -> tuple[np.ndarray, np.ndarray]:
    """A lat/lon grid over the box where all rings may meet."""
    proj = LocalProjection(float(np.mean([r.place.lat for r in rings])), float(np.mean([r.place.lon for r in rings])))
    xs0, ys0, xs1, ys1 = [], [], [], []
    for r in rings:
        x, y = proj.to_km(r.place.lon, r.place.lat)
        reach = r.road_km * ROAD_FACTOR[2]
        xs0.append(x - reach), ys0.append(y - reach), xs1.append(x + reach), ys1.append(y + reach)
    x0, y0, x1, y1 = max(xs0), max(ys0), min(xs1), min(ys1)
    if x0 >= x1 or y0 >= y1:  # the rings' boxes do not even overlap
        x0, y0, x1, y1 = min(xs0), min(ys0), max(xs1), max(ys1)
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    lon, lat = proj.to_lonlat(gx, gy)
    return lat.ravel(), lon.ravel()


@dataclass
class RingFit:
    loglik: float
    lat: float
    lon: float
    radius_km: float
    polygon: tuple[tuple[float, float], ...]


def fit_rings(rings: Sequence[Ring], home: BaseGeometry | None) -> RingFit:
    """Most likely camera position on the rings, and the radius of the region that holds it."""
    lat, lon = _grid(rings)
    ll = _ring_loglik(lat, lon, rings)
    if home is not None:  # a sign stands in the country whose alphabet it uses
        ll = ll + np.where(shapely.contains_xy(home, lon, lat), 0.0, -OUTSIDE_HOME_PENALTY)
    best = float(ll.max())
    inside = ll >= best - REGION_LOGLIK_DROP
    # The posterior mean, not the peak: two rings meet in two mirror-image places (and the
    # destinations of one road are nearly collinear, so more rings keep the mirror), and the
    # mean of both lies on the road's line, nearer the truth than the wrong mirror.
    w = np.exp(ll[inside] - best)
    clat, clon = float(np.average(lat[inside], weights=w)), float(np.average(lon[inside], weights=w))
    dist = haversine_km_array(lat[inside], lon[inside], clat, clon)
    radius = max(MIN_RADIUS_KM, float(np.percentile(dist, 90)) if dist.size else MIN_RADIUS_KM)
    pts = MultiPoint(list(zip(lon[inside], lat[inside], strict=True)))
    hull = pts.convex_hull
    polygon = tuple(hull.exterior.coords) if hull.geom_type == "Polygon" else ()
    return RingFit(best, clat, clon, radius, polygon)


def ring_consistency(rings: Sequence[Ring]) -> float:
    """Best log-likelihood of any camera position for these rings (on a coarse grid)."""
    lat, lon = _grid(rings, steps=41)
    return float(np.max(_ring_loglik(lat, lon, rings)))
