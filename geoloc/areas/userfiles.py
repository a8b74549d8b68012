"""Reads a user's GeoJSON file of areas into polygons, with a one-line error naming the file for anything wrong.

The file comes from anyone, so the work it can cause is bounded before it is done: the bytes read
(``MAX_AREA_FILE_BYTES``, whatever the path is: a FIFO, ``/dev/zero``), the features and the
vertices parsed, and the repair of a shape that crosses itself, whose cost grows with the number
of crossings rather than of vertices (a 200,000-vertex scribble crosses itself billions of
times). Drawing and growing a band then simplify what they show (``geodesy.simplify_in_runs``).
"""

from __future__ import annotations

import json
import os
from itertools import pairwise
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import shapely
import shapely.errors
from shapely.geometry.base import BaseGeometry

from geoloc.common.files import read_at_most
from geoloc.common.geodesy import simple_parts
from geoloc.errors import RegionError
from geoloc.model import Area

MAX_AREA_FILE_BYTES = 20_000_000
"""20 MB: ``MAX_AREA_VERTICES`` fit even written with full precision (~40 bytes a vertex); the
file is parsed whole in memory, and beyond this parsing alone costs seconds and gigabytes."""
MAX_AREA_FEATURES = 1_000
"""Each feature is an area of its own, measured for every photo and listed in its report and on
the map: a thousand is already more than anyone reads (a country's districts are a few hundred)."""
MAX_AREA_VERTICES = 500_000
"""Across the file: ten times Natural Earth's most detailed country (Canada, 54,000), a region
outlined to ~20 m; each step after parsing (checking, repairing, measuring, drawing) then takes
about a second at most."""
MAX_AREA_CROSSINGS = 10_000
"""Places where a file's edges cross, counted before a polygon is repaired or a line is kept: a
hand-drawn or exported file has a handful, and repair time grows with them (10,000 take ~0.1 s;
a 200,000-vertex scribble has billions)."""
MAX_EDGE_PAIRS = 20_000_000
"""Pairs of edges whose boxes meet, checked when counting crossings: it bounds that count's own
work (a few seconds) when long edges overlap everywhere without crossing."""
EDGE_PAIRS_PER_QUERY = 500_000
"""At most about this many pairs of edges are looked at in one go, which bounds the memory used."""
MAX_AREA_NAME_CHARS = 200
"""An area's name labels a report line and a map layer: longer names are cut."""
GEOJSON_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}
)
"""The geometry types of GeoJSON (RFC 7946), which ``shapely.from_geojson`` reads."""


def _reject_constant(name: str) -> NoReturn:
    """``json`` accepts NaN and Infinity, which are not JSON: a file holding them is refused."""
    raise ValueError(f"{name} is not a number")


def _read_json(path: Path, shown: str) -> Any:
    """The parsed JSON of ``path``, reading at most ``MAX_AREA_FILE_BYTES`` whatever the path is."""
    try:
        data = read_at_most(path, MAX_AREA_FILE_BYTES)  # `--area <(ogr2ogr ...)` is ordinary use
    except FileNotFoundError:
        raise RegionError("no such GeoJSON file", path=shown) from None
    except OSError as exc:
        raise RegionError(f"cannot read ({exc.strerror or exc})", path=shown) from None
    if len(data) > MAX_AREA_FILE_BYTES:
        raise RegionError(
            f"larger than {MAX_AREA_FILE_BYTES // 1_000_000} MB, the most read for areas; simplify it first",
            path=shown,
        )
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise RegionError("not GeoJSON (not UTF-8 text)", path=shown) from None
    except json.JSONDecodeError as exc:
        raise RegionError(f"not GeoJSON (invalid JSON at line {exc.lineno})", path=shown) from None
    except ValueError as exc:  # NaN, or an integer too long to convert
        raise RegionError(f"not GeoJSON ({exc})", path=shown) from None
    except RecursionError:
        raise RegionError("not GeoJSON (nested too deeply)", path=shown) from None


