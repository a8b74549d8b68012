"""Run many photos through the pipeline: in parallel, from the cache when possible, in input order.

Reading a photo (decoding, metadata, OCR) is slow and independent per photo, so it runs in reader
processes; deciding where each photo was taken is fast and may ask an online geocoder whose rate
limit is per client, so it runs in this process, one photo at a time. Each reading is stored in the
observation cache (``geoloc.cache``) by the reader that made it, so a batch that is interrupted or
re-run with other priors reads nothing twice.

A bad photo is a ``GeolocError``: it is reported through ``on_error`` and the batch goes on. Results
and errors are handed out in input order, each as soon as every photo before it is done.

Each reader process takes one photo at a time, so the photo it reads is always known: a photo
over the time limit fails alone (its reader is ended and replaced), and a reader that dies names
its photo. Readers end when this process ends, even when it is killed (``_end_with_parent``), and
SIGTERM stops a batch as Ctrl-C does, keeping the photos done.

The readers are a backend (``Readers``): these local processes, or the workers of a Dask cluster
(``geoloc.cluster``); either way this module alone decides the order, the cache and the errors.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Protocol

import cv2
from tqdm import tqdm

from geoloc.cache import ObservationCache, file_digest
from geoloc.common.photo import check_path
from geoloc.common.text import decodable
from geoloc.errors import GeolocError, PhotoError, PhotoIOError
from geoloc.model import Metadata, PhotoInput, PhotoReport, TextSpan
from geoloc.pipeline import Settings, conclude, observe
from geoloc.read.ocr.reader import use_one_thread
from geoloc.read.video import MAX_FRAMES_READ, is_video

log = logging.getLogger("geoloc.batch")

MAX_CRASHES = 2
"""After this many reader deaths (a decoder crash, or killed for memory) photos are read one at a
time, so the photo that kills its reader is named and skipped (until then its photo is read again:
a reader killed from outside costs nothing)."""

DEFAULT_TIMEOUT_S = 120
"""The time limit to read one photo (``geoloc locate --timeout``), in seconds of wall time.

