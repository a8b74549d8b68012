"""The shapes both the HTML map and the GeoJSON draw, built in one place so the two always agree.

Each shape is a lon/lat geometry drawn from what the report already holds: the estimate's region,
the ring a road distance allows, and the band along a reported area's edge. Nothing here weighs
evidence; distances are measured on the sphere (see ``geoloc.common.geodesy``).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from geoloc.common.geodesy import ROAD_FACTOR_MIN, annulus, buffer_km, simple_parts, simplify_in_runs
from geoloc.model import Estimate

Extent = tuple[float, float, float, float]
"""A lon/lat rectangle: (west, south, east, north)."""

MIN_RING_POINTS = 4
"""A closed ring needs three corners and the first one repeated; fewer points mean no region."""
MAX_BAND_VERTICES = 30_000
"""A band is grown from at most this many vertices of simplified outline in view: Natural Earth's
Canada, the most intricate, has 20,000 at world scale, and growing 30,000 takes ~3 s at worst
(a comb of thin teeth; ~0.5 s for a real coast). A user's file over it gets no band, with a warning."""


def estimate_region(estimate: Estimate) -> BaseGeometry:
    """Where the estimate puts the camera: its region polygon when inference drew one, else its circle."""
    if len(estimate.polygon) >= MIN_RING_POINTS:
        return Polygon(estimate.polygon)
    return annulus(estimate.lat, estimate.lon, 0.0, estimate.radius_km)


def straight_line_range(road_km: float) -> tuple[float, float]:
    """The straight-line distances (inner, outer) in km that a road distance allows.

    Roads wind, so a sign's ``d`` km puts the place between ``ROAD_FACTOR_MIN * d`` and ``d``
    away as the crow flies; labels and rings both quote this range.
    """
    return ROAD_FACTOR_MIN * road_km, road_km


def road_ring(lat: float, lon: float, road_km: float) -> BaseGeometry:
    """Where the camera can be when the place at (lat, lon) is ``road_km`` away by road."""
    return annulus(lat, lon, *straight_line_range(road_km))


def border_band(geometry: BaseGeometry, within_km: float, window: Extent, tolerance_deg: float) -> BaseGeometry:
    """The strip within ``within_km`` of an area's edge, for the part of the edge inside ``window``.

    For a polygon ("within 20 km of Belarus") the strip lies outside the area: inside it, every
    point is already in the area. For a line (a border, a road) it lies on both sides. Only the
    window is buffered because a whole country's outline is large and mostly off screen, and the
    edge is first simplified to ``tolerance_deg``, finer than the map draws: growing detail no
    one sees is most of the work, for a user's file of 500,000 vertices nearly all of it. The strip
    crosses the 180th meridian as its two sides (``buffer_km``). The result is empty when no edge
    crosses the window; a ValueError (over ``MAX_BAND_VERTICES`` or ``MAX_BUFFER_KM``) or a
    GEOSException says the strip cannot be built.
    """
    parts = simple_parts(geometry)
    polygonal = shapely.get_type_id(parts) == 3
    edges = shapely.clip_by_rect(np.concatenate([parts[~polygonal], shapely.get_rings(parts[polygonal])]), *window)
    edge = simplify_in_runs(shapely.geometrycollections(edges[~shapely.is_empty(edges)]), tolerance_deg)
    if edge.is_empty:
        return edge
    if (vertices := shapely.get_num_coordinates(edge)) > MAX_BAND_VERTICES:
        raise ValueError(f"its outline has {vertices:,} vertices in view, more than the {MAX_BAND_VERTICES:,} grown")
    band = buffer_km(edge, within_km)
    if polygonal.any():
        band = band.difference(shapely.intersection(shapely.multipolygons(parts[polygonal]), box(*window)))
    return band
