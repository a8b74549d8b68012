"""The interactive map an analyst opens: candidates beside the reported areas, evidence in view.

The map draws the report and computes nothing new about location: the estimate, the candidates
(sized and coloured by score), the rings a road distance allows, the reported areas with their
bands, and lines giving the distance from the estimate to each area. Each popup lists the
evidence with a thumbnail of the photo crop where the text was read.

Every string that came from outside (OCR text, metadata values, file names, caption text, names
of the user's areas) is HTML-escaped before it reaches folium, whose popups, tooltips and layer
names are HTML inside JavaScript template literals; backticks, ``$`` and backslashes are escaped
too so a string cannot end the literal.

``offline=True`` writes one self-contained page: Leaflet and jQuery inlined from
``geoloc/assets``, no tiles, country outlines from Natural Earth as the basemap. It renders with
no network at all.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import logging
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.template import Template
from shapely.geometry import Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from . import regions
from .errors import GeolocError, OutputError
from .geometry import ROAD_FACTOR_MIN, haversine_km
from .output import atomic_write_text
from .photo import load_image
from .regions import Area
from .report import Candidate, Evidence, PhotoReport, Report

log = logging.getLogger(__name__)

THUMB_PX = 160
ATTRIBUTION = ("Boundaries © Natural Earth (public domain, 1:10m, German point of view: Crimea "
               "shown as part of Ukraine) · Places © GeoNames (CC BY 4.0)")
OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
                   "contributors")

AREA_STYLE = {
    "country": {"color": "#1f4e9c", "weight": 2.5, "fillOpacity": 0.03, "dashArray": None},
    "admin1": {"color": "#7b2d8e", "weight": 2.5, "fillOpacity": 0.06, "dashArray": "6 4"},
    "border": {"color": "#c0142b", "weight": 4, "fillOpacity": 0.0, "dashArray": None},
    "user": {"color": "#1b7f3b", "weight": 2.5, "fillOpacity": 0.08, "dashArray": "2 4"},
}
BAND_COLOR = "#f2a900"
RING_COLOR = "#0a7d8c"
ESTIMATE_COLOR = "#111111"
SCORE_COLORS = ((0.66, "#b30000", "score ≥ 0.66"), (0.33, "#ef6548", "score 0.33–0.66"),
                (0.0, "#fdbb84", "score < 0.33"))


def esc(value: Any) -> str:
    """HTML-escape an untrusted value so it also cannot end a JavaScript template literal."""
    return (html.escape(str(value), quote=True)
            .replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;"))


def _score_color(score: float) -> str:
    return next(c for t, c, _ in SCORE_COLORS if score >= t)


def _photo_label(photo: PhotoReport) -> str:
    return os.path.basename(photo.path) or photo.path or "photo"


# ---------------------------------------------------------------------------------------------
# thumbnails


class _Thumbnails:
    """Small JPEG crops of a photo, as data URIs; the photo is decoded once, on first need."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._image: Any = None
        self._failed = False

    def _load(self) -> Any:
        if self._image is None and not self._failed:
            try:
                self._image = load_image(self.path)
            except GeolocError as exc:  # the photo moved or is unreadable: the map goes on
                log.info("no thumbnails: %s", exc)
                self._failed = True
        return self._image

    def crop(self, box_: tuple[int, int, int, int] | None) -> str | None:
        im = self._load()
        if im is None:
            return None
        if box_ is not None:
            x, y, w, h = box_
            m = int(0.25 * max(w, h)) + 4
            x0, y0 = max(0, x - m), max(0, y - m)
            x1, y1 = min(im.width, x + w + m), min(im.height, y + h + m)
            if x1 <= x0 or y1 <= y0:
                return None
            im = im.crop((x0, y0, x1, y1))
        else:
            im = im.copy()
        im.thumbnail((THUMB_PX, THUMB_PX))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=72)
        return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------------------------
# popups


