"""Where distance signs put the camera: rings around their destinations, and the region where they meet.

A road distance d puts the camera between ``ROAD_FACTOR_MIN`` d and about d from the destination
in a straight line; the destinations of one sign share one road factor; arrows say in which
directions they lie, and without arrows they may lie along one road. The likelihood over a grid
gives a 90% region; where that region falls apart into separated pieces (two rings meet in two
mirror-image places) each piece is a mode with its own probability, centre and radius, and no
centre is ever drawn between two of them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

from geoloc.common.geodesy import KM_PER_MILE, ROAD_FACTOR_MIN, LocalProjection, haversine_km, haversine_km_array
from geoloc.model import ARROW_DEG, Arrow, DistanceUnit, Mention, Place

ROAD_FACTOR = (ROAD_FACTOR_MIN, 0.77, 1.02)
"""Straight-line / road distance: lowest plausible, most likely (roads 1.3 times the straight line:
measured road networks detour 1.34 on average between European city centres), highest (with
reading slack)."""

FACTOR_SIGMA = 0.12
"""How loosely the common road factor of one sign is known about its mode."""
RATIO_SIGMA = 0.05
"""How closely the road factors of one sign's destinations agree (one road network)."""
IMPOSSIBLE_PENALTY = 50.0
"""Log-likelihood lost where some ring's factor is outside the plausible range."""
OUTSIDE_HOME_PENALTY = 3.0
"""Log-likelihood lost outside the country whose alphabet the sign uses."""
DESTINATIONS_ABROAD_PENALTY = 1.0
"""Log-likelihood lost outside the one country all of a sign's destinations lie in, when nothing
else says where the sign stands: signs name their own country's towns, and those near a border
also the towns across it, so a place across the border keeps about a third of its weight."""
REGION_MASS = 0.9
"""Share of the grid's probability the region holds: the smallest set of cells with this mass."""
MIN_MODE_PROBABILITY = 0.1
"""A separated piece of the region with less probability than this is no alternative worth naming."""
MIN_RADIUS_KM = 3.0
"""Smallest region radius reported: below it the grid and the road factor are not exact."""


MILE_COUNTRIES = frozenset(
    {"US", "AS", "GU", "MP", "VI", "UM", "GB", "IM", "JE", "GG", "AI", "VG", "KY", "FK", "MS", "TC", "SH"}
    | {"BS", "BZ", "AG", "DM", "GD", "KN", "LC", "VC", "WS"}
)
"""Countries whose road signs give distances in miles, without a unit written ("Oxford 12"): the
United States and its territories (Puerto Rico signs in km), the United Kingdom, its Crown
dependencies and overseas territories that sign in miles, and the Caribbean and Pacific states
whose speed limits are in mph. Liberia and Myanmar sign in both and are left to km: a number read
in the wrong unit there is a ring 1.6 times off, which no estimate should rest on."""


def sign_unit(written: DistanceUnit | None, place: Place) -> DistanceUnit:
    """The unit of a sign's distance to ``place``: the one written beside it ("56 km", "12 mi"),
    else the one the place's country signs in."""
    return written or ("mi" if place.country_code in MILE_COUNTRIES else "km")


UNIT_ABROAD_ODDS = 0.05
"""Odds of a place whose country signs distances in another unit than the one written beside the
number ("22km" beside Jaffrey, New Hampshire, where signs give miles): such signs exist
(Interstate 19 in Arizona signs km) but are rare, one in twenty at most."""


def unit_abroad(written: DistanceUnit | None, place: Place) -> bool:
    """Whether a sign's written unit is not the one ``place``'s country signs in."""
    return written is not None and written != sign_unit(None, place)


def mention_km(mention: Mention, place: Place) -> float | None:
    """The road km of a mention's distance to ``place``, or None when it has none. A British
    "Oxford 12" is 19 km by road; read as 12 km, its ring would miss every camera more than 12 km
    from Oxford."""
    ring = mention_ring(mention, place)
    return ring.road_km if ring else None


