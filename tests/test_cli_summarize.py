"""``geoloc summarize`` on the outputs of a real run: a JSON report, a JSONL stream (with a line
cut short), a GeoParquet file, and files that are not geoloc's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import ExifTags, Image

from geoloc.batch import run_batch
from geoloc.cli.main import cli
from geoloc.model import PhotoReport, Report
from geoloc.pipeline import Settings
from geoloc.render.parquet import write_parquet
from tests.conftest import PACKAGES_STEP, require
from tests.support.limits import write_sign_photos

SIGN_REGIONS = {"Chernihiv": "Chernihiv Oblast", "Brovary": "Kyiv Oblast"}
"""The towns on the two signs drawn (``tests.support.limits.SIGNS``) and their oblasts."""

KRAKOW_DMS = ((50.0, 3.0, 41.0), (19.0, 56.0, 12.0))
"""Where the GPS photo was taken: Kraków, Poland (no place named, so no candidate, only a point)."""

HOSTILE_NAME = "blank\x1b[31m.jpg"
"""The photo without evidence carries an escape sequence in its name: printed, it must be escaped."""


def _invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["summarize", *args], input=stdin, catch_exceptions=False)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two sign photos, a GPS photo, a blank photo and a broken file located by ``geoloc locate``
    (JSON report and JSONL stream) and written as GeoParquet from the same photos."""
    folder = tmp_path_factory.mktemp("summarize")
    photos = folder / "photos"
    photos.mkdir()
    signs = write_sign_photos(photos, seed=400)[:2]
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: KRAKOW_DMS[0], 3: "E", 4: KRAKOW_DMS[1]}
    gps = photos / "gps.jpg"
    Image.new("RGB", (320, 240), (120, 160, 200)).save(gps, exif=exif)
    blank = photos / HOSTILE_NAME
    Image.new("RGB", (320, 240), (90, 140, 90)).save(blank, "JPEG")
    broken = photos / "zz_broken.jpg"
    broken.write_bytes(b"GIF89a, or so it claims")
    paths = [str(p) for p in (*signs, gps, blank, broken)]

    report = folder / "report.json"
    run = CliRunner().invoke(
        cli, ["locate", *paths, "--jsonl", "--no-cache", "--report", str(report), "--map", str(folder / "m.html")]
    )
    assert run.exit_code == 1  # the broken file failed; the others were read
    jsonl = folder / "run.jsonl"
    jsonl.write_text(run.stdout, encoding="utf-8")

    require(_has("pyarrow"), "the Python package pyarrow", PACKAGES_STEP)
    batch = run_batch(paths, Settings())
    parquet = folder / "run.parquet"
    failed = [PhotoReport(path=e.path or "", errors=[e.message]) for e in batch.errors]
    write_parquet(Report(photos=batch.reports), parquet, failed=failed)
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    return {
        "folder": folder,
        "report": report,
        "jsonl": jsonl,
        "parquet": parquet,
        "lines": lines,
        "paths": {"signs": [str(p) for p in signs], "gps": str(gps), "blank": str(blank), "broken": str(broken)},
    }


def _has(package: str) -> bool:
    try:
        __import__(package)
    except ImportError:
        return False
    return True


def _summary(*args: str, stdin: str | None = None) -> tuple[dict[str, Any], Any]:
    result = _invoke(*args, "--json", stdin=stdin)
    return json.loads(result.stdout), result


def _band(confidence: float) -> str:
    return "0.9 or more" if confidence >= 0.9 else "0.5 to 0.9" if confidence >= 0.5 else "under 0.5"


def test_counts_of_a_jsonl_stream_follow_the_photos_drawn(outputs: dict[str, Any]) -> None:
    s, result = _summary(str(outputs["jsonl"]))
    assert result.exit_code == 0 and result.stderr == ""
    assert (s["files"], s["photos"], s["located"]) == (1, 5, 3)
    assert {c["country"]: c["photos"] for c in s["countries"]} == {"UA": 2, "PL": 1}
    regions = {(r["country"], r["admin1"]): r["photos"] for r in s["regions"]}
    assert regions == {("UA", "Chernihiv Oblast"): 1, ("UA", "Kyiv Oblast"): 1, ("PL", None): 1}
    bands: dict[str, int] = {}
    for line in outputs["lines"]:
        if line["estimate"]:
            bands[_band(line["estimate"]["confidence"])] = bands.get(_band(line["estimate"]["confidence"]), 0) + 1
    assert {b["band"]: b["photos"] for b in s["confidence"] if b["photos"]} == bands
    assert s["without_evidence"] == {"photos": 1, "paths": [outputs["paths"]["blank"]]}
    assert s["failed"]["photos"] == 1
    [failed] = s["failed"]["paths"]
    assert failed["path"] == outputs["paths"]["broken"] and "not an image" in failed["error"]


