"""Areas built to break or stall geoloc: bands across the 180th meridian, and user files that are
not GeoJSON, are built to be slow (a scribble crossing itself billions of times, 200,000 squares,
a comb of thin teeth), or never end.

Every case ends in bounded time and memory, with one line naming the file, or with a map whose
band is left out with a warning; none ends in a traceback or a lost run.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import subprocess
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
import shapely.errors
from shapely.geometry import Point

from geoloc.areas import map_geography, measure, resolve_areas, userfiles
from geoloc.areas.userfiles import MAX_AREA_FEATURES, MAX_AREA_FILE_BYTES, MAX_AREA_VERTICES, load_area_file
from geoloc.errors import RegionError
from geoloc.model import Area, Estimate, PhotoReport, Report
from geoloc.render.map import layers, render_map
from geoloc.render.shapes import border_band
from tests.support.limits import GEOLOC, bounded

ROOT = Path(__file__).resolve().parent.parent
WORLD = (-180.0, -85.0, 180.0, 85.0)
CHERNIHIV = (51.50551, 31.28487)
NON_FINITE = re.compile(r"[\[,:]\s*-?(?:NaN|Infinity)\b")
"""A non-finite number written as a value in the page's data, which no browser draws."""


def _refused(path: Path, problem: str, seconds: float = 10.0) -> str:
    """The one-line RegionError reading ``path`` gives, which names the file and ``problem``."""
    with bounded(seconds, memory=3 << 30), pytest.raises(RegionError) as info:
        load_area_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert problem in message, message
    assert "\n" not in message
    return message


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path


def _comb(teeth: int, height: float = 0.01) -> dict[str, Any]:
    """A valid polygon of ``teeth`` teeth ~1 km tall and a few metres apart, along 3° of longitude."""
    xs = np.linspace(30.0, 33.0, 2 * teeth)
    ys = np.where(np.arange(2 * teeth) % 4 < 2, 50.0, 50.0 + height)
    ring = np.vstack([np.column_stack([xs, ys]), [[33.0, 49.9], [30.0, 49.9], [30.0, 50.0]]])
    return {"type": "Polygon", "coordinates": [np.round(ring, 6).tolist()]}


def _report_at(lat: float, lon: float, areas: list[Area]) -> Report:
    photo = PhotoReport(path="photo.jpg", estimate=Estimate(lat, lon, 10.0, 0.5, "distance", "test"))
    photo.areas = [measure(a, lat, lon) for a in areas]
    return Report([photo])


# ---------------------------------------------------------------------------------------------
# item 4: bands across the 180th meridian


@pytest.mark.parametrize(("name", "south", "north"), [("Fiji", -19.5, -15.5), ("Russia", 64.0, 71.5)])
def test_a_band_across_the_meridian_is_the_band_on_both_sides(name: str, south: float, north: float) -> None:
    [area] = resolve_areas(regions=[name])
    with bounded(memory=3 << 30):
        band = border_band(area.geometry, 20.0, WORLD, 0.001)
    assert band.is_valid
    west, _, east, _ = band.bounds
    assert -180.0 <= west and east <= 180.0
    checked = {1: 0, -1: 0}
    for side in (1, -1):
        for lon in np.linspace(178.05, 179.95, 20):
            for lat in np.linspace(south, north, 20):
                got = measure(area, float(lat), float(side * lon))
                d = got["distance_km"]
                if got["inside"] or abs(d - 20.0) < 2.0 or d < 1.0:
                    continue  # in the area (outside the band), or where simplification decides
                assert band.covers(Point(side * lon, lat)) == (d < 20.0), (side * lon, lat, d)
                checked[side] += 1
    assert min(checked.values()) >= 20, checked


@pytest.mark.parametrize("name", ["United States", "Fiji", "Tuvalu", "Russia"])
def test_every_band_across_the_meridian_is_built(name: str) -> None:
    areas = resolve_areas(regions=[name])
    geography = map_geography(_report_at(*CHERNIHIV, areas), areas)
    with bounded(memory=3 << 30):
        for window in (geography.window, WORLD, (170.0, -30.0, 180.0, 75.0)):
            band = border_band(areas[0].geometry, 20.0, window, 0.002)
            assert band.is_valid and not band.is_empty
            assert band.area < 0.25 * (window[2] - window[0]) * (window[3] - window[1])  # a strip, not the world


