"""A batch read on a Dask cluster (``geoloc.cluster``): the same report as the local pool, a worker
killed mid-run, the cache shared by path, photos sent as bytes, the time limit, Ctrl-C, and the
one-line errors of ``--cluster`` (a bad address, no scheduler, other versions, no Dask at all).

The cluster is a ``LocalCluster`` on 127.0.0.1 with two worker processes of one thread each, as
``dask worker --nworkers 2 --nthreads 1`` would run on a machine of the cluster; the photos are
small generated road-sign scenes. Reports are compared whole: a batch's report holds nothing that
changes from run to run (no times, no temporary names), so nothing has to be left out.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoloc.batch import BatchResult, run_batch
from geoloc.cache import ObservationCache
from geoloc.cli.main import cli
from geoloc.cluster import LOCAL_HTTP, LOST_WORKER_KEY, Cluster, connect, nannies_kept
from geoloc.errors import GeolocError
from geoloc.pipeline import Settings
from tests.conftest import require
from tests.support.limits import GEOLOC, as_a_terminal_job, deadline, first_line, write_copies, write_sign_photos

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes"),
]

CLUSTER_STEP = '`make setup` (pip install -e ".[test,archive,cluster]")'

PHOTOS = 3
"""Sign photos per batch: enough for both workers to hold tasks while one is killed or stalled."""

COPIES = 12
"""Copies of each photo in the Ctrl-C test (read again each time: no cache): on a loaded machine the
worker holding the first photo may start seconds after the other, which must not finish them all."""

LIMIT_S = 8
"""The --timeout of the stalled-worker test: several times what one of these small photos takes on
a loaded machine, even in a worker loading its OCR models."""

RUN_S = 240
"""The longest a test waits for a batch before it fails instead of hanging."""

ENDED_S = 30
"""How long geoloc may take to end a worker stuck past the time limit, once the batch is over."""

REPLACE_S = 300
"""How long a cluster may take to start the worker that replaces an ended one: a new process
imports geoloc and loads its models, a minute or more on two cores busy with the rest of a test run
(once, under a full test run, more than 150 s). Only a failing run waits this long."""


@pytest.fixture(scope="module", autouse=True)
def _dask_installed() -> None:
    require(importlib.util.find_spec("distributed") is not None, "Dask (geoloc[cluster])", CLUSTER_STEP)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Three road-sign scenes, each naming one place, with a broken file among them."""
    folder = tmp_path_factory.mktemp("cluster")
    written = write_sign_photos(folder, seed=700)
    for extra in written[PHOTOS:]:
        extra.unlink()
    paths = [str(p) for p in written[:PHOTOS]]
    broken = folder / "01b_broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 cut short, not really a JPEG")
    paths.insert(2, str(broken))
    return paths


@pytest.fixture(scope="module")
def reference(photos: list[str]) -> BatchResult:
    """The local pool's result: two reader processes, no cache."""
    return run_batch(photos, Settings(), jobs=2)


@pytest.fixture(scope="module")
def worker_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workers' own cache folder ($GEOLOC_CACHE_DIR of their processes)."""
    return tmp_path_factory.mktemp("worker-cache")


@pytest.fixture(scope="module")
def scheduler(worker_cache: Path) -> Iterator[str]:
    """A LocalCluster of two one-thread worker processes on 127.0.0.1; its scheduler's address.

    Its nannies restart their workers as those of `dask worker` do: no cluster object closes them
    (``nannies_kept``)."""
    from distributed import LocalCluster

    with (
        nannies_kept(),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": LOCAL_HTTP},
            env={"GEOLOC_CACHE_DIR": str(worker_cache)},
        ) as local,
    ):
        yield local.scheduler_address


@pytest.fixture(scope="module")
def cluster(scheduler: str) -> Iterator[Cluster]:
    with connect(scheduler) as connected:
        yield connected


def _dicts(result: BatchResult) -> list[dict]:
    return [r.to_dict() for r in result.reports]


def _run(photos: list[str], backend, **kwargs) -> tuple[BatchResult, list[str]]:  # noqa: ANN001
    """A batch through ``backend``; its result and the photos in the order they were handed out."""
    order: list[str] = []
    with deadline(RUN_S, "the batch on the cluster did not end"):
        result = run_batch(
            photos,
            Settings(),
            backend=backend,
            on_result=lambda r: order.append(r.path),
            on_error=lambda e: order.append(e.path or ""),
            **kwargs,
        )
    return result, order


def _worker_pids(cluster: Cluster) -> dict[str, int]:
    """The worker processes that answer (a worker ended while asked is left out)."""
    found = cluster.client.run(os.getpid, on_error="return")
    return {worker: pid for worker, pid in found.items() if isinstance(pid, int)}