def test_the_json_report_and_the_parquet_file_give_the_same_counts(outputs: dict[str, Any]) -> None:
    from_jsonl, _ = _summary(str(outputs["jsonl"]))
    from_parquet, result = _summary(str(outputs["parquet"]))
    assert result.exit_code == 0
    assert from_parquet == from_jsonl
    from_report, _ = _summary(str(outputs["report"]))  # --report holds the photos read, not the failed one
    assert from_report["photos"] == 4 and from_report["failed"]["photos"] == 0
    assert from_report["countries"] == from_jsonl["countries"]
    assert from_report["without_evidence"] == from_jsonl["without_evidence"]


def test_a_line_cut_short_is_named_with_its_line_and_the_rest_is_read(outputs: dict[str, Any], tmp_path: Path) -> None:
    lines = outputs["jsonl"].read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "cut.jsonl"
    # an interrupted run's file, with a second run appended after it: the cut line is in the middle
    cut.write_text("\n".join([*lines[:2], lines[2][: len(lines[2]) // 2], *lines[3:]]) + "\n", encoding="utf-8")
    s, result = _summary(str(cut))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"geoloc: {cut}:3: not a whole JSON line (cut short?); skipped"]
    assert s["photos"] == 4 and s["problems"] == 1
    cut_path = outputs["lines"][2]["path"]
    listed = s["without_evidence"]["paths"] + [f["path"] for f in s["failed"]["paths"]]
    assert cut_path not in listed


def test_files_that_are_not_geoloc_outputs_get_one_line_each_and_the_others_are_read(
    outputs: dict[str, Any], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    other_json = tmp_path / "package.json"
    other_json.write_text('{"name": "left-pad", "version": "1.3.0"}\n', encoding="utf-8")
    other_parquet = tmp_path / "sales.parquet"
    pq.write_table(pa.table({"path": ["a"], "amount": [3]}), other_parquet)
    folder = tmp_path / "a_folder"
    folder.mkdir()
    s, result = _summary(str(other_json), str(outputs["jsonl"]), str(other_parquet), str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"geoloc: {other_json}: not a geoloc report or JSONL stream (its first line is neither)",
        f"geoloc: {other_parquet}: not a geoloc Parquet file (no column lat, lon, radius_km, confidence, "
        "candidates, errors)",
        f"geoloc: {folder}: a folder, not a geoloc output file",
    ]
    assert s["files"] == 4 and s["photos"] == 5 and s["problems"] == 3


def test_a_photo_record_with_impossible_values_is_skipped_alone(outputs: dict[str, Any], tmp_path: Path) -> None:
    lines = outputs["jsonl"].read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["estimate"] = {**(record["estimate"] or {}), "lat": 1e999, "lon": 30.0}
    bad = tmp_path / "edited.jsonl"
    bad.write_text("\n".join([*lines, json.dumps(record)]) + "\n", encoding="utf-8")
    s, result = _summary(str(bad))
    assert result.stderr == f"geoloc: {bad}:6: estimate lat is not a finite number; skipped\n"
    assert s["photos"] == 5


def test_garbage_after_a_good_stream_is_counted_not_printed_line_by_line(
    outputs: dict[str, Any], tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text(outputs["jsonl"].read_text(encoding="utf-8") + "not json\n" * 30, encoding="utf-8")
    s, result = _summary(str(garbage))
    errors = result.stderr.splitlines()
    assert len(errors) == 21 and errors[-1] == f"geoloc: {garbage}: 10 more bad lines or rows skipped"
    assert errors[0] == f"geoloc: {garbage}:6: not a whole JSON line (cut short?); skipped"
    assert s["photos"] == 5 and s["problems"] == 30


def test_an_overlong_line_is_skipped_without_being_kept(
    outputs: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("geoloc.summary.MAX_LINE_BYTES", 64 * 1024)
    long = tmp_path / "long.jsonl"
    text = outputs["jsonl"].read_text(encoding="utf-8")
    long.write_text(text + '{"path": "' + "x" * 200_000 + '"}\n' + text, encoding="utf-8")
    s, result = _summary(str(long))
    assert result.stderr == f"geoloc: {long}:6: line longer than 65,536 bytes; skipped\n"
    assert s["photos"] == 10


def test_stdin_takes_a_piped_stream(outputs: dict[str, Any]) -> None:
    s, result = _summary("-", stdin=outputs["jsonl"].read_text(encoding="utf-8"))
    assert result.exit_code == 0 and s["photos"] == 5 and s["located"] == 3


def test_the_text_summary_escapes_names_from_the_files(outputs: dict[str, Any]) -> None:
    result = _invoke(str(outputs["jsonl"]))
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b" not in out
    assert "blank\\x1b[31m.jpg" in out
    assert out.splitlines()[0] == "5 photos in 1 file: 3 located, 1 without location evidence, 1 failed"
    assert "  Chernihiv Oblast" in out.replace("UA  ", "  ")
    assert f"  {outputs['paths']['broken']}: not an image" in out


def test_made_up_groups_beyond_the_cap_are_counted_together(
    outputs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("geoloc.summary.MAX_GROUPS", 1)
    s, _ = _summary(str(outputs["jsonl"]))
    assert {c["country"]: c["photos"] for c in s["countries"]} == {"UA": 2, "(others)": 1}
    assert sum(r["photos"] for r in s["regions"]) == 3 and len(s["regions"]) == 2
