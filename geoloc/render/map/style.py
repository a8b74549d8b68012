"""The map's colours and line styles, in one place so every layer and the legend agree."""

from __future__ import annotations

from typing import Any

AREA_STYLE: dict[str, dict[str, Any]] = {
    "country": {"color": "#1f4e9c", "weight": 2.5, "fillOpacity": 0.03, "dashArray": None},
    "admin1": {"color": "#7b2d8e", "weight": 2.5, "fillOpacity": 0.06, "dashArray": "6 4"},
    "border": {"color": "#c0142b", "weight": 4, "fillOpacity": 0.0, "dashArray": None},
    "user": {"color": "#1b7f3b", "weight": 2.5, "fillOpacity": 0.08, "dashArray": "2 4"},
}
"""Line and fill of each kind of reported area; a user's polygon style stands for unknown kinds."""

BAND_COLOR = "#f2a900"
RING_COLOR = "#0a7d8c"
RING_FILL = "rgba(10,125,140,.15)"
ESTIMATE_COLOR = "#111111"
DISTANCE_COLOR = "#222"
COUNTRY_LINE = "#6b6b6b"
LAND_FILL = "#f4f1ea"
SEA_FILL = "#cfe3f0"
"""The page background offline, where the country outlines filled with LAND_FILL are the basemap."""

SCORE_COLORS = (
    (0.66, "#b30000", "score ≥ 0.66"),
    (0.33, "#ef6548", "score 0.33–0.66"),
    (0.0, "#fdbb84", "score < 0.33"),
)
"""(lowest score, fill, legend label) of the candidate classes, best first."""


def area_style(kind: str) -> dict[str, Any]:
    """The style of a reported area of this kind."""
    return AREA_STYLE.get(kind, AREA_STYLE["user"])


def score_color(score: float) -> str:
    """The fill of a candidate with this score."""
    return next(c for t, c, _ in SCORE_COLORS if score >= t)
