"""Batch speed: photos/s with 1 and N worker processes, cold versus cached re-run, and how much of
the time is geoloc's own work rather than Tesseract's.

The photos are generated road scenes (``tests.support.scenes.random_scenes``, 1600x1200 JPEG, like the
OCR benchmark), so every run reads the same pixels. The photos are split into blocks; each block
is read twice, in alternating order, so that a change in the machine's load hits both alike:

1. ``--jobs 1``, no cache: the baseline. Every call into Tesseract is timed (the union of the
   intervals when at least one Tesseract process runs: the two script passes of a photo run side
   by side), so geoloc's overhead is the rest of the wall time; the neural text detector's calls
   are timed the same way.
2. ``--jobs N`` into a fresh cache (what ``geoloc locate`` does by default): the cold run. Each
   block starts its own worker processes, a cost a single large batch pays once.

Then all photos again with ``--jobs N`` and that cache: the cached re-run; and the report of all
photos written as GeoParquet (``geoloc.render.parquet``), against writing the same report as JSON.

CPU time is counted for every run, so each gets "photos/s per busy core" (photos/s divided by the
CPU seconds it used per second): whether a run is faster because it uses its cores better or only
because it uses more of them. The 1-job run counts its own process and the Tesseract processes it
waited for; the N-job run counts its own process and the reader processes, which multiprocessing's
fork server starts and reaps, so their CPU time (with their Tesseract processes) appears in that
server's children times on Linux (``/proc/<pid>/stat``).

The gazetteer is loaded before timing starts (it is loaded once per run, whatever the batch size).
The machine may be shared with other work: compare the ratios, which are measured in the same run.

    python benchmarks/batch.py                 # 100 photos, 1 vs 2 jobs
    python benchmarks/batch.py --n 20 --jobs 2
    PYTHONPATH=../other-checkout python benchmarks/batch.py   # measure another copy of geoloc
    python benchmarks/batch.py --cluster --n 40   # local:1 and local:2 Dask clusters against the pool
"""

from __future__ import annotations

import argparse
import multiprocessing.forkserver
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pytesseract
import pytesseract.pytesseract as pt

# the repository's tests/support, after PYTHONPATH: a copy of geoloc named there is the one measured
sys.path.append(str(Path(__file__).resolve().parents[1]))

import geoloc  # noqa: E402
from geoloc.batch import BatchResult, run_batch  # noqa: E402
from geoloc.cache import ObservationCache  # noqa: E402
from geoloc.common.files import write_output  # noqa: E402
from geoloc.model import Report  # noqa: E402
from geoloc.pipeline import Settings, locate_photo  # noqa: E402
from geoloc.render.jsontext import dumps  # noqa: E402
from tests.support.scenes import random_scenes  # noqa: E402

_intervals: list[tuple[float, float]] = []
_detector: list[tuple[float, float]] = []


def _timed(func, into: list[tuple[float, float]]):  # noqa: ANN001, ANN202 - any callable
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            into.append((start, time.perf_counter()))

    return wrapper


try:  # the neural text detector, when the OCR stage uses one: timed to split geoloc's own share
    from onnxruntime.capi.onnxruntime_inference_collection import Session as _OnnxSession
