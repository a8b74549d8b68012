"""Read a batch's photos on a Dask cluster (``geoloc locate --cluster``): a reader backend of ``run_batch``.

``run_batch`` (``geoloc.batch``) keeps everything that decides what a batch outputs: the input
order, the cache look-ups (a photo already read is never sent), copies of one photo read once,
and the conclusion of each photo in this process. This module only turns "read photo i, store it
under cache key k" into a Dask task and hands the reading back, so a batch on a cluster gives the
same report as one on this machine.

Why Dask (``dask.distributed``): the work is a plain Python function over a path and a frozen
settings record, independent per photo, so a task is just that function and its arguments (no
queue broker or actor model to run, as Celery or Ray would bring); its futures come back one by
one as they finish; its scheduler re-runs the tasks of a worker that dies, so a lost machine loses
nothing; ``LocalCluster`` runs the same code on one machine for the tests; and it installs from
PyPI as pure Python. Dask is imported only when a cluster is asked for: ``geoloc[cluster]``.

What crosses the network: to the workers, each photo's absolute path (workers that share the
folders, the default) or its bytes (``--send-bytes``), the settings and the cache key; back, the
reading (text spans and metadata). Cache files never cross it: with paths, workers write the
client's cache folder by its path (a shared folder); with bytes, each worker keeps its own cache.

A task over the time limit fails its photo alone: the worker reading it is ended (by its nanny,
with the Tesseract processes it started) and started again, and the tasks it held are run
elsewhere. Ctrl-C cancels the tasks in flight; the photos done are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import platform
import queue
import re
import signal
import socket
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from geoloc import __version__, batch
from geoloc.batch import _internal, _read_photo, _Reading, time_limit, too_slow, use_reader_threads
from geoloc.cache import ObservationCache, reader_fingerprint
from geoloc.common.text import decodable
from geoloc.errors import ClusterError, GeolocError, PhotoError, PhotoIOError
from geoloc.pipeline import Settings

log = logging.getLogger("geoloc.cluster")

LOCAL_PREFIX = "local:"
"""``--cluster local:N``: start N worker processes on this machine (127.0.0.1) for this run."""

SCHEMES = ("tcp", "tls", "ws", "wss")
"""The scheduler address schemes Dask's comms speak across machines (``inproc`` is one process)."""

MAX_LOCAL_WORKERS = 64
"""The most worker processes ``local:N`` starts. Each loads the OCR models (about 300 MB) and one
per core is the useful most; a typo such as ``local:1000`` would start a thousand processes."""

LOCAL_HTTP = "127.0.0.1:0"
"""Where a ``local:N`` scheduler serves its HTTP routes (health, metrics): this machine only, on a
free port, so that two runs at once do not fight over Dask's default port 8787."""

CONNECT_TIMEOUT_S = 10
"""Seconds to reach the scheduler, and then for it to have a worker. A scheduler on the same
network answers in milliseconds; a wrong host or a closed port would otherwise retry for ever."""

CLOSE_TIMEOUT_S = 10
"""Seconds to close the connection (and stop a ``local:N`` cluster) at the end: a cluster that
does not answer must not hold the outputs of a finished run."""

TASKS_PER_THREAD = 2
"""Tasks in flight per worker thread: one reading and one waiting on the worker, so a worker never
idles between photos, while the rest wait here: submitting a million photos at once would hold
them all in the scheduler's memory (and with ``--send-bytes`` their bytes too)."""

LOST_WORKER_KEY = "distributed.deploy.lost-worker-timeout"
"""Dask's setting for how long a ``LocalCluster`` waits before it closes the nanny of a worker that
left the scheduler."""

KEEP_NANNIES_S = 10**9
"""That wait while geoloc runs a ``local:N`` cluster: never, in effect. The setting is meant for a
lost batch job; here a nanny restarts its own worker. With Dask's 15 s, a worker ended for the time
limit twice about 15 s apart is closed for good if its second replacement is still starting at
that moment (the check finds no worker of that name), and the cluster stays a worker short."""

MAX_SENT_BYTES = 256 * 2**20
"""The largest photo or video sent to a worker with ``--send-bytes``: a 200 MP camera JPEG is
60-100 MB; larger files (long videos) are read by workers that share the folder (by path)."""

MAX_BYTES_IN_FLIGHT = 1024 * 2**20
"""With ``--send-bytes``, no more photo bytes than this are sent and not yet read back at once (at
least one photo always is): they sit in this process, the scheduler and the workers meanwhile."""

