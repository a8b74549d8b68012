"""The map's layers, one function each, every one drawing the records it is given.

Each returns a folium FeatureGroup (the analyst toggles it in the layer control), or None when
it would be empty. Outlines are clipped to the window and simplified to what a screen shows
there, which keeps the page small; strings from outside are escaped before they become tooltips
or layer names.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
import shapely
import shapely.errors
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geoloc.common.geodesy import annulus, simplify_in_runs
from geoloc.model import Area, AreaDistance, MapGeography, PhotoReport
from geoloc.render.map.escape import esc
from geoloc.render.map.popups import POPUP_WIDTH_PX, Thumbnails, candidate_html, estimate_html, photo_label
from geoloc.render.map.style import (
    BAND_COLOR,
    COUNTRY_LINE,
    DISTANCE_COLOR,
    ESTIMATE_COLOR,
    LAND_FILL,
    RING_COLOR,
    area_style,
    score_color,
)
from geoloc.render.shapes import Extent, border_band, estimate_region, road_ring, straight_line_range

log = logging.getLogger(__name__)

DETAIL_DECIMALS = 4
"""Coordinates drawn in detail are rounded to ~10 m: finer than a screen pixel at street zoom."""
DETAIL_MIN_TOLERANCE_DEG = 0.002
"""Detail is never simplified below ~200 m: the boundaries themselves are no finer (1:10m)."""
DETAIL_WINDOW_PX = 3000
"""Detail is simplified to the window's width over this many pixels: under a pixel at first view."""
WORLD_TOLERANCE_DEG = 0.2
"""Countries outside the window are drawn at world scale, simplified to ~20 km."""
WORLD_MIN_PART_SQ_DEG = 1.0
"""At world scale a country's islands under ~1 square degree are dropped (the largest part stays)."""
WORLD_DECIMALS = 2
"""World-scale coordinates are rounded to ~1 km, well under their simplification."""
CANDIDATE_RADIUS_PX = (5, 11)
"""A candidate's marker: this radius, plus this much more for a score of 1."""
ESTIMATE_CENTRE_PX = 7
"""The estimate's centre: larger than a small candidate, so it is found first."""
DISTANCE_END_PX = 3
"""The dot where a distance line meets an area: marks the point without hiding the border."""
END_SHARING_DECIMALS = 2
"""Areas whose nearest points agree to ~1 km (a country and its border) share one distance line."""
ALTERNATIVE_DASH = "8 6"
"""An alternative region's outline is dashed: a place the camera may be, drawn less firmly than the estimate."""
BAND_DETAIL_FRACTION = 0.5
"""An outline is simplified to half the drawing tolerance before its band is grown: the band then
lies within a pixel of the exact one, for a fraction of the work."""


def _geojson(
    geom: BaseGeometry, style: dict[str, Any], name: str, *, tooltip: str | None = None, interactive: bool = True
) -> folium.GeoJson:
    """A GeoJson layer of one geometry; ``tooltip`` must already be escaped."""
    style = {k: v for k, v in style.items() if v is not None}
    style["interactive"] = interactive
    layer = folium.GeoJson(
        mapping(geom),
        name=name,
        style_function=lambda _f, s=style: s,
        highlight_function=None,
        control=False,
        interactive=interactive,
        smooth_factor=1.0,
    )
    if tooltip:
        folium.Tooltip(tooltip, sticky=True).add_to(layer)
    return layer


def _rounded(geom: BaseGeometry, decimals: int) -> BaseGeometry:
    """Coordinates rounded for a smaller page."""
    return shapely.transform(geom, lambda c: np.round(c, decimals))


def _detail_tolerance(window: Extent) -> float:
    """What a screen shows of ``window`` at first view, in degrees: finer detail is not drawn."""
    return max(DETAIL_MIN_TOLERANCE_DEG, (window[2] - window[0]) / DETAIL_WINDOW_PX)


def _for_drawing(geom: BaseGeometry, window: Extent) -> BaseGeometry:
    """The part of ``geom`` inside ``window``, simplified to what a screen shows at that scale."""
    clipped = shapely.clip_by_rect(geom, *window)
    return _rounded(simplify_in_runs(clipped, _detail_tolerance(window)), DETAIL_DECIMALS)


