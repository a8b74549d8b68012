"""Shared by the tests that feed geoloc hostile input: the CLI as a subprocess and its first line
of output, the sign scenes of the batch tests, and bounds on the time and memory of a block of
test code."""

from __future__ import annotations

import os
import resource
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.scenes import SignLine, SignSpec, render_scene

GEOLOC = [sys.executable, "-c", "import sys; from geoloc.cli.main import cli; sys.exit(cli())"]
"""``geoloc`` run by the test's own interpreter, whatever the PATH holds."""


def first_line(proc: subprocess.Popen, timeout: float) -> bytes:
    """Read a child's stdout until its first whole line (or ``timeout`` seconds, or its end):
    how a test knows a batch has started before it interrupts or stalls it."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    buf = b""
    while b"\n" not in buf and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
    return buf


SIGNS = [
    ("Чернігів", "Chernihiv", 25),
    ("Бровари", "Brovary", 12),
    ("Ніжин", "Nizhyn", 40),
    ("Прилуки", "Pryluky", 63),
    ("Козелець", "Kozelets", 18),
    ("Остер", "Oster", 31),
]
"""Destinations for one-line Ukrainian direction signs: (Cyrillic, national romanisation, km)."""


def as_a_terminal_job() -> None:
    """``preexec_fn`` for a child that a test interrupts with Ctrl-C: Ctrl-C at its default, as a
    terminal starts a program. A shell without job control starts background commands with
    SIGINT ignored, and the child of a test suite run so would inherit that and never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_sign_photos(folder: Path, seed: int) -> list[Path]:
    """One small photo of a direction sign per ``SIGNS`` entry, named ``NN_<place>.jpg`` in order."""
    paths = []
    for i, (cyr, lat, km) in enumerate(SIGNS):
        image, _ = render_scene(
            [SignSpec("ua_direction", (SignLine(cyr, lat, km),), cap_px=30, position=(0.5, 0.4), angle_deg=0, tilt=0)],
            seed=seed + i,
            size=(800, 600),
        )
        path = folder / f"{i:02d}_{lat}.jpg"
        image.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def write_copies(photos: Sequence[Path], folder: Path, copies: int) -> Path:
    """``copies`` copies of each photo in a new ``folder``, named ``<copy>_<name>``: a batch long
    enough that an interrupt comes while most of it is still to read. Returns the folder."""
    folder.mkdir()
    for copy in range(copies):
        for photo in photos:
            (folder / f"{copy}_{photo.name}").write_bytes(photo.read_bytes())
    return folder


@contextmanager
def deadline(seconds: float, what: str = "still running") -> Iterator[None]:
    """Fail the test when the block runs for ``seconds``: a regression fails instead of hanging.

    The alarm interrupts a blocking open of a FIFO or a wait on a stalled process; the failure is
    pytest's own, not an OSError, so no ``except OSError`` in the code under test can swallow it.
    """

    def expire(signum: int, frame: Any) -> None:
        pytest.fail(f"{what} after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def bounded(seconds: float = 20.0, memory: int = 2 << 30) -> Iterator[None]:
    """Fail the test when the block runs for ``seconds`` or grows the address space by ``memory``.

    The cap turns reading /dev/zero into a MemoryError instead of a machine out of memory; like
    the deadline, it does not end the pytest process.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm", encoding="ascii") as fh:
        used = int(fh.read().split()[0]) * resource.getpagesize()
    cap = used + memory if hard == resource.RLIM_INFINITY else min(used + memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        with deadline(seconds):
            yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