THREADS_RECHECK_S = 5.0
"""How often the number of worker threads is asked again while a batch runs, so that workers
added (or lost) mid-run change how many tasks are kept in flight."""

TICK_S = 1.0
"""The longest the batch waits for news without checking that the scheduler is still there."""

STARTED_TOPIC = "geoloc-reading-started"
"""The Dask event topic on which a task says it has started (the time limit runs from then). One
topic for every run, each run keeping its own tasks' events: the scheduler keeps a topic's last
events, so a topic per run would pile up on a scheduler that serves runs for months."""

INSTALL_HINT = "pip install 'geoloc[cluster]' (make setup installs it)"

_ADDRESS_RE = re.compile(r"(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})")


def check_address(text: str) -> str:
    """``text`` as a scheduler address Dask accepts (``tcp://HOST:PORT``; ``HOST:PORT`` means tcp)
    or ``local:N``; raises ClusterError saying what is expected. Dask is not imported."""
    text = text.strip()
    if text.startswith(LOCAL_PREFIX):
        n = text[len(LOCAL_PREFIX) :]
        if not n.isdigit() or not 1 <= int(n) <= MAX_LOCAL_WORKERS:
            raise ClusterError(f"{text!r}: local:N needs a number of worker processes from 1 to {MAX_LOCAL_WORKERS}")
        return f"{LOCAL_PREFIX}{int(n)}"
    match = _ADDRESS_RE.fullmatch(text)
    scheme = match and (match["scheme"] or "tcp")
    if match is None or scheme not in SCHEMES or not 0 < int(match["port"]) < 65536:
        raise ClusterError(
            f"{text!r} is not a Dask scheduler address: give tcp://HOST:PORT (the port `dask scheduler` "
            f"prints, 8786 by default) or local:N"
        )
    return f"{scheme}://{match['host']}:{int(match['port'])}"


def _code_digest(*modules: str) -> str:
    """SHA-256 of the source files of ``modules``."""
    h = hashlib.sha256()
    for module in modules:
        h.update(Path(module).read_bytes())
    return h.hexdigest()


TASK_CODE = _code_digest(__file__, batch.__file__)
"""SHA-256 of the code a task runs beyond the reading itself (this module, the batch's reading
unit), taken as the module is imported so that it is the code running: in a development install
it changes without the version, and a task sent by one copy to a worker running another fails,
or reads otherwise."""


def identity() -> dict[str, str]:
    """What must be the same on the client and every worker for a reading to be the one this
    geoloc would make: geoloc's version and code, Tesseract, Python, Dask."""
    import distributed

    code, _, tesseract = reader_fingerprint().partition("/tesseract-")
    return {
        "geoloc": __version__,
        "geoloc's reading code": code[:12],
        "geoloc's task code": TASK_CODE[:12],
        "Tesseract": tesseract,
        "Python": ".".join(platform.python_version_tuple()[:2]),
        "Dask": distributed.__version__,
    }


def _differences(there: dict[str, str], here: dict[str, str]) -> str:
    """The items of two identities that differ, as one phrase ("" when none)."""
    return "; ".join(f"{k} {there.get(k)} there, {v} here" for k, v in here.items() if there.get(k) != v)


def _mismatch(worker: str, differs: str) -> str:
    """The line that names a worker that would read otherwise, and what to do."""
    return (
        f"worker {worker} differs from this machine ({differs}): install the same geoloc with "
        f"`make setup` on every machine"
    )


_worker_threads_set = False


def _use_worker_threads(one_thread: bool) -> None:
    """Set a worker process's thread pools once, as ``geoloc.batch`` sets a local reader's: one
    thread each when several workers share a machine's cores, so they do not compete."""
    global _worker_threads_set
    if _worker_threads_set:
        return
    _worker_threads_set = True
    if one_thread:
        use_reader_threads()


def _sent_suffix(path: str) -> str:
    """The file name extension a sent photo keeps in its temporary file (readers look at it for
    videos and HEIC), limited to letters and digits: nothing of the name but that reaches the disk."""
    suffix = os.path.splitext(path)[1]
    return suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix) else ""