def _replaced(cluster: Cluster, pid: int, workers: int) -> int:
    """Wait until the cluster has ``workers`` workers again, none of them process ``pid``; the
    pid of the newest."""
    deadline_s, after = time.monotonic() + REPLACE_S, _worker_pids(cluster)
    while time.monotonic() < deadline_s and (pid in after.values() or len(after) < workers):
        time.sleep(0.2)
        after = _worker_pids(cluster)
    assert pid not in after.values() and len(after) == workers, f"not replaced within {REPLACE_S} s: {after}"
    return max(after.values())


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie awaiting its parent's wait has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _busy(pid: int) -> bool:
    """Whether the worker process ``pid`` is reading a photo now: a Tesseract process of its own runs."""
    children: list[str] = []
    try:  # children are listed under the thread that started them: the worker's task thread
        for thread in Path(f"/proc/{pid}/task").iterdir():
            children += (thread / "children").read_text().split()
    except OSError:
        return False
    for child in children:
        try:
            if b"tesseract" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def _when_reading(pids: dict[str, int], act: signal.Signals, done: list[int]) -> threading.Thread:
    """A thread that sends ``act`` to the first worker seen reading a photo, and notes its pid."""

    def watch() -> None:
        end = time.monotonic() + RUN_S
        while time.monotonic() < end and not done:
            for pid in pids.values():
                if _busy(pid):
                    os.kill(pid, act)
                    done.append(pid)
                    return
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_cluster_gives_the_same_report_as_the_local_pool(photos, reference, cluster) -> None:
    result, order = _run(photos, cluster.readers, timeout=120)
    assert _dicts(result) == _dicts(reference)
    assert len(result.reports) == PHOTOS and result.cached == 0
    assert order == photos  # handed out in input order, the broken file in its place
    assert [str(e) for e in result.errors] == [str(e) for e in reference.errors]
    assert str(result.errors[0]).startswith(f"{photos[2]}: not an image")


def test_a_worker_killed_mid_run_loses_nothing(photos, reference, cluster) -> None:
    before = _worker_pids(cluster)
    killed: list[int] = []
    watcher = _when_reading(before, signal.SIGKILL, killed)
    result, order = _run(photos, cluster.readers)
    watcher.join(timeout=1)
    assert killed, "no worker was seen reading"
    assert order == photos  # every photo once, in order: none lost, none twice
    assert _dicts(result) == _dicts(reference)
    assert [e.path for e in result.errors] == [photos[2]]
    after = _worker_pids(cluster)
    assert killed[0] not in after.values() and len(after) == 2  # its nanny started a new worker


def test_the_cache_is_shared_by_path_and_a_rerun_sends_nothing(photos, reference, cluster, tmp_path) -> None:
    cache = ObservationCache(tmp_path / "obs")
    first, _ = _run(photos, cluster.readers, cache=cache)
    assert first.cached == 0 and _dicts(first) == _dicts(reference)
    assert cache.info().entries == PHOTOS  # written by the workers, into this folder by its path

    sent: list[int] = []

    class Counted:
        """The cluster's backend, noting which photos it was asked to read."""

        def __init__(self, *args: object) -> None:
            self.inner = cluster.readers(*args)

        def __enter__(self) -> Counted:
            self.inner.__enter__()
            return self

        def __exit__(self, *exc: object) -> None:
            self.inner.__exit__(*exc)

        def read(self, todo, *rest) -> None:  # noqa: ANN001, ANN002
            sent.extend(i for i, _ in todo)
            self.inner.read(todo, *rest)

    again, order = _run(photos, Counted, cache=cache)
    assert again.cached == PHOTOS and sent == [2]  # only the broken file, never cached, was sent again
    assert _dicts(again) == _dicts(reference) and order == photos


def test_photos_sent_as_bytes_give_the_same_report_and_use_the_workers_cache(
    photos, reference, scheduler, worker_cache, tmp_path
) -> None:
    entries = ObservationCache(worker_cache / "observations")
    entries.clear()
    with connect(scheduler, send_bytes=True) as sending:
        client_cache = ObservationCache(tmp_path / "client")
        result, order = _run(photos, sending.readers, cache=client_cache)
        assert _dicts(result) == _dicts(reference) and order == photos
        assert [str(e) for e in result.errors] == [str(e) for e in reference.errors]  # names the file, not a copy
        assert client_cache.info().entries == 0 and entries.info().entries == PHOTOS  # each worker its own cache
        again, _ = _run(photos, sending.readers, cache=ObservationCache(tmp_path / "fresh"))
        assert again.cached == PHOTOS and _dicts(again) == _dicts(reference)  # found in the workers' cache