A real photo takes 0.4-4 s on a 2-core machine (a 24 MP frame 2.2 s; a reader's first photo up to
4 s, loading the OCR models), and batch benchmarks under a load average of 8-10 ran 3 times slower:
120 s is 30 times the slowest real photo and 10 times that under load, so a busy machine does not
fail real photos, while a file built to be slow holds one reader for two minutes, not the run."""

READER_THREADS = 1
"""Threads of each pool in a reader when several readers share the cores (``--jobs`` 2 or more):
one per reader, as many readers as cores. Threads of one photo hand work to each other and wait:
on 20 generated scenes a reader spent 0.98 CPU seconds a photo with two threads per pool, 0.92
with one OCR thread and 0.90 with OpenCV's pool at one thread too, so one-thread readers leave
their cores to each other rather than compete for them."""

PR_SET_PDEATHSIG = 1
"""Linux ``prctl`` option (linux/prctl.h): the signal the kernel sends a process when its parent ends."""


@dataclass
class BatchResult:
    """Reports of the photos that worked, in input order, and the errors of those that did not."""

    reports: list[PhotoReport] = field(default_factory=list)
    errors: list[GeolocError] = field(default_factory=list)
    interrupted: int = 0  # the signal that stopped the batch (SIGINT: Ctrl-C, or SIGTERM); 0 if none
    cached: int = 0  # how many photos were read from the cache instead of read again


@dataclass
class _Reading:
    """What was read from one photo, or why it could not be: the unit readers hand back."""

    texts: list[TextSpan] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    error: GeolocError | None = None
    cached: bool = False
    cache_problem: str | None = None  # why the reading could not be stored (said once per batch)
    trace: str | None = None  # the traceback of an internal error met in a reader process


def default_jobs() -> int:
    """The CPUs this process may use (a container's limit, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _error(exc: GeolocError, path: str) -> GeolocError:
    """The same error, naming the file in a printable form (and naming it at all: some stages,
    such as OCR, raise errors without a path)."""
    return type(exc)(exc.message, path=decodable(exc.path or path))


def _internal(exc: BaseException, path: str) -> GeolocError:
    """A bug met on one photo: reported as that photo's failure so the rest of the batch goes on."""
    return GeolocError(
        f"internal error ({type(exc).__name__}: {exc}); run with -vv and report it", path=decodable(path)
    )


def _trace(exc: BaseException) -> str:
    """The traceback of an internal error, for the debug log (-vv) of the process handing out."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def _read_photo(path: str, settings: Settings, key: str | None, cache_dir: str | None) -> _Reading:
    """Read one photo (in a reader process or in this one) and store the reading in the cache."""
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


VIDEO_FRAMES_PER_LIMIT = 50
"""Frames of a video read within one photo's time limit (``--timeout``): a frame costs about what
a photo costs, and 120 s over 50 frames leaves the same margin under load that photos have. A
video's limit grows with the frames it may read (``MAX_FRAMES_READ``), never with its bytes."""


def time_limit(path: str, timeout: float) -> float:
    """Seconds ``path`` may take to read: ``timeout`` for a photo; for a video, as many such
    limits as the frames it may read need."""
    return timeout * max(1.0, MAX_FRAMES_READ / VIDEO_FRAMES_PER_LIMIT) if is_video(path) else timeout


def too_slow(path: str, timeout: float) -> PhotoError:
    """The error of a photo or video whose reading ran over its time limit."""
    what = "video" if is_video(path) else "photo"
    return PhotoError(
        f"not read: took longer than {time_limit(path, timeout):g} s, the time limit per {what} (--timeout)",
        path=decodable(path),
    )


def _reading_key(path: str, settings: Settings) -> str:
    """What besides a file's bytes changes what is read from it: the OCR languages, and for a
    video the frames read per minute."""
    return f"{settings.langs} {settings.frames_per_minute}/min" if is_video(path) else settings.langs


def _lookup(path: str, settings: Settings, cache: ObservationCache | None) -> tuple[_Reading | None, str | None]:
    """Check the path and look its bytes up in the cache: (reading or error if known, cache key)."""
    try:
        check_path(path)
        if cache is None:
            return None, None
        key = cache.key(file_digest(path), _reading_key(path, settings))
    except GeolocError as exc:
        return _Reading(error=_error(exc, path)), None
    except OSError as exc:
        return _Reading(error=PhotoIOError(exc.strerror or str(exc), path=decodable(path))), None
    hit = cache.get(key)
    if hit is None:
        return None, key
    texts, metadata = hit
    return _Reading(texts=texts, metadata=metadata, cached=True), key


def _conclude(photo: PhotoInput, reading: _Reading, settings: Settings) -> PhotoReport:
    """Decide where the photo was taken from what was read and its own words (always re-run: it
    is cheap, and the same picture may be in several posts, each with its text)."""
    report = PhotoReport(
        path=decodable(photo.shown), texts=reading.texts, metadata=reading.metadata, context=photo.context
    )
    return conclude(report, settings)


def _copied(reading: _Reading, path: str) -> _Reading:
    """The reading of an identical earlier file, for this file (its error names this file)."""
    error = reading.error
    if error is not None:
        error = type(error)(error.message, path=decodable(path))
    return _Reading(texts=reading.texts, metadata=reading.metadata, error=error, cached=True)


def _ignore(signum: int, frame: object) -> None:
    """A handler that does nothing (unlike SIG_IGN it is not inherited by Tesseract processes)."""


def _kill_group(pid: int) -> None:
    """SIGKILL the process group that reader ``pid`` leads: the reader and its Tesseract processes.

    Nothing when ``pid`` leads no group (a reader not set up yet, or a system without groups).
    """
    if not hasattr(os, "killpg"):
        return
    with contextlib.suppress(OSError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)


def _exit_when_gone(parent: BaseProcess) -> None:
    """Wait until ``parent`` ends, then end this reader and its Tesseract processes at once."""
    parent.join()
    _kill_group(os.getpid())
    os._exit(1)


def _end_with_parent() -> None:
    """Make this reader end when the geoloc process that started it ends, even by SIGKILL.

    A thread waits on the pipe that multiprocessing keeps from the geoloc process to each child,
    which closes when that process ends however it ends, and then ends the reader's process group.
    On Linux the kernel also kills the reader when its parent ends (``PR_SET_PDEATHSIG``), even
    while no Python code can run. That parent is the forkserver, which ends when the last copy of
    its "alive" pipe closes: geoloc's own, and the copy each reader inherits, which the reader
    therefore closes (it starts no processes through the forkserver).
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # not a child process: nothing to watch
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    server = getattr(sys.modules.get("multiprocessing.forkserver"), "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if alive is not None:
        os.close(alive)
        server._forkserver_alive_fd = None
    threading.Thread(target=_exit_when_gone, args=(parent,), name="geoloc-parent", daemon=True).start()


def _reader_init(one_thread: bool) -> None:
    """Set up a reader process: its own process group, ending with geoloc, Ctrl-C left to geoloc.

    In its own process group, a reader ended (over the time limit, or when the batch stops) takes
    its Tesseract processes with it, and a terminal's Ctrl-C reaches geoloc alone, which alone
    decides and ends the readers (cache entries are written atomically, so a reader ended
    mid-write leaves no damaged entry); where there are no process groups, the reader ignores
    Ctrl-C.

    ``one_thread`` (several readers share the cores): every pool a photo's reading runs on gets
    ``READER_THREADS``, each reader's share of the cores, so readers do not take cores from each
    other: the detector and recogniser networks and the Tesseract passes (``use_one_thread``),
    Tesseract's OpenMP (set, not defaulted: a limit the user exported for one process would
    have every reader start that many threads), and OpenCV's own pool, which otherwise starts a
    thread per core in every reader for resizing, colour masks and contours.
    """
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
    _end_with_parent()
    signal.signal(signal.SIGINT, _ignore)
    if one_thread:
        use_reader_threads()


def use_reader_threads() -> None:
    """Give every pool a photo's reading runs on ``READER_THREADS``: a local reader process's or
    a cluster worker's share of the cores (see ``_reader_init`` for the pools and why)."""
    os.environ["OMP_THREAD_LIMIT"] = str(READER_THREADS)
    use_one_thread()
    cv2.setNumThreads(READER_THREADS)