def _read_task(
    photo: str | bytes,
    path: str,
    settings: Settings,
    key: str | None,
    cache_dir: str | None,
    expected: dict[str, str],
    one_thread: bool,
) -> _Reading:
    """A Dask task, run on a worker: read one photo (its path, or its bytes) into a ``_Reading``.

    It first tells the client it has started (the client's clock for ``--timeout``) and checks
    that this worker reads as the client would; then looks the photo up in the worker's cache,
    reads it and stores the reading. Errors name ``path``, the photo as the user named it.
    """
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(STARTED_TOPIC, {"key": str(worker.get_current_task()), "worker": worker.address})
    differs = _differences(identity(), expected)
    if differs:
        return _Reading(error=ClusterError(f"not read: {_mismatch(worker.address, differs)}", path=decodable(path)))
    _use_worker_threads(one_thread)
    hit = ObservationCache(cache_dir).get(key) if key is not None else None
    if hit is not None:
        return _Reading(texts=hit[0], metadata=hit[1], cached=True)
    if isinstance(photo, str):
        reading = _read_photo(photo, settings, key, cache_dir)
        if isinstance(reading.error, PhotoIOError) and reading.error.message == "no such file":
            reading.error = PhotoIOError(
                f"no such file on worker {worker.address}: the workers do not see this folder at the same "
                "path; share it, or use --send-bytes",
                path=path,
            )
    else:
        with tempfile.TemporaryDirectory(prefix="geoloc-sent-") as tmp:  # mode 0700, removed after
            local = os.path.join(tmp, "photo" + _sent_suffix(path))
            with open(local, "xb") as fh:
                fh.write(photo)
            reading = _read_photo(local, settings, key, cache_dir)
    if reading.error is not None:
        reading.error = type(reading.error)(reading.error.message, path=decodable(path))
    return reading


def _end_worker_process(dask_worker: Any) -> None:
    """Run on a worker's nanny: SIGKILL the worker process and the processes it started
    (Tesseract); the nanny then starts a fresh worker. Works on a worker that is stuck or stopped."""
    import psutil

    with contextlib.suppress(psutil.Error, TypeError):
        worker = psutil.Process(dask_worker.pid)
        for proc in [*worker.children(recursive=True), worker]:
            with contextlib.suppress(psutil.Error):
                proc.kill()


def _end_this_worker() -> None:
    """Run on a worker without a nanny: end its Tesseract processes and the worker itself."""
    import psutil

    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            proc.kill()
    os._exit(1)


def _sent_bytes(path: str) -> bytes:
    """A photo's bytes for ``--send-bytes``, at most ``MAX_SENT_BYTES``; raises a GeolocError."""
    from geoloc.common.files import read_at_most

    try:
        data = read_at_most(path, MAX_SENT_BYTES)
    except OSError as exc:
        raise PhotoIOError(exc.strerror or str(exc), path=decodable(path)) from None
    if len(data) > MAX_SENT_BYTES:
        raise PhotoError(
            f"not sent: over {MAX_SENT_BYTES // 2**20} MiB, the most --send-bytes sends; read it on workers "
            "that share the folder (without --send-bytes)",
            path=decodable(path),
        )
    return data


def _quiet_distributed() -> int:
    """Dask's own log level for this run: its progress chatter stays off the terminal (errors only;
    warnings with -v, such as a worker restarted)."""
    level = logging.WARNING if logging.getLogger("geoloc").isEnabledFor(logging.INFO) else logging.ERROR
    logging.getLogger("distributed").setLevel(level)
    return level


def _local_level(level: int) -> int:
    """The log level of the processes a ``local:N`` cluster starts (they print to this terminal).

    Without -v only their critical failures: after Ctrl-C, or when a busy machine stops them late,
    a worker whose scheduler is already gone logs its failed heartbeat as an error with a
    traceback, which says nothing about the photos. Every failure that matters reaches the user as
    geoloc's own line (a photo's error, a ClusterError)."""
    return level if level <= logging.WARNING else logging.CRITICAL


@contextlib.contextmanager
def nannies_kept() -> Iterator[None]:
    """While inside, a ``LocalCluster`` leaves each nanny to restart its worker (``KEEP_NANNIES_S``):
    for ``local:N``, and for the tests' stand-in for ``dask worker`` machines, whose nannies no
    cluster object closes."""
    import dask

    with dask.config.set({LOST_WORKER_KEY: KEEP_NANNIES_S}):
        yield


