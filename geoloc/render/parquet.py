"""A report as GeoParquet: one row per photo, and one row per evidence item in a second file.

Archives of tens of thousands of photos are queried, not read: GeoPandas, DuckDB, QGIS and
Spark open GeoParquet directly, filter by confidence or country without parsing JSON, and join
runs by path. The photo file's geometry is the estimate's centre (a WKB point in OGC:CRS84,
longitude first; null for a photo without an estimate, which is a correct answer). Its columns
are the JSON report's, flattened where an archive filters (estimate, best-ranked candidate,
GPS, counts) and kept nested where it only reads (alternatives, candidates, areas, texts).

Evidence goes in a second file, ``<stem>.evidence.parquet``, one flat row per evidence item of
each candidate with the candidate's point as its geometry, rather than in a nested column: a
GIS shows a flat table as a layer of candidate places and filters it by what was read ("every
sign reading Чернігів"), which a list of structs of lists inside the photo row does not allow;
the two files join on ``path``.

The renderer reads ``PhotoReport.to_dict`` (the JSON schema) and computes nothing new. pyarrow
is an optional extra (``geoloc[archive]``): ``require_pyarrow`` says in one line how to get it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shapely import to_wkb
from shapely.geometry import Point

from geoloc.common.files import STDOUT, atomic_write_bytes
from geoloc.errors import OutputError
from geoloc.model import SCHEMA, PhotoReport, Report
from geoloc.render.jsontext import finite

EVIDENCE_SUFFIX = ".evidence.parquet"
"""The evidence file sits beside the photo file: ``run.parquet`` -> ``run.evidence.parquet``."""

GEOPARQUET_VERSION = "1.1.0"
"""The GeoParquet specification the ``geo`` metadata follows (readers of 1.0 read it too)."""

CRS84 = {
    "$schema": "https://proj.org/schemas/v0.7/projjson.schema.json",
    "type": "GeographicCRS",
    "name": "WGS 84 (CRS84)",
    "datum": {
        "type": "GeodeticReferenceFrame",
        "name": "World Geodetic System 1984",
        "ellipsoid": {"name": "WGS 84", "semi_major_axis": 6378137, "inverse_flattening": 298.257223563},
    },
    "coordinate_system": {
        "subtype": "ellipsoidal",
        "axis": [
            {"name": "Geodetic longitude", "abbreviation": "Lon", "direction": "east", "unit": "degree"},
            {"name": "Geodetic latitude", "abbreviation": "Lat", "direction": "north", "unit": "degree"},
        ],
    },
    "id": {"authority": "OGC", "code": "CRS84"},
}
"""OGC:CRS84 as PROJJSON: WGS 84 with longitude first, as the report's coordinates are. Written
out although it is GeoParquet's default, so no reader has to know the default."""

PARQUET_COMPRESSION = "zstd"
"""Compression of the columns: zstd makes the repetitive text columns (rules, countries, paths)
several times smaller and every current Parquet reader decodes it."""

INSTALL_HINT = "--parquet needs pyarrow: pip install 'geoloc[archive]'"


