"""How well could ANY estimator place the camera from a multi-destination sign? A Bayes ceiling.

``benchmarks/locate_scenes.py`` asks geoloc to put the camera within 25 km for its kinds
``distance_sign`` (2-4 destinations along one road, nearest first) and ``junction_sign`` (2-3
destinations in different directions, each row with an arrow). This script asks how often that is
possible at all. For each scene of those kinds it replays the generator, reads the sign perfectly
(the destination towns, each one's road km, the row order, the arrows) and computes the exact
posterior of the camera position under the generator's OWN distributions:

  prior      a town of the sign style's pool, uniformly, then a point at a uniform distance
             0-ROAD_CAMERA_KM and a uniform bearing from it (per town a density ~ 1/r within
             15 km), as the generator's ``_road_camera`` draws it, integrated over each cell
  road km    km = round(straight x f x u): the sign's factor f ~ U(ROAD_FACTOR) shared by its
             rows and integrated numerically; per row u ~ U(1 +- ROAD_JITTER), so
             P(km | straight, f) is the length of the u-interval that rounds to km, / 0.1
  towns      which towns the generator's ``_destinations`` picks from the camera: the heading
             ~ U(-180, 180), the cone (distance signs: one cone of half-width ~ U(SPREAD_DEG) for
             every row; junction signs: left / ahead / right of the heading, each turned by
             U(+-JUNCTION_JITTER_DEG), kept only when JUNCTION_MIN_APART_DEG apart, rows within
             JUNCTION_CONE_DEG), weights (population or 1) / distance over the pool towns in the
             cone 10-350 km away (a village within VILLAGE_SIGN_KM, ``signposted``) and not named
             as an earlier pick, by population on half the
             signs; the pick order is summed over
  arrows     a junction row's arrow is the sector of its bearing relative to the heading
             (``_arrow``); distance-sign rows are listed nearest first, so a place from which the
             order would differ is impossible; junction rows come in random order (no information)

on a grid in an azimuthal equidistant projection about the destination with the shortest
reach (equal-area to 0.04% within 300 km), bounded by how far each destination can be
(straight <= (km + 0.5) / (1.05 x 0.95)). The Bayes decision for "within 25 km" convolves the
posterior with a 25 km disc and takes the cell holding the most mass; that mass is the
probability that the best possible estimate is right for the scene. Its mean over scenes is the
ceiling: no estimator reading the same sign can expect a larger share of right answers on these
scenes. The realised share (the Bayes decision within 25 km of the true camera) must agree with
it within noise, a check of the implementation; ``--check`` also draws scenes on seeds the
benchmark does not report and counts how often the posterior's 50% and 90% regions hold the
camera (ranked within the camera's cell by a uniform draw, so that a cell carrying much of the
mass counts for its share); it exits 1 when a share of this oracle or the second (below) falls
outside its 99% binomial band.

A second oracle is told MORE than the sign says, the sign's true factor f: a looser bound still,
which shows what the factor's uncertainty costs.

A third oracle is told LESS, "no camera prior": the same sign likelihood (road km with the
factor integrated, the towns' choice, arrows, row order, the 10-350 km range, 60 for a village) under a flat prior,
every cell the same prior mass per km2, cells far from any pool town (and off the coast) included.
The generator's camera prior (a pool town, then 0-15 km from it) is a fact of this benchmark, not
of the world: a real sign stands anywhere on the road network, and geoloc deliberately assumes
nothing about where cameras stand (it would otherwise share the benchmark's assumptions). This
oracle is the Bayes-optimal reader of a perfectly read sign that, like geoloc, assumes nothing
about the camera, and its ceiling is the share of scenes any such prior-free reader can expect to
get within 25 km: were cameras spread evenly over the places the sign allows, no reader of the
sign could expect more. The generator's cameras sit near towns, which a prior-free reader does
not use, so the share its decision gets right on these scenes is printed beside it: the mark for
a prior-free reader such as geoloc (its column) on these scenes. The gap between the first oracle
and this one is what knowing the benchmark's camera prior is worth. ``--check`` prints it
but does not judge it: its posterior is not that of cameras drawn from the generator's prior, so
its regions and ceiling need not match how often they hold those cameras, and a mismatch would
say nothing about the code; its likelihood is the first oracle's, which is judged.

A fourth oracle knows only the sign's geometry, "sign geometry only": the road km with the factor
integrated, the 10-350 km range (60 for a village), a distance sign's row order and a junction sign's arrows (the
share of headings, uniform over the circle, for which every arrow's sector holds its row's
bearing), under the flat prior, and not the towns' choice: how the generator picks which towns a
sign names (nearer and larger towns in a cone about the heading are likelier) is the generator's
model of signs, which geoloc does not assume either. Its ceiling is what a reader that uses only
what the sign says can expect; like the third oracle's, it is printed but not judged by ``--check``.

All the oracles are also told which town of a shared name a row means (the generator's pick),
so each ceiling is an upper bound for a reader of the names too.

Numerics (named constants below): f by FACTOR_NODES midpoints over the part of ROAD_FACTOR every
row allows, the road km and the row order averaged over ROAD_SUBSAMPLES^2 points of each cell;
a distance sign's cone by WIDTH_NODES half-widths x HEADING_NODES headings over the cones that
hold all its destinations; a junction row's cone by CONE_NODES centres within JUNCTION_CONE_DEG of
its bearing, with the heading integrated exactly (a length of intervals); the cone sums from
each cell's own towns sorted by bearing with running sums (exact, no coarse grid). The likelihood
is computed once, over every cell the flat prior allows; the first two oracles take the cells
their prior reaches from it, in the same order, so their figures are exactly those of a run over
those cells alone.

The oracles read what ``make_case`` drew; geoloc's column runs ``locate_scenes.run_text`` (the
OCR-like text of the same scenes, calibration as shipped) and scores it with ``judge``.

Run:  nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/ring_ceiling.py --per-kind 100
      nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/ring_ceiling.py --check --per-kind 100
(about 0.5-0.6 s a scene with the four oracles on 2 shared cores: 9-10 and 6 minutes)
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import locate_scenes as gen  # noqa: E402
from benchmarks.support.claims import add_seeds, seed_list  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.geodesy import from_km, haversine_km, haversine_km_array, to_km  # noqa: E402
from geoloc.pipeline import Settings  # noqa: E402

KINDS = ("distance_sign", "junction_sign")
NEAR_KM = gen.NEAR_KM["distance_sign"]
assert gen.NEAR_KM["junction_sign"] == NEAR_KM, "both kinds are scored at one distance"

CELLS_ACROSS = 200
"""Grid cells across the box where the camera can be: the box is 20-700 km wide, so cells of
0.1-3.5 km before the limits below; the posterior's features (a ring's width is 10% of its
radius, a town's 15 km disc) span several cells."""
CELL_KM = (0.25, 2.5)
"""Smallest and largest cell: a 10 km ring still spans several cells; a 25 km disc at least 300."""
FACTOR_NODES = 24
"""Midpoints over the factors every row allows at a cell (a band ~0.1 f wide, often narrower)."""
WIDTH_NODES, HEADING_NODES = 8, 8
"""A distance sign's cone: half-widths over those that can hold all its destinations, then
headings over those that do, per cell (a product rule on the exact feasible region)."""
CONE_NODES = 12
"""A junction row's cone centre: midpoints over the 30 degrees within JUNCTION_CONE_DEG of the
row's bearing (2.5 degrees apart)."""
ROAD_SUBSAMPLES = 3
"""The road-km and row-order terms are averaged over this many x this many points of a cell: told
the factor, a 10 km row allows a band 1 km wide, and the order's boundary cuts cells."""
CHUNK = 1000
TILE_CELLS = 32
"""Cells whose sorted cone sums are held at once (cells x pool towns floats, ~30 MB each), taken
from square tiles of this many cells across, so that a block needs only the towns near it."""
DISC_SUBSAMPLES = 8
"""A cell a circle's edge crosses (the 25 km disc's, a camera disc's) is measured at this many x
this many points."""
REGIONS = (0.5, 0.9)
"""Posterior regions whose hold on the camera ``--check`` counts (smallest set of cells)."""
RANK_STREAM = 3
"""The random stream of a scene's region draw (``Outcome.holds``): locate_scenes uses 0-2."""
BOOTSTRAP = 2000
"""Resamples of the scenes for the 95% intervals."""
CHECK_SEEDS = "901,902"
"""Seeds of the ``--check`` scenes: not the benchmark's 1-3, nor the calibration fit's 101-108."""
HEADINGS_DEG = np.arange(0.0, 360.0, 1.0)
"""Headings the geometry-only oracle tries for a junction sign's arrows (sectors are 45 degrees)."""
ARROW_CHUNK = 4000
"""Cells whose arrow fit is taken at once (cells x headings x rows booleans)."""
ROUND_HALF = 0.5
"""A road km is rounded to a whole km: the straight x f x u that print ``km`` lie within +-0.5."""