def _serve(conn: Connection, settings: Settings, cache_dir: str | None, one_thread: bool) -> None:
    """A reader process: read each photo sent on ``conn``, send the reading back, until it closes."""
    _reader_init(one_thread)
    while True:
        try:
            path, key = conn.recv()
            conn.send(_read_photo(path, settings, key, cache_dir))
        except (EOFError, OSError):  # geoloc closed its end: the batch is over
            return


@dataclass(eq=False)
class _Reader:
    """A reader process, this process's end of its pipe, and the photo it reads (None: waiting)."""

    process: BaseProcess
    conn: Connection
    task: tuple[int, str | None] | None = None  # (index in the batch, cache key)
    deadline: float = math.inf  # time.monotonic() by which its reading must be back


def _received(conn: Connection) -> _Reading | None:
    """The reading a reader sent, or None when it died without sending one."""
    try:
        return conn.recv() if conn.poll() else None
    except (EOFError, OSError):
        return None


def _end(reader: _Reader) -> None:
    """End a reader at once, with the Tesseract processes it started.

    SIGKILL: a reader ignores Ctrl-C, and one stuck in a decoder would run no handler. A waiting
    reader loses nothing (each reading is cached before it is sent back).
    """
    if reader.process.is_alive():
        _kill_group(reader.process.pid)
        reader.process.kill()
    reader.process.join()
    reader.conn.close()


