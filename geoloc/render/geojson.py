"""The map's features as GeoJSON, for QGIS and other GIS tools.

One FeatureCollection (RFC 7946: lon/lat, WGS 84) holding, per photo, the estimate (its centre,
and its region as a polygon), the candidates with their scores and evidence, and the rings a road
distance allows; each other region the evidence allows (an alternative, as a circle polygon with
its probability); plus the reported areas with each photo's distance to them. Every feature has a
``layer`` property ("estimate", "estimate_region", "alternative", "candidate", "distance_ring",
"area") so a GIS can split them into layers. Like the map, it draws the report and computes
nothing new.
The text is ``jsontext``'s: a non-finite number is written as null, so every GIS can parse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, mapping
from shapely.geometry.base import BaseGeometry

from geoloc.common.files import write_output
from geoloc.common.geodesy import annulus
from geoloc.model import SCHEMA, Area, Report
from geoloc.render.jsontext import dumps
from geoloc.render.shapes import estimate_region, road_ring, straight_line_range


def _geometry(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with coordinates rounded to 6 decimals (~0.1 m)."""
    return mapping(shapely.transform(geom, lambda c: np.round(c, 6)))


def _feature(geom: BaseGeometry, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": _geometry(geom), "properties": props}


def features(report: Report, *, areas: Sequence[Area] = ()) -> dict[str, Any]:
    """The FeatureCollection of ``report`` and the reported ``areas``."""
    out: list[dict[str, Any]] = []
    for photo in report.photos:
        e = photo.estimate
        if e is not None:
            props = {"layer": "estimate", "photo": photo.path, **e.to_dict()}
            out.append(_feature(Point(e.lon, e.lat), props))
            out.append(_feature(estimate_region(e), {**props, "layer": "estimate_region"}))
            for rank, a in enumerate(e.alternatives, 1):
                region = annulus(a.lat, a.lon, 0.0, a.radius_km)
                out.append(_feature(region, {"layer": "alternative", "photo": photo.path, "rank": rank, **a.to_dict()}))
        for rank, c in enumerate(sorted(photo.candidates, key=lambda c: -c.score), 1):
            props = {"layer": "candidate", "photo": photo.path, "rank": rank, **c.to_dict()}
            out.append(_feature(Point(c.place.lon, c.place.lat), props))
            for ev in c.evidence:
                if ev.distance_km:
                    d = float(ev.distance_km)
                    inner, outer = straight_line_range(d)
                    out.append(
                        _feature(
                            road_ring(c.place.lat, c.place.lon, d),
                            {
                                "layer": "distance_ring",
                                "photo": photo.path,
                                "name": c.place.name,
                                "road_km": d,
                                "inner_km": round(inner, 1),
                                "outer_km": outer,
                                "text": ev.text,
                            },
                        )
                    )
    for a in areas:
        measured = []
        for photo in report.photos:
            hit = next(
                (m for m in photo.areas if (m.get("kind"), m.get("code"), m.get("name")) == (a.kind, a.code, a.name)),
                None,
            )
            if hit is not None:
                measured.append(
                    {"photo": photo.path, "distance_km": hit.get("distance_km"), "inside": hit.get("inside")}
                )
        props = {"layer": "area", "name": a.name, "kind": a.kind, "code": a.code, "measured": measured}
        out.append(_feature(a.geometry, props))
    return {"type": "FeatureCollection", "schema": SCHEMA, "features": out}


def write_geojson(report: Report, path: Path | str, *, areas: Sequence[Area] = ()) -> Path:
    """Write the report's features as GeoJSON (``write_output``: ``-``, a FIFO, or a file replaced
    atomically) and return the path."""
    return write_output(path, (dumps(features(report, areas=areas), compact=True) + "\n").encode("utf-8"))