@pytest.mark.parametrize("region", ["United States", "Fiji"])
def test_locate_with_a_band_across_the_meridian_writes_the_map(tmp_path: Path, region: str) -> None:
    page = tmp_path / "map.html"
    args = ["locate", str(ROOT / "images/chernihiv_sign.jpg"), "--offline", "--no-cache", "--jobs", "1"]
    args += ["--region", region, "--within-km", "20", "--map", str(page)]
    done = subprocess.run([*GEOLOC, *args], capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    html = page.read_text(encoding="utf-8")
    assert "Within 20 km of the reported borders" in html
    assert not NON_FINITE.search(html)


def test_a_band_that_cannot_be_built_is_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    areas = resolve_areas(regions=["Belarus", "Bryansk Oblast"])
    real = layers.border_band

    def failing(geometry, *args, **kw):
        if geometry is areas[0].geometry:
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return real(geometry, *args, **kw)

    monkeypatch.setattr(layers, "border_band", failing)
    report = _report_at(50.0, 25.0, areas)
    with caplog.at_level(logging.WARNING, logger=layers.__name__):
        html = render_map(report, map_geography(report, areas), offline=True, within_km=20.0)
    assert "within 20 km of Bryansk Oblast" in html and "within 20 km of Belarus" not in html
    assert any("Belarus" in r.getMessage() and "not drawn" in r.getMessage() for r in caplog.records)


def test_a_band_too_intricate_to_grow_is_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    [comb] = load_area_file(_write(tmp_path / "comb.geojson", _comb(80_000)))
    report = _report_at(51.0, 31.0, [comb])
    with bounded(30.0, memory=3 << 30), caplog.at_level(logging.WARNING, logger=layers.__name__):
        html = render_map(report, map_geography(report, [comb]), offline=True, within_km=20.0)
    assert "Reported areas" in html
    assert any("vertices in view" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------------------------------
# item 6: files that are not GeoJSON give one line, not a traceback


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            {
                "type": "Topology",
                "objects": {"a": {"type": "GeometryCollection", "geometries": []}},
                "arcs": [[[0, 0], [1, 1]]],
            },
            "TopoJSON is not read",
        ),
        ('{"type": "LineString", "coordinates": [[30, 50], [NaN, 51], [31, 52]]}', "NaN is not a number"),
        ('{"type": "LineString", "coordinates": [[30, 50], [1e999, 51], [31, 52]]}', "not a finite number"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": "Point", "coordinates": [' + "9" * 5000 + ", 50]}", "not GeoJSON"),
        ('{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}', "feature 1"),
        ({"type": "Sphere"}, "unknown type"),
        (b"\xff\xfe\x00garbage", "not GeoJSON"),
    ],
    ids=["topojson", "nan-vertex", "infinite-vertex", "nested-100k", "huge-integer", "open-ring", "unknown", "bytes"],
)
def test_a_file_that_is_not_geojson_is_one_line(tmp_path: Path, content: Any, problem: str) -> None:
    path = tmp_path / "area.geojson"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        _write(path, content)
    _refused(path, problem)