def _evidence_html(ev: Evidence, thumbs: _Thumbnails) -> str:
    bits = [f"<b>{esc(ev.kind)}</b> “{esc(ev.text)}”"]
    if ev.confidence is not None:
        bits.append(f"conf. {ev.confidence:.0f}")
    if ev.distance_km is not None:
        bits.append(f"{ev.distance_km:g} km by road")
    if ev.source:
        bits.append(f"<i>{esc(os.path.basename(ev.source) or ev.source)}</i>")
    img = thumbs.crop(ev.box) if ev.box is not None else None
    thumb = (f'<br><img class="geoloc-thumb" src="{img}" alt="crop where the text was read" '
             f'style="max-width:{THUMB_PX}px;max-height:{THUMB_PX}px;border:1px solid #888">'
             if img else "")
    return "<li>" + ", ".join(bits) + thumb + "</li>"


def _candidate_html(c: Candidate, photo: PhotoReport, thumbs: _Thumbnails) -> str:
    p = c.place
    where = ", ".join(esc(x) for x in (p.admin1, p.country_code) if x)
    ev = "".join(_evidence_html(e, thumbs) for e in c.evidence)
    return (f'<div class="geoloc-popup"><b>{esc(p.name)}</b> <small>({esc(p.kind)})</small><br>'
            f"{where}<br>score <b>{c.score:.2f}</b> · {p.lat:.5f}, {p.lon:.5f}"
            f"{' · pop. ' + format(p.population, ',') if p.population else ''}<br>"
            f"<small>photo: {esc(_photo_label(photo))}</small>"
            f'<ul style="padding-left:1.1em;margin:4px 0">{ev}</ul></div>')


def _estimate_html(photo: PhotoReport, thumbs: _Thumbnails) -> str:
    e = photo.estimate
    assert e is not None
    rows = [f"<b>{esc(_photo_label(photo))}</b>",
            f"estimate from <b>{esc(e.basis)}</b>: {e.lat:.5f}, {e.lon:.5f} ± {e.radius_km:.1f} km, "
            f"confidence {e.confidence:.2f}"]
    if e.explanation:
        rows.append(esc(e.explanation))
    md = photo.metadata
    if md.gps:
        rows.append(f"GPS ({esc(md.gps.source)}): {md.gps.lat:.5f}, {md.gps.lon:.5f}")
    if md.location:
        loc = ", ".join(esc(v) for v in (md.location.sublocation, md.location.city, md.location.state,
                                         md.location.country) if v)
        if loc:
            rows.append(f"{esc(md.location.source)} location: {loc}")
    if md.camera:
        rows.append("camera: " + "; ".join(f"{esc(k)}: {esc(v)}" for k, v in md.camera.items()))
    for a in photo.areas:
        where = "inside" if a.get("inside") else f"{a.get('distance_km')} km from"
        rows.append(f"{where} {esc(a.get('name', ''))}")
    rows += [f'<span style="color:#b30000">conflict: {esc(c)}</span>' for c in photo.conflicts]
    rows += [f'<span style="color:#b30000">{esc(x)}</span>' for x in photo.errors]
    img = thumbs.crop(None)
    if img:
        rows.append(f'<img class="geoloc-thumb" src="{img}" alt="the photo" '
                    f'style="max-width:{THUMB_PX}px;max-height:{THUMB_PX}px">')
    return '<div class="geoloc-popup">' + "<br>".join(rows) + "</div>"


# ---------------------------------------------------------------------------------------------
# geometry helpers for drawing


def _geojson(geom: BaseGeometry, style: dict[str, Any], name: str, *, tooltip: str | None = None,
             interactive: bool = True) -> folium.GeoJson:
    """A GeoJson layer of one geometry; ``tooltip`` must already be escaped."""
    style = {k: v for k, v in style.items() if v is not None}
    style["interactive"] = interactive
    layer = folium.GeoJson(mapping(geom), name=name, style_function=lambda _f, s=style: s,
                           highlight_function=None, control=False, interactive=interactive,
                           smooth_factor=1.0)
    if tooltip:
        folium.Tooltip(tooltip, sticky=True).add_to(layer)
    return layer