@contextlib.contextmanager
def _ctrl_c_stays_here() -> Iterator[None]:
    """While ``local:N`` starts its processes, ignore Ctrl-C, so that they inherit that: a
    terminal's Ctrl-C reaches every process of its group, and only geoloc must act on it (it
    cancels the tasks and ends the workers). Off the main thread nothing can be changed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def connect(address: str, *, send_bytes: bool = False) -> Cluster:
    """Connect to the scheduler at ``address`` (or start ``local:N``) and check its workers.

    Raises ClusterError, in one line, when Dask is not installed, the scheduler does not answer
    within ``CONNECT_TIMEOUT_S``, it has no worker, or a worker would read differently (another
    geoloc, Tesseract, Python or Dask).
    """
    address = check_address(address)
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--cluster needs Dask, which is not installed: {INSTALL_HINT}") from None
    level = _quiet_distributed()
    local = None
    kept = contextlib.ExitStack()
    try:
        if address.startswith(LOCAL_PREFIX):
            kept.enter_context(nannies_kept())
            with _ctrl_c_stays_here():
                local = distributed.LocalCluster(
                    n_workers=int(address[len(LOCAL_PREFIX) :]),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    scheduler_kwargs={"dashboard_address": LOCAL_HTTP},
                    silence_logs=_local_level(level),
                )
            client = distributed.Client(local, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
        else:
            _probe(address)
            client = distributed.Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError):
        if local is not None:
            local.close()
        kept.close()
        raise ClusterError(
            f"no Dask scheduler answered within {CONNECT_TIMEOUT_S} s: is `dask scheduler` running there, "
            "and its port open?",
            path=address,
        ) from None
    except GeolocError:
        raise
    except Exception as exc:  # noqa: BLE001 - Dask's own failures: one line, not a traceback
        if local is not None:
            local.close()
        kept.close()
        raise ClusterError(f"could not start or reach the cluster ({_first_line(exc)})", path=address) from None
    cluster = Cluster(address, client, local, kept, send_bytes=send_bytes)
    try:
        cluster.check_workers()
    except BaseException:
        cluster.close()
        raise
    return cluster


def _probe(address: str) -> None:
    """Ask what answers at ``address`` before a Dask client is made there: a client whose start
    fails lingers and, when collected, waits and prints a traceback. Raises OSError when nothing
    answers in time, ClusterError when something that is not a Dask scheduler does."""
    import asyncio

    from distributed.comm import connect as open_comm
    from distributed.core import send_recv

    host = address.split("://", 1)[1].rsplit(":", 1)[0].strip("[]")
    try:
        socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError) as exc:
        raise ClusterError(f"no such host ({_first_line(exc)})", path=address) from None

    async def ask() -> object:
        comm = await open_comm(address, timeout=CONNECT_TIMEOUT_S)
        try:
            return await asyncio.wait_for(send_recv(comm, op="identity"), CONNECT_TIMEOUT_S)
        finally:
            comm.abort()

    try:
        answer = asyncio.run(ask())
    except (OSError, TimeoutError):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a stranger on that port sends
        raise ClusterError(f"what answers there is not a Dask scheduler ({_first_line(exc)})", path=address) from None
    kind = answer.get("type") if isinstance(answer, dict) else None
    if kind != "Scheduler":
        raise ClusterError(
            f"what answers there is not a Dask scheduler but {kind or 'something else'}: give the address "
            "`dask scheduler` prints",
            path=address,
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


class Cluster:
    """A connection to a Dask scheduler (and the ``local:N`` cluster this run started, if any),
    from which ``run_batch`` opens a reader backend (``readers``). Close it when the run ends."""

    def __init__(
        self,
        address: str,
        client: Any,
        local: Any = None,
        local_settings: contextlib.ExitStack | None = None,
        *,
        send_bytes: bool = False,
    ) -> None:
        self.address = address
        self.client = client
        self.send_bytes = send_bytes
        self._local = local
        self._local_settings = local_settings or contextlib.ExitStack()  # undone once it is closed
        self.expected = identity()  # what every worker must match
        self.one_thread = False

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def check_workers(self) -> None:
        """Wait for a worker, then check that every worker reads as this machine would, and decide
        their threads: one per pool where a machine runs several worker threads (one per core)."""
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except (TimeoutError, OSError):
            raise ClusterError(
                f"the scheduler has no worker after {CONNECT_TIMEOUT_S} s: start `dask worker {self.address}` "
                "on the machines that should read",
                path=self.address,
            ) from None
        try:
            found = self.client.run(identity, on_error="return", callback_timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError):  # a worker stuck or stopped: each task checks its worker too
            log.warning("not every worker answered within %d s; each is checked as it reads", CONNECT_TIMEOUT_S)
            found = {}
        except Exception as exc:  # noqa: BLE001 - a client and a scheduler of other Dask versions
            raise ClusterError(f"could not ask the workers ({_first_line(exc)})", path=self.address) from None
        for worker, there in sorted(found.items()):
            if isinstance(there, (OSError, TimeoutError)):  # lost on the way: it is checked as it reads
                continue
            if isinstance(there, BaseException):
                problem = f"cannot run geoloc ({_first_line(there)}); run `make setup` there"
                raise ClusterError(f"worker {worker} {problem}", path=self.address)
            differs = _differences(there, self.expected)
            if differs:
                raise ClusterError(_mismatch(worker, differs), path=self.address)
        per_host: dict[str, int] = {}
        for worker, n in self.client.nthreads().items():
            host = worker.split("://", 1)[-1].rsplit(":", 1)[0]
            per_host[host] = per_host.get(host, 0) + int(n)
        self.one_thread = any(n > 1 for n in per_host.values())

    def threads(self) -> int:
        """Worker threads in the cluster now (at least 1: tasks wait for a worker to come)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # noqa: BLE001 - asked again later
            return 1

    def readers(self, settings: Settings, cache_dir: str | None, timeout: float | None) -> ClusterReaders:
        """The reader backend of one batch (``geoloc.batch.ReadersFactory``)."""
        return ClusterReaders(self, settings, cache_dir, timeout)

    def close(self) -> None:
        """Disconnect, and stop the ``local:N`` cluster; errors on the way out are only logged."""
        for part in (self.client, self._local):
            if part is None:
                continue
            try:
                part.close(timeout=CLOSE_TIMEOUT_S)
            except Exception as exc:  # noqa: BLE001 - the run's outputs matter more than a clean goodbye
                log.debug("closing %s: %s", self.address, exc)
        self._local = None
        self._local_settings.close()


