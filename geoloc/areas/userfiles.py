"""Reads a user's GeoJSON file of areas into polygons, with a one-line error naming the file for anything wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path

import shapely
import shapely.errors
from shapely.geometry import shape

from geoloc.errors import RegionError
from geoloc.model import Area


def load_area_file(path: Path) -> list[Area]:
    """The polygons of a user's GeoJSON file (a FeatureCollection, Feature or bare geometry)."""
    shown = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise RegionError("no such GeoJSON file", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionError(f"cannot read ({getattr(exc, 'strerror', None) or exc})", path=shown) from None
    except json.JSONDecodeError as exc:
        raise RegionError(f"not GeoJSON (invalid JSON at line {exc.lineno})", path=shown) from None
    if not isinstance(data, dict):
        raise RegionError("not GeoJSON (expected an object)", path=shown)
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
    elif data.get("type") == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    if not isinstance(features, list) or not features:
        raise RegionError("no features in the GeoJSON file", path=shown)
    stem = Path(path).stem
    areas = []
    for n, f in enumerate(features, 1):
        if not isinstance(f, dict) or not isinstance(f.get("geometry"), dict):
            raise RegionError(f"feature {n} has no geometry", path=shown)
        try:
            geom = shapely.make_valid(shape(f["geometry"]))
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.GEOSException) as exc:
            raise RegionError(f"feature {n} has an invalid geometry ({exc})", path=shown) from None
        if geom.is_empty:
            raise RegionError(f"feature {n} has an empty geometry", path=shown)
        x0, y0, x1, y1 = geom.bounds
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            raise RegionError(f"feature {n} is not in longitude/latitude (WGS 84)", path=shown)
        props = f.get("properties") if isinstance(f.get("properties"), dict) else {}
        label = next((str(props[k]) for k in ("name", "Name", "NAME", "title") if props.get(k)), "")
        name = label or (stem if len(features) == 1 else f"{stem} #{n}")
        areas.append(Area(name=name, kind="user", geometry=geom, code=f"{stem}#{n}"))
    return areas