def mention_ring(mention: Mention, place: Place) -> Ring | None:
    """The ring a mention's distance draws about ``place``, or None when it has none."""
    if not mention.distance_km:
        return None
    unit = sign_unit(mention.distance_unit, place)
    km = mention.distance_km * KM_PER_MILE if unit == "mi" else mention.distance_km
    return Ring(place, km, mention.region or 0, mention.arrow, unit)


class Ring(NamedTuple):
    """A destination read on a sign with its road distance in km; ``sign`` groups one panel's
    lines, ``arrow`` is the arrow drawn beside it on a junction sign, when one was read, and
    ``unit`` the unit the sign gave the distance in."""

    place: Place
    road_km: float
    sign: int = 0
    arrow: Arrow | None = None
    unit: DistanceUnit = "km"

    @property
    def as_signed(self) -> str:
        """The distance as the sign gives it: "12 mi", "56 km"."""
        if self.unit == "mi":
            return f"{round(self.road_km / KM_PER_MILE, 1):g} mi"
        return f"{self.road_km:g} km"


ARROW_SECTOR_DEG = 45.0
"""How far either side of where an arrow points its destination may lie (bearings relative to the
unknown heading): a sign draws only five arrows, so each stands for a 90-degree sector, and a
sideways arrow for everything from the diagonal back to behind (a road that turns off and bends)."""
ARROW_RAMP_DEG = 15.0
"""Degrees outside the arrows' sectors over which the arrow penalty grows to its full size: the
straight-line bearing of a town and its road's first direction differ by a little."""
ARROW_PENALTY = 3.0
"""Log-likelihood lost where the arrows of one sign cannot all be true for any heading (about 95%
of a mirror place's probability): an arrow may be misread (2 of 60 rows on generated junction
signs), so the place they rule out keeps a little."""
HEADING_STEP_DEG = 5.0
"""Step of the headings tried: the arrows' sectors are 90 degrees wide, so 5 degrees loses little."""


def _bearings_deg(lat: np.ndarray, lon: np.ndarray, lat2: float, lon2: float) -> np.ndarray:
    """Initial great-circle bearing from each (lat, lon) to (lat2, lon2), degrees clockwise from north."""
    p1, p2, dl = np.radians(lat), math.radians(lat2), np.radians(lon2 - lon)
    y = np.sin(dl) * math.cos(p2)
    x = np.cos(p1) * math.sin(p2) - np.sin(p1) * math.cos(p2) * np.cos(dl)
    return np.degrees(np.arctan2(y, x))


def _sector(arrow: Arrow) -> tuple[float, float]:
    """Relative bearings (clockwise from ahead) an arrow stands for: its sector, and to behind for
    a sideways arrow."""
    a = ARROW_DEG[arrow]
    lo, hi = a - ARROW_SECTOR_DEG, a + ARROW_SECTOR_DEG
    return (lo, 180.0) if a >= 90.0 else (-180.0, hi) if a <= -90.0 else (lo, hi)


def _arrow_loglik(lat: np.ndarray, lon: np.ndarray, rings: Sequence[Ring]) -> np.ndarray:
    """Log-likelihood of camera positions given the arrows drawn beside one sign's destinations.

    Two rings meet in two mirror-image places, and there the left/right order of the destinations
    flips: the arrows say which place it is. The camera's heading is not known, so a place is
    fine when some heading puts every destination of a sign within its arrow's sector; the
    penalty grows with how far the best heading still leaves one outside. One arrow alone says
    nothing (any heading fits it), and a sign without arrows assumes nothing about directions.
    """
    total = np.zeros(lat.shape)
    signs: dict[int, list[tuple[Place, Arrow]]] = {}
    for r in rings:
        if r.arrow is not None:
            signs.setdefault(r.sign, []).append((r.place, r.arrow))
    headings = np.arange(0.0, 360.0, HEADING_STEP_DEG)[:, None]
    for rows in (rows for rows in signs.values() if len(rows) >= 2):
        worst = np.zeros((headings.shape[0], lat.size))  # per heading, the largest miss of any row
        for place, arrow in rows:
            lo, hi = _sector(arrow)
            rel = (_bearings_deg(lat, lon, place.lat, place.lon)[None, :] - headings + 180.0) % 360.0 - 180.0
            worst = np.maximum(worst, np.maximum(lo - rel, rel - hi).clip(min=0.0))
        total -= ARROW_PENALTY * np.minimum(1.0, worst.min(axis=0) / ARROW_RAMP_DEG)
    return total