def _features(data: Any, shown: str) -> list[Any]:
    """The features of a FeatureCollection, a Feature or a bare geometry, as a list."""
    if not isinstance(data, dict):
        raise RegionError("not GeoJSON (expected an object)", path=shown)
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
    elif kind == "Feature":
        features = [data]
    elif kind == "Topology":
        raise RegionError("TopoJSON is not read: convert it to GeoJSON first (mapshaper, topo2geo)", path=shown)
    elif kind in GEOJSON_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise RegionError(f"not GeoJSON (unknown type {str(kind)[:40]!r})", path=shown)
    if not isinstance(features, list) or not features:
        raise RegionError("no features in the GeoJSON file", path=shown)
    if len(features) > MAX_AREA_FEATURES:
        raise RegionError(
            f"{len(features):,} features, more than the {MAX_AREA_FEATURES:,} areas one file may report; "
            "merge or select them first",
            path=shown,
        )
    return features


def _edges(geom: BaseGeometry) -> np.ndarray:
    """Every edge of the lines and rings in ``geom``, one row (x0, y0, x1, y1) each; points have none."""
    parts = simple_parts(geom)
    kinds = shapely.get_type_id(parts)
    lines = np.concatenate([parts[(kinds == 1) | (kinds == 2)], shapely.get_rings(parts[kinds == 3])])
    coords, which = shapely.get_coordinates(lines, return_index=True)
    joined = which[1:] == which[:-1]
    edges = np.hstack([coords[:-1][joined], coords[1:][joined]])
    return edges[(edges[:, 0] != edges[:, 2]) | (edges[:, 1] != edges[:, 3])]


