"""The legend: a fixed box naming what the map shows, as a folium template element."""

from __future__ import annotations

from collections.abc import Sequence

from branca.element import MacroElement
from folium.template import Template

from geoloc.model import Area, Report
from geoloc.render.map.escape import esc
from geoloc.render.map.style import (
    BAND_COLOR,
    DISTANCE_COLOR,
    ESTIMATE_COLOR,
    RING_COLOR,
    RING_FILL,
    SCORE_COLORS,
    area_style,
)

NOTE = "Natural Earth boundaries, Crimea as part of Ukraine."
"""Said under the entries: whose borders these are, and the one disputed choice they make."""


class Legend(MacroElement):
    """The legend box, fixed at the bottom left; ``entries`` are (swatch HTML, escaped label)."""

    _template = Template("""
        {% macro html(this, kwargs) %}
            <div id="geoloc-legend" style="position:fixed;bottom:60px;left:10px;z-index:1000;
                background:rgba(255,255,255,.92);padding:6px 9px;border:1px solid #999;
                border-radius:4px;font:12px/1.35 sans-serif;max-width:300px"><b>geoloc</b>
            {%- for swatch, label in this.entries %}
                <div style="margin:2px 0">{{ swatch }} {{ label }}</div>
            {%- endfor %}
                <div style="color:#555;margin-top:3px">{{ this.note }}</div></div>
        {% endmacro %}
    """)

    def __init__(self, entries: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.entries = list(entries)
        self.note = NOTE


def legend_entries(report: Report, areas: Sequence[Area], within_km: float | None) -> list[tuple[str, str]]:
    """What the map shows, in drawing order from the evidence outwards."""
    has_estimate = any(p.estimate for p in report.photos)
    has_candidates = any(p.candidates for p in report.photos)
    entries: list[tuple[str, str]] = []
    if has_estimate:
        entries.append((_dot(ESTIMATE_COLOR, 12, "#fff"), "estimate (centre and radius)"))
    if any(p.estimate.alternatives for p in report.photos if p.estimate):
        entries.append((_bar(ESTIMATE_COLOR, True, 2), "another place the evidence allows (with its probability)"))
    if has_candidates:
        entries += [(_dot(c, 10), f"candidate, {label}") for _, c, label in SCORE_COLORS]
    if any(ev.distance_km for p in report.photos for c in p.candidates for ev in c.evidence):
        entries.append((_swatch(RING_COLOR, RING_FILL), "where a road distance allows"))
    if areas and within_km:
        entries.append((_swatch(BAND_COLOR, BAND_COLOR), f"within {within_km:g} km of a reported area"))
    for kind in dict.fromkeys(a.kind for a in areas):
        st = area_style(kind)
        entries.append((_bar(st["color"], bool(st["dashArray"])), f"reported {esc(kind)}"))
    if has_estimate and areas:
        entries.append((_bar(DISTANCE_COLOR, True, 2), "distance from the estimate to an area"))
    if not (has_estimate or has_candidates):
        entries.append(("", "no location evidence in the report"))
    return entries


def _swatch(border: str, fill: str) -> str:
    return (
        f'<span style="display:inline-block;width:20px;height:8px;border:1px solid {border};'
        f'background:{fill};opacity:.8;vertical-align:middle"></span>'
    )


def _dot(color: str, size: int = 10, border: str = "#333") -> str:
    return (
        f'<span style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
        f'background:{color};border:1px solid {border};vertical-align:middle"></span>'
    )


def _bar(color: str, dashed: bool = False, height: int = 3) -> str:
    style = "dashed" if dashed else "solid"
    return (
        f'<span style="display:inline-block;width:22px;border-top:{height}px {style} {color};'
        f'vertical-align:middle"></span>'
    )
