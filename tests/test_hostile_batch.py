"""A batch against what stalls or ends it: the per-photo time limit, readers that die, SIGKILL, SIGTERM.

A photo that stalls its reader is simulated by stopping the reader process (SIGSTOP): it then makes
no progress at all, as a reader stuck in a decoder would, for as long as the test lets it. The
hostile files found so far (many JPEG scans, many PNG chunks, deep XMP) are each being bounded by
their own limit, so none of them stays slow by design; a test built on one would break as soon as
geoloc reads it faster, while the time limit is there for the slow files nobody has found yet.
Whatever makes a reader slow, the limit ends it the same way (SIGKILL of its process group).
"""

from __future__ import annotations

import json
import multiprocessing.forkserver
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geoloc.batch import run_batch
from geoloc.pipeline import Settings
from tests.support.limits import GEOLOC, deadline, first_line, write_sign_photos

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")

LIMIT_S = 8
BATCH_SECONDS = 180
"""The longest a test waits for a batch whose stalled reader the time limit must end."""
"""The --timeout of these runs: several times what one of these small photos takes, even in a
fresh reader loading its OCR models on a loaded machine, and short enough to keep the tests quick."""
GONE_WITHIN_S = 10.0
"""How long the processes of a killed run may take to go (they take well under a second)."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six road-sign photos, each naming one place."""
    folder = tmp_path_factory.mktemp("hostile-batch")
    write_sign_photos(folder, seed=400)
    return folder


def _photos(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.iterdir())


