"""What a map of a report must show from the areas stage: the view, the countries, the distances.

The renderer draws and computes nothing: the window the evidence fills, the country outlines near
it, and for every estimate and reported area the distance and the nearest point (where the map's
distance line ends) are worked out here, from the report and the areas already resolved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import shapely

from geoloc.areas.boundaries import all_countries, countries_in
from geoloc.areas.lookup import measure
from geoloc.common.geodesy import haversine_km, nearest_point
from geoloc.model import Area, AreaDistance, MapGeography, Report

WORLD_VIEW = (-170.0, -60.0, 170.0, 75.0)
"""The map's view (west, south, east, north) when the report places nothing: the inhabited world."""
FOCUS_MIN_KM = 300.0
"""Candidates this far from the estimate (or three of its radii, if more) are drawn but not framed."""
VIEW_MARGIN = (0.4, 0.25)
"""The view grows the evidence's extent by this fraction on each side, by at least this many degrees."""
WINDOW_MARGIN = (3.0, 12.0)
"""Outlines are drawn in detail this much beyond the view: past the first view and a zoom out."""


def map_geography(report: Report, areas: Sequence[Area] = ()) -> MapGeography:
    """Everything the map needs from the areas stage, so that rendering only draws.

    For each photo with an estimate and each area: the distance (the report's figure when it has
    one) and the area's point nearest the estimate, where the map's distance line ends. The view
    frames the evidence (each estimate, the candidates near it, those nearest points), else the
    areas; the countries meeting the window around it are drawn in detail, the rest at world scale.
    """

    def grown(ext: tuple[float, float, float, float], frac: float, minimum: float) -> tuple[float, float, float, float]:
        w, s, e, n = ext
        dx = max((e - w) * frac, minimum)
        dy = max((n - s) * frac, minimum * 0.6)  # a screen is wider than it is tall
        return (max(-180.0, w - dx), max(-85.0, s - dy), min(180.0, e + dx), min(85.0, n + dy))

    focus: list[tuple[float, float]] = []  # (lat, lon)
    distances: list[AreaDistance] = []
    for pi, photo in enumerate(report.photos):
        e = photo.estimate
        if e is not None:
            dlat = e.radius_km / 111.0  # km in a degree of latitude; ample for framing
            dlon = e.radius_km / (111.0 * max(0.05, math.cos(math.radians(e.lat))))
            focus += [(e.lat - dlat, e.lon - dlon), (e.lat + dlat, e.lon + dlon)]
            focus += [(lat, lon) for lon, lat in e.polygon] + [(a.lat, a.lon) for a in e.alternatives]
        for c in photo.candidates:
            if e is None or haversine_km(e.lat, e.lon, c.place.lat, c.place.lon) <= max(FOCUS_MIN_KM, 3 * e.radius_km):
                focus.append((c.place.lat, c.place.lon))
        if e is None:
            continue
        measured = {(m.get("kind"), m.get("code"), m.get("name")): m for m in photo.areas}
        for ai, area in enumerate(areas):
            got = measured.get((area.kind, area.code, area.name)) or measure(area, e.lat, e.lon)
            q = nearest_point(area.geometry, e.lat, e.lon)
            distances.append(
                AreaDistance(
                    photo=pi, area=ai, distance_km=float(got["distance_km"]), inside=bool(got["inside"]), nearest=q
                )
            )
            focus.append(q)
    if focus:
        lats, lons = [p[0] for p in focus], [p[1] for p in focus]
        view = grown((min(lons), min(lats), max(lons), max(lats)), *VIEW_MARGIN)
    elif areas:
        view = grown(shapely.union_all([a.geometry for a in areas]).bounds, *VIEW_MARGIN)
    else:
        view = WORLD_VIEW
    window = grown(view, *WINDOW_MARGIN)
    return MapGeography(
        view=view,
        window=window,
        areas=tuple(areas),
        distances=tuple(distances),
        countries=tuple(all_countries()),
        nearby=frozenset(a.code for a in countries_in(window)),
    )