def _for_drawing(geom: BaseGeometry, window: tuple[float, float, float, float]) -> BaseGeometry:
    """The part of ``geom`` inside ``window``, simplified to what a screen shows at that scale."""
    clipped = shapely.clip_by_rect(geom, *window)
    tol = max(0.002, (window[2] - window[0]) / 3000)
    return _rounded(shapely.simplify(clipped, tol, preserve_topology=True), 4)


@functools.lru_cache(maxsize=None)
def _world_outline(code: str) -> BaseGeometry:
    """A country at world scale (~20 km, islands under ~1 square degree dropped): a light basemap."""
    g = _countries()[code].geometry
    parts = sorted(shapely.get_parts(g), key=lambda p: p.area, reverse=True)
    keep = [p for p in parts if p.area >= 1.0] or parts[:1]
    return _rounded(shapely.simplify(shapely.multipolygons(keep), 0.2, preserve_topology=False), 2)


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, Area]:
    return {a.code: a for a in regions.all_countries()}


def _rounded(geom: BaseGeometry, decimals: int) -> BaseGeometry:
    """Coordinates rounded for a smaller page (4 decimals is ~10 m)."""
    return shapely.transform(geom, lambda c: np.round(c, decimals))


def _extent(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    pts = list(points)
    if not pts:
        return None
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    return min(lons), min(lats), max(lons), max(lats)


def _grow(ext: tuple[float, float, float, float], frac: float, minimum: float) -> tuple[float, ...]:
    w, s, e, n = ext
    dx = max((e - w) * frac, minimum)
    dy = max((n - s) * frac, minimum * 0.6)
    return (max(-180.0, w - dx), max(-85.0, s - dy), min(180.0, e + dx), min(85.0, n + dy))


def _circle_points(lat: float, lon: float, km: float) -> list[tuple[float, float]]:
    dlat = km / 111.0
    dlon = km / (111.0 * max(0.05, math.cos(math.radians(lat))))
    return [(lat - dlat, lon - dlon), (lat + dlat, lon + dlon)]


# ---------------------------------------------------------------------------------------------
# page assets


class _Attribution(MacroElement):
    """Adds a fixed attribution (Natural Earth, GeoNames, the Crimea choice) to the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


def _inline_assets(m: folium.Map) -> None:
    """Put Leaflet's CSS (with its images) and Leaflet + jQuery in the page instead of CDN links."""
    assets = regions.ASSETS
    try:
        css = (assets / "leaflet.css").read_text(encoding="utf-8")
        for img in sorted((assets / "images").glob("*.png")):
            uri = "data:image/png;base64," + base64.b64encode(img.read_bytes()).decode("ascii")
            css = css.replace(f"url(images/{img.name})", f"url({uri})")
        leaflet = (assets / "leaflet.js").read_text(encoding="utf-8")
        jquery = (assets / "jquery.min.js").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise OutputError(f"offline map assets are missing ({exc.filename}); run `make setup`") from None
    m.default_js = []
    m.default_css = []
    header = m.get_root().header
    header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css_inline")
    header.add_child(Element(f"<script>{leaflet}</script>"), name="leaflet_inline")
    header.add_child(Element(f"<script>{jquery}</script>"), name="jquery_inline")


def _legend(entries: Sequence[tuple[str, str]], note: str) -> Element:
    """A fixed legend box; ``entries`` are (swatch HTML, escaped label)."""
    rows = "".join(f'<div style="margin:2px 0">{sw} {label}</div>' for sw, label in entries)
    return Element(
        '<div id="geoloc-legend" style="position:fixed;bottom:60px;left:10px;z-index:1000;'
        "background:rgba(255,255,255,.92);padding:6px 9px;border:1px solid #999;border-radius:4px;"
        f'font:12px/1.35 sans-serif;max-width:300px"><b>geoloc</b>{rows}'
        f'<div style="color:#555;margin-top:3px">{note}</div></div>')


def _legend_entries(report: Report, areas: Sequence[Area],
                    within_km: float | None) -> list[tuple[str, str]]:
    """What the map shows, in drawing order from the evidence outwards."""
    has_estimate = any(p.estimate for p in report.photos)
    has_candidates = any(p.candidates for p in report.photos)
    entries: list[tuple[str, str]] = []
    if has_estimate:
        entries.append((_dot(ESTIMATE_COLOR, 12, "#fff"), "estimate (centre and radius)"))
    if has_candidates:
        entries += [(_dot(c, 10), f"candidate, {label}") for _, c, label in SCORE_COLORS]
    if any(ev.distance_km for p in report.photos for c in p.candidates for ev in c.evidence):
        entries.append((_swatch(RING_COLOR, "rgba(10,125,140,.15)"), "where a road distance allows"))
    if areas and within_km:
        entries.append((_swatch(BAND_COLOR, BAND_COLOR), f"within {within_km:g} km of a reported area"))
    for kind in dict.fromkeys(a.kind for a in areas):
        st = AREA_STYLE.get(kind, AREA_STYLE["user"])
        entries.append((_bar(st["color"], bool(st["dashArray"])), f"reported {esc(kind)}"))
    if has_estimate and areas:
        entries.append((_bar("#222", True, 2), "distance from the estimate to an area"))
    if not (has_estimate or has_candidates):
        entries.append(("", "no location evidence in the report"))
    return entries


def _swatch(border: str, fill: str) -> str:
    return (f'<span style="display:inline-block;width:20px;height:8px;border:1px solid {border};'
            f'background:{fill};opacity:.8;vertical-align:middle"></span>')


def _dot(color: str, size: int = 10, border: str = "#333") -> str:
    return (f'<span style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
            f'background:{color};border:1px solid {border};vertical-align:middle"></span>')


def _bar(color: str, dashed: bool = False, height: int = 3) -> str:
    style = "dashed" if dashed else "solid"
    return (f'<span style="display:inline-block;width:22px;border-top:{height}px {style} {color};'
            f'vertical-align:middle"></span>')


# ---------------------------------------------------------------------------------------------
# the map


def render_map(report: Report, *, areas: Sequence[Area] = (), offline: bool = False,
               within_km: float | None = None) -> str:
    """The HTML of the map of ``report`` (see ``write_map``)."""
    several = len(report.photos) > 1

    def layer_name(photo: PhotoReport, what: str) -> str:
        return f"{esc(_photo_label(photo))}: {what}" if several else what

    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_start=3,
                   location=(30.0, 10.0), world_copy_jump=False)
    if offline:
        _inline_assets(m)
        m.get_root().header.add_child(Element(
            "<style>.leaflet-container{background:#cfe3f0}</style>"), name="geoloc_sea")
    else:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=OSM_ATTRIBUTION,
                         control=False).add_to(m)
    _Attribution(ATTRIBUTION).add_to(m)
    title = ", ".join(_photo_label(p) for p in report.photos[:3]) or "no photos"
    m.get_root().header.add_child(Element(f"<title>geoloc: {esc(title)}</title>"), name="title")

    # What the map must show: the evidence; the reported areas are seen through it.
    focus: list[tuple[float, float]] = []
    for photo in report.photos:
        e = photo.estimate
        if e is not None:
            focus += _circle_points(e.lat, e.lon, e.radius_km)
            focus += [(lat, lon) for lon, lat in e.polygon]
        for c in photo.candidates:  # candidates far from the estimate stay on the map, out of view
            if e is None or haversine_km(e.lat, e.lon, c.place.lat, c.place.lon) <= max(
                    300.0, 3 * e.radius_km):
                focus.append((c.place.lat, c.place.lon))
    nearest: dict[tuple[int, int], tuple[float, float]] = {}
    for pi, photo in enumerate(report.photos):
        if photo.estimate is None:
            continue
        for ai, area in enumerate(areas):
            q = regions.nearest_point(area.geometry, photo.estimate.lat, photo.estimate.lon)
            nearest[(pi, ai)] = q
            focus.append(q)
    ext = _extent(focus)
    if ext is None and areas:
        x0, y0, x1, y1 = shapely.union_all([a.geometry for a in areas]).bounds
        ext = (x0, y0, x1, y1)
    view = _grow(ext, 0.4, 0.25) if ext else (-170.0, -60.0, 170.0, 75.0)
    window = _grow(view, 3.0, 12.0)  # drawn in detail: beyond the first view and a zoom out

    # --- country borders (the basemap offline, an overlay online)
    borders = folium.FeatureGroup(name="Country borders", show=offline)
    near_codes = {a.code for a in regions.countries_in(window)}
    for a in _countries().values():
        g = _for_drawing(a.geometry, window) if a.code in near_codes else _world_outline(a.code)
        if g.is_empty:
            continue
        style = {"color": "#6b6b6b", "weight": 1.0, "fillColor": "#f4f1ea",
                 "fillOpacity": 1.0 if offline else 0.0}
        _geojson(g, style, a.name, interactive=False).add_to(borders)
    borders.add_to(m)

    # --- reported areas, their bands, and the distance lines
    if areas and within_km:
        bands = folium.FeatureGroup(name=f"Within {within_km:g} km of the reported borders")
        estimates = [Point(p.estimate.lon, p.estimate.lat) for p in report.photos if p.estimate]
        for a in areas:
            polygonal = shapely.get_dimensions(a.geometry) == 2
            if polygonal and any(a.geometry.covers(pt) for pt in estimates):
                continue  # a band along the whole outline of the estimate's own country is noise
            edge = shapely.clip_by_rect(a.geometry.boundary if polygonal else a.geometry, *window)
            if edge.is_empty:
                continue
            band = regions.buffer_km(edge, within_km)
            if polygonal:  # "within 20 km of Belarus": the strip outside it
                band = band.difference(shapely.clip_by_rect(a.geometry, *window))
            band = _for_drawing(band, window)
            style = {"color": BAND_COLOR, "weight": 0.5, "fillColor": BAND_COLOR, "fillOpacity": 0.28}
            tip = f"within {within_km:g} km of {esc(a.name)}"
            _geojson(band, style, f"band {a.name}", tooltip=tip).add_to(bands)
        bands.add_to(m)

    if areas:
        group = folium.FeatureGroup(name="Reported areas")
        for a in sorted(areas, key=lambda a: a.kind == "border"):  # border lines on top of outlines
            g = _for_drawing(a.geometry, window)
            if g.is_empty:
                continue
            st = AREA_STYLE.get(a.kind, AREA_STYLE["user"])
            style = {"color": st["color"], "weight": st["weight"], "fillColor": st["color"],
                     "fillOpacity": st["fillOpacity"], "dashArray": st["dashArray"]}
            tip = f"<b>{esc(a.name)}</b> ({esc(a.kind)}{', ' + esc(a.code) if a.code else ''})"
            _geojson(g, style, a.name, tooltip=tip).add_to(group)
        group.add_to(m)

    for pi, photo in enumerate(report.photos):
        thumbs = _Thumbnails(photo.path)
        e = photo.estimate
        if e is not None and areas:
            lines = folium.FeatureGroup(name=layer_name(photo, "Distances to the reported areas"))
            measured = {(a.get("kind"), a.get("code"), a.get("name")): a for a in photo.areas}
            ends: dict[tuple[float, float], list[tuple[tuple[float, float], float, str]]] = {}
            for ai, area in enumerate(areas):
                got = measured.get((area.kind, area.code, area.name)) or regions.measure(area, e.lat, e.lon)
                if got.get("inside"):
                    continue
                q = nearest[(pi, ai)]
                key = (round(q[0], 2), round(q[1], 2))  # areas meeting at one point share one line
                ends.setdefault(key, []).append((q, float(got["distance_km"]), area.name))
            for hits in ends.values():
                q, km = hits[0][0], hits[0][1]
                label = f"{km:.0f} km to " + " · ".join(esc(name) for _, _, name in hits)
                line = folium.PolyLine([(e.lat, e.lon), q], color="#222", weight=2, dash_array="5 5",
                                       opacity=0.9)
                folium.Tooltip(label, permanent=True, direction="center", sticky=False,
                               className="geoloc-distance").add_to(line)
                line.add_to(lines)
                folium.CircleMarker(q, radius=3, color="#222", fill=True, fill_opacity=1,
                                    weight=1).add_to(lines)
            lines.add_to(m)

        rings = [(c, ev) for c in photo.candidates for ev in c.evidence if ev.distance_km]
        if rings:
            group = folium.FeatureGroup(name=layer_name(photo, "Distance rings"))
            for c, ev in rings:
                d = float(ev.distance_km or 0)
                g = regions.annulus(c.place.lat, c.place.lon, ROAD_FACTOR_MIN * d, d)
                style = {"color": RING_COLOR, "weight": 1.5, "fillColor": RING_COLOR, "fillOpacity": 0.12}
                tip = (f"{esc(c.place.name)} {d:g} km by road: {ROAD_FACTOR_MIN * d:.0f}–{d:.0f} km "
                       f"in a straight line (sign “{esc(ev.text)}”)")
                _geojson(g, style, f"ring {c.place.name}", tooltip=tip).add_to(group)
            group.add_to(m)

        if e is not None:
            group = folium.FeatureGroup(name=layer_name(photo, "Estimate"))
            tip = f"{esc(_photo_label(photo))}: estimate ({esc(e.basis)}, ± {e.radius_km:.0f} km)"
            if len(e.polygon) >= 4:
                _geojson(Polygon(e.polygon), {"color": ESTIMATE_COLOR, "weight": 2, "fillOpacity": 0.08,
                                              "fillColor": ESTIMATE_COLOR}, "estimate",
                         tooltip=tip).add_to(group)
            else:
                folium.Circle((e.lat, e.lon), radius=e.radius_km * 1000, color=ESTIMATE_COLOR, weight=2,
                              fill=True, fill_opacity=0.08, tooltip=folium.Tooltip(tip)).add_to(group)
            centre = folium.CircleMarker((e.lat, e.lon), radius=7, color="#fff", weight=3, fill=True,
                                         fill_color=ESTIMATE_COLOR, fill_opacity=1)
            folium.Popup(_estimate_html(photo, thumbs), max_width=340).add_to(centre)
            folium.Tooltip(tip).add_to(centre)
            centre.add_to(group)
            group.add_to(m)

        if photo.candidates:
            group = folium.FeatureGroup(name=layer_name(photo, "Candidates"))
            for c in sorted(photo.candidates, key=lambda c: c.score):
                color = _score_color(c.score)
                marker = folium.CircleMarker((c.place.lat, c.place.lon), radius=5 + 11 * c.score,
                                             color="#333", weight=1, fill=True, fill_color=color,
                                             fill_opacity=0.9)
                folium.Popup(_candidate_html(c, photo, thumbs), max_width=340).add_to(marker)
                folium.Tooltip(f"{esc(c.place.name)} · score {c.score:.2f}").add_to(marker)
                marker.add_to(group)
            group.add_to(m)

    legend = _legend_entries(report, areas, within_km)
    note = "Natural Earth boundaries, Crimea as part of Ukraine."
    m.get_root().html.add_child(_legend(legend, note), name="geoloc_legend")
    m.get_root().header.add_child(Element(
        "<style>.geoloc-distance{font:bold 12px sans-serif;background:rgba(255,255,255,.85);"
        "border:1px solid #444;padding:1px 4px}.geoloc-popup{font:12px/1.35 sans-serif}</style>"),
        name="geoloc_css")

    folium.LayerControl(collapsed=several).add_to(m)
    w, s, e_, n = view
    m.fit_bounds([(s, w), (n, e_)])
    return m.get_root().render()


def write_map(report: Report, path: Path, *, areas: Sequence[Area] = (), offline: bool = False,
              within_km: float | None = None) -> Path:
    """Write the HTML map of ``report`` atomically and return its path.

    ``areas`` are the reported areas (``regions.resolve_areas``) drawn with the distances from
    each photo's estimate; ``within_km`` adds the band of that width along each of them;
    ``offline`` makes a self-contained page (no tiles, no CDN) that works with no network.
    """
    return atomic_write_text(path, render_map(report, areas=areas, offline=offline,
                                              within_km=within_km))