def _side(ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """-1, 0 or 1: which side of the line from a to b each point p lies on."""
    return np.sign((bx - ax) * (py - ay) - (by - ay) * (px - ax))


def _crossings(edges: np.ndarray, limit: int) -> int | None:
    """How many pairs of ``edges`` cross (meeting at an end does not count), counted until past
    ``limit``; None when there are too many pairs side by side to tell (``MAX_EDGE_PAIRS``).

    Pairs are found with a tree of the edges' boxes, a bounded number at a time: how many boxes
    each box can meet is bounded first (those overlapping it in x, and in y), so no batch holds
    more than about ``EDGE_PAIRS_PER_QUERY``, and the count stops past ``MAX_EDGE_PAIRS`` pairs.
    """
    n = len(edges)
    lo_x, hi_x = np.minimum(edges[:, 0], edges[:, 2]), np.maximum(edges[:, 0], edges[:, 2])
    lo_y, hi_y = np.minimum(edges[:, 1], edges[:, 3]), np.maximum(edges[:, 1], edges[:, 3])

    def overlapping(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        return np.searchsorted(np.sort(lo), hi, "right") - np.searchsorted(np.sort(hi), lo, "left")

    reach = np.cumsum(np.minimum(overlapping(lo_x, hi_x), overlapping(lo_y, hi_y)))
    cuts = np.searchsorted(reach, np.arange(EDGE_PAIRS_PER_QUERY, reach[-1] if n else 0, EDGE_PAIRS_PER_QUERY))
    segments = shapely.linestrings(edges.reshape(-1, 2, 2))
    tree = shapely.STRtree(segments)
    pairs = found = 0
    for a, b in pairwise([0, *np.unique(cuts[cuts > 0]).tolist(), n]):
        i, j = tree.query(segments[a:b])
        i += a
        later = j > i
        i, j = i[later], j[later]
        pairs += len(i)
        if pairs > MAX_EDGE_PAIRS:
            return None
        p, q = edges[i].T, edges[j].T
        across_q = _side(q[0], q[1], q[2], q[3], p[0], p[1]) * _side(q[0], q[1], q[2], q[3], p[2], p[3]) < 0
        across_p = _side(p[0], p[1], p[2], p[3], q[0], q[1]) * _side(p[0], p[1], p[2], p[3], q[2], q[3]) < 0
        found += int(np.count_nonzero(across_q & across_p))
        if found > limit:
            break
    return found


def _sound(geom: BaseGeometry, n: int, budget: int, shown: str) -> tuple[BaseGeometry, int]:
    """``geom`` made valid, and what is left of the file's crossing budget after its crossings.

    The crossings are counted first, because checking validity, repairing and growing a band all
    slow down with them (GEOS takes 6 s just to find a 200,000-vertex scribble invalid); a shape
    over the budget is refused. Points have no edges to cross.
    """
    if shapely.get_dimensions(geom) == 0:
        return geom, budget
    crossings = _crossings(_edges(geom), budget)
    if crossings is None:
        raise RegionError(
            f"feature {n} has more than {MAX_EDGE_PAIRS:,} pairs of edges side by side, too many to check; "
            "simplify it first",
            path=shown,
        )
    if crossings > budget:
        raise RegionError(
            f"feature {n} crosses itself in more than {MAX_AREA_CROSSINGS:,} places, too many to repair; "
            "fix it in a GIS first",
            path=shown,
        )
    if not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    return geom, budget - crossings


def _geometry(f: Any, n: int, shown: str) -> BaseGeometry:
    """Feature ``n``'s geometry, in lon/lat with finite coordinates, or RegionError."""
    if not isinstance(f, dict) or not isinstance(f.get("geometry"), dict):
        raise RegionError(f"feature {n} has no geometry", path=shown)
    try:  # GEOS reads GeoJSON several times faster than building shapes from Python lists
        geom = shapely.from_geojson(json.dumps(f["geometry"], allow_nan=False))
    except ValueError:  # 1e999 was read as infinity
        raise RegionError(f"feature {n} has a coordinate that is not a finite number", path=shown) from None
    except RecursionError:
        raise RegionError(f"feature {n} has an invalid geometry (nested too deeply)", path=shown) from None
    except shapely.errors.GEOSException as exc:
        problem = str(exc).removeprefix("ParseException: ").removeprefix("IllegalArgumentException: ")
        raise RegionError(f"feature {n} has an invalid geometry ({problem[:200]})", path=shown) from None
    if geom.is_empty:
        raise RegionError(f"feature {n} has an empty geometry", path=shown)
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise RegionError(f"feature {n} has a coordinate that is not a finite number", path=shown)
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise RegionError(f"feature {n} is not in longitude/latitude (WGS 84)", path=shown)
    return geom


def load_area_file(path: Path) -> list[Area]:
    """The areas of a user's GeoJSON file (a FeatureCollection, Feature or bare geometry).

    Anything wrong, or over one of the limits above, is a RegionError naming the file.
    """
    shown = os.fspath(path)
    features = _features(_read_json(path, shown), shown)
    stem = Path(path).stem
    areas: list[Area] = []
    vertices, budget = 0, MAX_AREA_CROSSINGS
    for n, f in enumerate(features, 1):
        geom = _geometry(f, n, shown)
        vertices += shapely.get_num_coordinates(geom)
        if vertices > MAX_AREA_VERTICES:
            raise RegionError(
                f"more than {MAX_AREA_VERTICES:,} vertices, the most read for areas; simplify it first", path=shown
            )
        geom, budget = _sound(geom, n, budget, shown)
        if geom.is_empty:
            raise RegionError(f"feature {n} has an empty geometry", path=shown)
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        label = next((str(props[k]) for k in ("name", "Name", "NAME", "title") if props.get(k)), "")
        name = label[:MAX_AREA_NAME_CHARS] or (stem if len(features) == 1 else f"{stem} #{n}")
        areas.append(Area(name=name, kind="user", geometry=geom, code=f"{stem}#{n}"))
    return areas
