"""Leaflet and jQuery put inside the page from the bundled assets: no script or style comes from a CDN."""

from __future__ import annotations

import base64

import folium
from branca.element import Element

from geoloc.common.paths import ASSETS
from geoloc.errors import OutputError


def inline_assets(m: folium.Map) -> None:
    """Put Leaflet's CSS (with its images) and Leaflet + jQuery in the page instead of CDN links."""
    try:
        css = (ASSETS / "leaflet.css").read_text(encoding="utf-8")
        for img in sorted((ASSETS / "images").glob("*.png")):
            uri = "data:image/png;base64," + base64.b64encode(img.read_bytes()).decode("ascii")
            css = css.replace(f"url(images/{img.name})", f"url({uri})")
        leaflet = (ASSETS / "leaflet.js").read_text(encoding="utf-8")
        jquery = (ASSETS / "jquery.min.js").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise OutputError(f"map assets are missing ({exc.filename}); run `make setup`") from None
    m.default_js = []
    m.default_css = []
    header = m.get_root().header
    header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css_inline")
    header.add_child(Element(f"<script>{leaflet}</script>"), name="leaflet_inline")
    header.add_child(Element(f"<script>{jquery}</script>"), name="jquery_inline")