def require_pyarrow() -> Any:
    """The ``pyarrow`` module, or an OutputError saying how to install it (checked before a run)."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401 - the writer lives in this submodule
    except ImportError:
        raise OutputError(INSTALL_HINT) from None
    return pyarrow


def evidence_path(path: str | os.PathLike[str]) -> Path:
    """Where the evidence rows of the photo file ``path`` go: same folder, ``<stem>.evidence.parquet``."""
    p = Path(path)
    stem = p.name[: -len(".parquet")] if p.name.lower().endswith(".parquet") else p.name
    return p.with_name(stem + EVIDENCE_SUFFIX)


def _schemas(pa: Any) -> tuple[Any, Any]:
    """The photo and evidence table schemas: fixed, so that files of many runs read as one table."""
    alternative = pa.struct(
        [
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("radius_km", pa.float64()),
            ("probability", pa.float64()),
            ("explanation", pa.string()),
        ]
    )
    candidate = pa.struct(
        [
            ("name", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("country_code", pa.string()),
            ("admin1", pa.string()),
            ("score", pa.float64()),
            ("geonameid", pa.int64()),
            ("population", pa.int64()),
            ("kind", pa.string()),
        ]
    )
    area = pa.struct(
        [
            ("name", pa.string()),
            ("kind", pa.string()),
            ("code", pa.string()),
            ("distance_km", pa.float64()),
            ("inside", pa.bool_()),
        ]
    )
    photos = pa.schema(
        [
            ("path", pa.string()),
            ("context_source", pa.string()),
            ("context_text", pa.string()),
            ("context_date", pa.string()),
            ("context_link", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("radius_km", pa.float64()),
            ("confidence", pa.float64()),
            ("basis", pa.string()),
            ("rule", pa.string()),
            ("explanation", pa.string()),
            ("probability", pa.float64()),
            ("alternatives", pa.list_(alternative)),
            ("place", pa.string()),
            ("country_code", pa.string()),
            ("admin1", pa.string()),
            ("place_score", pa.float64()),
            ("candidates", pa.list_(candidate)),
            ("n_candidates", pa.int32()),
            ("n_texts", pa.int32()),
            ("texts", pa.list_(pa.string())),
            ("gps_lat", pa.float64()),
            ("gps_lon", pa.float64()),
            ("taken_at", pa.string()),
            ("conflicts", pa.list_(pa.string())),
            ("areas", pa.list_(area)),
            ("errors", pa.list_(pa.string())),
            ("geometry", pa.binary()),
        ]
    )
    evidence = pa.schema(
        [
            ("path", pa.string()),
            ("candidate_rank", pa.int32()),
            ("name", pa.string()),
            ("country_code", pa.string()),
            ("admin1", pa.string()),
            ("geonameid", pa.int64()),
            ("kind", pa.string()),
            ("score", pa.float64()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("evidence_kind", pa.string()),
            ("text", pa.string()),
            ("ocr_confidence", pa.float64()),
            ("box", pa.list_(pa.int32())),
            ("evidence_source", pa.string()),
            ("distance_km", pa.float64()),
            ("time_s", pa.float64()),
            ("geometry", pa.binary()),
        ]
    )
    return photos, evidence


def _point(lat: Any, lon: Any) -> bytes | None:
    """The WKB of a point (longitude first), or None without both coordinates."""
    if lat is None or lon is None:
        return None
    return to_wkb(Point(float(lon), float(lat)))


def _text(value: Any) -> str | None:
    """A string column's value: text as is, anything else (a structured field) as JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _context(photo: dict[str, Any], key: str) -> str | None:
    """A field of the words published with the photo (``context``: a caption, a post), if any."""
    context = photo.get("context")
    if not isinstance(context, dict):
        return None
    return _text(context.get(key)) or None


def _photo_row(photo: dict[str, Any]) -> dict[str, Any]:
    """The photo file's row of one photo of the JSON report."""
    e = photo.get("estimate") or {}
    candidates = photo.get("candidates") or []
    best = candidates[0] if candidates else {}
    gps = (photo.get("metadata") or {}).get("gps") or {}
    camera = (photo.get("metadata") or {}).get("camera") or {}
    texts = photo.get("texts") or []
    return {
        "path": photo["path"],
        "context_source": _context(photo, "source"),
        "context_text": _context(photo, "text"),
        "context_date": _context(photo, "date"),
        "context_link": _context(photo, "link"),
        "lat": e.get("lat"),
        "lon": e.get("lon"),
        "radius_km": e.get("radius_km"),
        "confidence": e.get("confidence"),
        "basis": e.get("basis"),
        "rule": e.get("rule"),
        "explanation": e.get("explanation"),
        "probability": e.get("probability"),
        "alternatives": e.get("alternatives") or [],
        "place": best.get("name"),
        "country_code": best.get("country_code") or None,
        "admin1": best.get("admin1") or None,
        "place_score": best.get("score"),
        "candidates": [{k: v for k, v in c.items() if k != "evidence"} for c in candidates],
        "n_candidates": len(candidates),
        "n_texts": len(texts),
        "texts": [t.get("text") for t in texts],
        "gps_lat": gps.get("lat"),
        "gps_lon": gps.get("lon"),
        "taken_at": _text(camera.get("datetime_original")),
        "conflicts": photo.get("conflicts") or [],
        "areas": photo.get("areas") or [],
        "errors": photo.get("errors") or [],
        "geometry": _point(e.get("lat"), e.get("lon")) if e else None,
    }


