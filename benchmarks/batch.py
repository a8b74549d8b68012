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

Then all photos again with ``--jobs N`` and that cache: the cached re-run.

The gazetteer is loaded before timing starts (it is loaded once per run, whatever the batch size).
The machine may be shared with other work: compare the ratios, which are measured in the same run.

    python benchmarks/batch.py                 # 100 photos, 1 vs 2 jobs
    python benchmarks/batch.py --n 20 --jobs 2
"""

from __future__ import annotations

import argparse
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's tests/support

from geoloc.batch import run_batch  # noqa: E402
from geoloc.cache import ObservationCache  # noqa: E402
from geoloc.pipeline import Settings, locate_photo  # noqa: E402
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


def timed(paths: list[str], jobs: int, cache: ObservationCache | None) -> tuple[float, int, int]:
    """Wall seconds for one batch; with the number of photos done and read from the cache."""
    start = time.perf_counter()
    result = run_batch(paths, Settings(), jobs=jobs, cache=cache)
    took = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"batch failed on {len(result.errors)} photos: {result.errors[0]}")
    return took, len(result.reports), result.cached


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the Tesseract processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _one_job(paths: list[str]) -> tuple[float, float, float, float]:
    """One in-process batch with Tesseract and the detector timed: (wall, CPU, Tesseract, detector)."""
    run_tesseract = pt.run_tesseract
    pt.run_tesseract = _timed(run_tesseract, _intervals)
    if _OnnxSession is not None:
        onnx_run = _OnnxSession.run
        _OnnxSession.run = _timed(onnx_run, _detector)
    first_t, first_d = len(_intervals), len(_detector)
    cpu0 = _cpu_seconds()
    try:
        wall, _, _ = timed(paths, 1, None)
    finally:
        pt.run_tesseract = run_tesseract
        if _OnnxSession is not None:
            _OnnxSession.run = onnx_run
    return (wall, _cpu_seconds() - cpu0, union_seconds(_intervals[first_t:]), union_seconds(_detector[first_d:]))


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
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="geoloc-batch-") as tmp:
        folder = args.photos or Path(tmp) / "photos"
        t0 = time.perf_counter()
        paths = make_photos(folder, args.n, args.seed)
        print(f"generated {len(paths)} photos in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        locate_photo(paths[0], Settings())  # load the gazetteer and the OCR models once

        cache = ObservationCache(Path(tmp) / "cache")
        blocks = [paths[i :: args.blocks] for i in range(args.blocks)]
        one = cold = tess = detector = busy = 0.0
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
                    took["many"], _, _ = timed(block, args.jobs, cache)
                    cold += took["many"]
            ratios.append(took["one"] / took["many"])
            print(
                f"block {b + 1}/{args.blocks}: 1 job {took['one']:.1f} s, {args.jobs} jobs {took['many']:.1f} s",
                file=sys.stderr,
            )
        n_done = len(paths)
        cores_busy = busy / one
        calls = len(_intervals)
        warm, _, cached = timed(paths, args.jobs, cache)
        print(f"{args.jobs} jobs, cached: {warm:.2f} s ({cached} from the cache)", file=sys.stderr)

    overhead = one - tess
    print(
        f"machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"Tesseract {pytesseract.get_tesseract_version()}, "
        f"OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT', 'unset')}"
    )
    print(
        f"command: python benchmarks/batch.py --n {args.n} --jobs {args.jobs} --seed {args.seed} --blocks {args.blocks}"
    )
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| run | wall s | photos/s | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| 1 job, no cache (baseline) | {one:.1f} | {n_done / one:.2f} | 1.00x | |")
    print(
        f"| {args.jobs} jobs, cold cache | {cold:.1f} | {n_done / cold:.2f} | "
        f"{one / cold:.2f}x faster than 1 job (median of {len(ratios)} blocks "
        f"{statistics.median(ratios):.2f}x; range {min(ratios):.2f}-{max(ratios):.2f}) | >= 1.8x |"
    )
    print(
        f"| {args.jobs} jobs, cached re-run | {warm:.2f} | {n_done / warm:.1f} | "
        f"{cold / warm:.0f}x faster than cold | >= 20x |"
    )
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


if __name__ == "__main__":
    main()
