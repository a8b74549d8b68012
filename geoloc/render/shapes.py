"""The shapes both the HTML map and the GeoJSON draw, built in one place so the two always agree.

Each shape is a lon/lat geometry drawn from what the report already holds: the estimate's region,
the ring a road distance allows, and the band along a reported area's edge. Nothing here weighs
evidence; distances are measured on the sphere (see ``geoloc.common.geodesy``).
"""

from __future__ import annotations

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geoloc.common.geodesy import ROAD_FACTOR_MIN, annulus, buffer_km
from geoloc.model import Estimate

Extent = tuple[float, float, float, float]
"""A lon/lat rectangle: (west, south, east, north)."""

MIN_RING_POINTS = 4
"""A closed ring needs three corners and the first one repeated; fewer points mean no region."""


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


def border_band(geometry: BaseGeometry, within_km: float, window: Extent) -> BaseGeometry:
    """The strip within ``within_km`` of an area's edge, for the part of the edge inside ``window``.

    For a polygon ("within 20 km of Belarus") the strip lies outside the area: inside it, every
    point is already in the area. For a line (a border, a road) it lies on both sides. Only the
    window is buffered because a whole country's outline is large and mostly off screen. The
    result is empty when no edge crosses the window.
    """
    polygonal = shapely.get_dimensions(geometry) == 2
    edge = shapely.clip_by_rect(geometry.boundary if polygonal else geometry, *window)
    if edge.is_empty:
        return edge
    band = buffer_km(edge, within_km)
    if polygonal:
        band = band.difference(shapely.clip_by_rect(geometry, *window))
    return band
