"""``geoloc.render.parquet``: a report of generated photos, read by the real pipeline, written as
GeoParquet and read back with GeoPandas and DuckDB as an archive would."""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import ExifTags, Image
from shapely import from_wkb
from shapely.geometry import Point

from geoloc.batch import run_batch
from geoloc.cli.main import cli
from geoloc.errors import OutputError
from geoloc.model import PhotoReport, Report
from geoloc.pipeline import Settings
from geoloc.render.parquet import INSTALL_HINT, evidence_path, write_parquet
from tests.conftest import PACKAGES_STEP, require
from tests.support.limits import write_sign_photos

GPS = (50.46, 30.52)
"""Where the GPS-tagged photo says it was taken (50°27'36" N, 30°31'12" E)."""


def _gps_photo(path: Path) -> Path:
    """A flat photo whose EXIF GPS block puts it at ``GPS``: its estimate is that point."""
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (50.0, 27.0, 36.0), 3: "E", 4: (30.0, 31.0, 12.0)}
    Image.new("RGB", (320, 240), (120, 160, 200)).save(path, exif=exif)
    return path


def _blank_photo(path: Path) -> Path:
    """A photo with nothing to read: no metadata, no text, so no estimate."""
    Image.new("RGB", (320, 240), (90, 140, 90)).save(path)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two sign photos, a GPS photo, a blank one and a broken one through the real pipeline,
    written to Parquet; with the report's JSON to compare against."""
    for package in ("pyarrow", "geopandas", "duckdb"):
        try:
            __import__(package)
        except ImportError:
            require(False, f"the Python package {package}", PACKAGES_STEP)
    folder = tmp_path_factory.mktemp("archive")
    signs = write_sign_photos(folder, seed=300)[:2]
    gps = _gps_photo(folder / "gps.jpg")
    blank = _blank_photo(folder / "blank.jpg")
    broken = folder / "broken.jpg"
    broken.write_bytes(b"<html>saved as .jpg</html>")
    paths = [str(p) for p in (*signs, gps, blank, broken)]
    batch = run_batch(paths, Settings())
    assert [e.path for e in batch.errors] == [str(broken)]
    report = Report(photos=batch.reports)
    failed = [PhotoReport(path=e.path or "", errors=[e.message]) for e in batch.errors]
    out = folder / "run.parquet"
    written = write_parquet(report, out, failed=failed)
    return {
        "written": written,
        "json": [p.to_dict() for p in [*report.photos, *failed]],
        "paths": {"signs": [str(p) for p in signs], "gps": str(gps), "blank": str(blank), "broken": str(broken)},
    }


def test_writes_the_photo_file_and_its_evidence_beside_it(run: dict[str, Any]) -> None:
    photos, evidence = run["written"]
    assert evidence == photos.with_name("run.evidence.parquet")
    assert photos.is_file() and evidence.is_file()
    assert not list(photos.parent.glob(".*.part"))
    assert evidence_path("out/archive") == Path("out/archive.evidence.parquet")


def test_geopandas_reads_points_in_crs84_with_a_null_geometry_where_there_is_no_estimate(
    run: dict[str, Any],
) -> None:
    import geopandas

    gdf = geopandas.read_parquet(run["written"][0])
    assert gdf.crs is not None and gdf.crs.equals("OGC:CRS84")
    assert gdf.geometry.name == "geometry"
    expected = run["json"]
    assert list(gdf["path"]) == [p["path"] for p in expected]
    for row, photo in zip(gdf.itertuples(), expected, strict=True):
        e = photo["estimate"]
        if e is None:
            assert row.geometry is None and row.confidence != row.confidence  # NaN: no estimate
        else:
            assert row.geometry.equals_exact(Point(e["lon"], e["lat"]), 1e-9)
            assert (row.confidence, row.basis, row.rule, row.radius_km) == (
                e["confidence"],
                e["basis"],
                e["rule"],
                e["radius_km"],
            )
        assert row.n_texts == len(photo["texts"])
        assert list(row.errors) == photo["errors"]
    by_path = gdf.set_index("path")
    gps = by_path.loc[run["paths"]["gps"]]
    assert gps.geometry.x == pytest.approx(GPS[1], abs=1e-6) and gps.geometry.y == pytest.approx(GPS[0], abs=1e-6)
    assert gps.basis == "gps" and gps.gps_lat == pytest.approx(GPS[0], abs=1e-6)
    assert by_path.loc[run["paths"]["blank"]].geometry is None
    broken = by_path.loc[run["paths"]["broken"]]
    assert broken.geometry is None and "not an image" in broken.errors[0]