def test_locate_prints_one_line_for_a_topojson_area(tmp_path: Path) -> None:
    topo = _write(tmp_path / "topo.json", {"type": "Topology", "objects": {}, "arcs": []})
    args = ["locate", str(ROOT / "images/no_text.jpg"), "--offline", "--no-cache", "--area", str(topo)]
    done = subprocess.run([*GEOLOC, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{topo}: TopoJSON is not read" in done.stderr


# ---------------------------------------------------------------------------------------------
# item 9: files built to be slow or huge are refused in seconds, or take seconds


def test_a_scribble_crossing_itself_billions_of_times_is_refused_in_seconds(tmp_path: Path) -> None:
    rng = random.Random(1)
    ring = [[round(rng.uniform(30, 33), 6), round(rng.uniform(50, 52), 6)] for _ in range(200_000)]
    path = _write(tmp_path / "scribble.geojson", {"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    _refused(path, "crosses itself in more than", seconds=15.0)


def test_a_line_crossing_itself_too_often_is_refused(tmp_path: Path) -> None:
    rng = random.Random(2)
    line = [[rng.uniform(30, 31), rng.uniform(50, 51)] for _ in range(2_000)]
    _refused(_write(tmp_path / "track.geojson", {"type": "LineString", "coordinates": line}), "crosses itself")


def test_200k_small_squares_are_refused_in_seconds(tmp_path: Path) -> None:
    squares = [
        [[[x, y], [x + 0.004, y], [x + 0.004, y + 0.004], [x, y + 0.004], [x, y]]]
        for x, y in ((round(30 + (i % 500) * 0.006, 3), round(50 + (i // 500) * 0.006, 3)) for i in range(200_000))
    ]
    features = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": s}} for s in squares[:20_000]],
    }
    _refused(_write(tmp_path / "features.geojson", features), f"more than the {MAX_AREA_FEATURES:,} areas")
    multi = _write(tmp_path / "multi.geojson", {"type": "MultiPolygon", "coordinates": squares})
    assert multi.stat().st_size < MAX_AREA_FILE_BYTES  # the vertex cap, not the size, refuses it
    _refused(multi, f"more than {MAX_AREA_VERTICES:,} vertices", seconds=15.0)


def test_the_largest_file_accepted_is_read_measured_and_drawn_in_seconds(tmp_path: Path) -> None:
    """A comb of thin teeth just under the vertex cap: valid, and the worst shape for simplifying
    (Douglas-Peucker turns quadratic) and for growing a band (every tooth's offset crosses the rest)."""
    path = _write(tmp_path / "comb.geojson", _comb(MAX_AREA_VERTICES // 2 - 10))
    with bounded(30.0, memory=3 << 30):
        [comb] = load_area_file(path)
        assert measure(comb, 51.5, 31.3)["distance_km"] == pytest.approx(166, abs=3)
        report = _report_at(50.5, 31.5, [comb])
        html = render_map(report, map_geography(report, [comb]), offline=True, within_km=20.0)
    assert not NON_FINITE.search(html)


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.geojson"
    with open(path, "wb") as fh:
        fh.truncate(MAX_AREA_FILE_BYTES * 50)  # sparse: costs no disk
    _refused(path, "larger than 20 MB")


def test_an_endless_fifo_is_read_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "endless.geojson"
    os.mkfifo(path)

    def feed() -> None:
        try:
            with open(path, "wb") as fh:
                for _ in range(MAX_AREA_FILE_BYTES // (1 << 20) + 10):
                    fh.write(b" " * (1 << 20))
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    _refused(path, "larger than 20 MB")
    writer.join(10)


def test_a_fifo_holding_geojson_is_read(tmp_path: Path) -> None:
    path = tmp_path / "area.geojson"
    os.mkfifo(path)
    square = {"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}
    writer = threading.Thread(target=lambda: path.write_text(json.dumps(square), encoding="utf-8"), daemon=True)
    writer.start()
    with bounded(10.0, memory=3 << 30):
        [area] = load_area_file(path)
    writer.join(10)
    assert area.geometry.area == pytest.approx(1.0)


def test_shapes_that_cross_themselves_a_little_are_repaired(tmp_path: Path) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[30, 50], [31, 51], [31, 50], [30, 51], [30, 50]]]}
    overlapping = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]],
            [[[30.5, 50.5], [31.5, 50.5], [31.5, 51.5], [30.5, 51.5], [30.5, 50.5]]],
        ],
    }
    for name, geometry, area_deg2 in (("bowtie", bowtie, 0.5), ("overlapping", overlapping, 1.75)):
        [area] = load_area_file(_write(tmp_path / f"{name}.geojson", geometry))
        assert area.geometry.is_valid and area.geometry.area == pytest.approx(area_deg2), name
    roads = {
        "type": "MultiLineString",
        "coordinates": [[[30 + i / 10, 50], [30 + i / 10, 51]] for i in range(10)]
        + [[[30, 50 + i / 10], [31, 50 + i / 10]] for i in range(10)],
    }
    [grid] = load_area_file(_write(tmp_path / "roads.geojson", roads))  # 100 crossings: a road map
    assert measure(grid, 50.5, 29.0)["distance_km"] == pytest.approx(70.8, abs=1)


def test_crossings_are_counted_within_bounded_work() -> None:
    rng = np.random.default_rng(3)
    scribble = rng.uniform(0, 1, (3_000, 4))
    assert userfiles._crossings(scribble, 1_000) > 1_000
    parallel = np.column_stack([np.zeros(3_000), np.arange(3_000) * 1e-3, np.ones(3_000), np.arange(3_000) * 1e-3 + 3])
    with bounded(10.0, memory=3 << 30):  # every box meets every other, no edge crosses another: 4.5 million pairs
        assert userfiles._crossings(parallel, 1_000) == 0
    assert shapely.get_num_coordinates(shapely.linestrings(parallel.reshape(-1, 2, 2))).sum() == 6_000


def test_edges_too_many_to_check_are_refused_in_seconds(tmp_path: Path) -> None:
    lines = [[[30.0, 50.0 + i * 1e-4], [31.0, 51.0 + i * 1e-4]] for i in range(7_000)]  # 24.5 million pairs
    _refused(_write(tmp_path / "hatching.geojson", {"type": "MultiLineString", "coordinates": lines}), "side by side")