def test_a_photo_over_the_time_limit_fails_alone_and_its_worker_is_replaced(photos, reference, cluster) -> None:
    before = _worker_pids(cluster)
    stalled: list[int] = []
    watcher = _when_reading(before, signal.SIGSTOP, stalled)
    try:
        result, order = _run(photos, cluster.readers, timeout=LIMIT_S)
    finally:
        watcher.join(timeout=1)
        for pid in stalled:  # if the worker was not ended, let it go on
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    assert stalled, "no worker was seen reading"
    assert order == photos
    over = [e for e in result.errors if "time limit" in str(e)]
    assert len(over) == 1, [str(e) for e in result.errors]
    assert (
        str(over[0]) == f"{over[0].path}: not read: took longer than {LIMIT_S} s, the time limit per photo (--timeout)"
    )
    good = [d for d in _dicts(reference) if d["path"] != over[0].path]
    assert _dicts(result) == good and len(good) == PHOTOS - 1
    # geoloc ends the stalled worker; the cluster's nanny then starts another in its place.
    deadline_s = time.monotonic() + ENDED_S
    while time.monotonic() < deadline_s and _alive(stalled[0]):
        time.sleep(0.2)
    assert not _alive(stalled[0]), "the worker stuck past the time limit was not ended"
    _replaced(cluster, stalled[0], workers=2)


def test_a_local_cluster_keeps_a_worker_ended_twice_as_long_apart_as_dask_waits_for_lost_workers() -> None:
    # Dask's LocalCluster closes the nanny of a worker whose name is still gone from the scheduler
    # this long after it left: a second end just before then, its replacement still starting,
    # would leave `local:N` a worker short for the rest of the batch.
    import dask
    import distributed  # noqa: F401 - Dask's cluster settings join dask.config when it is imported
    from dask.utils import parse_timedelta

    lost_s = parse_timedelta(dask.config.get(LOST_WORKER_KEY, config=dask.config.merge(*dask.config.defaults)))
    assert 0 < lost_s < RUN_S, lost_s
    with connect("local:1") as local:
        (pid,) = _worker_pids(local).values()
        os.kill(pid, signal.SIGKILL)
        first_end = time.monotonic()
        pid = _replaced(local, pid, workers=1)
        time.sleep(max(0.0, first_end + lost_s - 0.3 - time.monotonic()))
        os.kill(pid, signal.SIGKILL)
        _replaced(local, pid, workers=1)
        time.sleep(3)  # past the moment Dask would close the nanny
        assert len(_worker_pids(local)) == 1


def _cli_json(args: list[str], tmp_path: Path, name: str) -> tuple[dict, list[str], int]:
    """``geoloc locate ARGS --json`` in a subprocess: its report, its stderr lines, its exit code."""
    proc = subprocess.run(
        [*GEOLOC, "locate", *args, "--no-cache", "--json", "--map", str(tmp_path / f"{name}.html")],
        capture_output=True,
        timeout=RUN_S,
    )
    return json.loads(proc.stdout), proc.stderr.decode().splitlines(), proc.returncode


def test_cli_cluster_local_2_gives_the_same_json_as_jobs_2(photos, tmp_path) -> None:
    folder = str(Path(photos[0]).parent)
    pool, pool_err, pool_code = _cli_json([folder, "--jobs", "2"], tmp_path, "pool")
    dask, dask_err, dask_code = _cli_json([folder, "--cluster", "local:2"], tmp_path, "dask")
    assert dask == pool and len(dask["photos"]) == PHOTOS
    assert dask_code == pool_code == 1  # the broken file, said in one line by both
    assert [line for line in dask_err if not line.startswith("wrote ")] == [
        line for line in pool_err if not line.startswith("wrote ")
    ]
    assert dask_err[0].startswith(f"geoloc: {photos[2]}: not an image")