def test_columns_carry_the_report_the_json_gives(run: dict[str, Any]) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(run["written"][0])
    for column in ("path", "lat", "lon", "radius_km", "confidence", "basis", "rule", "explanation", "country_code"):
        assert column in table.column_names
    assert str(table.schema.field("alternatives").type).startswith("list<element: struct<lat: double")
    rows = table.to_pylist()
    signed = [r for r in rows if r["path"] in run["paths"]["signs"]]
    assert signed and all(r["country_code"] == "UA" and r["basis"] for r in signed)
    for row, photo in zip(rows, run["json"], strict=True):
        candidates = photo["candidates"]
        assert row["country_code"] == (candidates[0]["country_code"] if candidates else None)
        assert row["place"] == (candidates[0]["name"] if candidates else None)
        assert [c["name"] for c in row["candidates"]] == [c["name"] for c in candidates]
        assert row["alternatives"] == ((photo["estimate"] or {}).get("alternatives") or [])
        assert row["texts"] == [t["text"] for t in photo["texts"]]
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["columns"]["geometry"]["encoding"] == "WKB"
    assert geo["columns"]["geometry"]["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}
    west, south, east, north = geo["columns"]["geometry"]["bbox"]
    located = [r for r in rows if r["lat"] is not None]
    assert west == min(r["lon"] for r in located) and north == max(r["lat"] for r in located)


def test_duckdb_queries_both_files_and_joins_them_on_path(run: dict[str, Any]) -> None:
    import duckdb

    photos, evidence = (str(p) for p in run["written"])
    con = duckdb.connect()
    counted = con.execute(
        "SELECT country_code, count(*) FROM read_parquet(?) WHERE confidence IS NOT NULL GROUP BY 1 ORDER BY 1",
        [photos],
    ).fetchall()
    expected: dict[str | None, int] = {}
    for p in run["json"]:
        if p["estimate"] is not None:
            cc = p["candidates"][0]["country_code"] if p["candidates"] else None
            expected[cc] = expected.get(cc, 0) + 1
    assert sorted(counted, key=str) == sorted(expected.items(), key=str)
    items = sum(len(c["evidence"]) for p in run["json"] for c in p["candidates"])
    assert items > 0
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [evidence]).fetchone()[0] == items
    joined = con.execute(
        "SELECT e.text, e.evidence_kind, p.rule FROM read_parquet(?) e JOIN read_parquet(?) p USING (path) "
        "WHERE e.candidate_rank = 1 ORDER BY e.path",
        [evidence, photos],
    ).fetchall()
    first_evidence = [
        (c["evidence"][0]["text"], c["evidence"][0]["kind"], p["estimate"]["rule"])
        for p in sorted(run["json"], key=lambda p: p["path"])
        for c in p["candidates"][:1]
        if c["evidence"]
    ]
    assert [row for row in joined if row in first_evidence] == first_evidence
    kind = dict((r[0], r[1]) for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [photos]).fetchall())
    assert kind["geometry"] == "GEOMETRY('OGC:CRS84')"  # read as GeoParquet, not as bytes
    at = con.execute("SELECT ST_AsText(geometry) FROM read_parquet(?) WHERE path = ?", [photos, run["paths"]["gps"]])
    assert at.fetchone()[0] == f"POINT ({GPS[1]} {GPS[0]})"
    wkb = con.execute(
        "SELECT geometry::BLOB, lat, lon FROM read_parquet(?) WHERE lat IS NOT NULL", [evidence]
    ).fetchall()
    assert wkb and all(from_wkb(bytes(g)).equals_exact(Point(lon, lat), 1e-9) for g, lat, lon in wkb)


def test_parquet_files_of_two_runs_read_as_one_table(run: dict[str, Any], tmp_path: Path) -> None:
    import duckdb

    empty = tmp_path / "empty.parquet"
    write_parquet(Report(photos=[]), empty)
    files = [str(run["written"][0]), str(empty)]
    rows = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [files]).fetchone()[0]
    assert rows == len(run["json"])


def test_a_file_is_replaced_whole_and_a_fifo_or_stdout_is_refused(tmp_path: Path) -> None:
    require(hasattr(os, "mkfifo"), "os.mkfifo", "a POSIX system")
    out = tmp_path / "a.parquet"
    out.write_bytes(b"the previous run")
    write_parquet(Report(photos=[PhotoReport(path="x.jpg")]), out)
    assert out.read_bytes()[:4] == b"PAR1" and not list(tmp_path.glob(".*.part"))
    fifo = tmp_path / "pipe.parquet"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        write_parquet(Report(photos=[]), fifo)
    with pytest.raises(OutputError, match="give it a file name"):
        write_parquet(Report(photos=[]), "-")


def test_without_pyarrow_the_error_is_one_line_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(OutputError) as caught:
        write_parquet(Report(photos=[]), tmp_path / "a.parquet")
    assert str(caught.value) == INSTALL_HINT and "\n" not in str(caught.value)
    assert not (tmp_path / "a.parquet").exists()


def test_an_empty_folder_among_the_inputs_is_named_in_one_line_and_the_photos_are_read(
    run: dict[str, Any], tmp_path: Path
) -> None:
    empty = tmp_path / "nothing_here"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a photo", encoding="utf-8")
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        ["locate", str(empty), run["paths"]["gps"], "--no-cache", "--report", str(report)]
        + ["--map", str(tmp_path / "m.html"), "-q"],
    )
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stderr.splitlines() if str(empty) in ln]
    assert lines == [f"geoloc: {empty}: no photos in this folder; skipped"]
    photos = json.loads(report.read_text(encoding="utf-8"))["photos"]
    assert [p["path"] for p in photos] == [run["paths"]["gps"]]
    assert photos[0]["estimate"]["basis"] == "gps"


def test_locate_writes_parquet_beside_its_report_with_failed_photos_as_rows(
    run: dict[str, Any], tmp_path: Path
) -> None:
    import geopandas

    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"<html>not found</html>")  # a page saved under a photo's name
    out = tmp_path / "archive.parquet"
    report = tmp_path / "r.json"
    result = CliRunner().invoke(
        cli,
        ["locate", run["paths"]["gps"], str(broken), "--no-cache", "--parquet", str(out), "--report", str(report)]
        + ["--map", str(tmp_path / "m.html"), "-q"],
    )
    assert result.exit_code == 1, result.output  # one photo failed, said on stderr
    frame = geopandas.read_parquet(out)
    assert list(frame["path"]) == [run["paths"]["gps"], str(broken)]
    estimate = json.loads(report.read_text(encoding="utf-8"))["photos"][0]["estimate"]
    point = frame.geometry.iloc[0]
    assert (point.y, point.x) == pytest.approx((estimate["lat"], estimate["lon"]))
    assert frame.geometry.iloc[1] is None
    assert evidence_path(out).is_file()