class _Readers:
    """Reader processes that take one photo at a time, so that the photo each one reads is known.

    A photo over the time limit fails alone: its reader is ended and replaced, the others go on.
    A reader that dies has its photo read again, until ``MAX_CRASHES`` deaths; then photos are read
    one at a time, and a death is its photo's failure. Leaving the ``with`` block ends every reader.

    Readers are forked from a clean server process, not from this one: forking a process that
    already runs OpenCV or tqdm threads can deadlock the child; the forkserver imports the
    pipeline once and forks readers from that quiet process.
    """

    def __init__(self, jobs: int, settings: Settings, cache_dir: str | None, timeout: float | None) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["geoloc.batch"])
        self._jobs = jobs
        self._args = (settings, cache_dir, jobs > 1)
        self._timeout = timeout
        self._idle: list[_Reader] = []
        self._busy: list[_Reader] = []

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for reader in self._idle + self._busy:
            _end(reader)
        self._idle.clear()
        self._busy.clear()

    def read(
        self,
        todo: list[tuple[int, str | None]],
        paths: Sequence[str],
        readings: dict[int, _Reading],
        on_each: Callable[[], object],
    ) -> None:
        """Read the photos of ``todo`` (index, cache key) into ``readings``, calling ``on_each``
        after each one."""
        queue = deque(todo)
        crashes = 0
        while queue or self._busy:
            limit = self._jobs if crashes < MAX_CRASHES else 1
            while self._idle and len(self._idle) + len(self._busy) > limit:
                _end(self._idle.pop())  # after crashes one reader, so a photo's memory is its own
            while queue and len(self._busy) < limit:
                self._send(self._idle.pop() if self._idle else self._start(), queue.popleft(), paths)
            ready = wait([w for r in self._busy for w in (r.conn, r.process.sentinel)], self._wait_s())
            now = time.monotonic()
            for reader in list(self._busy):
                assert reader.task is not None
                i, key = reader.task
                if reader.conn in ready or reader.process.sentinel in ready:
                    self._busy.remove(reader)
                    reading = _received(reader.conn)
                    if reading is not None:
                        reader.task = None
                        self._idle.append(reader)
                    elif crashes >= MAX_CRASHES and not self._busy:
                        _end(reader)
                        reading = _Reading(
                            error=GeolocError(
                                "the process reading this photo died (a decoder crash, or out of memory)",
                                path=decodable(paths[i]),
                            )
                        )
                    else:
                        _end(reader)
                        crashes += 1
                        log.warning("a reader process died; reading its photo again")
                        queue.appendleft((i, key))
                        continue
                elif now >= reader.deadline:
                    self._busy.remove(reader)
                    _end(reader)
                    reading = _Reading(error=too_slow(paths[i], self._timeout or 0.0))
                else:
                    continue
                readings[i] = reading
                on_each()

    def _start(self) -> _Reader:
        """A new reader process, waiting for its first photo."""
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(theirs, *self._args), name="geoloc-reader", daemon=True)
        process.start()
        theirs.close()  # the reader's end lives in the reader alone: it sees EOF when this process ends
        return _Reader(process, ours)

    def _send(self, reader: _Reader, task: tuple[int, str | None], paths: Sequence[str]) -> None:
        """Give ``reader`` a photo to read and start its clock."""
        reader.task = task
        limit = None if self._timeout is None else time_limit(paths[task[0]], self._timeout)
        reader.deadline = math.inf if limit is None else time.monotonic() + limit
        self._busy.append(reader)
        with contextlib.suppress(OSError):  # a reader that died waiting is found dead by the wait, with this photo
            reader.conn.send((paths[task[0]], task[1]))

    def _wait_s(self) -> float | None:
        """Seconds until the nearest deadline of a busy reader (None: no time limit)."""
        deadline = min(r.deadline for r in self._busy)
        return None if deadline == math.inf else max(0.0, deadline - time.monotonic())


class Readers(Protocol):
    """Where the photos that are not in the cache are read: local reader processes (``_Readers``)
    or a Dask cluster (``geoloc.cluster``). A backend only turns (index, cache key) into readings,
    storing each in the cache; ``run_batch`` keeps the order, the cache look-ups, copies and errors."""

    def read(
        self,
        todo: list[tuple[int, str | None]],
        paths: Sequence[str],
        readings: dict[int, _Reading],
        on_each: Callable[[], object],
    ) -> None: ...