def _evidence_rows(photo: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence file's rows of one photo: each evidence item of each of its candidates."""
    rows = []
    for rank, c in enumerate(photo.get("candidates") or [], 1):
        for ev in c.get("evidence") or []:
            rows.append(
                {
                    "path": photo["path"],
                    "candidate_rank": rank,
                    "name": c.get("name"),
                    "country_code": c.get("country_code") or None,
                    "admin1": c.get("admin1") or None,
                    "geonameid": c.get("geonameid"),
                    "kind": c.get("kind"),
                    "score": c.get("score"),
                    "lat": c.get("lat"),
                    "lon": c.get("lon"),
                    "evidence_kind": ev.get("kind"),
                    "text": ev.get("text"),
                    "ocr_confidence": ev.get("confidence"),
                    "box": ev.get("box"),
                    "evidence_source": _text(ev.get("source")),
                    "distance_km": ev.get("distance_km"),
                    "time_s": ev.get("time_s"),
                    "geometry": _point(c.get("lat"), c.get("lon")),
                }
            )
    return rows


def _geo_metadata(rows: list[dict[str, Any]]) -> str:
    """The GeoParquet ``geo`` key: one WKB point column in OGC:CRS84, with the bounding box of the
    rows' points (their ``lon`` and ``lat`` columns)."""
    points = [(r["lon"], r["lat"]) for r in rows if r["geometry"] is not None]
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"], "crs": CRS84}
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        column["bbox"] = [min(xs), min(ys), max(xs), max(ys)]
    return json.dumps({"version": GEOPARQUET_VERSION, "primary_column": "geometry", "columns": {"geometry": column}})


def _table_bytes(pa: Any, schema: Any, rows: list[dict[str, Any]], geo: str) -> bytes:
    """The Parquet file of ``rows``, in memory (then written in one atomic step)."""
    table = pa.Table.from_pylist(rows, schema=schema)
    table = table.replace_schema_metadata({"geo": geo, "geoloc_schema": SCHEMA})
    sink = pa.BufferOutputStream()
    pa.parquet.write_table(table, sink, compression=PARQUET_COMPRESSION)
    return sink.getvalue().to_pybytes()


def write_parquet(
    report: Report, path: str | os.PathLike[str], *, failed: Sequence[PhotoReport] = ()
) -> tuple[Path, Path]:
    """Write ``report`` as GeoParquet to ``path`` and its evidence beside it; return both paths.

    ``failed`` are the photos that could not be read (a PhotoReport with only ``path`` and
    ``errors``), written as rows with a null geometry after the report's photos, so an archive
    sees every input. Each file is replaced atomically: an interrupted run leaves the previous
    file or the complete new one. Raises OutputError when pyarrow is missing or a file cannot be
    written (``path`` must be a file name: there are two files to write).
    """
    pa = require_pyarrow()
    if os.fspath(path) == STDOUT:
        raise OutputError("--parquet writes two files (photos and evidence); give it a file name, not -")
    photos = [finite(p.to_dict(), p.path) for p in [*report.photos, *failed]]
    photo_schema, evidence_schema = _schemas(pa)
    rows = [_photo_row(p) for p in photos]
    evidence = [row for p in photos for row in _evidence_rows(p)]
    photo_bytes = _table_bytes(pa, photo_schema, rows, _geo_metadata(rows))
    evidence_bytes = _table_bytes(pa, evidence_schema, evidence, _geo_metadata(evidence))
    target, beside = Path(path), evidence_path(path)
    atomic_write_bytes(beside, evidence_bytes)
    atomic_write_bytes(target, photo_bytes)
    return target, beside
