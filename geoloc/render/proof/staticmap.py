"""The proof's map, drawn with matplotlib from the same geography, shapes and colours as the HTML map.

A proof must be a still picture made without a browser, so this draws on a matplotlib ``Axes``
what the folium map shows (``geoloc.render.map``): the country outlines as the basemap, the
reported areas and the bands along them, the rings a road distance allows, the estimate's region
and the other places the evidence allows, the candidates coloured by score, and a labelled line
from the estimate to each area it lies outside; then a scale bar, a north arrow and the
attribution. No tiles and no network: the outlines are Natural Earth's from the boundary cache,
already gathered in the report's ``MapGeography``.

The projection is plate carrée stretched by the cosine of the view's middle latitude, so that a
kilometre is the same length across and up at the centre: over the few hundred kilometres a
proof shows, shapes and the scale bar are true to a few per cent, and north is up.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
import shapely.errors
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import Normal, Stroke
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geoloc.common.geodesy import annulus, simple_parts, simplify_in_runs
from geoloc.model import AreaDistance, MapGeography, PhotoReport
from geoloc.render.map.layers import END_SHARING_DECIMALS
from geoloc.render.map.style import (
    BAND_COLOR,
    COUNTRY_LINE,
    DISTANCE_COLOR,
    ESTIMATE_COLOR,
    LAND_FILL,
    RING_COLOR,
    SCORE_COLORS,
    SEA_FILL,
    area_style,
    score_color,
)
from geoloc.render.proof.i18n import Translate
from geoloc.render.proof.statement import shown
from geoloc.render.shapes import Extent, border_band, estimate_region, road_ring

log = logging.getLogger(__name__)

KM_PER_DEG = 111.32
"""Kilometres in a degree of latitude (and of longitude at the equator)."""
MIN_COS_LAT = 0.05
"""The cosine of latitude used near the poles is never below this: a view there is stretched, not infinite."""
MAX_LAT = 85.0
"""Views stop at this latitude, as the interactive map's do."""
PX_PER_PT = 100 / 72
"""Pixels per typographic point at the proof's 100 dpi: the folium styles are in pixels, matplotlib's in points."""
DETAIL_PX = 1.0
"""Outlines are simplified to a pixel of the panel: finer detail cannot be seen."""
MARGIN = 0.02
"""Geometries are clipped to the view grown by this fraction, so no clipped edge shows inside it."""
LABELLED_CANDIDATES = 5
"""Candidates named on the map, best first: more names would hide the outlines they sit on."""
COUNTRY_LABEL_SHARE = 0.03
"""A country is named on the map when its part in view covers at least this share of the view."""
SCALE_BAR_SHARE = 0.22
"""The scale bar is about this share of the map's width, rounded down to 1, 2 or 5 times a power of ten."""
ALTERNATIVE_DASH = (0, (6, 4))
"""The dash of another place the evidence allows, as the interactive map draws it."""
MAX_LABEL_SHIFTS = 4
"""A distance label that covers another is moved out by its own height at most this many times."""


def fitted_extent(view: Extent, width_px: float, height_px: float) -> Extent:
    """``view`` grown on one axis so that it fills a panel of this size with kilometres square at its centre."""
    w, s, e, n = view
    k = max(MIN_COS_LAT, math.cos(math.radians((s + n) / 2)))
    ground_w, ground_h = max((e - w) * k, 1e-6), max(n - s, 1e-6)
    target = width_px / height_px
    if ground_w / ground_h < target:
        ground_w = ground_h * target
    else:
        ground_h = ground_w / target
    cx, cy = (w + e) / 2, (s + n) / 2
    cy = min(MAX_LAT - ground_h / 2, max(-MAX_LAT + ground_h / 2, cy))  # a polar view slides, never flips
    return (cx - ground_w / (2 * k), cy - ground_h / 2, cx + ground_w / (2 * k), cy + ground_h / 2)


