"""Run many photos through the pipeline: in parallel, from the cache when possible, in input order.

Reading a photo (decoding, metadata, OCR) is slow and independent per photo, so it runs in worker
processes; deciding where each photo was taken is fast and may ask an online geocoder whose rate
limit is per client, so it runs in this process, one photo at a time. Each reading is stored in the
observation cache (``geoloc.cache``) by the worker that made it, so a batch that is interrupted or
re-run with other priors reads nothing twice.

A bad photo is a ``GeolocError``: it is reported through ``on_error`` and the batch goes on. Results
and errors are handed out in input order, each as soon as every photo before it is done.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from tqdm import tqdm

from geoloc.cache import ObservationCache, file_digest
from geoloc.common.photo import check_path
from geoloc.errors import GeolocError, PhotoIOError
from geoloc.model import Metadata, PhotoReport, TextSpan
from geoloc.pipeline import Settings, conclude, observe
from geoloc.read.ocr.reader import use_one_thread

log = logging.getLogger("geoloc.batch")

MAX_CRASHES = 2
"""After this many worker deaths (a decoder crash, or killed for memory) photos are read one at a
time, each in its own process, so the photo that kills its reader is named and skipped."""


@dataclass
class BatchResult:
    """Reports of the photos that worked, in input order, and the errors of those that did not."""

    reports: list[PhotoReport] = field(default_factory=list)
    errors: list[GeolocError] = field(default_factory=list)
    interrupted: bool = False  # Ctrl-C stopped the batch: the photos not listed were not done
    cached: int = 0  # how many photos were read from the cache instead of read again


@dataclass
class _Reading:
    """What was read from one photo, or why it could not be: the unit workers hand back."""

    texts: list[TextSpan] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    error: GeolocError | None = None
    cached: bool = False
    cache_problem: str | None = None  # why the reading could not be stored (said once per batch)
    trace: str | None = None  # the traceback of an internal error met in a worker process


def default_jobs() -> int:
    """The CPUs this process may use (a container's limit, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def shown_path(path: str) -> str:
    """A file name safe to print and to write as UTF-8: undecodable bytes become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _error(exc: GeolocError, path: str) -> GeolocError:
    """The same error, naming the file in a printable form (and naming it at all: some stages,
    such as OCR, raise errors without a path)."""
    return type(exc)(exc.message, path=shown_path(exc.path or path))


def _internal(exc: BaseException, path: str) -> GeolocError:
    """A bug met on one photo: reported as that photo's failure so the rest of the batch goes on."""
    return GeolocError(
        f"internal error ({type(exc).__name__}: {exc}); run with -vv and report it", path=shown_path(path)
    )


def _trace(exc: BaseException) -> str:
    """The traceback of an internal error, for the debug log (-vv) of the process handing out."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def _read_photo(path: str, settings: Settings, key: str | None, cache_dir: str | None) -> _Reading:
    """Read one photo (in a worker process or in-process) and store the reading in the cache."""
    try:
        seen = observe(path, settings)
    except GeolocError as exc:
        return _Reading(error=_error(exc, path))
    except Exception as exc:  # noqa: BLE001 - a hostile file must not end the batch
        return _Reading(error=_internal(exc, path), trace=_trace(exc))
    reading = _Reading(texts=list(seen.texts), metadata=seen.metadata)
    if key is not None:
        try:
            ObservationCache(cache_dir).put(key, reading.texts, reading.metadata)
        except GeolocError as exc:
            reading.cache_problem = str(exc)
    return reading


def _lookup(path: str, settings: Settings, cache: ObservationCache | None) -> tuple[_Reading | None, str | None]:
    """Check the path and look its bytes up in the cache: (reading or error if known, cache key)."""
    try:
        check_path(path)
        if cache is None:
            return None, None
        key = cache.key(file_digest(path), settings.langs)
    except GeolocError as exc:
        return _Reading(error=_error(exc, path)), None
    except OSError as exc:
        return _Reading(error=PhotoIOError(exc.strerror or str(exc), path=shown_path(path))), None
    hit = cache.get(key)
    if hit is None:
        return None, key
    texts, metadata = hit
    return _Reading(texts=texts, metadata=metadata, cached=True), key


def _conclude(path: str, reading: _Reading, settings: Settings) -> PhotoReport:
    """Decide where the photo was taken from what was read (always re-run: it is cheap)."""
    return conclude(PhotoReport(path=shown_path(path), texts=reading.texts, metadata=reading.metadata), settings)


def _copied(reading: _Reading, path: str) -> _Reading:
    """The reading of an identical earlier file, for this file (its error names this file)."""
    error = reading.error
    if error is not None:
        error = type(error)(error.message, path=shown_path(path))
    return _Reading(texts=reading.texts, metadata=reading.metadata, error=error, cached=True)


def _ignore(signum: int, frame: object) -> None:
    """A handler that does nothing (unlike SIG_IGN it is not inherited by Tesseract processes)."""


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which stops the batch; one OCR thread each.

    A terminal's Ctrl-C reaches the whole process group: Tesseract processes stop at once and
    the parent, which alone decides, ends the workers (cache entries are written atomically, so
    a worker ended mid-write leaves no damaged entry).
    """
    signal.signal(signal.SIGINT, _ignore)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    use_one_thread()


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes started from a clean server process, not forked from this one.

    Forking a process that already runs OpenCV or tqdm threads can deadlock the child; the
    forkserver imports the pipeline once and forks workers from that quiet process.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(["geoloc.batch"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now, not after their current photo.

    The photo a worker was reading is lost (it was not cached yet); everything finished before
    is kept. ProcessPoolExecutor has no public way to end busy workers before Python 3.14.
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.terminate()


def run_batch(
    paths: Sequence[str],
    settings: Settings,
    *,
    on_result: Callable[[PhotoReport], None] | None = None,
    on_error: Callable[[GeolocError], None] | None = None,
    jobs: int = 1,
    cache: ObservationCache | None = None,
    progress: bool = False,
) -> BatchResult:
    """Locate every photo in ``paths``; call ``on_result``/``on_error`` for each, in input order.

    ``jobs`` worker processes read photos in parallel (1: everything in this process). With a
    ``cache``, photos read before (same bytes, OCR languages, geoloc code, Tesseract) are not
    read again, nor are copies of one photo within the batch (a picture re-posted under many
    names).
    With ``jobs`` > 1 the calling script needs the usual ``if __name__ == "__main__":`` guard
    of any program that starts processes.
    ``progress`` draws a progress bar on stderr. Ctrl-C stops the batch cleanly: the photos done
    so far are in the result, with ``interrupted`` set.
    """
    result = BatchResult()
    n = len(paths)
    readings: dict[int, _Reading] = {}
    bar = tqdm(total=n, disable=not progress, file=sys.stderr, unit="photo", dynamic_ncols=True, leave=False)
    done = 0
    cache_warned = False
    pool: ProcessPoolExecutor | None = None
    copy_of: dict[int, int] = {}  # photo -> an earlier photo with the same bytes (read once)
    originals: set[int] = set()
    shared: dict[int, _Reading] = {}

    def emit_ready() -> None:
        """Hand out every finished photo whose predecessors are all handed out."""
        nonlocal done, cache_warned
        while done in readings or done in copy_of:
            path = paths[done]
            if done in copy_of:
                reading = _copied(shared[copy_of[done]], path)
            else:
                reading = readings.pop(done)
                if done in originals:
                    shared[done] = reading
            done += 1
            if reading.cache_problem and not cache_warned:
                cache_warned = True
                with tqdm.external_write_mode(file=sys.stderr):
                    log.warning("cache not written: %s", reading.cache_problem)
            report, error = None, reading.error
            if reading.trace:
                log.debug("internal error on %s:\n%s", shown_path(path), reading.trace)
            if error is None:
                try:
                    report = _conclude(path, reading, settings)
                except GeolocError as exc:
                    error = _error(exc, path)
                except Exception as exc:  # noqa: BLE001 - one photo's bug must not end the batch
                    log.debug("internal error on %s:\n%s", shown_path(path), _trace(exc))
                    error = _internal(exc, path)
            if error is not None:
                result.errors.append(error)
                if on_error:
                    with tqdm.external_write_mode(file=sys.stderr):
                        on_error(error)
            else:
                assert report is not None
                result.cached += reading.cached
                result.reports.append(report)
                if on_result:
                    on_result(report)

    try:
        todo: list[tuple[int, str | None]] = []
        first_with: dict[str, int] = {}
        for i, path in enumerate(paths):
            known, key = _lookup(path, settings, cache)
            if key is not None and key in first_with:
                copy_of[i] = first_with[key]  # the same photo under another name: read it once
                originals.add(first_with[key])
                bar.update()
                continue
            if key is not None:
                first_with[key] = i
            if known is None:
                todo.append((i, key))
            else:
                readings[i] = known
                bar.update()
        cache_dir = str(cache.directory) if cache is not None else None
        workers = min(jobs, len(todo))
        emit_ready()
        if workers <= 1:
            for i, key in todo:
                readings[i] = _read_photo(paths[i], settings, key, cache_dir)
                bar.update()
                emit_ready()
        else:
            crashes = 0
            while todo:
                pool = _pool(workers if crashes < MAX_CRASHES else 1)
                if crashes < MAX_CRASHES:
                    todo = _read_parallel(
                        pool, todo, paths, settings, cache_dir, readings, lambda: (bar.update(), emit_ready())
                    )
                    crashes += bool(todo)
                else:
                    todo = _read_isolated(pool, todo, paths, settings, cache_dir, readings)
                    bar.update()
                    emit_ready()
                pool.shutdown(wait=not todo, cancel_futures=True)
                pool = None
        emit_ready()
    except KeyboardInterrupt:
        result.interrupted = True
        if pool is not None:
            _stop(pool)
    except BaseException:  # e.g. a closed stdout under ``--jsonl | head``: stop reading at once
        if pool is not None:
            _stop(pool)
        raise
    finally:
        bar.close()
    return result


def _read_parallel(
    pool: ProcessPoolExecutor,
    todo: list[tuple[int, str | None]],
    paths: Sequence[str],
    settings: Settings,
    cache_dir: str | None,
    readings: dict[int, _Reading],
    on_each: Callable[[], object],
) -> list[tuple[int, str | None]]:
    """Read ``todo`` in the pool; return the photos left unread if a worker process died."""
    futures = {pool.submit(_read_photo, paths[i], settings, key, cache_dir): (i, key) for i, key in todo}
    for fut in as_completed(futures):
        try:
            readings[futures[fut][0]] = fut.result()
        except BrokenProcessPool:
            log.warning("a reader process died; reading the remaining photos again")
            for other, (j, _) in futures.items():
                if j not in readings and other.done() and other.exception() is None:
                    readings[j] = other.result()
                    on_each()
            return sorted(ik for ik in futures.values() if ik[0] not in readings)
        on_each()
    return []


def _read_isolated(
    pool: ProcessPoolExecutor,
    todo: list[tuple[int, str | None]],
    paths: Sequence[str],
    settings: Settings,
    cache_dir: str | None,
    readings: dict[int, _Reading],
) -> list[tuple[int, str | None]]:
    """After repeated crashes: one photo at a time, so a crash names the photo that caused it.

    Reads the first photo of ``todo`` and returns the rest (the caller starts a fresh pool when
    this one broke).
    """
    (i, key), rest = todo[0], todo[1:]
    try:
        readings[i] = pool.submit(_read_photo, paths[i], settings, key, cache_dir).result()
    except BrokenProcessPool:
        readings[i] = _Reading(
            error=GeolocError(
                "the process reading this photo died (a decoder crash, or out of memory)", path=shown_path(paths[i])
            )
        )
    return rest