def _process_table() -> dict[int, tuple[int, str, int]]:
    """Every process: pid -> (parent pid, state letter, start time in clock ticks)."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # ended meanwhile
                continue
            fields = stat[stat.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
            table[int(entry)] = (int(fields[1]), fields[0], int(fields[19]))
    return table


def _descendants(root: int) -> dict[int, int]:
    """The processes below ``root`` (children, their children...): pid -> start time."""
    table = _process_table()
    found: dict[int, int] = {}
    parents = {root}
    while parents:
        parents = {pid for pid, (ppid, _, _) in table.items() if ppid in parents and pid not in found}
        found.update({pid: table[pid][2] for pid in parents})
    return found


def _still_running(processes: dict[int, int]) -> list[int]:
    """Those of ``processes`` that still run (a zombie waiting for its reaper has ended; a pid
    that came back with another start time is another process)."""
    table = _process_table()
    return [pid for pid, start in processes.items() if pid in table and table[pid][1] != "Z" and table[pid][2] == start]


def _wait_until_gone(processes: dict[int, int]) -> list[int]:
    deadline = time.monotonic() + GONE_WITHIN_S
    while _still_running(processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _still_running(processes)


def _readers(root: int) -> list[int]:
    """The reader processes of the run ``root``: the children of its children (of its forkserver;
    the resource tracker has none), not their Tesseract processes."""
    table = _process_table()
    children = {pid for pid, (ppid, _, _) in table.items() if ppid == root}
    return [pid for pid, (ppid, state, _) in table.items() if ppid in children and state != "Z"]


def _start(*args: str) -> subprocess.Popen:
    """``geoloc locate`` in its own session, so that no signal of the test reaches pytest."""
    return subprocess.Popen(
        [*GEOLOC, "locate", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def _end(proc: subprocess.Popen, others: dict[int, int]) -> None:
    """After a test, whatever happened: end the run and any process of it still there."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)
    for pid in _still_running(others):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail, rather than hang, a test whose batch would wait for ever on a stalled reader."""
    with deadline(BATCH_SECONDS, "the batch did not end (the time limit did not hold)"):
        yield


@pytest.mark.slow
def test_one_job_a_stalled_photo_fails_alone_in_one_line_and_the_run_goes_on(folder, tmp_path) -> None:
    photos = _photos(folder)
    one_job = ["--jobs", "1", "--timeout", str(LIMIT_S)]
    proc = _start(str(folder), *one_job, "--jsonl", "--no-cache", "--map", str(tmp_path / "m.html"))
    stalled: dict[int, int] = {}
    try:
        first = first_line(proc, timeout=120)
        assert b"\n" in first, proc.stderr.read().decode() if proc.poll() is not None else "no line"
        readers = _readers(proc.pid)
        assert len(readers) == 1  # --jobs 1 still reads in a child process, which can be ended
        stalled = {readers[0]: _process_table()[readers[0]][2]}
        os.kill(readers[0], signal.SIGSTOP)  # the photo it reads now (or gets next) makes no progress
        rest, err = proc.communicate(timeout=120)  # without the limit, the run would wait for ever
    finally:
        _end(proc, stalled)
    assert proc.returncode == 1, err.decode()
    lines = [json.loads(line) for line in (first + rest).decode().splitlines()]
    assert [line["path"] for line in lines] == photos  # every photo has its line, in input order
    failed = [line["path"] for line in lines if line["errors"]]
    assert len(failed) == 1 and failed[0] in photos[1:]
    said = err.decode().splitlines()
    assert [ln for ln in said if "took longer than" in ln] == [
        f"geoloc: {failed[0]}: not read: took longer than {LIMIT_S} s, the time limit per photo (--timeout)"
    ]
    assert "Traceback" not in err.decode()
    assert not _still_running(stalled)  # the stalled reader was ended, and another read the rest


@pytest.mark.slow
def test_two_jobs_the_stalled_reader_is_replaced_and_the_other_goes_on(folder, alarm) -> None:
    photos = _photos(folder)
    stopped: dict[int, int] = {}

    def stall_one_reader() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not stopped:
            server = multiprocessing.forkserver._forkserver._forkserver_pid
            readers = [pid for pid, (ppid, state, _) in _process_table().items() if ppid == server and state != "Z"]
            if server and len(readers) == 2:
                time.sleep(0.3)  # let it start on a photo
                stopped[readers[0]] = _process_table()[readers[0]][2]
                os.kill(readers[0], signal.SIGSTOP)
            time.sleep(0.05)

    watcher = threading.Thread(target=stall_one_reader, daemon=True)
    watcher.start()
    order: list[str] = []
    result = run_batch(
        photos,
        Settings(),
        jobs=2,
        timeout=LIMIT_S,
        on_result=lambda r: order.append(r.path),
        on_error=lambda e: order.append(e.path),
    )
    watcher.join()
    assert stopped, "no reader process was seen"
    assert order == photos and not result.interrupted
    assert [str(e).split(": ", 1)[1] for e in result.errors] == [
        f"not read: took longer than {LIMIT_S} s, the time limit per photo (--timeout)"
    ]
    assert len(result.reports) == len(photos) - 1 and all(r.texts for r in result.reports)
    assert not _still_running(stopped)


@pytest.mark.slow
def test_sigkill_of_geoloc_ends_its_forkserver_resource_tracker_and_readers(folder) -> None:
    proc = _start(str(folder), "--jobs", "2", "--jsonl", "--no-cache")
    below: dict[int, int] = {}
    try:
        first = first_line(proc, timeout=120)
        assert b"\n" in first, proc.stderr.read().decode() if proc.poll() is not None else "no line"
        below = _descendants(proc.pid)
        readers = _readers(proc.pid)
        assert len(readers) == 2 and len(below) >= 4  # the forkserver, the resource tracker, 2 readers
        os.kill(readers[0], signal.SIGSTOP)  # a reader that cannot run (as one stuck in C code) ends too
        os.kill(proc.pid, signal.SIGKILL)  # geoloc alone, not its process group
        proc.wait(timeout=30)
        left = _wait_until_gone(below)
    finally:
        _end(proc, below)
    assert not left, f"still running {GONE_WITHIN_S:.0f} s after geoloc was killed: {left}"


@pytest.mark.slow
def test_sigterm_stops_like_ctrl_c_exit_143_outputs_written_and_no_process_left(folder, tmp_path) -> None:
    out = tmp_path / "out"
    photos = _photos(folder)
    proc = _start(
        str(folder),
        "--jobs",
        "2",
        "--jsonl",
        "--no-cache",
        "--report",
        str(out / "r.json"),
        "--map",
        str(out / "m.html"),
    )
    below: dict[int, int] = {}
    try:
        first = first_line(proc, timeout=120)
        assert b"\n" in first, proc.stderr.read().decode() if proc.poll() is not None else "no line"
        below = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGTERM)  # as `kill` or a service manager sends it: geoloc alone
        rest, err = proc.communicate(timeout=120)
        left = _wait_until_gone(below)
    finally:
        _end(proc, below)
    assert proc.returncode == 143, err.decode()
    lines = [json.loads(line) for line in (first + rest).decode().splitlines()]
    assert 1 <= len(lines) < len(photos)
    assert [line["path"] for line in lines] == photos[: len(lines)]  # the lines printed stay
    assert b"interrupted after" in err and b"Traceback" not in err
    done = [p["path"] for p in json.loads((out / "r.json").read_text(encoding="utf-8"))["photos"]]
    assert done == photos[: len(done)] and len(done) >= len(lines)
    assert (out / "m.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p.name for p in out.iterdir() if p.name not in ("r.json", "m.html")]
    assert not left, f"still running {GONE_WITHIN_S:.0f} s after geoloc ended: {left}"


@pytest.mark.slow
def test_a_reader_dying_again_and_again_costs_one_photo_named_in_one_line(folder, alarm) -> None:
    photos = _photos(folder) * 2  # no cache: each name is read, which leaves time for three deaths
    killed: list[int] = []

    def kill_three_readers() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(killed) < 3:
            server = multiprocessing.forkserver._forkserver._forkserver_pid
            readers = [pid for pid, (ppid, state, _) in _process_table().items() if ppid == server and state != "Z"]
            if readers and readers[0] not in killed and (len(killed) < 2 or len(readers) == 1):
                time.sleep(0.3)  # let it start on a photo
                os.kill(readers[0], signal.SIGKILL)  # as a decoder crash or the OOM killer would
                killed.append(readers[0])
            time.sleep(0.05)

    watcher = threading.Thread(target=kill_three_readers, daemon=True)
    watcher.start()
    order: list[str] = []
    result = run_batch(
        photos, Settings(), jobs=2, on_result=lambda r: order.append(r.path), on_error=lambda e: order.append(e.path)
    )
    watcher.join()
    assert len(killed) == 3, "the readers were not seen"
    assert order == photos  # every photo handed out once, in input order
    # two deaths: their photos are read again; then one reader at a time, and a death names its photo
    assert [str(e).split(": ", 1)[1] for e in result.errors] == [
        "the process reading this photo died (a decoder crash, or out of memory)"
    ]
    assert len(result.reports) == len(photos) - 1