def _grown(extent: Extent, share: float) -> Extent:
    w, s, e, n = extent
    dx, dy = (e - w) * share, (n - s) * share
    return (w - dx, s - dy, e + dx, n + dy)


def _polygon_path(geom: BaseGeometry) -> MplPath | None:
    """The polygons of ``geom`` as one compound path (holes wound the other way, so they stay holes)."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for part in simple_parts(geom):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        part = orient(part, 1.0)
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _lines(geom: BaseGeometry) -> list[np.ndarray]:
    """The lines of ``geom`` (line parts only) as coordinate arrays."""
    return [np.asarray(p.coords) for p in simple_parts(geom) if p.geom_type in ("LineString", "LinearRing")]


def _dashes(dash_array: str | None, width_pt: float) -> Any:
    """A folium ``dashArray`` ("6 4", in pixels) as a matplotlib line style at this line width."""
    if not dash_array:
        return "solid"
    on_off = [float(v) / PX_PER_PT / max(width_pt, 0.5) for v in dash_array.split()]
    return (0, tuple(on_off))


class MapPanel:
    """Draws one photo's map on ``ax`` over ``extent``; each layer adds its legend entry once."""

    def __init__(self, ax: Axes, extent: Extent, width_px: float, t: Translate) -> None:
        self.ax = ax
        self.extent = extent
        self.clip = _grown(extent, MARGIN)
        self.clip_box = box(*self.clip)
        self.tolerance = (extent[2] - extent[0]) / width_px * DETAIL_PX
        self.t = t
        self.legend: dict[str, Any] = {}  # label -> proxy artist, in drawing order
        w, s, e, n = extent
        self.km_per_deg_lon = KM_PER_DEG * max(MIN_COS_LAT, math.cos(math.radians((s + n) / 2)))
        ax.set_xlim(w, e)
        ax.set_ylim(s, n)
        ax.set_facecolor(SEA_FILL)
        ax.set_xticks([])
        ax.set_yticks([])

    def _fit(self, geom: BaseGeometry) -> BaseGeometry:
        """The part of ``geom`` near the view, simplified to what the panel can show."""
        return simplify_in_runs(shapely.clip_by_rect(geom, *self.clip), self.tolerance)

    def _shape(
        self,
        geom: BaseGeometry,
        *,
        z: float,
        edge: str,
        width_pt: float,
        face: str = "none",
        alpha: float = 0.0,
        dashes: Any = "solid",
        halo: bool = False,
    ) -> None:
        """Draw ``geom``'s polygons (filled with ``face`` at ``alpha``) and lines, clipped to the view;
        ``halo`` edges the outline in white, so it stays visible over markers and other outlines."""
        fitted = self._fit(geom)
        if fitted.is_empty:
            return
        path = _polygon_path(fitted)
        if path is not None:
            if face != "none" and alpha > 0:
                self.ax.add_patch(PathPatch(path, facecolor=face, alpha=alpha, edgecolor="none", zorder=z))
            effects = [Stroke(linewidth=width_pt + 2.5, foreground="white"), Normal()] if halo else None
            self.ax.add_patch(
                PathPatch(
                    path,
                    facecolor="none",
                    edgecolor=edge,
                    linewidth=width_pt,
                    linestyle=dashes,
                    zorder=z,
                    path_effects=effects,
                )
            )
        lines = _lines(fitted)
        if lines:
            self.ax.add_collection(LineCollection(lines, colors=edge, linewidths=width_pt, linestyles=dashes, zorder=z))

    def _label(self, x: float, y: float, text: str, **kw: Any) -> None:
        """Untrusted-safe text on the map: drawn as given (no mathtext), on a light box."""
        kw.setdefault("fontsize", 9.5)
        kw.setdefault("bbox", {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#444", "alpha": 0.85})
        self.ax.text(x, y, text, parse_math=False, clip_on=True, zorder=kw.pop("zorder", 9), **kw)

    # --------------------------------------------------------------------------------- layers

    def countries(self, geography: MapGeography) -> None:
        """Country outlines filled as land on the sea, the larger ones in view named."""
        geoms = np.array([a.geometry for a in geography.countries], dtype=object)
        if not len(geoms):
            return
        near = shapely.intersects(geoms, self.clip_box)
        view_area = self.clip_box.area
        for area, geom in zip(np.array(geography.countries, dtype=object)[near], geoms[near], strict=True):
            fitted = self._fit(geom)
            path = _polygon_path(fitted)
            if path is None:
                continue
            self.ax.add_patch(PathPatch(path, facecolor=LAND_FILL, edgecolor=COUNTRY_LINE, linewidth=0.8, zorder=1))
            inside = shapely.clip_by_rect(fitted, *self.extent)
            if not inside.is_empty and inside.area >= COUNTRY_LABEL_SHARE * view_area:
                p = inside.representative_point()
                self.ax.text(
                    p.x,
                    p.y,
                    shown(area.name, 40),
                    parse_math=False,
                    clip_on=True,
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="#777",
                    style="italic",
                    zorder=2,
                )

    def bands(self, geography: MapGeography, within_km: float | None) -> None:
        """The band ``within_km`` wide along each reported area the estimate is not inside."""
        if not (geography.areas and within_km):
            return
        around_estimate = {d.area for d in geography.distances if d.inside}
        drawn = False
        for ai, a in enumerate(geography.areas):
            if ai in around_estimate:
                continue
            try:
                band = border_band(a.geometry, within_km, self.clip, self.tolerance / 2)
            except (ValueError, shapely.errors.GEOSException) as exc:
                log.warning("the band within %g km of %s is not drawn: %s", within_km, shown(a.name), exc)
                continue
            if not band.is_empty:
                self._shape(band, z=3, edge=BAND_COLOR, width_pt=0.4, face=BAND_COLOR, alpha=0.28)
                drawn = True
        if drawn:
            label = self.t("within {km} km of a reported area", km=f"{within_km:g}")
            self.legend[label] = Patch(facecolor=BAND_COLOR, alpha=0.5, edgecolor=BAND_COLOR)

    def reported_areas(self, geography: MapGeography) -> None:
        """The reported areas styled by kind, borders drawn over the outlines they follow."""
        names = {"country": "reported country", "admin1": "reported region", "border": "reported border"}
        for a in sorted(geography.areas, key=lambda a: a.kind == "border"):
            st = area_style(a.kind)
            width = st["weight"] / PX_PER_PT
            dashes = _dashes(st["dashArray"], width)
            self._shape(
                a.geometry,
                z=4,
                edge=st["color"],
                width_pt=width,
                face=st["color"],
                alpha=st["fillOpacity"],
                dashes=dashes,
            )
            label = self.t(names.get(a.kind, "reported area"))
            self.legend.setdefault(label, Line2D([], [], color=st["color"], linewidth=width, linestyle=dashes))

    def rings(self, photo: PhotoReport) -> None:
        """For each road distance read on a sign, the ring around its place where the camera can be."""
        drawn = False
        for c in photo.candidates:
            for ev in c.evidence:
                if ev.distance_km:
                    ring = road_ring(c.place.lat, c.place.lon, float(ev.distance_km))
                    self._shape(ring, z=5, edge=RING_COLOR, width_pt=1.1, face=RING_COLOR, alpha=0.12)
                    drawn = True
        if drawn:
            self.legend[self.t("where a road distance allows")] = Patch(
                facecolor=RING_COLOR, alpha=0.25, edgecolor=RING_COLOR
            )

    def estimate(self, photo: PhotoReport) -> None:
        """The estimate's region and centre, and each other place the evidence allows, dashed, with its probability."""
        e = photo.estimate
        if e is None:
            return
        self._shape(
            estimate_region(e), z=8, edge=ESTIMATE_COLOR, width_pt=2.0, face=ESTIMATE_COLOR, alpha=0.1, halo=True
        )
        self.ax.plot(
            [e.lon],
            [e.lat],
            "o",
            markersize=9,
            markerfacecolor=ESTIMATE_COLOR,
            markeredgecolor="white",
            markeredgewidth=2,
            zorder=8.5,
        )
        self.legend[self.t("estimate (centre and radius)")] = Line2D(
            [],
            [],
            marker="o",
            markersize=9,
            markerfacecolor=ESTIMATE_COLOR,
            markeredgecolor="white",
            color=ESTIMATE_COLOR,
            linewidth=1.6,
        )
        for a in e.alternatives:
            self._shape(
                annulus(a.lat, a.lon, 0.0, a.radius_km),
                z=6,
                edge=ESTIMATE_COLOR,
                width_pt=1.4,
                face=ESTIMATE_COLOR,
                alpha=0.04,
                dashes=ALTERNATIVE_DASH,
            )
            self._label(a.lon, a.lat, f"{a.probability:.2f}", ha="center", va="center", fontsize=10)
        if e.alternatives:
            self.legend[self.t("another place the evidence allows")] = Line2D(
                [], [], color=ESTIMATE_COLOR, linewidth=1.4, linestyle=ALTERNATIVE_DASH
            )

    def candidates(self, photo: PhotoReport) -> None:
        """The candidate places, sized and coloured by score; the best few in view named."""
        w, s, e, n = self.extent
        in_view = [c for c in photo.candidates if w <= c.place.lon <= e and s <= c.place.lat <= n]
        for c in sorted(in_view, key=lambda c: c.score):
            radius_px = 5 + 11 * c.score  # as the interactive map sizes them
            self.ax.plot(
                [c.place.lon],
                [c.place.lat],
                "o",
                markersize=2 * radius_px / PX_PER_PT,
                markerfacecolor=score_color(c.score),
                markeredgecolor="#333",
                markeredgewidth=0.8,
                zorder=7,
            )
        for c in sorted(in_view, key=lambda c: -c.score)[:LABELLED_CANDIDATES]:
            self.ax.annotate(
                shown(c.place.name, 40),
                (c.place.lon, c.place.lat),
                xytext=(8, 6),
                textcoords="offset points",
                fontsize=10,
                fontweight="bold",
                color="#222",
                annotation_clip=True,
                zorder=9,
                parse_math=False,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
            )
        for _, color, label in SCORE_COLORS:
            if any(score_color(c.score) == color for c in in_view):
                self.legend[self.t(f"candidate, {label}")] = Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markersize=9,
                    markerfacecolor=color,
                    markeredgecolor="#333",
                )

    def distances(self, photo: PhotoReport, distances: Sequence[AreaDistance], geography: MapGeography) -> None:
        """A dashed line from the estimate to the nearest point of each area it lies outside, with the km."""
        e = photo.estimate
        if e is None:
            return
        ends: dict[tuple[float, float], list[AreaDistance]] = {}
        for d in distances:
            if not d.inside:
                key = (round(d.nearest[0], END_SHARING_DECIMALS), round(d.nearest[1], END_SHARING_DECIMALS))
                ends.setdefault(key, []).append(d)
        renderer = self.ax.figure.canvas.get_renderer()
        placed: list[Any] = []
        for hits in ends.values():
            lat, lon = hits[0].nearest
            self.ax.plot(
                [e.lon, lon], [e.lat, lat], color=DISTANCE_COLOR, linewidth=1.5, linestyle=(0, (4, 3)), zorder=8
            )
            self.ax.plot([lon], [lat], "o", markersize=4, color=DISTANCE_COLOR, zorder=8)
            names = " · ".join(shown(geography.areas[d.area].name, 60) for d in hits)
            label = self.t("{km} km to {names}", km=f"{hits[0].distance_km:.0f}", names=names)
            # at the line's far end, on the side away from the estimate, so labels of lines that
            # leave the estimate in different directions never cover each other or the estimate
            east, north = (lon - e.lon) >= 0, (lat - e.lat) >= 0
            step = (1 if east else -1, 1 if north else -1)
            text = self.ax.annotate(
                label,
                (lon, lat),
                xytext=(6 * step[0], 6 * step[1]),
                textcoords="offset points",
                ha="left" if east else "right",
                va="bottom" if north else "top",
                fontsize=9.5,
                fontweight="bold",
                parse_math=False,
                annotation_clip=False,
                zorder=9,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#444", "alpha": 0.85},
            )
            for _ in range(MAX_LABEL_SHIFTS):  # two ends close together: move this label out of the way
                box_px = text.get_window_extent(renderer)
                if not any(box_px.overlaps(o) for o in placed):
                    break
                text.set_position((text.get_position()[0], text.get_position()[1] + step[1] * box_px.height * 0.8))
            placed.append(text.get_window_extent(renderer))
        if ends:
            self.legend[self.t("distance from the estimate to an area")] = Line2D(
                [], [], color=DISTANCE_COLOR, linewidth=1.5, linestyle=(0, (4, 3))
            )

    # ------------------------------------------------------------------------------- furniture

    def scale_bar(self) -> None:
        """A bar of a round number of kilometres at the lower left, true at the map's centre."""
        w, s, e, n = self.extent
        width_km = (e - w) * self.km_per_deg_lon
        target = width_km * SCALE_BAR_SHARE
        power = 10 ** math.floor(math.log10(target))
        km = max(m * power for m in (1, 2, 5) if m * power <= target)
        x0, y0 = w + 0.04 * (e - w), s + 0.05 * (n - s)
        length = km / self.km_per_deg_lon
        height = 0.012 * (n - s)
        for i in range(2):  # two halves, black and white, as on printed maps
            self.ax.add_patch(
                Rectangle(
                    (x0 + i * length / 2, y0),
                    length / 2,
                    height,
                    facecolor="black" if i == 0 else "white",
                    edgecolor="black",
                    linewidth=0.8,
                    zorder=10,
                )
            )
        self._label(
            x0 + length / 2,
            y0 + 2.2 * height,
            self.t("{km} km", km=f"{km:g}"),
            ha="center",
            va="bottom",
            fontsize=10,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
            zorder=10,
        )

    def north_arrow(self) -> None:
        """An arrow pointing north (up: the projection keeps meridians vertical) at the upper right."""
        self.ax.annotate(
            "",
            xy=(0.955, 0.965),
            xytext=(0.955, 0.87),
            xycoords="axes fraction",
            arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 2, "mutation_scale": 18},
            zorder=10,
        )
        self._label(
            0.955,
            0.85,
            self.t("N"),
            transform=self.ax.transAxes,
            ha="center",
            va="top",
            fontsize=12,
            fontweight="bold",
            zorder=10,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
        )

    def attribution(self) -> None:
        """Whose data the map shows, at the lower right."""
        self._label(
            0.995,
            0.008,
            self.t("Map: Natural Earth, GeoNames"),
            transform=self.ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8.5,
            color="#333",
            zorder=10,
            bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
        )


def draw_map(
    ax: Axes,
    photo: PhotoReport,
    geography: MapGeography,
    size_px: tuple[float, float],
    t: Translate,
    *,
    within_km: float | None = None,
) -> dict[str, Any]:
    """Draw ``photo``'s map (the report's only photo in ``geography``) on ``ax``; return its legend.

    The legend maps each label (in the chosen language) to a proxy artist, in drawing order.
    """
    extent = fitted_extent(geography.view, *size_px)
    panel = MapPanel(ax, extent, size_px[0], t)
    panel.countries(geography)
    panel.bands(geography, within_km)
    panel.reported_areas(geography)
    panel.rings(photo)
    panel.estimate(photo)
    panel.distances(photo, [d for d in geography.distances if d.photo == 0], geography)
    panel.candidates(photo)
    panel.scale_bar()
    panel.north_arrow()
    panel.attribution()
    return panel.legend