ONE_ROAD_SHARE = 0.5
"""Prior share of signs without arrows whose destinations lie along one road ahead (a distance
sign) rather than anywhere (a junction sign whose arrows were not read): nothing in the text
says which, so neither is favoured."""
ONE_ROAD_SPREAD_DEG = 120.0
"""Widest arc of bearings from the camera that holds a distance sign's destinations: the towns
along one road ahead, which winds, lie within about 60 degrees either side of where it leads."""
ONE_ROAD_RAMP_DEG = 20.0
"""Degrees beyond ``ONE_ROAD_SPREAD_DEG`` over which the one-road reading fades out."""


def _one_road_loglik(lat: np.ndarray, lon: np.ndarray, rings: Sequence[Ring]) -> np.ndarray:
    """Log-likelihood of camera positions given that a sign without arrows may list one road's towns.

    A sign listing "Лесной 413 / Кирс 458 / Омутнинск 523" without arrows is most often a
    distance sign: its towns lie ahead along one road, within ``ONE_ROAD_SPREAD_DEG`` of each
    other seen from the camera. It may also be a junction sign whose arrows were not read, with
    its towns anywhere. The mixture of the two (``ONE_ROAD_SHARE``) favours positions from which
    the towns lie one way, by the chance of that happening with towns anywhere, and rules none
    out: the Lesnoy in the Urals fits the rings, but from there it lies opposite Kirs.
    """
    total = np.zeros(lat.shape)
    signs: dict[int, list[Place]] = {}
    arrowed = {r.sign for r in rings if r.arrow is not None}
    for r in rings:
        if r.sign not in arrowed:
            signs.setdefault(r.sign, []).append(r.place)
    # Bearings in a plane about the first destination (a few degrees off at 500 km, well inside
    # the ramp): the choice among namesakes evaluates this for thousands of sets of places.
    groups = [places for places in signs.values() if len(places) >= 2]
    if not groups:
        return total
    plane = LocalProjection(groups[0][0].lat, groups[0][0].lon)
    x, y = plane.to_km(lon, lat)
    for places in groups:
        towns = [plane.to_km(p.lon, p.lat) for p in places]
        bearings = np.sort(np.stack([np.degrees(np.arctan2(tx - x, ty - y)) for tx, ty in towns]) % 360.0, axis=0)
        gaps = np.concatenate([np.diff(bearings, axis=0), (bearings[:1] + 360.0 - bearings[-1:])], axis=0)
        spread = 360.0 - gaps.max(axis=0)  # the narrowest arc holding every destination
        along = 1.0 - ((spread - ONE_ROAD_SPREAD_DEG) / ONE_ROAD_RAMP_DEG).clip(0.0, 1.0)
        width = ONE_ROAD_SPREAD_DEG + ONE_ROAD_RAMP_DEG / 2
        chance = len(places) * (width / 360.0) ** (len(places) - 1)  # towns anywhere lying within it
        total += np.log(ONE_ROAD_SHARE * along / chance + (1.0 - ONE_ROAD_SHARE))
    return total


def _ring_loglik(lat: np.ndarray, lon: np.ndarray, rings: Sequence[Ring]) -> np.ndarray:
    """Log-likelihood of camera positions given the rings read on signs.

    The destinations of one sign are reached by the same road network, so their straight-line /
    road ratios share one factor: the ratios must agree with each other closely (sigma 0.05),
    while the common factor itself is only loosely known (mode 0.77, sigma 0.12). Together these
    turn two nearly concentric rings into a point rather than a long arc. Where the destinations
    lie is left to ``_arrow_loglik`` and ``_one_road_loglik``: a distance sign lists places along
    the road ahead, but a junction sign's arrows point them in different directions, and assuming
    one direction outright put the camera in the wrong one of two mirror-image places on junction
    signs (benchmarks/locate_scenes.py).
    """
    lo, mode, hi = ROAD_FACTOR
    ratios = np.stack([haversine_km_array(lat, lon, r.place.lat, r.place.lon) / r.road_km for r in rings])
    common = ratios.mean(axis=0)
    total = -0.5 * ((common - mode) / FACTOR_SIGMA) ** 2
    total -= 0.5 * (((ratios - common) / RATIO_SIGMA) ** 2).sum(axis=0)
    total -= IMPOSSIBLE_PENALTY * ((ratios < lo - 0.1) | (ratios > hi + 0.05)).any(axis=0)
    return total