ARROW_SECTORS = {
    "up": (-gen.ARROW_SECTOR_DEG[0], gen.ARROW_SECTOR_DEG[0]),
    "up-right": (gen.ARROW_SECTOR_DEG[0], gen.ARROW_SECTOR_DEG[1]),
    "right": (gen.ARROW_SECTOR_DEG[1], 180.0),
    "up-left": (-gen.ARROW_SECTOR_DEG[1], -gen.ARROW_SECTOR_DEG[0]),
    "left": (-180.0, -gen.ARROW_SECTOR_DEG[1]),
}
"""The bearings, relative to the heading, for which ``locate_scenes._arrow`` draws each arrow."""


# ---------------------------------------------------------------------------------------------
# the scenes, replayed


class _Tap:
    """A numpy Generator that passes every draw through and keeps what the sign does not show:
    the road factor and the towns picked, of the attempt that made the sign."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self.factor: float | None = None
        self.picks: list[int] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._rng, name)

    def uniform(self, low: float = 0.0, high: float = 1.0, size: int | None = None) -> float:
        value = self._rng.uniform(low, high, size)
        if (low, high) == gen.ROAD_FACTOR:  # each attempt draws its factor before its towns
            self.factor, self.picks = float(value), []
        return value

    def choice(self, a: object, size: int | None = None, replace: bool = True, p: np.ndarray | None = None) -> object:
        value = self._rng.choice(a, size=size, replace=replace, p=p)
        if p is not None:  # only ``_destinations`` draws with weights
            self.picks.append(int(value))
        return value


@dataclass(frozen=True)
class Scene:
    """A sign scene as read perfectly: the rows in their order, and what the oracles may know."""

    kind: str
    seed: int
    index: int
    style: str
    truth: tuple[float, float]
    towns: tuple[int, ...]  # pool indices, in row order
    km: tuple[int, ...]
    arrows: tuple[str | None, ...]
    factor: float  # the sign's road factor: only the second oracle is told it
    case: gen.Case


def replay(kind: str, seed: int, index: int) -> Scene:
    """Scene ``index`` of ``kind`` for ``seed``, drawn by the generator's own code, with its hidden draws.

    ``make_case`` draws the style, then ``_place_sign``; this repeats those calls on the same
    random stream through ``_Tap`` and stops when the result differs from ``make_case``'s. A
    junction sign's layout (rows or columns) and a sign's panel colour are drawn on streams of
    their own and say nothing of the towns, distances or arrows, so they are left aside in the
    comparison."""
    case = gen.make_case(kind, seed, index)
    rng = np.random.default_rng([seed, gen.KINDS.index(kind), index])
    style = str(rng.choice(list(gen.DRAWN_STYLES)))
    tap = _Tap(rng)
    spec, cam, _, _ = gen._place_sign(kind, tap, style)  # type: ignore[arg-type]
    if (
        cam != case.truth
        or [spec] != [replace(s, column_gap=None, colour=None) for s in case.signs]
        or tap.factor is None
    ):
        sys.exit(f"{kind} {seed}#{index}: replaying locate_scenes' draws no longer gives its scene")
    pool = gen.pools()[style]
    left, towns = list(tap.picks), []
    for line in spec.lines:
        match = [p for p in left if pool.towns[p].line(line.distance_km, line.arrow) == line]
        if not match:
            sys.exit(f"{kind} {seed}#{index}: a row matches no town the generator picked")
        left.remove(match[0])
        towns.append(match[0])
    return Scene(
        kind,
        seed,
        index,
        style,
        cam,
        tuple(towns),
        tuple(int(line.distance_km or 0) for line in spec.lines),
        tuple(line.arrow for line in spec.lines),
        tap.factor,
        case,
    )


# ---------------------------------------------------------------------------------------------
# geometry: the generator's own bearings and offsets, over arrays


def bearings(lat: np.ndarray, lon: np.ndarray, tlat: np.ndarray, tlon: np.ndarray) -> np.ndarray:
    """Bearing in degrees from (lat, lon) to (tlat, tlon), as ``locate_scenes._bearing`` and
    ``_bearings`` compute it (a flat north-east frame at the camera), over broadcast arrays."""
    return np.degrees(np.arctan2((tlon - lon) * np.cos(np.radians(lat)), tlat - lat))


def _angle(a: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    """Smallest difference between bearings, 0-180 degrees (``locate_scenes._angle``)."""
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


@dataclass
class Grid:
    """Square cells in an azimuthal equidistant projection about (lat0, lon0), row-major from (x0, y0)."""

    lat0: float
    lon0: float
    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    lat: np.ndarray  # cell centres
    lon: np.ndarray

    def project(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """(n, 2) km coordinates of points."""
        if len(lat) == 0:
            return np.zeros((0, 2))
        return shapely.get_coordinates(to_km(shapely.multipoints(np.c_[lon, lat]), self.lat0, self.lon0))

    def sub_points(self, cells: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(lat, lon) of n x n evenly spread points in each cell, cell by cell."""
        sub = (np.arange(n) + 0.5) / n * self.cell
        x = self.x0 + (cells % self.nx) * self.cell
        y = self.y0 + (cells // self.nx) * self.cell
        gx, gy = (g.ravel() for g in np.meshgrid(sub, sub))
        xy = np.c_[(x[:, None] + gx).ravel(), (y[:, None] + gy).ravel()]
        if len(xy) == 0:
            return np.zeros(0), np.zeros(0)
        lonlat = shapely.get_coordinates(from_km(shapely.multipoints(xy), self.lat0, self.lon0))
        return lonlat[:, 1], lonlat[:, 0]

    def index(self, xy: np.ndarray) -> np.ndarray:
        """Flat cell index of each point, -1 outside the grid."""
        ix = np.floor((xy[:, 0] - self.x0) / self.cell).astype(int)
        iy = np.floor((xy[:, 1] - self.y0) / self.cell).astype(int)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        return np.where(inside, iy * self.nx + ix, -1)


def reach(km: int) -> tuple[float, float]:
    """Straight distances at which a destination can stand for its road km (and the generator's 10-350 km)."""
    near = (km - ROUND_HALF) / (gen.ROAD_FACTOR[1] * (1 + gen.ROAD_JITTER))
    far = (km + ROUND_HALF) / (gen.ROAD_FACTOR[0] * (1 - gen.ROAD_JITTER))
    return max(gen.DESTINATION_KM[0], near), min(gen.DESTINATION_KM[1], far)


def make_grid(scene: Scene, pool: gen.Pool) -> Grid:
    """The box every destination's reach allows, in cells of ``CELL_KM`` about the nearest-reaching one."""
    far = np.array([reach(k)[1] for k in scene.km])
    anchor = scene.towns[int(np.argmin(far))]
    lat0, lon0 = float(pool.lat[anchor]), float(pool.lon[anchor])
    probe = Grid(lat0, lon0, 0, 0, 1, 0, 0, np.zeros(0), np.zeros(0))
    xy = probe.project(pool.lat[list(scene.towns)], pool.lon[list(scene.towns)])
    slack = far * 1.01 + 1.0  # the projection's distances off its centre are exact to 0.1% here
    lo = np.max(xy - slack[:, None], axis=0)
    hi = np.min(xy + slack[:, None], axis=0)
    cell = float(np.clip(np.max(hi - lo) / CELLS_ACROSS, *CELL_KM))
    nx, ny = (max(1, int(math.ceil(v))) for v in (hi - lo) / cell)
    xs = lo[0] + (np.arange(nx) + 0.5) * cell
    ys = lo[1] + (np.arange(ny) + 0.5) * cell
    centres = np.c_[np.tile(xs, ny), np.repeat(ys, nx)]
    lonlat = shapely.get_coordinates(from_km(shapely.multipoints(centres), lat0, lon0))
    return Grid(lat0, lon0, float(lo[0]), float(lo[1]), cell, nx, ny, lonlat[:, 1], lonlat[:, 0])


# ---------------------------------------------------------------------------------------------
# the posterior's terms


def _quadrant_integral(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The integral of 1 / r over the rectangle between (0, 0) and (a, b), signed as its sides."""
    a_abs, b_abs = np.abs(a), np.abs(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(a_abs > 0, a_abs * np.arcsinh(b_abs / np.where(a_abs > 0, a_abs, 1.0)), 0.0) + np.where(
            b_abs > 0, b_abs * np.arcsinh(a_abs / np.where(b_abs > 0, b_abs, 1.0)), 0.0
        )
    return np.sign(a) * np.sign(b) * value


def prior_mass(grid: Grid, pool: gen.Pool) -> np.ndarray:
    """Each cell's prior probability under the generator's camera draw.

    ``_road_camera`` takes a town uniformly, then a uniform distance up to ROAD_CAMERA_KM and a
    uniform bearing: a density 1 / (2 pi R r) at r < R from the town. A cell's share is that
    integrated over the cell, in closed form for cells inside the disc (the 1 / r peak at the town
    included) and from DISC_SUBSAMPLES^2 points for cells the disc's edge crosses. (The
    projection keeps distances from a town to 0.05% within 15 km, so the disc stays a disc.)"""
    radius = gen.ROAD_CAMERA_KM
    corners = np.array([[grid.x0, grid.y0], [grid.x0 + grid.nx * grid.cell, grid.y0 + grid.ny * grid.cell]])
    span = float(np.max(np.hypot(*np.abs(corners).max(axis=0))))
    near = np.flatnonzero(haversine_km_array(pool.lat, pool.lon, grid.lat0, grid.lon0) <= span + radius + 5.0)
    mass = np.zeros(grid.nx * grid.ny)
    if near.size == 0:
        return mass
    town_xy = grid.project(pool.lat[near], pool.lon[near])
    x_end, y_end = grid.x0 + grid.nx * grid.cell, grid.y0 + grid.ny * grid.cell
    town_xy = town_xy[
        (town_xy[:, 0] > grid.x0 - radius)
        & (town_xy[:, 0] < x_end + radius)
        & (town_xy[:, 1] > grid.y0 - radius)
        & (town_xy[:, 1] < y_end + radius)
    ]
    h = grid.cell
    reach_cells = int(math.ceil(radius / h)) + 1
    off = np.arange(-reach_cells, reach_cells + 1)
    ix = np.floor((town_xy[:, 0] - grid.x0) / h).astype(int)[:, None, None] + off[None, None, :]
    iy = np.floor((town_xy[:, 1] - grid.y0) / h).astype(int)[:, None, None] + off[None, :, None]
    ix, iy = np.broadcast_arrays(ix, iy)
    # cell sides relative to the town
    x_lo = grid.x0 + ix * h - town_xy[:, 0, None, None]
    y_lo = grid.y0 + iy * h - town_xy[:, 1, None, None]
    x_hi, y_hi = x_lo + h, y_lo + h
    far_x, far_y = np.maximum(np.abs(x_lo), np.abs(x_hi)), np.maximum(np.abs(y_lo), np.abs(y_hi))
    near_x = np.where((x_lo <= 0) & (x_hi >= 0), 0.0, np.minimum(np.abs(x_lo), np.abs(x_hi)))
    near_y = np.where((y_lo <= 0) & (y_hi >= 0), 0.0, np.minimum(np.abs(y_lo), np.abs(y_hi)))
    whole = np.hypot(far_x, far_y) <= radius
    edge = ~whole & (np.hypot(near_x, near_y) < radius)
    share = np.zeros(ix.shape)
    share[whole] = (
        _quadrant_integral(x_hi[whole], y_hi[whole])
        - _quadrant_integral(x_lo[whole], y_hi[whole])
        - _quadrant_integral(x_hi[whole], y_lo[whole])
        + _quadrant_integral(x_lo[whole], y_lo[whole])
    )
    sub = (np.arange(DISC_SUBSAMPLES) + 0.5) / DISC_SUBSAMPLES * h
    px = x_lo[edge][:, None, None] + sub[None, None, :]
    py = y_lo[edge][:, None, None] + sub[None, :, None]
    r = np.hypot(px, py)
    share[edge] = np.where(r < radius, 1.0 / r, 0.0).sum(axis=(1, 2)) * (h / DISC_SUBSAMPLES) ** 2
    keep = (share > 0) & (ix >= 0) & (ix < grid.nx) & (iy >= 0) & (iy < grid.ny)
    mass += np.bincount((iy * grid.nx + ix)[keep], weights=share[keep], minlength=mass.size)
    return mass / (2 * math.pi * radius * len(pool.towns))


def road_likelihood(straight: np.ndarray, km: np.ndarray, factor: float | None = None) -> np.ndarray:
    """P(every row's road km | the straight distances (cells, rows)), the factor integrated or given."""

    def each(f: np.ndarray) -> np.ndarray:  # (cells, nodes) -> product over rows
        sf = straight[:, None, :] * f[..., None]
        lo = np.maximum(1 - gen.ROAD_JITTER, (km - ROUND_HALF) / sf)
        hi = np.minimum(1 + gen.ROAD_JITTER, (km + ROUND_HALF) / sf)
        return np.prod(np.clip(hi - lo, 0.0, None) / (2 * gen.ROAD_JITTER), axis=-1)

    if factor is not None:
        return each(np.full((len(straight), 1), factor))[:, 0]
    f_lo = np.max((km - ROUND_HALF) / ((1 + gen.ROAD_JITTER) * straight), axis=1).clip(min=gen.ROAD_FACTOR[0])
    f_hi = np.min((km + ROUND_HALF) / ((1 - gen.ROAD_JITTER) * straight), axis=1).clip(max=gen.ROAD_FACTOR[1])
    width = np.clip(f_hi - f_lo, 0.0, None)
    f = f_lo[:, None] + (np.arange(FACTOR_NODES) + 0.5) / FACTOR_NODES * width[:, None]
    return each(f).mean(axis=1) * width / (gen.ROAD_FACTOR[1] - gen.ROAD_FACTOR[0])


class ConeSums:
    """For a block of cells: the pool towns a cone may pick from each cell (10-350 km away), sorted
    by bearing, with running sums of both weightings (population / distance and 1 / distance), so
    that a cone's total weight is two binary searches."""

    OUT = 400.0  # the bearing given to towns out of reach: past every query

    def __init__(self, lat: np.ndarray, lon: np.ndarray, pool: gen.Pool) -> None:
        n = len(lat)
        mid_lat, mid_lon = float(lat.mean()), float(lon.mean())
        spread = float(np.max(haversine_km_array(lat, lon, mid_lat, mid_lon)))
        towns = np.flatnonzero(
            haversine_km_array(pool.lat, pool.lon, mid_lat, mid_lon) <= gen.DESTINATION_KM[1] + spread + 1.0
        )
        t = len(towns)
        d = np.empty((n, t))
        for j, i in enumerate(towns):
            d[:, j] = haversine_km_array(lat, lon, float(pool.lat[i]), float(pool.lon[i]))
        ok = gen.signposted(pool.population[towns][None, :], d)
        b = np.where(
            ok, bearings(lat[:, None], lon[:, None], pool.lat[towns][None, :], pool.lon[towns][None, :]), self.OUT
        )
        order = np.argsort(b, axis=1)
        inv = np.take_along_axis(np.where(ok, 1.0 / np.where(ok, d, 1.0), 0.0), order, axis=1)
        sums = np.zeros((2, n, t + 1))
        np.cumsum(inv * pool.population[towns][order], axis=1, out=sums[0, :, 1:])
        np.cumsum(inv, axis=1, out=sums[1, :, 1:])
        self.n, self.t = n, t
        self.rows = np.arange(n)
        self.keys = (np.take_along_axis(b, order, axis=1) + 1000.0 * self.rows[:, None]).ravel()
        self.sums = sums.reshape(2, -1)
        self.totals = sums[:, :, -1]  # (2, n)

    def _below(self, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """(2, m, q) weight of the towns with bearing below x (m, q) from the cells ``rows`` (m),
        x unwrapped (whole turns add the total)."""
        turns = np.floor((x + 180.0) / 360.0)
        rows = np.broadcast_to(rows[:, None], x.shape)
        pos = np.searchsorted(self.keys, (x - 360.0 * turns) + 1000.0 * rows) - rows * self.t
        flat = rows * (self.t + 1) + pos
        return self.sums[:, flat] + turns[None] * self.totals[:, rows]

    def weight(self, lo: np.ndarray, hi: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """(2, m, q) total weight of the towns in the cones [lo, hi] (m, q; degrees, hi - lo < 360)
        seen from the cells ``rows`` (all by default)."""
        rows = self.rows if rows is None else rows
        return self._below(hi, rows) - self._below(lo, rows)


@dataclass
class Namesakes:
    """Per row, the pool towns sharing its town's name (itself included): a pick excludes all of
    them from later picks (``_destinations`` compares names)."""

    bearing: list[np.ndarray]  # per row: (cells, members)
    weight: list[np.ndarray]  # per row: (2, cells, members), 0 out of reach

    def in_cones(self, row: int, lo: np.ndarray, hi: np.ndarray, cells: np.ndarray | None = None) -> np.ndarray:
        """(2, m, q) weight of row ``row``'s namesakes inside the cones [lo, hi] (m, q) seen from
        the cells ``cells`` (m; all by default)."""
        cells = np.arange(len(self.bearing[row])) if cells is None else cells
        inside = ((self.bearing[row][cells, None, :] - lo[..., None]) % 360.0) <= (hi - lo)[..., None]
        return np.einsum("bnm,nqm->bnq", self.weight[row][:, cells], inside.astype(float))


def namesakes(scene: Scene, pool: gen.Pool, lat: np.ndarray, lon: np.ndarray) -> Namesakes:
    """Each row's namesakes as seen from the cells (lat, lon): their bearings and both weights."""
    out_b, out_w = [], []
    for t in scene.towns:
        members = [i for i, town in enumerate(pool.towns) if town.name == pool.towns[t].name]
        d = np.stack([haversine_km_array(lat, lon, float(pool.lat[i]), float(pool.lon[i])) for i in members], 1)
        ok = gen.signposted(pool.population[members][None, :], d)
        inv = np.where(ok, 1.0 / np.where(ok, d, 1.0), 0.0)
        out_b.append(bearings(lat[:, None], lon[:, None], pool.lat[members][None, :], pool.lon[members][None, :]))
        out_w.append(np.stack([inv * pool.population[members][None, :], inv]))
    return Namesakes(out_b, out_w)


def distance_choice(beta: np.ndarray, w: np.ndarray, cones: ConeSums, names: Namesakes) -> np.ndarray:
    """P(a distance sign picks these towns | camera), per cell: heading, half-width, weighting and
    pick order integrated. ``beta`` (n, k) the towns' bearings, ``w`` (2, n, k) their weights."""
    n, k = beta.shape
    srt = np.sort(beta, axis=1)
    gaps = np.diff(np.c_[srt, srt[:, :1] + 360.0], axis=1)
    widest = np.argmax(gaps, axis=1)
    start = srt[np.arange(n), (widest + 1) % k]  # the arc holding all bearings begins after its widest gap
    spread = 360.0 - gaps.max(axis=1)
    out = np.zeros(n)
    fits = np.flatnonzero(spread < 2 * gen.SPREAD_DEG[1])  # some cone holds every destination
    if fits.size == 0:
        return out
    spread, start = spread[fits], start[fits]
    h_lo = np.maximum(gen.SPREAD_DEG[0], spread / 2)
    h_span = gen.SPREAD_DEG[1] - h_lo
    h = h_lo[:, None] + (np.arange(WIDTH_NODES) + 0.5) / WIDTH_NODES * h_span[:, None]  # (m, H)
    t_lo = start[:, None] + spread[:, None] - h
    t_span = 2 * h - spread[:, None]
    theta = t_lo[..., None] + (np.arange(HEADING_NODES) + 0.5) / HEADING_NODES * t_span[..., None]  # (m, H, T)
    quad = (h_span[:, None] / WIDTH_NODES / (gen.SPREAD_DEG[1] - gen.SPREAD_DEG[0])) * (t_span / HEADING_NODES / 360.0)
    lo = (theta - h[..., None]).reshape(len(fits), -1)
    hi = (theta + h[..., None]).reshape(len(fits), -1)
    total = cones.weight(lo, hi, fits)  # (2, m, q)
    own = [names.in_cones(i, lo, hi, fits) for i in range(k)]
    orders = np.zeros_like(total)
    for perm in itertools.permutations(range(k)):
        acc, left = np.ones_like(total), total.copy()
        for i in perm:
            acc /= left
            left -= own[i]
        orders += acc
    picked = np.prod(w[:, fits], axis=2)[..., None] * orders  # (2, m, q)
    per_node = 0.5 * picked.sum(axis=0)  # by population on half the signs
    out[fits] = (per_node * np.repeat(quad, HEADING_NODES, axis=1)).sum(axis=1)
    return out


JUNCTION_OFFSETS = tuple(gen.JUNCTION_OFFSETS.values())


def junction_choice(
    beta: np.ndarray, w: np.ndarray, arrows: Sequence[str], cones: ConeSums, names: Namesakes
) -> np.ndarray:
    """P(a junction sign picks these towns, with these arrows | camera), per cell.

    Summed over which direction (left, ahead, right) each row was drawn for and the pick order;
    each row's cone centre integrated over CONE_NODES midpoints, the heading exactly (the length
    of the headings every row's jitter and arrow allow)."""
    n, k = beta.shape
    half = gen.JUNCTION_CONE_DEG
    jitter = gen.JUNCTION_JITTER_DEG
    delta = (np.arange(CONE_NODES) + 0.5) / CONE_NODES * 2 * half - half  # cone centre - row bearing
    centre = beta[..., None] + delta  # (n, k, C)
    flat_lo = (centre - half).reshape(n, -1)
    total = cones.weight(flat_lo, (centre + half).reshape(n, -1)).reshape(2, n, k, CONE_NODES)
    shared = any(len(names.bearing[i][0]) > 1 for i in range(k))
    own = (
        [names.in_cones(i, flat_lo, (centre + half).reshape(n, -1)).reshape(2, n, k, CONE_NODES) for i in range(k)]
        if shared
        else None
    )
    # cone centres of different rows at least JUNCTION_MIN_APART_DEG apart (else the generator redraws)
    apart = np.ones((n,) + (CONE_NODES,) * k)
    for i, j in itertools.combinations(range(k), 2):
        shape_i = [n] + [1] * k
        shape_j = [n] + [1] * k
        shape_i[1 + i] = CONE_NODES
        shape_j[1 + j] = CONE_NODES
        ok = _angle(centre[:, i].reshape(shape_i), centre[:, j].reshape(shape_j)) >= gen.JUNCTION_MIN_APART_DEG
        apart = apart * ok
    sectors = [ARROW_SECTORS[a] for a in arrows]
    result = np.zeros(n)
    for offsets in itertools.permutations(JUNCTION_OFFSETS, k):
        # a row drawn for direction o lies within jitter + half of heading + o: its arrow must allow that
        if any(
            max(o - jitter - half, s[0]) >= min(o + jitter + half, s[1]) for o, s in zip(offsets, sectors, strict=True)
        ):
            continue
        ref = beta[:, 0] - offsets[0]
        lo_t = np.full(apart.shape, -np.inf)
        hi_t = np.full(apart.shape, np.inf)
        for j, (o, (s_lo, s_hi)) in enumerate(zip(offsets, sectors, strict=True)):
            c = (beta[:, j] - o - ref + 180.0) % 360.0 - 180.0  # heading that puts row j's cone on its bearing
            shape = [n] + [1] * k
            shape[1 + j] = CONE_NODES
            node = (c[:, None] + delta[None, :]).reshape(shape)  # heading from row j's cone centre
            lo_t = np.maximum(lo_t, np.maximum(node - jitter, (c + o - s_hi).reshape([n] + [1] * k)))
            hi_t = np.minimum(hi_t, np.minimum(node + jitter, (c + o - s_lo).reshape([n] + [1] * k)))
        headings = np.clip(hi_t - lo_t, 0.0, None) * apart  # (n, C, ...)
        if not headings.any():
            continue
        for perm in itertools.permutations(range(k)) if shared else [tuple(range(k))]:
            g = []
            for pos, j in enumerate(perm):
                left = total[:, :, j].copy()
                if own is not None:
                    for i in perm[:pos]:
                        left -= own[i][:, :, j]
                g.append(w[:, :, j, None] / left)  # (2, n, C)
            g = [g[perm.index(j)] for j in range(k)]
            if k == 2:
                term = np.einsum("nxy,bnx,bny->bn", headings, *g, optimize=True)
            else:
                term = np.einsum("nxyz,bnx,bny,bnz->bn", headings, *g, optimize=True)
            result += 0.5 * term.sum(axis=0) * (1 if shared else math.factorial(k))
    step = 2 * half / CONE_NODES
    # each ordered choice of k directions, the heading's density, each cone centre's jitter density
    return result / math.perm(len(JUNCTION_OFFSETS), k) / 360.0 * (step / (2 * jitter)) ** k


# ---------------------------------------------------------------------------------------------
# the posterior and the Bayes decision


@dataclass
class Outcome:
    """One scene under one oracle."""

    ceiling: float  # the most posterior mass any 25 km disc holds
    right: bool  # the Bayes decision (that disc's centre) within 25 km of the camera
    error_km: float
    area90: float  # km2 of the smallest region holding 90% of the posterior
    rank: float  # posterior mass denser than at the camera, plus a uniform share of its cell's

    def holds(self, share: float) -> bool:
        """The camera inside the smallest region holding ``share`` of the posterior.

        Ranked by the mass of cells denser than the camera's plus a uniform draw of its own cell's
        mass (a randomised probability integral transform): a calibrated posterior then holds the
        camera in exactly ``share`` of scenes even when one coarse cell carries much of the mass."""
        return self.rank <= share


def arrow_fit(beta: np.ndarray, arrows: Sequence[str | None]) -> np.ndarray:
    """Per cell, the share of headings (uniform over the circle) for which every row with an arrow
    has its bearing (``beta``, cells x rows) in that arrow's sector: the geometry-only oracle's
    P(arrows | camera), without the generator's left/ahead/right directions or its towns' choice."""
    rows = [(j, ARROW_SECTORS[a]) for j, a in enumerate(arrows) if a]
    out = np.ones(beta.shape[0])
    if not rows:
        return out
    for s in range(0, beta.shape[0], ARROW_CHUNK):
        fits = np.ones((min(ARROW_CHUNK, beta.shape[0] - s), HEADINGS_DEG.size), bool)
        for j, (lo, hi) in rows:
            rel = (beta[s : s + ARROW_CHUNK, j, None] - HEADINGS_DEG[None, :] + 180.0) % 360.0 - 180.0
            fits &= (rel >= lo) & (rel <= hi)
        out[s : s + ARROW_CHUNK] = fits.mean(axis=1)
    return out


def posteriors(scene: Scene) -> tuple[Outcome, Outcome, Outcome, Outcome]:
    """The scene under the sign-only oracle, the oracle also told the factor, the sign-only
    oracle without the generator's camera prior (every cell the same prior mass), and the oracle
    of the sign's geometry alone (no camera prior, no towns' choice).

    The sign's likelihood is computed once over every cell some oracle can hold (the flat prior
    reaches cells far from any pool town, which the generator's prior gives no mass) and weighed
    by each oracle's prior: cells outside the generator's prior carry zero mass for the first two,
    so their figures are those of a run over their own cells only."""
    pool = gen.pools()[scene.style]
    grid = make_grid(scene, pool)
    rows = list(scene.towns)
    km = np.array(scene.km, float)
    straight = np.stack(
        [haversine_km_array(grid.lat, grid.lon, float(pool.lat[t]), float(pool.lon[t])) for t in rows], 1
    )
    beta = bearings(grid.lat[:, None], grid.lon[:, None], pool.lat[rows][None, :], pool.lon[rows][None, :])
    possible = np.all(gen.signposted(pool.population[rows][None, :], straight), axis=1)
    prior = prior_mass(grid, pool)
    # the road-km and row-order terms change within a cell: average them over sub-points
    # cells where some point may fit every row at one factor (and, on a distance sign, the order)
    hd = grid.cell / math.sqrt(2)
    f_lo = np.max((km - ROUND_HALF) / ((1 + gen.ROAD_JITTER) * (straight + hd)), axis=1)
    f_hi = np.min((km + ROUND_HALF) / ((1 - gen.ROAD_JITTER) * np.clip(straight - hd, 1e-9, None)), axis=1)
    loose = np.maximum(f_lo, gen.ROAD_FACTOR[0]) < np.minimum(f_hi, gen.ROAD_FACTOR[1])
    if scene.kind == "distance_sign":
        loose &= np.all(np.diff(straight, axis=1) >= -2 * hd, axis=1)
    cand = np.flatnonzero(loose)
    sub_lat, sub_lon = grid.sub_points(cand, ROAD_SUBSAMPLES)
    sub_straight = np.stack(
        [haversine_km_array(sub_lat, sub_lon, float(pool.lat[t]), float(pool.lon[t])) for t in rows], 1
    )
    allowed = np.all(gen.signposted(pool.population[rows][None, :], sub_straight), axis=1)
    if scene.kind == "distance_sign":
        allowed &= np.all(np.diff(sub_straight, axis=1) >= 0, axis=1)  # nearest first
    shape = (len(cand), ROAD_SUBSAMPLES**2)
    road = (road_likelihood(sub_straight, km) * allowed).reshape(shape).mean(axis=1)
    oracle = (road_likelihood(sub_straight, km, scene.factor) * allowed).reshape(shape).mean(axis=1)
    keep = (road > 0) & possible[cand]  # the towns' choice is weighed from the cell's centre
    active, road, oracle = cand[keep], road[keep], oracle[keep]
    choice = np.zeros(len(active))
    # blocks of cells near each other share most of their towns: take them tile by tile
    tiles = np.argsort((active // grid.nx // TILE_CELLS) * grid.nx + (active % grid.nx) // TILE_CELLS, kind="stable")
    for s in range(0, len(active), CHUNK):
        part = tiles[s : s + CHUNK]
        cells = active[part]
        lat, lon = grid.lat[cells], grid.lon[cells]
        cones = ConeSums(lat, lon, pool)
        names = namesakes(scene, pool, lat, lon)
        inv = 1.0 / straight[cells]
        w = np.stack([inv * pool.population[rows][None, :], inv])
        if scene.kind == "distance_sign":
            choice[part] = distance_choice(beta[cells], w, cones, names)
        else:
            choice[part] = junction_choice(beta[cells], w, [a or "" for a in scene.arrows], cones, names)
    if not np.all(np.isfinite(choice)):
        sys.exit(f"{scene.kind} {scene.seed}#{scene.index}: the towns' likelihood is not finite somewhere")
    in_prior = prior[active] > 0  # the generator's prior: its cells, in the order a run over them alone takes
    base = prior[active][in_prior] * choice[in_prior]
    return (
        decide(scene, grid, active[in_prior], base * road[in_prior]),
        decide(scene, grid, active[in_prior], base * oracle[in_prior]),
        decide(scene, grid, active, choice * road),  # equal-area cells: a flat prior is a constant
        decide(scene, grid, active, road * arrow_fit(beta[active], scene.arrows)),
    )


def _disc(cell: float) -> np.ndarray:
    """The 25 km disc as cell weights: each cell's covered share."""
    r = NEAR_KM / cell
    reach_cells = int(math.ceil(r + 1))
    off = np.arange(-reach_cells, reach_cells + 1)
    sub = (np.arange(DISC_SUBSAMPLES) + 0.5) / DISC_SUBSAMPLES - 0.5
    x = off[:, None] + sub[None, :]
    inside = np.hypot(x[:, None, :, None], x[None, :, None, :]) <= r
    return inside.mean(axis=(2, 3))


def decide(scene: Scene, grid: Grid, active: np.ndarray, mass: np.ndarray) -> Outcome:
    """The Bayes decision for "within 25 km" and how the posterior holds the camera."""
    truth_cell = int(grid.index(grid.project(np.array([scene.truth[0]]), np.array([scene.truth[1]])))[0])
    if mass.sum() <= 0:  # cannot happen for a scene the generator drew; kept visible if it does
        return Outcome(0.0, False, math.inf, 0.0, 1.0)
    full = np.zeros(grid.nx * grid.ny)
    full[active] = mass / mass.sum()
    kernel = _disc(grid.cell)
    pad = kernel.shape[0] // 2
    shape = (grid.ny + 2 * pad, grid.nx + 2 * pad)
    spectrum = np.fft.rfft2(full.reshape(grid.ny, grid.nx), shape) * np.fft.rfft2(kernel, shape)
    held = np.fft.irfft2(spectrum, shape)[pad : pad + grid.ny, pad : pad + grid.nx].ravel()
    best = int(np.argmax(held))
    error = haversine_km(scene.truth[0], scene.truth[1], float(grid.lat[best]), float(grid.lon[best]))
    truth_mass = full[truth_cell] if truth_cell >= 0 else 0.0
    draw = np.random.default_rng([scene.seed, gen.KINDS.index(scene.kind), scene.index, RANK_STREAM]).random()
    rank = float(full[full > truth_mass].sum() + draw * truth_mass) if truth_mass > 0 else 1.0
    cum = np.cumsum(np.sort(full[active])[::-1])
    cells90 = int(np.searchsorted(cum, 0.9)) + 1
    return Outcome(float(held[best]), error <= NEAR_KM, error, cells90 * grid.cell**2, rank)


# ---------------------------------------------------------------------------------------------
# tables


@dataclass
class Result:
    scene: Scene
    sign: Outcome
    told_f: Outcome
    flat: Outcome  # the sign-only oracle without the generator's camera prior
    geometry: Outcome  # the sign's geometry alone: no camera prior, no towns' choice
    geoloc_right: bool | None
    seconds: float


def interval(values: Sequence[float], rng: np.random.Generator) -> tuple[float, float]:
    """95% bootstrap interval of the mean."""
    v = np.asarray(values, float)
    means = v[rng.integers(0, len(v), (BOOTSTRAP, len(v)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def _mean_ci(values: Sequence[float], rng: np.random.Generator) -> str:
    lo, hi = interval(values, rng)
    return f"{statistics.fmean(values):.0%} ({lo:.0%}-{hi:.0%})"


def _by_kind(results: Sequence[Result]) -> Iterator[tuple[str, list[Result]]]:
    """Each kind that has results, in ``KINDS`` order, with its results."""
    for kind in KINDS:
        rs = [r for r in results if r.scene.kind == kind]
        if rs:
            yield kind, rs


def print_tables(results: Sequence[Result]) -> None:
    rng = np.random.default_rng(0)
    flat_rng = np.random.default_rng(1)  # its own stream: the other intervals stay those of a run without it
    flat_ceiling = {kind: _mean_ci([r.flat.ceiling for r in rs], flat_rng) for kind, rs in _by_kind(results)}
    print(
        "| kind | scenes | **Bayes ceiling** (95% interval) | Bayes decision right (95% interval) "
        "| camera in the 90% region | median 90% region km2 | ceiling, no camera prior (95% interval) "
        "| geoloc right, text mode |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, rs in _by_kind(results):
        geo = [r.geoloc_right for r in rs if r.geoloc_right is not None]
        geo_cell = f"{sum(geo) / len(geo):.0%} ({sum(geo)}/{len(geo)})" if geo else "-"
        print(
            f"| {kind} | {len(rs)} | **{_mean_ci([r.sign.ceiling for r in rs], rng)}** "
            f"| {_mean_ci([float(r.sign.right) for r in rs], rng)} "
            f"| {sum(r.sign.holds(0.9) for r in rs) / len(rs):.0%} "
            f"| {statistics.median(r.sign.area90 for r in rs):,.0f} "
            f"| {flat_ceiling[kind]} | {geo_cell} |"
        )
    print("\nThe oracle told more than the sign says (the sign's true road factor f):\n")
    print(
        "| kind | scenes | ceiling told f (95% interval) | its decision right | median 90% region km2 "
        "| ceiling, sign only |"
    )
    print("|---|---|---|---|---|---|")
    for kind, rs in _by_kind(results):
        print(
            f"| {kind} | {len(rs)} | {_mean_ci([r.told_f.ceiling for r in rs], rng)} "
            f"| {sum(r.told_f.right for r in rs) / len(rs):.0%} "
            f"| {statistics.median(r.told_f.area90 for r in rs):,.0f} "
            f"| {statistics.fmean(r.sign.ceiling for r in rs):.0%} |"
        )
    print(
        "\nThe oracle told less: the same sign, but no camera prior (every place the same prior mass "
        "per km2), as geoloc assumes; its decision scored against the generator's cameras:\n"
    )
    print(
        "| kind | scenes | ceiling, no camera prior (95% interval) | its decision right (95% interval) "
        "| camera in its 90% region | median 90% region km2 | ceiling, sign only |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, rs in _by_kind(results):
        print(
            f"| {kind} | {len(rs)} | {flat_ceiling[kind]} "
            f"| {_mean_ci([float(r.flat.right) for r in rs], flat_rng)} "
            f"| {sum(r.flat.holds(0.9) for r in rs) / len(rs):.0%} "
            f"| {statistics.median(r.flat.area90 for r in rs):,.0f} "
            f"| {statistics.fmean(r.sign.ceiling for r in rs):.0%} |"
        )
    geometry_rng = np.random.default_rng(2)  # its own stream, as the no-prior oracle's
    print(
        "\nThe sign's geometry alone: road km, range, row order, arrows; no camera prior and not the "
        "generator's choice of towns, as geoloc reads signs:\n"
    )
    print(
        "| kind | scenes | ceiling, sign geometry only (95% interval) | its decision right (95% interval) "
        "| camera in its 90% region | median 90% region km2 | geoloc right, text mode |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, rs in _by_kind(results):
        geo = [r.geoloc_right for r in rs if r.geoloc_right is not None]
        print(
            f"| {kind} | {len(rs)} | {_mean_ci([r.geometry.ceiling for r in rs], geometry_rng)} "
            f"| {_mean_ci([float(r.geometry.right) for r in rs], geometry_rng)} "
            f"| {sum(r.geometry.holds(0.9) for r in rs) / len(rs):.0%} "
            f"| {statistics.median(r.geometry.area90 for r in rs):,.0f} "
            f"| {f'{sum(geo) / len(geo):.0%}' if geo else '-'} |"
        )
    print("\nBy number of rows, and how many scenes could reach the goal's 90% at all:\n")
    print(
        "| kind | rows | scenes | Bayes ceiling | scenes with ceiling >= 0.9 | >= 0.5 | told f "
        "| ceiling, no camera prior | its decision right | ceiling, sign geometry only | geoloc right |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for kind in KINDS:
        for k in sorted({len(r.scene.towns) for r in results if r.scene.kind == kind}):
            rs = [r for r in results if r.scene.kind == kind and len(r.scene.towns) == k]
            geo = [r.geoloc_right for r in rs if r.geoloc_right is not None]
            print(
                f"| {kind} | {k} | {len(rs)} | {statistics.fmean(r.sign.ceiling for r in rs):.0%} "
                f"| {sum(r.sign.ceiling >= 0.9 for r in rs) / len(rs):.0%} "
                f"| {sum(r.sign.ceiling >= 0.5 for r in rs) / len(rs):.0%} "
                f"| {statistics.fmean(r.told_f.ceiling for r in rs):.0%} "
                f"| {statistics.fmean(r.flat.ceiling for r in rs):.0%} "
                f"| {sum(r.flat.right for r in rs) / len(rs):.0%} "
                f"| {statistics.fmean(r.geometry.ceiling for r in rs):.0%} "
                f"| {f'{sum(geo) / len(geo):.0%}' if geo else '-'} |"
            )


def _binomial_band(p: float, n: int) -> tuple[float, float]:
    """The range a share of n draws at probability p falls in 99% of the time (normal approximation)."""
    sd = math.sqrt(p * (1 - p) / n)
    return p - 2.576 * sd, p + 2.576 * sd


def print_check(results: Sequence[Result]) -> bool:
    """The posterior's calibration on scenes it never saw: regions hold the camera as often as
    they say, and the decision is right as often as the ceiling says. True when all agree.

    The no-prior and geometry-only oracles are printed but not judged: the cameras come from the
    generator's prior, not from a flat one, so their posteriors need not hold them at their stated
    rates (the no-prior oracle's likelihood is the sign oracle's, which is judged)."""
    print(
        "| oracle | kind | scenes | camera in 50% region | in 90% region | mean ceiling | decision right "
        "| agree (99%) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    fine = True
    oracles = (("sign", lambda r: r.sign, True), ("sign + f", lambda r: r.told_f, True))
    unjudged = (("sign, no camera prior", lambda r: r.flat, False), ("sign geometry only", lambda r: r.geometry, False))
    for name, pick, judged in (*oracles, *unjudged):
        for kind, of_kind in _by_kind(results):
            rs = [pick(r) for r in of_kind]
            n = len(rs)
            shares = {s: sum(o.holds(s) for o in rs) / n for s in REGIONS}
            ceiling = statistics.fmean(o.ceiling for o in rs)
            right = sum(o.right for o in rs) / n
            ok = all(_binomial_band(s, n)[0] <= shares[s] <= _binomial_band(s, n)[1] for s in REGIONS)
            ok &= _binomial_band(ceiling, n)[0] <= right <= _binomial_band(ceiling, n)[1]
            fine &= ok or not judged
            verdict = ("yes" if ok else "NO") if judged else f"not judged ({'within' if ok else 'outside'} the bands)"
            print(
                f"| {name} | {kind} | {n} | {shares[0.5]:.0%} | {shares[0.9]:.0%} | {ceiling:.0%} | {right:.0%} "
                f"| {verdict} |"
            )
    return fine


def self_check() -> str:
    """The array bearings agree with the generator's own (``_bearings``)."""
    rng = np.random.default_rng(7)
    pool = gen.pools()["eu"]
    some = gen.Pool([], pool.lat[:200], pool.lon[:200], pool.population[:200])
    worst = 0.0
    for _ in range(50):
        lat, lon = float(rng.uniform(45, 60)), float(rng.uniform(10, 40))
        mine = bearings(np.array(lat), np.array(lon), some.lat, some.lon)
        worst = max(worst, float(np.max(np.abs(mine - gen._bearings(lat, lon, some)))))
    if worst > 1e-9:
        sys.exit(f"the array bearings differ from locate_scenes' by {worst:g} degrees")
    return "replay and bearings identical to locate_scenes' (every scene replayed and compared)"


# ---------------------------------------------------------------------------------------------


def run(kinds: Sequence[str], seeds: Sequence[int], per_kind: int, with_geoloc: bool) -> list[Result]:
    results: list[Result] = []
    settings = Settings()
    started = time.perf_counter()
    for seed in seeds:
        for kind in kinds:
            for i in range(per_kind):
                t0 = time.perf_counter()
                scene = replay(kind, seed, i)
                sign, told, flat, geometry = posteriors(scene)
                seconds = time.perf_counter() - t0
                geo = None
                if with_geoloc:
                    report, _ = gen.run_text(scene.case, settings)
                    geo = gen.judge(scene.case, report.estimate)[0]
                results.append(Result(scene, sign, told, flat, geometry, geo, seconds))
            done = [r for r in results if r.scene.seed == seed and r.scene.kind == kind]
            print(
                f"  seed {seed} {kind}: mean ceiling {statistics.fmean(r.sign.ceiling for r in done):.2f}, "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    return results


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--per-kind", type=int, default=100, help="scenes per kind and seed (default 100)")
    add_seeds(ap, note=", the benchmark's")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of " + ", ".join(KINDS))
    ap.add_argument(
        "--check",
        action="store_true",
        help=f"check the posterior's calibration on other seeds (default {CHECK_SEEDS}) instead, without geoloc",
    )
    args = ap.parse_args()
    seeds = seed_list(CHECK_SEEDS) if args.check and args.seeds == seed_list("1,2,3") else args.seeds
    kinds = [k for k in args.kinds.split(",") if k]
    if not kinds or any(k not in KINDS for k in kinds):
        ap.error(f"--kinds takes some of {', '.join(KINDS)}")
    note = self_check()
    started = time.perf_counter()
    results = run(kinds, seeds, args.per_kind, with_geoloc=not args.check)
    print(header_line())
    print(f"seeds {','.join(map(str, seeds))}, {args.per_kind} scenes per kind and seed; {note}\n")
    if args.check:
        fine = print_check(results)
    else:
        print_tables(results)
        fine = True
    print(
        f"\nmedian seconds per scene (all four oracles): {statistics.median(r.seconds for r in results):.2f}; "
        f"wall time {time.perf_counter() - started:.0f} s"
    )
    if not fine:
        sys.exit("the posterior is not calibrated on these scenes (see the table)")


if __name__ == "__main__":
    main()