except ImportError:  # pragma: no cover
    _OnnxSession = None


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    """Length of the union of time intervals (overlapping passes count once)."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def make_photos(folder: Path, n: int, seed: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"scene_{seed}_{i:04d}.jpg" for i in range(n)]
    if not all(p.exists() for p in paths):  # the scenes are deterministic: reuse a kept folder
        for path, scene in zip(paths, random_scenes(n, seed), strict=True):
            scene.save(path)
    return [str(p) for p in paths]


def timed(paths: list[str], jobs: int, cache: ObservationCache | None) -> tuple[float, float, BatchResult]:
    """Wall seconds and CPU seconds (this process, its children, the readers) of one batch, and its result."""
    cpu0 = _cpu_seconds() + _reader_cpu_seconds()
    start = time.perf_counter()
    result = run_batch(paths, Settings(), jobs=jobs, cache=cache)
    took = time.perf_counter() - start
    cpu = _cpu_seconds() + _reader_cpu_seconds() - cpu0
    if result.errors:
        raise SystemExit(f"batch failed on {len(result.errors)} photos: {result.errors[0]}")
    return took, cpu, result


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the Tesseract processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _reader_cpu_seconds() -> float:
    """CPU time of the reader processes reaped so far: the children times of the fork server
    (Linux; 0 where there is no fork server or no /proc)."""
    pid = getattr(getattr(multiprocessing.forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # after the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (proc(5))
    return sum(int(fields[i - 3]) for i in (14, 15, 16, 17)) / os.sysconf("SC_CLK_TCK")


def _one_job(paths: list[str]) -> tuple[float, float, float, float]:
    """One in-process batch with Tesseract and the detector timed: (wall, CPU, Tesseract, detector)."""
    run_tesseract = pt.run_tesseract
    pt.run_tesseract = _timed(run_tesseract, _intervals)
    if _OnnxSession is not None:
        onnx_run = _OnnxSession.run
        _OnnxSession.run = _timed(onnx_run, _detector)
    first_t, first_d = len(_intervals), len(_detector)
    try:
        wall, cpu, _ = timed(paths, 1, None)
    finally:
        pt.run_tesseract = run_tesseract
        if _OnnxSession is not None:
            _OnnxSession.run = onnx_run
    return (wall, cpu, union_seconds(_intervals[first_t:]), union_seconds(_detector[first_d:]))


def write_times(report: Report, folder: Path, repeat: int = 3) -> dict[str, float]:
    """Best-of-``repeat`` seconds to write ``report`` as the JSON ``--report`` and as GeoParquet
    (photos and evidence files), with the Parquet files' size; no Parquet figures when the geoloc
    measured has no Parquet writer or pyarrow is missing."""
    out: dict[str, float] = {}
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        write_output(folder / "report.json", (dumps(report.to_dict(), indent=2) + "\n").encode("utf-8"))
        best = min(best, time.perf_counter() - start)
    out["json"], out["json_bytes"] = best, (folder / "report.json").stat().st_size
    try:
        from geoloc.render.parquet import require_pyarrow, write_parquet

        require_pyarrow()
    except Exception:  # noqa: BLE001 - an older geoloc, or no pyarrow: the row says so
        return out
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        written = write_parquet(report, folder / "report.parquet")
        best = min(best, time.perf_counter() - start)
    out["parquet"], out["parquet_bytes"] = best, sum(p.stat().st_size for p in written)
    return out


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of generated photos [100]")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes to compare with 1 [2]")
    ap.add_argument("--seed", type=int, default=8, help="scene generator seed [8]")
    ap.add_argument("--photos", type=Path, help="keep the generated photos in this folder (reused)")
    ap.add_argument(
        "--blocks",
        type=int,
        default=4,
        help="split the photos into this many blocks, each run with 1 and N jobs in "
        "alternating order; the speed-up is the median over blocks [4]",
    )
    ap.add_argument(
        "--cluster",
        action="store_true",
        help="instead: local:1 and local:2 Dask clusters against the pool of 1 and 2 jobs (needs geoloc[cluster])",
    )
    ap.add_argument("--tasks", type=int, default=200, help="with --cluster: files for the overhead per task [200]")
    args = ap.parse_args()
    if args.cluster:
        cluster_main(args)
        return

    with tempfile.TemporaryDirectory(prefix="geoloc-batch-") as tmp:
        folder = args.photos or Path(tmp) / "photos"
        t0 = time.perf_counter()
        paths = make_photos(folder, args.n, args.seed)
        print(f"generated {len(paths)} photos in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        locate_photo(paths[0], Settings())  # load the gazetteer and the OCR models once

        cache = ObservationCache(Path(tmp) / "cache")
        blocks = [paths[i :: args.blocks] for i in range(args.blocks)]
        one = cold = tess = detector = busy = busy_many = 0.0
        ratios: list[float] = []
        for b, block in enumerate(blocks):
            # alternate which run goes first, so a change in the machine's load hits both alike
            order = ("one", "many") if b % 2 == 0 else ("many", "one")
            took: dict[str, float] = {}
            for which in order:
                if which == "one":
                    t1, cpu, tb, db = _one_job(block)
                    took["one"], one, tess, detector = t1, one + t1, tess + tb, detector + db
                    busy += cpu
                else:
                    took["many"], cpu, _ = timed(block, args.jobs, cache)
                    cold += took["many"]
                    busy_many += cpu
            ratios.append(took["one"] / took["many"])
            print(
                f"block {b + 1}/{args.blocks}: 1 job {took['one']:.1f} s, {args.jobs} jobs {took['many']:.1f} s",
                file=sys.stderr,
            )
        n_done = len(paths)
        cores_busy = busy / one
        calls = len(_intervals)
        warm, _, rerun = timed(paths, args.jobs, cache)
        print(f"{args.jobs} jobs, cached: {warm:.2f} s ({rerun.cached} from the cache)", file=sys.stderr)
        writes = write_times(Report(photos=rerun.reports), Path(tmp))

    overhead = one - tess
    print(
        f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"Tesseract {pytesseract.get_tesseract_version()}, "
        f"OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT', 'unset')}"
    )
    print(
        f"command: python benchmarks/batch.py --n {args.n} --jobs {args.jobs} --seed {args.seed} --blocks {args.blocks}"
    )
    print(f"geoloc measured: {Path(geoloc.__file__).parent}")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    cores_many = busy_many / cold
    print("| run | wall s | photos/s | ratio | cores busy | photos/s per busy core | goal |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| 1 job, no cache (baseline) | {one:.1f} | {n_done / one:.2f} | 1.00x | {cores_busy:.2f} | "
        f"{n_done / busy:.2f} | |"
    )
    print(
        f"| {args.jobs} jobs, cold cache | {cold:.1f} | {n_done / cold:.2f} | "
        f"{one / cold:.2f}x faster than 1 job (median of {len(ratios)} blocks "
        f"{statistics.median(ratios):.2f}x; range {min(ratios):.2f}-{max(ratios):.2f}) | "
        f"{cores_many:.2f} | {n_done / busy_many:.2f} | >= 1.8x |"
    )
    print(
        f"| {args.jobs} jobs, cached re-run | {warm:.2f} | {n_done / warm:.1f} | "
        f"{cold / warm:.0f}x faster than cold | | | >= 20x |"
    )
    print()
    print(f"| writing the report of {n_done} photos | seconds (best of 3) | size |")
    print("|---|---|---|")
    print(f"| JSON, as `--report` writes it (baseline) | {writes['json']:.3f} | {writes['json_bytes'] / 1e3:.0f} kB |")
    if "parquet" in writes:
        print(
            f"| GeoParquet, photos and evidence files (`--parquet`) | {writes['parquet']:.3f} | "
            f"{writes['parquet_bytes'] / 1e3:.0f} kB |"
        )
    else:
        print("| GeoParquet | not measured: this geoloc has no Parquet writer, or pyarrow is missing | |")
    print()
    print("| 1-job run | seconds | share of wall time | goal |")
    print("|---|---|---|---|")
    print(f"| Tesseract running ({calls} calls; overlapping passes counted once) | {tess:.1f} | {tess / one:.0%} | |")
    print(f"| geoloc's own work, all of it | {overhead:.1f} | {overhead / one:.0%} | <= 15% |")
    if _detector:
        print(
            f"| of which the neural text detector (onnxruntime, {len(_detector)} calls) | "
            f"{detector:.1f} | {detector / one:.0%} | |"
        )
        rest = overhead - detector
        print(
            f"| of which everything else (decode, metadata, colour panels, crops, inference, "
            f"batch) | {rest:.1f} | {rest / one:.0%} | |"
        )
    print(f"| CPU cores kept busy by one job (CPU time / wall time) | {cores_busy:.2f} | | |")


# --- The batch on a Dask cluster (``--cluster``): ``local:1`` and ``local:2`` against the local pool ---


def _pool_or_cluster(paths: list[str], workers: int, cluster: object | None) -> float:
    """Wall seconds of one batch without cache: the local pool of ``workers`` reader processes
    (with the default time limit, so even one job reads in a child process, as ``geoloc locate``
    does), or the connected ``cluster``."""
    from geoloc.batch import DEFAULT_TIMEOUT_S

    backend = getattr(cluster, "readers", None)
    start = time.perf_counter()
    run_batch(paths, Settings(), jobs=workers, timeout=DEFAULT_TIMEOUT_S, backend=backend)
    return time.perf_counter() - start


def cluster_main(args: argparse.Namespace) -> None:
    """``--cluster``: photos/s of ``local:1`` and ``local:2`` against the local pool of 1 and 2
    jobs on the same photos, blocks in alternating order; then the overhead per task, measured on
    files that fail at once (30 bytes, not an image), where a batch's time is all dispatch: the
    pool's pipes against the cluster's scheduler, serialisation and futures."""
    from geoloc.cluster import connect

    with tempfile.TemporaryDirectory(prefix="geoloc-batch-cluster-") as tmp:
        folder = args.photos or Path(tmp) / "photos"
        paths = make_photos(folder, args.n, args.seed)
        empty = []
        for i in range(args.tasks):
            stub = Path(tmp) / f"stub_{i:05d}.jpg"
            stub.write_bytes(b"\xff\xd8\xff\xe0 not an image " + str(i).encode())
            empty.append(str(stub))
        locate_photo(paths[0], Settings())  # load the gazetteer and the OCR models once
        blocks = [paths[i :: args.blocks] for i in range(args.blocks)]
        rows = []
        for workers in (1, 2):
            start = time.perf_counter()
            cluster = connect(f"local:{workers}")
            started = time.perf_counter() - start
            try:
                _pool_or_cluster(paths[:workers], workers, cluster)  # each worker loads the models
                pool = dask = 0.0
                for b, block in enumerate(blocks):
                    for which in ("pool", "dask") if b % 2 == 0 else ("dask", "pool"):
                        took = _pool_or_cluster(block, workers, None if which == "pool" else cluster)
                        pool, dask = (pool + took, dask) if which == "pool" else (pool, dask + took)
                    print(f"{workers} worker(s), block {b + 1}/{args.blocks} done", file=sys.stderr)
                stub_pool = _pool_or_cluster(empty, workers, None)
                stub_dask = _pool_or_cluster(empty, workers, cluster)
            finally:
                cluster.close()
            rows.append((workers, started, pool, dask, stub_pool, stub_dask))

    n, tasks = len(paths), len(empty)
    print(
        f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"Tesseract {pytesseract.get_tesseract_version()}, "
        f"OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT', 'unset')}"
    )
    print(
        f"command: python benchmarks/batch.py --cluster --n {args.n} --seed {args.seed} "
        f"--blocks {args.blocks} --tasks {args.tasks}"
    )
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print(f"| run ({n} photos) | wall s | photos/s | against the pool of as many jobs |")
    print("|---|---|---|---|")
    for workers, _, pool, dask, _, _ in rows:
        print(f"| local pool, --jobs {workers} (baseline) | {pool:.1f} | {n / pool:.2f} | 1.00x |")
        print(f"| --cluster local:{workers} | {dask:.1f} | {n / dask:.2f} | {pool / dask:.2f}x |")
    print()
    print(f"| dispatch, {tasks} files that fail at once | local pool ms/photo | cluster ms/photo | cluster start s |")
    print("|---|---|---|---|")
    for workers, started, _, _, stub_pool, stub_dask in rows:
        print(
            f"| {workers} worker(s) | {1000 * stub_pool / tasks:.1f} | {1000 * stub_dask / tasks:.1f} | {started:.1f} |"
        )


if __name__ == "__main__":
    main()