@dataclass
class _Task:
    """A photo in flight: its index in the batch, its Dask future, the bytes sent with it."""

    index: int
    future: Any
    sent: int = 0
    deadline: float | None = None  # time.monotonic() by which it must be done, once it started
    worker: str = ""  # the worker reading it


class ClusterReaders:
    """Reads a batch's photos as Dask tasks, keeping ``TASKS_PER_THREAD`` per worker thread in
    flight; ``run_batch`` gets each reading as soon as it is back. Leaving the ``with`` block
    cancels the tasks still in flight (Ctrl-C)."""

    def __init__(self, cluster: Cluster, settings: Settings, cache_dir: str | None, timeout: float | None) -> None:
        self._cluster = cluster
        self._client = cluster.client
        # what changes a reading, and nothing else: the caption (up to 1 MiB) is not sent with every photo
        self._settings = Settings(langs=settings.langs, frames_per_minute=settings.frames_per_minute)
        # with paths, the workers write the client's cache folder (shared by path); with bytes, their own
        self._cache_dir = None if cluster.send_bytes or cache_dir is None else os.path.abspath(cache_dir)
        self._timeout = timeout
        self._run = uuid.uuid4().hex[:12]
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._flight: dict[str, _Task] = {}

    def __enter__(self) -> ClusterReaders:
        self._client.subscribe_topic(STARTED_TOPIC, lambda event: self._events.put(("started", event[1])))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        futures = [task.future for task in self._flight.values()]
        self._flight.clear()
        with contextlib.suppress(Exception):
            if futures:
                self._client.cancel(futures)
        with contextlib.suppress(Exception):
            self._client.unsubscribe_topic(STARTED_TOPIC)

    def read(
        self,
        todo: list[tuple[int, str | None]],
        paths: Sequence[str],
        readings: dict[int, _Reading],
        on_each: Callable[[], object],
    ) -> None:
        """Read the photos of ``todo`` (index, cache key) into ``readings``, calling ``on_each``
        after each one."""
        waiting = deque(todo)
        window, asked = self._cluster.threads() * TASKS_PER_THREAD, time.monotonic()
        while waiting or self._flight:
            if time.monotonic() - asked > THREADS_RECHECK_S:
                window, asked = self._cluster.threads() * TASKS_PER_THREAD, time.monotonic()
            while waiting and (
                not self._flight or (len(self._flight) < window and self._bytes() < MAX_BYTES_IN_FLIGHT)
            ):
                i, key = waiting.popleft()
                try:
                    self._submit(i, key, paths[i])
                except GeolocError as err:
                    readings[i] = _Reading(error=err)
                    on_each()
            try:
                kind, news = self._events.get(timeout=self._wait_s())
            except queue.Empty:
                kind, news = "", None
            self._check_deadlines(paths, readings, on_each)  # also while news keeps coming
            if kind == "started" and isinstance(news, dict) and news.get("key") in self._flight:
                task = self._flight[news["key"]]
                task.worker = str(news.get("worker", ""))
                task.deadline = (
                    None if self._timeout is None else time.monotonic() + time_limit(paths[task.index], self._timeout)
                )
            elif kind == "done" and news in self._flight:  # else one failed over its time limit
                task = self._flight.pop(news)
                readings[task.index] = self._result(task, paths[task.index])
                on_each()
            elif not kind:
                self._check_connected()

    def _bytes(self) -> int:
        """Photo bytes sent and not yet read back."""
        return sum(task.sent for task in self._flight.values())

    def _submit(self, i: int, key: str | None, path: str) -> None:
        """Send photo ``i`` to the cluster (its path, or its bytes)."""
        photo: str | bytes = _sent_bytes(path) if self._cluster.send_bytes else os.path.abspath(path)
        future = self._client.submit(
            _read_task,
            photo,
            path,
            self._settings,
            key,
            self._cache_dir,
            self._cluster.expected,
            self._cluster.one_thread,
            key=f"geoloc-read-{self._run}-{i}",
        )
        future.add_done_callback(lambda done: self._events.put(("done", done.key)))
        self._flight[future.key] = _Task(i, future, len(photo) if isinstance(photo, bytes) else 0)

    def _result(self, task: _Task, path: str) -> _Reading:
        """The reading a finished task brought back, or the photo's failure in one line."""
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        try:
            reading = task.future.result()
        except KilledWorker:
            reading = _Reading(
                error=ClusterError(
                    "not read: the workers reading this photo died each time (a decoder crash, or out of memory)",
                    path=decodable(path),
                )
            )
        except FutureCancelledError as exc:
            self._check_connected()
            reading = _Reading(error=ClusterError(f"not read: the cluster cancelled it ({exc})", path=decodable(path)))
        except Exception as exc:  # noqa: BLE001 - one photo's failure must not end the batch
            reading = _Reading(error=_internal(exc, path))
        finally:
            task.future.release()
        if not isinstance(reading, _Reading):
            return _Reading(error=_internal(TypeError(f"a worker sent {type(reading).__name__}"), path))
        return reading

    def _wait_s(self) -> float:
        """Seconds until the nearest deadline of a started task, at most ``TICK_S``."""
        deadlines = [t.deadline for t in self._flight.values() if t.deadline is not None]
        return max(0.0, min([TICK_S, *(d - time.monotonic() for d in deadlines)]))

    def _check_deadlines(
        self, paths: Sequence[str], readings: dict[int, _Reading], on_each: Callable[[], object]
    ) -> None:
        """Fail each task past its time limit that its worker still runs, and end that worker."""
        now = time.monotonic()
        for dask_key, task in list(self._flight.items()):
            if task.deadline is None or task.deadline > now:
                continue
            if not self._still_reading(task):  # its worker was lost: it waits to run again
                task.deadline = None
                continue
            del self._flight[dask_key]
            with contextlib.suppress(Exception):
                self._client.cancel([task.future])
            self._end_worker(task.worker)
            readings[task.index] = _Reading(error=too_slow(paths[task.index], self._timeout or 0.0))
            on_each()

    def _still_reading(self, task: _Task) -> bool:
        """Whether the worker that started ``task`` still holds it (not lost and re-queued)."""
        try:
            held = self._client.processing(workers=[task.worker]).get(task.worker, ())
        except Exception:  # noqa: BLE001 - the scheduler will say on the next tick
            return False
        return task.future.key in {str(k) for k in held}

    def _end_worker(self, worker: str) -> None:
        """End a worker stuck on a photo (its nanny starts a new one; its other tasks run elsewhere)."""
        log.info("ending worker %s: a photo took longer than the time limit", worker)
        try:
            self._client.run(_end_worker_process, workers=[worker], nanny=True, callback_timeout=CONNECT_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - a worker started without a nanny ends itself
            with contextlib.suppress(Exception):
                self._client.run(_end_this_worker, workers=[worker], callback_timeout=CONNECT_TIMEOUT_S)

    def _check_connected(self) -> None:
        """Stop the batch, in one line, when the scheduler is gone: no photo can be read then."""
        if self._client.status in ("closing", "closed"):
            raise ClusterError(
                "lost the connection to the Dask scheduler; run the same command again to go on "
                "(what was read is in the cache)",
                path=self._cluster.address,
            )