ReadersFactory = Callable[[Settings, str | None, float | None], AbstractContextManager[Readers]]
"""Opens a reader backend for one batch from its settings, cache folder and time limit per photo."""


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises KeyboardInterrupt: both stop a batch the same way."""


def _raise_terminated(signum: int, frame: object) -> None:
    """The SIGTERM handler while a batch runs."""
    raise _Terminated


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While a batch runs, SIGTERM (``kill``, a service manager stopping geoloc) stops it as Ctrl-C
    does: the photos done are kept and the caller writes its outputs.

    Left alone when the caller handles SIGTERM itself, and off the main thread, where Python cannot
    set a handler.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    photos: Sequence[str | PhotoInput],
    settings: Settings,
    *,
    on_result: Callable[[PhotoReport], None] | None = None,
    on_error: Callable[[GeolocError], None] | None = None,
    jobs: int = 1,
    cache: ObservationCache | None = None,
    progress: bool = False,
    timeout: float | None = None,
    backend: ReadersFactory | None = None,
) -> BatchResult:
    """Locate every photo in ``photos``; call ``on_result``/``on_error`` for each, in input order.

    A photo is a path, or a ``PhotoInput`` carrying its own words (a caption, a post) and the name
    the report gives it; its words are applied when concluding, so the cache stays keyed by bytes.

    ``jobs`` reader processes read photos in parallel. With ``timeout`` (seconds), a photo whose
    reading takes longer fails, its reader is ended and the batch goes on; so with a timeout even
    one job reads in a child process, which can be ended. With neither (``jobs`` 1, no timeout)
    everything runs in this process. With a ``cache``, photos read before (same bytes, OCR
    languages, geoloc code, Tesseract) are not read again, nor are copies of one photo within the
    batch (a picture re-posted under many names).
    When reader processes are used, the calling script needs the usual
    ``if __name__ == "__main__":`` guard of any program that starts processes.
    ``progress`` draws a progress bar on stderr. Ctrl-C or SIGTERM stops the batch cleanly: the
    photos done so far are in the result, with ``interrupted`` set to the signal.
    ``backend`` reads the photos elsewhere (``geoloc.cluster.Cluster.readers``); ``jobs`` is then unused.
    """
    result = BatchResult()
    inputs = [p if isinstance(p, PhotoInput) else PhotoInput(p) for p in photos]
    paths = [p.path for p in inputs]
    n = len(paths)
    readings: dict[int, _Reading] = {}
    bar = tqdm(total=n, disable=not progress, file=sys.stderr, unit="photo", dynamic_ncols=True, leave=False)
    done = 0
    cache_warned = False
    copy_of: dict[int, int] = {}  # photo -> an earlier photo with the same bytes (read once)
    originals: set[int] = set()
    shared: dict[int, _Reading] = {}

    def emit_ready() -> None:
        """Hand out every finished photo whose predecessors are all handed out."""
        nonlocal done, cache_warned
        while done in readings or done in copy_of:
            path, photo = paths[done], inputs[done]
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
                log.debug("internal error on %s:\n%s", decodable(path), reading.trace)
            if error is None:
                try:
                    report = _conclude(photo, reading, settings)
                except GeolocError as exc:
                    error = _error(exc, path)
                except Exception as exc:  # noqa: BLE001 - one photo's bug must not end the batch
                    log.debug("internal error on %s:\n%s", decodable(path), _trace(exc))
                    error = _internal(exc, path)
            if error is not None and photo.name:  # named as the report names it, not its temporary file
                error = type(error)(error.message, path=decodable(photo.name))
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
        with _sigterm_stops():
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
            if backend is not None and todo:
                with backend(settings, cache_dir, timeout) as elsewhere:
                    elsewhere.read(todo, paths, readings, lambda: (bar.update(), emit_ready()))
            elif workers == 1 and timeout is None:
                for i, key in todo:
                    readings[i] = _read_photo(paths[i], settings, key, cache_dir)
                    bar.update()
                    emit_ready()
            elif todo:
                with _Readers(workers, settings, cache_dir, timeout) as readers:
                    readers.read(todo, paths, readings, lambda: (bar.update(), emit_ready()))
            emit_ready()
    except KeyboardInterrupt as stop:  # the readers were ended on the way out of their block
        result.interrupted = signal.SIGTERM if isinstance(stop, _Terminated) else signal.SIGINT
    finally:
        bar.close()
    return result