def _world_outline(geom: BaseGeometry) -> BaseGeometry:
    """A country at world scale: a light basemap for where the analyst rarely looks."""
    parts = sorted(shapely.get_parts(geom), key=lambda p: p.area, reverse=True)
    keep = [p for p in parts if p.area >= WORLD_MIN_PART_SQ_DEG] or parts[:1]
    simple = shapely.simplify(shapely.multipolygons(keep), WORLD_TOLERANCE_DEG, preserve_topology=False)
    return _rounded(simple, WORLD_DECIMALS)


# ---------------------------------------------------------------------------------------------
# layers of the whole map


def countries(geography: MapGeography, *, offline: bool) -> folium.FeatureGroup:
    """Country outlines: the basemap offline (filled land), an overlay to switch on online."""
    group = folium.FeatureGroup(name="Country borders", show=offline)
    style = {"color": COUNTRY_LINE, "weight": 1.0, "fillColor": LAND_FILL, "fillOpacity": 1.0 if offline else 0.0}
    for a in geography.countries:
        g = _for_drawing(a.geometry, geography.window) if a.code in geography.nearby else _world_outline(a.geometry)
        if not g.is_empty:
            _geojson(g, style, a.name, interactive=False).add_to(group)
    return group


def bands(geography: MapGeography, within_km: float | None) -> folium.FeatureGroup | None:
    """The band ``within_km`` wide along each reported area, except areas an estimate lies in.

    A band along the whole outline of the estimate's own country says nothing.
    """
    if not (geography.areas and within_km):
        return None
    group = folium.FeatureGroup(name=f"Within {within_km:g} km of the reported borders")
    around_estimate = {d.area for d in geography.distances if d.inside}
    style = {"color": BAND_COLOR, "weight": 0.5, "fillColor": BAND_COLOR, "fillOpacity": 0.28}
    tolerance = _detail_tolerance(geography.window) * BAND_DETAIL_FRACTION
    for ai, a in enumerate(geography.areas):
        if ai in around_estimate:
            continue
        try:
            band = border_band(a.geometry, within_km, geography.window, tolerance)
        except (ValueError, shapely.errors.GEOSException) as exc:
            log.warning("the band within %g km of %s is not drawn: %s", within_km, a.name, exc)
            continue
        if band.is_empty:
            continue
        tip = f"within {within_km:g} km of {esc(a.name)}"
        _geojson(_for_drawing(band, geography.window), style, f"band {a.name}", tooltip=tip).add_to(group)
    return group


def reported_areas(geography: MapGeography) -> folium.FeatureGroup | None:
    """The reported areas, styled by kind, with border lines drawn over the outlines they follow."""
    if not geography.areas:
        return None
    group = folium.FeatureGroup(name="Reported areas")
    for a in sorted(geography.areas, key=lambda a: a.kind == "border"):
        g = _for_drawing(a.geometry, geography.window)
        if g.is_empty:
            continue
        st = area_style(a.kind)
        style = {
            "color": st["color"],
            "weight": st["weight"],
            "fillColor": st["color"],
            "fillOpacity": st["fillOpacity"],
            "dashArray": st["dashArray"],
        }
        tip = f"<b>{esc(a.name)}</b> ({esc(a.kind)}{', ' + esc(a.code) if a.code else ''})"
        _geojson(g, style, a.name, tooltip=tip).add_to(group)
    return group


# ---------------------------------------------------------------------------------------------
# layers of one photo; ``prefix`` names the photo when the map shows several


def distance_lines(
    photo: PhotoReport, distances: Sequence[AreaDistance], areas: Sequence[Area], prefix: str
) -> folium.FeatureGroup | None:
    """A labelled line from the photo's estimate to the nearest point of each area it lies outside."""
    e = photo.estimate
    if e is None or not areas:
        return None
    group = folium.FeatureGroup(name=f"{prefix}Distances to the reported areas")
    ends: dict[tuple[float, float], list[AreaDistance]] = {}
    for d in distances:
        if not d.inside:
            key = (round(d.nearest[0], END_SHARING_DECIMALS), round(d.nearest[1], END_SHARING_DECIMALS))
            ends.setdefault(key, []).append(d)
    for hits in ends.values():
        q = hits[0].nearest
        label = f"{hits[0].distance_km:.0f} km to " + " · ".join(esc(areas[d.area].name) for d in hits)
        line = folium.PolyLine([(e.lat, e.lon), q], color=DISTANCE_COLOR, weight=2, dash_array="5 5", opacity=0.9)
        folium.Tooltip(label, permanent=True, direction="center", sticky=False, className="geoloc-distance").add_to(
            line
        )
        line.add_to(group)
        folium.CircleMarker(
            q, radius=DISTANCE_END_PX, color=DISTANCE_COLOR, fill=True, fill_opacity=1, weight=1
        ).add_to(group)
    return group