GRID_STEPS = 121
"""Cells along each side of the grid: ~2 km cells for a 250 km box, ~15k likelihood evaluations."""


def _grid(rings: Sequence[Ring], steps: int = GRID_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """A lat/lon grid over the box where all rings may meet, row by row (``steps`` x ``steps``)."""
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


@dataclass(frozen=True)
class Mode:
    """One separated piece of the region: its centre, the radius holding all of its cells, and the
    probability that the camera lies in it."""

    lat: float
    lon: float
    radius_km: float
    probability: float
    polygon: tuple[tuple[float, float], ...]  # (lon, lat) convex hull of its cells, or ()


@dataclass(frozen=True)
class RingFit:
    """Where the rings meet: the best log-likelihood, and the modes, most probable first.

    ``modes[0]`` is the estimate; the others hold at least ``MIN_MODE_PROBABILITY`` each.
    """

    loglik: float
    modes: tuple[Mode, ...]


SADDLE_SHARE = 0.5
"""Two mirror places joined across the line through their destinations are cut apart where the
likelihood on that line is below this share of the peak on either side: a valley between two
places, not one place that the line runs through."""
OFF_MODE_CELLS = 1.5
"""A weighted mean farther than this many grid cells from every cell of its mode lies off it."""


def _mode(lat: np.ndarray, lon: np.ndarray, w: np.ndarray, probability: float, cell_km: float) -> Mode:
    """The centre and radius of one mode's cells, weighted by likelihood ``w``.

    The weighted mean of a crescent can fall off the crescent; then the mode's own cell nearest
    that mean is the centre, so a centre always lies where the camera can be. The radius reaches
    the mode's farthest cell: a long arc of nearly concentric rings gets a circle that holds it,
    not one that holds most of its cells and misses the camera at its end.
    """
    clat, clon = float(np.average(lat, weights=w)), float(np.average(lon, weights=w))
    dist = haversine_km_array(lat, lon, clat, clon)
    if dist.min() > OFF_MODE_CELLS * cell_km:
        k = int(np.argmin(dist))
        clat, clon = float(lat[k]), float(lon[k])
        dist = haversine_km_array(lat, lon, clat, clon)
    radius = max(MIN_RADIUS_KM, float(dist.max()))
    hull = MultiPoint(list(zip(lon, lat, strict=True))).convex_hull
    polygon = tuple(hull.exterior.coords) if hull.geom_type == "Polygon" else ()
    return Mode(clat, clon, radius, probability, polygon)


def fit_rings(rings: Sequence[Ring], home: BaseGeometry | None, penalty: float = OUTSIDE_HOME_PENALTY) -> RingFit:
    """The separated regions where the camera can be on the rings, each with its probability.

    The likelihood is normalised over the grid (its cells have equal area); the region is the
    smallest set of cells holding ``REGION_MASS`` of it, and each connected piece of the region
    (8-neighbour) is one mode. Two rings meet in two mirror-image places: the two are reported
    apart, each with its share, never averaged into a point between them where the camera cannot be.
    """
    lat, lon = _grid(rings)
    ll = _ring_loglik(lat, lon, rings) + _arrow_loglik(lat, lon, rings) + _one_road_loglik(lat, lon, rings)
    if home is not None:  # a sign stands in the country whose alphabet it uses
        ll = ll + np.where(shapely.contains_xy(home, lon, lat), 0.0, -penalty)
    best = float(ll.max())
    w = np.exp(ll - best)
    p = w / w.sum()
    order = np.argsort(-p)
    keep = order[: int(np.searchsorted(np.cumsum(p[order]), REGION_MASS)) + 1]
    inside = np.zeros(p.size, dtype=np.uint8)
    inside[keep] = 1
    cell_km = haversine_km(float(lat[0]), float(lon[0]), float(lat[1]), float(lon[1]))  # one grid step
    count, labels = _pieces(inside, lat, lon, w, rings, cell_km)
    mass = np.bincount(labels, weights=p * inside, minlength=count)  # label 0 is outside the region
    ranked = [int(k) for k in np.argsort(-mass) if k != 0]
    ranked = ranked[:1] + [k for k in ranked[1:] if mass[k] >= MIN_MODE_PROBABILITY]
    modes = tuple(_mode(lat[labels == k], lon[labels == k], w[labels == k], float(mass[k]), cell_km) for k in ranked)
    return RingFit(best, modes)


def _pieces(
    inside: np.ndarray, lat: np.ndarray, lon: np.ndarray, w: np.ndarray, rings: Sequence[Ring], cell_km: float
) -> tuple[int, np.ndarray]:
    """The region's separated pieces: connected cells, and two mirror places cut apart along the line
    through their two destinations.

    Two rings meet in two places mirrored in that line. Where roads may wind, the two places can
    grow into one crescent across it, whose centre lies between them, where the camera cannot
    be. Where the likelihood on the line falls below ``SADDLE_SHARE`` of each side's peak, the
    piece is cut there and each side is a place of its own. A piece as likely on the line as off
    it (the camera nearly in a row with the two places) is one place, and stays whole.
    """
    count, labels = cv2.connectedComponents(inside.reshape(GRID_STEPS, GRID_STEPS), connectivity=8)
    labels = labels.ravel()
    places = list({r.place.geonameid: r.place for r in rings}.values())
    if len(places) != 2:
        return count, labels
    a, b = places
    plane = LocalProjection(a.lat, a.lon)
    bx, by = plane.to_km(b.lon, b.lat)
    x, y = plane.to_km(lon, lat)
    side = bx * y - by * x
    left, on_line = side > 0.0, np.abs(side) / math.hypot(bx, by) <= cell_km
    cut = False
    for k in range(1, count):
        cells = labels == k
        peaks = [float(w[cells & half].max(initial=0.0)) for half in (left, ~left)]
        saddle = float(w[cells & on_line].max(initial=0.0))
        if min(peaks) > 0.0 and saddle < SADDLE_SHARE * min(peaks):
            labels[cells & left] = count + k  # a label of its own, made consecutive below
            cut = True
    if not cut:
        return count, labels
    # Each side of a cut may fall into pieces of its own: label every label's pieces afresh.
    pieces, total = np.zeros_like(labels), 1
    for k in np.unique(labels[labels > 0]):
        n, sub = cv2.connectedComponents((labels == k).astype(np.uint8).reshape(GRID_STEPS, GRID_STEPS), connectivity=8)
        sub = sub.ravel()
        pieces[sub > 0] = sub[sub > 0] + total - 1
        total += n - 1
    return total, pieces


def ring_consistency(rings: Sequence[Ring]) -> float:
    """Best log-likelihood of any camera position for these rings (on a coarse grid)."""
    lat, lon = _grid(rings, steps=41)
    return float(np.max(_ring_loglik(lat, lon, rings) + _one_road_loglik(lat, lon, rings)))


def ring_contradictions(rings: Sequence[Ring]) -> list[str]:
    """Pairs of distance signs that cannot both be true: their places lie farther apart than the
    two road distances allow even along straight roads ("Zhytomyr 30 km" and "Chernihiv 14 km",
    230 km apart)."""
    out = []
    for a, b in itertools.combinations(rings, 2):
        km = haversine_km(a.place.lat, a.place.lon, b.place.lat, b.place.lon)
        if km > (a.road_km + b.road_km) * ROAD_FACTOR[2]:
            out.append(
                f"signs '{a.place.name} {a.as_signed}' and '{b.place.name} {b.as_signed}' cannot both be "
                f"true: the places are {km:.0f} km apart"
            )
    return out