def test_ctrl_c_cancels_the_tasks_and_writes_what_is_done(photos, tmp_path) -> None:
    folder = write_copies([Path(p) for p in photos if "broken" not in p], tmp_path / "many", COPIES)
    report = tmp_path / "report.json"
    args = [str(folder), "--cluster", "local:2", "--no-cache", "--jsonl", "--report", str(report)]
    proc = subprocess.Popen(
        [*GEOLOC, "locate", *args, "--map", str(tmp_path / "m.html")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a group of its own, as a terminal's job: Ctrl-C reaches every process in it
        preexec_fn=as_a_terminal_job,
    )
    try:
        first = first_line(proc, timeout=RUN_S)
        assert first, "no photo was done"
        os.killpg(proc.pid, signal.SIGINT)
        rest, err = proc.communicate(timeout=RUN_S)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    lines = (first + rest).decode().splitlines()
    assert proc.returncode == 130, err
    assert f"of {PHOTOS * COPIES} photos" in err.decode() and "Traceback" not in err.decode()
    assert 1 <= len(lines) < PHOTOS * COPIES
    done = json.loads(report.read_text())["photos"]
    assert [p["path"] for p in done] == [json.loads(line)["path"] for line in lines if not json.loads(line)["errors"]]
    deadline_s = time.monotonic() + 15
    while time.monotonic() < deadline_s and _group(proc.pid):
        time.sleep(0.2)
    assert not _group(proc.pid), "processes of the run are left"


def _group(pgid: int) -> list[int]:
    """The live processes of process group ``pgid``."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


WORKER_LOGS = """
import logging, sys
from geoloc.cluster import connect
if sys.argv[1] == "-v":
    logging.getLogger("geoloc").setLevel(logging.INFO)
with connect("local:1") as cluster:
    def fail_heartbeat():  # what a worker logs when its scheduler is gone before it
        logging.getLogger("distributed.worker").error("Failed to communicate with scheduler during heartbeat.")
    cluster.client.run(fail_heartbeat)
"""


@pytest.mark.parametrize("verbose", [False, True])
def test_local_workers_keep_their_errors_off_the_terminal_unless_verbose(verbose: bool) -> None:
    # after Ctrl-C a worker may outlive its scheduler and log a failed heartbeat with a traceback
    proc = subprocess.run(
        [sys.executable, "-c", WORKER_LOGS, "-v" if verbose else "-q"], capture_output=True, timeout=RUN_S
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert ("Failed to communicate with scheduler" in proc.stderr.decode()) is verbose


def test_a_bad_address_is_bad_usage(photos) -> None:
    result = CliRunner().invoke(cli, ["locate", photos[0], "--cluster", "scheduler"])
    assert result.exit_code == 2
    assert "'scheduler' is not a Dask scheduler address: give tcp://HOST:PORT" in result.output
    result = CliRunner().invoke(cli, ["locate", photos[0], "--send-bytes"])
    assert result.exit_code == 2 and "add --cluster" in result.output


def test_no_scheduler_at_the_address_is_one_line(photos, tmp_path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    proc = subprocess.run(
        [*GEOLOC, "locate", photos[0], "--cluster", f"tcp://127.0.0.1:{port}", "--map", str(tmp_path / "m.html")],
        capture_output=True,
        timeout=60,
    )
    took = time.monotonic() - start
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        f"geoloc: tcp://127.0.0.1:{port}: no Dask scheduler answered within 10 s: is `dask scheduler` running "
        "there, and its port open?"
    ]
    assert took < 40 and not (tmp_path / "m.html").exists()


def test_a_worker_with_another_tesseract_is_refused_in_one_line(photos, tmp_path) -> None:
    from distributed import LocalCluster

    fake = tmp_path / "bin" / "tesseract"  # what an older install on another machine would answer
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'tesseract 4.1.1'\n")
    fake.chmod(0o755)
    path = f"{fake.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": LOCAL_HTTP},
        env={"PATH": path},
    ) as other:
        with pytest.raises(GeolocError) as refused:
            connect(other.scheduler_address)
        message = str(refused.value)
        assert message.startswith(f"{other.scheduler_address}: worker tcp://127.0.0.1:")
        assert "Tesseract 4.1.1 there, " in message and "`make setup` on every machine" in message
        proc = subprocess.run(
            [*GEOLOC, "locate", photos[0], "--cluster", other.scheduler_address, "--map", str(tmp_path / "m.html")],
            capture_output=True,
            timeout=60,
        )
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()  # one line (what else differs depends on the code each side loaded)
    assert len(lines) == 1 and lines[0].startswith(f"geoloc: {other.scheduler_address}: worker tcp://127.0.0.1:")
    assert "Tesseract 4.1.1 there, " in lines[0] and not (tmp_path / "m.html").exists()


def test_without_dask_the_local_path_works_and_cluster_says_how_to_install(photos, tmp_path) -> None:
    no_dask = (  # as on an install without the cluster extra: importing Dask fails
        "import sys; sys.modules['dask'] = sys.modules['distributed'] = None; "
        "from geoloc.cli.main import cli; sys.exit(cli())"
    )
    run = [GEOLOC[0], "-c", no_dask, "locate", photos[0], "--no-cache"]
    in_process = ["--jobs", "1", "--timeout", "0"]
    local = subprocess.run([*run, *in_process, "--json", "--map", str(tmp_path / "a.html")], capture_output=True)
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout)["photos"][0]["path"] == photos[0]
    asked = subprocess.run([*run, "--cluster", "local:2", "--map", str(tmp_path / "b.html")], capture_output=True)
    assert asked.returncode == 2
    assert asked.stderr.decode().splitlines() == [
        "geoloc: --cluster needs Dask, which is not installed: pip install 'geoloc[cluster]' (make setup installs it)"
    ]