def distance_rings(photo: PhotoReport, prefix: str) -> folium.FeatureGroup | None:
    """For each road distance read on a sign, the ring around its place where the camera can be."""
    rings = [(c, ev) for c in photo.candidates for ev in c.evidence if ev.distance_km]
    if not rings:
        return None
    group = folium.FeatureGroup(name=f"{prefix}Distance rings")
    style = {"color": RING_COLOR, "weight": 1.5, "fillColor": RING_COLOR, "fillOpacity": 0.12}
    for c, ev in rings:
        d = float(ev.distance_km or 0)
        inner, outer = straight_line_range(d)
        tip = (
            f"{esc(c.place.name)} {d:g} km by road: {inner:.0f}–{outer:.0f} km "
            f"in a straight line (sign “{esc(ev.text)}”)"
        )
        _geojson(road_ring(c.place.lat, c.place.lon, d), style, f"ring {c.place.name}", tooltip=tip).add_to(group)
    return group


def estimate(photo: PhotoReport, thumbs: Thumbnails, prefix: str) -> folium.FeatureGroup | None:
    """The estimate's region and its centre, whose popup tells how it was reached, and each other
    region the evidence allows as a dashed circle with its probability."""
    e = photo.estimate
    if e is None:
        return None
    group = folium.FeatureGroup(name=f"{prefix}Estimate")
    share = f", probability {e.probability:.2f}" if e.alternatives and e.probability is not None else ""
    tip = f"{esc(photo_label(photo))}: estimate ({esc(e.basis)}, ± {e.radius_km:.0f} km{share})"
    style = {"color": ESTIMATE_COLOR, "weight": 2, "fillColor": ESTIMATE_COLOR, "fillOpacity": 0.08}
    _geojson(estimate_region(e), style, "estimate", tooltip=tip).add_to(group)
    centre = folium.CircleMarker(
        (e.lat, e.lon),
        radius=ESTIMATE_CENTRE_PX,
        color="#fff",
        weight=3,
        fill=True,
        fill_color=ESTIMATE_COLOR,
        fill_opacity=1,
    )
    folium.Popup(estimate_html(photo, thumbs), max_width=POPUP_WIDTH_PX).add_to(centre)
    folium.Tooltip(tip).add_to(centre)
    centre.add_to(group)
    for a in e.alternatives:
        alt_tip = (
            f"{esc(photo_label(photo))}: or here, probability {a.probability:.2f} "
            f"(± {a.radius_km:.0f} km; {esc(a.explanation)})"
        )
        alt_style = {**style, "fillOpacity": 0.04, "dashArray": ALTERNATIVE_DASH}
        _geojson(annulus(a.lat, a.lon, 0.0, a.radius_km), alt_style, "alternative", tooltip=alt_tip).add_to(group)
    return group


def candidates(photo: PhotoReport, thumbs: Thumbnails, prefix: str) -> folium.FeatureGroup | None:
    """The candidate places, sized and coloured by score, best drawn on top, with their evidence."""
    if not photo.candidates:
        return None
    group = folium.FeatureGroup(name=f"{prefix}Candidates")
    base, extra = CANDIDATE_RADIUS_PX
    for c in sorted(photo.candidates, key=lambda c: c.score):
        marker = folium.CircleMarker(
            (c.place.lat, c.place.lon),
            radius=base + extra * c.score,
            color="#333",
            weight=1,
            fill=True,
            fill_color=score_color(c.score),
            fill_opacity=0.9,
        )
        folium.Popup(candidate_html(c, photo, thumbs), max_width=POPUP_WIDTH_PX).add_to(marker)
        folium.Tooltip(f"{esc(c.place.name)} · score {c.score:.2f}").add_to(marker)
        marker.add_to(group)
    return group
