"""The batch runner: parallel workers, input order, the observation cache, interruption, crashes."""

from __future__ import annotations

import csv
import json
import multiprocessing.forkserver
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from geoloc.batch import default_jobs, run_batch
from geoloc.cache import ObservationCache
from geoloc.common.text import decodable
from geoloc.errors import GeolocError
from geoloc.pipeline import Settings
from tests.support.limits import SIGNS, write_sign_photos


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Six road-sign scenes, each naming one place; a broken file sits between them."""
    folder = tmp_path_factory.mktemp("batch")
    paths = [str(p) for p in write_sign_photos(folder, seed=100)]
    broken = folder / "03b_broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    paths.insert(3, str(broken))
    return paths


def _dicts(result) -> list[dict]:
    return [r.to_dict() for r in result.reports]


@pytest.fixture(scope="module")
def sequential(photos: list[str]):
    """The reference: every photo read in this process, no cache."""
    return run_batch(photos, Settings(), jobs=1)


def test_sequential_batch_reads_every_photo_and_reports_the_broken_one(photos, sequential) -> None:
    assert [r.path for r in sequential.reports] == [p for p in photos if "broken" not in p]
    assert [e.path for e in sequential.errors] == [photos[3]]
    assert "not an image" in str(sequential.errors[0])
    read = [" ".join(t.text for t in r.texts) for r in sequential.reports]
    hits = sum(lat in text or cyr in text for text, (cyr, lat, _) in zip(read, SIGNS, strict=False))
    assert hits >= 5, read  # the scenes are clean: the sign's name is read


@pytest.mark.slow
def test_two_workers_give_the_same_reports_in_input_order(photos, sequential) -> None:
    seen: list[str] = []
    order: list[str] = []
    result = run_batch(
        photos,
        Settings(),
        jobs=2,
        on_result=lambda r: order.append(r.path),
        on_error=lambda e: (order.append(e.path), seen.append(str(e))),
    )
    assert _dicts(result) == _dicts(sequential)
    assert order == photos  # callbacks in input order, errors included
    assert len(seen) == 1 and seen[0].startswith(photos[3] + ": ")


def test_cache_rereads_nothing_and_gives_identical_reports(photos, sequential, tmp_path) -> None:
    cache = ObservationCache(tmp_path / "obs")
    first = run_batch(photos, Settings(), jobs=1, cache=cache)
    assert first.cached == 0 and cache.info().entries == len(SIGNS)  # failures are not cached
    again = run_batch(photos, Settings(), jobs=2, cache=cache)
    assert again.cached == len(SIGNS)
    assert _dicts(again) == _dicts(first) == _dicts(sequential)
    assert [e.path for e in again.errors] == [photos[3]]

    # a prior changes the inference, not the reading: still all from the cache
    primed = run_batch(photos, Settings(country="UA"), jobs=1, cache=cache)
    assert primed.cached == len(SIGNS)
    # other OCR languages read other text: nothing from the cache
    other = run_batch(photos[:1], Settings(langs="eng"), jobs=1, cache=cache)
    assert other.cached == 0


def test_a_renamed_copy_is_a_hit_and_an_edited_photo_is_not(photos, tmp_path) -> None:
    cache = ObservationCache(tmp_path / "obs")
    run_batch(photos[:1], Settings(), cache=cache)
    copy = tmp_path / "renamed.jpg"
    copy.write_bytes(Path(photos[0]).read_bytes())
    hit = run_batch([str(copy)], Settings(), cache=cache)
    assert hit.cached == 1 and hit.reports[0].path == str(copy)
    assert all(e.source in ("", str(copy)) for c in hit.reports[0].candidates for e in c.evidence)
    edited = tmp_path / "edited.jpg"
    edited.write_bytes(Path(photos[0]).read_bytes() + b"\0")  # one byte more after the JPEG end
    assert run_batch([str(edited)], Settings(), cache=cache).cached == 0


def test_a_damaged_entry_is_read_again_and_rewritten(photos, sequential, tmp_path) -> None:
    cache = ObservationCache(tmp_path / "obs")
    run_batch(photos[:2], Settings(), cache=cache)
    entries = sorted(cache.directory.rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # cut short, as a crash mid-write would
    again = run_batch(photos[:2], Settings(), cache=cache)
    assert again.cached == 1
    assert _dicts(again) == _dicts(sequential)[:2]
    assert json.loads(entries[0].read_text())["key"] == entries[0].stem  # rewritten whole
    assert run_batch(photos[:2], Settings(), cache=cache).cached == 2


def test_ctrl_c_keeps_what_is_done_and_the_rerun_resumes(photos, sequential, tmp_path) -> None:
    cache = ObservationCache(tmp_path / "obs")
    got: list[str] = []

    def stop_after_two(report) -> None:
        got.append(report.path)
        if len(got) == 2:
            raise KeyboardInterrupt

    cut = run_batch(photos[:4], Settings(), jobs=1, cache=cache, on_result=stop_after_two)
    assert cut.interrupted
    assert [r.path for r in cut.reports] == photos[:2]  # the second was done when Ctrl-C came
    assert cache.info().entries == 2
    rest = run_batch(photos[:4], Settings(), jobs=1, cache=cache)
    assert rest.cached == 2 and not rest.interrupted
    assert _dicts(rest) == _dicts(sequential)[:3]


def _forkserver_children() -> list[int]:
    server = multiprocessing.forkserver._forkserver._forkserver_pid
    if not server:
        return []
    try:
        tasks = Path(f"/proc/{server}/task").iterdir()
        return [int(pid) for t in tasks for pid in (t / "children").read_text().split()]
    except OSError:
        return []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_a_worker_killed_mid_batch_costs_nothing(photos, sequential) -> None:
    killed: list[int] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            children = _forkserver_children()
            if children:
                time.sleep(0.3)  # let it start on a photo
                os.kill(children[0], signal.SIGKILL)
                killed.append(children[0])
            time.sleep(0.05)

    watcher = threading.Thread(target=kill_one_worker, daemon=True)
    watcher.start()
    result = run_batch(photos, Settings(), jobs=2)
    watcher.join()
    assert killed, "no worker process was seen"
    assert _dicts(result) == _dicts(sequential)
    assert [e.path for e in result.errors] == [photos[3]]


def test_errors_name_the_file_even_with_undecodable_bytes(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.jpg"
    with open(raw, "wb") as fh:
        fh.write(b"plain text, not a photo")
    errors: list[GeolocError] = []
    result = run_batch([os.fsdecode(raw)], Settings(), on_error=errors.append)
    assert len(result.errors) == 1 and errors == result.errors
    line = str(errors[0])
    assert line.startswith(str(tmp_path) + "/caf\\xe9.jpg: not an image")
    line.encode("utf-8")  # printable and writable as UTF-8
    assert decodable(os.fsdecode(raw)).endswith("caf\\xe9.jpg")


def test_default_jobs_is_the_cpus_this_process_may_use() -> None:
    assert default_jobs() == len(os.sched_getaffinity(0))


def test_copies_of_one_photo_in_a_batch_are_read_once(photos, sequential, tmp_path) -> None:
    copies = []
    for name in ("repost_a.jpg", "repost_b.jpg"):
        copy = tmp_path / name
        copy.write_bytes(Path(photos[0]).read_bytes())
        copies.append(str(copy))
    broken_copy = tmp_path / "broken_again.jpg"
    broken_copy.write_bytes(Path(photos[3]).read_bytes())
    batch = [photos[0], photos[3], copies[0], str(broken_copy), copies[1]]
    result = run_batch(batch, Settings(), jobs=2, cache=ObservationCache(tmp_path / "obs"))
    assert [r.path for r in result.reports] == [photos[0], copies[0], copies[1]]
    assert result.cached == 2  # the two copies were not read
    assert [r.texts for r in result.reports] == [sequential.reports[0].texts] * 3
    assert [e.path for e in result.errors] == [photos[3], str(broken_copy)]
    assert str(result.errors[1]).startswith(f"{broken_copy}: not an image")


REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata"


@pytest.mark.slow
@pytest.mark.realdata
def test_real_camera_files_go_through_workers_and_cache_unchanged(tmp_path) -> None:
    corpus = REALDATA / "exif-py"
    if not corpus.is_dir():
        pytest.skip("../shared/realdata is not present")
    paths = sorted(str(p) for sub in ("jpg", "heic", "jxl") for p in (corpus / sub).rglob("*") if p.is_file())
    gold = {}
    with open(corpus / "gold_location.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["gps_lat"]:
                gold[str(corpus / row["file"])] = (float(row["gps_lat"]), float(row["gps_lon"]))
    cache = ObservationCache(tmp_path / "obs")
    outcomes: list[str] = []
    cold = run_batch(
        paths,
        Settings(),
        jobs=2,
        cache=cache,
        on_result=lambda r: outcomes.append(r.path),
        on_error=lambda e: outcomes.append(e.path),
    )
    assert outcomes == paths  # one outcome per file, in input order
    assert not [str(e) for e in cold.errors if "internal error" in str(e)]
    warm = run_batch(paths, Settings(), jobs=2, cache=cache)
    assert warm.cached == len(cold.reports) and _dicts(warm) == _dicts(cold)
    checked = 0
    for report in warm.reports:
        if report.path in gold:
            lat, lon = gold[report.path]
            assert report.metadata.gps is not None, report.path
            assert abs(report.metadata.gps.lat - lat) < 1e-4 and abs(report.metadata.gps.lon - lon) < 1e-4
            assert report.estimate is not None and report.estimate.basis == "gps"
            checked += 1
    assert checked >= 5
