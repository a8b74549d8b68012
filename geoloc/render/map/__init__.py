"""The interactive map an analyst opens, put together layer by layer from the report and its geography.

The map draws what it is given and computes nothing new about location: the report (estimates,
candidates sized and coloured by score, the rings a road distance allows) and the report's
``MapGeography`` (the reported areas, their distances from each estimate, the country outlines,
the view), which ``geoloc.areas.map_geography`` gathers before rendering. Each popup lists the
evidence with a thumbnail of the photo crop where the text was read.

Every string that came from outside is escaped with ``escape.esc`` before it reaches folium.
Leaflet and jQuery are always inlined from the bundled assets: a page loads no script or style
from elsewhere, so nothing that runs in it can be swapped on the way. Without ``offline`` the
only network use is OpenStreetMap's tiles; ``offline=True`` draws no tiles (Natural Earth country
outlines are the basemap) and the page renders with no network at all.
"""

from __future__ import annotations

from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from geoloc.common.files import atomic_write_text
from geoloc.model import MapGeography, Report
from geoloc.render.map import layers
from geoloc.render.map.escape import esc
from geoloc.render.map.legend import Legend, legend_entries
from geoloc.render.map.offline import inline_assets
from geoloc.render.map.popups import Thumbnails, photo_label
from geoloc.render.map.style import SEA_FILL

ATTRIBUTION = (
    "Boundaries © Natural Earth (public domain, 1:10m, German point of view: Crimea "
    "shown as part of Ukraine) · Places © GeoNames (CC BY 4.0)"
)
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
TITLED_PHOTOS = 3
"""The page title names this many photos: enough to tell maps apart in a row of browser tabs."""
PAGE_CSS = (
    "<style>.geoloc-distance{font:bold 12px sans-serif;background:rgba(255,255,255,.85);"
    "border:1px solid #444;padding:1px 4px}.geoloc-popup{font:12px/1.35 sans-serif}</style>"
)
"""The distance labels and popups: small, legible over any basemap."""


class Attribution(MacroElement):
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


def _page(report: Report, *, offline: bool) -> folium.Map:
    """The empty map: its basemap (OpenStreetMap tiles, or sea under the country layer offline),
    attribution, title and styles."""
    m = folium.Map(
        tiles=None, control_scale=True, prefer_canvas=False, zoom_start=3, location=(30.0, 10.0), world_copy_jump=False
    )
    root = m.get_root()
    inline_assets(m)  # scripts and styles come from the page itself, never from a CDN
    if offline:
        root.header.add_child(Element(f"<style>.leaflet-container{{background:{SEA_FILL}}}</style>"), name="geoloc_sea")
    else:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=OSM_ATTRIBUTION, control=False).add_to(m)
    Attribution(ATTRIBUTION).add_to(m)
    title = ", ".join(photo_label(p) for p in report.photos[:TITLED_PHOTOS]) or "no photos"
    root.header.add_child(Element(f"<title>geoloc: {esc(title)}</title>"), name="title")
    root.header.add_child(Element(PAGE_CSS), name="geoloc_css")
    return m


def render_map(
    report: Report, geography: MapGeography, *, offline: bool = False, within_km: float | None = None
) -> str:
    """The HTML of the map of ``report`` over ``geography`` (see ``write_map``)."""
    several = len(report.photos) > 1
    m = _page(report, offline=offline)
    drawn = [
        layers.countries(geography, offline=offline),
        layers.bands(geography, within_km),
        layers.reported_areas(geography),
    ]
    for pi, photo in enumerate(report.photos):
        prefix = f"{esc(photo_label(photo))}: " if several else ""
        thumbs = Thumbnails(photo.path, photo.texts)  # shared by the photo's popups: decoded once
        distances = [d for d in geography.distances if d.photo == pi]
        drawn += [
            layers.distance_lines(photo, distances, geography.areas, prefix),
            layers.distance_rings(photo, prefix),
            layers.estimate(photo, thumbs, prefix),
            layers.candidates(photo, thumbs, prefix),
        ]
    for layer in drawn:
        if layer is not None:
            layer.add_to(m)
    Legend(legend_entries(report, geography.areas, within_km)).add_to(m)
    folium.LayerControl(collapsed=several).add_to(m)
    w, s, e, n = geography.view
    m.fit_bounds([(s, w), (n, e)])
    return m.get_root().render()


def write_map(
    report: Report, path: Path, geography: MapGeography, *, offline: bool = False, within_km: float | None = None
) -> Path:
    """Write the HTML map of ``report`` atomically and return its path.

    ``geography`` (from the pipeline's ``map_geography``) holds the reported areas, drawn with
    the distances from each photo's estimate, and the country outlines; ``within_km`` adds the
    band of that width along each area; ``offline`` makes a self-contained page (no tiles, no
    CDN) that works with no network.
    """
    return atomic_write_text(path, render_map(report, geography, offline=offline, within_km=within_km))
